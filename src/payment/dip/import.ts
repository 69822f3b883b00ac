/**
 * Imports a published DIP catalogue (a region's 病种目录库) from CSV/TSV, all-or-nothing: every row is checked first
 * and a bad row refuses the whole file with a report naming each row (as a spreadsheet counts it, header = row 1) and
 * field. The result is saved as a draft version (store.ts) to be published from a date.
 *
 * Columns (docs/import-formats.md style; names are case-sensitive):
 *   dip_code   病种编码 (unique in the file)                              required
 *   dip_name   病种名称                                                  required
 *   grp_type   core | comprehensive | basic, or 核心/综合/基层(病种)         required
 *   diag_key   core/basic: subcategory K80.1 (or category K80); comprehensive: category K80 / K8 / K, or a
 *              chapter range K00-K93                                      required
 *   oprn_type  0–3, or 保守治疗 / 诊断性操作 / 治疗性操作 / 相关手术        required
 *   oprn_combo procedure combination: codes joined by + (all) and / (any); empty = 保守治疗; comprehensive: empty
 *   score      病种分值 (> 0)                                             required
 *   mean_cost  次均费用, yuan with at most 2 decimals                     optional (grouping's closest-cost tie-break)
 *   case_cnt, mean_los, rw                                                optional (rw defaults to score ÷ scale)
 */
import type { Db } from '../../platform/db.js';
import type { FieldProblem } from '../../platform/errors.js';
import { yuanToFen } from '../../platform/money.js';
import type { Actor } from '../../platform/oplog.js';
import { checkColumns, parseDelimited, rejectIfProblems } from '../../standards/import-report.js';
import { DEFAULT_PARAMS } from './build.js';
import { saveDipCatalogue } from './store.js';
import type { DipCatalogue, DipGroup, GroupType, OprnType } from './types.js';

export const DIP_COLUMNS = { required: ['dip_code', 'dip_name', 'grp_type', 'diag_key', 'oprn_type', 'score'], optional: ['oprn_combo', 'mean_cost', 'case_cnt', 'mean_los', 'rw'] } as const;

const GRP_TYPES: Record<string, GroupType> = { core: 'core', 核心: 'core', 核心病种: 'core', comprehensive: 'comprehensive', 综合: 'comprehensive', 综合病种: 'comprehensive', basic: 'basic', 基层: 'basic', 基层病种: 'basic' };
const OPRN_TYPES: Record<string, OprnType> = { '0': '0', '1': '1', '2': '2', '3': '3', 保守治疗: '0', 保守: '0', 诊断性操作: '1', 治疗性操作: '2', 相关手术: '3', 手术: '3' };

const SUBCAT_RE = /^[A-Z]\d{2}(\.[\dx])?$/;
const COMP_KEY_RE = /^([A-Z](\d{1,2})?|[A-Z]\d{2}-[A-Z]\d{2})$/;
const PROC_RE = /^\d{2}(\.\d{1,4}([x\dA-Z]\d{1,4})?)?$/;
const DEC_RE = /^\d+(\.\d+)?$/;

export interface ImportOptions {
  /** score = RW × scale (default 100): used for rw when the file has none */
  scale?: number;
}

