/**
 * The personal account (个人账户) as a ledger: every movement is a row, the balance is their sum, nothing is
 * updated in place. Debits lock the person's row first so concurrent payments cannot overdraw.
 * Functions accept the caller's transaction so a settlement can pay from the account atomically.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { conflict, notFound, validationError } from '../platform/errors.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';

type Exec = Kysely<Tables> | Transaction<Tables>;

export interface AccountMove {
  psn_no: string;
  insutype?: string;
  amt_fen: Fen;
  move_type: 'credit_fund' | 'pay' | 'refund' | 'mulaid_out' | 'mulaid_in' | 'transfer_out' | 'transfer_in' | 'adjust';
  ref_type?: string;
  ref_id?: string;
  memo?: string;
}

export async function accountBalance(exec: Exec | Db, psn_no: string, insutype = '310'): Promise<Fen> {
  const k = 'k' in exec ? exec.k : exec;
  const r = await k
    .selectFrom('psn_acct_ledger')
    .select(sql<string>`coalesce(sum(amt), 0)::numeric(16,2)`.as('balc'))
    .where('psn_no', '=', psn_no)
    .where('insutype', '=', insutype)
    .executeTakeFirst();
  return yuanToFen(r?.balc ?? '0');
}

async function lockPerson(trx: Exec, psn_no: string): Promise<void> {
  const p = await trx.selectFrom('psn').select('psn_no').where('psn_no', '=', psn_no).forUpdate().executeTakeFirst();
  if (!p) throw notFound(`参保人 ${psn_no} 不存在`);
}

/**
 * Writes one movement; a debit that would make the balance negative is refused. Returns the balance after.
 * `personLocked`: the caller's transaction already holds the person's row lock (a settlement locks its payers
 * first), so the balance check and the row are one statement — under the lock, no other movement can interleave.
 */
export async function moveAccount(trx: Transaction<Tables>, m: AccountMove, opts: { personLocked?: boolean } = {}): Promise<Fen> {
  if (!Number.isSafeInteger(m.amt_fen) || m.amt_fen === 0) throw validationError('账户变动金额必须是非零的整分金额');
  const insutype = m.insutype ?? '310';
  if (opts.personLocked) return moveLocked(trx, m, insutype);
  await lockPerson(trx, m.psn_no);
  const before = await accountBalance(trx, m.psn_no, insutype);
  const after = before + m.amt_fen;
  if (after < 0) throw conflict(`个人账户余额不足：余额 ${fenToYuan(before)} 元，需支付 ${fenToYuan(-m.amt_fen)} 元`);
  await trx
    .insertInto('psn_acct_ledger')
    .values({ psn_no: m.psn_no, insutype, move_type: m.move_type, amt: fenToYuan(m.amt_fen), ref_type: m.ref_type ?? null, ref_id: m.ref_id ?? null, memo: m.memo ?? null })
    .execute();
  return after;
}

async function moveLocked(trx: Transaction<Tables>, m: AccountMove, insutype: string): Promise<Fen> {
  const amt = fenToYuan(m.amt_fen);
  const { rows } = await sql<{ balc: string; written: number }>`with b as (select coalesce(sum(amt), 0)::numeric(16,2) as balc from psn_acct_ledger where psn_no = ${m.psn_no} and insutype = ${insutype}),
w as (insert into psn_acct_ledger (psn_no, insutype, move_type, amt, ref_type, ref_id, memo)
  select ${m.psn_no}, ${insutype}, ${m.move_type}, ${amt}::numeric(16,2), ${m.ref_type ?? null}, ${m.ref_id ?? null}, ${m.memo ?? null} from b where b.balc + ${amt}::numeric(16,2) >= 0 returning 1)
select b.balc, (select count(*) from w)::int as written from b`.execute(trx);
  const before = yuanToFen(rows[0]!.balc);
  if (!Number(rows[0]!.written)) throw conflict(`个人账户余额不足：余额 ${fenToYuan(before)} 元，需支付 ${fenToYuan(-m.amt_fen)} 元`);
  return before + m.amt_fen;
}

/** Credits the account (划入); amount in fen, positive. */
export async function creditAccount(db: Db, m: Omit<AccountMove, 'move_type' | 'amt_fen'> & { amt_fen: Fen }): Promise<Fen> {
  if (m.amt_fen <= 0) throw validationError('划入金额必须大于0');
  return db.k.transaction().execute((trx) => moveAccount(trx, { ...m, move_type: 'credit_fund' }));
}

/** Pays from the account inside the caller's transaction; amount in fen, positive. Returns the balance after. */
export async function payFromAccount(
  trx: Transaction<Tables>,
  m: { psn_no: string; amt_fen: Fen; insutype?: string; ref_type?: string; ref_id?: string; memo?: string },
  opts: { personLocked?: boolean } = {},
): Promise<Fen> {
  if (m.amt_fen <= 0) throw validationError('支付金额必须大于0');
  return moveAccount(trx, { ...m, amt_fen: -m.amt_fen, move_type: 'pay' }, opts);
}
