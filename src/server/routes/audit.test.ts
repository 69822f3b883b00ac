import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dueDateOf } from '../../audit/cases/limits.js';
import { installDefaultRules } from '../../audit/rules/store.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { beijingDate } from '../../platform/time.js';
import { ALL_SCOPE } from '../auth/scope.js';
import { createUser } from '../auth/users.js';
import { call, createTestWorld, loginAs, TEST_PASSWORD, type TestWorld } from '../test-app.js';

type Page<T> = { page_num: number; page_size: number; total: number; list: T[] };
type CaseDetail = {
  case: Record<string, unknown> & { case_id: string; case_stas: string; overdue: boolean; actions: string[] };
  suspects: (Record<string, unknown> & { suspect_id: string })[];
  history: (Record<string, unknown> & { action: string })[];
  recoveries: Record<string, unknown>[];
};

let w: TestWorld;
const tokens: Record<string, string> = {};
const as = <T = Record<string, unknown>>(user: string, url: string, method: 'GET' | 'POST' | 'PUT' = 'GET', payload?: unknown) => call<T>(w.app, tokens[user]!, method, url, payload);
const act = (user: string, case_id: string, body: Record<string, unknown>) => as<CaseDetail & { message?: string; code?: string }>(user, `/api/audit/cases/${case_id}/actions`, 'POST', body);

const H1 = 'H99010200001'; // 990102, the institution of jg1
const H2 = 'H99020000002'; // 990200

async function suspect(id: string, o: { rule_id: string; fixmedins_code?: string; admdvs?: string; vola_amt: string; setl_id?: string }) {
  await sql`insert into audit_suspect (suspect_id, stage, rule_id, rule_ver, rule_name, sev_deg, vola_bhvr_type, admdvs, fixmedins_code, psn_no, mdtrt_id, setl_id, mdtrt_ids, vola_cont, vola_amt, evidence, dedup_key)
    values (${id}, '3', ${o.rule_id}, 1, ${`规则${o.rule_id}`}, '1', '5', ${o.admdvs ?? '990102'}, ${o.fixmedins_code ?? H1}, ${w.psnA}, ${`M${id}`}, ${o.setl_id ?? null}, ${`M${id}`}, ${`疑点${id}：超频次`}, ${o.vola_amt}, ${JSON.stringify({ lines: [{ rx_id: `RX${id}`, vola_item_type: '1' }] })}, ${`k-${id}`})`.execute(w.db.k);
}
const suspectStas = async (id: string) => (await sql<{ stas: string }>`select stas from audit_suspect where suspect_id = ${id}`.execute(w.db.k)).rows[0]!.stas;
const histCount = async (case_id: string) => Number((await sql<{ n: number }>`select count(*)::int8 as n from audit_case_hist where case_id = ${case_id}`.execute(w.db.k)).rows[0]!.n);

