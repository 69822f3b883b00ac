/**
 * Accumulators in SQL (待遇累计, tables setl_acc_year / setl_acc_grp / setl_acc_move): reading a person's year —
 * locked FOR UPDATE inside a settlement — and writing a settlement's delta: the totals become `after` and the
 * delta is kept as the settlement's move, so the totals always equal the sum of the moves and a reversal (the
 * negated move) restores them to the fen.
 */
import { sql, type QueryCreator } from 'kysely';
import type { Tables } from '../platform/db.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { emptyAccumulators, type Accumulators } from './policy/index.js';
import type { Exec } from './types.js';

export interface AccKey {
  psn_no: string;
  insutype: string;
  year: number;
}

/**
 * The person's accumulators of a year (zeros when none); `forUpdate` locks the rows that exist. One statement: the
 * year row left-joined with its groups (one row even when neither exists).
 */
export async function loadAccumulators(exec: Exec, key: AccKey, forUpdate = false): Promise<Accumulators> {
  return (await readAccumulators(exec, key, forUpdate, false)).acc;
}

/**
 * loadAccumulators and the person's personal-account balance (enrollment's accountBalance, 职工 account 310) in the
 * same statement — what a settlement reads last before the engine runs. Inside a settlement the person's row is
 * already locked, so no movement can come between the two.
 */
export async function loadAccumulatorsAndBalance(exec: Exec, key: AccKey, forUpdate = false): Promise<{ acc: Accumulators; balc: Fen }> {
  const r = await readAccumulators(exec, key, forUpdate, true);
  return { acc: r.acc, balc: yuanToFen(r.balc ?? '0') };
}

async function readAccumulators(exec: Exec, key: AccKey, forUpdate: boolean, balance: boolean): Promise<{ acc: Accumulators; balc: string | null }> {
  const lock = forUpdate ? sql` for update` : sql``;
  const balc = balance ? sql`(select coalesce(sum(amt), 0)::numeric(16,2) from psn_acct_ledger where psn_no = ${key.psn_no} and insutype = '310')` : sql`null::numeric`;
  const { rows } = await sql<{
    admissions: number | null;
    large_base: string | null;
    large_paid: string | null;
    cvlserv_paid: string | null;
    maf_paid: string | null;
    acc_grp: string | null;
    dedc_used: string | null;
    pool_base: string | null;
    pool_paid: string | null;
    balc: string | null;
  }>`with y as (select * from setl_acc_year where psn_no = ${key.psn_no} and insutype = ${key.insutype} and year = ${key.year}${lock}),
g as (select * from setl_acc_grp where psn_no = ${key.psn_no} and insutype = ${key.insutype} and year = ${key.year}${lock})
select y.admissions, y.large_base, y.large_paid, y.cvlserv_paid, y.maf_paid, g.acc_grp, g.dedc_used, g.pool_base, g.pool_paid, ${balc} as balc
from (select 1) as one left join y on true left join g on true order by g.acc_grp`.execute(exec);
  const acc = emptyAccumulators();
  const y = rows[0];
  if (y && y.admissions !== null) {
    acc.admissions = y.admissions;
    acc.large_base = yuanToFen(y.large_base!);
    acc.large_paid = yuanToFen(y.large_paid!);
    acc.cvlserv_paid = yuanToFen(y.cvlserv_paid!);
    acc.maf_paid = yuanToFen(y.maf_paid!);
  }
  for (const g of rows) if (g.acc_grp !== null) acc.groups[g.acc_grp] = { dedc_used: yuanToFen(g.dedc_used!), pool_base: yuanToFen(g.pool_base!), pool_paid: yuanToFen(g.pool_paid!) };
  return { acc, balc: y?.balc ?? null };
}

/** The rows a settlement's (or reversal's) delta writes: the year row and the touched groups as `after`, the move. */
export function accumulatorRows(key: AccKey, setl_id: string, delta: Accumulators, after: Accumulators) {
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
  const touched = Object.keys(delta.groups);
  const groups = touched.map((acc_grp) => {
    const g = after.groups[acc_grp]!;
    return { psn_no: key.psn_no, insutype: key.insutype, year: key.year, acc_grp, dedc_used: fenToYuan(g.dedc_used), pool_base: fenToYuan(g.pool_base), pool_paid: fenToYuan(g.pool_paid) };
  });
  const acc_grp = touched[0] ?? '';
  const d = delta.groups[acc_grp] ?? { dedc_used: 0, pool_base: 0, pool_paid: 0 };
  const move = {
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
  };
  return { year, groups, move };
}

export type AccumulatorRows = ReturnType<typeof accumulatorRows>;

/**
 * Adds the totals' upserts (year row, touched groups) to a statement as data-modifying CTEs (acc_y, acc_g), and
 * the move (acc_m) when `withMove`: a settlement writes them in the same round trip as its own rows.
 */
export function withAccumulatorWrites<Q>(q: Q, rows: AccumulatorRows, withMove: boolean): Q {
  const now = new Date();
  const { year, groups, move } = rows;
  // the CTE names are the statement's own; the caller's builder type is kept (as settle.ts does for its CTEs)
  let out = (q as unknown as QueryCreator<Tables>).with('acc_y', (db) =>
    db
      .insertInto('setl_acc_year')
      .values(year)
      .onConflict((oc) =>
        oc.columns(['psn_no', 'insutype', 'year']).doUpdateSet({ admissions: year.admissions, large_base: year.large_base, large_paid: year.large_paid, cvlserv_paid: year.cvlserv_paid, maf_paid: year.maf_paid, updt_time: now }),
      )
      .returning('psn_no'),
  ) as unknown as QueryCreator<Tables>;
  if (groups.length) {
    out = out.with('acc_g', (db) =>
      db
        .insertInto('setl_acc_grp')
        .values(groups)
        .onConflict((oc) =>
          oc.columns(['psn_no', 'insutype', 'year', 'acc_grp']).doUpdateSet((eb) => ({ dedc_used: eb.ref('excluded.dedc_used'), pool_base: eb.ref('excluded.pool_base'), pool_paid: eb.ref('excluded.pool_paid'), updt_time: now })),
        )
        .returning('psn_no'),
    ) as unknown as QueryCreator<Tables>;
  }
  if (withMove) out = out.with('acc_m', (db) => db.insertInto('setl_acc_move').values(move).returning('setl_id')) as unknown as QueryCreator<Tables>;
  return out as unknown as Q;
}

/**
 * Writes a settlement's (or reversal's) delta: the year row and the touched groups become `after`, and the delta
 * is recorded as the settlement's move — one statement. The caller holds the person's lock, so no other
 * settlement races.
 */
export async function writeAccumulators(exec: Exec, key: AccKey, setl_id: string, delta: Accumulators, after: Accumulators): Promise<void> {
  const rows = accumulatorRows(key, setl_id, delta, after);
  await withAccumulatorWrites(exec, rows, false).insertInto('setl_acc_move').values(rows.move).execute();
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
