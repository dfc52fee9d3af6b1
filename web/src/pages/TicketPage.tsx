import { lazy, Suspense, useRef, useState } from 'react';
import { Alert, Button, Col, Descriptions, Input, Popconfirm, Row, Space, Steps, Tag, Timeline } from 'antd';
import { Muted, Title, useToast } from '../components/ui';
import { Panel } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { CommentMutation, TicketQuery, UrgeMutation, WithdrawMutation } from '../api/documents';
import type { TicketQuery as TicketQueryType } from '../gql/graphql';
import { newClientMutationId } from '../api/client';
import { apiProblem, errorText } from '../api/errors';
import { DecisionDialog, ItemActionButtons, type ActionableItem, type ItemAction } from '../components/ItemActions';
import { ErrorBlock, LoadingBlock } from '../components/States';
import { FormView } from '../components/FormView';
import { useSession, useTicketEvents } from '../services';
import { fmtTime, isAdmin, itemColor, statusColor } from '../util';
import '../i18n/automation';
import { canRate, eventColor, eventDetail, hasException } from './ticket/automation';

// Loaded only for the tickets that need them (jobs; done tickets).
const JobsPanel = lazy(() => import('./ticket/JobsPanel'));
const RatingPanel = lazy(() => import('./ticket/RatingPanel'));

type T = NonNullable<TicketQueryType['ticket']>;
type Item = T['items'][number];

function ItemLine({ item }: { item: Item }) {
  const { t } = useTranslation();
  const who = item.assignee?.displayName ?? '—';
  return (
    <div data-testid={`item-${item.id}`} style={{ marginBottom: 4 }}>
      <Space size={4} wrap>
        <span>{who}</span>
        {item.onBehalfOf && <Tag color="purple">{t('ticket.actingFor', { name: item.onBehalfOf.displayName })}</Tag>}
        <Tag color={itemColor(item.status)}>{t(`item.${item.status}`)}</Tag>
        {item.status !== 'PENDING' && item.decidedAt && item.status !== 'CANCELLED' && (
          <span className="muted">{t('ticket.decidedBy', { name: item.decidedBy?.displayName ?? who, at: fmtTime(item.decidedAt) })}</span>
        )}
        {item.status === 'PENDING' && item.dueAt && (
          <Tag color={item.overdue ? 'error' : 'default'} title={fmtTime(item.dueAt)}>
            {item.overdue ? t('ticket.overdue') : t('ticket.due', { at: fmtTime(item.dueAt) })}
          </Tag>
        )}
      </Space>
      {item.reason && <div className="muted">{t('ticket.reason')}: {item.reason}</div>}
    </div>
  );
}

/** The words of an event: a comment's body, a decision's comment or reason. */
export function eventText(payload: unknown): string | null {
  const p = (payload ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of ['body', 'comment', 'reason']) if (typeof p[k] === 'string' && p[k]) parts.push(p[k] as string);
  const changes = Array.isArray(p.changes) ? (p.changes as Record<string, unknown>[]) : [];
  for (const c of changes) if (typeof c.reason === 'string' && c.reason && !parts.includes(c.reason)) parts.push(c.reason);
  return parts.length ? parts.join('\n') : null;
}

