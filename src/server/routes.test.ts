import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maskValue } from '../platform/logging.js';
import { call, createTestWorld, loginAs, type TestWorld } from './test-app.js';

type Page<T> = { page_num: number; page_size: number; total: number; list: T[] };

let w: TestWorld;
const tokens: Record<string, string> = {};
const as = <T = Record<string, unknown>>(user: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) => call<T>(w.app, tokens[user]!, method, url, payload);

beforeAll(async () => {
  w = await createTestWorld();
  for (const u of ['admin', 'jb1', 'sh2', 'jh0', 'jh1', 'jg1']) tokens[u] = await loginAs(w.app, u);
});
afterAll(async () => w.close());

describe('persons', () => {
  test('a 990100 handler lists only persons insured in 990100, with masked certificate numbers', async () => {
    const r = await as<Page<{ psn_no: string; certno: string; psn_name: string; insuplc_admdvs: string }>>('jb1', '/api/persons');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(1);
    expect(r.body.list[0]).toMatchObject({ psn_no: w.psnA, psn_name: '王甲', insuplc_admdvs: '990100', certno: maskValue(w.certnoA) });
    expect(r.body.list[0]!.certno).toMatch(/^9901\*{10}\d{3}[\dX]$/);
    const all = await as<Page<{ psn_no: string }>>('admin', '/api/persons?q=王');
    expect(all.body.list.map((p) => p.psn_no)).toEqual([w.psnA]);
    expect((await as<Page<unknown>>('admin', '/api/persons')).body.total).toBe(2);
    expect((await as<Page<unknown>>('admin', '/api/persons?insuplc_admdvs=990200')).body.total).toBe(1);
  });

  test('the 1101 view of a person in scope; a person outside the scope is 404 like one that does not exist', async () => {
    const r = await as<{ baseinfo: Record<string, unknown>; insuinfo: Record<string, unknown>[] }>('jb1', `/api/persons/${w.psnA}`);
    expect(r.status).toBe(200);
    expect(r.body.baseinfo).toMatchObject({ psn_no: w.psnA, certno: w.certnoA, psn_name: '王甲', gend: '1', brdy: '1980-01-01' });
    expect(r.body.insuinfo).toEqual([expect.objectContaining({ insutype: '310', insuplc_admdvs: '990100', balc: 123.45 })]);
    const hidden = await as('jb1', `/api/persons/${w.psnB}`);
    expect(hidden).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: `未找到参保人（人员编号 ${w.psnB}），或该参保人不在您的管辖区划内`, problems: [] } });
    const missing = await as<{ message: string }>('jb1', '/api/persons/99010000000000000000');
    expect(missing.status).toBe(404);
    expect((await as('sh2', `/api/persons/${w.psnB}`)).status).toBe(200);
    expect((await as('sh2', `/api/persons/${w.psnA}`)).status).toBe(404);
    expect((await as('admin', `/api/persons/${w.psnB}`)).status).toBe(200);
  });

  test('lookup by certificate or card number goes in the body, and is scoped the same way', async () => {
    expect(await as('jb1', '/api/persons/lookup', 'POST', { certno: w.certnoA })).toMatchObject({ status: 200, body: { baseinfo: { psn_no: w.psnA } } });
    expect(await as('jb1', '/api/persons/lookup', 'POST', { card_no: 'K99010000001' })).toMatchObject({ status: 200, body: { baseinfo: { psn_no: w.psnA } } });
    expect((await as('jb1', '/api/persons/lookup', 'POST', { card_no: 'K99020000002' })).status).toBe(404);
    expect((await as('sh2', '/api/persons/lookup', 'POST', { certno: w.certnoA })).status).toBe(404);
    expect(await as('jb1', '/api/persons/lookup', 'POST', { certno: w.certnoA, card_no: 'K99010000001' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/应且只应提供一项/) } });
    expect(await as('jb1', '/api/persons/lookup', 'POST', {})).toMatchObject({ status: 400, body: { message: '请求参数错误：请求体 至少需要提供一个字段' } });
  });

  test('an institution user has no access to persons', async () => {
    expect(await as('jg1', '/api/persons')).toMatchObject({ status: 403, body: { message: '无权执行此操作：机构用户没有“查询参保人员”权限' } });
  });
});

