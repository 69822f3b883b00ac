/**
 * The console's one door to the staff REST API (/api): bearer token from this tab's session storage, JSON in and
 * out, errors as ApiError with the server's Chinese message. A 401 anywhere but the login call ends the session
 * (the auth provider listens and sends the user to the login page).
 */

export interface ApiProblem {
  field?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: ApiProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A page of a list endpoint. */
export interface Page<T> {
  page_num: number;
  page_size: number;
  total: number;
  list: T[];
}

export type Query = Record<string, string | number | boolean | null | undefined>;

const TOKEN_KEY = 'yibao.token';
let token: string | null = sessionStorage.getItem(TOKEN_KEY);
const unauthorizedListeners = new Set<(message: string) => void>();

export function getToken(): string | null {
  return token;
}

export function setToken(t: string | null): void {
  token = t;
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Called with the server's message when a request answers 401 (expired or revoked session). */
export function onUnauthorized(fn: (message: string) => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export function toQueryString(query: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** The login call itself: a 401 there is a wrong password, not an expired session. */
  anonymous?: boolean;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (token && !opts.anonymous) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`/api${path}${toQueryString(opts.query)}`, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : null,
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络或确认 yibao 服务已启动');
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (res.ok) return body as T;
  const e = (body ?? {}) as { code?: string; message?: string; problems?: ApiProblem[] };
  const err = new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? defaultMessage(res.status), e.problems ?? []);
  if (res.status === 401 && !opts.anonymous) {
    setToken(null);
    for (const fn of unauthorizedListeners) fn(err.message);
  }
  throw err;
}

function defaultMessage(status: number): string {
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '无权访问';
  if (status === 404) return '未找到请求的数据';
  if (status >= 500) return '服务器内部错误，请稍后重试';
  return `请求失败（HTTP ${status}）`;
}

/** The `total` of a list endpoint (one row fetched): counts without an aggregate API. */
export async function countOf(path: string, query: Query = {}, signal?: AbortSignal): Promise<number> {
  const page = await api<Page<unknown>>(path, { query: { ...query, page_size: 1 }, ...(signal ? { signal } : {}) });
  return Number(page.total);
}