export default function TicketPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const message = useToast();
  const session = useSession();
  const me = session.kind === 'active' ? session.session.user : session.kind === 'expired' ? session.user : null;
  const [res, refetch] = useQuery({ query: TicketQuery, variables: { id } });
  const [, withdraw] = useMutation(WithdrawMutation);
  const [, urge] = useMutation(UrgeMutation);
  const [, comment] = useMutation(CommentMutation);
  const [commentText, setCommentText] = useState('');
  const commentId = useRef(newClientMutationId());
  const [busy, setBusy] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ action: ItemAction; item: ActionableItem } | null>(null);
  useTicketEvents(id, () => refetch({ requestPolicy: 'network-only' }));
  const ticket = res.data?.ticket;

  if (res.fetching && !res.data) return <div className="page"><LoadingBlock rows={10} /></div>;
  if (!ticket) {
    return (
      <div className="page">
        {res.error ? (
          <ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
        ) : (
          <Alert type="warning" showIcon title={t('ticket.notFound')} />
        )}
      </div>
    );
  }
  const isApplicant = me?.id === ticket.applicant?.id;
  const admin = isAdmin(me?.roles);
  const exception = hasException(ticket);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const run = async (name: string, fn: () => Promise<{ error?: unknown; data?: unknown }>, ok: string): Promise<boolean> => {
    if (busy) return false;
    setBusy(name);
    try {
      const r = await fn();
      if (r.error) {
        message.error(errorText(t, apiProblem(r.error as never)));
        return false;
      }
      message.success(ok);
      refetch({ requestPolicy: 'network-only' });
      return true;
    } finally {
      setBusy(null);
    }
  };
  const currentStep = ticket.steps.findIndex((s) => s.phase === 'OPEN');
  const stepsStatus = (phase: string): 'wait' | 'process' | 'finish' | 'error' =>
    phase === 'OPEN' ? 'process' : phase === 'DECIDED' ? 'finish' : 'wait';
  return (
    <div className="page">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Panel>
          <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
            <Space orientation="vertical" size={0}>
              <Muted>{ticket.number}</Muted>
              <Title level={3} style={{ margin: 0 }}>{ticket.title}</Title>
            </Space>
            <Space>
              <Tag color={statusColor(ticket.status, ticket.result)} data-testid="ticket-status" style={{ fontSize: 16, padding: '4px 12px' }}>
                {t(`status.${ticket.status}`)}
                {ticket.result ? ` · ${t(`result.${ticket.result}`)}` : ''}
              </Tag>
              {exception && (
                <Tag color="error" data-testid="ticket-exception" title={t('jobs.exceptionHint')} style={{ fontSize: 16, padding: '4px 12px' }}>
                  ⚠ {t('jobs.exception')}
                </Tag>
              )}
            </Space>
          </Space>
          <Descriptions size="small" style={{ marginTop: 12 }} column={{ xs: 1, sm: 2, md: 4 }}>
            <Descriptions.Item label={t('ticket.applicant')}>{ticket.applicant?.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.department')}>{ticket.department?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('tickets.template')}>
              {ticket.template?.name ?? ticket.templateCode} · {t('ticket.version', { version: ticket.templateVersion })}
            </Descriptions.Item>
            <Descriptions.Item label={t('tickets.created')}>{fmtTime(ticket.createdAt)}</Descriptions.Item>
          </Descriptions>
          {ticket.status === 'RETURNED' && isApplicant && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              title={t('ticket.returnedHint')}
              action={
                <Link to={`/tickets/${ticket.id}/resubmit`}>
                  <Button type="primary" data-testid="edit-resubmit">{t('ticket.edit')}</Button>
                </Link>
              }
            />
          )}
          {ticket.myPendingItems.length > 0 && (
            <div style={{ marginTop: 16 }} data-testid="my-pending">
              {ticket.myPendingItems.map((item) => (
                <Space key={item.id} wrap style={{ marginBottom: 8 }}>
                  <strong>{item.stepName}</strong>
                  {item.onBehalfOf && <Tag color="purple">{t('ticket.actingFor', { name: item.onBehalfOf.displayName })}</Tag>}
                  <ItemActionButtons item={item} onAction={(action) => setDialog({ action, item })} />
                </Space>
              ))}
            </div>
          )}
          {isApplicant && ticket.status !== 'DONE' && (
            <Space style={{ marginTop: 16 }}>
              {ticket.status === 'IN_APPROVAL' && (
                <Button
                  loading={busy === 'urge'}
                  onClick={() => void run('urge', () => urge({ ticketId: ticket.id }), t('ticket.urged'))}
                  data-testid="urge"
                >
                  {t('ticket.urge')}
                </Button>
              )}
              <Popconfirm
                title={t('ticket.withdrawConfirm')}
                okText={t('app.confirm')}
                cancelText={t('app.cancel')}
                onConfirm={() =>
                  void run('withdraw', () => withdraw({ ticketId: ticket.id, clientMutationId: newClientMutationId() }), t('result.WITHDRAWN'))
                }
              >
                <Button danger loading={busy === 'withdraw'} data-testid="withdraw">{t('ticket.withdraw')}</Button>
              </Popconfirm>
            </Space>
          )}
        </Panel>
        {ticket.status === 'DONE' && (ticket.rating || canRate(ticket, me?.id)) && (
          <Suspense fallback={null}>
            <RatingPanel
              ticketId={ticket.id}
              rating={ticket.rating ?? null}
              canRate={canRate(ticket, me?.id)}
              applicantName={ticket.applicant?.displayName}
              onRated={reload}
            />
          </Suspense>
        )}
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Panel title={t('ticket.progress')} extra={<Tag>{t('ticket.round', { round: ticket.round })}</Tag>}>
                {ticket.steps.length === 0 ? (
                  <Muted>—</Muted>
                ) : (
                  <Steps
                    orientation="vertical"
                    size="small"
                    current={currentStep < 0 ? ticket.steps.length : currentStep}
                    items={ticket.steps.map((s) => ({
                      title: (
                        <Space size={4}>
                          <span>{s.name}</span>
                          <Tag>{t(`kind.${s.kind}`)}</Tag>
                          <Tag>{t(`mode.${s.mode}`)}</Tag>
                          <Tag color={s.phase === 'OPEN' ? 'processing' : s.phase === 'DECIDED' ? 'success' : 'default'}>{t(`phase.${s.phase}`)}</Tag>
                        </Space>
                      ),
                      status: s.items.some((i) => i.status === 'REJECTED' || (i.status === 'RETURNED' && ticket.status === 'RETURNED')) ? 'error' : stepsStatus(s.phase),
                      content: (
                        <div data-testid={`step-${s.position}`}>
                          {s.dueAt && s.phase === 'OPEN' && <div className="muted">{t('ticket.due', { at: fmtTime(s.dueAt) })}</div>}
                          {s.items.map((it) => <ItemLine key={it.id} item={it} />)}
                        </div>
                      ),
                    }))}
                  />
                )}
              </Panel>
              {ticket.jobs.length > 0 && (
                <Suspense fallback={null}>
                  <JobsPanel ticketId={ticket.id} ticketStatus={ticket.status} jobs={ticket.jobs} admin={admin} onChanged={reload} />
                </Suspense>
              )}
              {ticket.round > 1 && (
                <Panel title={t('ticket.history')} testId="rounds-history">
                  {Array.from({ length: ticket.round - 1 }, (_, k) => k + 1).map((round) => (
                    <div key={round} style={{ marginBottom: 8 }}>
                      <Tag>{t('ticket.round', { round })}</Tag>
                      {ticket.items
                        .filter((i) => i.round === round)
                        .map((i) => (
                          <div key={i.id} style={{ marginLeft: 8 }}>
                            <span className="muted">{i.stepName} · </span>
                            <ItemLine item={i} />
                          </div>
                        ))}
                    </div>
                  ))}
                </Panel>
              )}
              <Panel title={t('ticket.form')}>
                <FormView ticketForm={ticket.form} templateCode={ticket.templateCode} version={ticket.templateVersion} />
              </Panel>
            </Space>
          </Col>
          <Col xs={24} lg={10}>
            <Panel title={t('ticket.timeline')} extra={<Tag color="green">{t('ticket.live')}</Tag>}>
              <Timeline
                data-testid="timeline"
                items={ticket.timeline.map((ev) => {
                  const text = eventText(ev.payload);
                  const step = (ev.payload as { step?: string } | null)?.step;
                  const detail = eventDetail(ev.kind, ev.payload);
                  return {
                    key: ev.id,
                    color: eventColor(ev.kind),
                    content: (
                      <div data-kind={ev.kind}>
                        <div>
                          <strong>{ev.actor?.displayName ?? t('events.system')}</strong>{' '}
                          {ev.onBehalfOf && <Tag color="purple">{t('ticket.actingFor', { name: ev.onBehalfOf.displayName })}</Tag>}
                          {t(`events.${ev.kind}`, { defaultValue: ev.kind })}
                          {step && <span className="muted"> · {step}</span>}
                          {detail.jobName && <span className="muted" data-testid="event-job"> · {detail.jobName}</span>}
                          {detail.attempt != null && ev.kind !== 'job_retried' && <span className="muted"> · {t('events.attempt', { attempt: detail.attempt })}</span>}
                          {detail.score != null && <span className="rating-inline" data-testid="event-score"> {'★'.repeat(detail.score)}{'☆'.repeat(Math.max(0, 5 - detail.score))}</span>}
                        </div>
                        {detail.error && <div className="event-error" data-testid="event-error">{detail.error}</div>}
                        {detail.retryAt && <div className="muted">{t('events.retryAt', { at: fmtTime(detail.retryAt) })}</div>}
                        {text && <div style={{ whiteSpace: 'pre-wrap' }}>{text}</div>}
                        <div className="muted">{fmtTime(ev.createdAt)}</div>
                      </div>
                    ),
                  };
                })}
              />
              <Space.Compact style={{ width: '100%' }}>
                <Input
                  value={commentText}
                  onChange={(e) => setCommentText(e.target.value)}
                  placeholder={t('ticket.commentPlaceholder')}
                  aria-label={t('ticket.comment')}
                  maxLength={2000}
                  onPressEnter={() => commentText.trim() && void send()}
                />
                <Button type="primary" loading={busy === 'comment'} disabled={!commentText.trim()} onClick={() => void send()}>
                  {t('ticket.send')}
                </Button>
              </Space.Compact>
            </Panel>
          </Col>
        </Row>
      </Space>
      <DecisionDialog
        action={dialog?.action ?? null}
        item={dialog?.item ?? null}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          refetch({ requestPolicy: 'network-only' });
        }}
      />
    </div>
  );

  async function send() {
    const body = commentText.trim();
    if (!body) return;
    const ok = await run('comment', () => comment({ ticketId: ticket!.id, body, clientMutationId: commentId.current }), t('ticket.comment'));
    if (ok) {
      commentId.current = newClientMutationId();
      setCommentText('');
    }
  }
}
