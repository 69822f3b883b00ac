/**
 * The quality-control rules of the settlement list (结算清单质控), as DATA: one row per rule with its id, the field it
 * checks, its kind (what the engine does), parameters, level (blocking refuses the upload; warning is reported and
 * the list accepted) and the Chinese message. A region changes levels, values or messages by passing its own list
 * to runQc; nothing here is in code.
 *
 * Rule ids are `<code>-<field>` (or `<code>` when the code has one rule). Codes 2005–2140 are the field-level rule
 * codes of the public rule table cited in ../shared/reference/drg-dip.md §3.3 (hugozhang/easy-widget 规则.sql):
 *   2005 必填项为空 · 2006 值不在码表中 · 2129 非数值 · 2130 邮编不是6位 · 2132 新生儿体重超出范围 · 2133 手术操作编码
 *   不在医保版字典 · 2134 麻醉时间不在住院期间 · 2135 时长格式 · 2136 重症监护时间不在住院期间 · 2137 结算期间不在住院期间 ·
 *   2138 门诊诊断编码无效 · 2139 无主要诊断 · 2140 多个体重值须以逗号分隔.
 * Codes 3xxx are yibao's own, from the coding rules of §3.3: 3001 日期格式 · 3002 日期先后 · 3003 住院天数 · 3004 年龄 ·
 * 3005 新生儿日龄 · 3006 数值范围 · 3010/3011 诊断编码与名称（医保版 2.0，出院日期有效）· 3013 手术名称 · 3020–3025 主要诊断选择 ·
 * 3026 多个主要诊断 · 3027 放化疗住院的主要诊断 · 3030/3031 性别与诊断 · 3032/3033 年龄与诊断 · 3034/3035 主要手术 · 3036 计数 · 3040 重复诊断 ·
 * 3041 手术日期 · 3050–3054 结算与机构 · 3060 金额平衡.
 *
 * Values of dictionaries the reference does not list (adm_way, trt_type, hi_paymtd, nwb_adm_type, bld_cat, bld_unt,
 * scs_cutd_ward_type, ipt_med_type …) are those of the 病案首页/结算清单填写规范 as commonly published; they are
 * warnings until confirmed against the NHSA document, and a region may replace them.
 */
import { DICT_TABLES } from '../../standards/dict-data.js';

export type QcLevel = 'blocking' | 'warning';

export type QcKind =
  /** field must be filled (params.when: only for newborns/infants/…) */
  | 'required'
  /** the node must have at least one row */
  | 'nonEmptyNode'
  /** value in params.values (or the shipped dictionary params.dict) */
  | 'dict'
  /** value is a number (params.decimals: at most that many decimals; params.multi: comma-separated numbers) */
  | 'numeric'
  /** numeric value in [params.min, params.max] (params.multi: each comma-separated value) */
  | 'range'
  /** value matches params.re */
  | 'pattern'
  /** D (yyyy-MM-dd) or, with params.time, DT (yyyy-MM-dd HH:mm:ss, a date alone accepted) */
  | 'dateFormat'
  /** params.before ≤ params.after (both setlinfo paths) */
  | 'dateOrder'
  /** the row's params.pair times lie in [adm_time, dscg_time] (date precision when params.dateOnly) and in order */
  | 'withinStay'
  /** a duration written 天/小时/分钟: "d/h/m" with hours 0–24 and minutes 0–60 */
  | 'duration'
  /** act_ipt_days agrees with the admission and discharge dates */
  | 'iptDays'
  /** age agrees with the birth date on the admission date */
  | 'ageConsistency'
  /** nwb_age filled although the patient is one year or older */
  | 'newbornAge'
  /** the count field params.count equals the rows of the rule's node */
  | 'countMatch'
  /** how many western diagnoses carry maindiag_flag = 1: at least params.min / at most params.max */
  | 'principalCount'
  /** the code exists in 医保版 (diagnosis / procedure, params.dictKind) on the discharge date */
  | 'codeValid'
  /** the name equals the dictionary's name of the code */
  | 'codeName'
  /** the principal diagnosis is not in params.ranges, nor of params.shape (asterisk / morphology) */
  | 'principalNotIn'
  /** a symptom/sign (R code) is principal although a definite diagnosis is among the others */
  | 'principalSymptom'
  /** the principal diagnosis's 入院病情 is not one of params.values */
  | 'principalAdmCond'
  /** a principal in params.ranges with a procedure starting with one of params.procPrefixes: the principal should be params.expect */
  | 'principalTherapy'
  /** no diagnosis in params.ranges for a patient of sex params.sex */
  | 'sexCode'
  /** a diagnosis in params.ranges only for ages (days) in [params.minAgeDays, params.maxAgeDays] */
  | 'ageCode'
  /** at most one main procedure */
  | 'mainOprnCount'
  /** procedures present but none marked main */
  | 'mainOprnMissing'
  /** the same diagnosis code twice */
  | 'duplicateCode'
  /** the settlement behind setl_id: params.check exists / valid / institution / mdtrt */
  | 'settlement'
  /** setlinfo.fixmedins_code is the calling institution */
  | 'institution'
  /** Σ iteminfo.amt = Σ payinfo.fund_payamt (without the account fund) + acct_pay + psn_cashpay */
  | 'moneyBalance';

