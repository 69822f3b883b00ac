/**
 * DRG 分组与付费 / DIP 病种分值: the point-value payment of a pooling region and year (/api/payment). One run (年度付费
 * 计算) is on screen at a time — the newest of the chosen region and year, or ?run= — with its figures, the
 * year-end statement per institution (点数、应得金额、患者负担、扣款、预拨、补付/追回), CMI and RW distribution by
 * hospital, cost vs payment per group and per hospital, and the outlier cases. 付费参数 shows the versions with
 * their history and saves a new one; 发起年度计算 starts a run as a job and follows it until done. A hospital's
 * name opens its own page (PaymentHospital).
 */
import { PlayCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Progress, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { ChartCard } from '../components/ChartCard';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas } from '../hooks';
import { formatInstant, toWan, yuan, yuanOrWan } from '../labels';
import { DATE, useListQuery } from '../list';
import { balanceKind, CASE_TYPE_COLOR, CASE_TYPE_NAMES, PAY_NAMES, useRunKey, type CmiAnswer, type CostRow, type ParamVersion, type PayCaseRow, type PayRun, type PayRunDetail, type PayStatement, type PayType } from '../payment';
import type { Job } from '../types';

const money = (title: string, key: string, width = 120) => ({ title: `${title}（元）`, dataIndex: key, width, align: 'right' as const, render: (v: string) => yuan(v).replace('¥', '') });

export function hospitalPath(pay_type: PayType, code: string, run_id: string): string {
  return `/payment/${pay_type}/hospitals/${code}?run=${run_id}`;
}

