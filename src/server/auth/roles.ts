/**
 * Staff roles and what each may do: the one place that says so. Routes name the permission they need; the
 * auth hook looks it up here. Area scoping (which persons, institutions and log rows a user sees) is separate:
 * see scope.ts.
 */
export const ROLES = {
  handler: { name: '经办员', summary: '窗口经办：查询参保人员、机构、医师、目录和码表' },
  auditor: { name: '审核员', summary: '医保审核：查询参保人员、机构、医师、目录和码表' },
  inspector: { name: '稽核员', summary: '基金稽核：查询全部业务数据和操作日志' },
  admin: { name: '管理员', summary: '系统管理：管理本区划用户，查询全部业务数据和操作日志' },
  institution: { name: '机构用户', summary: '定点医药机构：只能查看本机构、本机构医师、目录和码表' },
} as const;

export type RoleCode = keyof typeof ROLES;
export const ROLE_CODES = Object.keys(ROLES) as RoleCode[];

export const PERMISSIONS = {
  'person:read': '查询参保人员',
  'institution:read': '查询定点医药机构',
  'practitioner:read': '查询医保医师',
  'catalogue:read': '查询医保目录',
  'dict:read': '查询码表和区划',
  'oplog:read': '查询操作日志',
  'user:read': '查看用户',
  'user:write': '管理用户',
} as const;

export type Permission = keyof typeof PERMISSIONS;

const REFERENCE: Permission[] = ['institution:read', 'practitioner:read', 'catalogue:read', 'dict:read'];

/** The permission table. */
export const ROLE_PERMISSIONS: Record<RoleCode, readonly Permission[]> = {
  handler: ['person:read', ...REFERENCE],
  auditor: ['person:read', ...REFERENCE],
  inspector: ['person:read', ...REFERENCE, 'oplog:read'],
  admin: ['person:read', ...REFERENCE, 'oplog:read', 'user:read', 'user:write'],
  institution: [...REFERENCE],
};

export function isRoleCode(v: string): v is RoleCode {
  return Object.hasOwn(ROLES, v);
}

/** Accepts the code ('auditor') or the Chinese name ('审核员'); undefined when neither. */
export function parseRole(v: string): RoleCode | undefined {
  if (isRoleCode(v)) return v;
  return ROLE_CODES.find((c) => ROLES[c].name === v);
}

export function roleName(role: RoleCode): string {
  return ROLES[role].name;
}

export function can(role: RoleCode, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
