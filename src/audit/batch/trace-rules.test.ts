/**
 * The 药品追溯码 batch rules over a hand-made `line` table in DuckDB (no snapshot, no database): 追溯码重复 at one
 * institution (a second whole box under one code) beside legitimate 拆零; 追溯码与药品不符 and 串换 against the
 * product the code's 药品标识码 identifies, beside a product with too few sales to be identified.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { duckRows, lit, openDuck, type DuckDBConnection } from '../snapshot/duck.js';
import { BATCH_RULES, batchParams } from './rules-sql.js';

let duck: { conn: DuckDBConnection; close(): void };
let seq = 0;

interface L {
  mdtrt: string;
  inst: string;
  code: string;
  trac: string;
  at: string;
  cnt?: number;
  pric?: number;
}

/** Inserts sale lines (price × quantity as the amount) into the line table. */
async function lines(list: L[]): Promise<void> {
  for (const l of list) {
    const id = ++seq;
    const cnt = l.cnt ?? 1;
    const pric = l.pric ?? 30;
    await duck.conn.run(
      `insert into line values (${id}, ${lit(`F${id}`)}, ${lit(l.mdtrt)}, 'P1', ${lit(l.inst)}, '1', ${lit(l.code)}, null, ${lit(l.at)}::TIMESTAMP::DATE,
        ${lit(l.at)}::TIMESTAMP, ${cnt}, ${pric}, ${cnt * pric}, ${cnt * pric * 100}, ${lit(l.trac)})`,
    );
  }
}

async function hits(rule_id: string, params: Record<string, unknown> = {}) {
  const rule = BATCH_RULES.get(rule_id)!;
  const { params: p, problem } = batchParams(rule, params);
  expect(problem).toBeNull();
  const rows = await duckRows<{ mdtrt_id: string; facts: string; off_ids: bigint[]; excess_fen: bigint | null }>(duck.conn, rule.sql(p, { today: '2025-12-31' }));
  return rows.map((r) => ({ mdtrt_id: r.mdtrt_id, facts: JSON.parse(r.facts) as Record<string, unknown>, text: rule.cont(JSON.parse(r.facts) as Record<string, unknown>) }));
}

beforeAll(async () => {
  duck = await openDuck();
  await duck.conn.run(`create macro fen(x) as (x * 100)::BIGINT`);
  await duck.conn.run(`create table line (feedetl_id BIGINT, feedetl_sn VARCHAR, mdtrt_id VARCHAR, psn_no VARCHAR, fixmedins_code VARCHAR, ipt_otp_flag VARCHAR,
    hilist_code VARCHAR, init_feedetl_sn VARCHAR, fee_date DATE, fee_ocur_time TIMESTAMP, cnt DECIMAL(16,4), pric DECIMAL(16,6), det_item_fee_sumamt DECIMAL(16,2),
    sum_fen BIGINT, drug_trac_codg VARCHAR)`);
  // 追溯码重复 at one pharmacy: a whole box sold twice under one code; half boxes (拆零) are not
  await lines([
    { mdtrt: 'A1', inst: 'P1', code: 'XA', trac: '81111110000000000001', at: '2025-03-01 10:00:00' },
    { mdtrt: 'A2', inst: 'P1', code: 'XA', trac: '81111110000000000001', at: '2025-03-20 10:00:00' },
    { mdtrt: 'B1', inst: 'P1', code: 'XA', trac: '81111110000000000002', at: '2025-03-01 10:00:00', cnt: 0.5 },
    { mdtrt: 'B2', inst: 'P1', code: 'XA', trac: '81111110000000000002', at: '2025-03-05 10:00:00', cnt: 0.5 },
  ]);
  // product 8111111 is XA (4 sales above + 2 more); 8222222 is XB (4 sales at 10 元), and one line bills the pricier XC under it;
  // 8333333 has only two sales (XD, XE): not identified
  await lines([
    { mdtrt: 'C1', inst: 'P2', code: 'XA', trac: '81111110000000000003', at: '2025-04-01 10:00:00' },
    { mdtrt: 'C2', inst: 'P2', code: 'XA', trac: '81111110000000000004', at: '2025-04-02 10:00:00' },
    ...[5, 6, 7, 8].map((n) => ({ mdtrt: `D${n}`, inst: 'P2', code: 'XB', trac: `822222200000000000${n}0`, at: '2025-04-03 10:00:00', pric: 10 })),
    { mdtrt: 'E1', inst: 'P2', code: 'XC', trac: '82222220000000000099', at: '2025-04-04 10:00:00', pric: 45, cnt: 2 },
    { mdtrt: 'F1', inst: 'P2', code: 'XD', trac: '83333330000000000001', at: '2025-04-05 10:00:00' },
    { mdtrt: 'F2', inst: 'P2', code: 'XE', trac: '83333330000000000002', at: '2025-04-05 11:00:00' },
  ]);
});
afterAll(() => duck.close());

describe('MGT-TRC-01 at one institution', () => {
  test('a second whole box under one code hits; 拆零 halves adding up to one box do not', async () => {
    const h = await hits('MGT-TRC-01');
    expect(h.map((x) => x.mdtrt_id)).toEqual(['A2']);
    expect(h[0]!.text).toBe('药品追溯码81111110000000000001已于2025-03-01在P1结算，2025-03-20在同一机构再次结算，累计数量2超过一个包装（1），不属拆零，疑似重复结算');
  });

  test('with 拆零 not recognised every repeat hits; a bigger package lets the second box pass', async () => {
    expect((await hits('MGT-TRC-01', { same_medins_split: false })).map((x) => x.mdtrt_id).sort()).toEqual(['A2', 'B2']);
    expect(await hits('MGT-TRC-01', { pack_cnt: 2 })).toEqual([]);
  });
});

describe('MGT-TRC-02 / MGT-SWP-01 against the product the trace code identifies', () => {
  test('TRC-02 hits a line billed as another product than its code identifies; an unidentified code is not judged', async () => {
    const h = await hits('MGT-TRC-02');
    expect(h.map((x) => x.mdtrt_id)).toEqual(['E1']);
    expect(h[0]!.facts).toMatchObject({ pid: '8222222', hilist_code: 'XC', prod_code: 'XB', prod_n: 4, total: 5 });
  });

  test('SWP-01 hits the mismatch when the billed product is pricier; not when it is cheaper, nor below the share threshold', async () => {
    const h = await hits('MGT-SWP-01');
    expect(h.map((x) => x.mdtrt_id)).toEqual(['E1']);
    expect(h[0]!.text).toContain('追溯码82222220000000000099识别的实际产品为【XB】');
    await duck.conn.run(`update line set pric = 5 where mdtrt_id = 'E1'`);
    expect(await hits('MGT-SWP-01')).toEqual([]);
    expect(await hits('MGT-TRC-02', { min_share_pct: 90 })).toEqual([]);
    expect(await hits('MGT-TRC-02', { min_sales: 5 })).toEqual([]);
    await duck.conn.run(`update line set pric = 45 where mdtrt_id = 'E1'`);
  });
});
