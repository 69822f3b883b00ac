/**
 * 后台任务: long server jobs (batch audit, snapshots, payment runs …) with their progress, newest first. While a
 * job runs the list is polled every 3 seconds; opening a job (?job=…) follows it every second until it ends,
 * with its stage, progress, estimated time left, and its result or error.
 */
import { Button, Card, Descriptions, Drawer, Empty, Progress, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect } from 'react';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas } from '../hooks';
import { formatInstant, JOB_KINDS, JOB_STATUS } from '../labels';
import { useListQuery } from '../list';
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

export default function Jobs() {
  const lq = useListQuery();
  const kind = lq.values.kind;
  const { data, error, loading, reload } = useApi<{ list: Job[] }>('/jobs', kind ? { kind } : {});
  const running = (data?.list ?? []).some((j) => j.status === 'running' || j.status === 'queued');
  usePolling(running, reload, LIST_POLL_MS);
  const open = lq.values.job;

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
        <Space>
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
    </PageContainer>
  );
}
