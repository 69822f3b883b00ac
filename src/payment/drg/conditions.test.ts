import { describe, expect, it } from 'vitest';
import { compileCondition, type CompileScope, type Facts, type TableProblem } from './conditions.js';

function scope(lists: Record<string, unknown> = {}, extra: Partial<CompileScope> = {}): CompileScope {
  return {
    file: 'adrgs.json',
    entry: 'XX1',
    label: 'XX1',
    lists,
    listCache: new Map(),
    validOr: new Set(['51.2300', '36.1000']),
    traumaRegionMap: new Map([
      ['S01.801', '头颈部创伤'],
      ['S01.800x011', '头颈部创伤'],
      ['S21.101', '胸部创伤'],
    ]),
    severity: false,
    ...extra,
  };
}

function facts(over: Partial<Facts> = {}): Facts {
  return { sex: '1', age: 40, ageDays: null, weight: null, los: 5, dischargeWay: '1', dx: ['K22.301'], proc: [], hasMCC: false, hasCC: false, ...over };
}

function compile(raw: unknown, s: CompileScope = scope()) {
  const problems: TableProblem[] = [];
  const c = compileCondition(raw, s, 'condition', problems);
  expect(problems).toEqual([]);
  return c;
}

/** test() and explain() must always agree; returns the decision. */
function run(c: ReturnType<typeof compile>, f: Facts): boolean {
  const ok = c.test(f);
  const e = c.explain(f);
  expect(e.ok).toBe(ok);
  expect(e.text.length).toBeGreaterThan(0);
  return ok;
}

function problemsOf(raw: unknown, s: CompileScope = scope()): TableProblem[] {
  const problems: TableProblem[] = [];
  const c = compileCondition(raw, s, 'condition', problems);
  expect(c.test(facts())).toBe(false); // a broken condition never matches
  return problems;
}

