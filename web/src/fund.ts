/**
 * 基金收支 for the 运行监测 pages: the answer of GET /api/fund/overview (money as decimal yuan strings, as on the
 * wire), the request, the chart of monthly income vs expenditure with the balance, the chart of expenditure growth
 * (同比 / 环比), the 可支付月数 colour band and the CSV of the per-fund table. Growth, months of reserve and the
 * warnings are computed by the server; the console only shows them (and turns yuan into 万元 for the axes).
 */
import type { CsvTable } from './components/ChartCard';
import type { ChartOption } from './components/EChart';
import { useApi } from './hooks';
import { toWan } from './labels';

export type IncomeKind = 'clct_inc' | 'fin_subs_inc' | 'int_inc' | 'oth_inc';
export const INCOME_KIND_NAMES: Record<IncomeKind, string> = { clct_inc: '征缴收入', fin_subs_inc: '财政补助收入', int_inc: '利息收入', oth_inc: '其他收入' };

export interface FundMonth {
  month: number;
  income: string;
  by_kind: Record<IncomeKind, string>;
  expenditure: string;
  net: string;
  balance: string;
  months_of_reserve: string | null;
  /** 基金支出 of the same month a year earlier */
  expenditure_prev_year: string;
  /** 同比 / 环比 growth of expenditure in percent ('12.5'); null without a base */
  expenditure_yoy: string | null;
  expenditure_mom: string | null;
}

export interface FundBalance {
  insutype: string;
  fund_pay_type: string;
  opening_balance: string;
  income: string;
  expenditure: string;
  net: string;
  balance: string;
}

export interface FundWarning {
  month: number;
  kind: 'reserve_low' | 'expenditure_growth';
  level: 'red' | 'amber';
  value: string;
  threshold: string;
  message: string;
}

export interface FundOverview {
  admdvs: string | null;
  year: number;
  opening_balance: string;
  months: FundMonth[];
  totals: { income: string; expenditure: string; net: string; by_kind: Record<IncomeKind, string>; expenditure_prev_year: string; expenditure_yoy: string | null };
  /** the latest month with any income or expenditure; null when the year has none */
  through_month: number | null;
  by_fund: FundBalance[];
  warnings: FundWarning[];
  thresholds: { growth_pct: number; reserve_red_months: number; reserve_amber_months: number };
  drg: { cmi: string | null; runs: { run_id: string; admdvs: string; setl_year: number; case_cnt: number; grouped_cnt: number; cmi: string | null; point_value: string | null }[] };
}

export interface FundFilters {
  admdvs?: string | undefined;
  insutype?: string | undefined;
  fund_pay_type?: string | undefined;
  /** percent above which 同比 growth is a warning (server default 15) */
  growth_threshold?: string | undefined;
}

/** The overview of a year for the user's scope (or the filters); `enabled` false (an institution user) asks nothing. */
export function useFundOverview(year: number, enabled: boolean, filters: FundFilters = {}) {
  return useApi<FundOverview>(enabled ? '/fund/overview' : null, { year: String(year), ...filters });
}

export type ReserveLevel = 'red' | 'amber' | 'green';

/** The 可支付月数 band: below 6 months red (预警), 6–9 amber (关注), 9 and more green (正常); null without a figure. */
export function reserveLevel(months: string | null, t: FundOverview['thresholds']): ReserveLevel | null {
  if (months === null) return null;
  const n = Number(months);
  return n < t.reserve_red_months ? 'red' : n < t.reserve_amber_months ? 'amber' : 'green';
}

export const RESERVE_LEVEL: Record<ReserveLevel, { label: string; color: string; tag: string }> = {
  red: { label: '预警', color: '#cf1322', tag: 'error' },
  amber: { label: '关注', color: '#d46b08', tag: 'warning' },
  green: { label: '正常', color: '#389e0d', tag: 'success' },
};

const pct = (v: unknown) => (v === null || v === undefined || v === '-' ? '—' : `${String(v)}%`);

