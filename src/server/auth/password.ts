/**
 * Staff passwords: scrypt (node:crypto) with a random 16-byte salt; the parameters travel with the hash
 * (`scrypt$N$r$p$salt$hash`, base64url) so they can be raised later without breaking stored hashes.
 * Comparison is constant-time. Also the minimum password rules and a generator for one-time passwords.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const SALT_LEN = 16;

function derive(password: string, salt: Buffer, opts: ScryptOptions, keyLen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLen, { ...opts, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await derive(password, salt, { N, r: R, p: P }, KEY_LEN);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when the password matches the stored hash; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isSafeInteger(x) && x > 0) || n > 1 << 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (!salt.length || !expected.length) return false;
  const key = await derive(password, salt, { N: n, r, p }, expected.length);
  return timingSafeEqual(key, expected);
}

/** A hash of a random password: verified against when the login name is unknown, so timing does not tell. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** The minimum rules; returns a Chinese problem text, or null when the password is acceptable. */
export function passwordProblem(password: string, login?: string): string | null {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) return `密码长度应为 ${PASSWORD_MIN}–${PASSWORD_MAX} 个字符`;
  if (/\s/.test(password)) return '密码不能包含空白字符';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字';
  if (login && password.toLowerCase().includes(login.toLowerCase())) return '密码不能包含登录名';
  if (/^(.)\1+$/.test(password) || /^(?:0123456789|1234567890|12345678|password|qwerty)/i.test(password)) return '密码过于简单';
  return null;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A 14-character password (letters and digits, no look-alikes) that passes the rules. */
/** A random password that passes every rule, including "must not contain the login name" for `loginName`. */
export function generatePassword(loginName?: string): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < 14; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    if (passwordProblem(s, loginName) === null) return s;
  }
}
