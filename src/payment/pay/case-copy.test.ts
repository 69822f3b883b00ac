/**
 * pay_case by COPY (PostgreSQL) against the INSERT path: the same year run written both ways gives the same rows, and
 * rows with awkward text (tab, newline, backslash, nulls, Chinese) survive the COPY text format. On PGlite (no
 * DATABASE_URL) a run asked to COPY falls back to the INSERTs and still writes every row.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, openTestDb, type Db } from '../../platform/db.js';
import type { JobHandle } from '../../platform/jobs.js';
import { migrate } from '../../platform/migrations.js';
import type { Actor } from '../../platform/oplog.js';
import { copyCaseRows, copyField, withCopyTransaction, type PgCopyTarget } from './case-copy.js';
import { insertCaseRows, type CaseRow } from './case-rows.js';
import { saveParams } from './params.js';
import { payYear } from './run.js';

const url = process.env.DATABASE_URL;
const actor: Actor = { id: 'jb1', name: '测试经办', admdvs: ['990100'] };
const dir = mkdtempSync(join(tmpdir(), 'yibao-pay-copy-'));
const file = join(dir, 'cases.jsonl');
let db: Db;
let target: PgCopyTarget | undefined;

const job: JobHandle = { job_id: 'test', progress: () => Promise.resolve(), finish: () => Promise.resolve(), fail: () => Promise.resolve() };

/** A small year with history: several groups, outliers, an ungroupable case, three hospitals. */
function caseLines(): string[] {
  const kinds = [
    { gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'], procedures: [] },
    { gend: '2', age: 35, diagnoses: ['O82.000'], procedures: ['74.1x01'] },
    { gend: '1', age: 50, diagnoses: ['W19.x00'] },
    { gend: '1', age: 70, diagnoses: ['I63.900', 'I10.x00'], procedures: [] },
  ];
  const out: string[] = [];
  for (let i = 0; i < 120; i++) {
    const k = kinds[i % kinds.length]!;
    const year = Math.floor(i / 4) % 2 ? 2026 : 2025;
    const cost = 2000 + ((i * 7919) % 40) * 500 + (i % 17 === 0 ? 60000 : 0);
    out.push(JSON.stringify({ id: `C${i}`, fixmedins_code: `H9901000000${(i % 3) + 1}`, hosp_lv: String((i % 3) + 1), dscg_date: `${year}-${String((i % 12) + 1).padStart(2, '0')}-10`, medfee_sumamt: `${cost}.00`, psn_part_amt: `${Math.round(cost / 5)}.00`, ipt_days: 3 + (i % 40), dscg_way: '1', ...k }));
  }
  return out;
}

beforeAll(async () => {
  if (url) {
    // a schema of our own, so that the COPY connection can be pointed at it
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    db = await openDb({ databaseUrl: url, dataDir: '' }, schema);
    target = { url, schema };
  } else db = await openTestDb();
  await migrate(db);
  writeFileSync(file, `${caseLines().join('\n')}\n`);
  for (const pay_type of ['drg', 'dip'] as const) {
    await saveParams(db, actor, { admdvs: '990100', pay_type, setl_year: 2026 }, { begndate: '2026-01-01', budget: '500000.00', base_rate: '10000.00', params: { year_weights: { '2025': 1 }, trim: { method: 'none' } } });
  }
}, 300_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.close();
  if (url && target?.schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop schema ${target.schema} cascade`);
    await admin.end();
  }
});

const rowsOf = async (run_id: string) =>
  (await db.k.selectFrom('pay_case').selectAll().where('run_id', '=', run_id).orderBy('case_id').execute()).map(({ run_id: _, ...r }) => r);

describe('COPY field text', () => {
  it('escapes backslash, tab, newline and carriage return; null is \\N', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyField('正常病例')).toBe('正常病例');
    expect(copyField(12)).toBe('12');
  });
});

describe('a year run written by COPY and by INSERT', () => {
  for (const pay_type of ['drg', 'dip'] as const) {
    it(`${pay_type}: the same pay_case rows, statements and point value`, async () => {
      const a = await payYear(db, actor, { pay_type, year: 2026, admdvs: '990100', cases: file }, job);
      const b = await payYear(db, actor, { pay_type, year: 2026, admdvs: '990100', cases: file }, job, { copy: target ?? { url: 'postgres://unused' } });
      const ra = await rowsOf(a.run_id);
      expect(ra).toHaveLength(60);
      expect(new Set(ra.map((r) => r.case_type)).size).toBeGreaterThan(1);
      expect(await rowsOf(b.run_id)).toEqual(ra);
      expect(b.point_value).toBe(a.point_value);
      expect(b.stmts).toEqual(a.stmts);
    });
  }
});

describe('DRG and DIP runs side by side (as the payment benchmark runs them)', () => {
  it('write the same rows as the same runs one after the other', async () => {
    const o = (pay_type: 'drg' | 'dip') => ({ pay_type, year: 2026, admdvs: '990100', cases: file });
    const w = target ? { copy: target } : {};
    const drg = await payYear(db, actor, o('drg'), job, w);
    const dip = await payYear(db, actor, o('dip'), job, w);
    const [drg2, dip2] = await Promise.all([payYear(db, actor, o('drg'), job, w), payYear(db, actor, o('dip'), job, w)]);
    expect(new Set([drg.run_id, dip.run_id, drg2.run_id, dip2.run_id]).size).toBe(4);
    expect(await rowsOf(drg2.run_id)).toEqual(await rowsOf(drg.run_id));
    expect(await rowsOf(dip2.run_id)).toEqual(await rowsOf(dip.run_id));
    expect([drg2.point_value, dip2.point_value]).toEqual([drg.point_value, dip.point_value]);
    expect(drg2.stmts).toEqual(drg.stmts);
    expect(dip2.stmts).toEqual(dip.stmts);
    expect((await rowsOf(dip.run_id)).some((r) => r.grp_stas === 'core' || r.grp_stas === 'comprehensive')).toBe(true);
  });
});

describe.skipIf(!url)('copyCaseRows on PostgreSQL', () => {
  it('awkward text arrives unchanged, the same as inserted', async () => {
    const runs = await db.k.selectFrom('pay_run').select('run_id').orderBy('run_id').limit(2).execute();
    expect(runs).toHaveLength(2);
    const row = (k: number): CaseRow => ({
      case_id: `X${k}`,
      fixmedins_code: 'H99010000001',
      setl_month: (k % 12) + 1,
      grp_code: k % 2 ? 'GZ13' : 'ZH-K22-0',
      grp_name: k % 3 ? `名称\t制表\n换行\\反斜杠${k}` : null,
      grp_stas: 'grouped',
      case_type: 'normal',
      base_points: '100.1234',
      coef: '0.9000',
      factor: '1.0000',
      points: '90.1111',
      mean_cost: k % 4 ? '1234.56' : null,
      medfee_sumamt: '1000.00',
      psn_pay: '200.00',
      std_amt: '9000.00',
      reason: `理由 \\N ${k}\r`,
    });
    await withCopyTransaction(target!, (_trx, client) => copyCaseRows(client, runs[0]!.run_id, 7, row));
    await db.k.transaction().execute((trx) => insertCaseRows(trx, runs[1]!.run_id, 7, row));
    const x = (await rowsOf(runs[0]!.run_id)).filter((r) => r.case_id.startsWith('X'));
    expect(x).toHaveLength(7);
    expect(x.find((r) => r.case_id === 'X1')!.grp_name).toBe('名称\t制表\n换行\\反斜杠1');
    expect(x).toEqual((await rowsOf(runs[1]!.run_id)).filter((r) => r.case_id.startsWith('X')));
  });

  it('a failing transaction leaves none of the copied rows', async () => {
    const [run] = await db.k.selectFrom('pay_run').select('run_id').orderBy('run_id').limit(1).execute();
    const before = (await rowsOf(run!.run_id)).length;
    await expect(
      withCopyTransaction(target!, async (_trx, client) => {
        await copyCaseRows(client, run!.run_id, 3, (k) => ({ case_id: `Y${k}`, fixmedins_code: 'H1', setl_month: 1, grp_code: 'G', grp_name: null, grp_stas: 'grouped', case_type: 'normal', base_points: '1', coef: '1', factor: '1', points: '1', mean_cost: null, medfee_sumamt: '1', psn_pay: '0', std_amt: '1', reason: 'r' }));
        throw new Error('中途失败');
      }),
    ).rejects.toThrow('中途失败');
    expect(await rowsOf(run!.run_id)).toHaveLength(before);
  });
});
