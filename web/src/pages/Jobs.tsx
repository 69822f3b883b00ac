/**
 * 后台任务: long server jobs (batch audit, snapshots, payment runs …) with their progress, newest first. While a
 * job runs the list is polled every 3 seconds; opening a job (?job=…) follows it every second until it ends,
 * with its stage, progress, estimated time left, and its result or error. Two jobs start from here: the 事后 batch
 * audit of a period (POST /api/audit/batch: 维护规则库 permission, node-wide users; the server refuses others in
 * Chinese) and a DRG/DIP payment year run (POST /api/payment/runs); the new job opens at once and is followed until done.
 */
import { App, Button, Card, DatePicker, Descriptions, Drawer, Empty, Form, InputNumber, Modal, Progress, Radio, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import type { RuleDef } from '../audit';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas } from '../hooks';
import { formatInstant, JOB_KINDS, JOB_STATUS } from '../labels';
import { DATE, useListQuery } from '../list';
import type { Job } from '../types';

const LIST_POLL_MS = 3_000;
const FOLLOW_POLL_MS = 1_000;

/** Re-runs `reload` every `ms` while `active`. */
function usePolling(active: boolean, reload: () => void, ms: number): void {
  useEffect(() => {
    if (!active) return;
    const t = setInterval(reload, ms);
    return () => clearInterval(t);
  }, [active, reload, ms]);
}

function JobProgress({ job, size }: { job: Job; size?: 'small' | 'default' }) {
  const status = job.status === 'failed' || job.status === 'interrupted' ? 'exception' : job.status === 'done' ? 'success' : 'active';
  const pct = job.status === 'done' ? 100 : job.ratio !== null ? Math.floor(job.ratio * 1000) / 10 : 0;
  const text = job.total !== null ? `${job.done.toLocaleString('zh-CN')} / ${job.total.toLocaleString('zh-CN')}` : `${job.done.toLocaleString('zh-CN')} 项`;
  return (
    <div aria-label={`进度 ${pct}%，${text}`}>
      <Progress percent={pct} status={status} size={size === 'small' ? 'small' : 'default'} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {text}
      </Typography.Text>
    </div>
  );
}

const kindName = (k: string) => JOB_KINDS[k] ?? k;
const eta = (s: number | null) => (s === null ? '—' : s >= 3600 ? `约 ${Math.ceil(s / 3600)} 小时` : s >= 60 ? `约 ${Math.ceil(s / 60)} 分钟` : `约 ${s} 秒`);

function JobDrawer({ job_id, onClose }: { job_id: string; onClose: () => void }) {
  const { data, error, reload } = useApi<Job>(`/jobs/${encodeURIComponent(job_id)}`);
  const areas = useAreas();
  usePolling(data?.status === 'running' || data?.status === 'queued', reload, FOLLOW_POLL_MS);
  return (
    <Drawer open title={`任务 ${job_id}`} size={560} onClose={onClose} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !data ? null : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <JobProgress job={data} />
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'kind', label: '任务类型', children: kindName(data.kind) },
              { key: 'status', label: '状态', children: <Tag color={JOB_STATUS[data.status]?.color}>{JOB_STATUS[data.status]?.label ?? data.status}</Tag> },
              { key: 'stage', label: '当前步骤', children: data.stage ?? '—' },
              { key: 'eta', label: '预计剩余时间', children: data.status === 'running' ? eta(data.eta_s) : '—' },
              { key: 'area', label: '区划', children: data.admdvs ? areas.name(data.admdvs) : '全节点' },
              { key: 'opter', label: '发起人', children: `${data.opter_name}（${data.opter_id}）` },
              { key: 'start', label: '开始时间', children: formatInstant(data.start_time) },
              { key: 'end', label: '结束时间', children: formatInstant(data.end_time) },
              ...(data.err_msg ? [{ key: 'err', label: '失败原因', children: <Typography.Text type="danger">{data.err_msg}</Typography.Text> }] : []),
            ]}
          />
          <div>
            <Typography.Title level={5}>参数</Typography.Title>
            <pre className="yb-json">{JSON.stringify(data.params, null, 2)}</pre>
            {data.result !== null && data.result !== undefined ? (
              <>
                <Typography.Title level={5}>结果</Typography.Title>
                <pre className="yb-json">{JSON.stringify(data.result, null, 2)}</pre>
              </>
            ) : null}
          </div>
        </Space>
      )}
    </Drawer>
  );
}

