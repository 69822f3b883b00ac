/**
 * The staff web console (web/, built by Vite into web/dist) served by the same Fastify process: hashed assets
 * under /assets/ with a year-long immutable cache, every other console path answered with index.html so the
 * browser router takes over (SPA fallback). It never shadows the APIs: an unknown path under /api, /fsi/api or
 * /health goes to the application's own JSON 404. When the console has not been built, its pages show a
 * Chinese hint (503) and the APIs keep working.
 *
 * Files are read once and kept in memory with their gzip form (the build is a few MB and never changes while
 * the process runs; a rebuilt file is picked up by its new mtime).
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export interface WebConsoleOptions {
  /** The built console; default web/dist of this checkout. */
  root?: string;
  /** The demo logins exist (config.demo): the login page shows them. Default false. */
  demo?: boolean;
}

/** web/dist of this checkout, from src/server (tests) and from dist/server (the compiled program) alike. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Path prefixes that belong to the server, never to the console. */
const RESERVED = ['/api', '/fsi/api', '/health'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

/** antd writes its styles at run time (CSS-in-JS), hence 'unsafe-inline' for styles only; ECharts draws on canvas. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

const MISSING_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>yibao 管理端尚未构建</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:42rem;margin:4rem auto;padding:0 1rem;color:#1f2937;line-height:1.7}code{background:#f3f4f6;padding:.1rem .35rem;border-radius:4px}</style></head>
<body><h1>管理端尚未构建</h1>
<p>没有找到管理端的构建结果（<code>web/dist</code>）。请在项目根目录运行 <code>npm install</code>（或 <code>npm run build</code>），然后重新启动 <code>yibao serve</code>。</p>
<p>接口不受影响：工作人员接口 <code>/api</code>、定点机构接口 <code>/fsi/api</code>、健康检查 <code>/health</code> 均可正常使用。</p>
</body></html>`;

interface CachedFile {
  mtimeMs: number;
  size: number;
  type: string;
  etag: string;
  body: Buffer;
  gzip: Buffer | null;
}

function isReserved(path: string): boolean {
  return RESERVED.some((p) => path === p || path.startsWith(`${p}/`));
}

/** The decoded URL path, or null when it cannot be one (bad escapes, NUL). */
function decodePath(urlPath: string): string | null {
  try {
    const decoded = decodeURIComponent(urlPath);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/** The file under root for a decoded path, or null when it is not inside root (no escapes, no dotfiles). */
function fileFor(root: string, decoded: string): string | null {
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  if (!rel || rel.split(/[/\\]/).some((part) => part.startsWith('.'))) return null;
  const full = resolve(root, rel);
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

export function webConsole(opts: WebConsoleOptions = {}): FastifyPluginAsync {
  const root = resolve(opts.root ?? DEFAULT_WEB_ROOT);
  const cache = new Map<string, CachedFile>();

  const indexFile = join(root, 'index.html');
  // the login page reads this to show the demo logins; nothing else about the server reaches the page
  const patch = (file: string, body: Buffer) => (opts.demo && file === indexFile ? Buffer.from(body.toString('utf8').replace('</head>', '  <meta name="yibao-demo" content="1" />\n  </head>')) : body);

  const load = (file: string): CachedFile | null => {
    let st;
    try {
      st = statSync(file);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const ext = extname(file).toLowerCase();
    const body = patch(file, readFileSync(file));
    const gz = COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null;
    const entry: CachedFile = {
      mtimeMs: st.mtimeMs,
      size: st.size,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      body,
      gzip: gz && gz.length < body.length ? gz : null,
    };
    cache.set(file, entry);
    return entry;
  };

  const send = (req: FastifyRequest, reply: FastifyReply, f: CachedFile, cacheControl: string) => {
    reply.header('content-type', f.type).header('cache-control', cacheControl).header('etag', f.etag).header('x-content-type-options', 'nosniff');
    if (f.type.startsWith('text/html')) reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin');
    if (f.gzip) reply.header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === f.etag) return reply.status(304).send();
    const gzipOk = f.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzipOk) reply.header('content-encoding', 'gzip');
    return reply.send(gzipOk ? f.gzip : f.body);
  };

  return async (app) => {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const path = req.url.split('?')[0] ?? '/';
      const decoded = decodePath(path);
      if (decoded === null || isReserved(decoded)) return reply.callNotFound();
      const file = fileFor(root, decoded);
      const asset = file ? load(file) : null;
      if (asset) return send(req, reply, asset, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      // a missing file with an extension (a stale /assets/… link, /favicon.png) is a plain 404, not the app
      if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
      const index = load(indexFile);
      if (index) return send(req, reply, index, 'no-cache');
      return reply.status(503).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(MISSING_HTML);
    };
    app.get('/', handler);
    app.get('/*', handler);
  };
}
