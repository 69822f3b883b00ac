/**
 * The year run on a real database (PGlite, or PostgreSQL with DATABASE_URL): parameters with history, a DRG year paid
 * from a JSONL file with three hospitals, hand-computed to the fen (weights, points, outliers, the cap, penalties from
 * confirmed audit suspects, monthly pre-payments, balances), the same from stored settlement lists, a DIP year, the
 * job records, and bad input writing nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { getJob, listJobs } from '../../platform/jobs.js';
import { migrate } from '../../platform/migrations.js';
import { yuanToFen } from '../../platform/money.js';
import type { Actor } from '../../platform/oplog.js';
import { paramHistory, paramsInForce, saveParams } from './params.js';
import { cmiByHospital, costVsPayment, latestRun, months, outliers, statements } from './queries.js';
import { runPayYear, startPayYear } from './run.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-pay-'));
const actor: Actor = { id: 'jb1', name: '测试经办', admdvs: ['990100'] };

const GZ13 = { gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'], procedures: [] };
const OB19 = { gend: '2', age: 35, diagnoses: ['O82.000'], procedures: ['74.1x01'] };
const QQQQ = { gend: '1', age: 50, diagnoses: ['W19.x00'] };
const line = (id: string, code: string, lv: string, date: string, cost: string, psn: string, c: object) => JSON.stringify({ id, fixmedins_code: code, hosp_lv: lv, dscg_date: date, medfee_sumamt: cost, psn_part_amt: psn, ipt_days: 7, ...c });

/** 2025 is the history (GZ13 mean 10,000, OB19 mean 5,000, overall 7,500); 2026 is paid. */
const LINES = [
  line('h1', 'H99010000001', '3', '2025-05-01', '8000.00', '0', GZ13),
  line('h2', 'H99010000001', '3', '2025-06-01', '12000.00', '0', GZ13),
  line('h3', 'H99010000002', '2', '2025-05-01', '4000.00', '0', OB19),
  line('h4', 'H99010000002', '2', '2025-07-01', '6000.00', '0', OB19),
  line('A1', 'H99010000001', '3', '2026-01-10', '10000.00', '2000.00', GZ13), // normal: 133.33
  line('A2', 'H99010000001', '3', '2026-02-10', '40000.00', '8000.00', GZ13), // high: 4 − 3 + 1 = 2 → 266.66
  line('B1', 'H99010000002', '2', '2026-01-15', '5000.00', '1000.00', OB19), // normal × 0.9: 60.003
  line('B2', 'H99010000002', '2', '2026-03-15', '1000.00', '200.00', OB19), // low: 0.2 → 13.334
  line('C1', 'H99010000003', '1', '2026-01-20', '3000.00', '600.00', QQQQ), // 0000: 3,000 ÷ 7,500 × 100 × 0.9 = 36
  line('C2', 'H99010000003', '1', '2026-03-20', '60000.00', '12000.00', GZ13), // 6 × mean: 特例单议 (cap 1 of 2) → 799.98
];

const PARAMS = {
  year_weights: { '2025': 1 },
  trim: { method: 'none' },
  level_coef: { '3': '1', '2': '0.9', '1': '0.8' },
  special_cap: '0.5',
};

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
  const suspect = (id: string, code: string, stas: string, amt: string) =>
    sql`insert into audit_suspect (suspect_id, stage, rule_id, rule_ver, rule_name, sev_deg, vola_bhvr_type, admdvs, fixmedins_code, psn_no, vola_cont, vola_amt, evidence, dedup_key, stas, crte_time)
        values (${id}, '3', 'R1', 1, '测试规则', '1', '01', '990100', ${code}, 'P1', '测试', ${amt}, '{}'::jsonb, ${id}, ${stas}, '2026-06-01T10:00:00+08:00')`.execute(db.k);
  await suspect('S1', 'H99010000001', '2', '1000.50'); // confirmed: deducted
  await suspect('S2', 'H99010000001', '1', '999.00'); // under review: not deducted
  await suspect('S3', 'H99010000002', '3', '500.00'); // excluded: not deducted
}, 300_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.close();
});

