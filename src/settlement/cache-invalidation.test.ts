/**
 * Every write path of cached reference data shows at once on the settlement path (platform/cache.ts): each test
 * first reads through the cache (so a stale entry would exist), writes through the owning service, and reads again.
 * Areas, catalogue versions, agreements, practitioners' qualifications, policies, the 事中 audit configuration,
 * interface credentials and sign-ins.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { beijingDate } from '../platform/time.js';
import { observeQueries } from '../platform/db.js';
import { getAdmdvs } from '../standards/admdvs.js';
import { importAreas } from '../standards/admdvs-import.js';
import { bulkLoadCatalogue } from '../standards/catalogue/load.js';
import { getItems } from '../standards/catalogue/service.js';
import { changeAgreement, requireActiveInstitution } from '../standards/institutions/institutions.js';
import { changeQualification } from '../standards/practitioners/practitioners.js';
import { setCredentialStatus } from '../gateway/credentials.js';
import { HOSPITAL, ITEMS } from '../gateway/testing.js';
import { demoPolicies, findPolicy, insertPolicies } from './policy/index.js';
import { auditActions } from './audit.js';
import { setAuditAction } from './audit-config.js';
import { practitionerOn } from './context.js';
import { DOCTORS, HOSP3, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;
beforeAll(async () => {
  w = await settlementWorld();
});
afterAll(async () => w.close());

const today = beijingDate();

/** Statements sent while `body` runs. */
async function statements(body: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const stop = observeQueries(() => n++);
  try {
    await body();
  } finally {
    stop();
  }
  return n;
}

describe('reads are served from the cache once warm', () => {
  test('catalogue items, areas and practitioners: the second read sends nothing', async () => {
    const read = () => Promise.all([getItems(w.db, ITEMS.map((i) => i.hilist_code), { on: today, hosp_lv: '2', insutype: '310', insu_admdvs: '990100' }), getAdmdvs(w.db, '990102', today), practitionerOn(w.db, DOCTORS.wang, today)]);
    await read();
    expect(await statements(read)).toBe(0);
  });
});

describe('every write path invalidates what it changes', () => {
  test('importAreas: a new area is found after the import', async () => {
    expect(await getAdmdvs(w.db, '990103', today)).toBeUndefined();
    await importAreas(w.db, [{ admdvs: '990103', admdvs_name: '区划990103', admdvs_lv: '3', prnt_admdvs: '990100', poolarea_flag: '0', begndate: '2020-01-01', enddate: null }], SYSTEM_ACTOR);
    expect((await getAdmdvs(w.db, '990103', today))?.admdvs_name).toBe('区划990103');
  });

  test('bulkLoadCatalogue: a new version of an item replaces the cached one from its begndate', async () => {
    const code = ITEMS[0]!.hilist_code;
    const ctx = { on: today, hosp_lv: '2', insutype: '310', insu_admdvs: '990100' };
    expect((await getItems(w.db, [code], ctx)).get(code)?.hilist_name).toBe('二甲双胍片');
    // 甲 → 乙 with a 5 % 先自付 from today
    await bulkLoadCatalogue(w.db, [{ ...ITEMS[0]!, hilist_name: '二甲双胍片（新版）', chrgitm_lv: '02', selfpay_bp: 500, begndate: today }], SYSTEM_ACTOR);
    const item = (await getItems(w.db, [code], ctx)).get(code);
    expect(item).toMatchObject({ hilist_name: '二甲双胍片（新版）', chrgitm_lv: '02', selfpay_bp: 500, begndate: today });
    // the day before still answers the old version
    const before = (await getItems(w.db, [code], { ...ctx, on: '2025-01-01' })).get(code);
    expect(before?.hilist_name).toBe('二甲双胍片');
  });

  test('changeAgreement: a suspended agreement refuses settlement at once', async () => {
    await requireActiveInstitution(w.db, HOSP3, today);
    await changeAgreement(w.db, SYSTEM_ACTOR, { fixmedins_code: HOSP3, agmt_stas: '2', begndate: today, memo: '测试暂停' });
    await expect(requireActiveInstitution(w.db, HOSP3, today)).rejects.toThrow(/暂停/);
  });

  test('changeQualification: a suspended doctor is refused at once', async () => {
    expect(await practitionerOn(w.db, DOCTORS.chen, today)).toEqual({ ok: true });
    await changeQualification(w.db, SYSTEM_ACTOR, { prac_code: DOCTORS.chen, qual_stas: '2', begndate: today, reason: '测试暂停' });
    expect(await practitionerOn(w.db, DOCTORS.chen, today)).toMatchObject({ ok: false, registered: true });
  });

  test('insertPolicies: a region without policies gets one', async () => {
    const q = { insu_admdvs: '990900', insutype: '310', med_type: '21', hosp_lv: '2', psn_type: '1101', on: today };
    await expect(findPolicy(w.db, q)).rejects.toThrow(/未找到适用的待遇政策/);
    await insertPolicies(w.db, demoPolicies().filter((p) => p.insu_admdvs === '990100' && p.insutype === '310').map((p) => ({ ...p, insu_admdvs: '990900' })), SYSTEM_ACTOR);
    expect((await findPolicy(w.db, q)).insu_admdvs).toBe('990900');
  });

  test('a policy handed out is a copy: changing it does not change the next settlement', async () => {
    const q = { insu_admdvs: '990100', insutype: '310', med_type: '11', hosp_lv: '2', psn_type: '1101', on: today };
    const p = await findPolicy(w.db, q);
    const amt = p.dedc.amt;
    p.dedc.amt = amt + 1;
    expect((await findPolicy(w.db, q)).dedc.amt).toBe(amt);
  });

  test('setAuditAction: the new action applies at once', async () => {
    const before = await auditActions(w.db, '990100', today);
    const next = before['3'] === '1' ? '2' : '1';
    await setAuditAction(w.db, SYSTEM_ACTOR, { admdvs: '990100', sev_deg: '3', audit_act: next, begndate: today });
    expect((await auditActions(w.db, '990100', today))['3']).toBe(next);
  });

  test('setCredentialStatus: a disabled credential is refused on the next call; enabled again it works', async () => {
    const person = { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '', card_sn: '', begntime: '', psn_cert_type: '01', certno: '', psn_name: '' } };
    expect((await w.call('1201', { medinsinfo: { fixmedins_type: '', fixmedins_name: '', fixmedins_code: HOSPITAL } })).err_msg).toBeNull();
    await setCredentialStatus(w.db, SYSTEM_ACTOR, HOSPITAL, 'disabled');
    try {
      expect((await w.call('1101', person)).err_msg).toMatch(/已停用/);
    } finally {
      await setCredentialStatus(w.db, SYSTEM_ACTOR, HOSPITAL, 'active');
    }
    expect((await w.call('1201', { medinsinfo: { fixmedins_type: '', fixmedins_name: '', fixmedins_code: HOSPITAL } })).err_msg).toBeNull();
  });

  test('9002: a signed-out sign_no is refused on the next call', async () => {
    const sign_no = await w.signIn('0099');
    const call = (infno: string, input: unknown) => w.call(infno, input, { over: { sign_no, opter: '0099' } });
    const query = { medinsinfo: { fixmedins_type: '', fixmedins_name: '', fixmedins_code: HOSPITAL } };
    expect((await call('1201', query)).err_msg).toBeNull();
    expect((await call('9002', { signOut: { sign_no, opter_no: '0099' } })).err_msg).toBeNull();
    expect((await call('1201', query)).err_msg).toMatch(/已签退/);
  });
});
