/**
 * The transactions on the existing services, called as a HIS calls them, each answer checked against the
 * transaction's output schema: 1101, 1201, 1301–1308 with 9102, 1312, 1318, 1319, 1901.
 */
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REGISTRY } from './registry.js';
import { issueEcToken } from './ectoken.js';
import { unzip } from './zip.js';
import { DIAGS, gatewayWorld, HOSPITAL, HOSPITAL_NAME, ITEMS, PERSONS, PROCS, type GatewayWorld } from './testing.js';

let w: GatewayWorld;
let signNo: string;

interface Answer<T = Record<string, unknown>> {
  infcode: number;
  err_msg: string | null;
  output: T;
}

/** Calls a transaction; on success checks the output against the registry's output schema. */
async function tx<T = Record<string, unknown>>(infno: string, input: unknown, over: Record<string, unknown> = {}): Promise<Answer<T>> {
  const res = await w.post(w.envelope(infno, input, { sign_no: signNo, ...over }));
  expect(res.statusCode).toBe(200);
  const a = res.json() as Answer<T>;
  if (a.infcode === 0) {
    const schema = REGISTRY.get(infno)!.output;
    const errors = [...Value.Errors(schema, a.output)].map((e) => `${e.path} ${e.message}`);
    expect(errors).toEqual([]);
  }
  return a;
}

beforeAll(async () => {
  w = await gatewayWorld();
  signNo = await w.signIn();
});
afterAll(async () => w.close());

interface View1101 {
  baseinfo: Record<string, unknown>;
  insuinfo: Record<string, unknown>[];
  idetinfo: unknown[];
}

describe('1101 人员信息获取', () => {
  test('by resident ID card (02): baseinfo, insuinfo with the account balance as a number, idetinfo', async () => {
    const a = await tx<View1101>('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.zhang.certno, card_sn: '', begntime: '', psn_cert_type: '01', certno: PERSONS.zhang.certno, psn_name: PERSONS.zhang.psn_name } });
    expect(a.infcode).toBe(0);
    expect(Object.keys(a.output)).toEqual(['baseinfo', 'insuinfo', 'idetinfo']);
    expect(a.output.baseinfo).toMatchObject({ psn_no: w.psn.zhang, psn_cert_type: '01', certno: PERSONS.zhang.certno, psn_name: PERSONS.zhang.psn_name, gend: '1', naty: '01', brdy: '1980-05-06', exp_content: null });
    expect(a.output.baseinfo.age).toBeTypeOf('number');
    expect(a.output.insuinfo).toEqual([expect.objectContaining({ insutype: '310', balc: 1373.63, psn_type: '1101', psn_insu_stas: '1', insuplc_admdvs: '990100', cvlserv_flag: '0', emp_name: '甲市某公司' })]);
    expect(a.output.idetinfo).toEqual([]);
  });

  test('by social-security card (03), the card number in mdtrt_cert_no', async () => {
    const a = await tx<View1101>('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: PERSONS.zhang.card_no, card_sn: 'E12345678', psn_cert_type: '' } });
    expect(a.infcode).toBe(0);
    expect(a.output.baseinfo.psn_no).toBe(w.psn.zhang);
  });

  test('02 with only certno filled (some clients) is accepted; a lower-case x is accepted', async () => {
    const a = await tx<View1101>('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '', certno: PERSONS.li.certno.toLowerCase() } });
    expect(a.infcode).toBe(0);
    expect(a.output.insuinfo).toEqual([expect.objectContaining({ insutype: '390', balc: 0 })]);
  });

  test('begntime asks for the insurance held on that date', async () => {
    const a = await tx<View1101>('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.li.certno, begntime: '2020-06-01 00:00:00' } });
    expect(a.infcode).toBe(0);
    expect(a.output.insuinfo).toEqual([]); // enrolled from 2021-01-01
  });

  test('by e-voucher (01): an ecToken bound to the person; an unknown or expired token is refused', async () => {
    const { ec_token } = await issueEcToken(w.db, w.psn.li);
    expect(ec_token).toMatch(/^990100ec[0-9a-f]{32}$/);
    const a = await tx<View1101>('1101', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: ec_token, psn_name: PERSONS.li.psn_name } });
    expect(a.infcode).toBe(0);
    expect(a.output.baseinfo.psn_no).toBe(w.psn.li);
    expect((await tx('1101', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: '990100ecdeadbeef' } })).err_msg).toBe('医保电子凭证无效，请参保人重新出示电子凭证');
    const old = await issueEcToken(w.db, w.psn.li, { ttlMinutes: 1, at: new Date(Date.now() - 5 * 60_000) });
    expect((await tx('1101', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: old.ec_token } })).err_msg).toBe('医保电子凭证已过期，请参保人重新出示电子凭证');
  });

  test.each([
    ['an unknown ID number', { mdtrt_cert_type: '02', mdtrt_cert_no: '990102199001010000' }, '未查询到该身份证号的参保人员信息'],
    ['an unknown card', { mdtrt_cert_type: '03', mdtrt_cert_no: 'A00000000' }, '未查询到该社会保障卡的参保人员信息'],
    ['a name that does not match', { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.zhang.certno, psn_name: '张三' }, '人员姓名与就诊凭证不符：字段data.psn_name：与就诊凭证不符'],
    ['no credential number', { mdtrt_cert_type: '03' }, '缺少就诊凭证编号：字段data.mdtrt_cert_no：缺少必填项'],
  ])('%s is refused', async (_name, data, message) => {
    const a = await tx('1101', { data });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toBe(message);
  });
});

