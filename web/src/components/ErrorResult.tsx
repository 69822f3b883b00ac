/** How a failed load looks: 403 and 404 with the server's Chinese message, anything else with a retry button. */
import { Button, Result } from 'antd';
import { ApiError } from '../api';

export function ErrorResult({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 403) return <Result status="403" title="无权访问" subTitle={error.message} />;
  if (status === 404) return <Result status="404" title="未找到" subTitle={error.message} />;
  return (
    <Result
      status="error"
      title={status === 0 ? '无法连接服务器' : '加载失败'}
      subTitle={error.message}
      extra={onRetry ? <Button onClick={onRetry}>重试</Button> : undefined}
    />
  );
}