const key = { admdvs: '990100', pay_type: 'drg' as const, setl_year: 2026 };

describe('parameters per region and year, effective-dated', () => {
  it('a change from a date closes the version in force the day before and keeps the history, logged', async () => {
    await saveParams(db, actor, key, { begndate: '2026-01-01', budget: '90000.00', base_rate: '13060.00', params: PARAMS });
    await saveParams(db, actor, key, { begndate: '2026-07-01', budget: '100000.00', base_rate: '13060.00', params: PARAMS });
    const h = await paramHistory(db, key);
    expect(h.map((v) => [v.begndate, v.enddate, v.budget])).toEqual([
      ['2026-01-01', '2026-06-30', '90000.00'],
      ['2026-07-01', null, '100000.00'],
    ]);
    expect((await paramsInForce(db, key, '2026-03-01')).params.budget).toBe(yuanToFen('90000'));
    expect((await paramsInForce(db, key)).params.budget).toBe(yuanToFen('100000'));
    const log = await db.k.selectFrom('opt_log').select(['action', 'opter_id']).where('action', '=', 'pay.param.save').execute();
    expect(log).toHaveLength(2);
  });

  it('bad parameters, an overlapping date or an area outside the actor write nothing', async () => {
    await expect(saveParams(db, actor, key, { begndate: '2026-09-01', budget: '1', base_rate: '1', params: { low_ratio: '5' } })).rejects.toThrow('low_ratio');
    await expect(saveParams(db, actor, key, { begndate: '2026-07-01', budget: '1', base_rate: '1' })).rejects.toThrow('已有自 2026-07-01 起生效的版本');
    await expect(saveParams(db, actor, { ...key, admdvs: '990200' }, { begndate: '2026-01-01', budget: '1', base_rate: '1' })).rejects.toThrow('无权办理区划 990200');
    expect(await paramHistory(db, key)).toHaveLength(2);
  });
});

