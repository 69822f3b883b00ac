import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { importAreas } from '../admdvs-import.js';
import { changeAgreement, importInstitutionsFile, query1201, requireActiveInstitution, searchInstitutions } from './institutions.js';
import { usccCheckChar, usccProblem } from './uscc.js';
import { changeQualification, importPractitionersFile, isQualifiedOn, searchPractitioners } from '../practitioners/practitioners.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-inst-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const uscc = (body17: string) => body17 + usccCheckChar(body17);

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
  const area = (admdvs: string, lv: '1' | '2' | '3', prnt: string | null) => ({ admdvs, admdvs_name: `区划${admdvs}`, admdvs_lv: lv, prnt_admdvs: prnt, poolarea_flag: lv === '2' ? ('1' as const) : ('0' as const), begndate: '2020-01-01', enddate: null });
  await importAreas(db, [area('990000', '1', null), area('990100', '2', '990000'), area('990200', '2', '990000')], SYSTEM_ACTOR);
});
afterAll(async () => db.close());

describe('unified social credit code', () => {
  test('accepts published examples and computes the check character', () => {
    expect(usccProblem('91350100M000100Y43')).toBeNull();
    expect(usccProblem('91350100M000100Y44')).toBe('统一社会信用代码校验位错误');
    expect(usccProblem('91350100M00010OY43')).toMatch(/不含 I、O、Z、S、V/);
  });
});

describe('institutions and practitioners', () => {
  test('imports institutions with agreements, searchable by pinyin and answering 1201', async () => {
    const file = write(
      'inst.csv',
      `fixmedins_code,fixmedins_name,fixmedins_type,hosp_lv,admdvs,uscc,begndate\nH99010000001,甲市第一人民医院,1,3,990100,${uscc('12990100000000001')},2020-01-01\nP99010000002,甲市康宁大药房,2,9,990100,${uscc('91990100000000002')},2020-01-01\nH99020000003,乙市人民医院,1,2,990200,${uscc('12990200000000003')},2020-01-01\n`,
    );
    expect(await importInstitutionsFile(db, file, SYSTEM_ACTOR)).toMatchObject({ read: 3, inserted: 3 });
    expect((await searchInstitutions(db, { q: 'JSDYRMYY' })).list.map((r) => r.fixmedins_code)).toEqual(['H99010000001']);
    expect((await searchInstitutions(db, { scope: ['990200'] })).total).toBe(1);
    const r1201 = await query1201(db, { fixmedins_type: '2' });
    expect(r1201.medinsinfo).toEqual([{ fixmedins_code: 'P99010000002', fixmedins_name: '甲市康宁大药房', uscc: expect.any(String), fixmedins_type: '2', hosp_lv: '9' }]);
  });

  test('refuses bad institution rows, naming row and field', async () => {
    const bad = write('bad.csv', `fixmedins_code,fixmedins_name,fixmedins_type,hosp_lv,admdvs,uscc,begndate\nX1,某医院,1,3,990100,${uscc('12990100000000009')},2020-01-01\nP99010000008,某药房,2,3,990999,91350100M000100Y44,2020-01-01\n`);
    await expect(importInstitutionsFile(db, bad, SYSTEM_ACTOR)).rejects.toMatchObject({
      problems: expect.arrayContaining([
        expect.objectContaining({ row: 2, field: 'fixmedins_code' }),
        expect.objectContaining({ row: 3, field: 'hosp_lv' }),
        expect.objectContaining({ row: 3, field: 'admdvs' }),
        expect.objectContaining({ row: 3, field: 'uscc' }),
      ]),
    });
  });

  test('a suspended agreement stops settlement inside the suspension only', async () => {
    await changeAgreement(db, SYSTEM_ACTOR, { fixmedins_code: 'H99010000001', agmt_stas: '2', begndate: '2025-03-01', memo: '违规暂停' });
    await changeAgreement(db, SYSTEM_ACTOR, { fixmedins_code: 'H99010000001', agmt_stas: '1', begndate: '2025-06-01', memo: '整改完成' });
    await expect(requireActiveInstitution(db, 'H99010000001', '2025-02-28')).resolves.toMatchObject({ hosp_lv: '3' });
    await expect(requireActiveInstitution(db, 'H99010000001', '2025-03-01')).rejects.toThrow(/暂停状态（违规暂停）/);
    await expect(requireActiveInstitution(db, 'H99010000001', '2025-05-31')).rejects.toThrow(/暂停/);
    await expect(requireActiveInstitution(db, 'H99010000001', '2025-06-01')).resolves.toBeTruthy();
    await expect(requireActiveInstitution(db, 'H99990000001', '2025-06-01')).rejects.toThrow(/不存在/);
  });

  test('qualification history answers on boundary dates', async () => {
    const file = write('prac.csv', 'prac_code,prac_name,prac_type,fixmedins_code,begndate,certno\nD99010000001,张医生,1,H99010000001,2020-01-01,11010519491231002X\nY99010000002,李药师,2,P99010000002,2020-01-01,\n');
    await importPractitionersFile(db, file, SYSTEM_ACTOR);
    await changeQualification(db, SYSTEM_ACTOR, { prac_code: 'D99010000001', qual_stas: '2', begndate: '2026-03-01', reason: '记分暂停', score_deducted: 12 });
    expect(await isQualifiedOn(db, 'D99010000001', '2026-02-28')).toBe(true);
    expect(await isQualifiedOn(db, 'D99010000001', '2026-03-01')).toBe(false);
    expect(await isQualifiedOn(db, 'D99010000001', '2019-12-31')).toBe(false);
    expect((await searchPractitioners(db, { q: 'ZYS' })).list[0]!.prac_code).toBe('D99010000001');
    await expect(importPractitionersFile(db, write('p2.csv', 'prac_code,prac_name,prac_type,fixmedins_code,begndate,certno\nY99010000009,王,1,H00000000000,2020-01-01,110105194912310021\n'), SYSTEM_ACTOR)).rejects.toMatchObject({
      problems: expect.arrayContaining([expect.objectContaining({ field: 'prac_code' }), expect.objectContaining({ field: 'certno' }), expect.objectContaining({ field: 'fixmedins_code' })]),
    });
  });
});

