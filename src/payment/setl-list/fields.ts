/**
 * The field set of the settlement list (医疗保障基金结算清单) as transaction 4101 carries it
 * (../shared/reference/national-interface.md §3.14, spec tables 154–160; drg-dip.md §3.2): name, C(n) length and
 * Chinese label of every field of every node. One table serves the input schema (schema.ts), the quality-control
 * messages (../qc) and the documentation. Every value is read as text (numbers arrive as JSON numbers or strings);
 * content — mandatory fields, formats, ranges, dictionaries — is checked by quality control, which names a rule
 * for each failure, so the schema itself only checks shape and lengths.
 */

export interface FieldDef {
  name: string;
  /** Longest accepted text (C(n); numbers N(16,2) → 20, DT → 30). */
  len: number;
  label: string;
}

const f = (name: string, len: number, label: string): FieldDef => ({ name, len, label });
const AMT = 20;
const DT = 30;

export const SETLINFO_FIELDS: readonly FieldDef[] = [
  f('mdtrt_id', 30, '就诊ID'),
  f('setl_id', 30, '结算ID'),
  f('fixmedins_name', 200, '定点医药机构名称'),
  f('fixmedins_code', 30, '定点医药机构编号'),
  f('hi_setl_lv', 3, '医保结算等级'),
  f('hi_no', 30, '医保编号'),
  f('medcasno', 40, '病案号'),
  f('dcla_time', DT, '申报时间'),
  f('psn_name', 50, '人员姓名'),
  f('gend', 6, '性别'),
  f('brdy', DT, '出生日期'),
  f('age', 10, '年龄'),
  f('ntly', 6, '国籍'),
  f('nwb_age', 10, '年龄不足1周岁的天数'),
  f('naty', 3, '民族'),
  f('patn_cert_type', 3, '患者证件类别'),
  f('certno', 50, '证件号码'),
  f('prfs', 6, '职业'),
  f('curr_addr', 200, '现住址'),
  f('emp_name', 200, '单位名称'),
  f('emp_addr', 200, '单位地址'),
  f('emp_tel', 50, '单位电话'),
  f('poscode', 10, '邮编'),
  f('coner_name', 50, '联系人姓名'),
  f('patn_rlts', 6, '与患者关系'),
  f('coner_addr', 200, '联系人地址'),
  f('coner_tel', 50, '联系人电话'),
  f('hi_type', 6, '医保类型'),
  f('insuplc', 6, '参保地'),
  f('sp_psn_type', 6, '特殊人员类型'),
  f('nwb_adm_type', 3, '新生儿入院类型'),
  f('nwb_bir_wt', 100, '新生儿出生体重'),
  f('nwb_adm_wt', AMT, '新生儿入院体重'),
  f('opsp_diag_caty', 50, '门诊慢特病诊断科别'),
  f('opsp_mdtrt_date', DT, '门诊慢特病就诊日期'),
  f('ipt_med_type', 3, '住院医疗类型'),
  f('adm_way', 3, '入院途径'),
  f('trt_type', 3, '治疗类别'),
  f('adm_time', DT, '入院时间'),
  f('adm_caty', 6, '入院科别'),
  f('refldept_dept', 100, '转科科别'),
  f('dscg_time', DT, '出院时间'),
  f('dscg_caty', 6, '出院科别'),
  f('act_ipt_days', 10, '实际住院天数'),
  f('otp_wm_dise', 200, '门（急）诊西医诊断'),
  f('wm_dise_code', 20, '西医诊断疾病代码'),
  f('otp_tcm_dise', 200, '门（急）诊中医诊断'),
  f('tcm_dise_code', 20, '中医诊断代码'),
  f('diag_code_cnt', 10, '诊断代码计数'),
  f('maindiag_flag', 3, '主诊断标志'),
  f('oprn_oprt_code_cnt', 10, '手术操作代码计数'),
  f('vent_used_dura', 20, '呼吸机使用时长'),
  f('pwcry_bfadm_coma_dura', 20, '颅脑损伤患者入院前昏迷时长'),
  f('pwcry_afadm_coma_dura', 20, '颅脑损伤患者入院后昏迷时长'),
  f('bld_cat', 3, '输血品种'),
  f('bld_amt', AMT, '输血量'),
  f('bld_unt', 3, '输血计量单位'),
  f('spga_nurscare_days', 10, '特级护理天数'),
  f('lv1_nurscare_days', 10, '一级护理天数'),
  f('scd_nurscare_days', 10, '二级护理天数'),
  f('lv3_nurscare_days', 10, '三级护理天数'),
  f('dscg_way', 3, '离院方式'),
  f('acp_medins_name', 100, '拟接收机构名称'),
  f('acp_optins_code', 30, '拟接收机构代码'),
  f('bill_code', 50, '票据代码'),
  f('bill_no', 30, '票据号码'),
  f('biz_sn', 50, '业务流水号'),
  f('days_rinp_flag_31', 3, '出院31天内再住院计划标志'),
  f('days_rinp_pup_31', 200, '出院31天内再住院目的'),
  f('chfpdr_name', 50, '主诊医师姓名'),
  f('chfpdr_code', 30, '主诊医师代码'),
  f('setl_begn_date', DT, '结算开始日期'),
  f('setl_end_date', DT, '结算结束日期'),
  f('psn_selfpay', AMT, '个人自付'),
  f('psn_ownpay', AMT, '个人自费'),
  f('acct_pay', AMT, '个人账户支出'),
  f('psn_cashpay', AMT, '个人现金支付'),
  f('hi_paymtd', 3, '医保支付方式'),
  f('hsorg', 100, '医保机构'),
  f('hsorg_opter', 50, '医保机构经办人'),
  f('medins_fill_dept', 100, '医疗机构填报部门'),
  f('medins_fill_psn', 50, '医疗机构填报人'),
];

