import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPayYear, saveParams } from '../../payment/pay/index.js';
import { SetlListQcError, uploadSetlList, type ListCaller } from '../../payment/setl-list/index.js';
import { adultList, FIXTURE_DIAGNOSES, FIXTURE_PROCEDURES, newbornList, setField } from '../../payment/setl-list/testing.js';
import type { SetlListInput } from '../../payment/setl-list/fields.js';
import { createLogger } from '../../platform/logging.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { DIAGNOSES, insertBundled, PROCEDURES } from '../../standards/coded-list.js';
import { installAuth } from '../auth/hook.js';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';
import { setlListRoutes } from './setl-lists.js';

type Page<T> = { page_num: number; page_size: number; total: number; list: T[] };
interface Row {
  setl_id: string;
  ver_no: number;
  fixmedins_name: string | null;
  psn_name: string | null;
  main_diag_name: string | null;
  qc_rslt: string;
  warn_cnt: number;
  stas_name: string;
  medfee_sumamt: string;
}
interface Finding {
  rule_id: string;
  field: string;
  value: string | null;
  message: string;
}
interface Detail {
  setl_id: string;
  ver_no: number;
  cur_ver: number;
  stas_name: string;
  fixmedins_name: string;
  content: { setlinfo: Record<string, string> };
  versions: { ver_no: number }[];
  stas_history: { to_stas: string }[];
  version: { qc_rslt: string; warnings: Finding[] };
  qc: { accepted: boolean; findings: Finding[] };
  groups: { pay_type: string; setl_year: number; grp_code: string; case_type: string }[];
}

const H1 = 'H99010200001'; // 990102 (甲市)
const H2 = 'H99020000002'; // 990200 (乙市)

let w: TestWorld;
const tokens: Record<string, string> = {};
const as = <T>(user: string, url: string) => call<T>(w.app, tokens[user]!, 'GET', url);

const caller = (fixmedins_code: string): ListCaller => ({ db: w.db, actor: { id: fixmedins_code, name: '测试医院', admdvs: [] }, fixmedins_code, msgid: null, admdvs: '990100', at: new Date() });

/** A 4101 upload as the gateway makes it (the settlement itself is not looked up: these lists stand alone). */
async function upload(list: SetlListInput, inst = H1) {
  list.setlinfo.fixmedins_code = inst;
  return uploadSetlList(caller(inst), list, { settlementLookup: null });
}

