import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDb, type Db } from '../platform/db.js';
import { nextSerial } from '../platform/ids.js';
import { migrate } from '../platform/migrations.js';
import { blockMdtrtId, blockSetlId } from './id-block.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
});
afterAll(async () => db.close());

const AT = new Date('2025-03-10T02:00:00Z'); // 2025-03-10 10:00 Beijing

test('concurrent requests draw distinct ids of the national shape from shared blocks', async () => {
  const ids = await Promise.all(Array.from({ length: 70 }, () => blockSetlId(db, '990102', AT)));
  expect(new Set(ids).size).toBe(70);
  for (const id of ids) expect(id).toMatch(/^990102202503102\d{11}$/);
  // handed out in serial order within the process
  expect([...ids].sort()).toEqual(ids);
  // 70 ids took three blocks of the sequence, not 70 round trips: the sequence moved on by whole blocks
  const after = await nextSerial(db, 'setl');
  expect(after).toBe(3 * 32 + 1);
});

test('encounter ids come from their own sequence and carry kind 1', async () => {
  const [a, b] = [await blockMdtrtId(db, '990102', AT), await blockMdtrtId(db, '990102', AT)];
  expect(a).toMatch(/^990102202503101\d{11}$/);
  expect(Number(b.slice(-11))).toBe(Number(a.slice(-11)) + 1);
});
