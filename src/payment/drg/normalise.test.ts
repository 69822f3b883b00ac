import { describe, expect, it } from 'vitest';
import { normaliseCase, type DrgCase } from './normalise.js';

function ok(input: unknown): DrgCase {
  const n = normaliseCase(input);
  if (!n.ok) throw new Error(n.reason);
  return n.case;
}

function bad(input: unknown): string {
  const n = normaliseCase(input);
  if (n.ok) throw new Error('expected a refusal');
  return n.reason;
}

describe('simple case shape', () => {
  it('national field names', () => {
    const c = ok({ id: 'A1', gend: '2', age: 35, age_days: 12800, nwb_bir_wt: null, ipt_days: 6, dscg_way: '1', diagnoses: ['O82.000', 'O99.000'], procedures: ['74.1x01'] });
    expect(c).toEqual({
      id: 'A1',
      shape: 'simple',
      sex: '2',
      age: 35,
      ageDays: 12800,
      weight: null,
      los: 6,
      dischargeWay: '1',
      dx: ['O82.000', 'O99.000'],
      proc: ['74.1x01'],
      notes: [],
    });
  });

  it('aliases, OpenDRG record names and code objects', () => {
    expect(ok({ sex: '男', age: 1, diagnoses: [{ diag_code: ' K22.301 ' }], procedures: [{ oprn_oprt_code: '51.2300' }] })).toMatchObject({ sex: '1', dx: ['K22.301'], proc: ['51.2300'] });
    expect(ok({ gender: '女', age: 0, ageDay: 3, weight: 3100, zdList: ['P22.000'], ssList: [], Index: 7 })).toMatchObject({ id: '7', sex: '2', age: 0, ageDays: 3, weight: 3100, dx: ['P22.000'], proc: [] });
    expect(ok({ gend: 1, age: 30, diagnoses: ['A'] }).sex).toBe('1');
  });

  it('numbers: numeric strings, empty string as 0, missing as missing', () => {
    expect(ok({ gend: '1', age: '73.0', diagnoses: ['A'] }).age).toBe(73);
    expect(ok({ gend: '1', age: '', age_days: '', nwb_bir_wt: '', diagnoses: ['A'] })).toMatchObject({ age: 0, ageDays: 0, weight: 0 });
    expect(ok({ gend: '1', diagnoses: ['A'] })).toMatchObject({ age: null, ageDays: null, weight: null, los: null, dischargeWay: null });
    expect(bad({ gend: '1', age: 'abc', diagnoses: ['A'] })).toBe('年龄（age）不是有效的数字："abc"');
    expect(bad({ gend: '1', age: -1, diagnoses: ['A'] })).toContain('非负数');
    expect(bad({ gend: '1', nwb_bir_wt: true, diagnoses: ['A'] })).toContain('出生体重');
  });

  it('several birth weights: the first counts', () => {
    const c = ok({ gend: '1', age: 0, age_days: 1, nwb_bir_wt: '2300,2450', diagnoses: ['P07.300'] });
    expect(c.weight).toBe(2300);
    expect(c.notes[0]).toContain('取第一个');
  });

  it('age from birth date and admission time when not given', () => {
    const c = ok({ gend: '1', brdy: '2024-03-01', adm_time: '2024-03-15 08:00:00', diagnoses: ['P22.000'] });
    expect(c).toMatchObject({ age: 0, ageDays: 14 });
    expect(ok({ gend: '1', brdy: '1980-06-02', adm_time: '2024-06-01', diagnoses: ['A'] }).age).toBe(43);
  });

  it('missing lists are empty; wrong types are refused with a reason', () => {
    expect(ok({ gend: '1' })).toMatchObject({ dx: [], proc: [] });
    expect(bad({ gend: '1', diagnoses: 'K22.301' })).toBe('诊断列表（diagnoses）必须是数组');
    expect(bad({ gend: '1', diagnoses: [123] })).toBe('第 1 个诊断的编码必须是字符串，实际为 123');
    expect(bad([1, 2])).toContain('JSON 对象');
    expect(bad(null)).toContain('JSON 对象');
    expect(bad('K22.301')).toContain('JSON 对象');
  });
});

