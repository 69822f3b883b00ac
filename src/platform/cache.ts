/**
 * The process-wide reference-data cache: the rows every settlement step looks up and hardly anything writes —
 * areas (admdvs), catalogue items (hilist with caps, ratios, restrictions), institutions and their agreements,
 * practitioners and their qualifications, settlement policies, the 事中 audit configuration, code tables.
 *
 * Shape. One `RefCache` per kind of data (a namespace), holding per key the value a loader built — for
 * effective-dated tables the whole version list of a code (every begndate), so that a look-up "in force on date D"
 * is answered in memory for any D and a change of day needs no reload. Each namespace is bounded (least recently
 * used entries go first) and an entry is reloaded after `ttlMs` whatever happens (a safety net, see below).
 * Entries are kept per database (tests open several in one process; a transaction's view of a database is the
 * same database: keyed by the identity `openDb` gives each database, see `dbKey`).
 *
 * Invalidation. Every service that writes cached data calls `invalidate(namespace)` when its write has finished
 * (committed or not — in `finally`), which drops the namespace in every database and bumps its version stamp. A
 * load that was running while the stamp moved does not store its (possibly old) result. Writes therefore show at
 * once in this process. Reads inside a writing transaction go around nothing: whatever a transaction loads is
 * dropped by the writer's invalidation when it ends.
 *
 * Single-process assumption. The stamps live in this process's memory: a write by another process — `yibao import`
 * or `yibao credentials` run while `yibao serve` is up, or a second server — is seen here only when the entry
 * expires (`ttlMs`, 60 s by default). To run several server processes, share the stamps: bump a row per namespace
 * in the writing transaction (a `ref_stamp(ns, version)` table, or `pg_notify('yibao_ref', ns)`), and have each
 * process feed what it reads or hears to `applyStamps` — a higher stamp than ours drops our entries. Nothing else
 * here changes. With the embedded PGlite only one process can open the database, so the assumption holds there.
 */

/** Namespaces of reference data (one per cached kind; `invalidate` takes one of these). */
export type RefNamespace = 'admdvs' | 'catalogue' | 'institution' | 'practitioner' | 'policy' | 'audit_cfg' | 'dict' | 'coded_list' | 'credential' | 'signin';

export interface RefCacheOptions {
  /** Most entries kept per database (least recently used go first). */
  max: number;
  /** Entry lifetime in ms (default 60 s): how late another process's write is seen. */
  ttlMs?: number;
}

interface Entry<V> {
  at: number;
  value: V;
}

/** The identity of a database: every view of it (onExec's spread copies) shares `runScript`, set once by openDb. */
export function dbKey(db: { runScript: unknown }): object {
  return db.runScript as object;
}

type DbLike = { runScript: unknown };

const stamps = new Map<RefNamespace, number>();
const registry = new Map<RefNamespace, Set<RefCache<unknown>>>();
const listeners = new Set<(ns: RefNamespace) => void>();

/** The version stamp of a namespace (bumped by every invalidation). */
export function stampOf(ns: RefNamespace): number {
  return stamps.get(ns) ?? 0;
}

/** Every namespace's stamp (for sharing with other processes). */
export function stampsNow(): Record<string, number> {
  return Object.fromEntries(stamps);
}

/** Drops a namespace's entries in every database and bumps its stamp; call after a write to its tables. */
export function invalidate(...namespaces: RefNamespace[]): void {
  for (const ns of namespaces) {
    stamps.set(ns, stampOf(ns) + 1);
    for (const c of registry.get(ns) ?? []) c.clear();
    for (const l of listeners) l(ns);
  }
}

/** Adopts stamps another process published: any namespace whose stamp is ahead of ours is dropped here. */
export function applyStamps(remote: Record<string, number>): void {
  for (const [ns, v] of Object.entries(remote) as [RefNamespace, number][]) {
    if (v > stampOf(ns)) {
      for (const c of registry.get(ns) ?? []) c.clear();
      for (const l of listeners) l(ns);
      stamps.set(ns, v);
    }
  }
}

