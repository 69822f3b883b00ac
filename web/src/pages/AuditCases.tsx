/**
 * 疑点审核案件: review cases in the user's scope (/api/audit/cases; an institution user: its own), as 我的待办
 * (assigned to me, or unassigned where I can act) or all cases filtered by state, institution, rule and overdue.
 * A case opens on its own page (AuditCaseDetail) with its evidence and the workflow actions.
 */
import { Card, Form, Input, Select, Switch, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { Page } from '../api';
import { CASE_STAS, CASE_STAS_COLOR, type CaseRow } from '../audit';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi } from '../hooks';
import { yuan } from '../labels';
import { useListQuery, useSyncForm } from '../list';

const FILTERS = ['case_stas', 'fixmedins_code', 'rule_id', 'overdue'] as const;

export default function AuditCases() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const mine = lq.values.view !== 'all';
  const { data, error, loading, reload } = useApi<Page<CaseRow>>(mine ? '/audit/cases/queue' : '/audit/cases', mine ? { page_num: lq.page_num, page_size: lq.page_size } : lq.apiQuery(FILTERS));
  const columns: TableColumnsType<CaseRow> = [
    { title: '案件编号', dataIndex: 'case_id', width: 230, render: (v: string) => <Link to={`/audit/cases/${v}`} className="yb-mono">{v}</Link> },
    { title: '状态', dataIndex: 'case_stas', width: 110, render: (v: string, r) => <Tag color={CASE_STAS_COLOR[v]}>{r.case_stas_name}</Tag> },
    { title: '定点机构', dataIndex: 'fixmedins_code', width: 130, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '规则', dataIndex: 'rule_ids', ellipsis: true },
    { title: '疑点数', dataIndex: 'suspect_cnt', width: 80, align: 'right' },
    { title: '疑似金额（元）', dataIndex: 'vola_amt', width: 120, align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
    { title: '确认金额（元）', dataIndex: 'cnfm_amt', width: 120, align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
    { title: '审核人', dataIndex: 'assignee_name', width: 110, render: (v: string | null) => v ?? '未分配' },
    { title: '办理时限', dataIndex: 'due_date', width: 130, render: (v: string | null, r) => (v ? <span>{v}{r.overdue ? <Tag color="red" style={{ marginLeft: 4 }}>超期</Tag> : null}</span> : '—') },
    { title: '立案时间', dataIndex: 'crte_time', width: 150 },
  ];
  const table = error ? (
    <ErrorResult error={error} onRetry={reload} />
  ) : (
    <Table<CaseRow>
      rowKey="case_id"
      columns={columns}
      dataSource={data?.list}
      loading={loading}
      size="middle"
      scroll={{ x: 1400 }}
      pagination={lq.pagination(data?.total)}
      locale={{ emptyText: <Typography.Text type="secondary">{mine ? '没有待办案件' : '没有符合条件的案件'}</Typography.Text> }}
    />
  );
  return (
    <PageContainer title="疑点审核案件" description="疑点立案后的初审、复审、机构申诉、调查核实与违规处理">
      <Card>
        <Tabs
          activeKey={mine ? 'mine' : 'all'}
          onChange={(k) => lq.update({ view: k === 'all' ? 'all' : null })}
          items={[
            { key: 'mine', label: '我的待办', children: mine ? table : null },
            {
              key: 'all',
              label: '全部案件',
              children: mine ? null : (
                <>
                  <Form
                    form={form}
                    layout="inline"
                    name="case-search"
                    className="yb-filter"
                    onFinish={(v: Record<string, unknown>) => lq.update({ ...Object.fromEntries(FILTERS.map((k) => [k, typeof v[k] === 'string' ? (v[k] as string).trim() || null : null])), overdue: v.overdue === true || v.overdue === 'true' ? 'true' : null })}
                  >
                    <Form.Item label="案件状态" name="case_stas">
                      <Select allowClear placeholder="全部" options={Object.entries(CASE_STAS).map(([value, label]) => ({ value, label }))} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item label="定点机构编号" name="fixmedins_code">
                      <Input allowClear style={{ width: 150 }} />
                    </Form.Item>
                    <Form.Item label="规则编号" name="rule_id">
                      <Input allowClear style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item label="仅超期" name="overdue" valuePropName="checked" getValueProps={(v: unknown) => ({ checked: v === true || v === 'true' })}>
                      <Switch />
                    </Form.Item>
                    <SearchButtons onReset={() => { form.resetFields(); lq.update(Object.fromEntries(FILTERS.map((k) => [k, null]))); }} />
                  </Form>
                  {table}
                </>
              ),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
