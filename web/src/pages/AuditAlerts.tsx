/**
 * 事前事中提醒: the log of the real-time audit calls institutions make (3101 事前 / 3102 事中) in the user's areas
 * (/api/audit/evaluations) — when, where, which trigger scene, the patient (masked), how long the analysis took,
 * which rules fired and how the doctor answered the warnings (3103). Filters and page live in the URL; a call opens in
 * a drawer (?eval=…) with its result[] items, their detail lines and every disposition.
 */
import { Button, Card, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import type { Page } from '../api';
import { DSPO_COLOR, DSPO_SHORT, DSPO_WAYS, SEV_COLOR, SEV_DEG, STAGES, TRIG_SCENES, VOLA_BHVR_TYPES, type EvaluationDetail, type EvaluationResult, type EvaluationRow, type MaskedPatient } from '../audit';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi } from '../hooks';
import { yuan } from '../labels';
import { DATE, useListQuery, useSyncForm } from '../list';

const FILTERS = ['fixmedins_code', 'infno', 'trig_scen', 'rule_id', 'hit', 'dspo'] as const;
const INFNOS: Record<string, string> = { '3101': '事前分析（3101）', '3102': '事中分析（3102）' };

const trigName = (v: string | null) => (v ? (TRIG_SCENES[v] ? `${TRIG_SCENES[v].name}（${STAGES[TRIG_SCENES[v].stage]}）` : v) : '—');
const patientsText = (ps: MaskedPatient[]) => ps.map((p) => (p.psn_name ? `${p.psn_name} ${p.patn_id}` : p.patn_id)).join('、') || '—';

/** How the doctors answered this call's warnings: one tag per way, plus those still unanswered. */
function DspoSummary({ dspo }: { dspo: EvaluationRow['dspo'] }) {
  if (!dspo.warnings) return <Typography.Text type="secondary">无提醒</Typography.Text>;
  const open = dspo.warnings - dspo.disposed;
  return (
    <Space size={4} wrap>
      {Object.entries(dspo.ways).map(([way, n]) => (
        <Tag key={way} color={DSPO_COLOR[way]}>
          {DSPO_SHORT[way] ?? way} {n}
        </Tag>
      ))}
      {open ? <Tag color="error">未反馈 {open}</Tag> : null}
    </Space>
  );
}

function DetailLines({ r }: { r: EvaluationResult }) {
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      {r.detail.length ? (
        <Table
          size="small"
          title={() => '违规明细（judge_result_detail_dtos）'}
          rowKey={(d, i) => String(d.jrd_id ?? i)}
          pagination={false}
          dataSource={r.detail}
          columns={[
            { title: '明细标识', dataIndex: 'jrd_id', render: (v: unknown) => <span className="yb-mono">{String(v ?? '—')}</span> },
            { title: '处方/医嘱', dataIndex: 'rx_id', render: (v: unknown) => <span className="yb-mono">{String(v ?? '—')}</span> },
            { title: '类型', dataIndex: 'vola_item_type', render: (v: unknown) => (v === '1' ? '违规项' : v === '2' ? '涉及项' : String(v ?? '—')) },
            { title: '金额（元）', dataIndex: 'vola_amt', align: 'right', render: (v: unknown) => (v === null || v === undefined ? '—' : yuan(v as number).replace('¥', '')) },
          ]}
        />
      ) : null}
      <Table
        size="small"
        title={() => '医生反馈（3103）'}
        rowKey="dspo_id"
        pagination={false}
        dataSource={r.dispositions}
        locale={{ emptyText: '医生尚未反馈' }}
        columns={[
          { title: '处理方式', dataIndex: 'warn_dspo_way', render: (v: string) => DSPO_WAYS[v as keyof typeof DSPO_WAYS] ?? v },
          { title: '处理说明', dataIndex: 'dspo_dscr', render: (v: string | null) => v ?? '—' },
          { title: '医生', key: 'dr', render: (_: unknown, d) => (d.dr_name ? `${d.dr_name}（${d.dr_codg ?? '—'}）` : (d.dr_codg ?? '—')) },
          { title: '反馈时间', dataIndex: 'dspo_time', width: 160 },
        ]}
      />
    </Space>
  );
}

