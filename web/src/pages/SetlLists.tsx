/**
 * 医保结算清单: the settlement lists institutions upload for inpatient stays (4101/4101A), read only, in the user's
 * areas (/api/setl-lists). Tab 清单 lists the version in force of each list with its QC outcome; tab 质控记录 lists
 * every quality-control run (accepted with warnings, or refused) with the findings' rule id, field and message. A list
 * opens in a drawer (?setl=… &ver=…): its content by node with Chinese field names (contact data masked by the
 * server), the chosen version's QC warnings and the last QC run, the DRG/DIP group each payment year run gave it,
 * its versions and status changes.
 */
import { Card, DatePicker, Descriptions, Drawer, Empty, Form, Input, Select, Space, Table, Tabs, Tag, Typography, Button, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { LIST_NODES, fieldLabel, type ListRow, type RowNode } from '../../../src/payment/setl-list/fields.js';
import type { Page } from '../api';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi } from '../hooks';
import { yuan } from '../labels';
import { DATE, useListQuery, useSyncForm } from '../list';

const STAS: Record<string, string> = { '0': '已撤回', '1': '已提交', '2': '已锁定' };
const STAS_COLOR: Record<string, string> = { '0': 'default', '1': 'processing', '2': 'success' };
const QC_RSLT: Record<string, string> = { '0': '通过', '1': '通过（有警告）' };
const NODE_NAMES: Record<RowNode, string> = { payinfo: '基金支付', opspdiseinfo: '门诊慢特病诊断', diseinfo: '住院诊断', iteminfo: '收费项目', oprninfo: '手术操作', icuinfo: '重症监护', bldinfo: '输血' };
const CASE_TYPES: Record<string, string> = { normal: '正常病例', high: '高倍率病例', low: '低倍率病例', special: '特例单议', ungrouped: '未入组' };
const FILTERS = ['setl_id', 'psn_no', 'fixmedins_code', 'stas_type', 'qc_rslt'] as const;
const QC_FILTERS = ['fixmedins_code', 'accepted', 'rule_id'] as const;

interface ListRowView {
  setl_id: string;
  setl_list_id: string;
  ver_no: number;
  mdtrt_id: string;
  psn_no: string | null;
  psn_name: string | null;
  fixmedins_code: string;
  fixmedins_name: string | null;
  stas_type: string;
  stas_name: string;
  infno: string;
  dscg_date: string | null;
  act_ipt_days: number | null;
  main_diag_code: string | null;
  main_diag_name: string | null;
  main_oprn_code: string | null;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  qc_rslt: string;
  warn_cnt: number;
  upld_time: string;
}

interface Finding {
  rule_id: string;
  code: string;
  level: string;
  node: string;
  row: number | null;
  field: string;
  value: string | null;
  message: string;
}

interface QcRun {
  qc_id: number;
  setl_id: string | null;
  fixmedins_code: string;
  fixmedins_name: string | null;
  infno: string;
  accepted: boolean;
  setl_list_id: string | null;
  err_cnt: number;
  warn_cnt: number;
  findings: Finding[];
  qc_time: string;
}

interface ListDetailView {
  setl_id: string;
  stas_type: string | null;
  stas_name: string | null;
  cur_ver: number | null;
  ver_no: number | null;
  setl_list_id: string | null;
  fixmedins_code: string;
  fixmedins_name: string | null;
  content: ({ setlinfo: ListRow } & Partial<Record<RowNode, ListRow[]>>) | null;
  versions: { ver_no: number; setl_list_id: string; infno: string; qc_rslt: string; upld_time: string }[];
  stas_history: { from_stas: string | null; to_stas: string; ver_no: number; chg_time: string; memo: string | null; opter_name: string | null }[];
  version: { qc_rslt: string; warnings: Finding[]; upld_time: string; opter_name: string | null; medfee_sumamt: string; fund_pay_sumamt: string; dscg_date: string | null } | null;
  qc: { accepted: boolean; qc_time: string; infno: string; findings: Finding[] } | null;
  groups: { run_id: string; pay_type: string; admdvs: string; setl_year: number; crte_time: string; grp_code: string; grp_name: string | null; grp_stas: string; case_type: string; points: string; std_amt: string; reason: string }[];
}

