/**
 * The world the settlement tests run in: the gateway's test world (areas, a 二级 hospital and a pharmacy, 张三丰 with
 * an account and 李四 a resident, catalogue items, diagnoses) plus the demo policies of 990100, a 三级 hospital,
 * practitioners (one suspended), the catalogue items of settlement-policy.md §3, an employee with exactly
 * 3,000.00 in the account (the worked example), a family binding 张三丰 → 李四, the default audit rules — and a `call` that sends an envelope
 * the way HIS clients do (every number a string). Used by src/settlement tests only.
 */
import { expect } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { certnoCheckChar } from '../enrollment/certno.js';
import { bulkEnroll } from '../enrollment/persons.js';
import { bindFamily } from '../enrollment/family.js';
import { accountBalance } from '../enrollment/account.js';
import { bulkLoadCatalogue } from '../standards/catalogue/load.js';
import type { CatalogueItemInput } from '../standards/catalogue/types.js';
import { bulkLoadInstitutions } from '../standards/institutions/institutions.js';
import { usccCheckChar } from '../standards/institutions/uscc.js';
import { bulkLoadPractitioners } from '../standards/practitioners/practitioners.js';
import { issueCredential } from '../gateway/credentials.js';
import { REGISTRY } from '../gateway/registry.js';
import { gatewayWorld, HOSPITAL, newMsgid, PHARMACY, type GatewayWorld } from '../gateway/testing.js';
import { insertDemoPolicies } from './policy/index.js';
import { installDefaultRules } from '../audit/rules/store.js';
import { SETTLEMENT_TABLES } from './types.js';
import type { Fen } from '../platform/money.js';

export { HOSPITAL, PHARMACY };
/** A 三级 hospital in the same county, for the §3 worked example (its price caps are by level 3). */
export const HOSP3 = 'H99010200003';
export const HOSP3_NAME = '甲市中心医院';

export const DOCTORS = {
  /** 二级 hospital, qualified. */
  wang: 'D99010200001',
  /** 二级 hospital, payment qualification suspended. */
  suspended: 'D99010200002',
  /** 三级 hospital, qualified. */
  chen: 'D99010200003',
  /** The pharmacy's pharmacist. */
  pharmacist: 'Y99010200001',
};

/** settlement-policy.md §3: drug A 甲, drug B 乙 10 %, drug C 丙, service D 乙 10 %, consumable E 乙 20 % capped 1,000.00 at 三级. */
export const EXAMPLE_ITEMS: CatalogueItemInput[] = [
  { hilist_code: 'XA02BAA001A001010100011', hilist_name: '示例药品A', list_type: '101', med_chrgitm_type: '09', chrgitm_lv: '01', selfpay_bp: 0, pric_uplmt: {}, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: 'XB01ACA002A002010100012', hilist_name: '示例药品B', list_type: '101', med_chrgitm_type: '09', chrgitm_lv: '02', selfpay_bp: 1000, pric_uplmt: {}, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: 'XN02BEA003A003010100013', hilist_name: '示例药品C', list_type: '101', med_chrgitm_type: '09', chrgitm_lv: '03', selfpay_bp: 10_000, pric_uplmt: {}, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: '009900000010000', hilist_name: '示例服务项目D', list_type: '201', med_chrgitm_type: '05', chrgitm_lv: '02', selfpay_bp: 1000, pric_uplmt: {}, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: 'C9900000000000000005', hilist_name: '示例耗材E', list_type: '301', med_chrgitm_type: '08', chrgitm_lv: '02', selfpay_bp: 2000, pric_uplmt: { '3': 100_000 }, insu_admdvs: '990100', begndate: '2024-01-01' },
];

const certno = (first17: string) => first17 + certnoCheckChar(first17);
const uscc = (body17: string) => body17 + usccCheckChar(body17);

export interface Answer<T = Record<string, unknown>> {
  infcode: number;
  err_msg: string | null;
  output: T;
}

export interface CallOptions {
  inst?: string;
  msgid?: string;
  /** Envelope fields to replace (insuplc_admdvs …). */
  over?: Record<string, unknown>;
  /** The apikey to send (default: the institution's). */
  apikey?: string;
}

