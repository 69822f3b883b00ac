/**
 * Encounters (就诊): outpatient registration (2201) and its cancellation (2202), outpatient visit information with
 * diagnoses (2203 / 2203A), admission (2401), admission change (2403), admission cancellation (2404), discharge
 * (2402) and discharge cancellation (2405). A pharmacy purchase is an outpatient encounter with med_type 41.
 * Each step validates everything first and writes in one transaction with its operation-log row; the encounter
 * row is locked (FOR UPDATE) by every step that changes it, so steps on one encounter never interleave.
 */
import type { Insertable, Updateable } from 'kysely';
import { conflict, validationError } from '../platform/errors.js';
import { blockMdtrtId } from './id-block.js';
import { operationRow, recordOperation } from '../platform/oplog.js';
import { addDays } from '../platform/time.js';
import { loadDictSnapshot } from '../standards/dict.js';
import { dayOf, onExec, Problems, toWireTime, wireTime } from './common.js';
import { checkCodes, checkDiagnoses, checkMedTypeFits, practitionerOn, refuseSettled, requireAgreement, requireEncounter, requireEntitledPerson, type Mdtrt } from './context.js';
import type { Caller, DiagInput, Exec, MdtrtTable } from './types.js';

/** Optional admission / visit facts (2203, 2401, 2403, 2402 share them). */
export interface EncounterFacts {
  main_cond_dscr?: string;
  dise_codg?: string;
  dise_name?: string;
  oprn_oprt_code?: string;
  oprn_oprt_name?: string;
  dise_type_code?: string;
  matn_type?: string;
  birctrl_type?: string;
  birctrl_matn_date?: string;
  geso_val?: number;
  fetts?: number;
  fetus_cnt?: number;
  pret_flag?: string;
  latechb_flag?: string;
  fpsc_no?: string;
}

export interface RegisterInput extends EncounterFacts {
  /** '1' outpatient / pharmacy (2201), '2' admission (2401). */
  ipt_otp_flag: '1' | '2';
  psn_no: string;
  insutype: string;
  begntime: string;
  mdtrt_cert_type: string;
  mdtrt_cert_no?: string;
  ipt_otp_no: string;
  /** 2401 only; an outpatient visit starts as 11 (41 at a pharmacy) until 2203 says otherwise. */
  med_type?: string;
  atddr_no: string;
  dr_name?: string;
  dept_code?: string;
  dept_name?: string;
  caty?: string;
  adm_bed?: string;
  adm_diag_dscr?: string;
  medrcdno?: string;
  coner_name?: string;
  tel?: string;
  diseinfo?: DiagInput[];
}

export interface Registered {
  mdtrt_id: string;
  psn_no: string;
  ipt_otp_no: string;
}

const KIND = { '1': '门诊挂号', '2': '入院登记' } as const;

