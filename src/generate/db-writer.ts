/**
 * Loads generated chunks into the platform database (`--db`): each chunk in one transaction — persons,
 * encounters, fee lines, settlements, accumulators, fund ledger, settlement lists and the operation-log row —
 * so an interrupted load leaves whole chunks only. Batched INSERT … SELECT FROM unnest(text arrays) (PGlite and
 * PostgreSQL alike: one parameter per column, casts in SQL);
 * fee-line ids are drawn from the database's own sequence so they never collide with live uploads.
 * Before the first chunk, `prepareDb` checks that the region's reference data (institutions, catalogue,
 * policies: the demo region of the same seed) is there, loading it when the database has none, and refuses a
 * database that already holds generated persons.
 */
import { sql, type Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { conflict } from '../platform/errors.js';
import { recordOperation, SYSTEM_ACTOR, type Actor } from '../platform/oplog.js';
import { loadDemoRegion, demoLoadedChecksum } from '../demo/load.js';
import type { ChunkRows } from './chunk.js';
import { PSN_SERIAL_BASE } from './persons.js';
import { INSERT_ORDER, TABLES, type ColType, type Row, type TableName } from './tables.js';
import type { World } from './world.js';

const ACTOR: Actor = { ...SYSTEM_ACTOR, name: '系统（生成数据）' };
/** Rows per INSERT statement. */
const BATCH_ROWS = 5_000;

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
 * Inserts rows as one text array per column, unnested and cast in SQL: a statement carries as many parameters
 * as the table has columns, whatever the number of rows.
 */
async function insertRows(trx: Transaction<Tables>, table: TableName, rows: Row[]): Promise<void> {
  const cols = TABLES[table].cols;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    const arrays = cols.map((_, k) => batch.map((r) => (r[k] === null ? null : String(r[k]))));
    const names = cols.map(([c]) => sql.ref(c));
    const casts = cols.map(([c, t]) => sql`${sql.ref(`u.${c}`)}::${sql.raw(PG_TYPE[t])}`);
    const unnest = sql.join(arrays.map((a) => sql`${a}::text[]`));
    await sql`insert into ${sql.table(table)} (${sql.join(names)}) select ${sql.join(casts)} from unnest(${unnest}) as u(${sql.join(names)})`.execute(trx);
  }
}

/** Replaces the generated feedetl ids of a chunk by ids from the database's sequence (setl_feedetl follows). */
async function remapFeedetlIds(trx: Transaction<Tables>, chunk: ChunkRows): Promise<void> {
  const lines = chunk.rows.feedetl;
  if (!lines.length) return;
  const idCol = TABLES.feedetl.cols.findIndex(([c]) => c === 'feedetl_id');
  const splitCol = TABLES.setl_feedetl.cols.findIndex(([c]) => c === 'feedetl_id');
  const res = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('feedetl', 'feedetl_id'))::int8 as id from generate_series(1, ${lines.length})`.execute(trx);
  const map = new Map<number, number>();
  lines.forEach((r, k) => {
    map.set(r[idCol] as number, res.rows[k]!.id);
    r[idCol] = res.rows[k]!.id;
  });
  for (const r of chunk.rows.setl_feedetl) r[splitCol] = map.get(r[splitCol] as number)!;
}

export async function writeChunkToDb(db: Db, chunk: ChunkRows): Promise<void> {
  await db.k.transaction().execute(async (trx) => {
    await remapFeedetlIds(trx, chunk);
    for (const table of INSERT_ORDER) if (chunk.rows[table].length) await insertRows(trx, table, chunk.rows[table]);
    await recordOperation(trx, ACTOR, {
      action: 'generate.load',
      target_type: 'generate',
      target_id: String(chunk.index),
      after: Object.fromEntries(INSERT_ORDER.map((t) => [t, chunk.rows[t].length])),
    });
  });
}
