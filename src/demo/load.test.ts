import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { openTestDb, type Db } from '../platform/db.js';
import { migrate } from '../platform/migrations.js';
import { DEFAULT_CONFIG } from '../platform/config.js';
import { loadNationalStandards } from '../standards/national-load.js';
import { checkItems } from '../standards/catalogue/load.js';
import { certnoProblem, parseCertno } from '../enrollment/certno.js';
import { usccProblem } from '../standards/institutions/uscc.js';
import { DEMO_AS_OF } from './region.js';
import { DEMO_PARTS, DEMO_SOURCE, demoChecksum, generateDemoRegion, loadDemoRegion } from './load.js';

const SEED = DEFAULT_CONFIG.demoSeed;
const SMALL = { seed: SEED, persons: 300 };
/**
 * The checksum of SMALL, pinned so that PGlite and PostgreSQL are held to the same bytes (CI runs this file on
 * both). It changes when a generator or a demo table changes on purpose: then bump DEMO_GENERATOR_VERSION and
 * paste the new value printed by `yibao demo checksum --seed 20260101 --persons 300`.
 */
const SMALL_CHECKSUM = 'e60d2eda3149b595deae50d208915292677359f492b794f05e1009eb0ab91052';

const opened: Db[] = [];
async function freshDb(): Promise<Db> {
  const db = await openTestDb();
  opened.push(db);
  await migrate(db);
  await loadNationalStandards(db);
  return db;
}
afterAll(async () => {
  for (const db of opened) await db.close();
});

const count = async (db: Db, query: string): Promise<number> => {
  const r = await sql<{ n: number }>`${sql.raw(query)}`.execute(db.k);
  return Number(r.rows[0]!.n);
};

