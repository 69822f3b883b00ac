/** 2203A 门诊就诊信息上传（A）: 2203 with the maternity fields matn_type and geso_val (reference §3.4). */
import { defineTx } from '../types.js';
import { Input2203, visitInfo } from './2203.js';
import { NoOutput } from './settlement-common.js';

export const tx2203A = defineTx({
  infno: '2203A',
  name: '门诊就诊信息上传（A）',
  input: Input2203,
  output: NoOutput,
  needsSignIn: true,
  handler: visitInfo,
});
