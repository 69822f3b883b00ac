/**
 * The claim model rules reason over, prepared once per request from the 3101/3102 shape: patients → encounters
 * → lines, every line with its service date, exact amounts (fen), quantity (q4), unit price (µ元) and its
 * catalogue and knowledge rows already looked up. Which encounters and lines are "current" follows
 * `curr_mdtrt_id` and `curr_drord_flag` (1 = an order of this request, 0 = history). Bad numbers or dates are
 * refused here with one Chinese message naming every field.
 */
import { validationError, type FieldProblem } from '../../platform/errors.js';
import type { Fen } from '../../platform/money.js';
import type { Restriction } from '../../standards/catalogue/types.js';
import { validFirst, type CatRow, type CodeFacts, type KbItem, type Knowledge } from '../kb/knowledge.js';
import { daysBetween, isDate, toFen, toMicro, toQ4 } from '../num.js';
import type { AuditRequest, EncounterDto, OperationDto, OrderDto, PatientDto } from '../types.js';
import { TRIG_SCENES } from '../types.js';

export interface Line {
  /** Index among the patient's lines. */
  idx: number;
  o: OrderDto;
  enc: Enc;
  rx_id: string;
  code: string;
  name: string;
  /** An order of this request (not history). */
  curr: boolean;
  /** Service date (drord_begn_date, else the encounter's admission date, else today). */
  date: string;
  /** drord_stop_date's date, when given. */
  stop: string | null;
  q4: number;
  micro: number;
  sumamt: Fen;
  ownpay: Fen;
  /** The part not paid wholly by the patient (sumamt − ownpay_amt, ≥ 0): what the fund would consider. */
  fundable: Fen;
  rxno: string;
  dept: string;
  dr: string;
  listType: string;
  chrgType: string;
  cat: CatRow | undefined;
  /** The catalogue's restriction (限定支付范围) on the service date. */
  lmt: Restriction | null;
  kbItem: KbItem | undefined;
  /** Everything the knowledge base holds about the code (rules pick the rows valid on `date`). */
  f: CodeFacts;
}

export interface Enc {
  d: EncounterDto;
  mdtrt_id: string;
  curr: boolean;
  medins_id: string;
  /** Hospital level 1/2/3/9 (registry first, then medins_lv), or null when unknown. */
  lv: string | null;
  medins_type: string;
  /** 1 门(急)诊 2 住院 3 购药. */
  scene: '1' | '2' | '3';
  /** 异地: treated outside the patient's pool area. */
  remote: boolean;
  inpatient: boolean;
  adm: string | null;
  dscg: string | null;
  diags: string[];
  mainDiag: string | null;
  oprns: OperationDto[];
  lines: Line[];
  currLines: Line[];
  insutype: string;
  med_type: string;
  matn_stas: string;
}

export interface Patient {
  d: PatientDto;
  patn_id: string;
  gend: string;
  brdy: string;
  area: string | undefined;
  encs: Enc[];
  currEncs: Enc[];
  lines: Line[];
  /** True when the request carried history (other encounters or lines with curr_drord_flag 0). */
  hasHistory: boolean;
}

export interface Claim {
  req: AuditRequest;
  patients: Patient[];
  today: string;
  /** Trigger scenes given (comma-separated allowed). */
  trig: string[];
}

const INPATIENT_MED_TYPES = new Set(['52', '92', '9902', '9904', '9907', '9921', '9925']);
const PHARMACY_MED_TYPES = new Set(['41', '93']);

/** Hospital level from the national 2-digit 医院等级 (01–04 三级, 05–07 二级, 08–10 一级, 11 未定级) or 1/2/3/9. */
export function levelOf(medins_lv: string | undefined): string | null {
  if (!medins_lv) return null;
  if (/^[1239]$/.test(medins_lv)) return medins_lv;
  const n = Number(medins_lv);
  if (!Number.isInteger(n)) return null;
  if (n >= 1 && n <= 4) return '3';
  if (n >= 5 && n <= 7) return '2';
  if (n >= 8 && n <= 10) return '1';
  if (n === 11) return '9';
  return null;
}

function dateOf(dt: string | undefined): string | null {
  if (!dt || dt.length < 10) return null;
  const d = dt.length === 10 ? dt : dt.slice(0, 10);
  return isDate(d) ? d : null;
}

/** Whole years of age on a date, as age is counted in China. */
export function ageYears(p: Patient, on: string): number {
  const b = p.brdy;
  let age = Number(on.slice(0, 4)) - Number(b.slice(0, 4));
  if (on.slice(5) < b.slice(5)) age -= 1;
  return age;
}
export function ageDays(p: Patient, on: string): number {
  return daysBetween(p.brdy, on);
}

export function isDrug(l: Line): boolean {
  return l.listType.startsWith('1');
}
export function isService(l: Line): boolean {
  return l.listType === '201';
}
export function isMaterial(l: Line): boolean {
  return l.listType === '301';
}

