/**
 * 基金收支 for the 运行监测 page: the answer of GET /api/fund/overview (money as decimal yuan strings, as on the
 * wire), the request, and the chart of monthly income vs expenditure with the balance (ECharts option + CSV).
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
}

export interface FundOverview {
  admdvs: string | null;
  year: number;
  opening_balance: string;
  months: FundMonth[];
  totals: { income: string; expenditure: string; net: string; by_kind: Record<IncomeKind, string> };
  by_fund: { insutype: string; fund_pay_type: string; income: string; expenditure: string }[];
  drg: { cmi: string | null; runs: { run_id: string; admdvs: string; setl_year: number; case_cnt: number; grouped_cnt: number; cmi: string | null; point_value: string | null }[] };
}

/** The overview of a year for the user's scope; `enabled` false (an institution user) asks nothing. */
export function useFundOverview(year: number, enabled: boolean) {
  return useApi<FundOverview>(enabled ? '/fund/overview' : null, { year: String(year) });
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
