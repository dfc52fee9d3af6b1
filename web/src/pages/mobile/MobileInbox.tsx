import { useCallback } from 'react';
import { ErrorBlock, List, NavBar, PullToRefresh, Tag, DotLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { InboxQuery } from '../../api/documents';
import { useLiveEvents } from '../../services';
import { ConnectionTag } from '../../components/AppLayout';
import { fmtTime } from '../../util';

export default function MobileInbox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [res, refetch] = useQuery({ query: InboxQuery, variables: { first: 30 } });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useLiveEvents(reload);
  const rows = res.data?.inbox.nodes ?? [];
  return (
    <>
      <NavBar back={null} right={<ConnectionTag />}>
        {t('mobile.list')} ({res.data?.inboxCounts.pending ?? 0})
      </NavBar>
      <PullToRefresh onRefresh={async () => reload()}>
        {res.fetching && !res.data ? (
          <div style={{ padding: 48, textAlign: 'center' }}><DotLoading /></div>
        ) : res.error && !res.data ? (
          <ErrorBlock status="disconnected" title={t('app.loadError')} description={res.error.message} />
        ) : rows.length === 0 ? (
          <ErrorBlock status="empty" title={t('inbox.none')} description="" />
        ) : (
          <List data-testid="m-inbox">
            {rows.map((r) => (
              <List.Item
                key={r.id}
                onClick={() => navigate(`/m/tickets/${r.ticket?.id}`)}
                description={`${r.ticket?.applicant?.displayName ?? ''} · ${r.stepName} · ${fmtTime(r.createdAt)}`}
                extra={r.overdue ? <Tag color="danger">{t('ticket.overdue')}</Tag> : undefined}
                arrowIcon
              >
                {r.ticket?.title}
              </List.Item>
            ))}
          </List>
        )}
      </PullToRefresh>
    </>
  );
}