/** 2201 / 2401: checks person, benefits, institution, doctor, codes and diagnoses, then opens the encounter. */
export async function registerEncounter(caller: Caller, input: RegisterInput): Promise<Registered> {
  const { db } = caller;
  const p = new Problems();
  const begn = wireTime(input.begntime, 'begntime');
  const on = dayOf(begn);
  if (begn.getTime() > caller.at.getTime() + 10 * 60_000) p.add('begntime', `开始时间 ${input.begntime} 晚于当前时间`);
  const med_type = input.med_type ?? (caller.institution.fixmedins_type === '2' ? '41' : '11');
  await checkCodes(db, on, { insutype: input.insutype, med_type, mdtrt_cert_type: input.mdtrt_cert_type }, p);
  p.throwIfAny(`${KIND[input.ipt_otp_flag]}信息有误`);
  checkMedTypeFits(med_type, input.ipt_otp_flag, caller);
  await requireAgreement(db, caller, on);
  const person = await requireEntitledPerson(db, caller, input.psn_no, input.insutype, on);
  const doctor = await practitionerOn(db, input.atddr_no, on);
  if (!doctor.ok) throw conflict(`${input.ipt_otp_flag === '2' ? '主治医生' : '接诊医师'}：${doctor.message}`);
  const diags = input.diseinfo ?? [];
  await checkDiagnoses(db, diags, on, 'diseinfo', p, { requireMain: input.ipt_otp_flag === '2' });
  p.throwIfAny(`${KIND[input.ipt_otp_flag]}诊断信息有误`);
  await refuseDuplicateVisitNo(db.k, caller, input.ipt_otp_flag, input.ipt_otp_no);

  const mdtrt_id = await blockMdtrtId(db, caller.mdtrtarea_admvs, caller.at);
  const row: Insertable<MdtrtTable> = {
    mdtrt_id,
    ipt_otp_flag: input.ipt_otp_flag,
    psn_no: input.psn_no,
    insutype: input.insutype,
    psn_type: person.psn_type,
    med_type,
    ipt_otp_no: input.ipt_otp_no,
    fixmedins_code: caller.institution.fixmedins_code,
    mdtrtarea_admvs: caller.mdtrtarea_admvs,
    insuplc_admdvs: person.insuplc_admdvs,
    mdtrt_cert_type: input.mdtrt_cert_type,
    mdtrt_cert_no: input.mdtrt_cert_no ?? null,
    begntime: begn,
    endtime: null,
    dept_code: input.dept_code ?? null,
    dept_name: input.dept_name ?? null,
    caty: input.caty ?? null,
    atddr_no: input.atddr_no,
    dr_name: input.dr_name ?? null,
    adm_bed: input.adm_bed ?? null,
    adm_diag_dscr: input.adm_diag_dscr ?? null,
    medrcdno: input.medrcdno ?? null,
    coner_name: input.coner_name ?? null,
    tel: input.tel ?? null,
    ...factColumns(input),
    dscg_dept_codg: null,
    dscg_dept_name: null,
    dscg_bed: null,
    dscg_way: null,
    die_date: null,
    cop_flag: null,
    reg_msgid: caller.msgid,
    dscg_msgid: null,
  };
  const op = operationRow(caller.actor, {
    action: input.ipt_otp_flag === '2' ? 'mdtrt.admit' : 'mdtrt.register',
    target_type: 'mdtrt',
    target_id: mdtrt_id,
    admdvs: caller.mdtrtarea_admvs,
    after: { mdtrt_id, psn_no: input.psn_no, insutype: input.insutype, med_type, ipt_otp_no: input.ipt_otp_no, begntime: input.begntime, msgid: caller.msgid },
  });
  try {
    // without diagnoses (most outpatient visits) the encounter and its log entry are one statement, atomic alone
    if (!diags.length) await db.k.with('m', (d) => d.insertInto('mdtrt').values(row).returning('mdtrt_id')).insertInto('opt_log').values(op).execute();
    else {
      await db.k.transaction().execute(async (trx) => {
        await trx.insertInto('mdtrt').values(row).execute();
        await insertDiagnoses(trx, mdtrt_id, input.ipt_otp_flag === '2' ? 'adm' : 'opt', diags, caller.msgid);
        await trx.insertInto('opt_log').values(op).execute();
      });
    }
  } catch (e) {
    // two registrations of one visit number at the same moment: the partial unique index decides
    if (/mdtrt_ipt_otp_no/.test(String((e as Error).message))) {
      throw conflict(`${input.ipt_otp_flag === '2' ? '住院号' : '门诊号'} ${input.ipt_otp_no} 已有有效的${KIND[input.ipt_otp_flag]}，不能重复登记`);
    }
    throw e;
  }
  return { mdtrt_id, psn_no: input.psn_no, ipt_otp_no: input.ipt_otp_no };
}

async function refuseDuplicateVisitNo(exec: Exec, caller: Caller, flag: '1' | '2', no: string): Promise<void> {
  const dup = await exec
    .selectFrom('mdtrt')
    .select('mdtrt_id')
    .where('fixmedins_code', '=', caller.institution.fixmedins_code)
    .where('ipt_otp_flag', '=', flag)
    .where('ipt_otp_no', '=', no)
    .where('vali_flag', '=', '1')
    .executeTakeFirst();
  if (dup) throw conflict(`${flag === '2' ? '住院号' : '门诊号'} ${no} 已有有效的${KIND[flag]}（就诊ID ${dup.mdtrt_id}），不能重复登记`);
}

/**
 * A stay with a valid 中途结算 keeps its med_type: the later settlements continue that one (its policy, its
 * deductible standard), which a changed med_type would silently contradict.
 */
async function refuseMedTypeChangeAfterMidStay(exec: Exec, enc: Mdtrt, med_type: string): Promise<void> {
  const mid = await exec.selectFrom('setl').select('setl_id').where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1').where('refd_setl_flag', '=', '0').orderBy('setl_seq').executeTakeFirst();
  if (mid) throw conflict(`就诊ID ${enc.mdtrt_id} 已有有效的中途结算（结算ID ${mid.setl_id}），不能将医疗类别由 ${enc.med_type} 变更为 ${med_type}；如需变更，请先撤销中途结算（2305）`);
}

