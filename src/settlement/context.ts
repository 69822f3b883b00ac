/**
 * The checks and look-ups every settlement step shares, each with a precise Chinese refusal: the encounter (exists,
 * is this institution's, is this person's, still valid), the person's benefit status and insured region, the
 * institution's agreement, practitioners' payment qualification, med_type against the kind of encounter and
 * institution, diagnosis codes, and the treating region's catalogue for a set of fee lines.
 *
 * Practitioners. A code that is registered but whose payment qualification is not 正常 on the date is refused
 * everywhere (registration and fee lines). An unregistered code is refused as the attending doctor of a
 * registration, and accepted on a fee line with a warning in the line's memo (外购处方 / 外检 lines carry other
 * institutions' doctors).
 */
import type { Selectable } from 'kysely';
import type { Db } from '../platform/db.js';
import { ageOn } from '../platform/time.js';
import { conflict, forbidden, notFound, validationError } from '../platform/errors.js';
import { benefitStatusOf } from '../enrollment/benefit.js';
import { personOn, type PersonOn } from '../enrollment/persons.js';
import { getAdmdvs } from '../standards/admdvs.js';
import { catalogueVersions } from '../standards/catalogue/service.js';
import type { CatalogueItem } from '../standards/catalogue/types.js';
import { loadDictSnapshot } from '../standards/dict.js';
import { diagnosesInForce } from '../standards/coded-list.js';
import { requireActiveInstitution } from '../standards/institutions/institutions.js';
import { practitionerVersions, type PractitionerVersions } from '../standards/practitioners/practitioners.js';
import { versionOn } from '../platform/cache.js';
import { loadItemsForLines, medTypeFamily, type FeeLine, type ItemLookup, type MedTypeFam } from './policy/index.js';
import { Problems } from './common.js';
import type { Caller, DiagInput, Exec, MdtrtTable } from './types.js';

export type Mdtrt = Selectable<MdtrtTable>;

export interface EncounterCheck {
  psn_no?: string;
  /** '1' outpatient / pharmacy transactions, '2' inpatient transactions. */
  kind?: '1' | '2';
  forUpdate?: boolean;
  /** Refuse a cancelled encounter (default true). */
  valid?: boolean;
}

const KIND_NAME = { '1': '门诊', '2': '住院' } as const;

/** The encounter, checked against the caller; `forUpdate` locks its row for the rest of the transaction. */
export async function requireEncounter(exec: Exec, caller: Caller, mdtrt_id: string, check: EncounterCheck = {}): Promise<Mdtrt> {
  let q = exec.selectFrom('mdtrt').selectAll().where('mdtrt_id', '=', mdtrt_id);
  if (check.forUpdate) q = q.forUpdate();
  const enc = await q.executeTakeFirst();
  if (!enc) throw notFound(`就诊ID ${mdtrt_id} 不存在`);
  if (enc.fixmedins_code !== caller.institution.fixmedins_code) throw forbidden(`就诊ID ${mdtrt_id} 不是本机构（${caller.institution.fixmedins_code}）的就诊，不能办理`);
  if (check.psn_no !== undefined && check.psn_no !== enc.psn_no) {
    throw validationError(`人员编号 ${check.psn_no} 与就诊ID ${mdtrt_id} 登记的参保人不符`, [{ field: 'psn_no', message: '与就诊登记不符' }]);
  }
  if (check.kind && enc.ipt_otp_flag !== check.kind) {
    throw conflict(`就诊ID ${mdtrt_id} 是${KIND_NAME[enc.ipt_otp_flag]}就诊，不能用${KIND_NAME[check.kind]}交易办理`);
  }
  if ((check.valid ?? true) && enc.vali_flag !== '1') {
    throw conflict(`就诊ID ${mdtrt_id} 的${enc.ipt_otp_flag === '2' ? '入院登记' : '挂号'}已撤销，不能继续办理`);
  }
  return enc;
}

