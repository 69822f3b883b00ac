/**
 * 政策类 rules (reference audit-rules.md §3.2): payment-scope restrictions. Most read the catalogue's own
 * structured restriction (hilist_lmt, the same one settlement applies); 儿童专用, exempting diagnoses, departments
 * and 不予支付 come from the audit item knowledge (audit_kb_item); 单味不予支付 from audit_kb_herb.
 */
import { ageDays, ageYears, isDrug, isMaterial, isService, type Line } from '../engine/claim.js';
import { validFirst } from '../kb/knowledge.js';
import { daysBetween, plusDays, prorate } from '../num.js';
import { defineRule, type Hit, type RuleImpl } from './types.js';
import { Flag, hasDiag, lab, LV_NAME, lineHit, paramsOf, SCENE_NAME, SEX, yuan } from './util.js';

/** Catalogue age bands up to this age (with no lower bound) are "限儿童" (POL-AGE-02); others are POL-AGE-04. */
export const CHILD_BAND_MAX_AGE = 17;

const INSUTYPE_NAME: Record<string, string> = { '310': '职工基本医疗保险', '390': '城乡居民基本医疗保险', '410': '长期照护保险', '510': '生育保险' };
const insuName = (c: string) => INSUTYPE_NAME[c] ?? `险种${c}`;

interface FundOnly {
  fund_only: boolean;
}
const fundOnly = (dflt: boolean) => ({ fund_only: Flag(dflt, '仅当该明细有医保支付范围内金额（金额大于全自费金额）时判定') });
const skipPaidByPatient = (params: FundOnly, l: Line) => params.fund_only && l.fundable === 0;

function genderRule(rule_id: string, kind: 'drug' | 'service'): RuleImpl<FundOnly> {
  return defineRule<FundOnly>({
    rule_id,
    params: paramsOf(fundOnly(false)),
    formulas: ['0', '1', '3'],
    run({ p, enc, params }) {
      if (p.gend !== '1' && p.gend !== '2') return [];
      const hits: Hit[] = [];
      for (const l of enc.currLines) {
        if (kind === 'drug' ? !isDrug(l) : !(isService(l) || isMaterial(l))) continue;
        const g = l.lmt?.lmt_gend;
        if (!g || g === p.gend || skipPaidByPatient(params, l)) continue;
        hits.push(lineHit(l, `${kind === 'drug' ? '药品' : '诊疗项目'}${lab(l)}限${SEX[g]}性使用，患者性别为${SEX[p.gend]}`));
      }
      return hits;
    },
  });
}

function childOnlyRule(rule_id: string, kind: 'drug' | 'service'): RuleImpl<FundOnly> {
  return defineRule<FundOnly>({
    rule_id,
    params: paramsOf(fundOnly(false)),
    formulas: ['0', '1', '3'],
    run({ p, enc, params }) {
      const hits: Hit[] = [];
      for (const l of enc.currLines) {
        const k = l.kbItem;
        if (!k || k.child_age_max === null) continue;
        if (kind === 'drug' ? !isDrug(l) : isDrug(l)) continue;
        if (skipPaidByPatient(params, l)) continue;
        const days = k.child_age_unit === 'D';
        const age = days ? ageDays(p, l.date) : ageYears(p, l.date);
        if (age <= k.child_age_max) continue;
        const unit = days ? '天' : '岁';
        hits.push(lineHit(l, `${kind === 'drug' ? '药品' : '医疗服务项目'}${lab(l)}为儿童专用（限${k.child_age_max}${unit}及以下），患者${age}${unit}`));
      }
      return hits;
    },
  });
}

const isChildBand = (l: Line) => isDrug(l) && l.lmt !== null && l.lmt.lmt_age_max !== null && l.lmt.lmt_age_max <= CHILD_BAND_MAX_AGE && (l.lmt.lmt_age_min ?? 0) === 0;

export const POL_AGE_02 = defineRule<FundOnly>({
  rule_id: 'POL-AGE-02',
  params: paramsOf(fundOnly(true)),
  formulas: ['0', '1', '3'],
  run({ p, enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      if (!isChildBand(l) || skipPaidByPatient(params, l)) continue;
      const age = ageYears(p, l.date);
      if (age <= l.lmt!.lmt_age_max!) continue;
      hits.push(lineHit(l, `药品${lab(l)}限儿童（${l.lmt!.lmt_age_max}岁及以下）使用方可由医保支付，患者${age}岁，医保支付范围内金额${yuan(l.fundable)}`));
    }
    return hits;
  },
});

