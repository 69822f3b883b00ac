/**
 * The line rules' SQL (line-rules-sql.ts) against the real-time engine over the same snapshot: a history with a
 * violation of every line rule beside look-alike legitimate lines (children, exempting diagnoses, a level-3
 * hospital, fund-free lines, a refund line …), snapshotted to Parquet; then each rule's hits through the engine path
 * (engine-rules.ts, the real-time logic per encounter) and through its SQL must be the same suspects — encounter,
 * dedup key (offending lines and text), text, amount, severity, and evidence lines with their amounts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { bulkLoadCatalogue } from '../../standards/catalogue/load.js';
import { importKnowledge } from '../kb/import.js';
import { loadKnowledge } from '../kb/knowledge.js';
import { installDefaultRules, loadRuleBase, type RuleBase } from '../rules/store.js';
import { C, CATALOGUE, DOCTORS, KB } from '../testing.js';
import { duckRows, openDuck, type DuckDBConnection } from '../snapshot/duck.js';
import { snapshotJob } from '../snapshot/snapshot.js';
import { engineCodes, runEngineRules } from './engine-rules.js';
import { H1, H2, historyWriter, type FeeOptions } from './history.fixture.js';
import { buildLineFacts } from './line-facts.js';
import { LINE_RULES, lineHitQuery, lineRowOf, type LineHitRow } from './line-rules-sql.js';
import { batchParams } from './rules-sql.js';
import { rowOfHit, type SuspectRow } from './suspects.js';
import { attachSnapshot } from './views.js';

const FROM = '2025-09-01';
const TO = '2025-09-30';
let db: Db;
let duck: { conn: DuckDBConnection; close(): void };
let base: RuleBase;
const dir = mkdtempSync(join(tmpdir(), 'yibao-line-'));
/** Rule ids the fixture means to hit (each must hit on both paths). */
const MEANT = new Set<string>();

