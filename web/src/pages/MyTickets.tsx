import { useState } from 'react';
import { Button, Input, Select, Space, Tag } from 'antd';
import { SimpleTable } from '../components/SimpleTable';
import { DateRange } from '../components/LazyDate';
import { Title } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import dayjs from 'dayjs';
import { MyTicketsQuery, TemplatesQuery } from '../api/documents';
import type { TicketResult, TicketStatus } from '../gql/graphql';
import { EmptyBlock, ErrorBlock } from '../components/States';
import { PagerButtons, usePager } from '../components/Pager';
import { useLiveEvents } from '../services';
import { fmtTime, statusColor } from '../util';

const PAGE = 20;

export default function MyTickets() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as TicketStatus | null) || null;
  const result = (params.get('result') as TicketResult | null) || null;
  const templateCode = params.get('template') || null;
  const search = params.get('q') || null;
  const from = params.get('from');
  const to = params.get('to');
  // any filter or search change (also back/forward in the history) starts at page 1
  const pager = usePager(params.toString());
  const [searchText, setSearchText] = useState(search ?? '');
  const vars = {
    status,
    result,
    templateCode,
    search,
    createdFrom: from ? dayjs(from).startOf('day').toISOString() : null,
    createdTo: to ? dayjs(to).endOf('day').toISOString() : null,
    // newest first (the query says NEWEST_FIRST); Next goes towards older ones
    first: PAGE,
    after: pager.after,
  };
  const [res, refetch] = useQuery({ query: MyTicketsQuery, variables: vars });
  const [tpls] = useQuery({ query: TemplatesQuery, variables: { includeInactive: true } });
  useLiveEvents(() => refetch({ requestPolicy: 'network-only' }));
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const rows = res.data?.myTickets.nodes ?? [];
  const page = res.data?.myTickets.pageInfo;
  return (
    <div className="page">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <Title level={3} style={{ margin: 0 }}>{t('tickets.title')}</Title>
          <Link to="/catalogue"><Button type="primary">{t('tickets.newTicket')}</Button></Link>
        </Space>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('tickets.searchPlaceholder')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onSearch={(v) => set('q', v.trim() || null)}
            style={{ width: 260 }}
            aria-label={t('tickets.searchPlaceholder')}
          />
          <Select
            allowClear
            placeholder={t('tickets.anyStatus')}
            value={status ?? undefined}
            onChange={(v) => set('status', v ?? null)}
            style={{ width: 140 }}
            options={(['IN_APPROVAL', 'RETURNED', 'PROCESSING', 'DONE'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
            aria-label={t('tickets.status')}
          />
          <Select
            allowClear
            placeholder={t('tickets.anyResult')}
            value={result ?? undefined}
            onChange={(v) => set('result', v ?? null)}
            style={{ width: 140 }}
            options={(['APPROVED', 'REJECTED', 'WITHDRAWN'] as const).map((s) => ({ value: s, label: t(`result.${s}`) }))}
            aria-label={t('tickets.result')}
          />
          <Select
            allowClear
            placeholder={t('tickets.anyTemplate')}
            value={templateCode ?? undefined}
            onChange={(v) => set('template', v ?? null)}
            style={{ width: 180 }}
            options={(tpls.data?.templates.nodes ?? []).map((x) => ({ value: x.code, label: x.name }))}
            aria-label={t('tickets.template')}
          />
          <DateRange
            from={from}
            to={to}
            onChange={(f, tt) => {
              const next = new URLSearchParams(params);
              if (f) next.set('from', f);
              else next.delete('from');
              if (tt) next.set('to', tt);
              else next.delete('to');
              setParams(next, { replace: true });
            }}
          />
        </Space>
        {res.error && !res.data ? (
          <ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
        ) : (
          <SimpleTable
            testId="my-tickets"
            rowKey={(r) => r.id}
            loading={res.fetching && !res.data}
            rows={rows}
            empty={<EmptyBlock text={t('tickets.none')} />}
            columns={[
              { key: 'number', title: t('tickets.number'), render: (r) => <Link to={`/tickets/${r.id}`}>{r.number}</Link> },
              { key: 'title', title: t('tickets.ticketTitle'), render: (r) => r.title },
              { key: 'template', title: t('tickets.template'), render: (r) => r.template?.name ?? r.templateCode },
              {
                key: 'status',
                title: t('tickets.status'),
                render: (r) => (
                  <Tag color={statusColor(r.status, r.result)} data-testid="ticket-status">
                    {t(`status.${r.status}`)}
                    {r.result ? ` · ${t(`result.${r.result}`)}` : ''}
                  </Tag>
                ),
              },
              { key: 'created', title: t('tickets.created'), render: (r) => fmtTime(r.createdAt) },
              { key: 'updated', title: t('tickets.updated'), render: (r) => fmtTime(r.updatedAt) },
            ]}
          />
        )}
        <PagerButtons pager={pager} pageInfo={page} testId="my-tickets-pager" />
      </Space>
    </div>
  );
}
