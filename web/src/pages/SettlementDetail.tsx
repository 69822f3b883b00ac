/**
 * 结算详情 (/settlement/records/:setl_id): one settlement or reversal — who, where, what it cost and who paid;
 * the fund rows with the engine's own explanation (setl_proc_info); every fee line with its split into
 * 全自费 / 超限价 / 先行自付 / 政策范围内; the encounter with its diagnoses; and the history of the encounter's
 * settlements and reversals. A settlement outside the user's scope answers 404 from the server.
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Empty, Row, Skeleton, Space, Statistic, Table, Tag, Timeline, Typography, type TableColumnsType } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useApi, useAreas, useDict } from '../hooks';
import { formatInstant, IPT_OTP, percent, SETL_INFNO, yuan } from '../labels';
import type { SetlFeeLine, SetlFund, SettlementDetail as Detail } from '../types';
import { SetlState } from './Settlements';

const SPLIT: { key: keyof SetlFeeLine; label: string; color: string }[] = [
  { key: 'fulamt_ownpay_amt', label: '全自费', color: '#e8684a' },
  { key: 'overlmt_amt', label: '超限价', color: '#f5a623' },
  { key: 'preselfpay_amt', label: '先行自付', color: '#7b61ff' },
  { key: 'inscp_scp_amt', label: '政策范围内', color: '#13a8a8' },
];

export default function SettlementDetail() {
  const { setl_id = '' } = useParams();
  const navigate = useNavigate();
  const { data, error, reload } = useApi<Detail>(`/settlements/${encodeURIComponent(setl_id)}`);
  const insutype = useDict('insutype');
  const medType = useDict('med_type');
  const chrgitmLv = useDict('chrgitm_lv');
  const chrgitmType = useDict('med_chrgitm_type');
  const gend = useDict('gend');
  const areas = useAreas();
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
      返回
    </Button>
  );

  if (error) {
    return (
      <PageContainer title="结算详情" extra={back}>
        <ErrorResult error={error} onRetry={reload} />
      </PageContainer>
    );
  }
  if (!data) {
    return (
      <PageContainer title="结算详情" extra={back}>
        <Skeleton active paragraph={{ rows: 12 }} />
      </PageContainer>
    );
  }
  const s = data.setlinfo;
  const m = data.mdtrt;
  const lineColumns: TableColumnsType<SetlFeeLine> = [
    { title: '序号', dataIndex: 'feedetl_sn', width: 70 },
    {
      title: '医保目录项目',
      key: 'item',
      width: 240,
      render: (_: unknown, l) => (
        <span>
          {l.hilist_name ?? '—'}
          <br />
          <Typography.Text type="secondary" className="yb-mono" style={{ fontSize: 12 }}>
            {l.hilist_code}
          </Typography.Text>
        </span>
      ),
    },
    { title: '类别', dataIndex: 'med_chrgitm_type', width: 90, render: (v: string | null) => chrgitmType.label(v) },
    { title: '等级', dataIndex: 'chrgitm_lv', width: 70, render: (v: string) => chrgitmLv.label(v) },
    { title: '单价', dataIndex: 'pric', width: 90, align: 'right', render: (v: string) => Number(v).toFixed(2) },
    { title: '数量', dataIndex: 'cnt', width: 70, align: 'right', render: (v: string) => Number(v).toString() },
    { title: '金额', dataIndex: 'det_item_fee_sumamt', width: 100, align: 'right', render: (v: string) => yuan(v) },
    ...SPLIT.map((c) => ({
      title: <span style={{ color: c.color === '#f5a623' ? '#ad6800' : c.color === '#13a8a8' ? '#08797a' : c.color }}>{c.label}</span>,
      dataIndex: c.key,
      width: 100,
      align: 'right' as const,
      render: (v: string) => (Number(v) === 0 ? <Typography.Text type="secondary">0.00</Typography.Text> : yuan(v)),
    })),
    { title: '先行自付比例', dataIndex: 'selfpay_prop', width: 100, align: 'right', render: (v: string) => percent(v, 'ratio') },
  ];
  const totals = Object.fromEntries(SPLIT.map((c) => [c.key, data.feedetail.reduce((t, l) => t + Math.round(Number(l[c.key]) * 100), 0)]));
  const fundColumns: TableColumnsType<SetlFund> = [
    { title: '基金支付类型', key: 'type', width: 230, render: (_: unknown, f) => `${f.fund_pay_type_name}（${f.fund_pay_type}）` },
    { title: '符合范围金额', dataIndex: 'inscp_scp_amt', width: 120, align: 'right', render: (v: string) => yuan(v) },
    { title: '本次可支付限额', dataIndex: 'crt_payb_lmt_amt', width: 130, align: 'right', render: (v: string) => yuan(v) },
    { title: '支付金额', dataIndex: 'fund_payamt', width: 110, align: 'right', render: (v: string) => <strong>{yuan(v)}</strong> },
    { title: '计算过程（setl_proc_info）', dataIndex: 'setl_proc_info', render: (v: string) => <span className="yb-proc-info">{v}</span> },
  ];

  return (
    <PageContainer
      title={`结算详情 ${s.setl_id}`}
      description={
        <Space wrap>
          <span>{SETL_INFNO[s.infno] ?? s.infno}</span>
          <SetlState refd_setl_flag={s.refd_setl_flag} vali_flag={s.vali_flag} />
          <span>结算时间 {s.setl_time}</span>
        </Space>
      }
      extra={back}
    >
      <Row gutter={[16, 16]}>
        <Col xs={12} xl={6}>
          <Card size="small">
            <Statistic title="医疗费用总额（元）" value={s.medfee_sumamt ?? '0'} precision={2} />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card size="small">
            <Statistic title="基金支付（元）" value={s.fund_pay_sumamt ?? '0'} precision={2} />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card size="small">
            <Statistic title="个人账户支付（元）" value={String(Number(s.acct_pay ?? 0) + Number(s.acct_mulaid_pay ?? 0))} precision={2} />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card size="small">
            <Statistic title="个人现金支付（元）" value={s.psn_cash_pay ?? '0'} precision={2} />
          </Card>
        </Col>
      </Row>
      <Card title="结算信息" style={{ marginTop: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 2, xl: 3 }}
          size="small"
          items={[
            { key: 'psn', label: '参保人', children: data.person ? `${data.person.psn_name}（${data.person.psn_no}）` : s.psn_no },
            { key: 'cert', label: '证件号码', children: <span className="yb-mono">{data.person?.certno ?? '—'}</span> },
            { key: 'gend', label: '性别 / 出生日期', children: `${gend.label(data.person?.gend)} / ${data.person?.brdy ?? '—'}` },
            { key: 'inst', label: '定点机构', children: `${s.fixmedins_name ?? ''}（${s.fixmedins_code}）` },
            { key: 'insutype', label: '险种', children: insutype.label(s.insutype) },
            { key: 'med_type', label: '医疗类别', children: medType.label(s.med_type) },
            { key: 'insuplc', label: '参保地', children: areas.name(s.insuplc_admdvs) },
            { key: 'mdtrtarea', label: '就医地', children: areas.name(s.mdtrtarea_admvs) },
            { key: 'policy', label: '适用政策', children: <span className="yb-mono">{s.policy_id}</span> },
            { key: 'split', label: '费用分类', span: 'filled', children: `全自费 ${yuan(s.fulamt_ownpay_amt)}，超限价自费 ${yuan(s.overlmt_selfpay)}，先行自付 ${yuan(s.preselfpay_amt)}，政策范围内 ${yuan(s.inscp_scp_amt)}` },
            { key: 'dedc', label: '本次起付线', children: yuan(s.act_pay_dedc) },
            { key: 'hifp', label: '统筹基金支付', children: yuan(s.hifp_pay) },
            { key: 'other', label: '大额 / 大病 / 公务员 / 救助', children: `${yuan(s.hifob_pay)} / ${yuan(s.hifmi_pay)} / ${yuan(s.cvlserv_pay)} / ${yuan(s.maf_pay)}` },
            { key: 'balc', label: '账户余额（结算后）', children: yuan(s.balc) },
            { key: 'msgid', label: '机构结算流水', children: <span className="yb-mono">{s.medins_setl_id}</span> },
            ...(s.init_setl_id ? [{ key: 'init', label: '撤销的原结算', children: <Link to={`/settlement/records/${s.init_setl_id}`} className="yb-mono">{s.init_setl_id}</Link> }] : []),
          ]}
        />
      </Card>
      <Card title="基金支付明细（setldetail）" style={{ marginTop: 16 }}>
        <Table<SetlFund> rowKey="seq" columns={fundColumns} dataSource={data.setldetail} pagination={false} size="small" scroll={{ x: 1000 }} locale={{ emptyText: '无基金支付' }} />
      </Card>
      <Card
        title="费用明细与分类"
        style={{ marginTop: 16 }}
        extra={
          <Space wrap size={4}>
            {SPLIT.map((c) => (
              <Tag key={c.key} color={c.color}>
                {c.label} {yuan((totals[c.key] ?? 0) / 100)}
              </Tag>
            ))}
          </Space>
        }
      >
        {data.feedetail.length ? (
          <Table<SetlFeeLine> rowKey="feedetl_id" columns={lineColumns} dataSource={data.feedetail} pagination={data.feedetail.length > 50 ? { pageSize: 50 } : false} size="small" scroll={{ x: 1400 }} />
        ) : (
          <Empty description={s.refd_setl_flag === '1' ? '撤销记录不单独记录费用分类，见原结算' : '没有费用明细'} />
        )}
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={14}>
          <Card title="就诊信息">
            {m ? (
              <Descriptions
                column={{ xs: 1, md: 2 }}
                size="small"
                items={[
                  { key: 'id', label: '就诊ID', children: <span className="yb-mono">{m.mdtrt_id}</span> },
                  { key: 'kind', label: '门诊 / 住院', children: IPT_OTP[m.ipt_otp_flag] ?? m.ipt_otp_flag },
                  { key: 'no', label: '门诊 / 住院号', children: String(m.ipt_otp_no ?? '—') },
                  { key: 'dept', label: '科室', children: String(m.dept_name ?? '—') },
                  { key: 'dr', label: '医师', children: `${m.dr_name ?? ''}（${m.atddr_no ?? '—'}）` },
                  { key: 'time', label: '就诊时间', children: `${m.begntime}${m.endtime ? ` 至 ${m.endtime}` : ''}` },
                  {
                    key: 'diag',
                    label: '诊断',
                    span: 'filled',
                    children: data.diagnoses.length ? data.diagnoses.map((d) => <Tag key={`${d.stage}-${d.diag_code}`} color={d.maindiag_flag === '1' ? 'blue' : 'default'}>{`${d.diag_name}（${d.diag_code}）`}</Tag>) : '—',
                  },
                ]}
              />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title="结算与撤销记录">
            <Timeline
              items={data.history.map((h) => ({
                key: h.setl_id,
                color: h.refd_setl_flag === '1' ? 'orange' : h.vali_flag === '1' ? 'green' : 'gray',
                content: (
                  <div>
                    <Space wrap>
                      <strong>{SETL_INFNO[h.infno] ?? h.infno}</strong>
                      <SetlState refd_setl_flag={h.refd_setl_flag} vali_flag={h.vali_flag} />
                      <Typography.Text type="secondary">{formatInstant(h.setl_time)}</Typography.Text>
                    </Space>
                    <div>
                      {h.setl_id === s.setl_id ? (
                        <span className="yb-mono">{h.setl_id}（本条）</span>
                      ) : (
                        <Link to={`/settlement/records/${h.setl_id}`} className="yb-mono">
                          {h.setl_id}
                        </Link>
                      )}
                    </div>
                    <Typography.Text type="secondary">
                      医疗总费用 {yuan(h.medfee_sumamt)}，基金支付 {yuan(h.fund_pay_sumamt)}
                    </Typography.Text>
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