async function openCase(user: string, suspect_ids: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const r = await as<CaseDetail>(user, '/api/audit/cases', 'POST', { suspect_ids, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.case.case_id;
}
/** 初审 by sh1a and 复审 by sh1b: the case waits for the institution. */
async function toAppeal(case_id: string) {
  expect((await act('sh1a', case_id, { action: 'first_review', conclusion: 'confirm', opinion: '初审：超频次属实' })).body.case.case_stas).toBe('20');
  expect((await act('sh1b', case_id, { action: 'second_review', conclusion: 'confirm', opinion: '复审：同意初审' })).body.case.case_stas).toBe('30');
}

beforeAll(async () => {
  w = await createTestWorld();
  await installDefaultRules(w.db);
  const by = { actor: SYSTEM_ACTOR, scope: ALL_SCOPE };
  await createUser(w.db, by, { user_id: 'sh1a', user_name: '审核甲', role: 'auditor', admdvs: '990100', password: TEST_PASSWORD });
  await createUser(w.db, by, { user_id: 'sh1b', user_name: '审核乙', role: 'auditor', admdvs: '990100', password: TEST_PASSWORD });
  await createUser(w.db, by, { user_id: 'jg2', user_name: '乙市医院', role: 'institution', fixmedins_code: H2, password: TEST_PASSWORD });
  for (const u of ['admin', 'sh1a', 'sh1b', 'sh2', 'jh0', 'jh1', 'jg1', 'jg2']) tokens[u] = await loginAs(w.app, u);
  await suspect('S1', { rule_id: 'MGT-FRQ-01', vola_amt: '100.00', setl_id: 'SETL-S1' });
  await suspect('S2', { rule_id: 'MGT-FRQ-01', vola_amt: '50.50' });
  await suspect('S3', { rule_id: 'POL-GEN-01', vola_amt: '30.00' });
  await suspect('S4', { rule_id: 'MED-QTY-01', vola_amt: '12.00' });
  await suspect('S5', { rule_id: 'MGT-FRQ-01', vola_amt: '9.99', fixmedins_code: H2, admdvs: '990200' });
  await suspect('S6', { rule_id: 'MED-QTY-01', vola_amt: '5.00' });
}, 300_000);
afterAll(async () => w?.close());

describe('a case from suspect to 违规处理', () => {
  test('立案 → 初审 → 复审 → 申诉 → 调查核实 → 追回, with the amounts and the full trail', async () => {
    const case_id = await openCase('sh1a', ['S1', 'S2'], { assignee_id: 'sh1a', memo: '同一规则批量立案' });
    let c = (await as<CaseDetail>('sh1a', `/api/audit/cases/${case_id}`)).body;
    expect(c.case).toMatchObject({ case_stas: '10', case_stas_name: '待初审', fixmedins_code: H1, admdvs: '990102', suspect_cnt: 2, vola_amt: 150.5, assignee_id: 'sh1a', rule_ids: 'MGT-FRQ-01', overdue: false, actions: ['assign', 'first_review'] });
    expect(c.case.due_date).toBe(dueDateOf(beijingDate(), { limit_days: 10, day_type: 'W' }));
    expect(await suspectStas('S1')).toBe('1');

    await toAppeal(case_id);
    const appeal = await act('jg1', case_id, { action: 'appeal', opinion: '该项目为医嘱多次执行，非超频次', attachments: '医嘱单.pdf；执行记录.pdf' });
    expect(appeal.body.case).toMatchObject({ case_stas: '40', case_stas_name: '调查核实' });
    expect((await act('jh1', case_id, { action: 'investigate', conclusion: 'confirm', opinion: '核查执行记录，申诉不成立' })).body.case.case_stas).toBe('50');
    const done = await act('jh1', case_id, { action: 'dispose', dspo_type: '2', opinion: '追回超频次费用', items: [{ suspect_id: 'S1', cnfm_amt: '80.00' }, { suspect_id: 'S2', cnfm_amt: 0 }] });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.case).toMatchObject({ case_stas: '60', case_stas_name: '已处理', cnfm_amt: 80, dspo_type: '2', dspo_type_name: '追回', due_date: null, assignee_id: null });
    expect(done.body.suspects.map((s) => [s.suspect_id, s.cnfm_amt, s.rslt, s.stas])).toEqual([
      ['S1', 80, '2', '2'],
      ['S2', 0, '3', '3'],
    ]);
    expect(done.body.recoveries).toEqual([expect.objectContaining({ suspect_id: 'S1', setl_id: 'SETL-S1', psn_no: w.psnA, fixmedins_code: H1, dspo_type: '2', amt: 80, rcv_stas: '0' })]);

    c = (await act('jh1', case_id, { action: 'recovered', rcv_date: '2026-12-01' })).body;
    expect(c.recoveries).toEqual([expect.objectContaining({ rcv_stas: '1', rcv_date: '2026-12-01' })]);
    expect(c.history.map((h) => [h.action, h.from_stas, h.to_stas, h.opter_id, h.amt])).toEqual([
      ['create', null, '10', 'sh1a', 150.5],
      ['first_review', '10', '20', 'sh1a', null],
      ['second_review', '20', '30', 'sh1b', null],
      ['appeal', '30', '40', 'jg1', null],
      ['investigate', '40', '50', 'jh1', null],
      ['dispose', '50', '60', 'jh1', 80],
      ['recovered', '60', '60', 'jh1', 80],
    ]);
    expect(c.history[3]).toMatchObject({ opter_role: '机构用户', opinion: '该项目为医嘱多次执行，非超频次', attachments: '医嘱单.pdf；执行记录.pdf' });
    expect(await suspectStas('S1')).toBe('2');
    expect(await suspectStas('S2')).toBe('3');
    const log = await as<Page<{ action: string }>>('jh0', `/api/oplog?target_id=${case_id}`);
    expect(log.body.total).toBe(7);

    const s1 = await as<{ stas: string; evidence: unknown; case: unknown }>('jh1', '/api/audit/suspects/S1');
    expect(s1.body).toMatchObject({ stas: '2', stas_name: '已确认违规', evidence: { lines: [{ rx_id: 'RXS1' }] }, case: { case_id, cnfm_amt: 80, rslt: '2' } });
  });

  test('an appeal upheld at 调查核实 excludes the case and its suspects', async () => {
    const case_id = await openCase('sh1a', ['S3']);
    await toAppeal(case_id);
    await act('jg1', case_id, { action: 'appeal', opinion: '患者性别登记错误，已更正' });
    const r = await act('jh1', case_id, { action: 'investigate', conclusion: 'exclude', opinion: '申诉成立' });
    expect(r.body.case).toMatchObject({ case_stas: '90', case_stas_name: '已排除', cnfm_amt: 0, due_date: null, actions: [] });
    expect(r.body.suspects[0]).toMatchObject({ suspect_id: 'S3', rslt: '3', stas: '3', cnfm_amt: 0 });
    expect(await suspectStas('S3')).toBe('3');
    expect(r.body.recoveries).toEqual([]);
  });
});

describe('refusals', () => {
  let case_id: string;
  beforeAll(async () => {
    case_id = await openCase('sh1a', ['S4']);
  });

  test('illegal transitions are refused in Chinese and write nothing', async () => {
    const before = await histCount(case_id);
    expect(await act('jh1', case_id, { action: 'dispose', dspo_type: '1', opinion: '直接处理' })).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT', message: '案件当前状态为“待初审”，不能执行“违规处理”（此状态可办理：分配审核人、初审）' },
    });
    expect(await act('jg1', case_id, { action: 'appeal', opinion: '申诉' })).toMatchObject({ status: 409 });
    expect(await act('sh1a', case_id, { action: 'investigate', conclusion: 'confirm', opinion: 'x' })).toMatchObject({ status: 403, body: { message: '无权执行“调查核实”：需要稽核（调查核实、违规处理）权限' } });
    expect(await act('jg1', case_id, { action: 'first_review', conclusion: 'exclude', opinion: 'x' })).toMatchObject({ status: 403 });
    expect(await act('sh1a', case_id, { action: 'first_review', opinion: '无结论' })).toMatchObject({ status: 400, body: { problems: [{ field: 'conclusion' }] } });
    expect(await act('sh1a', case_id, { action: 'first_review', conclusion: 'confirm' })).toMatchObject({ status: 400, body: { message: '请填写初审意见' } });
    expect(await act('sh1a', case_id, { action: 'assign', assignee_id: 'jg1' })).toMatchObject({ status: 400, body: { problems: [{ field: 'assignee_id' }] } });
    expect(await histCount(case_id)).toBe(before);
    expect((await as<CaseDetail>('sh1a', `/api/audit/cases/${case_id}`)).body.case.case_stas).toBe('10');
  });

  test('复审 must be someone other than the first reviewer', async () => {
    await act('sh1a', case_id, { action: 'first_review', conclusion: 'confirm', opinion: '初审' });
    expect(await act('sh1a', case_id, { action: 'second_review', conclusion: 'confirm', opinion: '复审' })).toMatchObject({ status: 409, body: { message: '复审须由初审人以外的审核人办理' } });
  });

  test('a suspect already in a case, or suspects of two institutions, cannot be opened', async () => {
    expect(await as('sh1a', '/api/audit/cases', 'POST', { suspect_ids: ['S4'] })).toMatchObject({ status: 409 });
    expect(await as('jh0', '/api/audit/cases', 'POST', { suspect_ids: ['S6', 'S5'] })).toMatchObject({ status: 400, body: { message: '一个案件只能包含同一定点医药机构的疑点（所选疑点涉及 H99010200001、H99020000002）' } });
    expect(await as('sh1a', '/api/audit/cases', 'POST', { suspect_ids: ['S5'] })).toMatchObject({ status: 400, body: { message: '疑点不存在或不在您的管辖区划内：S5' } });
    expect(await as('jg1', '/api/audit/cases', 'POST', { suspect_ids: ['S6'] })).toMatchObject({ status: 403 });
    expect(await suspectStas('S6')).toBe('0');
  });

  test('another institution or another area can neither see nor appeal a case', async () => {
    await act('sh1b', case_id, { action: 'second_review', conclusion: 'confirm', opinion: '复审' });
    expect((await as('jg2', `/api/audit/cases/${case_id}`)).status).toBe(404);
    expect(await act('jg2', case_id, { action: 'appeal', opinion: '申诉' })).toMatchObject({ status: 404, body: { message: `未找到审核案件 ${case_id}，或该案件不在您的管辖范围内` } });
    expect((await as<Page<unknown>>('jg2', '/api/audit/cases')).body.total).toBe(0);
    expect((await as('sh2', `/api/audit/cases/${case_id}`)).status).toBe(404);
    expect((await as('jg1', '/api/audit/suspects')).status).toBe(403);
    const own = await as<Page<{ case_id: string; actions: string[] }>>('jg1', '/api/audit/cases/queue');
    expect(own.body.list.map((c) => [c.case_id, c.actions])).toEqual([[case_id, ['appeal', 'accept']]]);
    expect(await act('jh1', case_id, { action: 'close_appeal' })).toMatchObject({ status: 409, body: { message: expect.stringMatching(/^申诉期限至 \d{4}-\d{2}-\d{2}，期满前不能结束申诉$/) } });
  });

  test('a step past its time limit is flagged overdue, and 申诉期满 can then close the appeal', async () => {
    await sql`update audit_case set due_date = '2020-01-06' where case_id = ${case_id}`.execute(w.db.k);
    const overdue = await as<Page<{ case_id: string; overdue: boolean }>>('jh1', '/api/audit/cases?overdue=true');
    expect(overdue.body.list.map((c) => [c.case_id, c.overdue])).toEqual([[case_id, true]]);
    expect((await as<Page<unknown>>('jh1', '/api/audit/cases?overdue=true&case_stas=20')).body.total).toBe(0);
    const r = await act('jh1', case_id, { action: 'close_appeal' });
    expect(r.body.case).toMatchObject({ case_stas: '50', overdue: false, due_date: dueDateOf(beijingDate(), { limit_days: 10, day_type: 'W' }) });
  });
});

