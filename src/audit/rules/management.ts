/**
 * 管理类 rules (reference audit-rules.md §3.2): charging and encounter management — 重复收费 (NCCI PTP-like pairs
 * with a bypass flag), 手术折价, 超标准收费 (catalogue caps by level), 超频次 (MUE-like limits with line vs
 * date-of-service semantics), 住院天数超计费, 分解住院 / 挂床 / 同时住院 (from the history sent or pulled),
 * 医保医师资格 (practitioner qualification history), 死亡后就医 (death registry).
 */
import { Type } from '@sinclair/typebox';
import { encEnd, lengthOfStay, type Enc, type Line } from '../engine/claim.js';
import { codeMatches, isPrefixPattern } from '../kb/code-index.js';
import { validAll, validFirst, validOn, type KbFreq, type Knowledge } from '../kb/knowledge.js';
import { daysBetween, microText, microTimesQ4, plusDays, prorate, q4Text, toMicro, toQ4 } from '../num.js';
import type { SevDeg } from '../types.js';
import { defineRule, type Hit, type HitItem, type RuleImpl } from './types.js';
import { Codes, Flag, Int, lab, LV_NAME, lineHit, paramsOf, sameScope, yuan } from './util.js';

const SCOPE_NAME: Record<string, string> = { '1': '同一处方', '2': '同一日', '3': '同一次就诊' };
const DAILY_GRP: Record<string, string> = { '1': '床位费', '2': '护理费', '3': '诊查费' };

/** Lines a same-day/visit/prescription pair may span: the encounter's lines and same-day lines of other encounters. */
function pairPool(encLines: Line[], all: Line[], enc: Enc): Line[] {
  const dates = new Set(enc.currLines.map((l) => l.date));
  const out = [...encLines];
  for (const l of all) if (l.enc !== enc && dates.has(l.date)) out.push(l);
  return out;
}

/**
 * When the knowledge base says an item is charged once per day ('D') or once per visit ('V'): a per-day charge
 * group (床位/护理/诊查), or a date-of-service frequency limit of exactly 1 (mai 2 or 3) per day or per visit (a
 * per-visit limit scaled by the stay is per day). Null when the item may be charged more than once.
 */
export function chargedOnce(l: Line): 'D' | 'V' | null {
  let once: 'D' | 'V' | null = l.kbItem?.daily_grp ? 'D' : null;
  for (const f of validAll(l.f.freqs, l.date)) {
    if (f.mai === '1' || f.max_q4 !== 10_000) continue;
    if (f.period === 'V' && !(f.los_scale && l.enc.inpatient)) return 'V';
    if (f.period === 'D' || f.period === 'V') once = 'D';
  }
  return once;
}

/**
 * 同一项目重复收费: an item the knowledge base charges once per day/visit on two or more lines of one encounter
 * (the same day, or anywhere in the visit), more than once in total (net of refund lines). The first line
 * participates; the later ones are the repeated charges.
 */
function sameItemRepeats(enc: Enc): Hit[] {
  const groups = new Map<string, { once: 'D' | 'V'; lines: Line[] }>();
  for (const l of enc.lines) {
    const once = chargedOnce(l);
    if (!once) continue;
    const key = once === 'D' ? `${l.code}|D|${l.date}` : `${l.code}|V`;
    const g = groups.get(key);
    if (g) g.lines.push(l);
    else groups.set(key, { once, lines: [l] });
  }
  const hits: Hit[] = [];
  for (const { once, lines } of groups.values()) {
    const charged = lines.filter((l) => l.q4 > 0).sort((a, b) => a.idx - b.idx);
    let total = 0;
    for (const l of lines) total += l.q4;
    if (charged.length < 2 || total <= 10_000 || !charged.some((l) => l.curr)) continue;
    const [first, ...rest] = charged as [Line, ...Line[]];
    const offending = rest.filter((l) => l.curr);
    if (!offending.length) continue;
    hits.push({
      cont: `${lab(first)}${once === 'D' ? `每日限收费1次，${first.date}` : '每次就诊限收费1次，本次就诊'}收费${charged.length}条，重复收费${offending.length}条`,
      items: [...offending.map((line) => ({ line, type: '1' as const })), { line: first, type: '2' as const }],
    });
  }
  return hits;
}