export type QcWhen = 'newborn' | 'infant' | 'hasAnst';

export interface QcParams {
  when?: QcWhen;
  values?: readonly string[];
  /** a table of src/standards/dict-data.ts supplying the values */
  dict?: string;
  min?: number;
  max?: number;
  decimals?: number;
  multi?: boolean;
  re?: string;
  time?: boolean;
  before?: string;
  after?: string;
  pair?: readonly [string, string];
  dateOnly?: boolean;
  count?: string;
  dictKind?: 'diagnosis' | 'procedure';
  ranges?: readonly string[];
  shape?: 'asterisk' | 'morphology';
  sex?: '1' | '2';
  minAgeDays?: number;
  maxAgeDays?: number;
  principalOnly?: boolean;
  check?: 'exists' | 'valid' | 'institution' | 'mdtrt';
  procPrefixes?: readonly string[];
  expect?: string;
}

export interface QcRule {
  rule_id: string;
  /** the rule code (2005 …, 3xxx) */
  code: string;
  /** 'setlinfo.gend', 'diseinfo.diag_code', or a node name for node rules */
  field: string;
  kind: QcKind;
  params?: QcParams;
  level: QcLevel;
  /** Chinese; {label} {value} {values} {min} {max} {detail} are filled in */
  message: string;
}

const B: QcLevel = 'blocking';
const W: QcLevel = 'warning';

const id = (code: string, field: string) => `${code}-${field.replace(/^setlinfo\./, '')}`;

function required(fields: readonly string[], level: QcLevel, when?: QcWhen, whenText = ''): QcRule[] {
  return fields.map((field) => ({ rule_id: id('2005', field), code: '2005', field, kind: 'required', ...(when ? { params: { when } } : {}), level, message: `${whenText}{label}不能为空` }));
}
function numeric(fields: readonly string[], decimals?: number): QcRule[] {
  return fields.map((field) => ({
    rule_id: id('2129', field),
    code: '2129',
    field,
    kind: 'numeric',
    ...(decimals !== undefined ? { params: { decimals } } : {}),
    level: B,
    message: decimals === 2 ? '{label}“{value}”不是有效金额（最多两位小数）' : '{label}“{value}”不是有效数值',
  }));
}
function dates(fields: readonly string[], time: boolean, level: QcLevel = B): QcRule[] {
  return fields.map((field) => ({ rule_id: id('3001', field), code: '3001', field, kind: 'dateFormat', ...(time ? { params: { time } } : {}), level, message: time ? '{label}“{value}”格式错误，应为 yyyy-MM-dd HH:mm:ss' : '{label}“{value}”格式错误，应为 yyyy-MM-dd' }));
}
const dict = (field: string, level: QcLevel, p: { dict?: string; values?: readonly string[] }): QcRule => ({
  rule_id: id('2006', field),
  code: '2006',
  field,
  kind: 'dict',
  params: p,
  level,
  message: '{label}“{value}”不在码表中（应为 {values}）',
});

const dictValues = (t: string): string[] => (DICT_TABLES[t]?.items ?? []).map(([v]) => v);

/** Female-only and male-only diagnosis ranges (ICD-10 sex-specific chapters/blocks). */
export const FEMALE_ONLY = ['O00-O99', 'C51-C58', 'D06', 'D25-D28', 'N70-N98', 'Z32-Z37'] as const;
export const MALE_ONLY = ['C60-C63', 'D29', 'D40', 'N40-N51'] as const;
/** CHS-DRG 2.0 "不作为入组条件的主要诊断" categories other than the external causes (drg-dip.md §1.1). */
export const NOT_PRINCIPAL_2_0 = ['B95-B98', 'I25.2', 'P00-P04', 'R65', 'U82-U85'] as const;

