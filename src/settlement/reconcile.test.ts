/**
 * Reconciliation through the gateway as a HIS does it: three outpatient settlements and one reversal today, then
 * 3201 对总账 (with and without reversal rows, balanced and off by one 分) and 9101 → 3202 → 9102 对明细账 (a file
 * that matches, and one with a missing, an extra and a differing row). Expected totals come from the 2207/2208
 * answers, not from the SQL under test. Every run is recorded; bad input writes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { fenToYuan, yuanToFen } from '../platform/money.js';
import { addDays, beijingDate, beijingDateTime } from '../platform/time.js';
import { newMsgid } from '../gateway/testing.js';
import { settleEncounter } from './settle.js';
import type { Caller } from './types.js';
import { zip, unzip } from '../gateway/zip.js';
import { FILE_UPLOAD_MAX_CHARS } from '../gateway/envelope.js';
import { compareDetail, parseDetailFile, resultFileText, type DetailRow } from './reconcile-detail.js';
import { HOSPITAL, hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;
const today = beijingDate();
const period = { stmt_begndate: addDays(today, -1), stmt_enddate: addDays(today, 1) };

interface Wire {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  refd: '0' | '1';
  medfee: number;
  fund: number;
  acct: number;
  cash: number;
}
/** Every settlement and reversal answered today, as the HIS recorded them (fen). */
const wires: Wire[] = [];

const f = (yuan: number) => yuanToFen(String(yuan));
const total = (rows: Wire[], k: 'medfee' | 'fund' | 'acct' | 'cash') => fenToYuan(rows.reduce((s, r) => s + r[k], 0));

/** Registers, uploads two lines (1,200 or 100 tablets) and settles; a big bill passes the deductible (fund pays). */
async function settle(psn_no: string, no: string, big = false): Promise<Wire> {
  const mdtrt_id = await registerVisit(w, psn_no, no);
  const lines = [hisFeeLine(mdtrt_id, psn_no, 'F1', 'XA10BAE001A001010100001', '0.95', big ? '1200' : '100', big ? '1140.00' : '95.00'), hisFeeLine(mdtrt_id, psn_no, 'F2', 'XG04CAE002A002010100002', '18.50', '2', '37.00')];
  expect((await w.call('2204', { feedetail: lines })).err_msg).toBeNull();
  const a = await w.call<{ setlinfo: Record<string, number | string> }>('2207', outpatientSettleData(psn_no, mdtrt_id, big ? '1177.00' : '132.00'));
  expect(a.err_msg).toBeNull();
  const s = a.output.setlinfo;
  const row: Wire = { setl_id: String(s.setl_id), mdtrt_id, psn_no, refd: '0', medfee: f(Number(s.medfee_sumamt)), fund: f(Number(s.fund_pay_sumamt)), acct: f(Number(s.acct_pay)), cash: f(Number(s.psn_cash_pay)) };
  wires.push(row);
  return row;
}

beforeAll(async () => {
  w = await settlementWorld();
  await settle(w.people.zhang, 'RC-1');
  const second = await settle(w.people.zhao, 'RC-2', true);
  await settle(w.people.sun, 'RC-3', true);
  const r = await w.call<{ setlinfo: Record<string, number | string> }>('2208', { data: { setl_id: second.setl_id, mdtrt_id: second.mdtrt_id, psn_no: second.psn_no, exp_content: '' } });
  expect(r.err_msg).toBeNull();
  const s = r.output.setlinfo;
  wires.push({ setl_id: String(s.setl_id), mdtrt_id: second.mdtrt_id, psn_no: second.psn_no, refd: '1', medfee: f(Number(s.medfee_sumamt)), fund: f(Number(s.fund_pay_sumamt)), acct: f(Number(s.acct_pay)), cash: f(Number(s.psn_cash_pay)) });
}, 300_000);
afterAll(async () => w.close());

const runs = async () => Number((await sql<{ n: number }>`select count(*)::int8 as n from stmt_run`.execute(w.db.k)).rows[0]!.n);

/** 3201 data as a HIS sends it: strings everywhere, empty strings for what it leaves out. */
function data3201(rows: Wire[], over: Record<string, string> = {}) {
  return { data: { insutype: '310', clr_type: '11', setl_optins: '990100', ...period, medfee_sumamt: total(rows, 'medfee'), fund_pay_sumamt: total(rows, 'fund'), acct_pay: total(rows, 'acct'), fixmedins_setl_cnt: String(rows.length), refd_setl_flag: '', ...over } };
}