export const PAYINFO_FIELDS: readonly FieldDef[] = [f('fund_pay_type', 6, '基金支付类型'), f('fund_payamt', AMT, '基金支付金额')];

export const OPSPDISEINFO_FIELDS: readonly FieldDef[] = [
  f('diag_name', 100, '门诊慢特病诊断名称'),
  f('diag_code', 20, '门诊慢特病诊断代码'),
  f('oprn_oprt_name', 500, '门诊慢特病手术操作名称'),
  f('oprn_oprt_code', 30, '门诊慢特病手术操作代码'),
];

export const DISEINFO_FIELDS: readonly FieldDef[] = [
  f('diag_type', 3, '诊断类别'),
  f('diag_code', 30, '诊断代码'),
  f('diag_name', 100, '诊断名称'),
  f('adm_cond_type', 3, '入院病情类型'),
  f('maindiag_flag', 3, '主诊断标志'),
];

export const ITEMINFO_FIELDS: readonly FieldDef[] = [
  f('med_chrgitm', 6, '医疗收费项目类别'),
  f('amt', AMT, '金额'),
  f('claa_sumfee', AMT, '甲类费用合计'),
  f('clab_amt', AMT, '乙类金额'),
  f('fulamt_ownpay_amt', AMT, '全自费金额'),
  f('oth_amt', AMT, '其他金额'),
];

export const OPRNINFO_FIELDS: readonly FieldDef[] = [
  f('oprn_oprt_type', 3, '手术操作类别'),
  f('oprn_oprt_name', 500, '手术操作名称'),
  f('oprn_oprt_code', 30, '手术操作代码'),
  f('oprn_oprt_date', DT, '手术操作日期'),
  f('main_oprn_flag', 3, '主手术操作标志'),
  f('anst_way', 6, '麻醉方式'),
  f('oper_dr_name', 50, '术者医师姓名'),
  f('oper_dr_code', 30, '术者医师代码'),
  f('anst_dr_name', 50, '麻醉医师姓名'),
  f('anst_dr_code', 30, '麻醉医师代码'),
  f('oprn_oprt_begntime', DT, '手术操作开始时间'),
  f('oprn_oprt_endtime', DT, '手术操作结束时间'),
  f('anst_begntime', DT, '麻醉开始时间'),
  f('anst_endtime', DT, '麻醉结束时间'),
];

export const ICUINFO_FIELDS: readonly FieldDef[] = [
  f('scs_cutd_ward_type', 6, '重症监护病房类型'),
  f('scs_cutd_inpool_time', DT, '重症监护进入时间'),
  f('scs_cutd_exit_time', DT, '重症监护退出时间'),
  f('scs_cutd_sum_dura', 20, '重症监护合计时长'),
];

/** 输血信息 (later spec versions; the reference did not capture the node's fields: these mirror setlinfo's bld_*). */
export const BLDINFO_FIELDS: readonly FieldDef[] = [f('bld_cat', 3, '输血品种'), f('bld_amt', AMT, '输血量'), f('bld_unt', 3, '输血计量单位')];

/** The list nodes in message order; setlinfo is an object, the others arrays. */
export const LIST_NODES = {
  setlinfo: SETLINFO_FIELDS,
  payinfo: PAYINFO_FIELDS,
  opspdiseinfo: OPSPDISEINFO_FIELDS,
  diseinfo: DISEINFO_FIELDS,
  iteminfo: ITEMINFO_FIELDS,
  oprninfo: OPRNINFO_FIELDS,
  icuinfo: ICUINFO_FIELDS,
  bldinfo: BLDINFO_FIELDS,
} as const;

export type ListNode = keyof typeof LIST_NODES;
export type RowNode = Exclude<ListNode, 'setlinfo'>;
export const ROW_NODES: readonly RowNode[] = ['payinfo', 'opspdiseinfo', 'diseinfo', 'iteminfo', 'oprninfo', 'icuinfo', 'bldinfo'];

const LABELS = new Map<string, string>();
for (const [node, fields] of Object.entries(LIST_NODES)) for (const d of fields) LABELS.set(`${node}.${d.name}`, d.label);

/** The Chinese label of 'node.field' ('setlinfo.gend' → 性别), or the field name. */
export function fieldLabel(path: string): string {
  return LABELS.get(path) ?? path.replace(/^.*\./, '');
}

/** One row of a node as read: field → trimmed text (absent fields are missing; empty strings were dropped). */
export type ListRow = Partial<Record<string, string>>;

/** A settlement list as read from 4101/4101A (or built in code): setlinfo plus the row nodes. */
export interface SetlListInput {
  setlinfo: ListRow;
  payinfo?: ListRow[];
  opspdiseinfo?: ListRow[];
  diseinfo?: ListRow[];
  iteminfo?: ListRow[];
  oprninfo?: ListRow[];
  icuinfo?: ListRow[];
  bldinfo?: ListRow[];
}
