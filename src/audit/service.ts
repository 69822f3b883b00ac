/**
 * The audit service as transactions and settlement call it: cached knowledge and rule snapshots per database
 * (reloaded after a TTL, dropped at once when this process writes either base or the catalogue), the engine with the database
 * history provider, and the evaluation log. When the rule base is empty (a new database) the default rules are
 * installed on first use.
 */
import type { Db } from '../platform/db.js';
import { beijingDate } from '../platform/time.js';
import { evaluate, type Evaluation } from './engine/engine.js';
import { DbHistoryProvider, type HistoryProvider } from './engine/history.js';
import { writeEvaluationLog, type EvalLogMeta } from './engine/log.js';
import { loadKnowledge, type Knowledge } from './kb/knowledge.js';
import { RULE_IMPLS, type RuleImpls } from './rules/index.js';
import { installDefaultRules, loadRuleBase, onAuditDataChanged, type RuleBase } from './rules/store.js';
import type { AuditRequest, AuditResponse } from './types.js';
import { onInvalidate } from '../platform/cache.js';

export interface AuditCacheOptions {
  /** Knowledge snapshot lifetime (ms); default 60 s. The catalogue changes through other modules, hence a TTL. */
  knowledgeTtlMs?: number;
  /** Rule base snapshot lifetime (ms); default 10 s. */
  rulesTtlMs?: number;
}

interface Slot<T> {
  at: number;
  value: Promise<T>;
  /** The catalogue generation the snapshot was taken at (the knowledge base carries catalogue facts). */
  gen?: number;
  /** The load has succeeded: the snapshot may be served while its successor loads. */
  settled?: boolean;
  refreshing?: boolean;
}

/**
 * A cached snapshot. Within its lifetime the snapshot is served; past it (expired by age only) the snapshot is still
 * served while the next one loads in the background — building a knowledge base of 100,000 rows takes about a second,
 * and no request should wait for that. After a write (the slot is dropped, or the catalogue generation moved) callers
 * wait for the new snapshot, so a change is seen at once.
 */
export function served<T>(get: () => Slot<T> | undefined, set: (s: Slot<T> | undefined) => void, ttl: number, gen: number | undefined, load: () => Promise<T>): Promise<T> {
  const slot = get();
  const sameGen = slot !== undefined && slot.gen === gen;
  if (sameGen && performance.now() - slot.at < ttl) return slot.value;
  if (sameGen && slot.settled) {
    if (!slot.refreshing) {
      slot.refreshing = true;
      load().then(
        (v) => {
          if (get() === slot) set({ at: performance.now(), value: Promise.resolve(v), gen, settled: true });
        },
        () => {
          // keep serving the last good snapshot; the next call tries again
          slot.refreshing = false;
        },
      );
    }
    return slot.value;
  }
  const value = load();
  const next: Slot<T> = { at: performance.now(), value, gen };
  set(next);
  value.then(
    () => {
      next.settled = true;
    },
    () => {
      if (get() === next) set(undefined);
    },
  );
  return value;
}

/** Bumped whenever this process writes the catalogue (platform/cache.ts): knowledge snapshots older than it reload. */
let catalogueGen = 0;
onInvalidate((ns) => {
  if (ns === 'catalogue') catalogueGen++;
});

class AuditCache {
  kb?: Slot<Knowledge>;
  rules?: Slot<RuleBase>;
  constructor(readonly opts: AuditCacheOptions) {}
}

const caches = new WeakMap<Db, AuditCache>();
onAuditDataChanged((db) => {
  const c = caches.get(db);
  if (c) {
    c.kb = undefined;
    c.rules = undefined;
  }
});

function cacheOf(db: Db, opts: AuditCacheOptions = {}): AuditCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new AuditCache(opts)));
  return c;
}

/** The knowledge snapshot of a database (cached). */
export function knowledgeFor(db: Db, opts?: AuditCacheOptions): Promise<Knowledge> {
  const c = cacheOf(db, opts);
  return served(
    () => c.kb,
    (s) => (c.kb = s),
    c.opts.knowledgeTtlMs ?? 60_000,
    catalogueGen,
    () => loadKnowledge(db),
  );
}

/** The rule base of a database (cached); installs the default rules into an empty rule base. */
export function rulesFor(db: Db, impls: RuleImpls = RULE_IMPLS, opts?: AuditCacheOptions): Promise<RuleBase> {
  const c = cacheOf(db, opts);
  return served(
    () => c.rules,
    (s) => (c.rules = s),
    c.opts.rulesTtlMs ?? 10_000,
    undefined,
    async () => {
      // installs the default rules a database does not have yet: all of them into a new database, and rules added
      // by a newer release into an existing one (rules are never deleted, only disabled, so nothing comes back)
      await installDefaultRules(db);
      return loadRuleBase(db, impls);
    },
  );
}

/** Drops the cached snapshots of a database. */
export function invalidateAuditCache(db: Db): void {
  caches.delete(db);
}

export interface RealtimeOptions {
  today?: string;
  /** Default: the settlement tables (DbHistoryProvider). */
  history?: HistoryProvider;
  impls?: RuleImpls;
  /** Write the evaluation log (default true). */
  log?: boolean;
}

/**
 * Evaluates a 3101/3102 request against the database's knowledge and rules and logs the evaluation. A log write
 * that fails does not hide the result: the answer says so in warn_msg.
 */
export async function auditRealtime(db: Db, req: AuditRequest, meta: EvalLogMeta, opts: RealtimeOptions = {}): Promise<{ response: AuditResponse; evaluation: Evaluation; eval_id: string | null }> {
  const impls = opts.impls ?? RULE_IMPLS;
  const [kb, rules] = await Promise.all([knowledgeFor(db), rulesFor(db, impls)]);
  const evaluation = await evaluate(req, { kb, rules, impls, today: opts.today ?? beijingDate(), history: opts.history ?? new DbHistoryProvider(db) });
  let eval_id: string | null = null;
  if (opts.log !== false) {
    try {
      eval_id = await writeEvaluationLog(db, evaluation, meta);
    } catch (e) {
      const msg = `审核日志写入失败：${e instanceof Error ? e.message : String(e)}`;
      evaluation.response.warn_msg = evaluation.response.warn_msg ? `${evaluation.response.warn_msg}；${msg}` : msg;
    }
  }
  return { response: evaluation.response, evaluation, eval_id };
}
