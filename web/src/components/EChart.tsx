/**
 * A small ECharts wrapper: only the chart types and components the console uses are registered (tree-shaken
 * bundle), the chart follows its container's size, and the aria component describes it to screen readers.
 */
import { BarChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, PieChart, AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export const CHART_COLORS = ['#1261c7', '#13a8a8', '#f5a623', '#7b61ff', '#e8684a', '#5b8ff9', '#61ddaa', '#9270ca'];

export function EChart({ option, height = 300, label }: { option: ChartOption; height?: number; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas', locale: 'ZH' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: CHART_COLORS, aria: { enabled: true, label: { description: label } }, ...option }, true);
  }, [option, label]);

  return <div ref={el} className="yb-chart" data-chart={label} style={{ height, width: '100%' }} />;
}
