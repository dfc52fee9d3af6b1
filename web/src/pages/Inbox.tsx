import { useCallback, useEffect, useMemo, useState } from 'react';
import { Space, Tag } from 'antd';
import { SimpleTable } from '../components/SimpleTable';
import { Count, Muted, Panel, Title, useToast } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { HandledItemsQuery, InboxQuery } from '../api/documents';
import type { HandledItemsQuery as HandledItemsQueryType, InboxQuery as InboxQueryType } from '../gql/graphql';
import { DecisionDialog, ItemActionButtons, type ItemAction } from '../components/ItemActions';
import { EmptyBlock, ErrorBlock } from '../components/States';
import { PagerButtons, usePager } from '../components/Pager';
import { ConnectionTag } from '../components/AppLayout';
import { useLiveEvents, useSession } from '../services';
import { fmtTime, itemColor } from '../util';

type Row = InboxQueryType['inbox']['nodes'][number];
type HandledRow = HandledItemsQueryType['handledItems']['nodes'][number];

/** Handled items per page; the tab shows "20+" when there are more (no total). */
const HANDLED_PAGE = 20;

function isTyping(el: EventTarget | null): boolean {
  const e = el as HTMLElement | null;
  if (!e) return false;
  return e.tagName === 'INPUT' || e.tagName === 'TEXTAREA' || e.isContentEditable || !!e.closest?.('.ant-modal, .ant-select');
}

