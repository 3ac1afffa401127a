import { useEffect, useRef } from 'react';
import type { ReportRow } from '@kra/contracts';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use as registerComponents, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { formatPercent } from '../../lib/format';
import { peakRate } from './report-filters';

registerComponents([
  BarChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

type ChartOption = ComposeOption<
  | BarSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

const TOP = 10;
const CPU_COLOR = '#1456f0';
const MEMORY_COLOR = '#12b5a6';

/** The most utilized matched projects of the day, CPU and memory side by side, with the quota line. */
export default function UtilizationChart({ rows }: { rows: ReportRow[] }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const top = [...rows]
      .sort((a, b) => peakRate(b) - peakRate(a))
      .slice(0, TOP)
      .reverse();
    const label = {
      show: true,
      position: 'right' as const,
      fontSize: 11,
      formatter: ({ value }: { value: unknown }) => formatPercent(Number(value)),
    };
    const option: ChartOption = {
      animationDuration: 300,
      grid: { left: 8, right: 64, top: 28, bottom: 4, containLabel: true },
      legend: {
        top: 0,
        right: 0,
        itemWidth: 12,
        itemHeight: 8,
        data: [t('reports.chart.cpu'), t('reports.chart.memory')],
      },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value) => formatPercent(Number(value)),
      },
      xAxis: {
        type: 'value',
        axisLabel: { formatter: '{value}%', color: '#8c95a3' },
        splitLine: { lineStyle: { color: '#eef0f3' } },
        max: (extent) => Math.max(100, Math.ceil(extent.max / 10) * 10),
      },
      yAxis: {
        type: 'category',
        data: top.map((row) => row.project_name),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9dde3' } },
        axisLabel: { color: '#4b5563', width: 120, overflow: 'truncate' },
      },
      series: [
        {
          name: t('reports.chart.cpu'),
          type: 'bar',
          barMaxWidth: 10,
          itemStyle: { color: CPU_COLOR, borderRadius: [0, 3, 3, 0] },
          label: { ...label, color: CPU_COLOR },
          data: top.map((row) => row.cpu_rate ?? 0),
          markLine: {
            symbol: 'none',
            silent: true,
            label: { formatter: '{b}', color: '#8c95a3', fontSize: 11 },
            data: [
              {
                name: t('reports.chart.quotaLine'),
                xAxis: 100,
                lineStyle: { color: '#e5484d', type: 'dashed' },
              },
              {
                name: t('reports.chart.highLine'),
                xAxis: 80,
                lineStyle: { color: '#f08c00', type: 'dashed' },
              },
            ],
          },
        },
        {
          name: t('reports.chart.memory'),
          type: 'bar',
          barMaxWidth: 10,
          itemStyle: { color: MEMORY_COLOR, borderRadius: [0, 3, 3, 0] },
          label: { ...label, color: MEMORY_COLOR },
          data: top.map((row) => row.memory_rate ?? 0),
        },
      ],
    };
    chart.current?.setOption(option, true);
  }, [rows, t]);

  return <div ref={element} className="chart-box" data-testid="utilization-chart" />;
}
