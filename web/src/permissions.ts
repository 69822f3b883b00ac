/** Chinese names of the permissions: the server's PERMISSIONS table itself (also served by GET /api/roles). */
import { PERMISSIONS } from '../../src/server/auth/roles.js';
import type { Permission } from './types';

export const PERMISSION_NAMES: Record<Permission, string> = PERMISSIONS;