describe('row checks before writing', () => {
  const H = 'prac_code,prac_name,prac_type,fixmedins_code,begndate,enddate,gend\n';

  test('practitioner periods and sex codes are checked per row, with codes already stored, in one report', async () => {
    const bad = write(
      'prac-bad.csv',
      H +
        'D99010000011,赵医生,1,H99010000001,2026-03-01,2026-02-28,1\n' +
        'D99010000012,钱医生,1,H99010000001,2026/03/01,,2\n' +
        'D99010000013,孙医生,1,H99010000001,2026-03-01,2026-02-30,男\n' +
        'D99010000001,张医生,1,H99010000001,2026-03-01,,1\n',
    );
    await expect(importPractitionersFile(db, bad, SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'VALIDATION',
      problems: expect.arrayContaining([
        expect.objectContaining({ row: 2, field: 'enddate', message: '结束日期 2026-02-28 早于开始日期 2026-03-01' }),
        expect.objectContaining({ row: 3, field: 'begndate', message: expect.stringMatching(/格式错误，应为 yyyy-MM-dd/) }),
        expect.objectContaining({ row: 4, field: 'enddate', message: expect.stringMatching(/“2026-02-30”格式错误/) }),
        expect.objectContaining({ row: 4, field: 'gend', message: expect.stringMatching(/不是有效的性别代码/) }),
        expect.objectContaining({ row: 5, field: 'prac_code', message: '编码 D99010000001 已存在' }),
      ]),
    });
    expect(await db.k.selectFrom('practitioner').select('prac_code').where('prac_code', 'in', ['D99010000011', 'D99010000012', 'D99010000013']).execute()).toEqual([]);
  });

  test('a person or institution on several rows gets one qualification or agreement', async () => {
    await importPractitionersFile(db, write('prac-two.csv', H + 'D99010000021,周医生,1,H99010000001,2024-01-01,2024-12-31,1\nD99010000021,周医生,1,H99020000003,2025-01-01,,1\n'), SYSTEM_ACTOR);
    const q = await db.k.selectFrom('practitioner_qualification').selectAll().where('prac_code', '=', 'D99010000021').execute();
    expect(q.map((r) => [r.begndate, r.enddate])).toEqual([['2024-01-01', null]]);
    expect(await isQualifiedOn(db, 'D99010000021', '2025-06-01')).toBe(true);
    const inst = write(
      'inst-two.csv',
      `fixmedins_code,fixmedins_name,fixmedins_type,hosp_lv,admdvs,uscc,begndate,enddate\nH99010000031,甲市第三医院,1,1,990100,${uscc('12990100000000031')},2024-01-01,2024-12-31\nH99010000031,甲市第三医院,1,2,990100,${uscc('12990100000000031')},2025-01-01,\n`,
    );
    expect(await importInstitutionsFile(db, inst, SYSTEM_ACTOR)).toMatchObject({ read: 2, inserted: 2 });
    const a = await db.k.selectFrom('fixmedins_agreement').selectAll().where('fixmedins_code', '=', 'H99010000031').execute();
    expect(a.map((r) => [r.begndate, r.enddate])).toEqual([['2024-01-01', null]]);
    await expect(requireActiveInstitution(db, 'H99010000031', '2025-06-01')).resolves.toMatchObject({ hosp_lv: '2' });
  });

  test('an unknown column in an institutions file is refused', async () => {
    const f = write('inst-typo.csv', `fixmedins_code,fixmedins_name,fixmedins_type,hosp_lv,admdvs,uscc,begndate,address\nH99010000041,某医院,1,1,990100,${uscc('12990100000000041')},2024-01-01,某路1号\n`);
    await expect(importInstitutionsFile(db, f, SYSTEM_ACTOR)).rejects.toMatchObject({ problems: [expect.objectContaining({ row: 1, field: 'address' })] });
  });
});