/** This year's monthly expenditure against the same month a year earlier (bars), 同比 and 环比 growth (lines, %). */
export function growthChart(o: FundOverview): { option: ChartOption; csv: CsvTable; empty: boolean } {
  const months = o.months.map((m) => `${o.year}-${String(m.month).padStart(2, '0')}`);
  const growth = (v: string | null) => (v === null ? '-' : Number(v));
  return {
    empty: o.months.every((m) => Number(m.expenditure) === 0 && Number(m.expenditure_prev_year) === 0),
    option: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 64, top: 56, bottom: 28 },
      xAxis: { type: 'category', data: months },
      yAxis: [
        { type: 'value', name: '支出（万元）' },
        { type: 'value', name: '增长率（%）' },
      ],
      series: [
        { name: `${o.year} 年基金支出`, type: 'bar', barMaxWidth: 22, data: o.months.map((m) => toWan(m.expenditure)), tooltip: { valueFormatter: wan('万元') } },
        { name: `${o.year - 1} 年同月支出`, type: 'bar', barMaxWidth: 22, data: o.months.map((m) => toWan(m.expenditure_prev_year)), tooltip: { valueFormatter: wan('万元') } },
        { name: '同比增长', type: 'line', yAxisIndex: 1, connectNulls: false, data: o.months.map((m) => growth(m.expenditure_yoy)), tooltip: { valueFormatter: pct } },
        { name: '环比增长', type: 'line', yAxisIndex: 1, connectNulls: false, lineStyle: { type: 'dashed' }, data: o.months.map((m) => growth(m.expenditure_mom)), tooltip: { valueFormatter: pct } },
      ],
    },
    csv: {
      header: ['月份', '基金支出（元）', '上年同月支出（元）', '同比增长（%）', '环比增长（%）'],
      rows: o.months.map((m, i) => [months[i]!, m.expenditure, m.expenditure_prev_year, m.expenditure_yoy, m.expenditure_mom]),
    },
  };
}

/** The per-fund table as CSV, with the code tables' names next to the codes. */
export function fundTableCsv(rows: FundBalance[], names: { insutype: (v: string) => string; fund: (v: string) => string }): CsvTable {
  return {
    header: ['险种类型', '险种名称', '基金支付类型', '基金名称', '年初结存（元）', '本年收入（元）', '本年支出（元）', '当期结余（元）', '期末结存（元）'],
    rows: rows.map((r) => [r.insutype, names.insutype(r.insutype), r.fund_pay_type, names.fund(r.fund_pay_type), r.opening_balance, r.income, r.expenditure, r.net, r.balance]),
  };
}

/** The latest month of the year with any income or expenditure (the figure the page headlines), or null. */
export function latestMonth(o: FundOverview): FundMonth | null {
  return [...o.months].reverse().find((m) => Number(m.income) !== 0 || Number(m.expenditure) !== 0) ?? null;
}

const wan = (unit: string) => (v: unknown) => `${Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 4 })} ${unit}`;

/** Monthly income (stacked by kind) vs expenditure as bars, the balance as a line on its own axis. */
export function fundChart(o: FundOverview): { option: ChartOption; csv: CsvTable; empty: boolean } {
  const months = o.months.map((m) => `${o.year}-${String(m.month).padStart(2, '0')}`);
  const kinds = Object.keys(INCOME_KIND_NAMES) as IncomeKind[];
  return {
    empty: o.months.every((m) => Number(m.income) === 0 && Number(m.expenditure) === 0),
    option: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 72, top: 48, bottom: 28 },
      xAxis: { type: 'category', data: months },
      yAxis: [
        { type: 'value', name: '收支（万元）' },
        { type: 'value', name: '累计结存（万元）' },
      ],
      series: [
        ...kinds.map((k) => ({ name: INCOME_KIND_NAMES[k], type: 'bar', stack: 'income', barMaxWidth: 26, data: o.months.map((m) => toWan(m.by_kind[k])), tooltip: { valueFormatter: wan('万元') } })),
        { name: '基金支出', type: 'bar', barMaxWidth: 26, data: o.months.map((m) => toWan(m.expenditure)), tooltip: { valueFormatter: wan('万元') } },
        { name: '累计结存', type: 'line', yAxisIndex: 1, data: o.months.map((m) => toWan(m.balance)), tooltip: { valueFormatter: wan('万元') } },
      ],
    },
    csv: {
      header: ['月份', ...kinds.map((k) => `${INCOME_KIND_NAMES[k]}（元）`), '基金收入合计（元）', '基金支出（元）', '当月结余（元）', '累计结存（元）', '可支付月数'],
      rows: o.months.map((m, i) => [months[i]!, ...kinds.map((k) => m.by_kind[k]), m.income, m.expenditure, m.net, m.balance, m.months_of_reserve]),
    },
  };
}
