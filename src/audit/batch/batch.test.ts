/**
 * The 事后 batch audit end to end on the real database: small histories written straight into the settlement
 * tables (with look-alike legitimate cases beside every violation), a snapshot to Parquet, the batch run over it,
 * and the suspects in audit_suspect compared exactly. A rerun adds nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { getJob } from '../../platform/jobs.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { bulkLoadCatalogue } from '../../standards/catalogue/load.js';
import { installDefaultRules } from '../rules/store.js';
import { C, CATALOGUE } from '../testing.js';
import { duckRows, lit, openDuck } from '../snapshot/duck.js';
import { readManifest, snapshotJob, type SnapshotManifest } from '../snapshot/snapshot.js';
import { auditCommand } from '../../cli/commands/audit.js';
import { snapshotCommand } from '../../cli/commands/snapshot.js';
import { LINE_RULES } from './line-rules-sql.js';
import { BATCH_RULES } from './rules-sql.js';
import { H1, H2, H3, historyWriter, P1, P2, type HistoryWriter } from './history.fixture.js';
import { batchJob, type BatchResult } from './run.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-batch-'));
const snap = join(dir, 'snap');
const METF = C.METF;
const BED = C.BED;
const SQL_RULES = [...BATCH_RULES.keys()];
let manifest: SnapshotManifest & { job_id: string };
let first: BatchResult;

let hist: HistoryWriter;
const psn = (death_date: string | null = null, gend = '1') => hist.psn(death_date, gend);
/** An encounter (ipt 2 = stay from `beg` to `end`) with one main diagnosis. */
const enc = (psn_no: string, inst: string, ipt: '1' | '2', beg: string, end: string | null, diag = 'K29.700', med_type?: string) =>
  hist.enc(psn_no, inst, ipt, beg, end, med_type ? { diag, med_type } : { diag });
const fee = (mdtrt_id: string, psn_no: string, code: string, at: string, cnt: string, amt: string, o: { trac?: string; refunds?: string } = {}) =>
  hist.fee(mdtrt_id, psn_no, code, at, cnt, amt, o);
const setl = (mdtrt_id: string, psn_no: string, inst: string, at: string, amt: string) => hist.setl(mdtrt_id, psn_no, inst, at, amt);

