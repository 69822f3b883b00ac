/**
 * 3202 医药机构费用结算对明细账 (reference §3.13): the detail file uploaded with 9101 (`file_qury_no`) is compared row
 * by row with the platform's settlements of the period (src/settlement/reconcile-detail.ts owns the format and the
 * comparison), together with the declared totals. Answers `fileinfo` naming the result file — a ZIP with one
 * tab-separated line per settlement that does not match — to fetch with 9102, and (added by yibao) `stmtinfo`
 * with the overall result and the platform's totals.
 */
import { Type, type Static } from '@sinclair/typebox';
import { compactTime } from '../../platform/time.js';
import { parseDetailFile, reconcileDetail } from '../../settlement/reconcile-detail.js';
import { C, Code, DT, N, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { zip } from '../zip.js';
import { CentreTotals, centreOut, RefdSetlFlag, refdFlagOf, requesterOf } from './3201.js';
import { readUploadText, storeGatewayFile } from './9101.js';
import { Amt, fen } from './settlement-common.js';

export const Input3202 = Type.Object({
  data: Type.Object({
    setl_optins: C(6, '结算经办机构'),
    file_qury_no: C(30, '文件查询号（9101 返回）'),
    stmt_begndate: DT('对账开始日期 yyyy-MM-dd（带时间时取日期）'),
    stmt_enddate: DT('对账结束日期 yyyy-MM-dd（带时间时取日期）'),
    medfee_sumamt: Amt('医疗费总额'),
    fund_pay_sumamt: Amt('基金支付总额'),
    cash_payamt: Amt('现金支付金额'),
    fixmedins_setl_cnt: N('定点医药机构结算笔数'),
    clr_type: OptC(6, '清算类别（不传为全部）'),
    insutype: OptC(6, '险种类型（本平台扩展，不传为全部）'),
    ...RefdSetlFlag,
  }),
});

export const Output3202 = Type.Object({
  fileinfo: Type.Object({ file_qury_no: Type.String(), filename: Type.String(), dld_endtime: Type.String() }),
  stmtinfo: Type.Object({ setl_optins: Type.String(), stmt_rslt: Code(['0', '1']), stmt_rslt_dscr: Type.String(), ...CentreTotals, file_row_cnt: Type.Integer(), dif_cnt: Type.Integer() }),
});

export const tx3202 = defineTx({
  infno: '3202',
  name: '医药机构费用结算对明细账',
  input: Input3202,
  output: Output3202,
  needsSignIn: true,
  async handler({ data: d }, ctx): Promise<Static<typeof Output3202>> {
    const code = ctx.envelope.fixmedins_code;
    const rows = parseDetailFile(await readUploadText(ctx.db.k, d.file_qury_no, code, ctx.today));
    const stamp = compactTime(ctx.receivedAt);
    let filename = '';
    let dld_end_time = '';
    const r = await reconcileDetail(
      requesterOf(ctx),
      {
        fixmedins_code: code,
        setl_optins: d.setl_optins,
        stmt_begndate: d.stmt_begndate.slice(0, 10),
        stmt_enddate: d.stmt_enddate.slice(0, 10),
        ...(d.clr_type ? { clr_type: d.clr_type } : {}),
        ...(d.insutype ? { insutype: d.insutype } : {}),
        refd_setl_flag: refdFlagOf(d),
        file_qury_no: d.file_qury_no,
        rows,
        medfee_sumamt: fen(d.medfee_sumamt, 'data.medfee_sumamt'),
        fund_pay_sumamt: fen(d.fund_pay_sumamt, 'data.fund_pay_sumamt'),
        cash_payamt: fen(d.cash_payamt, 'data.cash_payamt'),
        fixmedins_setl_cnt: d.fixmedins_setl_cnt,
      },
      async (trx, stmt_id, text, difs) => {
        const content = zip([{ name: `3202_${stmt_id}.txt`, data: Buffer.from(text, 'utf8') }], ctx.receivedAt);
        const s = await storeGatewayFile(trx, { infno: '3202', prefix: 'rc', filename: `3202_${stamp}.zip`, fixmedins_code: code, content, data_cnt: difs.length, today: ctx.today });
        filename = s.filename;
        dld_end_time = s.dld_end_time;
        return s.file_qury_no;
      },
    );
    return {
      fileinfo: { file_qury_no: r.rslt_file_qury_no, filename, dld_endtime: `${dld_end_time} 23:59:59` },
      stmtinfo: { setl_optins: d.setl_optins, stmt_rslt: r.stmt_rslt, stmt_rslt_dscr: r.stmt_rslt_dscr, ...centreOut(r.stmt_id, r.centre), file_row_cnt: rows.length, dif_cnt: r.difs.length },
    };
  },
});