/** Refuses an encounter that already has a valid settlement. */
export function refuseSettled(enc: Mdtrt, what: string): void {
  if (enc.setl_flag === '1') throw conflict(`就诊ID ${enc.mdtrt_id} 已结算，不能${what}；如需${what}，请先撤销结算`);
}

/** The institution's agreement must be in force (定点协议正常) to register or settle. */
export async function requireAgreement(db: Db, caller: Caller, on: string): Promise<void> {
  await requireActiveInstitution(db, caller.institution.fixmedins_code, on);
}

export interface PersonFacts {
  psn_no: string;
  psn_name: string;
  psn_cert_type: string;
  certno: string;
  gend: string;
  naty: string;
  brdy: string;
  age: number;
  insutype: string;
  psn_type: string;
  cvlserv_flag: string;
  insuplc_admdvs: string;
  idet_types: string[];
}

/**
 * Rows read once per request (one gateway call = one Caller): the person as `personOn` reads them, by psn_no and
 * date. A settlement step asks for the person in several places (entitlement, classification, the audit); the
 * first read serves the others. Never shared between requests: a new Caller starts empty.
 */
const requestRows = new WeakMap<Caller, Map<string, Promise<PersonOn | undefined>>>();

/** The person on a date, read at most once per request. */
export function personOnce(db: Db, caller: Caller, psn_no: string, on: string): Promise<PersonOn | undefined> {
  let m = requestRows.get(caller);
  if (!m) requestRows.set(caller, (m = new Map()));
  const key = `${psn_no}|${on}`;
  let p = m.get(key);
  if (!p) m.set(key, (p = personOn(db, { psn_no }, on)));
  return p;
}

/** A person row this request has already read (any date), for facts that do not depend on the date. */
export function personReadBy(caller: Caller, psn_no: string): Promise<PersonOn | undefined> | undefined {
  for (const [key, p] of requestRows.get(caller) ?? []) if (key.startsWith(`${psn_no}|`)) return p;
  return undefined;
}

/**
 * The person on a date, entitled to benefits of `insutype` (参保、正常参保状态、未死亡); the envelope's
 * insuplc_admdvs, when sent, must be the relation's region. One statement (personOn), once per request.
 */
export async function requireEntitledPerson(db: Db, caller: Caller, psn_no: string, insutype: string, on: string): Promise<PersonFacts> {
  const p = await personOnce(db, caller, psn_no, on);
  if (!p) throw notFound(`参保人员 ${psn_no} 不存在`);
  const insu = p.insu.find((r) => r.insutype === insutype);
  const status = benefitStatusOf(p.psn, insu, insutype, on);
  if (!status.entitled) throw conflict(`参保人员 ${psn_no} 在 ${on} 不能享受 ${insutype} 险种待遇：${status.reasons.join('；')}`);
  if (caller.insuplc_admdvs && status.insuplc_admdvs && caller.insuplc_admdvs !== status.insuplc_admdvs) {
    throw validationError(`参保地医保区划 ${caller.insuplc_admdvs} 与参保人员的参保地 ${status.insuplc_admdvs} 不符`, [{ field: 'insuplc_admdvs', message: '与参保信息不符' }]);
  }
  const { psn } = p;
  return {
    psn_no,
    psn_name: psn.psn_name,
    psn_cert_type: psn.psn_cert_type,
    certno: psn.certno,
    gend: psn.gend,
    naty: psn.naty,
    brdy: psn.brdy,
    age: ageOn(psn.brdy, on),
    insutype,
    psn_type: insu!.psn_type,
    cvlserv_flag: psn.cvlserv_flag,
    insuplc_admdvs: insu!.insuplc_admdvs,
    idet_types: p.idet.map((i) => i.psn_idet_type),
  };
}

