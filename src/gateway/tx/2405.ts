/** 2405 出院办理撤销 (reference §3.10): back to 在院; refused while the admission has a valid settlement. */
import { cancelDischarge } from '../../settlement/index.js';
import { defineTx } from '../types.js';
import { InputMdtrtPsn } from './2404.js';
import { callerOf, NoOutput } from './settlement-common.js';

export const tx2405 = defineTx({
  infno: '2405',
  name: '出院办理撤销',
  input: InputMdtrtPsn,
  output: NoOutput,
  needsSignIn: true,
  async handler({ data }, ctx) {
    await cancelDischarge(callerOf(ctx), { mdtrt_id: data.mdtrt_id, psn_no: data.psn_no });
    return {};
  },
});
