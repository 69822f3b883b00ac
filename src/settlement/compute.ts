/**
 * The computation shared by pre-settlement (2206 / 2303) and settlement (2207 / 2304): load the person, the
 * encounter's valid unsettled lines (a 中途结算 only those up to its cut-off date; refunds netted with their
 * originals, lines.ts), classify them with the treating region's catalogue and the encounter's facts now, run the
 * 事中 audit (audit.ts: refused lines become 全自费), find the insured region's policy, read the accumulators and
 * accounts, and run the engine — as a continuation of the admission when earlier 中途结算 are valid. It writes
 * nothing; settle.ts runs it inside its transaction with the rows locked, so the same unchanged fees give the
 * same figures both times.
 *
 * A stay's valid settlements form a chain in write order (setl_seq, migration 0020; stayChain): a continuation
 * applies the 起付标准 of the chain's first settlement (dedc_std) and must keep its med_type. A stay whose lines
 * were all settled by 中途结算 is closed by a final settlement without lines (all amounts zero): it marks the stay
 * settled, so discharge and reconciliation see a finished stay.
 */
import type { Db } from '../platform/db.js';
import { conflict, validationError } from '../platform/errors.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { accountBalance } from '../enrollment/account.js';
import { accountOwnersFor } from '../enrollment/family.js';
import { findPolicy, settle, type Accumulators, type ClassifiedLine, type Policy, type Settlement } from './policy/index.js';
import { dayOf, wireTime, yearOf } from './common.js';
import { checkMedTypeFits, requireEntitledPerson, type Mdtrt, type PersonFacts } from './context.js';
import { loadAccumulatorsAndBalance, type AccKey } from './accumulators.js';
import { classifyForEncounter } from './fees.js';
import { diagnosisCodes } from './encounters.js';
import { continuationOf, coveredLines, linesWithSettled, type NetLine } from './lines.js';
import { deductible, type StayContinuation } from './policy/deductible.js';
import type { SetlInfoWithStd } from './wire.js';
import { applyRefusals, auditSettlement, refusalInfo, type AuditGate, type AuditOutcome } from './audit.js';
import type { Caller, Exec } from './types.js';

export interface SettleRequest {
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  /** 2206 / 2207 send it; 2303 / 2304 use the admission's. */
  med_type?: string;
  mdtrt_cert_type: string;
  mdtrt_cert_no?: string;
  /** 医疗费总额 the HIS believes it is settling: must equal the uploaded lines' total. */
  medfee_sumamt: Fen;
  psn_setlway: string;
  acct_used_flag: string;
  chrg_bchno?: string;
  invono?: string;
  mid_setl_flag?: string;
  /** 中途结算: settle the lines with a fee date up to this day ('yyyy-MM-dd' or wire date-time; 2303 / 2304 dscgTime). */
  mid_setl_until?: string;
  /** 2207 / 2304 repeat the split from 2206 / 2303; when all four are sent they must agree. */
  fulamt_ownpay_amt?: Fen;
  overlmt_selfpay?: Fen;
  preselfpay_amt?: Fen;
  inscp_scp_amt?: Fen;
}

export interface Computation {
  enc: Mdtrt;
  person: PersonFacts;
  med_type: string;
  policy: Policy;
  /** The originals settled, each with the refunds netted against it (aligned with `lines`). */
  covered: NetLine[];
  lines: ClassifiedLine[];
  /** Earlier valid 中途结算 of this admission, when this settlement continues it (with the stay's 起付标准). */
  continuation: StayContinuation | undefined;
  /** The 事中 audit's result (null when the caller did not ask for one). */
  audit: AuditOutcome | null;
  accKey: AccKey;
  acc: Accumulators;
  /** The engine's settlement; setlinfo also carries the 起付标准 applied (dedc_std, written to setl). */
  result: Settlement & { setlinfo: SetlInfoWithStd };
  /** Family account owners paying, in order. */
  family: { psn_no: string; balc: Fen }[];
}

/**
 * The valid settlements (not reversals) of a stay in chain order — the order they were written in under the
 * encounter lock (setl_seq), never the requests' arrival times. Each later one continues all earlier ones.
 */