/** Builds the claim model; throws one VALIDATION error listing every unreadable field. */
export function prepareClaim(req: AuditRequest, kb: Knowledge, today: string): Claim {
  const problems: FieldProblem[] = [];
  const trig = (req.trig_scen ?? '').split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  for (const t of trig) if (!TRIG_SCENES[t]) problems.push({ field: 'data.trig_scen', message: `“${t}”不是有效的触发场景（1–10）` });
  const trigScene = trig.length ? TRIG_SCENES[trig[0]!]?.scene : undefined;
  if (!req.patient_dtos?.length) problems.push({ field: 'data.patient_dtos', message: '缺少参保人信息' });
  const patients = (req.patient_dtos ?? []).map((pd, pi) => preparePatient(pd, `data.patient_dtos[${pi}]`, kb, today, trigScene, problems));
  if (problems.length) throw validationError('审核请求有误', problems);
  return { req, patients, today, trig };
}

function preparePatient(pd: PatientDto, at: string, kb: Knowledge, today: string, trigScene: '1' | '2' | '3' | undefined, problems: FieldProblem[]): Patient {
  if (!pd.brdy || !isDate(pd.brdy.slice(0, 10))) problems.push({ field: `${at}.brdy`, message: '出生日期应为 yyyy-MM-dd' });
  const p: Patient = { d: pd, patn_id: pd.patn_id, gend: pd.gend ?? '', brdy: (pd.brdy ?? '1900-01-01').slice(0, 10), area: pd.poolarea, encs: [], currEncs: [], lines: [], hasHistory: false };
  const encDtos = pd.fsi_encounter_dtos ?? [];
  const anyFlagged = encDtos.some((e) => (e.fsi_order_dtos ?? []).some((o) => o.curr_drord_flag === '1'));
  const currKnown = pd.curr_mdtrt_id !== undefined && encDtos.some((e) => e.mdtrt_id === pd.curr_mdtrt_id);
  encDtos.forEach((ed, ei) => {
    const eat = `${at}.fsi_encounter_dtos[${ei}]`;
    const hasFlag1 = (ed.fsi_order_dtos ?? []).some((o) => o.curr_drord_flag === '1');
    const curr = currKnown ? ed.mdtrt_id === pd.curr_mdtrt_id || hasFlag1 : anyFlagged ? hasFlag1 : ei === 0;
    const enc = prepareEncounter(ed, eat, p, curr, kb, today, trigScene, problems);
    p.encs.push(enc);
    if (curr) p.currEncs.push(enc);
  });
  p.hasHistory = p.encs.length > p.currEncs.length || p.lines.some((l) => !l.curr);
  return p;
}

