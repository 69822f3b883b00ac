/**
 * 运行监测: settlements and fund payments of today, this month and this year in the user's scope, their
 * structure (fund type, insurance type, institution level, top institutions), the 12-month trend, average cost per
 * visit and per stay, and the smart-supervision figures — all aggregated by the server (/api/dashboard). Each
 * chart exports PNG and CSV. 「大屏模式」 opens the wall display (/wall).
 */
import { DesktopOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { ChartCard } from '../components/ChartCard';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { dashboardCharts } from '../dashboard-charts';
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
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            事前事中审核 {data.audit.eval_cnt.toLocaleString('zh-CN')} 次，其中有提醒 {data.audit.eval_hit_cnt.toLocaleString('zh-CN')} 次。DRG 病例组合指数（CMI）待 DRG 分组结果入库后显示。
          </Typography.Paragraph>
        </>
      )}
    </PageContainer>
  );
}
