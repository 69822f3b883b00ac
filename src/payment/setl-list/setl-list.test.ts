/**
 * The settlement list over the national interface, as a HIS calls it: 4101 accepted (full envelope), accepted with
 * warnings, refused by quality control (-1 naming rule, field and reason; the refusal kept for 4103), the settlement
 * checks against the settlement tables, versions on re-upload with history, 4101A, 4102 withdraw / submit / locked,
 * 4103 paging, filters and detail, and another institution seeing nothing.
 */
import { Value } from '@sinclair/typebox/value';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeRegistry, TRANSACTIONS } from '../../gateway/registry.js';
import { gatewayWorld, HOSPITAL, PHARMACY, type GatewayWorld } from '../../gateway/testing.js';
import { tx4101 } from '../../gateway/tx/4101.js';
import { tx4101A } from '../../gateway/tx/4101A.js';
import { tx4102 } from '../../gateway/tx/4102.js';
import { tx4103 } from '../../gateway/tx/4103.js';
import type { TxDef } from '../../gateway/types.js';
import type { Db } from '../../platform/db.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { DIAGNOSES, insertBundled } from '../../standards/coded-list.js';
import type { SetlListInput } from './fields.js';
import { lockSetlList } from './service.js';
import { adultList, newbornList, setField } from './testing.js';

const MINE: TxDef[] = [tx4101, tx4101A, tx4102, tx4103] as TxDef[];
const registry = makeRegistry([...TRANSACTIONS.filter((t) => !MINE.some((m) => m.infno === t.infno)), ...MINE]);

let w: GatewayWorld;
let signNo: string;

interface Answer<T = Record<string, unknown>> {
  infcode: number;
  inf_refmsgid: string;
  err_msg: string | null;
  warn_msg: string | null;
  output: T;
}

async function call<T = Record<string, unknown>>(infno: string, input: unknown, opts: { pharmacy?: boolean } = {}): Promise<Answer<T>> {
  const over = opts.pharmacy ? { fixmedins_code: PHARMACY } : { sign_no: signNo };
  const res = await w.post(w.envelope(infno, input, over), opts.pharmacy ? { headers: { apikey: w.keys.pharmacy } } : {});
  expect(res.statusCode).toBe(200);
  const a = res.json() as Answer<T>;
  if (a.infcode === 0) {
    const errors = [...Value.Errors(registry.get(infno)!.output, a.output)].map((e) => `${e.path} ${e.message}`);
    expect(errors).toEqual([]);
  }
  return a;
}

/** A settlement as src/settlement writes it (only what the hook reads matters; amounts zero). */
async function insertSettlement(db: Db, o: { setl_id: string; mdtrt_id: string; psn_no: string; fixmedins_code?: string; valid?: boolean }): Promise<void> {
  const inst = o.fixmedins_code ?? HOSPITAL;
  await sql`insert into mdtrt (mdtrt_id, ipt_otp_flag, psn_no, insutype, psn_type, med_type, ipt_otp_no, fixmedins_code, mdtrtarea_admvs, insuplc_admdvs,
                               mdtrt_cert_type, begntime, reg_msgid, mdtrt_stas, setl_flag)
            values (${o.mdtrt_id}, '2', ${o.psn_no}, '310', '1101', '21', ${`ZY${o.mdtrt_id}`}, ${inst}, '990100', '990100', '02', now(), ${`R${o.mdtrt_id}`}, '2', '1')`.execute(db.k);
  await sql`insert into setl (setl_id, mdtrt_id, psn_no, insutype, psn_type, cvlserv_flag, med_type, acct_used_flag, setl_time, policy_id,
                              medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, act_pay_dedc, hifp_pay, pool_prop_selfpay,
                              cvlserv_pay, hifes_pay, hifmi_pay, hifob_pay, maf_pay, oth_pay, fund_pay_sumamt, psn_part_amt, acct_pay, acct_mulaid_pay,
                              psn_cash_pay, hosp_part_amt, balc, medins_setl_id, fixmedins_code, mdtrtarea_admvs, insuplc_admdvs, clr_optins, clr_way, clr_type, vali_flag)
            values (${o.setl_id}, ${o.mdtrt_id}, ${o.psn_no}, '310', '1101', '0', '21', '0', now(), 'P1', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    ${`MS${o.setl_id}`}, ${inst}, '990100', '990100', '990100', '1', '21', ${o.valid === false ? '0' : '1'})`.execute(db.k);
}

