/**
 * 医保目录: search drugs, herbs, service items and consumables by code prefix, name or pinyin initials (AMXL →
 * 阿莫西林) with list type and 甲乙丙 filters, as of a date; the drawer shows one item with its price caps by
 * hospital level, self-pay ratios by insurance type, the structured restriction and effective dates.
 */
import { Button, Card, DatePicker, Descriptions, Drawer, Empty, Form, Input, Select, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PageContainer } from '../components/PageContainer';
import { ErrorResult } from '../components/ErrorResult';
import { useApi, useAreas, useDict } from '../hooks';
import { dateRange, percent, SCENES, yuan } from '../labels';
import { DATE, fromForm, useListQuery, useSyncForm } from '../list';
import type { Page } from '../api';
import type { CatalogueDetail, CatalogueRow, Restriction } from '../types';
import dayjs from 'dayjs';

const FILTERS = ['q', 'list_type', 'chrgitm_lv', 'on'] as const;
export const LEVEL_COLOR: Record<string, string> = { '01': 'green', '02': 'blue', '03': 'orange' };

function RestrictionView({ r }: { r: Restriction | null }) {
  const hospLv = useDict('hosp_lv');
  const gend = useDict('gend');
  const insutype = useDict('insutype');
  if (!r) return <Typography.Text type="secondary">无限定支付范围</Typography.Text>;
  const age = r.lmt_age_min !== null || r.lmt_age_max !== null ? `${r.lmt_age_min ?? 0} – ${r.lmt_age_max ?? '∞'} 岁` : null;
  const items = [
    r.lmt_memo ? { key: 'memo', label: '限定说明', children: r.lmt_memo } : null,
    r.lmt_diag.length ? { key: 'diag', label: '限定诊断', children: r.lmt_diag.map((d) => <Tag key={d}>{d}</Tag>) } : null,
    r.lmt_scene.length ? { key: 'scene', label: '就医场景', children: r.lmt_scene.map((s) => SCENES[s] ?? s).join('、') } : null,
    r.lmt_gend ? { key: 'gend', label: '限定性别', children: gend.label(r.lmt_gend) } : null,
    age ? { key: 'age', label: '限定年龄', children: age } : null,
    r.lmt_min_hosp_lv ? { key: 'lv', label: '最低医院等级', children: hospLv.label(r.lmt_min_hosp_lv) } : null,
    r.lmt_insutype.length ? { key: 'insutype', label: '限定险种', children: r.lmt_insutype.map((t) => insutype.label(t)).join('、') } : null,
    r.lmt_max_days !== null ? { key: 'days', label: '最长支付天数', children: `${r.lmt_max_days} 天` } : null,
    r.lmt_max_cnt !== null ? { key: 'cnt', label: '最多支付次数', children: `${r.lmt_max_cnt} 次` } : null,
  ].filter((x) => x !== null);
  return <Descriptions bordered size="small" column={1} items={items} />;
}

