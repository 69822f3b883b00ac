/**
 * Loads generated chunks into the platform database (`--db`): each chunk in one transaction — persons,
 * encounters, fee lines, settlements, accumulators, fund ledger, settlement lists and the operation-log row —
 * so an interrupted load leaves whole chunks only (a chunk is the unit of "nothing half-written": a rerun must
 * start from an empty database anyway, and one transaction per chunk keeps the server's memory and WAL per
 * transaction bounded whatever the region's size, where one transaction for the run would not).
 *
 * On PostgreSQL, given the server to connect to (PgCopyTarget), the rows go in by COPY … FROM STDIN
 * (pg-copy-streams) on a connection of the loader's own, reading the CSV text the generator produced (chunk.ts)
 * as is. Otherwise — PGlite, whose COPY needs the instance the Db does not expose, or a PostgreSQL Db given
 * alone — the text is parsed back and inserted by INSERT … SELECT FROM unnest(text arrays), one parameter per
 * column, casts in SQL. Fee-line ids come from the chunk's own range far above the feedetl_id sequence
 * (worker-gen.ts), so they never collide with live uploads and need no remapping.
 * Before the first chunk, `prepareDb` checks that the region's reference data (institutions, catalogue,
 * policies: the demo region of the same seed) is there, loading it when the database has none, and refuses a
 * database that already holds generated persons.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Db, Tables } from '../platform/db.js';
import { conflict } from '../platform/errors.js';
import { recordOperation, SYSTEM_ACTOR, type Actor } from '../platform/oplog.js';
import { loadDemoRegion, demoLoadedChecksum } from '../demo/load.js';
import type { ChunkResult } from './chunk.js';
import { PSN_SERIAL_BASE } from './persons.js';
import { INSERT_ORDER, TABLES, type ColType, type TableName } from './tables.js';
import type { World } from './world.js';

const ACTOR: Actor = { ...SYSTEM_ACTOR, name: '系统（生成数据）' };
/** Rows per INSERT statement. */
const BATCH_ROWS = 5_000;

/** A PostgreSQL server (and schema, as a search_path) to COPY generated rows into. */
export interface PgCopyTarget {
  url: string;
  schema?: string;
}

export interface DbLoader {
  /** Writes one chunk in one transaction. */
  write(chunk: ChunkResult): Promise<void>;
  close(): Promise<void>;
}
/** Checks the database can take a generated region; returns the certnos already taken. */
export async function prepareDb(db: Db, seed: number, world: World): Promise<Set<string>> {
  if ((await demoLoadedChecksum(db)) === undefined) await loadDemoRegion(db, { seed, persons: 0 });
  const codes = world.institutions.map((i) => i.fixmedins_code);
  const found = await db.k.selectFrom('fixmedins').select('fixmedins_code').where('fixmedins_code', 'in', codes).execute();
  if (found.length < new Set(codes).size) {
    throw conflict(`数据库中的演示统筹区不是按种子 ${seed} 加载的（缺少 ${codes.length - found.length} 家定点医药机构），不能写入按该种子生成的数据。请使用与演示统筹区相同的种子，或使用空数据库。`);
  }
  const marker = String(PSN_SERIAL_BASE).slice(0, 1);
  const existing = await sql<{ n: number }>`select count(*)::int as n from psn where length(psn_no) = 20 and substr(psn_no, 7, 1) = ${marker}`.execute(db.k);
  if (existing.rows[0]!.n > 0) throw conflict(`数据库中已有 ${existing.rows[0]!.n} 名生成的参保人员，不能再次写入。请使用空数据库。`);
  const taken = await db.k.selectFrom('psn').select('certno').execute();
  return new Set(taken.map((r) => r.certno));
}

const PG_TYPE: Record<ColType, string> = {
  text: 'text',
  json: 'jsonb',
  int: 'int4',
  bigint: 'int8',
  money: 'numeric',
  ratio: 'numeric',
  qty: 'numeric',
  price: 'numeric',
  date: 'date',
  ts: 'timestamptz',
};

/**
 * The CSV text of chunk.ts back as rows of text cells (null for \N): tab-separated, a cell in double quotes
 * when it holds a tab, newline, quote or backslash (quotes doubled), one row per line.
 */
