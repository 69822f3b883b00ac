/**
 * Demo policies for the demo pooling areas 990100 (甲市) and 990200 (乙市): employee (310) and resident (390)
 * insurance for 门诊, 门慢特, 住院 and 药店, by institution level (1/2/3; unrated 9 as 一级) and person type.
 * The numbers are realistic for a Chinese prefecture (deductibles rising with the hospital level, retirees paying less, a second
 * admission at half the deductible, 职工大额 above the pooled limit, 居民大病 above a burden threshold,
 * medical assistance by identity) but belong to no real city. The two areas differ on purpose — band basis,
 * the account's 全自费 switch, caps — so tests and the demo show that policy is data.
 *
 * The demo loader calls `insertDemoPolicies(db, actor)` (or `insertPolicies(db, demoPolicies(), actor)`).
 * The areas and start date repeat src/demo/region.ts's values rather than import them: settlement must not
 * depend on the demo package.
 */
import type { Db } from '../../platform/db.js';
import type { Fen, RatioBp } from '../../platform/money.js';
import type { Actor } from '../../platform/oplog.js';
import { insertPolicies, type PolicyLoadReport } from './store.js';
import type { Band, PolicyInput, PsnTypeGrp } from './types.js';

const DEMO_POLICY_BEGNDATE = '2020-01-01';
const yuan = (n: number): Fen => n * 100;
const pct = (n: number): RatioBp => n * 100;
type Lv = '1' | '2' | '3';
type ByLv<T> = Record<Lv, T>;
// Unrated institutions (level 9: clinics, 未定级) are treated like 一级, as local policies usually do.
const LEVELS = ['1', '2', '3', '9'] as const;
const asLv = (lv: (typeof LEVELS)[number]): Lv => (lv === '9' ? '1' : lv);
const lvName = (lv: (typeof LEVELS)[number]) => (lv === '9' ? '未定级' : `${'一二三'[Number(lv) - 1]}级`);

interface AreaSpec {
  admdvs: string;
  name: string;
  /** 'year' makes the pooled bands run on the year's accumulated base. */
  poolBasis: 'settlement' | 'year';
  acctOwnpay: boolean;
  emp: {
    iptDedc: ByLv<number>;
    /** Ratios in percent by level for 在职 / 退休, and the ratio above `bandAt` yuan. */
    iptRatio: Record<'11' | '12', ByLv<[number, number]>>;
    bandAt: number;
    iptLmt: number;
    optDedc: Record<'11' | '12', number>;
    optRatio: Record<'11' | '12', ByLv<number>>;
    pharmRatio: Record<'11' | '12', number>;
    optLmt: Record<'11' | '12', number>;
    mtsRatio: Record<'11' | '12', ByLv<number>>;
    mtsLmt: number;
    largeRatio: number;
    largeLmt: number;
    cvl: { ipt: [number, number]; opt: [number, number]; lmt: number };
  };
  res: {
    iptDedc: ByLv<number>;
    iptRatio: ByLv<number>;
    iptLmt: number;
    optRatio: ByLv<number>;
    pharmRatio: number;
    optLmt: number;
    mtsDedc: number;
    mtsRatio: ByLv<number>;
    mtsLmt: number;
    largeThreshold: number;
    /** [upto yuan above the threshold or null, percent]. */
    largeBands: [number | null, number][];
    largeLmt: number;
  };
  maf: { ratios: Record<string, number>; lmt: number };
}