/** The run's figures in one row. */
export function RunFigures({ run }: { run: PayRunDetail | PayRun }) {
  const items: [string, string | number, string?][] = [
    ['付费病例', run.case_cnt, '例'],
    ['统筹基金池', toWan(run.pool), '万元'],
    ['年度预算', toWan(run.budget), '万元'],
    ['总点数', Number(run.points).toLocaleString('zh-CN', { maximumFractionDigits: 2 }), '点'],
    ['点值', Number(run.point_value).toFixed(4), '元/点'],
    ['违规扣款', toWan(run.penalty), '万元'],
  ];
  return (
    <Row gutter={[12, 12]}>
      {items.map(([t, v, s]) => (
        <Col key={t} xs={12} md={8} xl={4}>
          <Card size="small" className="yb-stat-card">
            <Statistic title={t} value={v} suffix={s} groupSeparator="," />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function Statements({ pay_type, run_id }: { pay_type: PayType; run_id: string }) {
  const { data, error, loading, reload } = useApi<{ point_value: string; list: PayStatement[] }>(`/payment/runs/${run_id}/statements`);
  const columns: TableColumnsType<PayStatement> = [
    { title: '定点医疗机构', dataIndex: 'fixmedins_name', fixed: 'left', width: 190, render: (v: string | null, r) => <Link to={hospitalPath(pay_type, r.fixmedins_code, run_id)}>{v ?? r.fixmedins_code}</Link> },
    { title: '等级系数', dataIndex: 'coef', width: 90, align: 'right' },
    { title: '病例数', dataIndex: 'case_cnt', width: 80, align: 'right' },
    { title: 'CMI', dataIndex: 'cmi', width: 80, align: 'right', render: (v: string | null) => v ?? '—' },
    { title: '点数', dataIndex: 'points', width: 110, align: 'right' },
    money('医疗总费用', 'medfee_sumamt', 130),
    money('应得金额', 'amount_due', 130),
    money('患者负担', 'psn_pay'),
    money('违规扣款', 'penalty', 110),
    money('基金应付', 'fund_due', 130),
    money('月度预拨', 'prepaid', 130),
    { title: '清算差额（元）', dataIndex: 'balance', width: 160, align: 'right', render: (v: string) => <Space size={4}><Tag color={balanceKind(v).color}>{balanceKind(v).label}</Tag>{yuan(Math.abs(Number(v))).replace('¥', '')}</Space> },
  ];
  if (error) return <ErrorResult error={error} onRetry={reload} />;
  const sum = (k: keyof PayStatement) => (data?.list ?? []).reduce((t, s) => t + Number(s[k]), 0);
  return (
    <Table<PayStatement>
      rowKey="fixmedins_code"
      columns={columns}
      dataSource={data?.list}
      loading={loading}
      size="middle"
      pagination={false}
      scroll={{ x: 1560 }}
      summary={() =>
        data?.list.length ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
            <Table.Summary.Cell index={1} />
            <Table.Summary.Cell index={2} align="right">{sum('case_cnt')}</Table.Summary.Cell>
            <Table.Summary.Cell index={3} />
            <Table.Summary.Cell index={4} align="right">{sum('points').toFixed(4)}</Table.Summary.Cell>
            {(['medfee_sumamt', 'amount_due', 'psn_pay', 'penalty', 'fund_due', 'prepaid', 'balance'] as const).map((k, i) => (
              <Table.Summary.Cell key={k} index={5 + i} align="right">
                {yuan(sum(k).toFixed(2)).replace('¥', '')}
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        ) : null
      }
    />
  );
}

/** CMI by hospital and the RW bands of their cases. */
export function CmiCharts({ data, only }: { data: CmiAnswer; only?: string }) {
  const hs = only ? data.hospitals.filter((h) => h.fixmedins_code === only) : data.hospitals;
  const names = hs.map((h) => h.fixmedins_name ?? h.fixmedins_code);
  const cmi = {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 64 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value', name: 'CMI' },
    series: [{ name: 'CMI', type: 'bar', data: hs.map((h) => Number(h.cmi ?? 0)), label: { show: true, position: 'top' } }],
  };
  const rw = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 64 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value', name: '病例数' },
    series: data.bands.map((b, i) => ({ name: `RW ${b}`, type: 'bar', stack: 'rw', data: hs.map((h) => h.rw_dist[i] ?? 0) })),
  };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={only ? 8 : 12}>
        <ChartCard
          title="病例组合指数（CMI）"
          unit="CMI"
          option={cmi}
          label={`各医院病例组合指数：${hs.map((h) => `${h.fixmedins_name ?? h.fixmedins_code} ${h.cmi ?? '—'}`).join('，')}`}
          filename="CMI-按医院"
          csv={{ header: ['机构编码', '机构名称', '病例数', '入组病例数', 'CMI'], rows: hs.map((h) => [h.fixmedins_code, h.fixmedins_name, h.case_cnt, h.grouped_cnt, h.cmi]) }}
          empty={!hs.length}
        />
      </Col>
      <Col xs={24} xl={only ? 16 : 12}>
        <ChartCard
          title="权重（RW）分布"
          unit="例"
          option={rw}
          label="各医院入组病例按权重区间的分布"
          filename="RW分布-按医院"
          csv={{ header: ['机构编码', '机构名称', ...data.bands.map((b) => `RW ${b}`)], rows: hs.map((h) => [h.fixmedins_code, h.fixmedins_name, ...h.rw_dist]) }}
          empty={!hs.length}
        />
      </Col>
    </Row>
  );
}

/** Cost vs payment per group or hospital: a chart in 万元 and the table in 元. */
export function CostView({ run_id, by, fixmedins_code, title }: { run_id: string; by: 'group' | 'hospital'; fixmedins_code?: string; title: string }) {
  const { data, error, loading, reload } = useApi<{ point_value: string; rows: CostRow[] }>(`/payment/runs/${run_id}/cost`, { by, fixmedins_code });
  const rows = useMemo(() => data?.rows ?? [], [data]);
  const option = useMemo(() => {
    const names = rows.map((r) => (by === 'group' ? r.code : (r.name ?? r.code)));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 40, bottom: 56 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', name: '万元' },
      series: [
        { name: '医疗总费用', type: 'bar', data: rows.map((r) => toWan(r.medfee_sumamt)) },
        { name: '按点值支付', type: 'bar', data: rows.map((r) => toWan(r.payment)) },
        { name: '支付标准', type: 'line', data: rows.map((r) => toWan(r.std_amt)) },
      ],
    };
  }, [rows, by]);
  if (error) return <ErrorResult error={error} onRetry={reload} />;
  const columns: TableColumnsType<CostRow> = [
    { title: by === 'group' ? '病组' : '定点医疗机构', dataIndex: 'code', width: by === 'group' ? 320 : 220, render: (v: string, r) => (by === 'group' ? <span><span className="yb-mono">{v}</span> {r.name ?? (v === '0000' ? '未入组' : '')}</span> : (r.name ?? v)) },
    { title: '病例数', dataIndex: 'case_cnt', width: 80, align: 'right' },
    { title: '点数', dataIndex: 'points', width: 110, align: 'right' },
    money('医疗总费用', 'medfee_sumamt', 130),
    money('支付标准', 'std_amt', 130),
    money('按点值支付', 'payment', 130),
    { title: '支付 − 费用（元）', key: 'diff', width: 140, align: 'right', render: (_: unknown, r) => { const d = Number(r.payment) - Number(r.medfee_sumamt); return <Typography.Text type={d < 0 ? 'danger' : 'success'}>{yuan(d.toFixed(2)).replace('¥', '')}</Typography.Text>; } },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ChartCard
        title={title}
        unit="万元"
        option={option}
        label={`${title}：医疗总费用、按点值支付和支付标准`}
        filename={title}
        csv={{ header: [by === 'group' ? '病组' : '机构编码', '名称', '病例数', '点数', '医疗总费用（元）', '支付标准（元）', '按点值支付（元）'], rows: rows.map((r) => [r.code, r.name, r.case_cnt, r.points, r.medfee_sumamt, r.std_amt, r.payment]) }}
        empty={!loading && !rows.length}
      />
      <Table<CostRow> rowKey="code" columns={columns} dataSource={rows} loading={loading} size="small" pagination={rows.length > 20 ? { pageSize: 20 } : false} scroll={{ x: 960 }} />
    </Space>
  );
}

/** Outlier cases (高倍率、低倍率、特例单议、未入组) of a run, optionally of one hospital. */
export function Outliers({ run_id, fixmedins_code }: { run_id: string; fixmedins_code?: string }) {
  const [caseType, setCaseType] = useState<string | undefined>();
  const [pg, setPg] = useState({ page_num: 1, page_size: 10 });
  const { data, error, loading, reload } = useApi<{ total: number; rows: PayCaseRow[] }>(`/payment/runs/${run_id}/outliers`, { case_type: caseType, fixmedins_code, ...pg });
  if (error) return <ErrorResult error={error} onRetry={reload} />;
  const columns: TableColumnsType<PayCaseRow> = [
    { title: '病例', dataIndex: 'case_id', width: 190, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '类型', dataIndex: 'case_type', width: 100, render: (v: string) => <Tag color={CASE_TYPE_COLOR[v]}>{CASE_TYPE_NAMES[v as keyof typeof CASE_TYPE_NAMES] ?? v}</Tag> },
    { title: '病组', dataIndex: 'grp_code', width: 220, render: (v: string, r) => <span><span className="yb-mono">{v}</span> {r.grp_name ?? ''}</span> },
    { title: '月份', dataIndex: 'setl_month', width: 60, align: 'right' },
    money('医疗总费用', 'medfee_sumamt'),
    money('组均费用', 'mean_cost'),
    { title: '基准点数', dataIndex: 'base_points', width: 90, align: 'right' },
    { title: '点数', dataIndex: 'points', width: 90, align: 'right' },
    { title: '计算说明', dataIndex: 'reason', ellipsis: true },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <label htmlFor="case-type" className="yb-inline-label">病例类型</label>
        <Select
          id="case-type"
          allowClear
          placeholder="全部异常病例"
          value={caseType}
          onChange={(v: string | undefined) => {
            setCaseType(v);
            setPg((p) => ({ ...p, page_num: 1 }));
          }}
          style={{ width: 180 }}
          options={(['high', 'low', 'special', 'ungrouped'] as const).map((k) => ({ value: k, label: CASE_TYPE_NAMES[k] }))}
        />
      </Space>
      <Table<PayCaseRow>
        rowKey="case_id"
        columns={columns}
        dataSource={data?.rows}
        loading={loading}
        size="small"
        scroll={{ x: 1300 }}
        pagination={{ current: pg.page_num, pageSize: pg.page_size, total: data?.total ?? 0, showTotal: (t) => `共 ${t} 例`, onChange: (page_num, page_size) => setPg({ page_num, page_size }) }}
      />
    </Space>
  );
}

/** Parameters of the region and year: the versions with their dates (history) and a new version from a date. */
function Params({ pay_type, admdvs, year, onSaved }: { pay_type: PayType; admdvs: string; year: number; onSaved: () => void }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useApi<{ versions: ParamVersion[]; in_force: ParamVersion | null }>('/payment/params', { admdvs, pay_type, setl_year: year });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  if (error && !(error instanceof ApiError && error.status === 404)) return <ErrorResult error={error} onRetry={reload} />;
  const versions = [...(data?.versions ?? [])].reverse();
  const cur = data?.in_force ?? versions[0];
  const save = async (v: { begndate: Dayjs; budget: number; base_rate: number; params: string }) => {
    let params: Record<string, unknown> = {};
    try {
      params = v.params?.trim() ? (JSON.parse(v.params) as Record<string, unknown>) : {};
    } catch {
      form.setFields([{ name: 'params', errors: ['不是有效的 JSON'] }]);
      return;
    }
    try {
      await api('/payment/params', { method: 'PUT', body: { admdvs, pay_type, setl_year: year, begndate: v.begndate.format(DATE), budget: v.budget.toFixed(2), base_rate: v.base_rate.toFixed(2), params } });
      message.success('付费参数已保存，新版本自生效日期起适用');
      setOpen(false);
      reload();
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={`${year} 年度 ${PAY_NAMES[pay_type]} 付费参数（现行版本）`}
        extra={
          can('payment:write') ? (
            <Button
              onClick={() => {
                form.setFieldsValue({ begndate: dayjs(), budget: cur ? Number(cur.budget) : undefined, base_rate: cur ? Number(cur.base_rate) : undefined, params: JSON.stringify(cur?.params ?? {}, null, 2) });
                setOpen(true);
              }}
            >
              新增参数版本
            </Button>
          ) : null
        }
      >
        {cur ? (
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: 'b', label: '年度预算', children: yuanOrWan(cur.budget) },
              { key: 'r', label: '基础费率', children: `${yuan(cur.base_rate)} / RW` },
              { key: 'd', label: '有效期', children: `${cur.begndate} 至 ${cur.enddate ?? '长期'}` },
              { key: 'p', label: '其他参数', span: 3, children: <pre className="yb-json">{JSON.stringify(cur.params, null, 2)}</pre> },
            ]}
          />
        ) : (
          <Typography.Text type="secondary">{loading ? '加载中…' : '该区划和年度尚未设置付费参数'}</Typography.Text>
        )}
      </Card>
      <Card size="small" title="参数历史">
        <Table<ParamVersion>
          rowKey="begndate"
          size="small"
          pagination={false}
          loading={loading}
          dataSource={versions}
          columns={[
            { title: '生效日期', dataIndex: 'begndate', width: 110 },
            { title: '失效日期', dataIndex: 'enddate', width: 110, render: (v: string | null) => v ?? '长期' },
            { title: '年度预算（元）', dataIndex: 'budget', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
            { title: '基础费率（元/RW）', dataIndex: 'base_rate', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
            { title: '其他参数', dataIndex: 'params', ellipsis: true, render: (v: unknown) => <span className="yb-mono">{JSON.stringify(v)}</span> },
            { title: '操作人', dataIndex: 'opter_name', width: 120 },
            { title: '保存时间', dataIndex: 'crte_time', width: 150, render: (v: string) => formatInstant(v) },
          ]}
        />
      </Card>
      <Modal open={open} title="新增付费参数版本" okText="保存" cancelText="取消" onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden width={560}>
        <Form form={form} layout="vertical" name="pay-params" onFinish={save}>
          <Form.Item label="生效日期" name="begndate" rules={[{ required: true, message: '请选择生效日期' }]} extra="前一版本在此日期前一天失效，历史版本保留">
            <DatePicker format={DATE} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="年度预算（元）" name="budget" rules={[{ required: true, message: '请填写年度预算' }]}>
            <InputNumber min={0} precision={2} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item label="基础费率（元/RW）" name="base_rate" rules={[{ required: true, message: '请填写基础费率' }]}>
            <InputNumber min={0} precision={2} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item label="其他参数（JSON）" name="params" extra="如 high_ratio、low_ratio、level_coef、prepay_ratio；未填的取默认值（见 docs/payment.md）">
            <Input.TextArea rows={6} className="yb-mono" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** Starts a year run and follows its job until it ends. */
function RunFollower({ job_id, onDone }: { job_id: string; onDone: (run_id: string | null) => void }) {
  const { data, reload } = useApi<Job>(`/payment/jobs/${job_id}`);
  const active = !data || data.status === 'running' || data.status === 'queued';
  useEffect(() => {
    if (!active) return;
    const t = setInterval(reload, 1_000);
    return () => clearInterval(t);
  }, [active, reload]);
  useEffect(() => {
    if (data && !active) onDone(data.status === 'done' ? ((data.result as { run_id?: string } | null)?.run_id ?? null) : null);
    // once, when the job ends
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);
  const pct = data?.status === 'done' ? 100 : data?.ratio != null ? Math.floor(data.ratio * 100) : 0;
  return (
    <Alert
      type={data?.status === 'failed' ? 'error' : data?.status === 'done' ? 'success' : 'info'}
      showIcon
      title={`年度付费计算 任务 ${job_id}：${data ? { queued: '排队中', running: '运行中', done: '已完成', failed: '失败', interrupted: '已中断' }[data.status] : '正在启动'}`}
      description={
        <div aria-live="polite">
          <Typography.Text>{data?.stage ?? ''}</Typography.Text>
          {data?.err_msg ? <Typography.Paragraph type="danger">{data.err_msg}</Typography.Paragraph> : null}
          <Progress percent={pct} status={data?.status === 'failed' ? 'exception' : data?.status === 'done' ? 'success' : 'active'} aria-label={`计算进度 ${pct}%`} />
        </div>
      }
    />
  );
}

function PaymentPage({ pay_type }: { pay_type: PayType }) {
  const lq = useListQuery();
  const { can } = useAuth();
  const { message } = App.useApp();
  const areas = useAreas();
  const key = useRunKey(lq, pay_type);
  const run = useApi<PayRunDetail>(key.run_id ? `/payment/runs/${key.run_id}` : null);
  const cmi = useApi<CmiAnswer>(key.run_id ? `/payment/runs/${key.run_id}/cmi` : null);
  const [job, setJob] = useState<string | null>(null);
  const [form] = Form.useForm();
  const tab = lq.values.tab ?? 'stmt';
  const admdvs = key.admdvs ?? areas.options[0]?.value ?? null;
  const year = key.year ?? dayjs().year();

  useEffect(() => {
    form.setFieldsValue({ admdvs: admdvs ?? undefined, year });
  }, [form, admdvs, year]);

  const start = async () => {
    if (!admdvs) return;
    try {
      const r = await api<{ job_id: string }>('/payment/runs', { method: 'POST', body: { admdvs, pay_type, setl_year: year } });
      setJob(r.job_id);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const runs = key.runs.data?.list ?? [];
  const title = pay_type === 'drg' ? 'DRG 分组与付费' : 'DIP 病种分值';

  return (
    <PageContainer
      title={title}
      description={`按${pay_type === 'drg' ? ' CHS-DRG 分组' : '病种分值'}的点数法付费：区域总额预算、按月预拨、年度清算`}
      extra={
        can('payment:write') ? (
          <Button type="primary" icon={<PlayCircleOutlined />} onClick={start} disabled={!admdvs || Boolean(job)}>
            发起 {year} 年度计算
          </Button>
        ) : null
      }
    >
      <Card className="yb-filter">
        <Form
          form={form}
          layout="inline"
          name="payment-key"
          onFinish={(v: { admdvs?: string; year?: number }) => lq.update({ admdvs: v.admdvs ?? null, year: v.year ?? null, run: null })}
        >
          <Form.Item label="统筹区" name="admdvs">
            <Select showSearch={{ optionFilterProp: 'label' }} options={areas.options} style={{ width: 220 }} placeholder="选择统筹区" />
          </Form.Item>
          <Form.Item label="年度" name="year">
            <InputNumber min={2000} max={2999} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
          </Form.Item>
          <Form.Item label="计算批次">
            <Select
              aria-label="计算批次"
              style={{ width: 330 }}
              value={key.run_id ?? undefined}
              placeholder="该年度尚无计算结果"
              onChange={(v: string) => lq.update({ run: v }, true)}
              options={runs.map((r, i) => ({ value: r.run_id, label: `${r.run_id}${i === 0 ? '（最新）' : ''}` }))}
            />
          </Form.Item>
        </Form>
      </Card>
      {job ? (
        <div style={{ marginBottom: 16 }}>
          <RunFollower
            job_id={job}
            onDone={(run_id) => {
              key.runs.reload();
              if (run_id) {
                message.success('年度付费计算已完成');
                lq.update({ run: run_id }, true);
              }
              setTimeout(() => setJob(null), 4_000);
            }}
          />
        </div>
      ) : null}
      {key.runs.error ? <ErrorResult error={key.runs.error} onRetry={key.runs.reload} /> : null}
      {run.data?.warnings?.length ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="计算提示" description={run.data.warnings.join('；')} /> : null}
      {run.data ? (
        <div style={{ marginBottom: 16 }}>
          <RunFigures run={run.data} />
        </div>
      ) : null}
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(t) => lq.update({ tab: t === 'stmt' ? null : t }, true)}
          items={[
            { key: 'stmt', label: '年度结算单', children: key.run_id ? <Statements pay_type={pay_type} run_id={key.run_id} /> : <NoRun /> },
            { key: 'cmi', label: 'CMI 与权重分布', children: cmi.data ? <CmiCharts data={cmi.data} /> : cmi.error ? <ErrorResult error={cmi.error} /> : <NoRun loading={Boolean(key.run_id)} /> },
            { key: 'group', label: '病组费用与支付', children: key.run_id ? <CostView run_id={key.run_id} by="group" title="按病组：费用与支付" /> : <NoRun /> },
            { key: 'hosp', label: '医院费用与支付', children: key.run_id ? <CostView run_id={key.run_id} by="hospital" title="按医院：费用与支付" /> : <NoRun /> },
            { key: 'outliers', label: '异常病例', children: key.run_id ? <Outliers run_id={key.run_id} /> : <NoRun /> },
            { key: 'params', label: '付费参数', children: admdvs ? <Params pay_type={pay_type} admdvs={admdvs} year={year} onSaved={() => undefined} /> : null },
            {
              key: 'runs',
              label: '计算记录',
              children: (
                <Table<PayRun>
                  rowKey="run_id"
                  size="small"
                  dataSource={runs}
                  loading={key.runs.loading}
                  pagination={false}
                  scroll={{ x: 1100 }}
                  columns={[
                    { title: '计算批次', dataIndex: 'run_id', render: (v: string) => <Button type="link" size="small" className="yb-mono" onClick={() => lq.update({ run: v, tab: null }, true)}>{v}</Button> },
                    { title: '统筹区', dataIndex: 'admdvs', render: (v: string) => areas.name(v) },
                    { title: '年度', dataIndex: 'setl_year', width: 70 },
                    { title: '病例数', dataIndex: 'case_cnt', width: 80, align: 'right' },
                    { title: '基金池（万元）', dataIndex: 'pool', align: 'right', render: (v: string) => toWan(v).toFixed(2) },
                    { title: '点值（元/点）', dataIndex: 'point_value', align: 'right' },
                    { title: '操作人', dataIndex: 'opter_name' },
                    { title: '计算时间', dataIndex: 'crte_time', render: (v: string) => formatInstant(v) },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}

function NoRun({ loading }: { loading?: boolean }) {
  return <Typography.Paragraph type="secondary" style={{ padding: 24 }}>{loading ? '加载中…' : '该统筹区和年度还没有付费计算结果：请先设置「付费参数」，再「发起年度计算」。'}</Typography.Paragraph>;
}

export function DrgPage() {
  return <PaymentPage pay_type="drg" />;
}
export function DipPage() {
  return <PaymentPage pay_type="dip" />;
}
export default DrgPage;