type Stmtinfo = Record<string, unknown>;

describe('3201 医药机构费用结算对总账', () => {
  test('balanced with the reversal rows (refd_setl_flag empty): each reversal is one 笔 with negative amounts', async () => {
    expect(wires.map((x) => x.refd)).toEqual(['0', '0', '0', '1']);
    expect(wires[3]!.medfee).toBe(-wires[1]!.medfee);
    expect(wires[2]!.fund).toBeGreaterThan(0); // the fund pays: every figure is exercised
    expect(wires[3]!.fund).toBe(-wires[1]!.fund);
    const a = await w.call<{ stmtinfo: Stmtinfo }>('3201', data3201(wires));
    expect(a.err_msg).toBeNull();
    expect(Object.keys(a.output)).toEqual(['stmtinfo']);
    expect(a.output.stmtinfo).toEqual({
      setl_optins: '990100',
      stmt_rslt: '0',
      stmt_rslt_dscr: '对账平：共4 笔',
      stmt_id: expect.stringMatching(/^990100\d{8}9\d{11}$/),
      medfee_sumamt: Number(total(wires, 'medfee')),
      fund_pay_sumamt: Number(total(wires, 'fund')),
      acct_pay: Number(total(wires, 'acct')),
      cash_payamt: Number(total(wires, 'cash')),
      setl_cnt: 4,
    });
  });

  test('REFD_SETL_FLAG 0 (upper-case, as some clients send it) leaves the reversal rows out', async () => {
    const settled = wires.filter((x) => x.refd === '0');
    const a = await w.call<{ stmtinfo: Stmtinfo }>('3201', data3201(settled, { refd_setl_flag: '', REFD_SETL_FLAG: '0' }));
    expect(a.output.stmtinfo).toMatchObject({ stmt_rslt: '0', setl_cnt: 3, medfee_sumamt: Number(total(settled, 'medfee')) });
  });

  test('dates sent as date-times (one client sends yyyy-MM-dd HH:mm:ss) count by their date', async () => {
    const a = await w.call<{ stmtinfo: Stmtinfo }>('3201', data3201(wires, { stmt_begndate: `${period.stmt_begndate} 00:00:00`, stmt_enddate: `${period.stmt_enddate} 23:59:59` }));
    expect(a.output.stmtinfo).toMatchObject({ stmt_rslt: '0', setl_cnt: 4 });
  });

  test('one 分 and one 笔 off: 不平, the description names both sides, the run is recorded with who and what', async () => {
    const body = data3201(wires, { medfee_sumamt: fenToYuan(wires.reduce((s, r) => s + r.medfee, 0) + 1), fixmedins_setl_cnt: '3' });
    const a = await w.call<{ stmtinfo: Stmtinfo }>('3201', body);
    expect(a.output.stmtinfo.stmt_rslt).toBe('1');
    expect(a.output.stmtinfo.stmt_rslt_dscr).toBe(`对账不平：医疗费总额机构${body.data.medfee_sumamt} 元、中心${total(wires, 'medfee')} 元；结算笔数机构3 笔、中心4 笔`);
    const run = await w.db.k.selectFrom('stmt_run').selectAll().where('stmt_id', '=', String(a.output.stmtinfo.stmt_id)).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ infno: '3201', fixmedins_code: HOSPITAL, opter_id: '0001', opter_name: '王收费', insutype: '310', clr_type: '11', stmt_begndate: period.stmt_begndate, stmt_enddate: period.stmt_enddate, refd_setl_flag: '1', medins_medfee_sumamt: body.data.medfee_sumamt, medfee_sumamt: total(wires, 'medfee'), medins_setl_cnt: 3, setl_cnt: 4, stmt_rslt: '1' });
    const log = await w.db.k.selectFrom('opt_log').select(['action', 'opter_id']).where('target_id', '=', run.stmt_id).execute();
    expect(log).toEqual([{ action: 'stmt.3201', opter_id: HOSPITAL }]);
  });

  test('another institution, clearing type or period has no settlements: zeros against the institution’s totals', async () => {
    const other = await w.call<{ stmtinfo: Stmtinfo }>('3201', data3201(wires), { inst: 'H99010200003' });
    expect(other.output.stmtinfo).toMatchObject({ stmt_rslt: '1', medfee_sumamt: 0, fund_pay_sumamt: 0, setl_cnt: 0 });
    expect(other.output.stmtinfo.stmt_rslt_dscr).toContain(`基金支付总额机构${total(wires, 'fund')} 元、中心0.00 元`);
    const a = await w.call<{ stmtinfo: Stmtinfo }>('3201', data3201(wires, { clr_type: '21' }));
    expect(a.output.stmtinfo).toMatchObject({ stmt_rslt: '1', medfee_sumamt: 0, setl_cnt: 0 });
    const b = await w.call<{ stmtinfo: Stmtinfo }>('3201', data3201([], { stmt_begndate: '2020-01-01', stmt_enddate: '2020-01-31' }));
    expect(b.output.stmtinfo).toMatchObject({ stmt_rslt: '0', stmt_rslt_dscr: '对账平：共0 笔', setl_cnt: 0 });
  });

  test.each([
    ['end before start', { stmt_begndate: '2026-02-01', stmt_enddate: '2026-01-01' }, '对账期间有误：对账结束日期 2026-01-01 早于开始日期 2026-02-01'],
    ['three decimals', { medfee_sumamt: '1.005' }, '医疗费总额“1.005”应为最多两位小数的金额'],
    ['unknown insutype', { insutype: '999' }, 'insutype：“999”不是有效的险种类型代码'],
    ['missing setl_optins', { setl_optins: '' }, '交易输入有误'],
  ])('bad input (%s) is refused and writes nothing', async (_n, over, msg) => {
    const before = await runs();
    const a = await w.call('3201', data3201(wires, over));
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain(msg);
    expect(await runs()).toBe(before);
  });
});

