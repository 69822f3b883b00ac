import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES, bundleProblems } from './bundles.js';
import { checkGenerateParams, generateRegion, type GenerateManifest } from './run.js';
import { uniqueCertno } from './persons.js';
import { TABLE_NAMES } from './tables.js';
import { isYibaoError } from '../platform/errors.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'yibao-gen-'));
  dirs.push(d);
  return join(d, 'out');
};

let conn: DuckDBConnection;
let instance: DuckDBInstance;
const q = async <T = Record<string, unknown>>(text: string): Promise<T[]> => (await (await conn.run(text)).getRowObjectsJson()) as T[];
const parquet = (dir: string, table: string) => `read_parquet('${dir}/${table}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)`;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the clinical table', () => {
  it('uses only real 医保版 ICD-10 diagnoses and ICD-9-CM-3 procedures', () => {
    expect(bundleProblems()).toEqual([]);
    expect(BUNDLES.filter((b) => b.setting === 'ipt').every((b) => b.los && b.los.min <= b.los.median && b.los.median <= b.los.max)).toBe(true);
  });
});

describe('parameters', () => {
  it.each([
    [{ seed: -1, persons: 10, months: 1 }, 'seed'],
    [{ seed: 1, persons: 0, months: 1 }, 'persons'],
    [{ seed: 1, persons: 10, months: 0 }, 'months'],
    [{ seed: 1, persons: 10, months: 1, institutions: 3 }, 'institutions'],
  ])('refuses %j in Chinese, naming %s', (params, field) => {
    let err: unknown;
    try {
      checkGenerateParams(params, { out: '/nonexistent-yibao-dir' });
    } catch (e) {
      err = e;
    }
    expect(isYibaoError(err)).toBe(true);
    expect((err as { problems: { field: string }[] }).problems.map((p) => p.field)).toContain(field);
    expect((err as Error).message).toMatch(/生成参数错误/);
  });

  it('moves a repeated certno to the next free sequence number of the same birth date and sex', () => {
    const taken = new Set(['11010119900101001X']);
    const next = uniqueCertno('11010119900101001X', taken);
    expect(next.slice(0, 14)).toBe('11010119900101');
    expect(next).not.toBe('11010119900101001X');
    expect(Number(next[16]) % 2).toBe(1); // still a man
  });
});

