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

describe('new versions, closed versions and numeric columns', () => {
  const H2 = 'hilist_code,hilist_name,chrgitm_lv,selfpay_prop,pric_uplmt_lv2,pric_uplmt_lv3,insu_admdvs,begndate,enddate,lmt_diag,lmt_age_max,lmt_max_days,lmt_max_cnt,lmt_memo\n';
  const write = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, H2 + body);
    return p;
  };
  const CODE = 'XG04CAE002A002010100007';

  test('a new version carries forward the caps, ratio and restriction its row leaves empty', async () => {
    await importCatalogueFile(db, 'drugs', write('v1.csv', `${CODE},坦索罗辛缓释胶囊,02,0.10,20.00,22.00,990000,2024-01-01,,N40,,,2,限男性前列腺增生\n`), SYSTEM_ACTOR);
    const r = await importCatalogueFile(db, 'drugs', write('v2.csv', `${CODE},坦索罗辛缓释胶囊,02,,,25.00,990000,2025-01-01,,,,,,\n`), SYSTEM_ACTOR);
    expect(r).toMatchObject({ read: 1, inserted: 1, closed: 1 });
    const lv2 = await getItem(db, CODE, { on: '2025-06-01', hosp_lv: '2' });
    expect(lv2).toMatchObject({ begndate: '2025-01-01', selfpay_bp: 1000, pric_uplmt_fen: 2000 });
    expect(lv2!.restriction).toMatchObject({ lmt_diag: ['N40'], lmt_max_cnt: expect.stringMatching(/^2(\.0+)?$/), lmt_memo: '限男性前列腺增生' });
    expect((await getItem(db, CODE, { on: '2025-06-01', hosp_lv: '3' }))!.pric_uplmt_fen).toBe(2500);
    expect((await getItem(db, CODE, { on: '2024-12-31', hosp_lv: '3' }))!.pric_uplmt_fen).toBe(2200);
  });

  test('“无” removes a cap or the restriction; a changed class takes its own default ratio', async () => {
    await importCatalogueFile(db, 'drugs', write('v3.csv', `${CODE},坦索罗辛缓释胶囊,03,,无,,990000,2026-01-01,,,,,,无\n`), SYSTEM_ACTOR);
    const it = await getItem(db, CODE, { on: '2026-06-01', hosp_lv: '2' });
    expect(it).toMatchObject({ chrgitm_lv: '03', selfpay_bp: 10_000, pric_uplmt_fen: null, restriction: null });
    expect((await getItem(db, CODE, { on: '2026-06-01', hosp_lv: '3' }))!.pric_uplmt_fen).toBe(2500);
    const lmt = await sql<{ n: number }>`select count(*)::int8 as n from hilist_lmt where hilist_code = ${CODE} and (enddate is null or enddate >= '2026-01-01')`.execute(db.k);
    expect(Number(lmt.rows[0]!.n)).toBe(0);
  });

  test('versions that already ended count: a row starting before a stored version is refused, one inside an ended version closes it', async () => {
    const C2 = 'XG04CAE002A002010100008';
    await importCatalogueFile(db, 'drugs', write('c1.csv', `${C2},某缓释胶囊,02,0.10,,22.00,990000,2024-01-01,2024-12-31,,,,,\n`), SYSTEM_ACTOR);
    await expect(importCatalogueFile(db, 'drugs', write('c2.csv', `${C2},某缓释胶囊,02,0.10,,21.00,990000,2023-06-01,,,,,,\n`), SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'VALIDATION',
      problems: [expect.objectContaining({ row: 2, field: 'begndate', message: expect.stringMatching(/已有自 2024-01-01 起生效的版本（至 2024-12-31）/) })],
    });
    const r = await importCatalogueFile(db, 'drugs', write('c3.csv', `${C2},某缓释胶囊,02,,,20.00,990000,2024-07-01,,,,,,\n`), SYSTEM_ACTOR);
    expect(r.closed).toBe(1);
    const rows = await sql<{ begndate: string; enddate: string | null }>`select begndate, enddate from hilist where hilist_code = ${C2} order by begndate`.execute(db.k);
    expect(rows.rows.map((x) => [x.begndate, x.enddate])).toEqual([
      ['2024-01-01', '2024-06-30'],
      ['2024-07-01', null],
    ]);
    expect((await getItem(db, C2, { on: '2025-03-01', hosp_lv: '3' }))).toMatchObject({ selfpay_bp: 1000, pric_uplmt_fen: 2000 });
  });

  test('malformed or out-of-range numbers are reported per row before anything is written', async () => {
    const before = await sql<{ n: number }>`select count(*)::int8 as n from hilist`.execute(db.k);
    const bad = write(
      'nums.csv',
      'XA10BAE011A001010100011,某药,02,0.1,,,990000,2024-01-01,,,200,,abc,限某病\n' +
        'XA10BAE012A001010100012,某药二,02,0.1,,,990000,2024-01-01,,,-1,99999999999,1.23456,限某病\n' +
        'XA10BAE013A001010100013,某药三,02,0.1,,,990000,2024-01-01,,,14,30,0.5,限儿童\n',
    );
    await expect(importCatalogueFile(db, 'drugs', bad, SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'VALIDATION',
      problems: expect.arrayContaining([
        expect.objectContaining({ row: 2, field: 'lmt_max_cnt', message: expect.stringMatching(/“abc”不是有效的数量/) }),
        expect.objectContaining({ row: 2, field: 'lmt_age_max', message: expect.stringMatching(/0 到 150/) }),
        expect.objectContaining({ row: 3, field: 'lmt_age_max', message: expect.stringMatching(/非负整数/) }),
        expect.objectContaining({ row: 3, field: 'lmt_max_days' }),
        expect.objectContaining({ row: 3, field: 'lmt_max_cnt' }),
      ]),
    });
    const after = await sql<{ n: number }>`select count(*)::int8 as n from hilist`.execute(db.k);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  test('a misspelt optional column is refused, not read as empty', async () => {
    const p = join(dir, 'typo.csv');
    writeFileSync(p, 'hilist_code,hilist_name,chrgitm_lv,selfpay_ratio,insu_admdvs,begndate\nXA10BAE014A001010100014,某药四,02,0.2,990000,2024-01-01\n');
    await expect(importCatalogueFile(db, 'drugs', p, SYSTEM_ACTOR)).rejects.toMatchObject({
      problems: [expect.objectContaining({ row: 1, field: 'selfpay_ratio' })],
    });
  });
});
