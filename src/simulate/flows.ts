/**
 * The business flows a hospital's HIS plays, as it plays them:
 *   outpatient  1101 人员信息 → 2201 挂号 → 2204 费用明细上传 → 2206 预结算 → 2207 结算 (→ 2208 撤销, occasionally)
 *   inpatient   1101 → 2401 入院 → 2301 费用明细 (200 lines, in batches under the 40 000-character input limit)
 *               → 2303 预结算 → 2304 结算 → 2402 出院
 * The settlement sends back the split 2206/2303 answered, as HIS clients do. A flow stops at its first refusal
 * (the Recorder has counted it). Amounts are integer fen, written as yuan text only on the wire.
 */
import type { Rng } from '../demo/prng.js';
import { fenToYuan, sumFen, type Fen } from '../platform/money.js';
import { addDays, beijingDate, beijingDateTime } from '../platform/time.js';
import type { HisClient } from './his-client.js';
import type { FlowKind, Recorder } from './recorder.js';
import type { SimDoctor, SimInstitution, SimItem, SimPerson, SimWorld } from './world.js';

/** Lines per 2301 call: 50 lines of the shape below are ≈ 17 000 characters, well inside the 40 000 limit. */
export const IPT_BATCH = 50;

export interface FlowEnv {
  client: HisClient;
  recorder: Recorder;
  world: SimWorld;
  rng: Rng;
  inst: SimInstitution;
  opter: string;
  /** Unique per worker: goes into outpatient/inpatient numbers and fee serials. */
  tag: string;
  /** Share of outpatient settlements reversed with 2208 (default 0.02). */
  reversalRate: number;
  /** Fee lines of an inpatient stay (default 200). */
  inpatientLines: number;
}

interface Setl {
  setlinfo: Record<string, string | number | null>;
}

let serial = 0;
const nextNo = (prefix: string, tag: string) => `${prefix}${tag}${Date.now().toString(36)}${(serial = (serial + 1) % 1296).toString(36).padStart(2, '0')}`;

function feeLine(mdtrt_id: string, p: SimPerson, sn: string, item: SimItem, cnt: number, at: string, doctor: SimDoctor, inpatient: boolean) {
  return {
    feedetl_sn: sn,
    mdtrt_id,
    psn_no: p.psn_no,
    ...(inpatient ? { drord_no: `YZ${sn}`, med_type: '21' } : { chrg_bchno: '1', rx_circ_flag: '0' }),
    fee_ocur_time: at,
    med_list_codg: item.hilist_code,
    medins_list_codg: `HIS${item.hilist_code.slice(-10)}`,
    det_item_fee_sumamt: fenToYuan(item.pric * cnt),
    cnt: String(cnt),
    pric: fenToYuan(item.pric),
    bilg_dept_codg: 'A03',
    bilg_dept_name: doctor.dept_name,
    bilg_dr_codg: doctor.prac_code,
    bilg_dr_name: doctor.prac_name,
    hosp_appr_flag: '1',
  };
}

function lines(env: FlowEnv, count: number, maxCnt: number) {
  return Array.from({ length: count }, () => ({ item: env.rng.pick(env.world.items), cnt: env.rng.int(1, maxCnt) }));
}

/** The split the pre-settlement answered, sent back with the settlement (every amount as text). */
function splitOf(pre: Setl): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt']) out[k] = String(pre.setlinfo[k] ?? '0');
  return out;
}

const person1101 = (p: SimPerson) => ({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, card_sn: '', begntime: '', psn_cert_type: '01', certno: p.certno, psn_name: p.psn_name } });

/** One outpatient visit of `p`. Resolves when the flow completed; rejects with the first refusal. */
export async function outpatientFlow(env: FlowEnv, p: SimPerson): Promise<void> {
  const { client, inst, opter, rng } = env;
  const signNo = await client.signIn(inst, opter);
  const call = <T>(infno: string, input: unknown) => client.call<T>(inst, opter, signNo, infno, input);
  const doctor = rng.pick(inst.doctors);
  const now = beijingDateTime();
  await call('1101', person1101(p));
  const ipt_otp_no = nextNo('MZ', env.tag);
  const reg = await call<{ data: { mdtrt_id: string } }>('2201', {
    data: { psn_no: p.psn_no, insutype: p.insutype, begntime: now, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, ipt_otp_no, atddr_no: doctor.prac_code, dr_name: doctor.prac_name, dept_code: 'A03', dept_name: doctor.dept_name, caty: '', exp_content: '' },
  });
  const mdtrt_id = reg.output.data.mdtrt_id;
  const ls = lines(env, rng.int(2, 8), 6);
  await call('2204', { feedetail: ls.map((l, i) => feeLine(mdtrt_id, p, `${ipt_otp_no}-${i + 1}`, l.item, l.cnt, now, doctor, false)) });
  const medfee: Fen = sumFen(ls.map((l) => l.item.pric * l.cnt));
  const data = { psn_no: p.psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, med_type: '11', medfee_sumamt: fenToYuan(medfee), psn_setlway: '01', mdtrt_id, chrg_bchno: '1', acct_used_flag: p.insutype === '310' ? '1' : '0', insutype: p.insutype, invono: '', exp_content: '' };
  const pre = await call<Setl>('2206', { data });
  const setl = await call<Setl>('2207', { data: { ...data, ...splitOf(pre.output), invono: `FP${ipt_otp_no.slice(-12)}` } });
  if (rng.chance(env.reversalRate)) {
    await call('2208', { data: { setl_id: String(setl.output.setlinfo.setl_id), mdtrt_id, psn_no: p.psn_no, exp_content: '' } });
    env.recorder.reversals++;
  }
}

