/**
 * The settlement list (医疗保障基金结算清单) of a generated inpatient stay — the content DRG/DIP grouping needs:
 * demographics, insurance, admission and discharge, diagnoses, procedures, fees by 收费项目类别 (甲/乙/自费) and
 * the funds paid — as the rows of setl_list, setl_list_ver (with the list as read in `content`), setl_list_diag,
 * setl_list_oprn, setl_list_item and setl_list_pay (migration 0012). Generated lists have not been through the
 * 4101 quality control; qc_report says so.
 */
import { fenToYuan, type Fen } from '../platform/money.js';
import type { ClassifiedLine, Settlement } from '../settlement/policy/index.js';
import type { Emitter } from './chunk.js';
import { ts } from './tables.js';

export interface ListInput {
  setl_list_id: string;
  setl_id: string;
  mdtrt_id: string;
  fixmedins_code: string;
  fixmedins_name: string;
  psn_no: string;
  psn_name: string;
  certno: string;
  gend: string;
  brdy: string;
  age: number;
  insutype: string;
  insuplc: string;
  adm_time: string;
  dscg_time: string;
  act_ipt_days: number;
  /** 离院方式: '1' 医嘱离院, '2' 医嘱转院. */
  dscg_way: string;
  dept_name: string;
  diags: { code: string; name: string }[];
  oprns: { code: string; name: string; date: string; dr_code: string | null }[];
  lines: ClassifiedLine[];
  result: Settlement;
  month: string;
}

