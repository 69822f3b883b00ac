/**
 * 参保人员: insured persons in the user's areas by person number prefix or name, pooling area and insurance
 * type (certificate numbers masked). An exact look-up by certificate or social-security card number goes in a
 * POST body (never in a URL) and opens the person's 1101 view.
 */
import { IdcardOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas, useDict } from '../hooks';
import { fromForm, useListQuery, useSyncForm } from '../list';
import type { PersonRow, PersonView } from '../types';

const FILTERS = ['q', 'insuplc_admdvs', 'insutype'] as const;
const LOOKUP_KINDS = [
  { value: 'certno', label: '身份证件号码' },
  { value: 'card_no', label: '社会保障卡号' },
  { value: 'psn_no', label: '人员编号' },
];

function Lookup() {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ kind: 'certno' | 'card_no' | 'psn_no'; value: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    let v: { kind: string; value: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const r = await api<PersonView>('/persons/lookup', { method: 'POST', body: { [v.kind]: v.value.trim().toUpperCase() } });
      setOpen(false);
      navigate(`/enrollment/persons/${r.baseinfo.psn_no}`);
    } catch (e) {
      form.setFields([{ name: 'value', errors: [e instanceof ApiError ? e.message : '查询失败'] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button icon={<IdcardOutlined />} onClick={() => setOpen(true)}>
        按证件号码 / 社保卡号查找
      </Button>
      <Modal title="精确查找参保人员" open={open} onOk={submit} onCancel={() => setOpen(false)} okText="查找" confirmLoading={busy} destroyOnHidden>
        <Typography.Paragraph type="secondary">号码只在请求体中传送，不出现在网址和访问日志里。</Typography.Paragraph>
        <Form form={form} name="person-lookup" layout="vertical" initialValues={{ kind: 'certno' }} preserve={false}>
          <Form.Item label="号码类型" name="kind">
            <Select options={LOOKUP_KINDS} />
          </Form.Item>
          <Form.Item label="号码" name="value" rules={[{ required: true, whitespace: true, message: '请输入完整号码' }]}>
            <Input allowClear placeholder="完整号码" autoComplete="off" onPressEnter={() => void submit()} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function Persons() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const areas = useAreas();
  const insutype = useDict('insutype');
  const psnType = useDict('psn_type');
  const gend = useDict('gend');
  const { data, error, loading, reload } = useApi<Page<PersonRow>>('/persons', lq.apiQuery(FILTERS));
  const pools = areas.list.filter((a) => a.poolarea_flag === '1' && a.in_scope).map((a) => ({ value: a.admdvs, label: `${a.admdvs_name}（${a.admdvs}）` }));

  const columns: TableColumnsType<PersonRow> = [
    { title: '人员编号', dataIndex: 'psn_no', width: 190, render: (v: string) => <Link to={`/enrollment/persons/${v}`} className="yb-mono">{v}</Link> },
    { title: '姓名', dataIndex: 'psn_name', width: 90, render: (v: string, r) => <Link to={`/enrollment/persons/${r.psn_no}`}>{v}</Link> },
    { title: '证件号码', dataIndex: 'certno', width: 170, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '性别', dataIndex: 'gend', width: 60, render: (v: string) => gend.label(v) },
    { title: '出生日期', dataIndex: 'brdy', width: 110 },
    { title: '人员类别', dataIndex: 'psn_type', render: (v: string) => psnType.label(v) },
    { title: '参保地', dataIndex: 'insuplc_admdvs', width: 120, render: (v: string) => areas.name(v) },
    { title: '状态', key: 'state', width: 80, render: (_: unknown, r) => (r.death_date ? <Tag>已故</Tag> : r.cvlserv_flag === '1' ? <Tag color="blue">公务员</Tag> : <Tag color="success">正常</Tag>) },
  ];

  return (
    <PageContainer title="参保人员" description="管辖区划内的参保人员（证件号码已脱敏）" extra={<Lookup />}>
      <Card className="yb-filter">
        <Form form={form} name="person-search" layout="inline" onFinish={(v: Record<string, unknown>) => lq.update(fromForm(v))}>
          <Form.Item label="人员编号或姓名" name="q">
            <Input allowClear placeholder="人员编号前缀 / 姓名" style={{ width: 240 }} />
          </Form.Item>
          <Form.Item label="参保地" name="insuplc_admdvs">
            <Select allowClear placeholder="全部" options={pools} style={{ width: 190 }} />
          </Form.Item>
          <Form.Item label="险种" name="insutype">
            <Select allowClear placeholder="全部" options={insutype.options} style={{ width: 230 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  lq.update(Object.fromEntries([...FILTERS, 'size'].map((k) => [k, null])));
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
          <Table<PersonRow> rowKey="psn_no" columns={columns} dataSource={data?.list} loading={loading} pagination={lq.pagination(data?.total)} size="middle" scroll={{ x: 980 }} />
        )}
      </Card>
    </PageContainer>
  );
}
