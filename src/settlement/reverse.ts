/**
 * Settlement reversal (2208 outpatient / pharmacy, 2305 inpatient, and 2601 冲正 of a 2207 / 2304): one
 * transaction that writes the exact negation of the original — a new setl row (refd_setl_flag 1, init_setl_id the
 * original, every amount ≤ 0), negative setl_fund and setl_mulaid rows, the negated accumulator move, refunds to
 * the personal and family accounts of exactly what they paid, negative fund-ledger rows — and flips two status
 * flags (the original's vali_flag, the encounter's setl_flag). Nothing about money is updated in place. The
 * encounter keeps its fee lines; the HIS may settle again or cancel them. The settlements of one admission (中途结算
 * and final) are reversed newest in the chain first: a later valid settlement continues the earlier one (its
 * deductible and bands start where the earlier left off), so reversing the earlier first would not restore exactly.
 * "Later" is the chain's write order (setl_seq, compute.ts stayChain), not setl_time: setl_time is when the request
 * arrived, and a request that arrived first may have settled second.
 */
import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Tables } from '../platform/db.js';
import { conflict, notFound, validationError, YibaoError } from '../platform/errors.js';
import { blockSetlId } from './id-block.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { recordOperation } from '../platform/oplog.js';
import { accountBalance, moveAccount } from '../enrollment/account.js';
import { reverseSettlement, type Settlement } from './policy/index.js';
import { onExec } from './common.js';
import { loadAccumulators, loadMove, writeAccumulators } from './accumulators.js';
import { requireEncounter } from './context.js';
import { stayChain } from './compute.js';
import { lockPersons } from './settle.js';
import { detailOfRows, detailOut, fundRowsOf, infoOfRow, reversalOut, rowOfInfo, type ReversalWire, type SetlDetailWire } from './wire.js';
import type { Caller, SetlTable } from './types.js';

export interface ReverseInput {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
}

export interface ReverseOutput {
  setlinfo: ReversalWire;
  setldetail: SetlDetailWire[];
}

/** 2208 / 2305: reverses a valid settlement of the encounter (see the header). */
export async function reverseSettlementOf(caller: Caller, kind: '1' | '2', input: ReverseInput): Promise<ReverseOutput> {
  const rev_id = await blockSetlId(caller.db, caller.mdtrtarea_admvs, caller.at);
  return caller.db.k.transaction().execute(async (trx) => {
    const enc = await requireEncounter(trx, caller, input.mdtrt_id, { psn_no: input.psn_no, kind, forUpdate: true, valid: false });
    const orig = await trx.selectFrom('setl').selectAll().where('setl_id', '=', input.setl_id).forUpdate().executeTakeFirst();
    if (!orig) throw notFound(`结算ID ${input.setl_id} 不存在`);
    if (orig.mdtrt_id !== enc.mdtrt_id) throw validationError(`结算ID ${input.setl_id} 不属于就诊ID ${enc.mdtrt_id}`, [{ field: 'setl_id', message: '与就诊ID不符' }]);
    if (orig.refd_setl_flag === '1') throw conflict(`结算ID ${input.setl_id} 是一笔撤销记录，不能再撤销`);
    if (orig.vali_flag !== '1') {
      const by = await trx.selectFrom('setl').select(['setl_id', 'setl_time']).where('init_setl_id', '=', orig.setl_id).executeTakeFirst();
      throw conflict(`结算ID ${input.setl_id} 已撤销${by ? `（撤销结算ID ${by.setl_id}）` : ''}，不能重复撤销`);
    }
    return reverseRow(caller, trx, orig, rev_id);
  });
}

