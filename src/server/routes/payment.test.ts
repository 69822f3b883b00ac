/**
 * /api/payment over HTTP against a real database: who may read and write, parameters with history, a DRG year run
 * started as a job and followed to the end, and its results (statements, CMI, cost vs payment, outliers).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';

let w: TestWorld;
const tokens: Record<string, string> = {};

async function list(setl_id: string, date: string, cost: string, psn: string, dx: string[]): Promise<void> {
  const content = { setlinfo: { setl_id, fixmedins_code: 'H99010200001', gend: '1', age: '60', act_ipt_days: '7', dscg_way: '1' }, diseinfo: dx.map((d, i) => ({ diag_type: '1', diag_code: d, maindiag_flag: i === 0 ? '1' : '0' })), oprninfo: [] };
  await sql`insert into setl_list (setl_id, fixmedins_code, mdtrt_id, cur_ver, setl_list_id, stas_type) values (${setl_id}, 'H99010200001', ${`M${setl_id}`}, 1, ${`L${setl_id}`}, '2')`.execute(w.db.k);
  await sql`insert into setl_list_ver (setl_list_id, setl_id, ver_no, infno, fixmedins_code, mdtrt_id, dscg_date, act_ipt_days, medfee_sumamt, acct_pay, psn_cashpay, fund_pay_sumamt, content, qc_rslt, qc_report)
    values (${`L${setl_id}`}, ${setl_id}, 1, '4101', 'H99010200001', ${`M${setl_id}`}, ${date}, 7, ${cost}, '0', ${psn}, '0', ${JSON.stringify(content)}::jsonb, '0', '[]'::jsonb)`.execute(w.db.k);
}

beforeAll(async () => {
  w = await createTestWorld();
  for (const u of ['admin', 'jb1', 'sh2', 'jh0', 'jg1']) tokens[u] = await loginAs(w.app, u);
  await list('S1', '2025-03-01', '8000.00', '0', ['K22.301', 'K11.901']);
  await list('S2', '2025-03-02', '12000.00', '0', ['K22.301', 'K11.901']);
  await list('S3', '2026-03-01', '10000.00', '2000.00', ['K22.301', 'K11.901']);
  await list('S4', '2026-05-01', '40000.00', '8000.00', ['K22.301', 'K11.901']);
}, 300_000);
afterAll(async () => w?.close());

const params = { admdvs: '990100', pay_type: 'drg', setl_year: 2026, begndate: '2026-01-01', budget: '30000.00', base_rate: '10000', params: { year_weights: { '2025': 1 }, trim: { method: 'none' }, prepay_ratio: '1' } };

describe('/api/payment', () => {
  it('is for 经办员, 审核员 and 管理员: 稽核员 and 机构用户 are refused; 审核员 may read but not write', async () => {
    for (const u of ['jh0', 'jg1']) {
      const r = await call(w.app, tokens[u]!, 'GET', '/api/payment/runs');
      expect(r.status, u).toBe(403);
      expect(String(r.body.message)).toContain('查询DRG/DIP付费');
    }
    expect((await call(w.app, tokens.sh2!, 'GET', '/api/payment/runs')).status).toBe(200);
    expect((await call(w.app, tokens.sh2!, 'PUT', '/api/payment/params', { ...params, admdvs: '990200' })).status).toBe(403);
  });

  it('parameters: a new version with history; another city is out of scope; bad input is a Chinese 400', async () => {
    const put = await call(w.app, tokens.jb1!, 'PUT', '/api/payment/params', params);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ begndate: '2026-01-01', budget: '30000.00', enddate: null });
    const get = await call<{ versions: unknown[]; in_force: { budget: string } }>(w.app, tokens.sh2!, 'GET', '/api/payment/params?admdvs=990100&pay_type=drg&setl_year=2026');
    expect(get.status).toBe(403); // 审核员 of 990200
    const mine = await call<{ versions: unknown[]; in_force: { budget: string } }>(w.app, tokens.jb1!, 'GET', '/api/payment/params?admdvs=990100&pay_type=drg&setl_year=2026');
    expect([mine.body.versions.length, mine.body.in_force.budget]).toEqual([1, '30000.00']);
    const bad = await call(w.app, tokens.jb1!, 'PUT', '/api/payment/params', { ...params, begndate: '2026-02-01', params: { high_ratio: '-1' } });
    expect([bad.status, bad.body.message]).toEqual([400, '参数 high_ratio 应为不超过4位小数的非负数，实际为 "-1"']);
  });

  it('starts a year run as a job, follows it to the end, then reads the results', async () => {
    const start = await call<{ job_id: string }>(w.app, tokens.jb1!, 'POST', '/api/payment/runs', { admdvs: '990100', pay_type: 'drg', setl_year: 2026 });
    expect(start.status).toBe(202);
    let job: { status: string; result: { run_id: string } | null } = { status: 'running', result: null };
    for (let i = 0; i < 600 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await call<typeof job>(w.app, tokens.jb1!, 'GET', `/api/payment/jobs/${start.body.job_id}`)).body;
    }
    expect(job.status).toBe('done');
    const run_id = job.result!.run_id;
    // RW GZ13 = 1 (only DRG of the history): S3 100 points, S4 high (4 − 3 + 1) × 100 = 200; pool 30,000 + 10,000
    const st = await call<{ point_value: string; list: { fixmedins_code: string; points: string; amount_due: string; fund_due: string; prepaid: string; balance: string; months: unknown[] }[] }>(w.app, tokens.sh2!, 'GET', `/api/payment/runs/${run_id}/statements`);
    expect(st.status).toBe(403); // the run is 990100's
    const mine = await call<typeof st.body>(w.app, tokens.admin!, 'GET', `/api/payment/statements?admdvs=990100&pay_type=drg&setl_year=2026`);
    expect(mine.body.point_value).toBe('133.333333');
    expect(mine.body.list).toEqual([expect.objectContaining({ fixmedins_code: 'H99010200001', points: '300.0000', amount_due: '40000.00', fund_due: '30000.00', prepaid: '5000.00', balance: '25000.00' })]);
    // March: 30,000 ÷ 12 + 2,000 paid by the patient, all S3's → 2,500 pre-paid; May: 2,500 + 8,000 − 8,000 → 2,500
    expect(mine.body.list[0]!.months).toEqual([expect.objectContaining({ setl_month: 3, amount_due: '4500.00', prepaid: '2500.00' }), expect.objectContaining({ setl_month: 5, amount_due: '10500.00', prepaid: '2500.00' })]);

    const cmi = await call<{ hospitals: { cmi: string }[] }>(w.app, tokens.jb1!, 'GET', `/api/payment/runs/${run_id}/cmi`);
    expect(cmi.body.hospitals[0]!.cmi).toBe('1.0000');
    const cost = await call<{ rows: { code: string; case_cnt: number; medfee_sumamt: string; payment: string }[] }>(w.app, tokens.jb1!, 'GET', `/api/payment/runs/${run_id}/cost?by=hospital`);
    expect(cost.body.rows).toEqual([expect.objectContaining({ code: 'H99010200001', case_cnt: 2, medfee_sumamt: '50000.00', payment: '40000.00' })]);
    const out = await call<{ total: number; rows: { case_id: string; case_type: string }[] }>(w.app, tokens.jb1!, 'GET', `/api/payment/runs/${run_id}/outliers?case_type=high`);
    expect(out.body.rows.map((r) => [r.case_id, r.case_type])).toEqual([['S4', 'high']]);
    const runs = await call<{ list: { run_id: string }[] }>(w.app, tokens.jb1!, 'GET', '/api/payment/runs?setl_year=2026');
    expect(runs.body.list.map((r) => r.run_id)).toEqual([run_id]);
  });

  it('a run the user may not start, or one without parameters, is refused in Chinese before any job starts', async () => {
    expect((await call(w.app, tokens.sh2!, 'POST', '/api/payment/runs', { admdvs: '990100', pay_type: 'drg', setl_year: 2026 })).status).toBe(403);
    const r = await call(w.app, tokens.jb1!, 'POST', '/api/payment/runs', { admdvs: '990100', pay_type: 'dip', setl_year: 2026 });
    expect([r.status, r.body.message]).toEqual([404, '区划 990100 2026 年度没有 2026-12-31 生效的 DIP 付费参数，请先设置（yibao pay params 或管理端“付费参数”）']);
    const bad = await call(w.app, tokens.jb1!, 'POST', '/api/payment/runs', { admdvs: '9901', pay_type: 'drg', setl_year: 2026 });
    expect(bad.status).toBe(400);
  });
});
