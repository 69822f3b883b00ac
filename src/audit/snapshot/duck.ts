/**
 * The DuckDB helpers the 事后 snapshot and batch share: opening an instance, quoting identifiers and literals
 * for the statements that cannot take parameters (COPY targets, read_parquet globs), and reading rows as plain
 * JSON-safe objects (DECIMAL and BIGINT as strings, so money reaches platform/money untouched).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export type { DuckDBConnection };

export async function openDuck(path = ':memory:'): Promise<{ conn: DuckDBConnection; close(): void }> {
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  return {
    conn,
    close() {
      conn.closeSync();
      inst.closeSync();
    },
  };
}

export { lit } from './sql-text.js';

/** Rows of a query as JSON-like objects. */
export async function duckRows<T = Record<string, unknown>>(conn: DuckDBConnection, text: string): Promise<T[]> {
  const r = await conn.runAndReadAll(text);
  return r.getRowObjectsJson() as T[];
}
