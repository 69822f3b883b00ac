import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { isYibaoError, type YibaoError } from '../../platform/errors.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { bulkLoadCatalogue } from '../../standards/catalogue/load.js';
import type { CatalogueItemInput } from '../../standards/catalogue/types.js';
import { loadItemsForLines } from './catalogue-loader.js';
import { classifyLines } from './classify.js';
import { demoPolicies, insertDemoPolicies } from './demo-policies.js';
import { settle } from './engine.js';
import { EMPLOYEE_CTX, examplePolicyInput, feeLine, settleInput } from './fixtures.js';
import { findPolicy, insertPolicies, listPolicies, pickMostSpecific, policyId, type PolicyQuery } from './store.js';
import type { PolicyInput } from './types.js';

let db: Db;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
  await insertDemoPolicies(db, SYSTEM_ACTOR);
});
afterAll(async () => db.close());

async function refusal(p: Promise<unknown>): Promise<YibaoError> {
  try {
    await p;
  } catch (e) {
    if (isYibaoError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const q = (over: Partial<PolicyQuery>): PolicyQuery => ({ insu_admdvs: '990100', insutype: '310', med_type: '21', hosp_lv: '3', psn_type: '1101', on: '2025-06-01', ...over });

describe('demo policies', () => {
  test('are stored and read back unchanged, money and ratios exact', async () => {
    const all = [...(await listPolicies(db, '990100')), ...(await listPolicies(db, '990200'))];
    const expected = demoPolicies().map((p) => ({ ...p, policy_id: policyId(p), enddate: null }));
    expect(all).toHaveLength(expected.length);
    const byId = new Map(all.map((p) => [p.policy_id, p]));
    for (const p of expected) expect(byId.get(p.policy_id)).toEqual(p);
    const row = await db.k.selectFrom('setl_policy').select(['dedc_amt', 'pool_lmt_amt']).where('policy_id', '=', '990100-310-21-3-11-20200101').executeTakeFirstOrThrow();
    expect(row).toEqual({ dedc_amt: '1200.00', pool_lmt_amt: '400000.00' });
  });

  test('cover both areas, both insurance types, every med_type family and level', async () => {
    for (const insu_admdvs of ['990100', '990200']) {
      for (const [insutype, psn_type] of [
        ['310', '1101'],
        ['310', '1201'],
        ['390', '1501'],
        ['390', '1403'],
      ] as const) {
        for (const med_type of ['11', '14', '21']) for (const hosp_lv of ['1', '2', '3', '9']) await findPolicy(db, q({ insu_admdvs, insutype, psn_type, med_type, hosp_lv }));
        await findPolicy(db, q({ insu_admdvs, insutype, psn_type, med_type: '41', hosp_lv: '9' }));
      }
    }
  });

  test('the worked example runs on the stored 甲市 policy', async () => {
    const policy = await findPolicy(db, q({}));
    expect(policy).toMatchObject({ policy_id: '990100-310-21-3-11-20200101', dedc: { amt: 120_000 }, acct: { ownpay: false } });
    expect(policy.pool.bands[0]).toEqual({ upto: 5_000_000, bp: 8500 });
  });

  test('were recorded in the operation log', async () => {
    const log = await db.k.selectFrom('opt_log').select(['action', 'target_type']).where('action', '=', 'policy.insert').execute();
    expect(log).toEqual([{ action: 'policy.insert', target_type: 'setl_policy' }]);
  });
});

describe('the most specific row wins', () => {
  test('an exact person-type group beats any, e.g. 学生儿童 pay half the resident deductible', async () => {
    const child = await findPolicy(db, q({ insutype: '390', psn_type: '1403' }));
    const adult = await findPolicy(db, q({ insutype: '390', psn_type: '1501' }));
    expect([child.psn_type_grp, child.dedc.amt]).toEqual(['14', 50_000]);
    expect([adult.psn_type_grp, adult.dedc.amt]).toEqual(['*', 100_000]);
  });

  test('retirees get their own row', async () => {
    expect((await findPolicy(db, q({ psn_type: '1201' }))).psn_type_grp).toBe('12');
  });

  test('a pharmacy (level 9) falls back to the any-level row', async () => {
    expect((await findPolicy(db, q({ med_type: '41', hosp_lv: '9' }))).hosp_lv).toBe('*');
  });

  const variant = (hosp_lv: PolicyInput['hosp_lv'], psn_type_grp: PolicyInput['psn_type_grp'], begndate = '2020-01-01', enddate: string | null = null) =>
    examplePolicyInput({ insu_admdvs: '990300', hosp_lv, psn_type_grp, memo: `${hosp_lv}/${psn_type_grp}`, begndate, enddate });

  test('ranking: (group, level) > (group, any) > (any, level) > (any, any)', async () => {
    await insertPolicies(db, [variant('*', '*'), variant('3', '*'), variant('*', '11'), variant('3', '11')], SYSTEM_ACTOR);
    const memo = async (hosp_lv: string, psn_type: string) => (await findPolicy(db, q({ insu_admdvs: '990300', hosp_lv, psn_type }))).memo;
    expect(await memo('3', '1101')).toBe('3/11');
    expect(await memo('2', '1101')).toBe('*/11');
    expect(await memo('3', '1201')).toBe('3/*');
    expect(await memo('2', '1201')).toBe('*/*');
    expect(await memo('3', '1300')).toBe('3/*'); // 离休 has no group: only '*' rows apply
  });

  test('pickMostSpecific ranks the person-type group above the level', () => {
    expect(pickMostSpecific([{ hosp_lv: '3', psn_type_grp: '*' }, { hosp_lv: '*', psn_type_grp: '11' }])).toEqual({ hosp_lv: '*', psn_type_grp: '11' });
    expect(pickMostSpecific([])).toBeUndefined();
  });
});

describe('effective dates', () => {
  test('the version valid on the date applies, and a more specific row only from its start', async () => {
    const base = (begndate: string, enddate: string | null, amt: number) => examplePolicyInput({ insu_admdvs: '990400', hosp_lv: '*', psn_type_grp: '*', begndate, enddate, dedc: { scope: 'admission', amt, amt_next: null } });
    await insertPolicies(db, [base('2021-01-01', '2024-12-31', 100_000), base('2025-01-01', null, 120_000), examplePolicyInput({ insu_admdvs: '990400', begndate: '2025-07-01', dedc: { scope: 'admission', amt: 90_000, amt_next: null } })], SYSTEM_ACTOR);
    const dedc = async (on: string) => (await findPolicy(db, q({ insu_admdvs: '990400', on }))).dedc.amt;
    expect(await dedc('2024-12-31')).toBe(100_000);
    expect(await dedc('2025-01-01')).toBe(120_000);
    expect(await dedc('2025-06-30')).toBe(120_000);
    expect(await dedc('2025-07-01')).toBe(90_000);
    const e = await refusal(findPolicy(db, q({ insu_admdvs: '990400', on: '2020-12-31' })));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('未找到适用的待遇政策：参保地 990400，险种 310，住院，机构等级 3，人员类别 1101，日期 2020-12-31');
  });
});

describe('writes are checked and all-or-nothing', () => {
  test('a version overlapping a stored one is refused, and the good rows of the batch are not written', async () => {
    const good = examplePolicyInput({ insu_admdvs: '990500' });
    const clash = examplePolicyInput({ insu_admdvs: '990100', hosp_lv: '3', psn_type_grp: '11', begndate: '2024-01-01' });
    const e = await refusal(insertPolicies(db, [good, clash], SYSTEM_ACTOR));
    expect(e.code).toBe('VALIDATION');
    expect(e.problems).toEqual([{ row: 2, field: 'begndate', message: '政策 990100|310|21|3|11 的有效期与库中已有版本（2020-01-01 起）重叠' }]);
    expect(await listPolicies(db, '990500')).toEqual([]);
  });

  test('overlaps within one batch are refused too', async () => {
    const a = examplePolicyInput({ insu_admdvs: '990600', begndate: '2024-01-01', enddate: '2024-12-31' });
    const b = examplePolicyInput({ insu_admdvs: '990600', begndate: '2024-06-01' });
    const e = await refusal(insertPolicies(db, [a, b], SYSTEM_ACTOR));
    expect(e.problems[0]).toMatchObject({ row: 2, field: 'begndate' });
  });

  test('a malformed policy names its row and field', async () => {
    const bad = examplePolicyInput({
      insu_admdvs: '990700',
      pool: { fund: '310100', basis: 'settlement', bands: [{ upto: 500_000, bp: 8500 }, { upto: 400_000, bp: 9000 }, { upto: null, bp: 12_000 }], lmt: -1 },
    });
    const e = await refusal(insertPolicies(db, [bad], SYSTEM_ACTOR));
    expect(e.problems).toEqual([
      { row: 1, field: 'pool_bands[2].upto_amt', message: '分段上限应逐段递增' },
      { row: 1, field: 'pool_bands[3].ratio', message: '比例应在0至100%之间' },
      { row: 1, field: 'pool_lmt_amt', message: '应为非负金额' },
    ]);
  });

  test('the database itself refuses a half-filled large-amount layer', async () => {
    await expect(
      sql`insert into setl_policy (policy_id, insu_admdvs, insutype, med_type_fam, acc_grp, dedc_scope, dedc_amt, pool_fund, pool_lmt_amt, large_fund, begndate)
          values ('x', '990800', '310', '21', '住院', 'year', 0, '310100', 0, '330100', '2020-01-01')`.execute(db.k),
    ).rejects.toThrow();
  });
});

describe('catalogue items for fee lines', () => {
  const drug = (begndate: string, cap: number): CatalogueItemInput => ({
    hilist_code: 'XA10BAE001A001010100001',
    insu_admdvs: '990000',
    hilist_name: '二甲双胍片',
    list_type: '101',
    med_chrgitm_type: '09',
    chrgitm_lv: '02',
    selfpay_bp: 1000,
    pric_uplmt: { '3': cap },
    begndate,
  });

  test('each line gets the version in force on its own fee date, at the treating region and level', async () => {
    await bulkLoadCatalogue(db, [drug('2020-01-01', 1000)], SYSTEM_ACTOR);
    await bulkLoadCatalogue(db, [drug('2025-03-15', 800)], SYSTEM_ACTOR);
    const lines = [feeLine('1', 'XA10BAE001A001010100001', 1000, '10', '2025-03-10'), feeLine('2', 'XA10BAE001A001010100001', 1000, '10', '2025-03-20'), feeLine('3', 'NOT-LISTED', 500, '1', '2025-03-20')];
    const itemFor = await loadItemsForLines(db, lines, { catalogue_admdvs: '990000', hosp_lv: '3', insutype: '310' });
    const classified = classifyLines(lines, itemFor, EMPLOYEE_CTX);
    expect(classified.map((l) => [l.pric_uplmt_amt, l.overlmt_amt, l.preselfpay_amt, l.inscp_scp_amt, l.fulamt_ownpay_amt])).toEqual([
      [1000, 0, 1000, 9000, 0],
      [800, 2000, 800, 7200, 0],
      [null, 0, 0, 0, 500],
    ]);
    const policy = await findPolicy(db, q({}));
    const s = settle(settleInput(classified, { policy }));
    expect(s.setlinfo).toMatchObject({ medfee_sumamt: 20_500, inscp_scp_amt: 16_200, act_pay_dedc: 16_200, hifp_pay: 0 });
  });
});
