/**
 * A small ECharts wrapper: only the chart types and components the console uses are registered (tree-shaken
 * bundle), the chart follows its container's size, and the aria component describes it to screen readers.
 * `theme="dark"` for the wall display; chartImage() exports a drawn chart as a PNG data URL.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, PieChart, AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export const CHART_COLORS = ['#1261c7', '#13a8a8', '#f5a623', '#7b61ff', '#e8684a', '#5b8ff9', '#61ddaa', '#9270ca'];

/** The PNG of the chart drawn inside `container` (null when none is drawn yet). */
export function chartImage(container: HTMLElement | null, background = '#ffffff'): string | null {
  const el = container?.querySelector<HTMLDivElement>('.yb-chart');
  const chart = el ? echarts.getInstanceByDom(el) : undefined;
  return chart ? chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background }) : null;
}

export function EChart({ option, height = 300, label, theme }: { option: ChartOption; height?: number | string; label: string; theme?: 'dark' }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, theme, { renderer: 'canvas', locale: 'ZH' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption({ color: CHART_COLORS, aria: { enabled: true, label: { description: label } }, ...(theme ? { backgroundColor: 'transparent' } : {}), ...option }, true);
  }, [option, label, theme]);

  return <div ref={el} className="yb-chart" data-chart={label} style={{ height, width: '100%' }} />;
}
