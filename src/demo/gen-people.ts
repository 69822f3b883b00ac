/**
 * Generates the demo region's insured persons: an age/sex pyramid close to China's 2020 census, the insurance
 * mix of a typical prefecture (employee insurance for about a third, resident insurance for the rest), person
 * types by age and work status, civil servants, assistance groups (低保/特困), personal-account balances for
 * employees, social-security cards and family mutual-aid links. Deterministic from the generator passed in.
 */
import { Rng } from './prng.js';
import { DEMO_POOL_AREAS, districtsOf } from './region.js';
import { EMPLOYERS, GIVEN_FEMALE, GIVEN_MALE, NATY_WEIGHTS, STREETS, SURNAMES } from './vocab-people.js';
import { certnoCheckChar } from '../enrollment/certno.js';
import { addDays } from '../platform/time.js';

export interface DemoPerson {
  certno: string;
  psn_name: string;
  gend: '1' | '2';
  brdy: string;
  naty: string;
  psn_type: string;
  insutype: '310' | '390';
  insuplc_admdvs: string;
  begndate: string;
  tel: string;
  addr: string;
  emp_name: string | null;
  cvlserv_flag: '0' | '1';
  /** Personal-account opening balance in fen (employees only). */
  acct_balc: number;
  card_no: string;
  /** Assistance identity (低保 / 特困) or null. */
  idet: '低保' | '特困' | null;
}

/** Age bands (years) and weights, roughly the 2020 census pyramid. */
const AGE_BANDS: readonly (readonly [[number, number], number])[] = [
  [[0, 4], 55], [[5, 9], 64], [[10, 14], 60], [[15, 19], 52], [[20, 24], 53], [[25, 29], 66], [[30, 34], 88],
  [[35, 39], 70], [[40, 44], 66], [[45, 49], 81], [[50, 54], 86], [[55, 59], 72], [[60, 64], 52], [[65, 69], 50],
  [[70, 74], 35], [[75, 79], 22], [[80, 84], 15], [[85, 95], 10],
];

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function birthDate(rng: Rng, age: number, asOf: string): string {
  const year = Number(asOf.slice(0, 4)) - age - 1;
  const start = `${year}-${asOf.slice(5)}`;
  return addDays(start, rng.int(1, 365));
}

function nameFor(rng: Rng, gend: '1' | '2'): string {
  const surname = rng.weighted(SURNAMES);
  const chars = gend === '1' ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.chance(0.75) ? rng.pick([...chars]) + rng.pick([...chars]) : rng.pick([...chars]);
  return surname + given;
}

/** Person type and insurance for an age: employees (在职/退休, 公务员, 灵活就业) or residents by age group. */
function insuranceFor(rng: Rng, age: number): { insutype: '310' | '390'; psn_type: string; cvl: boolean } {
  if (age >= 18 && age < 60 && rng.chance(0.48)) {
    const kind = rng.weighted([['1101', 80], ['1102', 7], ['1103', 13]] as const);
    return { insutype: '310', psn_type: kind, cvl: kind === '1102' };
  }
  if (age >= 60 && rng.chance(0.4)) {
    const kind = rng.weighted([['1201', 88], ['1202', 7], ['1203', 5]] as const);
    return { insutype: '310', psn_type: kind, cvl: kind === '1202' };
  }
  if (age === 0) return { insutype: '390', psn_type: '1401', cvl: false };
  if (age <= 6) return { insutype: '390', psn_type: '1402', cvl: false };
  if (age <= 17) return { insutype: '390', psn_type: '1403', cvl: false };
  if (age <= 22 && rng.chance(0.45)) return { insutype: '390', psn_type: '1404', cvl: false };
  return { insutype: '390', psn_type: '1501', cvl: false };
}

