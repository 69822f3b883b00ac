/**
 * Configuration: defaults < JSON file (yibao.config.json or $YIBAO_CONFIG) < environment < explicit overrides
 * (CLI flags). Validated once at start; a bad value stops start-up with a Chinese message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { YibaoError } from './errors.js';

export interface Config {
  /** HTTP listen address and port of `yibao serve`. */
  host: string;
  port: number;
  /** postgres://… to use a PostgreSQL server; when empty the embedded PGlite under dataDir is used. */
  databaseUrl: string;
  /** Folder of the embedded database and other local state. 'memory://' keeps PGlite in memory (tests). */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the demo region on first start (an empty database). */
  demo: boolean;
  demoSeed: number;
  demoPersons: number;
  /** This node's own area code: the first 6 characters of every inf_refmsgid it issues. */
  nodeAdmdvs: string;
  /** Session lifetime for staff logins, in minutes. */
  sessionMinutes: number;
}

export const DEFAULT_CONFIG: Config = {
  host: '127.0.0.1',
  port: 8080,
  databaseUrl: '',
  dataDir: './data',
  logLevel: 'info',
  demo: true,
  demoSeed: 20260101,
  demoPersons: 10_000,
  nodeAdmdvs: '990000',
  sessionMinutes: 480,
};

const ENV_KEYS: Record<keyof Config, string> = {
  host: 'YIBAO_HOST',
  port: 'YIBAO_PORT',
  databaseUrl: 'DATABASE_URL',
  dataDir: 'YIBAO_DATA_DIR',
  logLevel: 'YIBAO_LOG_LEVEL',
  demo: 'YIBAO_DEMO',
  demoSeed: 'YIBAO_DEMO_SEED',
  demoPersons: 'YIBAO_DEMO_PERSONS',
  nodeAdmdvs: 'YIBAO_NODE_ADMDVS',
  sessionMinutes: 'YIBAO_SESSION_MINUTES',
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function configError(key: string, message: string): YibaoError {
  return new YibaoError('CONFIG', `配置项 ${key} 无效：${message}`, [{ field: key, message }]);
}

function coerce(key: keyof Config, raw: unknown): Config[keyof Config] {
  const template = DEFAULT_CONFIG[key];
  if (typeof template === 'number') {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (!Number.isInteger(n) || n < 0) throw configError(key, `应为非负整数，实际为“${String(raw)}”`);
    return n;
  }
  if (typeof template === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const s = String(raw).trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    throw configError(key, `应为 true/false，实际为“${String(raw)}”`);
  }
  return String(raw);
}

export function loadConfig(
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Config {
  const config: Config = { ...DEFAULT_CONFIG };
  const set = (key: keyof Config, raw: unknown) => {
    (config as unknown as Record<string, unknown>)[key] = coerce(key, raw);
  };
  const filePath = env.YIBAO_CONFIG ? resolve(cwd, env.YIBAO_CONFIG) : resolve(cwd, 'yibao.config.json');
  if (existsSync(filePath)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (e) {
      throw new YibaoError('CONFIG', `配置文件 ${filePath} 不是有效的 JSON：${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null) throw new YibaoError('CONFIG', `配置文件 ${filePath} 应为 JSON 对象`);
    for (const [k, v] of Object.entries(parsed)) {
      if (!(k in DEFAULT_CONFIG)) throw configError(k, '未知的配置项');
      set(k as keyof Config, v);
    }
  } else if (env.YIBAO_CONFIG) {
    throw new YibaoError('CONFIG', `找不到配置文件 ${filePath}`);
  }
  for (const [key, envName] of Object.entries(ENV_KEYS) as [keyof Config, string][]) {
    const v = env[envName];
    if (v !== undefined && v !== '') set(key, v);
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) set(k as keyof Config, v);

  if (config.port > 65535) throw configError('port', '端口应在 0–65535 之间');
  if (!LOG_LEVELS.includes(config.logLevel)) throw configError('logLevel', `应为 ${LOG_LEVELS.join('/')} 之一`);
  if (!/^\d{6}$/.test(config.nodeAdmdvs)) throw configError('nodeAdmdvs', '应为6位医保区划代码');
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl))
    throw configError('databaseUrl', '应以 postgres:// 开头');
  return config;
}
