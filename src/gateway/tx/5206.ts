/**
 * 5206 人员累计信息查询: a person's accumulators (待遇累计) of the year of `cum_ym` as they stood at the end of that
 * month — admissions, 大病/大额, 公务员补助 and 医疗救助 totals, and per accumulator group the deductible used and the
 * pool's base and payment — as node `cuminfo[]`. Any designated institution may ask (the accumulators are the
 * person's, not the institution's); an unknown person is refused.
 */
import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.js';
import { fenToYuanNumber, yuanToFen } from '../../platform/money.js';
import { CUM_TYPES, cumulativesOf } from '../../settlement/queries-5200.js';
import { C, Nullable } from '../schema.js';
import { defineTx } from '../types.js';

export const Input5206 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    cum_ym: Type.Optional(Type.String({ pattern: '^\\d{4}(0[1-9]|1[0-2])$', description: '累计年月 yyyyMM（默认本月）' })),
  }),
});

export const Cuminfo5206 = Type.Object({
  insutype: Type.String(),
  year: Type.String(),
  cum_ym: Type.String(),
  cum_type_code: Type.String(),
  cum: Type.Number(),
  cum_type_name: Type.String(),
  acc_grp: Nullable(Type.String()),
});

export const Output5206 = Type.Object({ cuminfo: Type.Array(Cuminfo5206) });

export const tx5206 = defineTx({
  infno: '5206',
  name: '人员累计信息查询',
  input: Input5206,
  output: Output5206,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const psn = await ctx.db.k.selectFrom('psn').select('psn_no').where('psn_no', '=', data.psn_no).executeTakeFirst();
    if (!psn) throw notFound(`人员编号 ${data.psn_no} 不存在`);
    const rows = await cumulativesOf(ctx.db, data.psn_no, data.cum_ym, ctx.today);
    return {
      cuminfo: rows.map((r) => ({
        insutype: r.insutype,
        year: String(r.year),
        cum_ym: r.cum_ym,
        cum_type_code: r.cum_type_code,
        cum: r.cum_type_code === CUM_TYPES.admissions.code ? Number(r.cum) : fenToYuanNumber(yuanToFen(r.cum)),
        cum_type_name: r.cum_type_name,
        acc_grp: r.acc_grp,
      })),
    };
  },
});