describe('a DRG year from a JSONL file, hand-computed', () => {
  it('pays three hospitals to the fen, and the statements add up to the budget less the penalties', async () => {
    const file = join(dir, 'cases.jsonl');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    const r = await runPayYear(db, actor, { pay_type: 'drg', year: 2026, admdvs: '990100', cases: file });
    // total points 133.33 + 266.66 + 60.003 + 13.334 + 36 + 799.98 = 1,309.307; pool 100,000 + 23,800 patients' = 123,800
    expect(r).toMatchObject({ case_cnt: 6, pool: '123800.00', points: '1309.3070', point_value: '94.553836', psn_pay: '23800.00', penalty: '1000.50' });
    const run = await latestRun(db, '990100', 'drg', 2026);
    expect(run.run_id).toBe(r.run_id);
    const cases = await db.k.selectFrom('pay_case').select(['case_id', 'grp_code', 'case_type', 'factor', 'points']).where('run_id', '=', r.run_id).orderBy('case_id').execute();
    expect(cases.map((c) => [c.case_id, c.grp_code, c.case_type, Number(c.factor), Number(c.points)])).toEqual([
      ['A1', 'GZ13', 'normal', 1, 133.33],
      ['A2', 'GZ13', 'high', 2, 266.66],
      ['B1', 'OB19', 'normal', 0.9, 60.003],
      ['B2', 'OB19', 'low', 0.2, 13.334],
      ['C1', '0000', 'ungrouped', 0.9, 36],
      ['C2', 'GZ13', 'special', 6, 799.98],
    ]);
    const weights = await db.k.selectFrom('pay_weight').select(['grp_code', 'mean_cost', 'rw', 'std_amt']).where('run_id', '=', r.run_id).orderBy('grp_code').execute();
    expect(weights.map((w) => [w.grp_code, w.mean_cost, Number(w.rw), w.std_amt])).toEqual([
      ['GZ13', '10000.00', 1.3333, '17412.90'], // 1.3333 × 13,060 = 17,412.898
      ['OB19', '5000.00', 0.6667, '8707.10'], // 0.6667 × 13,060 = 8,707.102
    ]);
    const st = await statements(db, r.run_id);
    // amount due = pool apportioned by points; fund due = due − patients' − penalties; balance = fund due − pre-paid
    expect(st.map((s) => [s.fixmedins_code, s.cmi, s.amount_due, s.psn_pay, s.penalty, s.fund_due, s.prepaid, s.balance])).toEqual([
      ['H99010000001', '1.3333', '37820.59', '10000.00', '1000.50', '26820.09', '11944.05', '14876.04'],
      ['H99010000002', '0.6667', '6934.29', '1200.00', '0.00', '5734.29', '2033.01', '3701.28'],
      ['H99010000003', '1.3333', '79045.12', '12600.00', '0.00', '66445.12', '8522.96', '57922.16'],
    ]);
    const sum = (k: 'amount_due' | 'fund_due') => st.reduce((s, x) => s + yuanToFen(x[k]), 0);
    expect(sum('amount_due')).toBe(yuanToFen('123800'));
    expect(sum('fund_due')).toBe(yuanToFen('100000') - yuanToFen('1000.50'));
    // monthly budget 100,000 ÷ 12 → 8,333.34 in January; + patients' 3,600 over 229.333 points
    const m = await months(db, r.run_id);
    expect(m[0]).toMatchObject({ setl_month: 1, case_cnt: 3, pool: '11933.34', point_value: '52.034988' });
    expect(st[0]!.months.map((x) => [x.setl_month, x.amount_due, x.prepaid])).toEqual([
      [1, '6937.82', '4444.04'],
      [2, '16333.34', '7500.01'],
    ]);
  });

  it('serves the console reads: CMI and RW bands, cost vs payment, outlier lists', async () => {
    const run = await latestRun(db, '990100', 'drg', 2026);
    const cmi = await cmiByHospital(db, run.run_id);
    expect(cmi.hospitals.map((h) => [h.fixmedins_code, h.cmi, h.rw_dist])).toEqual([
      ['H99010000001', '1.3333', [0, 0, 2, 0, 0, 0, 0]],
      ['H99010000002', '0.6667', [0, 2, 0, 0, 0, 0, 0]],
      ['H99010000003', '1.3333', [0, 0, 1, 0, 0, 0, 0]],
    ]);
    const byGroup = await costVsPayment(db, run.run_id, 'group');
    expect(byGroup.rows.map((x) => [x.code, x.case_cnt, x.medfee_sumamt])).toEqual([
      ['0000', 1, '3000.00'],
      ['GZ13', 3, '110000.00'],
      ['OB19', 2, '6000.00'],
    ]);
    const special = await outliers(db, run.run_id, { case_type: 'special' });
    expect(special.rows.map((x) => x.case_id)).toEqual(['C2']);
    expect(special.rows[0]!.reason).toContain('特例单议');
    expect((await outliers(db, run.run_id)).total).toBe(4);
  });

  it('ran as a job with progress and its summary as the result', async () => {
    const [job] = await listJobs(db, { kind: 'pay-drg' });
    expect(job).toMatchObject({ status: 'done', admdvs: '990100' });
    expect((job!.result as { point_value: string }).point_value).toBe('94.553836');
  });

  it('a file with a bad line is refused with the line named, nothing is written and the job is failed', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, `${LINES[4]}\n{"id":"X","fixmedins_code":"H1","dscg_date":"2026-13-01","medfee_sumamt":"1.001"}\nnot json\n`);
    const before = await db.k.selectFrom('pay_run').select(sql<number>`count(*)::int8`.as('n')).executeTakeFirstOrThrow();
    await expect(runPayYear(db, actor, { pay_type: 'drg', year: 2026, admdvs: '990100', cases: file })).rejects.toMatchObject({ problems: expect.arrayContaining([expect.objectContaining({ row: 2, field: 'dscg_date' }), expect.objectContaining({ row: 3 })]) });
    const after = await db.k.selectFrom('pay_run').select(sql<number>`count(*)::int8`.as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const [job] = await listJobs(db, { kind: 'pay-drg' });
    expect(job!.status).toBe('failed');
  });
});

