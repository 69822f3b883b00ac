/**
 * When and where a person seeks care: monthly rates of outpatient visits, 门慢特 visits, pharmacy purchases and
 * admissions by age and insurance (the parameters in docs/synthetic-data.md), mortality of the old, which
 * clinical bundle fits the person (age, sex, frequency), which institution treats it (level mix by setting,
 * the bundle's lowest level, mostly in the insured's own pooling area) and the length of stay. Pure: every
 * draw comes from the person's own generator.
 */
import type { Rng } from '../demo/prng.js';
import { DEMO_POOL_AREAS } from '../demo/region.js';
import { BUNDLES, CHRONIC, type Bundle, type Setting } from './bundles.js';
import type { Institution, Lv, World } from './world.js';

export type Kind = 'opt' | 'mts' | 'pharm' | 'ipt';

/** Monthly probability of an outpatient visit by age. */
function optRate(age: number): number {
  return age <= 6 ? 0.45 : age <= 17 ? 0.18 : age <= 44 ? 0.15 : age <= 59 ? 0.25 : age <= 74 ? 0.4 : 0.5;
}

/** Monthly probability of an admission by age (births added for women 20–40). */
function iptRate(age: number, gend: string): number {
  const base = age <= 4 ? 0.01 : age <= 17 ? 0.004 : age <= 44 ? 0.007 : age <= 59 ? 0.013 : age <= 74 ? 0.025 : 0.04;
  return base + (gend === '2' && age >= 20 && age <= 40 ? 0.005 : 0);
}

/** Monthly mortality by age (China's life table, rounded). */
export function deathRate(age: number): number {
  return age < 60 ? 0.0002 : age < 75 ? 0.0012 : age < 85 ? 0.004 : 0.012;
}

/** Small Poisson draw (rates here are below 1). */
function poisson(rng: Rng, rate: number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  let p = rng.next();
  while (p > limit && k < 6) {
    k++;
    p *= rng.next();
  }
  return k;
}

export interface PlannedEncounter {
  kind: Kind;
  day: number;
}

/** The encounters of one month, in day order (a day of the month 1…days). */
export function planMonth(rng: Rng, age: number, gend: string, employee: boolean, chronic: boolean, days: number): PlannedEncounter[] {
  const out: PlannedEncounter[] = [];
  const add = (kind: Kind, n: number) => {
    for (let i = 0; i < n; i++) out.push({ kind, day: rng.int(1, days) });
  };
  add('opt', poisson(rng, optRate(age) * (employee ? 1.3 : 1)));
  add('pharm', poisson(rng, employee ? 0.25 : 0.06));
  if (chronic && rng.chance(0.85)) add('mts', 1);
  if (rng.chance(iptRate(age, gend))) add('ipt', 1);
  return out.sort((a, b) => a.day - b.day || a.kind.localeCompare(b.kind));
}

/** The 门慢特 bundle a person is certified for, or null (prevalence by age, halved under 60). */
export function chronicBundle(rng: Rng, age: number, gend: string): Bundle | null {
  if (age < 35) return null;
  for (const [key, prevalence] of CHRONIC) {
    if (rng.chance(age >= 60 ? prevalence : prevalence / 2)) {
      const b = BUNDLES.find((x) => x.key === key)!;
      if (!b.gend || b.gend === gend) return b;
    }
  }
  return null;
}

export function pickBundle(rng: Rng, setting: Setting, age: number, gend: string): Bundle | null {
  const fit = BUNDLES.filter((b) => b.setting === setting && age >= b.ages[0] && age <= b.ages[1] && (!b.gend || b.gend === gend));
  if (!fit.length) return null;
  return rng.weighted(fit.map((b) => [b, b.weight * (age >= 60 ? (b.oldBoost ?? 1) : 1)] as const));
}

const LEVEL_MIX: Record<Kind, readonly (readonly [Lv, number])[]> = {
  opt: [['1', 45], ['2', 30], ['3', 25]],
  mts: [['2', 50], ['3', 50]],
  ipt: [['1', 15], ['2', 40], ['3', 45]],
  pharm: [['9', 1]],
};

/**
 * Days after a discharge within which the natural timeline admits no one again: a readmission that soon is what
 * 分解住院 (MGT-ADM-01, 15 days) looks for, so in this region it only happens where it is injected (a violation,
 * or a planned chemotherapy cycle labelled legitimate) and the answer key stays complete.
 */
export const READMIT_GAP_DAYS = 15;

/**
 * An institution for the setting: level by the mix (at least minLv), in the own pool 97 % of the time — or in
 * `fixedPool` (a second visit the same day stays in the city of the first: two cities within hours is what the
 * impossible-travel check of 冒名就医 looks for).
 */
export function pickInstitution(rng: Rng, world: World, kind: Kind, pool: string, minLv: '1' | '2' | '3' = '1', fixedPool?: string): Institution | null {
  const away = !rng.chance(0.97);
  const where = fixedPool ?? (away ? rng.pick(otherPools(pool)) : pool);
  const mix = LEVEL_MIX[kind].filter(([lv]) => lv === '9' || lv >= minLv);
  const options = (mix.length ? mix : [['3', 1] as const]).filter(([lv]) => world.byPoolLv.get(`${where}|${lv}`)?.length);
  if (!options.length) return null;
  const lv = rng.weighted(options);
  return rng.pick(world.byPoolLv.get(`${where}|${lv}`)!);
}

/** Length of stay: log-normal around the bundle's median, within its bounds. */
export function lengthOfStay(rng: Rng, los: NonNullable<Bundle['los']>): number {
  // Box–Muller from two uniform draws
  const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Math.min(los.max, Math.max(los.min, Math.round(los.median * Math.exp(los.sigma * z))));
}

/** The other pooling areas (cities) of the region. */
export function otherPools(pool: string): string[] {
  return DEMO_POOL_AREAS.filter((p) => p !== pool);
}

/** A hospital of `pool` at one of `levels`, other than `exclude` (null: none). */
export function pickOtherHospital(rng: Rng, world: World, pool: string, levels: readonly Lv[], exclude: readonly string[] = []): Institution | null {
  const options = levels.flatMap((lv) => world.byPoolLv.get(`${pool}|${lv}`) ?? []).filter((i) => !exclude.includes(i.fixmedins_code));
  return options.length ? rng.pick(options) : null;
}