async function buildHistory(): Promise<void> {
  const h = historyWriter(db);
  await h.institutions();
  await importKnowledge(db, SYSTEM_ACTOR, KB);
  for (const [code, name] of [[DOCTORS.ok, '王医生'], [DOCTORS.suspended, '赵医生']] as const) {
    await sql`insert into practitioner (prac_code, prac_name, prac_type, fixmedins_code, pinyin, begndate) values (${code}, ${name}, '1', ${H1}, 'YS', '2020-01-01')`.execute(db.k);
  }
  await sql`insert into practitioner_qualification (prac_code, qual_stas, begndate, enddate) values (${DOCTORS.ok}, '1', '2020-01-01', null),
            (${DOCTORS.suspended}, '1', '2020-01-01', '2025-05-31'), (${DOCTORS.suspended}, '2', '2025-06-01', null)`.execute(db.k);
  let t = 0;
  const at = (day: string) => `2025-09-${day} ${String(8 + (t++ % 10)).padStart(2, '0')}:00:00`;
  const fee = (m: string, p: string, code: string, day: string, cnt: string, amt: string, o: FeeOptions = {}) => h.fee(m, p, code, at(day), cnt, amt, o);

  // 限性别: a woman billed a 限男 drug (and its refund) and a 限男 test; a man is fine
  const w = await h.psn(null, '2');
  const w1 = await h.enc(w, H1, '1', '2025-09-01 09:00:00', null, { diag: 'N40.x00' });
  const sold = await fee(w1, w, C.TAMS, '01', '2', '40.00');
  await fee(w1, w, C.TAMS, '01', '-1', '-20.00', { refunds: sold });
  await fee(w1, w, C.PSA, '01', '1', '30.00');
  const m = await h.psn(null, '1');
  const m1 = await h.enc(m, H1, '1', '2025-09-01 09:00:00', null, { diag: 'N40.x00' });
  await fee(m1, m, C.TAMS, '01', '1', '20.00');
  MEANT.add('POL-GEN-01').add('POL-GEN-02');

  // 儿童专用 / 限儿童 / 限年龄: an adult gets children's items; a child the same is fine; 55 years old under a 60+ band,
  // once with the exempting diagnosis; the 限儿童 drug paid all by the patient is left alone
  const a = await h.psn(null, '1', '1970-03-01');
  const a1 = await h.enc(a, H1, '1', '2025-09-02 09:00:00', null, { diag: 'J06.900' });
  await fee(a1, a, C.PED_ONLY, '02', '1', '12.00');
  await fee(a1, a, C.NEO, '02', '1', '50.00');
  await fee(a1, a, C.PED_PAY, '02', '1', '18.00', { ownpay: '3.00' });
  await fee(a1, a, C.PED_PAY, '02', '1', '18.00', { ownpay: '18.00' });
  await fee(a1, a, C.ELDER, '02', '1', '25.00');
  const a2 = await h.enc(a, H1, '1', '2025-09-03 09:00:00', null, { diag: 'G30.100' });
  await fee(a2, a, C.ELDER, '03', '1', '25.00');
  const k = await h.psn(null, '2', '2020-05-01');
  const k1 = await h.enc(k, H1, '1', '2025-09-02 09:00:00', null, { diag: 'J06.900' });
  await fee(k1, k, C.PED_ONLY, '02', '1', '12.00');
  await fee(k1, k, C.PED_PAY, '02', '1', '18.00');
  MEANT.add('POL-AGE-01').add('POL-AGE-02').add('POL-AGE-03').add('POL-AGE-04');

  // 限适应症, 限险种, 限等级, 限就医方式, 限科室, 目录外/丙类
  const b = await h.psn();
  const b1 = await h.enc(b, H1, '1', '2025-09-04 09:00:00', null, { diag: 'K29.700', dept_code: 'A07' });
  await fee(b1, b, C.DAPA, '04', '1', '60.00');
  await fee(b1, b, C.MATN, '04', '1', '80.00');
  await fee(b1, b, C.LV3, '04', '1', '90.00');
  await fee(b1, b, C.INPT, '04', '1', '100.00');
  await fee(b1, b, C.DEPT, '04', '1', '15.00');
  await fee(b1, b, C.DEPT, '04', '1', '15.00', { bilg_dept_codg: 'A05' });
  await fee(b1, b, C.DEPT, '04', '1', '15.00', { bilg_dept_codg: 'A03.01' });
  await fee(b1, b, C.NOT_IN_CAT, '04', '1', '5.00');
  await fee(b1, b, C.CLASS_C, '04', '1', '35.00');
  await fee(b1, b, C.CLASS_C, '04', '1', '35.00', { ownpay: '35.00' });
  const b2 = await h.enc(b, H2, '2', '2025-09-05 09:00:00', '2025-09-08 09:00:00', { diag: 'E11.900', dept_code: 'A03' });
  await fee(b2, b, C.DAPA, '05', '1', '60.00');
  await fee(b2, b, C.LV3, '05', '1', '90.00');
  await fee(b2, b, C.INPT, '05', '1', '100.00');
  await fee(b2, b, C.DEPT, '05', '1', '15.00');
  MEANT.add('POL-SCP-01').add('POL-INS-01').add('POL-LV-01').add('POL-MDT-01').add('POL-DEPT-01').add('POL-OUT-01');

  // 单味饮片: ginseng alone in a prescription; ginseng with huangqi is fine
  const c = await h.psn();
  const c1 = await h.enc(c, H1, '1', '2025-09-06 09:00:00', null);
  await fee(c1, c, C.GINSENG, '06', '10', '30.00', { rxno: 'RX1' });
  await fee(c1, c, C.GINSENG, '06', '5', '15.00', { rxno: 'RX1' });
  await fee(c1, c, C.GINSENG, '06', '10', '30.00', { rxno: 'RX2' });
  await fee(c1, c, C.HUANGQI, '06', '10', '8.00', { rxno: 'RX2' });
  MEANT.add('POL-TCM-01');

  // 超限定支付疗程 (14 days) within a stay; 收费跨期 (a fee after discharge); 住院天数超计费 (4 bed days in a 3-day stay)
  const d = await h.psn();
  const d1 = await h.enc(d, H1, '2', '2025-09-10 09:00:00', '2025-09-13 09:00:00', { diag: 'I63.900' });
  await fee(d1, d, C.EDARA, '10', '1', '30.00');
  await fee(d1, d, C.EDARA, '12', '20', '600.00', { prd_days: '20' });
  for (const day of ['10', '11', '12', '13']) await fee(d1, d, C.BED, day, '1', '40.00');
  await fee(d1, d, C.NURSE, '11', '2', '30.00');
  await fee(d1, d, C.NURSE, '13', '1', '15.00');
  await fee(d1, d, C.CBC, '15', '1', '8.00');
  const d2 = await h.enc(d, H1, '1', '2025-09-16 09:00:00', null);
  await fee(d2, d, C.CBC, '14', '1', '8.00');
  await fee(d2, d, C.CBC, '14', '1', '8.00');
  MEANT.add('POL-CRS-01').add('MGT-LAG-02').add('MGT-LOS-01');

  // 超标准收费 at a level-2 hospital; 医师资格 (suspended, unregistered; a qualified doctor is fine)
  const e = await h.psn();
  const e1 = await h.enc(e, H1, '1', '2025-09-17 09:00:00', null, { diag: 'E11.900', atddr_no: DOCTORS.unknown });
  await fee(e1, e, C.CBC, '17', '2', '24.00', { pric: '12', bilg_dr_codg: DOCTORS.suspended });
  await fee(e1, e, C.IV_INJ, '17', '1', '5.00', { pric: '5', bilg_dr_codg: DOCTORS.suspended });
  await fee(e1, e, C.BED, '17', '1', '45.00', { pric: '45', bilg_dr_codg: DOCTORS.ok });
  await fee(e1, e, C.PSA, '17', '1', '30.00');
  await fee(e1, e, C.IV_DRIP, '17', '1', '12.00', { pric: '12' });
  MEANT.add('MGT-PRC-01').add('MGT-DOC-01');

  // 手术折价: two surgeries on one day, the second at full price (and one at half price the next day is fine)
  const s = await h.psn();
  const s1 = await h.enc(s, H1, '2', '2025-09-22 09:00:00', '2025-09-28 09:00:00', { diag: 'K80.100' });
  await fee(s1, s, C.SURG2, '23', '1', '1000.00', { pric: '1000' });
  await fee(s1, s, C.SURG1, '23', '1', '2000.00', { pric: '2000' });
  await fee(s1, s, C.SURG1, '24', '1', '2000.00', { pric: '2000' });
  await fee(s1, s, C.SURG2, '24', '1', '500.00', { pric: '500' });
  MEANT.add('MGT-SURG-01');

  // 挂床: a 9-day stay with treatment on its first two days and the last, only beds in between (and a stay treated
  // every other day is fine)
  const i = await h.psn();
  const i1 = await h.enc(i, H1, '2', '2025-09-01 09:00:00', '2025-09-10 09:00:00', { diag: 'M54.500' });
  for (let dd = 1; dd <= 9; dd++) await fee(i1, i, C.BED, String(dd).padStart(2, '0'), '1', '40.00');
  for (const dd of ['01', '02', '09']) await fee(i1, i, C.CBC, dd, '1', '8.00');
  const j = await h.psn();
  const j1 = await h.enc(j, H1, '2', '2025-09-01 09:00:00', '2025-09-07 09:00:00', { diag: 'M54.500' });
  for (let dd = 1; dd <= 6; dd++) await fee(j1, j, dd % 2 ? C.BED : C.CBC, String(dd).padStart(2, '0'), '1', '8.00');
  MEANT.add('MGT-ADM-02');

  // 超频次: 透析 at most 3 per 7 days (appealable) counted across encounters; 氧气 24 per visit from the catalogue on
  // two days; 静脉注射 at most 2 per line; 血常规 once a day (the e1 line of 2 above)
  const q = await h.psn();
  const q1 = await h.enc(q, H1, '1', '2025-08-30 09:00:00', null, { diag: 'N18.500' });
  await h.fee(q1, q, C.DIAL, '2025-08-30 09:10:00', '1', '400.00');
  await h.fee(q1, q, C.DIAL, '2025-09-01 09:10:00', '1', '400.00');
  await h.fee(q1, q, C.IM_INJ, '2025-09-03 08:00:00', '1', '3.00');
  const q2 = await h.enc(q, H1, '1', '2025-09-03 09:00:00', null, { diag: 'N18.500' });
  await fee(q2, q, C.DIAL, '03', '1', '400.00');
  await fee(q2, q, C.DIAL, '05', '1', '400.00');
  await fee(q2, q, C.OXYGEN, '03', '20', '40.00');
  await fee(q2, q, C.OXYGEN, '04', '10', '20.00');
  await fee(q2, q, C.IV_INJ, '04', '3', '15.00', { pric: '5' });
  await fee(q2, q, C.IV_INJ, '03', '1', '5.00', { pric: '5' });
  MEANT.add('MGT-FRQ-01').add('MGT-DUP-01');

  // 药品与诊断不符, 超量 (by quantity and by 周期天数), 超剂量, 耗材无项目 (a stent with its PCI is fine)
  const f = await h.psn();
  const f1 = await h.enc(f, H1, '1', '2025-09-18 09:00:00', null, { diag: 'K29.700' });
  await fee(f1, f, C.METF, '18', '30', '30.00');
  await fee(f1, f, C.METF2, '18', '20', '20.00', { prd_days: '10' });
  await fee(f1, f, C.METF, '18', '20', '20.00', { prd_days: '2' });
  await fee(f1, f, C.STENT, '18', '1', '900.00');
  const f2 = await h.enc(f, H2, '2', '2025-09-20 09:00:00', '2025-09-25 09:00:00', { diag: 'I21.000' });
  await fee(f2, f, C.STENT, '21', '1', '900.00');
  await fee(f2, f, C.PCI, '21', '1', '5000.00');
  MEANT.add('MED-DX-01').add('MED-QTY-01').add('MED-DOSE-01').add('MED-MAT-01');

  // outside the window: not judged on either path
  const g = await h.psn(null, '2');
  const g1 = await h.enc(g, H1, '1', '2025-10-02 09:00:00', null);
  await h.fee(g1, g, C.TAMS, '2025-10-02 09:10:00', '1', '20.00');
}

