/**
 * The gateway pipeline for one request, in the order a real front-end applies it:
 *   parse JSON → `input` ≤ 40 000 characters → envelope → authenticate the institution (apikey or TIF header
 *   signature) → message signature hook → institution designated today → infno known → claim the msgid; seen
 *   before? (same request: the stored response, byte for byte; different: -1) → sign_no valid (unless 9001/9002 or
 *   the institution is exempt; a failed check gives the claim back) → read `input` against the transaction's
 *   schema → handler → store the response and write the request log (one statement) → answer.
 * Round trips are few on purpose (each costs more than the work around it under load): inf_refmsgid serials come
 * in blocks, the credential and the institution are read at once, so are the claim and the sign-in check.
 * Every failure is an envelope with infcode -1 and a Chinese err_msg (HTTP 200, as real servers answer); a failure
 * that is not a YibaoError is logged and answered "系统内部错误". Every request is logged (request-log.ts).
 */
import { randomInt } from 'node:crypto';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import { conflict, forbidden, isYibaoError, validationError } from '../platform/errors.js';
import { formatRefmsgid, nextSerials } from '../platform/ids.js';
import type { Logger } from '../platform/logging.js';
import { beijingDate, beijingDateTime } from '../platform/time.js';
import { getInstitution } from '../standards/institutions/institutions.js';
import { authenticate, NonceCache, TIF_MAX_SKEW_SECONDS } from './credentials.js';
import { envelopeHints, errMsgOf, inputChars, inputMaxChars, parseBody, rawInput, readEnvelope, responseText, surelyWithin } from './envelope.js';
import { claim, findPrior, release, requestHash, type Completion, type Prior } from './idempotency.js';
import { REGISTRY, type Registry } from './registry.js';
import { writeLog, type LogEntry } from './request-log.js';
import { readAgainst } from './schema.js';
import { verifyMessageSignature, type MessageVerifier } from './signature.js';
import { requireSignedIn } from './signin.js';
import type { FileAnswer, TxContext } from './types.js';

export interface GatewayDeps {
  db: Db;
  config: Config;
  log: Logger;
}

export interface GatewayOptions {
  /** The transactions served (default: the registry). Tests add their own. */
  registry?: Registry;
  /** TIF timestamps further than this from now are refused (default 300 s). */
  tifMaxSkewSeconds?: number;
  /** Message-level signature hook (default: SM2 when the institution is required to sign). */
  verifier?: MessageVerifier;
  /** The clock (tests). */
  now?: () => Date;
}

export interface RawRequest {
  body: string | undefined;
  headers: Record<string, unknown>;
  ip: string | null;
}

export type GatewayReply = { kind: 'json'; body: string } | FileAnswer;

type State = Omit<LogEntry, 'refmsgid' | 'receivedAt' | 'infcode' | 'errMsg' | 'ms'> & {
  /** The claimed msgid whose response is stored together with the log row (one round trip). */
  completion?: Completion;
  /** infcode and err_msg of the answer when the pipeline wrote it (otherwise the log reads them from the text). */
  outcome?: { infcode: 0 | -1; errMsg: string | null };
};

/** inf_refmsgid serials are drawn from the sequence this many at a time (one round trip per block, not per request). */
const REFMSGID_BLOCK = 64;

export interface Gateway {
  handle(req: RawRequest): Promise<GatewayReply>;
  /** An envelope-level refusal decided outside the pipeline (body too large, unreadable body), logged like any other. */
  refuse(message: string, req: Omit<RawRequest, 'body'>): Promise<string>;
}

