/** The 查询 / 重置 pair that ends a filter form: submit the form, or clear it and the URL's filters. */
import { Button, Form, Space } from 'antd';

export function SearchButtons({ onReset }: { onReset: () => void }) {
  return (
    <Form.Item>
      <Space>
        <Button type="primary" htmlType="submit">
          查询
        </Button>
        <Button onClick={onReset}>重置</Button>
      </Space>
    </Form.Item>
  );
}
