/**
 * 就诊登记 (/settlement/encounters): the encounters designated institutions opened — 门诊挂号 and 药店购药 (2201),
 * 入院登记 (2401) with 出院 (2402) — in the user's scope (an institution user: its own), searched by person,
 * institution, kind, medical type, registration dates and status, with an 在院人员 quick view (stays not
 * discharged). Filters, page and the open encounter (?mdtrt=…) live in the URL; a certificate number is searched
 * through a POST and kept out of the URL. The drawer shows the encounter, its diagnoses, its fee lines counted and
 * summed and its settlements, each linking to 结算详情.
 */
import { Card, DatePicker, Descriptions, Drawer, Empty, Form, Input, Segmented, Select, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page, type Query } from '../api';
import { useAuth } from '../auth';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { SearchButtons } from '../components/SearchButtons';
import { useApi, useDict, type ApiState } from '../hooks';
import { IPT_OTP, SETL_INFNO, yuan } from '../labels';
import { DATE, useListQuery, useSyncForm } from '../list';
import { SetlState } from './Settlements';

type Status = 'open' | 'discharged' | 'settled' | 'cancelled';

interface EncounterRow {
  mdtrt_id: string;
  ipt_otp_flag: '1' | '2';
  ipt_otp_no: string;
  psn_no: string;
  psn_name: string;
  certno: string;
  insutype: string;
  med_type: string;
  fixmedins_code: string;
  fixmedins_name: string | null;
  begntime: string;
  endtime: string | null;
  dept_name: string | null;
  dr_name: string | null;
  adm_bed: string | null;
  main_diag_name: string | null;
  status: Status;
}

interface EncounterDetail {
  mdtrt: EncounterRow & Record<string, string | number | null>;
  person: { psn_no: string; psn_name: string; certno: string; gend: string; brdy: string } | null;
  diagnoses: { diag_id: number; stage: 'opt' | 'adm' | 'dscg'; diag_type: string; diag_srt_no: number; diag_code: string; diag_name: string; maindiag_flag: string; diag_dept: string | null; dise_dor_name: string | null; diag_time: string | null }[];
  fees: { fee_cnt: number; fee_sumamt: string; cncl_cnt: number; first_time: string | null; last_time: string | null; by_type: { med_chrgitm_type: string | null; cnt: number; sumamt: string }[] };
  settlements: { setl_id: string; setl_time: string; infno: string; refd_setl_flag: '0' | '1'; vali_flag: '0' | '1'; mid_setl_flag: string; medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string; psn_cash_pay: string }[];
  settled: { medfee_sumamt: string; fund_pay_sumamt: string; cnt: number };
}

const FILTERS = ['q', 'fixmedins_code', 'ipt_otp_flag', 'med_type', 'status'] as const;
const STAGES: Record<string, string> = { opt: '门诊诊断', adm: '入院诊断', dscg: '出院诊断' };
const DIAG_TYPES: Record<string, string> = { '1': '西医', '2': '中医主病', '3': '中医主证' };

/** 在院 / 就诊中 / 已出院 / 已结算 / 已撤销 (derived by the server from the encounter's flags). */
export function EncounterStatus({ status, ipt_otp_flag }: { status: Status; ipt_otp_flag: string }) {
  if (status === 'cancelled') return <Tag>已撤销</Tag>;
  if (status === 'settled') return <Tag color="success">已结算</Tag>;
  if (status === 'discharged') return <Tag color="warning">已出院</Tag>;
  return <Tag color="processing">{ipt_otp_flag === '2' ? '在院' : '就诊中'}</Tag>;
}

const time = (v: string | null | undefined) => (v ? v.slice(0, 16) : '—');