function factColumns(f: EncounterFacts) {
  return {
    main_cond_dscr: f.main_cond_dscr ?? null,
    dise_codg: f.dise_codg ?? null,
    dise_name: f.dise_name ?? null,
    oprn_oprt_code: f.oprn_oprt_code ?? null,
    oprn_oprt_name: f.oprn_oprt_name ?? null,
    dise_type_code: f.dise_type_code ?? null,
    matn_type: f.matn_type ?? null,
    birctrl_type: f.birctrl_type ?? null,
    birctrl_matn_date: f.birctrl_matn_date ?? null,
    geso_val: f.geso_val ?? null,
    fetts: f.fetts ?? null,
    fetus_cnt: f.fetus_cnt ?? null,
    pret_flag: f.pret_flag ?? null,
    latechb_flag: f.latechb_flag ?? null,
    fpsc_no: f.fpsc_no ?? null,
  };
}

/** Only the facts that were sent (a change must not blank what it does not mention). */
function sentFacts(f: EncounterFacts): Partial<ReturnType<typeof factColumns>> {
  return Object.fromEntries(Object.entries(factColumns(f)).filter(([, v]) => v !== null));
}

/** Replaces the valid diagnoses of a stage by a new set (the previous set is kept, marked invalid). */
async function insertDiagnoses(trx: Exec, mdtrt_id: string, stage: 'opt' | 'adm' | 'dscg', diags: readonly DiagInput[], msgid: string): Promise<void> {
  if (!diags.length) return;
  await trx.updateTable('mdtrt_diag').set({ vali_flag: '0' }).where('mdtrt_id', '=', mdtrt_id).where('stage', '=', stage).where('vali_flag', '=', '1').execute();
  await trx
    .insertInto('mdtrt_diag')
    .values(
      diags.map((d) => ({
        mdtrt_id,
        stage,
        diag_type: d.diag_type,
        diag_srt_no: d.diag_srt_no,
        diag_code: d.diag_code,
        diag_name: d.diag_name,
        maindiag_flag: d.maindiag_flag === '1' ? ('1' as const) : ('0' as const),
        diag_dept: d.diag_dept ?? null,
        dise_dor_no: d.dise_dor_no ?? null,
        dise_dor_name: d.dise_dor_name ?? null,
        diag_time: d.diag_time ? wireTime(d.diag_time, 'diag_time') : null,
        adm_cond: d.adm_cond ?? null,
        msgid,
      })),
    )
    .execute();
}

/** The valid diagnosis codes of an encounter (every stage). */
export async function diagnosisCodes(exec: Exec, mdtrt_id: string): Promise<string[]> {
  const rows = await exec.selectFrom('mdtrt_diag').select('diag_code').where('mdtrt_id', '=', mdtrt_id).where('vali_flag', '=', '1').orderBy('diag_srt_no').execute();
  return [...new Set(rows.map((r) => r.diag_code))];
}

async function validFeeCount(exec: Exec, mdtrt_id: string): Promise<number> {
  const r = await exec.selectFrom('feedetl').select((eb) => eb.fn.countAll<number>().as('n')).where('mdtrt_id', '=', mdtrt_id).where('vali_flag', '=', '1').executeTakeFirst();
  return Number(r?.n ?? 0);
}

export interface CancelInput {
  mdtrt_id: string;
  psn_no: string;
  /** 2202 sends the visit number; when sent it must match. */
  ipt_otp_no?: string;
}

/**
 * 2202 / 2404 (and 2601 of a 2201 / 2401): cancels a registration or admission that has no valid settlement and
 * no valid fee lines. The row is kept, marked invalid.
 */
