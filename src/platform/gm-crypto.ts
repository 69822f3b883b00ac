/**
 * 国密 (national commercial cryptography) for the national interface security layer:
 * - SM3 hash (GB/T 32905-2016) and HMAC-SM3 (GM/T 0042-2015);
 * - SM4 block cipher (GB/T 32907-2016), ECB and CBC with PKCS#7 padding;
 * - SM2 on the recommended curve (GB/T 32918.1–5-2016/2017): key pairs, signatures, public-key encryption.
 *
 * Engines. SM3 and SM4 run on node:crypto (OpenSSL 3; Node's bundled OpenSSL has sm3 and sm4-ecb/-cbc, checked on
 * Node 20.20). A Node linked to a system OpenSSL configured without them (OpenSSL's no-sm3 / no-sm4 options)
 * would lack them, so at load each is checked against its published vector and, failing that, served by the
 * pure-JS sm-crypto-v2 instead; `gmEngines` says which one is in use. SM2 always runs on sm-crypto-v2:
 * node:crypto has no API to set the SM2 signer id that Z_A is computed from, nor to choose the ciphertext layout.
 *
 * Conventions, the same in every function:
 * - A message, plaintext or HMAC key given as a string is UTF-8 text; a Uint8Array is taken as the bytes it holds.
 * - SM2 keys are hex, as the SDKs exchange them: private key 64 digits; public key 04‖x‖y (130), x‖y without the
 *   04 (128, as sm-crypto writes it) or compressed 02/03‖x (66). Public keys come out as 04‖x‖y.
 * - The SM4 key and IV are 16 bytes: a Uint8Array, or a string of 32 hex digits. A 16-character text key is
 *   refused rather than guessed at; pass Buffer.from(text, 'utf8') if that is what the other side means.
 * - Ciphertexts and signatures come out as lower-case hex (or base64 on request) and are read back the same way
 *   (hex in either case) or as bytes. Some peers want upper-case hex: `.toUpperCase()` the result.
 * - A bad key, IV, encoding or an undecryptable ciphertext throws YibaoError VALIDATION with a Chinese message that
 *   never says which check failed inside a decryption (no padding oracle). sm2Verify never throws for a bad
 *   signature, only answers false.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { sm2 as sm2js, sm3 as sm3js, sm4 as sm4js } from 'sm-crypto-v2';
import { validationError } from './errors.js';

/** Bytes as they are, or text (encoded as UTF-8). */
export type BytesOrText = Uint8Array | string;
/** Text form of ciphertexts and signatures. */
export type GmEncoding = 'hex' | 'base64';

// ---------------------------------------------------------------------------------------------------------------
// Bytes and their text forms

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function bytesOf(data: BytesOrText): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function encode(bytes: Uint8Array, encoding: GmEncoding): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
}

/** Strict decoding: Buffer.from(…, 'hex') stops silently at the first bad character, which would cut a key short. */
function decode(text: string, encoding: GmEncoding, field: string, what: string): Uint8Array {
  if (encoding === 'hex') {
    if (!HEX_RE.test(text)) throw validationError(`${what}不是有效的十六进制串`, [{ field, message: '不是有效的十六进制串' }]);
    return Buffer.from(text, 'hex');
  }
  if (!BASE64_RE.test(text)) throw validationError(`${what}不是有效的Base64串`, [{ field, message: '不是有效的Base64串' }]);
  return Buffer.from(text, 'base64');
}

function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw validationError(`${what}解密结果不是有效的UTF-8文本`, [{ field: 'ciphertext', message: '解密结果不是UTF-8文本' }]);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------------------------
// Engines for SM3 and SM4, chosen once at load by a known-answer test

interface Sm3Engine {
  hash(data: Uint8Array): Uint8Array;
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
}

