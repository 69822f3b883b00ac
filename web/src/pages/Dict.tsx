/**
 * 码表与区划: the national code tables valid today (name, code, size; the items of the chosen one) and the
 * 医保区划 tree with pooling areas and the user's own scope marked.
 */
import { Card, Col, Input, Row, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi } from '../hooks';
import { dateRange } from '../labels';
import { useListQuery } from '../list';
import type { Area, DictItem, DictType } from '../types';

const LEVELS: Record<string, string> = { '1': '省级', '2': '市级', '3': '区县级' };

function CodeTables() {
  const lq = useListQuery();
  const [filter, setFilter] = useState('');
  const types = useApi<{ list: DictType[] }>('/dict');
  const selected = lq.values.type ?? types.data?.list[0]?.dict_type;
  const items = useApi<{ dict_type: string; label: string; list: DictItem[] }>(selected ? `/dict/${selected}` : null);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (types.data?.list ?? []).filter((t) => !f || t.dict_type.includes(f) || t.label.includes(f));
  }, [types.data, filter]);
  const current = types.data?.list.find((t) => t.dict_type === selected);

  const typeColumns: TableColumnsType<DictType> = [
    { title: '码表', dataIndex: 'label', render: (v: string, r) => (
      <span>
        {v}
        {v !== r.dict_type ? (
          <div>
            <Typography.Text type="secondary" className="yb-mono">
              {r.dict_type}
            </Typography.Text>
          </div>
        ) : null}
      </span>
    ) },
    { title: '代码数', dataIndex: 'item_cnt', width: 80, align: 'right' },
  ];
  const itemColumns: TableColumnsType<DictItem> = [
    { title: '代码值', dataIndex: 'value', width: 120, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '名称', dataIndex: 'label' },
    { title: '上级代码', dataIndex: 'parent_value', width: 110, render: (v: string | null) => v ?? '—' },
    { title: '有效期', key: 'dates', width: 220, render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
  ];

  if (types.error) return <ErrorResult error={types.error} onRetry={types.reload} />;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        <Card title="码表目录" extra={<Typography.Text type="secondary">{types.data ? `${types.data.list.length} 张` : ''}</Typography.Text>}>
          <Input.Search allowClear placeholder="按名称或代码筛选" aria-label="筛选码表" onChange={(e) => setFilter(e.target.value)} style={{ marginBottom: 12 }} />
          <Table<DictType>
            size="small"
            rowKey="dict_type"
            columns={typeColumns}
            dataSource={shown}
            loading={types.loading}
            pagination={false}
            scroll={{ y: 520 }}
            rowClassName={(r) => (r.dict_type === selected ? 'ant-table-row-selected' : '')}
            onRow={(r) => ({
              onClick: () => lq.update({ type: r.dict_type }, true),
              onKeyDown: (e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  lq.update({ type: r.dict_type }, true);
                }
              },
              tabIndex: 0,
              style: { cursor: 'pointer' },
              'aria-label': `查看码表 ${r.label}`,
            })}
          />
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        <Card title={current ? `${current.label}（${current.dict_type}）` : '码表内容'}>
          {items.error ? <ErrorResult error={items.error} /> : <Table<DictItem> size="small" rowKey={(r) => `${r.value}-${r.begndate}`} columns={itemColumns} dataSource={items.data?.list} loading={items.loading} pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 项` }} />}
        </Card>
      </Col>
    </Row>
  );
}

interface AreaNode extends Area {
  children?: AreaNode[];
}

function Areas() {
  const { data, error, loading, reload } = useApi<{ on: string; list: Area[] }>('/areas');
  const tree = useMemo(() => {
    const list = data?.list ?? [];
    const nodes = new Map<string, AreaNode>(list.map((a) => [a.admdvs, { ...a }]));
    const roots: AreaNode[] = [];
    for (const n of nodes.values()) {
      const parent = n.prnt_admdvs ? nodes.get(n.prnt_admdvs) : undefined;
      if (parent) (parent.children ??= []).push(n);
      else roots.push(n);
    }
    return roots;
  }, [data]);
  const columns: TableColumnsType<AreaNode> = [
    { title: '区划名称', dataIndex: 'admdvs_name' },
    { title: '区划代码', dataIndex: 'admdvs', width: 120, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '级别', dataIndex: 'admdvs_lv', width: 90, render: (v: string) => LEVELS[v] ?? v },
    { title: '统筹区', dataIndex: 'poolarea_flag', width: 90, render: (v: string) => (v === '1' ? <Tag color="blue">统筹区</Tag> : '—') },
    { title: '数据权限', dataIndex: 'in_scope', width: 110, render: (v: boolean) => (v ? <Tag color="success">管辖范围内</Tag> : <Tag>范围外</Tag>) },
    { title: '有效期', key: 'dates', width: 220, render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
  ];
  if (error) return <ErrorResult error={error} onRetry={reload} />;
  return (
    <Card>
      <Table<AreaNode> rowKey="admdvs" columns={columns} dataSource={tree} loading={loading} pagination={false} expandable={{ defaultExpandAllRows: true }} key={tree.length} size="middle" />
    </Card>
  );
}

export default function Dict() {
  const lq = useListQuery();
  const tab = lq.values.tab === 'areas' ? 'areas' : 'dict';
  return (
    <PageContainer title="码表与区划" description="国家医疗保障信息业务编码标准的代码表，以及本节点的医保区划">
      <Tabs
        activeKey={tab}
        onChange={(k) => lq.update({ tab: k === 'areas' ? 'areas' : null, type: null })}
        items={[
          { key: 'dict', label: '码表', children: <CodeTables /> },
          { key: 'areas', label: '医保区划', children: <Areas /> },
        ]}
      />
    </PageContainer>
  );
}
