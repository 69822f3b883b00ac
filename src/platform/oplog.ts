/**
 * The operation log (操作日志). Every write of business data records who did it, when, and the row
 * before and after, inside the same transaction as the write, so the log and the data never disagree.
 */
import type { Generated, Insertable, Kysely, Transaction, Selectable } from 'kysely';
import type { Tables } from './db.js';

export interface OptLogTable {
  log_id: Generated<number>;
  opt_time: Generated<Date>;
  opter_id: string;
  opter_name: string;
  admdvs: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before_data: unknown;
  after_data: unknown;
  memo: string | null;
}

declare module './db.js' {
  interface Tables {
    opt_log: OptLogTable;
  }
}

/** Who is acting: a staff user, an institution through the gateway, or the system itself. */
export interface Actor {
  id: string;
  name: string;
  /** Areas the actor may act in; empty = all (administrators, system). */
  admdvs: string[];
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: '系统', admdvs: [] };

export interface Operation {
  action: string;
  target_type: string;
  target_id?: string | null;
  admdvs?: string | null;
  before?: unknown;
  after?: unknown;
  memo?: string | null;
}

/** The opt_log row of an operation; a caller that folds the log into one of its own statements (a CTE) uses it too. */
export function operationRow(actor: Actor, op: Operation): Insertable<OptLogTable> {
  return {
    opter_id: actor.id,
    opter_name: actor.name,
    admdvs: op.admdvs ?? null,
    action: op.action,
    target_type: op.target_type,
    target_id: op.target_id ?? null,
    before_data: op.before === undefined ? null : JSON.stringify(op.before),
    after_data: op.after === undefined ? null : JSON.stringify(op.after),
    memo: op.memo ?? null,
  };
}

export async function recordOperation(trx: Kysely<Tables> | Transaction<Tables>, actor: Actor, op: Operation): Promise<void> {
  await trx.insertInto('opt_log').values(operationRow(actor, op)).execute();
}

export type OptLogRow = Selectable<OptLogTable>;
