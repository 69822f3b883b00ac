/**
 * 冒名就医（身份核验未通过）(MGT-ID-01): the face check at registration failed, and the encounter was registered
 * and settled on the card anyway — at an admission or a 门慢特 visit, where face checks guard against 冒卡住院 and
 * 冒卡透析. The whole encounter is at issue: what insurance paid for it.
 */
import type { ViolationType } from './types.js';

export const idchkFail: ViolationType = {
  code: 'idchk_fail',
  name: '冒名就医（人脸核验未通过仍结算）',
  rules: ['MGT-ID-01'],
  kinds: ['ipt', 'mts'],
  inject(d) {
    d.idchk = { chk_way: 'face', chk_rslt: '0' };
    return { feedetl_sns: null, amt: 'insured', memo: `${d.begntime.slice(0, 16)} 人脸核验未通过，仍以参保人身份登记结算` };
  },
};