export const POL_AGE_04 = defineRule<FundOnly & { use_exempt_diag: boolean }>({
  rule_id: 'POL-AGE-04',
  params: paramsOf({ ...fundOnly(true), use_exempt_diag: Flag(true, '知识库中的豁免诊断可免除年龄限制') }),
  formulas: ['0', '1', '3'],
  run({ p, enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const r = l.lmt;
      if (!r || (r.lmt_age_min === null && r.lmt_age_max === null) || isChildBand(l) || skipPaidByPatient(params, l)) continue;
      const age = ageYears(p, l.date);
      const low = r.lmt_age_min !== null && age < r.lmt_age_min;
      const high = r.lmt_age_max !== null && age > r.lmt_age_max;
      if (!low && !high) continue;
      const exempt = l.kbItem?.age_exempt_diag;
      if (params.use_exempt_diag && exempt?.length && hasDiag(enc, exempt)) continue;
      const band = r.lmt_age_min !== null && r.lmt_age_max !== null ? `${r.lmt_age_min}至${r.lmt_age_max}岁` : r.lmt_age_min !== null ? `${r.lmt_age_min}岁及以上` : `${r.lmt_age_max}岁及以下`;
      hits.push(lineHit(l, `${lab(l)}限${band}患者使用，患者${age}岁`));
    }
    return hits;
  },
});

// 限适应症 and 限就医方式 judge the line as billed, whether or not settlement already made it 全自费: the catalogue
// restriction is broken either way, and a 事后 review must see it (the amount, formula 3, is then what the fund paid)
export const POL_SCP_01 = defineRule<FundOnly & { main_diag_only: boolean }>({
  rule_id: 'POL-SCP-01',
  params: paramsOf({ ...fundOnly(false), main_diag_only: Flag(false, '仅以主诊断判断适应症') }),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const diag = l.lmt?.lmt_diag;
      if (!diag?.length || skipPaidByPatient(params, l)) continue;
      if (hasDiag(enc, diag, params.main_diag_only)) continue;
      const memo = l.lmt!.lmt_memo ? `（${l.lmt!.lmt_memo}）` : '';
      hits.push(lineHit(l, `${lab(l)}限定支付范围${memo}：诊断须在 ${diag.join('、')} 范围内，本次诊断为${enc.diags.length ? enc.diags.join('、') : '空'}`));
    }
    return hits;
  },
});

export const POL_INS_01 = defineRule<FundOnly>({
  rule_id: 'POL-INS-01',
  params: paramsOf(fundOnly(true)),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    if (!enc.insutype) return [];
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const list = l.lmt?.lmt_insutype;
      if (!list?.length || list.includes(enc.insutype) || skipPaidByPatient(params, l)) continue;
      if (list.includes('510') && enc.matn_stas === '1') continue; // 生育状态下按生育保险支付
      hits.push(lineHit(l, `${lab(l)}限${list.map(insuName).join('、')}支付，本次为${insuName(enc.insutype)}`));
    }
    return hits;
  },
});

export const POL_LV_01 = defineRule<FundOnly & { unrated_as_lowest: boolean }>({
  rule_id: 'POL-LV-01',
  params: paramsOf({ ...fundOnly(false), unrated_as_lowest: Flag(true, '未定级机构视为低于一级') }),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    const lv = enc.lv;
    if (!lv || (lv === '9' && !params.unrated_as_lowest)) return [];
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const min = l.lmt?.lmt_min_hosp_lv;
      if (!min || (lv !== '9' && lv >= min) || skipPaidByPatient(params, l)) continue;
      hits.push(lineHit(l, `${lab(l)}限${LV_NAME[min]}及以上医疗机构使用，本机构为${LV_NAME[lv] ?? lv}`));
    }
    return hits;
  },
});

export const POL_MDT_01 = defineRule<FundOnly>({
  rule_id: 'POL-MDT-01',
  params: paramsOf(fundOnly(false)),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const scenes = l.lmt?.lmt_scene;
      if (!scenes?.length || scenes.includes(enc.scene) || skipPaidByPatient(params, l)) continue;
      hits.push(lineHit(l, `${lab(l)}限${scenes.map((s) => SCENE_NAME[s] ?? s).join('、')}使用，本次为${SCENE_NAME[enc.scene]}`));
    }
    return hits;
  },
});

