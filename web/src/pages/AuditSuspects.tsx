/**
 * 疑点清单: suspects (疑点) found by the audit engine in the user's scope (/api/audit/suspects), filtered by rule,
 * institution, person, status, severity, stage and date; filters and page in the URL. A suspect opens in a drawer
 * (?suspect=…) with its evidence and its case; selected open suspects of one institution are filed as a review case
 * (立案, POST /api/audit/cases), which then opens on its own page.
 */
import { App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../api';
import { SEV_COLOR, SEV_DEG, STAGES, SUSPECT_STAS, SUSPECT_STAS_COLOR, VOLA_BHVR_TYPES, type CaseDetail, type SuspectDetail, type SuspectRow } from '../audit';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi } from '../hooks';
import { yuan } from '../labels';
import { DATE, useListQuery, useSyncForm } from '../list';

const FILTERS = ['rule_id', 'fixmedins_code', 'psn_no', 'stas', 'sev_deg', 'stage'] as const;
const opts = (m: Record<string, string>) => Object.entries(m).map(([value, label]) => ({ value, label }));

/** Evidence as the engine wrote it: its lines as a table when it has some, the rest as labelled JSON. */
export function Evidence({ value }: { value: unknown }) {
  if (!value || typeof value !== 'object') return <Typography.Text type="secondary">无</Typography.Text>;
  const o = value as Record<string, unknown>;
  const lists = Object.entries(o).filter(([, v]) => Array.isArray(v) && v.length && typeof v[0] === 'object') as [string, Record<string, unknown>[]][];
  const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !lists.some(([l]) => l === k)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {lists.map(([k, rows]) => (
        <Table
          key={k}
          size="small"
          title={() => `涉及明细（${k}）`}
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={rows}
          scroll={{ x: true }}
          columns={Object.keys(rows[0]!).map((c) => ({ title: c, dataIndex: c, render: (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v ?? '—')) }))}
        />
      ))}
      {Object.keys(rest).length ? <pre className="yb-json" aria-label="证据">{JSON.stringify(rest, null, 2)}</pre> : null}
    </Space>
  );
}

function SuspectDrawer({ suspect_id, onClose }: { suspect_id: string; onClose: () => void }) {
  const { data, error, reload } = useApi<SuspectDetail>(`/audit/suspects/${encodeURIComponent(suspect_id)}`);
  return (
    <Drawer open title={`疑点 ${suspect_id}`} size={720} onClose={onClose} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !data ? null : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              { key: 'rule', label: '规则', span: 2, children: <Link to={`/audit/rules?rule=${data.rule_id}`}>{`${data.rule_id} ${data.rule_name}（第 ${data.rule_ver} 版）`}</Link> },
              { key: 'sev', label: '严重程度', children: <Tag color={SEV_COLOR[data.sev_deg]}>{SEV_DEG[data.sev_deg as keyof typeof SEV_DEG] ?? data.sev_deg}</Tag> },
              { key: 'stas', label: '状态', children: <Tag color={SUSPECT_STAS_COLOR[data.stas]}>{data.stas_name}</Tag> },
              { key: 'inst', label: '定点机构', children: <span className="yb-mono">{data.fixmedins_code}</span> },
              { key: 'psn', label: '人员编号', children: <Link to={`/enrollment/persons/${data.psn_no}`} className="yb-mono">{data.psn_no}</Link> },
              { key: 'setl', label: '结算', children: data.setl_id ? <Link to={`/settlement/records/${data.setl_id}`} className="yb-mono">{data.setl_id}</Link> : '—' },
              { key: 'bhvr', label: '违规行为', children: VOLA_BHVR_TYPES[data.vola_bhvr_type] ?? data.vola_bhvr_type },
              { key: 'amt', label: '疑似违规金额', children: yuan(data.vola_amt) },
              { key: 'time', label: '发现时间', children: data.crte_time },
              { key: 'cont', label: '违规内容', span: 2, children: data.vola_cont },
              { key: 'case', label: '审核案件', span: 2, children: data.case ? <Link to={`/audit/cases/${data.case.case_id}`} className="yb-mono">{data.case.case_id}</Link> : '尚未立案' },
            ]}
          />
          <Card size="small" title="证据">
            <Evidence value={data.evidence} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