/** Raw SM4 over whole 16-byte blocks, no padding (padding is done here, identically for both engines). */
interface Sm4Engine {
  encrypt(mode: Sm4Mode, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array;
  decrypt(mode: Sm4Mode, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array;
}

const nodeSm3: Sm3Engine = {
  hash: (data) => createHash('sm3').update(data).digest(),
  hmac: (key, data) => createHmac('sm3', key).update(data).digest(),
};

const jsSm3: Sm3Engine = {
  hash: (data) => Buffer.from(sm3js(data), 'hex'),
  hmac: (key, data) => Buffer.from(sm3js(data, { key, mode: 'hmac' }), 'hex'),
};

const nodeSm4: Sm4Engine = {
  encrypt(mode, key, iv, data) {
    const c = createCipheriv(`sm4-${mode}`, key, iv);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(data), c.final()]);
  },
  decrypt(mode, key, iv, data) {
    const d = createDecipheriv(`sm4-${mode}`, key, iv);
    d.setAutoPadding(false);
    return Buffer.concat([d.update(data), d.final()]);
  },
};

// sm-crypto-v2's own PKCS#7 handling accepts a pad byte of 0 or > 16 and drops a trailing partial block, so it is
// only ever asked for raw blocks.
const jsSm4: Sm4Engine = {
  encrypt: (mode, key, iv, data) => sm4js.encrypt(data, key, { mode, iv: iv ?? undefined, padding: 'none', output: 'array' }),
  decrypt: (mode, key, iv, data) => sm4js.decrypt(data, key, { mode, iv: iv ?? undefined, padding: 'none', output: 'array' }),
};

// Known answers: GB/T 32905-2016 A.1 and GB/T 32907-2016 A.1 (key = plaintext).
const KAT_SM3_ABC = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
const KAT_SM4_KEY = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
const KAT_SM4_CIPHER = '681edf34d206965e86b3e94f536e4246';

function nodeSm3Works(): boolean {
  try {
    return toHex(nodeSm3.hash(Buffer.from('abc'))) === KAT_SM3_ABC;
  } catch {
    return false; // "Digest method not supported": OpenSSL without SM3
  }
}

function nodeSm4Works(): boolean {
  try {
    const iv = new Uint8Array(16);
    return (
      toHex(nodeSm4.encrypt('ecb', KAT_SM4_KEY, null, KAT_SM4_KEY)) === KAT_SM4_CIPHER &&
      // CBC with a zero IV on one block is ECB, so the same answer proves sm4-cbc is there too.
      toHex(nodeSm4.encrypt('cbc', KAT_SM4_KEY, iv, KAT_SM4_KEY)) === KAT_SM4_CIPHER
    );
  } catch {
    return false; // "Unknown cipher": OpenSSL without SM4
  }
}

const useNodeSm3 = nodeSm3Works();
const useNodeSm4 = nodeSm4Works();
const sm3Engine = useNodeSm3 ? nodeSm3 : jsSm3;
const sm4Engine = useNodeSm4 ? nodeSm4 : jsSm4;

export type GmEngineName = 'node:crypto' | 'sm-crypto-v2';

/** Which implementation serves SM3 and SM4 in this process (for diagnostics); SM2 is always sm-crypto-v2. */
export const gmEngines: Readonly<{ sm3: GmEngineName; sm4: GmEngineName }> = Object.freeze({
  sm3: useNodeSm3 ? 'node:crypto' : 'sm-crypto-v2',
  sm4: useNodeSm4 ? 'node:crypto' : 'sm-crypto-v2',
});

/**
 * Both SM3/SM4 engines, so that the tests hold the fallback to the same published vectors as the engine in use.
 * Not for application code: it bypasses every check below.
 */
export const gmEnginesForTests = Object.freeze({
  node: Object.freeze({ sm3: nodeSm3, sm4: nodeSm4 }),
  js: Object.freeze({ sm3: jsSm3, sm4: jsSm4 }),
});

// ---------------------------------------------------------------------------------------------------------------
// SM3

/** SM3 digest (32 bytes). */
export function sm3(data: BytesOrText): Uint8Array {
  return sm3Engine.hash(bytesOf(data));
}

