/**
 * What the HIS simulator plays with: designated hospitals (with a freshly issued apikey each, their qualified
 * doctors and a few HIS operators), insured persons of each hospital's pooling area, catalogue items with a price
 * at or below every cap, and common diagnoses — read once from the database before the load (the server need not
 * run), or from a JSON file written earlier (`yibao simulate --prepare --out world.json`; needed with the embedded
 * PGlite, which one process holds at a time). Issuing the credentials is the only write, through the credentials
 * module (so it lands in the operation log like any other issue). Owns nothing else.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';
import { notFound, validationError } from '../platform/errors.js';
import { yuanToFen, type Fen } from '../platform/money.js';
import type { Actor } from '../platform/oplog.js';
import { beijingDate } from '../platform/time.js';
import { issueCredential } from '../gateway/credentials.js';

export interface SimDoctor {
  prac_code: string;
  prac_name: string;
  dept_name: string;
}

export interface SimInstitution {
  fixmedins_code: string;
  fixmedins_name: string;
  hosp_lv: string;
  /** The pooling area (统筹区) the institution stands in: its persons are insured there. */
  pool: string;
  apikey: string;
  /** HIS operator numbers; each signs in (9001) once before its first transaction. */
  opters: string[];
  doctors: SimDoctor[];
}

export interface SimPerson {
  psn_no: string;
  certno: string;
  psn_name: string;
  insutype: string;
  insuplc_admdvs: string;
}

export interface SimItem {
  hilist_code: string;
  hilist_name: string;
  list_type: string;
  /** Unit price charged, in fen: at or below the item's lowest cap. */
  pric: Fen;
}

export interface SimWorld {
  prepared_at: string;
  institutions: SimInstitution[];
  /** Persons by pooling area. */
  persons: Record<string, SimPerson[]>;
  items: SimItem[];
  diagnoses: { diag_code: string; diag_name: string }[];
}

export interface PrepareOptions {
  institutions: number;
  /** Persons read per pooling area (default 3000). */
  personsPerPool?: number;
  /** Catalogue items read (default 600). */
  items?: number;
  /** Operators per institution (default 4). */
  opters?: number;
  actor: Actor;
  on?: string;
}

/** Common diagnoses of the national list (医保版 ICD-10); those present in the database are used. */
const COMMON_DIAGNOSES = ['I10.x00', 'E11.900', 'J06.900', 'K29.700', 'J18.900', 'I25.103', 'M54.500', 'J20.900', 'I63.900', 'N39.000', 'J44.100', 'K35.800'];

/** The pooling area of an area code: the prefecture level (990102 → 990100). */
export const poolOf = (admdvs: string): string => `${admdvs.slice(0, 4)}00`;