describe('1201 医药机构信息获取', () => {
  test('by code, by name, by type; node medinsinfo (or data)', async () => {
    const byCode = await tx<{ medinsinfo: Record<string, string>[] }>('1201', { medinsinfo: { fixmedins_code: HOSPITAL, fixmedins_name: '', fixmedins_type: '' } });
    expect(byCode.output.medinsinfo).toEqual([{ fixmedins_code: HOSPITAL, fixmedins_name: HOSPITAL_NAME, uscc: expect.stringMatching(/^12990102/), fixmedins_type: '1', hosp_lv: '2' }]);
    const byName = await tx<{ medinsinfo: Record<string, string>[] }>('1201', { data: { fixmedins_name: '大药房' } });
    expect(byName.output.medinsinfo.map((m) => m.fixmedins_code)).toEqual(['P99010200002']);
    const byType = await tx<{ medinsinfo: Record<string, string>[] }>('1201', { medinsinfo: { fixmedins_type: 1 } });
    expect(byType.output.medinsinfo.map((m) => m.fixmedins_code)).toEqual([HOSPITAL]);
    const all = await tx<{ medinsinfo: unknown[] }>('1201', {});
    expect(all.output.medinsinfo).toHaveLength(2);
  });
});

interface PagedOut {
  data: Record<string, unknown>[];
  pageNum: number;
  pageSize: number;
  recordCounts: number;
  pages: number;
  size: number;
  startRow: number;
  endRow: number;
}

describe('paged catalogue queries', () => {
  test('1312 pages through the catalogue with the national row fields', async () => {
    const p1 = await tx<PagedOut>('1312', { data: { updt_time: '2020-01-01 00:00:00', page_num: '1', page_size: '4' } });
    expect(p1.output).toMatchObject({ pageNum: 1, pageSize: 4, recordCounts: ITEMS.length, pages: 2, size: 4, startRow: 1, endRow: 4 });
    const p2 = await tx<PagedOut>('1312', { data: { updt_time: '2020-01-01 00:00:00', page_num: 2, page_size: 4 } });
    expect(p2.output).toMatchObject({ pageNum: 2, size: ITEMS.length - 4, startRow: 5, endRow: ITEMS.length });
    const codes = [...p1.output.data, ...p2.output.data].map((r) => r.hilist_code);
    expect(new Set(codes).size).toBe(ITEMS.length);
    expect(p1.output.data[0]).toMatchObject({ rid: expect.any(String), vali_flag: '1', updt_time: '2024-01-01 00:00:00', poolarea_no: '990100' });
  });

  test('1312 filters by list type and by pinyin initials', async () => {
    const herbs = await tx<PagedOut>('1312', { data: { list_type: '103', page_num: 1, page_size: 10 } });
    expect(herbs.output.data.map((r) => r.hilist_name)).toEqual(['黄芪']);
    const py = await tx<PagedOut>('1312', { data: { pinyin: 'EJSG', page_num: 1, page_size: 10 } });
    expect(py.output.data.map((r) => r.hilist_name)).toEqual(['二甲双胍片']);
  });

  test('1312 refuses a missing page_size and one above 500', async () => {
    expect((await tx('1312', { data: { page_num: 1 } })).err_msg).toMatch(/字段data\.page_size：缺少必填项/);
    expect((await tx('1312', { data: { page_num: 1, page_size: 1000 } })).err_msg).toMatch(/字段data\.page_size：不能大于500/);
  });

  test('1318 answers the price caps per hospital level, amounts as numbers', async () => {
    const a = await tx<PagedOut>('1318', { data: { hilist_code: 'XA10BAE001A001010100001', page_num: 1, page_size: 10 } });
    expect(a.output.recordCounts).toBe(3);
    expect(a.output.data.map((r) => [r.hilist_lmtpric_type, r.hilist_pric_uplmt_amt])).toEqual([
      ['1', 0.9],
      ['2', 1],
      ['3', 1.1],
    ]);
  });

  test('1319 answers the self-pay-first ratios as numbers', async () => {
    const a = await tx<PagedOut>('1319', { data: { hilist_code: 'C0101010010100100001', query_date: '2025-01-01', page_num: 1, page_size: 10 } });
    expect(a.output.data).toEqual([expect.objectContaining({ hilist_code: 'C0101010010100100001', insutype: '*', selfpay_prop: 0.2, begndate: '2024-01-01', enddate: null })]);
  });
});

