/**
 * `yibao audit batch`: the 事后 run of the rule base over a snapshot with DuckDB. For each rule in force on the
 * run's last day that is enabled, declares stage 3 (事后) and has batch SQL (batch/rules-sql.ts, a fraud model of
 * batch/fwa-sql.ts, or a line rule of batch/line-rules-sql.ts over the facts table built once per run by
 * batch/line-facts.ts; the real-time engine over each encounter only for what SQL does not cover), its parameters
 * come from its audit_rule row; its query runs over the whole snapshot (history included) and the hits whose
 * encounter was registered inside [from, to] become suspects (疑点) in audit_suspect: stage '3', the run_id,
 * evidence (the fee lines involved as 违规项/涉及项 with their amounts, the facts the rule used, the parameters),
 * vola_amt by the rule's amount formula and dedup_key = rule_id|facts, so a rerun never duplicates a suspect.
 * A rule's hits are materialised in DuckDB and streamed into the database in large blocks (batch/suspects.ts), so
 * memory holds one block; a rule whose SQL or parameters fail is reported and skipped.
 * Without --snapshot the run first takes a fresh snapshot of the whole database into a temporary directory.
 * Runs as a job (kind 'audit-batch'): done/total count rules, the stage names the rule and the rows processed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../platform/db.js';
import { conflict, validationError } from '../../platform/errors.js';
import { listJobs, runJob, startJob, type JobHandle } from '../../platform/jobs.js';
import type { Fen } from '../../platform/money.js';
import type { Actor } from '../../platform/oplog.js';
import { isIsoDate } from '../../platform/time.js';
import { loadKnowledge } from '../kb/knowledge.js';
import { RULE_IMPLS } from '../rules/index.js';
import { installDefaultRules, loadRuleBase, type RuleBase } from '../rules/store.js';
import type { RuleDef } from '../rules/types.js';
import { duckRows, lit, openDuck, type DuckDBConnection } from '../snapshot/duck.js';
import { writeSnapshot, type PgCopySource } from '../snapshot/snapshot.js';
import { attachSnapshot } from './views.js';
import { engineCodes, runEngineRules } from './engine-rules.js';
import { buildLineFacts, dropLineFacts } from './line-facts.js';
import { LINE_RULES, lineHitQuery, lineRowOf, type LineHitRow } from './line-rules-sql.js';
import { BATCH_RULES, batchParams, type BatchRule, type Facts } from './rules-sql.js';
import { FWA_RULES, isSubjectRule, type BatchCtx } from './fwa-sql.js';
import { evidenceJson, rowOfHit, suspectWriter, writeSuspectRows, BLOCK, type SuspectRow } from './suspects.js';

export interface BatchOptions {
  from: string;
  to: string;
  /** Rule ids to run (default: every batch rule in force). */
  rules?: string[];
  /** A snapshot directory (default: a fresh snapshot into a temporary directory). */
  snapshot?: string;
  /** Closes stays still open (default: `to`). */
  today?: string;
  /** On PostgreSQL, the fresh snapshot reads each table with one COPY from this server (snapshot/snapshot.ts). */
  pgCopy?: PgCopySource;
}

export interface BatchProgress {
  rule_id: string | null;
  rules_done: number;
  rules_total: number;
  /** Progress units done: fee lines × passes. */
  rows: number;
  rows_total: number;
  suspects: number;
  eta_s: number | null;
}

export interface RuleSummary {
  rule_id: string;
  rule_ver: number;
  /** sql: the rule's batch SQL (rules-sql.ts, fwa-sql.ts, line-rules-sql.ts); engine: the real-time implementation over each encounter. */
  path: 'sql' | 'engine';
  hits: number;
  inserted: number;
  /** Whole rule; `write_ms` of it went to writing suspects. */
  ms: number;
  write_ms: number;
  error?: string;
}