/** QC findings: level, rule id, field (with its Chinese name), value and message. */
export function FindingTable({ findings, empty }: { findings: Finding[]; empty: string }) {
  return (
    <Table<Finding>
      size="small"
      rowKey={(f, i) => `${f.rule_id}-${f.field}-${f.row ?? 0}-${i}`}
      pagination={false}
      dataSource={findings}
      locale={{ emptyText: empty }}
      columns={[
        { title: '级别', dataIndex: 'level', width: 70, render: (v: string) => (v === 'error' ? <Tag color="error">错误</Tag> : <Tag color="warning">警告</Tag>) },
        { title: '质控规则', dataIndex: 'rule_id', width: 150, render: (v: string) => <span className="yb-mono">{v}</span> },
        { title: '字段', dataIndex: 'field', width: 220, render: (v: string, f) => `${fieldLabel(v)}（${v}${f.row ? ` 第 ${f.row} 行` : ''}）` },
        { title: '值', dataIndex: 'value', width: 120, render: (v: string | null) => <span className="yb-mono">{v ?? '—'}</span> },
        { title: '说明', dataIndex: 'message' },
      ]}
    />
  );
}

/** A row node's rows as a table whose columns are the fields present, named in Chinese. */
function NodeTable({ node, rows }: { node: RowNode; rows: ListRow[] }) {
  const present = LIST_NODES[node].filter((d) => rows.some((r) => r[d.name] !== undefined && r[d.name] !== ''));
  return (
    <Table
      size="small"
      rowKey={(_, i) => String(i)}
      pagination={false}
      dataSource={rows}
      scroll={{ x: true }}
      columns={present.map((d) => ({ title: d.label, dataIndex: d.name, render: (v: string | undefined) => v ?? '—' }))}
    />
  );
}

