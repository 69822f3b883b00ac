/**
 * Persons of the generated region, one chunk at a time: the demo person generator (census age/sex pyramid,
 * 职工 在职/退休/公务员, 居民 by age, 低保/特困, account balances, family mutual-aid links) run per chunk with
 * a chunk-labelled generator, then given region-wide identities — psn_no and card numbers in a range of their own
 * (serial 9×10¹³ + n, so they never meet the demo region's 1…900,000 or live enrollment's sequence), and
 * certnos kept unique across chunks (a repeat is moved to the next free sequence number of the same birth date
 * and sex, as a real registry office would issue it).
 */
import { generateFamilyLinks, generatePeople, type DemoPerson } from '../demo/gen-people.js';
import type { Rng } from '../demo/prng.js';
import { DEMO_AS_OF } from '../demo/region.js';
import { certnoCheckChar } from '../enrollment/certno.js';
import { formatPsnNo } from '../platform/ids.js';

/** Persons per chunk. Fixed: part of what a seed means (chunks draw from generators labelled by index). */
export const CHUNK_PERSONS = 2000;
/** Generated psn_no serials start here (formatPsnNo pads to 14 digits). */
export const PSN_SERIAL_BASE = 90_000_000_000_000;

export interface GenPerson extends DemoPerson {
  /** Region-wide index (0-based) of the person. */
  index: number;
  psn_no: string;
}

export interface GenFamilyLink {
  owner: GenPerson;
  member: GenPerson;
  rlts: '10' | '20' | '30';
  begndate: string;
}

const RLTS = { 配偶: '10', 子女: '20', 父母: '30' } as const;

/** A certno not in `taken`: the same area, birth date and sex, the next free sequence number. */
export function uniqueCertno(certno: string, taken: Set<string>): string {
  if (!taken.has(certno)) return certno;
  const head = certno.slice(0, 14);
  const seq = Number(certno.slice(14, 17));
  for (let k = 1; k < 500; k++) {
    const next = (seq + 2 * k) % 1000; // +2 keeps the sex digit's parity
    const first17 = `${head}${String(next).padStart(3, '0')}`;
    const candidate = first17 + certnoCheckChar(first17);
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`同一出生日期和性别的身份证号已用尽：${head}`);
}

export function generateChunkPersons(root: Rng, chunk: number, count: number, taken: Set<string>): { persons: GenPerson[]; family: GenFamilyLink[] } {
  const people = generatePeople(root.fork(`people/${chunk}`), count, DEMO_AS_OF);
  const persons = people.map((p, i): GenPerson => {
    const index = chunk * CHUNK_PERSONS + i;
    const certno = uniqueCertno(p.certno, taken);
    taken.add(certno);
    return {
      ...p,
      certno,
      index,
      psn_no: formatPsnNo(p.insuplc_admdvs, PSN_SERIAL_BASE + index + 1),
      card_no: `${p.insuplc_admdvs.slice(0, 4)}9${String(index + 1).padStart(8, '0')}${p.card_no.slice(-1)}`,
    };
  });
  const family = generateFamilyLinks(root.fork(`family/${chunk}`), people).map((l) => ({ owner: persons[l.owner]!, member: persons[l.member]!, rlts: RLTS[l.rlts], begndate: l.begndate }));
  return { persons, family };
}
