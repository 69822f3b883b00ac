/**
 * Authentication and sign-in: apikey, TIF header signature (reference §6.2), the SM2 message-signature hook,
 * credential issue / re-issue / disable, and the sign_no rules of 9001/9002 (§1.5).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { sm2GenerateKeyPair, sm2Sign } from '../platform/gm-crypto.js';
import { addDays, beijingDate } from '../platform/time.js';
import { describeCredential, issueCredential, setCredentialOptions, setCredentialStatus, sha256Hex, tifHeaders } from './credentials.js';
import { signedText } from './signature.js';
import { invalidate } from '../platform/cache.js';
import { gatewayWorld, HOSPITAL, PHARMACY, TIF_PAASID, type GatewayWorld } from './testing.js';

interface Answer {
  infcode: number;
  err_msg: string | null;
  output: Record<string, never> | null;
}

let w: GatewayWorld;
let signNo: string;
const call = async (body: unknown, headers?: Record<string, string>): Promise<Answer> => {
  const res = await w.post(body, headers ? { headers } : {});
  expect(res.statusCode).toBe(200);
  return res.json();
};
const dictCall = (over: Record<string, unknown> = {}) => w.envelope('1901', { data: { type: 'gend' } }, { sign_no: signNo, ...over });

beforeAll(async () => {
  w = await gatewayWorld();
  signNo = await w.signIn();
});
afterAll(async () => w.close());

describe('apikey', () => {
  test('a request without any credential header is refused, saying what to send', async () => {
    const a = await call(dictCall(), {});
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toMatch(/缺少接口认证信息.*apikey.*x-tif-signature/);
  });

  test('a wrong apikey, or another institution’s, is refused', async () => {
    expect((await call(dictCall(), { apikey: 'ybk_wrong' })).err_msg).toBe('apikey 无效');
    expect((await call(dictCall(), { apikey: w.keys.pharmacy })).err_msg).toBe('apikey 无效');
  });

  test('an institution without a credential is refused', async () => {
    const a = await call(dictCall({ fixmedins_code: 'H99010299999' }));
    expect(a.err_msg).toBe('定点医药机构 H99010299999 未开通接口访问凭证');
  });

  test('the issued key is kept only as its hash; re-issuing replaces it; disabling refuses at once', async () => {
    const row = await w.db.k.selectFrom('gateway_credential').selectAll().where('fixmedins_code', '=', PHARMACY).executeTakeFirstOrThrow();
    expect(row.apikey_hash).toBe(sha256Hex(w.keys.pharmacy));
    expect(JSON.stringify(row)).not.toContain(w.keys.pharmacy);
    const body = () => w.envelope('1901', { data: { type: 'gend' } }, { fixmedins_code: PHARMACY });
    expect((await call(body(), { apikey: w.keys.pharmacy })).infcode).toBe(0);
    const again = await issueCredential(w.db, SYSTEM_ACTOR, { fixmedins_code: PHARMACY, signin_required: false });
    expect(again.apikey).not.toBe(w.keys.pharmacy);
    expect((await call(body(), { apikey: w.keys.pharmacy })).err_msg).toBe('apikey 无效');
    expect((await call(body(), { apikey: again.apikey })).infcode).toBe(0);
    await setCredentialStatus(w.db, SYSTEM_ACTOR, PHARMACY, 'disabled');
    expect((await call(body(), { apikey: again.apikey })).err_msg).toMatch(/接口访问凭证已停用/);
    await setCredentialStatus(w.db, SYSTEM_ACTOR, PHARMACY, 'active');
    expect((await call(body(), { apikey: again.apikey })).infcode).toBe(0);
    w.keys.pharmacy = again.apikey;
    expect(await describeCredential(w.db, PHARMACY)).toMatchObject({ apikey_hint: again.apikey.slice(-4), status: 'active', signin_required: false });
    const log = await w.db.k.selectFrom('opt_log').select(['action', 'after_data']).where('target_id', '=', PHARMACY).where('target_type', '=', 'gateway_credential').execute();
    expect(log.map((l) => l.action)).toEqual(['gateway.credential.issue', 'gateway.credential.reissue', 'gateway.credential.status', 'gateway.credential.status']);
    expect(JSON.stringify(log)).not.toContain(again.apikey);
  });

  test('a credential is only issued to a designated institution', async () => {
    await expect(issueCredential(w.db, SYSTEM_ACTOR, { fixmedins_code: 'H99010299999' })).rejects.toThrow(/不存在或当前不是定点机构/);
  });
});

describe('TIF header signature', () => {
  test('a correct signature is accepted (and logged as tif)', async () => {
    const a = await call(dictCall(), tifHeaders(TIF_PAASID, w.keys.tifToken));
    expect(a.infcode).toBe(0);
    const row = await w.db.k.selectFrom('gateway_log').select('auth_way').orderBy('received_at', 'desc').executeTakeFirstOrThrow();
    expect(row.auth_way).toBe('tif');
  });

  test('the signature is lower-case hex SHA-256 of timestamp + token + nonce + timestamp', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = 'c2b5f0d4-7e1a-4b1e-9a63-0d1e2f3a4b5c';
    const headers = { 'x-tif-paasid': TIF_PAASID, 'x-tif-timestamp': ts, 'x-tif-nonce': nonce, 'x-tif-signature': sha256Hex(ts + w.keys.tifToken + nonce + ts).toUpperCase() };
    expect((await call(dictCall(), headers)).infcode).toBe(0);
  });

  test.each([
    ['a wrong signature', () => ({ ...tifHeaders(TIF_PAASID, w.keys.tifToken), 'x-tif-signature': sha256Hex('forged') }), /签名验证失败/],
    ['a signature made with another token', () => tifHeaders(TIF_PAASID, 'not-the-token'), /签名验证失败/],
    ['a stale timestamp', () => tifHeaders(TIF_PAASID, w.keys.tifToken, new Date(Date.now() - 10 * 60_000)), /已过期或超前/],
    ['a timestamp from the future', () => tifHeaders(TIF_PAASID, w.keys.tifToken, new Date(Date.now() + 10 * 60_000)), /已过期或超前/],
    ['another paasid', () => tifHeaders('other_app', w.keys.tifToken), /x-tif-paasid 与本机构登记的不符/],
    ['missing headers', () => ({ 'x-tif-paasid': TIF_PAASID, 'x-tif-signature': 'abc' }), /认证信息不完整/],
    ['a malformed timestamp', () => ({ ...tifHeaders(TIF_PAASID, w.keys.tifToken), 'x-tif-timestamp': '2026-01-01' }), /Unix时间戳/],
  ])('%s is refused', async (_name, headers, expected) => {
    const a = await call(dictCall(), headers());
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toMatch(expected);
  });

  test('a nonce cannot be used twice', async () => {
    const headers = tifHeaders(TIF_PAASID, w.keys.tifToken);
    expect((await call(dictCall(), headers)).infcode).toBe(0);
    expect((await call(dictCall(), headers)).err_msg).toMatch(/x-tif-nonce 已使用过/);
  });

  test('an institution without TIF registration cannot use it', async () => {
    const a = await call(w.envelope('1901', { data: { type: 'gend' } }, { fixmedins_code: PHARMACY }), tifHeaders(TIF_PAASID, w.keys.tifToken));
    expect(a.err_msg).toMatch(/x-tif-paasid 与本机构登记的不符/);
  });
});

describe('message-level SM2 signature (off by default)', () => {
  test('when required, a message signed with the registered key passes and a tampered one does not', async () => {
    const keys = sm2GenerateKeyPair();
    await setCredentialOptions(w.db, SYSTEM_ACTOR, PHARMACY, { sm2_pubkey: keys.publicKey, msg_sign_required: true });
    try {
      const body = w.envelope('1901', { data: { type: 'gend' } }, { fixmedins_code: PHARMACY });
      const unsigned = await call(body, { apikey: w.keys.pharmacy });
      expect(unsigned.err_msg).toMatch(/signtype 应为 SM2/);
      const signed = { ...body, signtype: 'SM2', cainfo: sm2Sign(signedText(body), keys.privateKey) };
      expect((await call(signed, { apikey: w.keys.pharmacy })).infcode).toBe(0);
      const der = { ...body, msgid: `${body.msgid as string}`.slice(0, 26) + '9999', signtype: 'SM2' };
      const derSigned = { ...der, cainfo: sm2Sign(signedText(der), keys.privateKey, { format: 'der', encoding: 'base64' }) };
      expect((await call(derSigned, { apikey: w.keys.pharmacy })).infcode).toBe(0);
      const tampered = { ...signed, input: { data: { type: 'naty' } } };
      expect((await call(tampered, { apikey: w.keys.pharmacy })).err_msg).toBe('报文SM2签名验证失败');
    } finally {
      await setCredentialOptions(w.db, SYSTEM_ACTOR, PHARMACY, { msg_sign_required: false });
    }
  });
});

describe('sign-in (9001 / 9002) and sign_no', () => {
  test('9001 again the same day by the same operator returns the same sign_no; another operator gets another', async () => {
    expect(await w.signIn()).toBe(signNo);
    const other = await w.signIn('0009');
    expect(other).not.toBe(signNo);
  });

  test('a transaction needs a sign_no; an unknown one, another institution’s, or a signed-out one is refused', async () => {
    expect((await call(dictCall({ sign_no: '' }))).err_msg).toMatch(/^未签到：请先调用 9001 签到/);
    expect((await call(dictCall({ sign_no: '990100000000000000000000000000' }))).err_msg).toMatch(/无效，请重新签到/);
    const pharmacySign = await w.signIn('p01', PHARMACY);
    expect((await call(dictCall({ sign_no: pharmacySign }))).err_msg).toMatch(/无效，请重新签到/);
    const temp = await w.signIn('0050');
    expect((await call(dictCall({ sign_no: temp }))).infcode).toBe(0);
    const out = await call(w.envelope('9002', { signOut: { sign_no: temp, opter_no: '0050' } }));
    expect(out.infcode).toBe(0);
    expect((out.output as unknown as { signoutoutb: { sign_time: string } }).signoutoutb.sign_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await call(dictCall({ sign_no: temp }))).err_msg).toMatch(/已签退，请重新签到/);
    // a new sign-in after sign-out gets a new serial
    const next = await w.signIn('0050');
    expect(next).not.toBe(temp);
  });

  test('9002 refuses a serial already signed out, another operator’s, or an unknown one', async () => {
    const s = await w.signIn('0060');
    expect((await call(w.envelope('9002', { signOut: { sign_no: s, opter_no: '0061' } }))).err_msg).toMatch(/不属于操作员 0061/);
    expect((await call(w.envelope('9002', { signOut: { sign_no: s, opter_no: '0060' } }))).infcode).toBe(0);
    expect((await call(w.envelope('9002', { signOut: { sign_no: s, opter_no: '0060' } }))).err_msg).toMatch(/已于 .* 签退/);
    expect((await call(w.envelope('9002', { signOut: { sign_no: 'nope', opter_no: '0060' } }))).err_msg).toMatch(/不存在/);
  });

  test('a sign_no from an earlier day is no longer valid', async () => {
    const s = await w.signIn('0070');
    await w.db.k.updateTable('gateway_signin').set({ sign_date: addDays(beijingDate(), -1) }).where('sign_no', '=', s).execute();
    expect((await call(dictCall({ sign_no: s }))).err_msg).toMatch(/的签到，已失效，请重新签到/);
  });

  test('an institution exempted from sign-in is served without a sign_no', async () => {
    expect((await call(w.envelope('1901', { data: { type: 'gend' } }, { fixmedins_code: PHARMACY }), { apikey: w.keys.pharmacy })).infcode).toBe(0);
    await setCredentialOptions(w.db, SYSTEM_ACTOR, PHARMACY, { signin_required: true });
    expect((await call(w.envelope('1901', { data: { type: 'gend' } }, { fixmedins_code: PHARMACY }), { apikey: w.keys.pharmacy })).err_msg).toMatch(/未签到/);
    await setCredentialOptions(w.db, SYSTEM_ACTOR, PHARMACY, { signin_required: false });
  });

  test('sign-in of an institution that is not designated today is refused', async () => {
    await w.db.k.updateTable('fixmedins').set({ enddate: '2021-12-31' }).where('fixmedins_code', '=', HOSPITAL).execute();
    invalidate('institution'); // raw update: the institution service would invalidate the cache itself
    try {
      const a = await call(w.envelope('9001', { signIn: { opter_no: '0080', mac: '', ip: '' } }));
      expect(a.err_msg).toMatch(/不是定点机构/);
    } finally {
      await w.db.k.updateTable('fixmedins').set({ enddate: null }).where('fixmedins_code', '=', HOSPITAL).execute();
      invalidate('institution');
    }
  });
});