/** SM3 digest as 64 lower-case hex digits. */
export function sm3Hex(data: BytesOrText): string {
  return toHex(sm3(data));
}

/** HMAC-SM3 (HMAC of RFC 2104 over SM3, as GM/T 0042-2015 specifies), 32 bytes. A string key is UTF-8 text. */
export function hmacSm3(key: BytesOrText, data: BytesOrText): Uint8Array {
  return sm3Engine.hmac(bytesOf(key), bytesOf(data));
}

/** HMAC-SM3 as 64 lower-case hex digits. */
export function hmacSm3Hex(key: BytesOrText, data: BytesOrText): string {
  return toHex(hmacSm3(key, data));
}

// ---------------------------------------------------------------------------------------------------------------
// SM4

export const SM4_KEY_BYTES = 16;
export const SM4_BLOCK_BYTES = 16;

/** 'ecb' is what the national interface uses for message bodies; 'cbc' needs an IV. */
export type Sm4Mode = 'ecb' | 'cbc';

export interface Sm4Options {
  /** Default 'ecb'. */
  mode?: Sm4Mode;
  /** CBC only, and required there: 16 bytes, or 32 hex digits. */
  iv?: Uint8Array | string;
  /** Default 'pkcs7'. 'none' is for data that is already whole blocks (test vectors, peers that pad themselves). */
  padding?: 'pkcs7' | 'none';
  /** Text form of the ciphertext, out of encrypt and into decrypt. Default 'hex'. */
  encoding?: GmEncoding;
}

function sm4Bytes(value: Uint8Array | string, field: 'key' | 'iv'): Uint8Array {
  const what = field === 'key' ? 'SM4密钥' : 'SM4初始向量(IV)';
  const size = field === 'key' ? SM4_KEY_BYTES : SM4_BLOCK_BYTES; // both 16
  if (typeof value === 'string') {
    if (value.length !== 2 * size || !HEX_RE.test(value)) {
      throw validationError(`${what}格式错误：以字符串给出时应为32位十六进制，实际为${value.length}个字符`, [
        { field, message: '应为16字节（32位十六进制）' },
      ]);
    }
    return Buffer.from(value, 'hex');
  }
  if (value.length !== size) {
    throw validationError(`${what}长度错误：应为16字节，实际为${value.length}字节`, [{ field, message: '应为16字节' }]);
  }
  return value;
}

function sm4Iv(options: Sm4Options): Uint8Array | null {
  const mode = options.mode ?? 'ecb';
  if (mode === 'ecb') {
    // An IV given with ECB means the caller believes it is doing CBC; better to say so than to ignore it.
    if (options.iv !== undefined) throw validationError('SM4 ECB模式不使用初始向量(IV)', [{ field: 'iv', message: 'ECB模式不使用IV' }]);
    return null;
  }
  if (mode !== 'cbc') throw validationError(`不支持的SM4模式：${String(mode)}`, [{ field: 'mode', message: '应为ecb或cbc' }]);
  if (options.iv === undefined) throw validationError('SM4 CBC模式缺少初始向量(IV)', [{ field: 'iv', message: '缺少IV' }]);
  return sm4Bytes(options.iv, 'iv');
}

function pkcs7Pad(data: Uint8Array): Uint8Array {
  const n = SM4_BLOCK_BYTES - (data.length % SM4_BLOCK_BYTES); // 1..16: a whole block when already aligned
  const out = new Uint8Array(data.length + n);
  out.set(data);
  out.fill(n, data.length);
  return out;
}

/** Null when the padding is not PKCS#7. Looks at the whole last block every time, so timing says little. */
function pkcs7Unpad(data: Uint8Array): Uint8Array | null {
  const n = data[data.length - 1] ?? 0;
  let bad = n < 1 || n > SM4_BLOCK_BYTES ? 1 : 0;
  for (let i = 1; i <= SM4_BLOCK_BYTES; i++) {
    const b = data[data.length - i] ?? 0;
    if (i <= n) bad |= b ^ n;
  }
  return bad === 0 ? data.subarray(0, data.length - n) : null;
}

