/**
 * mdtrt_id and setl_id serials handed out from blocks: one round trip to the sequence per block instead of one
 * nextval per registration or settlement (the gateway does the same for inf_refmsgid). Ids keep their shape
 * (platform/ids formatDatedId) and stay unique across processes; within a process they still grow with time,
 * across processes they interleave by block — nothing orders by id (a stay's chain is setl_seq). Serials left in a
 * block when the process ends are never used, like any sequence gap.
 */
import type { Db } from '../platform/db.js';
import { formatDatedId, nextSerials } from '../platform/ids.js';

/** Serials reserved per round trip. */
const BLOCK = 32;

interface Block {
  free: number[];
  refill: Promise<void> | null;
}

/** Per database (its Kysely instance) and kind: a new database — a test world, a restart — starts a new block. */
const blocks = new WeakMap<object, Map<'mdtrt' | 'setl', Block>>();

async function serial(db: Db, kind: 'mdtrt' | 'setl'): Promise<number> {
  let byKind = blocks.get(db.k);
  if (!byKind) blocks.set(db.k, (byKind = new Map()));
  let b = byKind.get(kind);
  if (!b) byKind.set(kind, (b = { free: [], refill: null }));
  const block = b;
  while (!block.free.length) {
    block.refill ??= nextSerials(db, kind, BLOCK)
      .then((s) => void block.free.push(...s.sort((x, y) => x - y)))
      .finally(() => (block.refill = null));
    await block.refill;
  }
  return block.free.shift()!;
}

/** A new mdtrt_id (platform/ids newMdtrtId's shape) from the process's block. */
export async function blockMdtrtId(db: Db, admdvs: string, at = new Date()): Promise<string> {
  return formatDatedId(admdvs, at, await serial(db, 'mdtrt'), 'mdtrt');
}

/** A new setl_id (platform/ids newSetlId's shape) from the process's block. */
export async function blockSetlId(db: Db, admdvs: string, at = new Date()): Promise<string> {
  return formatDatedId(admdvs, at, await serial(db, 'setl'), 'setl');
}
