/** The frame of every console page: title, one line of what it is for, actions on the right, then the content. */
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks';

export function PageContainer({ title, description, extra, children }: { title: string; description?: ReactNode; extra?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="yb-page">
      <div className="yb-page-head">
        <div>
          <Typography.Title level={3} className="yb-page-title">
            {title}
          </Typography.Title>
          {description ? <Typography.Text type="secondary">{description}</Typography.Text> : null}
        </div>
        {extra ? <div className="yb-page-extra">{extra}</div> : null}
      </div>
      {children}
    </div>
  );
}
