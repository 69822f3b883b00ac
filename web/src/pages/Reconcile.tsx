/**
 * 对账与清算 (/settlement/reconcile), two tabs (?tab=clearing):
 *  - 对账记录: every 3201 对总账 / 3202 对明细账 run institutions made, filtered by institution, transaction, result
 *    (一致 / 不一致) and date; a run (?stmt=…) opens with both sides' figures and their differences and, for 3202,
 *    the differing settlements (中心无 / 机构无 / 金额不符), each linking to 结算详情 where the centre has it.
 *  - 月度清算: per institution and month of a year what the agency is to transfer (应拨付) — the fund ledger's pooled
 *    funds and personal account, net of reversals — with settlement counts, the split per fund, and the DRG/DIP
 *    monthly pre-payment of the latest year run where one exists (shown for reference, linked to the hospital's
 *    DRG/DIP page).
 */
import { Card, Col, DatePicker, Descriptions, Drawer, Form, Input, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Page } from '../api';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi, useDict } from '../hooks';
import { yuan } from '../labels';
import { DATE, useListQuery, useSyncForm } from '../list';

interface RunRow {
  stmt_id: string;
  infno: '3201' | '3202';
  fixmedins_code: string;
  fixmedins_name: string | null;
  opter_name: string;
  insutype: string | null;
  clr_type: string | null;
  setl_optins: string;
  stmt_begndate: string;
  stmt_enddate: string;
  refd_setl_flag: '0' | '1';
  medins_medfee_sumamt: string;
  medfee_sumamt: string;
  medins_setl_cnt: number;
  setl_cnt: number;
  dif_cnt: number;
  stmt_rslt: '0' | '1';
  stmt_rslt_dscr: string;
  crte_time: string;
}

interface Figure {
  key: string;
  name: string;
  medins: string | number | null;
  centre: string | number;
  diff: string | number | null;
  money: boolean;
}

interface RunDetail {
  run: RunRow & { msgid: string; file_qury_no: string | null; rslt_file_qury_no: string | null; file_row_cnt: number | null };
  figures: Figure[];
  dif_by_type: Record<'1' | '2' | '3', number>;
}

interface DifRow {
  seq: number;
  dif_type: '1' | '2' | '3';
  setl_id: string;
  mdtrt_id: string | null;
  psn_no: string | null;
  refd_setl_flag: string | null;
  medins_medfee_sumamt: string | null;
  medins_fund_pay_sumamt: string | null;
  medins_acct_pay: string | null;
  medfee_sumamt: string | null;
  fund_pay_sumamt: string | null;
  acct_pay: string | null;
  memo: string;
}

interface ClearingRow {
  fixmedins_code: string;
  fixmedins_name: string | null;
  month: number;
  setl_cnt: number;
  rev_cnt: number;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  clr_amt: string;
  by_fund: Record<string, string>;
  prepay: { pay_type: 'drg' | 'dip'; run_id: string; amount_due: string; prepaid: string }[];
}

interface Clearing extends Page<ClearingRow> {
  year: number;
  totals: { setl_cnt: number; rev_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string; clr_amt: string };
}

const INFNO: Record<string, string> = { '3201': '对总账', '3202': '对明细账' };
const DIF_TYPE: Record<string, { label: string; color: string }> = {
  '1': { label: '中心无此结算', color: 'red' },
  '2': { label: '机构无此结算', color: 'orange' },
  '3': { label: '金额或标志不符', color: 'purple' },
};
const RUN_FILTERS = ['fixmedins_code', 'infno', 'stmt_rslt'] as const;
const CLR_FILTERS = ['year', 'month', 'fixmedins_code'] as const;

function Result({ rslt }: { rslt: '0' | '1' }) {
  return rslt === '0' ? <Tag color="success">一致</Tag> : <Tag color="error">不一致</Tag>;
}

const showFigure = (f: Figure, v: string | number | null) => (v === null ? <Typography.Text type="secondary">未上传</Typography.Text> : f.money ? yuan(v) : `${v} 笔`);

