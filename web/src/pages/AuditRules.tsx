/**
 * 规则库: the smart-audit rules in force on a date (/api/audit/rules), searched by id or name, class, stage and
 * state. A rule opens in a drawer (?rule=…) with its attributes, its parameters, and every version (history); a
 * user with 规则维护 permission saves a new version from a date (parameters, memo) or switches the rule on/off from
 * a date. The server validates the parameters and answers each problem in Chinese.
 */
import { App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError } from '../api';
import { AMT_FORMULAS, RULE_CLS, SEV_COLOR, SEV_DEG, STAGES, TIME_WINDOWS, VOLA_BHVR_TYPES, type RuleDef } from '../audit';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi } from '../hooks';
import { DATE, useListQuery, useSyncForm } from '../list';

const FILTERS = ['q', 'rule_cls', 'stage', 'enabled'] as const;
const opts = (m: Record<string, string>) => Object.entries(m).map(([value, label]) => ({ value, label }));
type HistoryRow = RuleDef & { opter_id: string | null; updt_time: string | null };

/** A parameter value as the form edits it: numbers and text directly, anything else as JSON. */
const isPlain = (v: unknown) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

function RuleEditor({ rule, onSaved }: { rule: RuleDef; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [problems, setProblems] = useState<string[]>([]);
  const keys = Object.keys(rule.params);
  const initial = {
    begndate: dayjs(),
    memo: rule.memo ?? '',
    ...Object.fromEntries(keys.map((k) => [`p:${k}`, isPlain(rule.params[k]) ? rule.params[k] : JSON.stringify(rule.params[k])])),
  };
  const save = async (v: Record<string, unknown>) => {
    const params: Record<string, unknown> = {};
    for (const k of keys) {
      const x = v[`p:${k}`];
      if (isPlain(rule.params[k])) params[k] = x;
      else {
        try {
          params[k] = JSON.parse(String(x));
        } catch {
          form.setFields([{ name: `p:${k}`, errors: ['不是有效的 JSON'] }]);
          return;
        }
      }
    }
    const { rule_ver: _v, paramErr: _e, ...input } = rule;
    try {
      await api(`/audit/rules/${rule.rule_id}`, { method: 'PUT', body: { ...input, params, memo: (v.memo as string) || null, begndate: (v.begndate as Dayjs).format(DATE), enddate: null } });
      setProblems([]);
      message.success(`规则 ${rule.rule_id} 已保存新版本`);
      onSaved();
    } catch (e) {
      setProblems(e instanceof ApiError && e.problems.length ? e.problems.map((p) => `${p.field ?? ''}：${p.message}`) : [(e as Error).message]);
    }
  };
  return (
    <Form form={form} layout="vertical" name="rule-edit" initialValues={initial} onFinish={save}>
      {keys.length ? null : <Typography.Paragraph type="secondary">该规则没有可调整的参数；可修改备注或启停。</Typography.Paragraph>}
      {keys.map((k) => (
        <Form.Item key={k} label={`参数 ${k}`} name={`p:${k}`} rules={[{ required: true, message: `请填写参数 ${k}` }]}>
          {typeof rule.params[k] === 'number' ? <InputNumber style={{ width: 200 }} /> : typeof rule.params[k] === 'boolean' ? <Switch /> : <Input className="yb-mono" />}
        </Form.Item>
      ))}
      <Form.Item label="备注" name="memo">
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item label="生效日期" name="begndate" rules={[{ required: true, message: '请选择生效日期' }]} extra="新版本自该日起生效，前一版本在前一天失效，历史保留">
        <DatePicker format={DATE} />
      </Form.Item>
      {problems.length ? (
        <Typography.Paragraph type="danger" role="alert">
          保存失败：{problems.join('；')}
        </Typography.Paragraph>
      ) : null}
      <Button type="primary" htmlType="submit">
        保存新版本
      </Button>
    </Form>
  );
}

function RuleDrawer({ rule_id, onClose, onChanged }: { rule_id: string; onClose: () => void; onChanged: () => void }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const { data, error, reload } = useApi<{ on: string; rule: RuleDef | null; history: HistoryRow[] }>(`/audit/rules/${encodeURIComponent(rule_id)}`);
  const [from, setFrom] = useState<Dayjs>(dayjs());
  const r = data?.rule ?? data?.history[0];
  const toggle = async (enabled: boolean) => {
    try {
      await api(`/audit/rules/${rule_id}/enabled`, { method: 'POST', body: { enabled, from: from.format(DATE) } });
      message.success(`规则 ${rule_id} 已自 ${from.format(DATE)} 起${enabled ? '启用' : '停用'}`);
      reload();
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Drawer open title={`规则 ${rule_id}${r ? ` ${r.rule_name}` : ''}`} size={720} onClose={onClose} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !r || !data ? null : (
        <Tabs
          items={[
            {
              key: 'info',
              label: '规则信息',
              children: (
                <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                  <Descriptions
                    size="small"
                    bordered
                    column={2}
                    items={[
                      { key: 'cls', label: '规则分类', children: RULE_CLS[r.rule_cls as keyof typeof RULE_CLS] ?? r.rule_cls },
                      { key: 'sev', label: '严重程度', children: <Tag color={SEV_COLOR[r.sev_deg]}>{SEV_DEG[r.sev_deg as keyof typeof SEV_DEG] ?? r.sev_deg}</Tag> },
                      { key: 'stage', label: '监管环节', children: r.stages.map((s) => STAGES[s as keyof typeof STAGES] ?? s).join('、') },
                      { key: 'tw', label: '时间范围', children: TIME_WINDOWS[r.time_window] ?? r.time_window },
                      { key: 'bhvr', label: '违规行为', children: VOLA_BHVR_TYPES[r.vola_bhvr_type] ?? r.vola_bhvr_type },
                      { key: 'amt', label: '违规金额', children: AMT_FORMULAS[r.vola_amt_formula as keyof typeof AMT_FORMULAS] ?? r.vola_amt_formula },
                      { key: 'state', label: '状态', children: r.enabled ? <Tag color="success">启用</Tag> : <Tag>停用</Tag> },
                      { key: 'ver', label: '版本', children: `第 ${r.rule_ver} 版，${r.begndate} 至 ${r.enddate ?? '长期'}` },
                      { key: 'logic', label: '规则逻辑', span: 2, children: r.logic_dscr },
                      { key: 'evid', label: '违规依据', span: 2, children: r.vola_evid },
                      { key: 'params', label: '参数', span: 2, children: <pre className="yb-json">{JSON.stringify(r.params, null, 2)}</pre> },
                    ]}
                  />
                  {can('audit:rule:write') ? (
                    <Card size="small" title="启停">
                      <Space wrap>
                        <label htmlFor="toggle-from">自</label>
                        <DatePicker id="toggle-from" format={DATE} value={from} onChange={(d) => d && setFrom(d)} allowClear={false} />
                        <Button onClick={() => toggle(!r.enabled)} danger={r.enabled}>
                          {r.enabled ? '停用规则' : '启用规则'}
                        </Button>
                      </Space>
                    </Card>
                  ) : null}
                </Space>
              ),
            },
            ...(can('audit:rule:write') ? [{ key: 'edit', label: '修改参数', children: <RuleEditor rule={r} onSaved={() => { reload(); onChanged(); }} /> }] : []),
            {
              key: 'history',
              label: `版本历史（${data.history.length}）`,
              children: (
                <Table<HistoryRow>
                  rowKey="rule_ver"
                  size="small"
                  pagination={false}
                  dataSource={data.history}
                  scroll={{ x: 700 }}
                  columns={[
                    { title: '版本', dataIndex: 'rule_ver', width: 60 },
                    { title: '有效期', key: 'period', width: 200, render: (_: unknown, h) => `${h.begndate} 至 ${h.enddate ?? '长期'}` },
                    { title: '状态', dataIndex: 'enabled', width: 70, render: (v: boolean) => (v ? '启用' : '停用') },
                    { title: '参数', dataIndex: 'params', render: (v: unknown) => <span className="yb-mono">{JSON.stringify(v)}</span> },
                    { title: '备注', dataIndex: 'memo', width: 120, render: (v: string | null) => v ?? '—' },
                    { title: '操作人', dataIndex: 'opter_id', width: 90 },
                    { title: '修改时间', dataIndex: 'updt_time', width: 150 },
                  ]}
                />
              ),
            },
          ]}
        />
      )}
    </Drawer>
  );
}

export default function AuditRules() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const q = Object.fromEntries(FILTERS.filter((k) => lq.values[k]).map((k) => [k, lq.values[k]]));
  const { data, error, loading, reload } = useApi<{ on: string; total: number; list: RuleDef[] }>('/audit/rules', q);
  const columns: TableColumnsType<RuleDef> = [
    { title: '规则编号', dataIndex: 'rule_id', width: 140, render: (v: string) => <Button type="link" size="small" onClick={() => lq.update({ rule: v }, true)} className="yb-mono">{v}</Button> },
    { title: '规则名称', dataIndex: 'rule_name', ellipsis: true },
    { title: '分类', dataIndex: 'rule_cls', width: 90, render: (v: string) => RULE_CLS[v as keyof typeof RULE_CLS] ?? v },
    { title: '监管环节', dataIndex: 'stages', width: 130, render: (v: string[]) => v.map((s) => STAGES[s as keyof typeof STAGES] ?? s).join('、') },
    { title: '严重程度', dataIndex: 'sev_deg', width: 100, render: (v: string) => <Tag color={SEV_COLOR[v]}>{SEV_DEG[v as keyof typeof SEV_DEG] ?? v}</Tag> },
    { title: '版本', dataIndex: 'rule_ver', width: 60, align: 'right' },
    { title: '生效日期', dataIndex: 'begndate', width: 110 },
    { title: '状态', dataIndex: 'enabled', width: 80, render: (v: boolean) => (v ? <Tag color="success">启用</Tag> : <Tag>停用</Tag>) },
  ];
  return (
    <PageContainer title="规则库" description={`智能审核规则（${data?.on ?? ''} 生效的版本）：分类、环节、参数、启停与版本历史`}>
      <Card className="yb-filter">
        <Form form={form} layout="inline" name="rule-search" onFinish={(v: Record<string, string | undefined>) => lq.update(Object.fromEntries(FILTERS.map((k) => [k, v[k]?.trim?.() || null])))}>
          <Form.Item label="规则编号或名称" name="q">
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="分类" name="rule_cls">
            <Select allowClear placeholder="全部" options={opts(RULE_CLS)} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item label="监管环节" name="stage">
            <Select allowClear placeholder="全部" options={opts(STAGES)} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item label="状态" name="enabled">
            <Select allowClear placeholder="全部" options={[{ value: 'true', label: '启用' }, { value: 'false', label: '停用' }]} style={{ width: 100 }} />
          </Form.Item>
          <SearchButtons onReset={() => { form.resetFields(); lq.update(Object.fromEntries(FILTERS.map((k) => [k, null]))); }} />
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<RuleDef> rowKey="rule_id" columns={columns} dataSource={data?.list} loading={loading} size="middle" pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 条规则` }} scroll={{ x: 1000 }} />
        )}
      </Card>
      {lq.values.rule ? <RuleDrawer rule_id={lq.values.rule} onClose={() => lq.update({ rule: null }, true)} onChanged={reload} /> : null}
    </PageContainer>
  );
}
