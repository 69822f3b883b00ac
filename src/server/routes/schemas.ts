/** TypeBox building blocks the route files share: dates, paging, string enums. */
import { Type } from '@sinclair/typebox';

/** 'yyyy-MM-dd', a real calendar date. */
export const DateStr = Type.String({ format: 'date' });

/** A query's "as of" date; default today (Beijing). */
export const OnDate = Type.Optional(DateStr);

export const Paging = {
  page_num: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20 })),
};

/** A string limited to fixed values, compiled as JSON-schema `enum` (one clear error, not an anyOf cascade). */
export function StringEnum<const T extends readonly string[]>(values: T, opts: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
}

/** A short search term. */
export const SearchTerm = Type.Optional(Type.String({ minLength: 1, maxLength: 100 }));

export const AdmdvsCode = Type.String({ pattern: '^\\d{6}$' });

