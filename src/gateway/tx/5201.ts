/**
 * 5201 就诊信息查询: the caller's encounters of a person (valid and cancelled), newest first, optionally narrowed by
 * the time the encounter began, med_type or mdtrt_id. Output node `mdtrtinfo[]`. Another institution's encounters
 * are never shown.
 */
import { Type } from '@sinclair/typebox';
import { validationError } from '../../platform/errors.js';
import { ageOn, beijingDate } from '../../platform/time.js';
import { wireTime } from '../../settlement/common.js';
import { encountersAt, type EncounterRow } from '../../settlement/queries-5200.js';
import { C, DT, Nullable, OptC } from '../schema.js';
import { defineTx } from '../types.js';

export const Input5201 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    begntime: Type.Optional(DT('开始时间')),
    endtime: Type.Optional(DT('结束时间')),
    med_type: OptC(6, '医疗类别'),
    mdtrt_id: OptC(30, '就诊ID'),
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());
const OptN = Nullable(Type.Number());

export const Mdtrtinfo5201 = Type.Object({
  mdtrt_id: S,
  psn_no: S,
  psn_cert_type: S,
  certno: S,
  psn_name: S,
  gend: S,
  naty: OptS,
  brdy: OptS,
  age: OptN,
  coner_name: OptS,
  tel: OptS,
  insutype: S,
  psn_type: S,
  maf_psn_flag: OptS,
  cvlserv_flag: S,
  flxempe_flag: OptS,
  nwb_flag: OptS,
  insu_optins: S,
  emp_name: OptS,
  begntime: S,
  endtime: OptS,
  mdtrt_cert_type: OptS,
  med_type: S,
  ars_year_ipt_flag: S,
  pre_pay_flag: S,
  ipt_otp_no: S,
  medrcdno: OptS,
  atddr_no: OptS,
  chfpdr_name: OptS,
  adm_dept_codg: OptS,
  adm_dept_name: OptS,
  adm_bed: OptS,
  dscg_maindiag_code: OptS,
  dscg_maindiag_name: OptS,
  dscg_dept_codg: OptS,
  dscg_dept_name: OptS,
  dscg_bed: OptS,
  dscg_way: OptS,
  main_cond_dscr: OptS,
  dise_codg: OptS,
  dise_name: OptS,
  oprn_oprt_code: OptS,
  oprn_oprt_name: OptS,
  otp_diag_info: OptS,
  inhosp_stas: OptS,
  die_date: OptS,
  ipt_days: OptN,
  fpsc_no: OptS,
  matn_type: OptS,
  birctrl_type: OptS,
  latechb_flag: OptS,
  geso_val: OptN,
  fetts: OptN,
  fetus_cnt: OptN,
  pret_flag: OptS,
  birctrl_matn_date: OptS,
  cop_flag: OptS,
  vali_flag: S,
  setl_flag: S,
  fixmedins_code: S,
  opter_id: OptS,
  opter_name: OptS,
  opt_time: S,
  memo: OptS,
});

export const Output5201 = Type.Object({ mdtrtinfo: Type.Array(Mdtrtinfo5201) });

const dateOrNull = (d: unknown): string | null => (d === null || d === undefined ? null : d instanceof Date ? beijingDate(d) : String(d).slice(0, 10));
const DAY_MS = 86_400_000;

