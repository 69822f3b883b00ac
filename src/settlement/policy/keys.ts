/**
 * Policy keys derived from national codes: med_type → 医疗类别族 (门诊/门慢特/住院/药店) and care setting,
 * psn_type → 人员类别组 (在职/退休/学生儿童/居民). Policies are keyed by the groups, not by every code,
 * because local policy documents are written that way.
 */
import { validationError } from '../../platform/errors.js';
import type { Scene } from '../../standards/catalogue/types.js';
import type { MedTypeFam, PsnTypeGrp } from './types.js';

export const MED_TYPE_FAM_NAMES: Record<MedTypeFam, string> = { '11': '门诊', '14': '门慢特', '21': '住院', '41': '药店' };
export const PSN_TYPE_GRP_NAMES: Record<PsnTypeGrp, string> = { '11': '在职', '12': '退休', '14': '学生儿童', '15': '居民' };

// Codes whose family the first digit does not tell (national 5x/9x and the local 99xx extensions).
const EXPLICIT_FAM: Record<string, MedTypeFam> = {
  '14': '14',
  '51': '11', // 生育门诊
  '52': '21', // 生育住院
  '53': '11', // 计划生育手术费
  '91': '11',
  '92': '21',
  '93': '41',
  '9901': '11',
  '9902': '21',
  '9903': '11',
  '9904': '21',
  '9906': '11',
  '9907': '21',
  '9921': '21',
  '9925': '21',
};

/** The family of a med_type code, or null when the code belongs to none. */
export function medTypeFamily(med_type: string): MedTypeFam | null {
  const explicit = EXPLICIT_FAM[med_type];
  if (explicit) return explicit;
  if (!/^\d{2}$/.test(med_type)) return null;
  switch (med_type[0]) {
    case '1':
      return '11';
    case '2':
      return '21';
    case '4':
      return '41';
    default:
      return null;
  }
}

export function requireMedTypeFamily(med_type: string): MedTypeFam {
  const fam = medTypeFamily(med_type);
  if (!fam) throw validationError(`医疗类别 ${med_type} 无法对应门诊、门慢特、住院或药店待遇`, [{ field: 'med_type', message: '无法确定待遇类别' }]);
  return fam;
}

/** The care setting restrictions speak of (1 门诊 2 住院 3 药店); 门慢特 is outpatient care. */
export function sceneOf(fam: MedTypeFam): Scene {
  return fam === '21' ? '2' : fam === '41' ? '3' : '1';
}

/**
 * The person-type group of a psn_type (4-digit national or legacy 2-digit). 离休 (13xx) and unknown codes
 * have no group: only policy rows for any person type ('*') apply to them.
 */
export function psnTypeGroup(psn_type: string): PsnTypeGrp | null {
  const head = psn_type.slice(0, 2);
  if (head === '11' || head === '12' || head === '14' || head === '15') return head;
  if (psn_type === '16') return '15'; // legacy 居民（老年）
  return null;
}
