/**
 * Fee lines (费用明细): upload (2204 outpatient / pharmacy, 2301 inpatient) and cancellation (2205 by batch, 2302 by
 * line, "0000" = all). An upload is validated as a whole — every line's amount exact (pric × cnt rounded to the
 * fen, at most 2 decimals), its serial new, its date inside the encounter, its code known, its prescriber not
 * suspended — then classified by the policy engine (settlement-policy.md §1) and stored with its split in one
 * transaction; the split is returned per line. Nothing is written when any line is wrong.
 * 退费 (refund) lines: negative cnt and amount, init_feedetl_sn naming a valid, unsettled, non-refund line of the same
 * encounter with the same item and price; all refunds of a line together never exceed it (refunds.ts checks them).
 * A refund's split is the original item's split of the refunded quantity, negated; settlement nets it (lines.ts).
 * Settled lines (a valid 中途结算 lists them) cannot be cancelled; "0000" cancels the unsettled ones.
 */
import { conflict, validationError } from '../platform/errors.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { operationRow, recordOperation } from '../platform/oplog.js';
import { bpToRatio } from '../platform/money.js';
import { classifyLines, cnt10k, exactLineAmount, pricFen, pricMicro, type ClassifiedLine, type FeeLine } from './policy/index.js';
import { dayOf, onExec, Problems, toWireTime, wireTime } from './common.js';
import { settledLineIds } from './lines.js';
import { checkRefunds, isRefund } from './refunds.js';
import { personReadBy, practitionersOn, refuseSettled, requireEncounter, treatingCatalogue, unknownCodes, type Mdtrt } from './context.js';
import { diagnosisCodes } from './encounters.js';
import type { Caller, Exec, FeedetlTable } from './types.js';
import type { Db } from '../platform/db.js';
import { sql, type Selectable } from 'kysely';

export type Feedetl = Selectable<FeedetlTable>;

/** One fee line as the HIS sends it (numbers as strings, exactly as written). */
export interface FeeLineInput {
  feedetl_sn: string;
  mdtrt_id: string;
  psn_no: string;
  chrg_bchno?: string;
  init_feedetl_sn?: string;
  drord_no?: string;
  rxno?: string;
  rx_circ_flag?: string;
  med_type?: string;
  fee_ocur_time: string;
  med_list_codg: string;
  medins_list_codg: string;
  det_item_fee_sumamt: string;
  cnt: string;
  pric: string;
  sin_dos_dscr?: string;
  used_frqu_dscr?: string;
  prd_days?: string;
  medc_way_dscr?: string;
  bilg_dept_codg?: string;
  bilg_dept_name?: string;
  bilg_dr_codg?: string;
  bilg_dr_name?: string;
  acord_dept_codg?: string;
  acord_dept_name?: string;
  orders_dr_code?: string;
  orders_dr_name?: string;
  hosp_appr_flag?: string;
  tcmdrug_used_way?: string;
  etip_flag?: string;
  etip_hosp_code?: string;
  dscg_tkdrug_flag?: string;
  matn_fee_flag?: string;
  tcmherb_prov_code?: string;
  mcs_prov_code?: string;
  drug_trac_codg?: string;
}

/** A line's split as returned by 2204 / 2301 (fen; pric and cnt as stored). */
export interface LineSplit {
  line: ClassifiedLine;
  /** The unit price exactly as sent (up to 6 decimals). */
  pric: string;
}

/**
 * The classification context of an encounter: the person's sex and birth date, its valid diagnoses (as
 * encounters.diagnosisCodes lists them), med_type. One statement; when the request has already read the person
 * (`caller`, context.personReadBy) only the diagnoses are read.
 */
