import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { CombinedError, Provider, type Client } from 'urql';
import { concat, fromValue, never } from 'wonka';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import Reports from './Reports';
import { ServicesContext } from '../services';
import { ToastProvider } from '../components/ui';

// ECharts needs a canvas; the charts' data is tested in reports/model.test.ts
vi.mock('./reports/ReportCharts', () => ({ default: () => <div data-testid="charts-stub" /> }));

const stats = (m: number | null) => ({ count: m === null ? 0 : 2, meanSeconds: m, medianSeconds: m, p90Seconds: m === null ? null : m * 2 });
const figures = (over: Record<string, unknown> = {}) => ({
  filed: 5,
  completed: 3,
  approved: 2,
  rejected: 1,
  withdrawn: 0,
  open: 2,
  cycle: stats(11_520),
  response: stats(600),
  slaItems: 4,
  slaBreached: 1,
  slaBreachRate: 0.25,
  jobsSucceeded: 3,
  jobsFailed: 1,
  automationSuccessRate: 0.75,
  jobDuration: stats(30),
  ratings: 2,
  ratingAverage: 4.5,
  ratingDistribution: [0, 0, 0, 1, 1],
  backlog: [{ bucket: 'lt_1d', count: 2 }],
  ...over,
});
const report = (over: Record<string, unknown> = {}) => ({
  from: '2026-11-06',
  to: '2026-12-05',
  timeZone: 'Asia/Shanghai',
  groupBy: 'DAY',
  totals: figures(),
  groups: [{ key: '2026-12-05', label: '2026-12-05', figures: figures() }],
  steps: [{ step: '部门负责人', wait: stats(600) }],
  approvers: [{ userId: '3', name: 'Bob 王博', response: stats(600) }],
  ...over,
});

type Answer = { data?: unknown; error?: CombinedError };

function fakeClient(answer: (variables: Record<string, unknown>) => Answer) {
  const calls: { name: string; variables: Record<string, unknown> }[] = [];
  const client = {
    executeQuery: (op: { query: DocumentNode; variables: Record<string, unknown> }) => {
      const name = (op.query.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode).name!.value;
      calls.push({ name, variables: op.variables });
      // a source that stays open, like the client's (a completed one would clear the error)
      if (name === 'Report') return concat([fromValue({ operation: op, ...answer(op.variables) }), never]);
      if (name === 'Me') return fromValue({ operation: op, data: { me: { id: '3', username: 'bob', displayName: 'Bob', roles: ['manager'], department: { id: '3', name: '平台组' } } } });
      if (name === 'Departments') {
        return fromValue({
          operation: op,
          data: { departments: { nodes: [{ id: '3', name: '平台组', active: true, parent: null, head: { id: '3', displayName: 'Bob', username: 'bob' } }] } },
        });
      }
      if (name === 'Templates') return fromValue({ operation: op, data: { templates: { nodes: [] } } });
      return never;
    },
    executeMutation: () => never,
    executeSubscription: () => never,
  };
  return { client: client as unknown as Client, calls };
}

function renderReports(client: Client, roles = ['manager'], path = '/reports') {
  const state = { kind: 'active', session: { user: { id: '3', username: 'bob', displayName: 'Bob', roles } } };
  const services = {
    session: { subscribe: () => () => {}, getState: () => state, accessToken: async () => 't', onUnauthenticated: async () => null },
    realtime: { onState: () => () => {}, getState: () => 'connected' },
    client,
  };
  return render(
    <ServicesContext.Provider value={services as never}>
      <Provider value={client}>
        <ToastProvider>
          <MemoryRouter initialEntries={[path]}>
            <Reports />
          </MemoryRouter>
        </ToastProvider>
      </Provider>
    </ServicesContext.Provider>,
  );
}

describe('Reports screen', () => {
  it('shows the summary of the report and asks again when the grouping changes', async () => {
    const { client, calls } = fakeClient((v) => ({ data: { report: report({ groupBy: v.groupBy }) } }));
    renderReports(client);
    expect(await screen.findByTestId('kpi-filed-value')).toHaveTextContent('5');
    expect(screen.getByTestId('kpi-completed-value')).toHaveTextContent('3');
    expect(screen.getByTestId('kpi-completed-detail')).toHaveTextContent('通过 2 · 否决 1 · 撤回 0');
    expect(screen.getByTestId('kpi-open-value')).toHaveTextContent('2');
    expect(screen.getByTestId('kpi-cycle-value')).toHaveTextContent('3.2 小时');
    expect(screen.getByTestId('kpi-cycle-detail')).toHaveTextContent('P90 6.4 小时');
    expect(screen.getByTestId('kpi-sla-value')).toHaveTextContent('25%');
    expect(screen.getByTestId('kpi-automation-value')).toHaveTextContent('75%');
    expect(screen.getByTestId('kpi-rating-value')).toHaveTextContent('4.5 ★');
    expect(screen.getByTestId('charts-stub')).toBeInTheDocument();
    expect(screen.getByTestId('steps-table')).toHaveTextContent('部门负责人');
    expect(screen.getByTestId('approvers-table')).toHaveTextContent('Bob 王博');
    const first = calls.find((c) => c.name === 'Report')!;
    expect(first.variables).toMatchObject({ timeZone: 'Asia/Shanghai', groupBy: 'DAY', templateCode: null, departmentId: null });
    expect(first.variables.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    fireEvent.click(screen.getByText('按类型'));
    await waitFor(() => expect(calls.filter((c) => c.name === 'Report').at(-1)!.variables.groupBy).toBe('TEMPLATE'));
    expect(await screen.findByRole('columnheader', { name: '类型' })).toBeInTheDocument();
  });

  it('reads the filters from the URL', async () => {
    const { client, calls } = fakeClient(() => ({ data: { report: report() } }));
    renderReports(client, ['admin'], '/reports?from=2026-01-01&to=2026-01-31&timeZone=UTC&templateCode=leave&departmentId=3&groupBy=month');
    await screen.findByTestId('kpi-filed-value');
    expect(calls.find((c) => c.name === 'Report')!.variables).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      timeZone: 'UTC',
      templateCode: 'leave',
      departmentId: '3',
      groupBy: 'MONTH',
    });
  });

  it('shows the server’s error with its code', async () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: 'from: a period runs from a day to a later one, at most 366 days', extensions: { code: 'invalid_period' } }],
    });
    const { client } = fakeClient(() => ({ error }));
    renderReports(client, ['manager'], '/reports?from=2020-01-01&to=2026-01-01');
    const alert = await screen.findByTestId('report-error');
    expect(alert).toHaveAttribute('data-code', 'invalid_period');
    expect(alert).toHaveTextContent('时段无效');
    expect(alert).toHaveTextContent('invalid_period');
    expect(screen.queryByTestId('report-summary')).not.toBeInTheDocument();
  });

  it('says so when nothing was filed', async () => {
    const { client } = fakeClient(() => ({ data: { report: report({ totals: figures({ filed: 0, completed: 0, open: 0 }), groups: [], steps: [], approvers: [] }) } }));
    renderReports(client);
    expect(await screen.findByTestId('report-empty')).toHaveTextContent('所选时段内没有提交的工单');
    expect(screen.queryByTestId('report-summary')).not.toBeInTheDocument();
  });

  it('is not for staff', () => {
    const { client, calls } = fakeClient(() => ({ data: { report: report() } }));
    renderReports(client, ['staff']);
    expect(screen.getByTestId('reports-forbidden')).toHaveTextContent('统计报表仅对部门负责人和管理员开放');
    expect(calls.some((c) => c.name === 'Report')).toBe(false);
  });
});