describe('a DRG year from a file larger than one reading batch and one insert chunk', () => {
  const key27 = { admdvs: '990100', pay_type: 'drg' as const, setl_year: 2027 };
  const big = (n: number) => {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const year = i % 2 ? 2027 : 2026;
      const cost = (5000 + (i % 97) * 100).toFixed(2);
      lines.push(line(`N${i}`, `H9901000000${i % 3}`, String(1 + (i % 3)), `${year}-${String(1 + (i % 12)).padStart(2, '0')}-15`, cost, '500.00', i % 5 ? GZ13 : OB19));
    }
    return lines;
  };

  it('writes every paid case in one run and the statements still add up to the pool', async () => {
    await saveParams(db, actor, key27, { begndate: '2027-01-01', budget: '3000000.00', base_rate: '13060.00', params: { year_weights: { '2026': 1 } } });
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, `${big(13_000).join('\n')}\n`);
    const r = await runPayYear(db, actor, { pay_type: 'drg', year: 2027, admdvs: '990100', cases: file });
    expect(r.case_cnt).toBe(6_500);
    const n = await db.k.selectFrom('pay_case').select(sql<number>`count(*)::int8`.as('n')).where('run_id', '=', r.run_id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(6_500);
    const st = await statements(db, r.run_id);
    expect(st.reduce((s, x) => s + x.case_cnt, 0)).toBe(6_500);
    expect(st.reduce((s, x) => s + yuanToFen(x.amount_due), 0)).toBe(yuanToFen(r.pool));
    const pts = await db.k.selectFrom('pay_case').select(sql<string>`sum(points)::text`.as('p')).where('run_id', '=', r.run_id).executeTakeFirstOrThrow();
    expect(Number(pts.p)).toBeCloseTo(Number(r.points), 4);
  });

  it('a bad line after several batches still refuses the whole file and writes nothing', async () => {
    const file = join(dir, 'big-bad.jsonl');
    writeFileSync(file, `${[...big(12_000), line('N1', 'H99010000001', '3', '2027-01-01', '1.00', '0', GZ13)].join('\n')}\n`); // N1 again
    const runs = () => db.k.selectFrom('pay_run').select(sql<number>`count(*)::int8`.as('n')).where('setl_year', '=', 2027).executeTakeFirstOrThrow();
    const before = Number((await runs()).n);
    await expect(runPayYear(db, actor, { pay_type: 'drg', year: 2027, admdvs: '990100', cases: file })).rejects.toMatchObject({ problems: [expect.objectContaining({ row: 12_001, field: 'id' })] });
    expect(Number((await runs()).n)).toBe(before);
  });
});

