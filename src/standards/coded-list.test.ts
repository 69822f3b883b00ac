import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { openTestDb, type Db } from '../platform/db.js';
import { migrate } from '../platform/migrations.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { DIAGNOSES, PROCEDURES, getCoded, importCodedFile, searchCoded } from './coded-list.js';
import { loadNationalStandards } from './national-load.js';
import { listDict, loadDictSnapshot, dictProblem, queryDict1901, requireDictValue } from './dict.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-icd-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
});
afterAll(async () => db.close());

describe('national standards load', () => {
  test('imports all 33,304 diagnoses, 13,686 procedures and the code tables, once', async () => {
    const first = await loadNationalStandards(db);
    expect(first).toMatchObject({ diagnoses: 33304, procedures: 13686, skipped: false });
    expect(first.dict).toBeGreaterThan(250);
    const counts = await sql<{ d: number; p: number; or: number }>`
      select (select count(*) from diagnosis)::int8 as d, (select count(*) from procedure_code)::int8 as p,
             (select count(*) from procedure_code where valid_or_flag = '1')::int8 as or`.execute(db.k);
    expect(counts.rows[0]).toEqual({ d: 33304, p: 13686, or: expect.any(Number) });
    expect(counts.rows[0]!.or).toBeGreaterThan(9000);
    const again = await loadNationalStandards(db);
    expect(again).toEqual({ dict: 0, diagnoses: 0, procedures: 0, skipped: true });
  });

  test('finds the worked example codes and searches by pinyin initials', async () => {
    expect((await getCoded(db, DIAGNOSES, 'K22.301'))?.name).toBeTruthy();
    expect((await getCoded(db, PROCEDURES, '39.5001'))?.name).toBe('锁骨下动脉球囊血管成形术');
    const hits = await searchCoded(db, PROCEDURES, 'SGXDMQN');
    expect(hits.map((h) => h.code)).toContain('39.5001');
    const byCode = await searchCoded(db, DIAGNOSES, 'k22.3');
    expect(byCode[0]!.code.startsWith('K22.3')).toBe(true);
  });

  test('code tables validate values and answer 1901', async () => {
    const snap = await loadDictSnapshot(db);
    expect(dictProblem(snap, 'gend', '1')).toBeNull();
    expect(dictProblem(snap, 'gend', '3')).toBe('“3”不是有效的性别代码');
    expect((await listDict(db, 'naty')).length).toBe(58);
    await expect(requireDictValue(db, 'insutype', '311', 'insutype')).rejects.toThrow(/不是有效的险种类型代码/);
    const rows = await queryDict1901(db, { type: 'insutype' });
    expect(rows.find((r) => r.value === '310')).toMatchObject({ type: 'insutype', label: '职工基本医疗保险', valiFlag: '1' });
  });
});

