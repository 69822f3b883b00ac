/**
 * The engine around the rules: which rules run (stage from trig_scen, rule_ids, scenes, levels, enabled, in force),
 * a failing rule isolated and reported, history pulled when the request has none, the response shape, refusals
 * of unreadable requests. No database.
 */
import { describe, expect, test } from 'vitest';
import { isYibaoError } from '../../platform/errors.js';
import { RULE_IMPLS, makeRuleImpls, type AnyRuleImpl } from '../rules/index.js';
import { DEFAULT_RULES } from '../rules/catalogue.js';
import { defaultRuleBase, RuleBase, ruleDefFromInput } from '../rules/store.js';
import { defineRule } from '../rules/types.js';
import { paramsOf } from '../rules/util.js';
import { C, encounter, fixtureKnowledge, HOSP_B, order, patient, request, TODAY } from '../testing.js';
import type { AuditRequest } from '../types.js';
import { evaluate } from './engine.js';
import { staticHistory, type HistoryProvider } from './history.js';

const kb = fixtureKnowledge();
const rules = defaultRuleBase();
const opts = { kb, rules, today: TODAY };

/** A woman given a male-only drug (POL-GEN-01) and a 丙类 drug settled by the fund (POL-OUT-01, 事中 only). */
const claim = (o: Partial<AuditRequest> = {}) => request(patient({ gend: '2', fsi_encounter_dtos: [encounter({ orders: [order(C.TAMS), order(C.CLASS_C, { pric: 50 })] })] }), o);
const ids = (r: { result: { rule_id: string }[] }) => r.result.map((x) => x.rule_id).sort();

