/**
 * Batch SQL changes from the quality evaluation over hand-made DuckDB tables (no snapshot, no database): 分解住院
 * leaves a transfer alone, 冒名就医 reads a failed identity check, 重复开药 finds the knowledge base's daily quantity
 * through a code prefix — each beside a case that must not hit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { duckRows, openDuck, type DuckDBConnection } from '../snapshot/duck.js';
import { BATCH_RULES, batchParams } from './rules-sql.js';

let duck: { conn: DuckDBConnection; close(): void };

async function hits(rule_id: string, params: Record<string, unknown> = {}): Promise<{ mdtrt_id: string; dkey: string; text: string }[]> {
  const rule = BATCH_RULES.get(rule_id)!;
  const { params: p, problem } = batchParams(rule, params);
  expect(problem).toBeNull();
  const rows = await duckRows<{ mdtrt_id: string; dkey: string; facts: string }>(duck.conn, rule.sql(p, { today: '2025-12-31' }));
  return rows.map((r) => ({ mdtrt_id: r.mdtrt_id, dkey: r.dkey, text: rule.cont(JSON.parse(r.facts) as Record<string, unknown>) })).sort((a, b) => a.dkey.localeCompare(b.dkey));
}

const q = (sql: string) => duck.conn.run(sql);

beforeAll(async () => {
  duck = await openDuck();
  for (const m of [
    `create macro code_match(p, c) as case when ends_with(p, '*') then starts_with(c, left(p, length(p) - 1)) else p = c end`,
    `create macro diag_match(p, c) as case when strpos(p, '-') > 1 then left(c, 3) between split_part(p, '-', 1) and split_part(p, '-', 2) else starts_with(c, p) end`,
    `create macro valid_on(b, e, d) as b <= d and (e is null or e >= d)`,
    `create macro prorate(f, part, whole) as case when whole = 0 then 0::BIGINT else (sign(f * part) * ((2 * abs(f * part) + whole) // (2 * whole)))::BIGINT end`,
  ])
    await q(m);
  await q(`create table enc (mdtrt_id VARCHAR, psn_no VARCHAR, ipt_otp_flag VARCHAR, fixmedins_code VARCHAR, medins_name VARCHAR, inst_admdvs VARCHAR,
    begntime TIMESTAMP, adm_date DATE, dscg_date DATE, main_diag VARCHAR, diags VARCHAR[], oprn_oprt_code VARCHAR)`);
  await q(`create table mdtrt (mdtrt_id VARCHAR, dscg_way VARCHAR)`);
  await q(`create table psn (psn_no VARCHAR, death_date DATE)`);
  await q(`create table audit_kb_cycle (cycle_type VARCHAR, code_type VARCHAR, code VARCHAR, begndate DATE, enddate DATE)`);
  await q(`create table mdtrt_idchk (idchk_id BIGINT, mdtrt_id VARCHAR, chk_time TIMESTAMP, chk_way VARCHAR, chk_rslt VARCHAR)`);
  await q(`create table audit_kb_drug (hilist_code VARCHAR, ingr_code VARCHAR, std_daily_qty DECIMAL(16,4), begndate DATE, enddate DATE)`);
  await q(`create table line (feedetl_id BIGINT, mdtrt_id VARCHAR, psn_no VARCHAR, ipt_otp_flag VARCHAR, hilist_code VARCHAR, fee_date DATE, cnt DECIMAL(16,4), sum_fen BIGINT)`);
  const stay = (id: string, psn: string, inst: string, adm: string, dscg: string, diag: string) =>
    q(`insert into enc values ('${id}', '${psn}', '2', '${inst}', '机构${inst}', '990102', '${adm} 09:00:00', '${adm}', '${dscg}', '${diag}', ['${diag}'], null)`);
  // 分解住院 at the same hospital 5 days later; a same-day transfer elsewhere; a transfer by discharge order 2 days later
  await stay('A1', 'P1', 'H1', '2025-03-01', '2025-03-10', 'K80.101');
  await stay('A2', 'P1', 'H1', '2025-03-15', '2025-03-20', 'K80.201');
  await stay('B1', 'P2', 'H1', '2025-03-01', '2025-03-10', 'I63.900');
  await stay('B2', 'P2', 'H2', '2025-03-10', '2025-03-20', 'I63.900');
  await stay('C1', 'P3', 'H1', '2025-03-01', '2025-03-10', 'I63.900');
  await stay('C2', 'P3', 'H2', '2025-03-12', '2025-03-20', 'I63.900');
  await q(`insert into mdtrt values ('A1', '1'), ('B1', '1'), ('C1', '2')`);
  // identity checks: a failed face check left as it is; a failed one retried and passed
  const visit = (id: string, psn: string, at: string) =>
    q(`insert into enc values ('${id}', '${psn}', '1', 'H1', '机构H1', '990102', '${at}', '${at}'::TIMESTAMP::DATE, null, 'J06.900', ['J06.900'], null)`);
  await visit('F1', 'P4', '2025-04-01 09:00:00');
  await visit('F2', 'P5', '2025-04-01 09:00:00');
  await q(`insert into mdtrt_idchk values (1, 'F1', '2025-04-01 08:59:00', 'face', '0'), (2, 'F2', '2025-04-01 08:58:00', 'face', '0'), (3, 'F2', '2025-04-01 08:59:00', 'face', '1')`);
  // 重复开药: the knowledge base lists the drug by a code prefix; 7 days, again after 2 days (overlap 5 > 3)
  await q(`insert into audit_kb_drug values ('XC08CAA001*', 'C08CA01', 1, '2024-01-01', null)`);
  await visit('G1', 'P6', '2025-05-01 09:00:00');
  await visit('G2', 'P6', '2025-05-03 09:00:00');
  await q(`insert into line values (1, 'G1', 'P6', '1', 'XC08CAA001A001', '2025-05-01', 7, 700), (2, 'G2', 'P6', '1', 'XC08CAA001A002', '2025-05-03', 7, 700)`);
});
afterAll(() => duck.close());

describe('MGT-ADM-01', () => {
  test('a readmission at the same hospital hits; a same-day transfer and a discharge by transfer order do not', async () => {
    expect((await hits('MGT-ADM-01')).map((h) => h.mdtrt_id)).toEqual(['A2']);
    expect((await hits('MGT-ADM-01', { transfer_exempt: false })).map((h) => h.mdtrt_id)).toEqual(['A2', 'B2', 'C2']);
  });
});

describe('MGT-ID-01', () => {
  test('a failed identity check with no passing retry hits as 高度可疑; a retry that passed does not', async () => {
    const h = (await hits('MGT-ID-01')).filter((x) => x.dkey.startsWith('idchk|'));
    expect(h.map((x) => x.mdtrt_id)).toEqual(['F1']);
    expect(h[0]!.text).toBe('2025-04-01 08:59在机构H1就医时身份核验（人脸识别）未通过，仍以参保人身份登记结算，疑似冒名就医');
    expect((await hits('MGT-ID-01', { idchk_failed: false })).filter((x) => x.dkey.startsWith('idchk|'))).toEqual([]);
  });
});

describe('MED-QTY-02', () => {
  test('finds the daily quantity through a knowledge-base code prefix: 7 days bought again after 2 days overlaps 5', async () => {
    const h = await hits('MED-QTY-02');
    expect(h.map((x) => x.mdtrt_id)).toEqual(['G2']);
    expect(h[0]!.text).toContain('用药时间重叠5天');
    expect(await hits('MED-QTY-02', { max_overlap_days: 5 })).toEqual([]);
  });
});
