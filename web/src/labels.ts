/**
 * Chinese names of codes that are not national code tables served by /api/dict (those come from useDict), and
 * small formatting helpers. The values mirror the domain constants in src/standards and src/enrollment.
 */

export const PRAC_TYPES: Record<string, string> = { '1': '医师', '2': '药师', '3': '护士', '4': '技师' };
export const QUAL_STAS: Record<string, string> = { '1': '正常', '2': '暂停', '3': '终止' };
export const AGMT_STAS: Record<string, string> = { '1': '正常', '2': '暂停', '3': '终止' };
export const MEDINS_NATU: Record<string, string> = { '1': '公立', '2': '非公立' };
export const SCENES: Record<string, string> = { '1': '门诊', '2': '住院', '3': '药店' };
export const IDET_TYPES: Record<string, string> = { '2201': '特困供养人员', '2202': '最低生活保障对象', '2203': '返贫致贫人口', '2204': '低保边缘家庭成员' };
export const USER_STATUS: Record<string, string> = { active: '正常', disabled: '停用' };

/** Status colours of antd Tag for 正常 / 暂停 / 终止. */
export const STAS_COLOR: Record<string, string> = { '1': 'success', '2': 'warning', '3': 'default' };

export const ROLE_COLOR: Record<string, string> = { admin: 'red', inspector: 'purple', auditor: 'blue', handler: 'cyan', institution: 'gold' };

/** Operation-log actions (prefixes match a whole family: 'user.' finds every user change). */
export const ACTIONS: Record<string, string> = {
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'user.create': '新增用户',
  'user.update': '修改用户',
  'user.reset_password': '重置密码',
  'user.change_password': '修改本人密码',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'psn.enroll': '参保登记',
  'psn.enroll_bulk': '批量参保登记',
  'psn.death': '死亡登记',
  'psn.family_bulk': '批量家庭共济',
  'psn_family.bind': '家庭共济绑定',
  'psn_family.unbind': '家庭共济解绑',
  'psn_acct.transfer': '个人账户划转',
  'fixmedins.import': '导入定点机构',
  'fixmedins.agreement': '定点协议变更',
  'practitioner.import': '导入医保医师',
  'practitioner.qualification': '医师资格变更',
  'catalogue.import': '导入医保目录',
  'admdvs.import': '导入医保区划',
  'standards.load': '加载国家标准',
  'demo.load': '加载演示数据',
  'policy.insert': '新增待遇政策',
  'setl.settle': '结算',
  'setl.reverse': '结算撤销',
  'mdtrt.visit_info': '就诊信息上传',
  'mdtrt.admit_change': '入院信息变更',
  'mdtrt.discharge': '出院办理',
  'mdtrt.discharge_cancel': '出院撤销',
  'feedetl.cancel': '费用明细撤销',
  'gateway.credential.status': '接口凭证启停',
  'gateway.credential.options': '接口凭证设置',
};

export const ACTION_FAMILIES: { value: string; label: string }[] = [
  { value: 'auth.', label: '登录与退出' },
  { value: 'user.', label: '用户管理' },
  { value: 'psn', label: '参保人员' },
  { value: 'fixmedins.', label: '定点机构' },
  { value: 'practitioner.', label: '医保医师' },
  { value: 'catalogue.', label: '医保目录' },
  { value: 'setl.', label: '结算' },
  { value: 'mdtrt.', label: '就诊' },
  { value: 'gateway.', label: '接口凭证' },
];

export const TARGET_TYPES: Record<string, string> = {
  staff_user: '用户',
  psn: '参保人员',
  psn_insu: '参保关系',
  psn_acct: '个人账户',
  psn_family: '家庭共济',
  fixmedins: '定点机构',
  fixmedins_agreement: '定点协议',
  practitioner: '医保医师',
  practitioner_qualification: '医师资格',
  hilist: '医保目录',
  admdvs: '医保区划',
  mdtrt: '就诊',
  setl: '结算',
  setl_policy: '待遇政策',
  gateway_credential: '接口凭证',
};

export function actionName(action: string): string {
  return ACTIONS[action] ?? action;
}

/** 1500 (parts per 10,000) → "15%"; ratios as '0.1500' strings too. */
export function percent(v: number | string | null | undefined, from: 'bp' | 'ratio' = 'bp'): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'string' ? Number(v) : v;
  const pct = from === 'bp' ? n / 100 : n * 100;
  return `${Number(pct.toFixed(2))}%`;
}

/** A decimal yuan string or number → "¥1,234.50". */
export function yuan(v: number | string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'string' ? Number(v) : v;
  return `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function dateRange(begndate: string, enddate: string | null): string {
  return `${begndate} 至 ${enddate ?? '长期'}`;
}

/** 18-digit ID → 9901**********2633 (the console never needs the middle digits on screen by default). */
export function maskCertno(certno: string): string {
  if (certno.length <= 8) return certno;
  return certno.slice(0, 4) + '*'.repeat(certno.length - 8) + certno.slice(-4);
}

const BEIJING = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** An instant as Beijing time, 'YYYY-MM-DD HH:mm'. */
export function formatInstant(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return BEIJING.format(d);
}

export const SETL_INFNO: Record<string, string> = { '2207': '门诊结算', '2208': '门诊结算撤销', '2304': '住院结算', '2305': '住院结算撤销' };
export const IPT_OTP: Record<string, string> = { '1': '门诊', '2': '住院' };
export const SUSPECT_STAS: Record<string, string> = { '0': '待处理', '1': '审核中', '2': '已确认违规', '3': '已排除' };
export const JOB_KINDS: Record<string, string> = { 'audit-batch': '事后批量审核', snapshot: '数据快照', 'pay-drg': 'DRG 年度结算', 'pay-dip': 'DIP 年度结算', generate: '数据生成' };
export const JOB_STATUS: Record<string, { label: string; color: string }> = {
  queued: { label: '排队中', color: 'default' },
  running: { label: '运行中', color: 'processing' },
  done: { label: '已完成', color: 'success' },
  failed: { label: '失败', color: 'error' },
  interrupted: { label: '已中断', color: 'warning' },
};

/** A yuan decimal string → 万元 as a number for charts (display only; money itself stays a string). */
export function toWan(v: string | number): number {
  return Number((Number(v) / 10_000).toFixed(4));
}

/** A yuan decimal string → "12.35 万元" for large figures, "¥1,234.50" below ten thousand. */
export function yuanOrWan(v: string | number): string {
  const n = Number(v);
  if (Math.abs(n) >= 10_000) return `${(n / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 万元`;
  return yuan(v);
}
