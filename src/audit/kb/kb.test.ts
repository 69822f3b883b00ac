/**
 * The knowledge base in the database: atomic loads with row/field reports, versions with history by closing rows,
 * retiring, file import, the snapshot read back (with the catalogue, practitioners and deaths), and the demo set.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { isYibaoError, type FieldProblem } from '../../platform/errors.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { bulkLoadCatalogue } from '../../standards/catalogue/load.js';
import { generateCatalogue } from '../../demo/gen-catalogue.js';
import { prepareClaim } from '../engine/claim.js';
import { runRules } from '../engine/engine.js';
import { defaultRuleBase } from '../rules/store.js';
import { C, CATALOGUE, encounter, KB, order, patient, request, TODAY } from '../testing.js';
import { demoKnowledgeSet } from './demo.js';
import { checkKnowledge, importKnowledge, importKnowledgeFile, retireKnowledge } from './import.js';
import { loadKnowledge } from './knowledge.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-kb-'));

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
  await bulkLoadCatalogue(db, CATALOGUE, SYSTEM_ACTOR);
});
afterAll(async () => db.close());

async function problemsOf(p: Promise<unknown>): Promise<{ message: string; problems: FieldProblem[] }> {
  try {
    await p;
  } catch (e) {
    if (isYibaoError(e)) return { message: e.message, problems: e.problems };
    throw e;
  }
  throw new Error('expected a refusal');
}
const count = async (table: string) => (await sql<{ n: number }>`select count(*)::int8 as n from ${sql.table(table)}`.execute(db.k)).rows[0]!.n;

describe('loading', () => {
  test('refuses a set with any bad row, naming row and field, and writes nothing', async () => {
    const r = await problemsOf(
      importKnowledge(db, SYSTEM_ACTOR, {
        item: [{ hilist_code: C.METF, indication_diag: ['E11', 'diabetes'], begndate: '2024-01-01' }, { hilist_code: 'bad code', daily_grp: '1', begndate: '2024-01-01' }],
        freq: [
          { hilist_code: C.CBC, period: 'N', max_cnt: 1, begndate: '2024-01-01' },
          { hilist_code: C.CBC, period: 'D', max_cnt: '-1', begndate: '2024-02-30' },
        ],
        pair: [{ item_a: C.IV_DRIP, item_b: C.IV_INJ, pair_type: '5' as '1', scope: '2', begndate: '2024-01-01' }],
        drug: [{ hilist_code: C.METF, std_daily_qty: 6, max_daily_qty: 3, begndate: '2024-01-01' }],
      }),
    );
    expect(r.message).toBe('知识库导入失败：共 7 处错误，未写入任何数据');
    expect(r.problems).toEqual([
      { row: 1, field: 'indication_diag', message: '【项目知识】诊断范围“diabetes”格式错误，应为编码前缀（如 E11、E88.0）或类目区间（如 I20-I25）' },
      { row: 2, field: 'hilist_code', message: '【项目知识】项目编码“bad code”格式错误，应为大写字母和数字组成的编码，或以 * 结尾的编码前缀' },
      { row: 1, field: 'pair_type', message: '【项目对（包含/互斥/配伍禁忌/依存）】应为 1 包含、2 互斥、3 配伍禁忌 或 4 依存' },
      { row: 1, field: 'period_days', message: '【频次/数量限制】周期为 N 时须填写天数' },
      { row: 2, field: 'max_cnt', message: '【频次/数量限制】应大于0' },
      { row: 2, field: 'begndate', message: '【频次/数量限制】开始日期“2024-02-30”格式错误，应为 yyyy-MM-dd' },
      { row: 1, field: 'max_daily_qty', message: '【药品用量】每日最大用量不能小于常用日用量' },
    ]);
    expect(await count('audit_kb_item')).toBe(0);
    expect(await count('audit_kb_load')).toBe(0);
  });

  test('rows of one key whose periods overlap are refused', () => {
    expect(checkKnowledge('herb', [{ hilist_code: C.GINSENG, begndate: '2024-01-01' }, { hilist_code: C.GINSENG, begndate: '2024-06-01', row: 7 }])).toEqual([
      { row: 7, field: 'begndate', message: `【单味不予支付饮片】${C.GINSENG} 的有效期与第1行重叠` },
    ]);
  });

  test('loads every kind in one transaction, one knowledge version per kind, logged', async () => {
    const reports = await importKnowledge(db, SYSTEM_ACTOR, KB);
    expect(reports.map((r) => [r.kind, r.read, r.inserted, r.closed])).toEqual([
      ['audit_kb_item', 8, 8, 0],
      ['audit_kb_pair', 4, 4, 0],
      ['audit_kb_freq', 3, 3, 0],
      ['audit_kb_drug', 1, 1, 0],
      ['audit_kb_herb', 1, 1, 0],
      ['audit_kb_cycle', 3, 3, 0],
    ]);
    expect(new Set(reports.map((r) => r.kb_ver)).size).toBe(6);
    expect(await count('audit_kb_load')).toBe(6);
    const log = await db.k.selectFrom('opt_log').select(['action', 'target_type']).where('action', '=', 'audit.kb.load').execute();
    expect(log).toHaveLength(6);
  });

  test('the snapshot read back answers like the in-memory one', async () => {
    const kb = await loadKnowledge(db);
    expect(kb.kbVer).toBeGreaterThan(0);
    expect(kb.items.find(C.NEO, TODAY)).toMatchObject({ child_age_max: 28, child_age_unit: 'D' });
    expect(kb.drugs.find(C.METF2, TODAY)).toMatchObject({ ingr_code: 'A10BA02', std_q4: 30_000, max_q4: 60_000 });
    expect(kb.freqs.findAll(C.DIAL, TODAY)).toEqual([expect.objectContaining({ period: 'N', period_days: 7, max_q4: 30_000, mai: '3' })]);
    expect(kb.cap(C.CBC, '2', TODAY)).toBe(1000);
    expect(kb.restriction(C.TAMS, TODAY)?.lmt_gend).toBe('1');
    const req = request(patient({ gend: '2', fsi_encounter_dtos: [encounter({ orders: [order(C.TAMS), order(C.IV_DRIP), order(C.IV_INJ, { pric: 6 })] })] }));
    const out = runRules(prepareClaim(req, kb, TODAY), { kb, rules: defaultRuleBase() });
    // no practitioner is registered in this database: every order's doctor is 未登记 (MGT-DOC-01)
    expect(out.response.result.map((r) => r.rule_id).sort()).toEqual(['MGT-DOC-01', 'MGT-DUP-01', 'MGT-PRC-01', 'POL-GEN-01']);
    expect(out.response.result.find((r) => r.rule_id === 'MGT-PRC-01')!.vola_amt).toBe(1);
  });
});

describe('versions', () => {
  test('a change from a date closes the version in force the day before; the same content again is unchanged', async () => {
    const [r1] = await importKnowledge(db, SYSTEM_ACTOR, { freq: [{ hilist_code: C.CBC, period: 'D', max_cnt: 2, mai: '2', begndate: '2025-07-01' }] });
    expect([r1!.inserted, r1!.closed, r1!.unchanged]).toEqual([1, 1, 0]);
    const rows = await db.k.selectFrom('audit_kb_freq').select(['max_cnt', 'begndate', 'enddate']).where('hilist_code', '=', C.CBC).orderBy('begndate').execute();
    expect(rows).toEqual([
      { max_cnt: '1.0000', begndate: '2024-01-01', enddate: '2025-06-30' },
      { max_cnt: '2.0000', begndate: '2025-07-01', enddate: null },
    ]);
    const kb = await loadKnowledge(db);
    expect(kb.freqs.find(C.CBC, '2025-06-30')!.max_q4).toBe(10_000);
    expect(kb.freqs.find(C.CBC, '2025-07-01')!.max_q4).toBe(20_000);
    const [again] = await importKnowledge(db, SYSTEM_ACTOR, { freq: [{ hilist_code: C.CBC, period: 'D', max_cnt: '2.0', mai: '2', begndate: '2025-08-01' }] });
    expect([again!.inserted, again!.closed, again!.unchanged]).toEqual([0, 0, 1]);
  });

  test('a version older than one already loaded is refused', async () => {
    const r = await problemsOf(importKnowledge(db, SYSTEM_ACTOR, { freq: [{ hilist_code: C.CBC, period: 'D', max_cnt: 3, begndate: '2025-01-01' }] }));
    expect(r.problems).toEqual([{ row: 1, field: 'begndate', message: `【频次/数量限制】${C.CBC} / D 已有自 2025-07-01 起生效的版本，不能再导入自 2025-01-01 起的版本` }]);
  });

  test('retiring closes the version in force', async () => {
    await retireKnowledge(db, SYSTEM_ACTOR, 'herb', { hilist_code: C.GINSENG }, '2025-12-31');
    const kb = await loadKnowledge(db);
    expect(kb.herbs.find(C.GINSENG, '2025-12-31')).toBeDefined();
    expect(kb.herbs.find(C.GINSENG, '2026-01-01')).toBeUndefined();
    expect((await problemsOf(retireKnowledge(db, SYSTEM_ACTOR, 'herb', { hilist_code: C.GINSENG }, '2026-03-01'))).message).toBe(`【单味不予支付饮片】${C.GINSENG} 在 2026-03-01 没有生效的版本`);
  });
});

describe('file import', () => {
  test('reads a CSV of pairs; a bad cell is reported with its spreadsheet row', async () => {
    const bad = join(dir, 'pairs-bad.csv');
    writeFileSync(bad, `item_a,item_b,pair_type,scope,begndate,bypass_flag\n${C.SURG1},${C.SURG2},2,3,2024-01-01,1\n${C.GANCAO},${C.GANSUI},3,1,2024-01-01,1\n`);
    const r = await problemsOf(importKnowledgeFile(db, SYSTEM_ACTOR, 'pair', bad));
    expect(r.problems).toEqual([{ row: 3, field: 'bypass_flag', message: '【项目对（包含/互斥/配伍禁忌/依存）】配伍禁忌和依存项目对不可豁免' }]);
    const good = join(dir, 'pairs.csv');
    writeFileSync(good, `item_a,item_b,pair_type,scope,begndate,bypass_flag,memo\n${C.SURG1},${C.SURG2},2,3,2024-01-01,1,同一切口\n`);
    const rep = await importKnowledgeFile(db, SYSTEM_ACTOR, 'pair', good);
    expect([rep.read, rep.inserted, rep.file]).toEqual([1, 1, good]);
  });

  test('unknown columns are refused before any row is read', async () => {
    const f = join(dir, 'items.csv');
    writeFileSync(f, `hilist_code,begndate,child_age\n${C.NEO},2024-01-01,28\n`);
    expect((await problemsOf(importKnowledgeFile(db, SYSTEM_ACTOR, 'item', f))).message).toMatch(/^不认识的字段列：child_age/);
  });
});

describe('demo knowledge set', () => {
  test('built from the demo catalogue, it validates and loads atomically', async () => {
    const cat = generateCatalogue(20_240_601);
    const set = demoKnowledgeSet(cat);
    for (const k of ['item', 'pair', 'freq', 'drug', 'herb', 'cycle'] as const) {
      expect(set[k]!.length, k).toBeGreaterThan(0);
      expect(checkKnowledge(k, set[k]!), k).toEqual([]);
    }
    expect(set.pair!.some((p) => p.pair_type === '3' && p.memo === '十八反：附子反半夏')).toBe(true);
    const demo = await openTestDb();
    try {
      await migrate(demo);
      const reports = await importKnowledge(demo, SYSTEM_ACTOR, set);
      expect(reports.every((r) => r.inserted === r.read)).toBe(true);
    } finally {
      await demo.close();
    }
  });
});