describe('settlement-list (4101) shape', () => {
  const base = {
    setlinfo: { setl_id: 'S9', mdtrt_id: 'M9', gend: '1', age: 60, act_ipt_days: 9, dscg_way: '5', nwb_bir_wt: null },
    diseinfo: [
      { diag_type: '1', diag_code: 'K11.901', diag_name: '涎腺病', maindiag_flag: '0' },
      { diag_type: '2', diag_code: 'BNP060', diag_name: '中医病名', maindiag_flag: '0' },
      { diag_type: '1', diag_code: 'K22.301', diag_name: '食管破裂', maindiag_flag: '1' },
    ],
    oprninfo: [
      { oprn_oprt_type: '2', oprn_oprt_code: '45.1300', main_oprn_flag: '0' },
      { oprn_oprt_type: '1', oprn_oprt_code: '42.8200', main_oprn_flag: '1' },
    ],
  };

  it('principal diagnosis by maindiag_flag, main procedure by main_oprn_flag, TCM rows left out', () => {
    const c = ok(base);
    expect(c).toMatchObject({ id: 'S9', shape: '4101', sex: '1', age: 60, los: 9, dischargeWay: '5', dx: ['K22.301', 'K11.901'], proc: ['42.8200', '45.1300'] });
    expect(c.notes).toContain('略过中医诊断 1 条（diag_type 2/3 不参与 DRG 分组）');
  });

  it('accepts the gateway envelope { input: { setlinfo … } }', () => {
    expect(ok({ input: base }).dx).toEqual(['K22.301', 'K11.901']);
  });

  it('oprn_oprt_type = 1 marks the main procedure when main_oprn_flag is absent; else the first row', () => {
    const rows = [
      { oprn_oprt_type: '2', oprn_oprt_code: '45.1300' },
      { oprn_oprt_type: '1', oprn_oprt_code: '42.8200' },
    ];
    expect(ok({ ...base, oprninfo: rows }).proc).toEqual(['42.8200', '45.1300']);
    const c = ok({ ...base, oprninfo: [{ oprn_oprt_code: '45.1300' }, { oprn_oprt_code: '42.8200' }] });
    expect(c.proc).toEqual(['45.1300', '42.8200']);
    expect(c.notes.some((n) => n.includes('未标明主要手术'))).toBe(true);
    expect(ok({ ...base, oprninfo: [] }).proc).toEqual([]);
  });

  it('newborn: nwb_age gives age 0 and the days', () => {
    const c = ok({ ...base, setlinfo: { gend: '2', nwb_age: 5, nwb_bir_wt: '1450.00' } });
    expect(c).toMatchObject({ age: 0, ageDays: 5, weight: 1450 });
  });

  it('no principal diagnosis, or two, is refused (QC rule 2139)', () => {
    expect(bad({ ...base, diseinfo: [{ diag_code: 'K22.301', maindiag_flag: '0' }] })).toBe('结算清单没有主诊断：diseinfo 中没有 maindiag_flag=1 的西医诊断');
    expect(bad({ ...base, diseinfo: [{ diag_code: 'A', maindiag_flag: '1' }, { diag_code: 'B', maindiag_flag: 1 }] })).toContain('多个主诊断');
    expect(ok({ ...base, diseinfo: [] }).dx).toEqual([]);
    expect(bad({ setlinfo: 'x' })).toContain('setlinfo');
    expect(bad({ ...base, diseinfo: {} })).toContain('diseinfo 必须是数组');
  });

  it('the id survives a refusal', () => {
    const n = normaliseCase({ ...base, setlinfo: { ...base.setlinfo, age: 'x' } });
    expect(n).toMatchObject({ ok: false, id: 'S9' });
  });
});