describe('a DRG year from the stored settlement lists', () => {
  it('reads the lists of the region (cost and patient payment of the list without a settlement row) and pays them', async () => {
    const inst = (code: string, lv: string, admdvs: string) =>
      sql`insert into fixmedins (fixmedins_code, fixmedins_name, fixmedins_type, hosp_lv, admdvs, uscc, pinyin, begndate) values (${code}, ${`医院${code}`}, '1', ${lv}, ${admdvs}, '123456789012345678', 'yy', '2020-01-01')`.execute(db.k);
    await inst('H99010200011', '3', '990102');
    await inst('H99020000012', '3', '990200');
    const list = async (setl_id: string, code: string, date: string, cost: string, psn: string, c: { gend: string; age: number; diagnoses: string[]; procedures?: string[] }) => {
      const content = {
        setlinfo: { setl_id, fixmedins_code: code, gend: c.gend, age: String(c.age), act_ipt_days: '7', dscg_way: '1' },
        diseinfo: c.diagnoses.map((d, i) => ({ diag_type: '1', diag_code: d, maindiag_flag: i === 0 ? '1' : '0' })),
        oprninfo: (c.procedures ?? []).map((p) => ({ oprn_oprt_code: p, main_oprn_flag: '1' })),
      };
      await sql`insert into setl_list (setl_id, fixmedins_code, mdtrt_id, cur_ver, setl_list_id, stas_type) values (${setl_id}, ${code}, ${`M${setl_id}`}, 1, ${`L${setl_id}`}, '1')`.execute(db.k);
      await sql`insert into setl_list_ver (setl_list_id, setl_id, ver_no, infno, fixmedins_code, mdtrt_id, dscg_date, act_ipt_days, medfee_sumamt, acct_pay, psn_cashpay, fund_pay_sumamt, content, qc_rslt, qc_report)
        values (${`L${setl_id}`}, ${setl_id}, 1, '4101', ${code}, ${`M${setl_id}`}, ${date}, 7, ${cost}, '0', ${psn}, '0', ${JSON.stringify(content)}::jsonb, '0', '[]'::jsonb)`.execute(db.k);
    };
    await list('S1', 'H99010200011', '2025-04-01', '10000.00', '0', GZ13);
    await list('S2', 'H99010200011', '2025-04-02', '5000.00', '0', OB19);
    await list('S3', 'H99010200011', '2026-04-01', '10000.00', '2500.00', GZ13);
    await list('S4', 'H99020000012', '2026-04-01', '10000.00', '2500.00', GZ13); // another city: not paid here
    const r = await runPayYear(db, actor, { pay_type: 'drg', year: 2026, admdvs: '990100' });
    // RW GZ13 = 10,000 ÷ 7,500 = 1.3333 → 133.33 points, all of the pool
    expect(r).toMatchObject({ case_cnt: 1, points: '133.3300', pool: '102500.00', penalty: '0.00' });
    expect(r.stmts).toEqual([expect.objectContaining({ fixmedins_code: 'H99010200011', fixmedins_name: '医院H99010200011', amount_due: '102500.00', psn_pay: '2500.00', fund_due: '100000.00' })]);
  });
});

describe('a DIP year', () => {
  it('builds the catalogue from the history when none is published, and pays by case score × coefficient', async () => {
    const dipKey = { admdvs: '990100', pay_type: 'dip' as const, setl_year: 2026 };
    await saveParams(db, actor, dipKey, { begndate: '2026-01-01', budget: '50000.00', base_rate: '0', params: { year_weights: { '2025': 1 }, trim: { method: 'none' }, level_coef: { '3': '1', '2': '0.9', '1': '0.8' } } });
    const file = join(dir, 'cases.jsonl');
    const { job_id, done } = await startPayYear(db, actor, { pay_type: 'dip', year: 2026, admdvs: '990100', cases: file });
    const r = await done;
    expect(r).not.toBeNull();
    expect(await getJob(db, job_id)).toMatchObject({ status: 'done', kind: 'pay-dip' });
    const st = await statements(db, r!.run_id);
    expect(st.reduce((s, x) => s + yuanToFen(x.amount_due), 0)).toBe(yuanToFen(r!.pool));
    const normal = await db.k.selectFrom('pay_case').selectAll().where('run_id', '=', r!.run_id).where('case_type', '=', 'normal').execute();
    for (const c of normal) expect(Number(c.points)).toBeCloseTo(Number(c.base_points) * Number(c.coef), 4);
    expect(r!.weight_src).toContain('由历史病例构建的 DIP 目录');
  });

  it('a year without parameters is a Chinese not-found error', async () => {
    await expect(runPayYear(db, actor, { pay_type: 'dip', year: 2027, admdvs: '990100' })).rejects.toThrow('没有 2027-12-31 生效的 DIP 付费参数');
  });
});
