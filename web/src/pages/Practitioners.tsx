/**
 * 医保医师: 医保医师/药师/护士/技师 of the institutions in the user's areas, by code, name or pinyin, institution
 * and type; the drawer shows one practitioner with the institution, the payment qualification on the date and its
 * history (suspensions with deducted points and reasons).
 */
import { Button, Card, Descriptions, Drawer, Form, Input, Select, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { Page } from '../api';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useDict } from '../hooks';
import { dateRange, PRAC_TYPES, QUAL_STAS, STAS_COLOR } from '../labels';
import { fromForm, useListQuery, useSyncForm } from '../list';
import type { PractitionerDetail, PractitionerRow, Qualification } from '../types';

const FILTERS = ['q', 'fixmedins_code', 'prac_type'] as const;
const PRAC_OPTIONS = Object.entries(PRAC_TYPES).map(([value, label]) => ({ value, label }));

function QualTag({ q }: { q: Qualification | null }) {
  if (!q) return <Tag>无有效资格</Tag>;
  return <Tag color={STAS_COLOR[q.qual_stas]}>{QUAL_STAS[q.qual_stas] ?? q.qual_stas}</Tag>;
}

function PractitionerDrawer({ code, onClose }: { code: string | undefined; onClose: () => void }) {
  const { can } = useAuth();
  const { data, error, loading } = useApi<PractitionerDetail>(code ? `/practitioners/${encodeURIComponent(code)}` : null);
  const gend = useDict('gend');
  const d = data && data.practitioner.prac_code === code ? data : undefined;
  const p = d?.practitioner;
  return (
    <Drawer open={!!code} onClose={onClose} size={720} title={p ? `${p.prac_name}（${PRAC_TYPES[p.prac_type] ?? p.prac_type}）` : '医师详情'} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} />
      ) : !p || loading ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <Space orientation="vertical" size={20} style={{ width: '100%' }}>
          <span>
            医保支付资格：<QualTag q={d.qualification} />
          </span>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'code', label: '医保医师编码', children: <Typography.Text className="yb-mono" copyable>{p.prac_code}</Typography.Text> },
              { key: 'type', label: '人员类型', children: PRAC_TYPES[p.prac_type] ?? p.prac_type },
              { key: 'name', label: '姓名', children: p.prac_name },
              { key: 'gend', label: '性别', children: gend.label(p.gend) },
              {
                key: 'inst',
                label: '执业机构',
                span: 2,
                children: d.institution ? (
                  can('institution:read') ? (
                    <Link to={`/basic/institutions?code=${d.institution.fixmedins_code}`}>
                      {d.institution.fixmedins_name}（{d.institution.fixmedins_code}）
                    </Link>
                  ) : (
                    `${d.institution.fixmedins_name}（${d.institution.fixmedins_code}）`
                  )
                ) : (
                  p.fixmedins_code
                ),
              },
              { key: 'dept', label: '科室', children: p.dept_name ?? '—' },
              { key: 'title', label: '职称', children: p.profttl ?? '—' },
              { key: 'dates', label: '登记有效期', span: 2, children: dateRange(p.begndate, p.enddate) },
            ]}
          />
          <div>
            <Typography.Title level={5}>医保支付资格历史</Typography.Title>
            <Table<Qualification>
              size="small"
              rowKey={(r) => r.begndate}
              pagination={false}
              dataSource={d.qualifications}
              columns={[
                { title: '资格状态', dataIndex: 'qual_stas', render: (_: string, r) => <QualTag q={r} /> },
                { title: '期间', key: 'dates', render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
                { title: '记分', dataIndex: 'score_deducted', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v} 分`) },
                { title: '原因', dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
              ]}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}

export default function Practitioners() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const gend = useDict('gend');
  const { data, error, loading, reload } = useApi<Page<PractitionerRow>>('/practitioners', lq.apiQuery(FILTERS));

  const columns: TableColumnsType<PractitionerRow> = [
    { title: '医保医师编码', dataIndex: 'prac_code', width: 150, render: (v: string) => <span className="yb-mono">{v}</span> },
    {
      title: '姓名',
      dataIndex: 'prac_name',
      width: 120,
      render: (v: string, r) => (
        <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => lq.update({ code: r.prac_code }, true)}>
          {v}
        </Button>
      ),
    },
    { title: '人员类型', dataIndex: 'prac_type', width: 90, render: (v: string) => PRAC_TYPES[v] ?? v },
    { title: '性别', dataIndex: 'gend', width: 70, render: (v: string | null) => gend.label(v) },
    { title: '执业机构', dataIndex: 'fixmedins_code', width: 150, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '科室', dataIndex: 'dept_name', render: (v: string | null) => v ?? '—' },
    { title: '职称', dataIndex: 'profttl', render: (v: string | null) => v ?? '—' },
    { title: '登记有效期', key: 'dates', width: 170, render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
  ];

  return (
    <PageContainer title="医保医师" description="定点医药机构的医保医师、药师、护士和技师，含医保支付资格历史">
      <Card className="yb-filter">
        <Form form={form} name="practitioner-search" layout="inline" onFinish={(v: Record<string, unknown>) => lq.update({ ...fromForm(v), code: null })}>
          <Form.Item label="关键字" name="q">
            <Input allowClear placeholder="编码 / 姓名 / 拼音首字母" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item label="执业机构编码" name="fixmedins_code" rules={[{ pattern: /^[HP]\d{11}$/, message: '应为 H 或 P 开头的 12 位机构编码' }]}>
            <Input allowClear placeholder="如 H99010200001" style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label="人员类型" name="prac_type">
            <Select allowClear placeholder="全部" options={PRAC_OPTIONS} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  lq.update(Object.fromEntries([...FILTERS, 'code', 'size'].map((k) => [k, null])));
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
          <Table<PractitionerRow> rowKey="prac_code" columns={columns} dataSource={data?.list} loading={loading} pagination={lq.pagination(data?.total)} size="middle" scroll={{ x: 1000 }} />
        )}
      </Card>
      <PractitionerDrawer code={lq.values.code} onClose={() => lq.update({ code: null }, true)} />
    </PageContainer>
  );
}
