import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, openTestDb, type Db } from '../platform/db.js';
import { migrate } from '../platform/migrations.js';
import { loadNationalStandards } from '../standards/national-load.js';
import type { PgCopyTarget } from './db-writer.js';
import { generateRegion, type GenerateManifest } from './run.js';
import { INSERT_ORDER } from './tables.js';
import { CHUNK_SERIALS, FEEDETL_ID_BASE } from './worker-gen.js';

const PARAMS = { seed: 5, persons: 300, months: 3, violations: 0.05 };
const url = process.env.DATABASE_URL;
let db: Db;
let manifest: GenerateManifest;
/** On PostgreSQL the load goes by COPY into a schema of this file's own; on PGlite by INSERT … unnest. */
let pgCopy: PgCopyTarget | undefined;

const admin = async (text: string) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  if (url) {
    pgCopy = { url, schema: `t_gen_${randomBytes(6).toString('hex')}` };
    await admin(`create schema ${pgCopy.schema}`);
    db = await openDb({ databaseUrl: url, dataDir: '' }, pgCopy.schema);
  } else db = await openTestDb();
  await migrate(db);
  await loadNationalStandards(db);
  manifest = await generateRegion(PARAMS, { db, ...(pgCopy ? { pgCopy } : {}) });
}, 300_000);

afterAll(async () => {
  await db?.close();
  if (pgCopy) await admin(`drop schema ${pgCopy.schema} cascade`);
});

describe('yibao generate --db', () => {
  it('loads every generated row into the platform tables', async () => {
    for (const t of INSERT_ORDER) {
      const res = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(db.k);
      // the demo region of the same seed was loaded first with no persons, so every person row is generated
      expect(res.rows[0]!.n, t).toBe(manifest.tables[t].rows);
    }
    expect(manifest.tables.setl.rows).toBeGreaterThan(100);
    expect(manifest.tables.gen_violation.rows).toBeGreaterThan(0);
  });

  it('writes settlements the database itself accepts as balanced, with the accumulators equal to their moves', async () => {
    const bad = await sql<{ n: number }>`
      select count(*)::int as n from setl_acc_grp g
      join (select psn_no, insutype, year, acc_grp, sum(pool_paid) as p, sum(dedc_used) as d from setl_acc_move group by 1, 2, 3, 4) m using (psn_no, insutype, year, acc_grp)
      where m.p <> g.pool_paid or m.d <> g.dedc_used`.execute(db.k);
    expect(bad.rows[0]!.n).toBe(0);
    const orphan = await sql<{ n: number }>`select count(*)::int as n from setl_feedetl s left join feedetl f using (feedetl_id) where f.mdtrt_id is distinct from s.mdtrt_id`.execute(db.k);
    expect(orphan.rows[0]!.n).toBe(0);
    const ids = await sql<{ mdtrt_id: string; setl_id: string }>`select mdtrt_id, setl_id from setl limit 1`.execute(db.k);
    expect(ids.rows[0]!.mdtrt_id).toMatch(/^99\d{4}\d{8}19\d{10}$/);
    expect(ids.rows[0]!.setl_id).toMatch(/^99\d{4}\d{8}29\d{10}$/);
  });

  it('loads the very content it writes to Parquet (same checksums), fee-line ids in the generated range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-gen-db-'));
    try {
      const parquet = await generateRegion(PARAMS, { out: join(dir, 'out') });
      expect(parquet.checksum).toBe(manifest.checksum);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const ids = await sql<{ lo: number; hi: number }>`select min(feedetl_id) as lo, max(feedetl_id) as hi from feedetl`.execute(db.k);
    expect(ids.rows[0]!.lo).toBeGreaterThan(FEEDETL_ID_BASE);
    // one chunk: its own range, from the first id of the range on
    expect(ids.rows[0]!.lo).toBe(FEEDETL_ID_BASE + 1);
    expect(ids.rows[0]!.hi).toBeLessThanOrEqual(FEEDETL_ID_BASE + CHUNK_SERIALS.feedetl);
  });

  it('records each chunk in the operation log and refuses a second load into the same database', async () => {
    const log = await db.k.selectFrom('opt_log').select('action').where('action', '=', 'generate.load').execute();
    expect(log.length).toBe(1);
    await expect(generateRegion({ seed: 5, persons: 10, months: 1 }, { db })).rejects.toThrow(/已有 300 名生成的参保人员/);
  });

  it('refuses a seed whose institutions are not the loaded demo region', async () => {
    await expect(generateRegion({ seed: 6, persons: 10, months: 1 }, { db })).rejects.toThrow(/不是按种子 6 加载的/);
  });
});
