import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegion, type GenerateManifest } from '../run.js';
import { LOOKALIKE_TYPES, VIOLATION_TYPES } from './index.js';

let parent: string;
let out: string;
let clean: GenerateManifest;
let manifest: GenerateManifest;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
const q = async <T = Record<string, unknown>>(text: string): Promise<T[]> => (await (await conn.run(text)).getRowObjectsJson()) as T[];
const t = (table: string) => `read_parquet('${out}/${table}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)`;
const truth = () => `read_parquet('${out}/ground_truth/gen_violation/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)`;
const truthOf = (type: string) => q<{ mdtrt_id: string; setl_id: string; feedetl_sns: string | null; amt: string; psn_no: string }>(`select * from ${truth()} where vio_type = '${type}'`);
const line = (mdtrt_id: string, sn: string) => q<Record<string, string>>(`select * from ${t('feedetl')} where mdtrt_id = '${mdtrt_id}' and feedetl_sn = '${sn}'`);

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'yibao-vio-'));
  out = join(parent, 'out');
  manifest = await generateRegion({ seed: 21, persons: 4000, months: 12, violations: 0.1 }, { out });
  clean = await generateRegion({ seed: 21, persons: 300, months: 2 }, { out: join(parent, 'clean') });
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`set TimeZone = 'Asia/Shanghai'`);
}, 300_000);

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
  rmSync(parent, { recursive: true, force: true });
});

