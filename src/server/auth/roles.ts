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
  'settlement:read': '查询结算',
  'dashboard:read': '查看运行监测',
  'job:read': '查看后台任务',
  'audit:read': '查询智能审核（规则库、知识库、疑点、指标、评估日志）',
  'audit:rule:write': '维护规则库和审核时限',
  'audit:case:read': '查看疑点审核案件',
  'audit:review': '疑点立案、初审、复审',
  'audit:investigate': '疑点立案、调查核实、违规处理',
  'audit:appeal': '机构申诉（本机构案件）',
  'payment:read': '查询DRG/DIP付费（权重、点值、年度清算）',
  'payment:write': '维护付费参数、发起年度付费计算',
} as const;

export type Permission = keyof typeof PERMISSIONS;

const REFERENCE: Permission[] = ['institution:read', 'practitioner:read', 'catalogue:read', 'dict:read'];
/** Settlement queries and the 运行监测 dashboard (an institution user: its own institution only). */
const OPERATIONS: Permission[] = ['settlement:read', 'dashboard:read'];

/** Smart-audit review (docs/audit-workflow.md): 审核员 reviews, 稽核员 investigates and decides, 管理员 edits rules. */
const AUDIT_STAFF: Permission[] = ['audit:read', 'audit:case:read'];

/** The permission table. */
export const ROLE_PERMISSIONS: Record<RoleCode, readonly Permission[]> = {
  handler: ['person:read', ...REFERENCE, ...OPERATIONS, 'job:read', 'payment:read', 'payment:write'],
  auditor: ['person:read', ...REFERENCE, ...OPERATIONS, 'job:read', ...AUDIT_STAFF, 'audit:review', 'payment:read'],
  inspector: ['person:read', ...REFERENCE, 'oplog:read', ...OPERATIONS, 'job:read', ...AUDIT_STAFF, 'audit:investigate'],
  admin: ['person:read', ...REFERENCE, 'oplog:read', 'user:read', 'user:write', ...OPERATIONS, 'job:read', ...AUDIT_STAFF, 'audit:rule:write', 'payment:read', 'payment:write'],
  institution: [...REFERENCE, ...OPERATIONS, 'audit:case:read', 'audit:appeal'],
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
