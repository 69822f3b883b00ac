/**
 * Pre-settlement (2206 / 2303) and settlement (2207 / 2304). Pre-settlement computes and writes nothing but the
 * 事中 audit's evaluation log. Settlement is ONE transaction:
 *   lock the encounter (FOR UPDATE) → refuse if it is settled → lock the patient's and the paying family members'
 *   person rows (sorted, so two settlements never wait on each other in opposite orders) → compute with the
 *   accumulator rows locked → write setl, setl_fund (setldetail), setl_feedetl (the split per line),
 *   setl_mulaid, the accumulators and their move, the personal-account and 家庭共济 movements (enrollment's
 *   ledger functions on this transaction), the fund ledger and the operation log → mark the encounter settled.
 * Two simultaneous settlements of one encounter: the second waits on the encounter lock, then finds it settled
 * and is refused with a Chinese message; the partial unique index setl_one_valid is the last line of defence.
 * 中途结算 (mid_setl_flag 1, inpatient): settles the unsettled lines so far and leaves the stay open (setl_flag stays
 * 0); later settlements of the admission continue it (lines.ts). Each setl_feedetl row marks a line settled: an
 * original carries the net split, a refund line netted into it carries zeros. The 事中 audit (audit.ts) runs on the
 * lines inside the computation; its snapshot is taken before the transaction and its log written after it.
 */
import type { Insertable, Transaction } from 'kysely';
import type { Tables } from '../platform/db.js';
import { conflict, YibaoError } from '../platform/errors.js';
import { blockSetlId } from './id-block.js';
import { bpToRatio, fenToYuan } from '../platform/money.js';
import { payFromAccount } from '../enrollment/account.js';
import { payForFamilyMember } from '../enrollment/family.js';
import { medTypeFamily } from './policy/index.js';
import { onExec } from './common.js';
import { operationRow } from '../platform/oplog.js';
import { compute, accountOwners, type Computation, type SettleRequest } from './compute.js';
import { auditGate, logSettlementAudit } from './audit.js';
import { requireAgreement, requireEncounter, type Mdtrt } from './context.js';
import { accumulatorRows, withAccumulatorWrites } from './accumulators.js';
import { detailOut, fundRowsOf, rowOfInfo, setlinfoOut, type SetlDetailWire, type SetlinfoWire } from './wire.js';
import type { Caller, Exec, SetlTable } from './types.js';

export interface SettleOutput {
  setlinfo: SetlinfoWire;
  setldetail: SetlDetailWire[];
  /** Audit warnings and notes for the envelope's warn_msg (not part of the output node). */
  warnings: string[];
}

/** 清算类别 by med_type family: 11 门诊 (门慢特 too), 21 住院, 41 药店. */
export function clrTypeOf(med_type: string): string {
  const fam = medTypeFamily(med_type);
  return fam === '21' ? '21' : fam === '41' ? '41' : '11';
}

/** 按项目 — the only payment way yibao settles in real time (DRG/DIP are cleared later by payment/). */
export const CLR_WAY_ITEM = '1';

function output(caller: Caller, c: Computation, setl_id: string | undefined, req: SettleRequest, warnings: string[]): SettleOutput {
  return {
    warnings,
    setlinfo: setlinfoOut(
      {
        mdtrt_id: c.enc.mdtrt_id,
        ...(setl_id ? { setl_id } : {}),
        person: c.person,
        setl_time: caller.at,
        mdtrt_cert_type: req.mdtrt_cert_type,
        med_type: c.med_type,
        medins_setl_id: caller.msgid,
        clr_optins: c.enc.mdtrtarea_admvs,
        clr_way: CLR_WAY_ITEM,
        clr_type: clrTypeOf(c.med_type),
      },
      c.result.setlinfo,
    ),
    setldetail: detailOut(c.result.setldetail),
  };
}

/** 2206 / 2303: the settlement as it would be now; nothing is written. */
export async function preSettle(caller: Caller, kind: '1' | '2', req: SettleRequest): Promise<SettleOutput> {
  const enc = await requireEncounter(caller.db.k, caller, req.mdtrt_id, { psn_no: req.psn_no, kind });
  refuseIfSettled(enc);
  await requireAgreement(caller.db, caller, caller.today);
  const gate = await auditGate(caller, kind, true, { psn_no: enc.psn_no, mdtrt_id: enc.mdtrt_id });
  const c = await compute(caller.db, caller, enc, req, false, gate);
  const logged = c.audit ? await logSettlementAudit(caller, kind === '2' ? '2303' : '2206', c.audit) : [];
  return output(caller, c, undefined, req, [...(c.audit?.warnings ?? []), ...logged]);
}

function refuseIfSettled(enc: Mdtrt): void {
  if (enc.setl_flag === '1') throw conflict(`就诊ID ${enc.mdtrt_id} 已结算，不能重复结算；如需重新结算，请先撤销原结算`);
}

