/**
 * Conformance of the envelope as HIS clients send and read it (reference §1.2, §1.3, §7): response shape and
 * types, tolerant reading, every envelope-level refusal, msgid replay, and the request log.
 */
import { Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validationError } from '../platform/errors.js';
import { defineTx } from './types.js';
import { makeRegistry, TRANSACTIONS } from './registry.js';
import { BODY_LIMIT_BYTES } from './routes.js';
import { gatewayWorld, HOSPITAL, PERSONS, type GatewayWorld } from './testing.js';

const ENVELOPE_KEYS = ['infcode', 'inf_refmsgid', 'refmsg_time', 'respond_time', 'err_msg', 'warn_msg', 'cainfo', 'signtype', 'enctype', 'output'];

interface Answer {
  infcode: number;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string | null;
  warn_msg: null;
  cainfo: null;
  signtype: null;
  enctype: null;
  output: Record<string, unknown> | null;
}

/** Asserts the full envelope shape and returns it. */
function envelopeOf(res: { statusCode: number; headers: Record<string, unknown>; body: string }, ok: boolean): Answer {
  expect(res.statusCode).toBe(200);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  const a = JSON.parse(res.body) as Answer;
  expect(Object.keys(a)).toEqual(ENVELOPE_KEYS);
  expect(a.infcode).toBe(ok ? 0 : -1); // a JSON number, not "0"
  expect(res.body).toMatch(ok ? /^\{"infcode":0,/ : /^\{"infcode":-1,/);
  expect(a.inf_refmsgid).toMatch(/^990100\d{14}\d{10}$/);
  expect(a.refmsg_time).toMatch(/^\d{17}$/);
  expect(a.respond_time).toMatch(/^\d{17}$/);
  expect(a.respond_time >= a.refmsg_time).toBe(true);
  expect(a.warn_msg).toBeNull();
  expect(a.cainfo).toBeNull();
  expect(a.signtype).toBeNull();
  expect(a.enctype).toBeNull();
  if (ok) {
    expect(a.err_msg).toBeNull();
    expect(a.output).toBeTypeOf('object');
  } else {
    expect(a.err_msg).toBeTypeOf('string');
    expect(a.err_msg!.length).toBeGreaterThan(0);
    expect(a.output).toBeNull();
  }
  return a;
}

const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString('utf8'));
    done();
  },
});

let w: GatewayWorld;
let signNo: string;

const boom = defineTx({
  infno: '9999',
  name: '测试：意外错误',
  input: Type.Object({}),
  output: Type.Object({}),
  needsSignIn: true,
  async handler() {
    throw new Error('数据库连接中断');
  },
});
const refuse = defineTx({
  infno: '9998',
  name: '测试：业务拒绝',
  input: Type.Object({}),
  output: Type.Object({}),
  needsSignIn: true,
  async handler() {
    throw validationError('业务校验未通过', [{ field: 'data.x', message: '不合规' }]);
  },
});

beforeAll(async () => {
  w = await gatewayWorld({ log: pino({ level: 'debug' }, sink), gateway: { registry: makeRegistry([...TRANSACTIONS, boom, refuse]) } });
  signNo = await w.signIn();
});
afterAll(async () => w.close());

