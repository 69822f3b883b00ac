/**
 * The request log: one gateway_log row per request whatever became of it (no personal data: ids, codes, outcome,
 * timing), and one pino line; at debug level the pino line also carries the input and output with personal fields
 * masked (platform/logging's maskValue, over the personal keys of the national messages).
 */
import type { Db } from '../platform/db.js';
import { maskValue, type Logger } from '../platform/logging.js';
import type { Completion } from './idempotency.js';

/** Personal fields as the national messages name them (platform/logging's set plus the interface's own names). */
const PERSONAL_KEYS = new Set([
  'certno', 'psn_cert_no', 'mdtrt_cert_no', 'psn_name', 'name', 'tel', 'mob', 'addr', 'card_sn', 'cardno', 'card_no',
  'brdy', 'ecToken', 'ec_token', 'idNo', 'userName', 'coner_name', 'coner_tel', 'conerName', 'emp_name',
]);

/** Deep copy with personal fields masked (strings and numbers). */
export function maskMessage(value: unknown, depth = 0): unknown {
  if (depth > 10 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskMessage(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = PERSONAL_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number') && String(v) ? maskValue(String(v)) : maskMessage(v, depth + 1);
  }
  return out;
}

export interface LogEntry {
  refmsgid: string;
  receivedAt: Date;
  fixmedins_code: string | null;
  infno: string | null;
  msgid: string | null;
  opter: string | null;
  sign_no: string | null;
  authWay: string | null;
  ip: string | null;
  infcode: 0 | -1;
  errMsg: string | null;
  ms: number;
  replay: boolean;
  input?: unknown;
  output?: unknown;
}

/**
 * Writes the log row; with a completion, the claimed msgid's response is stored by the same statement (a data-modifying
 * CTE: both or neither).
 */
export async function writeLog(db: Db, log: Logger, e: LogEntry, completion?: Completion): Promise<void> {
  const line = { refmsgid: e.refmsgid, fixmedins_code: e.fixmedins_code, infno: e.infno, msgid: e.msgid, infcode: e.infcode, ms: e.ms, replay: e.replay || undefined, err_msg: e.errMsg ?? undefined };
  if (log.isLevelEnabled('debug')) log.debug({ gateway: { ...line, input: maskMessage(e.input), output: maskMessage(e.output) } }, '接口交易');
  else log.info({ gateway: line }, '接口交易');
  const row = {
    inf_refmsgid: e.refmsgid,
    received_at: e.receivedAt,
    fixmedins_code: e.fixmedins_code?.slice(0, 60) ?? null,
    infno: e.infno?.slice(0, 20) ?? null,
    msgid: e.msgid?.slice(0, 60) ?? null,
    opter: e.opter?.slice(0, 60) ?? null,
    sign_no: e.sign_no?.slice(0, 64) ?? null,
    auth_way: e.authWay,
    client_ip: e.ip,
    infcode: e.infcode,
    err_msg: e.errMsg,
    duration_ms: Math.max(0, Math.round(e.ms)),
    replay: e.replay,
  };
  if (!completion) {
    await db.k.insertInto('gateway_log').values(row).execute();
    return;
  }
  await db.k
    .with('done', (q) =>
      q.updateTable('gateway_msg').set({ status: 'done', response_body: completion.body, completed_at: new Date() }).where('fixmedins_code', '=', completion.fixmedins_code).where('msgid', '=', completion.msgid),
    )
    .insertInto('gateway_log')
    .values(row)
    .execute();
}