/** A list as a HIS sends it: amounts as JSON numbers, empty strings for absent fields. */
function wire(l: SetlListInput): Record<string, unknown> {
  const s = { ...l.setlinfo, acct_pay: 200, psn_cashpay: 400, emp_tel: '', curr_addr: '' };
  return { ...l, setlinfo: s, payinfo: l.payinfo!.map((p) => ({ ...p, fund_payamt: Number(p.fund_payamt) })) };
}

const listFor = (setl_id: string, mdtrt_id: string, base = adultList) => {
  const l = base(setl_id, mdtrt_id);
  l.setlinfo.fixmedins_code = HOSPITAL;
  return l;
};

beforeAll(async () => {
  w = await gatewayWorld({ gateway: { registry } });
  signNo = await w.signIn();
  await w.db.k.transaction().execute(async (trx) => {
    await insertBundled(trx, DIAGNOSES, [
      { code: 'K35.800', name: '急性阑尾炎' },
      { code: 'P59.900', name: '新生儿黄疸' },
    ]);
  });
  for (const [i, valid] of [[1, true], [2, true], [3, true], [4, true], [5, false], [6, true], [7, true]] as const) {
    await insertSettlement(w.db, { setl_id: `S000${i}`, mdtrt_id: `M000${i}`, psn_no: w.psn.zhang, valid });
  }
  await insertSettlement(w.db, { setl_id: 'S0009', mdtrt_id: 'M0009', psn_no: w.psn.li, fixmedins_code: 'H99010200099' });
});
afterAll(async () => w.close());

interface UploadOut {
  setl_list_id: string;
  setl_id: string;
  ver_no: number;
  qc_rslt: string;
  warn_msg: string | null;
  qcinfo: { rule_id: string; field: string; message: string }[];
}