interface Cmp {
  mdtrt_id: string | null;
  mdtrt_ids: string;
  dkey: string;
  cont: string;
  amt: number;
  sev: string | null;
  setl_id: string | null;
  fixmedins_code: string;
  lines: unknown[];
}

/** A suspect as audit_suspect records it (a null severity is the rule's). */
const cmp = (r: SuspectRow, rule_sev: string): Cmp => {
  const ev = JSON.parse(r.evidence) as { lines: unknown[] };
  return { mdtrt_id: r.mdtrt_id, mdtrt_ids: r.mdtrt_ids, dkey: r.dkey, cont: r.cont, amt: r.amt, sev: r.sev ?? rule_sev, setl_id: r.setl_id, fixmedins_code: r.fixmedins_code, lines: ev.lines };
};
const byKey = (a: Cmp, b: Cmp) => a.dkey.localeCompare(b.dkey);

/** Each line rule's suspects by the engine path and by its SQL, over the window. */
async function bothPaths(): Promise<Map<string, { engine: Cmp[]; sql: Cmp[] }>> {
  const ids = [...LINE_RULES.keys()];
  const kb = await loadKnowledge(db);
  const hits = await runEngineRules(duck.conn, { from: FROM, to: TO, today: TO, ruleIds: ids, kb, rules: base });
  await buildLineFacts(duck.conn, { from: FROM, to: TO, today: TO });
  const out = new Map<string, { engine: Cmp[]; sql: Cmp[] }>();
  for (const id of ids) {
    const rule = base.get(id, TO)!;
    const impl = LINE_RULES.get(id)!;
    const { params, problem } = batchParams(impl, rule.params);
    expect(problem).toBeNull();
    const engine = hits.filter((x) => x.rule_id === id).map((x) => cmp(rowOfHit(rule, x, params), rule.sev_deg));
    const rows = await duckRows<LineHitRow>(duck.conn, lineHitQuery(impl, params, rule, { from: FROM, to: TO, today: TO }));
    const sqlRows = rows.map((r) => cmp(lineRowOf(rule, impl, r, JSON.stringify(params)), rule.sev_deg));
    out.set(id, { engine: engine.sort(byKey), sql: sqlRows.sort(byKey) });
  }
  return out;
}