function prepareEncounter(ed: EncounterDto, at: string, p: Patient, curr: boolean, kb: Knowledge, today: string, trigScene: '1' | '2' | '3' | undefined, problems: FieldProblem[]): Enc {
  const med_type = ed.med_type ?? '';
  const inpatient = med_type ? med_type.startsWith('2') || INPATIENT_MED_TYPES.has(med_type) : ed.med_mdtrt_type === '2' || (curr ? trigScene === '2' : !!ed.dscg_date);
  const scene: '1' | '2' | '3' = inpatient ? '2' : PHARMACY_MED_TYPES.has(med_type) || (!med_type && curr && trigScene === '3') ? '3' : '1';
  const adm = dateOf(ed.adm_date);
  if (ed.adm_date && !adm) problems.push({ field: `${at}.adm_date`, message: '日期格式应为 yyyy-MM-dd HH:mm:ss' });
  const dscg = dateOf(ed.dscg_date);
  if (ed.dscg_date && !dscg) problems.push({ field: `${at}.dscg_date`, message: '日期格式应为 yyyy-MM-dd HH:mm:ss' });
  const on = adm ?? today;
  const medins_id = ed.medins_id ?? '';
  const diagDtos = [...(ed.fsi_diagnose_dtos ?? [])].sort((a, b) => Number(a.dias_srt_no ?? 0) - Number(b.dias_srt_no ?? 0));
  const diags: string[] = [];
  if (ed.dscg_main_dise_codg) diags.push(ed.dscg_main_dise_codg);
  for (const d of diagDtos) if (d.dise_codg && !diags.includes(d.dise_codg)) diags.push(d.dise_codg);
  const main = ed.dscg_main_dise_codg ?? diagDtos.find((d) => d.maindise_flag === '1')?.dise_codg ?? diagDtos[0]?.dise_codg ?? null;
  const area = p.area;
  const enc: Enc = {
    d: ed,
    mdtrt_id: ed.mdtrt_id,
    curr,
    medins_id,
    lv: kb.hospLv(medins_id, on) ?? levelOf(ed.medins_lv),
    medins_type: ed.medins_type ?? '',
    scene,
    remote: ed.out_setl_flag === '1' || (!!area && !!ed.medins_admdvs && area.slice(0, 4) !== ed.medins_admdvs.slice(0, 4)),
    inpatient,
    adm,
    dscg,
    diags,
    mainDiag: main,
    oprns: ed.fsi_operation_dtos ?? [],
    lines: [],
    currLines: [],
    insutype: ed.insutype ?? '',
    med_type,
    matn_stas: ed.matn_stas ?? '',
  };
  const orders = ed.fsi_order_dtos ?? [];
  for (let oi = 0; oi < orders.length; oi++) {
    const o = orders[oi]!;
    const q4 = toQ4(o.cnt);
    const micro = toMicro(o.pric);
    const sumamt = toFen(o.sumamt);
    const ownpay = o.ownpay_amt === undefined ? 0 : toFen(o.ownpay_amt);
    const begn = dateOf(o.drord_begn_date);
    const stop = dateOf(o.drord_stop_date);
    if (q4 === null || micro === null || sumamt === null || ownpay === null || (o.drord_begn_date && !begn) || (o.drord_stop_date && !stop)) {
      orderProblems(`${at}.fsi_order_dtos[${oi}]`, o, { q4, micro, sumamt, ownpay, begn, stop }, problems);
    }
    const date = begn ?? adm ?? today;
    const code = o.hilist_code;
    const f = kb.factsOf(code);
    const ce = f.entry;
    const cat = ce ? pickOn(ce.versions, date, area) : undefined;
    const line: Line = {
      idx: p.lines.length,
      o,
      enc,
      rx_id: o.rx_id,
      code,
      name: o.hilist_name ?? cat?.hilist_name ?? code,
      curr: o.curr_drord_flag === '1' || (o.curr_drord_flag === undefined && curr),
      date,
      stop,
      q4: q4 ?? 0,
      micro: micro ?? 0,
      sumamt: sumamt ?? 0,
      ownpay: ownpay ?? 0,
      fundable: Math.max(0, (sumamt ?? 0) - (ownpay ?? 0)),
      rxno: o.rxno ?? '',
      dept: o.drord_dept_codg ?? ed.adm_dept_codg ?? '',
      dr: o.drord_dr_codg ?? ed.dr_codg ?? '',
      listType: cat?.list_type ?? o.hilist_type ?? '',
      chrgType: cat?.med_chrgitm_type ?? o.chrg_type ?? '',
      cat,
      lmt: ce && ce.lmts.length ? (pickOn(ce.lmts, date, area)?.r ?? null) : null,
      kbItem: f.items.length ? validFirst(f.items, date) : undefined,
      f,
    };
    enc.lines.push(line);
    if (line.curr) enc.currLines.push(line);
    p.lines.push(line);
  }
  return enc;
}

/** The row valid on a date, preferring the pool area's own when several areas have one. */
function pickOn<T extends { begndate: string; enddate: string | null; insu_admdvs: string }>(rows: T[], on: string, area: string | undefined): T | undefined {
  let first: T | undefined;
  for (const r of rows) {
    if (r.begndate > on || (r.enddate !== null && r.enddate < on)) continue;
    if (!area || r.insu_admdvs === area) return r;
    first ??= r;
  }
  return first;
}

function orderProblems(
  at: string,
  o: OrderDto,
  v: { q4: number | null; micro: number | null; sumamt: number | null; ownpay: number | null; begn: string | null; stop: string | null },
  problems: FieldProblem[],
): void {
  if (v.q4 === null) problems.push({ field: `${at}.cnt`, message: '数量应为最多4位小数的数字' });
  if (v.micro === null) problems.push({ field: `${at}.pric`, message: '单价应为最多6位小数的数字' });
  if (v.sumamt === null) problems.push({ field: `${at}.sumamt`, message: '金额应为最多两位小数的数字' });
  if (v.ownpay === null) problems.push({ field: `${at}.ownpay_amt`, message: '金额应为最多两位小数的数字' });
  if (o.drord_begn_date && !v.begn) problems.push({ field: `${at}.drord_begn_date`, message: '日期格式应为 yyyy-MM-dd HH:mm:ss' });
  if (o.drord_stop_date && !v.stop) problems.push({ field: `${at}.drord_stop_date`, message: '日期格式应为 yyyy-MM-dd HH:mm:ss' });
}

/** The last day an encounter covers: discharge date, else the latest service date or today. */
export function encEnd(enc: Enc, today: string): string {
  if (enc.dscg) return enc.dscg;
  let last = enc.adm ?? today;
  for (const l of enc.lines) if (l.date > last) last = l.date;
  return last > today ? last : today;
}

/** Inpatient days (算入不算出): discharge − admission, at least 1. */
export function lengthOfStay(enc: Enc, today: string): number {
  if (!enc.adm) return 1;
  return Math.max(1, daysBetween(enc.adm, enc.dscg ?? encEnd(enc, today)));
}
