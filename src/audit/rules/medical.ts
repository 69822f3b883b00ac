/**
 * 医疗类 rules (reference audit-rules.md §3.2): clinical plausibility — 药品与诊断不符 (clinical indications),
 * 超量开药 (days supplied against outpatient/emergency/chronic limits), 重复开药 (supply overlap with history by
 * ingredient group), 超剂量 (daily maximum), 配伍禁忌 and 材料-项目搭配 (knowledge pairs of type 3 and 4).
 */
import { isDrug, isMaterial, type Line } from '../engine/claim.js';
import { codeMatches } from '../kb/code-index.js';
import { pairTypesOf, validFirst, validOn } from '../kb/knowledge.js';
import { daysBetween, plusDays, prorate, q4Text } from '../num.js';
import { defineRule, type Hit, type RuleImpl } from './types.js';
import { Codes, Flag, hasDiag, Int, lab, lineHit, paramsOf, sameScope } from './util.js';

const SCOPE_NAME: Record<string, string> = { '1': '同一处方中', '2': '同一日内', '3': '同一次就诊中' };

export const MED_DX_01 = defineRule<{ main_diag_only: boolean; no_diag_hits: boolean }>({
  rule_id: 'MED-DX-01',
  params: paramsOf({ main_diag_only: Flag(false, '仅以主诊断判断'), no_diag_hits: Flag(false, '就诊无任何诊断（如药店购药）时也判定') }),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    // "no diagnosis compatible with the drug" needs a diagnosis to compare: a pharmacy purchase carries none, and
    // an absent diagnosis is a documentation gap, not evidence that the drug does not fit
    if (!enc.diags.length && !params.no_diag_hits) return [];
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      const ind = l.kbItem?.indication_diag;
      if (!ind?.length || hasDiag(enc, ind, params.main_diag_only)) continue;
      hits.push(lineHit(l, `${lab(l)}的适应症为 ${ind.join('、')}，本次诊断${enc.diags.length ? `（${enc.diags.join('、')}）` : ''}均不相符`));
    }
    return hits;
  },
});

interface QtyParams {
  otp_days: number;
  emg_days: number;
  chronic_days: number;
  emg_med_types: string[];
  chronic_med_types: string[];
}

const daysOf = (q4: number, std: number) => Math.ceil(q4 / std);

/** Days a line covers when the order says so (drord_stop_date on or after the start), else null. */
const supplyDays = (l: Line): number | null => (l.stop && l.stop >= l.date ? daysBetween(l.date, l.stop) + 1 : null);

export const MED_QTY_01 = defineRule<QtyParams>({
  rule_id: 'MED-QTY-01',
  params: paramsOf({
    otp_days: Int(7, 1, 180, '门诊处方用量天数上限'),
    emg_days: Int(3, 1, 180, '急诊处方用量天数上限'),
    chronic_days: Int(30, 1, 180, '慢特病/长处方用量天数上限'),
    emg_med_types: Codes(['13'], '急诊的医疗类别'),
    chronic_med_types: Codes(['14', '9901', '9903', '9906'], '慢特病（长处方）的医疗类别'),
  }),
  check: (p) =>
    p.emg_days <= p.otp_days && p.otp_days <= p.chronic_days ? [] : [{ field: 'params', message: '天数上限应满足：急诊 ≤ 门诊 ≤ 慢特病' }],
  formulas: ['0', '1', '2', '3'],
  run({ enc, params }) {
    if (enc.inpatient) return [];
    const chronic = params.chronic_med_types.includes(enc.med_type);
    const emg = params.emg_med_types.includes(enc.med_type);
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      if (!isDrug(l)) continue;
      const d = validFirst(l.f.drugs, l.date);
      const limit = d?.max_days ?? (chronic ? params.chronic_days : emg ? params.emg_days : params.otp_days);
      const kind = d && d.max_days !== null ? '该药品' : chronic ? '慢特病' : emg ? '急诊' : '门诊';
      const days = supplyDays(l);
      if (days !== null) {
        // the prescription states its days of supply (drord_stop_date, 周期天数): no dose knowledge needed
        if (days <= limit) continue;
        hits.push(lineHit(l, `${lab(l)}处方用药${days}天（${l.date}至${l.stop}），超过${kind}${limit}天限量`, prorate(l.sumamt, days - limit, days)));
        continue;
      }
      if (!d?.std_q4) continue;
      const allowed = limit * d.std_q4;
      if (l.q4 <= allowed) continue;
      hits.push(lineHit(l, `${lab(l)}开具${q4Text(l.q4)}${l.o.spec_unt ?? ''}，按常用日用量${q4Text(d.std_q4)}计可用${daysOf(l.q4, d.std_q4)}天，超过${kind}${limit}天限量`, prorate(l.sumamt, l.q4 - allowed, l.q4)));
    }
    return hits;
  },
});