export async function cancelEncounter(caller: Caller, kind: '1' | '2', input: CancelInput): Promise<void> {
  await caller.db.k.transaction().execute(async (trx) => {
    const enc = await requireEncounter(trx, caller, input.mdtrt_id, { psn_no: input.psn_no, kind, forUpdate: true });
    if (input.ipt_otp_no !== undefined && input.ipt_otp_no !== enc.ipt_otp_no) {
      throw validationError(`门诊号 ${input.ipt_otp_no} 与就诊ID ${enc.mdtrt_id} 登记的门诊号 ${enc.ipt_otp_no} 不符`, [{ field: 'ipt_otp_no', message: '与挂号登记不符' }]);
    }
    refuseSettled(enc, kind === '2' ? '撤销入院' : '撤销挂号');
    const fees = await validFeeCount(trx, enc.mdtrt_id);
    if (fees) throw conflict(`就诊ID ${enc.mdtrt_id} 已上传 ${fees} 条有效费用明细，请先撤销费用明细（${kind === '2' ? '2302' : '2205'}）再${kind === '2' ? '撤销入院' : '撤销挂号'}`);
    if (kind === '2' && enc.mdtrt_stas === '2') throw conflict(`就诊ID ${enc.mdtrt_id} 已办理出院，请先撤销出院（2405）再撤销入院`);
    await trx.updateTable('mdtrt').set({ vali_flag: '0', updt_time: new Date() }).where('mdtrt_id', '=', enc.mdtrt_id).execute();
    await recordOperation(trx, caller.actor, {
      action: kind === '2' ? 'mdtrt.admit_cancel' : 'mdtrt.register_cancel',
      target_type: 'mdtrt',
      target_id: enc.mdtrt_id,
      admdvs: enc.mdtrtarea_admvs,
      before: { vali_flag: '1' },
      after: { vali_flag: '0', msgid: caller.msgid },
    });
  });
}

export interface VisitInfoInput extends EncounterFacts {
  mdtrt_id: string;
  psn_no: string;
  med_type: string;
  begntime?: string;
  diseinfo: DiagInput[];
}

/** 2203 / 2203A: the visit's med_type, condition and diagnoses (the set replaces the previous one). */
export async function uploadVisitInfo(caller: Caller, input: VisitInfoInput): Promise<void> {
  const p = new Problems();
  await checkCodes(caller.db, caller.today, { med_type: input.med_type }, p);
  p.throwIfAny('就诊信息有误');
  checkMedTypeFits(input.med_type, '1', caller);
  await caller.db.k.transaction().execute(async (trx) => {
    const db = onExec(caller.db, trx);
    const enc = await requireEncounter(trx, caller, input.mdtrt_id, { psn_no: input.psn_no, kind: '1', forUpdate: true });
    refuseSettled(enc, '修改就诊信息');
    await checkDiagnoses(db, input.diseinfo, dayOf(enc.begntime), 'diseinfo', p);
    p.throwIfAny('就诊诊断信息有误');
    const change = { med_type: input.med_type, ...sentFacts(input) };
    await trx.updateTable('mdtrt').set({ ...change, updt_time: new Date() }).where('mdtrt_id', '=', enc.mdtrt_id).execute();
    await insertDiagnoses(trx, enc.mdtrt_id, 'opt', input.diseinfo, caller.msgid);
    await recordOperation(trx, caller.actor, { action: 'mdtrt.visit_info', target_type: 'mdtrt', target_id: enc.mdtrt_id, admdvs: enc.mdtrtarea_admvs, before: pick(enc, Object.keys(change)), after: { ...change, diagnoses: input.diseinfo.length, msgid: caller.msgid } });
  });
}

export interface AdmissionChangeInput extends EncounterFacts {
  mdtrt_id: string;
  psn_no: string;
  med_type?: string;
  begntime?: string;
  ipt_otp_no?: string;
  atddr_no?: string;
  chfpdr_name?: string;
  adm_diag_dscr?: string;
  adm_dept_codg?: string;
  adm_dept_name?: string;
  adm_bed?: string;
  medrcdno?: string;
  coner_name?: string;
  tel?: string;
  diseinfo: DiagInput[];
}

