/**
 * The 运行监测 charts built from one /api/dashboard answer, shared by the dashboard page and the wall display:
 * each chart's ECharts option (legend, unit on the axis, tooltip with the unit) and the CSV of the same numbers.
 * Money arrives as yuan strings; charts show 万元 (toWan), CSV keeps the exact yuan.
 */
import type { CsvTable } from './components/ChartCard';
import type { ChartOption } from './components/EChart';
import { IPT_OTP, SUSPECT_STAS, toWan } from './labels';
import type { Dashboard } from './types';

export interface ChartSpec {
  key: string;
  title: string;
  unit: string;
  label: string;
  option: ChartOption;
  csv: CsvTable;
  empty: boolean;
}

type Label = (v: string | null | undefined) => string;

const fmt = (unit: string, digits = 2) => (v: unknown) => `${Number(v).toLocaleString('zh-CN', { maximumFractionDigits: digits })} ${unit}`;

export function dashboardCharts(d: Dashboard, names: { insutype: Label; hospLv: Label; fundType?: Label }, dark = false): ChartSpec[] {
  const axisText = dark ? { color: '#c9d6ea' } : {};
  const legend = { top: 0, textStyle: axisText };
  const trend: ChartSpec = {
    key: 'trend',
    title: '近 12 个月结算趋势',
    unit: '人次 / 万元',
    label: '近12个月每月结算人次和基金支付金额',
    empty: d.trend.every((t) => t.setl_cnt === 0),
    option: {
      tooltip: { trigger: 'axis' },
      legend,
      grid: { left: 56, right: 64, top: 44, bottom: 28 },
      xAxis: { type: 'category', data: d.trend.map((t) => t.ym), axisLabel: axisText },
      yAxis: [
        { type: 'value', name: '人次', minInterval: 1, axisLabel: axisText },
        { type: 'value', name: '万元', axisLabel: axisText },
      ],
      series: [
        { name: '结算人次', type: 'bar', barMaxWidth: 28, data: d.trend.map((t) => t.setl_cnt), tooltip: { valueFormatter: fmt('人次', 0) } },
        { name: '医疗总费用', type: 'line', yAxisIndex: 1, data: d.trend.map((t) => toWan(t.medfee_sumamt)), tooltip: { valueFormatter: fmt('万元', 4) } },
        { name: '基金支付', type: 'line', yAxisIndex: 1, data: d.trend.map((t) => toWan(t.fund_pay_sumamt)), tooltip: { valueFormatter: fmt('万元', 4) } },
      ],
    },
    csv: { header: ['月份', '结算人次', '医疗总费用（元）', '基金支付（元）'], rows: d.trend.map((t) => [t.ym, t.setl_cnt, t.medfee_sumamt, t.fund_pay_sumamt]) },
  };
  const byFund: ChartSpec = {
    key: 'fund',
    title: '本年基金支付构成（按基金类型）',
    unit: '万元',
    label: '本年各基金类型支付金额，含个人账户',
    empty: d.by_fund.length === 0,
    option: {
      tooltip: { trigger: 'item', valueFormatter: fmt('万元', 4) },
      legend: { ...legend, type: 'scroll' },
      series: [{ name: '基金支付', type: 'pie', radius: ['35%', '65%'], center: ['50%', '58%'], label: { formatter: '{d}%', color: dark ? '#e6edf7' : undefined }, data: d.by_fund.map((f) => ({ name: f.fund_pay_type_name, value: toWan(f.fund_payamt) })) }],
    },
    csv: { header: ['基金支付类型', '名称', '支付金额（元）'], rows: d.by_fund.map((f) => [f.fund_pay_type, f.fund_pay_type_name, f.fund_payamt]) },
  };
  const group = (key: string, title: string, label: string, rows: { name: string; setl_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string }[], head: string): ChartSpec => ({
    key,
    title,
    unit: '万元',
    label,
    empty: rows.length === 0,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('万元', 4) },
      legend,
      grid: { left: 56, right: 16, top: 44, bottom: 28 },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: axisText },
      yAxis: { type: 'value', name: '万元', axisLabel: axisText },
      series: [
        { name: '医疗总费用', type: 'bar', barMaxWidth: 32, data: rows.map((r) => toWan(r.medfee_sumamt)) },
        { name: '基金支付', type: 'bar', barMaxWidth: 32, data: rows.map((r) => toWan(r.fund_pay_sumamt)) },
      ],
    },
    csv: { header: [head, '结算人次', '医疗总费用（元）', '基金支付（元）'], rows: rows.map((r) => [r.name, r.setl_cnt, r.medfee_sumamt, r.fund_pay_sumamt]) },
  });
  const byInsutype = group('insutype', '本年结算（按险种）', '本年各险种医疗总费用和基金支付', d.by_insutype.map((r) => ({ ...r, name: names.insutype(r.insutype) })), '险种');
  const byLevel = group(
    'level',
    '本年结算（按机构等级）',
    '本年各医疗机构等级的医疗总费用和基金支付',
    d.by_hosp_lv.map((r) => ({ ...r, name: r.fixmedins_type === '2' ? '定点药店' : names.hospLv(r.hosp_lv) })),
    '机构等级',
  );
  const top = [...d.top_institutions].reverse();
  const topInst: ChartSpec = {
    key: 'top',
    title: '本年基金支付前十的定点机构',
    unit: '万元',
    label: '本年基金支付金额最多的定点医药机构',
    empty: top.length === 0,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('万元', 4) },
      legend,
      grid: { left: 8, right: 24, top: 44, bottom: 24, containLabel: true },
      xAxis: { type: 'value', name: '万元', axisLabel: axisText },
      yAxis: { type: 'category', data: top.map((t) => t.fixmedins_name ?? t.fixmedins_code), axisLabel: { ...axisText, width: 150, overflow: 'truncate' } },
      series: [
        { name: '基金支付', type: 'bar', barMaxWidth: 18, data: top.map((t) => toWan(t.fund_pay_sumamt)) },
        { name: '医疗总费用', type: 'bar', barMaxWidth: 18, data: top.map((t) => toWan(t.medfee_sumamt)) },
      ],
    },
    csv: { header: ['定点机构编号', '机构名称', '结算人次', '医疗总费用（元）', '基金支付（元）'], rows: d.top_institutions.map((t) => [t.fixmedins_code, t.fixmedins_name, t.setl_cnt, t.medfee_sumamt, t.fund_pay_sumamt]) },
  };
  const avg: ChartSpec = {
    key: 'avg',
    title: '本年次均费用（门诊 / 住院）',
    unit: '元',
    label: '本年门诊次均费用和住院次均费用',
    empty: d.avg_cost.every((a) => a.setl_cnt === 0),
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('元') },
      legend,
      grid: { left: 64, right: 16, top: 44, bottom: 28 },
      xAxis: { type: 'category', data: d.avg_cost.map((a) => `${IPT_OTP[a.ipt_otp_flag]}（${a.setl_cnt} 人次）`), axisLabel: axisText },
      yAxis: { type: 'value', name: '元', axisLabel: axisText },
      series: [
        { name: '次均医疗总费用', type: 'bar', barMaxWidth: 40, data: d.avg_cost.map((a) => Number(a.avg_medfee)) },
        { name: '次均基金支付', type: 'bar', barMaxWidth: 40, data: d.avg_cost.map((a) => Number(a.avg_fund)) },
      ],
    },
    csv: { header: ['类别', '结算人次', '次均医疗总费用（元）', '次均基金支付（元）'], rows: d.avg_cost.map((a) => [IPT_OTP[a.ipt_otp_flag] ?? a.ipt_otp_flag, a.setl_cnt, a.avg_medfee, a.avg_fund]) },
  };
  const suspects: ChartSpec = {
    key: 'audit',
    title: '本年智能监管疑点（按处理状态）',
    unit: '条 / 元',
    label: '本年智能监管疑点条数和涉及金额，按处理状态',
    empty: d.audit.suspects.length === 0,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend,
      grid: { left: 48, right: 64, top: 44, bottom: 28 },
      xAxis: { type: 'category', data: d.audit.suspects.map((s) => SUSPECT_STAS[s.stas] ?? s.stas), axisLabel: axisText },
      yAxis: [
        { type: 'value', name: '条', minInterval: 1, axisLabel: axisText },
        { type: 'value', name: '元', axisLabel: axisText },
      ],
      series: [
        { name: '疑点条数', type: 'bar', barMaxWidth: 36, data: d.audit.suspects.map((s) => s.suspect_cnt), tooltip: { valueFormatter: fmt('条', 0) } },
        { name: '涉及金额', type: 'bar', yAxisIndex: 1, barMaxWidth: 36, data: d.audit.suspects.map((s) => Number(s.vola_amt)), tooltip: { valueFormatter: fmt('元') } },
      ],
    },
    csv: { header: ['处理状态', '疑点条数', '涉及金额（元）'], rows: d.audit.suspects.map((s) => [SUSPECT_STAS[s.stas] ?? s.stas, s.suspect_cnt, s.vola_amt]) },
  };
  return [trend, byFund, byInsutype, byLevel, topInst, avg, suspects];
}
