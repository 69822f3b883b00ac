/**
 * The stored settlement lists as DIP history: the version in force of every submitted or locked list discharged in a
 * date range, as HistoryCase (principal diagnosis, secondary diagnoses, procedures main first, total cost = Σ
 * iteminfo.amt, discharge year, death = 离院方式 5, age, length of stay), read in pages so a year of lists is never
 * held in memory at once.
 */
import type { Db } from '../../platform/db.js';
import { sumFen, yuanToFen } from '../../platform/money.js';
import { ageOn } from '../../platform/time.js';
import { parseWhen } from '../qc/engine.js';
import type { SetlListInput } from '../setl-list/fields.js';
import { mainOprnOf, principalOf } from '../setl-list/service.js';
import type { DipCase, HistoryCase } from './types.js';

/** One settlement list (as uploaded) as a case to group: what DIP reads from 4101. Null without a principal diagnosis. */
export function dipCaseOf(list: SetlListInput): DipCase | null {
  const s = list.setlinfo;
  const principal = principalOf(list);
  if (!principal?.diag_code) return null;
  const western = (list.diseinfo ?? []).filter((r) => (r.diag_type === undefined || r.diag_type === '1') && r !== principal && r.diag_code);
  const main = mainOprnOf(list);
  const ops = list.oprninfo ?? [];
  const procedures = [...(main ? [main] : []), ...ops.filter((r) => r !== main)].map((r) => r.oprn_oprt_code).filter((c): c is string => !!c);
  const adm = parseWhen(s.adm_time)?.date;
  const brdy = parseWhen(s.brdy)?.date;
  const age = s.age !== undefined && /^\d+(\.\d+)?$/.test(s.age) ? Math.floor(Number(s.age)) : brdy && adm && brdy <= adm ? ageOn(brdy, adm) : null;
  const los = s.act_ipt_days !== undefined && /^\d+$/.test(s.act_ipt_days) ? Number(s.act_ipt_days) : null;
  let cost: number | null = null;
  try {
    cost = sumFen((list.iteminfo ?? []).map((r) => yuanToFen(r.amt ?? '0')));
  } catch {
    cost = null;
  }
  return { ...(s.setl_id ? { id: s.setl_id } : {}), pdx: principal.diag_code, dx: western.map((r) => r.diag_code!), procedures, cost, died: s.dscg_way === '5', age, los };
}

export interface HistoryQuery {
  /** discharge dates, inclusive */
  from: string;
  to: string;
  fixmedins_code?: string;
  pageSize?: number;
}

export async function* setlListHistory(db: Db, q: HistoryQuery): AsyncGenerator<HistoryCase> {
  const size = q.pageSize ?? 500;
  let after = '';
  for (;;) {
    let sel = db.k
      .selectFrom('setl_list as h')
      .innerJoin('setl_list_ver as v', 'v.setl_list_id', 'h.setl_list_id')
      .select(['v.setl_list_id', 'v.setl_id', 'v.main_diag_code', 'v.medfee_sumamt', 'v.dscg_date', 'v.dscg_way', 'v.age', 'v.brdy', 'v.adm_time', 'v.act_ipt_days'])
      .where('h.stas_type', 'in', ['1', '2'])
      .where('v.dscg_date', '>=', q.from)
      .where('v.dscg_date', '<=', q.to)
      .where('v.setl_list_id', '>', after);
    if (q.fixmedins_code) sel = sel.where('h.fixmedins_code', '=', q.fixmedins_code);
    const rows = await sel.orderBy('v.setl_list_id').limit(size).execute();
    if (!rows.length) return;
    const ids = rows.map((r) => r.setl_list_id);
    const diags = await db.k.selectFrom('setl_list_diag').select(['setl_list_id', 'seq', 'diag_code', 'diag_type', 'maindiag_flag']).where('setl_list_id', 'in', ids).orderBy('setl_list_id').orderBy('seq').execute();
    const oprns = await db.k.selectFrom('setl_list_oprn').select(['setl_list_id', 'seq', 'oprn_oprt_code', 'main_flag']).where('setl_list_id', 'in', ids).orderBy('setl_list_id').orderBy('seq').execute();
    for (const r of rows) {
      if (!r.main_diag_code || !r.dscg_date) continue;
      const dx = diags.filter((d) => d.setl_list_id === r.setl_list_id && d.diag_type === '1' && d.maindiag_flag !== '1').map((d) => d.diag_code);
      const ops = oprns.filter((o) => o.setl_list_id === r.setl_list_id);
      const procedures = [...ops.filter((o) => o.main_flag === '1'), ...ops.filter((o) => o.main_flag !== '1')].map((o) => o.oprn_oprt_code);
      const admDate = r.adm_time ? new Date(r.adm_time.getTime() + 8 * 3600_000).toISOString().slice(0, 10) : null;
      const age = r.age !== null ? Math.floor(Number(r.age)) : r.brdy && admDate ? ageOn(r.brdy, admDate) : null;
      yield {
        id: r.setl_id,
        pdx: r.main_diag_code,
        dx,
        procedures,
        cost: yuanToFen(r.medfee_sumamt),
        year: Number(r.dscg_date.slice(0, 4)),
        died: r.dscg_way === '5',
        age,
        los: r.act_ipt_days,
      };
    }
    after = rows[rows.length - 1]!.setl_list_id;
    if (rows.length < size) return;
  }
}
