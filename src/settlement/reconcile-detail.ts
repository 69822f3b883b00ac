/**
 * 3202 对明细账: the institution's detail file (uploaded with 9101) compared row by row with the platform's
 * settlement rows of the same filter (reconcile.ts), plus the totals the institution declares. Owns the file's
 * format and the comparison; the gateway only finds the file, unzips it and stores the result file.
 *
 * Detail file: UTF-8 text (a BOM is ignored), one settlement or reversal per line, values separated by tabs, no
 * header (a first line starting with "setl_id" is skipped), columns in DETAIL_COLUMNS order; msgid may be left
 * out. A reversal row has refd_setl_flag 1 and its own setl_id with negative amounts, exactly as 2208/2305 answered.
 *
 * Differences (stmt_dif_type): 1 中心无此结算 — a row of the file that is not a settlement of the filter at the
 * centre; 2 机构无此结算 — a centre row missing from the file; 3 金额或退费标志不符 — same setl_id, another
 * medfee_sumamt, fund_pay_sumamt, acct_pay or refd_setl_flag. The run (stmt_run) and its differences (stmt_dif)
 * are written in one transaction together with whatever the caller stores as the result file.
 */
import type { Transaction } from 'kysely';
import type { Tables } from '../platform/db.js';
import type { FieldProblem } from '../platform/errors.js';
import { validationError } from '../platform/errors.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { checkFilter, filteredSettlements, judge, newStmtId, platformTotals, recordRun, runColumns, STMT_RSLT, type StmtFilter, type StmtRequester, type StmtTotals } from './reconcile.js';

/** Columns of a detail-file line, in order (msgid optional). */
export const DETAIL_COLUMNS = ['setl_id', 'mdtrt_id', 'psn_no', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'refd_setl_flag', 'msgid'] as const;

/** Columns of a result-file line (reference §3.13, openhis Output_3202), in order. */
export const RESULT_COLUMNS = ['psn_no', 'mdtrt_id', 'setl_id', 'msgid', 'stmt_rslt', 'refd_setl_flag', 'memo', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay'] as const;

/** A settlement row as either side sees it (amounts in fen). */
export interface DetailRow {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  acct_pay: Fen;
  refd_setl_flag: '0' | '1';
  msgid: string | null;
}

export interface DifRow {
  dif_type: '1' | '2' | '3';
  setl_id: string;
  /** The institution's row (absent for type 2). */
  medins: DetailRow | null;
  /** The platform's row (absent for type 1). */
  centre: DetailRow | null;
  memo: string;
}

const MAX_PROBLEMS = 20;

/** Parses the detail file; every bad line and field is named (1-based line numbers), nothing is half-read. */
export function parseDetailFile(text: string): DetailRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: DetailRow[] = [];
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  lines.forEach((raw, i) => {
    const row = i + 1;
    if (!raw.trim() || (i === 0 && raw.trim().startsWith('setl_id'))) return;
    const v = raw.split('\t').map((x) => x.trim());
    if (v.length < 7 || v.length > 8) {
      problems.push({ row, message: `应有 7 或 8 列（以制表符分隔），实际 ${v.length} 列` });
      return;
    }
    const bad = (field: string, message: string) => problems.push({ row, field, message });
    const [setl_id, mdtrt_id, psn_no, medfee, fund, acct, flag, msgid] = v as [string, string, string, string, string, string, string, string | undefined];
    if (!setl_id) bad('setl_id', '缺少结算ID');
    if (!mdtrt_id) bad('mdtrt_id', '缺少就诊ID');
    if (!psn_no) bad('psn_no', '缺少人员编号');
    const money = (field: string, s: string): Fen => {
      try {
        return yuanToFen(s, field);
      } catch {
        bad(field, `“${s}”应为最多两位小数的金额`);
        return 0;
      }
    };
    const amounts = { medfee_sumamt: money('medfee_sumamt', medfee), fund_pay_sumamt: money('fund_pay_sumamt', fund), acct_pay: money('acct_pay', acct) };
    if (flag !== '0' && flag !== '1') bad('refd_setl_flag', `“${flag}”应为 0 或 1`);
    const dup = seen.get(setl_id);
    if (setl_id && dup !== undefined) bad('setl_id', `结算ID ${setl_id} 与第 ${dup} 行重复`);
    else if (setl_id) seen.set(setl_id, row);
    rows.push({ setl_id, mdtrt_id, psn_no, ...amounts, refd_setl_flag: flag === '1' ? '1' : '0', msgid: msgid || null });
  });
  if (problems.length) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    throw validationError(`对账明细文件有误（${problems.length} 处${problems.length > MAX_PROBLEMS ? `，列出前 ${MAX_PROBLEMS} 处` : ''}）`, shown);
  }
  return rows;
}

