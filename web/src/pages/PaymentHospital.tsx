/**
 * A hospital's DRG/DIP page (/payment/drg/hospitals/:fixmedins_code?run=…): its year-end statement (点数、应得金额、
 * 患者负担、扣款、基金应付、月度预拨、补付/追回) with the monthly pre-payments, its CMI and RW distribution, cost vs
 * payment per group, and its outlier cases — all from one run of /api/payment (the newest when ?run is absent).
 */
import { Card, Col, Descriptions, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ChartCard } from '../components/ChartCard';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useDict } from '../hooks';
import { toWan, yuan } from '../labels';
import { useListQuery } from '../list';
import { balanceKind, PAY_NAMES, useRunKey, type CmiAnswer, type PayStatement, type PayType } from '../payment';
import { CmiCharts, CostView, Outliers } from './Payment';

function HospitalPage({ pay_type }: { pay_type: PayType }) {
  const { fixmedins_code = '' } = useParams();
  const lq = useListQuery();
  const key = useRunKey(lq, pay_type);
  const hospLv = useDict('hosp_lv');
  const stmt = useApi<{ point_value: string; list: PayStatement[] }>(key.run_id ? `/payment/runs/${key.run_id}/statements` : null, { fixmedins_code });
  const cmi = useApi<CmiAnswer>(key.run_id ? `/payment/runs/${key.run_id}/cmi` : null);
  const s = stmt.data?.list[0];
  const name = s?.fixmedins_name ?? fixmedins_code;
  const back = `/payment/${pay_type}${key.run_id ? `?run=${key.run_id}` : ''}`;
  const error = key.runs.error ?? stmt.error;
  const months = s?.months ?? [];
  const bal = s ? balanceKind(s.balance) : null;
  return (
    <PageContainer title={`${name} · ${PAY_NAMES[pay_type]} 付费`} description={<span>{key.year ? `${key.year} 年度` : ''}计算批次 <span className="yb-mono">{key.run_id ?? '—'}</span>，<Link to={back}>返回全区结果</Link></span>}>
      {error ? (
        <ErrorResult error={error} onRetry={stmt.reload} />
      ) : !key.run_id && !key.runs.loading ? (
        <Typography.Paragraph type="secondary">该年度还没有付费计算结果。</Typography.Paragraph>
      ) : stmt.data && !s ? (
        <Typography.Paragraph type="secondary">该机构不在本次付费计算中。</Typography.Paragraph>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[12, 12]}>
            {(
              [
                ['CMI', s?.cmi ?? '—', ''],
                ['病例数', s?.case_cnt ?? 0, '例'],
                ['总点数', s ? Number(s.points).toLocaleString('zh-CN', { maximumFractionDigits: 2 }) : 0, '点'],
                ['应得金额', s ? toWan(s.amount_due) : 0, '万元'],
                ['基金应付', s ? toWan(s.fund_due) : 0, '万元'],
                [`清算${bal?.label ?? '差额'}`, s ? toWan(Math.abs(Number(s.balance))) : 0, '万元'],
              ] as const
            ).map(([t, v, u]) => (
              <Col key={t} xs={12} md={8} xl={4}>
                <Card size="small" className="yb-stat-card">
                  <Statistic title={t} value={v} suffix={u} groupSeparator="," />
                </Card>
              </Col>
            ))}
          </Row>
          <Card title="年度结算单" size="small">
            {s ? (
              <Descriptions
                size="small"
                bordered
                column={{ xs: 1, md: 2, xl: 3 }}
                items={[
                  { key: 'code', label: '机构编码', children: <span className="yb-mono">{s.fixmedins_code}</span> },
                  { key: 'lv', label: '医院等级', children: `${hospLv.label(s.hosp_lv)}（系数 ${s.coef}）` },
                  { key: 'cnt', label: '病例构成', children: `入组 ${s.grouped_cnt}，高倍率 ${s.high_cnt}，低倍率 ${s.low_cnt}，特例单议 ${s.special_cnt}，未入组 ${s.ungrouped_cnt}` },
                  { key: 'fee', label: '医疗总费用', children: yuan(s.medfee_sumamt) },
                  { key: 'due', label: '应得金额（点数 × 点值）', children: yuan(s.amount_due) },
                  { key: 'psn', label: '患者负担', children: yuan(s.psn_pay) },
                  { key: 'pen', label: '违规扣款', children: yuan(s.penalty) },
                  { key: 'fund', label: '基金应付', children: yuan(s.fund_due) },
                  { key: 'pre', label: '月度预拨合计', children: yuan(s.prepaid) },
                  { key: 'bal', label: '清算差额', children: <Space><Tag color={bal!.color}>{bal!.label}</Tag>{yuan(Math.abs(Number(s.balance)))}</Space> },
                ]}
              />
            ) : null}
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <ChartCard
                title="月度点数与预拨"
                unit="万元"
                label={`${name} 各月应得金额与预拨金额`}
                filename={`${name}-月度预拨`}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { left: 56, right: 16, top: 40, bottom: 32 },
                  xAxis: { type: 'category', data: months.map((m) => `${m.setl_month}月`) },
                  yAxis: { type: 'value', name: '万元' },
                  series: [
                    { name: '应得金额', type: 'bar', data: months.map((m) => toWan(m.amount_due)) },
                    { name: '预拨金额', type: 'bar', data: months.map((m) => toWan(m.prepaid)) },
                    { name: '患者负担', type: 'line', data: months.map((m) => toWan(m.psn_pay)) },
                  ],
                }}
                csv={{ header: ['月份', '点数', '应得金额（元）', '患者负担（元）', '预拨金额（元）'], rows: months.map((m) => [m.setl_month, m.points, m.amount_due, m.psn_pay, m.prepaid]) }}
                empty={!months.length}
              />
            </Col>
            <Col xs={24} xl={12}>
              <Card title="月度预拨明细" size="small">
                <Table
                  rowKey="setl_month"
                  size="small"
                  pagination={false}
                  scroll={{ y: 240 }}
                  dataSource={months}
                  columns={[
                    { title: '月份', dataIndex: 'setl_month', width: 60 },
                    { title: '点数', dataIndex: 'points', align: 'right' },
                    { title: '应得金额（元）', dataIndex: 'amount_due', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
                    { title: '患者负担（元）', dataIndex: 'psn_pay', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
                    { title: '预拨金额（元）', dataIndex: 'prepaid', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          {cmi.data ? <CmiCharts data={cmi.data} only={fixmedins_code} /> : null}
          {key.run_id ? (
            <Card title="病组费用与支付" size="small">
              <CostView run_id={key.run_id} by="group" fixmedins_code={fixmedins_code} title={`${name}：按病组费用与支付`} />
            </Card>
          ) : null}
          {key.run_id ? (
            <Card title="异常病例" size="small">
              <Outliers run_id={key.run_id} fixmedins_code={fixmedins_code} />
            </Card>
          ) : null}
        </Space>
      )}
    </PageContainer>
  );
}

export function DrgHospital() {
  return <HospitalPage pay_type="drg" />;
}
export function DipHospital() {
  return <HospitalPage pay_type="dip" />;
}
export default function PaymentHospital() {
  const { pathname } = useLocation();
  return <HospitalPage pay_type={pathname.startsWith('/payment/dip') ? 'dip' : 'drg'} />;
}
