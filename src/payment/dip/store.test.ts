/**
 * DIP catalogues in SQL: a built catalogue saved as a draft and read back unchanged; publishing from a date closes the
 * area's catalogue in force; the catalogue in force on a date; a published catalogue imported from CSV (a bad row
 * refused naming the row and field, nothing written); and a catalogue built from the stored settlement lists.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { DIAGNOSES, insertBundled, PROCEDURES } from '../../standards/coded-list.js';
import { insertShippedDict } from '../../standards/dict.js';
import { uploadSetlList } from '../setl-list/service.js';
import { adultList, FIXTURE_DIAGNOSES, FIXTURE_PROCEDURES, setField } from '../setl-list/testing.js';
import { buildDipCatalogue } from './build.js';
import { DipGrouper } from './group.js';
import { setlListHistory } from './history.js';
import { importDipCatalogue, readDipCatalogueFile } from './import.js';
import { defaultKnowledge } from './knowledge.js';
import { dipCatalogueInForce, listDipCatalogues, loadDipCatalogue, publishDipCatalogue, saveDipCatalogue } from './store.js';
import { syntheticHistory } from './testing.js';
import type { DipCatalogue } from './types.js';

let db: Db;
let built: DipCatalogue;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
  await insertShippedDict(db.k);
  await db.k.transaction().execute(async (trx) => {
    await insertBundled(trx, DIAGNOSES, [...FIXTURE_DIAGNOSES].map(([code, name]) => ({ code, name })));
    await insertBundled(trx, PROCEDURES, [...FIXTURE_PROCEDURES].map(([code, name]) => ({ code, name })));
  });
  defaultKnowledge();
  ({ catalogue: built } = await buildDipCatalogue(
    syntheticHistory(42, [
      { pdx: 'K80.101', procedures: ['51.2300'], perYear: 8, meanYuan: 12000, dx: ['I50.900'], died: 0.1 },
      { pdx: 'K80.100', perYear: 6, meanYuan: 5000, age: [70, 90] },
      { pdx: 'K35.800', procedures: ['47.0100'], perYear: 2, meanYuan: 9000 },
    ]),
  ));
}, 300_000);
afterAll(async () => db.close());

describe('versions in SQL', () => {
  test('a built catalogue is saved as a draft and read back unchanged', async () => {
    await saveDipCatalogue(db, SYSTEM_ACTOR, built, { cat_ver: '990100-DIP-2025', cat_name: '甲市 DIP 目录 2025', admdvs: '990100', source: 'built' });
    const back = await loadDipCatalogue(db, '990100-DIP-2025');
    expect(back.info).toMatchObject({ stas: 'draft', begndate: null, source: 'built', grp_cnt: built.groups.length, case_cnt: built.case_cnt });
    expect(back.groups).toEqual([...built.groups].sort((a, b) => (a.dip_code < b.dip_code ? -1 : 1)));
    expect(back.aux.length).toBe(built.aux.length);
    expect(back.aux).toEqual(expect.arrayContaining(built.aux));
    expect(back.params).toEqual(built.params);
    expect(back.overall_mean).toBe(built.overall_mean);
    await expect(saveDipCatalogue(db, SYSTEM_ACTOR, built, { cat_ver: '990100-DIP-2025', cat_name: 'x', admdvs: '990100', source: 'built' })).rejects.toThrow('DIP 目录版本 990100-DIP-2025 已存在');
    const log = await db.k.selectFrom('opt_log').selectAll().where('action', '=', 'dip.catalogue.save').execute();
    expect(log).toHaveLength(1);
  });

  test('publishing from a date closes the catalogue in force the day before; grouping uses the one in force', async () => {
    expect(await dipCatalogueInForce(db, '990100', '2025-06-01')).toBeNull();
    await publishDipCatalogue(db, SYSTEM_ACTOR, '990100-DIP-2025', '2025-01-01');
    await saveDipCatalogue(db, SYSTEM_ACTOR, built, { cat_ver: '990100-DIP-2026', cat_name: '甲市 DIP 目录 2026', admdvs: '990100', source: 'built' });
    expect(await publishDipCatalogue(db, SYSTEM_ACTOR, '990100-DIP-2026', '2026-01-01')).toEqual({ closed: '990100-DIP-2025' });
    expect((await dipCatalogueInForce(db, '990100', '2025-06-01'))!.info).toMatchObject({ cat_ver: '990100-DIP-2025', enddate: '2025-12-31' });
    expect((await dipCatalogueInForce(db, '990100', '2026-02-01'))!.info).toMatchObject({ cat_ver: '990100-DIP-2026', enddate: null });
    await expect(publishDipCatalogue(db, SYSTEM_ACTOR, '990100-DIP-2026', '2027-01-01')).rejects.toThrow('不是草稿');
    await saveDipCatalogue(db, SYSTEM_ACTOR, built, { cat_ver: '990100-DIP-X', cat_name: '补发', admdvs: '990100', source: 'built' });
    await expect(publishDipCatalogue(db, SYSTEM_ACTOR, '990100-DIP-X', '2025-07-01')).rejects.toThrow('已有自 2026-01-01 起生效的 DIP 目录 990100-DIP-2026');
    expect((await listDipCatalogues(db, '990100')).map((c) => `${c.cat_ver}:${c.stas}`)).toEqual(['990100-DIP-2025:published', '990100-DIP-2026:published', '990100-DIP-X:draft']);
    const cat = (await dipCatalogueInForce(db, '990100', '2026-03-01'))!;
    expect(new DipGrouper(cat).group({ pdx: 'K80.101', procedures: ['51.2300'] }).dip_code).toBe('K80.1-51.2300');
  });
});

const HEADER = 'dip_code,dip_name,grp_type,diag_key,oprn_type,oprn_combo,score,mean_cost,case_cnt,mean_los';
const GOOD = [
  HEADER,
  'K80.1-01,胆囊结石伴胆囊炎：腹腔镜下胆囊切除术,核心病种,K80.1,相关手术,51.2300,118.52,11852.00,320,6.5',
  'K80.1-02,胆囊结石伴胆囊炎：腹腔镜胆囊切除+粘连松解,core,K80.1,3,51.2300+54.5100,160.1,16010,45,8',
  'K80.1-03,胆囊结石伴胆囊炎：胆囊切除（开腹或腹腔镜）,core,K80.1,3,51.2200/51.2300,130,,,',
  'K80.1-00,胆囊结石伴胆囊炎：保守治疗,核心,K80.1,保守治疗,,48.6,4860,210,5.2',
  'ZH-K80-3,K80 类目综合（相关手术）,综合病种,K80,3,,140,14000,60,',
  'ZH-K00-K93-0,消化系统疾病综合（保守治疗）,comprehensive,K00-K93,0,,55,5500,900,',
].join('\n');

describe('importing a published catalogue', () => {
  test('a good file becomes a draft version; names, types and combinations as written', async () => {
    const r = await importDipCatalogue(db, SYSTEM_ACTOR, GOOD, { cat_ver: '990200-DIP-PUB', cat_name: '乙市公布目录', admdvs: '990200' });
    expect(r).toEqual({ cat_ver: '990200-DIP-PUB', groups: 6 });
    const cat = await loadDipCatalogue(db, '990200-DIP-PUB');
    expect(cat.info).toMatchObject({ source: 'imported', stas: 'draft', case_cnt: 1535 });
    expect(cat.groups.find((g) => g.dip_code === 'K80.1-02')).toMatchObject({ grp_type: 'core', oprn_type: '3', oprn_combo: '51.2300+54.5100', combo_parts: 2, score: 160.1, rw: 1.601, mean_cost: 1_601_000, mean_los: 8 });
    expect(cat.groups.find((g) => g.dip_code === 'K80.1-00')).toMatchObject({ oprn_type: '0', oprn_combo: '' });
    const r2 = new DipGrouper(cat).group({ pdx: 'K80.101', procedures: ['51.2300', '54.5100'] });
    expect(r2.dip_code).toBe('K80.1-02');
  });

  test('a bad row refuses the whole file, naming each row and field; nothing is written', async () => {
    const bad = [
      HEADER,
      'K80.1-01,胆囊结石：腹腔镜,核心,K80.1,3,51.2300,118.52,11852.00,320,6.5',
      'K80.1-02,胆囊结石：错误分值,核心,K80.1,3,51.2300+54.5100,abc,16010,45,8',
      'K80.1-03,胆囊结石：错误组合,核心,K80.1,3,51.23OO,130,,,',
      'K80.1-01,重复编码,综合,K80,9,,10,1000.555,x,',
      'K80.1-05,与第2行重复,core,K80.1,3,51.2300,100,,,',
    ].join('\n');
    type Refusal = { message: string; problems: { row: number; field: string; message: string }[] };
    const err = (await importDipCatalogue(db, SYSTEM_ACTOR, bad, { cat_ver: '990200-BAD', cat_name: '坏文件', admdvs: '990200' }).then(
      () => null,
      (e: unknown) => e,
    )) as Refusal;
    expect(err.message).toBe('DIP 病种目录导入失败：共 7 处错误，未写入任何数据');
    expect(err.problems).toEqual([
      { row: 3, field: 'score', message: '病种分值“abc”应为正数' },
      { row: 4, field: 'oprn_combo', message: '手术操作组合“51.23OO”中的“51.23OO”不是手术操作编码（组合用 + 连接必需项，用 / 分隔可选项）' },
      { row: 5, field: 'dip_code', message: '病种编码 K80.1-01 重复（另见第2行）' },
      { row: 5, field: 'oprn_type', message: '手术操作类型“9”无效，应为 0–3 或 保守治疗/诊断性操作/治疗性操作/相关手术' },
      { row: 5, field: 'mean_cost', message: '次均费用“1000.555”应为最多两位小数的非负金额' },
      { row: 5, field: 'case_cnt', message: '例数“x”应为非负整数' },
      { row: 6, field: 'oprn_combo', message: '诊断键 K80.1 与手术操作组合“51.2300”与第2行重复' },
    ]);
    expect(await db.k.selectFrom('dip_catalogue').select('cat_ver').where('cat_ver', '=', '990200-BAD').execute()).toEqual([]);
  });

  test('an unknown column or a missing one is refused before any row is read', () => {
    expect(() => readDipCatalogueFile('dip_code,dip_name,grp_type,diag_key,oprn_type,scor\nA,B,core,K80.1,3,1')).toThrow('缺少必需的字段列：score；不认识的字段列：scor');
  });

  test('diagnosis keys must suit the group type', () => {
    const text = [HEADER, 'A,核心用类目范围,core,K00-K93,3,51.2300,100,,,', 'B,综合用亚目,comprehensive,K80.1,0,,50,,,'].join('\n');
    expect(() => readDipCatalogueFile(text)).toThrow(expect.objectContaining({ problems: [
      { row: 2, field: 'diag_key', message: '诊断键“K00-K93”应为诊断亚目（如 K80.1）或类目（如 K80）' },
      { row: 3, field: 'diag_key', message: '诊断键“K80.1”应为类目（如 K80、K8、K）或章节范围（如 K00-K93）' },
    ] }));
  });
});

describe('history from the stored settlement lists', () => {
  test('the current versions of submitted lists discharged in the range, as cases', async () => {
    const caller = (n: number) => ({ db, actor: SYSTEM_ACTOR, fixmedins_code: 'H99010200001', msgid: `m${n}`, admdvs: '990100', at: new Date() });
    for (let i = 1; i <= 4; i++) {
      const l = adultList(`S10${i}`, `M10${i}`);
      if (i === 4) setField(l, 'setlinfo.dscg_way', '5');
      await uploadSetlList(caller(i), l, { settlementLookup: null });
    }
    // a second version of S101 replaces the first
    const v2 = setField(adultList('S101', 'M101'), 'iteminfo.1.amt', '9000.00');
    setField(v2, 'payinfo.0.fund_payamt', '10400.00');
    await uploadSetlList(caller(5), v2, { settlementLookup: null });
    const cases = [];
    for await (const c of setlListHistory(db, { from: '2025-01-01', to: '2025-12-31', pageSize: 3 })) cases.push(c);
    expect(cases).toHaveLength(4);
    expect(cases.find((c) => c.id === 'S101')).toEqual({ id: 'S101', pdx: 'K35.800', dx: ['I10.x00'], procedures: ['47.0100'], cost: 1_100_000, year: 2025, died: false, age: 45, los: 7 });
    expect(cases.find((c) => c.id === 'S104')!.died).toBe(true);
    const { catalogue } = await buildDipCatalogue(cases, { threshold: 3 });
    expect(catalogue.groups.map((g) => `${g.dip_code}:${g.case_cnt}`)).toEqual(['K35.8-47.0100:4']);
    const none = [];
    for await (const c of setlListHistory(db, { from: '2024-01-01', to: '2024-12-31' })) none.push(c);
    expect(none).toEqual([]);
  });
});