describe('institutions and practitioners', () => {
  test('a 990100 user sees institutions of 990100 and its districts only', async () => {
    const r = await as<Page<{ fixmedins_code: string }>>('jb1', '/api/institutions');
    expect(r.body.list.map((i) => i.fixmedins_code)).toEqual(['H99010200001', 'P99010000003']);
    expect((await as<Page<unknown>>('admin', '/api/institutions')).body.total).toBe(3);
    expect((await as<Page<unknown>>('sh2', '/api/institutions')).body.total).toBe(1);
  });

  test('search by pinyin initials', async () => {
    const r = await as<Page<{ fixmedins_name: string }>>('admin', '/api/institutions?q=jsdy');
    expect(r.body.list.map((i) => i.fixmedins_name)).toEqual(['甲市第一人民医院']);
  });

  test('detail with the agreement history; another area’s institution is 403', async () => {
    const r = await as<{ institution: Record<string, unknown>; agreement: Record<string, unknown>; agreements: unknown[] }>('jb1', '/api/institutions/H99010200001?on=2025-01-01');
    expect(r.status).toBe(200);
    expect(r.body.institution).toMatchObject({ fixmedins_name: '甲市第一人民医院', admdvs: '990102', hosp_lv: '3' });
    expect(r.body.agreement).toMatchObject({ agmt_stas: '1', begndate: '2020-01-01' });
    expect(r.body.agreements).toHaveLength(1);
    expect(await as('jb1', '/api/institutions/H99020000002')).toEqual({ status: 403, body: { code: 'FORBIDDEN', message: '无权访问：定点医药机构 H99020000002 属于区划 990200，不在您的管辖区划内', problems: [] } });
    expect((await as('admin', '/api/institutions/H99020000002')).status).toBe(200);
    expect((await as('jb1', '/api/institutions/H99019999999')).status).toBe(404);
    expect(await as('jb1', '/api/institutions/H9901')).toMatchObject({ status: 400, body: { message: '请求参数错误：路径参数 fixmedins_code 格式不正确' } });
  });

  test('an institution user sees its own institution and practitioners only', async () => {
    expect((await as<Page<{ fixmedins_code: string }>>('jg1', '/api/institutions?q=乙市')).body.list.map((i) => i.fixmedins_code)).toEqual(['H99010200001']);
    expect((await as('jg1', '/api/institutions/H99010200001')).status).toBe(200);
    expect(await as('jg1', '/api/institutions/P99010000003')).toMatchObject({ status: 403, body: { message: expect.stringMatching(/只能查看本机构/) } });
    expect((await as<Page<{ prac_code: string }>>('jg1', '/api/practitioners')).body.list.map((p) => p.prac_code)).toEqual(['D99010200001']);
    expect((await as('jg1', '/api/practitioners?fixmedins_code=H99020000002')).status).toBe(403);
    expect((await as('jg1', '/api/practitioners/D99020000002')).status).toBe(403);
  });

  test('practitioners: scoped search by pinyin, detail with qualification history', async () => {
    expect((await as<Page<{ prac_code: string }>>('jb1', '/api/practitioners')).body.list.map((p) => p.prac_code)).toEqual(['D99010200001']);
    expect((await as<Page<{ prac_code: string }>>('admin', '/api/practitioners?q=LYS')).body.list.map((p) => p.prac_code)).toEqual(['D99020000002']);
    const r = await as<{ practitioner: Record<string, unknown>; institution: Record<string, unknown>; qualification: Record<string, unknown>; qualifications: unknown[] }>('jb1', '/api/practitioners/D99010200001');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ practitioner: { prac_name: '张医生' }, institution: { fixmedins_code: 'H99010200001' }, qualification: { qual_stas: '1' } });
    expect(r.body.qualifications).toHaveLength(1);
    expect((await as('jb1', '/api/practitioners/D99020000002')).status).toBe(403);
  });
});

