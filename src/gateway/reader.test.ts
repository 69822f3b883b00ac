import { Kind, Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, test } from 'vitest';
import { compiledReader, normalize } from './reader.js';
import { TRANSACTIONS } from './registry.js';
import { Code, ExpContent, Nullable } from './schema.js';
import { InputAudit } from './tx/3101.js';

/** The interpreted reading readAgainst did before the compiled one (and still does for a value that fails). */
function interpreted(schema: TSchema, raw: unknown): { value: unknown } | undefined {
  const value = Value.Convert(schema, normalize(structuredClone(raw), ''));
  return Value.Check(schema, value) ? { value } : undefined;
}

function same(schema: TSchema, raw: unknown) {
  const before = JSON.stringify(raw);
  const r = compiledReader(schema)!;
  expect(r).not.toBeNull();
  const got = r.read(raw);
  expect(got).toEqual(interpreted(schema, raw));
  // the request itself is not changed
  expect(JSON.stringify(raw)).toBe(before);
  return got;
}

const PATTERN_SAMPLES = ['2025-03-01', '202503', '2025-03-01 08:00:00', '990100', 'A001', '1', '01', 'H99010200101', 'abc'];

/** A value filling every field of a schema (optional ones too), as a client would send it. */
function sample(schema: TSchema): unknown {
  const s = schema as TSchema & Record<string | symbol, unknown>;
  switch (s[Kind]) {
    case 'String': {
      const pattern = s.pattern as string | undefined;
      if (!pattern) return 'a';
      const re = new RegExp(pattern);
      return PATTERN_SAMPLES.find((p) => re.test(p)) ?? 'a';
    }
    case 'Integer':
      return (s.minimum as number | undefined) ?? 1;
    case 'Number':
      return 12.5;
    case 'Boolean':
      return true;
    case 'Literal':
      return s.const;
    case 'Union':
      return sample((s.anyOf as TSchema[]).find((x) => (x as unknown as Record<symbol, unknown>)[Kind] !== 'Null')!);
    case 'Array':
      return Array.from({ length: Math.max(2, (s.minItems as number | undefined) ?? 0) }, () => sample(s.items as TSchema));
    case 'Object':
      return Object.fromEntries(Object.entries(s.properties as Record<string, TSchema>).map(([k, v]) => [k, sample(v)]));
    case 'Record':
      return { k: ' v ' };
    default:
      return { exp: ' x ', n: null };
  }
}

/** Variants of a value the way HIS clients send them: numbers as strings, padded strings, empty and null fields. */
function variants(value: unknown): unknown[] {
  const map = (v: unknown, f: (x: unknown, k: string) => unknown, k = ''): unknown => {
    if (Array.isArray(v)) return v.map((x) => map(x, f));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, map(x, f, key)]));
    return f(v, k);
  };
  return [
    value,
    map(value, (x) => (typeof x === 'number' ? String(x) : x)),
    map(value, (x) => (typeof x === 'string' ? ` ${x} ` : x)),
    map(value, (x) => (typeof x === 'string' && /^\d+(\.\d+)?$/.test(x) ? Number(x) : x)),
    map(value, (x, k) => (k.endsWith('_name') ? '' : k.endsWith('_memo') || k === 'memo' ? null : x)),
    map(value, (x) => (typeof x === 'number' ? `${x}.5` : typeof x === 'string' ? 'true' : x)),
    map(value, (x) => (typeof x === 'string' ? x.repeat(40) : x)),
  ];
}

describe('the compiled tolerant reader', () => {
  test('numbers as strings, strings as numbers, empty strings and nulls, exp_content as a string or an object', () => {
    const schema = Type.Object({
      data: Type.Object({
        n: Type.Integer(),
        x: Type.Number(),
        s: Type.String({ maxLength: 3 }),
        c: Code(['01', '02']),
        f: Type.Optional(Code(['1', '2'])),
        o: Type.Optional(Type.String()),
        b: Type.Optional(Type.Boolean()),
        u: Type.Optional(Nullable(Type.String())),
        list: Type.Optional(Type.Array(Type.Object({ k: Type.Integer(), exp_content: ExpContent }))),
        exp_content: ExpContent,
      }),
    });
    const got = same(schema, { data: { n: '12', x: '1.50', s: 7, c: '02', f: 2, o: '', b: 'true', u: 'null', extra: { y: ' z ', e: null }, list: [{ k: '1', exp_content: '{"a":" 1 ","b":""}' }], exp_content: '{"k":"v","z":""}' } });
    expect(got?.value).toEqual({ data: { n: 12, x: 1.5, s: '7', c: '02', f: '2', b: true, u: 'null', extra: { y: 'z' }, list: [{ k: 1, exp_content: { a: '1' } }], exp_content: { k: 'v' } } });
    same(schema, { data: { n: 12.7, x: 0, s: ' ab ', c: '01', exp_content: { k: ' v ' }, list: { k: 3 } } });
    same(schema, { data: { n: '0x10', x: '1e3', s: 'abc', c: '01', exp_content: 'not json', list: [] } });
    same(schema, { data: { n: true, x: false, s: 'abc', c: 1, exp_content: '{broken' } });
    // values that fail: the compiled reader says so (readAgainst then names the problems the interpreted way)
    expect(same(schema, { data: { n: 'x', s: 'abcd', c: '03' } })).toBeUndefined();
    expect(same(schema, { data: { n: '1', x: 1, s: 'a', c: '01', o: 5, list: [{ k: 'k' }] } })).toBeUndefined();
    expect(same(schema, { data: [] })).toBeUndefined();
    expect(same(schema, 'text')).toBeUndefined();
  });

  test('a 3102 claim reads the same either way, also as HIS clients mangle it', () => {
    const claim = {
      data: {
        syscode: 'HIS',
        trig_scen: 7,
        rule_ids: ['R1', 2],
        patient_dtos: [
          {
            patn_id: 'P1',
            gend: 1,
            brdy: '1980-01-02',
            fsi_his_data_dto: { anything: '', at: [null, ' x '] },
            fsi_encounter_dtos: [
              {
                mdtrt_id: 'M1',
                adm_date: '2025-03-01 08:00:00',
                medfee_sumamt: '123.40',
                fsi_diagnose_dtos: [{ dise_codg: 'I10.x00', maindise_flag: '1', dias_srt_no: '1' }],
                fsi_order_dtos: [
                  { rx_id: 'RX1', hilist_code: 'X1', cnt: '2', pric: 3.5, sumamt: '7.00', ownpay_amt: '', curr_drord_flag: 1, drord_begn_date: '2025-03-01' },
                  { rx_id: 2, hilist_code: 'X2', cnt: 1, pric: '0.10', sumamt: 0.1, hilist_memo: null, exp_content: '{"trace":"T1"}' },
                ],
              },
            ],
          },
        ],
      },
    };
    for (const v of variants(claim)) same(InputAudit, v);
  });

  test('every transaction input schema compiles and reads its own default value and its variants as before', () => {
    for (const t of TRANSACTIONS) {
      const r = compiledReader(t.input);
      expect(r, t.infno).not.toBeNull();
      const base = sample(t.input);
      // the filled-in value is valid: the comparison covers the converted values, not only refusals
      expect(same(t.input, base), t.infno).toBeDefined();
      for (const v of variants(base)) same(t.input, v);
    }
  });
});