export function generatePeople(rng: Rng, count: number, asOf: string): DemoPerson[] {
  const out: DemoPerson[] = [];
  const usedCertno = new Set<string>();
  for (let i = 0; i < count; i++) {
    const pool = i % 5 < 3 ? DEMO_POOL_AREAS[0] : DEMO_POOL_AREAS[1]; // 甲市 larger than 乙市
    const district = rng.pick(districtsOf(pool));
    const gend: '1' | '2' = rng.chance(0.512) ? '1' : '2';
    const [lo, hi] = rng.weighted(AGE_BANDS);
    const age = rng.int(lo, hi);
    const brdy = birthDate(rng, age, asOf);
    let certno = '';
    do {
      // sequence digits: the last one odd for men, even for women (GB 11643)
      const seq = rng.int(0, 49) * 2 + (gend === '1' ? 1 : 0);
      const first17 = `${district}${brdy.replace(/-/g, '')}${pad(rng.int(0, 9), 1)}${pad(seq, 2)}`;
      certno = first17 + certnoCheckChar(first17);
    } while (usedCertno.has(certno));
    usedCertno.add(certno);
    const ins = insuranceFor(rng, age);
    const employed = ins.insutype === '310';
    // employees from their first job (18 at the earliest), residents from the 2016 urban–rural merger
    const birthYear = Number(brdy.slice(0, 4));
    const begnYear = employed ? Math.max(birthYear + 18, Number(asOf.slice(0, 4)) - rng.int(1, 25), 2000) : Math.max(birthYear, 2016);
    const begndate = `${Math.min(begnYear, Number(asOf.slice(0, 4)) - 1)}-01-01`;
    const retired = ins.psn_type.startsWith('12');
    const acct = employed ? rng.int(retired ? 100_000 : 30_000, retired ? 900_000 : 600_000) : 0;
    const poor = !employed && rng.chance(0.035) ? (rng.chance(0.8) ? '低保' : '特困') : null;
    out.push({
      certno,
      psn_name: nameFor(rng, gend),
      gend,
      brdy,
      naty: rng.weighted(NATY_WEIGHTS),
      psn_type: ins.psn_type,
      insutype: ins.insutype,
      insuplc_admdvs: pool,
      begndate: brdy > begndate ? brdy : begndate,
      tel: `1${rng.pick(['3', '5', '7', '8', '9'])}${pad(rng.int(0, 999_999_999), 9)}`,
      addr: `${rng.pick(STREETS)}${rng.int(1, 399)}号${rng.int(1, 30)}栋${rng.int(101, 2805)}室`,
      emp_name: employed && !retired ? rng.pick(EMPLOYERS) : null,
      cvlserv_flag: ins.cvl ? '1' : '0',
      acct_balc: acct - (acct % 100),
      card_no: `${pool.slice(0, 4)}${pad(i + 1, 8)}${String.fromCharCode(65 + rng.int(0, 25))}`,
      idet: poor,
    });
  }
  return out;
}

export interface DemoFamilyLink {
  /** Indexes into the people list: the employee who owns the account and the member who may use it. */
  owner: number;
  member: number;
  rlts: '配偶' | '子女' | '父母';
  begndate: string;
}

/**
 * Family mutual-aid links (家庭共济): some employees let a spouse, child or parent insured in the same pooling
 * area use their personal account, from the policy's start in 2023 (or the later of the two enrollments).
 */
export function generateFamilyLinks(rng: Rng, people: DemoPerson[]): DemoFamilyLink[] {
  const links: DemoFamilyLink[] = [];
  const residentsByPool = new Map<string, number[]>();
  people.forEach((p, i) => {
    if (p.insutype !== '390') return;
    const list = residentsByPool.get(p.insuplc_admdvs);
    if (list) list.push(i);
    else residentsByPool.set(p.insuplc_admdvs, [i]);
  });
  const used = new Set<number>();
  people.forEach((p, i) => {
    const residents = residentsByPool.get(p.insuplc_admdvs);
    if (p.insutype !== '310' || !residents || !rng.chance(0.15)) return;
    const mi = rng.pick(residents);
    if (used.has(mi)) return;
    used.add(mi);
    const member = people[mi]!;
    const ageGap = Number(member.brdy.slice(0, 4)) - Number(p.brdy.slice(0, 4));
    const from = addDays('2023-01-01', rng.int(0, 700));
    const begndate = [from, p.begndate, member.begndate].reduce((a, b) => (a > b ? a : b));
    links.push({ owner: i, member: mi, rlts: ageGap > 16 ? '子女' : ageGap < -16 ? '父母' : '配偶', begndate });
  });
  return links;
}
