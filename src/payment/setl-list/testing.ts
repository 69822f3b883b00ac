/**
 * Settlement lists for tests: a complete, clean list of an adult inpatient stay and of a newborn, in the shape a HIS
 * sends (every value a string), plus the dictionary names their codes need. Used by src/payment tests only.
 */
import type { QcContext } from '../qc/engine.js';
import type { ListRow, SetlListInput } from './fields.js';

export const TEST_HOSPITAL = 'H99010200001';

/** The codes the fixtures use, with their 医保版 names. */
export const FIXTURE_DIAGNOSES: ReadonlyMap<string, string> = new Map([
  ['E11.900', '2型糖尿病'],
  ['I10.x00', '原发性高血压'],
  ['P59.900', '新生儿黄疸'],
  ['K35.800', '急性阑尾炎'],
]);
export const FIXTURE_PROCEDURES: ReadonlyMap<string, string> = new Map([
  ['47.0100', '腹腔镜下阑尾切除术'],
  ['89.0200', '问诊和评估'],
]);

/** A clean adult list: 张三丰, 45, 2025-12-01 → 2025-12-08, K35.800 + I10.x00, one operation, one ICU stay. */
export function adultList(setl_id = 'S0001', mdtrt_id = 'M0001'): SetlListInput {
  return {
    setlinfo: {
      mdtrt_id,
      setl_id,
      fixmedins_name: '甲市第一人民医院',
      fixmedins_code: TEST_HOSPITAL,
      hi_setl_lv: '2',
      medcasno: 'BA0001',
      psn_name: '张三丰',
      gend: '1',
      brdy: '1980-05-06',
      age: '45',
      ntly: 'CHN',
      naty: '01',
      patn_cert_type: '01',
      certno: '990102198005060111',
      prfs: '17',
      poscode: '990100',
      coner_name: '李某',
      patn_rlts: '1',
      coner_addr: '甲市某街1号',
      coner_tel: '13800000000',
      hi_type: '310',
      insuplc: '990100',
      ipt_med_type: '1',
      adm_way: '2',
      trt_type: '1',
      adm_time: '2025-12-01 08:30:00',
      adm_caty: 'A03',
      dscg_time: '2025-12-08 10:00:00',
      dscg_caty: 'A03',
      act_ipt_days: '7',
      diag_code_cnt: '2',
      oprn_oprt_code_cnt: '1',
      vent_used_dura: '0/5/30',
      dscg_way: '1',
      bill_code: 'B001',
      bill_no: 'N0001',
      biz_sn: 'SN0001',
      chfpdr_name: '王医生',
      chfpdr_code: 'D99010200001',
      setl_begn_date: '2025-12-01',
      setl_end_date: '2025-12-08',
      psn_selfpay: '500.00',
      psn_ownpay: '100.00',
      acct_pay: '200.00',
      psn_cashpay: '400.00',
      hi_paymtd: '4',
      hsorg: '甲市医保中心',
      hsorg_opter: '刘经办',
      medins_fill_dept: '病案科',
      medins_fill_psn: '赵填报',
    },
    payinfo: [{ fund_pay_type: '310100', fund_payamt: '9400.00' }],
    opspdiseinfo: [],
    diseinfo: [
      { diag_type: '1', diag_code: 'K35.800', diag_name: '急性阑尾炎', adm_cond_type: '1', maindiag_flag: '1' },
      { diag_type: '1', diag_code: 'I10.x00', diag_name: '原发性高血压', adm_cond_type: '1', maindiag_flag: '0' },
    ],
    iteminfo: [
      { med_chrgitm: '01', amt: '2000.00', claa_sumfee: '2000.00', clab_amt: '0', fulamt_ownpay_amt: '0', oth_amt: '0' },
      { med_chrgitm: '09', amt: '8000.00', claa_sumfee: '6000.00', clab_amt: '1900.00', fulamt_ownpay_amt: '100.00', oth_amt: '0' },
    ],
    oprninfo: [
      {
        oprn_oprt_type: '1',
        oprn_oprt_name: '腹腔镜下阑尾切除术',
        oprn_oprt_code: '47.0100',
        oprn_oprt_date: '2025-12-02',
        anst_way: '01',
        oper_dr_name: '王医生',
        oper_dr_code: 'D99010200001',
        anst_dr_name: '陈麻醉',
        anst_dr_code: 'D99010200009',
        anst_begntime: '2025-12-02 09:00:00',
        anst_endtime: '2025-12-02 10:00:00',
      },
    ],
    icuinfo: [{ scs_cutd_ward_type: '7', scs_cutd_inpool_time: '2025-12-02 10:30:00', scs_cutd_exit_time: '2025-12-03 10:30:00', scs_cutd_sum_dura: '1/0/0' }],
    bldinfo: [],
  };
}

/** A clean newborn list: 3 days old at admission, jaundice, birth weight 3200 g, no operation. */
export function newbornList(setl_id = 'S0002', mdtrt_id = 'M0002'): SetlListInput {
  const l = adultList(setl_id, mdtrt_id);
  const s = l.setlinfo;
  delete s.age;
  Object.assign(s, { psn_name: '张三丰之子', brdy: '2025-11-28', nwb_age: '3', nwb_bir_wt: '3200', nwb_adm_wt: '3150', nwb_adm_type: '1', certno: '990102202511280011', diag_code_cnt: '1', oprn_oprt_code_cnt: '0' });
  delete s.vent_used_dura;
  l.diseinfo = [{ diag_type: '1', diag_code: 'P59.900', diag_name: '新生儿黄疸', adm_cond_type: '1', maindiag_flag: '1' }];
  l.oprninfo = [];
  l.icuinfo = [];
  return l;
}

/** A QC context in which the fixtures are clean: their codes valid, their settlement found at the test hospital. */
export function fixtureContext(list: SetlListInput, over: Partial<QcContext> = {}): QcContext {
  return {
    caller: TEST_HOSPITAL,
    settlement: { setl_id: list.setlinfo.setl_id ?? '', mdtrt_id: list.setlinfo.mdtrt_id ?? '', psn_no: '99010000000001', fixmedins_code: TEST_HOSPITAL, valid: true },
    diagnoses: FIXTURE_DIAGNOSES,
    procedures: FIXTURE_PROCEDURES,
    checkDate: '2025-12-08',
    ...over,
  };
}

/** A deep copy, so a test can change one field. */
export const cloneList = (l: SetlListInput): SetlListInput => JSON.parse(JSON.stringify(l)) as SetlListInput;

/** Sets (or, with undefined, removes) a field: 'setlinfo.gend' or 'diseinfo.0.diag_code'. */
export function setField(l: SetlListInput, path: string, value: string | undefined): SetlListInput {
  const parts = path.split('.');
  const node = parts[0]!;
  let row: ListRow;
  let field: string;
  if (node === 'setlinfo') {
    row = l.setlinfo;
    field = parts[1]!;
  } else {
    const rows = ((l as unknown as Record<string, ListRow[] | undefined>)[node] ??= []);
    const i = Number(parts[1]);
    rows[i] ??= {};
    row = rows[i];
    field = parts[2]!;
  }
  if (value === undefined) delete row[field];
  else row[field] = value;
  return l;
}