describe('1901 字典表查询', () => {
  test('answers the code table in camelCase rows under list', async () => {
    const a = await tx<{ list: Record<string, unknown>[] }>('1901', { data: { type: 'gend', parentValue: '', admdvs: '990100', date: '', valiFlag: '1' } });
    expect(a.output.list.length).toBeGreaterThan(0);
    expect(Object.keys(a.output.list[0]!)).toEqual(['type', 'label', 'value', 'parentValue', 'sort', 'valiFlag', 'createUser', 'createDate', 'version']);
    expect(a.output.list.find((r) => r.value === '1')).toMatchObject({ type: 'gend', label: '男', valiFlag: '1' });
  });

  test('an unknown table answers an empty list', async () => {
    expect((await tx<{ list: unknown[] }>('1901', { data: { type: 'no_such_table' } })).output.list).toEqual([]);
  });
});

describe('catalogue downloads 1301–1308 and 9102', () => {
  const fetch = async (file_qury_no: string) =>
    w.post(w.envelope('9102', { fsDownloadIn: { file_qury_no, filename: '', fixmedins_code: 'plc' } }, { sign_no: signNo }));

  test.each([
    ['1301', ['XA10BAE001A001010100001', 'XG04CAE002A002010100002', 'ZA01AAA0001B001010100']],
    ['1302', ['T000100222']],
    ['1305', ['001102000010000']],
    ['1306', ['C0101010010100100001']],
    ['1307', DIAGS.map((d) => d.code)],
    ['1308', PROCS.map((p) => p.code)],
  ])('%s names a file that 9102 hands out as a ZIP of tab-separated rows', async (infno, codes) => {
    const a = await tx<{ file_qury_no: string; filename: string; dld_end_time: string; data_cnt: number }>(infno, { data: { ver: '0' } });
    expect(a.infcode).toBe(0);
    expect(a.output).toEqual({ file_qury_no: expect.stringMatching(/^fsi\/plc\/[0-9a-f]{32}$/), filename: expect.stringMatching(new RegExp(`^${infno}_\\d{14}\\.zip$`)), dld_end_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), data_cnt: codes.length });
    const res = await fetch(a.output.file_qury_no);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(String(res.headers['content-disposition'])).toContain(a.output.filename);
    const [entry] = unzip(res.rawPayload);
    const lines = entry!.data.toString().trimEnd().split('\n');
    expect(lines.map((l) => l.split('\t')[0])).toEqual([...codes].sort());
    const columns = lines[0]!.split('\t');
    expect(columns.length).toBeGreaterThanOrEqual(9);
    expect(columns).toContain('1'); // vali_flag
  });

  test('asking again for unchanged content names the same file', async () => {
    const a = await tx<{ file_qury_no: string }>('1305', { data: { ver: '20240101' } });
    const b = await tx<{ file_qury_no: string }>('1305', { data: { ver: '0' } });
    expect(b.output.file_qury_no).toBe(a.output.file_qury_no);
  });

  test('9102 refuses an unknown file with the envelope; replays of 9102 are not stored', async () => {
    const res = await fetch('fsi/plc/00000000000000000000000000000000');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ infcode: -1, err_msg: '文件 fsi/plc/00000000000000000000000000000000 不存在', output: null });
  });

  test('with page_num and page_size the rows come back as paged JSON (yibao extension)', async () => {
    const a = await tx<PagedOut>('1307', { data: { ver: '0', page_num: '2', page_size: '2' } });
    expect(a.output).toMatchObject({ pageNum: 2, pageSize: 2, recordCounts: DIAGS.length, pages: 2, size: 1 });
    expect(a.output.data[0]).toMatchObject({ diag_code: 'J06.900', diag_name: '急性上呼吸道感染', version: '医保版2.0', vali_flag: '1' });
    expect((await tx('1307', { data: { page_num: 1 } })).err_msg).toBe('分页查询须同时给出 page_num 和 page_size');
  });
});
