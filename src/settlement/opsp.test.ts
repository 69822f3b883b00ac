/**
 * 门诊慢特病备案 through the gateway as a HIS sends it: 2503 files, 5301 lists, a later filing of the same disease
 * closes the earlier one, 2504 cancels (only the filing institution, only once); bad filings write nothing.
 * Also the bulk loader the demo region can use.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { beijingDate } from '../platform/time.js';
import { bulkLoadOpspFilings } from './opsp.js';
import { DOCTORS, HOSP3, HOSPITAL, hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;
beforeAll(async () => {
  w = await settlementWorld();
}, 300_000);
afterAll(async () => w.close());

const filings = async () => Number((await sql<{ n: number }>`select count(*)::int8 as n from opsp_reg`.execute(w.db.k)).rows[0]!.n);

/** 2503 data as a HIS sends it: strings, empty strings for what it leaves out. */
function data2503(psn_no: string, over: Record<string, string> = {}) {
  return {
    data: {
      psn_no,
      insutype: '310',
      opsp_dise_code: 'M03900',
      opsp_dise_name: '高血压',
      tel: '',
      addr: '',
      insu_optins: '990100',
      ide_fixmedins_no: HOSPITAL,
      ide_fixmedins_name: '甲市第一人民医院',
      hosp_ide_date: '2025-01-10',
      diag_dr_codg: 'D99010200001',
      diag_dr_name: '王医生',
      begndate: '2025-01-15',
      enddate: '',
      exp_content: '',
      ...over,
    },
  };
}

interface Feedetail {
  feedetail: Record<string, unknown>[];
}

describe('2503 / 5301 / 2504 人员慢特病备案', () => {
  let first = '';
  test('2503 files and answers trt_dcla_detl_sn; 5301 lists the filing in full', async () => {
    const a = await w.call<{ result: { trt_dcla_detl_sn: string } }>('2503', data2503(w.people.zhang));
    expect(a.err_msg).toBeNull();
    expect(a.output).toEqual({ result: { trt_dcla_detl_sn: expect.stringMatching(/^990100\d{8}9\d{11}$/) } });
    first = a.output.result.trt_dcla_detl_sn;
    const q = await w.call<Feedetail>('5301', { data: { psn_no: w.people.zhang } }, { inst: HOSP3 });
    expect(q.output).toEqual({
      feedetail: [
        {
          opsp_dise_code: 'M03900',
          opsp_dise_name: '高血压',
          begndate: '2025-01-15',
          enddate: null,
          trt_dcla_detl_sn: first,
          insutype: '310',
          insu_optins: '990100',
          ide_fixmedins_no: HOSPITAL,
          ide_fixmedins_name: '甲市第一人民医院',
          hosp_ide_date: '2025-01-10',
          diag_dr_codg: 'D99010200001',
          diag_dr_name: '王医生',
          fixmedins_code: HOSPITAL,
        },
      ],
    });
    const log = await w.db.k.selectFrom('opt_log').select(['action', 'opter_id']).where('target_id', '=', first).execute();
    expect(log).toEqual([{ action: 'opsp.file', opter_id: HOSPITAL }]);
  });

  test('a later filing of the same disease closes the earlier one the day before; 5301 newest first, on_date narrows', async () => {
    const a = await w.call<{ result: { trt_dcla_detl_sn: string } }>('2503', data2503(w.people.zhang, { begndate: '2026-01-01', enddate: '2026-12-31', insutype: '' }));
    expect(a.err_msg).toBeNull();
    const q = await w.call<Feedetail>('5301', { data: { psn_no: w.people.zhang, opsp_dise_code: '', on_date: '' } });
    expect(q.output.feedetail.map((r) => [r.trt_dcla_detl_sn, r.begndate, r.enddate])).toEqual([
      [a.output.result.trt_dcla_detl_sn, '2026-01-01', '2026-12-31'],
      [first, '2025-01-15', '2025-12-31'],
    ]);
    const on = await w.call<Feedetail>('5301', { data: { psn_no: w.people.zhang, on_date: '2025-06-01' } });
    expect(on.output.feedetail.map((r) => r.trt_dcla_detl_sn)).toEqual([first]);
  });

  test.each([
    ['a filing that starts before a later one', { begndate: '2025-06-01' }, '的病种 M03900 已有自 2026-01-01 起的备案'],
    ['another insured area', { insu_optins: '990200', opsp_dise_code: 'M01600' }, '参保机构 990200 与人员的参保地 990100 不符'],
    ['an insurance the person does not hold', { insutype: '390', opsp_dise_code: 'M01600' }, '没有险种 390 的参保关系'],
    ['end before start', { begndate: '2025-03-01', enddate: '2025-02-01', opsp_dise_code: 'M01600' }, '结束日期 2025-02-01 早于开始日期 2025-03-01'],
    ['identification in the future', { hosp_ide_date: '2999-01-01', opsp_dise_code: 'M01600' }, '医院鉴定日期 2999-01-01 晚于今天'],
    ['a missing disease name', { opsp_dise_name: '' }, '交易输入有误'],
  ])('refused: %s — nothing is written', async (_n, over, msg) => {
    const before = await filings();
    const a = await w.call('2503', data2503(w.people.zhang, over));
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain(msg);
    expect(await filings()).toBe(before);
  });

  test('an unknown person is refused by 2503 and 5301', async () => {
    expect((await w.call('2503', data2503('99010000000000999999'))).err_msg).toBe('人员编号 99010000000000999999 不存在');
    expect((await w.call('5301', { data: { psn_no: '99010000000000999999' } })).err_msg).toBe('人员编号 99010000000000999999 不存在');
  });

  test('2504: another institution may not cancel; the filer cancels once; 5301 no longer lists it', async () => {
    const other = await w.call('2504', { data: { trt_dcla_detl_sn: first, psn_no: w.people.zhang, memo: '' } }, { inst: HOSP3 });
    expect(other.err_msg).toBe(`备案 ${first} 由 ${HOSPITAL} 办理，本机构不能撤销`);
    const wrongPsn = await w.call('2504', { data: { trt_dcla_detl_sn: first, psn_no: w.people.li } });
    expect(wrongPsn.err_msg).toContain('没有待遇申报明细流水号');
    const ok = await w.call('2504', { data: { trt_dcla_detl_sn: first, psn_no: w.people.zhang, memo: '误备案' } });
    expect(ok.err_msg).toBeNull();
    expect(ok.output).toEqual({});
    const row = await w.db.k.selectFrom('opsp_reg').select(['vali_flag', 'cncl_memo']).where('trt_dcla_detl_sn', '=', first).executeTakeFirstOrThrow();
    expect(row).toEqual({ vali_flag: '0', cncl_memo: '误备案' });
    expect((await w.call('2504', { data: { trt_dcla_detl_sn: first, psn_no: w.people.zhang } })).err_msg).toBe(`备案 ${first} 已撤销，不能重复撤销`);
    const q = await w.call<Feedetail>('5301', { data: { psn_no: w.people.zhang } });
    expect(q.output.feedetail.map((r) => r.trt_dcla_detl_sn)).not.toContain(first);
  });
});

