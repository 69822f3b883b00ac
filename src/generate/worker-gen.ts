/**
 * Generates one chunk of the region: the encounters, settlements and every other row of a chunk's persons, from
 * the seed and the chunk index alone — in a worker thread (worker.ts) or in the calling thread (`workers: 0`).
 * Whatever thread runs a chunk, it gives the same text, so a run's checksums do not depend on the number of
 * workers. Each chunk numbers its ids from its own range (CHUNK_SERIALS × chunk index), never from what another
 * chunk used; the database's own sequences are not touched (the generated ranges lie far above them).
 */
import { Rng } from '../demo/prng.js';
import { Emitter, type ChunkFormats, type ChunkResult } from './chunk.js';
import { generatePerson, type Counters, type PersonContext } from './person.js';
import type { GenFamilyLink, GenPerson } from './persons.js';
import { buildWorld, type World } from './world.js';

/** What every chunk of a run shares: enough to rebuild the world and the generators in another thread. */
export interface ChunkSpec {
  seed: number;
  institutions?: number;
  start: string;
  months: number;
  violations: number;
  formats: ChunkFormats;
}

/** A chunk to generate: its persons (identities already region-wide unique) and their family links by position. */
export interface ChunkJob {
  index: number;
  persons: GenPerson[];
  family: { owner: number; member: number; rlts: GenFamilyLink['rlts']; begndate: string }[];
}

/**
 * Ids a chunk may use per counter: chunk c numbers from c × stride + 1. The largest chunk (2,000 persons × 36
 * months) has some 70,000 encounters and 10⁶ fee lines at most; the strides leave room several times over and
 * keep every id within its national width up to MAX_PERSONS (25,000 chunks): mdtrt/setl/list serials within the
 * 10¹⁰ generated dated-id serials above DATED_SERIAL_BASE, V + 10 digits, 13-digit trace serials.
 */
export const CHUNK_SERIALS: Readonly<Counters> = { vio: 100_000, mdtrt: 400_000, setl: 400_000, list: 400_000, feedetl: 10_000_000, trace: 10_000_000 };
/**
 * Generated fee-line ids (feedetl_id, bigint) start here: far above anything the feedetl_id sequence of live
 * uploads reaches, so a generated region and live traffic share the table without remapping ids.
 */
export const FEEDETL_ID_BASE = 900_000_000_000_000;

function chunkCounters(index: number): Counters {
  const c = {} as Counters;
  for (const k of Object.keys(CHUNK_SERIALS) as (keyof Counters)[]) c[k] = index * CHUNK_SERIALS[k];
  c.feedetl += FEEDETL_ID_BASE;
  return c;
}

function checkCounters(index: number, used: Counters): void {
  const first = chunkCounters(index);
  for (const k of Object.keys(CHUNK_SERIALS) as (keyof Counters)[]) {
    if (used[k] - first[k] > CHUNK_SERIALS[k]) throw new Error(`第 ${index} 块生成的 ${k} 编号超出了每块 ${CHUNK_SERIALS[k]} 个的范围`);
  }
}

export class ChunkGenerator {
  readonly world: World;
  private readonly root: Rng;
  private readonly emitter: Emitter;

  constructor(private readonly spec: ChunkSpec) {
    this.world = buildWorld(spec.seed, spec.institutions);
    this.root = new Rng(spec.seed).fork('generate');
    this.emitter = new Emitter(spec.formats);
  }

  generate(job: ChunkJob): ChunkResult {
    const { spec, emitter } = this;
    emitter.begin(job.index);
    const counters = chunkCounters(job.index);
    const ctx: PersonContext = { world: this.world, start: spec.start, months: spec.months, counters, emitter, violations: spec.violations };
    const stats = { persons: job.persons.length, encounters: 0, lines: 0 };
    for (const p of job.persons) {
      const s = generatePerson(ctx, p, this.root.fork(`psn/${p.index}`));
      stats.encounters += s.encounters;
      stats.lines += s.lines;
    }
    for (const f of job.family) {
      const owner = job.persons[f.owner]!;
      emitter.emit('psn_family', { psn_no: owner.psn_no, mem_psn_no: job.persons[f.member]!.psn_no, rlts: f.rlts, begndate: f.begndate }, '', owner.insuplc_admdvs);
    }
    checkCounters(job.index, counters);
    return emitter.finish(job.index, stats);
  }
}