const AMOUNTS = [
  ['medfee_sumamt', '医疗费总额'],
  ['fund_pay_sumamt', '基金支付总额'],
  ['acct_pay', '个人账户支付'],
] as const;

/** The row-by-row comparison (pure): file order first, then the centre's rows missing from the file. */
export function compareDetail(file: readonly DetailRow[], centre: readonly DetailRow[]): DifRow[] {
  const byId = new Map(centre.map((c) => [c.setl_id, c]));
  const inFile = new Set<string>();
  const out: DifRow[] = [];
  for (const m of file) {
    inFile.add(m.setl_id);
    const c = byId.get(m.setl_id);
    if (!c) {
      out.push({ dif_type: '1', setl_id: m.setl_id, medins: m, centre: null, memo: `中心无此结算：结算ID ${m.setl_id} 不是本机构本期（按条件）的结算` });
      continue;
    }
    const off: string[] = AMOUNTS.filter(([k]) => m[k] !== c[k]).map(([k, name]) => `${name}机构${fenToYuan(m[k])}、中心${fenToYuan(c[k])}`);
    if (m.refd_setl_flag !== c.refd_setl_flag) off.push(`退费结算标志机构${m.refd_setl_flag}、中心${c.refd_setl_flag}`);
    if (off.length) out.push({ dif_type: '3', setl_id: m.setl_id, medins: m, centre: c, memo: `金额不符：${off.join('；')}` });
  }
  for (const c of centre) {
    if (!inFile.has(c.setl_id)) out.push({ dif_type: '2', setl_id: c.setl_id, medins: null, centre: c, memo: `机构无此结算：中心结算ID ${c.setl_id}（${c.refd_setl_flag === '1' ? '撤销' : '结算'}）不在明细文件中` });
  }
  return out;
}