describe('suspects, rules, knowledge base', () => {
  test('suspects are filtered and limited to the reader’s area', async () => {
    const mine = await as<Page<{ suspect_id: string }>>('jh1', '/api/audit/suspects?rule_id=MGT-FRQ-01');
    expect(mine.body.list.map((s) => s.suspect_id).sort()).toEqual(['S1', 'S2']);
    expect((await as<Page<{ suspect_id: string }>>('sh2', '/api/audit/suspects')).body.list.map((s) => s.suspect_id)).toEqual(['S5']);
    expect((await as<Page<{ suspect_id: string }>>('jh0', '/api/audit/suspects?stas=0')).body.list.map((s) => s.suspect_id).sort()).toEqual(['S5', 'S6']);
    expect((await as('sh2', '/api/audit/suspects/S1')).status).toBe(404);
  });

  test('the rule base: list, detail with history, a broken parameter refused in Chinese, a new version, disabling', async () => {
    const list = await as<{ total: number; list: { rule_id: string }[] }>('sh1a', '/api/audit/rules?on=2025-01-01');
    expect(list.body.total).toBeGreaterThanOrEqual(35);
    const one = await as<{ rule: Record<string, unknown> & { params: Record<string, unknown> }; history: unknown[] }>('sh1a', '/api/audit/rules/MGT-FRQ-01?on=2025-01-01');
    expect(one.body.rule).toMatchObject({ rule_id: 'MGT-FRQ-01', enabled: true });
    expect(one.body.history).toHaveLength(1);
    const { rule_id: _id, ...input } = one.body.rule;
    expect((await as('sh1a', '/api/audit/rules/MGT-FRQ-01', 'PUT', { ...input, begndate: '2026-01-01' })).status).toBe(403);
    const bad = await as<{ message: string; problems: { field: string }[] }>('admin', '/api/audit/rules/MGT-FRQ-01', 'PUT', { ...input, params: { ...one.body.rule.params, no_such_param: 1 }, begndate: '2026-01-01', paramErr: undefined });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual(expect.arrayContaining([{ field: 'params.no_such_param', message: '不是该规则的参数' }]));
    const saved = await as('admin', '/api/audit/rules/MGT-FRQ-01', 'PUT', { ...input, rule_name: '超频次（修订）', begndate: '2026-01-01' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await as('admin', '/api/audit/rules/MGT-FRQ-01/enabled', 'POST', { enabled: false, from: '2026-06-01' })).body).toMatchObject({ enabled: false, begndate: '2026-06-01' });
    const hist = await as<{ rule: { rule_name: string; enabled: boolean }; history: { begndate: string; enddate: string | null }[] }>('sh1a', '/api/audit/rules/MGT-FRQ-01?on=2026-03-01');
    expect(hist.body.rule).toMatchObject({ rule_name: '超频次（修订）', enabled: true });
    expect(hist.body.history.map((h) => [h.begndate, h.enddate])).toEqual([
      ['2026-06-01', null],
      ['2026-01-01', '2026-05-31'],
      ['2024-01-01', '2025-12-31'],
    ]);
  });

  test('knowledge-base tables are browsed page by page', async () => {
    const r = await as<Page<unknown> & { kind: string }>('sh1a', '/api/audit/kb/pair?page_size=5');
    expect(r.body).toMatchObject({ kind: 'pair', page_num: 1, page_size: 5, total: 0, list: [] });
    expect((await as('sh1a', '/api/audit/kb/nope')).status).toBe(400);
    expect((await as('jg1', '/api/audit/kb/item')).status).toBe(403);
  });
});

