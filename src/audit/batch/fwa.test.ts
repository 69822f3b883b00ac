/**
 * The fraud models of fwa-sql.ts end to end: histories with one case per model and look-alikes that must not fire,
 * thresholds set through rule versions (parameters are data), a snapshot, the batch run over it, and the suspects
 * compared exactly, with their Chinese evidence naming the statistic, the peer value and the threshold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { DEFAULT_RULES } from '../rules/catalogue.js';
import { installDefaultRules, saveRule } from '../rules/store.js';
import { C } from '../testing.js';
import { snapshotJob } from '../snapshot/snapshot.js';
import { FWA_RULES } from './fwa-sql.js';
import { H1, H2, H3, historyWriter, P1, P2, type HistoryWriter } from './history.fixture.js';
import { batchJob, type BatchResult } from './run.js';

let db: Db;
let hist: HistoryWriter;
const dir = mkdtempSync(join(tmpdir(), 'yibao-fwa-'));
const snap = join(dir, 'snap');
const FROM = '2025-10-01';
const TO = '2025-12-31';
const FWA = [...FWA_RULES.keys()];
const BED = C.BED;
const METF = C.METF;
let first: BatchResult;

type Expected = { rule_id: string; psn_no: string; mdtrt_id: string | null; fixmedins_code: string; sev_deg: string; vola_amt: string };
const expected: Expected[] = [];

/** A rule version from `begndate` with these parameters (the rest of the catalogue row unchanged). */
async function withParams(rule_id: string, params: Record<string, unknown>, begndate = '2025-01-01'): Promise<void> {
  const row = DEFAULT_RULES.find((r) => r.rule_id === rule_id)!;
  await saveRule(db, SYSTEM_ACTOR, { ...row, params, begndate });
}

const at = (day: number, hhmm: string) => `2025-10-${String(day).padStart(2, '0')} ${hhmm}:00`;

async function peerCases(): Promise<void> {
  // six doctors of department A03 at H1 (二级), five visits each by five persons who never share a day; doctor D6's
  // visits cost ten times the others' → the one 次均费用 outlier among the doctors
  const persons = [];
  for (let i = 0; i < 5; i++) persons.push(await hist.psn());
  const perVisit = ['100.00', '110.00', '120.00', '130.00', '140.00', '1000.00'];
  for (const [d, amt] of perVisit.entries()) {
    for (const [i, p] of persons.entries()) {
      const m = await hist.enc(p, H1, '1', at(1 + i * 6 + d, '08:00'), null, { dept_code: 'A03', atddr_no: `D${d + 1}` });
      await hist.fee(m, p, BED, at(1 + i * 6 + d, '08:10'), '1', amt);
    }
  }
  expected.push({ rule_id: 'FWA-PEER-01', psn_no: '', mdtrt_id: null, fixmedins_code: H1, sev_deg: '3', vola_amt: '0.00' });
}

async function benfordCases(): Promise<void> {
  // H2: 60 visits all costing 9x 元 — first digit 9 every time; H3: 100 visits whose first digits follow Benford
  const a = await hist.psn();
  for (let i = 0; i < 60; i++) {
    const m = await hist.enc(a, H2, '1', `2025-11-${String(1 + (i % 28)).padStart(2, '0')} ${String(8 + Math.floor(i / 28)).padStart(2, '0')}:00:00`, null);
    await hist.fee(m, a, BED, `2025-11-${String(1 + (i % 28)).padStart(2, '0')} 08:00:00`, '1', `${90 + (i % 10)}.00`);
  }
  expected.push({ rule_id: 'FWA-BEN-01', psn_no: '', mdtrt_id: null, fixmedins_code: H2, sev_deg: '3', vola_amt: '0.00' });
  const b = await hist.psn();
  const counts = [30, 18, 12, 10, 8, 7, 6, 5, 4];
  let i = 0;
  for (const [d, n] of counts.entries()) {
    for (let k = 0; k < n; k++, i++) {
      const day = `2025-11-${String(1 + (i % 28)).padStart(2, '0')}`;
      const m = await hist.enc(b, H3, '1', `${day} ${String(8 + Math.floor(i / 28)).padStart(2, '0')}:00:00`, null);
      await hist.fee(m, b, BED, `${day} 08:00:00`, '1', `${d + 1}${k % 10}.00`);
    }
  }
}