/** Locks person rows in a fixed order (the ledger's own locks then never wait in opposite orders). */
export async function lockPersons(exec: Exec, psn_nos: readonly string[]): Promise<void> {
  const unique = [...new Set(psn_nos)].sort();
  if (unique.length) await exec.selectFrom('psn').select('psn_no').where('psn_no', 'in', unique).orderBy('psn_no').forUpdate().execute();
}

/** 2207 / 2304: settles the encounter's valid lines in one transaction (see the header). */
export async function settleEncounter(caller: Caller, kind: '1' | '2', req: SettleRequest): Promise<SettleOutput> {
  const setl_id = await blockSetlId(caller.db, caller.mdtrtarea_admvs, caller.at);
  // the audit's reads (snapshot, the patient's history, the configuration) happen before the transaction opens
  const gate = await auditGate(caller, kind, false, { psn_no: req.psn_no, mdtrt_id: req.mdtrt_id });
  try {
    const c = await caller.db.k.transaction().execute(async (trx) => {
      const db = onExec(caller.db, trx);
      const enc = await requireEncounter(trx, caller, req.mdtrt_id, { psn_no: req.psn_no, kind, forUpdate: true });
      refuseIfSettled(enc);
      await requireAgreement(db, caller, caller.today);
      await lockPersons(trx, [enc.psn_no, ...(await accountOwners(db, enc.psn_no, caller.today))]);
      const c = await compute(db, caller, enc, req, true, gate);
      await writeSettlement(trx, caller, c, setl_id, req);
      return c;
    });
    const logged = c.audit ? await logSettlementAudit(caller, kind === '2' ? '2304' : '2207', c.audit) : [];
    return output(caller, c, setl_id, req, [...(c.audit?.warnings ?? []), ...logged]);
  } catch (e) {
    // the partial unique index refused a second valid settlement that slipped past the lock (should not happen)
    if (!(e instanceof YibaoError) && /setl_one_valid/.test(String((e as Error).message))) {
      throw conflict(`就诊ID ${req.mdtrt_id} 已结算，不能重复结算；如需重新结算，请先撤销原结算`);
    }
    throw e;
  }
}

