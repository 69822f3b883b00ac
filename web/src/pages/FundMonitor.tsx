/**
 * 基金收支监测 (the agency's fund monitoring): for a year and the user's areas — or one area, 险种 and 基金 — the
 * year's income, expenditure and surplus, the 累计结存 and its 可支付月数 in the usual colour bands (below 6 months
 * red, 6–9 amber), monthly income vs expenditure with the balance, expenditure growth 同比 / 环比, the per-fund
 * table with CSV export, and the 预警 the server computed (可支付月数 < 6, 同比 growth above the threshold). Staff with
 * payment:write record monthly income and opening balances here (GET/POST /api/fund/*). Filters live in the URL.
 */
import { PlusOutlined, ReloadOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, type ApiError } from '../api';
import { useAuth } from '../auth';
import { ChartCard, downloadCsv } from '../components/ChartCard';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { fundChart, fundTableCsv, growthChart, INCOME_KIND_NAMES, latestMonth, reserveLevel, RESERVE_LEVEL, useFundOverview, type FundBalance, type FundFilters, type FundOverview, type FundWarning, type IncomeKind } from '../fund';
import { useAreas, useDict, type Areas, type Dict } from '../hooks';
import { yuan, yuanOrWan } from '../labels';
import { useListQuery } from '../list';

