/**
 * Benefit-status check (待遇享受状态): may this person have insurance benefits of this type on this date?
 * The settlement path asks it before every encounter (1101 → 2201/2401); the handler's console shows the
 * reasons. A person is entitled when alive on the date, holding a relation of that insurance type in force on
 * the date, in status 正常参保. Every refusal reason is returned (Chinese), not just the first.
 */
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { isIsoDate } from '../platform/time.js';
import { validationError } from '../platform/errors.js';
import { relationOn, type PsnInsu } from './relations.js';
import { INSU_STAS } from './types.js';

export interface BenefitStatus {
  psn_no: string;
  insutype: string;
  on: string;
  entitled: boolean;
  psn_insu_stas: string | null;
  insuplc_admdvs: string | null;
  psn_type: string | null;
  reasons: string[];
}

export async function benefitStatus(db: Db, psn_no: string, insutype: string, on: string): Promise<BenefitStatus> {
  if (!isIsoDate(on)) throw validationError(`日期格式错误：${on}`, [{ field: 'on', message: '应为 yyyy-MM-dd' }]);
  const person = await db.k.selectFrom('psn').select(['psn_no', 'death_date']).where('psn_no', '=', psn_no).executeTakeFirst();
  if (!person) throw notFound(`参保人 ${psn_no} 不存在`);
  return benefitStatusOf(person, await relationOn(db, psn_no, insutype, on), insutype, on);
}

/** The status from rows already read: the person's death date and the relation of `insutype` in force on `on`. */
export function benefitStatusOf(person: { psn_no: string; death_date: string | null }, rel: PsnInsu | undefined, insutype: string, on: string): BenefitStatus {
  const psn_no = person.psn_no;
  const reasons: string[] = [];
  // Death is recorded on a date; care on the day of death is still covered, after it is 冒名就医.
  if (person.death_date && person.death_date < on) reasons.push(`参保人已于 ${person.death_date} 死亡`);
  if (!rel) reasons.push(`${on} 无有效的 ${insutype} 参保关系`);
  else if (rel.psn_insu_stas !== '1') {
    const name = INSU_STAS[rel.psn_insu_stas as keyof typeof INSU_STAS] ?? rel.psn_insu_stas;
    reasons.push(`参保状态为“${name}”${rel.paus_insu_date ? `（自 ${rel.paus_insu_date}）` : ''}，不享受待遇`);
  }
  return {
    psn_no,
    insutype,
    on,
    entitled: reasons.length === 0,
    psn_insu_stas: rel?.psn_insu_stas ?? null,
    insuplc_admdvs: rel?.insuplc_admdvs ?? null,
    psn_type: rel?.psn_type ?? null,
    reasons,
  };
}

/** Every insurance type a person holds on a date with its status; for 1101 and the console. */
export async function benefitStatuses(db: Db, psn_no: string, on: string): Promise<BenefitStatus[]> {
  const types = await db.k.selectFrom('psn_insu').select('insutype').distinct().where('psn_no', '=', psn_no).orderBy('insutype').execute();
  if (types.length === 0) {
    const exists = await db.k.selectFrom('psn').select('psn_no').where('psn_no', '=', psn_no).executeTakeFirst();
    if (!exists) throw notFound(`参保人 ${psn_no} 不存在`);
  }
  return Promise.all(types.map((t) => benefitStatus(db, psn_no, t.insutype, on)));
}
