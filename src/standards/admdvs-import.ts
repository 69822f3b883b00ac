/**
 * Importing administrative areas (医保区划): from a CSV/TSV file or from rows (the demo region). Validates the
 * code shape, level, parent (in the same batch or already in force) of a higher level, and periods; a changed
 * area closes its current row. All-or-nothing, with the operation logged.
 */
import type { Db } from '../platform/db.js';
import type { FieldProblem } from '../platform/errors.js';
import { closeAndInsert, findOverlaps } from '../platform/effective.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { writingTo } from '../platform/cache.js';
import { isIsoDate } from '../platform/time.js';
import { admdvsValidOn, type AdmdvsTable } from './admdvs.js';
import { checkColumns, readDelimitedFile, rejectIfProblems, type ImportReport } from './import-report.js';

export type AreaInput = AdmdvsTable & { row?: number };

export function checkAreas(areas: AreaInput[], existing: Map<string, AdmdvsTable>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const inBatch = new Map(areas.map((a) => [a.admdvs, a]));
  areas.forEach((a, i) => {
    const row = a.row ?? i + 1;
    if (!/^\d{6}$/.test(a.admdvs)) problems.push({ row, field: 'admdvs', message: '应为6位数字' });
    if (!a.admdvs_name) problems.push({ row, field: 'admdvs_name', message: '名称不能为空' });
    if (!['1', '2', '3'].includes(a.admdvs_lv)) problems.push({ row, field: 'admdvs_lv', message: '级别应为 1（省级）、2（市级）或 3（区县级）' });
    if (!['0', '1'].includes(a.poolarea_flag)) problems.push({ row, field: 'poolarea_flag', message: '应为 0 或 1' });
    if (!isIsoDate(a.begndate)) problems.push({ row, field: 'begndate', message: '应为 yyyy-MM-dd' });
    if (a.enddate !== null && (!isIsoDate(a.enddate) || a.enddate < a.begndate)) problems.push({ row, field: 'enddate', message: '格式错误或早于开始日期' });
    if (a.admdvs_lv === '1') {
      if (a.prnt_admdvs) problems.push({ row, field: 'prnt_admdvs', message: '省级区划不应有上级区划' });
    } else {
      const parent = a.prnt_admdvs ? (inBatch.get(a.prnt_admdvs) ?? existing.get(a.prnt_admdvs)) : undefined;
      if (!a.prnt_admdvs) problems.push({ row, field: 'prnt_admdvs', message: '市级、区县级区划必须有上级区划' });
      else if (!parent) problems.push({ row, field: 'prnt_admdvs', message: `上级区划 ${a.prnt_admdvs} 不存在` });
      else if (Number(parent.admdvs_lv) >= Number(a.admdvs_lv)) problems.push({ row, field: 'prnt_admdvs', message: `上级区划 ${a.prnt_admdvs} 的级别不高于本区划` });
    }
  });
  for (const [a, b] of findOverlaps(areas, (x) => x.admdvs)) {
    problems.push({ row: areas[b]!.row ?? b + 1, field: 'begndate', message: `区划 ${areas[b]!.admdvs} 的有效期与第${areas[a]!.row ?? a + 1}行重叠` });
  }
  return problems;
}

/** Writes areas (validated) in one transaction; a changed area closes its row in force. */
export async function importAreas(db: Db, areas: AreaInput[], actor: Actor, file = '(rows)'): Promise<ImportReport> {
  const earliest = areas.reduce((m, a) => (a.begndate < m ? a.begndate : m), '9999-12-31');
  const existing = await admdvsValidOn(db, isIsoDate(earliest) ? earliest : '1900-01-01');
  rejectIfProblems('医保区划', checkAreas(areas, existing));
  let inserted = 0;
  let closed = 0;
  await writingTo('admdvs', () => db.k.transaction().execute(async (trx) => {
    // parents first, so that a batch can hold a province and its cities
    const ordered = [...areas].sort((x, y) => x.admdvs_lv.localeCompare(y.admdvs_lv));
    for (const { row: _row, ...a } of ordered) {
      const prev = await closeAndInsert(trx, 'admdvs', { admdvs: a.admdvs }, a);
      inserted++;
      if (prev) closed++;
    }
    await recordOperation(trx, actor, { action: 'admdvs.import', target_type: 'admdvs', after: { file, read: areas.length, inserted, closed } });
  }));
  return { kind: 'admdvs', file, read: areas.length, inserted, closed, rejected: [] };
}

export const AREA_COLUMNS = { required: ['admdvs', 'admdvs_name', 'admdvs_lv', 'begndate'], optional: ['prnt_admdvs', 'poolarea_flag', 'enddate'] } as const;

/** CSV/TSV columns: admdvs,admdvs_name,admdvs_lv,prnt_admdvs,poolarea_flag,begndate[,enddate] */
export async function importAreasFile(db: Db, filePath: string, actor: Actor): Promise<ImportReport> {
  const d = readDelimitedFile(filePath);
  checkColumns(d, AREA_COLUMNS.required, AREA_COLUMNS.optional);
  const areas: AreaInput[] = d.rows.map(({ row, values: v }) => ({
    row,
    admdvs: v.admdvs ?? '',
    admdvs_name: v.admdvs_name ?? '',
    admdvs_lv: (v.admdvs_lv ?? '') as AreaInput['admdvs_lv'],
    prnt_admdvs: v.prnt_admdvs || null,
    poolarea_flag: (v.poolarea_flag || '0') as AreaInput['poolarea_flag'],
    begndate: v.begndate ?? '',
    enddate: v.enddate || null,
  }));
  return importAreas(db, areas, actor, filePath);
}