export const MGT_DUP_01 = defineRule<{ bypass_codes: string[]; same_item: boolean }>({
  rule_id: 'MGT-DUP-01',
  params: paramsOf({
    bypass_codes: Codes(['59', 'XE', 'XS', 'XP', 'XU'], '可豁免项目对认可的修饰符（医嘱 mdfr_codg）'),
    same_item: Flag(true, '同一项目按知识库每日/每次就诊限收1次时，同日/同次就诊多条收费也判定'),
  }),
  formulas: ['0', '1', '3'],
  run({ p, enc, params }) {
    if (!enc.currLines.length) return [];
    const hits: Hit[] = params.same_item ? sameItemRepeats(enc) : [];
    if (!p.lines.some((l) => l.f.pairs.length)) return hits;
    const bypass = new Set(params.bypass_codes);
    const pool = pairPool(enc.lines, p.lines, enc);
    // the pool's lines by code: a pair names its item B exactly far more often than by prefix, and a knowledge base of
    // 100,000 pairs gives each item dozens of them — a look-up per pair instead of a pass over the pool per pair
    const byCode = new Map<string, Line[]>();
    for (const l of pool) {
      const list = byCode.get(l.code);
      if (list) list.push(l);
      else byCode.set(l.code, [l]);
    }
    const seen = new Set<string>();
    for (const a of pool) {
      if (!a.f.pairs.length) continue;
      for (const pr of a.f.pairs) {
        if ((pr.pair_type !== '1' && pr.pair_type !== '2') || !validOn(pr, a.date)) continue;
        const partners = isPrefixPattern(pr.item_b) ? pool : byCode.get(pr.item_b);
        if (!partners) continue;
        for (const b of partners) {
          if (b === a || !codeMatches(pr.item_b, b.code) || !sameScope(a, b, pr.scope) || (!a.curr && !b.curr)) continue;
          if (pr.bypass && (bypass.has(a.o.mdfr_codg ?? '') || bypass.has(b.o.mdfr_codg ?? ''))) continue;
          const both = pr.hit_side === '2';
          const key = both ? `${Math.min(a.idx, b.idx)}|${Math.max(a.idx, b.idx)}` : `${pr.item_b}|${b.idx}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const cont =
            pr.pair_type === '1'
              ? `${lab(a)}已包含${lab(b)}，${SCOPE_NAME[pr.scope]}内${lab(b)}不得另行收费`
              : `${lab(a)}与${lab(b)}${SCOPE_NAME[pr.scope]}内不得同时收费`;
          hits.push({ cont: pr.memo ? `${cont}（${pr.memo}）` : cont, items: [{ line: b, type: '1' }, { line: a, type: both ? '1' : '2' }] });
        }
      }
    }
    return hits;
  },
});

export const MGT_SURG_01 = defineRule<{ discount_bp: number; tolerance_fen: number; surgery_chrg_types: string[]; require_oprn_dtos: boolean }>({
  rule_id: 'MGT-SURG-01',
  params: paramsOf({
    discount_bp: Int(5000, 0, 10_000, '第二及以后手术的收费比例（万分比，5000 = 50%）'),
    tolerance_fen: Int(0, 0, 1_000_000, '允许误差（分）'),
    surgery_chrg_types: Codes(['06'], '手术费的医疗收费项目类别'),
    require_oprn_dtos: Flag(false, '须在手术操作信息中有两项及以上手术'),
  }),
  formulas: ['0', '1', '2', '3'],
  run({ p, enc, kb, params }) {
    if (params.require_oprn_dtos && enc.oprns.length < 2) return [];
    const types = new Set(params.surgery_chrg_types);
    const byDate = new Map<string, Line[]>();
    for (const l of enc.lines) {
      if (!types.has(l.chrgType)) continue;
      const list = byDate.get(l.date);
      if (list) list.push(l);
      else byDate.set(l.date, [l]);
    }
    const hits: Hit[] = [];
    for (const lines of byDate.values()) {
      if (lines.length < 2 || !lines.some((l) => l.curr)) continue;
      // the standard (full) price of each surgery: the cap for the level, else the catalogue price sent by HIS
      const std = (l: Line): number | null => {
        const cap = enc.lv ? kb.cap(l.code, enc.lv, l.date, p.area) : null;
        if (cap !== null) return cap * 10_000;
        return toMicro(l.o.hilist_pric);
      };
      const ranked = lines.map((l) => ({ l, s: std(l) })).filter((x): x is { l: Line; s: number } => x.s !== null).sort((x, y) => y.s - x.s || x.l.idx - y.l.idx);
      if (ranked.length < 2) continue;
      const main = ranked[0]!.l;
      for (const { l, s } of ranked.slice(1)) {
        if (!l.curr) continue;
        const expected = Math.round((s * params.discount_bp) / 10_000);
        if (l.micro <= expected + params.tolerance_fen * 10_000) continue;
        const excess = microTimesQ4(l.micro - expected, l.q4);
        hits.push({
          cont: `同一次手术中${lab(main)}按全价收费，${lab(l)}应按标准价的${params.discount_bp / 100}%收费（${microText(expected)}元），实收单价${microText(l.micro)}元，多收${yuan(excess)}`,
          items: [{ line: l, type: '1', excess }, { line: main, type: '2' }],
        });
      }
    }
    return hits;
  },
});

export const MGT_PRC_01 = defineRule<{ tolerance_fen: number; use_order_level_prices: boolean }>({
  rule_id: 'MGT-PRC-01',
  params: paramsOf({ tolerance_fen: Int(0, 0, 1_000_000, '允许误差（分）'), use_order_level_prices: Flag(false, '目录无限价时采用医嘱所报各级医院价格') }),
  formulas: ['0', '1', '2', '3'],
  run({ p, enc, kb, params }) {
    const lv = enc.lv;
    if (!lv) return [];
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      let capMicro: number | null = null;
      const cap = kb.cap(l.code, lv, l.date, p.area);
      if (cap !== null) capMicro = cap * 10_000;
      else if (params.use_order_level_prices) {
        const v = lv === '1' ? l.o.lv1_hosp_item_pric : lv === '2' ? l.o.lv2_hosp_item_pric : lv === '3' ? l.o.lv3_hosp_item_pric : undefined;
        capMicro = toMicro(v);
      }
      if (capMicro === null || l.micro <= capMicro + params.tolerance_fen * 10_000) continue;
      const excess = microTimesQ4(l.micro - capMicro, l.q4);
      hits.push(lineHit(l, `${lab(l)}单价${microText(l.micro)}元，超过${LV_NAME[lv] ?? lv}医疗机构限价${microText(capMicro)}元，超标准收费${yuan(excess)}`, excess));
    }
    return hits;
  },
});

/** Which lines of the patient a frequency limit counts for a current line, and how to name the window. */
function freqWindow(f: KbFreq, l: Line, enc: Enc): { key: string; inWin: (o: Line) => boolean; name: string; label: string } {
  switch (f.period) {
    case 'D':
      return { key: `D${l.date}`, inWin: (o) => o.date === l.date, name: `${l.date}当日`, label: '每日' };
    case 'V':
      return { key: `V${enc.mdtrt_id}`, inWin: (o) => o.enc === enc, name: '本次就诊', label: f.los_scale && enc.inpatient ? '每住院日' : '每次就诊' };
    case 'N': {
      const start = plusDays(l.date, -(f.period_days - 1));
      return { key: `N${l.date}`, inWin: (o) => o.date >= start && o.date <= l.date, name: `${start}至${l.date}`, label: `每${f.period_days}日` };
    }
    default: {
      const year = l.date.slice(0, 4);
      return { key: `Y${year}`, inWin: (o) => o.date.startsWith(year), name: `${year}年`, label: '每自然年' };
    }
  }
}

/** Spreads an excess quantity over the current lines, latest first; the rest of the window participates. */
function allocate(win: Line[], over: number): HitItem[] {
  const items: HitItem[] = [];
  const curr = win.filter((o) => o.curr).sort((a, b) => (a.date === b.date ? b.idx - a.idx : a.date < b.date ? 1 : -1));
  let left = over;
  for (const c of curr) {
    const take = Math.min(left, c.q4);
    left -= take;
    items.push(take > 0 ? { line: c, type: '1', excess: prorate(c.sumamt, take, c.q4) } : { line: c, type: '2' });
  }
  for (const o of win) if (!o.curr) items.push({ line: o, type: '2' });
  return items;
}

export const MGT_FRQ_01 = defineRule<{ appealable_sev: SevDeg }>({
  rule_id: 'MGT-FRQ-01',
  params: paramsOf({ appealable_sev: Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')], { default: '3', description: '可申诉（mai=3）限量的判定程度' }) }),
  formulas: ['0', '1', '2', '3'],
  run({ p, enc, params, today }) {
    const hits: Hit[] = [];
    const done = new Set<string>();
    for (const l of enc.currLines) {
      const catMax = l.lmt?.lmt_max_cnt ?? null;
      if (!catMax && !l.f.freqs.length) continue;
      let limits = validAll(l.f.freqs, l.date);
      // the catalogue's own payable quantity per visit (限支付数量) counts when the knowledge base has no per-visit limit
      // (added to a copy: validAll may answer the knowledge base's own list)
      if (catMax && !limits.some((f) => f.period === 'V')) {
        const max = toQ4(catMax);
        if (max !== null && max > 0) limits = [...limits, { hilist_code: l.code, period: 'V', period_days: 0, max_q4: max, mai: '2', los_scale: false, begndate: l.date, enddate: null }];
      }
      for (const f of limits) {
        const sev = f.mai === '3' ? params.appealable_sev : undefined;
        if (f.mai === '1') {
          if (l.q4 <= f.max_q4) continue;
          hits.push({ ...lineHit(l, `${lab(l)}每条明细限${q4Text(f.max_q4)}，本条数量${q4Text(l.q4)}，超出${q4Text(l.q4 - f.max_q4)}`, prorate(l.sumamt, l.q4 - f.max_q4, l.q4)), ...(sev ? { sev } : {}) });
          continue;
        }
        const w = freqWindow(f, l, enc);
        const key = `${f.hilist_code}|${f.period}|${f.begndate}|${w.key}`;
        if (done.has(key)) continue;
        done.add(key);
        const limit = f.period === 'V' && f.los_scale && enc.inpatient ? f.max_q4 * lengthOfStay(enc, today) : f.max_q4;
        const win = p.lines.filter((o) => codeMatches(f.hilist_code, o.code) && w.inWin(o));
        let total = 0;
        for (const o of win) total += o.q4;
        if (total <= limit) continue;
        hits.push({
          cont: `${lab(l)}${w.label}限${q4Text(f.period === 'V' && f.los_scale && enc.inpatient ? f.max_q4 : limit)}${f.period === 'V' && f.los_scale && enc.inpatient ? `（住院${lengthOfStay(enc, today)}天共${q4Text(limit)}）` : ''}，${w.name}累计${q4Text(total)}，超出${q4Text(total - limit)}`,
          items: allocate(win, total - limit),
          ...(sev ? { sev } : {}),
        });
      }
    }
    return hits;
  },
});

export const MGT_LOS_01 = defineRule<{ extra_days: number; groups: string[] }>({
  rule_id: 'MGT-LOS-01',
  params: paramsOf({ extra_days: Int(0, 0, 2, '住院天数之外允许多计的天数（如入出院当天都计）'), groups: Codes(['1', '2', '3'], '按日计费的项目组：1 床位费 2 护理费 3 诊查费') }),
  check: (p) => p.groups.filter((g) => !DAILY_GRP[g]).map((g) => ({ field: 'params.groups', message: `“${g}”不是有效的按日计费项目组（1 床位费 2 护理费 3 诊查费）` })),
  formulas: ['0', '1', '2', '3'],
  run({ enc, today, params }) {
    if (!enc.inpatient || !enc.adm || !enc.currLines.length) return [];
    const los = lengthOfStay(enc, today);
    const allowed = (los + params.extra_days) * 10_000;
    const hits: Hit[] = [];
    for (const g of params.groups) {
      const win = enc.lines.filter((l) => l.kbItem?.daily_grp === g);
      let total = 0;
      for (const l of win) total += l.q4;
      if (total <= allowed || !win.some((l) => l.curr)) continue;
      hits.push({ cont: `住院${los}天（${enc.adm}至${enc.dscg ?? encEnd(enc, today)}），${DAILY_GRP[g]}计费${q4Text(total)}天，超出${q4Text(total - allowed)}天`, items: allocate(win, total - allowed) });
    }
    return hits;
  },
});

function inCycle(e: Enc, kb: Knowledge): boolean {
  const on = e.adm ?? e.dscg ?? '9999-12-31';
  if (e.diags.some((d) => kb.isCycle('1', d, on))) return true;
  if (e.oprns.some((o) => o.oprn_code && kb.isCycle('2', o.oprn_code, o.oprn_date?.slice(0, 10) ?? on))) return true;
  return e.lines.some((l) => l.f.cycles.length > 0 && validFirst(l.f.cycles, l.date) !== undefined);
}

const encName = (e: Enc) => e.d.medins_name ?? e.medins_id;

export const MGT_ADM_01 = defineRule<{ max_gap_days: number; match: 'category' | 'any'; escalate_same_medins: boolean; transfer_exempt: boolean }>({
  rule_id: 'MGT-ADM-01',
  params: paramsOf({
    max_gap_days: Int(15, 1, 90, '出院后再次入院的间隔天数上限'),
    match: Type.Union([Type.Literal('category'), Type.Literal('any')], { default: 'category', description: 'category：主诊断类目相同；any：不限诊断' }),
    escalate_same_medins: Flag(true, '同一机构再次入院时判定为高度可疑'),
    transfer_exempt: Flag(true, '出院当日入住另一机构（转院；事后另据离院方式2/3）不判定'),
  }),
  formulas: ['0', '1'],
  run({ p, enc, kb, params }) {
    if (!enc.inpatient || !enc.adm) return [];
    let prev: Enc | undefined;
    for (const o of p.encs) {
      if (o === enc || !o.inpatient || !o.dscg || o.dscg > enc.adm) continue;
      if (!prev || o.dscg > prev.dscg!) prev = o;
    }
    if (!prev) return [];
    const gap = daysBetween(prev.dscg!, enc.adm);
    if (gap > params.max_gap_days) return [];
    // a transfer continues one episode at another institution: it is not a readmission
    if (params.transfer_exempt && gap === 0 && prev.medins_id !== enc.medins_id) return [];
    if (params.match === 'category' && (!enc.mainDiag || enc.mainDiag.slice(0, 3) !== prev.mainDiag?.slice(0, 3))) return [];
    if (inCycle(enc, kb) || inCycle(prev, kb)) return [];
    const same = prev.medins_id === enc.medins_id;
    return [
      {
        cont: `${prev.dscg}自${encName(prev)}出院（主诊断${prev.mainDiag ?? '未填'}）后${gap}天${same ? '在同一机构' : `在${encName(enc)}`}再次入院（主诊断${enc.mainDiag ?? '未填'}），疑似分解住院`,
        items: enc.currLines.map((line) => ({ line, type: '1' as const })),
        encs: [{ enc, type: '1' }, { enc: prev, type: '2' }],
        ...(same && params.escalate_same_medins ? { sev: '2' as const } : {}),
      },
    ];
  },
});

export const MGT_ADM_02 = defineRule<{ min_idle_days: number }>({
  rule_id: 'MGT-ADM-02',
  params: paramsOf({ min_idle_days: Int(3, 1, 60, '连续无诊疗记录的天数下限') }),
  formulas: ['0', '1'],
  run({ enc, params }) {
    if (!enc.inpatient || !enc.adm || !enc.currLines.length) return [];
    let last = enc.adm;
    for (const l of enc.lines) if (l.date > last) last = l.date;
    if (enc.dscg) last = plusDays(enc.dscg, -1) < enc.adm ? enc.adm : plusDays(enc.dscg, -1);
    const n = daysBetween(enc.adm, last) + 1;
    if (n < params.min_idle_days) return [];
    const treated = new Uint8Array(n);
    const spanOf = (l: Line): [number, number] => {
      const a = Math.max(0, daysBetween(enc.adm!, l.date));
      const b = l.o.long_drord_flag === '1' && l.stop ? Math.min(n - 1, daysBetween(enc.adm!, l.stop)) : a;
      return [a, b];
    };
    for (const l of enc.lines) {
      if (l.kbItem?.daily_grp) continue;
      const [a, b] = spanOf(l);
      for (let d = a; d <= b && d < n; d++) treated[d] = 1;
    }
    const hits: Hit[] = [];
    let d = 0;
    while (d < n) {
      if (treated[d]) {
        d++;
        continue;
      }
      let e = d;
      while (e + 1 < n && !treated[e + 1]) e++;
      if (e - d + 1 >= params.min_idle_days) {
        const items: HitItem[] = [];
        for (const l of enc.lines) {
          if (!l.kbItem?.daily_grp) continue;
          const [a, b] = spanOf(l);
          if (a <= e && b >= d) items.push({ line: l, type: l.curr ? '1' : '2' });
        }
        if (items.some((i) => i.type === '1')) {
          hits.push({ cont: `住院期间${plusDays(enc.adm, d)}至${plusDays(enc.adm, e)}连续${e - d + 1}天仅有床位费、护理费等费用，无诊疗记录，疑似挂床住院`, items });
        }
      }
      d = e + 1;
    }
    return hits;
  },
});

export const MGT_ADM_03 = defineRule<{ same_medins_hits: boolean }>({
  rule_id: 'MGT-ADM-03',
  params: paramsOf({ same_medins_hits: Flag(false, '同一机构的重叠住院也判定') }),
  formulas: ['0', '1'],
  run({ p, enc, today, params }) {
    if (!enc.inpatient || !enc.adm) return [];
    const end = enc.dscg ?? encEnd(enc, today);
    const hits: Hit[] = [];
    for (const o of p.encs) {
      if (o === enc || !o.inpatient || !o.adm || (!params.same_medins_hits && o.medins_id === enc.medins_id)) continue;
      const oEnd = o.dscg ?? encEnd(o, today);
      // half-open stays: a discharge and an admission on the same day (转院) do not overlap
      if (!(enc.adm < oEnd && o.adm < end) && !(enc.adm === o.adm)) continue;
      hits.push({
        cont: `${enc.adm}至${end}在${encName(enc)}住院期间，同时在${encName(o)}住院（${o.adm}至${o.dscg ?? '今'}）`,
        items: enc.currLines.map((line) => ({ line, type: '1' as const })),
        encs: [{ enc, type: '1' }, { enc: o, type: '2' }],
      });
    }
    return hits;
  },
});

const QUAL_TEXT: Record<string, string> = { unreg: '未登记为医保医师（药师）', '2': '医保支付资格暂停中', '3': '医保支付资格已终止' };

export const MGT_DOC_01 = defineRule<{ fund_only: boolean; require_registered: boolean }>({
  rule_id: 'MGT-DOC-01',
  params: paramsOf({ fund_only: Flag(true, '仅当该明细有医保支付范围内金额时判定'), require_registered: Flag(true, '未登记的医师视为无资格') }),
  formulas: ['0', '1', '3'],
  run({ enc, kb, params }) {
    const groups = new Map<string, { dr: string; why: string; date: string; lines: Line[] }>();
    for (const l of enc.currLines) {
      if (!l.dr || (params.fund_only && l.fundable === 0)) continue;
      const st = kb.practitioner(l.dr, l.date);
      const why = !st.registered ? (params.require_registered ? 'unreg' : null) : st.qual_stas === '2' || st.qual_stas === '3' ? st.qual_stas : st.qual_stas === null && params.require_registered ? 'unreg' : null;
      if (!why) continue;
      const key = `${l.dr}|${why}`;
      const g = groups.get(key);
      if (g) g.lines.push(l);
      else groups.set(key, { dr: l.dr, why, date: l.date, lines: [l] });
    }
    return [...groups.values()].map((g) => {
      const name = g.lines[0]!.o.drord_dr_name ?? kb.practitioner(g.dr, g.date).prac_name;
      return {
        cont: `开单医师${name ? `${name}（${g.dr}）` : g.dr}于${g.date}${QUAL_TEXT[g.why]}，其开具的${g.lines.slice(0, 5).map(lab).join('')}${g.lines.length > 5 ? `等${g.lines.length}项` : ''}医保基金不予支付`,
        items: g.lines.map((line) => ({ line, type: '1' as const })),
      };
    });
  },
});

export const MGT_ID_01 = defineRule<{ grace_days: number; idchk_failed: boolean }>({
  rule_id: 'MGT-ID-01',
  params: paramsOf({
    grace_days: Int(0, 0, 30, '死亡日期之后允许的天数（登记延迟）'),
    // 3101/3102 carry no identity-check result: the branch runs 事后 over the recorded checks (mdtrt_idchk)
    idchk_failed: Flag(true, '事后：就诊身份核验（人脸/凭证/卡）最后一次未通过仍结算时判定'),
  }),
  formulas: ['0', '1', '3'],
  run({ p, enc, kb, params }) {
    const death = kb.deathDate(p.patn_id);
    if (!death) return [];
    const limit = plusDays(death, params.grace_days);
    const lines = enc.currLines.filter((l) => l.date > limit);
    const admAfter = !!enc.adm && enc.adm > limit;
    if (!lines.length && !admAfter) return [];
    const first = admAfter ? enc.adm! : lines[0]!.date;
    return [
      {
        cont: `参保人已于${death}死亡，${first}仍发生就医${lines.length ? `并收费${lines.slice(0, 5).map(lab).join('')}${lines.length > 5 ? `等${lines.length}项` : ''}` : ''}，疑似冒名就医`,
        items: lines.map((line) => ({ line, type: '1' as const })),
        encs: [{ enc, type: '1' }],
      },
    ];
  },
});

export const MGT_LAG_02 = defineRule<{ grace_days: number }>({
  rule_id: 'MGT-LAG-02',
  params: paramsOf({ grace_days: Int(0, 0, 30, '入院前/出院后允许的天数（如入院前一日的急诊费用并入住院）') }),
  formulas: ['0', '1', '3'],
  run({ enc, params }) {
    if (!enc.adm) return [];
    const from = plusDays(enc.adm, -params.grace_days);
    const to = enc.dscg ? plusDays(enc.dscg, params.grace_days) : null;
    const hits: Hit[] = [];
    for (const l of enc.currLines) {
      // by date: a line charged on the admission or the discharge day (出院带药) is inside the encounter
      if (l.date >= from && (to === null || l.date <= to)) continue;
      const span = enc.dscg ? `${enc.adm}至${enc.dscg}` : `${enc.adm}起`;
      hits.push(lineHit(l, `${lab(l)}的费用发生日期${l.date}${l.date < from ? '早于' : '晚于'}本次就诊期间（${span}），收费跨期`));
    }
    return hits;
  },
});

export const MANAGEMENT_RULES: RuleImpl<never>[] = [MGT_LAG_02, MGT_DUP_01, MGT_SURG_01, MGT_PRC_01, MGT_FRQ_01, MGT_LOS_01, MGT_ADM_01, MGT_ADM_02, MGT_ADM_03, MGT_DOC_01, MGT_ID_01];
