/**
 * 运行监测: settlements and fund payments of today, this month and this year in the user's scope, their
 * structure (fund type, insurance type, institution level, top institutions), the 12-month trend, average cost per
 * visit and per stay, and the smart-supervision figures — all aggregated by the server (/api/dashboard); for the
 * agency's staff also the fund's income vs expenditure of the year with the balance and the months of reserve, and
 * the DRG case-mix index of the latest year run (/api/fund/overview). Each chart exports PNG and CSV. 「大屏模式」
 * opens the wall display (/wall).
 */
import { DesktopOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { ChartCard } from '../components/ChartCard';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { dashboardCharts } from '../dashboard-charts';
import { fundChart, latestMonth, useFundOverview, type FundOverview } from '../fund';
import { useApi, useDict } from '../hooks';
import { yuan, yuanOrWan } from '../labels';
import { DATE, useListQuery } from '../list';
import type { Dashboard as DashboardData } from '../types';

function Figure({ title, value, suffix, hint }: { title: string; value: string | number; suffix?: string; hint?: string }) {
  return (
    <Card className="yb-stat-card" size="small">
      <Statistic title={title} value={value} suffix={suffix} groupSeparator="," />
      {hint ? <Typography.Text type="secondary">{hint}</Typography.Text> : null}
    </Card>
  );
}

/** 基金收支: income vs expenditure by month, the balance and months of reserve, and the DRG CMI. */
function FundSection({ fund, error, reload }: { fund: FundOverview | undefined; error: Error | undefined; reload: () => void }) {
  if (error) return <ErrorResult error={error} onRetry={reload} />;
  if (!fund) return <Skeleton active paragraph={{ rows: 4 }} />;
  const chart = fundChart(fund);
  const last = latestMonth(fund);
  const reserve = last?.months_of_reserve ?? null;
  return (
    <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
      <Col xs={24} xl={18}>
        <ChartCard
          title={`${fund.year} 年基金收支`}
          unit="万元"
          option={chart.option}
          csv={chart.csv}
          label={`${fund.year} 年每月基金收入（按征缴、财政补助、利息、其他）、基金支出和累计结存`}
          filename={`运行监测-基金收支-${fund.year}`}
          empty={chart.empty}
          height={320}
        />
      </Col>
      <Col xs={24} xl={6}>
        <Space orientation="vertical" style={{ width: '100%' }} size={16}>
          <Figure
            title="累计结存可支付月数"
            value={reserve ?? '—'}
            suffix={reserve ? '个月' : undefined}
            hint={last ? `截至 ${fund.year} 年 ${last.month} 月，累计结存 ${yuanOrWan(last.balance)}；按近 12 个月月均支出计算` : '本年还没有基金收支'}
          />
          <Figure title="本年基金收入（万元）" value={(Number(fund.totals.income) / 10_000).toFixed(2)} hint={`基金支出 ${yuanOrWan(fund.totals.expenditure)}，年初结存 ${yuanOrWan(fund.opening_balance)}`} />
          <Figure
            title="DRG 病例组合指数（CMI）"
            value={fund.drg.cmi ?? '—'}
            hint={fund.drg.runs.length ? `${fund.year} 年最新 DRG 付费计算，入组 ${fund.drg.runs.reduce((t, r) => t + r.grouped_cnt, 0).toLocaleString('zh-CN')} 例` : `${fund.year} 年还没有 DRG 付费计算`}
          />
        </Space>
      </Col>
    </Row>
  );
}

export default function Dashboard() {
  const lq = useListQuery();
  const navigate = useNavigate();
  const on = lq.values.on;
  const { data, error, loading, reload } = useApi<DashboardData>('/dashboard', on ? { on } : {});
  const insutype = useDict('insutype');
  const hospLv = useDict('hosp_lv');
  const charts = useMemo(() => (data ? dashboardCharts(data, { insutype: insutype.label, hospLv: hospLv.label }) : []), [data, insutype, hospLv]);
  const avg = (flag: '1' | '2') => data?.avg_cost.find((a) => a.ipt_otp_flag === flag);
  const suspects = data?.audit.suspects.reduce((t, s) => t + s.suspect_cnt, 0) ?? 0;
  // the fund's accounts are the agency's: an institution user sees the settlement figures only
  const { me } = useAuth();
  const agency = !!me && !me.user.fixmedins_code;
  const year = Number((data?.on ?? on ?? dayjs().format(DATE)).slice(0, 4));
  const fund = useFundOverview(year, agency);

  return (
    <PageContainer
      title="运行监测看板"
      description={`管辖范围内的结算与基金支付（统计日期 ${data?.on ?? on ?? '今日'}，撤销的结算不计入）`}
      extra={
        <Space wrap>
          <label htmlFor="dashboard-on" className="yb-inline-label">
            统计日期
          </label>
          <DatePicker
            id="dashboard-on"
            allowClear
            placeholder="今日"
            value={on ? dayjs(on, DATE) : null}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(d) => lq.update({ on: d ? d.format(DATE) : null })}
          />
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
            刷新
          </Button>
          <Button type="primary" icon={<DesktopOutlined />} onClick={() => navigate('/wall')}>
            大屏模式
          </Button>
        </Space>
      }
    >
      {error ? <ErrorResult error={error} onRetry={reload} /> : null}
      {!data ? (
        error ? null : <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} lg={8} xl={4}>
              <Figure title="今日结算" value={data.today.setl_cnt} suffix="人次" hint={`基金支付 ${yuanOrWan(data.today.fund_pay_sumamt)}`} />
            </Col>
            <Col xs={12} lg={8} xl={4}>
              <Figure title="本月结算" value={data.month.setl_cnt} suffix="人次" hint={`基金支付 ${yuanOrWan(data.month.fund_pay_sumamt)}`} />
            </Col>
            <Col xs={12} lg={8} xl={4}>
              <Figure title="本年结算" value={data.year.setl_cnt} suffix="人次" hint={`医疗总费用 ${yuanOrWan(data.year.medfee_sumamt)}`} />
            </Col>
            <Col xs={12} lg={8} xl={4}>
              <Figure title="本年基金支付（万元）" value={(Number(data.year.fund_pay_sumamt) / 10_000).toFixed(2)} hint={`个人账户 ${yuanOrWan(data.year.acct_pay)}`} />
            </Col>
            <Col xs={12} lg={8} xl={4}>
              <Figure title="门诊次均费用（元）" value={avg('1')?.avg_medfee ?? '0.00'} hint={`住院次均 ${yuan(avg('2')?.avg_medfee ?? '0.00')}`} />
            </Col>
            <Col xs={12} lg={8} xl={4}>
              <Figure title="本年监管疑点" value={suspects} suffix="条" hint={`事前事中提醒 ${data.audit.warn_cnt} 条，涉及 ${yuanOrWan(data.audit.warn_vola_amt)}`} />
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            {charts.map((c) => (
              <Col key={c.key} xs={24} xl={c.key === 'trend' ? 24 : 12}>
                <ChartCard title={c.title} unit={c.unit} option={c.option} csv={c.csv} label={c.label} filename={`运行监测-${c.title}-${data.on}`} empty={c.empty} height={c.key === 'trend' ? 300 : 280} />
              </Col>
            ))}
          </Row>
          {agency ? <FundSection fund={fund.data} error={fund.error} reload={fund.reload} /> : null}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            事前事中审核 {data.audit.eval_cnt.toLocaleString('zh-CN')} 次，其中有提醒 {data.audit.eval_hit_cnt.toLocaleString('zh-CN')} 次。
          </Typography.Paragraph>
        </>
      )}
    </PageContainer>
  );
}
