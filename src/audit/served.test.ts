import { describe, expect, test } from 'vitest';
import { served } from './service.js';

type Slot = Parameters<typeof served<number>>[1] extends (s: infer S) => void ? S : never;

/** A holder for one cached slot and a loader whose calls resolve when the test says so. */
function harness() {
  let slot: Slot;
  const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  const load = () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject }));
  const get = (ttl: number, gen?: number) =>
    served(
      () => slot,
      (s) => (slot = s),
      ttl,
      gen,
      load,
    );
  return { get, pending, drop: () => (slot = undefined) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('audit snapshots: served while the next one loads', () => {
  test('within the lifetime the snapshot is served without a load', async () => {
    const h = harness();
    const first = h.get(60_000);
    h.pending[0]!.resolve(1);
    expect(await first).toBe(1);
    expect(await h.get(60_000)).toBe(1);
    expect(h.pending).toHaveLength(1);
  });

  test('past its lifetime the old snapshot answers at once while one reload runs, then the new one is served', async () => {
    const h = harness();
    const first = h.get(0);
    h.pending[0]!.resolve(1);
    await first;
    await tick();
    expect(await h.get(0)).toBe(1); // expired: served stale, reload started
    expect(await h.get(0)).toBe(1); // still stale, no second reload
    expect(h.pending).toHaveLength(2);
    h.pending[1]!.resolve(2);
    await tick();
    expect(await h.get(60_000)).toBe(2);
  });

  test('a failed reload keeps the last good snapshot and the next call tries again', async () => {
    const h = harness();
    const first = h.get(0);
    h.pending[0]!.resolve(1);
    await first;
    await tick();
    expect(await h.get(0)).toBe(1);
    h.pending[1]!.reject(new Error('数据库不可用'));
    await tick();
    expect(await h.get(0)).toBe(1);
    expect(h.pending).toHaveLength(3);
  });

  test('after a write (slot dropped or generation moved) callers wait for the new snapshot', async () => {
    const h = harness();
    const first = h.get(60_000, 1);
    h.pending[0]!.resolve(1);
    await first;
    await tick();
    const moved = h.get(60_000, 2);
    let got: number | undefined;
    void moved.then((v) => (got = v));
    await tick();
    expect(got).toBeUndefined();
    h.pending[1]!.resolve(2);
    expect(await moved).toBe(2);
    h.drop();
    const afterDrop = h.get(60_000, 2);
    h.pending[2]!.resolve(3);
    expect(await afterDrop).toBe(3);
  });

  test('a first load that fails is not kept', async () => {
    const h = harness();
    const first = h.get(60_000);
    h.pending[0]!.reject(new Error('数据库不可用'));
    await expect(first).rejects.toThrow('数据库不可用');
    await tick();
    const again = h.get(60_000);
    expect(h.pending).toHaveLength(2);
    h.pending[1]!.resolve(5);
    expect(await again).toBe(5);
  });
});
