/**
 * Database round trips per transaction of the settlement path, counted (not timed): one outpatient flow
 * 1101 → 2201 → 2203 → 2204 (6 lines) → 2206 → 2207 and one inpatient stay 2401 → 2301 (200 lines, 4 batches) →
 * 2303 → 2304 → 2402, played twice each through the gateway — the first time warms the process's reference-data
 * cache (platform/cache.ts), the second is the steady state a busy server is in, and is held under a bound so that a
 * change that brings back per-line or per-step look-ups fails here. Every statement counts: queries, transaction
 * control, the gateway's own claim / log writes. `QUERY_COUNT_REPORT=1` prints the count per transaction and table.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { observeQueries } from '../platform/db.js';
import { ITEMS, PERSONS } from '../gateway/testing.js';
import { DOCTORS, EXAMPLE_ITEMS, hisFeeLine, outpatientSettleData, settlementWorld, type SettlementWorld } from './testing.js';

/**
 * Steady-state statements per flow, everything included (gateway claim and log, begin / commit). Before the
 * reference-data cache and the batched look-ups: 175 outpatient, 326 inpatient; with them 76 and 103; with the
 * settlement's reads and writes folded into fewer statements (lines + settled + diagnoses, accumulators + balance,
 * the settlement's rows + accumulators + log, fee lines + log, id blocks) 48 and 75 — the bounds leave a few
 * statements of room, not a return of per-line or per-step look-ups.
 */
const OUTPATIENT_BOUND = 52;
const INPATIENT_BOUND = 80;

let w: SettlementWorld;
beforeAll(async () => {
  w = await settlementWorld();
});
afterAll(async () => w.close());

/** The table a statement is about: the first table after from / into / update (transaction control by its verb). */
function tableOf(sql: string): string {
  const m = /\b(?:from|into|update)\s+"?([a-z_0-9]+)"?/i.exec(sql);
  if (m) return m[1]!;
  return sql.trim().split(/\s+/)[0]!.toLowerCase();
}

interface Tally {
  total: number;
  /** Every statement with its infno (QUERY_COUNT_REPORT=sql prints them). */
  sql: string[];
  byInfno: Map<string, Map<string, number>>;
}

/** Runs `body`, counting the statements every call makes, by infno and table. */
async function tally(body: (call: (infno: string, input: unknown, inst?: string) => Promise<Record<string, unknown>>) => Promise<void>): Promise<Tally> {
  const t: Tally = { total: 0, sql: [], byInfno: new Map() };
  let current = '';
  const stop = observeQueries((sql) => {
    t.total++;
    t.sql.push(`${current} ${sql.replace(/\s+/g, ' ').slice(0, 200)}`);
    const m = t.byInfno.get(current) ?? new Map<string, number>();
    t.byInfno.set(current, m);
    const table = tableOf(sql);
    m.set(table, (m.get(table) ?? 0) + 1);
  });
  try {
    await body(async (infno, input, inst) => {
      current = infno;
      const a = await w.call(infno, input, inst ? { inst } : {});
      current = '';
      expect(a.err_msg, `${infno}`).toBeNull();
      return a.output;
    });
  } finally {
    stop();
  }
  return t;
}

function report(title: string, t: Tally): void {
  if (!process.env.QUERY_COUNT_REPORT) return;
  const lines = [`${title}: ${t.total} statements`];
  for (const [infno, m] of t.byInfno) {
    const n = [...m.values()].reduce((a, b) => a + b, 0);
    const tables = [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    lines.push(`  ${infno || '(between calls)'} ${n}: ${tables.join(', ')}`);
  }
  if (process.env.QUERY_COUNT_REPORT === 'sql') lines.push(...t.sql);
  console.log(lines.join('\n'));
}

const CODES = [...ITEMS, ...EXAMPLE_ITEMS].filter((i) => !('3' in i.pric_uplmt) && !('2' in i.pric_uplmt)).map((i) => i.hilist_code);

async function outpatientFlow(no: string): Promise<Tally> {
  const z = w.people.zhang;
  return tally(async (call) => {
    await call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.zhang.certno, card_sn: '', begntime: '', psn_cert_type: '01', certno: PERSONS.zhang.certno, psn_name: PERSONS.zhang.psn_name } });
    const reg = (await call('2201', {
      data: { psn_no: z, insutype: '310', begntime: '2025-03-10 09:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: '', ipt_otp_no: no, atddr_no: DOCTORS.wang, dr_name: '王医生', dept_code: 'A03', dept_name: '内科', caty: 'A03', exp_content: '' },
    })) as { data: { mdtrt_id: string } };
    const mdtrt_id = reg.data.mdtrt_id;
    await call('2203', {
      mdtrtinfo: { mdtrt_id, psn_no: z, med_type: '11', begntime: '2025-03-10 09:00:00', main_cond_dscr: '', dise_codg: '', dise_name: '', birctrl_type: '', birctrl_matn_date: '' },
      diseinfo: [{ diag_type: '1', diag_srt_no: '1', diag_code: 'E11.900', diag_name: '2型糖尿病', diag_dept: '内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-10 09:10:00', vali_flag: '1' }],
    });
    const lines = Array.from({ length: 6 }, (_, i) => hisFeeLine(mdtrt_id, z, `${no}-${i}`, CODES[i % CODES.length]!, '1.00', '2', '2.00'));
    await call('2204', { feedetail: lines });
    const data = outpatientSettleData(z, mdtrt_id, '12.00');
    const pre = (await call('2206', data)) as { setlinfo: Record<string, unknown> };
    const split = Object.fromEntries(['fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt'].map((k) => [k, String(pre.setlinfo[k])]));
    await call('2207', { data: { ...data.data, ...split } });
  });
}