/** The batch-audit API is built separately: until the server has it, say so plainly instead of a bare 404. */
export const BATCH_MISSING = '当前服务器尚未提供事后批量审核接口（POST /api/audit/batch），无法从管理端发起；请升级 yibao 服务，或在服务器上运行 yibao audit batch';

/** The server answers an unknown route with 404 「接口不存在：…」 (src/server/error-handler.ts). */
function batchError(e: unknown): string {
  if (e instanceof ApiError && e.status === 404 && e.message.startsWith('接口不存在')) return BATCH_MISSING;
  return (e as Error).message;
}

/** 发起事后批量审核: a period (encounters registered in it) and, optionally, some rules; answers the new job's id. */
function BatchDialog({ onClose, onStarted }: { onClose: () => void; onStarted: (job_id: string) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const rules = useApi<{ list: RuleDef[] }>('/audit/rules', { stage: '3', enabled: true });
  const submit = async (v: { range: [Dayjs, Dayjs]; rules?: string[] }) => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await api<{ job_id: string }>('/audit/batch', { method: 'POST', body: { from: v.range[0].format(DATE), to: v.range[1].format(DATE), ...(v.rules?.length ? { rules: v.rules } : {}) } });
      message.success(`已发起事后批量审核，任务 ${r.job_id}`);
      onStarted(r.job_id);
    } catch (e) {
      setProblem(batchError(e));
    } finally {
      setBusy(false);
    }
  };
  const lastMonth = dayjs().subtract(1, 'month');
  return (
    <Modal open title="发起事后批量审核" okText="发起" cancelText="取消" onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden width={620}>
      <Form form={form} layout="vertical" name="batch-audit" onFinish={submit} initialValues={{ range: [lastMonth.startOf('month'), lastMonth.endOf('month')] }}>
        <Form.Item label="就诊登记日期" name="range" rules={[{ required: true, message: '请选择审核期间' }]} extra="审核在此期间登记的就诊（含其历史就诊作为依据）">
          <DatePicker.RangePicker format={DATE} placeholder={['开始日期', '结束日期']} style={{ width: 280 }} />
        </Form.Item>
        <Form.Item label="规则（不选则运行全部启用的事后规则）" name="rules">
          <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} loading={rules.loading} placeholder="全部事后规则" options={(rules.data?.list ?? []).map((r) => ({ value: r.rule_id, label: `${r.rule_id} ${r.rule_name}` }))} />
        </Form.Item>
        {problem ? (
          <Typography.Paragraph type="danger" role="alert">
            {problem}
          </Typography.Paragraph>
        ) : null}
      </Form>
    </Modal>
  );
}

