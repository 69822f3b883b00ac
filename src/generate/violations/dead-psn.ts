/**
 * 冒名就医（死亡后）: an outpatient visit under the credentials of a person who has died. Not drawn per encounter
 * like the others: person.ts schedules such a visit after a death and injects this type into it.
 */
import type { ViolationType } from './types.js';

export const deadPsn: ViolationType = {
  code: 'dead_psn',
  name: '参保人死亡后发生医保费用（冒名就医）',
  rules: ['MGT-ID-01'],
  kinds: [],
  inject(d) {
    return { feedetl_sns: null, amt: 'insured', memo: `参保人已死亡，${d.date} 仍持其医保凭证就医` };
  },
};