/** The detail file a HIS writes: tab-separated, one row per settlement or reversal. */
const detailLine = (x: Wire, over: Partial<Record<'medfee' | 'refd', string>> = {}) => [x.setl_id, x.mdtrt_id, x.psn_no, over.medfee ?? fenToYuan(x.medfee), fenToYuan(x.fund), fenToYuan(x.acct), over.refd ?? x.refd].join('\t');

async function upload(text: string, asZip = true): Promise<string> {
  const bytes = asZip ? zip([{ name: 'detail.txt', data: Buffer.from(text, 'utf8') }]) : Buffer.from(text, 'utf8');
  const a = await w.call<{ file_qury_no: string; filename: string; fixmedins_code: string; dld_endtime: string }>('9101', { fsUploadIn: { in: bytes.toString('base64'), filename: 'detail.zip', fixmedins_code: HOSPITAL } });
  expect(a.err_msg).toBeNull();
  expect(a.output).toEqual({ file_qury_no: expect.stringMatching(/^fsi\/up\/[0-9a-f]{20}$/), filename: 'detail.zip', fixmedins_code: HOSPITAL, dld_endtime: `${addDays(today, 7)} 23:59:59` });
  return a.output.file_qury_no;
}

function data3202(file_qury_no: string, rows: Wire[], over: Record<string, string> = {}) {
  return { data: { setl_optins: '990100', file_qury_no, ...period, medfee_sumamt: total(rows, 'medfee'), fund_pay_sumamt: total(rows, 'fund'), cash_payamt: total(rows, 'cash'), fixmedins_setl_cnt: String(rows.length), clr_type: '11', ...over } };
}

async function download(file_qury_no: string): Promise<string[]> {
  const res = await w.post(w.envelope('9102', { fsDownloadIn: { file_qury_no, filename: '', fixmedins_code: HOSPITAL } }, { sign_no: w.signNo }));
  expect(res.headers['content-type']).toContain('application/octet-stream');
  const [entry] = unzip(res.rawPayload);
  return Buffer.from(entry!.data).toString('utf8').split('\n').filter(Boolean);
}

interface Answer3202 {
  fileinfo: { file_qury_no: string; filename: string; dld_endtime: string };
  stmtinfo: Stmtinfo;
}

