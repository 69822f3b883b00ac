/**
 * 结算查询: settlements and reversals in the user's scope (an institution user: its own), searched by person
 * (人员编号 prefix or name), institution, settlement date range, insurance type, medical type, transaction and
 * status; filters and page live in the URL. A row opens the settlement's detail page.
 */
import { Card, DatePicker, Form, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import type { Page } from '../api';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi, useDict } from '../hooks';
import { formatInstant, SETL_INFNO, yuan } from '../labels';
import { DATE, useListQuery, useSyncForm } from '../list';
import type { SettlementRow } from '../types';

const FILTERS = ['q', 'fixmedins_code', 'insutype', 'med_type', 'infno', 'vali_flag'] as const;

/** 有效 / 已撤销 / 撤销记录: what a row is now. */
export function SetlState({ refd_setl_flag, vali_flag }: { refd_setl_flag: '0' | '1'; vali_flag: '0' | '1' }) {
  if (refd_setl_flag === '1') return <Tag color="orange">撤销记录</Tag>;
  return vali_flag === '1' ? <Tag color="success">有效</Tag> : <Tag color="default">已撤销</Tag>;
}

export default function Settlements() {
  const lq = useListQuery();
  const { me } = useAuth();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const insutype = useDict('insutype');
  const medType = useDict('med_type');
  const { data, error, loading, reload } = useApi<Page<SettlementRow>>('/settlements', lq.apiQuery([...FILTERS, 'begndate', 'enddate']));
  const range = lq.values.begndate || lq.values.enddate ? [lq.values.begndate ? dayjs(lq.values.begndate, DATE) : null, lq.values.enddate ? dayjs(lq.values.enddate, DATE) : null] : undefined;
  const institutionUser = Boolean(me?.user.fixmedins_code);

  const columns: TableColumnsType<SettlementRow> = [
    { title: '结算ID', dataIndex: 'setl_id', width: 230, render: (v: string) => <Link to={`/settlement/records/${v}`} className="yb-mono">{v}</Link> },
    { title: '结算时间', dataIndex: 'setl_time', width: 150, render: (v: string) => formatInstant(v) },
    { title: '交易', dataIndex: 'infno', width: 120, render: (v: string) => `${SETL_INFNO[v] ?? v}` },
    { title: '姓名', dataIndex: 'psn_name', width: 90 },
    { title: '证件号码', dataIndex: 'certno', width: 170, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '定点机构', dataIndex: 'fixmedins_name', ellipsis: true, render: (v: string | null, r) => v ?? r.fixmedins_code },
    { title: '险种', dataIndex: 'insutype', width: 150, render: (v: string) => insutype.label(v) },
    { title: '医疗类别', dataIndex: 'med_type', width: 100, render: (v: string) => medType.label(v) },
    { title: '医疗总费用', dataIndex: 'medfee_sumamt', width: 120, align: 'right', render: (v: string) => yuan(v) },
    { title: '基金支付', dataIndex: 'fund_pay_sumamt', width: 110, align: 'right', render: (v: string) => yuan(v) },
    { title: '状态', key: 'state', width: 90, render: (_: unknown, r) => <SetlState {...r} /> },
  ];

  return (
    <PageContainer title="结算查询" description={institutionUser ? '本机构的门诊、住院和购药结算及撤销记录（证件号码已脱敏）' : '管辖范围内的门诊、住院和购药结算及撤销记录（证件号码已脱敏）'}>
      <Card className="yb-filter">
        <Form
          form={form}
          name="settlement-search"
          layout="inline"
          initialValues={{ range }}
          onFinish={(v: Record<string, unknown>) => {
            const r = v.range as [Dayjs | null, Dayjs | null] | undefined;
            const patch: Record<string, string | null> = {};
            for (const k of FILTERS) patch[k] = typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : null;
            patch.begndate = r?.[0] ? r[0].format(DATE) : null;
            patch.enddate = r?.[1] ? r[1].format(DATE) : null;
            lq.update(patch);
          }}
        >
          <Form.Item label="人员编号或姓名" name="q">
            <Input allowClear placeholder="人员编号前缀 / 姓名" style={{ width: 200 }} />
          </Form.Item>
          {institutionUser ? null : (
            <Form.Item label="定点机构编号" name="fixmedins_code">
              <Input allowClear placeholder="如 H99010200001" style={{ width: 170 }} />
            </Form.Item>
          )}
          <Form.Item label="结算日期" name="range">
            <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} style={{ width: 250 }} />
          </Form.Item>
          <Form.Item label="险种" name="insutype">
            <Select allowClear placeholder="全部" options={insutype.options} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="医疗类别" name="med_type">
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部" options={medType.options} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="交易" name="infno">
            <Select allowClear placeholder="全部" options={Object.entries(SETL_INFNO).map(([value, label]) => ({ value, label: `${label}（${value}）` }))} style={{ width: 190 }} />
          </Form.Item>
          <Form.Item label="状态" name="vali_flag">
            <Select
              allowClear
              placeholder="全部"
              options={[
                { value: '1', label: '有效' },
                { value: '0', label: '已撤销' },
              ]}
              style={{ width: 110 }}
            />
          </Form.Item>
          <SearchButtons
            onReset={() => {
              form.resetFields();
              form.setFieldsValue({ range: undefined });
              lq.update(Object.fromEntries([...FILTERS, 'begndate', 'enddate', 'size'].map((k) => [k, null])));
            }}
          />
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<SettlementRow>
            rowKey="setl_id"
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            pagination={lq.pagination(data?.total)}
            size="middle"
            scroll={{ x: 1500 }}
            locale={{ emptyText: <Typography.Text type="secondary">没有符合条件的结算记录</Typography.Text> }}
          />
        )}
      </Card>
    </PageContainer>
  );
}