beforeAll(async () => {
  w = await createTestWorld();
  // registered here until src/server/routes/index.ts lists the route file
  if (!w.app.hasRoute({ method: 'GET', url: '/api/setl-lists' })) {
    await w.app.register(
      async (api) => {
        installAuth(api, { db: w.db, nodeAdmdvs: w.config.nodeAdmdvs });
        await api.register(setlListRoutes({ db: w.db, config: w.config, log: createLogger('silent') }));
      },
      { prefix: '/api' },
    );
  }
  await w.db.k.transaction().execute(async (trx) => {
    await insertBundled(trx, DIAGNOSES, [...FIXTURE_DIAGNOSES].map(([code, name]) => ({ code, name })));
    await insertBundled(trx, PROCEDURES, [...FIXTURE_PROCEDURES].map(([code, name]) => ({ code, name })));
  });
  for (const u of ['admin', 'jb1', 'sh2', 'jh0', 'jg1']) tokens[u] = await loginAs(w.app, u);
  await upload(adultList('S0001', 'M0001'));
  // a second version with a QC warning
  await upload(setField(adultList('S0001', 'M0001'), 'setlinfo.poscode', '12345'));
  await upload(newbornList('S0002', 'M0002'));
  await upload(adultList('S0003', 'M0003'), H2);
  // refused by QC: only the run is kept
  await expect(upload(setField(newbornList('S0004', 'M0004'), 'setlinfo.nwb_bir_wt', '150'))).rejects.toBeInstanceOf(SetlListQcError);
  // the 甲市 DRG year 2025 paid from a case file whose case ids are settlement ids, as generated data is paid
  const dir = mkdtempSync(join(tmpdir(), 'yibao-setl-lists-'));
  try {
    const file = join(dir, 'cases.jsonl');
    const lines = [2024, 2025].flatMap((y) =>
      [0, 1, 2, 3, 4, 5].map((i) =>
        JSON.stringify({
          id: y === 2025 && i === 0 ? 'S0001' : `C${y}-${i}`,
          fixmedins_code: H1,
          hosp_lv: '3',
          dscg_date: `${y}-0${1 + i}-10`,
          medfee_sumamt: (5_000 + i * 250).toFixed(2),
          psn_part_amt: '1000.00',
          ipt_days: 6,
          dscg_way: '1',
          // CHS-DRG 1.1 places these in GZ13 and OB19 (as in payment/pay's own tests)
          ...(i % 2 ? { gend: '2', age: 35, diagnoses: ['O82.000'], procedures: ['74.1x01'] } : { gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'], procedures: [] }),
        }),
      ),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const key = { admdvs: '990100', pay_type: 'drg' as const, setl_year: 2025 };
    await saveParams(w.db, SYSTEM_ACTOR, key, { begndate: '2025-01-01', budget: '100000.00', base_rate: '9500.00', params: { year_weights: { '2024': 1 }, trim: { method: 'none' } } });
    await runPayYear(w.db, SYSTEM_ACTOR, { pay_type: 'drg', year: 2025, admdvs: '990100', cases: file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
afterAll(async () => w?.close());

describe('GET /api/setl-lists', () => {
  test('the lists in force in the area, with the current version, institution, main diagnosis and QC outcome', async () => {
    const r = await as<Page<Row>>('jb1', '/api/setl-lists');
    expect(r.status).toBe(200);
    expect(r.body.list.map((x) => x.setl_id).sort()).toEqual(['S0001', 'S0002']);
    const s1 = r.body.list.find((x) => x.setl_id === 'S0001')!;
    expect(s1).toMatchObject({ ver_no: 2, fixmedins_name: '甲市第一人民医院', psn_name: '张三丰', main_diag_name: '急性阑尾炎', qc_rslt: '1', warn_cnt: 1, stas_name: '已提交', medfee_sumamt: '10000.00' });
  });

  test.each([
    ['qc_rslt=1', ['S0001']],
    ['setl_id=S0002', ['S0002']],
    ['stas_type=2', []],
    ['begndate=2025-12-09', []],
    ['begndate=2025-12-01&enddate=2025-12-31', ['S0001', 'S0002']],
  ])('filters: %s', async (q, ids) => {
    const r = await as<Page<Row>>('admin', `/api/setl-lists?${q}&fixmedins_code=${H1}`);
    expect(r.body.list.map((x) => x.setl_id).sort()).toEqual(ids);
  });

  test('another city sees its own lists; a role without payment:read is refused; reversed dates are a 400', async () => {
    expect((await as<Page<Row>>('sh2', '/api/setl-lists')).body.list.map((x) => x.setl_id)).toEqual(['S0003']);
    expect((await as('jg1', '/api/setl-lists')).status).toBe(403);
    expect((await as('jh0', '/api/setl-lists')).status).toBe(403);
    const bad = await as<{ message: string }>('admin', '/api/setl-lists?begndate=2025-12-09&enddate=2025-12-01');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/开始日期不能晚于结束日期/);
  });
});

describe('GET /api/setl-lists/qc-runs', () => {
  test('accepted and refused uploads with each finding’s rule id, field and message', async () => {
    const r = await as<Page<{ setl_id: string; accepted: boolean; err_cnt: number; findings: Finding[] }>>('jb1', '/api/setl-lists/qc-runs');
    expect(r.body.list.map((x) => [x.setl_id, x.accepted])).toEqual([
      ['S0004', false],
      ['S0002', true],
      ['S0001', true],
      ['S0001', true],
    ]);
    const refused = r.body.list[0]!;
    expect(refused.err_cnt).toBeGreaterThan(0);
    expect(refused.findings).toContainEqual(expect.objectContaining({ field: 'setlinfo.nwb_bir_wt', value: '150' }));
    const byRule = await as<Page<{ setl_id: string }>>('jb1', '/api/setl-lists/qc-runs?rule_id=2130-poscode');
    expect(byRule.body.list.map((x) => x.setl_id)).toEqual(['S0001']);
    expect((await as<Page<unknown>>('jb1', '/api/setl-lists/qc-runs?accepted=false')).body.total).toBe(1);
  });
});

describe('GET /api/setl-lists/:setl_id', () => {
  test('the current version with its versions, status history, warnings, masked contact data and the DRG group', async () => {
    const r = await as<Detail>('jb1', '/api/setl-lists/S0001');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ setl_id: 'S0001', ver_no: 2, cur_ver: 2, stas_name: '已提交', fixmedins_name: '甲市第一人民医院' });
    expect(r.body.versions.map((v) => v.ver_no)).toEqual([1, 2]);
    expect(r.body.version.warnings).toEqual([expect.objectContaining({ rule_id: '2130-poscode', field: 'setlinfo.poscode', message: '邮编“12345”应为 6 位数字' })]);
    expect(r.body.content.setlinfo.psn_name).toBe('张三丰');
    expect(r.body.content.setlinfo.certno).toBe('9901**********0111');
    expect(JSON.stringify(r.body)).not.toContain('990102198005060111');
    expect(r.body.groups).toHaveLength(1);
    expect(r.body.groups[0]).toMatchObject({ pay_type: 'drg', setl_year: 2025, grp_code: expect.stringMatching(/^[A-Z]{2}[A-Z0-9]{2}$/) });
    // an earlier version on request: no warnings then
    const v1 = await as<Detail>('jb1', '/api/setl-lists/S0001?ver_no=1');
    expect(v1.body).toMatchObject({ ver_no: 1, version: { qc_rslt: '0', warnings: [] } });
    expect((await as('jb1', '/api/setl-lists/S0001?ver_no=9')).status).toBe(404);
  });

  test('a refused upload shows its QC run; another city’s list is 404', async () => {
    const r = await as<Detail>('jb1', '/api/setl-lists/S0004');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cur_ver: null, content: null, version: null, groups: [] });
    expect(r.body.qc.accepted).toBe(false);
    const other = await as<{ message: string }>('sh2', '/api/setl-lists/S0001');
    expect(other.status).toBe(404);
    expect(other.body.message).toMatch(/不在您的管辖范围内/);
  });
});