describe('DSL condition kinds', () => {
  it('always', () => {
    expect(run(compile({ always: true }), facts())).toBe(true);
  });

  it('pdxIn: the principal diagnosis only, by list name or inline array', () => {
    const c = compile({ pdxIn: 'dx' }, scope({ dx: ['K22.301'] }));
    expect(run(c, facts())).toBe(true);
    expect(run(c, facts({ dx: ['K11.901', 'K22.301'] }))).toBe(false);
    expect(run(compile({ pdxIn: ['K11.901'] }), facts({ dx: ['K11.901'] }))).toBe(true);
    expect(c.explain(facts()).text).toBe('主要诊断 K22.301 在 XX1 的诊断表（dx）中');
  });

  it('anyDxIn includes the principal diagnosis; otherDxIn (extension) does not', () => {
    const s = scope({ dx: ['P07.200'] });
    const any = compile({ anyDxIn: 'dx' }, s);
    const other = compile({ otherDxIn: 'dx' }, s);
    expect(run(any, facts({ dx: ['P07.200'] }))).toBe(true);
    expect(run(other, facts({ dx: ['P07.200'] }))).toBe(false);
    expect(run(any, facts({ dx: ['P22.000', 'P07.200'] }))).toBe(true);
    expect(run(other, facts({ dx: ['P22.000', 'P07.200'] }))).toBe(true);
    expect(run(any, facts({ dx: ['P22.000'] }))).toBe(false);
  });

  it('mainProcIn: only the first procedure, false without procedures', () => {
    const c = compile({ mainProcIn: 'proc' }, scope({ proc: ['51.2300'] }));
    expect(run(c, facts({ proc: ['51.2300'] }))).toBe(true);
    expect(run(c, facts({ proc: ['00.0100', '51.2300'] }))).toBe(false);
    expect(run(c, facts({ proc: [] }))).toBe(false);
  });

  it('anyProcIn: any procedure; two of them make the 双手术 rule', () => {
    const c = compile({ all: [{ anyProcIn: 'proc' }, { anyProcIn: 'proc2' }] }, scope({ proc: ['52.8000'], proc2: ['55.6100'] }));
    expect(run(c, facts({ proc: ['55.6100', '00.0100', '52.8000'] }))).toBe(true);
    expect(run(c, facts({ proc: ['55.6100'] }))).toBe(false);
  });

  it('mainProcValidOr / anyProcValidOr use valid-or-procedures', () => {
    const main = compile({ mainProcValidOr: true });
    const any = compile({ anyProcValidOr: true });
    expect(run(main, facts({ proc: ['51.2300'] }))).toBe(true);
    expect(run(main, facts({ proc: ['00.0100', '51.2300'] }))).toBe(false);
    expect(run(any, facts({ proc: ['00.0100', '51.2300'] }))).toBe(true);
    expect(run(any, facts({ proc: [] }))).toBe(false);
  });

  it('not: ZZ1 无手术', () => {
    const c = compile({ not: { anyProcValidOr: true } });
    expect(run(c, facts({ proc: [] }))).toBe(true);
    expect(run(c, facts({ proc: ['00.0100'] }))).toBe(true);
    expect(run(c, facts({ proc: ['36.1000'] }))).toBe(false);
  });

  it('procGroupHas with any/all: the JA1 shape', () => {
    const s = scope({ procGroups: { a1: '1', b2: '2', c3: '3', d4: '4' } });
    const c = compile(
      {
        any: [
          { all: [{ procGroupHas: '1' }, { procGroupHas: '2' }] },
          { all: [{ procGroupHas: '1' }, { procGroupHas: '3' }, { procGroupHas: '4' }] },
        ],
      },
      s,
    );
    expect(run(c, facts({ proc: ['b2', 'a1'] }))).toBe(true);
    expect(run(c, facts({ proc: ['a1', 'c3', 'd4'] }))).toBe(true);
    expect(run(c, facts({ proc: ['a1', 'c3'] }))).toBe(false);
    expect(run(c, facts({ proc: ['b2', 'c3', 'd4'] }))).toBe(false);
  });

  it('sex: "1" / "2"; anything else satisfies neither', () => {
    const m = compile({ sex: '1' });
    const f = compile({ sex: '2' });
    expect(run(m, facts({ sex: '1' }))).toBe(true);
    expect(run(f, facts({ sex: '1' }))).toBe(false);
    expect(run(m, facts({ sex: '9' })) || run(f, facts({ sex: '9' }))).toBe(false);
  });

  it('ageYears / ageDays / birthWeight / losDays comparators; a missing value satisfies none', () => {
    expect(run(compile({ ageYears: { eq: 0 } }), facts({ age: 0 }))).toBe(true);
    expect(run(compile({ ageYears: { eq: 0 } }), facts({ age: null }))).toBe(false);
    expect(run(compile({ ageDays: { lte: 28 } }), facts({ ageDays: 28 }))).toBe(true);
    expect(run(compile({ ageDays: { lte: 28 } }), facts({ ageDays: 29 }))).toBe(false);
    const ps2 = compile({ birthWeight: { gt: 0, gte: 1500, lt: 2000 } });
    expect(run(ps2, facts({ weight: 1500 }))).toBe(true);
    expect(run(ps2, facts({ weight: 1999.5 }))).toBe(true);
    expect(run(ps2, facts({ weight: 2000 }))).toBe(false);
    expect(run(ps2, facts({ weight: null }))).toBe(false);
    expect(ps2.explain(facts({ weight: 1800 })).text).toBe('出生体重 1800 克满足 > 0 且 ≥ 1500 且 < 2000');
    expect(run(compile({ losDays: { gte: 60 } }), facts({ los: 60 }))).toBe(true);
    expect(run(compile({ losDays: { gt: 2 } }), facts({ los: 2 }))).toBe(false);
  });

  it('traumaRegionCount counts distinct regions over all diagnoses', () => {
    const c = compile({ traumaRegionCount: { gte: 2 } });
    expect(run(c, facts({ dx: ['S01.801', 'S21.101'] }))).toBe(true);
    expect(run(c, facts({ dx: ['S01.801', 'S01.800x011'] }))).toBe(false);
    expect(run(c, facts({ dx: ['K22.301', 'S01.801', 'S21.101'] }))).toBe(true);
  });

  it('dischargeWay (extension)', () => {
    const c = compile({ dischargeWay: ['5'] });
    expect(run(c, facts({ dischargeWay: '5' }))).toBe(true);
    expect(run(c, facts({ dischargeWay: '1' }))).toBe(false);
    expect(run(c, facts({ dischargeWay: null }))).toBe(false);
  });

  it('hasMCC / hasCCOrMCC only in DRG split rules', () => {
    const s = scope({}, { severity: true });
    expect(run(compile({ hasMCC: true }, s), facts({ hasMCC: true }))).toBe(true);
    expect(run(compile({ hasCCOrMCC: true }, s), facts({ hasCC: true }))).toBe(true);
    expect(run(compile({ hasCCOrMCC: true }, s), facts())).toBe(false);
    expect(problemsOf({ hasMCC: true })[0]!.message).toContain('只能用于 DRG 细分规则');
  });

  it('a named list is built once per entry', () => {
    const s = scope({ dx: ['K22.301'] });
    compile({ pdxIn: 'dx' }, s);
    const set = s.listCache.get('dx');
    compile({ anyDxIn: 'dx' }, s);
    expect(s.listCache.get('dx')).toBe(set);
  });
});