let results: Map<string, { engine: Cmp[]; sql: Cmp[] }>;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
  await installDefaultRules(db);
  await bulkLoadCatalogue(db, CATALOGUE, SYSTEM_ACTOR);
  await buildHistory();
  base = await loadRuleBase(db);
  const snap = join(dir, 'snap');
  await snapshotJob(db, SYSTEM_ACTOR, { out: snap, from: null, to: null });
  duck = await openDuck(join(dir, 'batch.duckdb'));
  await attachSnapshot(duck.conn, snap);
  results = await bothPaths();
}, 120_000);
afterAll(async () => {
  duck?.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('line rules in SQL = the real-time engine', () => {
  test.each([...LINE_RULES.keys()])('%s: the same suspects, lines and amounts', (id) => {
    const r = results.get(id)!;
    expect(r.sql).toEqual(r.engine);
    if (MEANT.has(id)) expect(r.engine.length, `${id} should hit in the fixture`).toBeGreaterThan(0);
  });

  test('the engine path judges only encounters with a line its rules can hit on, and finds the same', async () => {
    const ids = ['MGT-DUP-01', 'MGT-FRQ-01'];
    const kb = await loadKnowledge(db);
    const all = await runEngineRules(duck.conn, { from: FROM, to: TO, today: TO, ruleIds: ids, kb, rules: base });
    let judged = 0;
    const some = await runEngineRules(duck.conn, {
      from: FROM,
      to: TO,
      today: TO,
      ruleIds: ids,
      kb,
      rules: base,
      codes: engineCodes(ids, { from: FROM, to: TO }),
      onChunk: async (p) => void (judged = p.personsTotal),
    });
    const key = (x: { rule_id: string; dkey: string; amt: number }) => `${x.rule_id}|${x.dkey}|${x.amt}`;
    expect(new Set(all.map((x) => x.rule_id))).toEqual(new Set(ids));
    expect(some.map(key).sort()).toEqual(all.map(key).sort());
    const [{ n }] = (await duckRows<{ n: string }>(duck.conn, `select count(distinct psn_no)::VARCHAR as n from enc where adm_date between '${FROM}' and '${TO}'`)) as [{ n: string }];
    expect(judged).toBeLessThan(Number(n));
    expect(engineCodes(['MGT-DUP-01', 'POL-GEN-01'], { from: FROM, to: TO })).toBeUndefined();
  });

  test('the fixture reaches every line rule it means to, and the legitimate neighbours do not hit', () => {
    expect([...LINE_RULES.keys()].filter((id) => !results.get(id)!.engine.length)).toEqual([]);
    const gen = results.get('POL-GEN-01')!.sql;
    // the woman's drug and its refund line, not the man's
    expect(gen.map((x) => x.amt).sort((p, q) => p - q)).toEqual([-2000, 4000]);
    const age2 = results.get('POL-AGE-02')!.sql;
    expect(age2.map((x) => x.amt)).toEqual([1500]); // the fund's part (formula 3); the self-paid line is left alone
    expect(results.get('POL-AGE-04')!.sql.length).toBe(1); // the G30 encounter is exempt
    // 互斥 with a same-day line of an earlier encounter: both encounters on the suspect, the earlier line participating
    const dup = results.get('MGT-DUP-01')!.sql.find((x) => x.mdtrt_ids.includes(','));
    expect(dup?.cont).toBe('【肌肉注射】与【静脉注射】同一日内不得同时收费');
  });
});
