/**
 * 操作日志 (administrators, 稽核员): every write and sign-in in the user's areas, newest first, by action
 * (a family such as "user." or one action), target, operator, area and time; a row opens to show the data
 * before and after with the changed fields marked.
 */
import { AutoComplete, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Page } from '../api';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas } from '../hooks';
import { ACTION_FAMILIES, ACTIONS, actionName, TARGET_TYPES } from '../labels';
import { DATE, useListQuery, useSyncForm } from '../list';
import type { OplogRow } from '../types';

const FILTERS = ['action', 'target_type', 'target_id', 'opter_id', 'admdvs'] as const;
const ACTION_OPTIONS = [
  { label: '操作类别（前缀匹配）', options: ACTION_FAMILIES.map((f) => ({ value: f.value, label: `${f.label}（${f.value}）` })) },
  { label: '具体操作', options: Object.entries(ACTIONS).map(([value, label]) => ({ value, label: `${label}（${value}）` })) },
];
const TARGET_OPTIONS = Object.entries(TARGET_TYPES).map(([value, label]) => ({ value, label: `${label}（${value}）` }));

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function Change({ row }: { row: OplogRow }) {
  const before = row.before_data ?? {};
  const after = row.after_data ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (!keys.length) return <Typography.Text type="secondary">该操作没有记录数据变化{row.memo ? `（${row.memo}）` : ''}</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      style={{ maxWidth: 900 }}
      dataSource={keys.map((key) => ({ key, before: show(before[key]), after: show(after[key]) }))}
      rowClassName={(r) => (r.before !== r.after && row.before_data && row.after_data ? 'yb-changed' : '')}
      columns={[
        { title: '字段', dataIndex: 'key', width: 180, render: (v: string) => <span className="yb-mono">{v}</span> },
        { title: '操作前', dataIndex: 'before', render: (v: string) => <span className="yb-mono">{v}</span> },
        {
          title: '操作后',
          dataIndex: 'after',
          render: (v: string, r) => (
            <span className="yb-mono">
              {v}
              {r.before !== r.after && row.before_data && row.after_data ? (
                <Tag color="orange" style={{ marginInlineStart: 8 }}>
                  已变更
                </Tag>
              ) : null}
            </span>
          ),
        },
      ]}
    />
  );
}

export default function Oplog() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const areas = useAreas();
  const range = lq.values.from || lq.values.to ? [lq.values.from ? dayjs(lq.values.from, DATE) : null, lq.values.to ? dayjs(lq.values.to, DATE) : null] : undefined;
  const { data, error, loading, reload } = useApi<Page<OplogRow>>('/oplog', lq.apiQuery([...FILTERS, 'from', 'to']));

  const columns: TableColumnsType<OplogRow> = [
    { title: '时间', dataIndex: 'opt_time', width: 170 },
    {
      title: '操作人',
      key: 'opter',
      width: 180,
      render: (_: unknown, r) => (
        <span>
          {r.opter_name} <Typography.Text type="secondary">({r.opter_id})</Typography.Text>
        </span>
      ),
    },
    { title: '操作', dataIndex: 'action', width: 200, render: (v: string) => <span>{actionName(v)} <Typography.Text type="secondary" className="yb-mono" style={{ fontSize: 12 }}>{v}</Typography.Text></span> },
    { title: '对象', key: 'target', render: (_: unknown, r) => (r.target_type ? `${TARGET_TYPES[r.target_type] ?? r.target_type} ${r.target_id ?? ''}` : '—') },
    { title: '区划', dataIndex: 'admdvs', width: 130, render: (v: string | null) => (v ? areas.name(v) : <Typography.Text type="secondary">全节点</Typography.Text>) },
    { title: '备注', dataIndex: 'memo', ellipsis: true, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <PageContainer title="操作日志" description="管辖区划内的登录与数据变更记录，最新的在前；展开一行查看变更前后的数据">
      <Card className="yb-filter">
        <Form
          form={form}
          name="oplog-search"
          layout="inline"
          initialValues={{ range }}
          onFinish={(v: Record<string, unknown>) => {
            const r = v.range as [Dayjs | null, Dayjs | null] | undefined;
            const patch: Record<string, string | null> = {};
            for (const k of FILTERS) patch[k] = typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : null;
            patch.from = r?.[0] ? r[0].format(DATE) : null;
            patch.to = r?.[1] ? r[1].format(DATE) : null;
            lq.update(patch);
          }}
        >
          <Form.Item label="操作" name="action">
            <AutoComplete options={ACTION_OPTIONS} allowClear placeholder="如 user. 或 auth.login" style={{ width: 230 }} showSearch={{ filterOption: (input, o) => `${(o as { value?: string }).value ?? ''} ${String((o as { label?: string }).label ?? '')}`.includes(input) }} />
          </Form.Item>
          <Form.Item label="对象类型" name="target_type">
            <Select allowClear placeholder="全部" options={TARGET_OPTIONS} style={{ width: 190 }} />
          </Form.Item>
          <Form.Item label="对象编号" name="target_id">
            <Input allowClear placeholder="如登录名、人员编号" style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="操作人" name="opter_id">
            <Input allowClear placeholder="登录名" style={{ width: 130 }} />
          </Form.Item>
          <Form.Item label="区划" name="admdvs">
            <Select allowClear placeholder="全部" options={areas.options} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label="日期" name="range">
            <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  form.setFieldsValue({ range: undefined });
                  lq.update(Object.fromEntries([...FILTERS, 'from', 'to', 'size'].map((k) => [k, null])));
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<OplogRow>
            rowKey="log_id"
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            pagination={lq.pagination(data?.total)}
            size="middle"
            scroll={{ x: 1100 }}
            expandable={{ expandedRowRender: (r) => <Change row={r} />, rowExpandable: () => true }}
          />
        )}
      </Card>
    </PageContainer>
  );
}
