/**
 * 5205 人员慢特病用药记录查询 (reference §2.5): the drugs (西药、中成药、中药饮片) a person's valid 门诊慢特病
 * settlements (med_type 14, not reversed) paid, at any institution, newest first — so a prescriber sees what the
 * person already received. Node `feedetail[]`; the reference gives no field table for this query, so the fields
 * are the national names of 5204's fee lines. The query is src/settlement/opsp.ts.
 */
import { Type } from '@sinclair/typebox';
import { fenToYuanNumber, yuanToFen } from '../../platform/money.js';
import { wireTime } from '../../settlement/common.js';
import { opspDrugRecordsOf } from '../../settlement/opsp.js';
import { C, DT, Nullable } from '../schema.js';
import { defineTx } from '../types.js';

export const Input5205 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    begntime: Type.Optional(DT('开始时间（费用发生时间）')),
    endtime: Type.Optional(DT('结束时间')),
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());
const Num = Type.Number();
export const Feedetail5205 = Type.Object({
  mdtrt_id: S,
  setl_id: S,
  fixmedins_code: S,
  fixmedins_name: OptS,
  setl_time: S,
  med_type: S,
  dise_codg: OptS,
  dise_name: OptS,
  feedetl_sn: S,
  fee_ocur_time: S,
  med_list_codg: S,
  med_list_name: OptS,
  medins_list_codg: S,
  med_chrgitm_type: OptS,
  cnt: Num,
  pric: Num,
  det_item_fee_sumamt: Num,
  bilg_dr_codg: OptS,
  bilg_dr_name: OptS,
});

export const Output5205 = Type.Object({ feedetail: Type.Array(Feedetail5205) });

export const tx5205 = defineTx({
  infno: '5205',
  name: '人员慢特病用药记录查询',
  input: Input5205,
  output: Output5205,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const rows = await opspDrugRecordsOf(ctx.db, data.psn_no, { ...(data.begntime ? { from: wireTime(data.begntime, 'begntime') } : {}), ...(data.endtime ? { to: wireTime(data.endtime, 'endtime') } : {}) });
    return {
      feedetail: rows.map((r) => ({
        mdtrt_id: r.mdtrt_id,
        setl_id: r.setl_id,
        fixmedins_code: r.fixmedins_code,
        fixmedins_name: r.fixmedins_name,
        setl_time: r.setl_time,
        med_type: r.med_type,
        dise_codg: r.dise_codg,
        dise_name: r.dise_name,
        feedetl_sn: r.feedetl_sn,
        fee_ocur_time: r.fee_ocur_time,
        med_list_codg: r.hilist_code,
        med_list_name: r.hilist_name,
        medins_list_codg: r.medins_list_codg,
        med_chrgitm_type: r.med_chrgitm_type,
        cnt: Number(r.cnt),
        pric: Number(r.pric),
        det_item_fee_sumamt: fenToYuanNumber(yuanToFen(r.det_item_fee_sumamt)),
        bilg_dr_codg: r.bilg_dr_codg,
        bilg_dr_name: r.bilg_dr_name,
      })),
    };
  },
});
