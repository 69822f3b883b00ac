import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegion, type GenerateManifest } from '../run.js';
import { DEFAULT_RULES } from '../../audit/rules/catalogue.js';
import { buildWorld } from '../world.js';
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
/** The Beijing date of a line's fee_ocur_time. */
const dayOf = async (mdtrt_id: string, sn: string) =>
  (await q<{ d: string }>(`select fee_ocur_time::date::varchar as d from ${t('feedetl')} where mdtrt_id = '${mdtrt_id}' and feedetl_sn = '${sn}'`))[0]?.d;
interface FeeRow {
  mdtrt_id: string;
  feedetl_sn: string;
  hilist_code: string;
  fee_ocur_time: string;
  pric: string;
  cnt: string;
  det_item_fee_sumamt: string;
  fulamt_ownpay_amt: string;
  overlmt_amt: string;
  drug_trac_codg: string;
}
const line = (mdtrt_id: string, sn: string) => q<FeeRow>(`select * from ${t('feedetl')} where mdtrt_id = '${mdtrt_id}' and feedetl_sn = '${sn}'`);

/** Types whose amount at issue is what insurance paid for the whole encounter. */
const WHOLE = ['doctor_qual', 'dead_psn', 'split_adm', 'concurrent_ipt', 'travel_impostor', 'visit_freq', 'low_adm', 'idchk_fail'].map((x) => `'${x}'`).join(', ');

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
       where s.mdtrt_id is distinct from v.mdtrt_id or v.amt < 0 or (v.amt = 0 and v.legit_flag = '0' and v.vio_type not in (${WHOLE}))
          or (v.vio_type in (${WHOLE}) and v.amt <> s.fund_pay_sumamt + s.acct_pay + s.acct_mulaid_pay)`,
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

  it('name rule ids of the platform rule base, distinct codes', () => {
    const ids = new Set(DEFAULT_RULES.map((r) => r.rule_id));
    const all = [...VIOLATION_TYPES, ...LOOKALIKE_TYPES];
    expect(new Set(all.map((v) => v.code)).size).toBe(all.length);
    expect(VIOLATION_TYPES.length).toBeGreaterThanOrEqual(25);
    for (const v of all) {
      expect(v.rules.length, v.code).toBeGreaterThan(0);
      for (const r of v.rules) expect(ids.has(r), `${v.code}: ${r}`).toBe(true);
    }
  });

  // stays: ipt rows of mdtrt with their dates, main diagnosis category and institution
  const stays = () => `(select mdtrt_id, psn_no, fixmedins_code, begntime, endtime, begntime::date as adm, endtime::date as dscg, left(dise_codg, 3) as cat, dscg_way from ${t('mdtrt')} where ipt_otp_flag = '2')`;

  it('are visible in the data alone, across encounters: 分解住院, 同时住院, and the chemotherapy cycle and transfer look-alikes', async () => {
    // readmissions within 15 days, same diagnosis category: exactly the injected 分解住院, the transfers and the chemotherapy cycles
    const readmits = await q<{ mdtrt_id: string; gap: string; same: boolean; cat: string }>(
      `select b.mdtrt_id, b.adm - a.dscg as gap, a.fixmedins_code = b.fixmedins_code as same, b.cat from ${stays()} a join ${stays()} b
         on a.psn_no = b.psn_no and a.mdtrt_id <> b.mdtrt_id and a.dscg <= b.adm and b.adm - a.dscg <= 15 and a.cat = b.cat`,
    );
    const split = await truthOf('split_adm');
    const chemo = await truthOf('lookalike_chemo_cycle');
    const transfer = await truthOf('lookalike_transfer');
    expect(split.length).toBeGreaterThan(0);
    const byId = new Map(readmits.map((r) => [r.mdtrt_id, r]));
    for (const v of split) {
      expect(byId.get(v.mdtrt_id)?.same, v.mdtrt_id).toBe(true);
      expect(Number(byId.get(v.mdtrt_id)!.gap)).toBeGreaterThan(0);
    }
    for (const v of chemo) expect(byId.get(v.mdtrt_id)?.cat).toBe('Z51');
    for (const v of transfer) expect(Number(byId.get(v.mdtrt_id)?.gap)).toBe(0);
    expect(readmits.length).toBe(split.length + chemo.length + transfer.length);

    // overlapping stays at two institutions (a transfer meets its first stay on one day, it does not overlap)
    const overlaps = await q<{ mdtrt_id: string }>(
      `select b.mdtrt_id from ${stays()} a join ${stays()} b on a.psn_no = b.psn_no and a.fixmedins_code <> b.fixmedins_code
         and (a.adm < b.adm or (a.adm = b.adm and a.mdtrt_id < b.mdtrt_id)) and a.adm < b.dscg and b.adm < a.dscg`,
    );
    const concurrent = await truthOf('concurrent_ipt');
    expect(concurrent.length).toBeGreaterThan(0);
    expect(overlaps.map((r) => r.mdtrt_id).sort()).toEqual(concurrent.map((v) => v.mdtrt_id).sort());
    for (const v of transfer) {
      const [r] = await q<{ way: string }>(`select a.dscg_way as way from ${stays()} a join ${stays()} b on a.psn_no = b.psn_no and a.dscg = b.adm and a.mdtrt_id <> b.mdtrt_id where b.mdtrt_id = '${v.mdtrt_id}'`);
      expect(r!.way).toBe('2');
    }
  });

  it('are visible in the data alone, across encounters: two cities within hours, four visits a day, an overlapping supply', async () => {
    const visits = `(select mdtrt_id, psn_no, begntime, begntime::date as d, mdtrtarea_admvs as city, med_type from ${t('mdtrt')} where ipt_otp_flag = '1')`;
    const travel = await q<{ mdtrt_id: string }>(
      `select distinct b.mdtrt_id from ${visits} a join ${visits} b on a.psn_no = b.psn_no and a.d = b.d and a.city <> b.city
         and a.begntime < b.begntime and b.begntime - a.begntime <= interval 3 hour`,
    );
    const impostors = await truthOf('travel_impostor');
    expect(impostors.length).toBeGreaterThan(0);
    const found = new Set(travel.map((r) => r.mdtrt_id));
    for (const v of impostors) expect(found.has(v.mdtrt_id), v.mdtrt_id).toBe(true);
    // natural visits of one day stay in one city: every pair found is an injected one (or a later visit of that day)
    const [stray] = await q<{ n: string }>(
      `select count(*) as n from ${visits} v where v.mdtrt_id in (${[...found].map((x) => `'${x}'`).join(', ') || "''"})
         and not exists (select 1 from ${truth()} g join ${visits} w on w.mdtrt_id = g.mdtrt_id where g.vio_type = 'travel_impostor' and w.psn_no = v.psn_no and w.d = v.d)`,
    );
    expect(Number(stray!.n)).toBe(0);

    const busy = await q<{ psn_no: string; d: string; n: string }>(`select psn_no, d::varchar as d, count(*) as n from ${visits} where med_type <> '41' group by all having count(*) >= 4`);
    const freq = await truthOf('visit_freq');
    expect(freq.length).toBeGreaterThan(0);
    expect(busy.length).toBe(freq.length);
    for (const v of freq.slice(0, 5)) {
      const [r] = await q<{ n: string }>(`select count(*) as n from ${visits} a join ${visits} b on a.psn_no = b.psn_no and a.d = b.d where b.mdtrt_id = '${v.mdtrt_id}' and a.med_type <> '41'`);
      expect(Number(r!.n)).toBeGreaterThanOrEqual(4);
    }

    for (const v of (await truthOf('dup_drug')).slice(0, 8)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      // the same generic drug (catalogue code up to the maker) a week's supply, 1–3 days before
      const [r] = await q<{ gap: string; cnt: string }>(
        `select c.fee_ocur_time::date - f.fee_ocur_time::date as gap, f.cnt from ${t('feedetl')} f join ${t('feedetl')} c on c.mdtrt_id = '${v.mdtrt_id}' and c.feedetl_sn = '${v.feedetl_sns}'
          where f.psn_no = c.psn_no and f.mdtrt_id <> c.mdtrt_id and left(f.hilist_code, 10) = left(c.hilist_code, 10)
            and f.fee_ocur_time < c.fee_ocur_time order by f.fee_ocur_time desc limit 1`,
      );
      expect(Number(r!.cnt)).toBe(7);
      expect(Number(r!.gap)).toBeGreaterThanOrEqual(1);
      expect(Number(r!.gap)).toBeLessThanOrEqual(3);
      expect(Number(v.amt)).toBeLessThan(Number(l!.det_item_fee_sumamt));
    }
  });

  it('are visible in the data alone: idle ward days, a mild short cheap stay, a failed face check', async () => {
    for (const v of (await truthOf('idle_bed')).slice(0, 5)) {
      const sns = v.feedetl_sns!.split(',');
      const [r] = await q<{ days: string; lines: string; others: string }>(
        `with idle as (select distinct fee_ocur_time::date as d from ${t('feedetl')} where mdtrt_id = '${v.mdtrt_id}' and feedetl_sn in (${sns.map((x) => `'${x}'`).join(', ')}))
         select (select count(*) from idle) as days, count(*) as lines, count(*) filter (where feedetl_sn not in (${sns.map((x) => `'${x}'`).join(', ')})) as others
           from ${t('feedetl')} where mdtrt_id = '${v.mdtrt_id}' and fee_ocur_time::date in (select d from idle)`,
      );
      expect(Number(r!.days)).toBeGreaterThanOrEqual(3);
      expect(Number(r!.others)).toBe(0);
      expect(Number(r!.lines)).toBe(3 * Number(r!.days));
    }
    const low = await truthOf('low_adm');
    expect(low.length).toBeGreaterThan(0);
    for (const v of low) {
      const [r] = await q<{ cat: string; los: string; fee: string }>(
        `select left(m.dise_codg, 3) as cat, greatest(1, m.endtime::date - m.begntime::date) as los, s.medfee_sumamt as fee from ${t('mdtrt')} m join ${t('setl')} s using (mdtrt_id) where m.mdtrt_id = '${v.mdtrt_id}'`,
      );
      expect(['J06', 'J20', 'A09', 'K29', 'M54', 'R51', 'I10']).toContain(r!.cat);
      expect(Number(r!.los)).toBeLessThanOrEqual(3);
      expect(Number(r!.fee)).toBeLessThanOrEqual(2000);
    }
    const failed = await q<{ mdtrt_id: string }>(`select mdtrt_id from ${t('mdtrt_idchk')} where chk_rslt <> '1'`);
    expect(failed.map((r) => r.mdtrt_id).sort()).toEqual((await truthOf('idchk_fail')).map((v) => v.mdtrt_id).sort());
  });

  it('are visible in the data alone: a level-restricted drug at level 1, an included item, a swapped product, a resold box, surgery pricing', async () => {
    const world = buildWorld(21);
    const levelOf = new Map(world.institutions.map((i) => [i.fixmedins_code, i.hosp_lv]));
    for (const v of (await truthOf('lv_lmt')).slice(0, 5)) {
      const [m] = await q<{ fixmedins_code: string }>(`select fixmedins_code from ${t('mdtrt')} where mdtrt_id = '${v.mdtrt_id}'`);
      expect(levelOf.get(m!.fixmedins_code)).toBe('1');
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      expect(world.item(l!.hilist_code, '1').restriction?.lmt_min_hosp_lv).toBe('2');
    }
    // natural stays at level 1 carry nothing restricted to higher levels
    const lv1 = world.institutions.filter((i) => i.hosp_lv === '1').map((i) => `'${i.fixmedins_code}'`).join(', ');
    const lv1Lines = await q<{ mdtrt_id: string; hilist_code: string }>(`select distinct f.mdtrt_id, f.hilist_code from ${t('feedetl')} f join ${t('mdtrt')} m using (mdtrt_id) where m.fixmedins_code in (${lv1})`);
    const restricted = lv1Lines.filter((r) => world.item(r.hilist_code, '1').restriction?.lmt_min_hosp_lv);
    const lvTruth = new Set((await truthOf('lv_lmt')).map((v) => v.mdtrt_id));
    expect(restricted.filter((r) => !lvTruth.has(r.mdtrt_id))).toEqual([]);

    for (const v of (await truthOf('incl_charge')).slice(0, 5)) {
      const [b, a] = v.feedetl_sns!.split(',');
      const [lb] = await line(v.mdtrt_id, b!);
      const [la] = await line(v.mdtrt_id, a!);
      expect(await dayOf(v.mdtrt_id, b!)).toBe(await dayOf(v.mdtrt_id, a!));
      expect(world.item(lb!.hilist_code, '1').hilist_name).toBe('静脉注射');
      expect(world.item(la!.hilist_code, '1').hilist_name).toBe('静脉输液（第一组）');
    }
    const swaps = await truthOf('swap_item');
    expect(swaps.length).toBeGreaterThan(0);
    for (const v of swaps.slice(0, 8)) {
      const [l] = await line(v.mdtrt_id, v.feedetl_sns!);
      // the trace names another product than the billed code: the same drug from a cheaper maker
      expect(l!.drug_trac_codg.slice(0, 7)).not.toBe(world.traceProduct(l!.hilist_code));
      expect(Number(v.amt)).toBeGreaterThan(0);
    }
    // every drug line's trace names its billed product, except the swapped ones (and a reuse of a swapped box's code)
    const traced = await q<{ id: string; hilist_code: string; product: string }>(
      `select mdtrt_id || '|' || feedetl_sn as id, hilist_code, left(drug_trac_codg, 7) as product from ${t('feedetl')} where drug_trac_codg is not null`,
    );
    const mismatched = new Set(traced.filter((r) => r.product !== world.traceProduct(r.hilist_code)).map((r) => r.id));
    const keyed = async (type: string) => new Set((await truthOf(type)).map((v) => `${v.mdtrt_id}|${v.feedetl_sns}`));
    const swapped = await keyed('swap_item');
    const reused = new Set([...(await keyed('trace_dup')), ...(await keyed('trace_dup_xinst'))]);
    for (const id of swapped) expect(mismatched.has(id), id).toBe(true);
    for (const id of mismatched) expect(swapped.has(id) || reused.has(id), id).toBe(true);
    for (const v of (await truthOf('trace_dup_xinst')).slice(0, 5)) {
      const [r] = await q<{ n: string }>(
        `select count(*) as n from ${t('feedetl')} f join ${t('mdtrt')} m using (mdtrt_id) join ${t('mdtrt')} x on x.mdtrt_id = '${v.mdtrt_id}'
          join ${t('feedetl')} c on c.mdtrt_id = x.mdtrt_id and c.feedetl_sn = '${v.feedetl_sns}'
          where f.drug_trac_codg = c.drug_trac_codg and m.fixmedins_code <> x.fixmedins_code and f.fee_ocur_time < c.fee_ocur_time`,
      );
      expect(Number(r!.n)).toBeGreaterThan(0);
    }
    for (const [type, full] of [['surg_discount', true], ['lookalike_second_surgery', false]] as const) {
      const rows = await truthOf(type);
      expect(rows.length, type).toBeGreaterThan(0);
      for (const v of rows.slice(0, 5)) {
        const [second] = await line(v.mdtrt_id, v.feedetl_sns!.split(',')[0]!);
        const [first] = await q<FeeRow>(
          `select * from ${t('feedetl')} where mdtrt_id = '${v.mdtrt_id}' and hilist_code = '${second!.hilist_code}' and feedetl_sn <> '${second!.feedetl_sn}'`,
        );
        expect(await dayOf(v.mdtrt_id, first!.feedetl_sn)).toBe(await dayOf(v.mdtrt_id, second!.feedetl_sn));
        if (full) expect(Number(second!.pric)).toBe(Number(first!.pric));
        else expect(Number(second!.pric) * 2).toBeLessThanOrEqual(Number(first!.pric));
      }
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
    const [c] = await q<{ n: string }>(`select count(*) as n from read_parquet('${join(parent, 'clean')}/mdtrt_idchk/**/*.parquet', hive_partitioning = true) where chk_rslt <> '1'`);
    expect(Number(c!.n)).toBe(0);
    const [d] = await q<{ n: string }>(`select count(*) as n from read_parquet('${join(parent, 'clean')}/mdtrt/**/*.parquet', hive_partitioning = true) where dscg_way = '2'`);
    expect(Number(d!.n)).toBe(0);
  });
});