/** SM4 encryption; returns the ciphertext in `options.encoding` (hex by default). */
export function sm4Encrypt(plaintext: BytesOrText, key: Uint8Array | string, options: Sm4Options = {}): string {
  const k = sm4Bytes(key, 'key');
  const iv = sm4Iv(options);
  let data = bytesOf(plaintext);
  if ((options.padding ?? 'pkcs7') === 'pkcs7') {
    data = pkcs7Pad(data);
  } else if (data.length % SM4_BLOCK_BYTES !== 0) {
    throw validationError(`SM4不填充时明文长度应为16字节的整数倍，实际为${data.length}字节`, [
      { field: 'plaintext', message: '长度应为16字节的整数倍' },
    ]);
  }
  return encode(sm4Engine.encrypt(options.mode ?? 'ecb', k, iv, data), options.encoding ?? 'hex');
}

/** SM4 decryption to bytes. The ciphertext is text in `options.encoding` (hex by default) or bytes. */
export function sm4Decrypt(ciphertext: string | Uint8Array, key: Uint8Array | string, options: Sm4Options = {}): Uint8Array {
  const k = sm4Bytes(key, 'key');
  const iv = sm4Iv(options);
  const data =
    typeof ciphertext === 'string' ? decode(ciphertext, options.encoding ?? 'hex', 'ciphertext', 'SM4密文') : ciphertext;
  if (data.length === 0 || data.length % SM4_BLOCK_BYTES !== 0) {
    throw validationError(`SM4密文长度错误：应为16字节的非零整数倍，实际为${data.length}字节`, [
      { field: 'ciphertext', message: '长度应为16字节的整数倍' },
    ]);
  }
  const plain = sm4Engine.decrypt(options.mode ?? 'ecb', k, iv, data);
  if ((options.padding ?? 'pkcs7') === 'none') return plain;
  const unpadded = pkcs7Unpad(plain);
  // Wrong key, wrong mode/IV and a damaged ciphertext all end here, with one message.
  if (!unpadded) throw validationError('SM4解密失败：密钥错误或密文已损坏', [{ field: 'ciphertext', message: '无法解密' }]);
  return unpadded;
}

/** SM4 decryption of a ciphertext whose plaintext is UTF-8 text (a JSON message body, say). */
export function sm4DecryptText(ciphertext: string | Uint8Array, key: Uint8Array | string, options: Sm4Options = {}): string {
  return utf8Text(sm4Decrypt(ciphertext, key, options), 'SM4');
}

// ---------------------------------------------------------------------------------------------------------------
// SM2

/** The signer id used when the parties agree on none (GB/T 35276-2017, GM/T 0009-2012): "1234567812345678". */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** Order n of the recommended curve's base point (GB/T 32918.5-2017). */
const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
/** Z_A starts with ENTL, the id's length in bits, in two bytes: so at most 8191 bytes. */
const MAX_USER_ID_BYTES = 8191;
/** C1 (x‖y, 64) + C3 (32) + at least one byte of C2. */
const MIN_RAW_CIPHER_BYTES = 64 + 32 + 1;

export interface Sm2KeyPair {
  /** 64 hex digits. */
  privateKey: string;
  /** 04‖x‖y, 130 hex digits. */
  publicKey: string;
}

/**
 * 'raw' is r‖s, 64 bytes, as sm-crypto writes it; 'der' is SEQUENCE { r INTEGER, s INTEGER } (GM/T 0009), as
 * BouncyCastle and OpenSSL write it. Which one a peer sends is part of its interface agreement.
 */
export type Sm2SignatureFormat = 'raw' | 'der';

export interface Sm2SignOptions {
  /** Signer id hashed into Z_A; default SM2_DEFAULT_USER_ID. */
  userId?: string;
  /** Default 'raw'. */
  format?: Sm2SignatureFormat;
  /** Default 'hex'. */
  encoding?: GmEncoding;
}

/** Verification reads the signature with the same options it was written with. */
export type Sm2VerifyOptions = Sm2SignOptions;