/** Insurance types and med_type codes must be in the code tables. */
export async function checkCodes(db: Db, on: string, codes: { insutype?: string; med_type?: string; mdtrt_cert_type?: string }, p: Problems): Promise<void> {
  const dict = await loadDictSnapshot(db, on);
  const check = (table: string, field: string, value: string | undefined) => {
    if (value === undefined) return;
    const t = dict.get(table);
    if (t && !t.has(value)) p.add(field, `“${value}”不是有效的${table === 'insutype' ? '险种类型' : table === 'med_type' ? '医疗类别' : '就诊凭证类型'}代码`);
  };
  check('insutype', 'insutype', codes.insutype);
  check('mdtrt_cert_type', 'mdtrt_cert_type', codes.mdtrt_cert_type);
  if (codes.med_type !== undefined) {
    check('med_type', 'med_type', codes.med_type);
    if (!p.list.some((x) => x.field === 'med_type') && !medTypeFamily(codes.med_type)) p.add('med_type', `医疗类别 ${codes.med_type} 无法对应门诊、门慢特、住院或药店待遇`);
  }
}

/**
 * med_type must fit the encounter and the institution: 住院 families only on admissions, 门诊 families only on
 * outpatient visits; 41 定点药店购药 only at a retail pharmacy, and a retail pharmacy only with 41.
 */
export function checkMedTypeFits(med_type: string, ipt_otp_flag: '1' | '2', caller: Caller): MedTypeFam {
  const fam = medTypeFamily(med_type);
  if (!fam) throw validationError(`医疗类别 ${med_type} 无法对应门诊、门慢特、住院或药店待遇`, [{ field: 'med_type', message: '无效的医疗类别' }]);
  const pharmacy = caller.institution.fixmedins_type === '2';
  if (pharmacy && fam !== '41') throw validationError(`定点零售药店只能按医疗类别 41（定点药店购药）办理，不能按 ${med_type}`, [{ field: 'med_type', message: '药店只能为 41' }]);
  if (!pharmacy && fam === '41') throw validationError(`医疗类别 ${med_type}（药店购药）只能在定点零售药店办理`, [{ field: 'med_type', message: '医疗机构不能使用药店购药类别' }]);
  if (ipt_otp_flag === '2' && fam !== '21') throw validationError(`住院就诊的医疗类别应为住院类（21、22、52 …），不能为 ${med_type}`, [{ field: 'med_type', message: '应为住院类医疗类别' }]);
  if (ipt_otp_flag === '1' && fam === '21') throw validationError(`门诊就诊不能使用住院医疗类别 ${med_type}`, [{ field: 'med_type', message: '应为门诊类医疗类别' }]);
  return fam;
}

export type PracticeCheck = { ok: true } | { ok: false; registered: boolean; message: string };

/** Is the practitioner a registered 医保医师/药师 with a 正常 payment qualification on the date? */
export async function practitionerOn(db: Db, prac_code: string, on: string): Promise<PracticeCheck> {
  return (await practitionersOn(db, [{ prac_code, on }])).get(`${prac_code}|${on}`)!;
}

/** practitionerOn for many (code, date) pairs, keyed `code|date`: the cached versions, one load for the unseen codes. */
export async function practitionersOn(db: Db, asks: readonly { prac_code: string; on: string }[]): Promise<Map<string, PracticeCheck>> {
  const versions = await practitionerVersions(db, asks.map((a) => a.prac_code));
  return new Map(asks.map(({ prac_code, on }) => [`${prac_code}|${on}`, practiceCheck(versions.get(prac_code), prac_code, on)]));
}

function practiceCheck(v: PractitionerVersions | undefined, prac_code: string, on: string): PracticeCheck {
  const prac = versionOn(v?.rows ?? [], on);
  if (!prac) return { ok: false, registered: false, message: `医保医师/药师代码 ${prac_code} 在 ${on} 未登记` };
  const q = versionOn(v?.quals ?? [], on);
  if (q?.qual_stas === '1') return { ok: true };
  const stas = q?.qual_stas === '2' ? '暂停' : q?.qual_stas === '3' ? '终止' : '未登记';
  return { ok: false, registered: true, message: `${prac.prac_name}（${prac_code}）的医保支付资格在 ${on} 处于${stas}状态${q?.reason ? `（${q.reason}）` : ''}，其发生的费用不能由医保结算` };
}

