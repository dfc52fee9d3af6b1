import { useMemo } from 'react';
import { Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { AllTicketsQuery } from '../api/admin-documents';
import { ErrorBlock, LoadingBlock } from '../components/States';

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** Managers: where tickets stand, by status and by type (lazily loaded with ECharts). */
export default function Reports() {
  const { t } = useTranslation();
  const [res, refetch] = useQuery({ query: AllTicketsQuery, variables: { first: 100 } });
  const nodes = useMemo(() => res.data?.tickets.nodes ?? [], [res.data]);
  const byStatus = useMemo(() => {
    const m = new Map<string, number>();
    for (const n of nodes) {
      const k = n.status === 'DONE' && n.result ? `result.${n.result}` : `status.${n.status}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return [...m.entries()].map(([k, v]) => ({ name: t(k), value: v }));
  }, [nodes, t]);
  const byTemplate = useMemo(() => {
    const m = new Map<string, number>();
    for (const n of nodes) m.set(n.templateCode, (m.get(n.templateCode) ?? 0) + 1);
    return [...m.entries()];
  }, [nodes]);
  if (res.fetching && !res.data) return <div className="page"><LoadingBlock /></div>;
  if (res.error && !res.data) return <div className="page"><ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /></div>;
  return (
    <div className="page">
      <Typography.Title level={3}>{t('reports.title')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card title={t('reports.byStatus')}>
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 320 }}
              option={{ animation: false, tooltip: {}, legend: { bottom: 0 }, series: [{ type: 'pie', radius: ['40%', '70%'], data: byStatus }] }}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t('reports.byTemplate')}>
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 320 }}
              option={{
                animation: false,
                tooltip: {},
                xAxis: { type: 'category', data: byTemplate.map((x) => x[0]) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ type: 'bar', name: t('reports.count'), data: byTemplate.map((x) => x[1]) }],
              }}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
