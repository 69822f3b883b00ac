/**
 * The reference-data cache on its own: hits after the first load, per-database entries, the size bound (least
 * recently used first), invalidation and stamps (a load that raced an invalidation is not kept), remote stamps,
 * batched loads that cache absent keys, and the effective-date helpers.
 */
import { describe, expect, test } from 'vitest';
import { applyStamps, invalidate, onInvalidate, RefCache, stampOf, versionOn, versionsOn, writingTo } from './cache.js';

const dbA = { runScript: () => undefined };
const dbB = { runScript: () => undefined };
/** A view of dbA as onExec builds it (spread copy, same runScript). */
const viewOfA = { ...dbA, k: 'trx' };

function counting<T>(value: (key: string) => T) {
  const calls: string[] = [];
  return { calls, load: (key: string) => async () => (calls.push(key), value(key)) };
}

describe('RefCache', () => {
  test('loads a key once, shares it with every view of the same database, not with another database', async () => {
    const c = new RefCache<string>('admdvs', { max: 10 });
    const l = counting((k) => `v-${k}`);
    expect(await c.get(dbA, 'x', l.load('x'))).toBe('v-x');
    expect(await c.get(viewOfA, 'x', l.load('x'))).toBe('v-x');
    expect(l.calls).toEqual(['x']);
    expect(await c.get(dbB, 'x', l.load('x'))).toBe('v-x');
    expect(l.calls).toEqual(['x', 'x']);
  });

  test('keeps at most `max` entries, dropping the least recently used', async () => {
    const c = new RefCache<string>('admdvs', { max: 2 });
    const l = counting((k) => k);
    await c.get(dbA, 'a', l.load('a'));
    await c.get(dbA, 'b', l.load('b'));
    await c.get(dbA, 'a', l.load('a')); // a is now the most recent
    await c.get(dbA, 'c', l.load('c')); // drops b
    await c.get(dbA, 'a', l.load('a'));
    await c.get(dbA, 'b', l.load('b'));
    expect(l.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  test('an entry older than ttlMs is loaded again', async () => {
    const c = new RefCache<string>('admdvs', { max: 10, ttlMs: 0 });
    const l = counting((k) => k);
    await c.get(dbA, 'a', l.load('a'));
    await new Promise((r) => setTimeout(r, 2));
    await c.get(dbA, 'a', l.load('a'));
    expect(l.calls).toEqual(['a', 'a']);
  });

  test('invalidate drops the namespace in every database, bumps its stamp and tells listeners', async () => {
    const c = new RefCache<string>('practitioner', { max: 10 });
    const other = new RefCache<string>('policy', { max: 10 });
    const l = counting((k) => k);
    await c.get(dbA, 'a', l.load('a'));
    await c.get(dbB, 'a', l.load('a'));
    await other.get(dbA, 'p', l.load('p'));
    const heard: string[] = [];
    const stop = onInvalidate((ns) => heard.push(ns));
    const before = stampOf('practitioner');
    invalidate('practitioner');
    stop();
    expect(stampOf('practitioner')).toBe(before + 1);
    expect(heard).toEqual(['practitioner']);
    await c.get(dbA, 'a', l.load('a'));
    await c.get(dbB, 'a', l.load('a'));
    await other.get(dbA, 'p', l.load('p'));
    expect(l.calls).toEqual(['a', 'a', 'p', 'a', 'a']);
  });

  test('a load that was running when the namespace was invalidated is answered but not kept', async () => {
    const c = new RefCache<string>('catalogue', { max: 10 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const loads: string[] = [];
    const slow = c.get(dbA, 'k', async () => {
      loads.push('old');
      await gate;
      return 'old';
    });
    invalidate('catalogue');
    // a caller after the invalidation does not join the old load
    const fresh = c.get(dbA, 'k', async () => (loads.push('new'), 'new'));
    release();
    expect(await slow).toBe('old');
    expect(await fresh).toBe('new');
    expect(await c.get(dbA, 'k', async () => (loads.push('again'), 'again'))).toBe('new');
    expect(loads).toEqual(['old', 'new']);
  });

  test('concurrent misses of one key share one load', async () => {
    const c = new RefCache<number>('institution', { max: 10 });
    let n = 0;
    const load = async () => {
      await new Promise((r) => setTimeout(r, 5));
      return ++n;
    };
    expect(await Promise.all([c.get(dbA, 'k', load), c.get(dbA, 'k', load), c.get(dbA, 'k', load)])).toEqual([1, 1, 1]);
  });

  test('getMany loads only the missing keys, in one call, and caches the absent ones as absent', async () => {
    const c = new RefCache<string[]>('catalogue', { max: 10 });
    const batches: string[][] = [];
    const loadMissing = async (keys: string[]) => (batches.push(keys), new Map(keys.filter((k) => k !== 'nope').map((k) => [k, [k]])));
    const first = await c.getMany(dbA, ['a', 'b', 'a', 'nope'], loadMissing, []);
    expect([...first]).toEqual([
      ['a', ['a']],
      ['b', ['b']],
      ['nope', []],
    ]);
    const second = await c.getMany(dbA, ['b', 'c', 'nope'], loadMissing, []);
    expect(second.get('c')).toEqual(['c']);
    expect(second.get('nope')).toEqual([]);
    expect(batches).toEqual([['a', 'b', 'nope'], ['c']]);
  });

  test('writingTo invalidates after the write, also when it fails', async () => {
    const before = stampOf('policy');
    await writingTo('policy', async () => 1);
    await expect(writingTo(['policy', 'dict'], async () => Promise.reject(new Error('写入失败')))).rejects.toThrow('写入失败');
    expect(stampOf('policy')).toBe(before + 2);
  });

  test('a remote stamp ahead of ours drops the namespace; one behind or equal does not', async () => {
    const c = new RefCache<string>('dict', { max: 10 });
    const l = counting((k) => k);
    await c.get(dbA, 'd', l.load('d'));
    applyStamps({ dict: stampOf('dict') });
    await c.get(dbA, 'd', l.load('d'));
    expect(l.calls).toEqual(['d']);
    applyStamps({ dict: stampOf('dict') + 5 });
    await c.get(dbA, 'd', l.load('d'));
    expect(l.calls).toEqual(['d', 'd']);
  });
});

describe('effective dates', () => {
  const versions = [
    { v: 1, begndate: '2024-01-01', enddate: '2024-06-30' },
    { v: 2, begndate: '2024-07-01', enddate: null },
  ];
  test('versionOn picks the version in force, both ends inclusive; none before the first', () => {
    expect(versionOn(versions, '2023-12-31')).toBeUndefined();
    expect(versionOn(versions, '2024-01-01')?.v).toBe(1);
    expect(versionOn(versions, '2024-06-30')?.v).toBe(1);
    expect(versionOn(versions, '2024-07-01')?.v).toBe(2);
    expect(versionOn(versions, '2030-01-01')?.v).toBe(2);
  });
  test('versionsOn keeps every row in force', () => {
    expect(versionsOn(versions, '2024-06-30').map((x) => x.v)).toEqual([1]);
    expect(versionsOn([...versions, { v: 3, begndate: '2024-01-01', enddate: null }], '2024-03-01').map((x) => x.v)).toEqual([1, 3]);
  });
});