describe('DSL errors name the entry and the path', () => {
  it('unknown kind, several keys, non-object', () => {
    expect(problemsOf({ pdxInn: 'dx' })).toEqual([{ file: 'adrgs.json', entry: 'XX1', path: 'condition.pdxInn', message: '未知的条件类型“pdxInn”' }]);
    expect(problemsOf({ pdxIn: 'dx', sex: '1' }, scope({ dx: [] }))[0]!.message).toContain('恰好有一个键');
    expect(problemsOf('pdxIn')[0]!.message).toContain('条件必须是对象');
    expect(problemsOf({ all: [] })[0]!.message).toContain('非空条件数组');
  });

  it('list problems', () => {
    expect(problemsOf({ pdxIn: 'dx' })[0]).toMatchObject({ path: 'condition.pdxIn', message: '引用的列表“dx”在本条目的 lists 中不存在' });
    expect(problemsOf({ pdxIn: 'dx' }, scope({ dx: ['A', 3] }))[0]).toMatchObject({ path: 'lists.dx[1]' });
    expect(problemsOf({ pdxIn: 42 })[0]!.message).toContain('列表操作数');
  });

  it('comparator and value problems', () => {
    expect(problemsOf({ ageDays: { le: 28 } })[0]).toMatchObject({ path: 'condition.ageDays.le' });
    expect(problemsOf({ ageDays: { lte: '28' } })[0]!.message).toContain('必须是数字');
    expect(problemsOf({ sex: 1 })[0]!.message).toContain('"1" 或 "2"');
    expect(problemsOf({ always: false })[0]!.message).toContain('true');
    expect(problemsOf({ mainProcValidOr: 'yes' })[0]!.message).toContain('true');
  });

  it('procGroupHas and traumaRegionCount need their maps', () => {
    expect(problemsOf({ procGroupHas: '1' })[0]!.message).toContain('procGroups');
    expect(problemsOf({ procGroupHas: '9' }, scope({ procGroups: { a: '1' } }))[0]!.message).toContain('手术组“9”');
    expect(problemsOf({ traumaRegionCount: { gte: 2 } }, scope({}, { traumaRegionMap: null }))[0]!.message).toContain('traumaRegionMap');
  });

  it('problems deep inside all/any carry the full path', () => {
    const p: TableProblem[] = [];
    compileCondition({ all: [{ always: true }, { any: [{ sex: '1' }, { bogus: 1 }] }] }, scope(), 'condition', p);
    expect(p.map((x) => x.path)).toEqual(['condition.all[1].any[1].bogus']);
  });
});
