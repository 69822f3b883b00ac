/**
 * The rule base: metadata and parameters validated per rule before saving (Chinese messages naming the field),
 * versions with history by closing rows, switching a rule off, installing the default rule base.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { isYibaoError, type FieldProblem } from '../../platform/errors.js';
import { migrate } from '../../platform/migrations.js';
import { STAGES } from '../types.js';
import { DEFAULT_RULES, type RuleInput } from './catalogue.js';
import { RULE_IMPLS } from './index.js';
import { checkRule, installDefaultRules, loadRuleBase, saveRule, setRuleEnabled } from './store.js';

let db: Db;
const actor = { id: 'u001', name: '规则管理员', admdvs: [] };
const base = (id: string): RuleInput => ({ ...DEFAULT_RULES.find((r) => r.rule_id === id)! });

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
});
afterAll(async () => db.close());

async function refused(p: Promise<unknown>): Promise<{ message: string; problems: FieldProblem[] }> {
  try {
    await p;
  } catch (e) {
    if (isYibaoError(e)) return { message: e.message, problems: e.problems };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the default rule base', () => {
  test('has 41 rules of all three classes (and models), every stage, 30 of them real-time', () => {
    expect(DEFAULT_RULES).toHaveLength(42);
    expect(new Set(DEFAULT_RULES.map((r) => r.rule_cls))).toEqual(new Set(['1', '2', '3', '4']));
    for (const s of Object.keys(STAGES)) expect(DEFAULT_RULES.some((r) => r.stages.includes(s as '1'))).toBe(true);
    const realtime = DEFAULT_RULES.filter((r) => r.stages.some((s) => s !== '3'));
    expect(realtime.map((r) => r.rule_id).sort()).toEqual([...RULE_IMPLS.keys()].sort());
    for (const r of DEFAULT_RULES) expect(checkRule(r).problems, r.rule_id).toEqual([]);
  });

  test('is installed once into an empty rule base, logged; an installed rule is never overwritten', async () => {
    expect(await installDefaultRules(db)).toBe(42);
    expect(await installDefaultRules(db)).toBe(0);
    const rb = await loadRuleBase(db);
    expect(rb.inForce('2025-06-01')).toHaveLength(42);
    const qty = rb.get('MED-QTY-01', '2025-06-01')!;
    expect(qty.params).toEqual({ otp_days: 7, emg_days: 3, chronic_days: 30, emg_med_types: ['13'], chronic_med_types: ['14', '9901', '9903', '9906'] });
    expect(qty).toMatchObject({ rule_ver: 1, stages: ['1', '2', '3'], scenes: ['1', '3'], enabled: true, sev_deg: '1', vola_amt_formula: '2' });
    const log = await db.k.selectFrom('opt_log').select('action').where('action', '=', 'audit.rule.install').execute();
    expect(log).toHaveLength(1);
  });
});

describe('saving a rule', () => {
  test.each([
    ['a parameter of the wrong type', { params: { otp_days: '七天' } }, [{ field: 'params.otp_days', message: '应为整数' }]],
    ['a parameter out of range', { params: { otp_days: 0 } }, [{ field: 'params.otp_days', message: '不能小于1' }]],
    ['an unknown parameter', { params: { max_days: 7 } }, [{ field: 'params.max_days', message: '不是该规则的参数' }]],
    ['parameters that contradict each other', { params: { otp_days: 7, emg_days: 10 } }, [{ field: 'params', message: '天数上限应满足：急诊 ≤ 门诊 ≤ 慢特病' }]],
    ['parameters that are not an object', { params: [7] as unknown as Record<string, unknown> }, [{ field: 'params', message: '应为JSON对象' }]],
    ['an amount formula the rule cannot compute', { rule_id: 'MED-INT-01', vola_amt_formula: '2' as const }, [{ field: 'vola_amt_formula', message: '规则 MED-INT-01 不支持“超出部分金额”，可选：0 不计算金额、1 违规明细金额、3 医保支付范围内金额' }]],
    ['an unknown behaviour class and an empty basis', { vola_bhvr_type: '77', vola_evid: ' ' }, [
      { field: 'vola_bhvr_type', message: expect.stringMatching(/^“77”不是有效的违规行为分类/) },
      { field: 'vola_evid', message: '违规依据不能为空' },
    ]],
  ])('refuses %s, naming the field', async (_what, over, problems) => {
    const input = { ...base('MED-QTY-01'), ...over } as RuleInput;
    if ((over as { rule_id?: string }).rule_id) Object.assign(input, { ...base((over as { rule_id: string }).rule_id), ...over });
    const r = await refused(saveRule(db, actor, { ...input, begndate: '2025-07-01' }));
    expect(r.problems).toEqual(problems);
    expect(r.message).toMatch(/^规则 [A-Z0-9-]+ 保存失败$/);
  });

  test('refuses 事前/事中 for a rule that has no real-time implementation', async () => {
    const r = await refused(saveRule(db, actor, { ...base('MED-VIS-01'), stages: ['1', '3'], begndate: '2025-07-01' }));
    expect(r.problems).toEqual([{ field: 'stages', message: '规则 MED-VIS-01 尚无事前/事中实现，监管环节只能为事后' }]);
  });

  test('a new version from a date closes the old one the day before; parameters are stored with their defaults', async () => {
    const saved = await saveRule(db, actor, { ...base('MED-QTY-01'), params: { otp_days: 5 }, begndate: '2025-07-01' });
    expect(saved.rule_ver).toBe(2);
    const rows = await db.k.selectFrom('audit_rule').select(['rule_ver', 'begndate', 'enddate', 'params', 'opter_id']).where('rule_id', '=', 'MED-QTY-01').orderBy('begndate').execute();
    expect(rows.map((r) => [r.rule_ver, r.begndate, r.enddate, r.opter_id])).toEqual([
      [1, '2024-01-01', '2025-06-30', 'system'],
      [2, '2025-07-01', null, 'u001'],
    ]);
    expect(rows[1]!.params).toEqual({ otp_days: 5, emg_days: 3, chronic_days: 30, emg_med_types: ['13'], chronic_med_types: ['14', '9901', '9903', '9906'] });
    const rb = await loadRuleBase(db);
    expect(rb.get('MED-QTY-01', '2025-06-30')!.params.otp_days).toBe(7);
    expect(rb.get('MED-QTY-01', '2025-07-01')!.params.otp_days).toBe(5);
    const log = await db.k.selectFrom('opt_log').select(['target_id', 'opter_id']).where('action', '=', 'audit.rule.save').execute();
    expect(log).toEqual([{ target_id: 'MED-QTY-01', opter_id: 'u001' }]);
  });

  test('switching a rule off is a new version too', async () => {
    const off = await setRuleEnabled(db, actor, 'POL-DEPT-01', false, '2025-08-01');
    expect(off).toMatchObject({ enabled: false, rule_ver: 2, begndate: '2025-08-01' });
    const rb = await loadRuleBase(db);
    expect(rb.get('POL-DEPT-01', '2025-07-31')!.enabled).toBe(true);
    expect(rb.get('POL-DEPT-01', '2025-08-01')!.enabled).toBe(false);
  });

  test('a stored parameter that no longer validates is flagged when the rule base is read', async () => {
    await db.k.updateTable('audit_rule').set({ params: JSON.stringify({ fund_only: 'yes' }) }).where('rule_id', '=', 'POL-GEN-01').execute();
    const rb = await loadRuleBase(db);
    expect(rb.get('POL-GEN-01', '2025-06-01')!.paramErr).toBe('规则参数有误：params.fund_only应为 true 或 false');
  });
});
