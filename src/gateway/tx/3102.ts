/**
 * 3102 明细审核事中分析服务: the same request and answer as 3101, called at 预结算/结算/购药划卡 (trig_scen 6–10);
 * the 事中 rules (e.g. 超医保支付范围, 住院天数超计费, 挂床住院) join the 事前 ones.
 */
import { defineTx } from '../types.js';
import { auditHandler, InputAudit, OutputAudit } from './3101.js';

export const tx3102 = defineTx({
  infno: '3102',
  name: '明细审核事中分析服务',
  input: InputAudit,
  output: OutputAudit,
  needsSignIn: true,
  handler: auditHandler('3102'),
});