export default function AuditSuspects() {
  const lq = useListQuery();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const [selected, setSelected] = useState<SuspectRow[]>([]);
  const { data, error, loading, reload } = useApi<Page<SuspectRow>>('/audit/suspects', lq.apiQuery([...FILTERS, 'from', 'to']));
  const canFile = can('audit:review') || can('audit:investigate');
  const file = async () => {
    try {
      const c = await api<CaseDetail>('/audit/cases', { method: 'POST', body: { suspect_ids: selected.map((s) => s.suspect_id) } });
      message.success(`已立案 ${c.case.case_id}`);
      navigate(`/audit/cases/${c.case.case_id}`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const columns: TableColumnsType<SuspectRow> = [
    { title: '疑点编号', dataIndex: 'suspect_id', width: 190, render: (v: string) => <Button type="link" size="small" className="yb-mono" onClick={() => lq.update({ suspect: v }, true)}>{v}</Button> },
    { title: '规则', dataIndex: 'rule_name', width: 200, ellipsis: true, render: (v: string, r) => `${r.rule_id} ${v}` },
    { title: '严重程度', dataIndex: 'sev_deg', width: 100, render: (v: string) => <Tag color={SEV_COLOR[v]}>{SEV_DEG[v as keyof typeof SEV_DEG] ?? v}</Tag> },
    { title: '定点机构', dataIndex: 'fixmedins_code', width: 130, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '人员编号', dataIndex: 'psn_no', width: 190, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '违规内容', dataIndex: 'vola_cont', ellipsis: true },
    { title: '疑似金额（元）', dataIndex: 'vola_amt', width: 120, align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
    { title: '状态', dataIndex: 'stas', width: 100, render: (v: string, r) => <Tag color={SUSPECT_STAS_COLOR[v]}>{r.stas_name}</Tag> },
    { title: '案件', dataIndex: 'case_id', width: 200, render: (v: string | null) => (v ? <Link to={`/audit/cases/${v}`} className="yb-mono">{v}</Link> : '—') },
    { title: '发现时间', dataIndex: 'crte_time', width: 150 },
  ];
  const sameInst = new Set(selected.map((s) => s.fixmedins_code)).size <= 1;
  return (
    <PageContainer
      title="疑点清单"
      description="智能审核发现的疑点：按规则、机构、人员、状态筛选，查看证据，勾选同一机构的待处理疑点立案审核"
      extra={
        canFile ? (
          <Button type="primary" disabled={!selected.length || !sameInst} onClick={file}>
            {selected.length ? `立案审核（${selected.length} 条）` : '立案审核'}
          </Button>
        ) : null
      }
    >
      <Card className="yb-filter">
        <Form
          form={form}
          layout="inline"
          name="suspect-search"
          onFinish={(v: Record<string, unknown>) => {
            const r = v.range as [Dayjs | null, Dayjs | null] | undefined;
            lq.update({ ...Object.fromEntries(FILTERS.map((k) => [k, typeof v[k] === 'string' ? (v[k] as string).trim() || null : null])), from: r?.[0]?.format(DATE) ?? null, to: r?.[1]?.format(DATE) ?? null });
          }}
        >
          <Form.Item label="规则编号" name="rule_id">
            <Input allowClear style={{ width: 140 }} />
          </Form.Item>
          <Form.Item label="定点机构编号" name="fixmedins_code">
            <Input allowClear style={{ width: 150 }} />
          </Form.Item>
          <Form.Item label="人员编号" name="psn_no">
            <Input allowClear style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label="状态" name="stas">
            <Select allowClear placeholder="全部" options={opts(SUSPECT_STAS)} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item label="严重程度" name="sev_deg">
            <Select allowClear placeholder="全部" options={opts(SEV_DEG)} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item label="监管环节" name="stage">
            <Select allowClear placeholder="全部" options={opts(STAGES)} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item label="发现日期" name="range">
            <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} style={{ width: 250 }} />
          </Form.Item>
          <SearchButtons onReset={() => { form.resetFields(); lq.update(Object.fromEntries([...FILTERS, 'from', 'to'].map((k) => [k, null]))); }} />
        </Form>
      </Card>
      <Card>
        {!sameInst ? <Typography.Paragraph type="warning">一个案件只能包含同一定点机构的疑点，请只勾选一家机构的疑点。</Typography.Paragraph> : null}
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<SuspectRow>
            rowKey="suspect_id"
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            size="middle"
            scroll={{ x: 1600 }}
            pagination={lq.pagination(data?.total)}
            rowSelection={canFile ? { selectedRowKeys: selected.map((s) => s.suspect_id), onChange: (_, rows) => setSelected(rows), getCheckboxProps: (r) => ({ disabled: r.stas !== '0' || Boolean(r.case_id), 'aria-label': `选择疑点 ${r.suspect_id}` }) } : undefined}
            locale={{ emptyText: <Typography.Text type="secondary">没有符合条件的疑点</Typography.Text> }}
          />
        )}
      </Card>
      {lq.values.suspect ? <SuspectDrawer suspect_id={lq.values.suspect} onClose={() => lq.update({ suspect: null }, true)} /> : null}
    </PageContainer>
  );
}
