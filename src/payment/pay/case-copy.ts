/**
 * Writing a run's pay_case rows with COPY … FROM STDIN (PostgreSQL only; pg-copy-streams): the rows go as tab-separated
 * text in chunks, one COPY per run, on the connection of the caller's transaction — about four times faster than the
 * unnest INSERTs of case-rows.ts for a million rows, with the same rows (case-copy.test.ts compares both). PGlite
 * has no COPY FROM STDIN over its query API, so it keeps the INSERT path.
 *
 * Also the single connection a COPY needs: Kysely does not hand out the pg client of a transaction, so a run that
 * writes by COPY opens a client of its own on the same server (and schema) and runs its whole write transaction on it.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Tables } from '../../platform/db.js';
import { CASE_CHUNK, CASE_COLUMNS, type CaseRow } from './case-rows.js';

/** A PostgreSQL server (and schema) to open a COPY connection to: the same database the run's Db uses. */
export interface PgCopyTarget {
  url: string;
  schema?: string;
}

/** One COPY text field: null as \N; backslash, tab, newline and carriage return escaped (COPY text format). */
export function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  const s = typeof v === 'number' ? String(v) : v;
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r')) : s;
}

/** Text columns are escaped; numbers and numeric text (digits, sign, point) cannot hold a character to escape. */
const NAMES = CASE_COLUMNS.map(([name]) => name);
const IS_TEXT = CASE_COLUMNS.map(([, type]) => type === 'text');

/** The COPY text of rows from..from+n (one line per row, run_id first). */
function copyText(run_id: string, from: number, n: number, rowAt: (k: number) => CaseRow): string {
  const runField = copyField(run_id);
  const lines = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const r = rowAt(from + k);
    let line = runField;
    for (let j = 0; j < NAMES.length; j++) {
      const v = r[NAMES[j]!];
      line += `\t${IS_TEXT[j] || v === null ? copyField(v) : v}`;
    }
    lines[k] = line;
  }
  return `${lines.join('\n')}\n`;
}

/** Copies `count` rows, row k given by rowAt(k), into pay_case on `client` (inside the caller's transaction). */
export async function copyCaseRows(client: pg.ClientBase, run_id: string, count: number, rowAt: (k: number) => CaseRow): Promise<void> {
  if (!count) return;
  const stream = client.query(copyStreams.from(`copy pay_case (run_id, ${CASE_COLUMNS.map(([name]) => name).join(', ')}) from stdin`));
  // produced a chunk at a time as the stream asks for more, so the text of all rows is never held at once
  function* chunks(): Generator<string> {
    for (let from = 0; from < count; from += CASE_CHUNK) yield copyText(run_id, from, Math.min(CASE_CHUNK, count - from), rowAt);
  }
  await pipeline(Readable.from(chunks()), stream);
}

/**
 * Runs `body` in one transaction on a client of its own (BEGIN … COMMIT, ROLLBACK on error), with a Kysely over that
 * same client for the ordinary statements; the client is closed afterwards.
 */
export async function withCopyTransaction<T>(target: PgCopyTarget, body: (trx: Kysely<Tables>, client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: target.url, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) });
  await client.connect();
  const single = Object.assign(client, { release: () => undefined });
  const k = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: { connect: () => Promise.resolve(single), end: () => Promise.resolve(), options: {} } }) });
  try {
    return await k.transaction().execute((trx) => body(trx, client));
  } finally {
    await client.end();
  }
}