/** The cases: each rule's violation and its look-alike legitimate neighbour. Returns the expected suspects. */
const expected: { rule_id: string; mdtrt_id: string; sev_deg: string; vola_amt: string }[] = [];
async function buildHistory(): Promise<void> {
  const kb = await sql<{ kb_ver: number }>`insert into audit_kb_load (kb_kind, read_cnt, inserted_cnt, closed_cnt, unchanged_cnt, opter_id, opter_name)
                                            values ('cycle', 2, 2, 0, 0, 'test', '测试') returning kb_ver`.execute(db.k);
  const v = kb.rows[0]!.kb_ver;
  await sql`insert into audit_kb_cycle (cycle_type, code_type, code, kb_ver, begndate) values ('1', '1', 'Z51.1', ${v}, '2024-01-01')`.execute(db.k);
  await sql`insert into audit_kb_drug (hilist_code, ingr_code, std_daily_qty, max_daily_qty, kb_ver, begndate) values (${METF}, 'METF', 3, 6, ${v}, '2024-01-01')`.execute(db.k);
  await hist.institutions();

  // 分解住院: readmission 5 days after discharge, same category, same hospital → 高度可疑
  const a = await psn();
  const a1 = await enc(a, H1, '2', '2025-03-01 09:00:00', '2025-03-10 10:00:00', 'K80.101');
  await fee(a1, a, BED, '2025-03-02 08:00:00', '1', '40.00');
  const a2 = await enc(a, H1, '2', '2025-03-15 09:00:00', '2025-03-25 10:00:00', 'K80.201');
  await fee(a2, a, BED, '2025-03-16 08:00:00', '1', '40.00');
  expected.push({ rule_id: 'MGT-ADM-01', mdtrt_id: a2, sev_deg: '2', vola_amt: '0.00' });
  // … a planned chemotherapy cycle (Z51.1) readmitted after 7 days is not
  const b = await psn();
  await enc(b, H1, '2', '2025-03-01 09:00:00', '2025-03-05 10:00:00', 'Z51.100');
  await enc(b, H1, '2', '2025-03-12 09:00:00', '2025-03-16 10:00:00', 'Z51.100');
  // … nor a readmission after 20 days
  const c = await psn();
  await enc(c, H1, '2', '2025-03-01 09:00:00', '2025-03-05 10:00:00', 'K80.101');
  await enc(c, H1, '2', '2025-03-25 09:00:00', '2025-03-30 10:00:00', 'K80.101');

  // 同时住院: overlapping stays at two hospitals; a same-day transfer is not
  const d = await psn();
  await enc(d, H1, '2', '2025-04-01 09:00:00', '2025-04-10 10:00:00', 'I21.000');
  const d2 = await enc(d, H2, '2', '2025-04-05 09:00:00', '2025-04-08 10:00:00', 'J18.900');
  await fee(d2, d, BED, '2025-04-06 08:00:00', '2', '80.00');
  expected.push({ rule_id: 'MGT-ADM-03', mdtrt_id: d2, sev_deg: '1', vola_amt: '80.00' });
  const e = await psn();
  await enc(e, H1, '2', '2025-04-01 09:00:00', '2025-04-05 10:00:00', 'I21.000');
  await enc(e, H2, '2', '2025-04-05 14:00:00', '2025-04-20 10:00:00', 'I25.100'); // (another category: not 分解住院 either)

  // 冒名就医: a visit after death (fee lines after death) — but not one before it
  const f = await psn('2025-05-01');
  await enc(f, H1, '1', '2025-04-20 09:00:00', null, 'I10.x00');
  const f2 = await enc(f, H1, '1', '2025-05-10 09:00:00', null, 'I10.x00');
  await fee(f2, f, METF, '2025-05-10 09:10:00', '21', '63.00');
  expected.push({ rule_id: 'MGT-ID-01', mdtrt_id: f2, sev_deg: '1', vola_amt: '63.00' });
  // … impossible travel: two cities 90 minutes apart; same city or 10 hours apart is not
  const g = await psn();
  await enc(g, H1, '1', '2025-05-02 09:00:00', null);
  const g2 = await enc(g, H3, '1', '2025-05-02 10:30:00', null);
  expected.push({ rule_id: 'MGT-ID-01', mdtrt_id: g2, sev_deg: '2', vola_amt: '0.00' });
  const h = await psn();
  await enc(h, H1, '1', '2025-05-02 09:00:00', null);
  await enc(h, H2, '1', '2025-05-02 10:30:00', null);
  const i = await psn();
  await enc(i, H1, '1', '2025-05-02 08:00:00', null);
  await enc(i, H3, '1', '2025-05-02 18:00:00', null);

  // 追溯码重复: a box settled at P1 and again at P2 (another person); 拆零 at one pharmacy and a refunded box are not
  const j = await psn();
  const k = await psn();
  const j1 = await enc(j, P1, '1', '2025-05-03 10:00:00', null);
  await fee(j1, j, METF, '2025-05-03 10:00:00', '1', '30.00', { trac: 'TRC0000000001' });
  const k1 = await enc(k, P2, '1', '2025-05-05 10:00:00', null);
  await fee(k1, k, METF, '2025-05-05 10:00:00', '1', '30.00', { trac: 'TRC0000000001' });
  expected.push({ rule_id: 'MGT-TRC-01', mdtrt_id: k1, sev_deg: '2', vola_amt: '30.00' });
  const j2 = await enc(j, P1, '1', '2025-05-06 10:00:00', null);
  await fee(j2, j, METF, '2025-05-06 10:00:00', '0.5', '15.00', { trac: 'TRC0000000002' });
  const j3 = await enc(j, P1, '1', '2025-05-07 10:00:00', null);
  await fee(j3, j, METF, '2025-05-07 10:00:00', '0.5', '15.00', { trac: 'TRC0000000002' });
  const j4 = await enc(j, P1, '1', '2025-05-08 10:00:00', null);
  const sold = await fee(j4, j, METF, '2025-05-08 10:00:00', '1', '30.00', { trac: 'TRC0000000003' });
  await fee(j4, j, METF, '2025-05-08 11:00:00', '-1', '-30.00', { trac: 'TRC0000000003', refunds: sold });
  const k2 = await enc(k, P2, '1', '2025-05-09 10:00:00', null);
  await fee(k2, k, METF, '2025-05-09 10:00:00', '1', '30.00', { trac: 'TRC0000000003' });

  // 低标准入院: an upper-respiratory infection admitted for 2 days at 800 元; the same diagnosis for 6 days is not
  const l = await psn();
  const l1 = await enc(l, H2, '2', '2025-06-01 09:00:00', '2025-06-03 09:00:00', 'J06.900');
  await fee(l1, l, BED, '2025-06-01 10:00:00', '2', '800.00');
  expected.push({ rule_id: 'MGT-ADM-04', mdtrt_id: l1, sev_deg: '3', vola_amt: '800.00' });
  const m = await psn();
  const m1 = await enc(m, H2, '2', '2025-06-01 09:00:00', '2025-06-07 09:00:00', 'J06.900');
  await fee(m1, m, BED, '2025-06-01 10:00:00', '6', '800.00');

  // 收费跨期: a fee 200 days before its settlement; 30 days is not
  const n = await psn();
  const n1 = await enc(n, H1, '1', '2024-11-01 09:00:00', null, 'M54.500');
  const late = await fee(n1, n, BED, '2024-11-01 09:30:00', '1', '12.00');
  await fee(n1, n, BED, '2025-05-10 09:30:00', '1', '13.00');
  await setl(n1, n, H1, '2025-05-20 10:00:00', '25.00');
  void late;
  expected.push({ rule_id: 'MGT-LAG-01', mdtrt_id: n1, sev_deg: '3', vola_amt: '12.00' });
  const o = await psn();
  const o1 = await enc(o, H1, '1', '2025-04-20 09:00:00', null, 'M54.500');
  await fee(o1, o, BED, '2025-04-20 09:30:00', '1', '12.00');
  await setl(o1, o, H1, '2025-05-20 10:00:00', '12.00');

  // 门急诊频次异常: four visits in a day; three are not
  const p = await psn();
  let last = '';
  for (const [inst, t] of [[H1, '08:00'], [H2, '10:00'], [H1, '13:00'], [H2, '15:00']] as const) last = await enc(p, inst, '1', `2025-07-01 ${t}:00`, null);
  expected.push({ rule_id: 'MED-VIS-01', mdtrt_id: last, sev_deg: '3', vola_amt: '0.00' });
  const q = await psn();
  for (const [inst, t] of [[H1, '08:00'], [H2, '10:00'], [H1, '13:00']] as const) await enc(q, inst, '1', `2025-07-01 ${t}:00`, null);

  // 重复开药: 30 days of metformin, again after 9 days (21 days overlap); again after 28 days (overlap 2 ≤ 3) is not
  const r = await psn();
  const r1 = await enc(r, H1, '1', '2025-08-01 09:00:00', null, 'E11.900');
  await fee(r1, r, METF, '2025-08-01 09:10:00', '90', '90.00');
  const r2 = await enc(r, H2, '1', '2025-08-10 09:00:00', null, 'E11.900');
  await fee(r2, r, METF, '2025-08-10 09:10:00', '90', '90.00');
  expected.push({ rule_id: 'MED-QTY-02', mdtrt_id: r2, sev_deg: '3', vola_amt: '63.00' }); // 90.00 × 21/30
  const s = await psn();
  const s1 = await enc(s, H1, '1', '2025-08-01 09:00:00', null, 'E11.900');
  await fee(s1, s, METF, '2025-08-01 09:10:00', '90', '90.00');
  const s2 = await enc(s, H1, '1', '2025-08-29 09:00:00', null, 'E11.900');
  await fee(s2, s, METF, '2025-08-29 09:10:00', '90', '90.00');

  // line rules through the real-time engine (September): 限男 drug for a woman; the same for a man is fine
  const w = await psn(null, '2');
  const w1 = await enc(w, H1, '1', '2025-09-01 09:00:00', null, 'N40.x00');
  await fee(w1, w, C.TAMS, '2025-09-01 09:10:00', '1', '20.00');
  engineExpected.push({ rule_id: 'POL-GEN-01', mdtrt_id: w1, sev_deg: '1', vola_amt: '20.00' });
  const man = await psn(null, '1');
  const man1 = await enc(man, H1, '1', '2025-09-01 09:00:00', null, 'N40.x00');
  await fee(man1, man, C.TAMS, '2025-09-01 09:10:00', '1', '20.00');
  // 超频次 over a 7-day window (knowledge: 血常规 at most 2 per 7 days), counted across encounters from the history:
  // three tests in five days offend with the third; three spread over nine days do not
  await sql`insert into audit_kb_freq (hilist_code, period, period_days, max_cnt, kb_ver, begndate) values (${C.CBC}, 'N', 7, 2, ${v}, '2024-01-01')`.execute(db.k);
  const fq = await psn();
  let fq3 = '';
  for (const day of ['10', '12', '14']) {
    fq3 = await enc(fq, H1, '1', `2025-09-${day} 09:00:00`, null, 'D64.900');
    await fee(fq3, fq, C.CBC, `2025-09-${day} 09:10:00`, '1', '8.00');
  }
  engineExpected.push({ rule_id: 'MGT-FRQ-01', mdtrt_id: fq3, sev_deg: '1', vola_amt: '8.00' });
  const fr = await psn();
  for (const day of ['01', '05', '09']) {
    const x = await enc(fr, H1, '1', `2025-09-${day} 09:00:00`, null, 'D64.900');
    await fee(x, fr, C.CBC, `2025-09-${day} 09:10:00`, '1', '8.00');
  }
}
const engineExpected: typeof expected = [];