export interface SettlementWorld extends GatewayWorld {
  /** zhang / li of the gateway world, plus zhao (employee, 3,000.00 in the account, no family) and sun (employee, no account). */
  people: { zhang: string; li: string; zhao: string; sun: string };
  signNo: string;
  /** Sends a transaction the way a HIS does and checks a successful answer against the output schema. */
  call<T = Record<string, unknown>>(infno: string, input: unknown, opts?: CallOptions): Promise<Answer<T>>;
  /** Row counts of every settlement table plus the account ledger and the operation log. */
  counts(): Promise<Record<string, number>>;
  balance(psn_no: string): Promise<Fen>;
}

export async function settlementWorld(): Promise<SettlementWorld> {
  const w = await gatewayWorld();
  const { db } = w;
  await insertDemoPolicies(db, SYSTEM_ACTOR);
  // the audit rule base a running platform has (bootstrap installs it); settlement's 事中 audit uses it
  await installDefaultRules(db);
  await bulkLoadInstitutions(
    db,
    [{ fixmedins_code: HOSP3, fixmedins_name: HOSP3_NAME, fixmedins_type: '1', hosp_lv: '3', admdvs: '990102', uscc: uscc('12990102MB0000003'), medins_natu: '1', addr: null, begndate: '2020-01-01', enddate: null }],
    SYSTEM_ACTOR,
  );
  const hosp3 = await issueCredential(db, SYSTEM_ACTOR, { fixmedins_code: HOSP3, signin_required: false });
  const prac = (prac_code: string, prac_name: string, fixmedins_code: string, prac_type: '1' | '2' = '1') => ({ prac_code, prac_name, prac_type, certno: null, gend: null, fixmedins_code, dept_name: null, profttl: null, begndate: '2020-01-01', enddate: null });
  await bulkLoadPractitioners(
    db,
    [prac(DOCTORS.wang, '王医生', HOSPITAL), prac(DOCTORS.suspended, '赵医生', HOSPITAL), prac(DOCTORS.chen, '陈医生', HOSP3), prac(DOCTORS.pharmacist, '刘药师', PHARMACY, '2')],
    SYSTEM_ACTOR,
    { suspensions: [{ prac_code: DOCTORS.suspended, begndate: '2024-01-01', enddate: '2099-12-31', reason: '违规使用医保基金，暂停医保支付资格' }] },
  );
  await bulkLoadCatalogue(db, EXAMPLE_ITEMS, SYSTEM_ACTOR);
  const { psn_nos } = await bulkEnroll(
    db,
    [
      { certno: certno('99010219750601031'), psn_name: '赵六', gend: '1', brdy: '1975-06-01', naty: '01', psn_type: '1101', insutype: '310', insuplc_admdvs: '990100', begndate: '2020-01-01', acct_balc: 300_000, emp_name: '甲市某厂' },
      { certno: certno('99010219680304042'), psn_name: '孙七', gend: '2', brdy: '1968-03-04', naty: '01', psn_type: '1101', insutype: '310', insuplc_admdvs: '990100', begndate: '2020-01-01', emp_name: '甲市某厂' },
    ],
    SYSTEM_ACTOR,
  );
  await bindFamily(db, SYSTEM_ACTOR, { psn_no: w.psn.zhang, mem_psn_no: w.psn.li, rlts: '20', begndate: '2024-01-01' });
  const signNo = await w.signIn();
  const keyOf: Record<string, string> = { [HOSPITAL]: w.keys.hospital, [PHARMACY]: w.keys.pharmacy, [HOSP3]: hosp3.apikey };

  const world: SettlementWorld = {
    ...w,
    people: { zhang: w.psn.zhang, li: w.psn.li, zhao: psn_nos[0]!, sun: psn_nos[1]! },
    signNo,
    async call<T>(infno: string, input: unknown, opts: CallOptions = {}): Promise<Answer<T>> {
      const inst = opts.inst ?? HOSPITAL;
      const env = w.envelope(infno, input, { fixmedins_code: inst, fixmedins_name: inst === HOSP3 ? HOSP3_NAME : undefined, sign_no: inst === HOSPITAL ? signNo : '', ...(opts.msgid ? { msgid: opts.msgid } : { msgid: newMsgid(inst) }), ...opts.over });
      const res = await w.post(env, { headers: { apikey: opts.apikey ?? keyOf[inst]! } });
      expect(res.statusCode).toBe(200);
      const a = res.json() as Answer<T>;
      if (a.infcode === 0) {
        const errors = [...Value.Errors(REGISTRY.get(infno)!.output, a.output)].map((e) => `${e.path} ${e.message}`);
        expect(errors).toEqual([]);
      }
      return a;
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const t of [...SETTLEMENT_TABLES, 'psn_acct_ledger', 'opt_log'] as const) {
        const r = await sql<{ n: number }>`select count(*)::int8 as n from ${sql.table(t)}`.execute(db.k);
        out[t] = r.rows[0]!.n;
      }
      return out;
    },
    balance: (psn_no) => accountBalance(db, psn_no),
  };
  return world;
}

