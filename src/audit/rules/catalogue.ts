/**
 * The default rule base: one entry per rule of reference audit-rules.md §3.2 with the official template's
 * attributes (class, result type, time window, scenes, stages, behaviour class, basis, amount formula). Rules
 * whose stages include 事前/事中 have an implementation in the registry; the others are 事后 rules declared here and
 * implemented by the batch engine later. Parameters are left to their defaults (filled in when saved).
 */
import type { AmtFormula, AuditScene, RuleCls, SevDeg, Stage } from '../types.js';

/** A rule version as entered (console, import, defaults). */
export interface RuleInput {
  rule_id: string;
  rule_name: string;
  rule_cls: RuleCls;
  /** 规则运行结果类型. */
  rslt_type: SevDeg;
  time_window: string;
  medins_lv?: string[];
  medins_type?: string[];
  scenes?: AuditScene[];
  fund_type?: string;
  stages: Stage[];
  insutypes?: string[];
  /** Default severity of a hit (rules may escalate). Defaults to rslt_type. */
  sev_deg?: SevDeg;
  vola_bhvr_type: string;
  vola_evid: string;
  vola_amt_formula: AmtFormula;
  knowledge_refs?: string[];
  logic_dscr: string;
  params?: Record<string, unknown>;
  enabled?: boolean;
  memo?: string | null;
  begndate: string;
  enddate?: string | null;
}

export const DEFAULT_RULES_BEGNDATE = '2024-01-01';
export const DEFAULT_FUND_TYPE = '基本医疗保险（含生育）基金';

const EVID = {
  drugScope: '《国家基本医疗保险、工伤保险和生育保险药品目录》凡例（限定支付范围）；《医疗保障基金使用监督管理条例》第十五条',
  itemScope: '医疗服务项目、医用耗材医保支付目录限定支付范围；《医疗保障基金使用监督管理条例》第十五条',
  notPaid: '《基本医疗保险用药管理暂行办法》第三十一条；《医疗保障基金使用监督管理条例》第十五条、第三十八条',
  charge: '《医疗保障基金使用监督管理条例》第十五条、第三十八条（重复收费、超标准收费、分解项目收费、串换项目）；医疗服务价格项目规范',
  stay: '《医疗保障基金使用监督管理条例》第十五条、第三十八条（分解住院、挂床住院）',
  identity: '《医疗保障基金使用监督管理条例》第十九条、第四十一条（冒名就医）',
  doctor: '《关于建立定点医药机构相关人员医保支付资格管理制度的指导意见》（医保发〔2024〕23号）',
  clinical: '药品说明书、临床诊疗指南；《处方管理办法》第十八条（处方用量）；《医疗保障基金使用监督管理条例》第十五条（过度诊疗）',
  model: '《医疗保障基金智能审核和监控知识库、规则库管理办法（试行）》；大数据模型筛查线索，须经核查确认',
} as const;

const ALL: Stage[] = ['1', '2', '3'];
const MID_POST: Stage[] = ['2', '3'];
const POST: Stage[] = ['3'];

function r(
  rule_id: string,
  rule_name: string,
  rule_cls: RuleCls,
  stages: Stage[],
  rslt_type: SevDeg,
  o: { window: string; scenes?: AuditScene[]; bhvr: string; evid: string; formula: AmtFormula; refs: string[]; logic: string; memo?: string },
): RuleInput {
  return {
    rule_id,
    rule_name,
    rule_cls,
    rslt_type,
    time_window: o.window,
    scenes: o.scenes ?? [],
    stages,
    sev_deg: rslt_type,
    vola_bhvr_type: o.bhvr,
    vola_evid: o.evid,
    vola_amt_formula: o.formula,
    knowledge_refs: o.refs,
    logic_dscr: o.logic,
    memo: o.memo ?? null,
    begndate: DEFAULT_RULES_BEGNDATE,
  };
}