/** Reverses a locked, valid settlement row inside the caller's transaction. */
export async function reverseRow(caller: Caller, trx: Transaction<Tables>, orig: Selectable<SetlTable>, rev_id: string): Promise<ReverseOutput> {
  const later = (await stayChain(trx, orig.mdtrt_id)).filter((s) => s.setl_seq > orig.setl_seq);
  if (later.length) {
    throw conflict(`结算ID ${orig.setl_id} 之后本次住院还有有效结算 ${later.map((s) => s.setl_id).join('、')}，请先撤销后面的结算，再撤销此笔${orig.mid_setl_flag === '1' ? '中途' : ''}结算`);
  }
  const funds = await trx.selectFrom('setl_fund').selectAll().where('setl_id', '=', orig.setl_id).orderBy('seq').execute();
  const mulaidRows = await trx.selectFrom('setl_mulaid').selectAll().where('setl_id', '=', orig.setl_id).orderBy('psn_no').execute();
  const move = await loadMove(trx, orig.setl_id);
  if (!move) throw new YibaoError('INTERNAL', `结算ID ${orig.setl_id} 缺少待遇累计记录，不能撤销`);
  await lockPersons(trx, [orig.psn_no, ...mulaidRows.map((m) => m.psn_no)]);

  const acc = await loadAccumulators(trx, move.key, true);
  const db = onExec(caller.db, trx);
  const balc = await accountBalance(db, orig.psn_no);
  const family: Record<string, Fen> = {};
  for (const m of mulaidRows) family[m.psn_no] = await accountBalance(db, m.psn_no);
  const original: Settlement = {
    setlinfo: infoOfRow(orig),
    setldetail: detailOfRows(funds),
    mulaid: mulaidRows.map((m) => ({ psn_no: m.psn_no, amt: yuanToFen(m.amt), balc: yuanToFen(m.balc) })),
    delta: move.delta,
    after: acc,
  };
  const rev = reverseSettlement(original, { acc, balc, family });
  for (const [k, g] of Object.entries(rev.after.groups)) {
    if (g.dedc_used < 0 || g.pool_base < 0 || g.pool_paid < 0) throw new YibaoError('INTERNAL', `撤销后待遇累计 ${k} 为负数，累计数据不一致`);
  }
  const i = rev.setlinfo;
  // setl_seq is the database's (this row's place in the chain), not the original's
  const { vali_flag: _v, crte_time: _c, setl_seq: _s, ...kept } = orig;
  const row: Insertable<SetlTable> = {
    ...kept,
    setl_id: rev_id,
    setl_time: caller.at,
    ...rowOfInfo(i),
    medins_setl_id: caller.msgid,
    refd_setl_flag: '1',
    init_setl_id: orig.setl_id,
  };
  await trx.updateTable('setl').set({ vali_flag: '0' }).where('setl_id', '=', orig.setl_id).execute();
  await trx.insertInto('setl').values(row).execute();
  if (rev.setldetail.length) await trx.insertInto('setl_fund').values(fundRowsOf(rev_id, rev.setldetail)).execute();
  if (rev.mulaid.length) await trx.insertInto('setl_mulaid').values(rev.mulaid.map((m) => ({ setl_id: rev_id, psn_no: m.psn_no, amt: fenToYuan(m.amt), balc: fenToYuan(m.balc) }))).execute();
  await writeAccumulators(trx, move.key, rev_id, rev.delta, rev.after);

  const memo = `撤销结算 ${orig.setl_id}`;
  const paid = yuanToFen(orig.acct_pay);
  if (paid > 0) await moveAccount(trx, { psn_no: orig.psn_no, amt_fen: paid, move_type: 'refund', ref_type: 'setl', ref_id: rev_id, memo });
  for (const m of rev.mulaid) {
    await moveAccount(trx, { psn_no: m.psn_no, amt_fen: -m.amt, move_type: 'refund', ref_type: 'setl', ref_id: rev_id, memo: `${memo}：退回为共济人员 ${orig.psn_no} 支付的金额` });
  }

  const ledger = rev.setldetail
    .filter((d) => d.fund_payamt !== 0)
    .map((d) => ({
      setl_id: rev_id,
      init_setl_id: orig.setl_id,
      fund_pay_type: d.fund_pay_type,
      amt: fenToYuan(d.fund_payamt),
      insu_admdvs: orig.insuplc_admdvs,
      mdtrtarea_admvs: orig.mdtrtarea_admvs,
      fixmedins_code: orig.fixmedins_code,
      psn_no: orig.psn_no,
      insutype: orig.insutype,
      clr_type: orig.clr_type,
      setl_time: caller.at,
    }));
  if (ledger.length) await trx.insertInto('fund_ledger').values(ledger).execute();
  await trx.updateTable('mdtrt').set({ setl_flag: '0', updt_time: new Date() }).where('mdtrt_id', '=', orig.mdtrt_id).execute();
  await recordOperation(trx, caller.actor, {
    action: 'setl.reverse',
    target_type: 'setl',
    target_id: orig.setl_id,
    admdvs: orig.insuplc_admdvs,
    before: { setl_id: orig.setl_id, vali_flag: '1', medfee_sumamt: orig.medfee_sumamt, fund_pay_sumamt: orig.fund_pay_sumamt, acct_pay: orig.acct_pay },
    after: { setl_id: rev_id, init_setl_id: orig.setl_id, vali_flag: '0', medins_setl_id: caller.msgid },
  });
  return {
    setlinfo: reversalOut({ mdtrt_id: orig.mdtrt_id, setl_id: rev_id, clr_optins: orig.clr_optins, setl_time: caller.at, medins_setl_id: caller.msgid }, i),
    setldetail: detailOut(rev.setldetail),
  };
}
