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