describe('3201 counts each settlement on its Beijing date', () => {
  /** An outpatient visit of 1 March 2025 settled by a request that arrived at `at` (the service takes it as given). */
  async function settleAt(psn_no: string, no: string, at: Date): Promise<Wire> {
    const mdtrt_id = await registerVisit(w, psn_no, no, { begntime: '2025-03-01 09:00:00' });
    expect((await w.call('2204', { feedetail: [hisFeeLine(mdtrt_id, psn_no, 'F1', 'XA10BAE001A001010100001', '0.95', '100', '95.00', { fee_ocur_time: '2025-03-01 10:05:00' })] })).err_msg).toBeNull();
    const institution = await w.db.k.selectFrom('fixmedins').selectAll().where('fixmedins_code', '=', HOSPITAL).orderBy('begndate', 'desc').limit(1).executeTakeFirstOrThrow();
    const caller: Caller = { db: w.db, actor: { id: HOSPITAL, name: institution.fixmedins_name, admdvs: [] }, institution, msgid: newMsgid(HOSPITAL), at, today: beijingDate(at), mdtrtarea_admvs: '990100' };
    const out = await settleEncounter(caller, '1', { mdtrt_id, psn_no, insutype: '310', med_type: '11', mdtrt_cert_type: '02', medfee_sumamt: 9500, psn_setlway: '01', acct_used_flag: '0' });
    const s = out.setlinfo;
    expect(s.setl_time).toBe(beijingDateTime(at));
    return { setl_id: String(s.setl_id), mdtrt_id, psn_no, refd: '0', medfee: f(s.medfee_sumamt), fund: f(s.fund_pay_sumamt), acct: f(s.acct_pay), cash: f(s.psn_cash_pay) };
  }

  test('23:59:59 and 00:00:00 (+08:00) fall on two days, though both instants are 1 March in UTC', async () => {
    const late = await settleAt(w.people.zhang, 'RC-MIDNIGHT-1', new Date('2025-03-01T23:59:59+08:00'));
    const next = await settleAt(w.people.sun, 'RC-MIDNIGHT-2', new Date('2025-03-02T00:00:00+08:00'));
    const day = (d: string, rows: Wire[]) => w.call<{ stmtinfo: Stmtinfo }>('3201', data3201(rows, { stmt_begndate: d, stmt_enddate: d }));
    const first = await day('2025-03-01', [late]);
    expect(first.output.stmtinfo).toMatchObject({ stmt_rslt: '0', setl_cnt: 1, medfee_sumamt: 95 });
    const second = await day('2025-03-02', [next]);
    expect(second.output.stmtinfo).toMatchObject({ stmt_rslt: '0', setl_cnt: 1, medfee_sumamt: 95 });
    // an institution that counts by UTC date would declare both on 1 March: one 笔 too many
    const utc = await day('2025-03-01', [late, next]);
    expect(utc.output.stmtinfo.stmt_rslt_dscr).toBe('对账不平：医疗费总额机构190.00 元、中心95.00 元；结算笔数机构2 笔、中心1 笔');
    const both = await w.call<{ stmtinfo: Stmtinfo }>('3201', data3201([late, next], { stmt_begndate: '2025-03-01', stmt_enddate: '2025-03-02' }));
    expect(both.output.stmtinfo).toMatchObject({ stmt_rslt: '0', setl_cnt: 2 });
  });
});

