/**
 * Step time limits of the review workflow (时限): a limit per state in audit_case_limit, counted in working days
 * (Monday–Friday; the statutory holiday calendar is not modelled) or calendar days from the day the step begins.
 * Owns the due-date arithmetic and the editing of the limits; the workflow stamps due_date when a step begins and
 * a case is overdue when today (Beijing) is after its due date.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { notFound, validationError } from '../../platform/errors.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { addDays } from '../../platform/time.js';
import type { CaseStas } from './types.js';

export interface StepLimit {
  case_stas: CaseStas;
  step_name: string;
  limit_days: number;
  day_type: 'W' | 'C';
}

function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/** The last day of a step that begins on `from`: N calendar days later, or the Nth working day after it. */
export function dueDateOf(from: string, limit: Pick<StepLimit, 'limit_days' | 'day_type'>): string {
  if (limit.day_type === 'C') return addDays(from, limit.limit_days);
  let d = from;
  for (let left = limit.limit_days; left > 0; ) {
    d = addDays(d, 1);
    if (!isWeekend(d)) left -= 1;
  }
  return d;
}

export async function loadLimits(db: Pick<Db, 'k'>): Promise<Map<CaseStas, StepLimit>> {
  const rows = await db.k.selectFrom('audit_case_limit').select(['case_stas', 'step_name', 'limit_days', 'day_type']).orderBy('case_stas').execute();
  return new Map(rows.map((r) => [r.case_stas, r]));
}

/** Changes one step's limit; cases already in that step keep the due date they were given. */
export async function setLimit(db: Db, actor: Actor, case_stas: string, input: { limit_days: number; day_type: 'W' | 'C' }): Promise<StepLimit> {
  if (!Number.isInteger(input.limit_days) || input.limit_days < 0 || input.limit_days > 365) {
    throw validationError('时限天数应为 0 到 365 的整数', [{ field: 'limit_days', message: '应为 0 到 365 的整数' }]);
  }
  return db.k.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('audit_case_limit').selectAll().where('case_stas', '=', case_stas as CaseStas).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`审核环节 ${case_stas} 不存在（可设时限的环节：10 初审、20 复审、30 机构申诉、40 调查核实、50 违规处理）`);
    const after = await trx
      .updateTable('audit_case_limit')
      .set({ limit_days: input.limit_days, day_type: input.day_type, opter_id: actor.id, updt_time: sql<Date>`now()` })
      .where('case_stas', '=', before.case_stas)
      .returning(['case_stas', 'step_name', 'limit_days', 'day_type'])
      .executeTakeFirstOrThrow();
    await recordOperation(trx, actor, { action: 'audit.case.limit', target_type: 'audit_case_limit', target_id: case_stas, before, after });
    return after;
  });
}
