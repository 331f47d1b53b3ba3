/**
 * Charts where people look rather than read, drawn with Apache ECharts (only the parts used are bundled) into SVG,
 * with ECharts' aria description on, a caption, and the same figures as a table beside each chart: labels and
 * numbers, never colour alone.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, AriaComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | AriaComponentOption>;

/** Colours that stay apart for colour-blind readers (Okabe–Ito); the series are named in the legend too. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'];

export function Chart(props: { option: ChartOption; label: string; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return undefined;
    const chart = init(host.current, undefined, { renderer: 'svg' });
    chart.setOption({ color: PALETTE, aria: { enabled: true, label: { description: props.label } }, animation: false, ...props.option });
    const resize = () => chart.resize();
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [props.option, props.label]);
  return <div ref={host} class="chart" role="img" aria-label={props.label} data-chart={props.label} style={{ height: `${props.height ?? 260}px` }} />;
}
