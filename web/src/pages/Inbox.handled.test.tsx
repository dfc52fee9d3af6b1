import { describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { Provider, type Client } from 'urql';
import { fromValue, never } from 'wonka';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import Inbox from './Inbox';
import { ServicesContext, liveBus } from '../services';
import { ToastProvider } from '../components/ui';

const ME = { id: '3', username: 'bob', displayName: 'Bob', roles: ['manager'] };
const user = (id: string, displayName: string) => ({ __typename: 'User', id, displayName, username: displayName.toLowerCase() });

function item(id: number, over: Record<string, unknown> = {}) {
  return {
    __typename: 'ApprovalItem',
    id: String(id),
    round: 1,
    stepName: '部门负责人',
    kind: 'APPROVE',
    status: 'APPROVED',
    reason: null,
    dueAt: null,
    overdue: false,
    createdAt: '2026-12-01T01:00:00Z',
    decidedAt: '2026-12-01T02:00:00Z',
    assignee: user('3', 'Bob'),
    onBehalfOf: null,
    decidedBy: user('3', 'Bob'),
    ticket: { __typename: 'Ticket', id: `t${id}`, number: `LEAVE-${id}`, title: `请假 ${id}`, status: 'DONE', result: 'APPROVED', templateCode: 'leave' },
    ...over,
  };
}

/** A client that answers Inbox (empty) and HandledItems (two pages of 20, 1). */
function fakeClient(handled: { pages: Record<string, { nodes: unknown[]; hasNextPage: boolean; endCursor: string | null }> }) {
  const calls: { name: string; variables: Record<string, unknown> }[] = [];
  const client = {
    executeQuery: (op: { query: DocumentNode; variables: Record<string, unknown> }) => {
      const name = (op.query.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode).name!.value;
      calls.push({ name, variables: op.variables });
      if (name === 'Inbox') {
        return fromValue({ operation: op, data: { inbox: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }, inboxCounts: { pending: 0, overdue: 0 } } });
      }
      const page = handled.pages[String(op.variables.after ?? '')];
      return fromValue({ operation: op, data: { handledItems: { nodes: page.nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } } } });
    },
    executeMutation: () => never,
    executeSubscription: () => never,
  };
  return { client: client as unknown as Client, calls };
}

function renderInbox(client: Client) {
  const state = { kind: 'active', session: { user: ME } };
  const services = {
    session: { subscribe: () => () => {}, getState: () => state },
    realtime: { onState: () => () => {}, getState: () => 'connected' },
    client,
  };
  return render(
    <ServicesContext.Provider value={services as never}>
      <Provider value={client}>
        <ToastProvider>
          <MemoryRouter initialEntries={['/inbox']}>
            <Inbox />
          </MemoryRouter>
        </ToastProvider>
      </Provider>
    </ServicesContext.Provider>,
  );
}

describe('Inbox handled tab (handledItems)', () => {
  const first = Array.from({ length: 20 }, (_, i) => item(100 - i));
  first[0] = item(100, { status: 'REJECTED', reason: '预算不足', decidedAt: '2026-12-02T03:04:00Z' });
  first[1] = item(99, { onBehalfOf: user('3', 'Bob'), decidedBy: user('5', 'Zhang'), assignee: user('5', 'Zhang') });
  const pages = {
    '': { nodes: first, hasNextPage: true, endCursor: '81' },
    '81': { nodes: [item(80, { status: 'RETURNED', reason: '补充材料' })], hasNextPage: false, endCursor: '80' },
  };

  it('counts "20+" without a total, lists decisions, pages on and back', () => {
    const { client, calls } = fakeClient({ pages });
    renderInbox(client);
    expect(screen.getByTestId('count-handled')).toHaveTextContent('20+');
    fireEvent.click(screen.getByRole('tab', { name: /已处理/ }));
    const table = screen.getByTestId('inbox-handled');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(20);
    expect(rows[0]).toHaveTextContent('请假 100');
    expect(rows[0]).toHaveTextContent('LEAVE-100');
    expect(within(rows[0]).getByTestId('handled-decision')).toHaveTextContent('已否决');
    expect(rows[0]).toHaveTextContent('预算不足');
    expect(within(rows[0]).getByRole('link', { name: '请假 100' })).toHaveAttribute('href', '/tickets/t100');
    // decided by a proxy on the viewer's behalf
    expect(within(rows[1]).getByTestId('decided-by-proxy')).toHaveTextContent('Zhang 代处理');

    fireEvent.click(screen.getByRole('button', { name: /下\s*一\s*页/ }));
    expect(calls.some((c) => c.name === 'HandledItems' && c.variables.after === '81')).toBe(true);
    const page2 = within(screen.getByTestId('inbox-handled')).getAllByRole('row').slice(1);
    expect(page2).toHaveLength(1);
    expect(page2[0]).toHaveTextContent('请假 80');
    expect(page2[0]).toHaveTextContent('已退回');
    // the count stays the first page's
    expect(screen.getByTestId('count-handled')).toHaveTextContent('20+');
    expect(screen.getByRole('button', { name: /下\s*一\s*页/ })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: /上\s*一\s*页/ }));
    expect(within(screen.getByTestId('inbox-handled')).getAllByRole('row')).toHaveLength(21);
  });

  it('shows the exact count when everything fits, and refetches on live events', async () => {
    const { client, calls } = fakeClient({ pages: { '': { nodes: [item(7)], hasNextPage: false, endCursor: '7' } } });
    renderInbox(client);
    expect(screen.getByTestId('count-handled')).toHaveTextContent('1');
    const before = calls.filter((c) => c.name === 'HandledItems').length;
    await act(async () => {
      liveBus.emit({ id: '', data: { type: 'resync' } });
      await new Promise((r) => setTimeout(r, 200)); // the bus coalesces for 120 ms
    });
    expect(calls.filter((c) => c.name === 'HandledItems').length).toBeGreaterThan(before);
  });
});
