/**
 * Auth table types (declared into the shared Tables) and the user shape the API shows. Owns staff_user and
 * staff_session (migration 0007). The password hash never leaves auth/users.ts and auth/login.ts.
 */
import type { Generated, Selectable } from 'kysely';
import type { RoleCode } from './roles.js';

export type UserStatus = 'active' | 'disabled';

export interface StaffUserTable {
  user_id: string;
  user_name: string;
  pwd_hash: string;
  role: RoleCode;
  admdvs: string;
  fixmedins_code: string | null;
  status: UserStatus;
  pwd_changed_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_login_at: Date | null;
}

export interface StaffSessionTable {
  token_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

declare module '../../platform/db.js' {
  interface Tables {
    staff_user: StaffUserTable;
    staff_session: StaffSessionTable;
  }
}

export type StaffUserRow = Selectable<StaffUserTable>;

/** A user as the API and the CLI show it: everything but the hash. */
export type UserView = Omit<StaffUserRow, 'pwd_hash'> & { role_name: string };

export const USER_STATUS_NAMES: Record<UserStatus, string> = { active: '正常', disabled: '停用' };
