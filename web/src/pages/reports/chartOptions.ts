// ECharts options of the reports screen, built from model.ts's chart data.
// Plain objects (no ECharts import), so they are unit-tested too.
import type { ChartData } from './model';

export interface ChartLook {
  /** Lines (a time axis) or bars. */
  kind: 'line' | 'bar';
  /** The value axis' name (a unit). */
  yName?: string;
  /** Values are percentages (0–100). */
  percent?: boolean;
  /** Whole numbers only (counts). */
  integer?: boolean;
  /** How a value reads in the tooltip. */
  format?: (v: number) => string;
  colors?: string[];
}

const COLORS = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df'];

/** `o` without its undefined keys (ECharts reads `axisLabel: undefined` as "no labels"). */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function chartOption(data: ChartData, look: ChartLook) {
  const many = data.categories.length > 12;
  const format = look.format ?? ((v: number) => (look.percent ? `${v}%` : String(v)));
  const legend = data.series.length > 1;
  return defined({
    animation: false,
    color: look.colors ?? COLORS,
    grid: { left: 12, right: 16, top: legend || look.yName ? 40 : 16, bottom: 8, containLabel: true },
    legend: legend ? { top: 0, right: 0, data: data.series.map((s) => s.name) } : undefined,
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : '—'),
    },
    xAxis: {
      type: 'category' as const,
      data: data.categories,
      boundaryGap: look.kind === 'bar',
      // a few long names (age buckets) wrap rather than drop out
      axisLabel: data.categories.length <= 6 ? { interval: 0, width: 64, overflow: 'break' as const } : { hideOverlap: true, rotate: many ? 30 : 0 },
    },
    yAxis: defined({
      type: 'value' as const,
      name: look.yName,
      nameTextStyle: look.yName ? { align: 'left' as const } : undefined,
      minInterval: look.integer ? 1 : undefined,
      max: look.percent ? 100 : undefined,
      axisLabel: look.percent ? { formatter: '{value}%' } : undefined,
    }),
    series: data.series.map((s) =>
      defined({
        name: s.name,
        type: look.kind,
        data: s.data,
        connectNulls: look.kind === 'line' ? false : undefined,
        showSymbol: look.kind === 'line' ? data.categories.length <= 45 : undefined,
        barMaxWidth: look.kind === 'bar' ? 36 : undefined,
        // a few bars carry their values (a 0% bar is otherwise invisible)
        label:
          look.kind === 'bar' && data.categories.length <= 12
            ? { show: true, position: 'top' as const, fontSize: 11, formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? format(p.value) : '') }
            : undefined,
      }),
    ),
  });
}

/**
 * Does the chart have anything to draw? Counts need one that is not 0;
 * rates and durations (`zeroIsValue`) one that is not null (0% is news).
 */
export function hasValues(data: ChartData, zeroIsValue = false): boolean {
  return data.series.some((s) => s.data.some((v) => typeof v === 'number' && (zeroIsValue || v !== 0)));
}
