/**
 * A dashboard chart in a card: title, unit, the chart, and export of what it shows — the picture as PNG and the
 * numbers behind it as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese headers).
 */
import { DownloadOutlined, FileImageOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Space, Tooltip, Typography } from 'antd';
import { useRef } from 'react';
import { chartImage, EChart, type ChartOption } from './EChart';

export interface CsvTable {
  header: string[];
  rows: (string | number | null)[][];
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: CsvTable): string {
  return `\uFEFF${[t.header, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function download(href: string, filename: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function downloadCsv(t: CsvTable, filename: string): void {
  const url = URL.createObjectURL(new Blob([toCsv(t)], { type: 'text/csv;charset=utf-8' }));
  download(url, filename);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ChartCard({ title, unit, option, csv, label, filename, height = 300, empty }: { title: string; unit: string; option: ChartOption; csv: CsvTable; label: string; filename: string; height?: number; empty?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const { message } = App.useApp();
  const png = () => {
    const url = chartImage(box.current);
    if (url) download(url, `${filename}.png`);
    else message.warning('图表尚未绘制完成，请稍后再试');
  };
  return (
    <Card
      title={title}
      className="yb-chart-card"
      extra={
        <Space size={4}>
          <Typography.Text type="secondary">单位：{unit}</Typography.Text>
          <Tooltip title="导出图片（PNG）">
            <Button type="text" size="small" icon={<FileImageOutlined />} aria-label={`导出「${title}」图片`} onClick={png} disabled={empty} />
          </Tooltip>
          <Tooltip title="导出数据（CSV）">
            <Button type="text" size="small" icon={<DownloadOutlined />} aria-label={`导出「${title}」数据`} onClick={() => downloadCsv(csv, `${filename}.csv`)} />
          </Tooltip>
        </Space>
      }
      styles={{ body: { padding: '12px 16px' } }}
    >
      <div ref={box}>{empty ? <Empty description="所选期间没有数据" style={{ height: height - 40, paddingTop: 40 }} /> : <EChart option={option} label={label} height={height} />}</div>
    </Card>
  );
}
