/**
 * The database layer. One Kysely instance over either the embedded PGlite (default: one command to start,
 * demo, fast tests) or a PostgreSQL server (DATABASE_URL). Same SQL text on both.
 *
 * Table types are declared by each domain through declaration merging into `Tables`, so no domain edits
 * another's types:   declare module '../platform/db.js' { interface Tables { person: PersonTable } }
 *
 * Type mapping (both engines): date → 'yyyy-MM-dd' string (never a JS Date: no time-zone drift),
 * numeric → string (money goes through platform/money), int8 → number, timestamptz → Date.
 */
import { mkdirSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  PostgresDialect,
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from './config.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Tables {}

export type DbKind = 'pglite' | 'postgres';

export interface Db {
  readonly kind: DbKind;
  readonly k: Kysely<Tables>;
  /** Runs a multi-statement SQL script on one connection; on error rolls back any open transaction. */
  runScript(sql: string): Promise<void>;
  /** Where the data lives, for /health and start-up lines (no password). */
  readonly location: string;
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const parseInt8 = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 超出安全整数范围：${v}`);
  return n;
};

// ---------- query observation ----------

/**
 * Listeners told the SQL text of every statement sent to either engine (queries, transaction control, scripts) —
 * for counting round trips in tests and measurements (src/settlement/query-count.test.ts). With no listener
 * (the server's normal state) the hook costs one size check per statement.
 */
const queryListeners = new Set<(sql: string) => void>();

/** Calls `listener` with the SQL of every statement any Db of this process sends, until the returned function is called. */
export function observeQueries(listener: (sql: string) => void): () => void {
  queryListeners.add(listener);
  return () => void queryListeners.delete(listener);
}

function noteQuery(sql: string): void {
  if (queryListeners.size) for (const l of queryListeners) l(sql);
}

// ---------- PGlite ----------

/** A mutex so that Kysely's single PGlite "connection" is held by one query or transaction at a time. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    return prev.then(() => release);
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    noteQuery(q.sql);
    const res = await this.pglite.query<R>(q.sql, q.parameters as unknown[]);
    return {
      rows: res.rows,
      ...(res.affectedRows !== undefined ? { numAffectedRows: BigInt(res.affectedRows) } : {}),
    };
  }
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite 不支持流式查询');
  }
}

class PGliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly releases = new Map<DatabaseConnection, () => void>();
  private readonly connection: PGliteConnection;
  constructor(private readonly pglite: PGlite) {
    this.connection = new PGliteConnection(pglite);
  }
  async init(): Promise<void> {
    await this.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.lock();
    this.releases.set(this.connection, release);
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const release = this.releases.get(conn);
    this.releases.delete(conn);
    release?.();
  }
  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
  /** Scripts take the same lock as queries, so a script never interleaves with a transaction. */
  async runScript(sql: string): Promise<void> {
    const release = await this.mutex.lock();
    try {
      noteQuery(sql);
      await this.pglite.exec(sql);
    } catch (e) {
      await this.pglite.exec('rollback').catch(() => undefined);
      throw e;
    } finally {
      release();
    }
  }
}

async function openPGlite(dataDir: string): Promise<Db> {
  const memory = dataDir === 'memory://' || dataDir === '';
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(memory ? undefined : dataDir, {
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: parseInt8, [NUMERIC_OID]: (v: string) => v },
  });
  const driver = new PGliteDriver(pglite);
  const dialect: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
  const k = new Kysely<Tables>({ dialect });
  return {
    kind: 'pglite',
    k,
    location: memory ? 'PGlite（内存）' : `PGlite ${dataDir}`,
    runScript: (sql) => driver.runScript(sql),
    close: () => k.destroy(),
  };
}

// ---------- PostgreSQL ----------

let pgTypesSet = false;
function setPgTypes(): void {
  if (pgTypesSet) return;
  pg.types.setTypeParser(DATE_OID, (v: string) => v);
  pg.types.setTypeParser(INT8_OID, parseInt8);
  pg.types.setTypeParser(NUMERIC_OID, (v: string) => v);
  pgTypesSet = true;
}

/**
 * Named (server-side prepared) statements for the parameterised queries Kysely sends: PostgreSQL parses and plans a
 * statement text once per connection instead of on every execution, which halves the cost of the short queries a
 * settlement is made of. Only SELECT/INSERT/UPDATE/DELETE/WITH texts with parameters are named (transaction control
 * and scripts are not); at most MAX_NAMED distinct texts per process, the rest run unnamed. A statement whose table
 * changed shape under it ("cached plan must not change result type", after a migration) runs unnamed from then on.
 */
const MAX_NAMED = 4000;
const NAMED = /^\s*(select|insert|update|delete|with)\b/i;
const statementNames = new Map<string, string | null>();

function statementName(text: string): string | null {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = statementNames.size < MAX_NAMED && NAMED.test(text) ? `y${createHash('sha1').update(text).digest('base64url').slice(0, 20)}` : null;
    statementNames.set(text, name);
  }
  return name;
}

function prepareStatements(client: pg.PoolClient): void {
  const plain = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<pg.QueryResult>;
  (client as unknown as { query: unknown }).query = (text: unknown, values?: unknown) => {
    if (typeof text === 'string') noteQuery(text);
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return plain(text, values);
    const name = statementName(text);
    if (!name) return plain(text, values);
    return plain({ name, text, values }).catch((e: { code?: string; message?: string }) => {
      if (e.code !== '0A000' || !e.message?.includes('cached plan')) throw e;
      statementNames.set(text, null);
      return plain(text, values);
    });
  };
}

async function openPostgres(url: string, schema?: string): Promise<Db> {
  setPgTypes();
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('connect', prepareStatements);
  const k = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return {
    kind: 'postgres',
    k,
    location: `PostgreSQL ${safeUrl}${schema ? ` schema ${schema}` : ''}`,
    async runScript(sql) {
      const client = await pool.connect();
      try {
        await client.query(sql);
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => k.destroy(),
  };
}

export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir'>, schema?: string): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, schema);
  return openPGlite(config.dataDir);
}

/**
 * A private, empty database for one test file: an in-memory PGlite, or — when DATABASE_URL is set — a fresh
 * schema on that server, dropped again on close. Test files run in parallel without seeing each other.
 */
export async function openTestDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) return openPGlite('memory://');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openPostgres(url, schema);
  return {
    ...db,
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
