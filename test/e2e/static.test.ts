/**
 * Serving the built console (src/server/static.ts) without a browser: SPA fallback, caching, gzip, the Chinese
 * hint when the console is not built, and that it never shadows /api, /fsi/api or /health.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { webConsole } from '../../src/server/static.js';

const INDEX = '<!doctype html><html lang="zh-CN"><head><title>yibao</title></head><body><div id="root"></div></body></html>';
const BUNDLE = `console.log(${JSON.stringify('医保'.repeat(2000))});`;

let root: string;
const apps: FastifyInstance[] = [];

/** An app shaped like buildApp's: JSON 404s, an API route, health and the gateway, then the console. */
async function appWith(opts: Parameters<typeof webConsole>[0]): Promise<FastifyInstance> {
  const app = Fastify();
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `接口不存在：${req.method} ${req.url.split('?')[0]}`, problems: [] }));
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/api/roles', async () => ({ roles: [] }));
  app.post('/fsi/api/', async () => ({ infcode: 0 }));
  await app.register(webConsole(opts));
  await app.ready();
  apps.push(app);
  return app;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yibao-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-abc123.js'), BUNDLE);
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, '.secret'), 'no');
});

afterAll(async () => {
  for (const a of apps) await a.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the built console', () => {
  test('/ and every console path answer index.html, never cached, with a content security policy', async () => {
    const app = await appWith({ root });
    for (const url of ['/', '/login', '/basic/catalogue?q=AMXL', '/enrollment/persons/99010000000000000001']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-security-policy']).toContain("script-src 'self'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.body).toContain('<div id="root">');
    }
  });

  test('the login page learns about the demo logins only when the node has them', async () => {
    expect((await (await appWith({ root, demo: true })).inject({ url: '/login' })).body).toContain('<meta name="yibao-demo" content="1" />');
    expect((await (await appWith({ root })).inject({ url: '/login' })).body).not.toContain('yibao-demo');
  });

  test('hashed assets are cached for a year, gzipped on request, and revalidated by ETag', async () => {
    const app = await appWith({ root });
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(BUNDLE);
    const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(BUNDLE);
    expect(gz.rawPayload.length).toBeLessThan(Buffer.byteLength(BUNDLE) / 10);
    const again = await app.inject({ url: '/assets/index-abc123.js', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ url: '/favicon.svg' })).headers['content-type']).toBe('image/svg+xml');
  });

  test('a missing asset, a dotfile or a path out of the build is a JSON 404, not the app', async () => {
    const app = await appWith({ root });
    for (const url of ['/assets/index-old999.js', '/robots.txt', '/.secret', '/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fetc%2fpasswd', '/%00']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toContain('application/json');
    }
  });

  test('it never shadows the API, the national interface or health', async () => {
    const app = await appWith({ root });
    expect((await app.inject({ url: '/api/roles' })).json()).toEqual({ roles: [] });
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    for (const url of ['/api', '/api/', '/api/no-such', '/api/persons/x/y', '/fsi/api', '/fsi/api/', '/fsi/api/1101', '/health/x']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json(), url).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await app.inject({ method: 'POST', url: '/fsi/api/' })).json()).toEqual({ infcode: 0 });
    // other methods on console paths are not the console's business
    expect((await app.inject({ method: 'POST', url: '/basic/catalogue' })).statusCode).toBe(404);
  });

  test('without a build, console pages explain in Chinese how to build it and the API keeps working', async () => {
    const app = await appWith({ root: join(root, 'nowhere') });
    const r = await app.inject({ url: '/' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('管理端尚未构建');
    expect(r.body).toContain('npm run build');
    expect((await app.inject({ url: '/basic/catalogue' })).body).toContain('管理端尚未构建');
    expect((await app.inject({ url: '/api/roles' })).statusCode).toBe(200);
  });
});
