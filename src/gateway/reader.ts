/**
 * The tolerant reading of schema.ts compiled once per schema. readAgainst used to walk every request three times
 * through the generic TypeBox interpreters (normalise a copy, Value.Convert it, Value.Check it) — for a 3102 claim of
 * 50 lines that cost three times the audit rules. Here a schema is turned once into a plan of small closures that
 * normalise and convert in a single pass over the request (building the same new value), and the check is
 * TypeBox's compiled checker. Only a value that passes is returned from here: a value that fails is read again the
 * old, interpreted way by readAgainst, which also names the problems, so errors are word for word what they were.
 *
 * Equivalence with `Value.Convert(schema, normalizeMessage(raw))` is what the plan keeps (reader.test.ts compares
 * them): the conversions below copy TypeBox's (0.34) Convert for the kinds the national schemas use; a kind the
 * plan does not know (a general union, anything exotic) is normalised and handed to Value.Convert for that subtree.
 */
import type { TSchema } from '@sinclair/typebox';
import { Kind } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';

/** Reads one value: the raw JSON node and the property name it came under (exp_content is read specially). */
type Step = (raw: unknown, key: string) => unknown;

export interface CompiledReader {
  /** The converted value when it passes the schema, otherwise `undefined` (read again the interpreted way). */
  read(raw: unknown): { value: unknown } | undefined;
}

// ---------- normalisation (the same as schema.ts normalizeMessage; kept here to avoid an import cycle) ----------

function isAbsent(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** normalizeMessage: drops empty strings and nulls, trims, turns a string exp_content into its object. */
export function normalize(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    const s = value.trim();
    if (key === 'exp_content' && s.startsWith('{')) {
      try {
        return normalize(JSON.parse(s) as unknown, '');
      } catch {
        return s;
      }
    }
    return s;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const n = normalize(v, '');
      if (n !== undefined) out.push(n);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (isAbsent(v)) continue;
      out[k] = normalize(v, k);
    }
    return out;
  }
  return value;
}

// ---------- TypeBox 0.34 Convert, for the kinds planned here ----------
// (parseFloat as TypeBox converts: a number field of the schema; amounts become 分 later, through platform/money)

// eslint-disable-next-line no-restricted-properties -- TypeBox's own test, kept exactly (hex strings read as 0)
const isStringNumeric = (v: unknown): v is string => typeof v === 'string' && !isNaN(v as unknown as number) && !isNaN(Number.parseFloat(v));
const isValueTrue = (v: unknown) => v === true || v === 1 || (typeof v === 'bigint' && v === 1n) || (typeof v === 'string' && (v.toLowerCase() === 'true' || v === '1'));
const isValueFalse = (v: unknown) =>
  v === false || (typeof v === 'number' && (v === 0 || Object.is(v, -0))) || (typeof v === 'bigint' && v === 0n) || (typeof v === 'string' && (v.toLowerCase() === 'false' || v === '0' || v === '-0'));

function toStringValue(v: unknown): unknown {
  if (typeof v === 'symbol' && v.description !== undefined) return v.description.toString();
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? v.toString() : v;
}
// eslint-disable-next-line no-restricted-properties -- TypeBox's Number conversion, kept exactly
const toNumberValue = (v: unknown): unknown => (isStringNumeric(v) ? Number.parseFloat(v) : isValueTrue(v) ? 1 : isValueFalse(v) ? 0 : v);
const toIntegerValue = (v: unknown): unknown => (isStringNumeric(v) ? parseInt(v) : typeof v === 'number' ? Math.trunc(v) : isValueTrue(v) ? 1 : isValueFalse(v) ? 0 : v);
const toBooleanValue = (v: unknown): unknown => (isValueTrue(v) ? true : isValueFalse(v) ? false : v);

/** A leaf: normalise the node (primitives directly, structures deeply) and convert it. */
function leaf(convert: (v: unknown) => unknown): Step {
  return (raw, key) => convert(typeof raw === 'string' || (raw !== null && typeof raw === 'object') ? normalize(raw, key) : raw);
}

type Schema = TSchema & Record<string | symbol, unknown>;