describe('concurrent 2503 of one person', () => {
  const validFilings = (psn_no: string, code: string) =>
    w.db.k.selectFrom('opsp_reg').select(['trt_dcla_detl_sn', 'begndate', 'enddate']).where('psn_no', '=', psn_no).where('opsp_dise_code', '=', code).where('vali_flag', '=', '1').orderBy('begndate').execute();

  test('the same disease from the same day, filed four times at once: exactly one filing, the others refused in Chinese', async () => {
    const p = w.people.zhang;
    const answers = await Promise.all([1, 2, 3, 4].map(() => w.call<{ result: { trt_dcla_detl_sn: string } }>('2503', data2503(p, { opsp_dise_code: 'M05100', opsp_dise_name: '糖尿病', begndate: '2025-04-01' }))));
    const ok = answers.filter((a) => a.infcode === 0);
    expect(ok).toHaveLength(1);
    for (const a of answers.filter((x) => x.infcode !== 0)) expect(a.err_msg).toMatch(/^人员 \d+ 的病种 M05100 已有自 2025-04-01 起的备案（\d+），新备案的开始日期须晚于该日期/);
    expect(await validFilings(p, 'M05100')).toEqual([{ trt_dcla_detl_sn: ok[0]!.output.result.trt_dcla_detl_sn, begndate: '2025-04-01', enddate: null }]);
  });

  test('different start days at once: whatever the order, the valid filings never overlap', async () => {
    const p = w.people.zhang;
    const days = ['2025-07-01', '2025-06-01', '2025-08-01', '2025-05-01'];
    await Promise.all(days.map((begndate) => w.call('2503', data2503(p, { opsp_dise_code: 'M05200', opsp_dise_name: '冠心病', begndate }))));
    const rows = await validFilings(p, 'M05200');
    expect(rows.length).toBeGreaterThan(0);
    for (let i = 1; i < rows.length; i++) {
      const prev = rows[i - 1]!;
      expect(prev.enddate).not.toBeNull();
      expect(prev.enddate! < rows[i]!.begndate).toBe(true);
    }
    expect(rows[rows.length - 1]!.enddate).toBeNull();
  });
});