describe('metrics from a known small set', () => {
  beforeAll(async () => {
    const ev = (id: string, inst: string, rules: string, dura: number, trig: string, day: string) =>
      sql`insert into audit_eval (eval_id, infno, fixmedins_code, trig_scen, patn_ids, mdtrt_ids, reqt_time, rsp_time, ana_dura, rules_run, rule_cnt, hit_cnt, medfee_sumamt, vola_amt)
        values (${id}, '3101', ${inst}, ${trig}, 'P', 'M', ${`${day}T10:00:00+08:00`}::timestamptz, ${`${day}T10:00:01+08:00`}::timestamptz, ${dura}, ${rules}, ${rules.split(',').length}, 0, '100.00', '0.00')`.execute(w.db.k);
    const warn = (id: string, eval_id: string, inst: string, rule: string, dspo: string | null, day: string) =>
      sql`insert into audit_warn_rslt (warn_rslt_id, eval_id, infno, fixmedins_code, patn_id, reqt_time, rsp_time, ana_dura, rule_id, rule_ver, rule_name, rule_sev_deg, vola_bhvr_type, warn_cont, medfee_sumamt, vola_amt, vola_amt_stas, detail, warn_dspo_way)
        values (${id}, ${eval_id}, '3101', ${inst}, 'P', ${`${day}T10:00:00+08:00`}::timestamptz, ${`${day}T10:00:01+08:00`}::timestamptz, 1, ${rule}, 1, ${rule}, '1', '1', '提醒', '100.00', '10.00', '1', '[]', ${dspo})`.execute(w.db.k);
    await ev('E1', H1, 'POL-GEN-01,MGT-DUP-01', 10, '2', '2026-11-03');
    await ev('E2', H1, 'POL-GEN-01', 20, '2', '2026-11-04');
    await ev('E3', H2, 'POL-GEN-01,MGT-DUP-01', 30, '7', '2026-11-05');
    await ev('E4', H1, 'MGT-DUP-01', 40, '7', '2026-12-01');
    await warn('W1', 'E1', H1, 'POL-GEN-01', '1', '2026-11-03');
    await warn('W2', 'E1', H1, 'POL-GEN-01', '2', '2026-11-03');
    await warn('W3', 'E3', H2, 'MGT-DUP-01', '1', '2026-11-05');
    await warn('W4', 'E4', H1, 'MGT-DUP-01', '3', '2026-12-01');
  });
  const metric = async (user: string, q: string) => (await as<{ list: Record<string, unknown>[] }>(user, `/api/audit/metrics/${q}`)).body.list;

  test('activity = hit evaluations / evaluations, per rule, per institution, per month, within the area', async () => {
    expect(await metric('jh0', 'activity?by=rule_id')).toEqual([
      expect.objectContaining({ rule_id: 'MGT-DUP-01', evaluations: 3, hits: 2, warnings: 2, activity: 0.6667 }),
      expect.objectContaining({ rule_id: 'POL-GEN-01', evaluations: 3, hits: 1, warnings: 2, activity: 0.3333 }),
    ]);
    expect(await metric('jh1', 'activity?by=rule_id')).toEqual([
      expect.objectContaining({ rule_id: 'MGT-DUP-01', evaluations: 2, hits: 1, activity: 0.5 }),
      expect.objectContaining({ rule_id: 'POL-GEN-01', evaluations: 2, hits: 1, activity: 0.5 }),
    ]);
    expect((await metric('jh0', 'activity?by=month&from=2026-11-01&to=2026-11-30')).map((r) => [r.month, r.evaluations, r.hits])).toEqual([['2026-11', 5, 2]]);
    expect((await metric('jh0', 'activity?by=fixmedins_code,rule_id&rule_id=MGT-DUP-01')).map((r) => [r.fixmedins_code, r.evaluations, r.hits])).toEqual([
      [H1, 2, 1],
      [H2, 1, 1],
    ]);
  });

  test('事前提醒遵从率 counts 采纳修改 as complied', async () => {
    expect(await metric('jh0', 'compliance?by=rule_id')).toEqual([
      { rule_id: 'MGT-DUP-01', warnings: 2, disposed: 2, complied: 1, insisted: 0, acknowledged: 1, compliance_rate: 0.5 },
      { rule_id: 'POL-GEN-01', warnings: 2, disposed: 2, complied: 1, insisted: 1, acknowledged: 0, compliance_rate: 0.5 },
    ]);
    expect(await metric('jh0', 'compliance?fixmedins_code=H99010200001')).toEqual([{ warnings: 3, disposed: 3, complied: 1, insisted: 1, acknowledged: 1, compliance_rate: 0.3333 }]);
  });

  test('latency percentiles per trigger scene', async () => {
    expect(await metric('jh0', 'latency')).toEqual([
      { trig_scen: '2', evaluations: 2, p50: 15, p95: 19.5, p99: 19.9, max: 20 },
      { trig_scen: '7', evaluations: 2, p50: 35, p95: 39.5, p99: 39.9, max: 40 },
    ]);
  });

  test('precision and amounts follow the review outcomes', async () => {
    const rows = await metric('jh0', 'review?by=rule_id');
    expect(rows).toEqual([
      { rule_id: 'MED-QTY-01', suspects: 2, in_review: 1, reviewed: 0, confirmed: 0, excluded: 0, precision: null, appeal_upheld: 0, misjudge_rate: 0, suspected_amt: 17, confirmed_amt: 0, rcv_amt: 0, recovered_amt: 0 },
      { rule_id: 'MGT-FRQ-01', suspects: 3, in_review: 0, reviewed: 2, confirmed: 1, excluded: 1, precision: 0.5, appeal_upheld: 0, misjudge_rate: 0, suspected_amt: 160.49, confirmed_amt: 80, rcv_amt: 80, recovered_amt: 80 },
      { rule_id: 'POL-GEN-01', suspects: 1, in_review: 0, reviewed: 1, confirmed: 0, excluded: 1, precision: 0, appeal_upheld: 1, misjudge_rate: 1, suspected_amt: 30, confirmed_amt: 0, rcv_amt: 0, recovered_amt: 0 },
    ]);
    expect((await metric('sh2', 'review?by=rule_id')).map((r) => [r.rule_id, r.suspects])).toEqual([['MGT-FRQ-01', 1]]);
  });

  test('the evaluation log lists evaluations in the area with their warnings and dispositions', async () => {
    const list = await as<Page<{ eval_id: string }>>('jh1', '/api/audit/evals?from=2026-11-01');
    expect(list.body.list.map((e) => e.eval_id)).toEqual(['E4', 'E2', 'E1']);
    const e1 = await as<{ evaluation: { ana_dura: number }; warnings: { warn_rslt_id: string; warn_dspo_way: string }[] }>('jh1', '/api/audit/evals/E1');
    expect(e1.body.evaluation.ana_dura).toBe(10);
    expect(e1.body.warnings.map((x) => [x.warn_rslt_id, x.warn_dspo_way])).toEqual([
      ['W1', '1'],
      ['W2', '2'],
    ]);
    expect((await as('jh1', '/api/audit/evals/E3')).status).toBe(404);
  });
});
