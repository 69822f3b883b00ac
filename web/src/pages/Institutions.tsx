/**
 * 定点医药机构: the designated hospitals and pharmacies in the user's areas (an institution user: its own), by
 * code, name or pinyin, type, level and area; the drawer shows one institution with its agreement on the date
 * and the agreement history.
 */
import { Button, Card, Descriptions, Drawer, Form, Input, Select, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { Page } from '../api';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas, useDict } from '../hooks';
import { AGMT_STAS, dateRange, MEDINS_NATU, STAS_COLOR } from '../labels';
import { fromForm, useListQuery, useSyncForm } from '../list';
import type { Agreement, Institution, InstitutionDetail } from '../types';

const FILTERS = ['q', 'fixmedins_type', 'hosp_lv', 'admdvs'] as const;

function AgreementTag({ a }: { a: Agreement | null }) {
  if (!a) return <Tag>无有效协议</Tag>;
  return <Tag color={STAS_COLOR[a.agmt_stas]}>{AGMT_STAS[a.agmt_stas] ?? a.agmt_stas}</Tag>;
}

function InstitutionDrawer({ code, onClose }: { code: string | undefined; onClose: () => void }) {
  const { can } = useAuth();
  const { data, error, loading } = useApi<InstitutionDetail>(code ? `/institutions/${encodeURIComponent(code)}` : null);
  const type = useDict('fixmedins_type');
  const hospLv = useDict('hosp_lv');
  const areas = useAreas();
  const d = data && data.institution.fixmedins_code === code ? data : undefined;
  const inst = d?.institution;
  return (
    <Drawer open={!!code} onClose={onClose} size={720} title={inst?.fixmedins_name ?? '机构详情'} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} />
      ) : !inst || loading ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <Space orientation="vertical" size={20} style={{ width: '100%' }}>
          <Space wrap>
            <Tag color="blue">{type.label(inst.fixmedins_type)}</Tag>
            <Tag>{hospLv.label(inst.hosp_lv)}</Tag>
            <span>
              定点协议：<AgreementTag a={d.agreement} />
            </span>
          </Space>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'code', label: '定点机构编码', children: <Typography.Text className="yb-mono" copyable>{inst.fixmedins_code}</Typography.Text> },
              { key: 'uscc', label: '统一社会信用代码', children: <span className="yb-mono">{inst.uscc}</span> },
              { key: 'type', label: '机构类型', children: type.label(inst.fixmedins_type) },
              { key: 'lv', label: '医院等级', children: hospLv.label(inst.hosp_lv) },
              { key: 'natu', label: '机构性质', children: MEDINS_NATU[inst.medins_natu] ?? inst.medins_natu },
              { key: 'admdvs', label: '所在区划', children: `${areas.name(inst.admdvs)}（${inst.admdvs}）` },
              { key: 'addr', label: '地址', span: 2, children: inst.addr ?? '—' },
              { key: 'dates', label: '定点有效期', span: 2, children: dateRange(inst.begndate, inst.enddate) },
            ]}
          />
          <div>
            <Typography.Title level={5}>定点协议历史</Typography.Title>
            <Table<Agreement>
              size="small"
              rowKey={(r) => `${r.agmt_no}-${r.begndate}`}
              pagination={false}
              dataSource={d.agreements}
              columns={[
                { title: '协议编号', dataIndex: 'agmt_no', render: (v: string) => <span className="yb-mono">{v}</span> },
                { title: '协议状态', dataIndex: 'agmt_stas', render: (_: string, r) => <AgreementTag a={r} /> },
                { title: '期间', key: 'dates', render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
                { title: '说明', dataIndex: 'memo', render: (v: string | null) => v ?? '—' },
              ]}
            />
          </div>
          {can('practitioner:read') ? <Link to={`/basic/practitioners?fixmedins_code=${inst.fixmedins_code}`}>查看本机构的医保医师 →</Link> : null}
        </Space>
      )}
    </Drawer>
  );
}

export default function Institutions() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const type = useDict('fixmedins_type');
  const hospLv = useDict('hosp_lv');
  const areas = useAreas();
  const { data, error, loading, reload } = useApi<Page<Institution>>('/institutions', lq.apiQuery(FILTERS));

  const columns: TableColumnsType<Institution> = [
    { title: '机构编码', dataIndex: 'fixmedins_code', width: 140, render: (v: string) => <span className="yb-mono">{v}</span> },
    {
      title: '机构名称',
      dataIndex: 'fixmedins_name',
      render: (v: string, r) => (
        <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => lq.update({ code: r.fixmedins_code }, true)}>
          {v}
        </Button>
      ),
    },
    { title: '类型', dataIndex: 'fixmedins_type', width: 110, render: (v: string) => type.label(v) },
    { title: '等级', dataIndex: 'hosp_lv', width: 80, render: (v: string) => hospLv.label(v) },
    { title: '性质', dataIndex: 'medins_natu', width: 80, render: (v: string) => MEDINS_NATU[v] ?? v },
    { title: '所在区划', dataIndex: 'admdvs', width: 120, render: (v: string) => areas.name(v) },
    { title: '地址', dataIndex: 'addr', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '定点有效期', key: 'dates', width: 170, render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
  ];

  return (
    <PageContainer title="定点医药机构" description="管辖区划内的定点医疗机构和零售药店，含定点协议历史">
      <Card className="yb-filter">
        <Form form={form} name="institution-search" layout="inline" onFinish={(v: Record<string, unknown>) => lq.update({ ...fromForm(v), code: null })}>
          <Form.Item label="关键字" name="q">
            <Input allowClear placeholder="编码 / 名称 / 拼音首字母" style={{ width: 240 }} />
          </Form.Item>
          <Form.Item label="机构类型" name="fixmedins_type">
            <Select allowClear placeholder="全部" options={type.options} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item label="医院等级" name="hosp_lv">
            <Select allowClear placeholder="全部" options={hospLv.options} style={{ width: 130 }} />
          </Form.Item>
          {areas.options.length ? (
            <Form.Item label="所在区划" name="admdvs">
              <Select allowClear placeholder="全部" options={areas.options} style={{ width: 200 }} />
            </Form.Item>
          ) : null}
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
          <Table<Institution> rowKey="fixmedins_code" columns={columns} dataSource={data?.list} loading={loading} pagination={lq.pagination(data?.total)} size="middle" scroll={{ x: 1000 }} />
        )}
      </Card>
      <InstitutionDrawer code={lq.values.code} onClose={() => lq.update({ code: null }, true)} />
    </PageContainer>
  );
}