export function parseCsvText(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let cell: string | null;
    if (text.charCodeAt(i) === 34) {
      // quoted: up to the quote not followed by another
      let out = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('生成数据的 CSV 文本中引号未闭合');
        if (text.charCodeAt(q + 1) === 34) {
          out += text.slice(from, q + 1);
          i = from = q + 2;
          continue;
        }
        cell = out + text.slice(from, q);
        i = q + 1;
        break;
      }
    } else {
      let end = i;
      while (end < n && text.charCodeAt(end) !== 9 && text.charCodeAt(end) !== 10) end++;
      const raw = text.slice(i, end);
      cell = raw === '\\N' ? null : raw;
      i = end;
    }
    row.push(cell);
    const sep = text.charCodeAt(i++);
    if (sep === 10) {
      rows.push(row);
      row = [];
    } else if (sep !== 9 && i <= n) throw new Error('生成数据的 CSV 文本格式错误');
  }
  if (row.length) rows.push(row);
  return rows;
}

/**
 * Inserts rows as one text array per column, unnested and cast in SQL: a statement carries as many parameters
 * as the table has columns, whatever the number of rows.
 */
async function insertRows(trx: Transaction<Tables>, table: TableName, rows: (string | null)[][]): Promise<void> {
  const cols = TABLES[table].cols;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    const arrays = cols.map((_, k) => batch.map((r) => r[k] ?? null));
    const names = cols.map(([c]) => sql.ref(c));
    const casts = cols.map(([c, t]) => sql`${sql.ref(`u.${c}`)}::${sql.raw(PG_TYPE[t])}`);
    const unnest = sql.join(arrays.map((a) => sql`${a}::text[]`));
    await sql`insert into ${sql.table(table)} (${sql.join(names)}) select ${sql.join(casts)} from unnest(${unnest}) as u(${sql.join(names)})`.execute(trx);
  }
}

const logChunk = (trx: Transaction<Tables>, chunk: ChunkResult) =>
  recordOperation(trx, ACTOR, {
    action: 'generate.load',
    target_type: 'generate',
    target_id: String(chunk.index),
    after: Object.fromEntries(INSERT_ORDER.map((t) => [t, chunk.tables[t].rows])),
  });

const decoder = new TextDecoder();

/** INSERT … unnest through the Db's own Kysely (PGlite, or PostgreSQL without a COPY target). */
function insertLoader(db: Db): DbLoader {
  return {
    async write(chunk) {
      await db.k.transaction().execute(async (trx) => {
        for (const table of INSERT_ORDER) {
          const text = chunk.tables[table].copy;
          if (text) await insertRows(trx, table, parseCsvText(decoder.decode(text)));
        }
        await logChunk(trx, chunk);
      });
    },
    async close() {},
  };
}

const copySql = (table: TableName): string =>
  `copy ${table} (${TABLES[table].cols.map(([c]) => c).join(', ')}) from stdin with (format csv, delimiter E'\\t', null '\\N', quote '"')`;

/**
 * COPY on one connection of the loader's own, with a Kysely over that same connection for the transaction and
 * the operation-log row: BEGIN, one COPY per table, the log row, COMMIT.
 */
async function copyLoader(target: PgCopyTarget): Promise<DbLoader> {
  const client = new pg.Client({ connectionString: target.url, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) });
  await client.connect();
  const single = Object.assign(client, { release: () => undefined });
  const k = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: { connect: async () => single, end: async () => undefined, options: {} } }) });
  return {
    async write(chunk) {
      await k.transaction().execute(async (trx) => {
        for (const table of INSERT_ORDER) {
          const text = chunk.tables[table].copy;
          if (!text) continue;
          const stream = client.query(copyStreams.from(copySql(table)));
          await pipeline(Readable.from([Buffer.from(text.buffer, text.byteOffset, text.byteLength)]), stream);
        }
        await logChunk(trx, chunk);
      });
    },
    async close() {
      await client.end();
    },
  };
}

export async function openDbLoader(db: Db, copy?: PgCopyTarget): Promise<DbLoader> {
  return db.kind === 'postgres' && copy ? copyLoader(copy) : insertLoader(db);
}
