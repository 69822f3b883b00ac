/**
 * Every refusal of the settlement path, as a HIS meets it: the Chinese err_msg, and nothing written — the row
 * counts of every settlement table, the account ledger and the operation log are the same before and after.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { changeAgreement, bulkLoadInstitutions } from '../standards/institutions/institutions.js';
import { usccCheckChar } from '../standards/institutions/uscc.js';
import { issueCredential } from '../gateway/credentials.js';
import { DOCTORS, HOSP3, hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;
/** A visit with three valid lines (1189.00), not settled. */
let open: string;
/** A visit whose registration was cancelled. */
let cancelled: string;
/** A visit without lines. */
let empty: string;
/** A settled visit and its settlement. */
let settled: string;
let settledSetl: string;
/** An institution whose agreement is suspended. */
const SUSPENDED = 'H99010200004';
let suspendedKey: string;

const lines = (mdtrt_id: string, psn_no: string) => [
  hisFeeLine(mdtrt_id, psn_no, 'F0001', 'XA10BAE001A001010100001', '0.95', '1200', '1140.00'),
  hisFeeLine(mdtrt_id, psn_no, 'F0002', '001102000010000', '12.00', '1', '12.00'),
  hisFeeLine(mdtrt_id, psn_no, 'F0003', 'XG04CAE002A002010100002', '18.5', '2', '37.00'),
];

beforeAll(async () => {
  w = await settlementWorld();
  const z = w.people.zhang;
  open = await registerVisit(w, z, 'V-OPEN');
  expect((await w.call('2204', { feedetail: lines(open, z) })).err_msg).toBeNull();
  cancelled = await registerVisit(w, z, 'V-CANCELLED');
  expect((await w.call('2202', { data: { psn_no: z, mdtrt_id: cancelled, ipt_otp_no: 'V-CANCELLED' } })).err_msg).toBeNull();
  empty = await registerVisit(w, z, 'V-EMPTY');
  settled = await registerVisit(w, w.people.sun, 'V-SETTLED');
  expect((await w.call('2204', { feedetail: lines(settled, w.people.sun) })).err_msg).toBeNull();
  const s = await w.call<{ setlinfo: { setl_id: string } }>('2207', outpatientSettleData(w.people.sun, settled, '1189.00'));
  expect(s.err_msg).toBeNull();
  settledSetl = s.output.setlinfo.setl_id;
  await bulkLoadInstitutions(
    w.db,
    [{ fixmedins_code: SUSPENDED, fixmedins_name: '甲市某诊所', fixmedins_type: '1', hosp_lv: '1', admdvs: '990102', uscc: '12990102MB0000004' + usccCheckChar('12990102MB0000004'), medins_natu: '2', addr: null, begndate: '2020-01-01', enddate: null }],
    SYSTEM_ACTOR,
  );
  await changeAgreement(w.db, SYSTEM_ACTOR, { fixmedins_code: SUSPENDED, agmt_stas: '2', begndate: '2025-01-01', memo: '违规暂停' });
  suspendedKey = (await issueCredential(w.db, SYSTEM_ACTOR, { fixmedins_code: SUSPENDED, signin_required: false })).apikey;
});
afterAll(async () => w.close());

interface Case {
  infno: string;
  input: () => unknown;
  err: string | RegExp | (() => string);
  inst?: string;
  apikey?: () => string;
  over?: Record<string, unknown>;
}