/**
 * Ciphertext layouts. 'C1C3C2' is GB/T 32918.4-2016; 'C1C2C3' is the order of the 2010 draft and GM/T 0003.4-2012,
 * still sent by older peers; 'asn1' is GM/T 0009-2012's SM2Cipher SEQUENCE { x, y, hash C3, ciphertext C2 }.
 */
export type Sm2CipherFormat = 'C1C3C2' | 'C1C2C3' | 'asn1';

export interface Sm2EncryptOptions {
  /** Default 'C1C3C2'. */
  format?: Sm2CipherFormat;
  /**
   * Raw layouts only. true (default): C1 is written 04‖x‖y, the uncompressed point encoding of GB/T 32918.1, as
   * BouncyCastle's SM2Engine writes it. false: x‖y only, as sm-crypto (browsers) writes it. Decryption accepts both.
   */
  c1Prefix?: boolean;
  /** Default 'hex'. */
  encoding?: GmEncoding;
}

export interface Sm2DecryptOptions {
  /** Default 'C1C3C2'. */
  format?: Sm2CipherFormat;
  /** Text form of a string ciphertext. Default 'hex'. */
  encoding?: GmEncoding;
}

function checkPrivateKey(privateKey: string): string {
  if (typeof privateKey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(privateKey)) {
    throw validationError('SM2私钥格式错误：应为64位十六进制', [{ field: 'privateKey', message: '应为64位十六进制' }]);
  }
  const d = BigInt(`0x${privateKey}`);
  // GB/T 32918.1: d ∈ [1, n−2]; with d = n−1 the signing step's (1 + d)⁻¹ does not exist.
  if (d < 1n || d > SM2_N - 2n) {
    throw validationError('SM2私钥超出范围：应在[1, n-2]之内', [{ field: 'privateKey', message: '超出范围' }]);
  }
  return privateKey.toLowerCase();
}

function isCurvePoint(hex: string): boolean {
  try {
    return sm2js.verifyPublicKey(hex);
  } catch {
    return false; // the library throws, rather than answering false, for a point off the curve
  }
}

/** Validates a public key and returns it as 04‖x‖y or 02/03‖x, lower case. */
function checkPublicKey(publicKey: string): string {
  let hex = typeof publicKey === 'string' ? publicKey : '';
  if (/^[0-9a-fA-F]{128}$/.test(hex)) hex = `04${hex}`;
  if (!/^(?:04[0-9a-fA-F]{128}|0[23][0-9a-fA-F]{64})$/.test(hex)) {
    throw validationError('SM2公钥格式错误：应为04开头的130位、不带04的128位或压缩的66位十六进制', [
      { field: 'publicKey', message: '格式错误' },
    ]);
  }
  if (!isCurvePoint(hex)) {
    throw validationError('SM2公钥无效：不是SM2推荐曲线上的点', [{ field: 'publicKey', message: '不是曲线上的点' }]);
  }
  return hex.toLowerCase();
}

function checkUserId(userId: string | undefined): string {
  const id = userId ?? SM2_DEFAULT_USER_ID;
  if (typeof id !== 'string' || Buffer.byteLength(id, 'utf8') > MAX_USER_ID_BYTES) {
    throw validationError(`SM2用户标识过长：最多${MAX_USER_ID_BYTES}字节`, [{ field: 'userId', message: '过长' }]);
  }
  return id;
}

/** A fresh key pair from the platform CSPRNG (globalThis.crypto.getRandomValues, inside sm-crypto-v2). */
export function sm2GenerateKeyPair(): Sm2KeyPair {
  for (;;) {
    const pair = sm2js.generateKeyPairHex();
    // The library draws d from [1, n−1]; n−1 is not a valid SM2 private key (chance 2⁻²⁵⁶, but cheap to refuse).
    if (BigInt(`0x${pair.privateKey}`) <= SM2_N - 2n) {
      return { privateKey: pair.privateKey.toLowerCase(), publicKey: pair.publicKey.toLowerCase() };
    }
  }
}

