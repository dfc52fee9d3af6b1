// 统计报表: the server's `report` over the tickets filed in a period (of a
// template, of a department's subtree), grouped by day/week/month, type,
// department or approver; summary figures, charts (ECharts, this chunk is
// loaded lazily), tables, and the two CSV exports with the same filters.
// The filters live in the URL (`/reports?from=…&groupBy=week`), so a
// reload or a shared link shows the same report.
import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, DatePicker, Radio, Result, Select, Space, Spin, Table, TreeSelect, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import '../i18n/reports';
import { DepartmentsQuery, MeQuery, ReportQuery, TemplatesQuery } from '../api/documents';
import type { ReportQuery as RQ } from '../gql/graphql';
import { apiProblem, errorText, type ApiProblem } from '../api/errors';
import { deptTree } from '../components/Pickers';
import { EmptyBlock } from '../components/States';
import { useToast } from '../components/ui';
import { useServices, useSession } from '../services';
// ECharts comes with this screen's chunk, which App.tsx loads lazily
import ReportCharts from './reports/ReportCharts';
import { isAdmin, isManager } from '../util';
import { CsvError, fetchCsv, saveBlob } from './reports/download';
import {
  GROUP_BYS,
  MAX_DAYS,
  browserTimeZone,
  csvUrl,
  filtersFromSearch,
  filtersToSearch,
  formatAverage,
  formatDuration,
  formatRate,
  groupLabel,
  isDay,
  presetPeriods,
  readableDepartments,
  reportVariables,
  timeZoneOptions,
  type CsvKind,
  type Figures,
  type Group,
  type ReportFilters,
} from './reports/model';

type Report = RQ['report'];
type Stat = Report['steps'][number]['wait'];

function ProblemAlert({ problem, title, onClose, testId }: { problem: ApiProblem; title: string; onClose?: () => void; testId: string }) {
  const { t } = useTranslation();
  const warn = problem.code === 'forbidden' || problem.code === 'outside_your_departments';
  return (
    <Alert
      type={warn ? 'warning' : 'error'}
      showIcon
      title={title}
      closable={onClose ? { onClose } : undefined}
      data-testid={testId}
      data-code={problem.code}
      description={
        <span>
          {errorText(t, problem)} <Typography.Text type="secondary" code>{problem.code}</Typography.Text>
        </span>
      }
    />
  );
}

function Kpi({ id, title, value, detail }: { id: string; title: string; value: React.ReactNode; detail?: React.ReactNode }) {
  return (
    <Card size="small" data-testid={`kpi-${id}`} styles={{ body: { padding: '12px 16px' } }}>
      <div className="muted" style={{ fontSize: 13 }}>{title}</div>
      <div data-testid={`kpi-${id}-value`} style={{ fontSize: 26, fontWeight: 600, lineHeight: 1.4, fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </div>
      {detail && <div className="muted" style={{ fontSize: 12 }} data-testid={`kpi-${id}-detail`}>{detail}</div>}
    </Card>
  );
}

function Summary({ totals }: { totals: Figures }) {
  const { t } = useTranslation();
  const jobs = totals.jobsSucceeded + totals.jobsFailed;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(165px, 1fr))', gap: 12 }} data-testid="report-summary">
      <Kpi id="filed" title={t('reports.summary.filed')} value={totals.filed} />
      <Kpi
        id="completed"
        title={t('reports.summary.completed')}
        value={totals.completed}
        detail={t('reports.summary.completedDetail', { approved: totals.approved, rejected: totals.rejected, withdrawn: totals.withdrawn })}
      />
      <Kpi
        id="open"
        title={t('reports.summary.open')}
        value={totals.open}
        detail={t('reports.summary.openDetail', { rate: formatRate(totals.filed ? totals.open / totals.filed : null) })}
      />
      <Kpi
        id="cycle"
        title={t('reports.summary.cycleMedian')}
        value={formatDuration(totals.cycle.medianSeconds, t)}
        detail={t('reports.summary.cycleP90', { value: formatDuration(totals.cycle.p90Seconds, t), count: totals.cycle.count })}
      />
      <Kpi
        id="sla"
        title={t('reports.summary.slaRate')}
        value={formatRate(totals.slaBreachRate)}
        detail={t('reports.summary.slaDetail', { breached: totals.slaBreached, items: totals.slaItems })}
      />
      <Kpi
        id="automation"
        title={t('reports.summary.automationRate')}
        value={formatRate(totals.automationSuccessRate)}
        detail={jobs ? t('reports.summary.automationDetail', { succeeded: totals.jobsSucceeded, failed: totals.jobsFailed }) : undefined}
      />
      <Kpi
        id="rating"
        title={t('reports.summary.rating')}
        value={totals.ratings ? `${formatAverage(totals.ratingAverage)} ★` : '—'}
        detail={totals.ratings ? t('reports.summary.ratingDetail', { count: totals.ratings }) : t('reports.summary.noRatings')}
      />
    </div>
  );
}

