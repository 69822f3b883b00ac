import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installAuth } from '../auth/hook.js';
import { createLogger } from '../../platform/logging.js';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';
import { auditEvaluationRoutes } from './audit-evaluations.js';

type Page<T> = { page_num: number; page_size: number; total: number; list: T[] };
interface Row {
  eval_id: string;
  fixmedins_name: string | null;
  patients: { patn_id: string; psn_name: string | null }[];
  hit_cnt: number;
  hit_rule_ids: string[];
  ana_dura: number;
  vola_amt: number;
  reqt_time: string;
  dspo: { warnings: number; disposed: number; ways: Record<string, number> };
}
interface Detail {
  evaluation: { eval_id: string; patients: { patn_id: string; psn_name: string | null }[]; rules_run: string[]; fixmedins_name: string | null };
  result: { warn_rslt_id: string; rule_id: string; patn_id: string; warn_dspo_way: string | null; detail: { patn_id: string; jrd_id: string }[]; dispositions: { dr_name: string | null }[] }[];
}

const H1 = 'H99010200001'; // 990102 (甲市)
const H2 = 'H99020000002'; // 990200 (乙市)

let w: TestWorld;
const tokens: Record<string, string> = {};
const as = <T>(user: string, url: string) => call<T>(w.app, tokens[user]!, 'GET', url);

/** One evaluation and its warnings as the log writer (audit/engine/log.ts) stores them, with 3103 dispositions. */
async function evaluation(eval_id: string, o: { inst: string; patn_id: string; day: string; trig: string; warns: { id: string; rule: string; dspo: string | null }[] }) {
  const at = `${o.day}T09:30:00+08:00`;
  const vola = (o.warns.length * 12.5).toFixed(2);
  await sql`insert into audit_eval (eval_id, infno, fixmedins_code, trig_scen, patn_ids, mdtrt_ids, reqt_time, rsp_time, ana_dura, rules_run, rule_cnt, hit_cnt, medfee_sumamt, vola_amt)
    values (${eval_id}, '3101', ${o.inst}, ${o.trig}, ${o.patn_id}, ${`M${eval_id}`}, ${at}::timestamptz, ${at}::timestamptz, 12.5, 'POL-GEN-01,MGT-DUP-01', 2, ${o.warns.length}, '300.00', ${vola})`.execute(w.db.k);
  for (const x of o.warns) {
    const detail = [{ jrd_id: `${x.id}-1`, patn_id: o.patn_id, mdtrt_id: `M${eval_id}`, rx_id: 'RX1', vola_item_type: '1', vola_amt: 12.5 }];
    await sql`insert into audit_warn_rslt (warn_rslt_id, eval_id, infno, trig_scen, fixmedins_code, patn_id, mdtrt_id, reqt_time, rsp_time, ana_dura, rule_id, rule_ver, rule_name, rule_sev_deg, vola_bhvr_type, warn_cont, medfee_sumamt, vola_amt, vola_amt_stas, detail, warn_dspo_way, dspo_dscr, dspo_time)
      values (${x.id}, ${eval_id}, '3101', ${o.trig}, ${o.inst}, ${o.patn_id}, ${`M${eval_id}`}, ${at}::timestamptz, ${at}::timestamptz, 12.5, ${x.rule}, 1, ${`规则${x.rule}`}, '1', '2', '重复收费提醒', '300.00', '12.50', '1',
              ${JSON.stringify(detail)}::jsonb, ${x.dspo}, ${x.dspo ? '已处理' : null}, ${x.dspo ? at : null}::timestamptz)`.execute(w.db.k);
    if (x.dspo) {
      await sql`insert into audit_warn_dspo (warn_rslt_id, warn_dspo_way, dspo_dscr, dr_codg, dr_name, fixmedins_code) values (${x.id}, ${x.dspo}, '已处理', 'D99010200001', '张医生', ${o.inst})`.execute(w.db.k);
    }
  }
}

beforeAll(async () => {
  w = await createTestWorld();
  // registered here until src/server/routes/index.ts lists the route file
  if (!w.app.hasRoute({ method: 'GET', url: '/api/audit/evaluations' })) {
    await w.app.register(
      async (api) => {
        installAuth(api, { db: w.db, nodeAdmdvs: w.config.nodeAdmdvs });
        await api.register(auditEvaluationRoutes({ db: w.db, config: w.config, log: createLogger('silent') }));
      },
      { prefix: '/api' },
    );
  }
  for (const u of ['jh0', 'jh1', 'sh2', 'jg1', 'jb1']) tokens[u] = await loginAs(w.app, u);
  await evaluation('E1', { inst: H1, patn_id: w.psnA, day: '2026-11-03', trig: '2', warns: [{ id: 'W1', rule: 'POL-GEN-01', dspo: '1' }, { id: 'W2', rule: 'MGT-DUP-01', dspo: null }] });
  await evaluation('E2', { inst: H1, patn_id: w.psnA, day: '2026-11-04', trig: '6', warns: [] });
  await evaluation('E3', { inst: H2, patn_id: w.psnB, day: '2026-11-05', trig: '2', warns: [{ id: 'W3', rule: 'MGT-DUP-01', dspo: '2' }] });
  await evaluation('E4', { inst: H1, patn_id: 'UNKNOWN000123456', day: '2026-11-06', trig: '2', warns: [{ id: 'W4', rule: 'POL-GEN-01', dspo: '3' }] });
}, 300_000);
afterAll(async () => w?.close());

