/** Small helpers shared by rule implementations: labels for messages, diagnosis matching, hit builders. */
import { Type, type TSchema } from '@sinclair/typebox';
import { fenToYuan, type Fen } from '../../platform/money.js';
import { diagMatches } from '../../standards/catalogue/restrictions.js';
import type { Enc, Line } from '../engine/claim.js';
import type { Hit } from './types.js';

export const SEX: Record<string, string> = { '1': '男', '2': '女' };
export const LV_NAME: Record<string, string> = { '1': '一级', '2': '二级', '3': '三级', '9': '未定级' };
export const SCENE_NAME: Record<string, string> = { '1': '门诊', '2': '住院', '3': '药店购药' };

/** 【name】 as vola_cont names an item. */
export const lab = (l: Line): string => `【${l.name}】`;
export const yuan = (fen: Fen): string => `${fenToYuan(fen)}元`;

/** True when some diagnosis of the encounter falls under one of the patterns. */
export function hasDiag(enc: Enc, patterns: readonly string[], mainOnly = false): boolean {
  const codes = mainOnly ? (enc.mainDiag ? [enc.mainDiag] : []) : enc.diags;
  for (const c of codes) for (const p of patterns) if (diagMatches(p, c)) return true;
  return false;
}

/** One offending line. */
export function lineHit(line: Line, cont: string, excess?: Fen): Hit {
  return { cont, items: [excess === undefined ? { line, type: '1' } : { line, type: '1', excess }] };
}

/** An object schema of parameters: every key optional with a default, unknown keys refused. */
export function paramsOf(props: Record<string, TSchema>): TSchema {
  return Type.Object(props, { additionalProperties: false });
}

export const Flag = (dflt: boolean, description: string) => Type.Boolean({ default: dflt, description });
export const Int = (dflt: number, min: number, max: number, description: string) => Type.Integer({ default: dflt, minimum: min, maximum: max, description });
export const Codes = (dflt: string[], description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { default: dflt, description });

/** Lines of the same patient on the same date, or in the same prescription, or in the same encounter. */
export function sameScope(a: Line, b: Line, scope: '1' | '2' | '3'): boolean {
  if (scope === '1') return a.enc === b.enc && a.rxno !== '' && a.rxno === b.rxno;
  if (scope === '2') return a.date === b.date;
  return a.enc === b.enc;
}
