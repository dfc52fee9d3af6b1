import { useRef, useState } from 'react';
import { Button, DotLoading, ErrorBlock, NavBar, Result, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { TemplateFieldsQuery, TicketQuery } from '../../api/documents';
import { newClientMutationId } from '../../api/client';
import { errorText } from '../../api/errors';
import { useDecide } from '../../components/decide';
import { FieldValue } from '../../components/FormView';
import type { FieldDef } from '../../form/validate';
import { useTicketEvents } from '../../services';
import { fmtTime } from '../../util';

/** One ticket on a phone: summary, form, progress; approve or reject with a comment. */
export default function MobileTicket() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [res, refetch] = useQuery({ query: TicketQuery, variables: { id } });
  const ticket = res.data?.ticket;
  const [fieldsRes] = useQuery({ query: TemplateFieldsQuery, variables: { code: ticket?.templateCode ?? '' }, pause: !ticket });
  const decide = useDecide();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mutationId = useRef(newClientMutationId());
  useTicketEvents(id, () => refetch({ requestPolicy: 'network-only' }));

  if (res.fetching && !res.data) return <div style={{ padding: 48, textAlign: 'center' }}><DotLoading /></div>;
  if (!ticket) {
    return (
      <>
        <NavBar onBack={() => navigate('/m')}>{t('mobile.title')}</NavBar>
        <ErrorBlock status="empty" title={t('mobile.nothing')} description={res.error ? res.error.message : ''} />
      </>
    );
  }
  const item = ticket.myPendingItems[0];
  const fields = (fieldsRes.data?.template?.versions.find((v) => v.version === ticket.templateVersion)?.fields ?? []) as FieldDef[];
  const form = (ticket.form ?? {}) as Record<string, unknown>;
  const act = async (action: 'approve' | 'confirm' | 'reject') => {
    if (!item || busy) return;
    if (action === 'reject' && !comment.trim()) {
      setError(t('errors.reason_required'));
      return;
    }
    setBusy(action);
    setError(null);
    try {
      const problem = await decide(action, item.id, action === 'reject' ? { reason: comment } : { comment }, mutationId.current);
      if (problem) {
        setError(errorText(t, problem));
        refetch({ requestPolicy: 'network-only' });
        return;
      }
      mutationId.current = newClientMutationId();
      Toast.show({ icon: 'success', content: t('inbox.done') });
      setDone(action);
      refetch({ requestPolicy: 'network-only' });
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <NavBar onBack={() => navigate('/m')}>{t('mobile.title')}</NavBar>
      <div className="m-body">
        <div className="m-section">
          <div className="m-muted">{ticket.number}</div>
          <div className="m-title">{ticket.title}</div>
          <Tag color={ticket.status === 'DONE' ? (ticket.result === 'APPROVED' ? 'success' : 'danger') : 'primary'} data-testid="m-status">
            {t(`status.${ticket.status}`)}
            {ticket.result ? ` · ${t(`result.${ticket.result}`)}` : ''}
          </Tag>
          <div className="m-row" style={{ marginTop: 8 }}>
            <span>{t('ticket.applicant')}</span>
            <span>{ticket.applicant?.displayName} · {ticket.department?.name}</span>
          </div>
          <div className="m-row">
            <span>{t('tickets.created')}</span>
            <span>{fmtTime(ticket.createdAt)}</span>
          </div>
        </div>
        <div className="m-section" data-testid="m-form">
          {fields.map((f) => (
            <div className="m-row" key={f.key}>
              <span>{f.label}</span>
              <span><FieldValue field={f} value={form[f.key]} /></span>
            </div>
          ))}
        </div>
        <div className="m-section">
          <Steps direction="vertical">
            {ticket.steps.map((s) => (
              <Steps.Step
                key={s.position}
                title={s.name}
                status={s.phase === 'DECIDED' ? 'finish' : s.phase === 'OPEN' ? 'process' : 'wait'}
                description={s.items.map((i) => `${i.assignee?.displayName ?? ''} ${t(`item.${i.status}`)}`).join('，')}
              />
            ))}
          </Steps>
        </div>
      </div>
      {done ? (
        <div className="m-actions">
          <Result status="success" title={t('mobile.decided')} description={t(`inbox.${done}`)} />
          <Button block size="large" onClick={() => navigate('/m')}>{t('mobile.back')}</Button>
        </div>
      ) : item ? (
        <div className="m-actions" data-testid="m-actions">
          {item.onBehalfOf && <div className="m-muted">{t('ticket.actingFor', { name: item.onBehalfOf.displayName })}</div>}
          <TextArea
            placeholder={t('mobile.commentPlaceholder')}
            value={comment}
            onChange={setComment}
            rows={2}
            maxLength={2000}
            aria-label={t('mobile.commentPlaceholder')}
          />
          {error && <div role="alert" style={{ color: '#ff3141', marginTop: 6 }}>{error}</div>}
          <div className="m-buttons">
            {item.kind === 'APPROVE' && (
              <Button size="large" color="danger" fill="outline" loading={busy === 'reject'} onClick={() => void act('reject')} data-testid="m-reject">
                {t('mobile.rejectBig')}
              </Button>
            )}
            <Button
              size="large"
              color="primary"
              loading={busy === 'approve' || busy === 'confirm'}
              onClick={() => void act(item.kind === 'CONFIRM' ? 'confirm' : 'approve')}
              data-testid="m-approve"
            >
              {item.kind === 'CONFIRM' ? t('inbox.confirm') : t('mobile.approveBig')}
            </Button>
          </div>
        </div>
      ) : null}
    </>
  );
}