/** Reads the simulator's world and issues (re-issues) an apikey for each institution used. */
export async function prepareWorld(db: Db, opts: PrepareOptions): Promise<SimWorld> {
  if (!Number.isInteger(opts.institutions) || opts.institutions < 1) throw validationError('机构数应为正整数', [{ field: 'institutions', message: '应为正整数' }]);
  const on = opts.on ?? beijingDate();
  const inForce = <T extends string>(t: T) => sql.raw(`${t}.begndate <= '${on}' and (${t}.enddate is null or ${t}.enddate >= '${on}')`);
  // hospitals in force with a normal agreement, the higher levels first (they take inpatients), both pools alternating
  const hospitals = await sql<{ fixmedins_code: string; fixmedins_name: string; hosp_lv: string; admdvs: string }>`
    select f.fixmedins_code, f.fixmedins_name, f.hosp_lv, f.admdvs from fixmedins f
    join fixmedins_agreement a on a.fixmedins_code = f.fixmedins_code and ${inForce('a')} and a.agmt_stas = '1'
    where f.fixmedins_type = '1' and ${inForce('f')}
    order by f.hosp_lv desc, row_number() over (partition by left(f.admdvs, 4), f.hosp_lv order by f.fixmedins_code), f.admdvs, f.fixmedins_code`.execute(db.k);
  const doctors = await sql<SimDoctor & { fixmedins_code: string }>`
    select p.prac_code, p.prac_name, coalesce(p.dept_name, '内科') as dept_name, p.fixmedins_code from practitioner p
    where p.prac_type = '1' and ${inForce('p')}
      and not exists (select 1 from practitioner_qualification q where q.prac_code = p.prac_code and ${inForce('q')} and q.qual_stas <> '1')
    order by p.prac_code`.execute(db.k);
  const byInst = new Map<string, SimDoctor[]>();
  for (const { fixmedins_code, ...d } of doctors.rows) byInst.set(fixmedins_code, [...(byInst.get(fixmedins_code) ?? []), d]);
  const chosen = hospitals.rows.filter((h) => byInst.has(h.fixmedins_code)).slice(0, opts.institutions);
  if (!chosen.length) throw notFound('数据库中没有可用的定点医疗机构（含合格医师），请先加载演示统筹区或导入机构与医师');

  const pools = [...new Set(chosen.map((h) => poolOf(h.admdvs)))];
  const persons: Record<string, SimPerson[]> = {};
  for (const pool of pools) {
    const rows = await sql<SimPerson>`
      select p.psn_no, p.certno, p.psn_name, i.insutype, i.insuplc_admdvs from psn p
      join psn_insu i on i.psn_no = p.psn_no and ${inForce('i')} and i.psn_insu_stas = '1' and i.insutype in ('310', '390')
      where i.insuplc_admdvs = ${pool} and (p.death_date is null or p.death_date > ${on})
      order by p.psn_no, i.insutype limit ${opts.personsPerPool ?? 3000}`.execute(db.k);
    // one insurance per person (an employee may also hold 320)
    const seen = new Set<string>();
    persons[pool] = rows.rows.filter((r) => !seen.has(r.psn_no) && seen.add(r.psn_no));
    if (!persons[pool].length) throw notFound(`统筹区 ${pool} 没有可就医的参保人员`);
  }

  // unrestricted items in force, priced at their lowest cap (or a fixed price for the uncapped)
  const items = await sql<{ hilist_code: string; hilist_name: string; list_type: string; cap: string | null }>`
    select h.hilist_code, h.hilist_name, h.list_type,
      (select min(u.pric_uplmt_amt)::text from hilist_pric_uplmt u where u.hilist_code = h.hilist_code and u.insu_admdvs = h.insu_admdvs and ${inForce('u')}) as cap
    from hilist h
    where h.list_type in ('101', '102', '201', '301') and ${inForce('h')}
      and not exists (select 1 from hilist_lmt l where l.hilist_code = h.hilist_code and ${inForce('l')})
    order by md5(h.hilist_code) limit ${opts.items ?? 600}`.execute(db.k);
  if (!items.rows.length) throw notFound('数据库中没有可用的医保目录项目');
  const diagnoses = await sql<{ diag_code: string; diag_name: string }>`
    select d.diag_code, d.diag_name from diagnosis d where d.diag_code in (${sql.join(COMMON_DIAGNOSES)}) and ${inForce('d')} order by d.diag_code`.execute(db.k);
  if (!diagnoses.rows.length) throw notFound('数据库中没有医保版疾病诊断，请先导入国家标准');

  const institutions: SimInstitution[] = [];
  for (const h of chosen) {
    const { apikey } = await issueCredential(db, opts.actor, { fixmedins_code: h.fixmedins_code, signin_required: true });
    institutions.push({
      fixmedins_code: h.fixmedins_code,
      fixmedins_name: h.fixmedins_name,
      hosp_lv: h.hosp_lv,
      pool: poolOf(h.admdvs),
      apikey,
      opters: Array.from({ length: opts.opters ?? 4 }, (_, i) => String(i + 1).padStart(4, '0')),
      doctors: byInst.get(h.fixmedins_code)!.slice(0, 20),
    });
  }
  return {
    prepared_at: new Date().toISOString(),
    institutions,
    persons,
    items: items.rows.map((r) => ({ hilist_code: r.hilist_code, hilist_name: r.hilist_name, list_type: r.list_type, pric: r.cap ? yuanToFen(r.cap) : 200 + (parseInt(r.hilist_code.slice(-4), 36) % 7800) })),
    diagnoses: diagnoses.rows,
  };
}

export function saveWorld(path: string, world: SimWorld): void {
  writeFileSync(path, JSON.stringify(world, null, 1));
}

export function loadWorld(path: string): SimWorld {
  let w: SimWorld;
  try {
    w = JSON.parse(readFileSync(path, 'utf8')) as SimWorld;
  } catch (e) {
    throw validationError(`无法读取模拟数据文件 ${path}：${(e as Error).message}`);
  }
  if (!Array.isArray(w.institutions) || !w.institutions.length || !w.items?.length || !w.diagnoses?.length || typeof w.persons !== 'object') {
    throw validationError(`模拟数据文件 ${path} 内容不完整（应由 yibao simulate --prepare 生成）`);
  }
  return w;
}