export interface BatchResult {
  run_id: string;
  from: string;
  to: string;
  /** Fee lines of encounters in the window (rows the run looked at). */
  lines: number;
  encounters: number;
  rules: RuleSummary[];
  inserted: number;
  ms: number;
  /** Building the line rules' facts (batch/line-facts.ts), once for all line rules; 0 when none ran. */
  line_facts_ms: number;
}

/** A hit as the SQL path reads it from DuckDB: every column text, the evidence lines already JSON. */
interface HitRow {
  psn_no: string;
  mdtrt_id: string | null;
  mdtrt_ids: string;
  dkey: string;
  sev: string | null;
  facts: string;
  excess_fen: string | null;
  fixmedins_code: string;
  inst_admdvs: string;
  setl_id: string | null;
  lines: string;
  amt1: string | null;
  amt3: string | null;
}

/** Every batch rule by id: the rules of rules-sql.ts and the fraud models of fwa-sql.ts (rules-sql.ts wins a clash). */
export const SQL_BATCH_RULES: ReadonlyMap<string, BatchRule> = new Map<string, BatchRule>([...FWA_RULES, ...BATCH_RULES]);

/**
 * The rule's hits within the window, with the lines involved (JSON text) and the amounts each formula needs (分).
 * Encounter hits are kept when their encounter was registered in the window and take its institution; subject hits
 * (fwa-sql.ts) window themselves and bring their institution.
 */
function hitQuery(rule: BatchRule, params: Record<string, unknown>, o: BatchCtx): string {
  const body = rule.sql(params, o);
  const hw = isSubjectRule(rule)
    ? `hw as (select h.* exclude (fixmedins_code, inst_admdvs), h.fixmedins_code, h.inst_admdvs, null::VARCHAR as setl_id from h)`
    : `hw as (select h.*, e.fixmedins_code, e.inst_admdvs, e.setl_id from h join enc e on e.mdtrt_id = h.mdtrt_id
            where e.adm_date between ${lit(o.from)}::DATE and ${lit(o.to)}::DATE)`;
  return `
    with h as (select row_number() over () as hid, * from (${body})),
    ${hw},
    ids as (
      select hid, l.feedetl_id, '1' as t from hw join line l on hw.off_ids is null and l.mdtrt_id = hw.mdtrt_id
      union all select hid, unnest(off_ids), '1' from hw where off_ids is not null
      union all select hid, unnest(rel_ids), '2' from hw),
    items as (
      select ids.hid, ids.t, l.* from ids join line l on l.feedetl_id = ids.feedetl_id),
    agg as (
      select hid,
             to_json(list({feedetl_id: feedetl_id::VARCHAR, feedetl_sn: feedetl_sn, mdtrt_id: mdtrt_id, hilist_code: hilist_code, fee_date: fee_date::VARCHAR,
                   vola_item_type: t, sumamt: det_item_fee_sumamt::VARCHAR, inscp_scp_amt: inscp_scp_amt::VARCHAR} order by t, feedetl_id))::VARCHAR as lines,
             sum(sum_fen) filter (where t = '1') as amt1, sum(inscp_fen) filter (where t = '1') as amt3
        from items group by hid)
    select hw.psn_no, hw.mdtrt_id, array_to_string(hw.mdtrt_ids, ',') as mdtrt_ids, hw.dkey, hw.sev, hw.facts, hw.excess_fen::VARCHAR as excess_fen,
           hw.fixmedins_code, hw.inst_admdvs, hw.setl_id, coalesce(agg.lines, '[]') as lines, agg.amt1::VARCHAR as amt1, agg.amt3::VARCHAR as amt3
      from hw left join agg on agg.hid = hw.hid`;
}

