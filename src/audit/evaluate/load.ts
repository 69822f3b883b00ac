/**
 * Reading what `yibao audit evaluate` compares: the answer key (table gen_violation of migration 0019, or the
 * Parquet under a generated directory's ground_truth/) and the 事后 suspects of audit_suspect (one batch run,
 * or every stage-3 suspect). With a run, the answer key is narrowed to the encounters that run audited
 * (registered within its --from/--to) when the key comes from the database, which holds the encounters.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { notFound, validationError } from '../../platform/errors.js';
import { getJob } from '../../platform/jobs.js';
import { yuanToFen } from '../../platform/money.js';
import { addDays } from '../../platform/time.js';
import { duckRows, lit, openDuck } from '../snapshot/duck.js';
import type { SuspectLine, SuspectRow, TruthRow } from './metrics.js';

interface RawTruth {
  vio_id: string;
  vio_type: string;
  legit_flag: string;
  psn_no: string;
  mdtrt_id: string;
  feedetl_sns: string | null;
  amt: string | number;
}

const toTruth = (r: RawTruth): TruthRow => ({
  vio_id: r.vio_id,
  vio_type: r.vio_type,
  legit_flag: String(r.legit_flag).trim() === '1' ? '1' : '0',
  psn_no: r.psn_no,
  mdtrt_id: r.mdtrt_id,
  feedetl_sns: r.feedetl_sns ? r.feedetl_sns.split(',').map((s) => s.trim()).filter(Boolean) : null,
  amt: yuanToFen(String(r.amt), 'amt'),
});

export interface RunWindow {
  run_id: string;
  from: string;
  to: string;
}

/** The window of a finished batch run (job kind audit-batch). */
export async function runWindow(db: Db, run_id: string): Promise<RunWindow> {
  const job = await getJob(db, run_id);
  const p = (job.params ?? {}) as { from?: string; to?: string };
  if (job.kind !== 'audit-batch' || !p.from || !p.to) throw validationError(`任务 ${run_id} 不是事后批量审核任务`);
  return { run_id, from: p.from, to: p.to };
}

/** The answer key from the database, optionally only encounters registered in the window. */
export async function truthFromDb(db: Db, window?: RunWindow): Promise<TruthRow[]> {
  const rows = window
    ? await sql<RawTruth>`select v.vio_id, v.vio_type, v.legit_flag, v.psn_no, v.mdtrt_id, v.feedetl_sns, v.amt::text as amt
        from gen_violation v join mdtrt m on m.mdtrt_id = v.mdtrt_id
        where m.begntime >= ${`${window.from} 00:00:00+08`}::timestamptz and m.begntime < ${`${addDays(window.to, 1)} 00:00:00+08`}::timestamptz order by v.vio_id`.execute(db.k)
    : await sql<RawTruth>`select vio_id, vio_type, legit_flag, psn_no, mdtrt_id, feedetl_sns, amt::text as amt from gen_violation order by vio_id`.execute(db.k);
  return rows.rows.map(toTruth);
}

/** The answer key from a `yibao generate --out DIR` directory (or its ground_truth/ or gen_violation/ folder). */
export async function truthFromDir(dir: string): Promise<TruthRow[]> {
  const base = [join(dir, 'ground_truth', 'gen_violation'), join(dir, 'gen_violation'), dir].find((d) => existsSync(d));
  if (!base) throw notFound(`找不到标准答案目录 ${dir}`);
  const duck = await openDuck();
  try {
    const rows = await duckRows<RawTruth>(
      duck.conn,
      `select vio_id, vio_type, legit_flag, psn_no, mdtrt_id, feedetl_sns, amt::VARCHAR as amt
         from read_parquet(${lit(join(base, '**', '*.parquet'))}, hive_partitioning = true, hive_types_autocast = false) order by vio_id`,
    );
    return rows.map(toTruth);
  } catch (e) {
    throw notFound(`无法读取标准答案 ${base}：${(e as Error).message}`);
  } finally {
    duck.close();
  }
}

interface RawSuspect {
  suspect_id: string;
  rule_id: string;
  psn_no: string;
  mdtrt_id: string | null;
  mdtrt_ids: string;
  vola_amt: string;
  lines: unknown;
}

/** Stage-3 suspects with their evidence lines: of one run, or all. */
export async function loadSuspects(db: Db, run_id?: string): Promise<SuspectRow[]> {
  const res = await sql<RawSuspect>`select suspect_id, rule_id, psn_no, mdtrt_id, mdtrt_ids, vola_amt::text as vola_amt, evidence->'lines' as lines
      from audit_suspect where stage = '3' ${run_id ? sql`and run_id = ${run_id}` : sql``} order by suspect_id`.execute(db.k);
  return res.rows.map((r) => {
    const raw = typeof r.lines === 'string' ? (JSON.parse(r.lines) as unknown) : r.lines;
    const lines: SuspectLine[] = (Array.isArray(raw) ? (raw as Record<string, unknown>[]) : [])
      .filter((l) => l && l.feedetl_sn != null)
      .map((l) => ({ feedetl_sn: String(l.feedetl_sn), vola_item_type: String(l.vola_item_type ?? ''), ...(l.mdtrt_id ? { mdtrt_id: String(l.mdtrt_id) } : {}) }));
    return {
      suspect_id: r.suspect_id,
      rule_id: r.rule_id,
      psn_no: r.psn_no,
      mdtrt_id: r.mdtrt_id,
      mdtrt_ids: r.mdtrt_ids ? r.mdtrt_ids.split(',').filter(Boolean) : [],
      vola_amt: yuanToFen(r.vola_amt, 'vola_amt'),
      lines,
    };
  });
}
