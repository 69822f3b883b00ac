/**
 * 1101 人员信息获取 (reference §3.1): the person behind a credential — 01 医保电子凭证 (ecToken), 02 居民身份证
 * (ID number), 03 社会保障卡 (card number) — with baseinfo, insuinfo[] and idetinfo[] on the request date (or on
 * `begntime`'s date when given).
 */
import { Type } from '@sinclair/typebox';
import { findPerson, personOn, personView, type PersonOn } from '../../enrollment/persons.js';
import { notFound, validationError } from '../../platform/errors.js';
import { C, Code, D, DT, ExpContent, Nullable, OptC } from '../schema.js';
import { resolveEcToken } from '../ectoken.js';
import { defineTx } from '../types.js';

export const Input1101 = Type.Object({
  data: Type.Object({
    mdtrt_cert_type: Code(['01', '02', '03'], '就诊凭证类型：01 医保电子凭证 02 居民身份证 03 社会保障卡'),
    mdtrt_cert_no: OptC(50, '就诊凭证编号：01 ecToken，02 身份证号，03 社会保障卡号'),
    card_sn: OptC(32, '卡识别码'),
    begntime: Type.Optional(DT('开始时间：查询该时点的参保信息')),
    psn_cert_type: OptC(6, '人员证件类型'),
    certno: OptC(50, '证件号码'),
    psn_name: OptC(50, '人员姓名'),
    exp_content: ExpContent,
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());

export const Output1101 = Type.Object({
  baseinfo: Type.Object({
    psn_no: C(30, '人员编号'),
    psn_cert_type: C(6, '人员证件类型'),
    certno: C(50, '证件号码'),
    psn_name: C(50, '人员姓名'),
    gend: C(6, '性别'),
    naty: C(3, '民族'),
    brdy: D('出生日期'),
    age: Type.Number({ description: '年龄' }),
    exp_content: Type.Null(),
  }),
  insuinfo: Type.Array(
    Type.Object({
      balc: Type.Number({ description: '余额（个人账户）' }),
      insutype: S,
      psn_type: S,
      psn_insu_stas: S,
      psn_insu_date: OptS,
      paus_insu_date: OptS,
      cvlserv_flag: S,
      insuplc_admdvs: S,
      emp_name: OptS,
    }),
  ),
  idetinfo: Type.Array(
    Type.Object({
      psn_idet_type: S,
      psn_type_lv: OptS,
      memo: OptS,
      begntime: S,
      endtime: OptS,
    }),
  ),
});

export const tx1101 = defineTx({
  infno: '1101',
  name: '人员信息获取',
  input: Input1101,
  output: Output1101,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const certNo = data.mdtrt_cert_no ?? (data.mdtrt_cert_type === '02' ? data.certno : undefined);
    if (!certNo) throw validationError('缺少就诊凭证编号', [{ field: 'data.mdtrt_cert_no', message: '缺少必填项' }]);
    const on = data.begntime ? data.begntime.slice(0, 10) : ctx.today;
    let person: PersonOn | undefined;
    if (data.mdtrt_cert_type === '02') {
      // by ID number: the person with everything in force, in one read
      person = await personOn(ctx.db, { certno: certNo }, on);
      if (!person) throw notFound('未查询到该身份证号的参保人员信息');
    } else {
      let psn_no: string;
      if (data.mdtrt_cert_type === '01') psn_no = await resolveEcToken(ctx.db, certNo, ctx.receivedAt);
      else {
        const found = await findPerson(ctx.db, { card_no: certNo });
        if (!found) throw notFound('未查询到该社会保障卡的参保人员信息');
        psn_no = found.psn_no;
      }
      person = await personOn(ctx.db, { psn_no }, on);
      if (!person) throw notFound(`参保人 ${psn_no} 不存在`);
    }
    const view = personView(person, on);
    if (data.psn_name && data.psn_name !== view.baseinfo.psn_name) throw validationError('人员姓名与就诊凭证不符', [{ field: 'data.psn_name', message: '与就诊凭证不符' }]);
    if (data.certno && data.certno.toUpperCase() !== view.baseinfo.certno) throw validationError('证件号码与就诊凭证不符', [{ field: 'data.certno', message: '与就诊凭证不符' }]);
    return view;
  },
});