describe('4101 医疗保障基金结算清单信息上传', () => {
  test('a clean list is accepted: the national envelope, setl_list_id, version 1, no warnings', async () => {
    const res = await w.post(w.envelope('4101', wire(listFor('S0001', 'M0001')), { sign_no: signNo }));
    const body = res.json() as Answer<UploadOut>;
    expect(Object.keys(body)).toEqual(['infcode', 'inf_refmsgid', 'refmsg_time', 'respond_time', 'err_msg', 'warn_msg', 'cainfo', 'signtype', 'enctype', 'output']);
    expect(body).toMatchObject({ infcode: 0, err_msg: null, warn_msg: null, cainfo: null, signtype: null, enctype: null });
    expect(body.inf_refmsgid).toMatch(/^990100\d{24}$/);
    expect(body.output).toEqual({ setl_list_id: expect.stringMatching(/^990100\d{20}$/), setl_id: 'S0001', ver_no: 1, qc_rslt: '0', warn_msg: null, qcinfo: [] });
    const ver = await w.db.k.selectFrom('setl_list_ver').selectAll().where('setl_id', '=', 'S0001').executeTakeFirstOrThrow();
    expect(ver).toMatchObject({ ver_no: 1, infno: '4101', mdtrt_id: 'M0001', main_diag_code: 'K35.800', main_oprn_code: '47.0100', medfee_sumamt: '10000.00', fund_pay_sumamt: '9400.00', acct_pay: '200.00', dscg_date: '2025-12-08', act_ipt_days: 7, qc_rslt: '0' });
    const head = await w.db.k.selectFrom('setl_list').selectAll().where('setl_id', '=', 'S0001').executeTakeFirstOrThrow();
    expect(head).toMatchObject({ psn_no: w.psn.zhang, stas_type: '1', cur_ver: 1, setl_list_id: body.output.setl_list_id });
    expect(await w.db.k.selectFrom('setl_list_diag').select(['seq', 'diag_code', 'maindiag_flag']).where('setl_list_id', '=', ver.setl_list_id).orderBy('seq').execute()).toEqual([
      { seq: 1, diag_code: 'K35.800', maindiag_flag: '1' },
      { seq: 2, diag_code: 'I10.x00', maindiag_flag: '0' },
    ]);
    const log = await w.db.k.selectFrom('opt_log').selectAll().where('action', '=', 'setl_list.upload').where('target_id', '=', 'S0001').execute();
    expect(log).toHaveLength(1);
    expect(log[0]!.opter_id).toBe(HOSPITAL);
  });

  test('warnings are accepted: qc_rslt 1 with warn_msg and qcinfo naming rule and field', async () => {
    const l = setField(listFor('S0002', 'M0002'), 'setlinfo.poscode', '12345');
    const a = await call<UploadOut>('4101', wire(l));
    expect(a.infcode).toBe(0);
    expect(a.output.qc_rslt).toBe('1');
    expect(a.output.qcinfo).toEqual([expect.objectContaining({ rule_id: '2130-poscode', field: 'setlinfo.poscode', message: '邮编“12345”应为 6 位数字' })]);
    expect(a.output.warn_msg).toBe('结算清单质控警告 1 项：[2130-poscode] setlinfo.poscode：邮编“12345”应为 6 位数字');
    expect(a.warn_msg).toBe(a.output.warn_msg); // the envelope carries the same warning
  });

  test('blocking findings refuse the list (-1) with every finding in err_msg; nothing is stored but the QC run', async () => {
    const l = listFor('S0003', 'M0003', newbornList);
    setField(l, 'setlinfo.nwb_bir_wt', '150');
    setField(l, 'diseinfo.0.maindiag_flag', '0');
    setField(l, 'setlinfo.dscg_way', '7');
    const a = await call('4101', wire(l));
    expect(a.infcode).toBe(-1);
    expect(a.output).toBeNull();
    expect(a.err_msg).toMatch(/^结算清单质控不通过：3 项错误：/);
    expect(a.err_msg).toContain('字段setlinfo.nwb_bir_wt：[2132-nwb_bir_wt] 新生儿出生体重 150 克超出 200–20000 克');
    expect(a.err_msg).toContain('字段diseinfo.maindiag_flag：[2139] 没有主要诊断');
    expect(a.err_msg).toContain('字段setlinfo.dscg_way：[2006-dscg_way] 离院方式“7”不在码表中');
    expect(await w.db.k.selectFrom('setl_list').selectAll().where('setl_id', '=', 'S0003').execute()).toEqual([]);
    const qc = await w.db.k.selectFrom('setl_list_qc').selectAll().where('setl_id', '=', 'S0003').execute();
    expect(qc).toMatchObject([{ accepted: false, err_cnt: 3, warn_cnt: 0, infno: '4101', setl_list_id: null }]);

    // 4103 shows the refusal (the "error query")
    const q = await call<{ data: unknown[]; setllistinfo: { stas_type: string | null; content: unknown; qcinfo: { accepted: boolean; findings: { rule_id: string }[] } } }>('4103', { data: { setl_id: 'S0003' } });
    expect(q.output.data).toEqual([]);
    expect(q.output.setllistinfo).toMatchObject({ stas_type: null, content: null, qcinfo: { accepted: false } });
    expect(q.output.setllistinfo.qcinfo.findings.map((f) => f.rule_id).sort()).toEqual(['2006-dscg_way', '2132-nwb_bir_wt', '2139']);

    // corrected, the same settlement's list is accepted
    const ok = await call<UploadOut>('4101', wire(listFor('S0003', 'M0003', newbornList)));
    expect(ok.infcode).toBe(0);
    expect(ok.output.ver_no).toBe(1);
  });

  test.each([
    ['an unknown settlement', 'S0404', 'M0404', '[3050] 结算ID S0404 不存在'],
    ['a reversed settlement', 'S0005', 'M0005', '[3051] 结算ID S0005 的结算已撤销，不能上传结算清单'],
    ["another institution's settlement", 'S0009', 'M0009', '[3052] 结算ID S0009 不是本机构的结算（结算机构 H99010200099）'],
    ['the wrong encounter', 'S0006', 'M0007', '[3053] 就诊ID M0007 与结算的就诊ID M0006 不符'],
  ])('%s is refused by name', async (_n, setl_id, mdtrt_id, message) => {
    const a = await call('4101', wire(listFor(setl_id, mdtrt_id)));
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain(message);
  });

  test('codes are checked against 医保版 on the discharge date', async () => {
    const l = setField(listFor('S0006', 'M0006'), 'diseinfo.1.diag_code', 'I99.999');
    setField(l, 'oprninfo.0.oprn_oprt_code', '99.9999');
    const a = await call('4101', wire(l));
    expect(a.err_msg).toContain('第2行 字段diseinfo.diag_code：[3010] 诊断编码 I99.999 在出院日期 2025-12-08 不是有效的医保版 2.0 疾病诊断编码');
    expect(a.err_msg).toContain('第1行 字段oprninfo.oprn_oprt_code：[2133] 手术操作编码 99.9999 在出院日期 2025-12-08 不是有效的医保版 2.0 手术操作编码');
    // a code stopped before the discharge date is no longer valid
    await w.db.k.updateTable('diagnosis').set({ enddate: '2025-06-30' }).where('diag_code', '=', 'I10.x00').execute();
    try {
      const b = await call('4101', wire(listFor('S0006', 'M0006')));
      expect(b.err_msg).toContain('[3010] 诊断编码 I10.x00 在出院日期 2025-12-08 不是有效的医保版 2.0 疾病诊断编码');
    } finally {
      await w.db.k.updateTable('diagnosis').set({ enddate: null }).where('diag_code', '=', 'I10.x00').execute();
    }
  });

  test('a text longer than its C(n) is refused by the schema before quality control', async () => {
    const l = setField(listFor('S0006', 'M0006'), 'setlinfo.gend', '1234567');
    const a = await call('4101', wire(l));
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toBe('交易输入有误：字段setlinfo.gend：长度不能超过6个字符');
  });
});

