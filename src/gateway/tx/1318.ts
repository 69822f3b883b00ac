/**
 * 1318 医保目录限价信息查询 (reference §2.1): price caps, paged. yibao's caps differ by hospital level, so each row
 * is one level's cap: `hilist_lmtpric_type` carries the level (1/2/3 一/二/三级, 9 未定级) and `hosp_lv` repeats it;
 * above the cap the excess is paid by the person (`overlmt_dspo_way` is not coded nationally in our sources: null).
 */
import { Type } from '@sinclair/typebox';
import { query1318 } from '../../standards/catalogue/service.js';
import type { HilistPricUplmtTable } from '../../standards/catalogue/types.js';
import { fenToYuanNumber, yuanToFen } from '../../platform/money.js';
import { C, D, DT, Nullable, OptC, PageInput, Paged, ridOf, toPaged, type PageLike } from '../schema.js';
import { defineTx } from '../types.js';

export const Input1318 = Type.Object({
  data: Type.Object({
    query_date: Type.Optional(D('查询时间点：给出时只返回当日有效的记录')),
    hilist_code: OptC(30, '医保目录编码'),
    hilist_lmtpric_type: OptC(6, '医保目录限价类型（忽略）'),
    overlmt_dspo_way: OptC(6, '医保目录超限处理方式（忽略）'),
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

export const Output1318 = Paged(
  Type.Object({
    hilist_code: C(30, '医保目录编码'),
    hilist_lmtpric_type: S,
    hosp_lv: S,
    overlmt_dspo_way: OptS,
    insu_admdvs: S,
    begndate: S,
    enddate: OptS,
    hilist_pric_uplmt_amt: Type.Number({ description: '医保目录定价上限金额（元）' }),
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

export const tx1318 = defineTx({
  infno: '1318',
  name: '医保目录限价信息查询',
  input: Input1318,
  output: Output1318,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const page = await query1318(ctx.db, { hilist_code: data.hilist_code, query_date: data.query_date, page_num: data.page_num, page_size: data.page_size });
    return toPaged(page as PageLike<HilistPricUplmtTable>, (r) => {
      const stamp = `${r.begndate} 00:00:00`;
      return {
        hilist_code: r.hilist_code,
        hilist_lmtpric_type: r.hosp_lv,
        hosp_lv: r.hosp_lv,
        overlmt_dspo_way: null,
        insu_admdvs: r.insu_admdvs,
        begndate: r.begndate,
        enddate: r.enddate,
        hilist_pric_uplmt_amt: fenToYuanNumber(yuanToFen(r.pric_uplmt_amt)),
        vali_flag: '1',
        rid: ridOf('hilist_pric_uplmt', r.hilist_code, r.insu_admdvs, r.hosp_lv, r.begndate),
        updt_time: stamp,
        crter_id: null,
        crter_name: null,
        crte_time: stamp,
        crte_optins_no: null,
        opter_id: null,
        opter_name: null,
        opt_time: null,
        optins_no: null,
        tabname: 'hilist_pric_uplmt',
        poolarea_no: r.insu_admdvs,
      };
    });
  },
});