async function writeSettlement(trx: Transaction<Tables>, caller: Caller, c: Computation, setl_id: string, req: SettleRequest): Promise<void> {
  const { enc, person, result } = c;
  const i = result.setlinfo;
  const clr_type = clrTypeOf(c.med_type);
  const row: Insertable<SetlTable> = {
    setl_id,
    mdtrt_id: enc.mdtrt_id,
    psn_no: enc.psn_no,
    insutype: enc.insutype,
    psn_type: person.psn_type,
    cvlserv_flag: person.cvlserv_flag,
    med_type: c.med_type,
    mdtrt_cert_type: req.mdtrt_cert_type,
    psn_setlway: req.psn_setlway,
    acct_used_flag: req.acct_used_flag,
    mid_setl_flag: req.mid_setl_flag ?? '0',
    invono: req.invono ?? null,
    setl_time: caller.at,
    policy_id: c.policy.policy_id,
    ...rowOfInfo(i),
    medins_setl_id: caller.msgid,
    fixmedins_code: enc.fixmedins_code,
    mdtrtarea_admvs: enc.mdtrtarea_admvs,
    insuplc_admdvs: enc.insuplc_admdvs,
    clr_optins: enc.mdtrtarea_admvs,
    clr_way: CLR_WAY_ITEM,
    clr_type,
    refd_setl_flag: '0',
    init_setl_id: null,
  };
  const ledger = result.setldetail
    .filter((d) => d.fund_payamt !== 0)
    .map((d) => ({
      setl_id,
      init_setl_id: null,
      fund_pay_type: d.fund_pay_type,
      amt: fenToYuan(d.fund_payamt),
      insu_admdvs: enc.insuplc_admdvs,
      mdtrtarea_admvs: enc.mdtrtarea_admvs,
      fixmedins_code: enc.fixmedins_code,
      psn_no: enc.psn_no,
      insutype: enc.insutype,
      clr_type,
      setl_time: caller.at,
    }));
  const split = c.lines.flatMap((l, k) => [
    {
      setl_id,
      feedetl_id: c.covered[k]!.row.feedetl_id,
      mdtrt_id: enc.mdtrt_id,
      feedetl_sn: l.feedetl_sn,
      det_item_fee_sumamt: fenToYuan(l.det_item_fee_sumamt),
      fulamt_ownpay_amt: fenToYuan(l.fulamt_ownpay_amt),
      overlmt_amt: fenToYuan(l.overlmt_amt),
      preselfpay_amt: fenToYuan(l.preselfpay_amt),
      inscp_scp_amt: fenToYuan(l.inscp_scp_amt),
      chrgitm_lv: l.chrgitm_lv,
      selfpay_prop: bpToRatio(l.selfpay_prop),
    },
    // refund lines netted into the original: settled with it, their money is in the original's net row
    ...c.covered[k]!.refunds.map((r) => ({ setl_id, feedetl_id: r.feedetl_id, mdtrt_id: enc.mdtrt_id, feedetl_sn: r.feedetl_sn, det_item_fee_sumamt: '0.00', fulamt_ownpay_amt: '0.00', overlmt_amt: '0.00', preselfpay_amt: '0.00', inscp_scp_amt: '0.00', chrgitm_lv: l.chrgitm_lv, selfpay_prop: bpToRatio(l.selfpay_prop) })),
  ]);
  const mid = row.mid_setl_flag === '1';
  // One statement for the settlement's own rows — setl, setl_fund, the first 500 setl_feedetl, setl_mulaid,
  // fund_ledger, the accumulators and their move, the operation log — and the encounter's update (data-modifying
  // CTEs: one round trip instead of nine; foreign keys are checked at the end of the statement, when the setl row
  // exists). A 中途结算 leaves the stay open.
  const SPLIT_CHUNK = 500;
  const funds = fundRowsOf(setl_id, result.setldetail);
  let q = trx.with('s', (db) => db.insertInto('setl').values(row).returning('setl_id'));
  // the accumulators' totals and the settlement's move ride in the same statement (accumulators.ts)
  q = withAccumulatorWrites(q, accumulatorRows(c.accKey, setl_id, result.delta, result.after), true);
  if (funds.length) q = q.with('f', (db) => db.insertInto('setl_fund').values(funds).returning('setl_id')) as unknown as typeof q;
  // a final settlement after 中途结算 that took every line has none of its own
  if (split.length) q = q.with('l', (db) => db.insertInto('setl_feedetl').values(split.slice(0, SPLIT_CHUNK)).returning('setl_id')) as unknown as typeof q;
  if (result.mulaid.length) q = q.with('m', (db) => db.insertInto('setl_mulaid').values(result.mulaid.map((m) => ({ setl_id, psn_no: m.psn_no, amt: fenToYuan(m.amt), balc: fenToYuan(m.balc) }))).returning('setl_id')) as unknown as typeof q;
  if (ledger.length) q = q.with('g', (db) => db.insertInto('fund_ledger').values(ledger).returning('setl_id')) as unknown as typeof q;
  const op = operationRow(caller.actor, {
    action: 'setl.settle',
    target_type: 'setl',
    target_id: setl_id,
    admdvs: enc.insuplc_admdvs,
    after: {
      setl_id,
      mdtrt_id: enc.mdtrt_id,
      psn_no: enc.psn_no,
      policy_id: c.policy.policy_id,
      lines: split.length,
      mid_setl_flag: row.mid_setl_flag,
      audit_refused: c.audit?.refused.size ?? 0,
      medfee_sumamt: row.medfee_sumamt,
      fund_pay_sumamt: row.fund_pay_sumamt,
      acct_pay: row.acct_pay,
      acct_mulaid_pay: row.acct_mulaid_pay,
      psn_cash_pay: row.psn_cash_pay,
      medins_setl_id: caller.msgid,
    },
  });
  q = q.with('o', (db) => db.insertInto('opt_log').values(op).returning('log_id')) as unknown as typeof q;
  await q.updateTable('mdtrt').set({ ...(mid ? {} : { setl_flag: '1' as const }), med_type: c.med_type, updt_time: new Date() }).where('mdtrt_id', '=', enc.mdtrt_id).execute();
  for (let k = SPLIT_CHUNK; k < split.length; k += SPLIT_CHUNK) await trx.insertInto('setl_feedetl').values(split.slice(k, k + SPLIT_CHUNK)).execute();

  // the accounts: the ledger re-checks the balance under the person lock; any difference aborts the settlement.
  // lockPersons (settleEncounter) already holds the patient's and the family owners' locks.
  const memo = `就诊ID ${enc.mdtrt_id} 结算`;
  if (i.acct_pay > 0) {
    const after = await payFromAccount(trx, { psn_no: enc.psn_no, amt_fen: i.acct_pay, ref_type: 'setl', ref_id: setl_id, memo }, { personLocked: true });
    if (after !== i.balc) throw new YibaoError('INTERNAL', `个人账户余额与结算计算不一致（${fenToYuan(after)} ≠ ${fenToYuan(i.balc)}）`);
  }
  for (const m of result.mulaid) {
    const after = await payForFamilyMember(trx, { owner_psn_no: m.psn_no, mem_psn_no: enc.psn_no, amt_fen: m.amt, on: caller.today, ref_type: 'setl', ref_id: setl_id }, { personLocked: true });
    if (after !== m.balc) throw new YibaoError('INTERNAL', `共济账户 ${m.psn_no} 余额与结算计算不一致`);
  }
}
