/**
 * 3101 / 3102 / 3103 over HTTP, as a HIS calls them (strings everywhere, empty strings for absent fields, vendor
 * fields), through the gateway plugin with a registry that adds the audit transactions to the standard ones: the
 * request and answer shapes of reference §2, the evaluation log rows, the doctors' dispositions.
 */
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeRegistry, TRANSACTIONS } from '../gateway/registry.js';
import { gatewayWorld, HOSPITAL, PHARMACY, type GatewayWorld } from '../gateway/testing.js';
import { tx3101, OutputAudit } from '../gateway/tx/3101.js';
import { tx3102 } from '../gateway/tx/3102.js';
import { tx3103, Output3103 } from '../gateway/tx/3103.js';
import type { TxDef } from '../gateway/types.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { addDays, beijingDate } from '../platform/time.js';
import { sql } from 'kysely';
import { DbHistoryProvider } from './engine/history.js';
import { recordDeath } from '../enrollment/persons.js';
import { bulkLoadCatalogue } from '../standards/catalogue/load.js';
import { bulkLoadPractitioners } from '../standards/practitioners/practitioners.js';
import { importKnowledge } from './kb/import.js';
import { invalidateAuditCache } from './service.js';
import { C, CATALOGUE, DOCTORS, KB } from './testing.js';
import type { JudgeResult } from './types.js';

let w: GatewayWorld;
let signNo: string;
const AUDIT_TX = [tx3101, tx3102, tx3103] as TxDef[];
const registry = makeRegistry([...TRANSACTIONS.filter((t) => !AUDIT_TX.some((a) => a.infno === t.infno)), ...AUDIT_TX]);

interface Answer<T> {
  infcode: number;
  err_msg: string | null;
  warn_msg: string | null;
  output: T;
}
type AuditOut = { result: JudgeResult[]; warn_msg: string | null; rule_errs: unknown[] };

