// The reports screen's charts (ECharts through its tree-shaken core; this
// module is part of the lazily loaded reports chunk only).
import { useMemo } from 'react';
import { Card, Col, Empty, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { chartOption, hasValues, type ChartLook } from './chartOptions';
import {
  TIME_GROUPS,
  UNIT_SECONDS,
  backlogData,
  chartGroups,
  cycleData,
  formatDuration,
  groupLabel,
  ratingData,
  slaData,
  volumeData,
  type ChartData,
  type Figures,
  type GroupBy,
  type Group,
} from './model';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

function ChartCard({ title, testId, data, look, zeroIsValue }: { title: string; testId: string; data: ChartData; look: ChartLook; zeroIsValue?: boolean }) {
  const { t } = useTranslation();
  const option = useMemo(() => chartOption(data, look), [data, look]);
  const empty = !hasValues(data, zeroIsValue);
  return (
    <Card size="small" title={title} data-testid={testId} data-empty={empty ? 'true' : 'false'}>
      {empty ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.charts.noData')} style={{ height: 260, paddingTop: 60, margin: 0 }} />
      ) : (
        <ReactEChartsCore echarts={echarts} style={{ height: 280 }} option={option} notMerge />
      )}
    </Card>
  );
}

export default function ReportCharts({
  totals,
  groups,
  groupBy,
  from,
  to,
}: {
  totals: Figures;
  groups: readonly Group[];
  groupBy: GroupBy | null;
  from: string;
  to: string;
}) {
  const { t } = useTranslation();
  const rows = useMemo(
    () => chartGroups(groups, groupBy, from, to).map((r) => ({ ...r, label: groupLabel(r, groupBy, t) })),
    [groups, groupBy, from, to, t],
  );
  const time = !!groupBy && TIME_GROUPS.has(groupBy);
  const charts = useMemo(() => {
    const volume = volumeData(rows, { filed: t('reports.charts.volumeFiled'), completed: t('reports.charts.volumeCompleted') });
    const cycle = cycleData(rows, { median: t('reports.charts.median'), p90: t('reports.charts.p90') });
    const unit = t(`reports.unit.${cycle.unit}`);
    const perUnit = UNIT_SECONDS[cycle.unit];
    return {
      volume,
      volumeLook: { kind: time ? 'line' : 'bar', integer: true } as ChartLook,
      cycle,
      cycleLook: { kind: 'bar', yName: unit, format: (v: number) => formatDuration(v * perUnit, t) } as ChartLook,
      sla: slaData(rows, t('reports.charts.slaRate')),
      slaLook: { kind: time ? 'line' : 'bar', percent: true, colors: ['#cf222e'] } as ChartLook,
      backlog: backlogData(totals, (b) => t(`reports.backlog.${b}`, { defaultValue: b }), t('reports.charts.backlogCount')),
      backlogLook: { kind: 'bar', integer: true, colors: ['#bf8700'] } as ChartLook,
      rating: ratingData(totals, (n) => t('reports.charts.stars', { n }), t('reports.charts.ratingCount')),
      ratingLook: { kind: 'bar', integer: true, colors: ['#8250df'] } as ChartLook,
    };
  }, [rows, totals, time, t]);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <ChartCard title={t('reports.charts.volume')} testId="chart-volume" data={charts.volume} look={charts.volumeLook} />
      </Col>
      <Col xs={24} xl={12}>
        <ChartCard title={t('reports.charts.cycle')} testId="chart-cycle" data={charts.cycle} look={charts.cycleLook} zeroIsValue />
      </Col>
      <Col xs={24} md={12} xl={8}>
        <ChartCard title={t('reports.charts.sla')} testId="chart-sla" data={charts.sla} look={charts.slaLook} zeroIsValue />
      </Col>
      <Col xs={24} md={12} xl={8}>
        <ChartCard title={t('reports.charts.backlog')} testId="chart-backlog" data={charts.backlog} look={charts.backlogLook} />
      </Col>
      <Col xs={24} md={12} xl={8}>
        <ChartCard title={t('reports.charts.rating')} testId="chart-rating" data={charts.rating} look={charts.ratingLook} />
      </Col>
    </Row>
  );
}
