/**
 * List pages keep their filters, page and open detail in the URL (?q=…&page=2&code=…): back/forward, reload and
 * shared links all land on the same view. Dates travel as 'YYYY-MM-DD'.
 */
import type { FormInstance, TablePaginationConfig } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Query } from './api';

export const DATE = 'YYYY-MM-DD';

export type Patch = Record<string, string | number | null | undefined>;

export interface ListQuery {
  /** Every URL parameter. */
  values: Record<string, string>;
  page_num: number;
  page_size: number;
  /** Sets (or with empty values removes) parameters; filters go back to page 1 unless keepPage. */
  update: (patch: Patch, keepPage?: boolean) => void;
  /** The API query: the given filter keys plus paging. */
  apiQuery: (keys: readonly string[]) => Query;
  pagination: (total: number | undefined) => TablePaginationConfig;
}

export function useListQuery(): ListQuery {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => Object.fromEntries(params.entries()), [params]);
  const page_num = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const page_size = Math.min(100, Math.max(1, Number(params.get('size') ?? 20) || 20));

  const update = useCallback(
    (patch: Patch, keepPage = false) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined || v === null || v === '') next.delete(k);
          else next.set(k, String(v));
        }
        if (!keepPage && !('page' in patch)) next.delete('page');
        return next;
      });
    },
    [setParams],
  );

  return {
    values,
    page_num,
    page_size,
    update,
    apiQuery: (keys) => ({ ...Object.fromEntries(keys.filter((k) => values[k]).map((k) => [k, values[k]])), page_num, page_size }),
    pagination: (total) => ({
      current: page_num,
      pageSize: page_size,
      total: total ?? 0,
      showSizeChanger: true,
      pageSizeOptions: [10, 20, 50, 100],
      showTotal: (t) => `共 ${t.toLocaleString('zh-CN')} 条`,
      onChange: (page, size) => update({ page: size !== page_size ? null : page, size: size === 20 ? null : size }, true),
    }),
  };
}

/** URL values → form values (date fields as dayjs). */
export function toForm(values: Record<string, string>, keys: readonly string[], dateKeys: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, values[k] ? (dateKeys.includes(k) ? dayjs(values[k], DATE) : values[k]) : undefined]));
}

/** Form values → URL patch (dayjs as 'YYYY-MM-DD', trimmed strings, empty removed). */
export function fromForm(v: Record<string, unknown>): Patch {
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => {
      if (dayjs.isDayjs(x)) return [k, (x as Dayjs).format(DATE)];
      if (typeof x === 'string') return [k, x.trim() || null];
      return [k, (x as string | number | null | undefined) ?? null];
    }),
  );
}

/** Keeps a filter form in step with the URL (back/forward, links from other pages). */
export function useSyncForm(form: FormInstance, values: Record<string, string>, keys: readonly string[], dateKeys: readonly string[] = []): void {
  const key = keys.map((k) => values[k] ?? '').join('|');
  useEffect(() => {
    form.setFieldsValue(toForm(values, keys, dateKeys));
    // the key captures the relevant values
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
