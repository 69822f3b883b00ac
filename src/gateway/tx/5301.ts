/**
 * 5301 人员慢特病备案查询 (reference §2.5): a person's valid chronic / special disease filings (2503, not cancelled),
 * newest first, as `feedetail[]` (the node name the national interface uses here) with the disease and period,
 * plus (yibao) the filing's id and identification. Filings are the person's: any designated institution may ask.
 * An unknown person is refused. (Some documents call this query 5205; the reference's 5205 is 人员慢特病用药记录查询,
 * served by tx/5205.ts.)
 */
import { Type } from '@sinclair/typebox';
import { opspFilingsOf } from '../../settlement/opsp.js';
import { C, D, Nullable, OptC } from '../schema.js';
import { defineTx } from '../types.js';

export const Input5301 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    opsp_dise_code: OptC(30, '门慢门特病种目录代码（本平台扩展）'),
    on_date: Type.Optional(D('只查该日有效的备案（本平台扩展）')),
  }),
});

const S = Type.String();
export const Feedetail5301 = Type.Object({
  opsp_dise_code: S,
  opsp_dise_name: S,
  begndate: S,
  enddate: Nullable(S),
  trt_dcla_detl_sn: S,
  insutype: S,
  insu_optins: S,
  ide_fixmedins_no: S,
  ide_fixmedins_name: S,
  hosp_ide_date: S,
  diag_dr_codg: S,
  diag_dr_name: S,
  fixmedins_code: S,
});

export const Output5301 = Type.Object({ feedetail: Type.Array(Feedetail5301) });

export const tx5301 = defineTx({
  infno: '5301',
  name: '人员慢特病备案查询',
  input: Input5301,
  output: Output5301,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const rows = await opspFilingsOf(ctx.db, data.psn_no, { ...(data.on_date ? { on: data.on_date } : {}), ...(data.opsp_dise_code ? { opsp_dise_code: data.opsp_dise_code } : {}) });
    return {
      feedetail: rows.map((r) => ({
        opsp_dise_code: r.opsp_dise_code,
        opsp_dise_name: r.opsp_dise_name,
        begndate: r.begndate,
        enddate: r.enddate,
        trt_dcla_detl_sn: r.trt_dcla_detl_sn,
        insutype: r.insutype,
        insu_optins: r.insu_optins,
        ide_fixmedins_no: r.ide_fixmedins_no,
        ide_fixmedins_name: r.ide_fixmedins_name,
        hosp_ide_date: r.hosp_ide_date,
        diag_dr_codg: r.diag_dr_codg,
        diag_dr_name: r.diag_dr_name,
        fixmedins_code: r.fixmedins_code,
      })),
    };
  },
});