describe('9101 → 3202 医药机构费用结算对明细账 → 9102', () => {
  test('a file that matches every row: 对账平, an empty result file', async () => {
    const no = await upload(`${wires.map((x) => detailLine(x)).join('\r\n')}\r\n`);
    const a = await w.call<Answer3202>('3202', data3202(no, wires));
    expect(a.err_msg).toBeNull();
    expect(Object.keys(a.output)).toEqual(['fileinfo', 'stmtinfo']);
    expect(a.output.fileinfo).toEqual({ file_qury_no: expect.stringMatching(/^fsi\/rc\/[0-9a-f]{20}$/), filename: expect.stringMatching(/^3202_\d{14}\.zip$/), dld_endtime: `${addDays(today, 7)} 23:59:59` });
    expect(a.output.stmtinfo).toMatchObject({ setl_optins: '990100', stmt_rslt: '0', stmt_rslt_dscr: '对账平：共4 笔', setl_cnt: 4, file_row_cnt: 4, dif_cnt: 0, cash_payamt: Number(total(wires, 'cash')) });
    expect(await download(a.output.fileinfo.file_qury_no)).toEqual([]);
  });

  test('missing, extra and differing rows: 不平, each in the result file and in stmt_dif', async () => {
    const [a1, a2, a3, rev] = wires as [Wire, Wire, Wire, Wire];
    const extra = `99010020250101200000000099\tX1\t${a1.psn_no}\t10.00\t5.00\t0.00\t0`;
    const text = ['setl_id\tmdtrt_id\tpsn_no\tmedfee_sumamt\tfund_pay_sumamt\tacct_pay\trefd_setl_flag', detailLine(a1), detailLine(a2, { medfee: fenToYuan(a2.medfee + 100) }), detailLine(a3), extra].join('\n');
    const no = await upload(text, false);
    const a = await w.call<Answer3202>('3202', data3202(no, wires));
    expect(a.output.stmtinfo).toMatchObject({ stmt_rslt: '1', file_row_cnt: 4, dif_cnt: 3 });
    expect(a.output.stmtinfo.stmt_rslt_dscr).toBe('对账不平：明细不符 3 笔（中心无 1、机构无 1、金额不符 1），详见结果文件');
    const lines = (await download(a.output.fileinfo.file_qury_no)).map((l) => l.split('\t'));
    expect(lines).toEqual([
      [a2.psn_no, a2.mdtrt_id, a2.setl_id, expect.any(String), '1', '0', `金额不符：医疗费总额机构${fenToYuan(a2.medfee + 100)}、中心${fenToYuan(a2.medfee)}`, fenToYuan(a2.medfee), fenToYuan(a2.fund), fenToYuan(a2.acct)],
      [a1.psn_no, 'X1', '99010020250101200000000099', '', '1', '0', '中心无此结算：结算ID 99010020250101200000000099 不是本机构本期（按条件）的结算', '10.00', '5.00', '0.00'],
      [rev.psn_no, rev.mdtrt_id, rev.setl_id, expect.stringMatching(/^H99010200001\d{18}$/), '1', '1', `机构无此结算：中心结算ID ${rev.setl_id}（撤销）不在明细文件中`, fenToYuan(rev.medfee), fenToYuan(rev.fund), fenToYuan(rev.acct)],
    ]);
    const difs = await w.db.k.selectFrom('stmt_dif').select(['seq', 'dif_type', 'setl_id', 'medins_medfee_sumamt', 'medfee_sumamt']).where('stmt_id', '=', String(a.output.stmtinfo.stmt_id)).orderBy('seq').execute();
    expect(difs).toEqual([
      { seq: 1, dif_type: '3', setl_id: a2.setl_id, medins_medfee_sumamt: fenToYuan(a2.medfee + 100), medfee_sumamt: fenToYuan(a2.medfee) },
      { seq: 2, dif_type: '1', setl_id: '99010020250101200000000099', medins_medfee_sumamt: '10.00', medfee_sumamt: null },
      { seq: 3, dif_type: '2', setl_id: rev.setl_id, medins_medfee_sumamt: null, medfee_sumamt: fenToYuan(rev.medfee) },
    ]);
    const run = await w.db.k.selectFrom('stmt_run').select(['infno', 'file_qury_no', 'rslt_file_qury_no', 'dif_cnt']).where('stmt_id', '=', String(a.output.stmtinfo.stmt_id)).executeTakeFirstOrThrow();
    expect(run).toEqual({ infno: '3202', file_qury_no: no, rslt_file_qury_no: a.output.fileinfo.file_qury_no, dif_cnt: 3 });
  });

  test('9101 also takes the file as a JSON byte array (signed Java bytes)', async () => {
    const bytes = [...Buffer.from(`${wires.map((x) => detailLine(x)).join('\n')}\n`, 'utf8')].map((b) => (b > 127 ? b - 256 : b));
    const up = await w.call<{ file_qury_no: string }>('9101', { fsUploadIn: { in: bytes, filename: 'detail.txt', fixmedins_code: '' } });
    const a = await w.call<Answer3202>('3202', data3202(up.output.file_qury_no, wires));
    expect(a.output.stmtinfo).toMatchObject({ stmt_rslt: '0', dif_cnt: 0 });
  });

  test.each([
    ['a bad amount and a bad flag', 'A\tB\tC\t1.001\t0\t0\t2\n', '对账明细文件有误（2 处）'],
    ['too few columns', 'A\tB\tC\n', '对账明细文件有误（1 处）'],
  ])('a bad detail file (%s) is refused naming the line; nothing is recorded', async (_n, text, msg) => {
    const no = await upload(text);
    const before = await runs();
    const a = await w.call('3202', data3202(no, wires));
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain(msg);
    expect(a.err_msg).toContain('第1行');
    expect(await runs()).toBe(before);
  });

  test('9101 takes a detail file far above the 40,000-character input cap (2,004 rows, not zipped); other transactions keep that cap', async () => {
    const extra = Array.from({ length: 2000 }, (_, i) => `9901002025010120000${String(i).padStart(7, '0')}\tX${i}\t${wires[0]!.psn_no}\t10.00\t5.00\t0.00\t0`);
    const text = [...wires.map((x) => detailLine(x)), ...extra].join('\n');
    expect(Buffer.from(text).toString('base64').length).toBeGreaterThan(40_000);
    const no = await upload(text, false);
    const a = await w.call<Answer3202>('3202', data3202(no, wires));
    expect(a.err_msg).toBeNull();
    expect(a.output.stmtinfo).toMatchObject({ stmt_rslt: '1', file_row_cnt: 2004, dif_cnt: 2000 });
    const big = await w.call('3201', { data: { ...data3201(wires).data, memo: 'x'.repeat(40_000) } });
    expect(big.err_msg).toMatch(/^交易输入 input 超过 40000 个字符（实际 40\d{3} 个），请分批上传$/);
  });

  test('9101 has a cap of its own: an input over 20 MB characters is refused in Chinese and stores nothing', async () => {
    const files = async () => Number((await sql<{ n: number }>`select count(*)::int8 as n from gateway_file`.execute(w.db.k)).rows[0]!.n);
    const before = await files();
    const a = await w.call('9101', { fsUploadIn: { in: 'QUJD'.repeat(FILE_UPLOAD_MAX_CHARS / 4 + 1), filename: 'huge.txt', fixmedins_code: '' } });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toMatch(new RegExp(`^交易输入 input 超过 ${FILE_UPLOAD_MAX_CHARS} 个字符（实际 \\d+ 个），请分批上传$`));
    expect(await files()).toBe(before);
  });

  test('an unknown file, another institution’s file and bad base64 are refused', async () => {
    const before = await runs();
    expect((await w.call('3202', data3202('fsi/up/00000000000000000000', wires))).err_msg).toBe('文件查询号 fsi/up/00000000000000000000 不存在，请先用 9101 上传文件');
    const theirs = await w.call<{ file_qury_no: string }>('9101', { fsUploadIn: { in: Buffer.from('x').toString('base64'), filename: 'a.txt', fixmedins_code: '' } }, { inst: 'H99010200003' });
    expect(theirs.err_msg).toBeNull();
    expect((await w.call('3202', data3202(theirs.output.file_qury_no, wires))).err_msg).toContain('不存在');
    expect((await w.call('9101', { fsUploadIn: { in: '***', filename: 'a.txt', fixmedins_code: '' } })).err_msg).toContain('Base64');
    expect((await w.call('9101', { fsUploadIn: { in: 'QQ==', filename: 'a.txt', fixmedins_code: 'H00000000000' } })).err_msg).toContain('不一致');
    expect(await runs()).toBe(before);
  });
});

