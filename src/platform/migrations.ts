/**
 * Schema migrations: one sequence of plain SQL files `migrations/NNNN_name.sql` for the whole platform.
 * Each applied file's SHA-256 is recorded; a file edited after it was applied, a recorded migration whose
 * file is gone, or a new file numbered below one already applied, stops the program: schema drift is
 * refused, never papered over. Each file runs in its own transaction.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './db.js';
import { YibaoError } from './errors.js';

export interface MigrationFile {
  version: number;
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  applied: number[];
  pending: MigrationFile[];
  current: boolean;
}

/** The project's migrations folder, found from this module (works from src/ under tsx and from dist/). */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const files: MigrationFile[] = [];
  const seen = new Map<number, string>();
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.sql')) continue;
    const m = FILE_RE.exec(f);
    if (!m) throw new YibaoError('MIGRATION', `迁移文件名不符合 NNNN_name.sql 格式：${f}`);
    const version = Number(m[1]);
    if (seen.has(version)) throw new YibaoError('MIGRATION', `迁移编号重复：${seen.get(version)} 与 ${f}`);
    seen.set(version, f);
    const text = readFileSync(join(dir, f), 'utf8');
    files.push({ version, name: f, checksum: checksumOf(text), sql: text });
  }
  return files;
}

const BOOKKEEPING = `create table if not exists schema_migrations (
  version integer primary key,
  name text not null,
  checksum char(64) not null,
  applied_at timestamptz not null default now()
)`;

async function appliedRows(db: Db): Promise<{ version: number; name: string; checksum: string }[]> {
  await db.runScript(BOOKKEEPING);
  const res = await sql<{ version: number; name: string; checksum: string }>`
    select version, name, checksum from schema_migrations order by version`.execute(db.k);
  return res.rows;
}

/** Compares the database with the files; throws on any drift, returns what is still to apply. */
export async function migrationStatus(db: Db, dir: string = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = readMigrations(dir);
  const byVersion = new Map(files.map((f) => [f.version, f]));
  const applied = await appliedRows(db);
  const maxApplied = applied.length ? applied[applied.length - 1]!.version : 0;
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) throw new YibaoError('MIGRATION', `数据库已执行迁移 ${row.name}，但迁移文件已不存在`);
    if (file.checksum !== row.checksum.trim()) {
      throw new YibaoError(
        'MIGRATION',
        `迁移 ${row.name} 已执行，但文件内容已被修改（校验和不符）。已执行的迁移不可修改，请新增一个迁移文件`,
      );
    }
  }
  const appliedSet = new Set(applied.map((r) => r.version));
  const pending = files.filter((f) => !appliedSet.has(f.version));
  const early = pending.find((f) => f.version < maxApplied);
  if (early) throw new YibaoError('MIGRATION', `迁移 ${early.name} 的编号小于已执行的最新迁移，顺序错误`);
  return { applied: [...appliedSet], pending, current: pending.length === 0 };
}

/** Applies pending migrations in order; returns the names applied. Safe to call from several processes. */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const { pending } = await migrationStatus(db, dir);
  const done: string[] = [];
  for (const m of pending) {
    // The advisory lock serialises concurrent migrators; the primary key on version makes a lost race an
    // error that rolls the whole file back, after which we re-check and find it applied.
    const script = `begin;
select pg_advisory_xact_lock(7291001);
${m.sql}
;
insert into schema_migrations (version, name, checksum) values (${m.version}, '${m.name}', '${m.checksum}');
commit;`;
    try {
      await db.runScript(script);
      done.push(m.name);
    } catch (e) {
      const again = await migrationStatus(db, dir);
      if (again.pending.some((p) => p.version === m.version)) {
        throw new YibaoError('MIGRATION', `执行迁移 ${m.name} 失败：${(e as Error).message}`, [], { cause: e });
      }
    }
  }
  return done;
}