describe('a small region to Parquet', () => {
  let a: GenerateManifest;
  let b: GenerateManifest;
  let other: GenerateManifest;
  let dir: string;

  beforeAll(async () => {
    dir = tmp();
    a = await generateRegion({ seed: 11, persons: 2500, months: 12 }, { out: dir });
    b = await generateRegion({ seed: 11, persons: 2500, months: 12 }, { out: tmp() });
    other = await generateRegion({ seed: 12, persons: 300, months: 2, institutions: 20 }, { out: tmp() });
  }, 300_000);

  it('is deterministic: the same seed and parameters give the same checksums, another seed does not', () => {
    expect(b.checksum).toBe(a.checksum);
    expect(b.tables).toEqual(a.tables);
    expect(other.checksum).not.toBe(a.checksum);
    expect(other.tables.fixmedins.rows).toBe(20);
  });

  it('writes what the manifest counts, partitioned by month and insured area', async () => {
    for (const t of TABLE_NAMES) {
      if (t === 'gen_violation') {
        // no --violations: no answer key at all
        expect(a.tables[t].rows).toBe(0);
        expect(existsSync(join(dir, 'ground_truth'))).toBe(false);
        continue;
      }
      const [row] = await q<{ n: string }>(`select count(*) as n from ${parquet(dir, t)}`);
      expect(Number(row!.n), t).toBe(a.tables[t].rows);
    }
    const parts = await q<{ month: string; admdvs: string }>(`select distinct month, admdvs from ${parquet(dir, 'setl')} order by 1, 2`);
    expect(new Set(parts.map((p) => p.admdvs))).toEqual(new Set(['990100', '990200']));
    expect(parts.every((p) => /^2025-(0[1-9]|1[0-2])$|^2026-01$/.test(p.month))).toBe(true);
  });

  it('keeps every settlement consistent with its lines, funds, accumulators and the account ledger', async () => {
    const [lines] = await q<{ bad: string }>(
      `select count(*) as bad from ${parquet(dir, 'setl')} s join (select setl_id, sum(det_item_fee_sumamt) as t from ${parquet(dir, 'setl_feedetl')} group by 1) l using (setl_id) where l.t <> s.medfee_sumamt`,
    );
    expect(Number(lines!.bad)).toBe(0);
    const [funds] = await q<{ bad: string }>(
      `select count(*) as bad from ${parquet(dir, 'setl')} s left join (select setl_id, sum(fund_payamt) as t from ${parquet(dir, 'setl_fund')} where fund_pay_type <> '310200' group by 1) f using (setl_id) where coalesce(f.t, 0) <> s.fund_pay_sumamt`,
    );
    expect(Number(funds!.bad)).toBe(0);
    const [acc] = await q<{ bad: string }>(
      `select count(*) as bad from ${parquet(dir, 'setl_acc_grp')} g join (select psn_no, year, acc_grp, sum(pool_paid) as p, sum(dedc_used) as d from ${parquet(dir, 'setl_acc_move')} group by all) m using (psn_no, year, acc_grp) where m.p <> g.pool_paid or m.d <> g.dedc_used`,
    );
    expect(Number(acc!.bad)).toBe(0);
    const [neg] = await q<{ bad: string }>(`select count(*) as bad from (select psn_no, sum(amt) as b from ${parquet(dir, 'psn_acct_ledger')} group by 1) where b < 0`);
    expect(Number(neg!.bad)).toBe(0);
    const [acct] = await q<{ bad: string }>(
      `select count(*) as bad from ${parquet(dir, 'setl')} s full join (select ref_id as setl_id, -sum(amt) as p from ${parquet(dir, 'psn_acct_ledger')} where move_type = 'pay' group by 1) l using (setl_id) where coalesce(l.p, 0) <> coalesce(s.acct_pay, 0)`,
    );
    expect(Number(acct!.bad)).toBe(0);
  });

  it('gives every inpatient stay a settlement list, and every drug line a unique trace code', async () => {
    const [ipt] = await q<{ n: string; lists: string }>(
      `select count(*) as n, count(l.setl_id) as lists from ${parquet(dir, 'setl')} s left join ${parquet(dir, 'setl_list')} l using (setl_id) where s.med_type = '21'`,
    );
    expect(Number(ipt!.n)).toBeGreaterThan(100);
    expect(ipt!.lists).toBe(ipt!.n);
    const [trace] = await q<{ drugs: string; codes: string; distinct_codes: string }>(
      `select count(*) filter (where substr(hilist_code, 1, 1) in ('X', 'Z')) as drugs, count(drug_trac_codg) as codes, count(distinct drug_trac_codg) as distinct_codes from ${parquet(dir, 'feedetl')}`,
    );
    expect(trace!.codes).toBe(trace!.drugs);
    expect(trace!.distinct_codes).toBe(trace!.codes);
  });

  // Ranges and why they are plausible: docs/synthetic-data.md.
  it('has a census-like age/sex pyramid and insurance mix', async () => {
    const [p] = await q<{ n: string; men: number; old: number; kids: number; emp: number }>(
      `select count(*) as n, avg(case when gend = '1' then 1 else 0 end) as men, avg(case when brdy < '1966-01-01' then 1 else 0 end) as old,
              avg(case when brdy >= '2011-01-01' then 1 else 0 end) as kids, avg(case when i.insutype = '310' then 1 else 0 end) as emp
       from ${parquet(dir, 'psn')} join ${parquet(dir, 'psn_insu')} i using (psn_no)`,
    );
    expect(Number(p!.n)).toBe(2500);
    expect(p!.men).toBeGreaterThan(0.48);
    expect(p!.men).toBeLessThan(0.545);
    expect(p!.old).toBeGreaterThan(0.15);
    expect(p!.old).toBeLessThan(0.26);
    expect(p!.kids).toBeGreaterThan(0.1);
    expect(p!.kids).toBeLessThan(0.2);
    expect(p!.emp).toBeGreaterThan(0.3);
    expect(p!.emp).toBeLessThan(0.45);
  });

  it('has a right-skewed length of stay and an admission rate of a Chinese prefecture', async () => {
    const [los] = await q<{ med: number; avg: number; p90: number; stays: string }>(
      `select median(act_ipt_days) as med, avg(act_ipt_days) as avg, quantile_cont(act_ipt_days, 0.9) as p90, count(*) as stays from ${parquet(dir, 'setl_list_ver')}`,
    );
    expect(los!.med).toBeGreaterThanOrEqual(5);
    expect(los!.med).toBeLessThanOrEqual(9);
    expect(los!.avg).toBeGreaterThan(los!.med);
    expect(los!.p90).toBeGreaterThan(10);
    const rate = Number(los!.stays) / 2500;
    expect(rate).toBeGreaterThan(0.1);
    expect(rate).toBeLessThan(0.22);
  });

  it('costs more per encounter at higher levels, within realistic ranges', async () => {
    const rows = await q<{ med_type: string; hosp_lv: string; avg: number }>(
      `select s.med_type, f.hosp_lv, avg(s.medfee_sumamt)::double as avg from ${parquet(dir, 'setl')} s join ${parquet(dir, 'fixmedins')} f using (fixmedins_code) group by 1, 2 order by 1, 2`,
    );
    const cost = (mt: string, lv: string) => rows.find((r) => r.med_type === mt && r.hosp_lv === lv)!.avg;
    expect(cost('11', '1')).toBeLessThan(cost('11', '3'));
    expect(cost('21', '1')).toBeLessThan(cost('21', '2'));
    expect(cost('21', '2')).toBeLessThan(cost('21', '3'));
    expect(cost('11', '1')).toBeGreaterThan(20);
    expect(cost('11', '3')).toBeLessThan(400);
    expect(cost('21', '1')).toBeGreaterThan(1_000);
    expect(cost('21', '3')).toBeLessThan(30_000);
  });

  it('charges mostly 甲类 items, some 乙类 and a little 丙类', async () => {
    const rows = await q<{ chrgitm_lv: string; share: number }>(
      `select chrgitm_lv, sum(det_item_fee_sumamt)::double / (select sum(det_item_fee_sumamt) from ${parquet(dir, 'feedetl')})::double as share from ${parquet(dir, 'feedetl')} group by 1`,
    );
    const share = (lv: string) => rows.find((r) => r.chrgitm_lv === lv)?.share ?? 0;
    expect(share('01')).toBeGreaterThan(0.5);
    expect(share('01')).toBeLessThan(0.85);
    expect(share('02')).toBeGreaterThan(0.12);
    expect(share('02')).toBeLessThan(0.4);
    expect(share('03')).toBeGreaterThan(0.02);
    expect(share('03')).toBeLessThan(0.18);
  });

  it('gives women the deliveries and men the prostate, and the old the cataracts', async () => {
    const rows = await q<{ diag: string; gend: string; age: number }>(
      `select main_diag_code as diag, gend, age::double as age from ${parquet(dir, 'setl_list_ver')} where main_diag_code in ('O80.000', 'O82.000', 'N40.x00', 'H25.900')`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      if (r.diag.startsWith('O8')) expect(r.gend).toBe('2');
      if (r.diag === 'N40.x00') expect(r.gend).toBe('1');
      if (r.diag === 'H25.900') expect(r.age).toBeGreaterThanOrEqual(55);
    }
  });
});
