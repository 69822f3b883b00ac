/**
 * 审核案件 (/audit/cases/:case_id): one review case with its suspects and their evidence, the trail of every step
 * (who, role, opinion, amount), recoveries, and the workflow actions the signed-in user may take now (the server
 * says which: 初审 / 复审 / 机构申诉 / 机构认可 / 申诉期满 / 调查核实 / 违规处理 / 追回到账). Deciding steps ask for a
 * conclusion (认定 / 排除) and an opinion; 违规处理 asks for 拒付 or 追回 and the confirmed amount per suspect.
 */
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api';
import { CASE_ACTION_NAMES, CASE_STAS_COLOR, DECIDING, NEEDS_OPINION, SEV_COLOR, SEV_DEG, type CaseDetail } from '../audit';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi } from '../hooks';
import { yuan } from '../labels';
import { Evidence } from './AuditSuspects';

type Suspect = CaseDetail['suspects'][number];
/** Who a case can be handed to (/api/audit/reviewers). */
interface Reviewer {
  user_id: string;
  user_name: string;
  role_name: string;
  admdvs: string;
}

function ActionDialog({ c, action, onClose, onDone }: { c: CaseDetail; action: string; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const name = CASE_ACTION_NAMES[action] ?? action;
  const reviewers = useApi<{ list: Reviewer[] }>(action === 'assign' ? '/audit/reviewers' : null, { admdvs: c.case.admdvs });
  const submit = async (v: { conclusion?: string; opinion?: string; dspo_type?: string; assignee_id?: string; amounts?: Record<string, number> }) => {
    setBusy(true);
    try {
      await api(`/audit/cases/${c.case.case_id}/actions`, {
        method: 'POST',
        body: {
          action,
          ...(v.conclusion ? { conclusion: v.conclusion } : {}),
          ...(v.opinion ? { opinion: v.opinion } : {}),
          ...(v.assignee_id ? { assignee_id: v.assignee_id } : {}),
          ...(action === 'dispose' ? { dspo_type: v.dspo_type, items: c.suspects.map((s) => ({ suspect_id: s.suspect_id, cnfm_amt: (v.amounts?.[s.suspect_id] ?? s.vola_amt ?? 0).toFixed(2) })) } : {}),
        },
      });
      message.success(`已办理：${name}`);
      onDone();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`办理：${name}`} okText="提交" cancelText="取消" onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden width={600}>
      <Form form={form} layout="vertical" name="case-action" onFinish={submit} initialValues={{ conclusion: 'confirm', dspo_type: '2', amounts: Object.fromEntries(c.suspects.map((s) => [s.suspect_id, s.vola_amt ?? 0])) }}>
        {DECIDING.has(action) ? (
          <Form.Item label="结论" name="conclusion" rules={[{ required: true, message: '请选择结论' }]}>
            <Radio.Group
              options={
                action === 'investigate'
                  ? [
                      { value: 'confirm', label: '申诉不成立，认定违规' },
                      { value: 'exclude', label: '申诉成立，排除' },
                    ]
                  : [
                      { value: 'confirm', label: '认定疑似违规，进入下一环节' },
                      { value: 'exclude', label: '排除疑点' },
                    ]
              }
            />
          </Form.Item>
        ) : null}
        {action === 'assign' ? (
          <Form.Item label="审核人" name="assignee_id" rules={[{ required: true, message: '请选择审核人' }]} extra="管辖本案件区划、在用的审核员和稽核员">
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={reviewers.loading}
              placeholder="输入姓名或登录名查找"
              notFoundContent={reviewers.error ? reviewers.error.message : '没有可分配的审核人'}
              options={(reviewers.data?.list ?? []).map((u) => ({ value: u.user_id, label: `${u.user_name}（${u.user_id}，${u.role_name}）` }))}
              style={{ width: 360 }}
            />
          </Form.Item>
        ) : null}
        {action === 'dispose' ? (
          <>
            <Form.Item label="处理方式" name="dspo_type" rules={[{ required: true, message: '请选择处理方式' }]}>
              <Radio.Group options={[{ value: '1', label: '拒付' }, { value: '2', label: '追回' }]} />
            </Form.Item>
            {c.suspects.map((s) => (
              <Form.Item key={s.suspect_id} label={`确认违规金额（元）· 疑点 ${s.suspect_id}`} name={['amounts', s.suspect_id]} rules={[{ required: true, message: '请填写金额' }]}>
                <InputNumber min={0} precision={2} style={{ width: 200 }} />
              </Form.Item>
            ))}
          </>
        ) : null}
        {NEEDS_OPINION.has(action) ? (
          <Form.Item label={action === 'appeal' ? '申诉理由' : '审核意见'} name="opinion" rules={[{ required: true, message: action === 'appeal' ? '请填写申诉理由' : '请填写审核意见' }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        ) : (
          <Form.Item label="备注" name="opinion">
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export default function AuditCaseDetail() {
  const { case_id = '' } = useParams();
  const { data, error, reload } = useApi<CaseDetail>(`/audit/cases/${encodeURIComponent(case_id)}`);
  const [action, setAction] = useState<string | null>(null);
  const c = data?.case;
  return (
    <PageContainer
      title={`审核案件 ${case_id}`}
      description={<Link to="/audit/cases">返回案件列表</Link>}
      extra={
        c ? (
          <Space wrap>
            {c.actions.length ? (
              c.actions.map((a) => (
                <Button key={a} type={a === 'assign' ? 'default' : 'primary'} onClick={() => setAction(a)}>
                  {CASE_ACTION_NAMES[a] ?? a}
                </Button>
              ))
            ) : (
              <Typography.Text type="secondary">当前环节无需您办理</Typography.Text>
            )}
          </Space>
        ) : null
      }
    >
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !data || !c ? null : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card size="small">
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2, xl: 3 }}
              items={[
                { key: 'stas', label: '案件状态', children: <Tag color={CASE_STAS_COLOR[c.case_stas]}>{c.case_stas_name}</Tag> },
                { key: 'inst', label: '定点机构', children: <span className="yb-mono">{c.fixmedins_code}</span> },
                { key: 'rules', label: '规则', children: c.rule_ids },
                { key: 'amt', label: '疑似违规金额', children: yuan(c.vola_amt) },
                { key: 'cnfm', label: '确认违规金额', children: yuan(c.cnfm_amt) },
                { key: 'dspo', label: '处理方式', children: c.dspo_type_name ?? '—' },
                { key: 'who', label: '审核人', children: c.assignee_name ?? '未分配' },
                { key: 'due', label: '本环节时限', children: c.due_date ? <span>{c.due_date}{c.overdue ? <Tag color="red" style={{ marginLeft: 4 }}>超期</Tag> : null}</span> : '—' },
                { key: 'crte', label: '立案', children: `${c.crter_name} ${c.crte_time}` },
              ]}
            />
          </Card>
          <Card size="small" title={`疑点与证据（${data.suspects.length}）`}>
            <Table<Suspect>
              rowKey="suspect_id"
              size="small"
              pagination={false}
              dataSource={data.suspects}
              scroll={{ x: 1000 }}
              expandable={{ expandedRowRender: (s) => <Evidence value={s.evidence} />, expandRowByClick: false }}
              columns={[
                { title: '疑点编号', dataIndex: 'suspect_id', width: 180, render: (v: string) => <Link to={`/audit/suspects?suspect=${v}`} className="yb-mono">{v}</Link> },
                { title: '规则', dataIndex: 'rule_name', width: 200, render: (v: string, s) => `${s.rule_id} ${v}` },
                { title: '严重程度', dataIndex: 'sev_deg', width: 100, render: (v: string) => <Tag color={SEV_COLOR[v]}>{SEV_DEG[v as keyof typeof SEV_DEG] ?? v}</Tag> },
                { title: '人员编号', dataIndex: 'psn_no', width: 190, render: (v: string) => <span className="yb-mono">{v}</span> },
                { title: '违规内容', dataIndex: 'vola_cont', ellipsis: true },
                { title: '疑似金额（元）', dataIndex: 'vola_amt', width: 120, align: 'right', render: (v: number | null) => yuan(v).replace('¥', '') },
                { title: '确认金额（元）', dataIndex: 'cnfm_amt', width: 120, align: 'right', render: (v: number | null) => (v === null ? '—' : yuan(v).replace('¥', '')) },
                { title: '状态', dataIndex: 'stas_name', width: 100 },
              ]}
            />
          </Card>
          <Card size="small" title="办理记录">
            <Timeline
              items={data.history.map((h) => ({
                key: h.hist_id,
                content: (
                  <div>
                    <Typography.Text strong>{h.action_name}</Typography.Text>
                    <Typography.Text type="secondary">
                      {'　'}
                      {h.from_stas_name ? `${h.from_stas_name} → ` : ''}
                      {h.to_stas_name}　{h.opter_name}（{h.opter_role}）　{h.crte_time}
                    </Typography.Text>
                    {h.opinion ? <div>意见：{h.opinion}</div> : null}
                    {h.amt !== null ? <div>金额：{yuan(h.amt)}</div> : null}
                  </div>
                ),
              }))}
            />
          </Card>
          {data.recoveries.length ? (
            <Card size="small" title="拒付与追回">
              <Table
                rowKey="rcv_id"
                size="small"
                pagination={false}
                dataSource={data.recoveries}
                columns={[
                  { title: '疑点编号', dataIndex: 'suspect_id' },
                  { title: '方式', dataIndex: 'dspo_type_name', width: 80 },
                  { title: '金额（元）', dataIndex: 'amt', align: 'right', render: (v: number) => yuan(v).replace('¥', '') },
                  { title: '状态', dataIndex: 'rcv_stas', width: 100, render: (v: string) => (v === '1' ? '已到账' : '待追回') },
                  { title: '到账日期', dataIndex: 'rcv_date', width: 120, render: (v: string | null) => v ?? '—' },
                ]}
              />
            </Card>
          ) : null}
        </Space>
      )}
      {action && data ? (
        <ActionDialog
          c={data}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            reload();
          }}
        />
      ) : null}
    </PageContainer>
  );
}