async function ringCases(): Promise<void> {
  // three persons registering at H3 within half an hour of each other on three days: a ring; a pair doing the same is
  // not (fewer than 3 members), nor are three persons together on two days only
  const ring = [await hist.psn(), await hist.psn(), await hist.psn()];
  let last = '';
  for (const day of ['2025-12-02', '2025-12-09', '2025-12-16']) {
    for (const [i, p] of ring.entries()) {
      const m = await hist.enc(p, H3, '1', `${day} 09:${String(i * 10).padStart(2, '0')}:00`, null);
      if (i === 0) last = m;
    }
  }
  expected.push({ rule_id: 'FWA-RING-01', psn_no: ring[0]!, mdtrt_id: last, fixmedins_code: H3, sev_deg: '2', vola_amt: '0.00' });
  const pair = [await hist.psn(), await hist.psn()];
  for (const day of ['2025-12-03', '2025-12-10', '2025-12-17']) for (const [i, p] of pair.entries()) await hist.enc(p, H3, '1', `${day} 09:${i}5:00`, null);
  const twice = [await hist.psn(), await hist.psn(), await hist.psn()];
  for (const day of ['2025-12-04', '2025-12-11']) for (const [i, p] of twice.entries()) await hist.enc(p, H3, '1', `${day} 10:${i}5:00`, null);
}

async function traceCases(): Promise<void> {
  // a person buying metformin six times in November at three pharmacies/hospitals; one of the boxes is later sold
  // again to someone else → 高度可疑, the six purchases are the amount. Six purchases at one pharmacy are not.
  const t = await hist.psn();
  const other = await hist.psn();
  let last = '';
  const sites = [P1, P2, H1, P1, P2, H1];
  for (const [i, site] of sites.entries()) {
    const day = `2025-11-${String(3 + i * 4).padStart(2, '0')}`;
    last = await hist.enc(t, site, '1', `${day} 15:00:00`, null);
    await hist.fee(last, t, METF, `${day} 15:05:00`, '1', '30.00', { trac: `TRCF${i}`, med_chrgitm_type: '09' });
  }
  const resale = await hist.enc(other, P2, '1', '2025-12-20 10:00:00', null);
  await hist.fee(resale, other, METF, '2025-12-20 10:05:00', '1', '30.00', { trac: 'TRCF2', med_chrgitm_type: '09' });
  expected.push({ rule_id: 'FWA-TRC-01', psn_no: t, mdtrt_id: last, fixmedins_code: H1, sev_deg: '2', vola_amt: '180.00' });
  const chronic = await hist.psn();
  for (let i = 0; i < 6; i++) {
    const day = `2025-11-${String(3 + i * 4).padStart(2, '0')}`;
    const m = await hist.enc(chronic, P1, '1', `${day} 16:00:00`, null);
    await hist.fee(m, chronic, METF, `${day} 16:05:00`, '1', '30.00', { trac: `TRCC${i}`, med_chrgitm_type: '09' });
  }
}