describe('versions', () => {
  test('a re-upload adds version 2 and keeps version 1; 4101A records itself; 4103 returns either version', async () => {
    const v1 = await call<UploadOut>('4101', wire(listFor('S0004', 'M0004')));
    const l2 = setField(listFor('S0004', 'M0004'), 'setlinfo.dscg_way', '2');
    const v2 = await call<UploadOut>('4101A', wire(l2));
    expect(v2.infcode).toBe(0);
    expect(v2.output.ver_no).toBe(2);
    expect(v2.output.setl_list_id).not.toBe(v1.output.setl_list_id);
    const rows = await w.db.k.selectFrom('setl_list_ver').select(['ver_no', 'infno', 'dscg_way']).where('setl_id', '=', 'S0004').orderBy('ver_no').execute();
    expect(rows).toEqual([
      { ver_no: 1, infno: '4101', dscg_way: '1' },
      { ver_no: 2, infno: '4101A', dscg_way: '2' },
    ]);
    type Detail = { setllistinfo: { cur_ver: number; ver_no: number; setl_list_id: string; content: { setlinfo: Record<string, string> }; versions: { ver_no: number; infno: string }[] } };
    const cur = await call<Detail>('4103', { data: { setl_id: 'S0004' } });
    expect(cur.output.setllistinfo).toMatchObject({ cur_ver: 2, ver_no: 2, setl_list_id: v2.output.setl_list_id });
    expect(cur.output.setllistinfo.content.setlinfo.dscg_way).toBe('2');
    expect(cur.output.setllistinfo.versions.map((v) => `${v.ver_no}:${v.infno}`)).toEqual(['1:4101', '2:4101A']);
    const old = await call<Detail>('4103', { data: { setl_id: 'S0004', ver_no: 1 } });
    expect(old.output.setllistinfo.content.setlinfo.dscg_way).toBe('1');
    expect(old.output.setllistinfo.setl_list_id).toBe(v1.output.setl_list_id);
    expect((await call('4103', { data: { setl_id: 'S0004', ver_no: 9 } })).err_msg).toBe('结算ID S0004 的结算清单没有第 9 版');
  });

  test('the same msgid sent again answers the stored response and makes no new version', async () => {
    const env = w.envelope('4101', wire(listFor('S0007', 'M0007')), { sign_no: signNo });
    const a = (await w.post(env)).json() as Answer<UploadOut>;
    const b = (await w.post(env)).json() as Answer<UploadOut>;
    expect(b).toEqual(a);
    expect(await w.db.k.selectFrom('setl_list_ver').select('ver_no').where('setl_id', '=', 'S0007').execute()).toHaveLength(1);
  });
});