const AREAS: AreaSpec[] = [
  {
    admdvs: '990100',
    name: '甲市',
    poolBasis: 'settlement',
    acctOwnpay: false,
    emp: {
      iptDedc: { '1': 300, '2': 600, '3': 1200 },
      iptRatio: { '11': { '1': [90, 92], '2': [88, 90], '3': [85, 88] }, '12': { '1': [95, 96], '2': [93, 95], '3': [90, 93] } },
      bandAt: 50_000,
      iptLmt: 400_000,
      optDedc: { '11': 1000, '12': 700 },
      optRatio: { '11': { '1': 70, '2': 60, '3': 50 }, '12': { '1': 80, '2': 70, '3': 60 } },
      pharmRatio: { '11': 50, '12': 60 },
      optLmt: { '11': 3000, '12': 4000 },
      mtsRatio: { '11': { '1': 90, '2': 88, '3': 85 }, '12': { '1': 95, '2': 93, '3': 90 } },
      mtsLmt: 30_000,
      largeRatio: 90,
      largeLmt: 500_000,
      cvl: { ipt: [50, 60], opt: [30, 40], lmt: 100_000 },
    },
    res: {
      iptDedc: { '1': 200, '2': 500, '3': 1000 },
      iptRatio: { '1': 85, '2': 75, '3': 60 },
      iptLmt: 200_000,
      optRatio: { '1': 60, '2': 55, '3': 50 },
      pharmRatio: 50,
      optLmt: 600,
      mtsDedc: 300,
      mtsRatio: { '1': 70, '2': 65, '3': 60 },
      mtsLmt: 10_000,
      largeThreshold: 15_000,
      largeBands: [
        [100_000, 60],
        [null, 70],
      ],
      largeLmt: 400_000,
    },
    maf: { ratios: { '2201': 100, '2202': 70, '2203': 60, '2204': 50 }, lmt: 50_000 },
  },
  {
    admdvs: '990200',
    name: '乙市',
    poolBasis: 'year',
    acctOwnpay: true,
    emp: {
      iptDedc: { '1': 400, '2': 800, '3': 1000 },
      iptRatio: { '11': { '1': [91, 95], '2': [89, 93], '3': [86, 90] }, '12': { '1': [95, 97], '2': [93, 96], '3': [91, 94] } },
      bandAt: 30_000,
      iptLmt: 450_000,
      optDedc: { '11': 800, '12': 600 },
      optRatio: { '11': { '1': 75, '2': 65, '3': 55 }, '12': { '1': 85, '2': 75, '3': 65 } },
      pharmRatio: { '11': 55, '12': 65 },
      optLmt: { '11': 3500, '12': 4500 },
      mtsRatio: { '11': { '1': 88, '2': 86, '3': 84 }, '12': { '1': 93, '2': 91, '3': 89 } },
      mtsLmt: 25_000,
      largeRatio: 85,
      largeLmt: 400_000,
      cvl: { ipt: [60, 50], opt: [20, 30], lmt: 80_000 },
    },
    res: {
      iptDedc: { '1': 300, '2': 600, '3': 1200 },
      iptRatio: { '1': 80, '2': 70, '3': 55 },
      iptLmt: 250_000,
      optRatio: { '1': 55, '2': 50, '3': 45 },
      pharmRatio: 45,
      optLmt: 500,
      mtsDedc: 0,
      mtsRatio: { '1': 65, '2': 60, '3': 55 },
      mtsLmt: 8_000,
      largeThreshold: 12_000,
      largeBands: [
        [50_000, 60],
        [150_000, 70],
        [null, 80],
      ],
      largeLmt: 400_000,
    },
    maf: { ratios: { '2201': 100, '2202': 75, '2203': 65, '2204': 50 }, lmt: 40_000 },
  },
];

const flat = (p: number): Band[] => [{ upto: null, bp: pct(p) }];

function employeePolicies(a: AreaSpec): PolicyInput[] {
  const e = a.emp;
  const large = { fund: '330100' as const, basis: 'over_limit' as const, threshold: 0, bands: flat(e.largeRatio), lmt: yuan(e.largeLmt) };
  const cvl = ([d, r]: [number, number]) => ({ dedc_bp: pct(d), bp: pct(r), lmt: yuan(e.cvl.lmt) });
  const maf = { ratios: Object.fromEntries(Object.entries(a.maf.ratios).map(([k, v]) => [k, pct(v)])), lmt: yuan(a.maf.lmt) };
  const common = { insu_admdvs: a.admdvs, insutype: '310', acct: { ownpay: a.acctOwnpay, mulaid: true }, begndate: DEMO_POLICY_BEGNDATE, enddate: null };
  const out: PolicyInput[] = [];
  for (const grp of ['11', '12'] as const) {
    const who = grp === '11' ? '在职' : '退休';
    for (const hosp_lv of LEVELS) {
      const lv = asLv(hosp_lv);
      const [low, high] = e.iptRatio[grp][lv];
      out.push({
        ...common,
        med_type_fam: '21',
        hosp_lv,
        psn_type_grp: grp,
        acc_grp: '住院',
        dedc: { scope: 'admission', amt: yuan(e.iptDedc[lv]), amt_next: yuan(e.iptDedc[lv] / 2) },
        pool: { fund: '310100', basis: a.poolBasis, bands: [{ upto: yuan(e.bandAt), bp: pct(low) }, { upto: null, bp: pct(high) }], lmt: yuan(e.iptLmt) },
        large,
        cvlserv: cvl(e.cvl.ipt),
        maf,
        memo: `${a.name}职工${who}${lvName(hosp_lv)}医疗机构住院`,
      });
      out.push({
        ...common,
        med_type_fam: '11',
        hosp_lv,
        psn_type_grp: grp,
        acc_grp: '普通门诊',
        dedc: { scope: 'year', amt: yuan(e.optDedc[grp]), amt_next: null },
        pool: { fund: '310100', basis: 'settlement', bands: flat(e.optRatio[grp][lv]), lmt: yuan(e.optLmt[grp]) },
        large: null,
        cvlserv: cvl(e.cvl.opt),
        maf: null,
        memo: `${a.name}职工${who}${lvName(hosp_lv)}医疗机构普通门诊统筹`,
      });
      out.push({
        ...common,
        med_type_fam: '14',
        hosp_lv,
        psn_type_grp: grp,
        acc_grp: '门慢特',
        dedc: { scope: 'year', amt: 0, amt_next: null },
        pool: { fund: '310100', basis: 'settlement', bands: flat(e.mtsRatio[grp][lv]), lmt: yuan(e.mtsLmt) },
        large,
        cvlserv: cvl(e.cvl.opt),
        maf,
        memo: `${a.name}职工${who}${lvName(hosp_lv)}医疗机构门诊慢特病`,
      });
    }
    // Designated pharmacies share the outpatient pool: same deductible and annual limit.
    out.push({
      ...common,
      med_type_fam: '41',
      hosp_lv: '*',
      psn_type_grp: grp,
      acc_grp: '普通门诊',
      dedc: { scope: 'year', amt: yuan(e.optDedc[grp]), amt_next: null },
      pool: { fund: '310100', basis: 'settlement', bands: flat(e.pharmRatio[grp]), lmt: yuan(e.optLmt[grp]) },
      large: null,
      cvlserv: null,
      maf: null,
      memo: `${a.name}职工${who}定点药店门诊统筹`,
    });
  }
  return out;
}

