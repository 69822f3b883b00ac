/**
 * 2601 冲正 as a HIS uses it after a timeout: the original is named by its msgid and infno; a settlement is
 * reversed (account and accumulators back to the fen), an upload's lines and a registration are cancelled; an
 * original that never arrived, failed, or was already undone is a success with nothing to do.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newMsgid } from '../gateway/testing.js';
import { loadAccumulators } from './accumulators.js';
import { HOSPITAL, hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;
const year = Number(new Date().toISOString().slice(0, 4));

beforeAll(async () => {
  w = await settlementWorld();
});
afterAll(async () => w.close());

const undo = (psn_no: string, omsgid: string, oinfno: string) => w.call('2601', { data: { psn_no, omsgid, oinfno, exp_content: '' } });
const lines = (mdtrt_id: string, psn_no: string) => [hisFeeLine(mdtrt_id, psn_no, 'F1', 'XA10BAE001A001010100001', '0.95', '1200', '1140.00'), hisFeeLine(mdtrt_id, psn_no, 'F2', 'XG04CAE002A002010100002', '18.50', '2', '37.00')];

describe('2601 冲正', () => {
  test('of a 2207 settlement: reversed as by 2208, account and accumulators restored; a second 2601 does nothing', async () => {
    const z = w.people.zhang;
    const balance = await w.balance(z);
    const accBefore = await loadAccumulators(w.db.k, { psn_no: z, insutype: '310', year });
    const mdtrt_id = await registerVisit(w, z, 'C-SETL');
    expect((await w.call('2204', { feedetail: lines(mdtrt_id, z) })).err_msg).toBeNull();
    const msgid = newMsgid(HOSPITAL);
    const s = await w.call<{ setlinfo: { setl_id: string; acct_pay: number; medins_setl_id: string } }>('2207', outpatientSettleData(z, mdtrt_id, '1177.00'), { msgid });
    expect(s.err_msg).toBeNull();
    expect(s.output.setlinfo.medins_setl_id).toBe(msgid);
    expect(await w.balance(z)).toBe(balance - Math.round(s.output.setlinfo.acct_pay * 100));

    const before = await w.counts();
    const a = await undo(z, msgid, '2207');
    expect(a.err_msg).toBeNull();
    expect(a.output).toEqual({});
    const after = await w.counts();
    expect(after.setl).toBe(before.setl! + 1);
    expect(after.fund_ledger).toBe(before.fund_ledger! + 2);
    const rows = await w.db.k.selectFrom('setl').select(['setl_id', 'refd_setl_flag', 'vali_flag', 'init_setl_id']).where('mdtrt_id', '=', mdtrt_id).orderBy('crte_time').execute();
    expect(rows.map((r) => [r.refd_setl_flag, r.vali_flag, r.init_setl_id])).toEqual([
      ['0', '0', null],
      ['1', '1', s.output.setlinfo.setl_id],
    ]);
    expect(await w.balance(z)).toBe(balance);
    expect(await loadAccumulators(w.db.k, { psn_no: z, insutype: '310', year })).toEqual({ ...accBefore, groups: { ...accBefore.groups, 普通门诊: accBefore.groups['普通门诊'] ?? { dedc_used: 0, pool_base: 0, pool_paid: 0 } } });
    const mdtrt = await w.db.k.selectFrom('mdtrt').select('setl_flag').where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(mdtrt.setl_flag).toBe('0');

    const stable = await w.counts();
    expect((await undo(z, msgid, '2207')).err_msg).toBeNull();
    const later = await w.counts();
    expect({ ...later, opt_log: 0 }).toEqual({ ...stable, opt_log: 0 });
  });

  test('of a 2204 upload: its lines are cancelled; of a 2201: the registration is cancelled', async () => {
    const z = w.people.sun;
    const regMsgid = newMsgid(HOSPITAL);
    const r = await w.call<{ data: { mdtrt_id: string } }>('2201', { data: { psn_no: z, insutype: '310', begntime: '2025-03-10 09:00:00', mdtrt_cert_type: '02', ipt_otp_no: 'C-REG', atddr_no: 'D99010200001' } }, { msgid: regMsgid });
    expect(r.err_msg).toBeNull();
    const mdtrt_id = r.output.data.mdtrt_id;
    const upMsgid = newMsgid(HOSPITAL);
    expect((await w.call('2204', { feedetail: lines(mdtrt_id, z) }, { msgid: upMsgid })).err_msg).toBeNull();
    expect((await undo(z, regMsgid, '2201')).err_msg).toBe(`就诊ID ${mdtrt_id} 已上传 2 条有效费用明细，请先撤销费用明细（2205）再撤销挂号`);
    expect((await undo(z, upMsgid, '2204')).err_msg).toBeNull();
    const valid = await w.db.k.selectFrom('feedetl').select(['feedetl_sn', 'vali_flag', 'cncl_msgid']).where('mdtrt_id', '=', mdtrt_id).orderBy('feedetl_sn').execute();
    expect(valid.map((v) => v.vali_flag)).toEqual(['0', '0']);
    expect((await undo(z, regMsgid, '2201')).err_msg).toBeNull();
    const m = await w.db.k.selectFrom('mdtrt').select('vali_flag').where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(m.vali_flag).toBe('0');
  });

  test('an upload whose lines were settled is not undone behind the settlement’s back', async () => {
    const z = w.people.sun;
    const mdtrt_id = await registerVisit(w, z, 'C-SETTLED');
    const upMsgid = newMsgid(HOSPITAL);
    expect((await w.call('2204', { feedetail: lines(mdtrt_id, z) }, { msgid: upMsgid })).err_msg).toBeNull();
    expect((await w.call('2207', outpatientSettleData(z, mdtrt_id, '1177.00'))).err_msg).toBeNull();
    const before = await w.counts();
    expect((await undo(z, upMsgid, '2204')).err_msg).toBe(`原交易上传的费用明细已结算（就诊ID ${mdtrt_id}），请先冲正或撤销结算`);
    expect(await w.counts()).toEqual(before);
  });

  test('an original that never arrived, or failed, leaves nothing to undo; a wrong infno or person is refused', async () => {
    const z = w.people.zhang;
    const before = await w.counts();
    expect((await undo(z, 'H99010200001209901010000009999', '2207')).err_msg).toBeNull();
    const failed = newMsgid(HOSPITAL);
    const f = await w.call('2207', outpatientSettleData(z, '990100202503100000099999', '1.00'), { msgid: failed });
    expect(f.infcode).toBe(-1);
    expect((await undo(z, failed, '2207')).err_msg).toBeNull();
    expect((await undo(z, failed, '2304')).err_msg).toBe(`原报文 ${failed} 的交易编号为 2207，不是 2304：字段data.oinfno：与原交易不符`);
    const mdtrt_id = await registerVisit(w, z, 'C-OTHER');
    const reg = await w.db.k.selectFrom('mdtrt').select('reg_msgid').where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect((await undo(w.people.li, reg.reg_msgid, '2201')).err_msg).toBe(`人员编号 ${w.people.li} 与原交易 ${reg.reg_msgid} 的参保人不符：字段psn_no：与原交易不符`);
    const after = await w.counts();
    expect(after.mdtrt).toBe(before.mdtrt! + 1);
    expect(after.setl).toBe(before.setl);
  });
});