describe('importing a later version', () => {
  test('a renamed code keeps its history: the name valid on a date is the one returned', async () => {
    const report = await importCodedFile(db, DIAGNOSES, file('v3.csv', 'code,name,begndate,version\nK22.301,食管溃疡（新名称）,2026-01-01,医保版3.0\nZ99.900x901,测试新增诊断,2026-01-01,医保版3.0\n'), SYSTEM_ACTOR);
    expect(report).toMatchObject({ read: 2, inserted: 2, closed: 1 });
    expect((await getCoded(db, DIAGNOSES, 'K22.301', '2025-12-31'))?.version).toBe('医保版2.0');
    expect((await getCoded(db, DIAGNOSES, 'K22.301', '2026-01-01'))?.name).toBe('食管溃疡（新名称）');
    expect(await getCoded(db, DIAGNOSES, 'Z99.900x901', '2025-06-01')).toBeUndefined();
  });

  test('a bad file is refused whole, naming rows and fields, and writes nothing', async () => {
    const before = await sql<{ n: number }>`select count(*)::int8 as n from procedure_code`.execute(db.k);
    const bad = file('bad.tsv', 'code\tname\tbegndate\n39.9999\t新操作\t2026-01-01\nABC\t乱码\t2026-01-01\n39.9998\t\t2026-13-01\n39.9999\t重复\t2026-01-01\n');
    await expect(importCodedFile(db, PROCEDURES, bad, SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'VALIDATION',
      problems: expect.arrayContaining([
        expect.objectContaining({ row: 3, field: 'code' }),
        expect.objectContaining({ row: 4, field: 'name' }),
        expect.objectContaining({ row: 4, field: 'begndate' }),
        expect.objectContaining({ row: 5, field: 'code' }),
      ]),
    });
    const after = await sql<{ n: number }>`select count(*)::int8 as n from procedure_code`.execute(db.k);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});

describe('re-importing and stopped codes', () => {
  const history = async (code: string) =>
    (await sql<{ diag_name: string; begndate: string; enddate: string | null }>`select diag_name, begndate, enddate from diagnosis where diag_code = ${code} order by begndate`.execute(db.k)).rows;

  test('re-importing the same file writes nothing and reports every row unchanged', async () => {
    const stopName = (await getCoded(db, DIAGNOSES, 'A00.000x001', '2025-01-01'))!.name;
    const keepName = (await getCoded(db, DIAGNOSES, 'A01.000', '2025-01-01'))!.name;
    const text = `code,name,begndate,enddate,version\nJ18.002,非重症支气管肺炎（测试）,2026-01-01,,医保版2.0-990000-2026\nJ18.900x901,社区获得性肺炎，非重症,2026-01-01,,医保版2.0-990000-2026\nA00.000x001,${stopName},2026-01-01,2026-06-30,\nA01.000,${keepName},2026-01-01,,\n`;
    const first = await importCodedFile(db, DIAGNOSES, file('stop.csv', text), SYSTEM_ACTOR);
    expect(first).toMatchObject({ read: 4, inserted: 2, closed: 2, unchanged: 1 });
    const again = await importCodedFile(db, DIAGNOSES, file('stop-again.csv', text), SYSTEM_ACTOR);
    expect(again).toMatchObject({ read: 4, inserted: 0, closed: 0, unchanged: 4 });
    expect(await history('A00.000x001')).toEqual([{ diag_name: stopName, begndate: '2020-01-01', enddate: '2026-06-30' }]);
    expect(await getCoded(db, DIAGNOSES, 'A00.000x001', '2026-07-01')).toBeUndefined();
    expect((await history('J18.002')).map((r) => r.enddate)).toEqual(['2025-12-31', null]);
  });

  test('a row inside the period of a stopped code is refused with its row number; a later start re-enables it', async () => {
    const name = (await history('A00.000x001'))[0]!.diag_name;
    const bad = file('reopen.csv', `code,name,begndate,enddate\nA00.000x001,${name},2026-03-01,\n`);
    await expect(importCodedFile(db, DIAGNOSES, bad, SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'VALIDATION',
      problems: [expect.objectContaining({ row: 2, field: 'begndate', message: expect.stringMatching(/已于 2026-06-30 停用/) })],
    });
    const renamed = file('reopen2.csv', `code,name,begndate\nA00.000x001,改名的霍乱,2026-05-01\n`);
    await expect(importCodedFile(db, DIAGNOSES, renamed, SYSTEM_ACTOR)).rejects.toMatchObject({ problems: [expect.objectContaining({ row: 2, field: 'begndate' })] });
    expect(await history('A00.000x001')).toHaveLength(1);
    const later = await importCodedFile(db, DIAGNOSES, file('reenable.csv', `code,name,begndate\nA00.000x001,${name},2027-01-01\n`), SYSTEM_ACTOR);
    expect(later).toMatchObject({ inserted: 1, closed: 0 });
    expect((await history('A00.000x001')).map((r) => [r.begndate, r.enddate])).toEqual([
      ['2020-01-01', '2026-06-30'],
      ['2027-01-01', null],
    ]);
  });

  test('a new name must start after every stored version, closed ones included', async () => {
    // J18.002 now has 2020-01-01..2025-12-31 and 2026-01-01.. ; a version from 2025-06-01 would overlap both
    await expect(importCodedFile(db, DIAGNOSES, file('early.csv', 'code,name,begndate\nJ18.002,又一个名称,2025-06-01\n'), SYSTEM_ACTOR)).rejects.toMatchObject({
      problems: [expect.objectContaining({ row: 2, field: 'begndate', message: expect.stringMatching(/已有自 2026-01-01 起生效的版本/) })],
    });
  });

  test('a misspelt column is refused instead of being ignored', async () => {
    await expect(importCodedFile(db, DIAGNOSES, file('typo.csv', 'code,name,begdate\nZ99.900x903,测试,2026-01-01\n'), SYSTEM_ACTOR)).rejects.toMatchObject({
      problems: [expect.objectContaining({ row: 1, field: 'begdate', message: expect.stringMatching(/不认识的列/) })],
    });
  });
});