function mdtrtinfo(r: EncounterRow) {
  const ipt = r.ipt_otp_flag === '2';
  const main = (stage: string) => r.diagnoses.find((d) => d.stage === stage && d.maindiag_flag === '1') ?? r.diagnoses.find((d) => d.stage === stage);
  const dscg = main('dscg');
  const opt = r.diagnoses.filter((d) => d.stage === 'opt');
  const brdy = dateOrNull(r.brdy);
  const endDay = r.endtime ? r.endtime.slice(0, 10) : null;
  return {
    mdtrt_id: r.mdtrt_id,
    psn_no: r.psn_no,
    psn_cert_type: r.psn_cert_type,
    certno: r.certno,
    psn_name: r.psn_name,
    gend: r.gend,
    naty: r.naty,
    brdy,
    age: brdy ? ageOn(brdy, r.begndate) : null,
    coner_name: r.coner_name,
    tel: r.tel ?? r.psn_tel,
    insutype: r.insutype,
    psn_type: r.psn_type,
    maf_psn_flag: null,
    cvlserv_flag: r.cvlserv_flag,
    flxempe_flag: null,
    nwb_flag: null,
    insu_optins: r.insuplc_admdvs,
    emp_name: r.emp_name,
    begntime: r.begntime,
    endtime: r.endtime,
    mdtrt_cert_type: r.mdtrt_cert_type,
    med_type: r.med_type,
    ars_year_ipt_flag: ipt && endDay !== null && endDay.slice(0, 4) !== r.begndate.slice(0, 4) ? '1' : '0',
    pre_pay_flag: '0',
    ipt_otp_no: r.ipt_otp_no,
    medrcdno: r.medrcdno,
    atddr_no: r.atddr_no,
    chfpdr_name: r.dr_name,
    adm_dept_codg: r.dept_code,
    adm_dept_name: r.dept_name,
    adm_bed: r.adm_bed,
    dscg_maindiag_code: dscg?.diag_code ?? null,
    dscg_maindiag_name: dscg?.diag_name ?? null,
    dscg_dept_codg: r.dscg_dept_codg,
    dscg_dept_name: r.dscg_dept_name,
    dscg_bed: r.dscg_bed,
    dscg_way: r.dscg_way,
    main_cond_dscr: r.main_cond_dscr,
    dise_codg: r.dise_codg,
    dise_name: r.dise_name,
    oprn_oprt_code: r.oprn_oprt_code,
    oprn_oprt_name: r.oprn_oprt_name,
    otp_diag_info: opt.length ? opt.map((d) => `${d.diag_code} ${d.diag_name}`).join('；').slice(0, 200) : null,
    inhosp_stas: ipt ? r.mdtrt_stas : null,
    die_date: dateOrNull(r.die_date),
    ipt_days: ipt && endDay ? Math.max(1, Math.round((Date.parse(`${endDay}T00:00:00Z`) - Date.parse(`${r.begndate}T00:00:00Z`)) / DAY_MS)) : null,
    fpsc_no: r.fpsc_no,
    matn_type: r.matn_type,
    birctrl_type: r.birctrl_type,
    latechb_flag: r.latechb_flag,
    geso_val: r.geso_val,
    fetts: r.fetts,
    fetus_cnt: r.fetus_cnt,
    pret_flag: r.pret_flag,
    birctrl_matn_date: dateOrNull(r.birctrl_matn_date),
    cop_flag: r.cop_flag,
    vali_flag: r.vali_flag,
    setl_flag: r.setl_flag,
    fixmedins_code: r.fixmedins_code,
    opter_id: null,
    opter_name: null,
    opt_time: r.updt_time,
    memo: null,
  };
}

export const tx5201 = defineTx({
  infno: '5201',
  name: '就诊信息查询',
  input: Input5201,
  output: Output5201,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const begntime = data.begntime ? wireTime(data.begntime, 'data.begntime') : undefined;
    // a date alone as the end means the whole day
    const endtime = data.endtime ? new Date(wireTime(data.endtime, 'data.endtime').getTime() + (data.endtime.trim().length === 10 ? 86_399_000 : 0)) : undefined;
    if (begntime && endtime && begntime > endtime) {
      throw validationError(`开始时间 ${data.begntime} 晚于结束时间 ${data.endtime}`, [{ field: 'data.begntime', message: '开始时间不能晚于结束时间' }]);
    }
    const rows = await encountersAt(ctx.db, {
      fixmedins_code: ctx.envelope.fixmedins_code,
      psn_no: data.psn_no,
      ...(begntime ? { begntime } : {}),
      ...(endtime ? { endtime } : {}),
      ...(data.med_type ? { med_type: data.med_type } : {}),
      ...(data.mdtrt_id ? { mdtrt_id: data.mdtrt_id } : {}),
    });
    return { mdtrtinfo: rows.map(mdtrtinfo) };
  },
});