/** Public key P = [d]G of a private key, as 04‖x‖y. */
export function sm2PublicKeyFromPrivateKey(privateKey: string): string {
  return sm2js.getPublicKeyFromPrivateKey(checkPrivateKey(privateKey)).toLowerCase();
}

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A), hex: the signer's identity hash that every signature binds. */
export function sm2ZHex(publicKey: string, userId?: string): string {
  return toHex(sm2js.getZ(checkPublicKey(publicKey), checkUserId(userId)));
}

/** e = SM3(Z_A ‖ M), hex: the value actually signed (what to hand a signing device that takes a digest). */
export function sm2DigestHex(message: BytesOrText, publicKey: string, userId?: string): string {
  return sm2js.getHash(bytesOf(message), checkPublicKey(publicKey), checkUserId(userId)).toLowerCase();
}

/**
 * SM2 signature of a message (GB/T 32918.2): the SM3 digest e = SM3(Z_A ‖ M) with the signer id, then (r, s) with a
 * fresh random k. So two signatures of the same message differ; both verify.
 */
export function sm2Sign(message: BytesOrText, privateKey: string, options: Sm2SignOptions = {}): string {
  const d = checkPrivateKey(privateKey);
  const userId = checkUserId(options.userId);
  const publicKey = sm2js.getPublicKeyFromPrivateKey(d);
  const rs = sm2js.doSignature(bytesOf(message), d, { hash: true, publicKey, userId, der: false });
  const raw = Buffer.from(rs, 'hex');
  const signature = options.format === 'der' ? derSignature(raw.subarray(0, 32), raw.subarray(32, 64)) : raw;
  return encode(signature, options.encoding ?? 'hex');
}

/**
 * Verifies an SM2 signature. False for a wrong signature and equally for one that cannot be read (bad hex or base64,
 * wrong length, malformed or non-minimal DER, r or s outside [1, n−1]); a bad public key or user id throws, since
 * that is the caller's configuration, not the peer's message.
 */
export function sm2Verify(
  message: BytesOrText,
  signature: string | Uint8Array,
  publicKey: string,
  options: Sm2VerifyOptions = {},
): boolean {
  const pub = checkPublicKey(publicKey);
  const userId = checkUserId(options.userId);
  let bytes: Uint8Array;
  try {
    bytes = typeof signature === 'string' ? decode(signature, options.encoding ?? 'hex', 'signature', 'SM2签名') : signature;
  } catch {
    return false;
  }
  const rs = options.format === 'der' ? readDerSignature(bytes) : readRawSignature(bytes);
  if (!rs) return false;
  const { r, s } = rs;
  // GB/T 32918.2 B1/B2, checked here so that the answer does not rest on what the library makes of such values.
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
  const rsHex = r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0');
  try {
    return sm2js.doVerifySignature(bytesOf(message), rsHex, pub, { hash: true, userId, der: false });
  } catch {
    return false;
  }
}

/** SM2 public-key encryption (GB/T 32918.4). Refuses an empty plaintext, which the standard does not define. */
export function sm2Encrypt(plaintext: BytesOrText, publicKey: string, options: Sm2EncryptOptions = {}): string {
  const pub = checkPublicKey(publicKey);
  const format = checkCipherFormat(options.format);
  const msg = bytesOf(plaintext);
  if (msg.length === 0) throw validationError('SM2加密的明文不能为空', [{ field: 'plaintext', message: '不能为空' }]);
  let out: Uint8Array;
  do {
    // Library output: x1‖y1‖C3‖C2 (C1 without its 04).
    out = Buffer.from(sm2js.doEncrypt(msg, pub, 1), 'hex');
    // GB/T 32918.4 A5: if t = KDF(x2‖y2) is all zero, pick another k. The library skips that step; t = 0 shows as
    // C2 = M, which for a one-byte message happens once in 256, and would send the plaintext in clear.
  } while (sameBytes(out.subarray(96), msg));
  const c1 = out.subarray(0, 64);
  const c3 = out.subarray(64, 96);
  const c2 = out.subarray(96);
  let result: Uint8Array;
  if (format === 'asn1') {
    result = derSequence([derInteger(c1.subarray(0, 32)), derInteger(c1.subarray(32)), derTlv(0x04, c3), derTlv(0x04, c2)]);
  } else {
    const head = options.c1Prefix === false ? c1 : concatBytes(Uint8Array.of(0x04), c1);
    result = format === 'C1C3C2' ? concatBytes(head, c3, c2) : concatBytes(head, c2, c3);
  }
  return encode(result, options.encoding ?? 'hex');
}

