import { describe, expect, test } from 'vitest';
import { YibaoError } from '../../platform/errors.js';
import { dueDateOf } from './limits.js';
import type { CaseCap } from './types.js';
import { allowedActions, nextState } from './workflow.js';

const caps = (...c: CaseCap[]) => new Set<CaseCap>(c);
const refusal = (f: () => unknown): YibaoError => {
  try {
    f();
  } catch (e) {
    return e as YibaoError;
  }
  throw new Error('expected a refusal');
};

describe('due dates', () => {
  test('working days skip Saturdays and Sundays', () => {
    // 2026-12-04 is a Friday: 1 working day later is Monday 12-07, 10 working days later is Friday 12-18
    expect(dueDateOf('2026-12-04', { limit_days: 1, day_type: 'W' })).toBe('2026-12-07');
    expect(dueDateOf('2026-12-04', { limit_days: 10, day_type: 'W' })).toBe('2026-12-18');
    expect(dueDateOf('2026-12-05', { limit_days: 1, day_type: 'W' })).toBe('2026-12-07');
  });
  test('calendar days count every day, across months', () => {
    expect(dueDateOf('2026-12-28', { limit_days: 7, day_type: 'C' })).toBe('2027-01-04');
    expect(dueDateOf('2026-12-28', { limit_days: 0, day_type: 'C' })).toBe('2026-12-28');
  });
});

describe('transitions', () => {
  test('the happy path and the exclusions lead where the workflow says', () => {
    expect(nextState('10', 'first_review', caps('review'), 'confirm')).toBe('20');
    expect(nextState('10', 'first_review', caps('review'), 'exclude')).toBe('90');
    expect(nextState('20', 'second_review', caps('review'), 'confirm')).toBe('30');
    expect(nextState('30', 'appeal', caps('appeal'))).toBe('40');
    expect(nextState('30', 'accept', caps('appeal'))).toBe('50');
    expect(nextState('40', 'investigate', caps('investigate'), 'exclude')).toBe('90');
    expect(nextState('40', 'investigate', caps('investigate'), 'confirm')).toBe('50');
    expect(nextState('50', 'dispose', caps('investigate'))).toBe('60');
    expect(nextState('60', 'recovered', caps('investigate'))).toBe('60');
    expect(nextState('40', 'assign', caps('review'))).toBe('40');
  });
  test('an action in the wrong state is a conflict naming what the state allows', () => {
    const e = refusal(() => nextState('10', 'dispose', caps('investigate')));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('案件当前状态为“待初审”，不能执行“违规处理”（此状态可办理：分配审核人、初审）');
    expect(refusal(() => nextState('90', 'assign', caps('review'))).message).toBe('案件当前状态为“已排除”，不能执行“分配审核人”（案件已办结）');
  });
  test('an action the participant may not take is forbidden, whatever the state', () => {
    expect(refusal(() => nextState('10', 'first_review', caps('appeal'))).code).toBe('FORBIDDEN');
    expect(refusal(() => nextState('30', 'appeal', caps('review', 'investigate'))).message).toBe('无权执行“机构申诉”：需要机构申诉权限');
  });
  test('a deciding step needs a conclusion', () => {
    expect(refusal(() => nextState('10', 'first_review', caps('review'))).code).toBe('VALIDATION');
  });
  test('allowed actions per state and capability', () => {
    expect(allowedActions('30', caps('appeal'))).toEqual(['appeal', 'accept']);
    expect(allowedActions('30', caps('investigate'))).toEqual(['assign', 'close_appeal']);
    expect(allowedActions('60', caps('review'))).toEqual([]);
  });
});