describe('catalogue', () => {
  test('search by pinyin initials, code prefix and name, with a list-type filter', async () => {
    const byPinyin = await as<Page<{ hilist_code: string; hilist_name: string }>>('jg1', '/api/catalogue?q=EJSG&on=2025-01-01');
    expect(byPinyin.body.list.map((i) => i.hilist_name)).toEqual(['二甲双胍片']);
    expect((await as<Page<{ hilist_name: string }>>('jb1', '/api/catalogue?q=XG04&on=2025-01-01')).body.list.map((i) => i.hilist_name)).toEqual(['坦索罗辛缓释胶囊']);
    expect((await as<Page<unknown>>('jb1', '/api/catalogue?q=缓释&on=2025-01-01')).body.total).toBe(1);
    expect((await as<Page<unknown>>('jb1', '/api/catalogue?list_type=101&on=2025-01-01')).body.total).toBe(2);
    expect((await as<Page<unknown>>('jb1', '/api/catalogue?list_type=201&on=2025-01-01')).body.total).toBe(0);
    expect((await as<Page<unknown>>('jb1', '/api/catalogue?q=EJSG&on=2023-12-31')).body.total).toBe(0);
  });

  test('detail on a date with every price cap, the self-pay ratio and the class', async () => {
    const r = await as<{ item: Record<string, unknown>; caps: { hosp_lv: string; pric_uplmt_amt: string }[]; selfpay: { insutype: string; selfpay_prop: string }[] }>('jb1', '/api/catalogue/XG04CAE002A002010100002?on=2025-01-01&hosp_lv=3');
    expect(r.status).toBe(200);
    expect(r.body.item).toMatchObject({ hilist_name: '坦索罗辛缓释胶囊', chrgitm_lv: '02', selfpay_bp: 1000, pric_uplmt_fen: 2200 });
    expect(r.body.caps.map((c) => [c.hosp_lv, c.pric_uplmt_amt])).toEqual([['3', '22.00']]);
    expect(r.body.selfpay.map((s) => [s.insutype, s.selfpay_prop])).toEqual([['*', '0.1000']]);
    const three = await as<{ caps: unknown[] }>('jb1', '/api/catalogue/XA10BAE001A001010100001?on=2025-01-01');
    expect(three.body.caps).toHaveLength(3);
    expect(await as('jb1', '/api/catalogue/XA10BAE001A001010100001?on=2023-12-31')).toMatchObject({ status: 404, body: { message: '医保目录中没有编码 XA10BAE001A001010100001（2023-12-31 有效）' } });
  });

  test('bad query values are Chinese validation errors', async () => {
    expect(await as('jb1', '/api/catalogue?list_type=999')).toMatchObject({ status: 400, body: { code: 'VALIDATION', message: '请求参数错误：查询参数 list_type 取值无效，应为 101、102、103、104、105、201、301 之一' } });
    expect(await as('jb1', '/api/catalogue?page_size=1000')).toMatchObject({ status: 400, body: { message: '请求参数错误：查询参数 page_size 不能大于 500' } });
    expect(await as('jb1', '/api/catalogue?on=2025-02-30')).toMatchObject({ status: 400, body: { message: '请求参数错误：查询参数 on 应为有效的日期（yyyy-MM-dd）' } });
    expect(await as('jb1', '/api/catalogue?page_num=abc')).toMatchObject({ status: 400, body: { message: '请求参数错误：查询参数 page_num 应为整数' } });
  });
});

