/** Data hooks: one API read with loading/error/reload, the code tables and areas (cached for the session). */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Query } from './api';
import type { Area, DictItem } from './types';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GET `path` with `query` whenever either changes; `path` null means "nothing to load yet". While a new answer
 * loads, the previous data stays on screen (tables do not flash empty between pages).
 */
export function useApi<T>(path: string | null, query?: Query): ApiState<T> {
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<{ key: string | null; data?: T; error?: Error }>({ key: null });
  const key = path === null ? null : `${path}|${JSON.stringify(query ?? {})}|${tick}`;
  useEffect(() => {
    if (key === null || path === null) return;
    const ctl = new AbortController();
    api<T>(path, { ...(query ? { query } : {}), signal: ctl.signal }).then(
      (data) => setResult({ key, data }),
      (error: Error) => {
        if (error.name !== 'AbortError') setResult((r) => ({ key, data: r.data, error }));
      },
    );
    return () => ctl.abort();
    // the key captures path, query (by value) and reloads
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = result.key === key;
  return { data: result.data, error: current ? result.error : undefined, loading: key !== null && !current, reload };
}

const dictCache = new Map<string, Promise<DictItem[]>>();

/** Forget cached code tables and areas (after logout: the next user may see other areas). */
export function clearReferenceCache(): void {
  dictCache.clear();
  areaCache = null;
}

function loadDict(type: string): Promise<DictItem[]> {
  let p = dictCache.get(type);
  if (!p) {
    p = api<{ list: DictItem[] }>(`/dict/${type}`).then(
      (r) => r.list,
      (e: unknown) => {
        dictCache.delete(type);
        throw e;
      },
    );
    dictCache.set(type, p);
  }
  return p;
}

export interface Dict {
  items: DictItem[];
  label: (value: string | null | undefined) => string;
  options: { value: string; label: string }[];
}

/** One national code table: its items, a value → "label" lookup (unknown values shown as the code) and Select options. */
export function useDict(type: string): Dict {
  const [items, setItems] = useState<DictItem[]>([]);
  useEffect(() => {
    let live = true;
    loadDict(type).then(
      (list) => live && setItems(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [type]);
  return useMemo(() => {
    const map = new Map(items.map((i) => [i.value, i.label]));
    return {
      items,
      label: (v) => (v === null || v === undefined || v === '' ? '—' : (map.get(v) ?? v)),
      options: items.map((i) => ({ value: i.value, label: `${i.label}（${i.value}）` })),
    };
  }, [items]);
}

let areaCache: Promise<Area[]> | null = null;

export interface Areas {
  list: Area[];
  name: (admdvs: string | null | undefined) => string;
  /** Areas the user may choose (in scope), as Select options. */
  options: { value: string; label: string }[];
}

export function useAreas(): Areas {
  const [list, setList] = useState<Area[]>([]);
  useEffect(() => {
    let live = true;
    if (!areaCache) {
      areaCache = api<{ list: Area[] }>('/areas').then(
        (r) => r.list,
        (e: unknown) => {
          areaCache = null;
          throw e;
        },
      );
    }
    areaCache.then(
      (l) => live && setList(l),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return useMemo(() => {
    const map = new Map(list.map((a) => [a.admdvs, a.admdvs_name]));
    return {
      list,
      name: (v) => (v ? (map.get(v) ?? v) : '—'),
      options: list.filter((a) => a.in_scope).map((a) => ({ value: a.admdvs, label: `${a.admdvs_name}（${a.admdvs}）` })),
    };
  }, [list]);
}

/** Sets the browser tab title. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · yibao 智慧医保信息平台`;
  }, [title]);
}
