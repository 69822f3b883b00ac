/**
 * Insurance relations (参保关系) over time: suspend (暂停参保), resume (恢复参保), terminate (终止参保) and
 * transfer to another pooling area (转移接续). A relation is effective-dated per (psn_no, insutype): each change
 * on date D closes the version in force at D−1 and writes a new version from D, so "what was this person's
 * status on the day of that visit" is always answerable. The first enrollment date (crt_insu_date) travels with
 * every version: continuous insurance years survive a transfer.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { closeAndInsert } from '../platform/effective.js';
import { conflict, notFound, validationError } from '../platform/errors.js';
import { fenToYuan } from '../platform/money.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { requireActorCovers } from '../platform/scope.js';
import { isIsoDate } from '../platform/time.js';
import { admdvsValidOn } from '../standards/admdvs.js';
import { accountBalance, moveAccount } from './account.js';
import { INSU_STAS, type PsnInsuTable } from './types.js';

export type PsnInsu = Selectable<PsnInsuTable>;

export interface RelationChange {
  psn_no: string;
  insutype: string;
  /** The first day the new state applies. */
  date: string;
  memo?: string;
}

/** The version of a relation in force on a date, or undefined. */
export async function relationOn(db: Db | Transaction<Tables>, psn_no: string, insutype: string, on: string): Promise<PsnInsu | undefined> {
  const k = 'k' in db ? db.k : db;
  return k
    .selectFrom('psn_insu')
    .selectAll()
    .where('psn_no', '=', psn_no)
    .where('insutype', '=', insutype)
    .where('begndate', '<=', on)
    .where((eb) => eb.or([eb('enddate', 'is', null), eb('enddate', '>=', on)]))
    .executeTakeFirst();
}

/** All versions of a person's relations, oldest first: the history a handler looks at. */
export async function relationHistory(db: Db, psn_no: string): Promise<PsnInsu[]> {
  return db.k.selectFrom('psn_insu').selectAll().where('psn_no', '=', psn_no).orderBy('insutype').orderBy('begndate').execute();
}

type Version = Omit<PsnInsuTable, 'psn_insu_rltsid'>;

/** Writes the next version of a relation in one transaction with its operation-log row. */
async function changeRelation(
  db: Db,
  actor: Actor,
  c: RelationChange,
  action: string,
  next: (current: PsnInsu) => Partial<Version>,
  allowedFrom: readonly string[],
  /** Further writes that must commit or fail with the change (e.g. moving the account balance). */
  alongside?: (trx: Transaction<Tables>, current: PsnInsu, version: Version) => Promise<void>,
): Promise<PsnInsu> {
  if (!isIsoDate(c.date)) throw validationError(`变更日期格式错误：${c.date}`, [{ field: 'date', message: '应为 yyyy-MM-dd' }]);
  return db.k.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('psn').select(['psn_no', 'death_date']).where('psn_no', '=', c.psn_no).forUpdate().executeTakeFirst();
    if (!person) throw notFound(`参保人 ${c.psn_no} 不存在`);
    const current = await relationOn(trx, c.psn_no, c.insutype, c.date);
    if (!current) throw conflict(`参保人 ${c.psn_no} 在 ${c.date} 没有有效的 ${c.insutype} 参保关系`);
    requireActorCovers(actor, current.insuplc_admdvs);
    if (!allowedFrom.includes(current.psn_insu_stas)) {
      throw conflict(`参保状态为“${INSU_STAS[current.psn_insu_stas as keyof typeof INSU_STAS] ?? current.psn_insu_stas}”，不能执行此操作`);
    }
    if (c.date === current.begndate) throw conflict(`该参保关系自 ${c.date} 起已有版本，同一天只能变更一次`);
    const { psn_insu_rltsid: _id, ...base } = current;
    void _id;
    const version: Version = { ...base, ...next(current), memo: c.memo ?? null, begndate: c.date, enddate: null };
    const closed = await closeAndInsert(trx, 'psn_insu', { psn_no: c.psn_no, insutype: c.insutype }, version);
    const written = await relationOn(trx, c.psn_no, c.insutype, c.date);
    if (alongside) await alongside(trx, current, version);
    await recordOperation(trx, actor, { action, target_type: 'psn_insu', target_id: `${c.psn_no}/${c.insutype}`, admdvs: version.insuplc_admdvs, before: closed, after: version, memo: c.memo ?? null });
    return written!;
  });
}

/** 暂停参保: benefits stop from `date` (e.g. contributions interrupted). */
export function suspendRelation(db: Db, actor: Actor, c: RelationChange): Promise<PsnInsu> {
  return changeRelation(db, actor, c, 'psn_insu.suspend', () => ({ psn_insu_stas: '2', paus_insu_date: c.date }), ['1']);
}

/** 恢复参保: a suspended relation becomes normal again from `date`. */
export function resumeRelation(db: Db, actor: Actor, c: RelationChange): Promise<PsnInsu> {
  return changeRelation(db, actor, c, 'psn_insu.resume', () => ({ psn_insu_stas: '1', paus_insu_date: null }), ['2']);
}

/** 终止参保: the relation ends for good (death, emigration, change of insurance type). */
export function terminateRelation(db: Db, actor: Actor, c: RelationChange): Promise<PsnInsu> {
  return changeRelation(db, actor, c, 'psn_insu.terminate', () => ({ psn_insu_stas: '4' }), ['1', '2']);
}

/**
 * 转移接续: the relation moves to another pooling area from `date`. The personal-account balance moves with it
 * as a pair of ledger rows (转出 from the old area, 转入 into the new) in the same transaction, so each area's
 * account-fund books see the transfer while the person's balance is unchanged.
 */
export async function transferRelation(db: Db, actor: Actor, c: RelationChange & { to_admdvs: string }): Promise<PsnInsu> {
  const areas = await admdvsValidOn(db, isIsoDate(c.date) ? c.date : '9999-12-31');
  const target = areas.get(c.to_admdvs);
  if (!target) throw validationError(`转入区划 ${c.to_admdvs} 不存在或在 ${c.date} 无效`, [{ field: 'to_admdvs', message: '未知的医保区划' }]);
  if (target.poolarea_flag !== '1') throw validationError(`转入区划 ${c.to_admdvs} 不是统筹区`, [{ field: 'to_admdvs', message: '不是统筹区' }]);
  return changeRelation(
    db,
    actor,
    c,
    'psn_insu.transfer',
    (current) => {
      if (current.insuplc_admdvs === c.to_admdvs) throw conflict(`参保人已在 ${c.to_admdvs} 参保，无需转移`);
      return { insuplc_admdvs: c.to_admdvs };
    },
    ['1', '2'],
    async (trx, current) => {
      if (c.insutype !== '310') return;
      const balc = await accountBalance(trx, c.psn_no, '310');
      if (balc <= 0) return;
      const from = current.insuplc_admdvs;
      const ref = { ref_type: 'transfer', ref_id: `${from}->${c.to_admdvs}` };
      await moveAccount(trx, { psn_no: c.psn_no, amt_fen: -balc, move_type: 'transfer_out', ...ref, memo: `转出至 ${c.to_admdvs}` });
      await moveAccount(trx, { psn_no: c.psn_no, amt_fen: balc, move_type: 'transfer_in', ...ref, memo: `自 ${from} 转入` });
      await recordOperation(trx, actor, { action: 'psn_acct.transfer', target_type: 'psn_acct', target_id: c.psn_no, admdvs: c.to_admdvs, after: { amt: fenToYuan(balc), from, to: c.to_admdvs } });
    },
  );
}