/** 2403: changes what an admission said (only the fields sent), and its admission diagnoses when sent. */
export async function changeAdmission(caller: Caller, input: AdmissionChangeInput): Promise<void> {
  const p = new Problems();
  if (input.med_type !== undefined) {
    await checkCodes(caller.db, caller.today, { med_type: input.med_type }, p);
    p.throwIfAny('住院信息变更有误');
    checkMedTypeFits(input.med_type, '2', caller);
  }
  const begn = input.begntime ? wireTime(input.begntime, 'begntime') : undefined;
  await caller.db.k.transaction().execute(async (trx) => {
    const db = onExec(caller.db, trx);
    const enc = await requireEncounter(trx, caller, input.mdtrt_id, { psn_no: input.psn_no, kind: '2', forUpdate: true });
    refuseSettled(enc, '变更住院信息');
    if (input.med_type !== undefined && input.med_type !== enc.med_type) await refuseMedTypeChangeAfterMidStay(trx, enc, input.med_type);
    if (input.atddr_no !== undefined && input.atddr_no !== enc.atddr_no) {
      const doctor = await practitionerOn(db, input.atddr_no, caller.today);
      if (!doctor.ok) throw conflict(`主治医生：${doctor.message}`);
    }
    if (begn) {
      if (enc.endtime && begn > enc.endtime) throw validationError('入院时间不能晚于出院时间', [{ field: 'begntime', message: '晚于出院时间' }]);
      const early = await trx.selectFrom('feedetl').select(['feedetl_sn', 'fee_ocur_time']).where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1').where('fee_ocur_time', '<', new Date(`${dayOf(begn)}T00:00:00+08:00`)).executeTakeFirst();
      if (early) throw conflict(`费用明细 ${early.feedetl_sn} 发生于 ${toWireTime(early.fee_ocur_time)}，早于变更后的入院时间 ${input.begntime}，请先撤销该明细`);
    }
    if (input.ipt_otp_no !== undefined && input.ipt_otp_no !== enc.ipt_otp_no) await refuseDuplicateVisitNo(trx, caller, '2', input.ipt_otp_no);
    await checkDiagnoses(db, input.diseinfo, dayOf(begn ?? enc.begntime), 'diseinfo', p, { requireMain: true });
    p.throwIfAny('住院诊断信息有误');
    const change: Updateable<MdtrtTable> = {
      ...sentFacts(input),
      ...(input.med_type !== undefined ? { med_type: input.med_type } : {}),
      ...(begn ? { begntime: begn } : {}),
      ...(input.ipt_otp_no !== undefined ? { ipt_otp_no: input.ipt_otp_no } : {}),
      ...(input.atddr_no !== undefined ? { atddr_no: input.atddr_no } : {}),
      ...(input.chfpdr_name !== undefined ? { dr_name: input.chfpdr_name } : {}),
      ...(input.adm_diag_dscr !== undefined ? { adm_diag_dscr: input.adm_diag_dscr } : {}),
      ...(input.adm_dept_codg !== undefined ? { dept_code: input.adm_dept_codg } : {}),
      ...(input.adm_dept_name !== undefined ? { dept_name: input.adm_dept_name } : {}),
      ...(input.adm_bed !== undefined ? { adm_bed: input.adm_bed } : {}),
      ...(input.medrcdno !== undefined ? { medrcdno: input.medrcdno } : {}),
      ...(input.coner_name !== undefined ? { coner_name: input.coner_name } : {}),
      ...(input.tel !== undefined ? { tel: input.tel } : {}),
    };
    if (Object.keys(change).length) await trx.updateTable('mdtrt').set({ ...change, updt_time: new Date() }).where('mdtrt_id', '=', enc.mdtrt_id).execute();
    await insertDiagnoses(trx, enc.mdtrt_id, 'adm', input.diseinfo, caller.msgid);
    await recordOperation(trx, caller.actor, { action: 'mdtrt.admit_change', target_type: 'mdtrt', target_id: enc.mdtrt_id, admdvs: enc.mdtrtarea_admvs, before: pick(enc, Object.keys(change)), after: { ...change, diagnoses: input.diseinfo.length, msgid: caller.msgid } });
  });
}

export interface DischargeInput extends EncounterFacts {
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  endtime: string;
  dscg_dept_codg?: string;
  dscg_dept_name?: string;
  dscg_bed?: string;
  dscg_way: string;
  die_date?: string;
  cop_flag?: string;
  diseinfo: DiagInput[];
}

