import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Form, Input, Space } from 'antd';
import { Muted, Title, useToast } from '../components/ui';
import { Panel } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ResubmitTicketMutation, TicketFormQuery } from '../api/documents';
import { newClientMutationId } from '../api/client';
import { apiProblem, errorText, fieldErrorsByKey } from '../api/errors';
import { FormRenderer, type FormRendererHandle } from '../form/FormRenderer';
import type { FieldDef, FormValues } from '../form/validate';
import { clearDraft, loadDraft, saveDraft } from '../form/drafts';
import { ErrorBlock, LoadingBlock } from '../components/States';

/** Edit a returned ticket (prefilled with its form) and resubmit it. */
export default function Resubmit() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const message = useToast();
  const navigate = useNavigate();
  const [res, refetch] = useQuery({ query: TicketFormQuery, variables: { id } });
  const [, resubmit] = useMutation(ResubmitTicketMutation);
  const renderer = useRef<FormRendererHandle>(null);
  const mutationId = useRef(newClientMutationId());
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const ticket = res.data?.ticket;
  const draftKey = `resubmit.${id}`;
  const fields = useMemo(
    () => (ticket?.template?.versions.find((v) => v.version === ticket.templateVersion)?.fields ?? []) as FieldDef[],
    [ticket],
  );
  const initial = useMemo(() => {
    if (!ticket) return undefined;
    return loadDraft(draftKey) ?? { ...(ticket.form as FormValues), __title: ticket.title };
  }, [ticket, draftKey]);

  if (res.fetching && !res.data) return <div className="page-narrow"><LoadingBlock rows={8} /></div>;
  if (!ticket) return <div className="page-narrow"><ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /></div>;

  const onSubmit = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      const form = await renderer.current?.collect();
      if (!form) {
        message.error(t('form.fixErrors'));
        return;
      }
      const title = (renderer.current?.form.getFieldValue('__title') as string | undefined)?.trim() || null;
      const r = await resubmit({ input: { ticketId: ticket.id, form, title, clientMutationId: mutationId.current } });
      if (r.data?.resubmitTicket) {
        clearDraft(draftKey);
        message.success(t('form.resubmitted'));
        navigate(`/tickets/${ticket.id}`);
        return;
      }
      const problem = apiProblem(r.error);
      if (problem?.fields.length) renderer.current?.showServerErrors(fieldErrorsByKey(problem.fields));
      message.error(errorText(t, problem));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <div className="page-narrow">
      <Panel
        title={
          <Space orientation="vertical" size={0}>
            <Muted>{ticket.number}</Muted>
            <Title level={4} style={{ margin: 0 }}>{t('ticket.edit')}</Title>
          </Space>
        }
        extra={<Link to={`/tickets/${ticket.id}`}>{t('app.back')}</Link>}
      >
        {ticket.status !== 'RETURNED' && <Alert type="info" showIcon title={t('errors.not_returned')} style={{ marginBottom: 16 }} />}
        <FormRenderer
          ref={renderer}
          fields={fields}
          initialValues={initial}
          onValuesChange={(all) => saveDraft(draftKey, all)}
          disabled={ticket.status !== 'RETURNED'}
          before={
            <Form.Item label={t('form.title')} name="__title">
              <Input maxLength={200} />
            </Form.Item>
          }
        />
        <Button type="primary" size="large" loading={busy} disabled={ticket.status !== 'RETURNED'} onClick={() => void onSubmit()} data-testid="resubmit-ticket">
          {t('form.resubmit')}
        </Button>
      </Panel>
    </div>
  );
}