const MONEY_SETLINFO = ['setlinfo.psn_selfpay', 'setlinfo.psn_ownpay', 'setlinfo.acct_pay', 'setlinfo.psn_cashpay'];

export const QC_RULES: readonly QcRule[] = [
  // ---------- 2005 mandatory fields ----------
  ...required(
    [
      'setlinfo.mdtrt_id', 'setlinfo.setl_id', 'setlinfo.fixmedins_name', 'setlinfo.fixmedins_code', 'setlinfo.medcasno', 'setlinfo.psn_name',
      'setlinfo.gend', 'setlinfo.brdy', 'setlinfo.ntly', 'setlinfo.naty', 'setlinfo.patn_cert_type', 'setlinfo.certno', 'setlinfo.prfs',
      'setlinfo.coner_name', 'setlinfo.patn_rlts', 'setlinfo.coner_addr', 'setlinfo.coner_tel', 'setlinfo.hi_type', 'setlinfo.insuplc',
      'setlinfo.ipt_med_type', 'setlinfo.adm_time', 'setlinfo.adm_caty', 'setlinfo.dscg_time', 'setlinfo.dscg_caty', 'setlinfo.dscg_way',
      'setlinfo.chfpdr_code', 'setlinfo.bill_code', 'setlinfo.bill_no', 'setlinfo.biz_sn', 'setlinfo.setl_begn_date', 'setlinfo.setl_end_date',
      ...MONEY_SETLINFO, 'setlinfo.hi_paymtd', 'setlinfo.medins_fill_dept', 'setlinfo.medins_fill_psn',
    ],
    B,
  ),
  ...required(['setlinfo.hsorg', 'setlinfo.hsorg_opter'], W),
  ...required(['setlinfo.nwb_bir_wt', 'setlinfo.nwb_adm_wt'], B, 'newborn', '新生儿（日龄≤28天）'),
  ...required(['setlinfo.nwb_age'], B, 'infant', '不足1周岁的患者'),
  ...required(['payinfo.fund_pay_type', 'payinfo.fund_payamt'], B),
  ...required(['opspdiseinfo.diag_code', 'opspdiseinfo.diag_name'], B),
  ...required(['diseinfo.diag_type', 'diseinfo.diag_code', 'diseinfo.diag_name', 'diseinfo.adm_cond_type'], B),
  ...required(['iteminfo.med_chrgitm', 'iteminfo.amt', 'iteminfo.claa_sumfee', 'iteminfo.clab_amt', 'iteminfo.fulamt_ownpay_amt', 'iteminfo.oth_amt'], B),
  ...required(['oprninfo.oprn_oprt_type', 'oprninfo.oprn_oprt_name', 'oprninfo.oprn_oprt_code', 'oprninfo.oprn_oprt_date', 'oprninfo.oper_dr_name', 'oprninfo.oper_dr_code'], B),
  ...required(['oprninfo.anst_dr_code'], W, 'hasAnst', '有麻醉方式时'),
  ...required(['icuinfo.scs_cutd_ward_type', 'icuinfo.scs_cutd_inpool_time', 'icuinfo.scs_cutd_exit_time', 'icuinfo.scs_cutd_sum_dura'], B),
  { rule_id: '2005-diseinfo', code: '2005', field: 'diseinfo', kind: 'nonEmptyNode', level: B, message: '住院诊断信息（diseinfo）不能为空' },
  { rule_id: '2005-iteminfo', code: '2005', field: 'iteminfo', kind: 'nonEmptyNode', level: B, message: '收费项目信息（iteminfo）不能为空' },

  // ---------- 2006 code domains ----------
  dict('setlinfo.gend', B, { dict: 'gend' }),
  dict('setlinfo.naty', B, { dict: 'naty' }),
  dict('setlinfo.dscg_way', B, { dict: 'dscg_way' }),
  dict('setlinfo.patn_cert_type', W, { dict: 'psn_cert_type' }),
  dict('setlinfo.hi_type', W, { values: [...dictValues('insutype'), '1', '2', '3', '4', '5', '6', '7', '8', '9'] }),
  dict('setlinfo.ipt_med_type', W, { values: ['1', '2'] }),
  dict('setlinfo.adm_way', W, { values: ['1', '2', '3', '9'] }),
  dict('setlinfo.trt_type', W, { values: ['1', '2', '2.1', '2.2', '3'] }),
  dict('setlinfo.hi_paymtd', W, { values: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] }),
  dict('setlinfo.nwb_adm_type', W, { values: ['1', '2', '3', '4', '9'] }),
  dict('setlinfo.bld_cat', W, { values: ['1', '2', '3', '4', '5', '6', '9'] }),
  dict('setlinfo.bld_unt', W, { values: ['1', '2', '3', '4', '9'] }),
  dict('setlinfo.days_rinp_flag_31', W, { values: ['0', '1', '2'] }),
  { rule_id: '2006-ntly', code: '2006', field: 'setlinfo.ntly', kind: 'pattern', params: { re: '^([A-Z]{3}|\\d{3})$' }, level: W, message: '国籍“{value}”应为 GB/T 2659 三位字母或数字代码（如 CHN、156）' },
  { rule_id: '2006-patn_rlts', code: '2006', field: 'setlinfo.patn_rlts', kind: 'pattern', params: { re: '^\\d{1,2}$' }, level: W, message: '与患者关系“{value}”应为 GB/T 4761 家庭关系代码（1–2 位数字）' },
  dict('payinfo.fund_pay_type', W, { dict: 'fund_pay_type' }),
  { rule_id: '2006-payinfo.fund_pay_type.format', code: '2006', field: 'payinfo.fund_pay_type', kind: 'pattern', params: { re: '^\\d{6}$' }, level: B, message: '基金支付类型“{value}”应为 6 位数字代码' },
  dict('diseinfo.diag_type', B, { dict: 'diag_type' }),
  dict('diseinfo.adm_cond_type', B, { values: ['1', '2', '3', '4'] }),
  dict('diseinfo.maindiag_flag', B, { dict: 'flag' }),
  dict('iteminfo.med_chrgitm', B, { dict: 'med_chrgitm_type' }),
  dict('oprninfo.oprn_oprt_type', W, { values: ['1', '2'] }),
  dict('oprninfo.main_oprn_flag', B, { dict: 'flag' }),
  { rule_id: '2006-oprninfo.anst_way', code: '2006', field: 'oprninfo.anst_way', kind: 'pattern', params: { re: '^\\d{1,4}$' }, level: W, message: '麻醉方式“{value}”应为麻醉方法代码（1–4 位数字）' },
  dict('icuinfo.scs_cutd_ward_type', W, { values: ['1', '2', '3', '4', '5', '6', '7', '9'] }),

  // ---------- 2129 numbers, 2130 postcode, 2132 / 2140 newborn weights ----------
  ...numeric(['setlinfo.age', 'setlinfo.nwb_age', 'setlinfo.nwb_adm_wt', 'setlinfo.act_ipt_days', 'setlinfo.diag_code_cnt', 'setlinfo.oprn_oprt_code_cnt', 'setlinfo.bld_amt', 'setlinfo.spga_nurscare_days', 'setlinfo.lv1_nurscare_days', 'setlinfo.scd_nurscare_days', 'setlinfo.lv3_nurscare_days']),
  ...numeric([...MONEY_SETLINFO, 'payinfo.fund_payamt', 'iteminfo.amt', 'iteminfo.claa_sumfee', 'iteminfo.clab_amt', 'iteminfo.fulamt_ownpay_amt', 'iteminfo.oth_amt'], 2),
  { rule_id: '2130-poscode', code: '2130', field: 'setlinfo.poscode', kind: 'pattern', params: { re: '^\\d{6}$' }, level: W, message: '邮编“{value}”应为 6 位数字' },
  { rule_id: '2140-nwb_bir_wt', code: '2140', field: 'setlinfo.nwb_bir_wt', kind: 'numeric', params: { multi: true }, level: B, message: '新生儿出生体重“{value}”应为数值，多胎的多个体重以英文逗号分隔' },
  { rule_id: '2132-nwb_bir_wt', code: '2132', field: 'setlinfo.nwb_bir_wt', kind: 'range', params: { min: 200, max: 20000, multi: true }, level: B, message: '新生儿出生体重 {value} 克超出 {min}–{max} 克' },
  { rule_id: '2132-nwb_adm_wt', code: '2132', field: 'setlinfo.nwb_adm_wt', kind: 'range', params: { min: 200, max: 20000 }, level: B, message: '新生儿入院体重 {value} 克超出 {min}–{max} 克' },

  // ---------- dates, times and durations ----------
  ...dates(['setlinfo.brdy', 'setlinfo.setl_begn_date', 'setlinfo.setl_end_date', 'setlinfo.opsp_mdtrt_date', 'oprninfo.oprn_oprt_date'], false),
  ...dates(['setlinfo.adm_time', 'setlinfo.dscg_time', 'setlinfo.dcla_time', 'icuinfo.scs_cutd_inpool_time', 'icuinfo.scs_cutd_exit_time', 'oprninfo.anst_begntime', 'oprninfo.anst_endtime', 'oprninfo.oprn_oprt_begntime', 'oprninfo.oprn_oprt_endtime'], true),
  { rule_id: '3002-adm_time', code: '3002', field: 'setlinfo.adm_time', kind: 'dateOrder', params: { before: 'setlinfo.adm_time', after: 'setlinfo.dscg_time' }, level: B, message: '入院时间 {value} 晚于出院时间 {detail}' },
  { rule_id: '3002-brdy', code: '3002', field: 'setlinfo.brdy', kind: 'dateOrder', params: { before: 'setlinfo.brdy', after: 'setlinfo.adm_time' }, level: B, message: '出生日期 {value} 晚于入院时间 {detail}' },
  { rule_id: '3002-setl_begn_date', code: '3002', field: 'setlinfo.setl_begn_date', kind: 'dateOrder', params: { before: 'setlinfo.setl_begn_date', after: 'setlinfo.setl_end_date' }, level: B, message: '结算开始日期 {value} 晚于结算结束日期 {detail}' },
  { rule_id: '2137-setl_begn_date', code: '2137', field: 'setlinfo.setl_begn_date', kind: 'dateOrder', params: { before: 'setlinfo.adm_time', after: 'setlinfo.setl_begn_date' }, level: B, message: '结算开始日期 {value} 早于入院日期 {detail}' },
  { rule_id: '2137-setl_end_date', code: '2137', field: 'setlinfo.setl_end_date', kind: 'dateOrder', params: { before: 'setlinfo.setl_end_date', after: 'setlinfo.dscg_time' }, level: B, message: '结算结束日期 {value} 晚于出院日期 {detail}' },
  { rule_id: '2136', code: '2136', field: 'icuinfo.scs_cutd_inpool_time', kind: 'withinStay', params: { pair: ['scs_cutd_inpool_time', 'scs_cutd_exit_time'] }, level: B, message: '重症监护{detail}' },
  { rule_id: '2134', code: '2134', field: 'oprninfo.anst_begntime', kind: 'withinStay', params: { pair: ['anst_begntime', 'anst_endtime'] }, level: B, message: '麻醉{detail}' },
  { rule_id: '3041', code: '3041', field: 'oprninfo.oprn_oprt_date', kind: 'withinStay', params: { pair: ['oprn_oprt_date', 'oprn_oprt_date'], dateOnly: true }, level: W, message: '手术操作{detail}' },
  { rule_id: '2135-pwcry_bfadm_coma_dura', code: '2135', field: 'setlinfo.pwcry_bfadm_coma_dura', kind: 'duration', level: B, message: '颅脑损伤患者入院前昏迷时长“{value}”格式错误，应为 天/小时/分钟（小时 0–24，分钟 0–60）' },
  { rule_id: '2135-pwcry_afadm_coma_dura', code: '2135', field: 'setlinfo.pwcry_afadm_coma_dura', kind: 'duration', level: B, message: '颅脑损伤患者入院后昏迷时长“{value}”格式错误，应为 天/小时/分钟（小时 0–24，分钟 0–60）' },
  { rule_id: '2135-vent_used_dura', code: '2135', field: 'setlinfo.vent_used_dura', kind: 'duration', level: B, message: '呼吸机使用时长“{value}”格式错误，应为 天/小时/分钟（小时 0–24，分钟 0–60）' },
  { rule_id: '3003', code: '3003', field: 'setlinfo.act_ipt_days', kind: 'iptDays', level: W, message: '实际住院天数 {value} 与入出院日期不符（应为 {detail} 天）' },

  // ---------- age and newborns ----------
  { rule_id: '3004', code: '3004', field: 'setlinfo.age', kind: 'ageConsistency', level: W, message: '年龄 {value} 与出生日期不符（按入院日期应为 {detail} 岁）' },
  { rule_id: '3006-age', code: '3006', field: 'setlinfo.age', kind: 'range', params: { min: 0, max: 150 }, level: B, message: '年龄 {value} 超出 {min}–{max} 岁' },
  { rule_id: '3006-act_ipt_days', code: '3006', field: 'setlinfo.act_ipt_days', kind: 'range', params: { min: 0, max: 3650 }, level: B, message: '实际住院天数 {value} 超出 {min}–{max} 天' },
  { rule_id: '3005-nwb_age', code: '3005', field: 'setlinfo.nwb_age', kind: 'range', params: { min: 0, max: 365 }, level: B, message: '年龄不足1周岁的天数 {value} 超出 {min}–{max} 天' },
  { rule_id: '3005-nwb_age.adult', code: '3005', field: 'setlinfo.nwb_age', kind: 'newbornAge', level: W, message: '患者已满1周岁（{detail}），不应填写年龄不足1周岁的天数 {value}' },

  // ---------- diagnoses ----------
  { rule_id: '2139', code: '2139', field: 'diseinfo.maindiag_flag', kind: 'principalCount', params: { min: 1 }, level: B, message: '没有主要诊断：住院诊断中没有主诊断标志为 1 的西医诊断' },
  { rule_id: '3026', code: '3026', field: 'diseinfo.maindiag_flag', kind: 'principalCount', params: { max: 1 }, level: B, message: '主要诊断只能有一个：{detail}' },
  { rule_id: '3010', code: '3010', field: 'diseinfo.diag_code', kind: 'codeValid', params: { dictKind: 'diagnosis' }, level: B, message: '诊断编码 {value} 在出院日期 {detail} 不是有效的医保版 2.0 疾病诊断编码' },
  { rule_id: '3011', code: '3011', field: 'diseinfo.diag_name', kind: 'codeName', params: { dictKind: 'diagnosis' }, level: B, message: '诊断名称“{value}”与编码不符（医保版名称为“{detail}”）' },
  { rule_id: '2138-wm_dise_code', code: '2138', field: 'setlinfo.wm_dise_code', kind: 'codeValid', params: { dictKind: 'diagnosis' }, level: W, message: '门（急）诊西医诊断编码 {value} 不是有效的医保版 2.0 疾病诊断编码' },
  { rule_id: '2138-opspdiseinfo.diag_code', code: '2138', field: 'opspdiseinfo.diag_code', kind: 'codeValid', params: { dictKind: 'diagnosis' }, level: B, message: '门诊慢特病诊断编码 {value} 不是有效的医保版 2.0 疾病诊断编码' },
  { rule_id: '3020', code: '3020', field: 'diseinfo.diag_code', kind: 'principalNotIn', params: { ranges: ['V01-Y98'] }, level: B, message: '外因编码 {value}（V01–Y98）不能作为主要诊断' },
  { rule_id: '3021', code: '3021', field: 'diseinfo.diag_code', kind: 'principalNotIn', params: { shape: 'morphology' }, level: B, message: '肿瘤形态学编码 {value} 不能作为主要诊断' },
  { rule_id: '3022', code: '3022', field: 'diseinfo.diag_code', kind: 'principalNotIn', params: { shape: 'asterisk' }, level: B, message: '星号编码 {value}（临床表现）不能作为主要诊断，应以剑号编码（病因）为主要诊断' },
  { rule_id: '3023', code: '3023', field: 'diseinfo.diag_code', kind: 'principalNotIn', params: { ranges: NOT_PRINCIPAL_2_0 }, level: B, message: '{value} 属于不作为入组条件的主要诊断（{detail}），不能作为主要诊断' },
  { rule_id: '3024', code: '3024', field: 'diseinfo.diag_code', kind: 'principalSymptom', level: W, message: '症状体征编码 {value} 作为主要诊断，而其他诊断中有明确诊断 {detail}' },
  { rule_id: '3025', code: '3025', field: 'diseinfo.adm_cond_type', kind: 'principalAdmCond', params: { values: ['1', '2', '3'] }, level: W, message: '主要诊断 {detail} 的入院病情为“4 无”（住院期间发生），一般不应作为主要诊断' },
  { rule_id: '3027', code: '3027', field: 'diseinfo.diag_code', kind: 'principalTherapy', params: { ranges: ['C00-D48'], procPrefixes: ['99.25', '92.2'], expect: 'Z51' }, level: W, message: '主要诊断为肿瘤 {value}，本次住院有放疗或化疗 {detail}；以放化疗为住院目的时主要诊断应为 Z51.x' },
  { rule_id: '3030', code: '3030', field: 'diseinfo.diag_code', kind: 'sexCode', params: { sex: '1', ranges: FEMALE_ONLY }, level: B, message: '男性患者不能有女性专用诊断 {value}（{detail}）' },
  { rule_id: '3031', code: '3031', field: 'diseinfo.diag_code', kind: 'sexCode', params: { sex: '2', ranges: MALE_ONLY }, level: B, message: '女性患者不能有男性专用诊断 {value}（{detail}）' },
  { rule_id: '3032', code: '3032', field: 'diseinfo.diag_code', kind: 'ageCode', params: { ranges: ['P00-P96'], maxAgeDays: 364, principalOnly: true }, level: B, message: '围生期诊断 {value} 不能作为已满1周岁患者（{detail}）的主要诊断' },
  { rule_id: '3033', code: '3033', field: 'diseinfo.diag_code', kind: 'ageCode', params: { ranges: ['P00-P96'], maxAgeDays: 28, principalOnly: true }, level: W, message: '围生期诊断 {value} 作为主要诊断，但患者日龄 {detail} 超过 28 天' },
  { rule_id: '3040', code: '3040', field: 'diseinfo.diag_code', kind: 'duplicateCode', level: W, message: '诊断编码 {value} 重复填写' },
  { rule_id: '3036-diag_code_cnt', code: '3036', field: 'diseinfo', kind: 'countMatch', params: { count: 'setlinfo.diag_code_cnt' }, level: W, message: '诊断代码计数 {value} 与住院诊断行数 {detail} 不符' },

  // ---------- procedures ----------
  { rule_id: '2133', code: '2133', field: 'oprninfo.oprn_oprt_code', kind: 'codeValid', params: { dictKind: 'procedure' }, level: B, message: '手术操作编码 {value} 在出院日期 {detail} 不是有效的医保版 2.0 手术操作编码' },
  { rule_id: '3013', code: '3013', field: 'oprninfo.oprn_oprt_name', kind: 'codeName', params: { dictKind: 'procedure' }, level: W, message: '手术操作名称“{value}”与编码不符（医保版名称为“{detail}”）' },
  { rule_id: '3034', code: '3034', field: 'oprninfo.oprn_oprt_type', kind: 'mainOprnCount', level: B, message: '主要手术操作只能有一个：{detail}' },
  { rule_id: '3035', code: '3035', field: 'oprninfo.oprn_oprt_type', kind: 'mainOprnMissing', level: W, message: '手术操作信息没有标明主要手术（oprn_oprt_type=1），将取第一条 {detail}' },
  { rule_id: '3036-oprn_oprt_code_cnt', code: '3036', field: 'oprninfo', kind: 'countMatch', params: { count: 'setlinfo.oprn_oprt_code_cnt' }, level: W, message: '手术操作代码计数 {value} 与手术操作行数 {detail} 不符' },

  // ---------- the settlement and the institution ----------
  { rule_id: '3050', code: '3050', field: 'setlinfo.setl_id', kind: 'settlement', params: { check: 'exists' }, level: B, message: '结算ID {value} 不存在' },
  { rule_id: '3051', code: '3051', field: 'setlinfo.setl_id', kind: 'settlement', params: { check: 'valid' }, level: B, message: '结算ID {value} 的结算已撤销，不能上传结算清单' },
  { rule_id: '3052', code: '3052', field: 'setlinfo.setl_id', kind: 'settlement', params: { check: 'institution' }, level: B, message: '结算ID {value} 不是本机构的结算（{detail}）' },
  { rule_id: '3053', code: '3053', field: 'setlinfo.mdtrt_id', kind: 'settlement', params: { check: 'mdtrt' }, level: B, message: '就诊ID {value} 与结算的就诊ID {detail} 不符' },
  { rule_id: '3054', code: '3054', field: 'setlinfo.fixmedins_code', kind: 'institution', level: B, message: '定点医药机构编号 {value} 与报文的机构 {detail} 不符' },
  { rule_id: '3060', code: '3060', field: 'iteminfo.amt', kind: 'moneyBalance', level: W, message: '收费项目金额合计 {value} 元与基金支付、个人账户和现金支付之和 {detail} 元不符' },
];
