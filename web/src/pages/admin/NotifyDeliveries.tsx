// 发送记录: every delivery, newest first, filtered by status, channel and
// ticket; older ones load below (beforeId). Failed and dead ones can be sent again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Button, Input, Popconfirm, Select, Space, Table, Typography } from 'antd';
import type { CombinedError } from '@urql/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClient, useMutation } from 'urql';
import { DeliveriesQuery, RetryDeadDeliveriesMutation, RetryDeliveryMutation } from '../../api/admin-documents';
import type { DeliveryStatus, NotificationChannel } from '../../gql/graphql';
import { ErrorBlock } from '../../components/States';
import { fmtSeconds } from '../../util';
import { useMutationFeedback } from './common';
import { DELIVERY_STATUSES, DeliveryStatusTag, NOTIFY_CHANNELS, retryable, settled, useNotifyLabels, type DeliveryRow } from './NotifyParts';

const PAGE = 30;

export default function DeliveriesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const labels = useNotifyLabels();
  const feedback = useMutationFeedback();
  const [status, setStatus] = useState<DeliveryStatus | undefined>();
  const [channel, setChannel] = useState<NotificationChannel | undefined>();
  const [ticketId, setTicketId] = useState('');
  const [rows, setRows] = useState<DeliveryRow[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const [, retry] = useMutation(RetryDeliveryMutation);
  const [, retryDead] = useMutation(RetryDeadDeliveriesMutation);
  // only the answer to the latest request counts (filters change under a slow one)
  const generation = useRef(0);

  const load = useCallback(
    async (beforeId: string | null) => {
      const g = ++generation.current;
      setLoading(true);
      const r = await client
        .query(
          DeliveriesQuery,
          { status: status ?? null, channel: channel ?? null, ticketId: ticketId || null, first: PAGE, beforeId },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (g !== generation.current) return;
      setLoading(false);
      if (r.error) {
        setError(r.error);
        if (!beforeId) setRows([]);
        return;
      }
      setError(undefined);
      const page = r.data?.deliveries ?? [];
      setRows((old) => (beforeId ? [...old, ...page.filter((d) => !old.some((o) => o.id === d.id))] : page));
      setMore(page.length === PAGE);
    },
    [client, status, channel, ticketId],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  const reload = () => void load(null);

  const retryOne = async (d: DeliveryRow) => {
    const r = await retry({ id: d.id });
    if (feedback(r.error)) return;
    if (r.data?.retryDelivery) message.success(t('deliveries.retried'));
    else message.warning(t('deliveries.notRetried'));
    reload();
  };
  const retryAllDead = async () => {
    const r = await retryDead({ channel: channel ?? null });
    if (feedback(r.error)) return;
    message.success({ content: t('deliveries.retriedDead', { count: r.data?.retryDeadDeliveries ?? 0 }), className: 'retried-dead' });
    reload();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Space wrap>
          <Select
            allowClear
            aria-label={t('deliveries.status')}
            placeholder={t('deliveries.anyStatus')}
            value={status}
            onChange={(v) => setStatus(v ?? undefined)}
            options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`deliveries.statuses.${s}`) }))}
            style={{ width: 160 }}
          />
          <Select
            allowClear
            aria-label={t('deliveries.channel')}
            placeholder={t('deliveries.anyChannel')}
            value={channel}
            onChange={(v) => setChannel(v ?? undefined)}
            options={NOTIFY_CHANNELS.map((c) => ({ value: c, label: labels.channel(c) }))}
            style={{ width: 160 }}
          />
          <Input.Search
            allowClear
            aria-label={t('deliveries.ticketId')}
            placeholder={t('deliveries.ticketId')}
            onSearch={(v) => setTicketId(v.trim())}
            style={{ width: 180 }}
            data-testid="deliveries-ticket"
          />
          <Button onClick={reload} data-testid="deliveries-refresh">{t('app.refresh')}</Button>
        </Space>
        <Popconfirm title={t('deliveries.retryDeadConfirm')} onConfirm={() => void retryAllDead()} okText={t('app.confirm')} cancelText={t('app.cancel')}>
          <Button danger data-testid="retry-dead">{t('deliveries.retryDead')}</Button>
        </Popconfirm>
      </Space>
      {error && !rows.length ? (
        <ErrorBlock error={error} onRetry={reload} />
      ) : (
        <div data-testid="deliveries">
        <Table<DeliveryRow>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('deliveries.none') }}
          onRow={(d) => ({ 'data-delivery-id': d.id }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('deliveries.id'), dataIndex: 'id' },
            { title: t('deliveries.time'), render: (_, d) => fmtSeconds(d.createdAt) },
            { title: t('deliveries.ticket'), render: (_, d) => (d.ticketId ? <Link to={`/tickets/${d.ticketId}`}>#{d.ticketId}</Link> : '—') },
            { title: t('deliveries.recipient'), dataIndex: 'recipientId' },
            { title: t('deliveries.channel'), render: (_, d) => labels.channel(d.channel) },
            { title: t('deliveries.kind'), render: (_, d) => labels.kind(d.kind) },
            { title: t('deliveries.status'), render: (_, d) => <DeliveryStatusTag status={d.status} /> },
            { title: t('deliveries.attempts'), dataIndex: 'attempts', align: 'right' },
            { title: t('deliveries.nextAttempt'), render: (_, d) => (settled(d.status) ? '—' : fmtSeconds(d.nextAttemptAt)) },
            {
              title: t('deliveries.lastError'),
              render: (_, d) =>
                d.lastError ? (
                  <Typography.Text type="danger" ellipsis={{ tooltip: d.lastError }} style={{ maxWidth: 260 }} data-testid="delivery-error">
                    {d.lastError}
                  </Typography.Text>
                ) : '—',
            },
            { title: t('deliveries.providerId'), render: (_, d) => d.providerId ?? '—' },
            {
              title: t('app.actions'),
              fixed: 'right',
              render: (_, d) =>
                retryable(d.status) && (
                  <Button size="small" onClick={() => void retryOne(d)} data-testid="delivery-retry">{t('deliveries.retry')}</Button>
                ),
            },
          ]}
        />
        </div>
      )}
      <Space>
        {more ? (
          <Button onClick={() => void load(rows[rows.length - 1]?.id ?? null)} loading={loading} data-testid="deliveries-more">
            {t('deliveries.loadMore')}
          </Button>
        ) : rows.length > 0 && <Typography.Text type="secondary">{t('deliveries.end')}</Typography.Text>}
      </Space>
    </Space>
  );
}
