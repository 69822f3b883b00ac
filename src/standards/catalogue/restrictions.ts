/**
 * Restrictions (限定支付范围) as data: parsing the stored/imported form, and the pure check that tells which
 * restrictions a use of an item breaks. Settlement (全自费 for the line) and audit (rule hits) both call
 * `checkRestrictions`; neither re-implements it.
 */
import type { Restriction, Scene } from './types.js';
import { SCENES } from './types.js';

export interface UseContext {
  gend: string;
  /** Age in whole years on the service date. */
  age: number;
  /** All diagnosis codes of the visit (principal and secondary). */
  diag_codes: string[];
  /** The institution's level: '1' | '2' | '3' | '9'. */
  hosp_lv: string;
  scene: Scene;
  insutype: string;
  /** Days supplied / charged, and the quantity on this visit, when known. */
  days?: number;
  cnt?: number;
}

export interface RestrictionBreach {
  kind: 'gend' | 'age' | 'diag' | 'hosp_lv' | 'scene' | 'insutype' | 'days' | 'cnt';
  message: string;
}

const DIAG_PATTERN = /^[A-Z]\d{2}(\.[\dx]{1,3})?(-[A-Z]\d{2})?$/;

/** Why a diagnosis pattern is malformed, or null. */
export function diagPatternProblem(p: string): string | null {
  return DIAG_PATTERN.test(p) ? null : `诊断范围“${p}”格式错误，应为编码前缀（如 E11、E88.0）或类目区间（如 I20-I25）`;
}

/** True when the diagnosis code falls under the pattern: a code prefix or an inclusive category range. */
export function diagMatches(pattern: string, code: string): boolean {
  const dash = pattern.indexOf('-');
  if (dash > 0) {
    const cat = code.slice(0, 3);
    return cat >= pattern.slice(0, dash) && cat <= pattern.slice(dash + 1);
  }
  return code.startsWith(pattern);
}

export const splitList = (s: string | null | undefined): string[] =>
  (s ?? '')
    .split(/[,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function checkRestrictions(r: Restriction | null, ctx: UseContext): RestrictionBreach[] {
  if (!r) return [];
  const out: RestrictionBreach[] = [];
  if (r.lmt_gend && ctx.gend !== r.lmt_gend) out.push({ kind: 'gend', message: `限${r.lmt_gend === '1' ? '男' : '女'}性使用` });
  if (r.lmt_age_min !== null && ctx.age < r.lmt_age_min) out.push({ kind: 'age', message: `限${r.lmt_age_min}岁及以上使用，患者${ctx.age}岁` });
  if (r.lmt_age_max !== null && ctx.age > r.lmt_age_max) out.push({ kind: 'age', message: `限${r.lmt_age_max}岁及以下使用，患者${ctx.age}岁` });
  if (r.lmt_diag.length && !ctx.diag_codes.some((c) => r.lmt_diag.some((p) => diagMatches(p, c)))) {
    out.push({ kind: 'diag', message: `限适应症：诊断须在 ${r.lmt_diag.join('、')} 范围内` });
  }
  if (r.lmt_min_hosp_lv && (ctx.hosp_lv === '9' || ctx.hosp_lv < r.lmt_min_hosp_lv)) {
    out.push({ kind: 'hosp_lv', message: `限${'一二三'[Number(r.lmt_min_hosp_lv) - 1]}级及以上医疗机构使用` });
  }
  if (r.lmt_scene.length && !r.lmt_scene.includes(ctx.scene)) out.push({ kind: 'scene', message: `限${r.lmt_scene.map((s) => SCENES[s]).join('、')}使用` });
  if (r.lmt_insutype.length && !r.lmt_insutype.includes(ctx.insutype)) out.push({ kind: 'insutype', message: `限险种 ${r.lmt_insutype.join('、')} 支付` });
  if (r.lmt_max_days !== null && ctx.days !== undefined && ctx.days > r.lmt_max_days) out.push({ kind: 'days', message: `限支付${r.lmt_max_days}天，本次${ctx.days}天` });
  if (r.lmt_max_cnt !== null && ctx.cnt !== undefined && ctx.cnt > Number(r.lmt_max_cnt)) out.push({ kind: 'cnt', message: `每次限${r.lmt_max_cnt}，本次${ctx.cnt}` });
  return out;
}

/** Restriction from its stored row form. */
export function restrictionFromRow(row: {
  lmt_gend: string | null;
  lmt_age_min: number | null;
  lmt_age_max: number | null;
  lmt_diag: string | null;
  lmt_min_hosp_lv: string | null;
  lmt_scene: string | null;
  lmt_insutype: string | null;
  lmt_max_days: number | null;
  lmt_max_cnt: string | null;
  lmt_memo: string;
}): Restriction {
  return {
    lmt_gend: (row.lmt_gend as Restriction['lmt_gend']) ?? null,
    lmt_age_min: row.lmt_age_min,
    lmt_age_max: row.lmt_age_max,
    lmt_diag: splitList(row.lmt_diag),
    lmt_min_hosp_lv: (row.lmt_min_hosp_lv as Restriction['lmt_min_hosp_lv']) ?? null,
    lmt_scene: splitList(row.lmt_scene) as Scene[],
    lmt_insutype: splitList(row.lmt_insutype),
    lmt_max_days: row.lmt_max_days,
    lmt_max_cnt: row.lmt_max_cnt,
    lmt_memo: row.lmt_memo,
  };
}