const KINDS = Object.keys(INCOME_KIND_NAMES) as IncomeKind[];
const MONTH_OPTIONS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1} 月` }));
const thisYear = () => dayjs().year();

function Kpi({ testid, title, value, hint, color, extra }: { testid: string; title: string; value: string; hint?: string; color?: string; extra?: ReactNode }) {
  return (
    <Card className="yb-stat-card" size="small" data-testid={testid} style={{ height: '100%' }}>
      <Statistic title={title} value={value} styles={color ? { content: { color } } : undefined} />
      {extra}
      {hint ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {hint}
        </Typography.Text>
      ) : null}
    </Card>
  );
}

/** The five headline figures of the year (through the latest month with flows). */
function Kpis({ o }: { o: FundOverview }) {
  const last = latestMonth(o);
  const reserve = last?.months_of_reserve ?? null;
  const level = reserveLevel(reserve, o.thresholds);
  const net = Number(o.totals.net);
  const through = o.through_month ? `1–${o.through_month} 月` : '本年';
  return (
    <Row gutter={[12, 12]} wrap>
      <Col flex="1 1 200px">
        <Kpi testid="fund-kpi-income" title="本年收入" value={yuanOrWan(o.totals.income)} hint={`征缴 ${yuanOrWan(o.totals.by_kind.clct_inc)}，财政补助 ${yuanOrWan(o.totals.by_kind.fin_subs_inc)}`} />
      </Col>
      <Col flex="1 1 200px">
        <Kpi
          testid="fund-kpi-expenditure"
          title="本年支出"
          value={yuanOrWan(o.totals.expenditure)}
          hint={o.totals.expenditure_yoy !== null ? `${through}同比 ${Number(o.totals.expenditure_yoy) > 0 ? '+' : ''}${o.totals.expenditure_yoy}%（上年同期 ${yuanOrWan(o.totals.expenditure_prev_year)}）` : '上年同期无支出，无法计算同比'}
        />
      </Col>
      <Col flex="1 1 200px">
        <Kpi testid="fund-kpi-net" title="当期结余" value={yuanOrWan(o.totals.net)} color={net < 0 ? RESERVE_LEVEL.red.color : undefined} hint={net < 0 ? '本年收不抵支' : '本年收入减支出'} />
      </Col>
      <Col flex="1 1 200px">
        <Kpi testid="fund-kpi-balance" title="累计结存" value={yuanOrWan(last?.balance ?? o.opening_balance)} hint={`年初结存 ${yuanOrWan(o.opening_balance)}${last ? `，截至 ${last.month} 月` : ''}`} />
      </Col>
      <Col flex="1 1 200px">
        <Kpi
          testid="fund-kpi-reserve"
          title="可支付月数"
          value={reserve === null ? '—' : `${reserve} 个月`}
          color={level ? RESERVE_LEVEL[level].color : undefined}
          extra={level ? <Tag color={RESERVE_LEVEL[level].tag}>{RESERVE_LEVEL[level].label}</Tag> : null}
          hint={`低于 ${o.thresholds.reserve_red_months} 个月预警，${o.thresholds.reserve_red_months}–${o.thresholds.reserve_amber_months} 个月关注；按近 12 个月月均支出`}
        />
      </Col>
    </Row>
  );
}

function Warnings({ o }: { o: FundOverview }) {
  const columns: TableColumnsType<FundWarning> = [
    { title: '月份', dataIndex: 'month', width: 90, render: (m: number) => `${o.year}-${String(m).padStart(2, '0')}` },
    {
      title: '级别',
      dataIndex: 'level',
      width: 90,
      render: (l: FundWarning['level']) => <Tag color={l === 'red' ? 'error' : 'warning'}>{l === 'red' ? '红色预警' : '黄色预警'}</Tag>,
    },
    { title: '类型', dataIndex: 'kind', width: 130, render: (k: FundWarning['kind']) => (k === 'reserve_low' ? '可支付月数不足' : '支出增长过快') },
    { title: '说明', dataIndex: 'message' },
  ];
  return (
    <Card size="small" title={`基金运行预警（${o.warnings.length} 条）`} data-testid="fund-warnings" extra={<Typography.Text type="secondary">支出同比增长阈值 {o.thresholds.growth_pct}%</Typography.Text>}>
      <Table<FundWarning>
        rowKey={(w) => `${w.month}-${w.kind}`}
        size="small"
        pagination={o.warnings.length > 6 ? { pageSize: 6, showSizeChanger: false } : false}
        dataSource={o.warnings}
        columns={columns}
        showHeader={o.warnings.length > 0}
        locale={{ emptyText: <Typography.Text type="secondary">所选期间没有预警</Typography.Text> }}
      />
    </Card>
  );
}

function FundTable({ o, insutype, fund }: { o: FundOverview; insutype: Dict; fund: Dict }) {
  const columns: TableColumnsType<FundBalance> = [
    { title: '险种', dataIndex: 'insutype', render: (v: string) => insutype.label(v) },
    { title: '基金', dataIndex: 'fund_pay_type', render: (v: string) => fund.label(v) },
    { title: '年初结存（元）', dataIndex: 'opening_balance', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
    { title: '本年收入（元）', dataIndex: 'income', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
    { title: '本年支出（元）', dataIndex: 'expenditure', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
    {
      title: '当期结余（元）',
      dataIndex: 'net',
      align: 'right',
      render: (v: string) => <span style={Number(v) < 0 ? { color: RESERVE_LEVEL.red.color } : undefined}>{yuan(v).replace('¥', '')}</span>,
    },
    { title: '期末结存（元）', dataIndex: 'balance', align: 'right', render: (v: string) => yuan(v).replace('¥', '') },
  ];
  const csv = fundTableCsv(o.by_fund, { insutype: (v) => insutype.label(v), fund: (v) => fund.label(v) });
  return (
    <Card
      size="small"
      title={`${o.year} 年分险种、分基金收支`}
      data-testid="fund-by-fund"
      extra={
        <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadCsv(csv, `基金收支监测-分险种基金-${o.year}.csv`)} aria-label="导出「分险种、分基金收支」数据">
          导出 CSV
        </Button>
      }
    >
      <Table<FundBalance>
        rowKey={(r) => `${r.insutype}|${r.fund_pay_type}`}
        size="small"
        pagination={false}
        dataSource={o.by_fund}
        columns={columns}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Typography.Text type="secondary">所选范围本年没有基金收支</Typography.Text> }}
        summary={() =>
          o.by_fund.length > 1 ? (
            // the scope's own figures (the server's sums), not a sum of the rounded cells
            <Table.Summary.Row className="yb-summary-row">
              <Table.Summary.Cell index={0} colSpan={2}>
                <Typography.Text strong>合计</Typography.Text>
              </Table.Summary.Cell>
              {[o.opening_balance, o.totals.income, o.totals.expenditure, o.totals.net, o.months[11]?.balance ?? o.opening_balance].map((v, i) => (
                <Table.Summary.Cell key={i} index={i + 2} align="right">
                  <Typography.Text strong>{yuan(v).replace('¥', '')}</Typography.Text>
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}

interface RecordDefaults {
  year: number;
  admdvs?: string | undefined;
  insutype?: string | undefined;
  fund_pay_type?: string | undefined;
}

type Mode = 'income' | 'opening';

/** 登记基金收入 / 登记年初结存: one dialog, the key fields shared, amounts as decimal strings (never floats). */
function RecordModal({ mode, defaults, areas, insutype, fund, onClose, onSaved }: { mode: Mode | null; defaults: RecordDefaults; areas: Areas; insutype: Dict; fund: Dict; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const open = mode !== null;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ ...defaults, admdvs: defaults.admdvs ?? (areas.options.length === 1 ? areas.options[0]!.value : undefined), month: mode === 'income' ? Math.min(12, dayjs().month() + 1) : undefined });
    // only when the dialog opens
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, mode]);

  const submit = async () => {
    let v: Record<string, unknown>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    const key = { admdvs: v.admdvs, insutype: v.insutype, fund_pay_type: v.fund_pay_type, year: v.year };
    try {
      if (mode === 'income') {
        const amounts = Object.fromEntries(KINDS.filter((k) => v[k] !== undefined && v[k] !== null && v[k] !== '').map((k) => [k, String(v[k])]));
        const memo = typeof v.memo === 'string' && v.memo.trim() ? { memo: v.memo.trim() } : {};
        const r = await api<{ total: string }>('/fund/income', { method: 'POST', body: { ...key, month: v.month, ...amounts, ...memo } });
        message.success(`已登记 ${String(v.year)} 年 ${String(v.month)} 月基金收入 ${yuan(r.total)}`);
      } else {
        const r = await api<{ open_balc: string }>('/fund/opening-balance', { method: 'POST', body: { ...key, open_balc: String(v.open_balc) } });
        message.success(`已登记 ${String(v.year)} 年年初结存 ${yuan(r.open_balc)}`);
      }
      onSaved();
    } catch (e) {
      const err = e as ApiError;
      const fields = ['admdvs', 'insutype', 'fund_pay_type', 'year', 'month', 'memo', 'open_balc', ...KINDS];
      const known = (err.problems ?? []).filter((p) => p.field && fields.includes(p.field));
      if (known.length) form.setFields(known.map((p) => ({ name: p.field!, errors: [p.message] })));
      else message.error(err.message);
    } finally {
      setSaving(false);
    }
  };

  // decimal strings, not floats; no `precision`, which would round 1.005 to 1.01 silently instead of refusing it
  const money = { stringMode: true, style: { width: '100%' } } as const;
  const moneyRule = { pattern: /^-?\d{1,14}(\.\d{1,2})?$/, message: '金额最多两位小数' };
  return (
    <Modal open={open} title={mode === 'opening' ? '登记年初结存' : '登记基金收入'} okText="保存" cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={saving} destroyOnHidden width={620}>
      <Form form={form} layout="vertical" name={mode === 'opening' ? 'fund-opening' : 'fund-income'} preserve={false}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item label="医保区划" name="admdvs" rules={[{ required: true, message: '请选择医保区划' }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={areas.options} placeholder="管辖范围内的区划" />
            </Form.Item>
          </Col>
          <Col span={mode === 'income' ? 6 : 12}>
            <Form.Item label="年度" name="year" rules={[{ required: true, message: '请填写年度' }]}>
              <InputNumber min={2000} max={2999} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {mode === 'income' ? (
            <Col span={6}>
              <Form.Item label="月份" name="month" rules={[{ required: true, message: '请选择月份' }]}>
                <Select options={MONTH_OPTIONS} />
              </Form.Item>
            </Col>
          ) : null}
          <Col span={12}>
            <Form.Item label="险种" name="insutype" rules={[{ required: true, message: '请选择险种' }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={insutype.options} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="基金" name="fund_pay_type" rules={[{ required: true, message: '请选择基金支付类型' }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={fund.options} />
            </Form.Item>
          </Col>
          {mode === 'income' ? (
            <>
              {KINDS.map((k) => (
                <Col span={12} key={k}>
                  <Form.Item label={`${INCOME_KIND_NAMES[k]}（元）`} name={k} rules={[moneyRule]}>
                    <InputNumber {...money} placeholder="0.00" />
                  </Form.Item>
                </Col>
              ))}
              <Col span={24}>
                <Form.Item label="备注" name="memo" extra="登记后不能修改；更正请再登记一笔（金额可为负数）">
                  <Input maxLength={200} showCount />
                </Form.Item>
              </Col>
            </>
          ) : (
            <Col span={12}>
              <Form.Item label="年初结存（元）" name="open_balc" rules={[{ required: true, message: '请填写年初结存' }, moneyRule]} extra="替换该基金该年度已登记的年初结存">
                <InputNumber {...money} />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Modal>
  );
}

export default function FundMonitor() {
  const lq = useListQuery();
  const { can } = useAuth();
  const areas = useAreas();
  const insutype = useDict('insutype');
  const fund = useDict('fund_pay_type');
  const v = lq.values;
  const year = /^\d{4}$/.test(v.year ?? '') ? Number(v.year) : thisYear();
  const filters: FundFilters = { admdvs: v.admdvs, insutype: v.insutype, fund_pay_type: v.fund_pay_type, growth_threshold: v.growth };
  const { data, error, loading, reload } = useFundOverview(year, true, filters);
  const [mode, setMode] = useState<Mode | null>(null);
  const charts = useMemo(() => (data ? { flow: fundChart(data), growth: growthChart(data) } : null), [data]);
  const write = can('payment:write');
  const scope = v.admdvs ? areas.name(v.admdvs) : '管辖范围';

  return (
    <PageContainer
      title="基金收支监测"
      description={`${scope}医保基金的收入、支出与结存，支出增速和可支付月数预警（年度 ${year}）`}
      extra={
        <Space wrap>
          {write ? (
            <>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode('income')}>
                登记基金收入
              </Button>
              <Button icon={<PlusOutlined />} onClick={() => setMode('opening')}>
                登记年初结存
              </Button>
            </>
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
            刷新
          </Button>
        </Space>
      }
    >
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size={[16, 8]}>
          <Space size={6}>
            <label htmlFor="fund-year" className="yb-inline-label">
              年度
            </label>
            <DatePicker
              id="fund-year"
              picker="year"
              allowClear={false}
              value={dayjs(`${year}-01-01`)}
              disabledDate={(d) => d.year() > thisYear() + 1 || d.year() < 2000}
              onChange={(d) => lq.update({ year: d && d.year() !== thisYear() ? d.year() : null })}
              style={{ width: 110 }}
            />
          </Space>
          <Space size={6}>
            <label htmlFor="fund-admdvs" className="yb-inline-label">
              医保区划
            </label>
            <Select id="fund-admdvs" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部管辖区划" value={v.admdvs} options={areas.options} onChange={(x?: string) => lq.update({ admdvs: x ?? null })} style={{ width: 200 }} />
          </Space>
          <Space size={6}>
            <label htmlFor="fund-insutype" className="yb-inline-label">
              险种
            </label>
            <Select id="fund-insutype" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部险种" value={v.insutype} options={insutype.options} onChange={(x?: string) => lq.update({ insutype: x ?? null })} style={{ width: 200 }} />
          </Space>
          <Space size={6}>
            <label htmlFor="fund-fund" className="yb-inline-label">
              基金
            </label>
            <Select id="fund-fund" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部基金" value={v.fund_pay_type} options={fund.options} onChange={(x?: string) => lq.update({ fund_pay_type: x ?? null })} style={{ width: 220 }} />
          </Space>
          <Space size={6}>
            <label htmlFor="fund-growth" className="yb-inline-label">
              支出同比预警阈值（%）
            </label>
            <InputNumber
              id="fund-growth"
              min={1}
              max={1000}
              precision={0}
              placeholder={String(data?.thresholds.growth_pct ?? 15)}
              value={v.growth ? Number(v.growth) : null}
              onChange={(x) => lq.update({ growth: x ?? null })}
              style={{ width: 90 }}
            />
          </Space>
        </Space>
      </Card>
      {error ? <ErrorResult error={error} onRetry={reload} /> : null}
      {!data || !charts ? (
        error ? null : <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {data.through_month === null ? <Alert type="info" showIcon title={`${year} 年所选范围还没有基金收入或支出`} /> : null}
          <Kpis o={data} />
          <Warnings o={data} />
          <Row gutter={[12, 12]}>
            <Col span={24}>
              <ChartCard
                title={`${year} 年基金收支`}
                unit="万元"
                option={charts.flow.option}
                csv={charts.flow.csv}
                label={`${year} 年每月基金收入（按征缴、财政补助、利息、其他）、基金支出和累计结存`}
                filename={`基金收支监测-基金收支-${year}`}
                empty={charts.flow.empty}
                height={300}
              />
            </Col>
            <Col span={24}>
              <ChartCard
                title={`${year} 年基金支出增长`}
                unit="万元、%"
                option={charts.growth.option}
                csv={charts.growth.csv}
                label={`${year} 年每月基金支出与上年同月对比，以及同比、环比增长率`}
                filename={`基金收支监测-支出增长-${year}`}
                empty={charts.growth.empty}
                height={300}
              />
            </Col>
          </Row>
          <FundTable o={data} insutype={insutype} fund={fund} />
        </Space>
      )}
      {write ? (
        <RecordModal
          mode={mode}
          defaults={{ year, admdvs: v.admdvs, insutype: v.insutype, fund_pay_type: v.fund_pay_type }}
          areas={areas}
          insutype={insutype}
          fund={fund}
          onClose={() => setMode(null)}
          onSaved={() => {
            setMode(null);
            reload();
          }}
        />
      ) : null}
    </PageContainer>
  );
}