function RunDrawer({ stmt_id, onClose }: { stmt_id: string; onClose: () => void }) {
  const { data, error, reload } = useApi<RunDetail>(`/reconcile/runs/${encodeURIComponent(stmt_id)}`);
  const [difType, setDifType] = useState<string | undefined>();
  const [difPage, setDifPage] = useState(1);
  const isDetail = data?.run.infno === '3202';
  const difs = useApi<Page<DifRow>>(isDetail && data.run.dif_cnt ? `/reconcile/runs/${encodeURIComponent(stmt_id)}/difs` : null, { dif_type: difType, page_num: difPage, page_size: 10 });
  const insutype = useDict('insutype');
  const clrType = useDict('clr_type');
  const r = data?.run;
  return (
    <Drawer open title={`对账记录 ${stmt_id}`} size={900} onClose={onClose} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !data || !r ? null : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              { key: 'infno', label: '交易', children: `${r.infno} ${INFNO[r.infno]}` },
              { key: 'rslt', label: '对账结果', children: <Result rslt={r.stmt_rslt} /> },
              { key: 'inst', label: '定点机构', span: 2, children: `${r.fixmedins_name ?? ''}（${r.fixmedins_code}）` },
              { key: 'period', label: '对账期间', children: `${r.stmt_begndate} 至 ${r.stmt_enddate}` },
              { key: 'optins', label: '结算经办机构', children: r.setl_optins },
              { key: 'insutype', label: '险种', children: r.insutype ? insutype.label(r.insutype) : '全部' },
              { key: 'clr', label: '清算类别', children: r.clr_type ? clrType.label(r.clr_type) : '全部' },
              { key: 'refd', label: '含撤销结算', children: r.refd_setl_flag === '1' ? '是（撤销记录各计一笔）' : '否（仅结算记录）' },
              { key: 'opter', label: '经办人 / 时间', children: `${r.opter_name} / ${r.crte_time.slice(0, 16)}` },
              ...(r.infno === '3202'
                ? [
                    { key: 'file', label: '明细文件', children: <span className="yb-mono">{`${r.file_qury_no ?? '—'}（${r.file_row_cnt ?? 0} 行）`}</span> },
                    { key: 'rfile', label: '结果文件', children: <span className="yb-mono">{r.rslt_file_qury_no ?? '—'}</span> },
                  ]
                : []),
              { key: 'dscr', label: '结果说明', span: 2, children: r.stmt_rslt_dscr },
            ]}
          />
          <Card size="small" title="双方数据">
            <Table<Figure>
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={data.figures}
              columns={[
                { title: '项目', dataIndex: 'name', width: 140 },
                { title: '机构上传', key: 'medins', align: 'right', render: (_: unknown, f) => showFigure(f, f.medins) },
                { title: '中心计算', key: 'centre', align: 'right', render: (_: unknown, f) => showFigure(f, f.centre) },
                {
                  title: '差额（机构 − 中心）',
                  key: 'diff',
                  align: 'right',
                  render: (_: unknown, f) => (f.diff === null ? '—' : Number(f.diff) === 0 ? <Typography.Text type="secondary">0</Typography.Text> : <Typography.Text type="danger">{f.money ? yuan(f.diff) : `${f.diff} 笔`}</Typography.Text>),
                },
              ]}
            />
          </Card>
          {isDetail ? (
            <Card
              size="small"
              title={`明细差异（${r.dif_cnt} 笔：中心无 ${data.dif_by_type['1']}、机构无 ${data.dif_by_type['2']}、金额不符 ${data.dif_by_type['3']}）`}
              extra={
                <Select
                  allowClear
                  placeholder="全部类型"
                  value={difType}
                  onChange={(v?: string) => {
                    setDifType(v);
                    setDifPage(1);
                  }}
                  options={Object.entries(DIF_TYPE).map(([value, t]) => ({ value, label: t.label }))}
                  style={{ width: 150 }}
                />
              }
            >
              {difs.error ? (
                <ErrorResult error={difs.error} onRetry={difs.reload} />
              ) : (
                <Table<DifRow>
                  rowKey="seq"
                  size="small"
                  loading={difs.loading}
                  dataSource={r.dif_cnt ? difs.data?.list : []}
                  pagination={{ current: difPage, pageSize: 10, total: difs.data?.total ?? 0, onChange: setDifPage, showSizeChanger: false }}
                  locale={{ emptyText: '明细一致，没有差异' }}
                  scroll={{ x: 900 }}
                  columns={[
                    { title: '差异类型', dataIndex: 'dif_type', width: 120, render: (v: string) => <Tag color={DIF_TYPE[v]?.color}>{DIF_TYPE[v]?.label ?? v}</Tag> },
                    { title: '结算ID', dataIndex: 'setl_id', width: 220, render: (v: string, d) => (d.dif_type === '1' ? <span className="yb-mono">{v}</span> : <Link to={`/settlement/records/${v}`} className="yb-mono">{v}</Link>) },
                    { title: '机构 医疗费', dataIndex: 'medins_medfee_sumamt', width: 110, align: 'right', render: (v: string | null) => yuan(v) },
                    { title: '中心 医疗费', dataIndex: 'medfee_sumamt', width: 110, align: 'right', render: (v: string | null) => yuan(v) },
                    { title: '机构 基金', dataIndex: 'medins_fund_pay_sumamt', width: 100, align: 'right', render: (v: string | null) => yuan(v) },
                    { title: '中心 基金', dataIndex: 'fund_pay_sumamt', width: 100, align: 'right', render: (v: string | null) => yuan(v) },
                    { title: '说明', dataIndex: 'memo', ellipsis: true },
                  ]}
                />
              )}
            </Card>
          ) : null}
        </Space>
      )}
    </Drawer>
  );
}

