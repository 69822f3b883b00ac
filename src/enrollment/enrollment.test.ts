import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../platform/db.js';
import { migrate } from '../platform/migrations.js';
import { SYSTEM_ACTOR, type Actor } from '../platform/oplog.js';
import { importAreas } from '../standards/admdvs-import.js';
import { insertShippedDict } from '../standards/dict.js';
import { certnoCheckChar } from './certno.js';
import { enrollPerson, findPerson, getPersonView, importPersonsFile, recordDeath, type EnrollInput } from './persons.js';
import { accountBalance, creditAccount, payFromAccount } from './account.js';
import { relationHistory, relationOn, resumeRelation, suspendRelation, terminateRelation, transferRelation } from './relations.js';
import { benefitStatus, benefitStatuses } from './benefit.js';
import { accountOwnersFor, bindFamily, familyMembers, payForFamilyMember, unbindFamily } from './family.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-psn-'));
const handler990100: Actor = { id: 'u1', name: '甲市经办员', admdvs: ['990100'] };
const handler990200: Actor = { id: 'u2', name: '乙市经办员', admdvs: ['990200'] };

/** A valid certno for a birth date and sex: area 990102, sequence chosen so its parity matches the sex. */
function certno(brdy: string, gend: '1' | '2', seq: number): string {
  const s = String(seq * 2 + (gend === '1' ? 1 : 0)).padStart(3, '0');
  const first17 = `990102${brdy.replaceAll('-', '')}${s}`;
  return first17 + certnoCheckChar(first17);
}

const person = (over: Partial<EnrollInput> & { brdy: string; gend: '1' | '2'; seq: number }): EnrollInput => ({
  certno: certno(over.brdy, over.gend, over.seq),
  psn_name: '测试人',
  naty: '01',
  psn_type: '1101',
  insutype: '310',
  insuplc_admdvs: '990100',
  begndate: '2020-01-01',
  ...over,
});

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
  await insertShippedDict(db.k);
  const area = (admdvs: string, lv: '1' | '2' | '3', prnt: string | null) => ({ admdvs, admdvs_name: `区划${admdvs}`, admdvs_lv: lv, prnt_admdvs: prnt, poolarea_flag: lv === '2' ? ('1' as const) : ('0' as const), begndate: '2020-01-01', enddate: null });
  await importAreas(db, [area('990000', '1', null), area('990100', '2', '990000'), area('990102', '3', '990100'), area('990200', '2', '990000')], SYSTEM_ACTOR);
});
afterAll(async () => db.close());