describe('injected violations', () => {
  it('are written only to the ground truth, apart from the tables auditors read', () => {
    expect(manifest.tables.gen_violation.rows).toBeGreaterThan(500);
    expect(clean.tables.gen_violation.rows).toBe(0);
    expect(existsSync(join(out, 'gen_violation'))).toBe(false);
    expect(existsSync(join(out, 'ground_truth', 'gen_violation'))).toBe(true);
  });

  it('cover every type, each at least a few times', async () => {
    const rows = await q<{ vio_type: string; n: string }>(`select vio_type, count(*) as n from ${truth()} group by 1`);
    const counts = new Map(rows.map((r) => [r.vio_type, Number(r.n)]));
    for (const v of [...VIOLATION_TYPES, ...LOOKALIKE_TYPES]) expect(counts.get(v.code) ?? 0, v.code).toBeGreaterThan(0);
  });

  it('label look-alike cases as legitimate, and they are: a child drug within the age limit is paid, a repeat lab is on another day', async () => {
    const labels = await q<{ vio_type: string; legit_flag: string }>(`select distinct vio_type, legit_flag from ${truth()}`);
    for (const l of labels) expect(l.legit_flag, l.vio_type).toBe(l.vio_type.startsWith('lookalike_') ? '1' : '0');
    for (const v of (await truthOf('lookalike_child_drug')).slice(0, 5)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      expect(Number(l!.fulamt_ownpay_amt)).toBe(0);
    }
    for (const v of (await truthOf('lookalike_diag_drug')).slice(0, 5)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      expect(Number(l!.fulamt_ownpay_amt)).toBe(0);
    }
    for (const v of (await truthOf('lookalike_lab_repeat')).slice(0, 5)) {
      const [r] = await q<{ days: string }>(
        `select count(distinct f.fee_ocur_time::date) as days from ${t('feedetl')} f join ${t('feedetl')} x on x.mdtrt_id = f.mdtrt_id and x.hilist_code = f.hilist_code where x.mdtrt_id = '${v.mdtrt_id}' and x.feedetl_sn = '${v.feedetl_sns}'`,
      );
      expect(Number(r!.days)).toBeGreaterThan(1);
    }
  });

  // a whole-encounter violation may have cost insurance nothing (deductible not reached, no account money)
  it('point at settled encounters, with the amount at issue (positive for line-level types)', async () => {
    const [bad] = await q<{ n: string }>(
      `select count(*) as n from ${truth()} v left join ${t('setl')} s using (setl_id)
       where s.mdtrt_id is distinct from v.mdtrt_id or v.amt < 0 or (v.amt = 0 and v.legit_flag = '0' and v.vio_type not in ('doctor_qual', 'dead_psn'))
          or (v.vio_type in ('doctor_qual', 'dead_psn') and v.amt <> s.fund_pay_sumamt + s.acct_pay + s.acct_mulaid_pay)`,
    );
    expect(Number(bad!.n)).toBe(0);
  });

  it('are visible in the data alone: sex and age restrictions make the line 全自费', async () => {
    for (const type of ['gend_lmt', 'age_lmt', 'diag_lmt', 'scene_lmt']) {
      for (const v of (await truthOf(type)).slice(0, 5)) {
        const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
        expect(l!.fulamt_ownpay_amt).toBe(l!.det_item_fee_sumamt);
      }
    }
  });

  it('are visible in the data alone: 超标准收费 shows as 超限价, 超频次 as a count of 2', async () => {
    for (const v of (await truthOf('over_price')).slice(0, 5)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      expect(Number(l!.overlmt_amt)).toBe(Number(v.amt));
      expect(Number(v.amt)).toBeGreaterThan(0);
    }
    for (const v of (await truthOf('over_freq')).slice(0, 5)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      expect(Number(l!.cnt)).toBe(2);
    }
  });

  it('are visible in the data alone: a repeated charge, an extra bed day, a reused trace code, a dead patient', async () => {
    for (const v of (await truthOf('dup_charge')).slice(0, 5)) {
      const [a, b] = v.feedetl_sns!.split(',');
      const [la] = await line(v.mdtrt_id, a!);
      const [lb] = await line(v.mdtrt_id, b!);
      expect(lb!.hilist_code).toBe(la!.hilist_code);
      expect(lb!.fee_ocur_time).toBe(la!.fee_ocur_time);
    }
    for (const v of (await truthOf('bed_days')).slice(0, 5)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      const [m] = await q<{ same: boolean }>(
        `select m.endtime::date = f.fee_ocur_time::date as same from ${t('mdtrt')} m join ${t('feedetl')} f using (mdtrt_id) where mdtrt_id = '${v.mdtrt_id}' and f.feedetl_sn = '${l!.feedetl_sn}'`,
      );
      expect(m!.same).toBe(true);
    }
    for (const v of (await truthOf('trace_dup')).slice(0, 5)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      const [n] = await q<{ n: string }>(`select count(*) as n from ${t('feedetl')} where drug_trac_codg = '${l!.drug_trac_codg}'`);
      expect(Number(n!.n)).toBeGreaterThan(1);
    }
    for (const v of (await truthOf('dead_psn')).slice(0, 5)) {
      const [r] = await q<{ after: boolean }>(`select s.setl_time::date > p.death_date as after from ${t('setl')} s join ${t('psn')} p using (psn_no) where s.setl_id = '${v.setl_id}'`);
      expect(r!.after).toBe(true);
    }
  });

  it('are visible in the data alone: 超量开药 as a multiple of the usual quantity, 收费跨期 as a fee before admission', async () => {
    for (const v of (await truthOf('over_qty')).slice(0, 5)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      const total = Number(l!.det_item_fee_sumamt);
      // 5–8 times the usual quantity: the excess is 4/5 to 7/8 of the line
      expect(Number(v.amt)).toBeGreaterThanOrEqual((total * 4) / 5 - 0.01);
      expect(Number(v.amt)).toBeLessThanOrEqual((total * 7) / 8 + 0.01);
      expect(Number(l!.cnt)).toBeGreaterThanOrEqual(5);
    }
    const outside = await truthOf('fee_outside');
    for (const v of outside.slice(0, 5)) {
      const [r] = await q<{ before: boolean; amt: string }>(
        `select f.fee_ocur_time::date < m.begntime::date as before, f.det_item_fee_sumamt as amt from ${t('feedetl')} f join ${t('mdtrt')} m using (mdtrt_id) where mdtrt_id = '${v.mdtrt_id}' and f.feedetl_sn = '${v.feedetl_sns}'`,
      );
      expect(r!.before).toBe(true);
      expect(Number(r!.amt)).toBe(Number(v.amt));
    }
    // the auditor tables alone find every injected 收费跨期 line, and nothing else
    const [c] = await q<{ n: string }>(`select count(*) as n from ${t('feedetl')} f join ${t('mdtrt')} m using (mdtrt_id) where f.fee_ocur_time::date < m.begntime::date`);
    expect(Number(c!.n)).toBe(outside.length);
    for (const v of (await truthOf('lookalike_discharge_drug')).slice(0, 5)) {
      const [r] = await q<{ inside: boolean }>(
        `select f.fee_ocur_time between m.begntime and m.endtime and f.fee_ocur_time::date = m.endtime::date as inside from ${t('feedetl')} f join ${t('mdtrt')} m using (mdtrt_id) where mdtrt_id = '${v.mdtrt_id}' and f.feedetl_sn = '${v.feedetl_sns}'`,
      );
      expect(r!.inside).toBe(true);
    }
    for (const v of (await truthOf('lookalike_mts_qty')).slice(0, 5)) {
      const [m] = await q<{ med_type: string }>(`select med_type from ${t('mdtrt')} where mdtrt_id = '${v.mdtrt_id}'`);
      expect(m!.med_type).not.toBe('11');
      expect(Number(v.amt)).toBe(0);
    }
  });

  it('are deterministic: the same seed and rate give the same data and answer key', async () => {
    const opts = { seed: 5, persons: 400, months: 3, violations: 0.3 };
    const a = await generateRegion(opts, { out: join(parent, 'det-a') });
    const b = await generateRegion(opts, { out: join(parent, 'det-b') });
    expect(a.tables.gen_violation.rows).toBeGreaterThan(0);
    expect(b.checksum).toBe(a.checksum);
    expect(b.tables).toEqual(a.tables);
  }, 300_000);

  it('leave a region without --violations free of them', async () => {
    const [r] = await q<{ n: string }>(
      `select count(*) as n from read_parquet('${join(parent, 'clean')}/setl/**/*.parquet', hive_partitioning = true) s join read_parquet('${join(parent, 'clean')}/psn/**/*.parquet', hive_partitioning = true) p using (psn_no) where s.setl_time::date >= p.death_date`,
    );
    expect(Number(r!.n)).toBe(0);
    const [o] = await q<{ n: string }>(`select count(*) as n from read_parquet('${join(parent, 'clean')}/feedetl/**/*.parquet', hive_partitioning = true) where overlmt_amt > 0`);
    expect(Number(o!.n)).toBe(0);
  });
});