/** 发起年度付费计算: a pooling area, DRG or DIP, a settlement year. */
function PayRunDialog({ onClose, onStarted }: { onClose: () => void; onStarted: (job_id: string) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const areas = useAreas();
  const pools = areas.list.filter((a) => a.in_scope && a.poolarea_flag === '1').map((a) => ({ value: a.admdvs, label: `${a.admdvs_name}（${a.admdvs}）` }));
  const submit = async (v: { admdvs: string; pay_type: string; setl_year: number }) => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await api<{ job_id: string }>('/payment/runs', { method: 'POST', body: v });
      message.success(`已发起年度付费计算，任务 ${r.job_id}`);
      onStarted(r.job_id);
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title="发起年度付费计算" okText="发起" cancelText="取消" onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden width={520}>
      <Form form={form} layout="vertical" name="pay-run" onFinish={submit} initialValues={{ pay_type: 'drg', setl_year: dayjs().year() }}>
        <Form.Item label="统筹区" name="admdvs" rules={[{ required: true, message: '请选择统筹区' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} placeholder="选择统筹区" options={pools} style={{ width: 280 }} />
        </Form.Item>
        <Form.Item label="付费方式" name="pay_type">
          <Radio.Group
            options={[
              { value: 'drg', label: 'DRG' },
              { value: 'dip', label: 'DIP' },
            ]}
          />
        </Form.Item>
        <Form.Item label="清算年度" name="setl_year" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber min={2000} max={2999} precision={0} style={{ width: 140 }} />
        </Form.Item>
        {problem ? (
          <Typography.Paragraph type="danger" role="alert">
            {problem}
          </Typography.Paragraph>
        ) : null}
      </Form>
    </Modal>
  );
}

export default function Jobs() {
  const lq = useListQuery();
  const kind = lq.values.kind;
  const { data, error, loading, reload } = useApi<{ list: Job[] }>('/jobs', kind ? { kind } : {});
  const running = (data?.list ?? []).some((j) => j.status === 'running' || j.status === 'queued');
  usePolling(running, reload, LIST_POLL_MS);
  const open = lq.values.job;
  const { can } = useAuth();
  const [dialog, setDialog] = useState<'batch' | 'pay' | null>(null);
  const started = (job_id: string) => {
    setDialog(null);
    reload();
    lq.update({ job: job_id }, true);
  };

  const columns: TableColumnsType<Job> = [
    {
      title: '任务',
      key: 'kind',
      width: 280,
      render: (_: unknown, j) => (
        <Button type="link" style={{ padding: 0, height: 'auto', textAlign: 'start' }} onClick={() => lq.update({ job: j.job_id }, true)} aria-label={`${kindName(j.kind)} ${j.job_id}，查看详情`}>
          <span>
            {kindName(j.kind)}
            <br />
            <span className="yb-mono" style={{ fontSize: 12 }}>
              {j.job_id}
            </span>
          </span>
        </Button>
      ),
    },
    { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <Tag color={JOB_STATUS[v]?.color}>{JOB_STATUS[v]?.label ?? v}</Tag> },
    { title: '进度', key: 'progress', width: 260, render: (_: unknown, j) => <JobProgress job={j} size="small" /> },
    { title: '当前步骤', dataIndex: 'stage', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '发起人', dataIndex: 'opter_name', width: 110 },
    { title: '开始时间', dataIndex: 'start_time', width: 150, render: (v: string) => formatInstant(v) },
    { title: '结束时间', dataIndex: 'end_time', width: 150, render: (v: string | null) => formatInstant(v) },
  ];

  return (
    <PageContainer
      title="后台任务"
      description="批量审核、数据快照、年度清算等长时间运行的任务；运行中的任务自动刷新进度"
      extra={
        <Space wrap>
          {can('audit:rule:write') ? <Button onClick={() => setDialog('batch')}>发起事后批量审核</Button> : null}
          {can('payment:write') ? <Button onClick={() => setDialog('pay')}>发起年度付费计算</Button> : null}
          <label htmlFor="job-kind" className="yb-inline-label">
            任务类型
          </label>
          <Select id="job-kind" allowClear placeholder="全部" value={kind} style={{ width: 180 }} options={Object.entries(JOB_KINDS).map(([value, label]) => ({ value, label }))} onChange={(v: string | undefined) => lq.update({ kind: v ?? null })} />
          <Button onClick={reload} loading={loading}>
            刷新
          </Button>
        </Space>
      }
    >
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<Job> rowKey="job_id" columns={columns} dataSource={data?.list} loading={loading && !data} pagination={false} size="middle" scroll={{ x: 1100 }} locale={{ emptyText: <Empty description="还没有后台任务" /> }} />
        )}
      </Card>
      {open ? <JobDrawer job_id={open} onClose={() => lq.update({ job: null }, true)} /> : null}
      {dialog === 'batch' ? <BatchDialog onClose={() => setDialog(null)} onStarted={started} /> : null}
      {dialog === 'pay' ? <PayRunDialog onClose={() => setDialog(null)} onStarted={started} /> : null}
    </PageContainer>
  );
}
