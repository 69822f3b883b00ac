/**
 * The national message envelope: reading the request (公共输入参数, reference §1.2) and writing the response
 * (公共输出参数, §1.3 and the checklist in §7): infcode as the JSON number 0 or -1, inf_refmsgid, refmsg_time and
 * respond_time always filled, err_msg null on success, warn_msg / cainfo / signtype / enctype present as null.
 */
import { Type } from '@sinclair/typebox';
import { describeProblem, validationError, type YibaoError } from '../platform/errors.js';
import { compactTime } from '../platform/time.js';
import { C, OptC, readAgainst } from './schema.js';
import type { Envelope } from './types.js';

/** `input` is limited to 40 000 characters by the envelope definition (§1.1). */
export const INPUT_MAX_CHARS = 40_000;
/** 9101 文件上传 carries a whole file (base64 or a byte array) in `input`: its own cap instead of INPUT_MAX_CHARS. */
export const FILE_UPLOAD_MAX_CHARS = 20 * 1024 * 1024;

/** The `input` cap of a transaction, by the infno as sent (read before the envelope is checked). */
export function inputMaxChars(infno: string | null): number {
  return infno?.trim().toUpperCase() === '9101' ? FILE_UPLOAD_MAX_CHARS : INPUT_MAX_CHARS;
}

export const EnvelopeSchema = Type.Object(
  {
    infno: Type.String({ pattern: '^[0-9A-Za-z]{4,6}$', description: '交易编号（4–6位，可带字母后缀，如 2203A）' }),
    msgid: Type.String({ minLength: 1, maxLength: 30, description: '发送方报文ID' }),
    mdtrtarea_admvs: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '就医地医保区划' })),
    insuplc_admdvs: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '参保地医保区划' })),
    recer_sys_code: OptC(10, '接收方系统代码'),
    dev_no: OptC(100, '设备编号'),
    dev_safe_info: OptC(2000, '设备安全信息'),
    cainfo: OptC(1024, '数字签名信息'),
    signtype: OptC(10, '签名类型'),
    infver: OptC(6, '接口版本号'),
    opter_type: OptC(3, '经办人类别'),
    opter: OptC(30, '经办人'),
    opter_name: OptC(50, '经办人姓名'),
    inf_time: OptC(30, '交易时间'),
    fixmedins_code: C(30, '定点医药机构编号'),
    fixmedins_name: OptC(200, '定点医药机构名称'),
    sign_no: OptC(64, '交易签到流水号'),
    input: Type.Record(Type.String(), Type.Unknown(), { description: '交易输入' }),
  },
  { additionalProperties: true },
);

/** Parses the body text into a JSON object; a Chinese VALIDATION error when it is not one. */
export function parseBody(text: string | undefined): Record<string, unknown> {
  const t = (text ?? '').replace(/^\uFEFF/, '').trim();
  if (!t) throw validationError('请求报文为空');
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    throw validationError('请求报文不是有效的JSON');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw validationError('请求报文应为JSON对象');
  return v as Record<string, unknown>;
}

/** The raw `input` as sent: an object, or (tolerated) a JSON string holding one. */
export function rawInput(body: Record<string, unknown>): unknown {
  const input = body.input;
  if (typeof input === 'string' && input.trim().startsWith('{')) {
    try {
      return JSON.parse(input) as unknown;
    } catch {
      return input;
    }
  }
  return input;
}

/** Size of `input` in characters as the envelope definition counts it (its JSON text). */
export function inputChars(input: unknown): number {
  return input === undefined ? 0 : (JSON.stringify(input) ?? '').length;
}

/**
 * Whether `input` surely fits the cap without writing it out to count: the JSON text of a parsed value is never
 * longer than the text it was parsed from (whitespace and escapes only shrink), except for a number in exponent
 * form that grows when written (1e5 → 100000). So a body no longer than the cap with no digit followed by e/E holds
 * an input within it; any other body is measured (inputChars).
 */
export function surelyWithin(bodyText: string | undefined, cap: number): boolean {
  return bodyText !== undefined && bodyText.length <= cap && !/\d[eE]/.test(bodyText);
}

/** Reads and checks the envelope (the input nodes are checked later against the transaction's own schema). */
export function readEnvelope(body: Record<string, unknown>, input: unknown = rawInput(body)): Envelope {
  // `input` is only required to be an object here (Record of anything), which a plain JSON object is whatever it
  // holds: an empty one stands in for it, so that the claim is not normalised for a check it cannot fail
  const plain = input !== null && typeof input === 'object' && !Array.isArray(input) && Object.getPrototypeOf(input) === Object.prototype;
  const env = readAgainst(EnvelopeSchema, { ...body, input: plain ? {} : (input ?? {}) }, '报文公共参数');
  // the transaction's own schema reads `input` from the raw text again: keep it exactly as sent
  return { ...(env as unknown as Envelope), infno: env.infno.toUpperCase(), input: (input ?? {}) as Record<string, unknown> };
}

/** Fields read best-effort from a body that failed envelope checks, for the log. */
export function envelopeHints(body: Record<string, unknown> | undefined): { infno: string | null; msgid: string | null; fixmedins_code: string | null; opter: string | null; sign_no: string | null } {
  const s = (k: string) => {
    const v = body?.[k];
    return typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 60) || null : null;
  };
  return { infno: s('infno'), msgid: s('msgid'), fixmedins_code: s('fixmedins_code'), opter: s('opter'), sign_no: s('sign_no') };
}

export interface ResponseEnvelope {
  infcode: 0 | -1;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string | null;
  warn_msg: string | null;
  cainfo: string | null;
  signtype: string | null;
  enctype: string | null;
  output: unknown;
}

/** The response text. Key order as real servers send it; `output` null on failure (as captured failures show). */
export function responseText(r: { ok: boolean; refmsgid: string; receivedAt: Date; errMsg?: string | null; warnMsg?: string | null; output?: unknown }): string {
  const env: ResponseEnvelope = {
    infcode: r.ok ? 0 : -1,
    inf_refmsgid: r.refmsgid,
    refmsg_time: compactTime(r.receivedAt, true),
    respond_time: compactTime(new Date(), true),
    err_msg: r.ok ? null : (r.errMsg ?? '交易失败'),
    warn_msg: r.ok && r.warnMsg ? r.warnMsg : null,
    cainfo: null,
    signtype: null,
    enctype: null,
    output: r.ok ? (r.output ?? {}) : null,
  };
  return JSON.stringify(env);
}

/** err_msg for a YibaoError: its message with the problems folded in ("…：字段data.certno：缺少必填项；…"). */
export function errMsgOf(e: YibaoError): string {
  const extra = e.problems.map(describeProblem).filter((p) => !e.message.includes(p));
  const text = extra.length ? `${e.message}：${extra.join('；')}` : e.message;
  return text.length > 2000 ? `${text.slice(0, 1997)}…` : text;
}