export const MED_QTY_02 = defineRule<{ max_overlap_days: number; lookback_days: number; include_inpatient: boolean }>({
  rule_id: 'MED-QTY-02',
  params: paramsOf({
    max_overlap_days: Int(3, 0, 90, '允许与上次用药重叠的天数'),
    lookback_days: Int(90, 1, 366, '回溯历史的天数'),
    include_inpatient: Flag(false, '住院用药也计入历史供应'),
  }),
  formulas: ['0', '1', '2', '3'],
  run({ p, enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      if (!isDrug(l)) continue;
      const d = validFirst(l.f.drugs, l.date);
      if (!d?.std_q4) continue;
      const grp = d.ingr_code ?? l.code;
      let best: { o: Line; overlap: number; supply: number; end: string } | null = null;
      for (const o of p.lines) {
        if (o.curr || !isDrug(o) || o.date > l.date || (o.enc.inpatient && !params.include_inpatient)) continue;
        if (daysBetween(o.date, l.date) > params.lookback_days) continue;
        const od = o.code === l.code ? d : validFirst(o.f.drugs, o.date);
        if (!od?.std_q4 || (od.ingr_code ?? o.code) !== grp || o.q4 <= 0) continue;
        const supply = daysOf(o.q4, od.std_q4);
        const end = plusDays(o.date, supply - 1);
        const overlap = daysBetween(l.date, end) + 1;
        if (overlap > params.max_overlap_days && (!best || overlap > best.overlap)) best = { o, overlap, supply, end };
      }
      if (!best) continue;
      const days = Math.max(1, daysOf(l.q4, d.std_q4));
      hits.push({
        cont: `${best.o.date}已开具${lab(best.o)}${q4Text(best.o.q4)}（可用${best.supply}天，至${best.end}），${l.date}又开具${lab(l)}，用药时间重叠${best.overlap}天`,
        items: [{ line: l, type: '1', excess: prorate(l.sumamt, Math.min(best.overlap, days), days) }, { line: best.o, type: '2' }],
      });
    }
    return hits;
  },
});

export const MED_DOSE_01 = defineRule<{ inpatient_temp_as_one_day: boolean }>({
  rule_id: 'MED-DOSE-01',
  params: paramsOf({ inpatient_temp_as_one_day: Flag(true, '住院临时医嘱（long_drord_flag 为 0）按一天计算') }),
  formulas: ['0', '1', '2', '3'],
  run({ enc, params }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      if (!isDrug(l)) continue;
      const d = validFirst(l.f.drugs, l.date);
      if (!d?.max_q4) continue;
      // the daily dose is the quantity over the days the order covers; only an order stated to be a temporary
      // (one-off) inpatient order is one day — a line without a period (a fee line, a dispensed box) has no daily dose
      const days = supplyDays(l) ?? (enc.inpatient && l.o.long_drord_flag === '0' && params.inpatient_temp_as_one_day ? 1 : null);
      if (days === null) continue;
      const allowed = d.max_q4 * days;
      if (l.q4 <= allowed) continue;
      hits.push(lineHit(l, `${lab(l)}${days}天共${q4Text(l.q4)}${l.o.spec_unt ?? ''}，日均${q4Text(Math.round(l.q4 / days))}，超过每日最大用量${q4Text(d.max_q4)}`, prorate(l.sumamt, l.q4 - allowed, l.q4)));
    }
    return hits;
  },
});

export const MED_INT_01 = defineRule<Record<string, never>>({
  rule_id: 'MED-INT-01',
  params: paramsOf({}),
  formulas: ['0', '1', '3'],
  run({ p, enc }) {
    if (!enc.currLines.length || !p.lines.some((l) => l.f.pairs.length)) return [];
    const dates = new Set(enc.currLines.map((l) => l.date));
    const pool = [...enc.lines, ...p.lines.filter((l) => l.enc !== enc && dates.has(l.date))];
    const hits: Hit[] = [];
    const seen = new Set<string>();
    for (const a of pool) {
      if (!a.f.pairs.length || !pairTypesOf(a.f.pairs).has('3')) continue;
      for (const pr of a.f.pairs) {
        if (pr.pair_type !== '3' || !validOn(pr, a.date)) continue;
        for (const b of pool) {
          if (b === a || !codeMatches(pr.item_b, b.code) || !sameScope(a, b, pr.scope) || (!a.curr && !b.curr)) continue;
          const key = `${Math.min(a.idx, b.idx)}|${Math.max(a.idx, b.idx)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const [off, other] = b.curr ? [b, a] : [a, b];
          hits.push({ cont: `${SCOPE_NAME[pr.scope]}存在配伍禁忌的药品${lab(a)}${lab(b)}${pr.memo ? `（${pr.memo}）` : ''}`, items: [{ line: off, type: '1' }, { line: other, type: '2' }] });
        }
      }
    }
    return hits;
  },
});

export const MED_MAT_01 = defineRule<Record<string, never>>({
  rule_id: 'MED-MAT-01',
  params: paramsOf({}),
  formulas: ['0', '1', '3'],
  run({ enc, kb }) {
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      if (!isMaterial(l) || !l.f.pairs.length || !pairTypesOf(l.f.pairs).has('4')) continue;
      const reqs = l.f.pairs.filter((pr) => pr.pair_type === '4' && validOn(pr, l.date));
      if (!reqs.length) continue;
      if (reqs.some((pr) => enc.lines.some((o) => o !== l && codeMatches(pr.item_b, o.code)))) continue;
      const names = reqs.slice(0, 3).map((pr) => (pr.item_b.endsWith('*') ? `编码${pr.item_b}` : `【${kb.item(pr.item_b, l.date)?.hilist_name ?? pr.item_b}】`));
      hits.push(lineHit(l, `医用耗材${lab(l)}须与${names.join('')}${reqs.length > 3 ? '等' : ''}诊疗项目同时使用，本次就诊未见相应项目`));
    }
    return hits;
  },
});

export const MEDICAL_RULES: RuleImpl<never>[] = [MED_DX_01, MED_QTY_01, MED_QTY_02, MED_DOSE_01, MED_INT_01, MED_MAT_01];
