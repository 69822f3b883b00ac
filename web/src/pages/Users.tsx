/**
 * 用户管理 (administrators): staff accounts in the administrator's areas — create, change name/role/area,
 * reset password, disable and enable. A generated password is shown once, right after it is made. Without
 * user:write the page is read-only.
 */
import { PlusOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError, type Page } from '../api';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas } from '../hooks';
import { formatInstant, ROLE_COLOR, USER_STATUS } from '../labels';
import { fromForm, useListQuery, useSyncForm } from '../list';
import type { Institution, RoleCode, RoleInfo, StaffUser } from '../types';

const FILTERS = ['q', 'role', 'status'] as const;
const LOGIN_RE = /^[a-z][a-z0-9._-]{1,31}$/;

interface UserForm {
  user_id: string;
  user_name: string;
  role: RoleCode;
  admdvs?: string;
  fixmedins_code?: string;
  password?: string;
}

function InstitutionSelect({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  const [q, setQ] = useState('');
  const { data, loading } = useApi<Page<Institution>>('/institutions', { q: q || undefined, page_size: 20 });
  const options = (data?.list ?? []).map((i) => ({ value: i.fixmedins_code, label: `${i.fixmedins_name}（${i.fixmedins_code}）` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: value });
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value}
      onChange={onChange}
      loading={loading}
      options={options}
      placeholder="输入编码、名称或拼音首字母搜索"
      notFoundContent={loading ? '搜索中…' : '没有匹配的定点机构'}
    />
  );
}

/** Shows a password once, with a copy button. */
function showPassword(modal: ReturnType<typeof App.useApp>['modal'], title: string, user: StaffUser, password: string) {
  modal.success({
    title,
    width: 480,
    content: (
      <div>
        <p>
          用户 <b>{user.user_name}</b>（{user.user_id}）的初始密码如下，<b>仅显示这一次</b>，请当面或通过安全渠道告知本人，并提醒其登录后修改：
        </p>
        <Typography.Paragraph copyable={{ text: password }} className="yb-mono" style={{ fontSize: 18 }} data-testid="initial-password">
          {password}
        </Typography.Paragraph>
      </div>
    ),
    okText: '我已记下',
  });
}