export async function classifyContext(db: Db, enc: Mdtrt, med_type = enc.med_type, caller?: Caller, diag_codes?: string[]) {
  const known = caller ? await personReadBy(caller, enc.psn_no) : undefined;
  if (known) return { gend: known.psn.gend, brdy: known.psn.brdy, diag_codes: diag_codes ?? (await diagnosisCodes(db.k, enc.mdtrt_id)), med_type, insutype: enc.insutype };
  const row = await db.k
    .selectFrom('psn')
    .select(['gend', 'brdy', sql<string[]>`array(select d.diag_code from mdtrt_diag d where d.mdtrt_id = ${enc.mdtrt_id} and d.vali_flag = '1' order by d.diag_srt_no)`.as('diag_codes')])
    .where('psn_no', '=', enc.psn_no)
    .executeTakeFirst();
  if (!row) throw conflict(`参保人员 ${enc.psn_no} 不存在`);
  return { gend: row.gend, brdy: row.brdy, diag_codes: [...new Set(row.diag_codes)], med_type, insutype: enc.insutype };
}

/**
 * Classifies engine fee lines for an encounter with the treating region's catalogue. `diag_codes`: the encounter's
 * diagnoses when the caller has just read them (encounters.diagnosisCodes), so they are not read twice.
 */
export async function classifyForEncounter(db: Db, caller: Caller, enc: Mdtrt, lines: FeeLine[], med_type = enc.med_type, diag_codes?: string[]): Promise<ClassifiedLine[]> {
  const ctx = await classifyContext(db, enc, med_type, caller, diag_codes);
  const itemFor = await treatingCatalogue(db, caller, lines, enc.insutype);
  return classifyLines(lines, itemFor, { ...ctx, hosp_lv: caller.institution.hosp_lv });
}

/** 2204 / 2301: validates, classifies and stores a batch of lines of one encounter. */
export async function uploadFees(caller: Caller, kind: '1' | '2', lines: readonly FeeLineInput[], node = 'feedetail'): Promise<LineSplit[]> {
  if (!lines.length) throw validationError('费用明细不能为空', [{ field: node, message: '至少一条' }]);
  const first = lines[0]!;
  const p = new Problems();
  lines.forEach((l, i) => {
    if (l.mdtrt_id !== first.mdtrt_id) p.add(`${node}[${i}].mdtrt_id`, `一次上传的费用明细应属于同一就诊（第1条为 ${first.mdtrt_id}）`);
    if (l.psn_no !== first.psn_no) p.add(`${node}[${i}].psn_no`, `一次上传的费用明细应属于同一参保人（第1条为 ${first.psn_no}）`);
  });
  p.throwIfAny('费用明细有误');

  return caller.db.k.transaction().execute(async (trx) => {
    const db = onExec(caller.db, trx);
    const enc = await requireEncounter(trx, caller, first.mdtrt_id, { psn_no: first.psn_no, kind, forUpdate: true });
    refuseSettled(enc, '上传费用明细');
    const parsed = await checkLines(db, caller, enc, lines, node, p);
    p.throwIfAny('费用明细有误');

    // a refund is classified as the refunded quantity of its item, then negated
    const engineLines: FeeLine[] = parsed.map(({ input, amount, date }) => ({
      feedetl_sn: input.feedetl_sn,
      hilist_code: input.med_list_codg,
      pric: pricFen(input.pric),
      pric_exact: input.pric,
      cnt: isRefund(input) ? input.cnt.trim().replace(/^-/, '') : input.cnt,
      det_item_fee_sumamt: Math.abs(amount),
      fee_date: date,
    }));
    const classified = (await classifyForEncounter(db, caller, enc, engineLines)).map((c, i) => (isRefund(parsed[i]!.input) ? negated(c, parsed[i]!.input) : c));
    const rows = parsed.map(({ input, at, warning }, i) => toRow(enc, input, at, classified[i]!, warning, caller.msgid));
    const total = parsed.reduce((s, x) => s + x.amount, 0);
    const op = operationRow(caller.actor, {
      action: kind === '2' ? 'feedetl.upload_ipt' : 'feedetl.upload_opt',
      target_type: 'mdtrt',
      target_id: enc.mdtrt_id,
      admdvs: enc.mdtrtarea_admvs,
      after: { lines: rows.length, det_item_fee_sumamt: fenToYuan(total), first: lines[0]!.feedetl_sn, last: lines[lines.length - 1]!.feedetl_sn, msgid: caller.msgid },
    });
    // the operation log rides with the first chunk of lines (one round trip fewer)
    await trx.with('o', (db) => db.insertInto('opt_log').values(op).returning('log_id')).insertInto('feedetl').values(rows.slice(0, 200)).execute();
    for (let i = 200; i < rows.length; i += 200) await trx.insertInto('feedetl').values(rows.slice(i, i + 200)).execute();
    return classified.map((line, i) => ({ line: { ...line, reason: rows[i]!.memo ?? line.reason }, pric: parsed[i]!.input.pric }));
  });
}