export function emitSetlList(e: Emitter, x: ListInput): void {
  const info = x.result.setlinfo;
  const dscg_date = x.dscg_time.slice(0, 10);
  const part = (table: Parameters<Emitter['emit']>[0], v: Record<string, string | number | null>) => e.emit(table, v, x.month, x.insuplc);

  const byType = new Map<string, { amt: Fen; claa: Fen; clab: Fen; own: Fen }>();
  for (const l of x.lines) {
    const k = l.med_chrgitm_type ?? '14';
    const g = byType.get(k) ?? { amt: 0, claa: 0, clab: 0, own: 0 };
    g.amt += l.det_item_fee_sumamt;
    if (l.chrgitm_lv === '01') g.claa += l.det_item_fee_sumamt;
    if (l.chrgitm_lv === '02') g.clab += l.det_item_fee_sumamt;
    g.own += l.fulamt_ownpay_amt;
    byType.set(k, g);
  }
  const items = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b));
  const funds = x.result.setldetail.filter((d) => d.fund_pay_type !== '310200' && d.fund_payamt !== 0);
  const fundSum = funds.reduce((s, d) => s + d.fund_payamt, 0);

  const content = {
    setlinfo: {
      mdtrt_id: x.mdtrt_id,
      setl_id: x.setl_id,
      fixmedins_name: x.fixmedins_name,
      fixmedins_code: x.fixmedins_code,
      hi_no: x.psn_no,
      psn_name: x.psn_name,
      gend: x.gend,
      brdy: x.brdy,
      age: String(x.age),
      ntly: 'CHN',
      patn_cert_type: '01',
      certno: x.certno,
      hi_type: x.insutype,
      insuplc: x.insuplc,
      ipt_med_type: '1',
      adm_time: x.adm_time,
      adm_caty: x.dept_name,
      dscg_time: x.dscg_time,
      dscg_caty: x.dept_name,
      act_ipt_days: String(x.act_ipt_days),
      dscg_way: x.dscg_way,
      hi_paymtd: '1',
      medfee_sumamt: fenToYuan(info.medfee_sumamt),
      psn_selfpay: fenToYuan(info.preselfpay_amt + info.overlmt_selfpay),
      psn_ownpay: fenToYuan(info.fulamt_ownpay_amt),
      acct_pay: fenToYuan(info.acct_pay),
      psn_cashpay: fenToYuan(info.psn_cash_pay),
    },
    diseinfo: x.diags.map((d, i) => ({ diag_type: '1', diag_code: d.code, diag_name: d.name, adm_cond_type: '1', maindiag_flag: i === 0 ? '1' : '0' })),
    oprninfo: x.oprns.map((o, i) => ({ oprn_oprt_type: i === 0 ? '1' : '2', oprn_oprt_code: o.code, oprn_oprt_name: o.name, oprn_oprt_date: o.date, oper_dr_code: o.dr_code })),
    iteminfo: items.map(([k, g]) => ({ med_chrgitm: k, amt: fenToYuan(g.amt), claa_sumfee: fenToYuan(g.claa), clab_amt: fenToYuan(g.clab), fulamt_ownpay_amt: fenToYuan(g.own), oth_amt: '0.00' })),
    payinfo: funds.map((d) => ({ fund_pay_type: d.fund_pay_type, fund_payamt: fenToYuan(d.fund_payamt) })),
  };

  part('setl_list', { setl_id: x.setl_id, fixmedins_code: x.fixmedins_code, mdtrt_id: x.mdtrt_id, psn_no: x.psn_no, cur_ver: 1, setl_list_id: x.setl_list_id, stas_type: '1' });
  part('setl_list_ver', {
    setl_list_id: x.setl_list_id,
    setl_id: x.setl_id,
    ver_no: 1,
    infno: '4101',
    msgid: null,
    fixmedins_code: x.fixmedins_code,
    mdtrt_id: x.mdtrt_id,
    psn_name: x.psn_name,
    certno: x.certno,
    gend: x.gend,
    brdy: x.brdy,
    age: `${x.age}.0`,
    nwb_age: null,
    hi_type: x.insutype,
    insuplc: x.insuplc,
    ipt_med_type: '1',
    adm_time: ts(x.adm_time),
    dscg_time: ts(x.dscg_time),
    dscg_date,
    act_ipt_days: x.act_ipt_days,
    dscg_way: x.dscg_way,
    hi_paymtd: '1',
    main_diag_code: x.diags[0]?.code ?? null,
    main_oprn_code: x.oprns[0]?.code ?? null,
    medfee_sumamt: fenToYuan(info.medfee_sumamt),
    psn_selfpay: content.setlinfo.psn_selfpay,
    psn_ownpay: content.setlinfo.psn_ownpay,
    acct_pay: content.setlinfo.acct_pay,
    psn_cashpay: content.setlinfo.psn_cashpay,
    fund_pay_sumamt: fenToYuan(fundSum),
    content: JSON.stringify(content),
    qc_rslt: '0',
    qc_report: JSON.stringify({ generated: true, memo: '生成数据，未经 4101 质控' }),
  });
  x.diags.forEach((d, i) => part('setl_list_diag', { setl_list_id: x.setl_list_id, seq: i + 1, diag_type: '1', diag_code: d.code, diag_name: d.name, adm_cond_type: '1', maindiag_flag: i === 0 ? '1' : '0' }));
  x.oprns.forEach((o, i) =>
    part('setl_list_oprn', {
      setl_list_id: x.setl_list_id,
      seq: i + 1,
      oprn_oprt_type: i === 0 ? '1' : '2',
      oprn_oprt_code: o.code,
      oprn_oprt_name: o.name,
      oprn_oprt_date: o.date,
      anst_way: i === 0 ? '01' : null,
      oper_dr_code: o.dr_code,
      anst_dr_code: null,
      main_flag: i === 0 ? '1' : '0',
    }),
  );
  items.forEach(([k, g], i) =>
    part('setl_list_item', { setl_list_id: x.setl_list_id, seq: i + 1, med_chrgitm: k, amt: fenToYuan(g.amt), claa_sumfee: fenToYuan(g.claa), clab_amt: fenToYuan(g.clab), fulamt_ownpay_amt: fenToYuan(g.own), oth_amt: '0.00' }),
  );
  funds.forEach((d, i) => part('setl_list_pay', { setl_list_id: x.setl_list_id, seq: i + 1, fund_pay_type: d.fund_pay_type, fund_payamt: fenToYuan(d.fund_payamt) }));
}