/** A fee line as a HIS sends it: every number a string, empty strings for what it does not fill. */
export function hisFeeLine(mdtrt_id: string, psn_no: string, sn: string, code: string, pric: string, cnt: string, amount: string, over: Record<string, unknown> = {}) {
  return {
    feedetl_sn: sn,
    mdtrt_id,
    psn_no,
    chrg_bchno: 'B001',
    dise_codg: '',
    rxno: '',
    rx_circ_flag: '0',
    fee_ocur_time: '2025-03-10 10:05:00',
    med_list_codg: code,
    medins_list_codg: `LOCAL-${code.slice(0, 8)}`,
    det_item_fee_sumamt: amount,
    cnt,
    pric,
    sin_dos_dscr: '',
    used_frqu_dscr: '',
    prd_days: '',
    medc_way_dscr: '',
    bilg_dept_codg: 'A03',
    bilg_dept_name: '内科',
    bilg_dr_codg: DOCTORS.wang,
    bilg_dr_name: '王医生',
    acord_dept_codg: '',
    acord_dept_name: '',
    orders_dr_code: '',
    orders_dr_name: '',
    hosp_appr_flag: '1',
    tcmdrug_used_way: '',
    etip_flag: '',
    etip_hosp_code: '',
    dscg_tkdrug_flag: '',
    matn_fee_flag: '',
    exp_content: '',
    ...over,
  };
}

/** 2201 as a HIS sends it; returns the mdtrt_id (the call must succeed). */
export async function registerVisit(w: SettlementWorld, psn_no: string, ipt_otp_no: string, opts: { inst?: string; doctor?: string; begntime?: string; insutype?: string } = {}): Promise<string> {
  const a = await w.call<{ data: { mdtrt_id: string } }>(
    '2201',
    { data: { psn_no, insutype: opts.insutype ?? '310', begntime: opts.begntime ?? '2025-03-10 09:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: '', ipt_otp_no, atddr_no: opts.doctor ?? DOCTORS.wang, dr_name: '王医生', dept_code: 'A03', dept_name: '内科', caty: 'A03', exp_content: '' } },
    { over: { insuplc_admdvs: '990100' }, ...(opts.inst ? { inst: opts.inst } : {}) },
  );
  expect(a.err_msg).toBeNull();
  return a.output.data.mdtrt_id;
}

/** 2206 / 2207 `data` as a HIS sends it. */
export function outpatientSettleData(psn_no: string, mdtrt_id: string, medfee: string, extra: Record<string, string> = {}) {
  return {
    data: { psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: '', med_type: '11', medfee_sumamt: medfee, psn_setlway: '01', mdtrt_id, chrg_bchno: 'B001', acct_used_flag: '1', insutype: '310', invono: '', ...extra },
  };
}

/** The §4 invariants on a wire setlinfo (amounts in yuan as numbers). */
export function expectInvariants(i: Record<string, unknown>): void {
  const n = (k: string) => Math.round(Number(i[k]) * 100);
  expect(n('medfee_sumamt')).toBe(n('fulamt_ownpay_amt') + n('overlmt_selfpay') + n('preselfpay_amt') + n('inscp_scp_amt'));
  expect(n('medfee_sumamt')).toBe(n('fund_pay_sumamt') + n('psn_part_amt') + n('hosp_part_amt'));
  expect(n('psn_part_amt')).toBe(n('acct_pay') + n('acct_mulaid_pay') + n('psn_cash_pay'));
}