type Row = { key: string; label: string; figures: Figures; total?: boolean };

function GroupsTable({ report }: { report: Report }) {
  const { t } = useTranslation();
  const groupBy = report.groupBy;
  const rows: Row[] = report.groups.map((g: Group) => ({ key: g.key, label: groupLabel(g, groupBy, t), figures: g.figures }));
  const num = (pick: (f: Figures) => number) => (r: Row) => pick(r.figures);
  const columns: TableColumnsType<Row> = [
    { key: 'label', title: t(`reports.groupColumn.${groupBy ?? 'DAY'}`), render: (_, r) => (r.total ? <strong>{r.label}</strong> : r.label), fixed: 'left' },
    { key: 'filed', title: t('reports.table.filed'), align: 'right', render: (_, r) => num((f) => f.filed)(r) },
    { key: 'completed', title: t('reports.table.completed'), align: 'right', render: (_, r) => r.figures.completed },
    { key: 'approved', title: t('reports.table.approved'), align: 'right', render: (_, r) => r.figures.approved },
    { key: 'rejected', title: t('reports.table.rejected'), align: 'right', render: (_, r) => r.figures.rejected },
    { key: 'open', title: t('reports.table.open'), align: 'right', render: (_, r) => r.figures.open },
    { key: 'cycleMedian', title: t('reports.table.cycleMedian'), align: 'right', render: (_, r) => formatDuration(r.figures.cycle.medianSeconds, t) },
    { key: 'cycleP90', title: t('reports.table.cycleP90'), align: 'right', render: (_, r) => formatDuration(r.figures.cycle.p90Seconds, t) },
    { key: 'sla', title: t('reports.table.slaRate'), align: 'right', render: (_, r) => formatRate(r.figures.slaBreachRate) },
    {
      key: 'rating',
      title: t('reports.table.rating'),
      align: 'right',
      render: (_, r) => (r.figures.ratings ? `${formatAverage(r.figures.ratingAverage)} (${r.figures.ratings})` : '—'),
    },
  ];
  const total: Row = { key: '__total', label: t('reports.table.total'), figures: report.totals, total: true };
  return (
    <Card size="small" title={t('reports.table.groups')} data-testid="groups-table">
      <Table<Row>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('reports.table.none') }}
        summary={() => (
          <Table.Summary fixed>
            <Table.Summary.Row data-testid="groups-total">
              {columns.map((c, i) => (
                <Table.Summary.Cell key={String(c.key)} index={i} align={c.align}>
                  {c.render ? (c.render(undefined, total, 0) as React.ReactNode) : null}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          </Table.Summary>
        )}
      />
    </Card>
  );
}

function StatsTable<R extends { key: string; name: string; stats: Stat }>({ title, nameTitle, rows, testId }: { title: string; nameTitle: string; rows: R[]; testId: string }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<R> = [
    { key: 'name', title: nameTitle, render: (_, r) => r.name },
    { key: 'count', title: t('reports.table.decided'), align: 'right', render: (_, r) => r.stats.count },
    { key: 'median', title: t('reports.table.median'), align: 'right', render: (_, r) => formatDuration(r.stats.medianSeconds, t) },
    { key: 'p90', title: t('reports.table.p90'), align: 'right', render: (_, r) => formatDuration(r.stats.p90Seconds, t) },
    { key: 'mean', title: t('reports.table.mean'), align: 'right', render: (_, r) => formatDuration(r.stats.meanSeconds, t) },
  ];
  return (
    <Card size="small" title={title} data-testid={testId}>
      <Table<R>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: t('reports.table.none') }}
      />
    </Card>
  );
}

export default function Reports() {
  const { t } = useTranslation();
  const state = useSession();
  const user = state.kind === 'active' ? state.session.user : state.kind === 'expired' ? state.user : null;
  const allowed = isManager(user?.roles);
  if (!allowed) {
    return (
      <div className="page">
        <Result status="403" title={t('errors.forbidden')} subTitle={t('reports.forbidden')} data-testid="reports-forbidden" />
      </div>
    );
  }
  return <ReportsPage userId={user!.id} admin={isAdmin(user?.roles)} />;
}

