/**
 * 1312 医保目录信息查询 (reference §3.15): the catalogue, paged (page_num / page_size), filtered by code (prefix),
 * name (part of it), list type, charge type, class, insured area and date. `updt_time` is read but not used: yibao
 * keeps no per-row change stamp, so every row in force on `query_date` (default today) matches.
 */
import { Type } from '@sinclair/typebox';
import { query1312 } from '../../standards/catalogue/service.js';
import { C, D, DT, Nullable, OptC, PageInput, Paged, ridOf, toPaged } from '../schema.js';
import { defineTx } from '../types.js';

export const Input1312 = Type.Object({
  data: Type.Object({
    query_date: Type.Optional(D('查询时间点，默认当天')),
    hilist_code: OptC(30, '医保目录编码（前缀匹配）'),
    insu_admdvs: OptC(6, '参保机构医保区划'),
    begndate: Type.Optional(D('开始日期（忽略）')),
    hilist_name: OptC(200, '医保目录名称（包含匹配）'),
    wubi: OptC(30, '五笔助记码（忽略）'),
    pinyin: OptC(30, '拼音助记码（首字母前缀匹配）'),
    med_chrgitm_type: OptC(6, '医疗收费项目类别'),
    chrgitm_lv: OptC(3, '收费项目等级'),
    lmt_used_flag: OptC(3, '限制使用标志（忽略）'),
    list_type: OptC(30, '目录类别'),
    med_use_flag: OptC(3, '医疗使用标志（忽略）'),
    matn_used_flag: OptC(3, '生育使用标志（忽略）'),
    hilist_use_type: OptC(3, '医保目录使用类别（忽略）'),
    lmt_cpnd_type: OptC(3, '限复方使用类型（忽略）'),
    vali_flag: OptC(3, '有效标志（忽略）'),
    updt_time: Type.Optional(DT('更新时间（忽略）')),
    ...PageInput,
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());

export const Row1312 = Type.Object({
  hilist_code: C(30, '医保目录编码'),
  hilist_name: C(200, '医保目录名称'),
  insu_admdvs: S,
  begndate: S,
  enddate: OptS,
  med_chrgitm_type: S,
  chrgitm_lv: S,
  lmt_used_flag: S,
  list_type: S,
  med_use_flag: S,
  matn_used_flag: S,
  hilist_use_type: OptS,
  lmt_cpnd_type: OptS,
  wubi: OptS,
  pinyin: OptS,
  memo: OptS,
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
  poolarea_no: OptS,
});

export const Output1312 = Paged(Row1312);

export const tx1312 = defineTx({
  infno: '1312',
  name: '医保目录信息查询',
  input: Input1312,
  output: Output1312,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const page = await query1312(ctx.db, {
      hilist_code: data.hilist_code ?? data.pinyin,
      hilist_name: data.hilist_name,
      list_type: data.list_type,
      chrgitm_lv: data.chrgitm_lv,
      med_chrgitm_type: data.med_chrgitm_type,
      insu_admdvs: data.insu_admdvs,
      query_date: data.query_date ?? ctx.today,
      page_num: data.page_num,
      page_size: data.page_size,
    });
    return toPaged(page, (r) => {
      const stamp = `${r.begndate} 00:00:00`;
      return { ...r, rid: ridOf('hilist', r.hilist_code, r.insu_admdvs, r.begndate), updt_time: stamp, crter_id: null, crter_name: null, crte_time: stamp, crte_optins_no: null, opter_id: null, opter_name: null, opt_time: null, optins_no: null, poolarea_no: r.insu_admdvs };
    });
  },
});