/** vola_amt (分) by the rule's formula: 0 none, 1 the offending lines, 2 the part beyond the limit, 3 the in-scope part. */
export function amountOf(formula: RuleDef['vola_amt_formula'], h: Pick<HitRow, 'amt1' | 'amt3' | 'excess_fen'>): Fen {
  const whole = Number(h.amt1 ?? 0);
  const excess = h.excess_fen === null ? null : Number(h.excess_fen);
  switch (formula) {
    case '0':
      return 0;
    case '1':
      return whole;
    case '2':
      return excess ?? whole;
    default:
      return Math.min(Number(h.amt3 ?? 0), excess ?? whole);
  }
}

function rowOf(rule: RuleDef, impl: BatchRule, h: HitRow, paramsJson: string): SuspectRow {
  return {
    psn_no: h.psn_no,
    mdtrt_id: h.mdtrt_id,
    mdtrt_ids: h.mdtrt_ids,
    dkey: h.dkey,
    sev: h.sev,
    cont: impl.cont(JSON.parse(h.facts) as Facts),
    amt: amountOf(rule.vola_amt_formula, h),
    fixmedins_code: h.fixmedins_code,
    admdvs: h.inst_admdvs,
    setl_id: h.setl_id,
    evidence: evidenceJson(h.facts, h.lines, paramsJson, rule.rule_ver),
  };
}

/**
 * One SQL rule: its hits materialised in DuckDB, then streamed out a block at a time into the suspect writer, so
 * neither side holds more than a block. Returns hits and inserted counts.
 */
async function runSqlRule(
  db: Db,
  conn: DuckDBConnection,
  rule: RuleDef,
  query: string,
  toRow: (h: HitRow, paramsJson: string) => SuspectRow,
  params: Record<string, unknown>,
  run_id: string,
  onBlock: (written: number) => Promise<void>,
): Promise<{ hits: number; inserted: number; write_ms: number }> {
  await conn.run(`create or replace temp table batch_hits as ${query}`);
  const [{ n }] = (await duckRows<{ n: string }>(conn, `select count(*)::VARCHAR as n from batch_hits`)) as [{ n: string }];
  const hits = Number(n);
  let inserted = 0;
  let write_ms = 0;
  if (hits > 0) {
    const paramsJson = JSON.stringify(params);
    const result = await conn.stream(`select * from batch_hits order by mdtrt_id, dkey`);
    const add = suspectWriter(db, rule, run_id);
    let block: SuspectRow[] = [];
    let written = 0;
    const flush = async () => {
      const w0 = performance.now();
      inserted += await add(block);
      write_ms += performance.now() - w0;
      written += block.length;
      block = [];
      await onBlock(written);
    };
    for await (const rows of result.yieldRowObjectJson()) {
      for (const r of rows) block.push(toRow(r as unknown as HitRow, paramsJson));
      if (block.length >= BLOCK) await flush();
    }
    if (block.length) await flush();
  }
  await conn.run(`drop table if exists batch_hits`);
  return { hits, inserted, write_ms: Math.round(write_ms) };
}

function checkOptions(o: BatchOptions): void {
  const problems = [];
  if (!isIsoDate(o.from ?? '')) problems.push({ field: 'from', message: '应为 yyyy-MM-dd' });
  if (!isIsoDate(o.to ?? '')) problems.push({ field: 'to', message: '应为 yyyy-MM-dd' });
  if (!problems.length && o.to < o.from) problems.push({ field: 'to', message: '结束日期早于开始日期' });
  if (o.today !== undefined && !isIsoDate(o.today)) problems.push({ field: 'today', message: '应为 yyyy-MM-dd' });
  if (problems.length) throw validationError('批量审核参数有误', problems);
}

/**
 * Why a line rule's parameters keep it on the engine path (line-rules-sql.ts engineOnly), or null. Parameters that
 * do not validate are the SQL path's to report.
 */
function lineEngineReason(rule: RuleDef): string | null {
  const impl = LINE_RULES.get(rule.rule_id);
  if (!impl?.engineOnly) return null;
  const { params, problem } = batchParams(impl, rule.params);
  return problem ? null : impl.engineOnly(params);
}