async function call<T = AuditOut>(infno: string, data: unknown, over: { apikey?: string; fixmedins_code?: string } = {}): Promise<Answer<T>> {
  const env = w.envelope(infno, { data }, { sign_no: signNo, ...(over.fixmedins_code ? { fixmedins_code: over.fixmedins_code, sign_no: '' } : {}) });
  const res = await w.post(env, over.apikey ? { headers: { apikey: over.apikey } } : {});
  expect(res.statusCode).toBe(200);
  const a = res.json() as Answer<T>;
  if (a.infcode === 0) {
    const schema = infno === '3103' ? Output3103 : OutputAudit;
    expect([...Value.Errors(schema, a.output)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
  }
  return a;
}

const line = (rx_id: string, hilist_code: string, hilist_name: string, pric: string, cnt: string, sumamt: string, extra: Record<string, string> = {}) => ({
  rx_id,
  rxno: 'CF20250610001',
  grpno: '',
  long_drord_flag: '0',
  hilist_type: '',
  chrg_type: '',
  drord_bhvr: '0',
  hilist_code,
  hilist_name,
  hilist_dosform: '',
  hilist_lv: '',
  hilist_pric: '',
  lv1_hosp_item_pric: '',
  lv2_hosp_item_pric: '',
  lv3_hosp_item_pric: '',
  hilist_memo: '',
  hosplist_code: `H-${hilist_code.slice(-6)}`,
  hosplist_name: hilist_name,
  hosplist_dosform: '',
  cnt,
  pric,
  sumamt,
  ownpay_amt: '0',
  selfpay_amt: '0',
  spec: '',
  spec_unt: '',
  drord_begn_date: '2025-06-10 09:10:00',
  drord_stop_date: '',
  drord_dept_codg: 'A03',
  drord_dept_name: '内科',
  drord_dr_codg: DOCTORS.ok,
  drord_dr_name: '王医生',
  drord_dr_profttl: '231',
  curr_drord_flag: '1',
  ...extra,
});

/** A 3101 request shaped like the public HIS sample: one outpatient visit of a hypertensive patient. */
function visit(patn_id: string, o: { gend?: string; trig_scen?: string; orders?: unknown[]; task_id?: string } = {}) {
  return {
    syscode: 'HIS',
    rule_ids: [],
    task_id: o.task_id ?? 'T20250610093000001',
    trig_scen: o.trig_scen ?? '2',
    patient_dtos: [
      {
        patn_id,
        patn_name: '张三丰',
        gend: o.gend ?? '1',
        brdy: '1980-05-06',
        poolarea: '990100',
        curr_mdtrt_id: 'MZ20250610001',
        fsi_encounter_dtos: [
          {
            mdtrt_id: 'MZ20250610001',
            medins_id: HOSPITAL,
            medins_name: '甲市第一人民医院',
            medins_admdvs: '990102',
            medins_type: 'A',
            medins_lv: '05',
            wardarea_codg: '',
            wardno: '',
            bedno: '',
            adm_date: '2025-06-10 09:00:00',
            dscg_date: '',
            dscg_main_dise_codg: 'I10.x00',
            dscg_main_dise_name: '原发性高血压',
            fsi_diagnose_dtos: [{ dise_id: '1', inout_dise_type: '1', maindise_flag: '1', dias_srt_no: '1', dise_codg: 'I10.x00', dise_name: '原发性高血压', dise_date: '2025-06-10 09:05:00' }],
            dr_codg: DOCTORS.ok,
            adm_dept_codg: 'A03',
            adm_dept_name: '内科',
            dscg_dept_codg: '',
            dscg_dept_name: '',
            med_mdtrt_type: '1',
            med_type: '11',
            fsi_order_dtos: o.orders ?? [
              line('RX001', C.DAPA, '达格列净片', '5.00', '14', '70.00'),
              line('RX002', C.METF, '二甲双胍片', '1.00', '30', '30.00', { spec_unt: '片' }),
              line('RX003', C.CBC, '血常规', '12.00', '1', '12.00'),
            ],
            matn_stas: '0',
            medfee_sumamt: '112.00',
            ownpay_amt: '0',
            selfpay_amt: '0',
            acct_payamt: '',
            ma_amt: '',
            hifp_payamt: '',
            setl_totlnum: '0',
            insutype: '310',
            reim_flag: '0',
            out_setl_flag: '0',
            fsi_operation_dtos: [],
          },
        ],
        fsi_his_data_dto: {},
      },
    ],
  };
}

beforeAll(async () => {
  w = await gatewayWorld({ gateway: { registry } });
  const have = new Set(['XG04CAE002A002010100002']);
  await bulkLoadCatalogue(w.db, CATALOGUE.filter((i) => !have.has(i.hilist_code)), SYSTEM_ACTOR);
  await bulkLoadPractitioners(w.db, [{ prac_code: DOCTORS.ok, prac_name: '王医生', prac_type: '1', certno: null, gend: '1', fixmedins_code: HOSPITAL, dept_name: '内科', profttl: null, begndate: '2020-01-01', enddate: null }], SYSTEM_ACTOR);
  await importKnowledge(w.db, SYSTEM_ACTOR, KB);
  invalidateAuditCache(w.db);
  signNo = await w.signIn();
});
afterAll(async () => w.close());

let warned: JudgeResult[] = [];

describe('3101 明细审核事前分析服务', () => {
  test('answers one result per violation with the national fields, and logs the evaluation', async () => {
    const a = await call('3101', visit(w.psn.zhang));
    expect(a.infcode).toBe(0);
    expect(a.output.warn_msg).toBeNull();
    expect(a.output.rule_errs).toEqual([]);
    const byRule = Object.fromEntries(a.output.result.map((r) => [r.rule_id, r]));
    expect(Object.keys(byRule).sort()).toEqual(['MED-DX-01', 'MED-QTY-01', 'MGT-PRC-01', 'POL-SCP-01']);
    expect(byRule['POL-SCP-01']).toMatchObject({
      rule_name: '限定支付范围（限适应症）',
      vola_cont: '【达格列净片】限定支付范围（限2型糖尿病）：诊断须在 E11 范围内，本次诊断为I10.x00',
      patn_id: w.psn.zhang,
      mdtrt_id: 'MZ20250610001',
      vola_amt: 70,
      vola_amt_stas: '1',
      sev_deg: '3',
      vola_bhvr_type: '1',
      task_id: 'T20250610093000001',
      judge_result_detail_dtos: [{ jrd_id: expect.any(String), patn_id: w.psn.zhang, mdtrt_id: 'MZ20250610001', rx_id: 'RX001', vola_item_type: '1', vola_amt: 70 }],
    });
    expect(byRule['MGT-PRC-01']).toMatchObject({ vola_amt: 2, sev_deg: '1', vola_bhvr_type: '3' });
    expect(byRule['MED-QTY-01']).toMatchObject({ vola_amt: 9, vola_cont: '【二甲双胍片】开具30片，按常用日用量3计可用10天，超过门诊7天限量' });
    warned = a.output.result;

    const evals = await w.db.k.selectFrom('audit_eval').selectAll().execute();
    expect(evals).toHaveLength(1);
    expect(evals[0]).toMatchObject({ infno: '3101', task_id: 'T20250610093000001', syscode: 'HIS', fixmedins_code: HOSPITAL, trig_scen: '2', med_type: '11', patn_ids: w.psn.zhang, mdtrt_ids: 'MZ20250610001', hit_cnt: 4, err_rule_ids: '', medfee_sumamt: '112.00', vola_amt: '111.00', hist_src: '0' });
    expect(evals[0]!.rules_run.split(',')).toContain('POL-GEN-01');
    expect(evals[0]!.rule_cnt).toBe(evals[0]!.rules_run.split(',').length);
    expect(Number(evals[0]!.ana_dura)).toBeGreaterThan(0);
    expect(evals[0]!.rsp_time.getTime()).toBeGreaterThanOrEqual(evals[0]!.reqt_time.getTime());
    const warns = await w.db.k.selectFrom('audit_warn_rslt').selectAll().where('eval_id', '=', evals[0]!.eval_id).orderBy('rule_id').execute();
    expect(warns.map((x) => [x.rule_id, x.rule_ver, x.rule_sev_deg, x.vola_amt, x.warn_dspo_way])).toEqual([
      ['MED-DX-01', 1, '3', '30.00', null],
      ['MED-QTY-01', 1, '1', '9.00', null],
      ['MGT-PRC-01', 1, '1', '2.00', null],
      ['POL-SCP-01', 1, '3', '70.00', null],
    ]);
    expect(warns.find((x) => x.rule_id === 'POL-SCP-01')).toMatchObject({ warn_rslt_id: byRule['POL-SCP-01']!.jr_id, infno: '3101', trig_scen: '2', warn_cont: byRule['POL-SCP-01']!.vola_cont, detail: byRule['POL-SCP-01']!.judge_result_detail_dtos });
  });

  test('rule_ids narrows the rules; an unknown one is reported in warn_msg, in the output and in the envelope', async () => {
    const a = await call('3101', { ...visit(w.psn.zhang, { task_id: 'IDS' }), rule_ids: ['MGT-PRC-01', 'XXX-NO-01'] });
    expect(a.infcode).toBe(0);
    expect(a.output.result.map((r) => r.rule_id)).toEqual(['MGT-PRC-01']);
    expect(a.output.warn_msg).toBe('规则 XXX-NO-01 不存在或未启用');
    expect(a.warn_msg).toBe('规则 XXX-NO-01 不存在或未启用');
  });

  test('a clean visit answers an empty result (and is logged with no hits)', async () => {
    const a = await call('3101', visit(w.psn.zhang, { task_id: 'CLEAN', orders: [line('RX010', C.CBC, '血常规', '10.00', '1', '10.00')] }));
    expect(a.output.result).toEqual([]);
    const e = await w.db.k.selectFrom('audit_eval').select(['hit_cnt', 'vola_amt']).where('task_id', '=', 'CLEAN').executeTakeFirstOrThrow();
    expect(e).toEqual({ hit_cnt: 0, vola_amt: '0.00' });
  });

  test('refuses a request without patients, or without trig_scen and rule_ids, with a Chinese message', async () => {
    const a = await call('3101', { syscode: 'HIS', trig_scen: '2', patient_dtos: [] });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain('data.patient_dtos');
    const b = await call('3101', { ...visit(w.psn.zhang), trig_scen: '' });
    expect(b).toMatchObject({ infcode: -1, err_msg: '触发场景 trig_scen 与规则标识 rule_ids 至少填写一项' });
    const c = await call('3101', visit(w.psn.zhang, { orders: [line('RX009', C.CBC, '血常规', '10.00', '1', '10.005')] }));
    expect(c).toMatchObject({ infcode: -1, err_msg: '审核请求有误：字段data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].sumamt：金额应为最多两位小数的数字' });
  });
});

describe('3102 明细审核事中分析服务', () => {
  test('adds the 事中 rules: a 丙类 drug settled by the fund, care after a registered death', async () => {
    const orders = [line('RX101', C.CLASS_C, '美容用乳膏', '50.00', '1', '50.00')];
    const pre = await call('3101', visit(w.psn.zhang, { orders }));
    expect(pre.output.result.map((r) => r.rule_id)).toEqual([]);
    const mid = await call('3102', visit(w.psn.zhang, { trig_scen: '7', orders }));
    expect(mid.output.result.map((r) => [r.rule_id, r.vola_amt])).toEqual([['POL-OUT-01', 50]]);

    await recordDeath(w.db, SYSTEM_ACTOR, w.psn.li, '2025-05-01');
    invalidateAuditCache(w.db);
    const dead = await call('3102', visit(w.psn.li, { gend: '2', trig_scen: '7', orders: [line('RX102', C.CBC, '血常规', '10.00', '1', '10.00')] }));
    expect(dead.output.result.map((r) => r.rule_id)).toEqual(['MGT-ID-01']);
    expect(dead.output.result[0]!.vola_cont).toBe('参保人已于2025-05-01死亡，2025-06-10仍发生就医并收费【血常规】，疑似冒名就医');
    const e = await w.db.k.selectFrom('audit_eval').select(['infno', 'trig_scen']).where('patn_ids', '=', w.psn.li).executeTakeFirstOrThrow();
    expect(e).toEqual({ infno: '3102', trig_scen: '7' });
  });
});

describe('3103 事前事中提醒处理结果反馈', () => {
  test('records how each warning was handled; 坚持执行 needs a reason; all or nothing', async () => {
    const [a, b] = warned;
    const bad = await call('3103', { feedback_dtos: [{ jr_id: a!.jr_id, warn_dspo_way: '1' }, { jr_id: b!.jr_id, warn_dspo_way: '2', dspo_dscr: '' }] });
    expect(bad.infcode).toBe(-1);
    expect(bad.err_msg).toBe('提醒处理结果有误：字段data.feedback_dtos[1].dspo_dscr：坚持执行时须说明理由');
    expect((await w.db.k.selectFrom('audit_warn_dspo').selectAll().execute()).length).toBe(0);

    const ok = await call<{ result: { jr_id: string; warn_dspo_way: string; dspo_time: string }[] }>('3103', {
      task_id: 'T20250610093000001',
      feedback_dtos: [
        { jr_id: a!.jr_id, warn_dspo_way: '1', dr_codg: DOCTORS.ok, dr_name: '王医生' },
        { jr_id: b!.jr_id, warn_dspo_way: '2', dspo_dscr: '患者合并糖尿病前期，已与患者沟通', dr_codg: DOCTORS.ok },
      ],
    });
    expect(ok.infcode).toBe(0);
    expect(ok.output.result.map((r) => [r.jr_id, r.warn_dspo_way])).toEqual([[a!.jr_id, '1'], [b!.jr_id, '2']]);
    expect(ok.output.result[0]!.dspo_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const rows = await w.db.k.selectFrom('audit_warn_rslt').select(['warn_rslt_id', 'warn_dspo_way', 'dspo_dscr']).where('warn_rslt_id', 'in', [a!.jr_id, b!.jr_id]).execute();
    expect(Object.fromEntries(rows.map((r) => [r.warn_rslt_id, [r.warn_dspo_way, r.dspo_dscr]]))).toEqual({ [a!.jr_id]: ['1', null], [b!.jr_id]: ['2', '患者合并糖尿病前期，已与患者沟通'] });

    // one disposition directly in data; a later one replaces the shown one, both are kept
    const again = await call('3103', { jr_id: a!.jr_id, warn_dspo_way: '3' });
    expect(again.infcode).toBe(0);
    expect((await w.db.k.selectFrom('audit_warn_dspo').select('warn_dspo_way').where('warn_rslt_id', '=', a!.jr_id).orderBy('dspo_id').execute()).map((r) => r.warn_dspo_way)).toEqual(['1', '3']);
  });

  test('refuses an unknown warning and another institution’s warning', async () => {
    const unknown = await call('3103', { jr_id: 'nope', warn_dspo_way: '1' });
    expect(unknown.err_msg).toBe('提醒处理结果有误：字段data.feedback_dtos[0].jr_id：违规标识 nope 不存在或不属于本机构');
    const other = await call('3103', { jr_id: warned[0]!.jr_id, warn_dspo_way: '1' }, { apikey: w.keys.pharmacy, fixmedins_code: PHARMACY });
    expect(other.err_msg).toBe(`提醒处理结果有误：字段data.feedback_dtos[0].jr_id：违规标识 ${warned[0]!.jr_id} 不存在或不属于本机构`);
  });
});

describe('history from the settlement tables', () => {
  const today = beijingDate();
  const d = (n: number) => addDays(today, n);

  beforeAll(async () => {
    // an earlier stay of the patient as settlement recorded it (migration 0010): encounter, discharge diagnosis, fee line
    await sql`insert into mdtrt (mdtrt_id, ipt_otp_flag, psn_no, insutype, psn_type, med_type, ipt_otp_no, fixmedins_code, mdtrtarea_admvs, insuplc_admdvs,
                                 mdtrt_cert_type, begntime, endtime, dise_codg, dise_name, mdtrt_stas, reg_msgid)
              values ('990100ZY0001', '2', ${w.psn.zhang}, '310', '1101', '21', 'ZY0001', ${HOSPITAL}, '990100', '990100', '02',
                      ${`${d(-20)} 08:00:00+08`}::timestamptz, ${`${d(-14)} 10:00:00+08`}::timestamptz, 'K80.000', '胆囊结石伴急性胆囊炎', '2', 'HIS-REG-1')`.execute(w.db.k);
    await sql`insert into mdtrt_diag (mdtrt_id, stage, diag_type, diag_srt_no, diag_code, diag_name, maindiag_flag, msgid)
              values ('990100ZY0001', 'dscg', '1', 1, 'K80.000', '胆囊结石伴急性胆囊炎', '1', 'HIS-DSCG-1')`.execute(w.db.k);
    await sql`insert into feedetl (mdtrt_id, feedetl_sn, psn_no, fee_ocur_time, hilist_code, medins_list_codg, pric, cnt, det_item_fee_sumamt,
                                   fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, inscp_scp_amt, chrgitm_lv, selfpay_prop, lmt_used_flag, upload_msgid, bilg_dr_codg)
              values ('990100ZY0001', '1', ${w.psn.zhang}, ${`${d(-20)} 09:00:00+08`}::timestamptz, ${C.BED}, 'B001', 40, 6, 240,
                      0, 0, 0, 240, '01', 0, '0', 'HIS-FEE-1', ${DOCTORS.ok})`.execute(w.db.k);
  });

  test('DbHistoryProvider answers earlier encounters in the request’s own shape', async () => {
    const encs = await new DbHistoryProvider(w.db).history({ patn_id: w.psn.zhang, until: today, days: 366, exclude: [] });
    expect(encs).toEqual([
      expect.objectContaining({
        mdtrt_id: '990100ZY0001',
        medins_id: HOSPITAL,
        medins_name: '甲市第一人民医院',
        medins_lv: '2',
        adm_date: `${d(-20)} 08:00:00`,
        dscg_date: `${d(-14)} 10:00:00`,
        dscg_main_dise_codg: 'K80.000',
        med_type: '21',
        med_mdtrt_type: '2',
        fsi_diagnose_dtos: [{ dise_codg: 'K80.000', dise_name: '胆囊结石伴急性胆囊炎', maindise_flag: '1', dias_srt_no: 1, inout_dise_type: '2' }],
        fsi_order_dtos: [expect.objectContaining({ hilist_code: C.BED, cnt: '6.0000', sumamt: '240.00', drord_begn_date: `${d(-20)} 09:00:00`, drord_dr_codg: DOCTORS.ok, curr_drord_flag: '0' })],
      }),
    ]);
    expect(await new DbHistoryProvider(w.db).history({ patn_id: w.psn.zhang, until: today, days: 10, exclude: [] })).toEqual([]);
    expect(await new DbHistoryProvider(w.db).history({ patn_id: w.psn.zhang, until: today, days: 366, exclude: ['990100ZY0001'] })).toEqual([]);
  });

  test('a 住院登记 request without history is audited against the pulled history (分解住院)', async () => {
    const req = visit(w.psn.zhang, { trig_scen: '3', orders: [], task_id: 'ADM-1' });
    Object.assign(req.patient_dtos[0]!.fsi_encounter_dtos[0]!, { mdtrt_id: 'MZ20250610001', med_type: '21', med_mdtrt_type: '2', adm_date: `${d(-5)} 08:00:00`, dscg_main_dise_codg: 'K80.100' });
    const a = await call('3101', req);
    expect(a.output.result.map((r) => [r.rule_id, r.sev_deg])).toEqual([['MGT-ADM-01', '2']]);
    expect(a.output.result[0]!.vola_cont).toBe(`${d(-14)}自甲市第一人民医院出院（主诊断K80.000）后9天在同一机构再次入院（主诊断K80.100），疑似分解住院`);
    expect(a.output.result[0]!.judge_result_detail_dtos.map((x) => [x.mdtrt_id, x.rx_id, x.vola_item_type])).toEqual([['MZ20250610001', null, '1'], ['990100ZY0001', null, '2']]);
    const e = await w.db.k.selectFrom('audit_eval').select(['hist_src', 'hit_cnt']).where('task_id', '=', 'ADM-1').executeTakeFirstOrThrow();
    expect(e).toEqual({ hist_src: '2', hit_cnt: 1 });
  });
});