const reg = (over: Record<string, unknown> = {}) => ({
  data: { psn_no: w.people.zhang, insutype: '310', begntime: '2025-03-10 09:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: '', ipt_otp_no: `V-${Math.random().toString(36).slice(2, 10)}`, atddr_no: DOCTORS.wang, dr_name: '王医生', dept_code: 'A03', dept_name: '内科', caty: 'A03', ...over },
});
const line = (over: Record<string, unknown> = {}, mdtrt = () => open) => ({ feedetail: [hisFeeLine(mdtrt(), w.people.zhang, 'F0100', 'XA10BAE001A001010100001', '0.95', '10', '9.50', over)] });

const cases: [string, Case][] = [
  // ---- 2201 registration
  ['an unknown person', { infno: '2201', input: () => reg({ psn_no: '99010000000099999999' }), err: '参保人员 99010000000099999999 不存在' }],
  ['a person without the insurance type (benefit not entitled)', { infno: '2201', input: () => reg({ insutype: '390' }), err: () => `参保人员 ${w.people.zhang} 在 2025-03-10 不能享受 390 险种待遇：2025-03-10 无有效的 390 参保关系` }],
  ['an unknown insurance type code', { infno: '2201', input: () => reg({ insutype: '999' }), err: '门诊挂号信息有误：字段insutype：“999”不是有效的险种类型代码' }],
  ['an unknown credential type', { infno: '2201', input: () => reg({ mdtrt_cert_type: '09' }), err: '门诊挂号信息有误：字段mdtrt_cert_type：“09”不是有效的就诊凭证类型代码' }],
  ['an institution whose agreement is suspended', { infno: '2201', inst: SUSPENDED, apikey: () => suspendedKey, input: () => reg(), err: '定点医药机构 H99010200004（甲市某诊所）的定点协议处于暂停状态（违规暂停），不能办理医保结算' }],
  ['a doctor whose payment qualification is suspended', { infno: '2201', input: () => reg({ atddr_no: DOCTORS.suspended }), err: '接诊医师：赵医生（D99010200002）的医保支付资格在 2025-03-10 处于暂停状态（违规使用医保基金，暂停医保支付资格），其发生的费用不能由医保结算' }],
  ['an unregistered doctor', { infno: '2201', input: () => reg({ atddr_no: 'D99010299999' }), err: '接诊医师：医保医师/药师代码 D99010299999 在 2025-03-10 未登记' }],
  ['a registration time in the future', { infno: '2201', input: () => reg({ begntime: '2099-01-01 08:00:00' }), err: '门诊挂号信息有误：字段begntime：开始时间 2099-01-01 08:00:00 晚于当前时间' }],
  ['a visit number already registered', { infno: '2201', input: () => reg({ ipt_otp_no: 'V-OPEN' }), err: () => `门诊号 V-OPEN 已有有效的门诊挂号（就诊ID ${open}），不能重复登记` }],
  ['an insured region that is not the person’s', { infno: '2201', input: () => reg(), over: { insuplc_admdvs: '990200' }, err: '参保地医保区划 990200 与参保人员的参保地 990100 不符：字段insuplc_admdvs：与参保信息不符' }],
  ['a required field missing', { infno: '2201', input: () => reg({ atddr_no: '' }), err: '交易输入有误：字段data.atddr_no：缺少必填项' }],
  // ---- 2203 visit information
  ['a diagnosis code not in the catalogue', { infno: '2203', input: () => ({ mdtrtinfo: { mdtrt_id: open, psn_no: w.people.zhang, med_type: '11' }, diseinfo: [{ diag_type: '1', diag_srt_no: '1', diag_code: 'Z99.999', diag_name: '不存在' }] }), err: '就诊诊断信息有误：字段diseinfo[0].diag_code：诊断代码 Z99.999（不存在）不在医保疾病诊断目录中' }],
  ['an unknown med_type', { infno: '2203', input: () => ({ mdtrtinfo: { mdtrt_id: open, psn_no: w.people.zhang, med_type: '77' }, diseinfo: [] }), err: '就诊信息有误：字段med_type：“77”不是有效的医疗类别代码' }],
  ['an inpatient med_type on an outpatient visit', { infno: '2203', input: () => ({ mdtrtinfo: { mdtrt_id: open, psn_no: w.people.zhang, med_type: '21' }, diseinfo: [] }), err: '门诊就诊不能使用住院医疗类别 21：字段med_type：应为门诊类医疗类别' }],
  ['a pharmacy med_type at a hospital', { infno: '2203', input: () => ({ mdtrtinfo: { mdtrt_id: open, psn_no: w.people.zhang, med_type: '41' }, diseinfo: [] }), err: '医疗类别 41（药店购药）只能在定点零售药店办理：字段med_type：医疗机构不能使用药店购药类别' }],
  // ---- 2204 fee lines
  ['another institution’s visit', { infno: '2204', inst: HOSP3, input: () => line(), err: () => `就诊ID ${open} 不是本机构（${HOSP3}）的就诊，不能办理` }],
  ['an unknown visit', { infno: '2204', input: () => line({}, () => '990100202503100000099999'), err: '就诊ID 990100202503100000099999 不存在' }],
  ['lines of another person', { infno: '2204', input: () => ({ feedetail: [hisFeeLine(open, w.people.li, 'F0100', 'XA10BAE001A001010100001', '0.95', '10', '9.50')] }), err: () => `人员编号 ${w.people.li} 与就诊ID ${open} 登记的参保人不符：字段psn_no：与就诊登记不符` }],
  ['a cancelled visit', { infno: '2204', input: () => line({}, () => cancelled), err: () => `就诊ID ${cancelled} 的挂号已撤销，不能继续办理` }],
  ['a line before the visit date', { infno: '2204', input: () => line({ fee_ocur_time: '2025-03-09 23:59:59' }), err: '费用明细有误：字段feedetail[0].fee_ocur_time：费用明细 F0100 的费用发生时间 2025-03-09 23:59:59 早于就诊日期 2025-03-10' }],
  ['a line in the future', { infno: '2204', input: () => line({ fee_ocur_time: '2099-03-10 10:00:00' }), err: '费用明细有误：字段feedetail[0].fee_ocur_time：费用明细 F0100 的费用发生时间 2099-03-10 10:00:00 晚于当前日期' }],
  ['an amount with 3 decimals', { infno: '2204', input: () => line({ pric: '0.9505', det_item_fee_sumamt: '9.505' }), err: '费用明细有误：字段feedetail[0].det_item_fee_sumamt：费用明细 F0100 的明细项目费用总额“9.505”应为最多两位小数的金额' }],
  ['an amount that is not pric × cnt', { infno: '2204', input: () => line({ det_item_fee_sumamt: '9.51' }), err: '费用明细有误：字段feedetail[0].det_item_fee_sumamt：费用明细 F0100 的明细项目费用总额 9.51 元与单价 0.95 × 数量 10 = 9.50 元不符' }],
  ['a quantity with 5 decimals', { infno: '2204', input: () => line({ cnt: '1.00001', det_item_fee_sumamt: '0.95' }), err: '费用明细有误：字段feedetail[0].cnt：费用明细 F0100 的数量“1.00001”应为不超过4位小数的数' }],
  ['a zero quantity', { infno: '2204', input: () => line({ cnt: '0', det_item_fee_sumamt: '0' }), err: '费用明细有误：字段feedetail[0].cnt：费用明细 F0100 的数量不能为0（退费请以负数数量上传并填写原费用流水号 init_feedetl_sn）' }],
  ['a serial already uploaded', { infno: '2204', input: () => line({ feedetl_sn: 'F0002' }), err: '费用明细有误：字段feedetail[0].feedetl_sn：费用明细流水号 F0002 已上传，不能重复上传（如需更正请先撤销）' }],
  [
    'a serial twice in one batch (and the good lines are not written either)',
    {
      infno: '2204',
      input: () => ({ feedetail: [hisFeeLine(open, w.people.zhang, 'F0200', 'XA10BAE001A001010100001', '0.95', '1', '0.95'), hisFeeLine(open, w.people.zhang, 'F0201', 'XA10BAE001A001010100001', '0.95', '1', '0.95'), hisFeeLine(open, w.people.zhang, 'F0200', 'XA10BAE001A001010100001', '0.95', '1', '0.95')] }),
      err: '费用明细有误：字段feedetail[2].feedetl_sn：费用明细流水号 F0200 在本批中重复（另见第1条）',
    },
  ],
  ['a code in no catalogue', { infno: '2204', input: () => line({ med_list_codg: 'XZ99ZZZ999Z999999999999' }), err: '费用明细有误：字段feedetail[0].med_list_codg：费用明细 F0100 的医疗目录编码 XZ99ZZZ999Z999999999999 在医保目录中不存在' }],
  ['a prescriber whose qualification is suspended', { infno: '2204', input: () => line({ bilg_dr_codg: DOCTORS.suspended }), err: '费用明细有误：字段feedetail[0].bilg_dr_codg：费用明细 F0100 的开单医生赵医生（D99010200002）的医保支付资格在 2025-03-10 处于暂停状态（违规使用医保基金，暂停医保支付资格），其发生的费用不能由医保结算' }],
  ['a malformed time', { infno: '2204', input: () => line({ fee_ocur_time: '2025-13-10 10:00:00' }), err: '费用明细有误：字段feedetail[0].fee_ocur_time：费用明细 F0100 的费用发生时间“2025-13-10 10:00:00”格式错误，应为 yyyy-MM-dd HH:mm:ss' }],
  // ---- 2206 / 2207 settlement
  ['a total that is not the lines’ total', { infno: '2207', input: () => outpatientSettleData(w.people.zhang, open, '1189.01'), err: '医疗费总额 1189.01 元与已上传的 3 条费用明细合计 1189.00 元不符：字段medfee_sumamt：与费用明细合计不符' }],
  ['a total with 3 decimals', { infno: '2207', input: () => outpatientSettleData(w.people.zhang, open, '1189.001'), err: '医疗费总额“1189.001”应为最多两位小数的金额：字段data.medfee_sumamt：应为最多两位小数的金额' }],
  [
    'a split that is not the computed one',
    { infno: '2207', input: () => outpatientSettleData(w.people.zhang, open, '1189.00', { fulamt_ownpay_amt: '0', overlmt_selfpay: '0', preselfpay_amt: '3.70', inscp_scp_amt: '1185.30' }), err: '结算金额与本次计算结果不一致：超限价金额 送 0.00 元，计算为 2.00 元；符合政策范围金额 送 1185.30 元，计算为 1183.30 元。请重新预结算后再结算：字段overlmt_selfpay：与计算结果不符；字段inscp_scp_amt：与计算结果不符' },
  ],
  ['a visit without lines', { infno: '2207', input: () => outpatientSettleData(w.people.zhang, empty, '0'), err: () => `就诊ID ${empty} 没有待结算的费用明细，请先上传费用明细` }],
  ['a cancelled registration', { infno: '2207', input: () => outpatientSettleData(w.people.zhang, cancelled, '0'), err: () => `就诊ID ${cancelled} 的挂号已撤销，不能继续办理` }],
  ['an already settled visit', { infno: '2207', input: () => outpatientSettleData(w.people.sun, settled, '1189.00'), err: () => `就诊ID ${settled} 已结算，不能重复结算；如需重新结算，请先撤销原结算` }],
  ['another institution settling the visit', { infno: '2207', inst: HOSP3, input: () => outpatientSettleData(w.people.zhang, open, '1189.00'), err: () => `就诊ID ${open} 不是本机构（${HOSP3}）的就诊，不能办理` }],
  ['an insurance type other than the registration’s', { infno: '2206', input: () => outpatientSettleData(w.people.zhang, open, '1189.00', { insutype: '390' }), err: '险种类型 390 与就诊登记的险种 310 不符：字段insutype：与就诊登记不符' }],
  ['an inpatient transaction on an outpatient visit', { infno: '2304', input: () => ({ data: { ...outpatientSettleData(w.people.zhang, open, '1189.00').data, mid_setl_flag: '0' } }), err: () => `就诊ID ${open} 是门诊就诊，不能用住院交易办理` }],
  // ---- 2208 reversal
  ['reversing a settlement of another visit', { infno: '2208', input: () => ({ data: { setl_id: settledSetl, mdtrt_id: open, psn_no: w.people.zhang } }), err: () => `结算ID ${settledSetl} 不属于就诊ID ${open}：字段setl_id：与就诊ID不符` }],
  ['reversing an unknown settlement', { infno: '2208', input: () => ({ data: { setl_id: '990100202503100000088888', mdtrt_id: open, psn_no: w.people.zhang } }), err: '结算ID 990100202503100000088888 不存在' }],
  // ---- cancellations
  ['cancelling a registration with lines', { infno: '2202', input: () => ({ data: { psn_no: w.people.zhang, mdtrt_id: open, ipt_otp_no: 'V-OPEN' } }), err: () => `就诊ID ${open} 已上传 3 条有效费用明细，请先撤销费用明细（2205）再撤销挂号` }],
  ['cancelling a registration with a wrong visit number', { infno: '2202', input: () => ({ data: { psn_no: w.people.zhang, mdtrt_id: empty, ipt_otp_no: 'V-OTHER' } }), err: () => `门诊号 V-OTHER 与就诊ID ${empty} 登记的门诊号 V-EMPTY 不符：字段ipt_otp_no：与挂号登记不符` }],
  ['cancelling lines of an unknown batch', { infno: '2205', input: () => ({ data: { mdtrt_id: open, chrg_bchno: 'B999', psn_no: w.people.zhang } }), err: () => `就诊ID ${open} 没有可撤销的费用明细（收费批次号 B999）` }],
  ['2601 of a transaction that cannot be undone', { infno: '2601', input: () => ({ data: { psn_no: w.people.zhang, omsgid: 'H99010200001202503100000000001', oinfno: '2203' } }), err: '交易 2203 不支持冲正；可冲正的交易：2201、2204、2207、2301、2304、2401、2402：字段data.oinfno：不支持冲正' }],
];

describe('refusals leave every table as it was', () => {
  test.each(cases)('%s', async (_name, c) => {
    const before = await w.counts();
    const a = await w.call(c.infno, c.input(), { ...(c.inst ? { inst: c.inst } : {}), ...(c.apikey ? { apikey: c.apikey() } : {}), ...(c.over ? { over: c.over } : {}) });
    expect(a.infcode).toBe(-1);
    const err = typeof c.err === 'function' ? c.err() : c.err;
    if (err instanceof RegExp) expect(a.err_msg).toMatch(err);
    else expect(a.err_msg).toBe(err);
    expect(await w.counts()).toEqual(before);
  });

  test('an unregistered prescriber is accepted with a warning in the line memo', async () => {
    const a = await w.call<{ result: { memo: string }[] }>('2204', line({ feedetl_sn: 'F0300', bilg_dr_codg: 'D88000000001' }));
    expect(a.err_msg).toBeNull();
    expect(a.output.result[0]!.memo).toBe('甲类；符合政策范围 9.50 元；开单医生代码 D88000000001 未在医保医师库登记');
    expect((await w.call('2205', { data: { mdtrt_id: open, chrg_bchno: 'B001', psn_no: w.people.zhang } })).err_msg).toBeNull();
  });

  test('a cancelled line’s serial may be uploaded again; a 6-decimal unit price is kept exactly', async () => {
    const a = await w.call<{ result: { pric: number; det_item_fee_sumamt: number }[] }>('2204', { feedetail: [hisFeeLine(open, w.people.zhang, 'F0001', 'XA10BAE001A001010100001', '0.083333', '12', '1.00')] });
    expect(a.err_msg).toBeNull();
    expect(a.output.result[0]).toMatchObject({ pric: 0.083333, det_item_fee_sumamt: 1 });
    const rows = await w.db.k.selectFrom('feedetl').select(['feedetl_sn', 'vali_flag', 'pric']).where('mdtrt_id', '=', open).where('feedetl_sn', '=', 'F0001').orderBy('feedetl_id').execute();
    expect(rows).toEqual([
      { feedetl_sn: 'F0001', vali_flag: '0', pric: '0.950000' },
      { feedetl_sn: 'F0001', vali_flag: '1', pric: '0.083333' },
    ]);
  });
});
