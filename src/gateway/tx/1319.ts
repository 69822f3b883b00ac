/**
 * 1319 医保目录先自付比例信息查询 (reference §2.1): self-pay-first ratios, paged. yibao keys a ratio by insurance
 * type ('*' = every type), not by person category, so `selfpay_prop_psn_type` / `selfpay_prop_type` are null and
 * the row carries `insutype` instead.
 */
import { Type } from '@sinclair/typebox';
import { query1319 } from '../../standards/catalogue/service.js';
import type { HilistSelfpayTable } from '../../standards/catalogue/types.js';
import { C, D, DT, Nullable, OptC, PageInput, Paged, ridOf, toPaged, type PageLike } from '../schema.js';
import { defineTx } from '../types.js';

export const Input1319 = Type.Object({
  data: Type.Object({
    query_date: Type.Optional(D('查询时间点：给出时只返回当日有效的记录')),
    hilist_code: OptC(30, '医保目录编码'),
    selfpay_prop_psn_type: OptC(6, '医保目录自付比例人员类别（忽略）'),
    selfpay_prop_type: OptC(6, '目录自付比例类别（忽略）'),
    insu_admdvs: OptC(6, '参保机构医保区划（忽略）'),
    begndate: Type.Optional(D('开始日期（忽略）')),
    enddate: Type.Optional(D('结束日期（忽略）')),
    vali_flag: OptC(3, '有效标志（忽略）'),
    rid: OptC(40, '唯一记录号（忽略）'),
    tabname: OptC(100, '表名（忽略）'),
    poolarea_no: OptC(6, '统筹区（忽略）'),
    updt_time: Type.Optional(DT('更新时间（忽略）')),
    ...PageInput,
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());

export const Output1319 = Paged(
  Type.Object({
    hilist_code: C(30, '医保目录编码'),
    selfpay_prop_psn_type: OptS,
    selfpay_prop_type: OptS,
    insutype: S,
    insu_admdvs: S,
    begndate: S,
    enddate: OptS,
    selfpay_prop: Type.Number({ description: '自付比例（0–1）' }),
    vali_flag: S,
    rid: C(40, '唯一记录号'),
    updt_time: S,
    crter_id: OptS,
    crter_name: OptS,
    crte_time: S,
    crte_optins_no: OptS,
    opter_id: OptS,
    opter_name: OptS,
    opt_time: OptS,
    optins_no: OptS,
    tabname: OptS,
    poolarea_no: OptS,
  }),
);

export const tx1319 = defineTx({
  infno: '1319',
  name: '医保目录先自付比例信息查询',
  input: Input1319,
  output: Output1319,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const page = await query1319(ctx.db, { hilist_code: data.hilist_code, query_date: data.query_date, page_num: data.page_num, page_size: data.page_size });
    return toPaged(page as PageLike<HilistSelfpayTable>, (r) => {
      const stamp = `${r.begndate} 00:00:00`;
      return {
        hilist_code: r.hilist_code,
        selfpay_prop_psn_type: null,
        selfpay_prop_type: null,
        insutype: r.insutype,
        insu_admdvs: r.insu_admdvs,
        begndate: r.begndate,
        enddate: r.enddate,
        selfpay_prop: Number(r.selfpay_prop),
        vali_flag: '1',
        rid: ridOf('hilist_selfpay', r.hilist_code, r.insu_admdvs, r.insutype, r.begndate),
        updt_time: stamp,
        crter_id: null,
        crter_name: null,
        crte_time: stamp,
        crte_optins_no: null,
        opter_id: null,
        opter_name: null,
        opt_time: null,
        optins_no: null,
        tabname: 'hilist_selfpay',
        poolarea_no: r.insu_admdvs,
      };
    });
  },
});