/**
 * How a rule runs in the batch: its own SQL (cross-visit rules and models), its line SQL, or the real-time engine
 * over each encounter (the rules not expressed in SQL, and line rules whose parameters need the engine).
 */
function pathOf(rule: Pick<RuleDef, 'rule_id' | 'params'>): 'sql' | 'line' | 'engine' | null {
  if (SQL_BATCH_RULES.has(rule.rule_id)) return 'sql';
  if (LINE_RULES.has(rule.rule_id)) return lineEngineReason(rule as RuleDef) ? 'engine' : 'line';
  return RULE_IMPLS.has(rule.rule_id) ? 'engine' : null;
}

/** Rules to run: in force on `to`, enabled, stage 事后, with batch SQL or a real-time implementation; unfit ids asked for are refused. */
async function rulesToRun(db: Db, o: BatchOptions): Promise<{ base: RuleBase; sqlRules: RuleDef[]; lineRules: RuleDef[]; engineRules: RuleDef[] }> {
  // a new database gets the default rule base on first use, as the real-time service does
  await installDefaultRules(db); // the rules this database does not have yet (see audit/service.ts)
  const base = await loadRuleBase(db);
  const inForce = base.inForce(o.to);
  let fit = inForce.filter((r) => r.enabled && r.stages.includes('3') && pathOf(r));
  if (o.rules?.length) {
    const problems = [];
    for (const id of o.rules) {
      const r = inForce.find((x) => x.rule_id === id);
      if (!r) problems.push({ field: 'rules', message: `规则 ${id} 不存在或在 ${o.to} 不在有效期内` });
      else if (!pathOf(r)) problems.push({ field: 'rules', message: `规则 ${id} 尚无事后批量实现` });
      else if (!r.enabled) problems.push({ field: 'rules', message: `规则 ${id} 已停用` });
      else if (!r.stages.includes('3')) problems.push({ field: 'rules', message: `规则 ${id} 的监管环节不含事后` });
    }
    if (problems.length) throw validationError('指定的规则不能批量运行', problems);
    fit = fit.filter((r) => o.rules!.includes(r.rule_id));
  }
  return {
    base,
    sqlRules: fit.filter((r) => pathOf(r) === 'sql'),
    lineRules: fit.filter((r) => pathOf(r) === 'line'),
    engineRules: fit.filter((r) => pathOf(r) === 'engine'),
  };
}

async function countWindow(conn: DuckDBConnection, o: BatchOptions): Promise<{ lines: number; encounters: number }> {
  const [r] = await duckRows<{ lines: string; encounters: string }>(
    conn,
    `select (select count(*) from line l join enc e on e.mdtrt_id = l.mdtrt_id where e.adm_date between ${lit(o.from)}::DATE and ${lit(o.to)}::DATE)::VARCHAR as lines,
            (select count(*) from enc where adm_date between ${lit(o.from)}::DATE and ${lit(o.to)}::DATE)::VARCHAR as encounters`,
  );
  return { lines: Number(r!.lines), encounters: Number(r!.encounters) };
}

