/**
 * Institution credentials for the national interface and the HTTP-level authentication in front of the JSON
 * service (reference §6.2). Two schemes, either one per request:
 * - `apikey` header: the key issued to the institution; stored only as its SHA-256.
 * - TIF header signature: `x-tif-paasid`, `x-tif-timestamp` (Unix seconds; milliseconds tolerated),
 *   `x-tif-nonce`, `x-tif-signature` = lower-case hex SHA-256(timestamp + token + nonce + timestamp), token being the
 *   secret issued with the paasid. A timestamp more than `maxSkewSeconds` away from now is stale; a nonce seen
 *   within that window is a replay (remembered per process).
 * The institution is the envelope's `fixmedins_code`; the credential must be active and the institution designated.
 * Issuing returns the apikey (and TIF token) once; the operator hands them to the hospital.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../platform/db.js';
import { conflict, notFound, unauthenticated, validationError } from '../platform/errors.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { getInstitution } from '../standards/institutions/institutions.js';
import { RefCache, writingTo } from '../platform/cache.js';
import type { Credential } from './types.js';
import type { Selectable } from 'kysely';
import type { GatewayCredentialTable } from './types.js';

/**
 * Credentials by institution, cached (every request authenticates): issuing, re-issuing, enabling, disabling and
 * changing options in this process invalidate at once; a change made by another process (the CLI while the server
 * runs) is seen within the 10 s lifetime (platform/cache.ts, single-process assumption).
 */
const credentials = new RefCache<Selectable<GatewayCredentialTable> | undefined>('credential', { max: 20_000, ttlMs: 10_000 });

export const TIF_MAX_SKEW_SECONDS = 300;

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface IssueOptions {
  fixmedins_code: string;
  /** Also issue a TIF token for this paasid (e.g. the one the hospital's gateway client is configured with). */
  tif_paasid?: string | null;
  /** Institution's SM2 public key (hex) for message-level signatures. */
  sm2_pubkey?: string | null;
  signin_required?: boolean;
  msg_sign_required?: boolean;
}

export interface IssuedCredential {
  fixmedins_code: string;
  /** Shown once; only its hash is kept. */
  apikey: string;
  tif_paasid: string | null;
  /** Shown once (kept as issued: the TIF signature is computed from it). */
  tif_token: string | null;
}

/**
 * Issues (or re-issues, replacing the old key) the interface credential of a designated institution. Returns the
 * apikey and TIF token in clear this one time. For the CLI and the console.
 */
export async function issueCredential(db: Db, actor: Actor, opts: IssueOptions): Promise<IssuedCredential> {
  const inst = await getInstitution(db, opts.fixmedins_code);
  if (!inst) throw notFound(`定点医药机构 ${opts.fixmedins_code} 不存在或当前不是定点机构`);
  if (opts.tif_paasid !== undefined && opts.tif_paasid !== null && !/^[\w.-]{1,64}$/.test(opts.tif_paasid)) {
    throw validationError('paasid 只能由字母、数字、下划线、点和横线组成（最多64个字符）', [{ field: 'tif_paasid', message: '格式错误' }]);
  }
  if (opts.msg_sign_required && !opts.sm2_pubkey) throw validationError('要求报文签名时必须登记机构的SM2公钥', [{ field: 'sm2_pubkey', message: '缺少SM2公钥' }]);
  if (opts.sm2_pubkey && !/^(04[0-9a-fA-F]{128}|[0-9a-fA-F]{128}|0[23][0-9a-fA-F]{64})$/.test(opts.sm2_pubkey)) {
    throw validationError('SM2公钥应为十六进制（04‖x‖y、x‖y 或压缩格式）', [{ field: 'sm2_pubkey', message: '格式错误' }]);
  }
  const apikey = `ybk_${randomBytes(24).toString('base64url')}`;
  const tif_paasid = opts.tif_paasid || null;
  const tif_token = tif_paasid ? randomBytes(16).toString('hex') : null;
  const row = {
    fixmedins_code: opts.fixmedins_code,
    apikey_hash: sha256Hex(apikey),
    apikey_hint: apikey.slice(-4),
    tif_paasid,
    tif_token,
    sm2_pubkey: opts.sm2_pubkey?.toLowerCase() ?? null,
    signin_required: opts.signin_required ?? true,
    msg_sign_required: opts.msg_sign_required ?? false,
    status: 'active' as const,
    updated_at: new Date(),
  };
  await writingTo('credential', () => db.k.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('gateway_credential').select(['apikey_hint', 'tif_paasid', 'signin_required', 'msg_sign_required', 'status']).where('fixmedins_code', '=', opts.fixmedins_code).forUpdate().executeTakeFirst();
    await trx
      .insertInto('gateway_credential')
      .values(row)
      .onConflict((oc) => oc.column('fixmedins_code').doUpdateSet({ ...row, issued_at: new Date() }))
      .execute();
    await recordOperation(trx, actor, {
      action: before ? 'gateway.credential.reissue' : 'gateway.credential.issue',
      target_type: 'gateway_credential',
      target_id: opts.fixmedins_code,
      admdvs: inst.admdvs,
      before: before ?? null,
      after: { apikey_hint: row.apikey_hint, tif_paasid, signin_required: row.signin_required, msg_sign_required: row.msg_sign_required, sm2_pubkey: row.sm2_pubkey ? 'set' : null },
    });
  }));
  return { fixmedins_code: opts.fixmedins_code, apikey, tif_paasid, tif_token };
}

