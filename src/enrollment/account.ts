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

/** Writes one movement; a debit that would make the balance negative is refused. Returns the balance after. */
export async function moveAccount(trx: Transaction<Tables>, m: AccountMove): Promise<Fen> {
  if (!Number.isSafeInteger(m.amt_fen) || m.amt_fen === 0) throw validationError('账户变动金额必须是非零的整分金额');
  const insutype = m.insutype ?? '310';
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

/** Credits the account (划入); amount in fen, positive. */
export async function creditAccount(db: Db, m: Omit<AccountMove, 'move_type' | 'amt_fen'> & { amt_fen: Fen }): Promise<Fen> {
  if (m.amt_fen <= 0) throw validationError('划入金额必须大于0');
  return db.k.transaction().execute((trx) => moveAccount(trx, { ...m, move_type: 'credit_fund' }));
}

/** Pays from the account inside the caller's transaction; amount in fen, positive. Returns the balance after. */
export async function payFromAccount(trx: Transaction<Tables>, m: { psn_no: string; amt_fen: Fen; insutype?: string; ref_type?: string; ref_id?: string; memo?: string }): Promise<Fen> {
  if (m.amt_fen <= 0) throw validationError('支付金额必须大于0');
  return moveAccount(trx, { ...m, amt_fen: -m.amt_fen, move_type: 'pay' });
}
