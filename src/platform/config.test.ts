import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from './config.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'yibao-cfg-'));

test('defaults when there is no file and no environment', () => {
  expect(loadConfig({}, {}, emptyDir())).toEqual(DEFAULT_CONFIG);
});

test('file < environment < overrides', () => {
  const dir = emptyDir();
  writeFileSync(join(dir, 'yibao.config.json'), JSON.stringify({ port: 9000, host: '0.0.0.0', demo: false }));
  const c = loadConfig({ host: '127.0.0.2' }, { YIBAO_PORT: '9100' }, dir);
  expect(c.port).toBe(9100);
  expect(c.host).toBe('127.0.0.2');
  expect(c.demo).toBe(false);
});

test('bad values stop start-up with a Chinese message', () => {
  expect(() => loadConfig({}, { YIBAO_PORT: 'abc' }, emptyDir())).toThrow(/配置项 port 无效/);
  expect(() => loadConfig({}, { YIBAO_DEMO: 'maybe' }, emptyDir())).toThrow(/true\/false/);
  expect(() => loadConfig({}, { DATABASE_URL: 'mysql://x' }, emptyDir())).toThrow(/postgres/);
  const dir = emptyDir();
  writeFileSync(join(dir, 'yibao.config.json'), '{"prot": 1}');
  expect(() => loadConfig({}, {}, dir)).toThrow(/未知的配置项/);
  writeFileSync(join(dir, 'yibao.config.json'), '{oops');
  expect(() => loadConfig({}, {}, dir)).toThrow(/不是有效的 JSON/);
});