/** SM2 decryption to bytes. Any failure (wrong key, damaged or truncated ciphertext, wrong format) is one error. */
export function sm2Decrypt(ciphertext: string | Uint8Array, privateKey: string, options: Sm2DecryptOptions = {}): Uint8Array {
  const d = checkPrivateKey(privateKey);
  const format = checkCipherFormat(options.format);
  const bytes =
    typeof ciphertext === 'string' ? decode(ciphertext, options.encoding ?? 'hex', 'ciphertext', 'SM2密文') : ciphertext;
  const parts = format === 'asn1' ? readDerCipher(bytes) : readRawCipher(bytes, format);
  if (!parts) throw sm2DecryptFailed();
  let plain: Uint8Array;
  try {
    // The library checks that C1 is on the curve and compares C3; on a mismatch it returns an empty result.
    plain = sm2js.doDecrypt(toHex(parts.c1) + toHex(parts.c3) + toHex(parts.c2), d, 1, { output: 'array' });
  } catch {
    throw sm2DecryptFailed();
  }
  // Length mismatch covers the library's empty "failed" answer; C2 = M means t was all zero (GB/T 32918.4 B4).
  if (plain.length !== parts.c2.length || sameBytes(plain, parts.c2)) throw sm2DecryptFailed();
  return Uint8Array.from(plain);
}

/** SM2 decryption of a ciphertext whose plaintext is UTF-8 text. */
export function sm2DecryptText(ciphertext: string | Uint8Array, privateKey: string, options: Sm2DecryptOptions = {}): string {
  return utf8Text(sm2Decrypt(ciphertext, privateKey, options), 'SM2');
}

function sm2DecryptFailed() {
  return validationError('SM2解密失败：密文无效或与私钥不匹配', [{ field: 'ciphertext', message: '无法解密' }]);
}

function checkCipherFormat(format: Sm2CipherFormat | undefined): Sm2CipherFormat {
  const f = format ?? 'C1C3C2';
  if (f !== 'C1C3C2' && f !== 'C1C2C3' && f !== 'asn1') {
    throw validationError(`不支持的SM2密文格式：${String(f)}`, [{ field: 'format', message: '应为C1C3C2、C1C2C3或asn1' }]);
  }
  return f;
}

interface CipherParts {
  /** x1‖y1, 64 bytes. */
  c1: Uint8Array;
  c3: Uint8Array;
  c2: Uint8Array;
}

/**
 * Splits a raw ciphertext, with or without the 04 before C1. Length cannot tell the two apart (C2 has any length),
 * so: a leading 04 whose 65 bytes are a point on the curve is the prefix. Reading an unprefixed ciphertext that
 * happens to start with 04 as prefixed needs x‖y shifted by a byte to land on the curve: chance about 2⁻²⁵⁶.
 */
function readRawCipher(bytes: Uint8Array, format: 'C1C3C2' | 'C1C2C3'): CipherParts | null {
  let body = bytes;
  if (bytes.length >= MIN_RAW_CIPHER_BYTES + 1 && bytes[0] === 0x04 && isCurvePoint(toHex(bytes.subarray(0, 65)))) {
    body = bytes.subarray(1);
  }
  if (body.length < MIN_RAW_CIPHER_BYTES) return null;
  const c1 = body.subarray(0, 64);
  if (format === 'C1C3C2') return { c1, c3: body.subarray(64, 96), c2: body.subarray(96) };
  return { c1, c2: body.subarray(64, body.length - 32), c3: body.subarray(body.length - 32) };
}

