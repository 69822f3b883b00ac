/**
 * Which fee lines a settlement covers, and how 退费 lines count. Owns three facts the settlement steps share:
 *   - a line is settled while a valid settlement (vali_flag 1, not a reversal) lists it in setl_feedetl; a settled
 *     line is never settled again, cancelled (2205 / 2302) or refunded separately;
 *   - 中途结算 (mid_setl_flag 1) covers the unsettled lines up to an optional cut-off date, the final settlement
 *     covers all unsettled lines; earlier valid settlements of the same admission make it a continuation (the
 *     admission counted once, its deductible paid once, the bands walked on);
 *   - a refund line (negative cnt, init_feedetl_sn = an earlier line of the same encounter) is settled as a net with
 *     the line it refunds: the engine sees the original with the remaining quantity and amount.
 * Reads only; settle.ts and fees.ts call it inside their transactions.
 */
import { sql } from 'kysely';
import { conflict } from '../platform/errors.js';
import { yuanToFen, type Fen } from '../platform/money.js';
import { cnt10k, type Continuation, type FeeLine } from './policy/index.js';
import { dayOf } from './common.js';
import { engineLine, type Feedetl } from './fees.js';
import type { Exec } from './types.js';

/** Valid settlements (not reversals) of an encounter, oldest first. */
export async function validSettlements(exec: Exec, mdtrt_id: string) {
  return exec
    .selectFrom('setl')
    .select(['setl_id', 'mid_setl_flag', 'setl_time', 'inscp_scp_amt', 'act_pay_dedc'])
    .where('mdtrt_id', '=', mdtrt_id)
    .where('vali_flag', '=', '1')
    .where('refd_setl_flag', '=', '0')
    .orderBy('setl_time')
    .orderBy('setl_id')
    .execute();
}

/** The feedetl_ids of an encounter that a valid settlement covers. */
export async function settledLineIds(exec: Exec, mdtrt_id: string): Promise<Set<number>> {
  const rows = await exec
    .selectFrom('setl_feedetl as l')
    .innerJoin('setl as s', 's.setl_id', 'l.setl_id')
    .select('l.feedetl_id')
    .where('l.mdtrt_id', '=', mdtrt_id)
    .where('s.vali_flag', '=', '1')
    .where('s.refd_setl_flag', '=', '0')
    .execute();
  return new Set(rows.map((r) => r.feedetl_id));
}

/**
 * The encounter's valid lines in upload order (fees.validLines), which of them a valid settlement covers
 * (settledLineIds) and, when there are lines, the encounter's valid diagnoses (encounters.diagnosisCodes) — one
 * statement for the settlement steps, which need all three.
 */
export async function linesWithSettled(exec: Exec, mdtrt_id: string): Promise<{ all: Feedetl[]; settled: Set<number>; diag_codes: string[] | undefined }> {
  const rows = await exec
    .selectFrom('feedetl as f')
    .selectAll('f')
    .select([
      sql<boolean>`f.feedetl_id in (select l.feedetl_id from setl_feedetl l join setl s on s.setl_id = l.setl_id where l.mdtrt_id = ${mdtrt_id} and s.vali_flag = '1' and s.refd_setl_flag = '0')`.as('setl_covered'),
      // uncorrelated: evaluated once for the statement, not per line
      sql<string[]>`array(select d.diag_code from mdtrt_diag d where d.mdtrt_id = ${mdtrt_id} and d.vali_flag = '1' order by d.diag_srt_no)`.as('enc_diag_codes'),
    ])
    .where('f.mdtrt_id', '=', mdtrt_id)
    .where('f.vali_flag', '=', '1')
    .orderBy('f.feedetl_id')
    .execute();
  const all: Feedetl[] = [];
  const settled = new Set<number>();
  for (const { setl_covered, enc_diag_codes: _, ...row } of rows) {
    all.push(row);
    if (setl_covered) settled.add(row.feedetl_id);
  }
  return { all, settled, diag_codes: rows.length ? [...new Set(rows[0]!.enc_diag_codes)] : undefined };
}

/** What earlier valid 中途结算 of the admission did, or undefined when this settlement starts the admission. */
export function continuationOf(prior: readonly { inscp_scp_amt: string; act_pay_dedc: string }[]): Continuation | undefined {
  if (!prior.length) return undefined;
  let dedc_paid: Fen = 0;
  let pool_base: Fen = 0;
  for (const s of prior) {
    const dedc = yuanToFen(s.act_pay_dedc);
    dedc_paid += dedc;
    pool_base += yuanToFen(s.inscp_scp_amt) - dedc;
  }
  return { dedc_paid, pool_base };
}

/** An original line with the refunds netted against it. */
export interface NetLine {
  row: Feedetl;
  refunds: Feedetl[];
  /** The engine's line: remaining quantity and amount. */
  engine: FeeLine;
}

/** A quantity in ten-thousandths as N(16,4) text. */
export function cntText(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? '-' : ''}${a / 10_000n}.${(a % 10_000n).toString().padStart(4, '0')}`;
}

/**
 * The lines a settlement covers out of the encounter's valid, unsettled lines: originals with a fee date up to
 * `until` (all when absent) with every refund of theirs. A refund whose original is not among the lines is refused
 * (upload prevents it; this is the last check before money moves).
 */
export function coveredLines(unsettled: readonly Feedetl[], until?: string): NetLine[] {
  const refundsOf = new Map<string, Feedetl[]>();
  for (const r of unsettled) {
    if (r.init_feedetl_sn === null) continue;
    const list = refundsOf.get(r.init_feedetl_sn) ?? [];
    list.push(r);
    refundsOf.set(r.init_feedetl_sn, list);
  }
  const originals = unsettled.filter((r) => r.init_feedetl_sn === null);
  const known = new Set(originals.map((r) => r.feedetl_sn));
  for (const sn of refundsOf.keys()) {
    if (!known.has(sn)) throw conflict(`退费明细 ${refundsOf.get(sn)![0]!.feedetl_sn} 对应的原费用明细 ${sn} 不是本次可结算的有效明细，请撤销该退费明细后重新上传`);
  }
  return originals
    .filter((r) => until === undefined || dayOf(r.fee_ocur_time) <= until)
    .map((row) => {
      const refunds = refundsOf.get(row.feedetl_sn) ?? [];
      const base = engineLine(row);
      if (!refunds.length) return { row, refunds, engine: base };
      const cnt = refunds.reduce((s, r) => s + cnt10k(r.cnt), cnt10k(row.cnt));
      const amount = refunds.reduce((s, r) => s + yuanToFen(r.det_item_fee_sumamt), base.det_item_fee_sumamt);
      return { row, refunds, engine: { ...base, cnt: cntText(cnt), det_item_fee_sumamt: amount } };
    });
}
