/**
 * Content checksum of the demo region: SHA-256 over every demo table's rows in a canonical order and form,
 * leaving out what legitimately differs between two loads (creation timestamps, serial ids). Same seed →
 * same checksum, on PGlite and on PostgreSQL alike.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';

export interface ChecksumTable {
  table: string;
  /** Columns left out: instants and generated serials. */
  exclude: string[];
}

function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function contentChecksum(db: Db, tables: ChecksumTable[]): Promise<{ checksum: string; rows: Record<string, number> }> {
  const hash = createHash('sha256');
  const rows: Record<string, number> = {};
  for (const t of tables) {
    const res = await sql<Record<string, unknown>>`select * from ${sql.table(t.table)}`.execute(db.k);
    const lines = res.rows.map((r) => {
      const kept: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (!t.exclude.includes(k)) kept[k] = v;
      return canonical(kept);
    });
    lines.sort();
    hash.update(`#${t.table}\n`);
    for (const l of lines) hash.update(`${l}\n`);
    rows[t.table] = lines.length;
  }
  return { checksum: hash.digest('hex'), rows };
}
