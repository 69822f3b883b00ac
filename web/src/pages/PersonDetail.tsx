/**
 * One insured person as the national 1101 (人员信息获取) answers on a date: base information, insurance relations
 * with the personal-account balance, and assistance identities. The certificate number is masked on screen until
 * the user chooses to show it.
 */
import { ArrowLeftOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Descriptions, Empty, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas, useDict } from '../hooks';
import { IDET_TYPES, maskCertno, yuan } from '../labels';
import { DATE } from '../list';
import type { PersonView } from '../types';

const INSU_STAS_COLOR: Record<string, string> = { '1': 'success', '2': 'warning', '4': 'default' };

export default function PersonDetail() {
  const { psn_no = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const on = params.get('on') ?? undefined;
  const { data, error, loading, reload } = useApi<PersonView>(`/persons/${encodeURIComponent(psn_no)}`, { on });
  const [showCertno, setShowCertno] = useState(false);
  const areas = useAreas();
  const gend = useDict('gend');
  const naty = useDict('naty');
  const certType = useDict('psn_cert_type');
  const insutype = useDict('insutype');
  const psnType = useDict('psn_type');
  const insuStas = useDict('psn_insu_stas');

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/enrollment/persons'))}>
      返回
    </Button>
  );
  const dateControl = (
    <Space>
      <label htmlFor="person-on">查询日期</label>
      <DatePicker id="person-on" allowClear placeholder="今天" format={DATE} value={on ? dayjs(on, DATE) : null} onChange={(d) => setParams(d ? { on: d.format(DATE) } : {}, { replace: true })} />
      {back}
    </Space>
  );

  if (error) {
    return (
      <PageContainer title="参保人员信息" extra={back}>
        <Card>
          <ErrorResult error={error} onRetry={reload} />
        </Card>
      </PageContainer>
    );
  }
  const p = data?.baseinfo.psn_no === psn_no ? data : undefined;
  if (!p || loading) {
    return (
      <PageContainer title="参保人员信息" extra={dateControl}>
        <Card>
          <Skeleton active paragraph={{ rows: 12 }} />
        </Card>
      </PageContainer>
    );
  }
  const b = p.baseinfo;
  const employee = p.insuinfo.find((i) => i.insutype === '310');

  return (
    <PageContainer title={`${b.psn_name} · 参保人员信息`} description="按国家接口 1101（人员信息获取）口径展示" extra={dateControl}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={employee ? 18 : 24}>
          <Card title="基本信息">
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, md: 2, xl: 3 }}
              items={[
                { key: 'psn_no', label: '人员编号', children: <Typography.Text className="yb-mono" copyable>{b.psn_no}</Typography.Text> },
                { key: 'name', label: '姓名', children: b.psn_name },
                { key: 'cert_type', label: '证件类型', children: certType.label(b.psn_cert_type) },
                {
                  key: 'certno',
                  label: '证件号码',
                  children: (
                    <Space>
                      <span className="yb-mono">{showCertno ? b.certno : maskCertno(b.certno)}</span>
                      <Button size="small" type="link" icon={showCertno ? <EyeInvisibleOutlined /> : <EyeOutlined />} onClick={() => setShowCertno(!showCertno)} aria-label={showCertno ? '隐藏完整证件号码' : '显示完整证件号码'} />
                    </Space>
                  ),
                },
                { key: 'gend', label: '性别', children: gend.label(b.gend) },
                { key: 'naty', label: '民族', children: naty.label(b.naty) },
                { key: 'brdy', label: '出生日期', children: b.brdy },
                { key: 'age', label: '年龄', children: `${b.age} 岁` },
              ]}
            />
          </Card>
        </Col>
        {employee ? (
          <Col xs={24} xl={6}>
            <Card title="职工医保个人账户" style={{ height: '100%' }}>
              <Statistic title="账户余额（元）" value={employee.balc} precision={2} prefix="¥" />
            </Card>
          </Col>
        ) : null}
        <Col span={24}>
          <Card title="参保信息">
            <Table
              size="middle"
              rowKey={(r) => r.insutype}
              pagination={false}
              dataSource={p.insuinfo}
              scroll={{ x: 1000 }}
              locale={{ emptyText: <Empty description={`${on ?? '今天'}没有有效的参保关系`} /> }}
              columns={[
                { title: '险种类型', dataIndex: 'insutype', render: (v: string) => insutype.label(v) },
                { title: '人员类别', dataIndex: 'psn_type', render: (v: string) => psnType.label(v) },
                { title: '参保状态', dataIndex: 'psn_insu_stas', render: (v: string) => <Tag color={INSU_STAS_COLOR[v]}>{insuStas.label(v)}</Tag> },
                { title: '参保日期', dataIndex: 'psn_insu_date' },
                { title: '暂停参保日期', dataIndex: 'paus_insu_date', render: (v: string | null) => v ?? '—' },
                { title: '公务员', dataIndex: 'cvlserv_flag', render: (v: string) => (v === '1' ? '是' : '否') },
                { title: '参保地', dataIndex: 'insuplc_admdvs', render: (v: string) => `${areas.name(v)}（${v}）` },
                { title: '单位名称', dataIndex: 'emp_name', render: (v: string | null) => v ?? '—' },
                { title: '个人账户余额', dataIndex: 'balc', align: 'right', render: (v: number, r) => (r.insutype === '310' ? yuan(v) : '—') },
              ]}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title="身份信息（医疗救助等）">
            <Table
              size="middle"
              rowKey={(r) => `${r.psn_idet_type}-${r.begntime}`}
              pagination={false}
              dataSource={p.idetinfo}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无特殊人员身份" /> }}
              columns={[
                { title: '人员身份类别', dataIndex: 'psn_idet_type', render: (v: string) => `${IDET_TYPES[v] ?? v}（${v}）` },
                { title: '身份等级', dataIndex: 'psn_type_lv', render: (v: string | null) => v ?? '—' },
                { title: '开始时间', dataIndex: 'begntime' },
                { title: '结束时间', dataIndex: 'endtime', render: (v: string | null) => v ?? '长期' },
                { title: '备注', dataIndex: 'memo', render: (v: string | null) => v ?? '—' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