describe('bulkLoadOpspFilings', () => {
  const row = (sn: string, psn_no: string, over: Record<string, string> = {}) => ({
    trt_dcla_detl_sn: sn,
    fixmedins_code: HOSPITAL,
    psn_no,
    opsp_dise_code: 'M07800',
    opsp_dise_name: '糖尿病',
    insu_optins: '990100',
    ide_fixmedins_no: HOSPITAL,
    ide_fixmedins_name: '甲市第一人民医院',
    hosp_ide_date: '2024-03-01',
    diag_dr_codg: 'D99010200001',
    diag_dr_name: '王医生',
    begndate: '2024-03-05',
    ...over,
  });

  test('loads checked rows; one bad row loads nothing', async () => {
    const today = beijingDate();
    const before = await filings();
    await expect(bulkLoadOpspFilings(w.db, SYSTEM_ACTOR, [row('LOAD-1', w.people.zhao), row('LOAD-2', w.people.li, { insu_optins: '990200' })], today)).rejects.toThrow('参保机构 990200 与人员的参保地 990100 不符');
    expect(await filings()).toBe(before);
    expect(await bulkLoadOpspFilings(w.db, SYSTEM_ACTOR, [row('LOAD-1', w.people.zhao), row('LOAD-2', w.people.li)], today)).toBe(2);
    const q = await w.call<Feedetail>('5301', { data: { psn_no: w.people.li } });
    expect(q.output.feedetail).toEqual([expect.objectContaining({ trt_dcla_detl_sn: 'LOAD-2', insutype: '390', opsp_dise_code: 'M07800' })]);
  });
});