describe('demo region: determinism (small size)', () => {
  let a: Db;
  let sumA: string;
  beforeAll(async () => {
    a = await freshDb();
    const r = await loadDemoRegion(a, SMALL);
    expect(r.skipped).toBe(false);
    expect(r.parts.map((p) => p.part)).toEqual([...DEMO_PARTS]);
    sumA = (await demoChecksum(a)).checksum;
  });

  // b is loaded by the first test and then reused: resuming and refusing need a loaded region, not a new one
  let b: Db;
  it('same seed into another fresh database → the same checksum (pinned, so PGlite = PostgreSQL)', async () => {
    b = await freshDb();
    await loadDemoRegion(b, SMALL);
    expect((await demoChecksum(b)).checksum).toBe(sumA);
    expect(sumA).toBe(SMALL_CHECKSUM);
  });

  it('another seed → another checksum', async () => {
    const c = await freshDb();
    await loadDemoRegion(c, { ...SMALL, seed: SEED + 1 });
    expect((await demoChecksum(c)).checksum).not.toBe(sumA);
  });

  it('warm start only checks; other parameters keep what is loaded', async () => {
    const logBefore = await count(a, 'select count(*)::int8 as n from opt_log');
    const again = await loadDemoRegion(a, SMALL);
    expect(again).toMatchObject({ skipped: true, mismatch: false, parts: [] });
    const other = await loadDemoRegion(a, { seed: SEED + 7, persons: 50 });
    expect(other).toMatchObject({ skipped: true, mismatch: true });
    expect(await count(a, 'select count(*)::int8 as n from opt_log')).toBe(logBefore);
    expect((await demoChecksum(a)).checksum).toBe(sumA);
  });

  it('an interrupted load resumes at the first part not recorded, and refuses other parameters', async () => {
    // as if the process had stopped after the persons part
    await b.k.deleteFrom('std_load').where('source', 'in', [DEMO_SOURCE, `${DEMO_SOURCE}/family`]).execute();
    await b.k.deleteFrom('psn_family').execute();
    await expect(loadDemoRegion(b, { ...SMALL, seed: SEED + 1 })).rejects.toThrow(/其他参数加载了一部分/);
    const r = await loadDemoRegion(b, SMALL);
    expect(r.parts.filter((p) => !p.skipped).map((p) => p.part)).toEqual(['family']);
    expect((await demoChecksum(b)).checksum).toBe(sumA);
  });

  it('a region that is not empty is refused with the part named, and nothing is written', async () => {
    await b.k.deleteFrom('std_load').where('source', 'like', `${DEMO_SOURCE}%`).execute();
    await expect(loadDemoRegion(b, SMALL)).rejects.toThrow(/加载演示统筹区（医保区划）失败/);
    expect((await demoChecksum(b)).checksum).toBe(sumA);
  });

  describe('counts and mix', () => {
    it('areas: province 99 with two pooling areas and their districts', async () => {
      const areas = await a.k.selectFrom('admdvs').selectAll().orderBy('admdvs').execute();
      expect(areas.filter((x) => x.poolarea_flag === '1').map((x) => x.admdvs)).toEqual(['990100', '990200']);
      expect(areas.filter((x) => x.admdvs_lv === '3').length).toBeGreaterThanOrEqual(4);
    });

    it('institutions of levels 1/2/3 and pharmacies, each with an agreement in force', async () => {
      const mix = await a.k.selectFrom('fixmedins').select(['fixmedins_type', 'hosp_lv', sql<number>`count(*)::int8`.as('n')]).groupBy(['fixmedins_type', 'hosp_lv']).execute();
      const n = (type: string, lv: string) => mix.find((m) => m.fixmedins_type === type && m.hosp_lv === lv)?.n ?? 0;
      for (const lv of ['1', '2', '3']) expect(n('1', lv)).toBeGreaterThanOrEqual(10);
      expect(n('2', '9')).toBeGreaterThanOrEqual(20);
      expect(await count(a, `select count(*)::int8 as n from fixmedins f where not exists (select 1 from fixmedins_agreement g where g.fixmedins_code = f.fixmedins_code and g.agmt_stas = '1' and g.begndate <= '${DEMO_AS_OF}' and g.enddate is null)`)).toBe(0);
      for (const { uscc } of await a.k.selectFrom('fixmedins').select('uscc').execute()) expect(usccProblem(uscc)).toBeNull();
    });

    it('practitioners of every type, each qualified from the start, some with a suspension in their history', async () => {
      const types = await a.k.selectFrom('practitioner').select('prac_type').distinct().orderBy('prac_type').execute();
      expect(types.map((t) => t.prac_type)).toEqual(['1', '2', '3']);
      expect(await count(a, `select count(*)::int8 as n from practitioner p where not exists (select 1 from practitioner_qualification q where q.prac_code = p.prac_code and q.qual_stas = '1' and q.begndate = p.begndate)`)).toBe(0);
      const suspended = await a.k.selectFrom('practitioner_qualification').select(['prac_code', 'begndate', 'enddate']).where('qual_stas', '=', '2').execute();
      expect(suspended.length).toBeGreaterThan(0);
      expect(suspended.some((s) => s.enddate! < DEMO_AS_OF)).toBe(true); // history, not only the present
      // after each suspension the practitioner is qualified again
      expect(await count(a, `select count(*)::int8 as n from practitioner_qualification s where s.qual_stas = '2' and not exists (select 1 from practitioner_qualification r where r.prac_code = s.prac_code and r.qual_stas = '1' and r.begndate = s.enddate + 1)`)).toBe(0);
    });

    it('every list type, with caps, self-pay ratios and restrictions', async () => {
      const types = await a.k.selectFrom('hilist').select(['list_type', sql<number>`count(*)::int8`.as('n')]).groupBy('list_type').orderBy('list_type').execute();
      expect(types.map((t) => t.list_type)).toEqual(['101', '102', '103', '201', '301']);
      const lv = await a.k.selectFrom('hilist').select('chrgitm_lv').distinct().orderBy('chrgitm_lv').execute();
      expect(lv.map((x) => x.chrgitm_lv)).toEqual(['01', '02', '03']);
      expect(await count(a, `select count(*)::int8 as n from hilist h where not exists (select 1 from hilist_pric_uplmt c where c.hilist_code = h.hilist_code and c.hosp_lv = '3')`)).toBe(0);
      expect(await count(a, `select count(*)::int8 as n from hilist h where h.list_type in ('101','102','103') and not exists (select 1 from hilist_pric_uplmt c where c.hilist_code = h.hilist_code and c.hosp_lv = '9')`)).toBe(0);
      expect(await count(a, `select count(*)::int8 as n from hilist_selfpay where selfpay_prop > 0 and selfpay_prop < 1`)).toBeGreaterThan(0);
      expect(await count(a, `select count(*)::int8 as n from hilist_lmt`)).toBeGreaterThan(100);
      expect(await count(a, `select count(*)::int8 as n from hilist where lmt_used_flag = '1'`)).toBe(await count(a, `select count(*)::int8 as n from hilist_lmt`));
    });

    it('persons: valid certnos, a card and an insurance relation each, employees with balances, residents without', async () => {
      const people = await a.k.selectFrom('psn').select(['psn_no', 'certno', 'gend', 'brdy']).execute();
      expect(people).toHaveLength(SMALL.persons);
      for (const p of people) {
        expect(certnoProblem(p.certno, DEMO_AS_OF)).toBeNull();
        expect(parseCertno(p.certno)).toMatchObject({ gend: p.gend, brdy: p.brdy });
        expect(p.psn_no).toMatch(/^99[0-9]{2}00\d{14}$/);
      }
      expect(await count(a, 'select count(distinct psn_no)::int8 as n from psn_card')).toBe(SMALL.persons);
      const insu = await a.k.selectFrom('psn_insu').select(['insutype', sql<number>`count(*)::int8`.as('n')]).groupBy('insutype').execute();
      const byType = Object.fromEntries(insu.map((r) => [r.insutype, r.n]));
      expect(byType['310']! + byType['390']!).toBe(SMALL.persons);
      expect(byType['310']).toBeGreaterThan(SMALL.persons * 0.2);
      expect(byType['390']).toBeGreaterThan(SMALL.persons * 0.4);
      const balances = await a.k
        .selectFrom('psn_insu as i')
        .leftJoin('psn_acct_ledger as l', 'l.psn_no', 'i.psn_no')
        .select(['i.psn_no', 'i.insutype', sql<string | null>`sum(l.amt)`.as('balc')])
        .where('i.insutype', 'in', ['310', '390'])
        .groupBy(['i.psn_no', 'i.insutype'])
        .execute();
      for (const b of balances) {
        if (b.insutype === '310') expect(Number(b.balc)).toBeGreaterThan(0);
        else expect(b.balc).toBeNull();
      }
      expect(await count(a, `select count(*)::int8 as n from psn where cvlserv_flag = '1'`)).toBe(await count(a, `select count(*)::int8 as n from psn_insu where insutype = '320'`));
    });

    it('assistance identities are 2201 特困 / 2202 低保 of residents', async () => {
      const idets = await a.k.selectFrom('psn_idet as d').innerJoin('psn_insu as i', 'i.psn_no', 'd.psn_no').select(['d.psn_idet_type', 'i.insutype']).execute();
      expect(idets.length).toBeGreaterThan(0);
      for (const d of idets) {
        expect(['2201', '2202']).toContain(d.psn_idet_type);
        expect(d.insutype).toBe('390');
      }
    });

    it('family links: an employee account owner and an existing member of the same pooling area', async () => {
      const links = await a.k
        .selectFrom('psn_family as f')
        .innerJoin('psn_insu as o', (j) => j.onRef('o.psn_no', '=', 'f.psn_no').on('o.insutype', '=', '310'))
        .innerJoin('psn_insu as m', (j) => j.onRef('m.psn_no', '=', 'f.mem_psn_no').on('m.insutype', '=', '390'))
        .select(['f.rlts', 'f.begndate', 'o.insuplc_admdvs as o_area', 'm.insuplc_admdvs as m_area', 'm.begndate as m_begn', 'o.begndate as o_begn'])
        .execute();
      expect(links.length).toBe(await count(a, 'select count(*)::int8 as n from psn_family'));
      expect(links.length).toBeGreaterThan(0);
      for (const l of links) {
        expect(['10', '20', '30']).toContain(l.rlts);
        expect(l.o_area).toBe(l.m_area);
        expect(l.begndate >= l.m_begn && l.begndate >= l.o_begn && l.begndate <= DEMO_AS_OF).toBe(true);
      }
    });
  });
});

