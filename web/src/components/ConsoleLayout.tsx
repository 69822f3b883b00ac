/**
 * The console frame: the left menu (sections and the pages this role may open; 「建设中」 marks pages whose API is
 * still being built), the top bar (where am I, my area, my account: change password, sign out) and the page.
 */
import { DownOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Breadcrumb, Button, Dropdown, Form, Input, Layout, Menu, Modal, Space, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { matchPath, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { useAreas } from '../hooks';
import { ROLE_COLOR } from '../labels';
import { ALL_ITEMS, NAV, visibleTo } from '../nav';

function useCurrentItem() {
  const { pathname } = useLocation();
  return useMemo(() => ALL_ITEMS.find((i) => matchPath({ path: i.path, end: true }, pathname)) ?? null, [pathname]);
}

function PasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ old_password: string; new_password: string; confirm: string }>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api('/auth/password', { method: 'POST', body: { old_password: v.old_password, new_password: v.new_password } });
      message.success('密码已修改，其他设备上的登录已失效');
      form.resetFields();
      onClose();
    } catch (e) {
      const err = e as ApiError;
      const fields = (err.problems ?? []).filter((p) => p.field === 'old_password' || p.field === 'new_password');
      if (fields.length) form.setFields(fields.map((p) => ({ name: p.field as 'old_password', errors: [p.message] })));
      else message.error(err.message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title="修改密码" open={open} onOk={submit} onCancel={onClose} okText="确认修改" confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" name="change-password" preserve={false}>
        <Form.Item label="原密码" name="old_password" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label="新密码" name="new_password" rules={[{ required: true, message: '请输入新密码' }]} extra="8–128 位，须同时包含字母和数字，不能包含登录名">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          dependencies={['new_password']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_r, v) => (!v || v === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ConsoleLayout() {
  const { me, can, logout } = useAuth();
  const navigate = useNavigate();
  const areas = useAreas();
  const current = useCurrentItem();
  const [collapsed, setCollapsed] = useState(false);
  const [pwdOpen, setPwdOpen] = useState(false);
  const role = me?.user.role;

  const menuItems = useMemo<MenuProps['items']>(
    () =>
      NAV.map((section) => {
        const items = section.items.filter((i) => !i.hidden && visibleTo(i, role, can));
        if (!items.length) return null;
        return {
          key: section.key,
          icon: section.icon,
          label: section.label,
          children: items.map((i) => ({
            key: i.key,
            label: i.planned ? (
              <span>
                {i.label}
                <Tag className="yb-menu-tag" color="default" style={{ marginInlineStart: 8, fontSize: 11, lineHeight: '16px', paddingInline: 4 }}>
                  建设中
                </Tag>
              </span>
            ) : (
              i.label
            ),
          })),
        };
      }).filter((x) => x !== null),
    [role, can],
  );

  const selectedKey = current ? (current.parent ?? current.key) : '';
  const [openKeys, setOpenKeys] = useState<string[]>(() => (current ? [current.section.key] : ['monitor']));
  const [lastSection, setLastSection] = useState(current?.section.key);
  // entering another section (by a link, not the menu) opens it in the menu
  if (current && current.section.key !== lastSection) {
    setLastSection(current.section.key);
    if (!openKeys.includes(current.section.key)) setOpenKeys([...openKeys, current.section.key]);
  }

  const onMenuClick: MenuProps['onClick'] = ({ key }) => {
    const item = ALL_ITEMS.find((i) => i.key === key);
    if (item) navigate(item.path);
  };

  const userMenu: MenuProps = {
    items: [
      { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'password') setPwdOpen(true);
      if (key === 'logout') void logout().then(() => navigate('/login', { replace: true }));
    },
  };

  if (!me) return null;
  const scopeText = me.user.fixmedins_code ? `本机构 ${me.user.fixmedins_code}` : areas.name(me.user.admdvs);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} trigger={null} width={224} collapsedWidth={64} style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
        <div className="yb-brand">
          <img src="/favicon.svg" alt="" />
          {collapsed ? null : (
            <div>
              yibao 智慧医保
              <small>医疗保障信息平台 · 管理端</small>
            </div>
          )}
        </div>
        <nav aria-label="主菜单">
          <Menu theme="dark" mode="inline" items={menuItems} selectedKeys={[selectedKey]} openKeys={collapsed ? undefined : openKeys} onOpenChange={setOpenKeys} onClick={onMenuClick} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="yb-header">
          <Button type="text" aria-label={collapsed ? '展开菜单' : '收起菜单'} icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />} onClick={() => setCollapsed(!collapsed)} />
          <Breadcrumb items={current ? [{ title: current.section.label }, ...(current.parent ? [{ title: ALL_ITEMS.find((i) => i.key === current.parent)?.label ?? '' }] : []), { title: current.label }] : [{ title: '页面不存在' }]} />
          <div className="yb-header-spacer" />
          <Tooltip title="数据权限：只显示该区划及下级区划的数据">
            <Typography.Text type="secondary">管辖区划：{scopeText}</Typography.Text>
          </Tooltip>
          <Dropdown menu={userMenu} trigger={['click']}>
            <Button type="text" aria-label={`当前用户 ${me.user.user_name}，打开账号菜单`} style={{ height: 40 }}>
              <Space size={8}>
                <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1261c7' }} />
                <span>{me.user.user_name}</span>
                <Tag color={ROLE_COLOR[me.user.role]} style={{ marginInlineEnd: 0 }}>
                  {me.user.role_name}
                </Tag>
                <DownOutlined style={{ fontSize: 10 }} />
              </Space>
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content className="yb-content">
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
      <PasswordModal open={pwdOpen} onClose={() => setPwdOpen(false)} />
    </Layout>
  );
}