function residentPolicies(a: AreaSpec): PolicyInput[] {
  const r = a.res;
  const large = {
    fund: '390200' as const,
    basis: 'burden' as const,
    threshold: yuan(r.largeThreshold),
    bands: r.largeBands.map(([upto, p]) => ({ upto: upto === null ? null : yuan(upto), bp: pct(p) })),
    lmt: yuan(r.largeLmt),
  };
  const maf = { ratios: Object.fromEntries(Object.entries(a.maf.ratios).map(([k, v]) => [k, pct(v)])), lmt: yuan(a.maf.lmt) };
  const common = { insu_admdvs: a.admdvs, insutype: '390', cvlserv: null, acct: { ownpay: a.acctOwnpay, mulaid: true }, begndate: DEMO_POLICY_BEGNDATE, enddate: null };
  const out: PolicyInput[] = [];
  for (const hosp_lv of LEVELS) {
    const lv = asLv(hosp_lv);
    // 学生儿童 pay half the inpatient deductible; other residents use the row for any person type.
    for (const grp of ['*', '14'] as const satisfies readonly (PsnTypeGrp | '*')[]) {
      const dedc = grp === '14' ? r.iptDedc[lv] / 2 : r.iptDedc[lv];
      out.push({
        ...common,
        med_type_fam: '21',
        hosp_lv,
        psn_type_grp: grp,
        acc_grp: '住院',
        dedc: { scope: 'admission', amt: yuan(dedc), amt_next: yuan(dedc / 2) },
        pool: { fund: '390100', basis: 'settlement', bands: flat(r.iptRatio[lv]), lmt: yuan(r.iptLmt) },
        large,
        maf,
        memo: `${a.name}城乡居民${grp === '14' ? '（学生儿童）' : ''}${lvName(hosp_lv)}医疗机构住院`,
      });
    }
    out.push({
      ...common,
      med_type_fam: '11',
      hosp_lv,
      psn_type_grp: '*',
      acc_grp: '普通门诊',
      dedc: { scope: 'year', amt: 0, amt_next: null },
      pool: { fund: '390100', basis: 'settlement', bands: flat(r.optRatio[lv]), lmt: yuan(r.optLmt) },
      large: null,
      maf: null,
      memo: `${a.name}城乡居民${lvName(hosp_lv)}医疗机构普通门诊统筹`,
    });
    out.push({
      ...common,
      med_type_fam: '14',
      hosp_lv,
      psn_type_grp: '*',
      acc_grp: '门慢特',
      dedc: { scope: 'year', amt: yuan(r.mtsDedc), amt_next: null },
      pool: { fund: '390100', basis: 'settlement', bands: flat(r.mtsRatio[lv]), lmt: yuan(r.mtsLmt) },
      large,
      maf,
      memo: `${a.name}城乡居民${lvName(hosp_lv)}医疗机构门诊慢特病`,
    });
  }
  out.push({
    ...common,
    med_type_fam: '41',
    hosp_lv: '*',
    psn_type_grp: '*',
    acc_grp: '普通门诊',
    dedc: { scope: 'year', amt: 0, amt_next: null },
    pool: { fund: '390100', basis: 'settlement', bands: flat(r.pharmRatio), lmt: yuan(r.optLmt) },
    large: null,
    maf: null,
    memo: `${a.name}城乡居民定点药店门诊统筹`,
  });
  return out;
}

/** Every demo policy version, in a fixed order (the demo's content checksum depends on it). */
export function demoPolicies(): PolicyInput[] {
  return AREAS.flatMap((a) => [...employeePolicies(a), ...residentPolicies(a)]);
}

/** Writes the demo policies (all or nothing). For the demo loader; not called at start-up by itself. */
export function insertDemoPolicies(db: Db, actor: Actor): Promise<PolicyLoadReport> {
  return insertPolicies(db, demoPolicies(), actor);
}