describe('demo region: full default size', () => {
  it('the generated region has catalogues of realistic size and valid rows (no database)', () => {
    const data = generateDemoRegion({ seed: SEED, persons: DEFAULT_CONFIG.demoPersons });
    const by = (t: string) => data.catalogue.filter((i) => i.list_type === t).length;
    expect(by('101') + by('102') + by('103')).toBeGreaterThanOrEqual(20_000);
    expect(by('101')).toBeGreaterThan(10_000);
    expect(by('102')).toBeGreaterThan(1_000);
    expect(by('103')).toBeGreaterThan(500);
    expect(by('201')).toBeGreaterThanOrEqual(5_000);
    expect(by('301')).toBeGreaterThanOrEqual(5_000);
    expect(checkItems(data.catalogue)).toEqual([]);
    expect(data.persons).toHaveLength(10_000);
    expect(new Set(data.persons.map((p) => p.certno)).size).toBe(10_000);
    expect(data.persons.filter((p) => certnoProblem(p.certno, DEMO_AS_OF) !== null)).toEqual([]);
    expect(data.institutions.length).toBeGreaterThan(100);
    expect(data.practitioners.length).toBeGreaterThan(1_000);
    expect(data.family.length).toBeGreaterThan(300);
  });

  it('the size holds for other seeds', () => {
    for (const seed of [1, 42, 4_294_967_295]) {
      const c = generateDemoRegion({ seed, persons: 0 }).catalogue;
      const by = (t: string) => c.filter((i) => i.list_type === t).length;
      expect(by('101') + by('102') + by('103')).toBeGreaterThanOrEqual(20_000);
      expect(by('201')).toBeGreaterThanOrEqual(5_000);
      expect(by('301')).toBeGreaterThanOrEqual(5_000);
    }
  });

  it('loads in full into a database', async () => {
    const db = await freshDb();
    const r = await loadDemoRegion(db, { seed: SEED, persons: DEFAULT_CONFIG.demoPersons });
    const rows = Object.fromEntries(r.parts.map((p) => [p.part, p.rows]));
    expect(rows.catalogue).toBeGreaterThanOrEqual(30_000);
    expect(rows.persons).toBe(DEFAULT_CONFIG.demoPersons);
    const types = await db.k.selectFrom('hilist').select(['list_type', sql<number>`count(*)::int8`.as('n')]).groupBy('list_type').execute();
    const n = (t: string) => types.find((x) => x.list_type === t)?.n ?? 0;
    expect(n('101') + n('102') + n('103')).toBeGreaterThanOrEqual(20_000);
    expect(n('201')).toBeGreaterThanOrEqual(5_000);
    expect(n('301')).toBeGreaterThanOrEqual(5_000);
    expect(await count(db, 'select count(*)::int8 as n from psn')).toBe(DEFAULT_CONFIG.demoPersons);
  });
});

it('generation does not depend on the day it runs', () => {
  const one = JSON.stringify(generateDemoRegion(SMALL));
  try {
    vi.setSystemTime(new Date('2031-06-01T08:00:00Z'));
    expect(JSON.stringify(generateDemoRegion(SMALL))).toBe(one);
  } finally {
    vi.useRealTimers();
  }
});