describe('code tables and areas', () => {
  test('the list of code tables with their Chinese names, and the items of one', async () => {
    const types = await as<{ list: { dict_type: string; label: string; item_cnt: number }[] }>('jg1', '/api/dict');
    expect(types.body.list).toEqual(expect.arrayContaining([{ dict_type: 'gend', label: '性别', item_cnt: 4 }, expect.objectContaining({ dict_type: 'insutype', label: '险种类型' })]));
    const gend = await as<{ label: string; list: { value: string; label: string }[] }>('jb1', '/api/dict/gend');
    expect(gend.body.label).toBe('性别');
    expect(gend.body.list.map((i) => [i.value, i.label])).toEqual([['0', '未知的性别'], ['1', '男'], ['2', '女'], ['9', '未说明的性别']]);
    expect(await as('jb1', '/api/dict/no_such_table')).toMatchObject({ status: 404, body: { message: expect.stringMatching(/码表 no_such_table 不存在/) } });
  });

  test('areas, marked in or out of the user’s scope', async () => {
    const r = await as<{ list: { admdvs: string; in_scope: boolean }[] }>('jb1', '/api/areas');
    expect(r.body.list.map((a) => [a.admdvs, a.in_scope])).toEqual([['990000', false], ['990100', true], ['990102', true], ['990200', false]]);
    expect((await as<{ list: unknown[] }>('jb1', '/api/areas?poolarea_flag=1')).body.list).toHaveLength(2);
  });
});

describe('operation log', () => {
  test('only administrators and 稽核员 read it', async () => {
    expect(await as('jb1', '/api/oplog')).toMatchObject({ status: 403, body: { message: '无权执行此操作：经办员没有“查询操作日志”权限' } });
    expect((await as('sh2', '/api/oplog')).status).toBe(403);
    expect((await as('jh1', '/api/oplog')).status).toBe(200);
  });

  test('a city 稽核员 sees rows of the city only; a province one also sees node-wide rows', async () => {
    const city = await as<Page<{ admdvs: string | null; action: string }>>('jh1', '/api/oplog?page_size=500');
    expect(city.body.total).toBeGreaterThan(0);
    expect(city.body.list.every((r) => r.admdvs !== null && r.admdvs.startsWith('9901'))).toBe(true);
    const province = await as<Page<{ admdvs: string | null; action: string }>>('jh0', '/api/oplog?page_size=500');
    expect(province.body.list.some((r) => r.admdvs === null && r.action === 'fixmedins.import')).toBe(true);
    expect(province.body.list.some((r) => r.admdvs === '990200')).toBe(true);
  });

  test('filters by action prefix, target and time (Beijing)', async () => {
    const users = await as<Page<{ action: string; target_id: string; opt_time: string }>>('admin', '/api/oplog?action=user.&page_size=500');
    expect(users.body.list.length).toBeGreaterThanOrEqual(7);
    expect(users.body.list.every((r) => r.action.startsWith('user.'))).toBe(true);
    expect(users.body.list[0]!.opt_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const one = await as<Page<{ target_id: string }>>('admin', '/api/oplog?target_type=staff_user&target_id=jg1&action=user.create');
    expect(one.body.list.map((r) => r.target_id)).toEqual(['jg1']);
    expect((await as<Page<unknown>>('admin', '/api/oplog?to=2020-01-01')).body.total).toBe(0);
    expect((await as<Page<unknown>>('admin', '/api/oplog?from=2020-01-01&action=user.create')).body.total).toBeGreaterThanOrEqual(7);
    expect(await as('admin', '/api/oplog?from=yesterday')).toMatchObject({ status: 400, body: { message: '请求参数错误：查询参数 from 格式不正确' } });
  });
});

test('/health needs no login', async () => {
  expect((await w.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
});

test('an unknown API path is a Chinese 404', async () => {
  expect(await as('admin', '/api/nothing-here?x=1')).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: '接口不存在：GET /api/nothing-here', problems: [] } });
});
