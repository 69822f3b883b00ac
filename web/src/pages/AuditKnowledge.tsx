/**
 * 知识库: the knowledge tables the rules read (/api/audit/kb/:kind) — 项目限定, 配伍与互斥, 频次, 药品, 中药饮片,
 * 周期 — each searched by code prefix and date, paged, plus the loads that made each version (/api/audit/kb-loads).
 * Column headers are the national field names, with their Chinese meaning where the console knows it.
 */
import { Card, DatePicker, Form, Input, Table, Tabs, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { Page } from '../api';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi } from '../hooks';
import { DATE, useListQuery, useSyncForm } from '../list';

const KINDS: { key: string; label: string }[] = [
  { key: 'item', label: '项目限定' },
  { key: 'pair', label: '配伍与互斥' },
  { key: 'freq', label: '频次与数量' },
  { key: 'drug', label: '药品' },
  { key: 'herb', label: '中药饮片' },
  { key: 'cycle', label: '周期' },
];

const COLUMN_NAMES: Record<string, string> = {
  hilist_code: '医保目录编码',
  item_a: '项目 A',
  item_b: '项目 B',
  pair_type: '关系类型',
  scope: '范围',
  hit_side: '命中方',
  bypass_flag: '可豁免',
  child_age_max: '儿童年龄上限',
  child_age_unit: '年龄单位',
  age_exempt_diag: '年龄豁免诊断',
  dept_codes: '限定科室',
  indication_diag: '适应症诊断',
  daily_grp: '日计费组',
  not_paid: '不予支付',
  ingr_code: '成分编码',
  code: '编码',
  memo: '说明',
  kb_ver: '版本',
  begndate: '开始日期',
  enddate: '结束日期',
};

function KbTable({ kind }: { kind: string }) {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, ['code']);
  const { data, error, loading, reload } = useApi<Page<Record<string, unknown>>>(`/audit/kb/${kind}`, lq.apiQuery(['code', 'on']));
  const cols = Object.keys(data?.list[0] ?? {});
  return (
    <>
      <Form form={form} layout="inline" name={`kb-${kind}`} className="yb-filter" onFinish={(v: { code?: string; on?: Dayjs }) => lq.update({ code: v.code?.trim() || null, on: v.on ? v.on.format(DATE) : null })}>
        <Form.Item label="编码前缀" name="code">
          <Input allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label="有效日期" name="on">
          <DatePicker format={DATE} />
        </Form.Item>
        <SearchButtons onReset={() => { form.resetFields(); lq.update({ code: null, on: null }); }} />
      </Form>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : (
        <Table<Record<string, unknown>>
          rowKey={(r) => cols.map((c) => String(r[c])).join('|')}
          size="small"
          loading={loading}
          dataSource={data?.list}
          scroll={{ x: Math.max(900, cols.length * 120) }}
          pagination={lq.pagination(data?.total)}
          columns={cols.map((c) => ({ title: COLUMN_NAMES[c] ?? c, dataIndex: c, render: (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)) }))}
          locale={{ emptyText: <Typography.Text type="secondary">该知识库没有符合条件的条目</Typography.Text> }}
        />
      )}
    </>
  );
}

export default function AuditKnowledge() {
  const lq = useListQuery();
  const kind = lq.values.kind ?? 'item';
  return (
    <PageContainer title="知识库" description="智能审核规则使用的知识库条目：按编码前缀和有效日期查询，每次加载形成一个版本">
      <Card>
        <Tabs
          activeKey={kind}
          onChange={(k) => lq.update({ kind: k === 'item' ? null : k, code: null, on: null })}
          items={KINDS.map((k) => ({ key: k.key, label: k.label, children: kind === k.key ? <KbTable kind={k.key} /> : null }))}
        />
      </Card>
    </PageContainer>
  );
}