interface ParsedLine {
  input: FeeLineInput;
  amount: Fen;
  at: Date;
  date: string;
  warning: string | null;
}

/** A refund's split: the refunded quantity's split with every amount negative. */
function negated(c: ClassifiedLine, l: FeeLineInput): ClassifiedLine {
  const n = (x: number) => (x === 0 ? 0 : -x);
  return {
    ...c,
    cnt: l.cnt,
    det_item_fee_sumamt: n(c.det_item_fee_sumamt),
    fulamt_ownpay_amt: n(c.fulamt_ownpay_amt),
    overlmt_amt: n(c.overlmt_amt),
    preselfpay_amt: n(c.preselfpay_amt),
    inscp_scp_amt: n(c.inscp_scp_amt),
    reason: `退费（原费用流水号 ${l.init_feedetl_sn}）：${c.reason}`,
  };
}

async function checkLines(db: Db, caller: Caller, enc: Mdtrt, lines: readonly FeeLineInput[], node: string, p: Problems): Promise<ParsedLine[]> {
  const begnDay = dayOf(enc.begntime);
  const lastDay = enc.endtime ? dayOf(enc.endtime) : caller.today;
  const seen = new Map<string, number>();
  const out: ParsedLine[] = [];
  lines.forEach((l, i) => {
    const f = (name: string) => `${node}[${i}].${name}`;
    const sn = l.feedetl_sn;
    if (seen.has(sn)) p.add(f('feedetl_sn'), `费用明细流水号 ${sn} 在本批中重复（另见第${seen.get(sn)! + 1}条）`);
    seen.set(sn, i);
    let amount = 0;
    let ok = true;
    try {
      amount = yuanToFen(l.det_item_fee_sumamt, f('det_item_fee_sumamt'));
    } catch {
      ok = false;
      p.add(f('det_item_fee_sumamt'), `费用明细 ${sn} 的明细项目费用总额“${l.det_item_fee_sumamt}”应为最多两位小数的金额`);
    }
    try {
      pricMicro(l.pric);
    } catch {
      ok = false;
      p.add(f('pric'), `费用明细 ${sn} 的单价“${l.pric}”应为不超过6位小数的非负数`);
    }
    try {
      const c = cnt10k(l.cnt);
      if (c === 0n || (c < 0n && !isRefund(l))) {
        ok = false;
        p.add(f('cnt'), c === 0n ? `费用明细 ${sn} 的数量不能为0（退费请以负数数量上传并填写原费用流水号 init_feedetl_sn）` : `费用明细 ${sn} 的数量为负数（退费），应填写原费用流水号 init_feedetl_sn`);
      } else if (c > 0n && isRefund(l)) {
        ok = false;
        p.add(f('init_feedetl_sn'), `费用明细 ${sn} 填写了原费用流水号 ${l.init_feedetl_sn}，退费明细的数量和金额应为负数`);
      }
    } catch {
      ok = false;
      p.add(f('cnt'), `费用明细 ${sn} 的数量“${l.cnt}”应为不超过4位小数的数`);
    }
    if (ok) {
      const expected = exactLineAmount(l.pric, l.cnt);
      if (amount < 0 && !isRefund(l)) p.add(f('det_item_fee_sumamt'), `费用明细 ${sn} 的明细项目费用总额不能为负数`);
      else if (expected !== amount) p.add(f('det_item_fee_sumamt'), `费用明细 ${sn} 的明细项目费用总额 ${fenToYuan(amount)} 元与单价 ${l.pric} × 数量 ${l.cnt} = ${fenToYuan(expected)} 元不符`);
    }
    let at = enc.begntime;
    try {
      at = wireTime(l.fee_ocur_time, f('fee_ocur_time'));
      const day = dayOf(at);
      if (day < begnDay) p.add(f('fee_ocur_time'), `费用明细 ${sn} 的费用发生时间 ${l.fee_ocur_time} 早于${enc.ipt_otp_flag === '2' ? '入院' : '就诊'}日期 ${begnDay}`);
      else if (day > lastDay) p.add(f('fee_ocur_time'), enc.endtime ? `费用明细 ${sn} 的费用发生时间 ${l.fee_ocur_time} 晚于出院日期 ${lastDay}` : `费用明细 ${sn} 的费用发生时间 ${l.fee_ocur_time} 晚于当前日期`);
    } catch {
      p.add(f('fee_ocur_time'), `费用明细 ${sn} 的费用发生时间“${l.fee_ocur_time}”格式错误，应为 yyyy-MM-dd HH:mm:ss`);
    }
    out.push({ input: l, amount, at, date: dayOf(at), warning: null });
  });

  // serials already valid on this encounter
  const sns = [...seen.keys()];
  for (let i = 0; i < sns.length; i += 500) {
    const dup = await db.k.selectFrom('feedetl').select('feedetl_sn').where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1').where('feedetl_sn', 'in', sns.slice(i, i + 500)).execute();
    for (const d of dup) p.add(`${node}[${seen.get(d.feedetl_sn)!}].feedetl_sn`, `费用明细流水号 ${d.feedetl_sn} 已上传，不能重复上传（如需更正请先撤销）`);
  }
  // refunds: the line they refund, how much of it is left, not settled
  await checkRefunds(db.k, enc, lines, node, p);
  // codes in no version of the catalogue
  const unknown = await unknownCodes(db, caller, lines.map((l) => l.med_list_codg));
  lines.forEach((l, i) => {
    if (unknown.has(l.med_list_codg)) p.add(`${node}[${i}].med_list_codg`, `费用明细 ${l.feedetl_sn} 的医疗目录编码 ${l.med_list_codg} 在医保目录中不存在`);
  });
  // prescribers: refused when suspended, a warning when not registered (外购处方 / 外检)
  const doctors = new Map<string, { day: string; idx: number[] }[]>();
  out.forEach((x, i) => {
    const code = x.input.bilg_dr_codg;
    if (!code) return;
    const list = doctors.get(code) ?? [];
    const same = list.find((d) => d.day === x.date);
    if (same) same.idx.push(i);
    else list.push({ day: x.date, idx: [i] });
    doctors.set(code, list);
  });
  const checks = await practitionersOn(db, [...doctors].flatMap(([code, days]) => days.map((d) => ({ prac_code: code, on: d.day }))));
  for (const [code, days] of doctors) {
    for (const d of days) {
      const check = checks.get(`${code}|${d.day}`)!;
      if (check.ok) continue;
      for (const i of d.idx) {
        if (check.registered) p.add(`${node}[${i}].bilg_dr_codg`, `费用明细 ${lines[i]!.feedetl_sn} 的开单医生${check.message}`);
        else out[i]!.warning = `开单医生代码 ${code} 未在医保医师库登记`;
      }
    }
  }
  return out;
}