/** Diagnoses: serial numbers unique, one main diagnosis at most, 西医诊断 codes in the 医保版疾病诊断目录. */
export async function checkDiagnoses(db: Db, diags: readonly DiagInput[], on: string, node: string, p: Problems, opts: { requireMain?: boolean } = {}): Promise<void> {
  const seen = new Set<number>();
  let mains = 0;
  diags.forEach((d, i) => {
    const f = `${node}[${i}]`;
    if (seen.has(d.diag_srt_no)) p.add(`${f}.diag_srt_no`, `诊断排序号 ${d.diag_srt_no} 重复`);
    seen.add(d.diag_srt_no);
    if (d.maindiag_flag === '1') mains++;
    if (!['1', '2', '3'].includes(d.diag_type)) p.add(`${f}.diag_type`, `诊断类别“${d.diag_type}”无效（1 西医诊断、2 中医主病诊断、3 中医主证诊断）`);
  });
  if (mains > 1) p.add(`${node}.maindiag_flag`, `主诊断只能有一个，实有 ${mains} 个`);
  if (opts.requireMain && diags.length && mains === 0) p.add(`${node}.maindiag_flag`, '缺少主诊断（maindiag_flag = 1）');
  // 中医 diagnoses use the 中医疾病/证候 tables, which are not loaded here; only 西医 codes are checked
  const western = [...new Set(diags.filter((d) => d.diag_type === '1').map((d) => d.diag_code))];
  if (!western.length) return;
  const known = await diagnosesInForce(db, western, on);
  diags.forEach((d, i) => {
    if (d.diag_type === '1' && !known.has(d.diag_code)) p.add(`${node}[${i}].diag_code`, `诊断代码 ${d.diag_code}（${d.diag_name}）不在医保疾病诊断目录中`);
  });
}

/** The treating region's areas, most specific first: the institution's area, then its parents up to the province. */
export async function catalogueAreas(db: Db, admdvs: string, on: string): Promise<string[]> {
  const chain: string[] = [];
  let code: string | null = admdvs;
  while (code && chain.length < 5 && !chain.includes(code)) {
    chain.push(code);
    code = (await getAdmdvs(db, code, on))?.prnt_admdvs ?? null;
  }
  return chain;
}

/**
 * Catalogue items for fee lines from the treating region's catalogue (就医地目录): the institution's own area's
 * catalogue first, then each parent area's for codes still missing — a province catalogue with local additions.
 */
export async function treatingCatalogue(db: Db, caller: Caller, lines: readonly FeeLine[], insutype: string): Promise<ItemLookup> {
  const areas = await catalogueAreas(db, caller.institution.admdvs, lines[0]?.fee_date ?? caller.today);
  const lookups: ItemLookup[] = [];
  let missing = [...lines];
  for (const area of areas) {
    if (!missing.length) break;
    const lookup = await loadItemsForLines(db, missing, { catalogue_admdvs: area, hosp_lv: caller.institution.hosp_lv, insutype });
    lookups.push(lookup);
    missing = missing.filter((l) => !lookup(l));
  }
  return (line) => {
    for (const l of lookups) {
      const it: CatalogueItem | undefined = l(line);
      if (it) return it;
    }
    return undefined;
  };
}

/** Codes that are in no version of the treating region's catalogue at all (as opposed to not in force on a date). */
export async function unknownCodes(db: Db, caller: Caller, codes: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(codes)];
  if (!unique.length) return new Set();
  const areas = await catalogueAreas(db, caller.institution.admdvs, caller.today);
  // existence in any version: the catalogue service answers "in force on a date", which is the classifier's question
  const versions = await catalogueVersions(db, unique);
  return new Set(unique.filter((c) => !versions.get(c)?.items.some((i) => areas.includes(i.insu_admdvs))));
}