function ReportsPage({ userId, admin }: { userId: string; admin: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const { session } = useServices();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const update = (patch: Partial<ReportFilters>) => {
    const next = { ...filters, ...patch };
    // a default period ("the last 30 days") follows the zone it is counted in
    if (patch.timeZone && !params.has('from') && !('from' in patch)) {
      const fresh = filtersFromSearch(new URLSearchParams({ timeZone: patch.timeZone }));
      next.from = fresh.from;
      next.to = fresh.to;
    }
    setParams(filtersToSearch(next), { replace: true });
  };

  const [me] = useQuery({ query: MeQuery });
  const [depts] = useQuery({ query: DepartmentsQuery, variables: { includeInactive: true } });
  const [templates] = useQuery({ query: TemplatesQuery, variables: { includeInactive: admin } });
  const variables = useMemo(() => reportVariables(filters), [filters]);
  const [res, refetch] = useQuery({ query: ReportQuery, variables });
  // the last report shown stays (dimmed) while the next one is computed
  const last = useRef<Report | null>(null);
  if (res.data?.report) last.current = res.data.report;
  const problem = res.error ? apiProblem(res.error) : null;
  const report = problem ? null : (res.data?.report ?? last.current);
  const busy = res.fetching || res.stale;

  const treeData = useMemo(() => {
    const nodes = depts.data?.departments.nodes ?? [];
    const readable = readableDepartments(nodes, { id: userId, departmentId: me.data?.me?.department?.id ?? null, admin });
    type N = ReturnType<typeof deptTree<(typeof readable)[number]>>[number];
    const map = (list: N[]): object[] =>
      list.map((n) => ({
        value: n.value,
        key: n.key,
        title: n.dept.active === false ? `${n.title}${t('reports.filters.inactive')}` : n.title,
        children: map(n.children),
      }));
    return map(deptTree(readable));
  }, [depts.data, me.data, userId, admin, t]);
  const templateOptions = useMemo(
    () => (templates.data?.templates.nodes ?? []).map((x) => ({ value: x.code, label: x.active ? x.name : `${x.name}${t('reports.filters.inactive')}` })),
    [templates.data, t],
  );
  const browser = browserTimeZone();
  const zoneOptions = timeZoneOptions(filters.timeZone, browser).map((z) => ({
    value: z,
    label: z === browser ? t('reports.filters.browserZone', { zone: z }) : z,
  }));
  const presets = useMemo(() => {
    const p = presetPeriods(filters.timeZone);
    return (Object.keys(p) as (keyof typeof p)[]).map((k) => ({
      label: t(`reports.presets.${k}`),
      value: [dayjs(p[k].from), dayjs(p[k].to)] as [Dayjs, Dayjs],
    }));
  }, [filters.timeZone, t]);

  const [exporting, setExporting] = useState<CsvKind | null>(null);
  const [exportProblem, setExportProblem] = useState<ApiProblem | null>(null);
  const download = async (kind: CsvKind) => {
    setExporting(kind);
    setExportProblem(null);
    try {
      const { blob, filename } = await fetchCsv(csvUrl(kind, filters), session, `signoff-${kind}-${filters.from}-${filters.to}.csv`);
      saveBlob(blob, filename);
      toast.success(t('reports.export.done', { name: filename }));
    } catch (e) {
      const err = e instanceof CsvError ? e : new CsvError('internal', String(e));
      setExportProblem({ code: err.code, message: err.message, fields: [] });
    } finally {
      setExporting(null);
    }
  };

  const range: [Dayjs | null, Dayjs | null] = [isDay(filters.from) ? dayjs(filters.from) : null, isDay(filters.to) ? dayjs(filters.to) : null];
  return (
    <div className="page" style={{ maxWidth: 1440 }} data-testid="reports-page">
      <Space style={{ justifyContent: 'space-between', width: '100%', flexWrap: 'wrap', marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('reports.title')}
        </Typography.Title>
        <Space wrap>
          <Button onClick={() => refetch({ requestPolicy: 'network-only' })} loading={busy && !!report} data-testid="report-refresh">
            {t('reports.refresh')}
          </Button>
          <Button onClick={() => void download('report')} loading={exporting === 'report'} data-testid="export-report">
            {t('reports.export.report')}
          </Button>
          <Button onClick={() => void download('tickets')} loading={exporting === 'tickets'} data-testid="export-tickets">
            {t('reports.export.tickets')}
          </Button>
        </Space>
      </Space>

      <Card size="small" style={{ marginBottom: 12 }} data-testid="report-filters">
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '12px 20px', alignItems: 'center' }}>
          <Space size={6}>
            <label htmlFor="report-period">{t('reports.filters.period')}</label>
            <DatePicker.RangePicker
              id={{ start: 'report-period', end: 'report-period-end' }}
              value={range}
              allowClear={false}
              presets={presets}
              disabledDate={(d, info) => !!info?.from && Math.abs(d.diff(info.from, 'day')) >= MAX_DAYS}
              onChange={(r) => {
                if (r?.[0] && r[1]) update({ from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') });
              }}
            />
          </Space>
          <Space size={6}>
            <label htmlFor="report-tz">{t('reports.filters.timeZone')}</label>
            <Select
              id="report-tz"
              style={{ width: 230 }}
              value={filters.timeZone}
              options={zoneOptions}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={(v) => update({ timeZone: v })}
            />
          </Space>
          <Space size={6}>
            <label htmlFor="report-template">{t('reports.filters.template')}</label>
            <Select
              id="report-template"
              style={{ width: 220 }}
              value={filters.templateCode ?? undefined}
              placeholder={t('reports.filters.allTemplates')}
              options={templateOptions}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={templates.fetching}
              onChange={(v) => update({ templateCode: v ?? null })}
            />
          </Space>
          <Space size={6}>
            <label htmlFor="report-dept">{t('reports.filters.department')}</label>
            <TreeSelect
              id="report-dept"
              style={{ width: 240 }}
              value={filters.departmentId ?? undefined}
              placeholder={admin ? t('reports.filters.allDepartments') : t('reports.filters.myDepartments')}
              treeData={treeData}
              treeDefaultExpandAll
              allowClear
              showSearch
              treeNodeFilterProp="title"
              loading={depts.fetching}
              onChange={(v) => update({ departmentId: (v as string | undefined) ?? null })}
            />
          </Space>
          <Space size={6}>
            <span id="report-group-label">{t('reports.filters.groupBy')}</span>
            <Radio.Group
              aria-labelledby="report-group-label"
              optionType="button"
              buttonStyle="solid"
              value={filters.groupBy}
              options={GROUP_BYS.map((g) => ({ value: g, label: t(`reports.groupBy.${g}`) }))}
              onChange={(e) => update({ groupBy: e.target.value })}
              data-testid="group-by"
            />
          </Space>
        </div>
        {report && (
          <div className="muted" style={{ marginTop: 8, fontSize: 12 }} data-testid="report-period">
            {t('reports.cohortHint', { from: report.from, to: report.to, timeZone: report.timeZone })}
          </div>
        )}
      </Card>

      {exportProblem && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert problem={exportProblem} title={t('reports.export.failed')} onClose={() => setExportProblem(null)} testId="export-error" />
        </div>
      )}
      {problem && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert problem={problem} title={t('reports.error')} testId="report-error" />
          <Button style={{ marginTop: 8 }} onClick={() => refetch({ requestPolicy: 'network-only' })}>
            {t('app.retry')}
          </Button>
        </div>
      )}
      {!report && !problem && (
        <div style={{ padding: 48, textAlign: 'center' }} data-testid="loading">
          <Spin description={t('reports.loading')} />
        </div>
      )}
      {report && (
        <Spin spinning={busy} delay={200}>
          <div data-testid="report-body" data-busy={busy ? 'true' : 'false'} style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
            {report.totals.filed === 0 ? (
              <Card data-testid="report-empty">
                <EmptyBlock text={t('reports.empty')}>
                  <span className="muted">{t('reports.emptyHint')}</span>
                </EmptyBlock>
              </Card>
            ) : (
              <>
                <Summary totals={report.totals} />
                <ReportCharts totals={report.totals} groups={report.groups} groupBy={report.groupBy} from={report.from} to={report.to} />
                <GroupsTable report={report} />
                <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: 16 }}>
                  <StatsTable
                    title={t('reports.table.steps')}
                    nameTitle={t('reports.table.step')}
                    testId="steps-table"
                    rows={report.steps.map((s) => ({ key: s.step, name: s.step, stats: s.wait }))}
                  />
                  <StatsTable
                    title={t('reports.table.approvers')}
                    nameTitle={t('reports.table.approver')}
                    testId="approvers-table"
                    rows={report.approvers.map((a) => ({ key: a.userId, name: a.name, stats: a.response }))}
                  />
                </div>
              </>
            )}
          </div>
        </Spin>
      )}
    </div>
  );
}