export default function Inbox() {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const session = useSession();
  const userId = session.kind === 'active' ? session.session.user.id : session.kind === 'expired' ? session.user.id : '';
  const [tab, setTab] = useState<'pending' | 'handled'>('pending');
  const [res, refetch] = useQuery({ query: InboxQuery, variables: { first: 30 } });
  const [selected, setSelected] = useState(0);
  const [dialog, setDialog] = useState<{ action: ItemAction; item: Row } | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  // 已处理: the first page gives the tab's count; later pages only while paging
  const pager = usePager(userId);
  const [handledTop, refetchHandledTop] = useQuery({ query: HandledItemsQuery, variables: { first: HANDLED_PAGE, after: null } });
  const [handledPage, refetchHandledPage] = useQuery({
    query: HandledItemsQuery,
    variables: { first: HANDLED_PAGE, after: pager.after },
    pause: pager.after === null,
  });
  const handledRes = pager.after === null ? handledTop : handledPage;
  const handledRows = handledRes.data?.handledItems.nodes ?? [];
  const top = handledTop.data?.handledItems;
  const handledCount = top ? (top.pageInfo.hasNextPage ? `${top.nodes.length}+` : top.nodes.length) : null;
  const rows = useMemo(() => res.data?.inbox.nodes ?? [], [res.data]);
  const counts = res.data?.inboxCounts;
  const [known, setKnown] = useState<Set<string> | null>(null);

  // Highlight items that arrived live.
  useEffect(() => {
    if (!res.data) return;
    // first paint of the list, for the performance budget (e2e reads it)
    if (!performance.getEntriesByName('inbox-rendered').length) performance.mark('inbox-rendered');
    const ids = new Set(rows.map((r) => r.id));
    if (known) {
      const added = rows.filter((r) => !known.has(r.id));
      if (added.length) {
        setFresh(new Set(added.map((r) => r.id)));
        for (const r of added.slice(0, 3)) {
          void toast.info(t('inbox.newItem', { title: r.ticket?.title ?? '' }), 3);
        }
      }
    }
    setKnown(ids);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows]);

  const pagedAfter = pager.after;
  const reload = useCallback(() => {
    refetch({ requestPolicy: 'network-only' });
    refetchHandledTop({ requestPolicy: 'network-only' });
    if (pagedAfter !== null) refetchHandledPage({ requestPolicy: 'network-only' });
  }, [refetch, refetchHandledTop, refetchHandledPage, pagedAfter]);
  useLiveEvents(reload);

  useEffect(() => {
    if (selected >= rows.length && rows.length) setSelected(rows.length - 1);
  }, [rows.length, selected]);

  useEffect(() => {
    if (tab !== 'pending') return;
    const onKey = (e: KeyboardEvent) => {
      if (dialog || isTyping(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
      const row = rows[selected];
      switch (e.key.toLowerCase()) {
        case 'j':
          setSelected((s) => Math.min(s + 1, rows.length - 1));
          break;
        case 'k':
          setSelected((s) => Math.max(s - 1, 0));
          break;
        case 'a':
          if (row) setDialog({ action: row.kind === 'CONFIRM' ? 'confirm' : 'approve', item: row });
          break;
        case 'r':
          if (row && row.kind === 'APPROVE') setDialog({ action: 'return', item: row });
          break;
        case 'x':
          if (row && row.kind === 'APPROVE') setDialog({ action: 'reject', item: row });
          break;
        case 'enter':
          if (row?.ticket) navigate(`/tickets/${row.ticket.id}`);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tab, rows, selected, dialog, navigate]);

  const pendingTable = res.error && !res.data ? (
    <ErrorBlock error={res.error} onRetry={reload} />
  ) : (
    <SimpleTable<Row>
      testId="inbox-pending"
      rowKey={(r) => r.id}
      loading={res.fetching && !res.data}
      rows={rows}
      empty={<EmptyBlock text={t('inbox.none')} />}
      rowClassName={(r, i) => [i === selected ? 'row-selected' : '', fresh.has(r.id) ? 'flash-in' : ''].join(' ')}
      onRowClick={(_, i) => setSelected(i)}
      columns={[
        {
          key: 'title',
          title: t('tickets.ticketTitle'),
          render: (r) => (
            <Space orientation="vertical" size={0}>
              <Link to={`/tickets/${r.ticket?.id}`} data-testid="inbox-title">{r.ticket?.title}</Link>
              <Muted style={{ fontSize: 12 }}>{r.ticket?.number}</Muted>
            </Space>
          ),
        },
        {
          key: 'applicant',
          title: t('inbox.applicant'),
          render: (r) => `${r.ticket?.applicant?.displayName ?? ''}${r.ticket?.department ? ' · ' + r.ticket.department.name : ''}`,
        },
        {
          key: 'step',
          title: t('inbox.step'),
          render: (r) => (
            <Space size={4} wrap>
              <span>{r.stepName}</span>
              {r.kind === 'CONFIRM' && <Tag>{t('kind.CONFIRM')}</Tag>}
              {r.onBehalfOf && r.onBehalfOf.id !== userId && (
                <Tag color="purple" data-testid="acting-for">{t('inbox.actingFor', { name: r.onBehalfOf.displayName })}</Tag>
              )}
              {r.onBehalfOf && r.onBehalfOf.id === userId && r.assignee && (
                <Tag color="purple">{t('ticket.pendingWith', { names: r.assignee.displayName })}</Tag>
              )}
            </Space>
          ),
        },
        {
          key: 'received',
          title: t('inbox.received'),
          render: (r) => (
            <Space orientation="vertical" size={0}>
              <span>{fmtTime(r.createdAt)}</span>
              {r.dueAt && (
                <Tag color={r.overdue ? 'error' : 'default'} title={fmtTime(r.dueAt)}>
                  {r.overdue ? t('ticket.overdue') : t('ticket.due', { at: fmtTime(r.dueAt) })}
                </Tag>
              )}
            </Space>
          ),
        },
        {
          key: 'actions',
          title: t('app.actions'),
          render: (r) => <ItemActionButtons item={r} size="small" onAction={(action) => setDialog({ action, item: r })} />,
        },
      ]}
    />
  );

  const handledTable = handledRes.error && !handledRes.data ? (
    <ErrorBlock error={handledRes.error} onRetry={reload} />
  ) : (
    <>
      <SimpleTable<HandledRow>
        testId="inbox-handled"
        rowKey={(r) => r.id}
        loading={handledRes.fetching && !handledRes.data}
        rows={handledRows}
        empty={<EmptyBlock text={t('inbox.noneHandled')} />}
        columns={[
          {
            key: 'title',
            title: t('tickets.ticketTitle'),
            render: (r) =>
              r.ticket ? (
                <Space orientation="vertical" size={0}>
                  <Link to={`/tickets/${r.ticket.id}`} data-testid="handled-title">{r.ticket.title}</Link>
                  <Muted style={{ fontSize: 12 }}>{r.ticket.number}</Muted>
                </Space>
              ) : (
                '—'
              ),
          },
          {
            key: 'step',
            title: t('inbox.step'),
            render: (r) => (
              <Space size={4} wrap>
                <span>{r.stepName}</span>
                {r.kind === 'CONFIRM' && <Tag>{t('kind.CONFIRM')}</Tag>}
                {r.onBehalfOf && r.onBehalfOf.id !== userId && (
                  <Tag color="purple" data-testid="acting-for">{t('inbox.actingFor', { name: r.onBehalfOf.displayName })}</Tag>
                )}
                {r.onBehalfOf && r.onBehalfOf.id === userId && r.decidedBy && r.decidedBy.id !== userId && (
                  <Tag color="purple" data-testid="decided-by-proxy">{t('inbox.decidedByProxy', { name: r.decidedBy.displayName })}</Tag>
                )}
              </Space>
            ),
          },
          {
            key: 'decision',
            title: t('inbox.decision'),
            render: (r) => (
              <Tag color={itemColor(r.status)} data-testid="handled-decision">
                {t(`item.${r.status}`)}
              </Tag>
            ),
          },
          { key: 'reason', title: t('inbox.reasonColumn'), render: (r) => r.reason || <Muted>—</Muted> },
          { key: 'decided', title: t('inbox.decidedAt'), render: (r) => fmtTime(r.decidedAt) },
        ]}
      />
      <div style={{ marginTop: 12 }}>
        <PagerButtons pager={pager} pageInfo={handledRes.data?.handledItems.pageInfo} testId="handled-pager" />
      </div>
    </>
  );

  return (
    <div className="page">
      <Panel
        title={
          <Space>
            <Title level={4} style={{ margin: 0 }}>{t('inbox.title')}</Title>
            <ConnectionTag />
          </Space>
        }
        extra={<Muted style={{ fontSize: 12 }}>{t('inbox.shortcuts')}</Muted>}
      >
        <div role="tablist" className="tabs">
          <button role="tab" aria-selected={tab === 'pending'} className="tab" onClick={() => setTab('pending')}>
            {t('inbox.pending')} <Count value={counts?.pending ?? 0} color="#1f6feb" testId="count-pending" />
            {(counts?.overdue ?? 0) > 0 && (
              <Tag color="error" data-testid="count-overdue" style={{ marginInlineStart: 6 }}>
                {t('inbox.overdue')} {counts?.overdue}
              </Tag>
            )}
          </button>
          <button role="tab" aria-selected={tab === 'handled'} className="tab" onClick={() => setTab('handled')}>
            {t('inbox.handled')} {handledCount !== null && <Count value={handledCount} color="#8c8c8c" testId="count-handled" />}
          </button>
        </div>
        <div role="tabpanel">
          {tab === 'pending' ? (
            <>
              {pendingTable}
              {res.data?.inbox.pageInfo.hasNextPage && (
                <Muted block style={{ marginTop: 12 }}>
                  {t('inbox.more', { shown: rows.length, total: counts?.pending ?? rows.length })}
                </Muted>
              )}
            </>
          ) : (
            handledTable
          )}
        </div>
      </Panel>
      <DecisionDialog
        action={dialog?.action ?? null}
        item={dialog?.item ?? null}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          reload();
        }}
      />
    </div>
  );
}
