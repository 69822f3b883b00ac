/**
 * 规则质量评价: per rule, from /api/audit/metrics — activity (评估次数、命中、提醒、活跃度), precision in review
 * (疑点、已审结、确认、排除、精准率、申诉改判) and the amounts (疑似、确认、应追回、已追回, 元/万元), over a period.
 * The charts and tables export PNG/CSV.
 */
import { Card, Col, DatePicker, Form, Row, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { ChartCard } from '../components/ChartCard';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi } from '../hooks';
import { percent, toWan, yuan } from '../labels';
import { DATE, useListQuery } from '../list';

interface ReviewRow {
  rule_id: string;
  suspects: number;
  in_review: number;
  reviewed: number;
  confirmed: number;
  excluded: number;
  precision: number | null;
  appeal_upheld: number;
  suspected_amt: number;
  confirmed_amt: number;
  rcv_amt: number;
  recovered_amt: number;
}
interface ActivityRow {
  rule_id: string;
  evaluations: number;
  hits: number;
  warnings: number;
  activity: number | null;
  last_hit: string | null;
}

const ratio = (v: number | null) => (v === null ? '—' : percent(v, 'ratio'));

export default function AuditMetrics() {
  const lq = useListQuery();
  const q = { from: lq.values.from, to: lq.values.to, by: 'rule_id' };
  const review = useApi<{ list: ReviewRow[] }>('/audit/metrics/review', q);
  const activity = useApi<{ list: ActivityRow[] }>('/audit/metrics/activity', q);
  const rv = useMemo(() => review.data?.list ?? [], [review.data]);
  const act = useMemo(() => (activity.data?.list ?? []).filter((r) => r.evaluations > 0), [activity.data]);
  const amountChart = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 40, bottom: 64 },
      xAxis: { type: 'category', data: rv.map((r) => r.rule_id), axisLabel: { interval: 0, rotate: rv.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', name: '万元' },
      series: [
        { name: '疑似金额', type: 'bar', data: rv.map((r) => toWan(r.suspected_amt)) },
        { name: '确认金额', type: 'bar', data: rv.map((r) => toWan(r.confirmed_amt)) },
        { name: '已追回', type: 'bar', data: rv.map((r) => toWan(r.recovered_amt)) },
      ],
    }),
    [rv],
  );
  const activityChart = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 40, bottom: 64 },
      xAxis: { type: 'category', data: act.map((r) => r.rule_id), axisLabel: { interval: 0, rotate: act.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', name: '次' },
      series: [
        { name: '评估次数', type: 'bar', data: act.map((r) => r.evaluations) },
        { name: '命中次数', type: 'bar', data: act.map((r) => r.hits) },
        { name: '提醒条数', type: 'bar', data: act.map((r) => r.warnings) },
      ],
    }),
    [act],
  );
  const error = review.error ?? activity.error;
  return (
    <PageContainer title="规则质量评价" description="各规则的活跃度、审核精准率与涉及金额">
      <Card className="yb-filter">
        <Form layout="inline" name="metric-period" onFinish={(v: { range?: [Dayjs | null, Dayjs | null] }) => lq.update({ from: v.range?.[0]?.format(DATE) ?? null, to: v.range?.[1]?.format(DATE) ?? null })}>
          <Form.Item label="统计期间" name="range">
            <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} />
          </Form.Item>
          <SearchButtons onReset={() => lq.update({ from: null, to: null })} />
        </Form>
      </Card>
      {error ? (
        <ErrorResult error={error} onRetry={() => { review.reload(); activity.reload(); }} />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <ChartCard
                title="疑点金额（按规则）"
                unit="万元"
                option={amountChart}
                label="各规则的疑似、确认和已追回金额"
                filename="规则质量-金额"
                csv={{ header: ['规则', '疑似金额（元）', '确认金额（元）', '应追回（元）', '已追回（元）'], rows: rv.map((r) => [r.rule_id, r.suspected_amt, r.confirmed_amt, r.rcv_amt, r.recovered_amt]) }}
                empty={!review.loading && !rv.length}
              />
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard
                title="规则活跃度（事前事中）"
                unit="次"
                option={activityChart}
                label="各规则的评估、命中和提醒次数"
                filename="规则质量-活跃度"
                csv={{ header: ['规则', '评估次数', '命中次数', '提醒条数', '活跃度'], rows: act.map((r) => [r.rule_id, r.evaluations, r.hits, r.warnings, r.activity]) }}
                empty={!activity.loading && !act.length}
              />
            </Col>
          </Row>
          <Card size="small" title="审核精准性与金额">
            <Table<ReviewRow>
              rowKey="rule_id"
              size="small"
              loading={review.loading}
              dataSource={rv}
              pagination={false}
              scroll={{ x: 1200 }}
              locale={{ emptyText: <Typography.Text type="secondary">所选期间没有疑点</Typography.Text> }}
              columns={[
                { title: '规则', dataIndex: 'rule_id', render: (v: string) => <Link to={`/audit/rules?rule=${v}`} className="yb-mono">{v}</Link> },
                { title: '疑点数', dataIndex: 'suspects', align: 'right' },
                { title: '审核中', dataIndex: 'in_review', align: 'right' },
                { title: '确认', dataIndex: 'confirmed', align: 'right' },
                { title: '排除', dataIndex: 'excluded', align: 'right' },
                { title: '精准率', dataIndex: 'precision', align: 'right', render: ratio },
                { title: '申诉改判', dataIndex: 'appeal_upheld', align: 'right' },
                { title: '疑似金额（元）', dataIndex: 'suspected_amt', align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
                { title: '确认金额（元）', dataIndex: 'confirmed_amt', align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
                { title: '已追回（元）', dataIndex: 'recovered_amt', align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
              ]}
            />
          </Card>
          <Card size="small" title="规则活跃度">
            <Table<ActivityRow>
              rowKey="rule_id"
              size="small"
              loading={activity.loading}
              dataSource={activity.data?.list}
              pagination={{ pageSize: 10 }}
              columns={[
                { title: '规则', dataIndex: 'rule_id', render: (v: string) => <Link to={`/audit/rules?rule=${v}`} className="yb-mono">{v}</Link> },
                { title: '评估次数', dataIndex: 'evaluations', align: 'right' },
                { title: '命中次数', dataIndex: 'hits', align: 'right' },
                { title: '提醒条数', dataIndex: 'warnings', align: 'right' },
                { title: '活跃度', dataIndex: 'activity', align: 'right', render: ratio },
                { title: '最近命中', dataIndex: 'last_hit', render: (v: string | null) => (v ? v.slice(0, 10) : '—') },
              ]}
            />
          </Card>
        </Space>
      )}
    </PageContainer>
  );
}