/** Tells `listener` about every invalidation (caches kept elsewhere, e.g. the audit knowledge snapshot). */
export function onInvalidate(listener: (ns: RefNamespace) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Runs `body` and invalidates the namespaces afterwards, whether it succeeded or not. */
export async function writingTo<T>(namespaces: RefNamespace | RefNamespace[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    invalidate(...(Array.isArray(namespaces) ? namespaces : [namespaces]));
  }
}

/** Hits, misses (keys loaded) and loads (loader calls) since start, per namespace: for tests and measurements. */
export const cacheStats = new Map<RefNamespace, { hits: number; misses: number; loads: number }>();

function stat(ns: RefNamespace) {
  let s = cacheStats.get(ns);
  if (!s) cacheStats.set(ns, (s = { hits: 0, misses: 0, loads: 0 }));
  return s;
}

/** One namespace's bounded, per-database key → value cache. */
export class RefCache<V> {
  private readonly stores = new WeakMap<object, Map<string, Entry<V>>>();
  private readonly pending = new WeakMap<object, Map<string, Promise<V>>>();
  /** Every store, so that `clear` reaches them (a WeakMap cannot be walked). */
  private readonly all = new Set<WeakRef<Map<string, Entry<V>>>>();
  private readonly ttlMs: number;

  constructor(
    readonly ns: RefNamespace,
    private readonly opts: RefCacheOptions,
  ) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    let set = registry.get(ns);
    if (!set) registry.set(ns, (set = new Set()));
    set.add(this as RefCache<unknown>);
  }

  private store(db: DbLike): Map<string, Entry<V>> {
    const key = dbKey(db);
    let s = this.stores.get(key);
    if (!s) {
      this.stores.set(key, (s = new Map()));
      this.all.add(new WeakRef(s));
    }
    return s;
  }

  private fresh(s: Map<string, Entry<V>>, key: string): Entry<V> | undefined {
    const e = s.get(key);
    if (!e) return undefined;
    if (performance.now() - e.at > this.ttlMs) {
      s.delete(key);
      return undefined;
    }
    // least recently used goes first: a hit moves the key to the end of the insertion order
    s.delete(key);
    s.set(key, e);
    return e;
  }

  private put(s: Map<string, Entry<V>>, key: string, value: V): void {
    s.set(key, { at: performance.now(), value });
    while (s.size > this.opts.max) s.delete(s.keys().next().value!);
  }

  /** The cached value of `key`, or `load()`'s (stored unless an invalidation happened meanwhile). */
  async get(db: DbLike, key: string, load: () => Promise<V>): Promise<V> {
    const s = this.store(db);
    const hit = this.fresh(s, key);
    if (hit) {
      stat(this.ns).hits++;
      return hit.value;
    }
    // concurrent misses of one key share one load (a cold start under load asks for the same rows many times)
    const dk = dbKey(db);
    let inflight = this.pending.get(dk);
    if (!inflight) this.pending.set(dk, (inflight = new Map()));
    const stamp = stampOf(this.ns);
    // a load started before an invalidation is not shared with later callers
    const slot = `${stamp}|${key}`;
    const running = inflight.get(slot);
    if (running) return running;
    const st = stat(this.ns);
    st.misses++;
    st.loads++;
    const p = load().then((value) => {
      if (stampOf(this.ns) === stamp) this.put(s, key, value);
      return value;
    });
    inflight.set(slot, p);
    const done = () => void (inflight.get(slot) === p && inflight.delete(slot));
    p.then(done, done);
    return p;
  }

  /**
   * Values of many keys: the cached ones, and the missing ones from ONE call of `loadMissing` (which must answer
   * every key it is given — an absent key is cached as `absent`).
   */
  async getMany(db: DbLike, keys: readonly string[], loadMissing: (keys: string[]) => Promise<Map<string, V>>, absent: V): Promise<Map<string, V>> {
    const s = this.store(db);
    const out = new Map<string, V>();
    const missing: string[] = [];
    for (const k of new Set(keys)) {
      const hit = this.fresh(s, k);
      if (hit) out.set(k, hit.value);
      else missing.push(k);
    }
    const st = stat(this.ns);
    st.hits += out.size;
    if (!missing.length) return out;
    st.misses += missing.length;
    st.loads++;
    const stamp = stampOf(this.ns);
    const loaded = await loadMissing(missing);
    const keep = stampOf(this.ns) === stamp;
    for (const k of missing) {
      const v = loaded.has(k) ? loaded.get(k)! : absent;
      out.set(k, v);
      if (keep) this.put(s, k, v);
    }
    return out;
  }

  /** Drops every entry (all databases). */
  clear(): void {
    for (const ref of this.all) {
      const s = ref.deref();
      if (s) s.clear();
      else this.all.delete(ref);
    }
  }
}

/** The one row of an effective-dated version list in force on a date ('yyyy-MM-dd' compare as text). */
export function versionOn<T extends { begndate: string; enddate: string | null }>(versions: readonly T[], on: string): T | undefined {
  return versions.find((v) => v.begndate <= on && (v.enddate === null || v.enddate >= on));
}

/** Every row of a list in force on a date. */
export function versionsOn<T extends { begndate: string; enddate: string | null }>(rows: readonly T[], on: string): T[] {
  return rows.filter((v) => v.begndate <= on && (v.enddate === null || v.enddate >= on));
}
