/**
 * Recording what comes into a fund (基金收入登记): one income entry of a month (征缴收入, 财政补助, 利息, 其他) for a
 * pool area × insutype × fund, and the opening balance (年初结存) of a year. Each is checked field by field with Chinese
 * problems, written in ONE transaction with its operation-log row, and limited to the actor's areas. Entries are a
 * journal: a correction is another entry (amounts may be negative), never an edit.
 */
import type { Db } from '../platform/db.js';
import { validationError, type FieldProblem } from '../platform/errors.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { requireActorCovers } from '../platform/scope.js';
import { DICT_TABLES } from '../standards/dict-data.js';
import { INCOME_KIND_CODES, INCOME_KINDS, type IncomeKind } from './types.js';
import './types.js';

export interface FundKey {
  admdvs: string;
  insutype: string;
  fund_pay_type: string;
}

export type IncomeInput = FundKey & { year: number; month: number; memo?: string | null } & Partial<Record<IncomeKind, string | number>>;

export interface IncomeEntry extends FundKey {
  fund_inc_id: number;
  year: number;
  month: number;
  clct_inc: string;
  fin_subs_inc: string;
  int_inc: string;
  oth_inc: string;
  total: string;
  memo: string | null;
}

const inDict = (dict: string, v: string) => DICT_TABLES[dict]?.items.some(([code]) => code === v) ?? false;

/** The key's problems (area, 险种 and 基金 from the dictionaries). */
function keyProblems(k: FundKey): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof k.admdvs !== 'string' || !/^\d{6}$/.test(k.admdvs)) problems.push({ field: 'admdvs', message: `医保区划“${String(k.admdvs)}”应为6位数字` });
  if (typeof k.insutype !== 'string' || !inDict('insutype', k.insutype)) problems.push({ field: 'insutype', message: `险种类型“${String(k.insutype)}”不在码表中` });
  if (typeof k.fund_pay_type !== 'string' || !inDict('fund_pay_type', k.fund_pay_type)) problems.push({ field: 'fund_pay_type', message: `基金支付类型“${String(k.fund_pay_type)}”不在码表中` });
  return problems;
}

function yearProblems(year: unknown, field = 'year'): FieldProblem[] {
  return Number.isInteger(year) && (year as number) >= 2000 && (year as number) <= 2999 ? [] : [{ field, message: `年度应为 2000–2999 的整数，实际为 ${String(year)}` }];
}

function refuse(what: string, problems: FieldProblem[]): never {
  throw validationError(`${what}有误：${problems.map((p) => p.message).join('；')}`, problems);
}

/** Records one income entry; returns it as stored. Refused (nothing written) when any field is wrong or all amounts are 0. */
export async function recordIncome(db: Db, actor: Actor, input: IncomeInput): Promise<IncomeEntry> {
  const problems = [...keyProblems(input), ...yearProblems(input.year)];
  if (!Number.isInteger(input.month) || input.month < 1 || input.month > 12) problems.push({ field: 'month', message: `月份应为 1–12 的整数，实际为 ${String(input.month)}` });
  const amounts = {} as Record<IncomeKind, Fen>;
  for (const kind of INCOME_KIND_CODES) {
    const v = input[kind];
    amounts[kind] = 0;
    if (v === undefined || v === null || v === '') continue;
    try {
      amounts[kind] = yuanToFen(v, INCOME_KINDS[kind]);
    } catch {
      problems.push({ field: kind, message: `${INCOME_KINDS[kind]}“${String(v)}”应为最多两位小数的金额` });
    }
  }
  if (!problems.length && INCOME_KIND_CODES.every((k) => amounts[k] === 0)) problems.push({ field: 'clct_inc', message: '征缴收入、财政补助收入、利息收入、其他收入不能都为 0' });
  if (input.memo !== undefined && input.memo !== null && (typeof input.memo !== 'string' || input.memo.length > 200)) problems.push({ field: 'memo', message: '备注最多 200 个字' });
  if (problems.length) refuse('基金收入登记', problems);
  requireActorCovers(actor, input.admdvs);

  const values = { clct_inc: fenToYuan(amounts.clct_inc), fin_subs_inc: fenToYuan(amounts.fin_subs_inc), int_inc: fenToYuan(amounts.int_inc), oth_inc: fenToYuan(amounts.oth_inc) };
  const total = fenToYuan(INCOME_KIND_CODES.reduce((s, k) => s + amounts[k], 0));
  const key = { admdvs: input.admdvs, insutype: input.insutype, fund_pay_type: input.fund_pay_type };
  const memo = input.memo ?? null;
  return db.k.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('fund_income')
      .values({ ...key, inc_year: input.year, inc_month: input.month, ...values, memo, opter_id: actor.id, opter_name: actor.name })
      .returning('fund_inc_id')
      .executeTakeFirstOrThrow();
    const entry: IncomeEntry = { fund_inc_id: Number(row.fund_inc_id), ...key, year: input.year, month: input.month, ...values, total, memo };
    await recordOperation(trx, actor, { action: 'fund.income.record', target_type: 'fund_income', target_id: String(entry.fund_inc_id), admdvs: input.admdvs, after: entry });
    return entry;
  });
}

export type OpeningInput = FundKey & { year: number; open_balc: string | number };

/** Sets a fund's opening balance of a year (replacing an earlier figure; the log keeps both). */
export async function setOpeningBalance(db: Db, actor: Actor, input: OpeningInput): Promise<FundKey & { year: number; open_balc: string }> {
  const problems = [...keyProblems(input), ...yearProblems(input.year)];
  let fen: Fen = 0;
  try {
    fen = yuanToFen(input.open_balc, '年初结存');
  } catch {
    problems.push({ field: 'open_balc', message: `年初结存“${String(input.open_balc)}”应为最多两位小数的金额` });
  }
  if (problems.length) refuse('年初结存登记', problems);
  requireActorCovers(actor, input.admdvs);
  const key = { admdvs: input.admdvs, insutype: input.insutype, fund_pay_type: input.fund_pay_type };
  const open_balc = fenToYuan(fen);
  return db.k.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('fund_open_balc').select('open_balc').where('admdvs', '=', key.admdvs).where('insutype', '=', key.insutype).where('fund_pay_type', '=', key.fund_pay_type).where('balc_year', '=', input.year).executeTakeFirst();
    await trx
      .insertInto('fund_open_balc')
      .values({ ...key, balc_year: input.year, open_balc, opter_id: actor.id, opter_name: actor.name })
      .onConflict((oc) => oc.columns(['admdvs', 'insutype', 'fund_pay_type', 'balc_year']).doUpdateSet({ open_balc, opter_id: actor.id, opter_name: actor.name, crte_time: new Date() }))
      .execute();
    await recordOperation(trx, actor, { action: 'fund.opening.set', target_type: 'fund_open_balc', target_id: `${key.admdvs}/${key.insutype}/${key.fund_pay_type}/${input.year}`, admdvs: key.admdvs, before: before ? { open_balc: before.open_balc } : undefined, after: { open_balc } });
    return { ...key, year: input.year, open_balc };
  });
}