describe('4102 状态修改', () => {
  type Out4102 = { stastinfo: { setl_id: string; stas_type: string; stas_name: string; ver_no: number }[] };

  test('withdraw (0) and submit again (1); a re-upload of a withdrawn list submits it', async () => {
    const w0 = await call<Out4102>('4102', { data: { stastinfo: [{ psn_no: w.psn.zhang, setl_id: 'S0001', stas_type: '0' }] } });
    expect(w0.infcode).toBe(0);
    expect(w0.output.stastinfo).toEqual([expect.objectContaining({ setl_id: 'S0001', stas_type: '0', stas_name: '已撤回', ver_no: 1 })]);
    const withdrawn = await call<{ recordCounts: number; data: { setl_id: string }[] }>('4103', { data: { stas_type: '0' } });
    expect(withdrawn.output.data.map((r) => r.setl_id)).toEqual(['S0001']);
    const again = await call<UploadOut>('4101', wire(listFor('S0001', 'M0001')));
    expect(again.output.ver_no).toBe(2);
    expect((await w.db.k.selectFrom('setl_list').select('stas_type').where('setl_id', '=', 'S0001').executeTakeFirstOrThrow()).stas_type).toBe('1');
    const hist = await w.db.k.selectFrom('setl_list_stas').select(['from_stas', 'to_stas']).where('setl_id', '=', 'S0001').orderBy('stas_id').execute();
    expect(hist).toEqual([
      { from_stas: null, to_stas: '1' },
      { from_stas: '1', to_stas: '0' },
      { from_stas: '0', to_stas: '1' },
    ]);
  });

  test('a locked list can be neither changed nor re-uploaded until the insurer unlocks it', async () => {
    await lockSetlList(w.db, SYSTEM_ACTOR, 'S0002', true);
    const a = await call('4102', { data: { stastinfo: [{ setl_id: 'S0002', stas_type: '0' }] } });
    expect(a.err_msg).toBe('第1行：结算ID S0002 的结算清单已被医保经办机构锁定，不能修改状态');
    const b = await call('4101', wire(listFor('S0002', 'M0002')));
    expect(b.err_msg).toBe('结算ID S0002 的结算清单已被医保经办机构锁定，不能重新上传；如需修改请联系经办机构解锁');
    await expect(lockSetlList(w.db, SYSTEM_ACTOR, 'S0002', true)).rejects.toThrow('只有已提交的结算清单可以锁定');
    await lockSetlList(w.db, SYSTEM_ACTOR, 'S0002', false);
    expect((await call('4102', { data: { stastinfo: [{ setl_id: 'S0002', stas_type: '0' }] } })).infcode).toBe(0);
  });

  test.each([
    ['an unknown list', { setl_id: 'S0404', stas_type: '0' }, '第2行：本机构没有结算ID S0404 的结算清单'],
    ['a status the institution may not set', { setl_id: 'S0004', stas_type: '2' }, '第2行状态类型“2”无效：0 撤回，1 提交（锁定由医保经办机构办理）'],
    ['the wrong person', { setl_id: 'S0004', stas_type: '0', psn_no: 'LI' }, '第2行：人员编号'],
  ])('%s is refused, and no row of the request is applied', async (_n, row: { setl_id: string; stas_type: string; psn_no?: string }, message) => {
    const second = row.psn_no === 'LI' ? { ...row, psn_no: w.psn.li } : row;
    const a = await call('4102', { data: { stastinfo: [{ setl_id: 'S0007', stas_type: '0' }, second] } });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain(message);
    expect((await w.db.k.selectFrom('setl_list').select('stas_type').where('setl_id', '=', 'S0007').executeTakeFirstOrThrow()).stas_type).toBe('1');
  });
});

describe('4103 查询', () => {
  type Page = { data: { setl_id: string; ver_no: number; medfee_sumamt: number; stas_name: string }[]; recordCounts: number; pages: number; pageNum: number; size: number; setllistinfo: unknown };

  test('paged, newest first, filtered by discharge date and QC result; amounts as numbers', async () => {
    const all = await call<Page>('4103', { data: { page_num: 1, page_size: 2 } });
    expect(all.output.recordCounts).toBe(5); // S0001–S0004 (S0003 the newborn) and S0007
    expect(all.output.pages).toBe(3);
    expect(all.output.size).toBe(2);
    expect(all.output.setllistinfo).toBeNull();
    expect(all.output.data[0]!.medfee_sumamt).toBe(10000);
    const warned = await call<Page>('4103', { data: { qc_rslt: '1' } });
    expect(warned.output.data.map((r) => r.setl_id)).toEqual(['S0002']);
    const none = await call<Page>('4103', { data: { begndate: '2026-01-01', enddate: '2026-12-31' } });
    expect(none.output.recordCounts).toBe(0);
    const dec = await call<Page>('4103', { data: { begndate: '2025-12-08', enddate: '2025-12-08', psn_no: w.psn.zhang } });
    expect(dec.output.recordCounts).toBe(5);
  });

  test('another institution sees none of these lists', async () => {
    const a = await call<Page>('4103', { data: { setl_id: 'S0001' } }, { pharmacy: true });
    expect(a.infcode).toBe(0);
    expect(a.output.data).toEqual([]);
    expect(a.output.setllistinfo).toBeNull();
  });
});