/** 2402: discharge time, way and diagnoses; no fee line may lie after the discharge date. */
export async function discharge(caller: Caller, input: DischargeInput): Promise<void> {
  const end = wireTime(input.endtime, 'endtime');
  const p = new Problems();
  if (end.getTime() > caller.at.getTime() + 10 * 60_000) p.add('endtime', `出院时间 ${input.endtime} 晚于当前时间`);
  const dict = await loadDictSnapshot(caller.db, caller.today);
  if (dict.get('dscg_way') && !dict.get('dscg_way')!.has(input.dscg_way)) p.add('dscg_way', `离院方式“${input.dscg_way}”无效`);
  if (input.dscg_way === '5' && !input.die_date) p.add('die_date', '离院方式为死亡时应填写死亡日期');
  p.throwIfAny('出院信息有误');
  await caller.db.k.transaction().execute(async (trx) => {
    const db = onExec(caller.db, trx);
    const enc = await requireEncounter(trx, caller, input.mdtrt_id, { psn_no: input.psn_no, kind: '2', forUpdate: true });
    if (input.insutype !== enc.insutype) throw validationError(`险种类型 ${input.insutype} 与入院登记的险种 ${enc.insutype} 不符`, [{ field: 'insutype', message: '与入院登记不符' }]);
    if (enc.mdtrt_stas === '2') throw conflict(`就诊ID ${enc.mdtrt_id} 已于 ${toWireTime(enc.endtime)} 办理出院，不能重复办理；如需修改请先撤销出院（2405）`);
    if (end < enc.begntime) throw validationError(`出院时间 ${input.endtime} 早于入院时间 ${toWireTime(enc.begntime)}`, [{ field: 'endtime', message: '早于入院时间' }]);
    const late = await trx.selectFrom('feedetl').select(['feedetl_sn', 'fee_ocur_time']).where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1').where('fee_ocur_time', '>=', new Date(`${addDays(dayOf(end), 1)}T00:00:00+08:00`)).executeTakeFirst();
    if (late) throw conflict(`费用明细 ${late.feedetl_sn} 发生于 ${toWireTime(late.fee_ocur_time)}，晚于出院日期 ${dayOf(end)}`);
    await checkDiagnoses(db, input.diseinfo, dayOf(end), 'diseinfo', p, { requireMain: true });
    p.throwIfAny('出院诊断信息有误');
    const change = {
      ...sentFacts(input),
      endtime: end,
      dscg_dept_codg: input.dscg_dept_codg ?? null,
      dscg_dept_name: input.dscg_dept_name ?? null,
      dscg_bed: input.dscg_bed ?? null,
      dscg_way: input.dscg_way,
      die_date: input.die_date ?? null,
      cop_flag: input.cop_flag ?? null,
      mdtrt_stas: '2' as const,
      dscg_msgid: caller.msgid,
    };
    await trx.updateTable('mdtrt').set({ ...change, updt_time: new Date() }).where('mdtrt_id', '=', enc.mdtrt_id).execute();
    await insertDiagnoses(trx, enc.mdtrt_id, 'dscg', input.diseinfo, caller.msgid);
    await recordOperation(trx, caller.actor, { action: 'mdtrt.discharge', target_type: 'mdtrt', target_id: enc.mdtrt_id, admdvs: enc.mdtrtarea_admvs, before: { mdtrt_stas: enc.mdtrt_stas }, after: { endtime: input.endtime, dscg_way: input.dscg_way, diagnoses: input.diseinfo.length, msgid: caller.msgid } });
  });
}

/** 2405 (and 2601 of a 2402): back to 在院; refused while a settlement is valid. */
export async function cancelDischarge(caller: Caller, input: { mdtrt_id: string; psn_no: string }): Promise<void> {
  await caller.db.k.transaction().execute(async (trx) => {
    const enc = await requireEncounter(trx, caller, input.mdtrt_id, { psn_no: input.psn_no, kind: '2', forUpdate: true });
    if (enc.mdtrt_stas !== '2') throw conflict(`就诊ID ${enc.mdtrt_id} 尚未办理出院，不能撤销出院`);
    if (enc.setl_flag === '1') throw conflict(`就诊ID ${enc.mdtrt_id} 已结算，不能撤销出院；请先撤销住院结算（2305）`);
    await trx.updateTable('mdtrt').set({ mdtrt_stas: '1', endtime: null, dscg_msgid: null, updt_time: new Date() }).where('mdtrt_id', '=', enc.mdtrt_id).execute();
    await trx.updateTable('mdtrt_diag').set({ vali_flag: '0' }).where('mdtrt_id', '=', enc.mdtrt_id).where('stage', '=', 'dscg').where('vali_flag', '=', '1').execute();
    await recordOperation(trx, caller.actor, { action: 'mdtrt.discharge_cancel', target_type: 'mdtrt', target_id: enc.mdtrt_id, admdvs: enc.mdtrtarea_admvs, before: { mdtrt_stas: '2', endtime: toWireTime(enc.endtime), dscg_way: enc.dscg_way }, after: { mdtrt_stas: '1', msgid: caller.msgid } });
  });
}

function pick(row: Mdtrt, keys: string[]): Record<string, unknown> {
  const r = row as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, r[k] instanceof Date ? toWireTime(r[k] as Date) : (r[k] ?? null)]));
}