function CatalogueDrawer({ code, on, onClose }: { code: string | undefined; on: string | undefined; onClose: () => void }) {
  const { data, error, loading } = useApi<CatalogueDetail>(code ? `/catalogue/${encodeURIComponent(code)}` : null, { on });
  const listType = useDict('list_type');
  const chrgitmLv = useDict('chrgitm_lv');
  const medType = useDict('med_chrgitm_type');
  const hospLv = useDict('hosp_lv');
  const insutype = useDict('insutype');
  const areas = useAreas();
  const d = data && data.item.hilist_code === code ? data : undefined;
  const it = d?.item;
  return (
    <Drawer open={!!code} onClose={onClose} size={760} title={it ? it.hilist_name : '目录详情'} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} />
      ) : !it || loading ? (
        <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <Space orientation="vertical" size={20} style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={LEVEL_COLOR[it.chrgitm_lv]}>{chrgitmLv.label(it.chrgitm_lv)}</Tag>
            <Tag>{listType.label(it.list_type)}</Tag>
            {it.restriction ? <Tag color="warning">限定支付</Tag> : null}
            <Typography.Text type="secondary">按 {d.on} 有效版本</Typography.Text>
          </Space>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'code', label: '医保目录编码', span: 2, children: <Typography.Text className="yb-mono" copyable>{it.hilist_code}</Typography.Text> },
              { key: 'type', label: '目录类别', children: listType.label(it.list_type) },
              { key: 'med', label: '收费项目类别', children: medType.label(it.med_chrgitm_type) },
              { key: 'lv', label: '收费项目等级', children: chrgitmLv.label(it.chrgitm_lv) },
              { key: 'selfpay', label: '先行自付比例', children: percent(it.selfpay_bp) },
              ...(it.dosform ? [{ key: 'dosform', label: '剂型', children: it.dosform }] : []),
              ...(it.spec ? [{ key: 'spec', label: '规格', children: it.spec }] : []),
              ...(it.pacunt ? [{ key: 'pacunt', label: '包装', children: it.pacunt }] : []),
              ...(it.prcunt ? [{ key: 'prcunt', label: '计价单位', children: it.prcunt }] : []),
              ...(it.prodentp_name ? [{ key: 'prod', label: '生产企业', span: 2, children: it.prodentp_name }] : []),
              { key: 'admdvs', label: '目录区划', children: `${areas.name(it.insu_admdvs)}（${it.insu_admdvs}）` },
              { key: 'dates', label: '有效期', children: dateRange(it.begndate, it.enddate) },
              ...(it.memo ? [{ key: 'memo', label: '备注', span: 2, children: it.memo }] : []),
            ]}
          />
          <div>
            <Typography.Title level={5}>支付限价（按医院等级）</Typography.Title>
            <Table
              size="small"
              rowKey={(r) => `${r.hosp_lv}-${r.begndate}`}
              pagination={false}
              dataSource={d.caps}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未设支付限价" /> }}
              columns={[
                { title: '医院等级', dataIndex: 'hosp_lv', render: (v: string) => hospLv.label(v) },
                { title: '最高支付限价', dataIndex: 'pric_uplmt_amt', align: 'right', render: (v: string) => `${yuan(v)}${it.prcunt ? ` / ${it.prcunt}` : ''}` },
                { title: '有效期', key: 'dates', render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>先行自付比例（按险种）</Typography.Title>
            <Table
              size="small"
              rowKey={(r) => `${r.insutype}-${r.begndate}`}
              pagination={false}
              dataSource={d.selfpay}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无先行自付" /> }}
              columns={[
                { title: '险种', dataIndex: 'insutype', render: (v: string) => (v === '*' ? '全部险种' : insutype.label(v)) },
                { title: '自付比例', dataIndex: 'selfpay_prop', align: 'right', render: (v: string) => percent(v, 'ratio') },
                { title: '有效期', key: 'dates', render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>限定支付范围</Typography.Title>
            <RestrictionView r={it.restriction} />
          </div>
        </Space>
      )}
    </Drawer>
  );
}

export default function Catalogue() {
  const lq = useListQuery();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS, ['on']);
  const listType = useDict('list_type');
  const chrgitmLv = useDict('chrgitm_lv');
  const { data, error, loading, reload } = useApi<Page<CatalogueRow>>('/catalogue', lq.apiQuery(FILTERS));

  const columns: TableColumnsType<CatalogueRow> = [
    { title: '医保目录编码', dataIndex: 'hilist_code', width: 205, render: (v: string) => <span className="yb-mono">{v}</span> },
    {
      title: '名称',
      dataIndex: 'hilist_name',
      render: (v: string, r) => (
        <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => lq.update({ code: r.hilist_code }, true)}>
          {v}
        </Button>
      ),
    },
    { title: '目录类别', dataIndex: 'list_type', width: 100, render: (v: string) => listType.label(v) },
    { title: '等级', dataIndex: 'chrgitm_lv', width: 72, render: (v: string) => <Tag color={LEVEL_COLOR[v]}>{chrgitmLv.label(v)}</Tag> },
    { title: '剂型 / 规格 / 单位', key: 'spec', width: 150, ellipsis: true, render: (_: unknown, r) => [r.dosform, r.spec, r.prcunt].filter(Boolean).join(' · ') || '—' },
    { title: '生产企业', dataIndex: 'prodentp_name', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '限定支付', dataIndex: 'lmt_used_flag', width: 84, render: (v: string) => (v === '1' ? <Tag color="warning">限定</Tag> : <Typography.Text type="secondary">—</Typography.Text>) },
    { title: '有效期', key: 'dates', width: 170, render: (_: unknown, r) => dateRange(r.begndate, r.enddate) },
  ];

  return (
    <PageContainer title="医保目录" description="药品、中药饮片、医疗服务项目和医用耗材目录；支持编码、名称和拼音首字母检索">
      <Card className="yb-filter">
        <Form form={form} name="catalogue-search" layout="inline" onFinish={(v: Record<string, unknown>) => lq.update({ ...fromForm(v), code: null })}>
          <Form.Item label="关键字" name="q">
            <Input allowClear placeholder="编码 / 名称 / 拼音首字母，如 AMXL" style={{ width: 280 }} />
          </Form.Item>
          <Form.Item label="目录类别" name="list_type">
            <Select allowClear placeholder="全部" options={listType.options} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="收费等级" name="chrgitm_lv">
            <Select allowClear placeholder="全部" options={chrgitmLv.options} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item label="有效日期" name="on" tooltip="按该日有效的目录版本查询，默认今天">
            <DatePicker allowClear placeholder="今天" format={DATE} disabledDate={(d) => d.isAfter(dayjs().add(5, 'year'))} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  lq.update(Object.fromEntries([...FILTERS, 'code', 'size'].map((k) => [k, null])));
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<CatalogueRow> rowKey={(r) => `${r.hilist_code}-${r.insu_admdvs}-${r.begndate}`} columns={columns} dataSource={data?.list} loading={loading} pagination={lq.pagination(data?.total)} size="middle" scroll={{ x: 1000 }} />
        )}
      </Card>
      <CatalogueDrawer code={lq.values.code} on={lq.values.on} onClose={() => lq.update({ code: null }, true)} />
    </PageContainer>
  );
}