// ---------------------------------------------------------------------------------------------------------------
// DER, just the two shapes needed, read strictly (one encoding per value, so a signature has no malleable twin)

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function derTlv(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), derLength(value.length), value);
}

function derSequence(items: Uint8Array[]): Uint8Array {
  return derTlv(0x30, concatBytes(...items));
}

/** A non-negative integer from unsigned big-endian bytes, minimal: leading zeros dropped, one 00 when the top bit is set. */
function derInteger(unsigned: Uint8Array): Uint8Array {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  const v = unsigned.subarray(i);
  return derTlv(0x02, (v[0] ?? 0) & 0x80 ? concatBytes(Uint8Array.of(0), v) : v);
}

function derSignature(r: Uint8Array, s: Uint8Array): Uint8Array {
  return derSequence([derInteger(r), derInteger(s)]);
}

interface Tlv {
  value: Uint8Array;
  next: number;
}

function readTlv(bytes: Uint8Array, pos: number, tag: number): Tlv | null {
  if (bytes[pos] !== tag) return null;
  let p = pos + 1;
  const first = bytes[p++];
  if (first === undefined) return null;
  let len = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 3) return null; // indefinite length, or more than 16 MB
    len = 0;
    for (let i = 0; i < count; i++) {
      const b = bytes[p++];
      if (b === undefined || (i === 0 && b === 0)) return null; // non-minimal length
      len = len * 256 + b;
    }
    if (len < 0x80) return null; // should have been the short form
  }
  if (p + len > bytes.length) return null;
  return { value: bytes.subarray(p, p + len), next: p + len };
}

/** A DER INTEGER that must be non-negative, minimally encoded and fit in 32 bytes. */
function readUint256(bytes: Uint8Array, pos: number): { value: bigint; next: number } | null {
  const t = readTlv(bytes, pos, 0x02);
  if (!t) return null;
  const v = t.value;
  const b0 = v[0];
  if (b0 === undefined || b0 & 0x80) return null; // empty, or negative
  if (v.length > 1 && b0 === 0 && !((v[1] ?? 0) & 0x80)) return null; // needless leading zero
  const digits = b0 === 0 && v.length > 1 ? v.subarray(1) : v;
  if (digits.length > 32) return null;
  return { value: BigInt(`0x${toHex(v)}`), next: t.next };
}

function uint256Bytes(value: bigint): Uint8Array {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
}

function readRawSignature(bytes: Uint8Array): { r: bigint; s: bigint } | null {
  if (bytes.length !== 64) return null;
  return { r: BigInt(`0x${toHex(bytes.subarray(0, 32))}`), s: BigInt(`0x${toHex(bytes.subarray(32))}`) };
}

function readDerSignature(bytes: Uint8Array): { r: bigint; s: bigint } | null {
  const seq = readTlv(bytes, 0, 0x30);
  if (!seq || seq.next !== bytes.length) return null;
  const r = readUint256(seq.value, 0);
  if (!r) return null;
  const s = readUint256(seq.value, r.next);
  if (!s || s.next !== seq.value.length) return null;
  return { r: r.value, s: s.value };
}

function readDerCipher(bytes: Uint8Array): CipherParts | null {
  const seq = readTlv(bytes, 0, 0x30);
  if (!seq || seq.next !== bytes.length) return null;
  const body = seq.value;
  const x = readUint256(body, 0);
  if (!x) return null;
  const y = readUint256(body, x.next);
  if (!y) return null;
  const c3 = readTlv(body, y.next, 0x04);
  if (!c3 || c3.value.length !== 32) return null;
  const c2 = readTlv(body, c3.next, 0x04);
  if (!c2 || c2.next !== body.length || c2.value.length === 0) return null;
  return { c1: concatBytes(uint256Bytes(x.value), uint256Bytes(y.value)), c3: c3.value, c2: c2.value };
}
