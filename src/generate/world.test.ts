import { describe, expect, it } from 'vitest';
import { buildWorld, traceProducts } from './world.js';

describe('trace-code product identifiers', () => {
  it('gives distinct codes distinct identifiers even when their hashes clash, whatever the order asked', () => {
    // enough codes that some share a hash modulo 10⁶ (birthday bound: some 1,200 for even odds)
    const codes = Array.from({ length: 20_000 }, (_, i) => `XA${String(i * 7919).padStart(9, '0')}`);
    const ids = traceProducts(codes);
    expect(ids.size).toBe(codes.length);
    expect(new Set(ids.values()).size).toBe(codes.length);
    for (const id of ids.values()) expect(id).toMatch(/^8\d{6}$/);
    // the same catalogue in another order (or with repeats) gives the same assignment
    const again = traceProducts([...codes].reverse().concat(codes.slice(0, 10)));
    expect(Object.fromEntries(again)).toEqual(Object.fromEntries(ids));
  });

  it('names one product per drug of the region, and refuses a code it does not know', () => {
    const world = buildWorld(5);
    const seen = new Map<string, string>();
    for (const inst of world.institutions.slice(0, 20)) {
      for (const name of ['阿莫西林', '对乙酰氨基酚', '阿奇霉素', '奥美拉唑', '氨氯地平', '氨溴索']) {
        const code = world.itemCode(inst, { name, kind: 'drug', cnt: 1 }, 'opt', false);
        if (!code) continue;
        const product = world.traceProduct(code);
        const other = [...seen].find(([c, p]) => p === product && c !== code);
        expect(other, `${code} 与 ${other?.[0]} 同一药品标识码 ${product}`).toBeUndefined();
        seen.set(code, product);
      }
    }
    expect(seen.size).toBeGreaterThan(1);
    expect(() => world.traceProduct('NO-SUCH-CODE')).toThrow();
  });
});