export function createGateway(deps: GatewayDeps, opts: GatewayOptions = {}): Gateway {
  const { db, config, log } = deps;
  const registry = opts.registry ?? REGISTRY;
  const now = opts.now ?? (() => new Date());
  const maxSkewSeconds = opts.tifMaxSkewSeconds ?? TIF_MAX_SKEW_SECONDS;
  const nonces = new NonceCache(maxSkewSeconds * 1000);
  const verifier = opts.verifier ?? verifyMessageSignature;

  let serials: number[] = [];
  let refill: Promise<void> | null = null;
  async function refmsgidFor(at: Date): Promise<string> {
    try {
      while (!serials.length) {
        refill ??= nextSerials(db, 'refmsg', REFMSGID_BLOCK)
          .then((s) => void (serials = s))
          .finally(() => (refill = null));
        await refill;
      }
      return formatRefmsgid(config.nodeAdmdvs, at, serials.shift()!);
    } catch {
      // the database is not answering: still answer with a well-formed id (the log write will fail and say so)
      return formatRefmsgid(config.nodeAdmdvs, at, randomInt(1e9));
    }
  }

  async function finish(st: State, refmsgid: string, receivedAt: Date, t0: number, body: string): Promise<void> {
    let infcode: 0 | -1 = -1;
    let errMsg: string | null = null;
    if (st.outcome) ({ infcode, errMsg } = st.outcome);
    else {
      // a stored answer (replay) or one written outside the pipeline: read back from its text
      try {
        const parsed = JSON.parse(body) as { infcode: 0 | -1; err_msg: string | null };
        infcode = parsed.infcode;
        errMsg = parsed.err_msg;
      } catch {
        /* our own text: always JSON */
      }
    }
    const { completion, outcome: _outcome, ...entry } = st;
    await logQuietly({ ...entry, refmsgid, receivedAt, infcode, errMsg, ms: performance.now() - t0 }, completion);
  }

  async function logQuietly(e: LogEntry, completion?: Completion): Promise<void> {
    try {
      await writeLog(db, log, e, completion);
    } catch (err) {
      log.error({ err, refmsgid: e.refmsgid }, '接口交易日志写入失败');
    }
  }

  /** Runs the pipeline; returns the answer and whether it is a stored one. */
  async function run(req: RawRequest, st: State, refmsgid: string, receivedAt: Date): Promise<GatewayReply> {
    const fail = (message: string) => ({ kind: 'json' as const, body: responseText({ ok: false, refmsgid, receivedAt, errMsg: message }) });
    const body = parseBody(req.body);
    Object.assign(st, envelopeHints(body));
    const input = rawInput(body);
    const cap = inputMaxChars(st.infno);
    if (!surelyWithin(req.body, cap)) {
      const chars = inputChars(input);
      if (chars > cap) throw validationError(`交易输入 input 超过 ${cap} 个字符（实际 ${chars} 个），请分批上传`);
    }
    const env = readEnvelope(body, input);
    Object.assign(st, { infno: env.infno, msgid: env.msgid, fixmedins_code: env.fixmedins_code, opter: env.opter ?? null, sign_no: env.sign_no ?? null, input: env.input });

    const today = beijingDate(receivedAt);
    // the institution is read alongside the credential (two round trips at once); an authentication failure still wins
    const institutionRead = getInstitution(db, env.fixmedins_code, today).then(
      (i) => ({ i }),
      (e: unknown) => ({ e }),
    );
    const { credential, way } = await authenticate(db, env.fixmedins_code, req.headers, { maxSkewSeconds, nonces, now });
    st.authWay = way;
    verifier(body, credential);
    const read = await institutionRead;
    if ('e' in read) throw read.e;
    const institution = read.i;
    if (!institution) throw forbidden(`定点医药机构 ${env.fixmedins_code} 在 ${today} 不是定点机构`);
    const tx = registry.get(env.infno);
    if (!tx) throw validationError(`不支持的交易编号：${env.infno}`);

    const ctx: TxContext = { db, config, log, envelope: env, institution, credential, actor: { id: env.fixmedins_code, name: institution.fixmedins_name, admdvs: [] }, receivedAt, today, warnings: [] };
    const signInCheck = () => (tx.needsSignIn && credential.signin_required ? requireSignedIn(db, env.fixmedins_code, env.sign_no, receivedAt) : Promise.resolve());

    if (tx.binary) {
      // reads of stored files: not kept for msgid replay
      await signInCheck();
      const answer = await tx.handler(readAgainst(tx.input, env.input, '交易输入'), ctx);
      if (isFile(answer)) return answer;
      return { kind: 'json', body: responseText({ ok: true, refmsgid, receivedAt, output: answer }) };
    }

    const hash = requestHash(env);
    const answerPrior = (prior: Prior): GatewayReply | null => {
      if (prior.kind === 'replay') {
        st.replay = true;
        return { kind: 'json', body: prior.body };
      }
      if (prior.kind === 'conflict') throw conflict(`报文ID ${env.msgid} 已于 ${beijingDateTime(prior.at)} 用于另一笔交易（${prior.infno}），内容不同；同一报文ID只能重发相同的报文`);
      if (prior.kind === 'processing') throw conflict(`报文ID ${env.msgid} 的交易正在处理中，请稍后用同一报文重试`);
      return null;
    };
    // claim the msgid and check the sign-in at once; a msgid seen before is answered from the store whatever the
    // sign-in (as a replay must be), and a claim whose sign-in fails is given back
    const [claimed, signedIn] = await Promise.allSettled([claim(db, env, hash, refmsgid), signInCheck()]);
    if (claimed.status === 'rejected') throw claimed.reason;
    if (!claimed.value) {
      const prior = answerPrior(await findPrior(db, env.fixmedins_code, env.msgid, hash));
      if (prior) return prior;
      return fail('报文ID冲突，请重试');
    }
    if (signedIn.status === 'rejected') {
      await release(db, env.fixmedins_code, env.msgid).catch(() => undefined);
      throw signedIn.reason;
    }
    let text: string;
    try {
      const output = await tx.handler(readAgainst(tx.input, env.input, '交易输入'), ctx);
      st.output = output;
      text = responseText({ ok: true, refmsgid, receivedAt, output, warnMsg: ctx.warnings.length ? ctx.warnings.join('；') : null });
      st.outcome = { infcode: 0, errMsg: null };
    } catch (e) {
      if (!isYibaoError(e)) {
        await release(db, env.fixmedins_code, env.msgid).catch(() => undefined);
        throw e;
      }
      const errMsg = errMsgOf(e);
      text = responseText({ ok: false, refmsgid, receivedAt, errMsg });
      st.outcome = { infcode: -1, errMsg };
    }
    st.completion = { fixmedins_code: env.fixmedins_code, msgid: env.msgid, body: text };
    return { kind: 'json', body: text };
  }

  return {
    async handle(req) {
      const t0 = performance.now();
      const receivedAt = now();
      const refmsgid = await refmsgidFor(receivedAt);
      const st: State = { fixmedins_code: null, infno: null, msgid: null, opter: null, sign_no: null, authWay: null, ip: req.ip, replay: false };
      let reply: GatewayReply;
      try {
        reply = await run(req, st, refmsgid, receivedAt);
      } catch (e) {
        let message: string;
        if (isYibaoError(e)) message = errMsgOf(e);
        else {
          log.error({ err: e, refmsgid, infno: st.infno, fixmedins_code: st.fixmedins_code }, '接口交易异常');
          message = '系统内部错误';
        }
        reply = { kind: 'json', body: responseText({ ok: false, refmsgid, receivedAt, errMsg: message }) };
        st.outcome = { infcode: -1, errMsg: message };
      }
      if (reply.kind === 'file') await logQuietly({ ...st, refmsgid, receivedAt, infcode: 0, errMsg: null, ms: performance.now() - t0 });
      else await finish(st, refmsgid, receivedAt, t0, reply.body);
      return reply;
    },
    async refuse(message, req) {
      const t0 = performance.now();
      const receivedAt = now();
      const refmsgid = await refmsgidFor(receivedAt);
      const body = responseText({ ok: false, refmsgid, receivedAt, errMsg: message });
      await finish({ fixmedins_code: null, infno: null, msgid: null, opter: null, sign_no: null, authWay: null, ip: req.ip, replay: false }, refmsgid, receivedAt, t0, body);
      return body;
    },
  };
}

function isFile(a: unknown): a is FileAnswer {
  return typeof a === 'object' && a !== null && (a as { kind?: unknown }).kind === 'file' && (a as { bytes?: unknown }).bytes instanceof Uint8Array;
}