async function refusal(p: Promise<unknown>): Promise<{ message: string; problems: { field?: string; message: string }[] }> {
  try {
    await p;
  } catch (e) {
    if (isYibaoError(e)) return { message: e.message, problems: e.problems };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('rule selection', () => {
  test('trig_scen 2 (事前) runs 事前 rules only; trig_scen 7 (事中) adds the 事中-only ones', async () => {
    expect(ids((await evaluate(claim({ trig_scen: '2' }), opts)).response)).toEqual(['POL-GEN-01']);
    expect(ids((await evaluate(claim({ trig_scen: '7' }), opts)).response)).toEqual(['POL-GEN-01', 'POL-OUT-01']);
    expect(ids((await evaluate(claim({ trig_scen: '2,7' }), opts)).response)).toEqual(['POL-GEN-01', 'POL-OUT-01']);
  });

  test('rule_ids narrows the rules; an unknown id is named in warn_msg', async () => {
    const ev = await evaluate(claim({ trig_scen: '7', rule_ids: ['POL-OUT-01', 'XXX-NO-01'] }), opts);
    expect(ids(ev.response)).toEqual(['POL-OUT-01']);
    expect(ev.response.warn_msg).toBe('规则 XXX-NO-01 不存在或未启用');
    expect(ev.rulesRun).toEqual(['POL-OUT-01']);
  });

  test('a disabled rule, a rule not yet in force, and a rule for other levels or scenes do not run', async () => {
    const tweak = (id: string, over: object) => DEFAULT_RULES.map((r) => ruleDefFromInput(r.rule_id === id ? { ...r, ...over } : r));
    const off = new RuleBase(tweak('POL-GEN-01', { enabled: false }));
    expect(ids((await evaluate(claim(), { ...opts, rules: off })).response)).toEqual([]);
    const later = new RuleBase(tweak('POL-GEN-01', { begndate: '2026-01-01' }));
    expect(ids((await evaluate(claim(), { ...opts, rules: later })).response)).toEqual([]);
    const lv3 = new RuleBase(tweak('POL-GEN-01', { medins_lv: ['3'] }));
    expect(ids((await evaluate(claim(), { ...opts, rules: lv3 })).response)).toEqual([]);
    const ipt = new RuleBase(tweak('POL-GEN-01', { scenes: ['2'] }));
    expect(ids((await evaluate(claim(), { ...opts, rules: ipt })).response)).toEqual([]);
    const remote = new RuleBase(tweak('POL-GEN-01', { scenes: ['5'] }));
    const away = request(patient({ gend: '2', poolarea: '980100', fsi_encounter_dtos: [encounter({ orders: [order(C.TAMS)] })] }));
    expect(ids((await evaluate(away, { ...opts, rules: remote })).response)).toEqual(['POL-GEN-01']);
  });

  test('the rule’s amount formula decides vola_amt and vola_amt_stas', async () => {
    const none = new RuleBase(DEFAULT_RULES.map((r) => ruleDefFromInput(r.rule_id === 'POL-GEN-01' ? { ...r, vola_amt_formula: '0' } : r)));
    const [r] = (await evaluate(claim(), { ...opts, rules: none })).response.result;
    expect(r).toMatchObject({ vola_amt: 0, vola_amt_stas: '2' });
    expect(r!.judge_result_detail_dtos[0]).toMatchObject({ vola_item_type: '1', vola_amt: 0 });
  });
});

describe('a failing rule', () => {
  const boom: AnyRuleImpl = defineRule({
    rule_id: 'POL-GEN-01',
    params: paramsOf({}),
    formulas: ['0', '1', '3'],
    run() {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    },
  }) as AnyRuleImpl;
  const impls = makeRuleImpls([...[...RULE_IMPLS.values()].filter((r) => r.rule_id !== 'POL-GEN-01'), boom]);

  test('is skipped and reported; the other rules still answer', async () => {
    const ev = await evaluate(claim({ trig_scen: '7' }), { ...opts, impls, rules: defaultRuleBase(impls) });
    expect(ids(ev.response)).toEqual(['POL-OUT-01']);
    expect(ev.response.rule_errs).toEqual([{ rule_id: 'POL-GEN-01', rule_name: '限性别用药（药品区分性别使用）', err_msg: "规则执行异常：Cannot read properties of undefined (reading 'x')" }]);
    expect(ev.response.warn_msg).toContain('以下规则执行异常已跳过，其余规则结果有效：POL-GEN-01');
    expect(ev.rulesRun).toContain('POL-OUT-01');
  });

  test('whose stored parameters no longer validate is reported, not run', async () => {
    const broken = new RuleBase(rules.rules.map((r) => (r.rule_id === 'POL-GEN-01' ? { ...r, paramErr: '规则参数有误：params.fund_only应为 true 或 false' } : r)));
    const ev = await evaluate(claim(), { ...opts, rules: broken });
    expect(ev.response.result).toEqual([]);
    expect(ev.response.rule_errs[0]).toMatchObject({ rule_id: 'POL-GEN-01', err_msg: '规则参数有误：params.fund_only应为 true 或 false' });
  });
});

describe('history', () => {
  const stay = encounter({ med_type: '21', orders: [order(C.BED)] });
  const other = encounter({ mdtrt_id: 'MB', medins_id: HOSP_B, medins_name: '甲市第二医院', med_type: '21', adm_date: '2025-06-05 08:00:00', dscg_date: '2025-06-12 10:00:00', fsi_order_dtos: [] });

  test('a patient sent without history gets it from the provider; cross-visit rules see it', async () => {
    const asked: unknown[] = [];
    const provider: HistoryProvider = {
      history: async (q) => {
        asked.push(q);
        return staticHistory({ '990100000000000001': [other] }).history(q);
      },
    };
    const ev = await evaluate(request(patient({ fsi_encounter_dtos: [stay] }), { trig_scen: '4' }), { ...opts, history: provider });
    expect(asked).toEqual([{ patn_id: '990100000000000001', until: TODAY, days: 366, exclude: ['M1'] }]);
    expect(ids(ev.response)).toEqual(['MGT-ADM-03']);
    expect(ev.histSrc).toBe('2');
  });

  test('a request that carries history is not completed from the provider', async () => {
    let called = false;
    const provider: HistoryProvider = { history: async () => ((called = true), []) };
    const ev = await evaluate(request(patient({ fsi_encounter_dtos: [stay, other] }), { trig_scen: '4' }), { ...opts, history: provider });
    expect(called).toBe(false);
    expect(ev.histSrc).toBe('1');
    expect(ids(ev.response)).toEqual(['MGT-ADM-03']);
  });

  test('a failing provider is a warning, not a failure', async () => {
    const ev = await evaluate(request(patient({ fsi_encounter_dtos: [stay] }), { trig_scen: '4' }), { ...opts, history: { history: async () => Promise.reject(new Error('连接超时')) } });
    expect(ev.response.result).toEqual([]);
    expect(ev.response.warn_msg).toBe('参保人 990100000000000001 的历史就诊获取失败（连接超时），跨就诊规则仅依据本次数据');
  });
});

describe('the response', () => {
  test('has the national fields, ids, amounts as numbers and the task_id echoed', async () => {
    const ev = await evaluate(claim({ task_id: 'TASK-42' }), opts);
    const [r] = ev.response.result;
    expect(Object.keys(r!)).toEqual(['jr_id', 'rule_id', 'rule_name', 'vola_cont', 'patn_id', 'mdtrt_id', 'judge_result_detail_dtos', 'vola_amt', 'vola_amt_stas', 'sev_deg', 'vola_evid', 'vola_bhvr_type', 'task_id']);
    expect(r!.jr_id).toMatch(/^[0-9a-f]{32}$/);
    expect(r!.task_id).toBe('TASK-42');
    expect(r!.judge_result_detail_dtos[0]).toEqual({ jrd_id: `${r!.jr_id}-1`, patn_id: '990100000000000001', mdtrt_id: 'M1', rx_id: expect.any(String), vola_item_type: '1', vola_amt: 10 });
    expect(ev.response.warn_msg).toBeNull();
    expect(ev.medfeeFen).toBe(6000);
    expect(ev.volaFen).toBe(1000);
  });

  test('no rule hit: an empty result', async () => {
    const ok = request(patient({ fsi_encounter_dtos: [encounter({ orders: [order(C.TAMS)] })] }));
    expect((await evaluate(ok, opts)).response).toEqual({ result: [], warn_msg: null, rule_errs: [] });
  });
});

describe('refusals', () => {
  test('neither trig_scen nor rule_ids', async () => {
    expect((await refusal(evaluate(claim({ trig_scen: undefined }), opts))).message).toBe('触发场景 trig_scen 与规则标识 rule_ids 至少填写一项');
  });

  test('an unknown trigger scene, a bad amount and a bad date name their fields', async () => {
    const bad = request(patient({ fsi_encounter_dtos: [encounter({ orders: [order(C.CBC, { sumamt: '12.345' }), order(C.CBC, { drord_begn_date: '2025-13-01' })] })] }), { trig_scen: '11' });
    const r = await refusal(evaluate(bad, opts));
    expect(r.problems).toEqual([
      { field: 'data.trig_scen', message: '“11”不是有效的触发场景（1–10）' },
      { field: 'data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].sumamt', message: '金额应为最多两位小数的数字' },
      { field: 'data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[1].drord_begn_date', message: '日期格式应为 yyyy-MM-dd HH:mm:ss' },
    ]);
    expect(r.message).toBe('审核请求有误');
  });
});
