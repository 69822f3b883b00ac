/**
 * A small, real world for API tests: two pooling areas (990100 甲市 with district 990102, 990200 乙市) under the
 * province 990000, three institutions, two practitioners, one insured person in each city, two catalogue items,
 * the shipped code tables, and one user per role — loaded through the domain services, then the app built
 * over it. Used by the src/server tests only (each test file gets its own database).
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { DEFAULT_CONFIG, type Config } from '../platform/config.js';
import { openTestDb, type Db } from '../platform/db.js';
import { createLogger } from '../platform/logging.js';
import { migrate } from '../platform/migrations.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { importAreas } from '../standards/admdvs-import.js';
import { bulkLoadCatalogue } from '../standards/catalogue/load.js';
import { insertShippedDict } from '../standards/dict.js';
import { bulkLoadInstitutions } from '../standards/institutions/institutions.js';
import { usccCheckChar } from '../standards/institutions/uscc.js';
import { bulkLoadPractitioners } from '../standards/practitioners/practitioners.js';
import { certnoCheckChar } from '../enrollment/certno.js';
import { bulkEnroll } from '../enrollment/persons.js';
import { buildApp } from './app.js';
import type { RoleCode } from './auth/roles.js';
import { ALL_SCOPE } from './auth/scope.js';
import { createUser } from './auth/users.js';

export const TEST_PASSWORD = 'test-pass-2026';

/** Login → role, area, institution of the fixture users. */
export const TEST_USERS: Record<string, { role: RoleCode; admdvs?: string; fixmedins_code?: string }> = {
  admin: { role: 'admin', admdvs: '990000' },
  cityadmin: { role: 'admin', admdvs: '990100' },
  jb1: { role: 'handler', admdvs: '990100' },
  sh2: { role: 'auditor', admdvs: '990200' },
  jh0: { role: 'inspector', admdvs: '990000' },
  jh1: { role: 'inspector', admdvs: '990100' },
  jg1: { role: 'institution', fixmedins_code: 'H99010200001' },
};

const certno = (first17: string) => first17 + certnoCheckChar(first17);
const uscc = (body17: string) => body17 + usccCheckChar(body17);

export interface TestWorld {
  db: Db;
  app: FastifyInstance;
  config: Config;
  /** psn_no of the person insured in 990100 and in 990200. */
  psnA: string;
  psnB: string;
  certnoA: string;
  close(): Promise<void>;
}

async function loadReference(db: Db): Promise<void> {
  await insertShippedDict(db.k);
  const area = (admdvs: string, lv: '1' | '2' | '3', prnt: string | null) => ({ admdvs, admdvs_name: `区划${admdvs}`, admdvs_lv: lv, prnt_admdvs: prnt, poolarea_flag: lv === '2' ? ('1' as const) : ('0' as const), begndate: '2020-01-01', enddate: null });
  await importAreas(db, [area('990000', '1', null), area('990100', '2', '990000'), area('990102', '3', '990100'), area('990200', '2', '990000')], SYSTEM_ACTOR);
  const inst = (code: string, name: string, admdvs: string, hosp_lv: '1' | '2' | '3' | '9', serial: string) => ({
    fixmedins_code: code,
    fixmedins_name: name,
    fixmedins_type: code[0] === 'H' ? ('1' as const) : ('2' as const),
    hosp_lv,
    admdvs,
    uscc: uscc(`12${admdvs}${serial}`),
    medins_natu: '1' as const,
    addr: null,
    begndate: '2020-01-01',
    enddate: null,
  });
  await bulkLoadInstitutions(db, [inst('H99010200001', '甲市第一人民医院', '990102', '3', '000000001'), inst('H99020000002', '乙市人民医院', '990200', '2', '000000002'), inst('P99010000003', '甲市康宁大药房', '990100', '9', '000000003')], SYSTEM_ACTOR);
  const prac = (prac_code: string, prac_name: string, fixmedins_code: string) => ({ prac_code, prac_name, prac_type: '1' as const, certno: null, gend: '1', fixmedins_code, dept_name: '内科', profttl: null, begndate: '2020-01-01', enddate: null });
  await bulkLoadPractitioners(db, [prac('D99010200001', '张医生', 'H99010200001'), prac('D99020000002', '李医生', 'H99020000002')], SYSTEM_ACTOR);
  const item = (hilist_code: string, hilist_name: string, list_type: string, med_chrgitm_type: string, chrgitm_lv: string, selfpay_bp: number, caps: Partial<Record<'1' | '2' | '3', number>>) => ({
    hilist_code,
    insu_admdvs: '990000',
    hilist_name,
    list_type,
    med_chrgitm_type,
    chrgitm_lv,
    selfpay_bp,
    pric_uplmt: caps,
    begndate: '2024-01-01',
  });
  await bulkLoadCatalogue(db, [item('XA10BAE001A001010100001', '二甲双胍片', '101', '09', '01', 0, { '1': 90, '2': 100, '3': 110 }), item('XG04CAE002A002010100002', '坦索罗辛缓释胶囊', '101', '09', '02', 1000, { '3': 2200 })], SYSTEM_ACTOR);
}

async function enrollPeople(db: Db): Promise<{ psnA: string; psnB: string; certnoA: string }> {
  const base = { naty: '01', psn_type: '1101', insutype: '310', begndate: '2020-01-01' };
  const certnoA = certno('99010219800101001');
  const { psn_nos } = await bulkEnroll(
    db,
    [
      { ...base, certno: certnoA, psn_name: '王甲', gend: '1', brdy: '1980-01-01', insuplc_admdvs: '990100', card_no: 'K99010000001', acct_balc: 123_45 },
      { ...base, certno: certno('99020019900202002'), psn_name: '赵乙', gend: '2', brdy: '1990-02-02', insuplc_admdvs: '990200', card_no: 'K99020000002' },
    ],
    SYSTEM_ACTOR,
  );
  return { psnA: psn_nos[0]!, psnB: psn_nos[1]!, certnoA };
}

export async function createTestWorld(overrides: Partial<Config> = {}): Promise<TestWorld> {
  const db = await openTestDb();
  await migrate(db);
  await loadReference(db);
  const people = await enrollPeople(db);
  for (const [user_id, u] of Object.entries(TEST_USERS)) {
    await createUser(db, { actor: SYSTEM_ACTOR, scope: ALL_SCOPE }, { user_id, user_name: `测试${user_id}`, ...u, password: TEST_PASSWORD });
  }
  const config: Config = { ...DEFAULT_CONFIG, dataDir: 'memory://', logLevel: 'silent', ...overrides };
  const app = await buildApp({ db, config, log: createLogger('silent') });
  return {
    db,
    app,
    config,
    ...people,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** One API call as a given bearer token (or none). */
export async function call<T = Record<string, unknown>>(app: FastifyInstance, token: string | null, method: InjectOptions['method'], url: string, payload?: unknown): Promise<ApiResponse<T>> {
  const res = await app.inject({ method, url, ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}), headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as T) : (undefined as T) };
}

export async function loginAs(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<string> {
  const r = await call<{ token: string }>(app, null, 'POST', '/api/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(r.body)}`);
  return r.body.token;
}