describe('5205 人员慢特病用药记录查询', () => {
  /** A visit of med_type 14 or 11 with a drug, a Chinese patent medicine and a service line, settled. */
  async function visit(no: string, med_type: '14' | '11'): Promise<{ mdtrt_id: string; setl_id: string }> {
    const p = w.people.sun;
    const mdtrt_id = await registerVisit(w, p, no);
    const up = await w.call('2203', {
      mdtrtinfo: { mdtrt_id, psn_no: p, med_type, begntime: '2025-03-10 09:00:00', main_cond_dscr: '', dise_codg: med_type === '14' ? 'M03900' : '', dise_name: med_type === '14' ? '高血压' : '', birctrl_type: '', birctrl_matn_date: '' },
      diseinfo: [{ diag_type: '1', diag_srt_no: '1', diag_code: 'I10.x00', diag_name: '原发性高血压', diag_dept: '内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-10 09:10:00', vali_flag: '1' }],
    });
    expect(up.err_msg).toBeNull();
    const lines = [
      hisFeeLine(mdtrt_id, p, 'F1', 'XA10BAE001A001010100001', '0.85', '30', '25.50', { fee_ocur_time: '2025-03-10 10:05:00' }),
      hisFeeLine(mdtrt_id, p, 'F2', 'ZA01AAA0001B001010100', '12.00', '1', '12.00', { fee_ocur_time: '2025-03-10 10:06:00' }),
      hisFeeLine(mdtrt_id, p, 'F3', '001102000010000', '10.00', '1', '10.00'),
    ];
    expect((await w.call('2204', { feedetail: lines })).err_msg).toBeNull();
    const a = await w.call<{ setlinfo: { setl_id: string } }>('2207', outpatientSettleData(p, mdtrt_id, '47.50', { med_type, acct_used_flag: '0' }));
    expect(a.err_msg).toBeNull();
    return { mdtrt_id, setl_id: a.output.setlinfo.setl_id };
  }

  test('only the drug lines of valid 门慢特 settlements, newest first; a reversed one and a 普通门诊 one are left out', async () => {
    const kept = await visit('OPSP-1', '14');
    await visit('OPSP-2', '11');
    const reversed = await visit('OPSP-3', '14');
    expect((await w.call('2208', { data: { setl_id: reversed.setl_id, mdtrt_id: reversed.mdtrt_id, psn_no: w.people.sun } })).err_msg).toBeNull();
    const q = await w.call<Feedetail>('5205', { data: { psn_no: w.people.sun, begntime: '', endtime: '' } }, { inst: HOSP3 });
    expect(q.err_msg).toBeNull();
    expect(q.output.feedetail).toEqual([
      expect.objectContaining({ mdtrt_id: kept.mdtrt_id, setl_id: kept.setl_id, fixmedins_code: HOSPITAL, fixmedins_name: '甲市第一人民医院', med_type: '14', dise_codg: 'M03900', feedetl_sn: 'F2', fee_ocur_time: '2025-03-10 10:06:00', med_list_codg: 'ZA01AAA0001B001010100', med_list_name: '感冒清热颗粒', med_chrgitm_type: '11', cnt: 1, pric: 12, det_item_fee_sumamt: 12 }),
      expect.objectContaining({ feedetl_sn: 'F1', med_list_name: '二甲双胍片', cnt: 30, pric: 0.85, det_item_fee_sumamt: 25.5 }),
    ]);
    const late = await w.call<Feedetail>('5205', { data: { psn_no: w.people.sun, begntime: '2025-03-10 10:05:30' } });
    expect(late.output.feedetail.map((r) => r.feedetl_sn)).toEqual(['F2']);
    expect((await w.call('5205', { data: { psn_no: '99010000000000999999' } })).err_msg).toBe('人员编号 99010000000000999999 不存在');
  });

  test('退费 is netted: quantity and amount both net of the refund, the refund line no record of its own', async () => {
    const p = w.people.sun;
    const mdtrt_id = await registerVisit(w, p, 'OPSP-REFUND');
    const info = await w.call('2203', {
      mdtrtinfo: { mdtrt_id, psn_no: p, med_type: '14', begntime: '2025-03-10 09:00:00', dise_codg: 'M03900', dise_name: '高血压' },
      diseinfo: [{ diag_type: '1', diag_srt_no: '1', diag_code: 'I10.x00', diag_name: '原发性高血压', diag_dept: '内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-10 09:10:00', vali_flag: '1' }],
    });
    expect(info.err_msg).toBeNull();
    const lines = [
      hisFeeLine(mdtrt_id, p, 'F1', 'XA10BAE001A001010100001', '0.85', '30', '25.50', { fee_ocur_time: '2025-03-10 10:05:00' }),
      hisFeeLine(mdtrt_id, p, 'F2', 'ZA01AAA0001B001010100', '12.00', '2', '24.00', { fee_ocur_time: '2025-03-10 10:06:00' }),
    ];
    expect((await w.call('2204', { feedetail: lines })).err_msg).toBeNull();
    const refunds = [
      hisFeeLine(mdtrt_id, p, 'R1', 'XA10BAE001A001010100001', '0.85', '-10', '-8.50', { fee_ocur_time: '2025-03-10 11:00:00', init_feedetl_sn: 'F1', chrg_bchno: 'B002' }),
      hisFeeLine(mdtrt_id, p, 'R2', 'ZA01AAA0001B001010100', '12.00', '-2', '-24.00', { fee_ocur_time: '2025-03-10 11:01:00', init_feedetl_sn: 'F2', chrg_bchno: 'B002' }),
    ];
    expect((await w.call('2204', { feedetail: refunds })).err_msg).toBeNull();
    // 25.50 − 8.50 + 24.00 − 24.00
    const a = await w.call<{ setlinfo: { setl_id: string } }>('2207', outpatientSettleData(p, mdtrt_id, '17.00', { med_type: '14', acct_used_flag: '0' }));
    expect(a.err_msg).toBeNull();
    const q = await w.call<Feedetail>('5205', { data: { psn_no: p, begntime: '2025-03-10 00:00:00', endtime: '2025-03-10 23:59:59' } });
    expect(q.err_msg).toBeNull();
    // F1: 30 − 10 = 20 units at 0.85 = 17.00; F2 refunded in full (nothing dispensed) and R1 / R2 are no records
    expect(q.output.feedetail.filter((r) => r.mdtrt_id === mdtrt_id)).toEqual([expect.objectContaining({ setl_id: a.output.setlinfo.setl_id, feedetl_sn: 'F1', cnt: 20, pric: 0.85, det_item_fee_sumamt: 17 })]);
  });
});