async function inpatientStay(no: string): Promise<Tally> {
  const z = w.people.zhang;
  const dise = [{ psn_no: z, diag_type: '1', maindiag_flag: '1', diag_srt_no: '1', diag_code: 'I10.x00', diag_name: '原发性高血压', adm_cond: '有', diag_dept: '心内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-01 08:30:00' }];
  return tally(async (call) => {
    const adm = (await call('2401', {
      mdtrtinfo: {
        psn_no: z, insutype: '310', coner_name: '家属', tel: '13900000000', begntime: '2025-03-01 08:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: '', med_type: '21', ipt_no: no, medrcdno: `BA${no}`,
        atddr_no: DOCTORS.wang, chfpdr_name: '王医生', adm_diag_dscr: '头晕', adm_dept_codg: 'A03', adm_dept_name: '心内科', adm_bed: '1', dscg_maindiag_code: 'I10.x00', dscg_maindiag_name: '原发性高血压',
        main_cond_dscr: '', dise_codg: '', dise_name: '', oprn_oprt_code: '', oprn_oprt_name: '', exp_content: '',
      },
      diseinfo: dise,
    })) as { result: { mdtrt_id: string } };
    const mdtrt_id = adm.result.mdtrt_id;
    let medfee = 0;
    for (let b = 0; b < 4; b++) {
      const batch = Array.from({ length: 50 }, (_, i) => {
        const n = b * 50 + i;
        medfee += 100;
        return hisFeeLine(mdtrt_id, z, `${no}-${n}`, CODES[n % CODES.length]!, '1.00', '1', '1.00', { fee_ocur_time: `2025-03-0${(n % 3) + 1} 10:00:00`, med_type: '21', drord_no: `YZ${n}`, chrg_bchno: undefined, rx_circ_flag: undefined });
      });
      await call('2301', { feedetail: batch });
    }
    const data = { psn_no: z, mdtrt_cert_type: '02', mdtrt_cert_no: '', medfee_sumamt: (medfee / 100).toFixed(2), psn_setlway: '01', mdtrt_id, insutype: '310', acct_used_flag: '1', invono: '', mid_setl_flag: '0' };
    const pre = (await call('2303', { data })) as { setlinfo: Record<string, unknown> };
    const split = Object.fromEntries(['fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt'].map((k) => [k, String(pre.setlinfo[k])]));
    await call('2304', { data: { ...data, ...split } });
    await call('2402', {
      dscginfo: { mdtrt_id, psn_no: z, insutype: '310', endtime: '2025-03-03 16:00:00', dise_codg: '', dise_name: '', oprn_oprt_code: '', oprn_oprt_name: '', cop_flag: '0', dscg_dept_codg: 'A03', dscg_dept_name: '心内科', dscg_bed: '', dscg_way: '1', exp_content: '' },
      diseinfo: dise,
    });
  });
}

describe('database statements per settlement flow', () => {
  test(`an outpatient flow (1101 → 2201 → 2203 → 2204 → 2206 → 2207) sends at most ${OUTPATIENT_BOUND} statements once warm`, async () => {
    report('outpatient, first', await outpatientFlow('QC-MZ-1'));
    const t = await outpatientFlow('QC-MZ-2');
    report('outpatient, warm', t);
    expect(t.total).toBeLessThanOrEqual(OUTPATIENT_BOUND);
  });

  test(`an inpatient stay of 200 lines (2401 → 2301 × 4 → 2303 → 2304 → 2402) sends at most ${INPATIENT_BOUND} statements once warm`, async () => {
    report('inpatient, first', await inpatientStay('QC-ZY-1'));
    const t = await inpatientStay('QC-ZY-2');
    report('inpatient, warm', t);
    expect(t.total).toBeLessThanOrEqual(INPATIENT_BOUND);
  });
});