function RunsTab({ institutionUser }: { institutionUser: boolean }) {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, RUN_FILTERS);
  const { data, error, loading, reload } = useApi<Page<RunRow>>('/reconcile/runs', lq.apiQuery([...RUN_FILTERS, 'begndate', 'enddate']));
  const range = lq.values.begndate || lq.values.enddate ? [lq.values.begndate ? dayjs(lq.values.begndate, DATE) : null, lq.values.enddate ? dayjs(lq.values.enddate, DATE) : null] : undefined;
  const columns: TableColumnsType<RunRow> = [
    {
      title: '对账ID',
      dataIndex: 'stmt_id',
      width: 220,
      render: (v: string) => (
        <Typography.Link className="yb-mono" onClick={() => lq.update({ stmt: v }, true)}>
          {v}
        </Typography.Link>
      ),
    },
    { title: '对账时间', dataIndex: 'crte_time', width: 140, render: (v: string) => v.slice(0, 16) },
    { title: '交易', dataIndex: 'infno', width: 110, render: (v: string) => `${v} ${INFNO[v] ?? ''}` },
    { title: '定点机构', dataIndex: 'fixmedins_name', ellipsis: true, render: (v: string | null, r) => v ?? r.fixmedins_code },
    { title: '对账期间', key: 'period', width: 200, render: (_: unknown, r) => `${r.stmt_begndate} 至 ${r.stmt_enddate}` },
    { title: '机构医疗费', dataIndex: 'medins_medfee_sumamt', width: 120, align: 'right', render: (v: string) => yuan(v) },
    { title: '中心医疗费', dataIndex: 'medfee_sumamt', width: 120, align: 'right', render: (v: string) => yuan(v) },
    { title: '笔数（机构/中心）', key: 'cnt', width: 130, align: 'right', render: (_: unknown, r) => `${r.medins_setl_cnt} / ${r.setl_cnt}` },
    { title: '明细差异', dataIndex: 'dif_cnt', width: 90, align: 'right', render: (v: number, r) => (r.infno === '3202' ? v : '—') },
    { title: '结果', dataIndex: 'stmt_rslt', width: 80, render: (v: '0' | '1') => <Result rslt={v} /> },
    { title: '经办人', dataIndex: 'opter_name', width: 100 },
  ];
  return (
    <>
      <Form
        form={form}
        name="reconcile-search"
        layout="inline"
        className="yb-filter"
        initialValues={{ range }}
        onFinish={(v: Record<string, unknown>) => {
          const r = v.range as [Dayjs | null, Dayjs | null] | undefined;
          const patch: Record<string, string | null> = {};
          for (const k of RUN_FILTERS) patch[k] = typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : null;
          patch.begndate = r?.[0] ? r[0].format(DATE) : null;
          patch.enddate = r?.[1] ? r[1].format(DATE) : null;
          lq.update(patch);
        }}
      >
        {institutionUser ? null : (
          <Form.Item label="定点机构编号" name="fixmedins_code">
            <Input allowClear placeholder="如 H99010200001" style={{ width: 170 }} />
          </Form.Item>
        )}
        <Form.Item label="交易" name="infno">
          <Select allowClear placeholder="全部" options={Object.entries(INFNO).map(([value, label]) => ({ value, label: `${label}（${value}）` }))} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label="结果" name="stmt_rslt">
          <Select
            allowClear
            placeholder="全部"
            options={[
              { value: '0', label: '一致' },
              { value: '1', label: '不一致' },
            ]}
            style={{ width: 110 }}
          />
        </Form.Item>
        <Form.Item label="对账日期" name="range">
          <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} style={{ width: 250 }} />
        </Form.Item>
        <SearchButtons
          onReset={() => {
            form.resetFields();
            form.setFieldsValue({ range: undefined });
            lq.update(Object.fromEntries([...RUN_FILTERS, 'begndate', 'enddate', 'size'].map((k) => [k, null])));
          }}
        />
      </Form>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : (
        <Table<RunRow>
          rowKey="stmt_id"
          columns={columns}
          dataSource={data?.list}
          loading={loading}
          pagination={lq.pagination(data?.total)}
          size="middle"
          scroll={{ x: 1500 }}
          locale={{ emptyText: <Typography.Text type="secondary">没有符合条件的对账记录</Typography.Text> }}
        />
      )}
      {lq.values.stmt ? <RunDrawer stmt_id={lq.values.stmt} onClose={() => lq.update({ stmt: null }, true)} /> : null}
    </>
  );
}