/** Enables or disables an institution's credential (a disabled one is refused at once). */
export async function setCredentialStatus(db: Db, actor: Actor, fixmedins_code: string, status: 'active' | 'disabled'): Promise<void> {
  await writingTo('credential', () => db.k.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('gateway_credential').select('status').where('fixmedins_code', '=', fixmedins_code).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`定点医药机构 ${fixmedins_code} 尚未开通接口凭证`);
    if (before.status === status) throw conflict(`接口凭证已是${status === 'active' ? '启用' : '停用'}状态`);
    await trx.updateTable('gateway_credential').set({ status, updated_at: new Date() }).where('fixmedins_code', '=', fixmedins_code).execute();
    await recordOperation(trx, actor, { action: 'gateway.credential.status', target_type: 'gateway_credential', target_id: fixmedins_code, before, after: { status } });
  }));
}

/** Changes the per-institution switches without touching the keys. */
export async function setCredentialOptions(db: Db, actor: Actor, fixmedins_code: string, opts: { signin_required?: boolean; msg_sign_required?: boolean; sm2_pubkey?: string | null }): Promise<void> {
  await writingTo('credential', () => db.k.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('gateway_credential').select(['signin_required', 'msg_sign_required', 'sm2_pubkey']).where('fixmedins_code', '=', fixmedins_code).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`定点医药机构 ${fixmedins_code} 尚未开通接口凭证`);
    const after = {
      signin_required: opts.signin_required ?? before.signin_required,
      msg_sign_required: opts.msg_sign_required ?? before.msg_sign_required,
      sm2_pubkey: opts.sm2_pubkey === undefined ? before.sm2_pubkey : opts.sm2_pubkey?.toLowerCase() ?? null,
    };
    if (after.msg_sign_required && !after.sm2_pubkey) throw validationError('要求报文签名时必须登记机构的SM2公钥', [{ field: 'sm2_pubkey', message: '缺少SM2公钥' }]);
    await trx.updateTable('gateway_credential').set({ ...after, updated_at: new Date() }).where('fixmedins_code', '=', fixmedins_code).execute();
    await recordOperation(trx, actor, { action: 'gateway.credential.options', target_type: 'gateway_credential', target_id: fixmedins_code, before: { ...before, sm2_pubkey: before.sm2_pubkey ? 'set' : null }, after: { ...after, sm2_pubkey: after.sm2_pubkey ? 'set' : null } });
  }));
}

/** The credential without secrets, for listings. */
export async function describeCredential(db: Db, fixmedins_code: string) {
  return db.k
    .selectFrom('gateway_credential')
    .select(['fixmedins_code', 'apikey_hint', 'tif_paasid', 'signin_required', 'msg_sign_required', 'status', 'issued_at', 'updated_at'])
    .where('fixmedins_code', '=', fixmedins_code)
    .executeTakeFirst();
}

export type AuthWay = 'apikey' | 'tif';

