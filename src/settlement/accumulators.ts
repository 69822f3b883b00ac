/**
 * Accumulators in SQL (待遇累计, tables setl_acc_year / setl_acc_grp / setl_acc_move): reading a person's year —
 * locked FOR UPDATE inside a settlement — and writing a settlement's delta: the totals become `after` and the
 * delta is kept as the settlement's move, so the totals always equal the sum of the moves and a reversal (the
 * negated move) restores them to the fen.
 */
import { fenToYuan, yuanToFen } from '../platform/money.js';
import { emptyAccumulators, type Accumulators } from './policy/index.js';
import type { Exec } from './types.js';

export interface AccKey {
  psn_no: string;
  insutype: string;
  year: number;
}

/** The person's accumulators of a year (zeros when none); `forUpdate` locks the rows that exist. */
export async function loadAccumulators(exec: Exec, key: AccKey, forUpdate = false): Promise<Accumulators> {
  let yq = exec.selectFrom('setl_acc_year').selectAll().where('psn_no', '=', key.psn_no).where('insutype', '=', key.insutype).where('year', '=', key.year);
  let gq = exec.selectFrom('setl_acc_grp').selectAll().where('psn_no', '=', key.psn_no).where('insutype', '=', key.insutype).where('year', '=', key.year).orderBy('acc_grp');
  if (forUpdate) {
    yq = yq.forUpdate();
    gq = gq.forUpdate();
  }
  const y = await yq.executeTakeFirst();
  const groups = await gq.execute();
  const acc = emptyAccumulators();
  if (y) {
    acc.admissions = y.admissions;
    acc.large_base = yuanToFen(y.large_base);
    acc.large_paid = yuanToFen(y.large_paid);
    acc.cvlserv_paid = yuanToFen(y.cvlserv_paid);
    acc.maf_paid = yuanToFen(y.maf_paid);
  }
  for (const g of groups) acc.groups[g.acc_grp] = { dedc_used: yuanToFen(g.dedc_used), pool_base: yuanToFen(g.pool_base), pool_paid: yuanToFen(g.pool_paid) };
  return acc;
}

/**
 * Writes a settlement's (or reversal's) delta: the year row and the touched groups become `after`, and the delta
 * is recorded as the settlement's move. The caller holds the person's lock, so no other settlement races.
 */
export async function writeAccumulators(exec: Exec, key: AccKey, setl_id: string, delta: Accumulators, after: Accumulators): Promise<void> {
  const now = new Date();
  const year = {
    psn_no: key.psn_no,
    insutype: key.insutype,
    year: key.year,
    admissions: after.admissions,
    large_base: fenToYuan(after.large_base),
    large_paid: fenToYuan(after.large_paid),
    cvlserv_paid: fenToYuan(after.cvlserv_paid),
    maf_paid: fenToYuan(after.maf_paid),
  };
  await exec
    .insertInto('setl_acc_year')
    .values(year)
    .onConflict((oc) =>
      oc.columns(['psn_no', 'insutype', 'year']).doUpdateSet({ admissions: year.admissions, large_base: year.large_base, large_paid: year.large_paid, cvlserv_paid: year.cvlserv_paid, maf_paid: year.maf_paid, updt_time: now }),
    )
    .execute();
  const touched = Object.keys(delta.groups);
  for (const acc_grp of touched) {
    const g = after.groups[acc_grp]!;
    const row = { psn_no: key.psn_no, insutype: key.insutype, year: key.year, acc_grp, dedc_used: fenToYuan(g.dedc_used), pool_base: fenToYuan(g.pool_base), pool_paid: fenToYuan(g.pool_paid) };
    await exec
      .insertInto('setl_acc_grp')
      .values(row)
      .onConflict((oc) => oc.columns(['psn_no', 'insutype', 'year', 'acc_grp']).doUpdateSet({ dedc_used: row.dedc_used, pool_base: row.pool_base, pool_paid: row.pool_paid, updt_time: now }))
      .execute();
  }
  const acc_grp = touched[0] ?? '';
  const d = delta.groups[acc_grp] ?? { dedc_used: 0, pool_base: 0, pool_paid: 0 };
  await exec
    .insertInto('setl_acc_move')
    .values({
      setl_id,
      psn_no: key.psn_no,
      insutype: key.insutype,
      year: key.year,
      acc_grp,
      admissions: delta.admissions,
      dedc_used: fenToYuan(d.dedc_used),
      pool_base: fenToYuan(d.pool_base),
      pool_paid: fenToYuan(d.pool_paid),
      large_base: fenToYuan(delta.large_base),
      large_paid: fenToYuan(delta.large_paid),
      cvlserv_paid: fenToYuan(delta.cvlserv_paid),
      maf_paid: fenToYuan(delta.maf_paid),
    })
    .execute();
}

/** A settlement's move as the engine's delta, and the year it counted in. */
export async function loadMove(exec: Exec, setl_id: string): Promise<{ key: AccKey; delta: Accumulators } | undefined> {
  const m = await exec.selectFrom('setl_acc_move').selectAll().where('setl_id', '=', setl_id).executeTakeFirst();
  if (!m) return undefined;
  return {
    key: { psn_no: m.psn_no, insutype: m.insutype, year: m.year },
    delta: {
      admissions: m.admissions,
      groups: { [m.acc_grp]: { dedc_used: yuanToFen(m.dedc_used), pool_base: yuanToFen(m.pool_base), pool_paid: yuanToFen(m.pool_paid) } },
      large_base: yuanToFen(m.large_base),
      large_paid: yuanToFen(m.large_paid),
      cvlserv_paid: yuanToFen(m.cvlserv_paid),
      maf_paid: yuanToFen(m.maf_paid),
    },
  };
}
