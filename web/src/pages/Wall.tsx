/**
 * 运行监测大屏 (/wall): the dashboard for a 1920×1080 wall display — dark, full screen, no menus, large figures,
 * refreshed every 60 seconds from /api/dashboard (the same answer as the dashboard page). The layout is sized in
 * viewport units so it fills any screen; Esc or 「退出大屏」 returns to the console.
 */
import { Button, Result, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { EChart } from '../components/EChart';
import { dashboardCharts } from '../dashboard-charts';
import { useApi, useAreas, useDict, usePageTitle } from '../hooks';
import { formatInstant } from '../labels';
import type { Dashboard } from '../types';

export const WALL_REFRESH_MS = 60_000;

function Tile({ title, value, unit, sub }: { title: string; value: string; unit: string; sub?: string }) {
  return (
    <div className="yb-wall-tile" role="group" aria-label={`${title}：${value}${unit}`}>
      <div className="yb-wall-tile-title">{title}</div>
      <div className="yb-wall-tile-value">
        {value}
        <small>{unit}</small>
      </div>
      {sub ? <div className="yb-wall-tile-sub">{sub}</div> : null}
    </div>
  );
}

const wan = (v: string) => (Number(v) / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = (n: number) => n.toLocaleString('zh-CN');

export default function Wall() {
  usePageTitle('运行监测大屏');
  const navigate = useNavigate();
  const { me, can } = useAuth();
  const areas = useAreas();
  const insutype = useDict('insutype');
  const hospLv = useDict('hosp_lv');
  const { data, error, reload } = useApi<Dashboard>(can('dashboard:read') ? '/dashboard' : null);
  // when the answer on screen arrived (set while rendering a new answer, not in an effect)
  const [shown, setShown] = useState<{ data?: Dashboard; at: string | null }>({ at: null });
  if (data && data !== shown.data) setShown({ data, at: new Date().toISOString() });
  const refreshedAt = shown.at;
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    const t = setInterval(reload, WALL_REFRESH_MS);
    const clock = setInterval(() => setNow(new Date()), 1_000);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.fullscreenElement) navigate('/monitor/dashboard');
    };
    window.addEventListener('keydown', onKey);
    document.body.classList.add('yb-wall-body');
    return () => {
      clearInterval(t);
      clearInterval(clock);
      window.removeEventListener('keydown', onKey);
      document.body.classList.remove('yb-wall-body');
    };
  }, [reload, navigate]);

  const charts = useMemo(() => (data ? dashboardCharts(data, { insutype: insutype.label, hospLv: hospLv.label }, true) : []), [data, insutype, hospLv]);

  if (!can('dashboard:read')) return <Result status="403" title="无权访问" subTitle="您的角色没有“查看运行监测”权限，无法打开运行监测大屏。" />;
  const scope = me?.user.fixmedins_code ? `本机构 ${me.user.fixmedins_code}` : areas.name(me?.user.admdvs);
  const avg = (flag: '1' | '2') => data?.avg_cost.find((a) => a.ipt_otp_flag === flag)?.avg_medfee ?? '0.00';
  const byKey = new Map(charts.map((c) => [c.key, c]));
  const panel = (key: string, area: string) => {
    const c = byKey.get(key);
    if (!c) return null;
    return (
      <section className="yb-wall-panel" style={{ gridArea: area }} aria-label={c.title}>
        <h2>
          {c.title}
          <small>单位：{c.unit}</small>
        </h2>
        {c.empty ? <div className="yb-wall-empty">所选期间没有数据</div> : <EChart option={c.option} label={c.label} height="calc(100% - 3.2vh)" theme="dark" />}
      </section>
    );
  };

  return (
    <div className="yb-wall" data-testid="wall">
      <header className="yb-wall-head">
        <h1>{scope} · 医疗保障运行监测</h1>
        <div className="yb-wall-meta">
          <span aria-live="off">{formatInstant(now.toISOString())}</span>
          <span>数据更新于 {refreshedAt ? formatInstant(refreshedAt) : '—'}（每 60 秒自动刷新）</span>
          <Button ghost size="small" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
            全屏
          </Button>
          <Button ghost size="small" onClick={() => navigate('/monitor/dashboard')}>
            退出大屏
          </Button>
        </div>
      </header>
      {error ? <div className="yb-wall-error">数据加载失败：{error.message}（60 秒后自动重试）</div> : null}
      {!data ? (
        <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />
      ) : (
        <>
          <div className="yb-wall-tiles">
            <Tile title="今日结算" value={count(data.today.setl_cnt)} unit="人次" sub={`基金支付 ${wan(data.today.fund_pay_sumamt)} 万元`} />
            <Tile title="本月结算" value={count(data.month.setl_cnt)} unit="人次" sub={`基金支付 ${wan(data.month.fund_pay_sumamt)} 万元`} />
            <Tile title="本年结算" value={count(data.year.setl_cnt)} unit="人次" sub={`医疗总费用 ${wan(data.year.medfee_sumamt)} 万元`} />
            <Tile title="本年基金支付" value={wan(data.year.fund_pay_sumamt)} unit="万元" sub={`个人账户 ${wan(data.year.acct_pay)} 万元`} />
            <Tile title="门诊次均费用" value={Number(avg('1')).toLocaleString('zh-CN', { minimumFractionDigits: 2 })} unit="元" sub={`住院次均 ${Number(avg('2')).toLocaleString('zh-CN', { minimumFractionDigits: 2 })} 元`} />
            <Tile title="本年监管疑点" value={count(data.audit.suspects.reduce((t, s) => t + s.suspect_cnt, 0))} unit="条" sub={`事前事中提醒 ${count(data.audit.warn_cnt)} 条`} />
          </div>
          <div className="yb-wall-grid">
            {panel('trend', 'trend')}
            {panel('fund', 'fund')}
            {panel('top', 'top')}
            {panel('insutype', 'insutype')}
            {panel('level', 'level')}
          </div>
        </>
      )}
    </div>
  );
}
