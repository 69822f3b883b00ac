/** Chinese names of the permissions (the server's PERMISSIONS table, also served by GET /api/roles). */
import type { Permission } from './types';

export const PERMISSION_NAMES: Record<Permission, string> = {
  'person:read': '查询参保人员',
  'institution:read': '查询定点医药机构',
  'practitioner:read': '查询医保医师',
  'catalogue:read': '查询医保目录',
  'dict:read': '查询码表和区划',
  'oplog:read': '查询操作日志',
  'user:read': '查看用户',
  'user:write': '管理用户',
};
