// 自动化任务 (/admin/jobs): jobs in one status, newest first (failed ones
// by default: the exceptions waiting for an administrator), with retry and
// skip; older ones load below (`before`). Also the secret webhook receivers
// verify signatures with, shown on request.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Button, Input, Popconfirm, Select, Space, Table, Typography } from 'antd';
import type { CombinedError } from '@urql/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { JobsQuery, RetryJobMutation, SkipJobMutation, WebhookSigningSecretQuery } from '../../api/admin-documents';
import type { JobsQuery as JobsQueryType, JobStatus } from '../../gql/graphql';
import { ErrorBlock } from '../../components/States';
import { Panel } from '../../components/ui';
import { useLiveEvents } from '../../services';
import { fmtSeconds } from '../../util';
import '../../i18n/automation';
import { JobStatusTag } from '../ticket/JobParts';
import { appendPage, beforeCursor, isJobEvent, JOB_STATUSES, jobActions, jobTime } from '../ticket/automation';
import { useMutationFeedback } from './common';

const PAGE = 30;

type Row = JobsQueryType['jobs'][number];

function SigningSecret() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const [res] = useQuery({ query: WebhookSigningSecretQuery, pause: !shown, requestPolicy: 'network-only' });
  const secret = res.data?.webhookSigningSecret;
  return (
    <Panel title={t('jobs.secret')} testId="webhook-secret">
      <Space orientation="vertical" style={{ width: '100%' }} size="small">
        <Typography.Text type="secondary">{t('jobs.secretHint')}</Typography.Text>
        {shown && res.error && <ErrorBlock error={res.error} />}
        <Space wrap>
          {shown && secret ? (
            <Typography.Text code copyable={{ text: secret }} className="secret-box" data-testid="webhook-secret-value">
              {secret}
            </Typography.Text>
          ) : (
            <Typography.Text code className="secret-box">whsec_••••••••••••••••</Typography.Text>
          )}
          <Button size="small" loading={shown && res.fetching} onClick={() => setShown((s) => !s)} data-testid="webhook-secret-toggle">
            {shown ? t('jobs.hide') : t('jobs.show')}
          </Button>
        </Space>
      </Space>
    </Panel>
  );
}