async function hospCases(): Promise<void> {
  // a stay at H1 during which the person was seen at H3, with a failed face check at admission: 2 + 2 ≥ 3 → hit
  const a = await hist.psn();
  const s1 = await hist.enc(a, H1, '2', '2025-10-10 09:00:00', '2025-10-20 10:00:00', { diag: 'I63.900' });
  await hist.idchk(s1, a, H1, '2025-10-10 09:00:00', '0');
  await hist.fee(s1, a, BED, '2025-10-11 08:00:00', '10', '400.00');
  await hist.enc(a, H3, '1', '2025-10-15 10:00:00', null);
  expected.push({ rule_id: 'FWA-HOSP-01', psn_no: a, mdtrt_id: s1, fixmedins_code: H1, sev_deg: '2', vola_amt: '400.00' });
  // … a visit elsewhere on the discharge day and a passed check: nothing; one visit inside but a passed check: 2 < 3
  const b = await hist.psn();
  const s2 = await hist.enc(b, H1, '2', '2025-10-10 09:00:00', '2025-10-20 10:00:00', { diag: 'J18.900' });
  await hist.idchk(s2, b, H1, '2025-10-10 09:00:00', '1');
  await hist.fee(s2, b, BED, '2025-10-11 08:00:00', '10', '400.00');
  await hist.enc(b, H3, '1', '2025-10-20 15:00:00', null);
  const c = await hist.psn();
  const s3 = await hist.enc(c, H1, '2', '2025-10-10 09:00:00', '2025-10-20 10:00:00', { diag: 'K35.800' });
  await hist.idchk(s3, c, H1, '2025-10-10 09:00:00', '1');
  await hist.fee(s3, c, BED, '2025-10-11 08:00:00', '10', '400.00');
  await hist.enc(c, H3, '1', '2025-10-14 10:00:00', null);
}

async function suspects() {
  return (
    await sql<{ rule_id: string; psn_no: string; mdtrt_id: string | null; fixmedins_code: string; admdvs: string; sev_deg: string; vola_amt: string; vola_cont: string; evidence: unknown; mdtrt_ids: string }>`
      select rule_id, psn_no, mdtrt_id, fixmedins_code, admdvs, sev_deg, vola_amt::text as vola_amt, vola_cont, evidence, mdtrt_ids from audit_suspect order by rule_id, psn_no, mdtrt_id`.execute(db.k)
  ).rows;
}
const evidenceOf = (e: unknown) => (typeof e === 'string' ? JSON.parse(e) : e) as { facts: Record<string, unknown>; lines: { vola_item_type: string }[]; params: Record<string, unknown> };