function UserModal({ editing, open, roles, onClose, onSaved }: { editing: StaffUser | null; open: boolean; roles: RoleInfo[]; onClose: () => void; onSaved: (u: StaffUser, password?: string) => void }) {
  const [form] = Form.useForm<UserForm>();
  const areas = useAreas();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const role = Form.useWatch('role', form);

  useEffect(() => {
    if (!open) return;
    if (editing) form.setFieldsValue({ user_id: editing.user_id, user_name: editing.user_name, role: editing.role, admdvs: editing.admdvs, fixmedins_code: editing.fixmedins_code ?? undefined });
    else form.resetFields();
  }, [open, editing, form]);

  const submit = async () => {
    let v: UserForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const place = v.role === 'institution' ? { fixmedins_code: v.fixmedins_code } : { admdvs: v.admdvs };
      if (editing) {
        const patch: Record<string, unknown> = {};
        if (v.user_name.trim() !== editing.user_name) patch.user_name = v.user_name.trim();
        if (v.role !== editing.role) patch.role = v.role;
        if (v.role === 'institution') {
          if (v.fixmedins_code !== editing.fixmedins_code) patch.fixmedins_code = v.fixmedins_code;
        } else {
          if (v.admdvs !== editing.admdvs || editing.role === 'institution') patch.admdvs = v.admdvs;
          if (editing.fixmedins_code) patch.fixmedins_code = null;
        }
        if (!Object.keys(patch).length) {
          message.info('没有需要保存的修改');
          onClose();
          return;
        }
        const r = await api<{ user: StaffUser }>(`/users/${encodeURIComponent(editing.user_id)}`, { method: 'PATCH', body: patch });
        message.success(`已保存用户 ${r.user.user_id}`);
        onSaved(r.user);
      } else {
        const r = await api<{ user: StaffUser; initial_password?: string }>('/users', {
          method: 'POST',
          body: { user_id: v.user_id.trim(), user_name: v.user_name.trim(), role: v.role, ...place, ...(v.password ? { password: v.password } : {}) },
        });
        message.success(`已创建用户 ${r.user.user_id}`);
        onSaved(r.user, r.initial_password);
      }
    } catch (e) {
      const err = e as ApiError;
      const known = ['user_id', 'user_name', 'role', 'admdvs', 'fixmedins_code', 'password'];
      const fieldErrors = (err.problems ?? []).filter((p) => p.field && known.includes(p.field));
      if (fieldErrors.length) form.setFields(fieldErrors.map((p) => ({ name: p.field as keyof UserForm, errors: [p.message] })));
      else message.error(err.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={editing ? `修改用户 ${editing.user_id}` : '新增用户'} open={open} onOk={submit} onCancel={onClose} okText={editing ? '保存' : '创建'} confirmLoading={saving} destroyOnHidden width={520}>
      <Form form={form} name="user-form" layout="vertical" preserve={false}>
        <Form.Item
          label="登录名"
          name="user_id"
          rules={[
            { required: true, message: '请输入登录名' },
            { pattern: LOGIN_RE, message: '以小写字母开头，2–32 位小写字母、数字、点、下划线或连字符' },
          ]}
        >
          <Input disabled={!!editing} autoComplete="off" placeholder="如 zhangsan" />
        </Form.Item>
        <Form.Item label="姓名" name="user_name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }, { max: 50, message: '不超过 50 个字符' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={roles.map((r) => ({ value: r.code, label: `${r.name} — ${r.summary}` }))} placeholder="选择角色" />
        </Form.Item>
        {role === 'institution' ? (
          <Form.Item label="所属定点机构" name="fixmedins_code" rules={[{ required: true, message: '机构用户必须指定所属定点机构' }]} extra="机构用户的区划自动取所属机构的区划">
            <InstitutionSelect />
          </Form.Item>
        ) : (
          <Form.Item label="管辖区划" name="admdvs" rules={[{ required: true, message: '请选择管辖区划' }]} extra="用户可查看该区划及其下级区划的数据">
            <Select options={areas.options} placeholder="选择区划" showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        )}
        {editing ? null : (
          <Form.Item label="初始密码" name="password" extra="留空则自动生成 14 位随机密码（仅显示一次）">
            <Input.Password autoComplete="new-password" placeholder="留空自动生成" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export default function Users() {
  const { me, can } = useAuth();
  const { message, modal } = App.useApp();
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const areas = useAreas();
  const rolesApi = useApi<{ roles: RoleInfo[] }>('/roles');
  const roles = rolesApi.data?.roles ?? [];
  const { data, error, loading, reload } = useApi<Page<StaffUser>>('/users', lq.apiQuery(FILTERS));
  const [modalState, setModalState] = useState<{ open: boolean; editing: StaffUser | null }>({ open: false, editing: null });
  const writable = can('user:write');

  const act = async (u: StaffUser, what: 'password' | 'disable' | 'enable') => {
    try {
      const r = await api<{ user: StaffUser; initial_password?: string }>(`/users/${encodeURIComponent(u.user_id)}/${what}`, { method: 'POST' });
      if (what === 'password' && r.initial_password) showPassword(modal, '密码已重置', r.user, r.initial_password);
      else message.success(what === 'disable' ? `已停用 ${u.user_id}，其登录已全部失效` : `已启用 ${u.user_id}`);
      reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const columns: TableColumnsType<StaffUser> = [
    { title: '登录名', dataIndex: 'user_id', width: 120, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '姓名', dataIndex: 'user_name', width: 180 },
    { title: '角色', dataIndex: 'role', width: 96, render: (v: RoleCode, r) => <Tag color={ROLE_COLOR[v]}>{r.role_name}</Tag> },
    {
      title: '管辖区划 / 所属机构',
      key: 'place',
      render: (_: unknown, r) => (
        <span title={r.admdvs}>
          {areas.name(r.admdvs)}
          {r.fixmedins_code ? <Typography.Text type="secondary"> · {r.fixmedins_code}</Typography.Text> : null}
        </span>
      ),
    },
    { title: '状态', dataIndex: 'status', width: 80, render: (v: string) => <Badge status={v === 'active' ? 'success' : 'default'} text={USER_STATUS[v] ?? v} /> },
    { title: '最近登录', dataIndex: 'last_login_at', width: 150, render: (v: string | null) => formatInstant(v) },
  ];
  if (writable) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 210,
      fixed: 'right',
      render: (_: unknown, u) => {
        const self = u.user_id === me?.user.user_id;
        return (
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => setModalState({ open: true, editing: u })}>
              修改
            </Button>
            <Popconfirm title={`重置 ${u.user_id} 的密码？`} description="将生成新密码并使其所有登录失效" okText="重置" cancelText="取消" onConfirm={() => act(u, 'password')}>
              <Button type="link" size="small">
                重置密码
              </Button>
            </Popconfirm>
            {u.status === 'active' ? (
              <Popconfirm title={`停用 ${u.user_id}？`} description="停用后该用户无法登录，现有登录立即失效" okText="停用" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => act(u, 'disable')} disabled={self}>
                <Button type="link" size="small" danger disabled={self} title={self ? '不能停用自己的账号' : undefined}>
                  停用
                </Button>
              </Popconfirm>
            ) : (
              <Popconfirm title={`启用 ${u.user_id}？`} okText="启用" cancelText="取消" onConfirm={() => act(u, 'enable')}>
                <Button type="link" size="small">
                  启用
                </Button>
              </Popconfirm>
            )}
          </Space>
        );
      },
    });
  }

  return (
    <PageContainer
      title="用户管理"
      description="本区划及下级区划的工作人员账号；角色决定功能权限，区划决定数据权限"
      extra={
        writable ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModalState({ open: true, editing: null })}>
            新增用户
          </Button>
        ) : null
      }
    >
      <Card className="yb-filter">
        <Form form={form} name="user-search" layout="inline" onFinish={(v: Record<string, unknown>) => lq.update(fromForm(v))}>
          <Form.Item label="关键字" name="q">
            <Input allowClear placeholder="登录名 / 姓名" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="角色" name="role">
            <Select allowClear placeholder="全部" options={roles.map((r) => ({ value: r.code, label: r.name }))} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item label="状态" name="status">
            <Select allowClear placeholder="全部" options={Object.entries(USER_STATUS).map(([value, label]) => ({ value, label }))} style={{ width: 110 }} />
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
        {error ? <ErrorResult error={error} onRetry={reload} /> : <Table<StaffUser> rowKey="user_id" columns={columns} dataSource={data?.list} loading={loading} pagination={lq.pagination(data?.total)} size="middle" scroll={{ x: 1000 }} />}
      </Card>
      <UserModal
        open={modalState.open}
        editing={modalState.editing}
        roles={roles}
        onClose={() => setModalState({ open: false, editing: null })}
        onSaved={(u, password) => {
          setModalState({ open: false, editing: null });
          if (password) showPassword(modal, '用户已创建', u, password);
          reload();
        }}
      />
    </PageContainer>
  );
}