export async function stayChain(exec: Exec, mdtrt_id: string) {
  return exec
    .selectFrom('setl')
    .select(['setl_id', 'setl_seq', 'mid_setl_flag', 'med_type', 'inscp_scp_amt', 'act_pay_dedc', 'dedc_std'])
    .where('mdtrt_id', '=', mdtrt_id)
    .where('vali_flag', '=', '1')
    .where('refd_setl_flag', '=', '0')
    .orderBy('setl_seq')
    .execute();
}

/** What the earlier valid settlements of the stay did, with the first one's 起付标准; undefined when there are none. */
function stayContinuation(chain: Awaited<ReturnType<typeof stayChain>>): StayContinuation | undefined {
  const cont = continuationOf(chain);
  if (!cont) return undefined;
  const std = chain[0]!.dedc_std;
  return std === null ? cont : { ...cont, dedc_std: yuanToFen(std) };
}

/** The settlement date's year and the person's accounts: whose locks a settlement must hold. */
export async function accountOwners(db: Db, psn_no: string, on: string): Promise<string[]> {
  return (await accountOwnersFor(db, psn_no, on)).map((l) => l.psn_no);
}

/**
 * Runs the engine for an encounter as it stands. `forUpdate` locks the accumulator rows (inside settle's
 * transaction, where `db` is the transaction's view).
 */
export async function compute(db: Db, caller: Caller, enc: Mdtrt, req: SettleRequest, forUpdate: boolean, gate?: AuditGate): Promise<Computation> {
  if (req.insutype !== enc.insutype) throw validationError(`险种类型 ${req.insutype} 与就诊登记的险种 ${enc.insutype} 不符`, [{ field: 'insutype', message: '与就诊登记不符' }]);
  const mid = req.mid_setl_flag === '1';
  if (mid && enc.ipt_otp_flag !== '2') throw validationError('中途结算（mid_setl_flag = 1）只适用于住院', [{ field: 'mid_setl_flag', message: '门诊不能中途结算' }]);
  const until = mid && req.mid_setl_until ? dayOf(wireTime(req.mid_setl_until, 'dscgTime')) : undefined;
  const med_type = req.med_type ?? enc.med_type;
  checkMedTypeFits(med_type, enc.ipt_otp_flag, caller);
  const person = await requireEntitledPerson(db, caller, enc.psn_no, enc.insutype, dayOf(enc.begntime));

  const { all, settled, diag_codes: encDiagCodes } = await linesWithSettled(db.k, enc.mdtrt_id);
  const covered = coveredLines(all.filter((r) => !settled.has(r.feedetl_id)), until);
  // every valid settlement of an open stay covers lines (a 中途结算 needs some; the closing one without lines
  // marks the stay settled, which settle.ts refuses before computing): no line settled → no chain to read
  const chain = settled.size ? await stayChain(db.k, enc.mdtrt_id) : [];
  const continuation = stayContinuation(chain);
  // every line already settled by 中途结算: the final settlement closes the stay without lines
  const closing = !covered.length && !mid && continuation !== undefined;
  if (!covered.length && !closing) {
    throw conflict(settled.size ? `就诊ID ${enc.mdtrt_id} 的费用明细${until ? `（截至 ${until}）` : ''}均已中途结算，没有待结算的费用明细` : `就诊ID ${enc.mdtrt_id} 没有待结算的费用明细${until ? `（截至 ${until}）` : ''}，请先上传费用明细`);
  }
  if (chain.length && chain[0]!.med_type !== med_type) {
    throw conflict(`就诊ID ${enc.mdtrt_id} 已按医疗类别 ${chain[0]!.med_type} 中途结算（结算ID ${chain[0]!.setl_id}），不能按医疗类别 ${med_type} 继续结算；如需变更医疗类别，请先撤销中途结算`);
  }
  // the diagnoses serve the classification and the audit: one read
  const diag_codes = covered.length ? (encDiagCodes ?? (await diagnosisCodes(db.k, enc.mdtrt_id))) : [];
  let lines = covered.length ? await classifyForEncounter(db, caller, enc, covered.map((n) => n.engine), med_type, diag_codes) : [];
  const lineCount = covered.reduce((s, n) => s + 1 + n.refunds.length, 0);
  const total = lines.reduce((s, l) => s + l.det_item_fee_sumamt, 0);
  if (req.medfee_sumamt !== total) {
    throw validationError(`医疗费总额 ${fenToYuan(req.medfee_sumamt)} 元与${mid ? '本次中途结算' : '已上传'}的 ${lineCount} 条费用明细合计 ${fenToYuan(total)} 元不符`, [{ field: 'medfee_sumamt', message: '与费用明细合计不符' }]);
  }
  let audit: AuditOutcome | null = null;
  if (gate && covered.length) {
    audit = await auditSettlement(db, gate, {
      caller,
      enc,
      person,
      med_type,
      diag_codes,
      lines: covered.map((n, k) => ({ row: n.row, cnt: n.engine.cnt, line: lines[k]! })),
      earlier: all.filter((r) => settled.has(r.feedetl_id)),
    });
    lines = applyRefusals(lines, audit.refused);
  }

  const policy = await findPolicy(db, { insu_admdvs: enc.insuplc_admdvs, insutype: enc.insutype, med_type, hosp_lv: caller.institution.hosp_lv, psn_type: person.psn_type, on: caller.today });
  const accKey: AccKey = { psn_no: enc.psn_no, insutype: enc.insutype, year: yearOf(caller.today) };
  const { acc, balc } = await loadAccumulatorsAndBalance(db.k, accKey, forUpdate);
  const family: { psn_no: string; balc: Fen }[] = [];
  for (const owner of await accountOwners(db, enc.psn_no, caller.today)) family.push({ psn_no: owner, balc: await accountBalance(db, owner) });

  const computed = settle({
    lines,
    policy,
    acc,
    person: { psn_type: person.psn_type, cvlserv_flag: person.cvlserv_flag, idet_types: person.idet_types },
    account: { acct_used_flag: req.acct_used_flag, balc, family },
    ...(continuation ? { continuation } : {}),
  });
  // the engine's deductible step again, for the standard it applied (kept on the row for later parts of the stay)
  const dedc_std = deductible(policy, acc, computed.setlinfo.inscp_scp_amt, continuation).std;
  const result = { ...computed, setlinfo: { ...computed.setlinfo, dedc_std } };
  const refusal = audit ? refusalInfo(audit.refused) : null;
  if (refusal) result.setldetail[0] = { ...result.setldetail[0]!, setl_proc_info: `${result.setldetail[0]!.setl_proc_info}；${refusal}` };
  checkClientSplit(req, result);
  return { enc, person, med_type, policy, covered, lines, continuation, audit, accKey, acc, result, family };
}

