/**
 * Message-level SM2 signature check — the hook the envelope's `signtype` / `cainfo` fields exist for (reference
 * §6.1). Off by default: real clients send these fields empty and authentication is done by the gateway (§6.2).
 * Turned on per institution (`msg_sign_required`, with the institution's SM2 public key registered).
 *
 * The scheme yibao defines (no national text fixes one for the HIS interface):
 * - `signtype` = "SM2";
 * - `cainfo` = the SM2 signature (SM3 digest with the default signer id 1234567812345678), r‖s as 128 hex digits,
 *   or DER, hex or Base64;
 * - the signed text = canonical JSON of the whole request body without `cainfo` and `signtype`: object keys sorted
 *   at every level, no whitespace, strings and numbers as JSON.stringify writes them.
 * Verification is done by platform/gm-crypto's sm2Verify.
 */
import { unauthenticated } from '../platform/errors.js';
import { sm2Verify, type GmEncoding, type Sm2SignatureFormat } from '../platform/gm-crypto.js';
import { canonicalJson } from './schema.js';
import type { Credential } from './types.js';

/** The text an institution signs: the body without cainfo/signtype, in canonical JSON. */
export function signedText(body: Record<string, unknown>): string {
  const { cainfo: _c, signtype: _s, ...rest } = body;
  return canonicalJson(rest);
}

/** A verifier for the hook; replaceable (tests, a hardware security module). */
export type MessageVerifier = (body: Record<string, unknown>, credential: Credential) => void;

/** The default: nothing to do unless the institution is required to sign; then SM2 over the signed text. */
export const verifyMessageSignature: MessageVerifier = (body, credential) => {
  if (!credential.msg_sign_required) return;
  const signtype = typeof body.signtype === 'string' ? body.signtype.trim().toUpperCase() : '';
  const cainfo = typeof body.cainfo === 'string' ? body.cainfo.trim() : '';
  if (signtype !== 'SM2' || !cainfo) throw unauthenticated('本机构须对报文签名：signtype 应为 SM2，cainfo 应为报文的SM2签名');
  if (!credential.sm2_pubkey) throw unauthenticated('本机构未登记SM2公钥，无法验证报文签名');
  const text = signedText(body);
  const encodings: GmEncoding[] = /^[0-9a-fA-F]+$/.test(cainfo) ? ['hex'] : ['base64'];
  const formats: Sm2SignatureFormat[] = ['raw', 'der'];
  for (const encoding of encodings) {
    for (const format of formats) {
      if (sm2Verify(text, cainfo, credential.sm2_pubkey, { encoding, format })) return;
    }
  }
  throw unauthenticated('报文SM2签名验证失败');
};