/** One inpatient stay of `p`: admitted two days ago, 200 lines over the stay, settled and discharged now. */
export async function inpatientFlow(env: FlowEnv, p: SimPerson): Promise<void> {
  const { client, inst, opter, rng } = env;
  const signNo = await client.signIn(inst, opter);
  const call = <T>(infno: string, input: unknown) => client.call<T>(inst, opter, signNo, infno, input);
  const doctor = rng.pick(inst.doctors);
  const diag = rng.pick(env.world.diagnoses);
  const today = beijingDate();
  const admitted = `${addDays(today, -2)} 08:00:00`;
  const dise = [{ psn_no: p.psn_no, diag_type: '1', maindiag_flag: '1', diag_srt_no: '1', diag_code: diag.diag_code, diag_name: diag.diag_name, adm_cond: '有', diag_dept: doctor.dept_name, dise_dor_no: doctor.prac_code, dise_dor_name: doctor.prac_name, diag_time: admitted }];
  await call('1101', person1101(p));
  const ipt_no = nextNo('ZY', env.tag);
  const adm = await call<{ result: { mdtrt_id: string } }>('2401', {
    mdtrtinfo: {
      psn_no: p.psn_no, insutype: p.insutype, coner_name: '家属', tel: '13900000000', begntime: admitted, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, med_type: '21',
      ipt_no, medrcdno: `BA${ipt_no}`, atddr_no: doctor.prac_code, chfpdr_name: doctor.prac_name, adm_diag_dscr: diag.diag_name, adm_dept_codg: 'A03', adm_dept_name: doctor.dept_name, adm_bed: String(rng.int(1, 60)),
      dscg_maindiag_code: diag.diag_code, dscg_maindiag_name: diag.diag_name, main_cond_dscr: '', dise_codg: '', dise_name: '', oprn_oprt_code: '', oprn_oprt_name: '', exp_content: '',
    },
    diseinfo: dise,
  });
  const mdtrt_id = adm.output.result.mdtrt_id;
  const ls = lines(env, env.inpatientLines, 4);
  const days = [addDays(today, -2), addDays(today, -1), today];
  const wire = ls.map((l, i) => feeLine(mdtrt_id, p, `${ipt_no}-${i + 1}`, l.item, l.cnt, `${days[i % 3]} ${i % 3 === 0 ? 1 : 0}${rng.int(0, 7)}:30:00`, doctor, true));
  for (let i = 0; i < wire.length; i += IPT_BATCH) await call('2301', { feedetail: wire.slice(i, i + IPT_BATCH) });
  const medfee: Fen = sumFen(ls.map((l) => l.item.pric * l.cnt));
  const data = { psn_no: p.psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, medfee_sumamt: fenToYuan(medfee), psn_setlway: '01', mdtrt_id, insutype: p.insutype, acct_used_flag: p.insutype === '310' ? '1' : '0', invono: '', mid_setl_flag: '0' };
  const pre = await call<Setl>('2303', { data });
  await call('2304', { data: { ...data, ...splitOf(pre.output), invono: `FP${ipt_no.slice(-12)}` } });
  await call('2402', {
    dscginfo: { mdtrt_id, psn_no: p.psn_no, insutype: p.insutype, endtime: beijingDateTime(), dise_codg: '', dise_name: '', oprn_oprt_code: '', oprn_oprt_name: '', cop_flag: '0', dscg_dept_codg: 'A03', dscg_dept_name: doctor.dept_name, dscg_bed: '', dscg_way: '1', exp_content: '' },
    diseinfo: dise,
  });
}

export const FLOWS: Record<FlowKind, (env: FlowEnv, p: SimPerson) => Promise<void>> = { outpatient: outpatientFlow, inpatient: inpatientFlow };