describe('the comparison itself', () => {
  const row = (setl_id: string, medfee: number, refd: '0' | '1' = '0'): DetailRow => ({ setl_id, mdtrt_id: 'M', psn_no: 'P', medfee_sumamt: medfee, fund_pay_sumamt: 0, acct_pay: 0, refd_setl_flag: refd, msgid: null });

  test('a flag difference alone is a difference; equal rows are not', () => {
    const d = compareDetail([row('A', 100), row('B', 200, '1')], [row('A', 100), row('B', 200, '0')]);
    expect(d.map((x) => [x.dif_type, x.setl_id, x.memo])).toEqual([['3', 'B', '金额不符：退费结算标志机构1、中心0']]);
    expect(resultFileText([])).toBe('');
  });

  test('a duplicated setl_id in the file is refused with both lines', () => {
    expect(() => parseDetailFile('A\tM\tP\t1.00\t0\t0\t0\nA\tM\tP\t1.00\t0\t0\t0\n')).toThrow('对账明细文件有误（1 处）');
    try {
      parseDetailFile('A\tM\tP\t1.00\t0\t0\t0\nA\tM\tP\t1.00\t0\t0\t0\n');
    } catch (e) {
      expect((e as { problems: unknown[] }).problems).toEqual([{ row: 2, field: 'setl_id', message: '结算ID A 与第 1 行重复' }]);
    }
  });
});