describe('enrollment', () => {
  test('enrolls a person and finds them by psn_no, certno and card; the 1101 view carries the account balance', async () => {
    const psn_no = await enrollPerson(db, handler990100, person({ brdy: '1980-05-06', gend: '1', seq: 1, psn_name: '张三', acct_balc: 123_45, card_no: 'A99000001' }));
    expect(psn_no).toMatch(/^990100\d+/);
    const byCert = await findPerson(db, { certno: certno('1980-05-06', '1', 1) });
    const byCard = await findPerson(db, { card_no: 'A99000001' });
    expect(byCert?.psn_no).toBe(psn_no);
    expect(byCard?.psn_no).toBe(psn_no);
    const view = await getPersonView(db, psn_no, '2026-01-01');
    expect(view.baseinfo).toMatchObject({ psn_name: '张三', gend: '1', brdy: '1980-05-06', age: 45 });
    expect(view.insuinfo).toEqual([expect.objectContaining({ insutype: '310', balc: 123.45, psn_insu_stas: '1', insuplc_admdvs: '990100' })]);
    const log = await db.k.selectFrom('opt_log').selectAll().where('action', '=', 'psn.enroll').where('target_id', '=', psn_no).execute();
    expect(log).toHaveLength(1);
  });

  test('refuses bad input with Chinese messages naming the field, and writes nothing', async () => {
    const bad = person({ brdy: '1990-01-01', gend: '1', seq: 2 });
    const wrongCheck = bad.certno.slice(0, 17) + (bad.certno[17] === '0' ? '1' : '0');
    await expect(enrollPerson(db, handler990100, { ...bad, certno: wrongCheck })).rejects.toThrow(/certno：身份证号校验位错误/);
    await expect(enrollPerson(db, handler990100, { ...bad, gend: '2' })).rejects.toThrow(/性别与身份证号不符/);
    await expect(enrollPerson(db, handler990100, { ...bad, insuplc_admdvs: '990102' })).rejects.toThrow(/不是统筹区/);
    await expect(enrollPerson(db, handler990100, { ...bad, insutype: '999' })).rejects.toThrow(/insutype/);
    await expect(enrollPerson(db, handler990100, { ...bad, insuplc_admdvs: '990200' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await findPerson(db, { certno: bad.certno })).toBeUndefined();
    // the same certno twice is a conflict
    await enrollPerson(db, handler990100, bad);
    await expect(enrollPerson(db, handler990100, bad)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  test('a person import is all-or-nothing and its report names row and field', async () => {
    const ok = person({ brdy: '2001-02-03', gend: '2', seq: 3, psn_type: '1501', insutype: '390' });
    const ok2 = person({ brdy: '1975-07-08', gend: '1', seq: 4 });
    const header = 'certno,psn_name,gend,brdy,naty,psn_type,insutype,insuplc_admdvs,begndate,acct_balc';
    const line = (r: EnrollInput, acct = '') => [r.certno, '李四', r.gend, r.brdy, r.naty, r.psn_type, r.insutype, r.insuplc_admdvs, r.begndate, acct].join(',');
    const badFile = join(dir, 'bad.csv');
    writeFileSync(badFile, [header, line(ok), line(ok2, '12.345')].join('\n'));
    await expect(importPersonsFile(db, badFile, SYSTEM_ACTOR)).rejects.toMatchObject({ problems: [expect.objectContaining({ row: 3, field: 'acct_balc' })] });
    expect(await findPerson(db, { certno: ok.certno })).toBeUndefined();
    // an empty birth date and a card number used twice are reported per row, not left to the database
    const cardFile = join(dir, 'cards.csv');
    writeFileSync(cardFile, [`${header},card_no`, `${line(ok)},C9901000001`, `${line({ ...ok2, brdy: '' })},C9901000001`].join('\n'));
    const err = await importPersonsFile(db, cardFile, SYSTEM_ACTOR).then(
      () => null,
      (e: unknown) => e as { problems: { row?: number; field?: string }[] },
    );
    expect(err?.problems).toEqual(expect.arrayContaining([expect.objectContaining({ row: 3, field: 'brdy' }), expect.objectContaining({ row: 3, field: 'card_no' })]));
    const goodFile = join(dir, 'good.csv');
    writeFileSync(goodFile, [header, line(ok), line(ok2, '500.10')].join('\n'));
    const report = await importPersonsFile(db, goodFile, SYSTEM_ACTOR);
    expect(report.inserted).toBe(2);
    const p2 = await findPerson(db, { certno: ok2.certno });
    expect(await accountBalance(db, p2!.psn_no)).toBe(500_10);
  });
});

describe('insurance relations over time', () => {
  test('suspend and resume keep history; the status valid on a date is the one used', async () => {
    const psn_no = await enrollPerson(db, handler990100, person({ brdy: '1985-03-04', gend: '2', seq: 5 }));
    await suspendRelation(db, handler990100, { psn_no, insutype: '310', date: '2024-03-01', memo: '中断缴费' });
    await resumeRelation(db, handler990100, { psn_no, insutype: '310', date: '2024-06-01' });
    const hist = await relationHistory(db, psn_no);
    expect(hist.map((r) => [r.psn_insu_stas, r.begndate, r.enddate])).toEqual([
      ['1', '2020-01-01', '2024-02-29'],
      ['2', '2024-03-01', '2024-05-31'],
      ['1', '2024-06-01', null],
    ]);
    expect((await benefitStatus(db, psn_no, '310', '2024-02-29')).entitled).toBe(true);
    const paused = await benefitStatus(db, psn_no, '310', '2024-04-15');
    expect(paused.entitled).toBe(false);
    expect(paused.reasons[0]).toMatch(/暂停参保/);
    expect((await benefitStatus(db, psn_no, '310', '2024-06-01')).entitled).toBe(true);
    expect((await benefitStatus(db, psn_no, '310', '2019-12-31')).reasons[0]).toMatch(/无有效的 310 参保关系/);
    // resuming a normal relation is refused; a change dated before the current version is refused
    await expect(resumeRelation(db, handler990100, { psn_no, insutype: '310', date: '2024-07-01' })).rejects.toThrow(/正常参保/);
    await expect(suspendRelation(db, handler990100, { psn_no, insutype: '310', date: '2024-05-01' })).rejects.toThrow(/暂停参保|不能/);
    // another area's handler may not touch it
    await expect(suspendRelation(db, handler990200, { psn_no, insutype: '310', date: '2025-01-01' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('transfer moves the relation and the account balance to the new area in one transaction', async () => {
    const psn_no = await enrollPerson(db, handler990100, person({ brdy: '1970-10-10', gend: '1', seq: 6, acct_balc: 2000_00 }));
    await transferRelation(db, handler990100, { psn_no, insutype: '310', date: '2025-01-01', to_admdvs: '990200' });
    expect((await relationOn(db, psn_no, '310', '2024-12-31'))?.insuplc_admdvs).toBe('990100');
    const now = await relationOn(db, psn_no, '310', '2025-01-01');
    expect(now).toMatchObject({ insuplc_admdvs: '990200', crt_insu_date: '2020-01-01', psn_insu_stas: '1' });
    expect(await accountBalance(db, psn_no)).toBe(2000_00);
    const moves = await db.k.selectFrom('psn_acct_ledger').select(['move_type', 'amt']).where('psn_no', '=', psn_no).orderBy('acct_ledger_id').execute();
    expect(moves.map((m) => [m.move_type, m.amt])).toEqual([['credit_fund', '2000.00'], ['transfer_out', '-2000.00'], ['transfer_in', '2000.00']]);
    await expect(transferRelation(db, handler990200, { psn_no, insutype: '310', date: '2025-06-01', to_admdvs: '990102' })).rejects.toThrow(/不是统筹区/);
    await expect(transferRelation(db, handler990200, { psn_no, insutype: '310', date: '2025-06-01', to_admdvs: '990200' })).rejects.toThrow(/无需转移/);
    // the failed attempt left nothing behind
    expect((await relationHistory(db, psn_no)).length).toBe(2);
  });

  test('death terminates open relations from the next day; later care is refused', async () => {
    const psn_no = await enrollPerson(db, handler990100, person({ brdy: '1940-01-02', gend: '1', seq: 7, psn_type: '1201' }));
    await recordDeath(db, handler990100, psn_no, '2025-08-10');
    expect((await benefitStatus(db, psn_no, '310', '2025-08-10')).entitled).toBe(true);
    const after = await benefitStatus(db, psn_no, '310', '2025-08-11');
    expect(after.entitled).toBe(false);
    expect(after.reasons.join('；')).toMatch(/死亡.*终止参保/);
    await expect(recordDeath(db, handler990100, psn_no, '2025-08-12')).rejects.toThrow(/已登记死亡/);
    await expect(terminateRelation(db, handler990100, { psn_no, insutype: '310', date: '2025-09-01' })).rejects.toThrow(/终止参保/);
    expect(await benefitStatuses(db, psn_no, '2025-09-01')).toHaveLength(1);
  });
});

describe('personal account and family mutual aid', () => {
  test('the balance is the sum of the ledger; overdraft is refused and writes nothing', async () => {
    const psn_no = await enrollPerson(db, handler990100, person({ brdy: '1988-08-08', gend: '2', seq: 8, acct_balc: 100_00 }));
    expect(await creditAccount(db, { psn_no, amt_fen: 50_50 })).toBe(150_50);
    await db.k.transaction().execute((trx) => payFromAccount(trx, { psn_no, amt_fen: 30_00, ref_type: 'setl', ref_id: 'S1' }));
    expect(await accountBalance(db, psn_no)).toBe(120_50);
    await expect(db.k.transaction().execute((trx) => payFromAccount(trx, { psn_no, amt_fen: 120_51 }))).rejects.toThrow(/余额不足/);
    expect(await accountBalance(db, psn_no)).toBe(120_50);
  });

  test('under the caller’s person lock the payment is one statement with the same balance check', async () => {
    const psn_no = await enrollPerson(db, handler990100, person({ brdy: '1988-09-09', gend: '1', seq: 31, acct_balc: 100_00 }));
    const locked = (amt_fen: number) =>
      db.k.transaction().execute(async (trx) => {
        await trx.selectFrom('psn').select('psn_no').where('psn_no', '=', psn_no).forUpdate().execute();
        return payFromAccount(trx, { psn_no, amt_fen, ref_type: 'setl', ref_id: 'S2' }, { personLocked: true });
      });
    expect(await locked(40_00)).toBe(60_00);
    expect(await accountBalance(db, psn_no)).toBe(60_00);
    await expect(locked(60_01)).rejects.toThrow('个人账户余额不足：余额 60.00 元，需支付 60.01 元');
    expect(await accountBalance(db, psn_no)).toBe(60_00);
    expect(await locked(60_00)).toBe(0);
  });

  test('a bound relative is paid for from the owner account; unbound or resident owners are refused', async () => {
    const owner = await enrollPerson(db, handler990100, person({ brdy: '1978-01-01', gend: '1', seq: 9, acct_balc: 800_00 }));
    const child = await enrollPerson(db, handler990100, person({ brdy: '2010-06-01', gend: '2', seq: 10, psn_type: '1403', insutype: '390' }));
    await expect(bindFamily(db, handler990100, { psn_no: child, mem_psn_no: owner, rlts: '30', begndate: '2024-01-01' })).rejects.toThrow(/职工基本医疗保险/);
    await expect(bindFamily(db, handler990100, { psn_no: owner, mem_psn_no: child, rlts: '99', begndate: '2024-01-01' })).rejects.toThrow(/rlts/);
    await bindFamily(db, handler990100, { psn_no: owner, mem_psn_no: child, rlts: '20', begndate: '2024-01-01' });
    await expect(bindFamily(db, handler990100, { psn_no: owner, mem_psn_no: child, rlts: '20', begndate: '2024-05-01' })).rejects.toThrow(/已有共济绑定/);
    expect((await familyMembers(db, owner, '2024-02-01')).map((l) => l.mem_psn_no)).toEqual([child]);
    expect((await accountOwnersFor(db, child, '2024-02-01')).map((l) => l.psn_no)).toEqual([owner]);
    const after = await db.k.transaction().execute((trx) => payForFamilyMember(trx, { owner_psn_no: owner, mem_psn_no: child, amt_fen: 66_60, on: '2024-02-01', ref_type: 'setl', ref_id: 'S2' }));
    expect(after).toBe(733_40);
    await unbindFamily(db, handler990100, { psn_no: owner, mem_psn_no: child, enddate: '2024-12-31' });
    await expect(db.k.transaction().execute((trx) => payForFamilyMember(trx, { owner_psn_no: owner, mem_psn_no: child, amt_fen: 1_00, on: '2025-01-05' }))).rejects.toThrow(/未与/);
    expect(await accountBalance(db, owner)).toBe(733_40);
  });
});