async function suspects() {
  return (
    await sql<{ rule_id: string; mdtrt_id: string; sev_deg: string; vola_amt: string; stage: string; run_id: string; evidence: unknown; vola_cont: string }>`
      select rule_id, mdtrt_id, sev_deg, vola_amt::text as vola_amt, stage, run_id, evidence, vola_cont from audit_suspect order by rule_id, mdtrt_id`.execute(db.k)
  ).rows;
}

beforeAll(async () => {
  db = await openTestDb();
  hist = historyWriter(db);
  await migrate(db);
  await installDefaultRules(db);
  await bulkLoadCatalogue(db, CATALOGUE, SYSTEM_ACTOR);
  await buildHistory();
  manifest = await snapshotJob(db, SYSTEM_ACTOR, { out: snap, from: '2024-01-01', to: '2025-12-31', pageSize: 2 });
  first = await batchJob(db, SYSTEM_ACTOR, { from: '2024-10-01', to: '2025-08-31', snapshot: snap, rules: SQL_RULES });
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('snapshot', () => {
  test('exports every table with its row count, encounter tables partitioned by month and area', async () => {
    const m = readManifest(snap);
    expect(m.tables.mdtrt!.rows).toBe(hist.counts.enc);
    expect(m.tables.feedetl!.rows).toBe(hist.counts.fee);
    expect(m.tables.setl!.rows).toBe(2);
    expect(m.tables.psn!.rows).toBe(hist.counts.psn);
    expect(m.tables.audit_kb_cycle!.rows).toBe(1);
    expect(m.tables.mdtrt!.files).toContain(join('mdtrt', 'month=2025-03', 'admdvs=990102', 'data_0.parquet'));
    expect(m.tables.mdtrt!.files.some((x) => x.includes('admdvs=990202'))).toBe(true);
    const { job_id, ...written } = manifest;
    expect(job_id).toMatch(/^\d{15}/);
    expect(JSON.parse(readFileSync(join(snap, 'manifest.json'), 'utf8'))).toEqual(written);
  });

  test('a window keeps whole encounters registered in it', async () => {
    const out = join(dir, 'march');
    const m = await snapshotJob(db, SYSTEM_ACTOR, { out, from: '2025-03-01', to: '2025-03-31' });
    expect(m.tables.mdtrt!.rows).toBe(6);
    expect(m.tables.feedetl!.rows).toBe(2);
    expect(m.tables.setl!.rows).toBe(0);
    expect(m.tables.setl!.files).toEqual([]);
    const job = await getJob(db, m.job_id);
    expect(job.status).toBe('done');
    expect(job.done).toBe(job.total);
  });

  test.skipIf(!process.env.DATABASE_URL)('on PostgreSQL a COPY snapshot holds exactly the rows of the paged one', async () => {
    const out = join(dir, 'copy');
    const schema = db.location.split(' schema ')[1];
    const m = await snapshotJob(db, SYSTEM_ACTOR, { out, from: '2024-01-01', to: '2025-12-31', pgCopy: { url: process.env.DATABASE_URL!, ...(schema ? { schema } : {}) } });
    const paged = readManifest(snap);
    const duck = await openDuck();
    try {
      for (const [name, t] of Object.entries(paged.tables)) {
        expect(m.tables[name]!.rows, name).toBe(t.rows);
        if (!t.rows) continue;
        const read = (root: string) => `read_parquet(${lit(join(root, name, t.partitioned ? '**/*.parquet' : '*.parquet'))}, hive_partitioning = false)`;
        const [r] = await duckRows<{ n: string }>(duck.conn, `select count(*)::VARCHAR as n from ((select * from ${read(snap)} except all select * from ${read(out)})
                                                               union all (select * from ${read(out)} except all select * from ${read(snap)}))`);
        expect(r!.n, name).toBe('0');
      }
    } finally {
      duck.close();
    }
  });

  test('refuses a directory that holds other files, and bad dates', async () => {
    await expect(snapshotJob(db, SYSTEM_ACTOR, { out: join(process.cwd(), 'src'), from: null, to: null })).rejects.toThrow(/不为空/);
    await expect(snapshotJob(db, SYSTEM_ACTOR, { out: join(dir, 'x'), from: '2025-02-30', to: null })).rejects.toThrow(/快照参数有误/);
  });
});

describe('batch', () => {
  test('finds exactly the violations, none of the look-alike legitimate cases', async () => {
    const got = (await suspects()).map(({ rule_id, mdtrt_id, sev_deg, vola_amt }) => ({ rule_id, mdtrt_id, sev_deg, vola_amt }));
    const key = (x: { rule_id: string; mdtrt_id: string }) => `${x.rule_id}|${x.mdtrt_id}`;
    expect(got.sort((x, y) => key(x).localeCompare(key(y)))).toEqual([...expected].sort((x, y) => key(x).localeCompare(key(y))));
    expect(first.rules.filter((r) => r.error)).toEqual([]);
    expect(first.inserted).toBe(expected.length);
  });

  test('suspects carry stage 3, the run id, Chinese text and the lines involved', async () => {
    const rows = await suspects();
    for (const r of rows) {
      expect(r.stage).toBe('3');
      expect(r.run_id).toBe(first.run_id);
      expect(r.vola_cont).toMatch(/[\u4e00-\u9fa5]/);
    }
    const trc = rows.find((r) => r.rule_id === 'MGT-TRC-01')!;
    const ev = (typeof trc.evidence === 'string' ? JSON.parse(trc.evidence) : trc.evidence) as { lines: { vola_item_type: string; mdtrt_id: string }[]; facts: Record<string, unknown> };
    expect(ev.lines.map((x) => x.vola_item_type)).toEqual(['1', '2']);
    expect(ev.facts.drug_trac_codg).toBe('TRC0000000001');
    const qty = rows.find((r) => r.rule_id === 'MED-QTY-02')!;
    expect(qty.vola_cont).toContain('重叠21天');
    const job = await getJob(db, first.run_id);
    expect(job.kind).toBe('audit-batch');
    expect(job.status).toBe('done');
    expect(job.total).toBe(first.lines * first.rules.length);
    expect(job.done).toBe(job.total);
  });

  test('a rerun adds nothing', async () => {
    const again = await batchJob(db, SYSTEM_ACTOR, { from: '2024-10-01', to: '2025-08-31', snapshot: snap, rules: SQL_RULES });
    expect(again.inserted).toBe(0);
    expect(again.rules.reduce((a, r) => a + r.hits, 0)).toBe(expected.length);
    expect((await suspects()).length).toBe(expected.length);
  });

  test('--rules runs only those; a window outside the encounters finds nothing', async () => {
    const one = await batchJob(db, SYSTEM_ACTOR, { from: '2024-10-01', to: '2025-12-31', snapshot: snap, rules: ['MGT-ADM-03'] });
    expect(one.rules.map((r) => r.rule_id)).toEqual(['MGT-ADM-03']);
    const none = await batchJob(db, SYSTEM_ACTOR, { from: '2023-01-01', to: '2023-12-31', snapshot: snap });
    expect(none.rules.reduce((a, r) => a + r.hits, 0)).toBe(0);
  });

  test('refuses rules it cannot run and bad windows, writing nothing', async () => {
    const before = (await suspects()).length;
    await expect(batchJob(db, SYSTEM_ACTOR, { from: '2025-01-01', to: '2025-12-31', snapshot: snap, rules: ['POL-GEN-01', 'NO-SUCH-01'] })).rejects.toThrow(/不能批量运行/);
    await expect(batchJob(db, SYSTEM_ACTOR, { from: '2025-12-31', to: '2025-01-01', snapshot: snap })).rejects.toThrow(/参数有误/);
    expect((await suspects()).length).toBe(before);
  });

  test('the line rules run as SQL; the rules not expressed in SQL through the real-time engine over each encounter with its history', async () => {
    const r = await batchJob(db, SYSTEM_ACTOR, { from: '2025-09-01', to: '2025-09-30', snapshot: snap });
    expect(r.rules.filter((x) => x.path === 'engine')).toEqual([]);
    expect(r.rules.filter((x) => LINE_RULES.has(x.rule_id)).map((x) => x.path)).toEqual([...LINE_RULES.keys()].map(() => 'sql'));
    expect(r.rules.filter((x) => x.error)).toEqual([]);
    const got = (await suspects()).filter((x) => x.run_id === r.run_id).map(({ rule_id, mdtrt_id, sev_deg, vola_amt }) => ({ rule_id, mdtrt_id, sev_deg, vola_amt }));
    expect(got.sort((x, y) => x.rule_id.localeCompare(y.rule_id))).toEqual([...engineExpected].sort((x, y) => x.rule_id.localeCompare(y.rule_id)));
    const again = await batchJob(db, SYSTEM_ACTOR, { from: '2025-09-01', to: '2025-09-30', snapshot: snap });
    expect(again.inserted).toBe(0);
  });

  test('without --snapshot it snapshots the database itself', async () => {
    const r = await batchJob(db, SYSTEM_ACTOR, { from: '2024-10-01', to: '2025-08-31', rules: ['MGT-TRC-01'] });
    expect(r.rules[0]!.hits).toBe(1);
    expect(r.inserted).toBe(0);
  });
});

describe('commands', () => {
  const io = () => {
    const lines: string[] = [];
    return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
  };
  test('audit batch needs --from and --to; snapshot needs --out; unknown sub-commands are refused', async () => {
    const a = io();
    expect(await auditCommand.run(['batch', '--from', '2025-01-01'], a.io)).toBe(2);
    expect(a.lines.join('\n')).toContain('须指定 --from 和 --to');
    const b = io();
    expect(await auditCommand.run(['nope'], b.io)).toBe(2);
    expect(b.lines.join('\n')).toContain('未知的子命令');
    const c = io();
    expect(await snapshotCommand.run(['--from', '2025-01-01'], c.io)).toBe(2);
    expect(c.lines.join('\n')).toContain('缺少 --out');
    const d = io();
    expect(await snapshotCommand.run(['--out', dir, '--page-size', '0'], d.io)).toBe(2);
  });
});