/** POST `path` with `body` whenever it changes (null: nothing to load) — the certificate-number search. */
function usePost<T>(path: string, body: Query | null): ApiState<T> {
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<{ key: string | null; data?: T; error?: Error }>({ key: null });
  const key = body === null ? null : `${JSON.stringify(body)}|${tick}`;
  useEffect(() => {
    if (key === null || body === null) return;
    const ctl = new AbortController();
    api<T>(path, { method: 'POST', body, signal: ctl.signal }).then(
      (data) => setResult({ key, data }),
      (error: Error) => {
        if (error.name !== 'AbortError') setResult((r) => ({ key, data: r.data, error }));
      },
    );
    return () => ctl.abort();
    // the key captures the body (by value) and reloads
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const current = result.key === key;
  return { data: result.data, error: current ? result.error : undefined, loading: key !== null && !current, reload: () => setTick((t) => t + 1) };
}

function EncounterDrawer({ mdtrt_id, onClose }: { mdtrt_id: string; onClose: () => void }) {
  const { data, error, reload } = useApi<EncounterDetail>(`/encounters/${encodeURIComponent(mdtrt_id)}`);
  const insutype = useDict('insutype');
  const medType = useDict('med_type');
  const chrgitmType = useDict('med_chrgitm_type');
  const dscgWay = useDict('dscg_way');
  const m = data?.mdtrt;
  const inpatient = m?.ipt_otp_flag === '2';
  return (
    <Drawer open title={`就诊 ${mdtrt_id}`} size={820} onClose={onClose} destroyOnHidden>
      {error ? (
        <ErrorResult error={error} onRetry={reload} />
      ) : !data || !m ? null : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              { key: 'status', label: '状态', children: <EncounterStatus status={m.status} ipt_otp_flag={m.ipt_otp_flag} /> },
              { key: 'kind', label: '就诊类型', children: `${IPT_OTP[m.ipt_otp_flag] ?? m.ipt_otp_flag}（${inpatient ? '2401 入院登记' : '2201 门诊挂号'}）` },
              { key: 'psn', label: '参保人', children: data.person ? `${data.person.psn_name}（${data.person.psn_no}）` : m.psn_no },
              { key: 'certno', label: '证件号码', children: <span className="yb-mono">{data.person?.certno ?? '—'}</span> },
              { key: 'insutype', label: '险种', children: insutype.label(m.insutype) },
              { key: 'med_type', label: '医疗类别', children: medType.label(m.med_type) },
              { key: 'inst', label: '定点机构', span: 2, children: `${m.fixmedins_name ?? ''}（${m.fixmedins_code}）` },
              { key: 'no', label: inpatient ? '住院号' : '门诊号', children: <span className="yb-mono">{m.ipt_otp_no}</span> },
              { key: 'dept', label: '科室 / 医师', children: `${m.dept_name ?? '—'} / ${m.dr_name ?? m.atddr_no ?? '—'}` },
              { key: 'begn', label: inpatient ? '入院时间' : '挂号时间', children: time(m.begntime) },
              { key: 'end', label: '出院时间', children: time(m.endtime) },
              ...(inpatient
                ? [
                    { key: 'bed', label: '床位', children: m.adm_bed ?? '—' },
                    { key: 'dscg', label: '离院方式', children: m.dscg_way ? dscgWay.label(String(m.dscg_way)) : '—' },
                  ]
                : []),
            ]}
          />
          <Card size="small" title={`诊断（${data.diagnoses.length}）`}>
            <Table
              rowKey="diag_id"
              size="small"
              pagination={false}
              dataSource={data.diagnoses}
              locale={{ emptyText: '未上传诊断' }}
              columns={[
                { title: '阶段', dataIndex: 'stage', width: 90, render: (v: string) => STAGES[v] ?? v },
                { title: '类别', dataIndex: 'diag_type', width: 80, render: (v: string) => DIAG_TYPES[v] ?? v },
                { title: '诊断', key: 'diag', render: (_: unknown, d) => `${d.diag_name}（${d.diag_code}）` },
                { title: '主诊断', dataIndex: 'maindiag_flag', width: 70, render: (v: string) => (v === '1' ? <Tag color="blue">主</Tag> : null) },
                { title: '诊断医师', dataIndex: 'dise_dor_name', width: 90, render: (v: string | null) => v ?? '—' },
              ]}
            />
          </Card>
          <Card size="small" title="费用明细">
            <Space size={32} wrap>
              <Statistic title="有效明细（条）" value={data.fees.fee_cnt} />
              <Statistic title="明细金额（元）" value={data.fees.fee_sumamt} precision={2} />
              <Statistic title="已撤销明细（条）" value={data.fees.cncl_cnt} />
            </Space>
            {data.fees.by_type.length ? (
              <Table
                style={{ marginTop: 12 }}
                rowKey={(r) => r.med_chrgitm_type ?? '-'}
                size="small"
                pagination={false}
                dataSource={data.fees.by_type}
                columns={[
                  { title: '收费项目类别', dataIndex: 'med_chrgitm_type', render: (v: string | null) => chrgitmType.label(v) },
                  { title: '条数', dataIndex: 'cnt', width: 80, align: 'right' },
                  { title: '金额', dataIndex: 'sumamt', width: 130, align: 'right', render: (v: string) => yuan(v) },
                ]}
              />
            ) : null}
          </Card>
          <Card size="small" title={`结算（有效 ${data.settled.cnt} 笔，医疗费用 ${yuan(data.settled.medfee_sumamt)}，基金支付 ${yuan(data.settled.fund_pay_sumamt)}）`}>
            {data.settlements.length ? (
              <Table
                rowKey="setl_id"
                size="small"
                pagination={false}
                dataSource={data.settlements}
                columns={[
                  { title: '结算ID', dataIndex: 'setl_id', render: (v: string) => <Link to={`/settlement/records/${v}`} className="yb-mono">{v}</Link> },
                  { title: '交易', dataIndex: 'infno', width: 110, render: (v: string, s) => `${SETL_INFNO[v] ?? v}${s.mid_setl_flag === '1' ? '（中途）' : ''}` },
                  { title: '结算时间', dataIndex: 'setl_time', width: 140, render: (v: string) => time(v) },
                  { title: '医疗费用', dataIndex: 'medfee_sumamt', width: 110, align: 'right', render: (v: string) => yuan(v) },
                  { title: '基金支付', dataIndex: 'fund_pay_sumamt', width: 110, align: 'right', render: (v: string) => yuan(v) },
                  { title: '状态', key: 'state', width: 90, render: (_: unknown, s) => <SetlState refd_setl_flag={s.refd_setl_flag} vali_flag={s.vali_flag} /> },
                ]}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未结算" />
            )}
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

export default function Encounters() {
  const lq = useListQuery();
  const { me } = useAuth();
  const [form] = Form.useForm();
  useSyncForm(form, lq.values, FILTERS);
  const [certno, setCertno] = useState('');
  const medType = useDict('med_type');
  const inHosp = lq.values.in_hosp === '1';
  const query = lq.apiQuery([...FILTERS, 'begndate', 'enddate', 'in_hosp']);
  const byGet = useApi<Page<EncounterRow>>(certno ? null : '/encounters', query);
  const byPost = usePost<Page<EncounterRow>>('/encounters/search', certno ? { ...query, certno } : null);
  const { data, error, loading, reload } = certno ? byPost : byGet;
  const range = lq.values.begndate || lq.values.enddate ? [lq.values.begndate ? dayjs(lq.values.begndate, DATE) : null, lq.values.enddate ? dayjs(lq.values.enddate, DATE) : null] : undefined;
  const institutionUser = Boolean(me?.user.fixmedins_code);
  const open = lq.values.mdtrt;

  const columns: TableColumnsType<EncounterRow> = [
    {
      title: '就诊ID',
      dataIndex: 'mdtrt_id',
      width: 230,
      render: (v: string) => (
        <Typography.Link className="yb-mono" onClick={() => lq.update({ mdtrt: v }, true)}>
          {v}
        </Typography.Link>
      ),
    },
    { title: '类型', dataIndex: 'ipt_otp_flag', width: 70, render: (v: string) => IPT_OTP[v] ?? v },
    { title: inHosp ? '入院时间' : '登记时间', dataIndex: 'begntime', width: 140, render: (v: string) => time(v) },
    { title: '姓名', dataIndex: 'psn_name', width: 90 },
    { title: '证件号码', dataIndex: 'certno', width: 170, render: (v: string) => <span className="yb-mono">{v}</span> },
    { title: '定点机构', dataIndex: 'fixmedins_name', ellipsis: true, render: (v: string | null, r) => v ?? r.fixmedins_code },
    { title: '医疗类别', dataIndex: 'med_type', width: 110, render: (v: string) => medType.label(v) },
    { title: '科室', dataIndex: 'dept_name', width: 90, render: (v: string | null) => v ?? '—' },
    ...(inHosp ? [{ title: '床位', dataIndex: 'adm_bed', width: 70, render: (v: string | null) => v ?? '—' }] : [{ title: '出院时间', dataIndex: 'endtime', width: 140, render: (v: string | null) => time(v) }]),
    { title: '主诊断', dataIndex: 'main_diag_name', width: 160, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '状态', key: 'status', width: 90, render: (_: unknown, r) => <EncounterStatus status={r.status} ipt_otp_flag={r.ipt_otp_flag} /> },
  ];

  return (
    <PageContainer
      title="就诊登记"
      description={institutionUser ? '本机构上传的门诊挂号、药店购药与住院登记（证件号码已脱敏）' : '定点机构上传的门诊挂号（2201）、药店购药与住院登记（2401）、出院（2402）（证件号码已脱敏）'}
      extra={
        <Segmented
          value={inHosp ? 'in' : 'all'}
          onChange={(v) => lq.update({ in_hosp: v === 'in' ? '1' : null })}
          options={[
            { value: 'all', label: '全部就诊' },
            { value: 'in', label: '在院人员' },
          ]}
        />
      }
    >
      <Card className="yb-filter">
        <Form
          form={form}
          name="encounter-search"
          layout="inline"
          initialValues={{ range }}
          onFinish={(v: Record<string, unknown>) => {
            const r = v.range as [Dayjs | null, Dayjs | null] | undefined;
            const patch: Record<string, string | null> = {};
            for (const k of FILTERS) patch[k] = typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : null;
            patch.begndate = r?.[0] ? r[0].format(DATE) : null;
            patch.enddate = r?.[1] ? r[1].format(DATE) : null;
            setCertno(typeof v.certno === 'string' ? v.certno.trim().toUpperCase() : '');
            lq.update(patch);
          }}
        >
          <Form.Item label="人员编号或姓名" name="q">
            <Input allowClear placeholder="人员编号前缀 / 姓名" style={{ width: 190 }} />
          </Form.Item>
          <Form.Item label="证件号码" name="certno" tooltip="按完整证件号码精确查找；不会出现在地址栏中">
            <Input allowClear placeholder="完整证件号码" style={{ width: 200 }} />
          </Form.Item>
          {institutionUser ? null : (
            <Form.Item label="定点机构编号" name="fixmedins_code">
              <Input allowClear placeholder="如 H99010200001" style={{ width: 170 }} />
            </Form.Item>
          )}
          <Form.Item label="登记日期" name="range">
            <DatePicker.RangePicker format={DATE} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} style={{ width: 250 }} />
          </Form.Item>
          <Form.Item label="就诊类型" name="ipt_otp_flag">
            <Select
              allowClear
              placeholder="全部"
              options={[
                { value: '1', label: '门诊 / 购药（2201）' },
                { value: '2', label: '住院（2401）' },
              ]}
              style={{ width: 170 }}
            />
          </Form.Item>
          <Form.Item label="医疗类别" name="med_type">
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部" options={medType.options} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label="状态" name="status">
            <Select
              allowClear
              placeholder="全部"
              options={[
                { value: 'open', label: '在院 / 就诊中' },
                { value: 'discharged', label: '已出院（未结算）' },
                { value: 'settled', label: '已结算' },
                { value: 'cancelled', label: '已撤销' },
              ]}
              style={{ width: 160 }}
            />
          </Form.Item>
          <SearchButtons
            onReset={() => {
              form.resetFields();
              form.setFieldsValue({ range: undefined });
              setCertno('');
              lq.update(Object.fromEntries([...FILTERS, 'begndate', 'enddate', 'in_hosp', 'size'].map((k) => [k, null])));
            }}
          />
        </Form>
      </Card>
      <Card>
        {error ? (
          <ErrorResult error={error} onRetry={reload} />
        ) : (
          <Table<EncounterRow>
            rowKey="mdtrt_id"
            columns={columns}
            dataSource={data?.list}
            loading={loading}
            pagination={lq.pagination(data?.total)}
            size="middle"
            scroll={{ x: 1600 }}
            locale={{ emptyText: <Typography.Text type="secondary">{inHosp ? '没有在院人员' : '没有符合条件的就诊记录'}</Typography.Text> }}
            footer={data ? () => <Typography.Text type="secondary">{inHosp ? `在院 ${data.total} 人次` : `共 ${data.total} 次就诊`}</Typography.Text> : undefined}
          />
        )}
      </Card>
      {open ? <EncounterDrawer mdtrt_id={open} onClose={() => lq.update({ mdtrt: null }, true)} /> : null}
    </PageContainer>
  );
}