describe('the response envelope', () => {
  test('a successful 9001 sign-in answers with the full national envelope and signinoutb', async () => {
    const res = await w.post(w.envelope('9001', { signIn: { opter_no: '0002', mac: '00-1A-2B-3C-4D-5F', ip: '10.1.2.4' } }, { opter: '0002' }));
    const a = envelopeOf(res, true);
    const out = a.output as { signinoutb: { sign_time: string; sign_no: string } };
    expect(Object.keys(out)).toEqual(['signinoutb']);
    expect(out.signinoutb.sign_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(out.signinoutb.sign_no).toMatch(/^990100\d{24}$/);
  });

  test('a refusal answers HTTP 200 with infcode -1, a Chinese err_msg and output null', async () => {
    const res = await w.post(w.envelope('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.zhang.certno } }, { sign_no: '' }));
    const a = envelopeOf(res, false);
    expect(a.err_msg).toMatch(/未签到/);
  });

  test('every answer gets its own inf_refmsgid', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add(envelopeOf(await w.post(w.envelope('1901', { data: { type: 'gend' } }, { sign_no: signNo })), true).inf_refmsgid);
    expect(ids.size).toBe(3);
  });
});

describe('tolerant reading of what clients send', () => {
  test('numbers as strings, strings as numbers, empty strings, nulls, extra fields and a string exp_content are accepted', async () => {
    const body = w.envelope(
      '1312',
      { data: { hilist_code: '', hilist_name: '二甲双胍', page_num: '1', page_size: 10, updt_time: '2000-01-01 00:00:00', list_type: 101, vali_flag: null, exp_content: '{"x":"1"}', unknown_field: 'x' } },
      { sign_no: signNo, opter_type: 1, dev_no: null, enctype: '', serv_code: 'abc', mode: '' },
    );
    const a = envelopeOf(await w.post(body), true);
    const out = a.output as { data: { hilist_code: string }[]; recordCounts: number };
    expect(out.recordCounts).toBe(1);
    expect(out.data[0]!.hilist_code).toBe('XA10BAE001A001010100001');
  });

  test('any path under /fsi/api/, and text/plain or no content type, are served', async () => {
    for (const [path, contentType] of [
      ['/fsi/api/callFsiService/callService', 'text/plain'],
      ['/fsi/api/1901', null],
      ['/fsi/api', 'application/json'],
    ] as const) {
      const res = await w.post(w.envelope('1901', { data: { type: 'gend' } }, { sign_no: signNo }), { path, contentType });
      envelopeOf(res, true);
    }
  });

  test('input given as a JSON string is read as the object it holds', async () => {
    const a = envelopeOf(await w.post(w.envelope('1901', JSON.stringify({ data: { type: 'gend' } }), { sign_no: signNo })), true);
    expect((a.output as { list: unknown[] }).list.length).toBeGreaterThan(0);
  });

  test('a UTF-8 byte-order mark before the JSON is ignored', async () => {
    envelopeOf(await w.post(`\uFEFF${JSON.stringify(w.envelope('1901', { data: { type: 'gend' } }, { sign_no: signNo }))}`), true);
  });
});

describe('envelope-level refusals', () => {
  test.each([
    ['not JSON', '{"infno":"1101",', /不是有效的JSON/],
    ['an array', '[1,2]', /应为JSON对象/],
    ['empty body', '', /请求报文为空/],
  ])('%s', async (_name, text, expected) => {
    const a = envelopeOf(await w.post(text), false);
    expect(a.err_msg).toMatch(expected);
  });

  test('missing infno, msgid and fixmedins_code are each named', async () => {
    const { infno: _i, msgid: _m, fixmedins_code: _f, ...rest } = w.envelope('1101', {});
    const a = envelopeOf(await w.post(rest), false);
    expect(a.err_msg).toMatch(/报文公共参数有误/);
    expect(a.err_msg).toMatch(/字段infno：缺少必填项/);
    expect(a.err_msg).toMatch(/字段msgid：缺少必填项/);
    expect(a.err_msg).toMatch(/字段fixmedins_code：缺少必填项/);
  });

  test('a msgid over 30 characters and a bad area code are refused', async () => {
    const a = envelopeOf(await w.post(w.envelope('1901', { data: { type: 'gend' } }, { sign_no: signNo, msgid: 'M'.repeat(31), mdtrtarea_admvs: '99010' })), false);
    expect(a.err_msg).toMatch(/字段msgid：长度不能超过30个字符/);
    expect(a.err_msg).toMatch(/字段mdtrtarea_admvs：格式错误/);
  });

  test('input over 40 000 characters is refused with the count', async () => {
    const big = { data: { type: 'gend', memo: 'x'.repeat(40_000) } };
    const a = envelopeOf(await w.post(w.envelope('1901', big, { sign_no: signNo })), false);
    expect(a.err_msg).toMatch(/input 超过 40000 个字符（实际 400\d\d 个）/);
  });

  test('a body over the size limit is answered with the envelope too', async () => {
    const a = envelopeOf(await w.post(`{"x":"${'x'.repeat(BODY_LIMIT_BYTES + 10)}"}`), false);
    expect(a.err_msg).toMatch(/请求报文过大/);
  });

  test('an unknown infno is refused by name', async () => {
    const a = envelopeOf(await w.post(w.envelope('2207A', { data: {} }, { sign_no: signNo })), false);
    expect(a.err_msg).toBe('不支持的交易编号：2207A');
  });

  test('input that does not fit the transaction names every field in Chinese', async () => {
    const a = envelopeOf(await w.post(w.envelope('1101', { data: { mdtrt_cert_type: '09', card_sn: 'x'.repeat(40) } }, { sign_no: signNo })), false);
    expect(a.err_msg).toMatch(/^交易输入有误：/);
    expect(a.err_msg).toMatch(/字段data\.mdtrt_cert_type：取值应为 01、02、03 之一/);
    expect(a.err_msg).toMatch(/字段data\.card_sn：长度不能超过32个字符/);
  });

  test('a missing input node is named', async () => {
    const a = envelopeOf(await w.post(w.envelope('1901', {}, { sign_no: signNo })), false);
    expect(a.err_msg).toMatch(/字段data：缺少必填项/);
  });

  test('a business refusal (YibaoError) folds its problems into err_msg', async () => {
    const a = envelopeOf(await w.post(w.envelope('9998', {}, { sign_no: signNo })), false);
    expect(a.err_msg).toBe('业务校验未通过：字段data.x：不合规');
  });

  test('an unexpected error answers 系统内部错误, is logged, and leaves the msgid free for a retry', async () => {
    const body = w.envelope('9999', {}, { sign_no: signNo });
    const a = envelopeOf(await w.post(body), false);
    expect(a.err_msg).toBe('系统内部错误');
    expect(a.err_msg).not.toMatch(/数据库/);
    expect(logLines.some((l) => l.includes('接口交易异常') && l.includes('数据库连接中断'))).toBe(true);
    const held = await w.db.k.selectFrom('gateway_msg').selectAll().where('msgid', '=', body.msgid as string).execute();
    expect(held).toHaveLength(0);
  });
});

describe('msgid de-duplication', () => {
  test('the same message again gets the first answer byte for byte and changes nothing', async () => {
    const opter = '0100';
    const sign = await w.signIn(opter);
    const body = w.envelope('9002', { signOut: { sign_no: sign, opter_no: opter } }, { opter });
    const first = await w.post(body);
    envelopeOf(first, true);
    // a client that timed out sends exactly the same text again — possibly with a fresh inf_time
    const again = await w.post({ ...body, inf_time: '2026-01-05 09:31:10' });
    expect(again.body).toBe(first.body);
    const third = await w.post(body);
    expect(third.body).toBe(first.body);
    const msgRows = await w.db.k.selectFrom('gateway_msg').selectAll().where('fixmedins_code', '=', HOSPITAL).where('msgid', '=', body.msgid as string).execute();
    expect(msgRows).toHaveLength(1);
    expect(msgRows[0]!.response_body).toBe(first.body);
    const signRows = await w.db.k.selectFrom('gateway_signin').selectAll().where('sign_no', '=', sign).execute();
    expect(signRows).toHaveLength(1);
    const logs = await w.db.k.selectFrom('gateway_log').select(['replay', 'infcode']).where('msgid', '=', body.msgid as string).orderBy('received_at').execute();
    expect(logs).toEqual([
      { replay: false, infcode: 0 },
      { replay: true, infcode: 0 },
      { replay: true, infcode: 0 },
    ]);
  });

  test('a refusal is kept as the answer to its msgid too', async () => {
    const body = w.envelope('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '990102190001010000' } }, { sign_no: signNo });
    const first = await w.post(body);
    envelopeOf(first, false);
    expect((await w.post(body)).body).toBe(first.body);
  });

  test('the same msgid with different content is refused, explaining why, and the first answer stays', async () => {
    const body = w.envelope('1901', { data: { type: 'gend' } }, { sign_no: signNo });
    const first = await w.post(body);
    envelopeOf(first, true);
    const a = envelopeOf(await w.post({ ...body, input: { data: { type: 'naty' } } }), false);
    expect(a.err_msg).toMatch(new RegExp(`报文ID ${body.msgid as string} 已于 .* 用于另一笔交易（1901），内容不同`));
    expect((await w.post(body)).body).toBe(first.body);
  });

  test('msgid is unique per institution, not across institutions', async () => {
    const msgid = 'SHARED00000000000000000000001';
    const a = envelopeOf(await w.post(w.envelope('1901', { data: { type: 'gend' } }, { sign_no: signNo, msgid })), true);
    const b = envelopeOf(
      await w.post(w.envelope('1901', { data: { type: 'gend' } }, { msgid, fixmedins_code: 'P99010200002' }), { headers: { apikey: w.keys.pharmacy } }),
      true,
    );
    expect(a.inf_refmsgid).not.toBe(b.inf_refmsgid);
  });
});

describe('the request log', () => {
  test('every request has a row with institution, infno, msgid, duration, infcode and err_msg — and no personal data', async () => {
    const body = w.envelope('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.zhang.certno, psn_name: PERSONS.zhang.psn_name } }, { sign_no: signNo });
    const a = envelopeOf(await w.post(body), true);
    const row = await w.db.k.selectFrom('gateway_log').selectAll().where('inf_refmsgid', '=', a.inf_refmsgid).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ fixmedins_code: HOSPITAL, infno: '1101', msgid: body.msgid, opter: '0001', sign_no: signNo, auth_way: 'apikey', infcode: 0, err_msg: null, replay: false });
    expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    const bad = envelopeOf(await w.post('{oops'), false);
    const badRow = await w.db.k.selectFrom('gateway_log').selectAll().where('inf_refmsgid', '=', bad.inf_refmsgid).executeTakeFirstOrThrow();
    expect(badRow).toMatchObject({ fixmedins_code: null, infcode: -1, err_msg: '请求报文不是有效的JSON' });
  });

  test('the pino lines mask certno, names, phone numbers and addresses', async () => {
    logLines.length = 0;
    await w.post(w.envelope('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.zhang.certno, certno: PERSONS.zhang.certno, psn_name: PERSONS.zhang.psn_name } }, { sign_no: signNo }));
    const text = logLines.join('');
    expect(text).toContain('"infno":"1101"');
    expect(text).toContain('"balc":1373.63'); // the output is there …
    expect(text).not.toContain(PERSONS.zhang.certno); // … but not whole personal data
    expect(text).not.toContain(PERSONS.zhang.psn_name);
    expect(text).toContain('9901**********');
    expect(text).toContain('张*丰');
  });
});