function ListDrawer({ setl_id, ver, onVersion, onClose }: { setl_id: string; ver: string | undefined; onVersion: (v: number | null) => void; onClose: () => void }) {
  const { data, error, reload } = useApi<ListDetailView>(`/setl-lists/${encodeURIComponent(setl_id)}`, ver ? { ver_no: ver } : {});
  const s = data?.content?.setlinfo ?? {};
  const nodes = data?.content ? (Object.keys(NODE_NAMES) as RowNode[]).filter((n) => data.content?.[n]?.length) : [];
  const SHOWN = ['psn_name', 'gend', 'age', 'certno', 'hi_type', 'insuplc', 'adm_time', 'dscg_time', 'act_ipt_days', 'dscg_way', 'hi_paymtd', 'chfpdr_name', 'medcasno', 'psn_selfpay', 'psn_ownpay', 'acct_pay', 'psn_cashpay'];
  return (
    <Drawer open title={`结算清单 · 结算ID ${setl_id}`} size={960} onClose={onClose} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !data ? null : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              { key: 'inst', label: '定点机构', children: `${data.fixmedins_name ?? ''}（${data.fixmedins_code}）` },
              { key: 'stas', label: '清单状态', children: data.stas_type ? <Tag color={STAS_COLOR[data.stas_type]}>{data.stas_name}</Tag> : <Tag color="error">未被接收（质控不通过）</Tag> },
              { key: 'id', label: '结算清单ID', children: <span className="yb-mono">{data.setl_list_id ?? '—'}</span> },
              {
                key: 'ver',
                label: '版本',
                children: data.versions.length ? (
                  <Space>
                    <label htmlFor="setl-list-ver" className="yb-inline-label">
                      查看版本
                    </label>
                    <Select
                      id="setl-list-ver"
                      size="small"
                      value={data.ver_no ?? undefined}
                      style={{ width: 200 }}
                      options={data.versions.map((v) => ({ value: v.ver_no, label: `第 ${v.ver_no} 版（${v.infno}，${v.upld_time.slice(0, 10)}）${v.ver_no === data.cur_ver ? ' 当前' : ''}` }))}
                      onChange={(v: number) => onVersion(v === data.cur_ver ? null : v)}
                    />
                  </Space>
                ) : (
                  '—'
                ),
              },
              { key: 'fee', label: '医疗总费用', children: data.version ? yuan(data.version.medfee_sumamt) : '—' },
              { key: 'fund', label: '基金支付', children: data.version ? yuan(data.version.fund_pay_sumamt) : '—' },
              { key: 'qc', label: '质控结果', children: data.version ? QC_RSLT[data.version.qc_rslt] : '—' },
              { key: 'up', label: '上传', children: data.version ? `${data.version.upld_time} ${data.version.opter_name ?? ''}` : '—' },
            ]}
          />
          <Tabs
            items={[
              {
                key: 'content',
                label: '清单内容',
                children: data.content ? (
                  <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                    <Descriptions size="small" bordered column={3} items={SHOWN.filter((k) => s[k] !== undefined).map((k) => ({ key: k, label: fieldLabel(`setlinfo.${k}`), children: s[k] }))} />
                    {nodes.map((n) => (
                      <Card key={n} size="small" title={`${NODE_NAMES[n]}（${data.content?.[n]?.length ?? 0}）`}>
                        <NodeTable node={n} rows={data.content?.[n] ?? []} />
                      </Card>
                    ))}
                  </Space>
                ) : (
                  <Empty description="该结算清单没有被接收的版本" />
                ),
              },
              {
                key: 'qc',
                label: `质控结果（${(data.version?.warnings.length ?? 0) + (data.qc && !data.qc.accepted ? data.qc.findings.length : 0)}）`,
                children: (
                  <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                    {data.version ? (
                      <Card size="small" title={`第 ${data.ver_no} 版的质控警告`}>
                        <FindingTable findings={data.version.warnings} empty="本版本质控通过，无警告" />
                      </Card>
                    ) : null}
                    {data.qc ? (
                      <Card size="small" title={`最近一次质控（${data.qc.infno}，${data.qc.qc_time}）：${data.qc.accepted ? '已接收' : '不通过，未接收'}`}>
                        <FindingTable findings={data.qc.findings} empty="无质控问题" />
                      </Card>
                    ) : null}
                  </Space>
                ),
              },
              {
                key: 'group',
                label: 'DRG/DIP 分组',
                children: data.groups.length ? (
                  <Table
                    size="small"
                    rowKey="run_id"
                    pagination={false}
                    dataSource={data.groups}
                    scroll={{ x: 900 }}
                    columns={[
                      { title: '付费计算', dataIndex: 'run_id', width: 200, render: (v: string, g) => <Link to={`/payment/${g.pay_type}?admdvs=${g.admdvs}&year=${g.setl_year}&run=${v}`} className="yb-mono">{v}</Link> },
                      { title: '方式', dataIndex: 'pay_type', width: 60, render: (v: string) => v.toUpperCase() },
                      { title: '年度', dataIndex: 'setl_year', width: 70 },
                      { title: '分组', dataIndex: 'grp_code', width: 220, render: (v: string, g) => `${v}${g.grp_name ? ` ${g.grp_name}` : ''}` },
                      { title: '病例类型', dataIndex: 'case_type', width: 100, render: (v: string) => CASE_TYPES[v] ?? v },
                      { title: '点数', dataIndex: 'points', width: 100, align: 'right' },
                      { title: '说明', dataIndex: 'reason', ellipsis: true },
                    ]}
                  />
                ) : (
                  <Empty description="尚未参与 DRG/DIP 年度付费计算" />
                ),
              },
              {
                key: 'history',
                label: `版本与状态（${data.versions.length}）`,
                children: (
                  <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                    <Table
                      size="small"
                      rowKey="ver_no"
                      pagination={false}
                      dataSource={data.versions}
                      columns={[
                        { title: '版本', dataIndex: 'ver_no', width: 70, render: (v: number) => `第 ${v} 版` },
                        { title: '结算清单ID', dataIndex: 'setl_list_id', render: (v: string) => <span className="yb-mono">{v}</span> },
                        { title: '交易', dataIndex: 'infno', width: 80 },
                        { title: '质控', dataIndex: 'qc_rslt', width: 130, render: (v: string) => QC_RSLT[v] ?? v },
                        { title: '上传时间', dataIndex: 'upld_time', width: 170 },
                      ]}
                    />
                    <Table
                      size="small"
                      rowKey={(_, i) => String(i)}
                      pagination={false}
                      dataSource={data.stas_history}
                      columns={[
                        { title: '状态变更', key: 'chg', render: (_: unknown, h) => `${h.from_stas ? `${STAS[h.from_stas] ?? h.from_stas} → ` : ''}${STAS[h.to_stas] ?? h.to_stas}` },
                        { title: '版本', dataIndex: 'ver_no', width: 70 },
                        { title: '说明', dataIndex: 'memo', render: (v: string | null) => v ?? '—' },
                        { title: '操作人', dataIndex: 'opter_name', width: 140, render: (v: string | null) => v ?? '—' },
                        { title: '时间', dataIndex: 'chg_time', width: 170 },
                      ]}
                    />
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

function ListTab() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const { data, error, loading, reload } = useApi<Page<ListRowView>>('/setl-lists', lq.apiQuery([...FILTERS, 'begndate', 'enddate']));
  const range = lq.values.begndate || lq.values.enddate ? [lq.values.begndate ? dayjs(lq.values.begndate, DATE) : null, lq.values.enddate ? dayjs(lq.values.enddate, DATE) : null] : undefined;
  const columns: TableColumnsType<ListRowView> = [
    { title: '结算ID', dataIndex: 'setl_id', width: 200, render: (v: string) => <Button type="link" size="small" className="yb-mono" style={{ padding: 0 }} onClick={() => lq.update({ setl: v, ver: null }, true)}>{v}</Button> },
    { title: '姓名', dataIndex: 'psn_name', width: 90, render: (v: string | null) => v ?? '—' },
    { title: '定点机构', dataIndex: 'fixmedins_name', width: 180, ellipsis: true, render: (v: string | null, r) => v ?? r.fixmedins_code },
    { title: '出院日期', dataIndex: 'dscg_date', width: 110, render: (v: string | null) => v ?? '—' },
    { title: '住院天数', dataIndex: 'act_ipt_days', width: 90, align: 'right', render: (v: number | null) => v ?? '—' },
    { title: '主要诊断', dataIndex: 'main_diag_code', ellipsis: true, render: (v: string | null, r) => (v ? `${v}${r.main_diag_name ? ` ${r.main_diag_name}` : ''}` : '—') },
    { title: '主要手术', dataIndex: 'main_oprn_code', width: 110, render: (v: string | null) => v ?? '—' },
    { title: '医疗总费用', dataIndex: 'medfee_sumamt', width: 120, align: 'right', render: (v: string) => yuan(v) },
    { title: '版本', dataIndex: 'ver_no', width: 70, render: (v: number) => `第 ${v} 版` },
    { title: '质控', dataIndex: 'qc_rslt', width: 120, render: (v: string, r) => (v === '1' ? <Tag color="warning">警告 {r.warn_cnt}</Tag> : <Tag color="success">通过</Tag>) },
    { title: '状态', dataIndex: 'stas_type', width: 90, render: (v: string, r) => <Tag color={STAS_COLOR[v]}>{r.stas_name}</Tag> },
    { title: '上传时间', dataIndex: 'upld_time', width: 160 },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card className="yb-filter">
        <Form
          form={form}
          layout="inline"
          name="setl-list-search"
          initialValues={{ range }}
          onFinish={(v: Record<string, unknown>) => {
            const r = v.range as [Dayjs | null, Dayjs | null] | undefined;
            lq.update({ ...Object.fromEntries(FILTERS.map((k) => [k, typeof v[k] === 'string' ? (v[k] as string).trim() || null : null])), begndate: r?.[0]?.format(DATE) ?? null, enddate: r?.[1]?.format(DATE) ?? null });
          }}
        >
          <Form.Item label="结算ID" name="setl_id">
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="人员编号" name="psn_no">
            <Input allowClear style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label="定点机构编号" name="fixmedins_code">
            <Input allowClear placeholder="如 H99010200001" style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="出院日期" name="range">
            <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} style={{ width: 250 }} />
          </Form.Item>
          <Form.Item label="质控结果" name="qc_rslt">
            <Select allowClear placeholder="全部" options={Object.entries(QC_RSLT).map(([value, label]) => ({ value, label }))} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item label="清单状态" name="stas_type">
            <Select allowClear placeholder="全部" options={Object.entries(STAS).map(([value, label]) => ({ value, label }))} style={{ width: 110 }} />
          </Form.Item>
          <SearchButtons
            onReset={() => {
              form.resetFields();
              form.setFieldsValue({ range: undefined });
              lq.update(Object.fromEntries([...FILTERS, 'begndate', 'enddate'].map((k) => [k, null])));
            }}
          />
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<ListRowView>
            rowKey="setl_id"
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            size="middle"
            scroll={{ x: 1600 }}
            pagination={lq.pagination(data?.total)}
            locale={{ emptyText: <Typography.Text type="secondary">没有符合条件的结算清单</Typography.Text> }}
          />
        )}
      </Card>
      {lq.values.setl ? (
        <ListDrawer setl_id={lq.values.setl} ver={lq.values.ver} onVersion={(v) => lq.update({ ver: v }, true)} onClose={() => lq.update({ setl: null, ver: null }, true)} />
      ) : null}
    </Space>
  );
}

