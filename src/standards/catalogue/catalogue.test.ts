import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { codeProblem } from './codes.js';
import { importCatalogueFile } from './load.js';
import { checkRestrictions, diagMatches } from './restrictions.js';
import { getItem, query1312, searchCatalogue } from './service.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-cat-'));
const HEADER = 'hilist_code,hilist_name,list_type,chrgitm_lv,selfpay_prop,pric_uplmt_lv1,pric_uplmt_lv2,pric_uplmt_lv3,insu_admdvs,begndate,enddate,dosform,spec,lmt_gend,lmt_age_max,lmt_diag,lmt_min_hosp_lv,lmt_scene,lmt_memo\n';
const file = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, HEADER + body);
  return p;
};

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
});
afterAll(async () => db.close());

describe('code formats', () => {
  test.each([
    ['101', 'XA01ABD075A002010100483', null],
    ['101', 'XA01ABD075A00201010048', /23位/],
    ['103', 'T000100222', null],
    ['103', 'T00010022', /T \+ 9位/],
    ['301', 'C01010100101001000010', /C \+ 19位/],
    ['301', 'C0101010010100100001', null],
    ['201', '001102000010000', null],
    ['201', '31070100', /15位/],
  ])('%s %s', (lt, code, expected) => {
    const p = codeProblem(lt, code);
    if (expected === null) expect(p).toBeNull();
    else expect(p).toMatch(expected);
  });
});

describe('importing and looking up drugs', () => {
  test('a good file loads items with class, ratio, caps and restrictions', async () => {
    const r = await importCatalogueFile(
      db,
      'drugs',
      file(
        'drugs.csv',
        'XA10BAE001A001010100001,二甲双胍片,101,01,,0.90,1.00,1.10,990000,2024-01-01,,片,0.5g,,,,,,\n' +
          'XG04CAE002A002010100002,坦索罗辛缓释胶囊,101,02,0.10,20.00,21.00,22.00,990000,2024-01-01,,缓释胶囊,0.2mg,1,,N40,,,限男性前列腺增生\n' +
          'XB05AAE003A003010100003,人血白蛋白注射剂,101,02,0.2,,,400.00,990000,2024-01-01,,注射剂,10g,,,K70-K77,2,2,限肝硬化腹水住院患者\n',
      ),
      SYSTEM_ACTOR,
    );
    expect(r).toMatchObject({ read: 3, inserted: 3, closed: 0 });
    const item = await getItem(db, 'XG04CAE002A002010100002', { on: '2024-06-01', hosp_lv: '2' });
    expect(item).toMatchObject({ chrgitm_lv: '02', selfpay_bp: 1000, pric_uplmt_fen: 2100 });
    expect(item!.restriction).toMatchObject({ lmt_gend: '1', lmt_diag: ['N40'] });
    const alb = await getItem(db, 'XB05AAE003A003010100003', { on: '2024-06-01', hosp_lv: '1' });
    expect(alb!.pric_uplmt_fen).toBeNull();
  });

  test('a price change closes the old version: the cap valid on a date is the one used', async () => {
    await importCatalogueFile(db, 'drugs', file('drugs2.csv', 'XA10BAE001A001010100001,二甲双胍片,101,01,,0.80,0.90,0.95,990000,2025-07-01,,片,0.5g,,,,,,\n'), SYSTEM_ACTOR);
    expect((await getItem(db, 'XA10BAE001A001010100001', { on: '2025-06-30', hosp_lv: '3' }))!.pric_uplmt_fen).toBe(110);
    expect((await getItem(db, 'XA10BAE001A001010100001', { on: '2025-07-01', hosp_lv: '3' }))!.pric_uplmt_fen).toBe(95);
    expect(await getItem(db, 'XA10BAE001A001010100001', { on: '2023-12-31' })).toBeUndefined();
  });

  test('a bad file is refused whole with row and field named', async () => {
    const before = await sql<{ n: number }>`select count(*)::int8 as n from hilist`.execute(db.k);
    const bad = file(
      'bad.csv',
      'XA10BAE009A001010100009,好药片,101,01,,1.00,,,990000,2024-01-01,,,,,,,,,\n' +
        'BAD,坏编码,101,04,,1.005,,,990000,2024-13-01,,,,,,,,,\n' +
        'XA10BAE010A001010100010,限诊断药,101,01,0.1,,,,990000,2024-01-01,,,,3,,XYZ,,,\n',
    );
    await expect(importCatalogueFile(db, 'drugs', bad, SYSTEM_ACTOR)).rejects.toMatchObject({
      problems: expect.arrayContaining([
        expect.objectContaining({ row: 3, field: 'hilist_code' }),
        expect.objectContaining({ row: 3, field: 'chrgitm_lv' }),
        expect.objectContaining({ row: 3, field: 'pric_uplmt_lv1' }),
        expect.objectContaining({ row: 3, field: 'begndate' }),
        expect.objectContaining({ row: 4, field: 'selfpay_prop' }),
        expect.objectContaining({ row: 4, field: 'lmt_gend' }),
        expect.objectContaining({ row: 4, field: 'lmt_diag' }),
        expect.objectContaining({ row: 4, field: 'lmt_memo' }),
      ]),
    });
    const after = await sql<{ n: number }>`select count(*)::int8 as n from hilist`.execute(db.k);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  test('search finds items by pinyin initials, name and code, and 1312 pages', async () => {
    expect((await searchCatalogue(db, { q: 'TSLX' })).list.map((r) => r.hilist_code)).toEqual(['XG04CAE002A002010100002']);
    expect((await searchCatalogue(db, { q: '白蛋白' })).total).toBe(1);
    expect((await searchCatalogue(db, { q: 'xa10' })).total).toBe(1);
    const page = await query1312(db, { page_num: 1, page_size: 2, list_type: '101' });
    expect(page).toMatchObject({ total: 3, page_size: 2 });
    expect(page.list).toHaveLength(2);
    expect(page.list[0]).toHaveProperty('rid');
  });
});

describe('restriction checks', () => {
  const ctx = { gend: '2', age: 40, diag_codes: ['I21.000'], hosp_lv: '1', scene: '1' as const, insutype: '390' };
  const r = { lmt_gend: '1' as const, lmt_age_min: null, lmt_age_max: 14, lmt_diag: ['I20-I25'], lmt_min_hosp_lv: '2' as const, lmt_scene: ['2' as const], lmt_insutype: ['310'], lmt_max_days: 14, lmt_max_cnt: null, lmt_memo: 'x' };
  test('reports every breached restriction in Chinese', () => {
    const kinds = checkRestrictions(r, { ...ctx, days: 20 }).map((b) => b.kind);
    expect(kinds).toEqual(['gend', 'age', 'hosp_lv', 'scene', 'insutype', 'days']);
    expect(checkRestrictions(r, { ...ctx, gend: '1', age: 10, hosp_lv: '3', scene: '2', insutype: '310', days: 14 })).toEqual([]);
  });
  test('matches diagnosis prefixes and category ranges', () => {
    expect(diagMatches('I20-I25', 'I21.000')).toBe(true);
    expect(diagMatches('I20-I25', 'I26.000')).toBe(false);
    expect(diagMatches('E11', 'E11.900')).toBe(true);
    expect(diagMatches('E88.0', 'E88.100')).toBe(false);
  });
});
