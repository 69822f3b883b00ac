/**
 * 首页概览: the size of what this user may see, counted with the list endpoints' `total` (no aggregate API):
 * institutions by level and type, the catalogue by list type and 甲乙丙 class, insured persons by pooling area and
 * insurance type. Each card and chart appears only with the permission behind it, and counts respect the scope.
 */
import { ApartmentOutlined, BookOutlined, IdcardOutlined, MedicineBoxOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Empty, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { countOf } from '../api';
import { useAuth } from '../auth';
import { EChart, type ChartOption } from '../components/EChart';
import { ErrorResult } from '../components/ErrorResult';
import { PageContainer } from '../components/PageContainer';
import { useAreas, useDict } from '../hooks';
import { ROLE_COLOR } from '../labels';
import { PERMISSION_NAMES } from '../permissions';
import type { Area, Permission } from '../types';

interface Counts {
  institutions?: number;
  practitioners?: number;
  catalogue?: number;
  persons?: number;
  /** [fixmedins_type][hosp_lv] */
  instByLevel?: Record<string, Record<string, number>>;
  /** [list_type][chrgitm_lv] */
  catByType?: Record<string, Record<string, number>>;
  /** [admdvs][insutype] */
  personsByArea?: { areas: Area[]; counts: Record<string, Record<string, number>> };
}

const HOSP_LVS = ['3', '2', '1', '9'];
const LIST_TYPES = ['101', '102', '103', '104', '105', '201', '301'];
const CHRGITM_LVS = ['01', '02', '03'];
const PERSON_INSUTYPES = ['310', '390'];
const INSUTYPE_SHORT: Record<string, string> = { '310': '职工医保', '390': '居民医保' };

async function all<K extends string>(keys: readonly K[], f: (k: K) => Promise<number>): Promise<Record<K, number>> {
  const values = await Promise.all(keys.map(f));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<K, number>;
}

function useCounts(can: (p: Permission) => boolean, areas: Area[], areasReady: boolean) {
  const [counts, setCounts] = useState<Counts>({});
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    if (!areasReady) return;
    const ctl = new AbortController();
    const s = ctl.signal;
    const set = (patch: Partial<Counts>) => {
      if (!s.aborted) setCounts((c) => ({ ...c, ...patch }));
    };
    const fail = (e: Error) => {
      if (e.name !== 'AbortError' && !s.aborted) setError(e);
    };
    if (can('institution:read')) {
      countOf('/institutions', {}, s).then((institutions) => set({ institutions }), fail);
      Promise.all([
        all(HOSP_LVS, (lv) => countOf('/institutions', { fixmedins_type: '1', hosp_lv: lv }, s)),
        all(HOSP_LVS, (lv) => countOf('/institutions', { fixmedins_type: '2', hosp_lv: lv }, s)),
      ]).then(([h, p]) => set({ instByLevel: { '1': h, '2': p } }), fail);
    }
    if (can('practitioner:read')) countOf('/practitioners', {}, s).then((practitioners) => set({ practitioners }), fail);
    if (can('catalogue:read')) {
      countOf('/catalogue', {}, s).then((catalogue) => set({ catalogue }), fail);
      Promise.all(LIST_TYPES.map((t) => all(CHRGITM_LVS, (lv) => countOf('/catalogue', { list_type: t, chrgitm_lv: lv }, s)))).then(
        (rows) => set({ catByType: Object.fromEntries(LIST_TYPES.map((t, i) => [t, rows[i]!])) }),
        fail,
      );
    }
    if (can('person:read')) {
      countOf('/persons', {}, s).then((persons) => set({ persons }), fail);
      const pools = areas.filter((a) => a.poolarea_flag === '1' && a.in_scope);
      Promise.all(pools.map((a) => all(PERSON_INSUTYPES, (t) => countOf('/persons', { insuplc_admdvs: a.admdvs, insutype: t }, s)))).then(
        (rows) => set({ personsByArea: { areas: pools, counts: Object.fromEntries(pools.map((a, i) => [a.admdvs, rows[i]!])) } }),
        fail,
      );
    }
    return () => ctl.abort();
  }, [can, areas, areasReady]);
  return { counts, error };
}

function StatCard({ title, value, unit, icon, to, color }: { title: string; value: number | undefined; unit: string; icon: ReactNode; to: string; color: string }) {
  return (
    <Card className="yb-stat-card" hoverable>
      <Link to={to} aria-label={`${title}：${value ?? '加载中'} ${unit}，查看明细`} style={{ color: 'inherit', display: 'block' }}>
        <div style={{ display: 'flex', alignItems: 'center', gap: 16 }}>
          <div style={{ width: 48, height: 48, borderRadius: 12, display: 'grid', placeItems: 'center', fontSize: 22, color, background: `${color}14` }}>{icon}</div>
          <Statistic title={title} value={value ?? 0} suffix={unit} loading={value === undefined} groupSeparator="," />
        </div>
      </Link>
    </Card>
  );
}

const tooltipUnit = (unit: string) => ({
  trigger: 'axis',
  axisPointer: { type: 'shadow' },
  valueFormatter: (v: unknown) => `${Number(v).toLocaleString('zh-CN')} ${unit}`,
});