/** Remembers TIF nonces inside the freshness window, so that a captured request cannot be sent again. */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly windowMs: number) {}
  /** True when the nonce is new (and now remembered); false for a replay. */
  remember(key: string, nowMs: number): boolean {
    if (this.seen.size > 10_000) for (const [k, exp] of this.seen) if (exp < nowMs) this.seen.delete(k);
    const exp = this.seen.get(key);
    if (exp !== undefined && exp >= nowMs) return false;
    this.seen.set(key, nowMs + 2 * this.windowMs);
    return true;
  }
}

export interface AuthOptions {
  maxSkewSeconds: number;
  nonces: NonceCache;
  now: () => Date;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() ? s.trim() : undefined;
}

/**
 * Authenticates a request for the institution named in its envelope. Returns the credential and the scheme used;
 * throws UNAUTHENTICATED with a Chinese reason otherwise (the reason never says whether the key was close).
 */
export async function authenticate(db: Db, fixmedins_code: string, headers: Record<string, unknown>, opts: AuthOptions): Promise<{ credential: Credential; way: AuthWay }> {
  const row = await credentials.get(db, fixmedins_code, () => db.k.selectFrom('gateway_credential').selectAll().where('fixmedins_code', '=', fixmedins_code).executeTakeFirst());
  const tif = { paasid: header(headers, 'x-tif-paasid'), timestamp: header(headers, 'x-tif-timestamp'), nonce: header(headers, 'x-tif-nonce'), signature: header(headers, 'x-tif-signature') };
  const apikey = header(headers, 'apikey');
  if (!apikey && !tif.signature && !tif.paasid) throw unauthenticated('缺少接口认证信息：请在HTTP头中提供 apikey，或 x-tif-paasid / x-tif-timestamp / x-tif-nonce / x-tif-signature');
  if (!row) throw unauthenticated(`定点医药机构 ${fixmedins_code} 未开通接口访问凭证`);
  if (row.status !== 'active') throw unauthenticated(`定点医药机构 ${fixmedins_code} 的接口访问凭证已停用`);
  const credential: Credential = {
    fixmedins_code: row.fixmedins_code,
    tif_paasid: row.tif_paasid,
    tif_token: row.tif_token,
    sm2_pubkey: row.sm2_pubkey,
    signin_required: row.signin_required,
    msg_sign_required: row.msg_sign_required,
    status: row.status,
  };
  if (tif.paasid || tif.signature) {
    if (!tif.paasid || !tif.timestamp || !tif.nonce || !tif.signature) throw unauthenticated('TIF签名认证信息不完整：需要 x-tif-paasid、x-tif-timestamp、x-tif-nonce、x-tif-signature');
    if (!row.tif_paasid || !row.tif_token || row.tif_paasid !== tif.paasid) throw unauthenticated('x-tif-paasid 与本机构登记的不符');
    if (!/^\d{10}(\d{3})?$/.test(tif.timestamp)) throw unauthenticated('x-tif-timestamp 应为Unix时间戳（秒）');
    const tsMs = tif.timestamp.length === 13 ? Number(tif.timestamp) : Number(tif.timestamp) * 1000;
    const nowMs = opts.now().getTime();
    if (Math.abs(nowMs - tsMs) > opts.maxSkewSeconds * 1000) throw unauthenticated(`x-tif-timestamp 已过期或超前（与服务器时间相差超过${opts.maxSkewSeconds}秒）`);
    if (tif.nonce.length > 128) throw unauthenticated('x-tif-nonce 过长');
    const expected = sha256Hex(`${tif.timestamp}${row.tif_token}${tif.nonce}${tif.timestamp}`);
    if (!sameHex(expected, tif.signature)) throw unauthenticated('x-tif-signature 签名验证失败');
    if (!opts.nonces.remember(`${fixmedins_code}|${tif.nonce}`, nowMs)) throw unauthenticated('x-tif-nonce 已使用过（疑似重放请求）');
    return { credential, way: 'tif' };
  }
  if (!sameHex(sha256Hex(apikey!), row.apikey_hash.trim())) throw unauthenticated('apikey 无效');
  return { credential, way: 'apikey' };
}

/** What a TIF client sends (for tests, the CLI's self-check and HIS developers' reference). */
export function tifHeaders(paasid: string, token: string, at: Date = new Date(), nonce: string = randomBytes(16).toString('hex')): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { 'x-tif-paasid': paasid, 'x-tif-timestamp': timestamp, 'x-tif-nonce': nonce, 'x-tif-signature': sha256Hex(`${timestamp}${token}${nonce}${timestamp}`) };
}