/** 2207 / 2304 carry the split the HIS got from pre-settlement; a settlement must not pay something else. */
function checkClientSplit(req: SettleRequest, s: Settlement): void {
  const sent = [req.fulamt_ownpay_amt, req.overlmt_selfpay, req.preselfpay_amt, req.inscp_scp_amt];
  if (sent.some((v) => v === undefined)) return;
  const i = s.setlinfo;
  const pairs: [string, string, Fen, Fen][] = [
    ['fulamt_ownpay_amt', '全自费金额', req.fulamt_ownpay_amt!, i.fulamt_ownpay_amt],
    ['overlmt_selfpay', '超限价金额', req.overlmt_selfpay!, i.overlmt_selfpay],
    ['preselfpay_amt', '先行自付金额', req.preselfpay_amt!, i.preselfpay_amt],
    ['inscp_scp_amt', '符合政策范围金额', req.inscp_scp_amt!, i.inscp_scp_amt],
  ];
  const bad = pairs.filter(([, , a, b]) => a !== b);
  if (bad.length) {
    throw validationError(
      `结算金额与本次计算结果不一致：${bad.map(([, name, a, b]) => `${name} 送 ${fenToYuan(a)} 元，计算为 ${fenToYuan(b)} 元`).join('；')}。请重新预结算后再结算`,
      bad.map(([field]) => ({ field, message: '与计算结果不符' })),
    );
  }
}