export default function Home() {
  const { me, can } = useAuth();
  const areas = useAreas();
  const hospLv = useDict('hosp_lv');
  const listType = useDict('list_type');
  const chrgitmLv = useDict('chrgitm_lv');
  const insutype = useDict('insutype');
  const areasReady = areas.list.length > 0 || !can('dict:read');
  const { counts, error } = useCounts(can, areas.list, areasReady);

  const instOption = useMemo<ChartOption | null>(() => {
    const d = counts.instByLevel;
    if (!d) return null;
    return {
      tooltip: tooltipUnit('家'),
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: HOSP_LVS.map((lv) => hospLv.label(lv)) },
      yAxis: { type: 'value', name: '家', minInterval: 1 },
      series: [
        { name: '医疗机构', type: 'bar', stack: 'inst', barMaxWidth: 40, data: HOSP_LVS.map((lv) => d['1']?.[lv] ?? 0) },
        { name: '零售药店', type: 'bar', stack: 'inst', barMaxWidth: 40, data: HOSP_LVS.map((lv) => d['2']?.[lv] ?? 0) },
      ],
    };
  }, [counts.instByLevel, hospLv]);

  const catOption = useMemo<ChartOption | null>(() => {
    const d = counts.catByType;
    if (!d) return null;
    const types = LIST_TYPES.filter((t) => CHRGITM_LVS.some((lv) => (d[t]?.[lv] ?? 0) > 0));
    return {
      tooltip: tooltipUnit('条'),
      legend: { top: 0 },
      grid: { left: 96, right: 28, top: 40, bottom: 28 },
      xAxis: { type: 'value', name: '条', nameLocation: 'end', splitNumber: 4, axisLabel: { formatter: (v: number) => (v >= 10000 ? `${v / 10000}万` : String(v)) } },
      yAxis: { type: 'category', data: types.map((t) => listType.label(t)), inverse: true },
      series: CHRGITM_LVS.map((lv) => ({ name: chrgitmLv.label(lv), type: 'bar', stack: 'cat', barMaxWidth: 22, data: types.map((t) => d[t]?.[lv] ?? 0) })),
    };
  }, [counts.catByType, listType, chrgitmLv]);

  const personOption = useMemo<ChartOption | null>(() => {
    const d = counts.personsByArea;
    if (!d || !d.areas.length) return null;
    return {
      tooltip: tooltipUnit('人'),
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: d.areas.map((a) => a.admdvs_name) },
      yAxis: { type: 'value', name: '人', minInterval: 1 },
      series: PERSON_INSUTYPES.map((t) => ({ name: INSUTYPE_SHORT[t] ?? insutype.label(t), type: 'bar', barMaxWidth: 36, data: d.areas.map((a) => d.counts[a.admdvs]?.[t] ?? 0) })),
    };
  }, [counts.personsByArea, insutype]);


  if (!me) return null;
  const u = me.user;
  const charts = [
    can('institution:read') ? { key: 'inst', title: '定点医药机构（按医院等级）', unit: '家', option: instOption, label: '定点医药机构按医院等级和机构类型的数量', empty: null } : null,
    can('catalogue:read') ? { key: 'cat', title: '医保目录（按类别与等级）', unit: '条', option: catOption, label: '医保目录按目录类别和甲乙丙类的条目数', empty: null } : null,
    can('person:read')
      ? { key: 'psn', title: '参保人员（按统筹区与险种）', unit: '人', option: personOption, label: '参保人员按统筹区和险种的人数', empty: counts.personsByArea && !personOption ? '管辖范围内没有统筹区' : null }
      : null,
  ].filter((c) => c !== null);

  return (
    <PageContainer title="首页概览" description="本人管辖范围内的基础数据规模（实时统计）">
      {error ? <ErrorResult error={error} /> : null}
      <Row gutter={[16, 16]}>
        {can('institution:read') ? (
          <Col xs={24} sm={12} xl={6}>
            <StatCard title="定点医药机构" value={counts.institutions} unit="家" icon={<ApartmentOutlined />} to="/basic/institutions" color="#1261c7" />
          </Col>
        ) : null}
        {can('practitioner:read') ? (
          <Col xs={24} sm={12} xl={6}>
            <StatCard title="医保医师/药师" value={counts.practitioners} unit="人" icon={<MedicineBoxOutlined />} to="/basic/practitioners" color="#13a8a8" />
          </Col>
        ) : null}
        {can('catalogue:read') ? (
          <Col xs={24} sm={12} xl={6}>
            <StatCard title="医保目录" value={counts.catalogue} unit="条" icon={<BookOutlined />} to="/basic/catalogue" color="#f5a623" />
          </Col>
        ) : null}
        {can('person:read') ? (
          <Col xs={24} sm={12} xl={6}>
            <StatCard title="参保人员" value={counts.persons} unit="人" icon={<IdcardOutlined />} to="/enrollment/persons" color="#7b61ff" />
          </Col>
        ) : null}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {charts.map((c) => (
          <Col key={c.key} xs={24} lg={12} xl={24 / charts.length}>
            <Card title={c.title} extra={<Typography.Text type="secondary">单位：{c.unit}</Typography.Text>} styles={{ body: { padding: '12px 16px' } }}>
              {c.option ? <EChart option={c.option} label={c.label} height={280} /> : c.empty ? <Empty description={c.empty} /> : <Skeleton active paragraph={{ rows: 6 }} />}
            </Card>
          </Col>
        ))}
        <Col span={24}>
          <Card title="我的账号">
            <Descriptions
              column={{ xs: 1, md: 2, xl: 4 }}
              size="small"
              items={[
                { key: 'name', label: '姓名', children: `${u.user_name}（${u.user_id}）` },
                { key: 'role', label: '角色', children: <Tag color={ROLE_COLOR[u.role]}>{u.role_name}</Tag> },
                { key: 'area', label: '数据范围', span: 2, children: u.fixmedins_code ? `本机构 ${u.fixmedins_code}（${areas.name(u.admdvs)}）` : `${areas.name(u.admdvs)}（${u.admdvs}）及下级区划` },
                { key: 'perm', label: '功能权限', span: 'filled', children: me.permissions.map((p) => <Tag key={p}>{PERMISSION_NAMES[p]}</Tag>) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