export const POL_DEPT_01 = defineRule<FundOnly & { use_encounter_dept: boolean }>({
  rule_id: 'POL-DEPT-01',
  params: paramsOf({ ...fundOnly(false), use_encounter_dept: Flag(true, '医嘱未填开单科室时按就诊科室判断') }),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const depts = l.kbItem?.dept_codes;
      if (!depts?.length || skipPaidByPatient(params, l)) continue;
      const dept = l.o.drord_dept_codg ?? (params.use_encounter_dept ? enc.d.adm_dept_codg : undefined);
      if (!dept || depts.some((d) => dept.startsWith(d))) continue;
      const name = l.o.drord_dept_name ?? (l.o.drord_dept_codg ? undefined : enc.d.adm_dept_name);
      hits.push(lineHit(l, `${lab(l)}限 ${depts.join('、')} 科室开具，开单科室为${name ? `${name}（${dept}）` : dept}`));
    }
    return hits;
  },
});

export const POL_OUT_01 = defineRule<{ class_c_not_paid: boolean; unknown_code_hits: boolean }>({
  rule_id: 'POL-OUT-01',
  params: paramsOf({ class_c_not_paid: Flag(true, '丙类项目视为不予支付'), unknown_code_hits: Flag(true, '医保目录中查无此编码时判定') }),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      if (l.fundable === 0) continue;
      const why = !l.cat ? (params.unknown_code_hits ? `编码 ${l.code} 不在医保目录内` : null) : l.kbItem?.not_paid ? '为医保不予支付项目' : params.class_c_not_paid && l.cat.chrgitm_lv === '03' ? '为丙类（自费）项目' : null;
      if (!why) continue;
      hits.push(lineHit(l, `${lab(l)}${why}，不属于医保基金支付范围，但按医保结算了${yuan(l.fundable)}`));
    }
    return hits;
  },
});

export const POL_TCM_01 = defineRule<FundOnly>({
  rule_id: 'POL-TCM-01',
  params: paramsOf(fundOnly(true)),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    const byRx = new Map<string, Line[]>();
    for (const l of enc.lines) {
      if (l.listType !== '103') continue;
      const key = l.rxno || l.rx_id;
      const list = byRx.get(key);
      if (list) list.push(l);
      else byRx.set(key, [l]);
    }
    const hits: Hit[] = [];
    for (const [rxno, lines] of byRx) {
      const codes = new Set(lines.map((l) => l.code));
      if (codes.size !== 1) continue;
      const curr = lines.filter((l) => l.curr);
      if (!curr.length || !validFirst(curr[0]!.f.herbs, curr[0]!.date)) continue;
      if (params.fund_only && curr.every((l) => l.fundable === 0)) continue;
      hits.push({ cont: `处方${rxno}仅开具单味中药饮片${lab(curr[0]!)}，单味使用不予支付`, items: curr.map((line) => ({ line, type: '1' as const })) });
    }
    return hits;
  },
});

export const POL_CRS_01 = defineRule<{ whole_history: boolean }>({
  rule_id: 'POL-CRS-01',
  params: paramsOf({ whole_history: Flag(false, '首次使用日期按全部历史计算（默认按当次就诊）') }),
  formulas: ['0', '1', '2', '3'],
  run({ p, enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const max = l.lmt?.lmt_max_days;
      if (max === null || max === undefined) continue;
      let first = l.date;
      for (const o of params.whole_history ? p.lines : enc.lines) if (o.code === l.code && o.date < first) first = o.date;
      const end = l.stop && l.stop > l.date ? l.stop : l.date;
      const lastAllowed = plusDays(first, max - 1);
      if (end <= lastAllowed) continue;
      const from = l.date > lastAllowed ? l.date : plusDays(lastAllowed, 1);
      const beyond = daysBetween(from, end) + 1;
      const lineDays = daysBetween(l.date, end) + 1;
      hits.push(lineHit(l, `${lab(l)}限支付${max}天，自${first}首次使用至${end}已${daysBetween(first, end) + 1}天，超出${beyond}天`, prorate(l.sumamt, beyond, lineDays)));
    }
    return hits;
  },
});

export const POLICY_RULES: RuleImpl<never>[] = [
  genderRule('POL-GEN-01', 'drug'),
  genderRule('POL-GEN-02', 'service'),
  childOnlyRule('POL-AGE-01', 'drug'),
  POL_AGE_02,
  childOnlyRule('POL-AGE-03', 'service'),
  POL_AGE_04,
  POL_SCP_01,
  POL_INS_01,
  POL_LV_01,
  POL_MDT_01,
  POL_DEPT_01,
  POL_OUT_01,
  POL_TCM_01,
  POL_CRS_01,
];