/** The run itself, reporting through the job and `onProgress`. Progress units are fee lines × passes (one per SQL rule, one engine pass). */
export async function runBatch(db: Db, o: BatchOptions, job: JobHandle, onProgress?: (p: BatchProgress) => void): Promise<BatchResult> {
  checkOptions(o);
  const started = performance.now();
  const { base, sqlRules, lineRules, engineRules } = await rulesToRun(db, o);
  const work = mkdtempSync(join(tmpdir(), 'yibao-batch-'));
  // disk-backed: the derived tables and large joins spill to this file instead of filling memory
  const duck = await openDuck(join(work, 'batch.duckdb'));
  try {
    let dir = o.snapshot;
    if (!dir) {
      dir = join(work, 'snapshot');
      await job.progress({ stage: '生成快照' }, true);
      await writeSnapshot(db, { out: dir, from: null, to: o.to, ...(o.pgCopy ? { pgCopy: o.pgCopy } : {}) });
    }
    await job.progress({ stage: '读取快照' }, true);
    await attachSnapshot(duck.conn, dir);
    const { lines, encounters } = await countWindow(duck.conn, o);
    const today = o.today ?? o.to;
    const summaries: RuleSummary[] = [];
    const passes = sqlRules.length + lineRules.length + (engineRules.length ? 1 : 0);
    const unit = Math.max(1, lines);
    const total = unit * passes;
    const rulesTotal = sqlRules.length + lineRules.length + engineRules.length;
    let done = 0;
    let rulesDone = 0;
    let suspects = 0;
    const report = async (rule_id: string | null, stage: string): Promise<void> => {
      const elapsed = (performance.now() - started) / 1000;
      const eta_s = done > 0 ? Math.round((elapsed / done) * (total - done)) : null;
      await job.progress({ done, stage });
      onProgress?.({ rule_id, rules_done: rulesDone, rules_total: rulesTotal, rows: done, rows_total: total, suspects, eta_s });
    };
    await job.progress({ total, done: 0, stage: `共 ${rulesTotal} 条规则，${encounters} 次就诊、${lines} 条费用明细` }, true);
    const ctx: BatchCtx = { from: o.from, to: o.to, today };
    let lineFactsMs = 0;
    if (lineRules.length) {
      // the line rules' facts, once for all of them (the window's lines with their catalogue and knowledge rows)
      await report(null, `准备明细规则数据（${lineRules.length} 条规则）`);
      const t0 = performance.now();
      await buildLineFacts(duck.conn, { from: o.from, to: o.to, today });
      lineFactsMs = Math.round(performance.now() - t0);
    }
    const sqlRuns = [
      ...sqlRules.map((rule) => {
        const impl = SQL_BATCH_RULES.get(rule.rule_id)!;
        return { rule, impl, query: (p: Record<string, unknown>) => hitQuery(impl, p, ctx), toRow: (h: HitRow, pj: string) => rowOf(rule, impl, h, pj) };
      }),
      ...lineRules.map((rule) => {
        const impl = LINE_RULES.get(rule.rule_id)!;
        return { rule, impl, query: (p: Record<string, unknown>) => lineHitQuery(impl, p, rule, ctx), toRow: (h: HitRow, pj: string) => lineRowOf(rule, impl, h as LineHitRow, pj) };
      }),
    ];
    for (const { rule, impl, query, toRow } of sqlRuns) {
      const t0 = performance.now();
      const { params, problem } = batchParams(impl, rule.params);
      const summary: RuleSummary = { rule_id: rule.rule_id, rule_ver: rule.rule_ver, path: 'sql', hits: 0, inserted: 0, ms: 0, write_ms: 0 };
      // checks beyond the schema (rules/store.ts records them on the rule as the engine sees it)
      const paramErr = (rule as RuleDef & { paramErr?: string }).paramErr;
      if (problem || paramErr) summary.error = problem ?? paramErr;
      else {
        try {
          await report(rule.rule_id, `规则 ${rule.rule_id} 运行中（${rulesDone + 1}/${rulesTotal}）`);
          const r = await runSqlRule(db, duck.conn, rule, query(params), toRow, params, job.job_id, (written) =>
            report(rule.rule_id, `规则 ${rule.rule_id} 写入疑点 ${written} 条（${rulesDone + 1}/${rulesTotal}）`),
          );
          Object.assign(summary, r);
        } catch (e) {
          summary.error = `规则执行失败：${(e as Error).message}`;
        }
      }
      summary.ms = Math.round(performance.now() - t0);
      summaries.push(summary);
      suspects += summary.inserted;
      done += unit;
      rulesDone++;
      await report(rule.rule_id, `规则 ${rule.rule_id} 完成（${rulesDone}/${rulesTotal}），新增疑点 ${suspects}`);
    }
    if (lineRules.length) await dropLineFacts(duck.conn);
    if (engineRules.length) {
      const t0 = performance.now();
      const before = done;
      const kb = await loadKnowledge(db);
      const hits = await runEngineRules(duck.conn, {
        from: o.from,
        to: o.to,
        today,
        ruleIds: engineRules.map((r) => r.rule_id),
        kb,
        rules: base,
        codes: engineCodes(
          engineRules.map((r) => r.rule_id),
          o,
        ),
        onChunk: async (p) => {
          done = before + Math.min(unit, p.lines);
          await report(null, `实时规则引擎逐次就诊审核：${p.persons}/${p.personsTotal} 人，${p.lines} 条明细`);
        },
      });
      const ms = Math.round(performance.now() - t0);
      const byRule = new Map<string, typeof hits>();
      for (const h of hits) {
        const list = byRule.get(h.rule_id);
        if (list) list.push(h);
        else byRule.set(h.rule_id, [h]);
      }
      for (const rule of engineRules) {
        const mine = byRule.get(rule.rule_id) ?? [];
        const summary: RuleSummary = { rule_id: rule.rule_id, rule_ver: rule.rule_ver, path: 'engine', hits: mine.length, inserted: 0, ms, write_ms: 0 };
        try {
          const w0 = performance.now();
          summary.inserted = await writeSuspectRows(db, rule, job.job_id, mine.map((h) => rowOfHit(rule, h, rule.params)));
          summary.write_ms = Math.round(performance.now() - w0);
        } catch (e) {
          summary.error = `疑点写入失败：${(e as Error).message}`;
        }
        summaries.push(summary);
        suspects += summary.inserted;
        rulesDone++;
      }
      done = total;
      await report(null, `实时规则 ${engineRules.length} 条完成，新增疑点 ${suspects}`);
    }
    return {
      run_id: job.job_id,
      from: o.from,
      to: o.to,
      lines,
      encounters,
      rules: summaries,
      inserted: suspects,
      ms: Math.round(performance.now() - started),
      line_facts_ms: lineFactsMs,
    };
  } finally {
    duck.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The options as the job records them: the COPY source's URL may carry a password, so only the fact is kept. */
const jobParams = ({ pgCopy, ...rest }: BatchOptions): Record<string, unknown> => ({ ...rest, ...(pgCopy ? { pg_copy: true } : {}) });

/**
 * Starts a run in the background (console, POST /api/audit/batch): the options and the rules asked for are checked
 * first and refused before any job starts, as is a second run while one is going (they would compete for the two
 * cores and write the same suspects); returns the job id at once — follow it with getJob (/api/jobs/:job_id).
 */
export async function startBatch(db: Db, actor: Actor, o: BatchOptions, onProgress?: (p: BatchProgress) => void): Promise<{ job_id: string; done: Promise<BatchResult | null> }> {
  checkOptions(o);
  await rulesToRun(db, o);
  const running = (await listJobs(db, { kind: 'audit-batch', limit: 20 })).find((j) => j.status === 'running');
  if (running) throw conflict(`已有事后批量审核任务 ${running.job_id} 在运行（${running.stage ?? ''}），请等其完成后再发起`);
  const job = await startJob(db, actor, 'audit-batch', jobParams(o), { stage: '准备' });
  const done = runBatch(db, o, job, onProgress).then(
    async (r) => {
      await job.finish(r);
      return r;
    },
    async (e: unknown) => {
      await job.fail(e);
      return null;
    },
  );
  return { job_id: job.job_id, done };
}

/** `runBatch` as a job of kind 'audit-batch'; the run_id of its suspects is the job id. */
export function batchJob(db: Db, actor: Actor, o: BatchOptions, onProgress?: (p: BatchProgress) => void): Promise<BatchResult> {
  return runJob(db, actor, 'audit-batch', jobParams(o), (job) => runBatch(db, o, job, onProgress), { stage: '准备' });
}
