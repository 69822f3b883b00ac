/** Sign-in. On a node that loaded the demo region (the server marks the page), the demo logins are offered. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { usePageTitle } from '../hooks';

const DEMO_PASSWORD = 'yibao-demo-2026';
const DEMO_LOGINS = [
  { login: 'admin', who: '管理员 · 全省' },
  { login: 'jingban', who: '经办员 · 甲市' },
  { login: 'shenhe', who: '审核员 · 乙市' },
  { login: 'jihe', who: '稽核员 · 全省' },
  { login: 'jigou', who: '机构用户' },
];

const isDemo = () => document.querySelector('meta[name="yibao-demo"]')?.getAttribute('content') === '1';

export function LoginPage() {
  usePageTitle('登录');
  const { me, login, endedReason } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (me) return <Navigate to={from === '/login' ? '/' : from} replace />;

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password);
      navigate(from === '/login' ? '/' : from, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后重试');
      setBusy(false);
    }
  };

  const fill = (username: string) => {
    form.setFieldsValue({ username, password: DEMO_PASSWORD });
    setError(null);
  };

  return (
    <div className="yb-login">
      <section className="yb-login-brand" aria-hidden="true">
        <img src="/favicon.svg" alt="" width={48} height={48} />
        <h1>yibao 智慧医保信息平台</h1>
        <p>医疗保障经办、结算、智能监管与支付方式改革的一体化管理端，遵循国家医疗保障信息业务编码标准。</p>
        <ul>
          <li>参保登记、待遇与个人账户</li>
          <li>医保目录、定点医药机构与医保医师</li>
          <li>按区划分级授权，全程操作留痕</li>
        </ul>
      </section>
      <main className="yb-login-panel">
        <Card className="yb-login-card" variant="borderless" style={{ boxShadow: '0 6px 24px rgba(11,37,69,0.08)' }}>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            工作人员登录
          </Typography.Title>
          <Typography.Paragraph type="secondary">请使用本人账号登录，登录与操作均记入操作日志。</Typography.Paragraph>
          {endedReason && !error ? <Alert type="warning" showIcon title={endedReason} style={{ marginBottom: 16 }} /> : null}
          {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
          <Form form={form} name="login" layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
            <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" placeholder="登录名" />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" placeholder="密码" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={busy}>
              登录
            </Button>
          </Form>
          {isDemo() ? (
            <Alert
              style={{ marginTop: 20 }}
              type="info"
              title="演示环境"
              description={
                <div>
                  <div style={{ marginBottom: 8 }}>
                    以下演示账号的密码均为 <Typography.Text code>{DEMO_PASSWORD}</Typography.Text>，点击即可填入：
                  </div>
                  <Space size={[6, 6]} wrap>
                    {DEMO_LOGINS.map((d) => (
                      <Button key={d.login} size="small" onClick={() => fill(d.login)} aria-label={`填入演示账号 ${d.login}（${d.who}）`}>
                        {d.login} <Typography.Text type="secondary">{d.who}</Typography.Text>
                      </Button>
                    ))}
                  </Space>
                </div>
              }
            />
          ) : null}
        </Card>
      </main>
    </div>
  );
}