function plan(schema: Schema): Step {
  switch (schema[Kind]) {
    case 'String':
      return leaf(toStringValue);
    case 'Number':
      return leaf(toNumberValue);
    case 'Integer':
      return leaf(toIntegerValue);
    case 'Boolean':
      return leaf(toBooleanValue);
    case 'Unknown':
    case 'Any':
      return (raw, key) => normalize(raw, key);
    case 'Literal':
      if (typeof schema.const === 'string') {
        const c = schema.const;
        return leaf((v) => (toStringValue(v) === c ? c : v));
      }
      return generic(schema);
    case 'Union': {
      // the dictionary codes (Code([...])): unions of string literals. Convert keeps a value one of them accepts and
      // otherwise takes the first literal its string conversion equals — the same literal, whichever it is.
      const anyOf = schema.anyOf as Schema[];
      if (anyOf.every((s) => s[Kind] === 'Literal' && typeof s.const === 'string')) {
        const consts = new Set(anyOf.map((s) => s.const as string));
        return leaf((v) => {
          if (typeof v === 'string') return v;
          const s = toStringValue(v);
          return typeof s === 'string' && consts.has(s) ? s : v;
        });
      }
      return generic(schema);
    }
    case 'Array': {
      const item = plan(schema.items as Schema);
      return (raw, key) => {
        if (!Array.isArray(raw)) {
          // Convert wraps a single value into an array (after normalising it as the node it is)
          const n = normalize(raw, key);
          return Array.isArray(n) ? n.map((v) => Value.Convert(schema.items as TSchema, v)) : [Value.Convert(schema.items as TSchema, n)];
        }
        const out: unknown[] = [];
        for (const v of raw) {
          if (v === undefined) continue;
          out.push(item(v, ''));
        }
        return out;
      };
    }
    case 'Object': {
      const props = schema.properties as Record<string, Schema>;
      const steps = new Map<string, Step>();
      const other = generic(schema);
      for (const k of Object.getOwnPropertyNames(props)) steps.set(k, plan(props[k]!));
      return (raw, key) => {
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return other(raw, key);
        const out: Record<string, unknown> = {};
        for (const k in raw) {
          if (!Object.prototype.hasOwnProperty.call(raw, k)) continue;
          const v = (raw as Record<string, unknown>)[k];
          if (isAbsent(v)) continue;
          const step = steps.get(k);
          out[k] = step ? step(v, k) : normalize(v, k);
        }
        return out;
      };
    }
    case 'Record': {
      const pattern = schema.patternProperties as Record<string, Schema>;
      const step = plan(pattern[Object.getOwnPropertyNames(pattern)[0]!]!);
      const other = generic(schema);
      return (raw, key) => {
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return other(raw, key);
        const out: Record<string, unknown> = {};
        for (const k in raw) {
          if (!Object.prototype.hasOwnProperty.call(raw, k)) continue;
          const v = (raw as Record<string, unknown>)[k];
          if (isAbsent(v)) continue;
          out[k] = step(v, k);
        }
        return out;
      };
    }
    default:
      return generic(schema);
  }
}

/**
 * Any other kind, and a structure schema that met a non-structure (a string exp_content may normalise into an
 * object): normalise the subtree and let TypeBox convert it.
 */
function generic(schema: TSchema): Step {
  return (raw, key) => Value.Convert(schema, normalize(raw, key));
}

/** Kinds that need references or transforms: such a schema is not compiled (readAgainst reads it as before). */
function compilable(schema: unknown, depth = 0): boolean {
  if (depth > 64 || schema === null || typeof schema !== 'object') return depth <= 64;
  const kind = (schema as Schema)[Kind];
  if (kind === 'Ref' || kind === 'This' || kind === 'Import' || kind === 'Intersect' || kind === 'Tuple' || kind === 'Date' || kind === 'Symbol' || kind === 'BigInt') return false;
  if (Object.getOwnPropertySymbols(schema).some((s) => s.description === 'TypeBox.Transform')) return false;
  for (const v of Object.values(schema)) if (v !== null && typeof v === 'object' && !compilable(v, depth + 1)) return false;
  return true;
}

const compiled = new WeakMap<TSchema, CompiledReader | null>();

/** The compiled reader of a schema (built on first use, then cached); null when the schema cannot be compiled. */
export function compiledReader(schema: TSchema): CompiledReader | null {
  let r = compiled.get(schema);
  if (r === undefined) {
    r = null;
    if (compilable(schema)) {
      try {
        const step = plan(schema as Schema);
        const check: TypeCheck<TSchema> = TypeCompiler.Compile(schema);
        r = {
          read(raw) {
            const value = step(raw, '');
            return check.Check(value) ? { value } : undefined;
          },
        };
      } catch {
        r = null;
      }
    }
    compiled.set(schema, r);
  }
  return r;
}