beforeAll(async () => {
  db = await openTestDb();
  hist = historyWriter(db);
  await migrate(db);
  await installDefaultRules(db);
  await hist.institutions();
  await withParams('FWA-PEER-01', { min_enc: 5, levels: ['medins', 'dept', 'doctor'] });
  await withParams('FWA-BEN-01', { min_n: 50 });
  await peerCases();
  await benfordCases();
  await ringCases();
  await traceCases();
  await hospCases();
  await snapshotJob(db, SYSTEM_ACTOR, { out: snap, from: '2025-01-01', to: '2025-12-31' });
  first = await batchJob(db, SYSTEM_ACTOR, { from: FROM, to: TO, snapshot: snap, rules: FWA });
}, 600_000);
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fraud models (FWA-*)', () => {
  test('every model runs from the rule base and finds exactly its case, none of the look-alikes', async () => {
    expect(first.rules.filter((r) => r.error)).toEqual([]);
    expect(first.rules.map((r) => r.rule_id).sort()).toEqual([...FWA].sort());
    const got = (await suspects()).map(({ rule_id, psn_no, mdtrt_id, fixmedins_code, sev_deg, vola_amt }) => ({ rule_id, psn_no, mdtrt_id, fixmedins_code, sev_deg, vola_amt }));
    const key = (x: Expected) => `${x.rule_id}|${x.psn_no}|${x.mdtrt_id ?? ''}`;
    expect(got.sort((x, y) => key(x).localeCompare(key(y)))).toEqual([...expected].sort((x, y) => key(x).localeCompare(key(y))));
  });

  test('peer outlier: the statistic, the peer median and percentile, the robust z-score and its threshold', async () => {
    const s = (await suspects()).find((x) => x.rule_id === 'FWA-PEER-01')!;
    const f = evidenceOf(s.evidence).facts;
    expect(f).toMatchObject({ level: 'doctor', metric: 'avg_fee', value: 100_000, peer_median: 12_500, n_peers: 6, n_enc: 5, z_min: 3.5, pctl: 90 });
    expect(s.admdvs).toBe('990102');
    expect(s.vola_cont).toContain('医师D6');
    expect(s.vola_cont).toContain('次均费用为1000.00元');
    expect(s.vola_cont).toContain('中位数125.00元');
    expect(s.vola_cont).toMatch(/稳健Z分数[\d.]+（阈值3\.5）/);
    expect(evidenceOf(s.evidence).params).toMatchObject({ min_enc: 5 });
  });

  test('Benford: the deviation, its threshold and the digit most out of line', async () => {
    const s = (await suspects()).find((x) => x.rule_id === 'FWA-BEN-01')!;
    const f = evidenceOf(s.evidence).facts;
    expect(f).toMatchObject({ n: 60, digit: 9, observed: 1, mad_max: 0.015 });
    expect(s.vola_cont).toContain('首位数字9占100.0%（Benford期望4.6%）');
  });

  test('ring: the members, the site and the shared days', async () => {
    const s = (await suspects()).find((x) => x.rule_id === 'FWA-RING-01')!;
    const f = evidenceOf(s.evidence).facts;
    expect(f).toMatchObject({ n: 3, days: 3, visits: 9, sites: [H3], min_shared_days: 3 });
    expect(s.mdtrt_ids.split(',')).toHaveLength(9);
    expect(s.vola_cont).toContain('3名参保人');
  });

  test('trace: the purchases are the offending lines and the resold box raises it to 高度可疑', async () => {
    const s = (await suspects()).find((x) => x.rule_id === 'FWA-TRC-01')!;
    const ev = evidenceOf(s.evidence);
    expect(ev.lines.map((l) => l.vola_item_type)).toEqual(['1', '1', '1', '1', '1', '1']);
    expect(ev.facts).toMatchObject({ buys: 6, sites: 3, resold: 1, ym: '2025-11' });
    expect(s.vola_cont).toContain('其中1盒的追溯码其后又在他人结算中出现');
  });

  test('虚假住院: every signal with its points, the score and the threshold', async () => {
    const s = (await suspects()).find((x) => x.rule_id === 'FWA-HOSP-01')!;
    expect(evidenceOf(s.evidence).facts).toMatchObject({ score: 4, min_score: 3, p_other: 2, p_chk: 2, other_n: 1 });
    expect(s.vola_cont).toContain('入院身份核验1次均未通过（2分）');
  });

  test('thresholds are data: a stricter rule version finds nothing, and a rerun adds nothing', async () => {
    const again = await batchJob(db, SYSTEM_ACTOR, { from: FROM, to: TO, snapshot: snap, rules: FWA });
    expect(again.inserted).toBe(0);
    expect(again.rules.reduce((a, r) => a + r.hits, 0)).toBe(expected.length);
    await withParams('FWA-HOSP-01', { min_score: 5 }, '2025-06-01');
    await withParams('FWA-RING-01', { min_members: 4 }, '2025-06-01');
    const strict = await batchJob(db, SYSTEM_ACTOR, { from: FROM, to: TO, snapshot: snap, rules: ['FWA-HOSP-01', 'FWA-RING-01'] });
    expect(strict.rules.map((r) => [r.rule_id, r.hits]).sort()).toEqual([
      ['FWA-HOSP-01', 0],
      ['FWA-RING-01', 0],
    ]);
  });

  test('a broken parameter is refused when saved; one already stored is reported for its rule and the others still run', async () => {
    await expect(withParams('FWA-BEN-01', { min_n: 'many' }, '2025-07-01')).rejects.toMatchObject({ problems: [expect.objectContaining({ field: expect.stringContaining('min_n') })] });
    // a row stored before the check existed (or written by hand): the batch must not fail because of it
    await db.k.updateTable('audit_rule').set({ params: JSON.stringify({ min_n: 'many' }) }).where('rule_id', '=', 'FWA-BEN-01').execute();
    const r = await batchJob(db, SYSTEM_ACTOR, { from: FROM, to: TO, snapshot: snap, rules: ['FWA-BEN-01', 'FWA-TRC-01'] });
    expect(r.rules.find((x) => x.rule_id === 'FWA-BEN-01')!.error).toMatch(/规则参数有误/);
    expect(r.rules.find((x) => x.rule_id === 'FWA-TRC-01')!.hits).toBe(1);
  });
});