/** One result-file line per difference: the centre's row where it has one, else the institution's. */
export function resultFileText(difs: readonly DifRow[]): string {
  const lines = difs.map((d) => {
    const r = (d.centre ?? d.medins)!;
    const vals: Record<(typeof RESULT_COLUMNS)[number], string> = {
      psn_no: r.psn_no,
      mdtrt_id: r.mdtrt_id,
      setl_id: d.setl_id,
      msgid: r.msgid ?? '',
      stmt_rslt: STMT_RSLT.unbalanced,
      refd_setl_flag: r.refd_setl_flag,
      memo: d.memo.replace(/[\t\r\n]+/g, ' '),
      medfee_sumamt: fenToYuan(r.medfee_sumamt),
      fund_pay_sumamt: fenToYuan(r.fund_pay_sumamt),
      acct_pay: fenToYuan(r.acct_pay),
    };
    return RESULT_COLUMNS.map((c) => vals[c]).join('\t');
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** 3202 input: the filter, the uploaded file's rows and the institution's declared totals (fen). */
export interface DetailInput extends StmtFilter {
  file_qury_no: string;
  rows: DetailRow[];
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  cash_payamt: Fen;
  fixmedins_setl_cnt: number;
}

export interface DetailResult {
  stmt_id: string;
  stmt_rslt: '0' | '1';
  stmt_rslt_dscr: string;
  centre: StmtTotals;
  difs: DifRow[];
  /** What the caller's result-file writer returned. */
  rslt_file_qury_no: string;
}

/** Stores the result file inside the run's transaction; returns its file_qury_no. */
export type ResultWriter = (trx: Transaction<Tables>, stmt_id: string, text: string, difs: readonly DifRow[]) => Promise<string>;

/** The centre's rows of the filter, in settlement order. */
async function centreRows(trx: Transaction<Tables>, f: StmtFilter): Promise<DetailRow[]> {
  const rows = await filteredSettlements(trx, f)
    .select(['setl_id', 'mdtrt_id', 'psn_no', 'medins_setl_id', 'refd_setl_flag', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay'])
    .orderBy('setl_time')
    .orderBy('setl_id')
    .execute();
  return rows.map((s) => ({ setl_id: s.setl_id, mdtrt_id: s.mdtrt_id, psn_no: s.psn_no, msgid: s.medins_setl_id, refd_setl_flag: s.refd_setl_flag, medfee_sumamt: yuanToFen(s.medfee_sumamt), fund_pay_sumamt: yuanToFen(s.fund_pay_sumamt), acct_pay: yuanToFen(s.acct_pay) }));
}

/** 3202: compares, records the run with its differences and the result file (one transaction). */
export async function reconcileDetail(r: StmtRequester, input: DetailInput, writeResult: ResultWriter): Promise<DetailResult> {
  await checkFilter(r.db, input);
  const stmt_id = await newStmtId(r);
  return r.db.k.transaction().execute(async (trx) => {
    const centre = await platformTotals(trx, input);
    const difs = compareDetail(input.rows, await centreRows(trx, input));
    const counts = [1, 2, 3].map((t) => difs.filter((d) => d.dif_type === String(t)).length);
    const extra = difs.length ? [`明细不符 ${difs.length} 笔（中心无 ${counts[0]}、机构无 ${counts[1]}、金额不符 ${counts[2]}），详见结果文件`] : [];
    const verdict = judge(
      [
        { name: '医疗费总额', medins: input.medfee_sumamt, centre: centre.medfee_sumamt, money: true },
        { name: '基金支付总额', medins: input.fund_pay_sumamt, centre: centre.fund_pay_sumamt, money: true },
        { name: '现金支付金额', medins: input.cash_payamt, centre: centre.cash_payamt, money: true },
        { name: '结算笔数', medins: input.fixmedins_setl_cnt, centre: centre.setl_cnt, money: false },
      ],
      extra,
    );
    const rslt_file_qury_no = await writeResult(trx, stmt_id, resultFileText(difs), difs);
    await recordRun(trx, r, {
      stmt_id,
      infno: '3202',
      opter_id: r.opter_id,
      opter_name: r.opter_name,
      msgid: r.msgid,
      file_qury_no: input.file_qury_no,
      ...runColumns(input, centre),
      medins_medfee_sumamt: fenToYuan(input.medfee_sumamt),
      medins_fund_pay_sumamt: fenToYuan(input.fund_pay_sumamt),
      medins_acct_pay: null,
      medins_cash_payamt: fenToYuan(input.cash_payamt),
      medins_setl_cnt: input.fixmedins_setl_cnt,
      file_row_cnt: input.rows.length,
      dif_cnt: difs.length,
      rslt_file_qury_no,
      ...verdict,
    });
    const money = (v: Fen | undefined) => (v === undefined ? null : fenToYuan(v));
    for (let i = 0; i < difs.length; i += 500) {
      await trx
        .insertInto('stmt_dif')
        .values(
          difs.slice(i, i + 500).map((d, j) => {
            const any = (d.centre ?? d.medins)!;
            return {
              stmt_id,
              seq: i + j + 1,
              dif_type: d.dif_type,
              setl_id: d.setl_id,
              mdtrt_id: any.mdtrt_id,
              psn_no: any.psn_no,
              msgid: any.msgid,
              refd_setl_flag: any.refd_setl_flag,
              medins_medfee_sumamt: money(d.medins?.medfee_sumamt),
              medins_fund_pay_sumamt: money(d.medins?.fund_pay_sumamt),
              medins_acct_pay: money(d.medins?.acct_pay),
              medfee_sumamt: money(d.centre?.medfee_sumamt),
              fund_pay_sumamt: money(d.centre?.fund_pay_sumamt),
              acct_pay: money(d.centre?.acct_pay),
              memo: d.memo,
            };
          }),
        )
        .execute();
    }
    return { stmt_id, ...verdict, centre, difs, rslt_file_qury_no };
  });
}
