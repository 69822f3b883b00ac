/**
 * Structured logs (pino, JSON lines). Personal data never reaches a log line whole: `maskPersonal`
 * keeps enough of a certno / name / phone for an operator to recognise a case and no more.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'yibao'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.apikey'], censor: '***' },
  });
}

const PERSONAL_KEYS = new Set(['certno', 'psn_cert_no', 'mdtrt_cert_no', 'psn_name', 'name', 'tel', 'mob', 'addr', 'card_sn', 'cardno']);

/** Masks one value: 110101199003071234 → 1101**********1234, 张三丰 → 张*丰. */
export function maskValue(value: string): string {
  const v = value.trim();
  if (v.length <= 1) return '*';
  if (v.length === 2) return `${v[0]}*`;
  if (v.length <= 4) return `${v[0]}${'*'.repeat(v.length - 2)}${v[v.length - 1]}`;
  const keep = v.length >= 12 ? 4 : 1;
  return `${v.slice(0, keep)}${'*'.repeat(v.length - keep * 2)}${v.slice(-keep)}`;
}

/** Deep copy of a message with personal fields masked, for request/response logs. */
export function maskPersonal(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskPersonal(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = PERSONAL_KEYS.has(k) && typeof v === 'string' && v ? maskValue(v) : maskPersonal(v, depth + 1);
  }
  return out;
}