/** Reads and checks the file; throws one VALIDATION error listing every bad row and field. Pure. */
export function readDipCatalogueFile(input: string | Uint8Array, opts: ImportOptions = {}): DipCatalogue {
  const scale = opts.scale ?? 100;
  const d = parseDelimited(input);
  checkColumns(d, DIP_COLUMNS.required, DIP_COLUMNS.optional);
  const problems: FieldProblem[] = [];
  const groups: DipGroup[] = [];
  const codes = new Map<string, number>();
  const combos = new Map<string, number>();
  for (const { row, values: v } of d.rows) {
    const bad = (field: string, message: string) => problems.push({ row, field, message });
    const code = v.dip_code ?? '';
    const name = v.dip_name ?? '';
    if (!code) bad('dip_code', '病种编码不能为空');
    else if (codes.has(code)) bad('dip_code', `病种编码 ${code} 重复（另见第${codes.get(code)}行）`);
    else codes.set(code, row);
    if (!name) bad('dip_name', '病种名称不能为空');
    const grp = GRP_TYPES[v.grp_type ?? ''];
    if (!grp) bad('grp_type', `病种类型“${v.grp_type ?? ''}”无效，应为 core/comprehensive/basic（核心/综合/基层）`);
    const type = OPRN_TYPES[v.oprn_type ?? ''];
    if (!type) bad('oprn_type', `手术操作类型“${v.oprn_type ?? ''}”无效，应为 0–3 或 保守治疗/诊断性操作/治疗性操作/相关手术`);
    const key = (v.diag_key ?? '').trim();
    if (!key) bad('diag_key', '诊断键不能为空');
    else if (grp === 'comprehensive' ? !COMP_KEY_RE.test(key) : grp && !SUBCAT_RE.test(key)) {
      bad('diag_key', grp === 'comprehensive' ? `诊断键“${key}”应为类目（如 K80、K8、K）或章节范围（如 K00-K93）` : `诊断键“${key}”应为诊断亚目（如 K80.1）或类目（如 K80）`);
    }
    const combo = (v.oprn_combo ?? '').replace(/\s+/g, '');
    const badCode = combo ? combo.split('+').flatMap((part) => part.split('/')).find((c) => !PROC_RE.test(c)) : undefined;
    if (badCode !== undefined) bad('oprn_combo', `手术操作组合“${combo}”中的“${badCode}”不是手术操作编码（组合用 + 连接必需项，用 / 分隔可选项）`);
    if (grp === 'comprehensive' && combo) bad('oprn_combo', '综合病种不应填写手术操作组合');
    if (grp && grp !== 'comprehensive' && key && badCode === undefined) {
      const ck = `${key}|${combo.split('+').sort().join('+')}`;
      if (combos.has(ck)) bad('oprn_combo', `诊断键 ${key} 与手术操作组合“${combo || '（保守治疗）'}”与第${combos.get(ck)}行重复`);
      else combos.set(ck, row);
    }
    const scoreText = v.score ?? '';
    const score = DEC_RE.test(scoreText) ? Number(scoreText) : NaN;
    if (!(score > 0)) bad('score', `病种分值“${scoreText}”应为正数`);
    let mean = 0;
    if (v.mean_cost) {
      try {
        mean = yuanToFen(v.mean_cost, 'mean_cost');
        if (mean < 0) throw new Error();
      } catch {
        bad('mean_cost', `次均费用“${v.mean_cost}”应为最多两位小数的非负金额`);
      }
    }
    let caseCnt = 0;
    if (v.case_cnt) {
      if (/^\d+$/.test(v.case_cnt)) caseCnt = Number(v.case_cnt);
      else bad('case_cnt', `例数“${v.case_cnt}”应为非负整数`);
    }
    let los: number | null = null;
    if (v.mean_los) {
      if (DEC_RE.test(v.mean_los)) los = Number(v.mean_los);
      else bad('mean_los', `平均住院日“${v.mean_los}”应为非负数`);
    }
    let rw = score / scale;
    if (v.rw) {
      if (DEC_RE.test(v.rw) && Number(v.rw) > 0) rw = Number(v.rw);
      else bad('rw', `权重“${v.rw}”应为正数`);
    }
    if (grp && type && score > 0) {
      groups.push({ dip_code: code, dip_name: name, grp_type: grp, diag_key: key, oprn_type: type, oprn_combo: combo, combo_parts: combo ? combo.split('+').length : 0, case_cnt: caseCnt, mean_cost: mean, mean_los: los, rw: Math.round(rw * 1e6) / 1e6, score });
    }
  }
  if (!d.rows.length) problems.push({ row: 2, message: '文件没有任何病种行' });
  rejectIfProblems('DIP 病种目录', problems);
  return { cat_ver: null, params: { ...DEFAULT_PARAMS, scale, yearWeights: {} }, overall_mean: null, case_cnt: groups.reduce((s, g) => s + g.case_cnt, 0), groups, aux: [] };
}

/** Reads the file and saves it as a draft catalogue version. */
export async function importDipCatalogue(db: Db, actor: Actor, input: string | Uint8Array, meta: { cat_ver: string; cat_name: string; admdvs: string }, opts: ImportOptions = {}): Promise<{ cat_ver: string; groups: number }> {
  const cat = readDipCatalogueFile(input, opts);
  await saveDipCatalogue(db, actor, cat, { ...meta, source: 'imported' });
  return { cat_ver: meta.cat_ver, groups: cat.groups.length };
}