export const DEFAULT_RULES: readonly RuleInput[] = [
  // ---------- 政策类 ----------
  r('POL-GEN-01', '限性别用药（药品区分性别使用）', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '1', refs: ['hilist_lmt'], logic: '药品目录限定性别与患者性别不符' }),
  r('POL-GEN-02', '诊疗项目与性别不符（医疗服务项目区分性别使用）', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.itemScope, formula: '1', refs: ['hilist_lmt'], logic: '医疗服务项目/耗材限定性别与患者性别不符' }),
  r('POL-AGE-01', '药品儿童专用', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '1', refs: ['audit_kb_item'], logic: '儿童专用药品用于超过知识库年龄上限（岁或天）的患者' }),
  r('POL-AGE-02', '药品限儿童使用', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '3', refs: ['hilist_lmt'], logic: '限儿童支付的药品由医保为成人支付，按医保支付范围内金额计' }),
  r('POL-AGE-03', '医疗服务项目儿童专用', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.itemScope, formula: '1', refs: ['audit_kb_item'], logic: '儿童专用医疗服务项目用于超过年龄上限的患者' }),
  r('POL-AGE-04', '限年龄用药/诊疗', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '3', refs: ['hilist_lmt', 'audit_kb_item'], logic: '患者年龄不在目录限定年龄段内且无知识库豁免诊断' }),
  r('POL-SCP-01', '限定支付范围（限适应症）', '1', ALL, '3', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '3', refs: ['hilist_lmt'], logic: '医保支付且本次诊断均不在目录限定的诊断范围内' }),
  r('POL-INS-01', '药品限工伤保险/限生育保险', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '3', refs: ['hilist_lmt'], logic: '限特定险种支付的项目由其他险种基金支付（生育状态可按生育保险支付）' }),
  r('POL-LV-01', '限医院等级用药/项目', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '3', refs: ['hilist_lmt', 'fixmedins'], logic: '医疗机构级别低于目录限定的最低级别' }),
  r('POL-MDT-01', '限就医方式（门诊/住院专用）', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '3', refs: ['hilist_lmt'], logic: '本次就医方式不在目录限定的就医方式内' }),
  r('POL-DEPT-01', '限开单科室/专科', '1', ALL, '3', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '1', refs: ['audit_kb_item'], logic: '开单科室不在知识库限定的科室内' }),
  r('POL-OUT-01', '超医保支付范围（目录外/不予支付项目按医保结算）', '1', MID_POST, '1', { window: '0', bhvr: '1', evid: EVID.notPaid, formula: '3', refs: ['hilist', 'audit_kb_item'], logic: '编码不在目录内、丙类或不予支付，但有医保支付范围内金额' }),
  r('POL-TCM-01', '中药饮片单味不予支付', '1', ALL, '1', { window: '0', bhvr: '1', evid: EVID.notPaid, formula: '3', refs: ['audit_kb_herb'], logic: '同一处方仅一味饮片且该饮片在单味不予支付清单内' }),
  r('POL-CRS-01', '超限定支付疗程', '1', MID_POST, '1', { window: '0', bhvr: '1', evid: EVID.drugScope, formula: '2', refs: ['hilist_lmt'], logic: '自当次就诊首次使用起超过目录限定支付天数，按超出天数折算金额' }),
  // ---------- 管理类 ----------
  r('MGT-DUP-01', '重复收费（医疗服务项目重复收费）', '2', ALL, '1', { window: '0', bhvr: '2', evid: EVID.charge, formula: '1', refs: ['audit_kb_pair'], logic: '知识库包含/互斥项目对在同处方/同日/当次就诊内同时收费，可凭修饰符豁免的项目对除外' }),
  r('MGT-SURG-01', '手术项目未按规则折价收费', '2', MID_POST, '1', { window: '4', scenes: ['2'], bhvr: '3', evid: EVID.charge, formula: '2', refs: ['hilist_pric_uplmt'], logic: '同日两项及以上手术，次要手术未按标准价的规定比例收费，按差额计' }),
  r('MGT-PRC-01', '超标准收费', '2', ALL, '1', { window: '0', bhvr: '3', evid: EVID.charge, formula: '2', refs: ['hilist_pric_uplmt'], logic: '单价高于本级医疗机构限价，违规金额 =（单价 − 限价）× 数量' }),
  r('MGT-FRQ-01', '超频次/超限定数量', '2', ALL, '1', { window: '99', bhvr: '5', evid: EVID.charge, formula: '2', refs: ['audit_kb_freq'], logic: '按知识库的每日/每次就诊/每N日/每年限量（按明细行或按服务日）累计，超出部分按数量折算' }),
  r('MGT-LOS-01', '住院天数超计费（床位/护理/诊查费超住院天数）', '2', MID_POST, '1', { window: '2', scenes: ['2'], bhvr: '5', evid: EVID.charge, formula: '2', refs: ['audit_kb_item'], logic: '按日计费项目的累计数量超过住院天数（算入不算出）' }),
  r('MGT-SWP-01', '串换项目/药品', '2', POST, '2', { window: '99', bhvr: '4', evid: EVID.charge, formula: '1', refs: ['drug_trac_codg', 'stock'], logic: '收费编码与追溯码/进销存识别的产品不符（批量规则）', memo: '需进销存和追溯码数据，由事后批量引擎实现' }),
  r('MGT-ADM-01', '分解住院', '2', ['1', '3'], '3', { window: '99', scenes: ['2'], bhvr: '7', evid: EVID.stay, formula: '0', refs: ['audit_kb_cycle'], logic: '出院后15天内因相同类目主诊断再次入院，计划性化疗/放疗/透析和转院除外；同一机构升为高度可疑' }),
  r('MGT-ADM-02', '挂床住院', '2', MID_POST, '2', { window: '2', scenes: ['2'], bhvr: '7', evid: EVID.stay, formula: '1', refs: ['audit_kb_item'], logic: '住院期间连续K天仅有床位、护理等按日计费项目，无其他诊疗' }),
  r('MGT-ADM-03', '同时住院', '2', ALL, '1', { window: '2', scenes: ['2'], bhvr: '7', evid: EVID.stay, formula: '1', refs: [], logic: '同一参保人在不同机构的住院期间重叠（同日转院不算）' }),
  r('MGT-ADM-04', '低标准入院', '2', POST, '3', { window: '2', scenes: ['2'], bhvr: '7', evid: EVID.stay, formula: '1', refs: ['outpatient-manageable diagnoses'], logic: '主诊断属门诊可治疗病种且费用低、住院时间短（批量规则）', memo: '由事后批量引擎实现' }),
  r('MGT-DOC-01', '医保医师/医保支付资格', '2', ALL, '1', { window: '0', bhvr: '9', evid: EVID.doctor, formula: '3', refs: ['practitioner', 'practitioner_qualification'], logic: '开单医师未登记或在服务日期医保支付资格暂停/终止' }),
  r('MGT-ID-01', '冒名就医（死亡后就医）', '2', MID_POST, '1', { window: '0', bhvr: '8', evid: EVID.identity, formula: '1', refs: ['psn.death_date'], logic: '服务日期晚于死亡登记日期；事后另查：短时间内在两个城市就医、身份核验未通过仍结算（高度可疑）' }),
  r('MGT-TRC-01', '药品追溯码重复', '2', POST, '2', { window: '99', scenes: ['1', '3'], bhvr: '4', evid: EVID.charge, formula: '1', refs: ['drug_trac_codg'], logic: '同一追溯码扣除退货后结算超过一次（拆零除外）', memo: '3101/3102 报文不含追溯码，由购药划卡查询和事后批量实现' }),
  r('MGT-TRC-02', '追溯码与药品不符', '2', POST, '3', { window: '99', bhvr: '4', evid: EVID.charge, formula: '1', refs: ['drug_trac_codg'], logic: '追溯码对应产品与收费编码不符（批量规则）' }),
  r('MGT-LAG-02', '收费跨期（费用日期超出就诊期间）', '2', MID_POST, '1', { window: '0', bhvr: '99', evid: EVID.charge, formula: '1', refs: [], logic: '费用发生日期早于入院（就诊）日期或晚于出院日期' }),
  r('MGT-LAG-01', '收费跨期', '2', POST, '3', { window: '99', bhvr: '99', evid: EVID.charge, formula: '1', refs: [], logic: '费用发生日期与结算日期相隔超过180天（批量规则）' }),
  // ---------- 医疗类 ----------
  r('MED-DX-01', '药品与诊断不符', '3', ALL, '3', { window: '0', bhvr: '6', evid: EVID.clinical, formula: '1', refs: ['audit_kb_item'], logic: '本次诊断均不在知识库的临床适应症内' }),
  r('MED-QTY-01', '超量开药', '3', ALL, '1', { window: '1', scenes: ['1', '3'], bhvr: '5', evid: EVID.clinical, formula: '2', refs: ['audit_kb_drug'], logic: '按常用日用量折算的用药天数超过门诊7天/急诊3天/慢特病30天（或知识库限量），按超出部分折算' }),
  r('MED-QTY-02', '重复开药/提前开药', '3', ALL, '3', { window: '99', bhvr: '5', evid: EVID.clinical, formula: '2', refs: ['audit_kb_drug'], logic: '同成分药品上次供应未用完又开具，重叠天数超过允许值' }),
  r('MED-DOSE-01', '超剂量（超每日最大用量）', '3', ALL, '3', { window: '3', bhvr: '6', evid: EVID.clinical, formula: '2', refs: ['audit_kb_drug'], logic: '医嘱期间日均用量超过知识库每日最大用量' }),
  r('MED-INT-01', '配伍禁忌', '3', ['1', '2'], '3', { window: '0', bhvr: '6', evid: EVID.clinical, formula: '1', refs: ['audit_kb_pair'], logic: '同处方/同日存在知识库配伍禁忌药品对（十八反、十九畏、药物相互作用）' }),
  r('MED-MAT-01', '材料-项目搭配不符', '3', MID_POST, '3', { window: '0', bhvr: '6', evid: EVID.clinical, formula: '1', refs: ['audit_kb_pair'], logic: '医用耗材收费而当次就诊无其所属的诊疗项目' }),
  r('MED-VIS-01', '门急诊就诊频次异常', '3', POST, '3', { window: '5', scenes: ['1'], bhvr: '6', evid: EVID.clinical, formula: '0', refs: [], logic: '单日≥4次、单月≥20次或全年≥100次门急诊（批量规则）' }),
  // ---------- 大数据模型 ----------
  r('FWA-HOSP-01', '虚假住院模型', '4', POST, '2', { window: '99', scenes: ['2'], bhvr: '7', evid: EVID.model, formula: '1', refs: [], logic: '住院与出行、其他结算、人脸核验等跨源数据的评分模型' }),
  r('FWA-RING-01', '结伴就医/团伙', '4', POST, '2', { window: '99', bhvr: '8', evid: EVID.model, formula: '0', refs: [], logic: '患者-机构二部图的稠密子图、同日反复共同就诊' }),
  r('FWA-PEER-01', '同类比较离群', '4', POST, '3', { window: '7', bhvr: '99', evid: EVID.model, formula: '0', refs: [], logic: '按病组、专科、等级分组的稳健Z分数或超过同类P80/P90' }),
  r('FWA-BEN-01', 'Benford首位数字检验', '4', POST, '3', { window: '8', bhvr: '99', evid: EVID.model, formula: '0', refs: [], logic: '机构金额首位数字分布与Benford分布的偏离（MAD/χ²），弱信号' }),
  r('FWA-TRC-01', '药品倒卖/回流（职业开药人）', '4', POST, '2', { window: '99', scenes: ['1', '3'], bhvr: '4', evid: EVID.model, formula: '1', refs: ['drug_trac_codg'], logic: '多机构高频购药且追溯码在转售中再现' }),
];