function toRow(enc: Mdtrt, l: FeeLineInput, at: Date, c: ClassifiedLine, warning: string | null, msgid: string) {
  return {
    mdtrt_id: enc.mdtrt_id,
    feedetl_sn: l.feedetl_sn,
    psn_no: l.psn_no,
    chrg_bchno: l.chrg_bchno ?? null,
    init_feedetl_sn: isRefund(l) ? l.init_feedetl_sn!.trim() : null,
    drord_no: l.drord_no ?? null,
    rxno: l.rxno ?? null,
    rx_circ_flag: l.rx_circ_flag ?? null,
    med_type: l.med_type ?? null,
    fee_ocur_time: at,
    hilist_code: l.med_list_codg,
    medins_list_codg: l.medins_list_codg,
    pric: l.pric,
    cnt: l.cnt,
    det_item_fee_sumamt: fenToYuan(c.det_item_fee_sumamt),
    sin_dos_dscr: l.sin_dos_dscr ?? null,
    used_frqu_dscr: l.used_frqu_dscr ?? null,
    prd_days: l.prd_days ?? null,
    medc_way_dscr: l.medc_way_dscr ?? null,
    bilg_dept_codg: l.bilg_dept_codg ?? null,
    bilg_dept_name: l.bilg_dept_name ?? null,
    bilg_dr_codg: l.bilg_dr_codg ?? null,
    bilg_dr_name: l.bilg_dr_name ?? null,
    acord_dept_codg: l.acord_dept_codg ?? null,
    acord_dept_name: l.acord_dept_name ?? null,
    orders_dr_code: l.orders_dr_code ?? null,
    orders_dr_name: l.orders_dr_name ?? null,
    hosp_appr_flag: l.hosp_appr_flag ?? null,
    tcmdrug_used_way: l.tcmdrug_used_way ?? null,
    etip_flag: l.etip_flag ?? null,
    etip_hosp_code: l.etip_hosp_code ?? null,
    dscg_tkdrug_flag: l.dscg_tkdrug_flag ?? null,
    matn_fee_flag: l.matn_fee_flag ?? null,
    tcmherb_prov_code: l.tcmherb_prov_code ?? null,
    mcs_prov_code: l.mcs_prov_code ?? null,
    drug_trac_codg: l.drug_trac_codg ?? null,
    fulamt_ownpay_amt: fenToYuan(c.fulamt_ownpay_amt),
    overlmt_amt: fenToYuan(c.overlmt_amt),
    preselfpay_amt: fenToYuan(c.preselfpay_amt),
    inscp_scp_amt: fenToYuan(c.inscp_scp_amt),
    chrgitm_lv: c.chrgitm_lv,
    med_chrgitm_type: c.med_chrgitm_type,
    selfpay_prop: bpToRatio(c.selfpay_prop),
    pric_uplmt_amt: c.pric_uplmt_amt === null ? null : fenToYuan(c.pric_uplmt_amt),
    lmt_used_flag: c.lmt_used_flag,
    memo: warning ? `${c.reason}；${warning}` : c.reason,
    upload_msgid: msgid,
  };
}