describe('GET /api/audit/evaluations', () => {
  test('newest first within the area, with the institution, masked patients, hit rules and the disposition summary', async () => {
    const r = await as<Page<Row>>('jh1', '/api/audit/evaluations');
    expect(r.status).toBe(200);
    expect(r.body.list.map((e) => e.eval_id)).toEqual(['E4', 'E2', 'E1']);
    const e1 = r.body.list.find((e) => e.eval_id === 'E1')!;
    expect(e1).toMatchObject({ fixmedins_name: '甲市第一人民医院', hit_cnt: 2, hit_rule_ids: ['POL-GEN-01', 'MGT-DUP-01'], ana_dura: 12.5, vola_amt: 25, reqt_time: '2026-11-03 09:30:00' });
    expect(e1.dspo).toEqual({ warnings: 2, disposed: 1, ways: { '1': 1 } });
    // the person: id and name masked, never whole
    expect(e1.patients).toEqual([{ patn_id: `${w.psnA.slice(0, 4)}${'*'.repeat(w.psnA.length - 8)}${w.psnA.slice(-4)}`, psn_name: '王*' }]);
    expect(JSON.stringify(r.body)).not.toContain(w.psnA);
    // an id that is not a known person keeps only its mask
    expect(r.body.list[0]!.patients).toEqual([{ patn_id: 'UNKN********3456', psn_name: null }]);
  });

  test.each([
    ['rule_id=MGT-DUP-01', ['E3', 'E1']],
    ['dspo=none', ['E1']],
    ['dspo=2', ['E3']],
    ['hit=false', ['E2']],
    ['trig_scen=6', ['E2']],
    ['from=2026-11-04&to=2026-11-05', ['E3', 'E2']],
    [`fixmedins_code=${H2}`, ['E3']],
  ])('filters: %s', async (q, ids) => {
    const r = await as<Page<Row>>('jh0', `/api/audit/evaluations?${q}`);
    expect(r.body.list.map((e) => e.eval_id)).toEqual(ids);
    expect(r.body.total).toBe(ids.length);
  });

  test('another city sees its own evaluations only; institution and handler roles are refused', async () => {
    expect((await as<Page<Row>>('sh2', '/api/audit/evaluations')).body.list.map((e) => e.eval_id)).toEqual(['E3']);
    expect((await as('jg1', '/api/audit/evaluations')).status).toBe(403);
    expect((await as('jb1', '/api/audit/evaluations')).status).toBe(403);
    expect((await as('jh0', '/api/audit/evaluations?dspo=9')).status).toBe(400);
  });
});

describe('GET /api/audit/evaluations/:eval_id', () => {
  test('the result[] items with details and dispositions, patients masked inside the details too', async () => {
    const r = await as<Detail>('jh1', '/api/audit/evaluations/E1');
    expect(r.status).toBe(200);
    expect(r.body.evaluation).toMatchObject({ eval_id: 'E1', fixmedins_name: '甲市第一人民医院', rules_run: ['POL-GEN-01', 'MGT-DUP-01'] });
    expect(r.body.result.map((x) => [x.warn_rslt_id, x.rule_id, x.warn_dspo_way])).toEqual([
      ['W1', 'POL-GEN-01', '1'],
      ['W2', 'MGT-DUP-01', null],
    ]);
    expect(r.body.result[0]!.dispositions).toEqual([expect.objectContaining({ dr_name: '张医生', warn_dspo_way: '1' })]);
    expect(r.body.result[0]!.detail[0]).toMatchObject({ jrd_id: 'W1-1' });
    expect(JSON.stringify(r.body)).not.toContain(w.psnA);
  });

  test('outside the area, or unknown: 404 with a Chinese message', async () => {
    const r = await as<{ message: string }>('sh2', '/api/audit/evaluations/E1');
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/不在您的管辖区划内/);
    expect((await as('jh0', '/api/audit/evaluations/NOPE')).status).toBe(404);
  });
});