function QcTab() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, QC_FILTERS);
  const { data, error, loading, reload } = useApi<Page<QcRun>>('/setl-lists/qc-runs', lq.apiQuery(QC_FILTERS));
  const columns: TableColumnsType<QcRun> = [
    { title: '质控时间', dataIndex: 'qc_time', width: 170 },
    { title: '结算ID', dataIndex: 'setl_id', width: 200, render: (v: string | null) => (v ? <Button type="link" size="small" className="yb-mono" style={{ padding: 0 }} onClick={() => lq.update({ tab: null, setl: v, ver: null }, true)}>{v}</Button> : '—') },
    { title: '定点机构', dataIndex: 'fixmedins_name', ellipsis: true, render: (v: string | null, r) => v ?? r.fixmedins_code },
    { title: '交易', dataIndex: 'infno', width: 80 },
    { title: '结果', dataIndex: 'accepted', width: 110, render: (v: boolean) => (v ? <Tag color="success">已接收</Tag> : <Tag color="error">不通过</Tag>) },
    { title: '错误', dataIndex: 'err_cnt', width: 70, align: 'right' },
    { title: '警告', dataIndex: 'warn_cnt', width: 70, align: 'right' },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card className="yb-filter">
        <Form
          form={form}
          layout="inline"
          name="setl-qc-search"
          onFinish={(v: Record<string, unknown>) => lq.update(Object.fromEntries(QC_FILTERS.map((k) => [k, typeof v[k] === 'string' ? (v[k] as string).trim() || null : null])))}
        >
          <Form.Item label="定点机构编号" name="fixmedins_code">
            <Input allowClear placeholder="如 H99010200001" style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="质控规则" name="rule_id">
            <Input allowClear placeholder="如 2130-poscode" style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="结果" name="accepted">
            <Select
              allowClear
              placeholder="全部"
              options={[
                { value: 'true', label: '已接收' },
                { value: 'false', label: '不通过' },
              ]}
              style={{ width: 110 }}
            />
          </Form.Item>
          <SearchButtons
            onReset={() => {
              form.resetFields();
              lq.update(Object.fromEntries(QC_FILTERS.map((k) => [k, null])));
            }}
          />
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<QcRun>
            rowKey="qc_id"
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            size="middle"
            scroll={{ x: 1000 }}
            pagination={lq.pagination(data?.total)}
            expandable={{ expandedRowRender: (r) => <FindingTable findings={r.findings} empty="无质控问题" />, rowExpandable: (r) => r.findings.length > 0 }}
            locale={{ emptyText: <Typography.Text type="secondary">没有质控记录</Typography.Text> }}
          />
        )}
      </Card>
    </Space>
  );
}

export default function SetlLists() {
  const lq = useListQuery();
  const tab = lq.values.tab === 'qc' ? 'qc' : 'lists';
  return (
    <PageContainer title="医保结算清单" description="定点医疗机构上传的住院医保结算清单（4101 / 4101A）：版本、状态、质控结果和 DRG/DIP 分组（联系信息与证件号码已脱敏）">
      <Tabs
        activeKey={tab}
        onChange={(k) => lq.update(Object.fromEntries([...new Set([...FILTERS, ...QC_FILTERS, 'begndate', 'enddate', 'setl', 'ver'])].map((f) => [f, null]).concat([['tab', k === 'qc' ? 'qc' : null]])))}
        items={[
          { key: 'lists', label: '清单', children: tab === 'lists' ? <ListTab /> : null },
          { key: 'qc', label: '质控记录', children: tab === 'qc' ? <QcTab /> : null },
        ]}
      />
    </PageContainer>
  );
}