function ClearingTab({ institutionUser }: { institutionUser: boolean }) {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, CLR_FILTERS);
  const fundType = useDict('fund_pay_type');
  const thisYear = dayjs().year();
  const { data, error, loading, reload } = useApi<Clearing>('/reconcile/clearing', lq.apiQuery(CLR_FILTERS));
  const t = data?.totals;
  const columns: TableColumnsType<ClearingRow> = [
    { title: '月份', dataIndex: 'month', width: 90, render: (m: number) => `${data?.year ?? ''}-${String(m).padStart(2, '0')}` },
    { title: '定点机构', dataIndex: 'fixmedins_name', ellipsis: true, render: (v: string | null, r) => `${v ?? ''}（${r.fixmedins_code}）` },
    { title: '结算笔数', dataIndex: 'setl_cnt', width: 90, align: 'right' },
    { title: '撤销笔数', dataIndex: 'rev_cnt', width: 90, align: 'right' },
    { title: '医疗费用（净额）', dataIndex: 'medfee_sumamt', width: 140, align: 'right', render: (v: string) => yuan(v) },
    { title: '统筹等基金支付', dataIndex: 'fund_pay_sumamt', width: 140, align: 'right', render: (v: string) => yuan(v) },
    { title: '个人账户支付', dataIndex: 'acct_pay', width: 120, align: 'right', render: (v: string) => yuan(v) },
    { title: '应拨付', dataIndex: 'clr_amt', width: 130, align: 'right', render: (v: string) => <strong>{yuan(v)}</strong> },
    {
      title: 'DRG/DIP 月度预付',
      key: 'prepay',
      width: 180,
      render: (_: unknown, r) =>
        r.prepay.length ? (
          <Space orientation="vertical" size={0}>
            {r.prepay.map((p) => (
              <Link key={p.run_id} to={`/payment/${p.pay_type}/hospitals/${r.fixmedins_code}`}>{`${p.pay_type.toUpperCase()} ${yuan(p.prepaid)}`}</Link>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];
  return (
    <>
      <Form
        form={form}
        name="clearing-search"
        layout="inline"
        className="yb-filter"
        onFinish={(v: Record<string, unknown>) => lq.update(Object.fromEntries(CLR_FILTERS.map((k) => [k, v[k] === undefined || v[k] === null || v[k] === '' ? null : String(v[k]).trim() || null])))}
      >
        <Form.Item label="年度" name="year">
          <Select placeholder={String(thisYear)} allowClear options={Array.from({ length: 6 }, (_, i) => ({ value: String(thisYear - i), label: `${thisYear - i} 年` }))} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item label="月份" name="month">
          <Select placeholder="全年" allowClear options={Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: `${i + 1} 月` }))} style={{ width: 100 }} />
        </Form.Item>
        {institutionUser ? null : (
          <Form.Item label="定点机构编号" name="fixmedins_code">
            <Input allowClear placeholder="如 H99010200001" style={{ width: 170 }} />
          </Form.Item>
        )}
        <SearchButtons
          onReset={() => {
            form.resetFields();
            lq.update(Object.fromEntries([...CLR_FILTERS, 'size'].map((k) => [k, null])));
          }}
        />
      </Form>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} xl={6}>
              <Statistic title="结算 / 撤销（笔）" value={t ? `${t.setl_cnt} / ${t.rev_cnt}` : '—'} />
            </Col>
            <Col xs={12} xl={6}>
              <Statistic title="统筹等基金支付（元）" value={t?.fund_pay_sumamt ?? '0'} precision={2} />
            </Col>
            <Col xs={12} xl={6}>
              <Statistic title="个人账户支付（元）" value={t?.acct_pay ?? '0'} precision={2} />
            </Col>
            <Col xs={12} xl={6}>
              <Statistic title="应拨付合计（元）" value={t?.clr_amt ?? '0'} precision={2} />
            </Col>
          </Row>
          <Table<ClearingRow>
            rowKey={(r) => `${r.fixmedins_code}|${r.month}`}
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            pagination={lq.pagination(data?.total)}
            size="middle"
            scroll={{ x: 1400 }}
            expandable={{
              expandedRowRender: (r) => (
                <Descriptions
                  size="small"
                  column={2}
                  title="按基金支付类型"
                  items={Object.entries(r.by_fund).map(([k, v]) => ({ key: k, label: fundType.label(k), children: yuan(v) }))}
                />
              ),
              rowExpandable: (r) => Object.keys(r.by_fund).length > 0,
            }}
            locale={{ emptyText: <Typography.Text type="secondary">该期间没有结算</Typography.Text> }}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            应拨付 = 基金台账中该机构当月的基金支付（含个人账户），撤销结算按撤销当月冲减；DRG/DIP 月度预付取该年度最新一次付费计算结果，仅供对照，不计入应拨付。
          </Typography.Paragraph>
        </>
      )}
    </>
  );
}

export default function Reconcile() {
  const lq = useListQuery();
  const { me } = useAuth();
  const institutionUser = Boolean(me?.user.fixmedins_code);
  const tab = lq.values.tab === 'clearing' ? 'clearing' : 'runs';
  return (
    <PageContainer title="对账与清算" description="定点医药机构对总账（3201）、对明细账（3202）的结果，以及按机构按月的清算拨付">
      <Card>
        <Tabs
          activeKey={tab}
          // each tab has its own filters: switching clears the other's from the URL
          onChange={(k) => lq.update(Object.fromEntries([...RUN_FILTERS, ...CLR_FILTERS, 'begndate', 'enddate', 'stmt', 'size', 'page'].map((f) => [f, null]).concat([['tab', k === 'clearing' ? 'clearing' : null]])))}
          items={[
            { key: 'runs', label: '对账记录', children: tab === 'runs' ? <RunsTab institutionUser={institutionUser} /> : null },
            { key: 'clearing', label: '月度清算', children: tab === 'clearing' ? <ClearingTab institutionUser={institutionUser} /> : null },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
