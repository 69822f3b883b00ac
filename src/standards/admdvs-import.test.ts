import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDb, type Db } from '../platform/db.js';
import { migrate } from '../platform/migrations.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { getAdmdvs, listPoolAreas, requireAdmdvs } from './admdvs.js';
import { importAreasFile } from './admdvs-import.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-adm-'));
const csv = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, `admdvs,admdvs_name,admdvs_lv,prnt_admdvs,poolarea_flag,begndate,enddate\n${body}`);
  return p;
};
beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
});
afterAll(async () => db.close());

test('imports a province with its cities in one file, parents first', async () => {
  const r = await importAreasFile(db, csv('ok.csv', '990100,甲市,2,990000,1,2020-01-01,\n990000,演示省,1,,0,2020-01-01,\n990102,东城区,3,990100,0,2020-01-01,\n'), SYSTEM_ACTOR);
  expect(r).toMatchObject({ read: 3, inserted: 3, closed: 0 });
  expect((await listPoolAreas(db)).map((a) => a.admdvs)).toEqual(['990100']);
  await expect(requireAdmdvs(db, '990199', 'insuplc_admdvs')).rejects.toThrow(/未知的医保区划：990199/);
  await expect(requireAdmdvs(db, '99010', 'insuplc_admdvs')).rejects.toThrow(/insuplc_admdvs 格式错误/);
});

test('a renamed area closes the old row: the name valid on a date is used', async () => {
  const r = await importAreasFile(db, csv('rename.csv', '990102,东城新区,3,990100,0,2025-07-01,\n'), SYSTEM_ACTOR);
  expect(r.closed).toBe(1);
  expect((await getAdmdvs(db, '990102', '2025-06-30'))?.admdvs_name).toBe('东城区');
  expect((await getAdmdvs(db, '990102', '2025-07-01'))?.admdvs_name).toBe('东城新区');
});

test('refuses bad parents, levels and overlapping periods, naming the rows, and writes nothing', async () => {
  const bad = csv('bad.csv', '990300,丙市,2,998800,1,2020-01-01,\n990301,某区,4,990300,0,2020-01-01,\n990400,丁市,2,990102,1,2020-01-01,\n990500,戊市,2,990000,1,2020-01-01,2022-12-31\n990500,戊市,2,990000,1,2022-06-01,\n');
  await expect(importAreasFile(db, bad, SYSTEM_ACTOR)).rejects.toMatchObject({
    problems: expect.arrayContaining([
      expect.objectContaining({ row: 2, field: 'prnt_admdvs' }),
      expect.objectContaining({ row: 3, field: 'admdvs_lv' }),
      expect.objectContaining({ row: 4, field: 'prnt_admdvs', message: expect.stringMatching(/级别不高于/) }),
      expect.objectContaining({ row: 6, field: 'begndate', message: expect.stringMatching(/重叠/) }),
    ]),
  });
  expect(await getAdmdvs(db, '990300')).toBeUndefined();
});

test('a GBK file is refused as not UTF-8 instead of writing garbled names', async () => {
  const p = join(dir, 'gbk.csv');
  // 990300,演示省丙市,… saved by a Chinese Excel as "CSV（逗号分隔）" (GBK bytes)
  writeFileSync(p, Buffer.concat([Buffer.from('admdvs,admdvs_name,admdvs_lv,prnt_admdvs,poolarea_flag,begndate\n990300,'), Buffer.from('d1ddcabecaa1b1fbcad0', 'hex'), Buffer.from(',2,990000,1,2026-01-01\n')]));
  await expect(importAreasFile(db, p, SYSTEM_ACTOR)).rejects.toThrow(/文件不是 UTF-8 编码：第2行/);
  expect(await getAdmdvs(db, '990300', '2026-06-01')).toBeUndefined();
});

test('trailing empty cells are fine; unknown columns and rows with more cells than the header are refused with their row numbers', async () => {
  await expect(importAreasFile(db, csv('trailing.csv', '990300,丙市,2,990000,1,2026-01-01,,\n'), SYSTEM_ACTOR)).resolves.toMatchObject({ inserted: 1 });
  const p = join(dir, 'typo2.csv');
  writeFileSync(p, 'admdvs,admdvs_name,admdvs_lv,parent,begndate\n990400,丁市,2,990000,2026-01-01\n');
  await expect(importAreasFile(db, p, SYSTEM_ACTOR)).rejects.toMatchObject({ problems: expect.arrayContaining([expect.objectContaining({ row: 1, field: 'parent' })]) });
  await expect(importAreasFile(db, csv('extra.csv', '990500,戊市,2,990000,1,2026-01-01,,丙市\n'), SYSTEM_ACTOR)).rejects.toMatchObject({
    problems: [expect.objectContaining({ row: 2, message: expect.stringMatching(/多于表头的 7 列/) })],
  });
  expect(await getAdmdvs(db, '990500', '2026-06-01')).toBeUndefined();
});
