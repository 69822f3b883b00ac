import { cpSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openTestDb, type Db } from './db.js';
import { MIGRATIONS_DIR, migrate, migrationStatus } from './migrations.js';
import { nextSerial } from './ids.js';

let db: Db;
let dir: string;
beforeEach(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'yibao-mig-'));
  writeFileSync(join(dir, '0001_first.sql'), 'create table t1 (id int primary key, d date, amt numeric(16,2));');
  writeFileSync(join(dir, '0002_second.sql'), 'create table t2 (id int primary key);');
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('applies pending migrations once, in order', async () => {
  expect(await migrate(db, dir)).toEqual(['0001_first.sql', '0002_second.sql']);
  expect(await migrate(db, dir)).toEqual([]);
  expect((await migrationStatus(db, dir)).current).toBe(true);
});

test('refuses an applied migration whose file was edited', async () => {
  await migrate(db, dir);
  writeFileSync(join(dir, '0001_first.sql'), 'create table t1 (id bigint primary key);');
  await expect(migrate(db, dir)).rejects.toThrow(/0001_first\.sql 已执行，但文件内容已被修改/);
});

test('refuses a deleted applied migration and an out-of-order new one', async () => {
  await migrate(db, dir);
  rmSync(join(dir, '0002_second.sql'));
  await expect(migrationStatus(db, dir)).rejects.toThrow(/迁移文件已不存在/);
  writeFileSync(join(dir, '0002_second.sql'), 'create table t2 (id int primary key);');
  writeFileSync(join(dir, '0003_third.sql'), 'select 1;');
  await migrate(db, dir);
  writeFileSync(join(dir, '0000_zero.sql'), 'select 1;');
  await expect(migrate(db, dir)).rejects.toThrow(/顺序错误/);
});

test('a failing migration leaves nothing half-applied', async () => {
  writeFileSync(join(dir, '0003_bad.sql'), 'create table t3 (id int); insert into nowhere values (1);');
  await expect(migrate(db, dir)).rejects.toThrow(/0003_bad\.sql 失败/);
  const s = await migrationStatus(db, dir);
  expect(s.pending.map((p) => p.name)).toEqual(['0003_bad.sql']);
  const t3 = await sql<{ n: number }>`select count(*)::int8 as n from information_schema.tables where table_name = 't3' and table_schema = current_schema()`.execute(db.k);
  expect(t3.rows[0]!.n).toBe(0);
});

test('maps dates to strings and numeric to exact strings on this engine', async () => {
  await migrate(db, dir);
  await sql`insert into t1 values (1, '2024-02-29', 1373.63)`.execute(db.k);
  const r = await sql<{ d: string; amt: string }>`select d, amt from t1`.execute(db.k);
  expect(r.rows[0]).toEqual({ d: '2024-02-29', amt: '1373.63' });
});

test('the project migrations apply cleanly and provide the id sequences', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'yibao-mig-real-'));
  cpSync(MIGRATIONS_DIR, copy, { recursive: true });
  expect(readFileSync(join(copy, '0001_platform.sql'), 'utf8')).toMatch(/seq_refmsg/);
  await migrate(db, copy);
  const a = await nextSerial(db, 'refmsg');
  const b = await nextSerial(db, 'refmsg');
  expect(b).toBe(a + 1);
  rmSync(copy, { recursive: true, force: true });
});