function EvaluationDrawer({ eval_id, onClose }: { eval_id: string; onClose: () => void }) {
  const { data, error, reload } = useApi<EvaluationDetail>(`/audit/evaluations/${encodeURIComponent(eval_id)}`);
  const e = data?.evaluation;
  const columns: TableColumnsType<EvaluationResult> = [
    { title: '规则', dataIndex: 'rule_name', width: 220, render: (v: string, r) => <Link to={`/audit/rules?rule=${r.rule_id}`}>{`${r.rule_id} ${v}`}</Link> },
    { title: '严重程度', dataIndex: 'rule_sev_deg', width: 100, render: (v: string) => <Tag color={SEV_COLOR[v]}>{SEV_DEG[v as keyof typeof SEV_DEG] ?? v}</Tag> },
    { title: '违规行为', dataIndex: 'vola_bhvr_type', width: 130, render: (v: string) => VOLA_BHVR_TYPES[v] ?? v },
    { title: '提醒内容', dataIndex: 'warn_cont', ellipsis: true },
    { title: '金额（元）', dataIndex: 'vola_amt', width: 100, align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
    { title: '医生处理', dataIndex: 'warn_dspo_way', width: 110, render: (v: string | null) => (v ? <Tag color={DSPO_COLOR[v]}>{DSPO_SHORT[v] ?? v}</Tag> : <Tag color="error">未反馈</Tag>) },
  ];
  return (
    <Drawer open title={`提醒记录 ${eval_id}`} size={900} onClose={onClose} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !e || !data ? null : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              { key: 'infno', label: '交易', children: INFNOS[e.infno] ?? e.infno },
              { key: 'trig', label: '触发场景', children: trigName(e.trig_scen) },
              { key: 'inst', label: '定点机构', children: e.fixmedins_name ? `${e.fixmedins_name}（${e.fixmedins_code}）` : (e.fixmedins_code ?? '—') },
              { key: 'psn', label: '参保人（已脱敏）', children: patientsText(e.patients) },
              { key: 'reqt', label: '请求时间', children: e.reqt_time },
              { key: 'dura', label: '分析耗时', children: `${e.ana_dura} 毫秒` },
              { key: 'rules', label: '参与规则', children: `${e.rule_cnt} 条` },
              { key: 'hits', label: '提醒条数', children: e.hit_cnt },
              { key: 'fee', label: '医疗费用', children: yuan(e.medfee_sumamt) },
              { key: 'vola', label: '疑似违规金额', children: yuan(e.vola_amt) },
              ...(e.err_rule_ids.length ? [{ key: 'err', label: '执行出错的规则', span: 2, children: <Typography.Text type="danger">{e.err_rule_ids.join('、')}</Typography.Text> }] : []),
              ...(e.warn_msg ? [{ key: 'warn', label: '提醒信息', span: 2, children: e.warn_msg }] : []),
            ]}
          />
          <Card size="small" title={`提醒结果（result，${data.result.length} 条）`}>
            <Table<EvaluationResult>
              rowKey="warn_rslt_id"
              size="small"
              pagination={false}
              dataSource={data.result}
              columns={columns}
              scroll={{ x: 860 }}
              expandable={{ expandedRowRender: (r) => <DetailLines r={r} /> }}
              locale={{ emptyText: '本次调用未触发提醒' }}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

export default function AuditAlerts() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const { data, error, loading, reload } = useApi<Page<EvaluationRow>>('/audit/evaluations', lq.apiQuery([...FILTERS, 'from', 'to']));
  const range = lq.values.from || lq.values.to ? [lq.values.from ? dayjs(lq.values.from, DATE) : null, lq.values.to ? dayjs(lq.values.to, DATE) : null] : undefined;

  const columns: TableColumnsType<EvaluationRow> = [
    {
      title: '请求时间',
      dataIndex: 'reqt_time',
      width: 170,
      render: (v: string, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => lq.update({ eval: r.eval_id }, true)} aria-label={`查看提醒记录 ${r.eval_id}（${v}）`}>
          {v}
        </Button>
      ),
    },
    { title: '交易', dataIndex: 'infno', width: 80 },
    { title: '触发场景', dataIndex: 'trig_scen', width: 150, render: (v: string | null) => trigName(v) },
    { title: '定点机构', dataIndex: 'fixmedins_name', width: 200, ellipsis: true, render: (v: string | null, r) => v ?? r.fixmedins_code ?? '—' },
    { title: '参保人（已脱敏）', dataIndex: 'patients', width: 200, render: (v: MaskedPatient[]) => <span className="yb-mono">{patientsText(v)}</span> },
    { title: '分析耗时（毫秒）', dataIndex: 'ana_dura', width: 130, align: 'right' },
    {
      title: '命中规则',
      dataIndex: 'hit_rule_ids',
      render: (v: string[], r) =>
        r.hit_cnt ? (
          <Space size={4} wrap>
            {v.map((id) => (
              <Tag key={id}>{id}</Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">未命中</Typography.Text>
        ),
    },
    { title: '提醒', dataIndex: 'hit_cnt', width: 60, align: 'right' },
    { title: '疑似金额（元）', dataIndex: 'vola_amt', width: 120, align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
    { title: '医生处理', key: 'dspo', width: 200, render: (_: unknown, r) => <DspoSummary dspo={r.dspo} /> },
  ];

  return (
    <PageContainer title="事前事中提醒" description="定点医药机构调用 3101（事前）/ 3102（事中）实时审核的记录：命中规则、提醒内容与医生的处理结果（参保人信息已脱敏）">
      <Card className="yb-filter">
        <Form
          form={form}
          layout="inline"
          name="alert-search"
          initialValues={{ range }}
          onFinish={(v: Record<string, unknown>) => {
            const r = v.range as [Dayjs | null, Dayjs | null] | undefined;
            lq.update({ ...Object.fromEntries(FILTERS.map((k) => [k, typeof v[k] === 'string' ? (v[k] as string).trim() || null : null])), from: r?.[0]?.format(DATE) ?? null, to: r?.[1]?.format(DATE) ?? null });
          }}
        >
          <Form.Item label="请求日期" name="range">
            <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} style={{ width: 250 }} />
          </Form.Item>
          <Form.Item label="定点机构编号" name="fixmedins_code">
            <Input allowClear placeholder="如 H99010200001" style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="交易" name="infno">
            <Select allowClear placeholder="全部" options={Object.entries(INFNOS).map(([value, label]) => ({ value, label }))} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label="触发场景" name="trig_scen">
            <Select allowClear placeholder="全部" options={Object.keys(TRIG_SCENES).map((value) => ({ value, label: trigName(value) }))} style={{ width: 190 }} />
          </Form.Item>
          <Form.Item label="规则编号" name="rule_id">
            <Input allowClear style={{ width: 140 }} />
          </Form.Item>
          <Form.Item label="是否命中" name="hit">
            <Select
              allowClear
              placeholder="全部"
              options={[
                { value: 'true', label: '有提醒' },
                { value: 'false', label: '未命中' },
              ]}
              style={{ width: 110 }}
            />
          </Form.Item>
          <Form.Item label="医生处理" name="dspo">
            <Select allowClear placeholder="全部" options={[{ value: 'none', label: '有未反馈的提醒' }, ...Object.entries(DSPO_SHORT).map(([value, label]) => ({ value, label }))]} style={{ width: 170 }} />
          </Form.Item>
          <SearchButtons
            onReset={() => {
              form.resetFields();
              form.setFieldsValue({ range: undefined });
              lq.update(Object.fromEntries([...FILTERS, 'from', 'to'].map((k) => [k, null])));
            }}
          />
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<EvaluationRow>
            rowKey="eval_id"
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            size="middle"
            scroll={{ x: 1500 }}
            pagination={lq.pagination(data?.total)}
            locale={{ emptyText: <Typography.Text type="secondary">没有符合条件的提醒记录</Typography.Text> }}
          />
        )}
      </Card>
      {lq.values.eval ? <EvaluationDrawer eval_id={lq.values.eval} onClose={() => lq.update({ eval: null }, true)} /> : null}
    </PageContainer>
  );
}
