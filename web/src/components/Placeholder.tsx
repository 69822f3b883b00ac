/** The 「建设中」 page of a section whose API is still being built: what it will do, no invented data. */
import { ToolOutlined } from '@ant-design/icons';
import { Card, Result, Tag, Typography } from 'antd';
import type { NavItem, NavSection } from '../nav';
import { PageContainer } from './PageContainer';

export function Placeholder({ item }: { item: NavItem & { section: NavSection } }) {
  const plan = item.planned;
  return (
    <PageContainer title={item.label} description={`${item.section.label} · 功能建设中`}>
      <Card>
        <Result
          icon={<ToolOutlined style={{ color: '#1261c7' }} />}
          title={
            <span>
              {item.label} <Tag color="processing">建设中</Tag>
            </span>
          }
          subTitle={plan?.summary ?? '该功能正在建设中。'}
        >
          {plan ? (
            <div style={{ maxWidth: 560, margin: '0 auto' }}>
              <Typography.Paragraph strong>上线后将提供：</Typography.Paragraph>
              <ul>
                {plan.features.map((f) => (
                  <li key={f}>
                    <Typography.Text>{f}</Typography.Text>
                  </li>
                ))}
              </ul>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                依赖的服务端功能：{plan.dependsOn}。接口就绪后本页将直接显示真实业务数据，此前不展示任何示意数据。
              </Typography.Paragraph>
            </div>
          ) : null}
        </Result>
      </Card>
    </PageContainer>
  );
}