/** The valid lines of an encounter, in upload order. */
export async function validLines(exec: Exec, mdtrt_id: string): Promise<Feedetl[]> {
  return exec.selectFrom('feedetl').selectAll().where('mdtrt_id', '=', mdtrt_id).where('vali_flag', '=', '1').orderBy('feedetl_id').execute();
}

/** A stored line as the engine's fee line (exact price kept). */
export function engineLine(r: Feedetl): FeeLine {
  return {
    feedetl_sn: r.feedetl_sn,
    hilist_code: r.hilist_code,
    pric: pricFen(r.pric),
    pric_exact: r.pric,
    cnt: r.cnt,
    det_item_fee_sumamt: yuanToFen(r.det_item_fee_sumamt),
    fee_date: dayOf(r.fee_ocur_time),
  };
}

export type CancelSelector = { chrg_bchno: string } | { feedetl_sn: string } | { upload_msgid: string };

/**
 * 2205 (by batch) / 2302 (by line) / 2601 of an upload: marks the selected valid lines invalid; "0000" selects all.
 * Refused when the encounter has a valid settlement, or when nothing is selected.
 */
export async function cancelFees(caller: Caller, kind: '1' | '2', input: { mdtrt_id: string; psn_no: string }, selectors: CancelSelector[]): Promise<number> {
  return caller.db.k.transaction().execute(async (trx) => {
    const enc = await requireEncounter(trx, caller, input.mdtrt_id, { psn_no: input.psn_no, kind, forUpdate: true });
    refuseSettled(enc, '撤销费用明细');
    const all = selectors.some((s) => ('chrg_bchno' in s && s.chrg_bchno === '0000') || ('feedetl_sn' in s && s.feedetl_sn === '0000'));
    let q = trx.selectFrom('feedetl').select(['feedetl_id', 'feedetl_sn', 'det_item_fee_sumamt', 'init_feedetl_sn']).where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1');
    if (!all) {
      const batches = selectors.flatMap((s) => ('chrg_bchno' in s ? [s.chrg_bchno] : []));
      const sns = selectors.flatMap((s) => ('feedetl_sn' in s ? [s.feedetl_sn] : []));
      const msgids = selectors.flatMap((s) => ('upload_msgid' in s ? [s.upload_msgid] : []));
      q = q.where((eb) =>
        eb.or([
          ...(batches.length ? [eb('chrg_bchno', 'in', batches)] : []),
          ...(sns.length ? [eb('feedetl_sn', 'in', sns)] : []),
          ...(msgids.length ? [eb('upload_msgid', 'in', msgids)] : []),
        ]),
      );
      if (sns.length) {
        const found = new Set((await q.execute()).map((r) => r.feedetl_sn));
        const missing = sns.filter((s) => !found.has(s));
        if (missing.length) throw conflict(`就诊ID ${enc.mdtrt_id} 没有有效的费用明细 ${missing.join('、')}，不能撤销`);
      }
    }
    const settled = await settledLineIds(trx, enc.mdtrt_id);
    const selected = await q.execute();
    const locked = selected.filter((r) => settled.has(r.feedetl_id));
    if (locked.length && !all) throw conflict(`费用明细 ${locked.slice(0, 10).map((r) => r.feedetl_sn).join('、')}${locked.length > 10 ? ` 等${locked.length}条` : ''} 已中途结算，不能撤销；如需撤销请先撤销该结算`);
    const rows = selected.filter((r) => !settled.has(r.feedetl_id));
    if (!rows.length) throw conflict(`就诊ID ${enc.mdtrt_id} 没有可撤销的费用明细${all ? (locked.length ? '（已结算的明细不能撤销）' : '') : `（${describe(selectors)}）`}`);
    const cancelled = new Set(rows.map((r) => r.feedetl_sn));
    const orphans = await trx.selectFrom('feedetl').select(['feedetl_sn', 'init_feedetl_sn']).where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1').where('init_feedetl_sn', 'in', [...cancelled]).execute();
    const left = orphans.filter((o) => !cancelled.has(o.feedetl_sn));
    if (left.length) throw conflict(`费用明细 ${left.map((o) => o.init_feedetl_sn).join('、')} 有有效的退费明细 ${left.map((o) => o.feedetl_sn).join('、')}，请先撤销退费明细或一并撤销`);
    const ids = rows.map((r) => r.feedetl_id);
    for (let i = 0; i < ids.length; i += 1000) {
      await trx.updateTable('feedetl').set({ vali_flag: '0', cncl_msgid: caller.msgid, cncl_time: caller.at }).where('feedetl_id', 'in', ids.slice(i, i + 1000)).execute();
    }
    const total = rows.reduce((s, r) => s + yuanToFen(r.det_item_fee_sumamt), 0);
    await recordOperation(trx, caller.actor, {
      action: 'feedetl.cancel',
      target_type: 'mdtrt',
      target_id: enc.mdtrt_id,
      admdvs: enc.mdtrtarea_admvs,
      after: { lines: rows.length, det_item_fee_sumamt: fenToYuan(total), selector: all ? '0000' : describe(selectors), msgid: caller.msgid },
    });
    return rows.length;
  });
}

function describe(selectors: CancelSelector[]): string {
  return selectors.map((s) => ('chrg_bchno' in s ? `收费批次号 ${s.chrg_bchno}` : 'feedetl_sn' in s ? `流水号 ${s.feedetl_sn}` : `报文 ${s.upload_msgid}`)).join('、');
}

/** The fee lines of an encounter with their upload time (for queries and tests). */
export async function listFees(db: Db, mdtrt_id: string) {
  const rows = await db.k.selectFrom('feedetl').selectAll().where('mdtrt_id', '=', mdtrt_id).orderBy('feedetl_id').execute();
  return rows.map((r) => ({ ...r, fee_ocur_time: toWireTime(r.fee_ocur_time) }));
}

