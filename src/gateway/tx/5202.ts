/**
 * 5202 诊断信息查询: the valid diagnoses of one of the caller's encounters — outpatient (2203), admission (2401/2403)
 * and discharge (2402) — as node `diseinfo[]`. Another institution's encounter answers an empty list.
 */
import { Type } from '@sinclair/typebox';
import { diagnosesAt } from '../../settlement/queries-5200.js';
import { C, Nullable } from '../schema.js';
import { defineTx } from '../types.js';

export const Input5202 = Type.Object({
  data: Type.Object({
    mdtrt_id: C(30, '就诊ID'),
    psn_no: C(30, '人员编号'),
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());

export const Diseinfo5202 = Type.Object({
  diag_info_id: S,
  mdtrt_id: S,
  psn_no: S,
  inout_diag_type: S,
  diag_type: S,
  maindiag_flag: S,
  diag_srt_no: Type.Integer(),
  diag_code: S,
  diag_name: S,
  adm_cond: OptS,
  diag_dept: OptS,
  dise_dor_no: OptS,
  dise_dor_name: OptS,
  diag_time: OptS,
  opter_id: OptS,
  opter_name: OptS,
  opt_time: S,
});

export const Output5202 = Type.Object({ diseinfo: Type.Array(Diseinfo5202) });

/** 出入院诊断类别: 1 入院诊断, 2 出院诊断; an outpatient diagnosis is reported as 1 (门诊诊断 has no code of its own). */
const INOUT: Record<string, string> = { opt: '1', adm: '1', dscg: '2' };

export const tx5202 = defineTx({
  infno: '5202',
  name: '诊断信息查询',
  input: Input5202,
  output: Output5202,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const rows = await diagnosesAt(ctx.db, ctx.envelope.fixmedins_code, data.psn_no, data.mdtrt_id);
    return {
      diseinfo: rows.map((d) => ({
        diag_info_id: String(d.diag_id),
        mdtrt_id: d.mdtrt_id,
        psn_no: data.psn_no,
        inout_diag_type: INOUT[d.stage] ?? '1',
        diag_type: d.diag_type,
        maindiag_flag: d.maindiag_flag,
        diag_srt_no: d.diag_srt_no,
        diag_code: d.diag_code,
        diag_name: d.diag_name,
        adm_cond: d.adm_cond,
        diag_dept: d.diag_dept,
        dise_dor_no: d.dise_dor_no,
        dise_dor_name: d.dise_dor_name,
        diag_time: d.diag_time,
        opter_id: null,
        opter_name: null,
        opt_time: d.crte_time,
      })),
    };
  },
});