export default function JobsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const feedback = useMutationFeedback();
  const [status, setStatus] = useState<JobStatus>('FAILED');
  const [kind, setKind] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [, retry] = useMutation(RetryJobMutation);
  const [, skip] = useMutation(SkipJobMutation);
  // only the answer to the latest request counts (filters change under a slow one)
  const generation = useRef(0);

  const load = useCallback(
    async (before: string | null) => {
      const g = ++generation.current;
      setLoading(true);
      const r = await client
        .query(JobsQuery, { status, kind: kind || null, before, first: PAGE }, { requestPolicy: 'network-only' })
        .toPromise();
      if (g !== generation.current) return;
      setLoading(false);
      if (r.error) {
        setError(r.error);
        if (!before) setRows([]);
        return;
      }
      setError(undefined);
      const page = r.data?.jobs ?? [];
      setRows((old) => (before ? appendPage(old, page) : page));
      setMore(page.length === PAGE);
    },
    [client, status, kind],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  const reload = () => void load(null);
  // administrators hear of jobs that fail for good: the list follows
  useLiveEvents((ev) => {
    const kindOf = (ev.data as { kind?: unknown }).kind;
    if (ev.data.type === 'resync' || (typeof kindOf === 'string' && isJobEvent(kindOf))) reload();
  }, 300);

  const act = async (name: string, fn: () => Promise<{ error?: CombinedError }>, ok: string) => {
    if (busy) return;
    setBusy(name);
    try {
      const r = await fn();
      if (!feedback(r.error)) message.success(ok);
      reload();
    } finally {
      setBusy(null);
    }
  };
  const statusLabel = (s: string) => t(`jobs.statuses.${s}`, { defaultValue: s });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('jobs.title')}</Typography.Title>
      <Space wrap>
        <Select<JobStatus>
          aria-label={t('jobs.status')}
          value={status}
          onChange={(v) => setStatus(v)}
          options={JOB_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          style={{ width: 160 }}
          data-testid="jobs-status"
        />
        <Input.Search
          allowClear
          aria-label={t('jobs.kindFilter')}
          placeholder={t('jobs.kindFilter')}
          onSearch={(v) => setKind(v.trim())}
          style={{ width: 200 }}
        />
        <Button onClick={reload} data-testid="jobs-refresh">{t('app.refresh')}</Button>
      </Space>
      {error && !rows.length ? (
        <ErrorBlock error={error} onRetry={reload} />
      ) : (
        <div data-testid="jobs-list">
          <Table<Row>
            rowKey="id"
            size="small"
            loading={loading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('jobs.none', { status: statusLabel(status) }) }}
            onRow={(j) => ({ 'data-job-id': j.id, 'data-ticket-id': j.ticket.id }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('jobs.ticket'),
                render: (_, j) => (
                  <Space orientation="vertical" size={0}>
                    <Link to={`/tickets/${j.ticket.id}`} data-testid="job-ticket">{j.ticket.number}</Link>
                    <Typography.Text type="secondary" ellipsis={{ tooltip: j.ticket.title }} style={{ maxWidth: 220 }}>
                      {j.ticket.title}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: t('jobs.name'), render: (_, j) => `${j.seq + 1}. ${j.name}` },
              { title: t('jobs.kind'), render: (_, j) => <code>{j.kind}</code> },
              { title: t('jobs.status'), render: (_, j) => <JobStatusTag status={j.status} /> },
              { title: t('jobs.attemptsColumn'), align: 'right', render: (_, j) => `${j.attempts}/${j.maxAttempts}` },
              {
                title: t('jobs.lastError'),
                render: (_, j) =>
                  j.lastError ? (
                    <Typography.Text type="danger" ellipsis={{ tooltip: j.lastError }} style={{ maxWidth: 280 }} data-testid="job-error">
                      {j.lastError}
                    </Typography.Text>
                  ) : '—',
              },
              { title: t('jobs.when'), render: (_, j) => fmtSeconds(jobTime(j)) },
              {
                title: t('app.actions'),
                fixed: 'right',
                render: (_, j) => {
                  const can = jobActions(j.status, j.ticket.status);
                  return (
                    <Space size="small">
                      {j.ticket.status !== 'PROCESSING' && (
                        <Typography.Text type="secondary" data-testid="job-ticket-closed">{t('jobs.ticketClosed')}</Typography.Text>
                      )}
                      {can.retry && (
                        <Button
                          size="small"
                          type="primary"
                          loading={busy === `retry-${j.id}`}
                          onClick={() => void act(`retry-${j.id}`, () => retry({ jobId: j.id }), t('jobs.retried'))}
                          data-testid="job-retry"
                        >
                          {t('jobs.retry')}
                        </Button>
                      )}
                      {can.skip && (
                        <Popconfirm
                          title={t('jobs.skipConfirm')}
                          okText={t('app.confirm')}
                          cancelText={t('app.cancel')}
                          onConfirm={() => void act(`skip-${j.id}`, () => skip({ jobId: j.id }), t('jobs.skipped'))}
                        >
                          <Button size="small" loading={busy === `skip-${j.id}`} data-testid="job-skip">
                            {t('jobs.skip')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  );
                },
              },
            ]}
          />
        </div>
      )}
      <Space>
        {more ? (
          <Button onClick={() => void load(beforeCursor(rows))} loading={loading} data-testid="jobs-more">
            {t('jobs.loadMore')}
          </Button>
        ) : rows.length > 0 && <Typography.Text type="secondary">{t('jobs.end')}</Typography.Text>}
      </Space>
      <SigningSecret />
    </Space>
  );
}
