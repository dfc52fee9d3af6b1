import { useMemo, useRef, useState } from 'react';
import { Button, Form, Input, Space } from 'antd';
import { Muted, Title, useToast } from '../components/ui';
import { Panel } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { SubmitTicketMutation, TemplateQuery } from '../api/documents';
import { newClientMutationId } from '../api/client';
import { apiProblem, errorText, fieldErrorsByKey } from '../api/errors';
import { FormRenderer, type FormRendererHandle } from '../form/FormRenderer';
import type { FieldDef, FormValues } from '../form/validate';
import { ErrorBlock, LoadingBlock } from '../components/States';
import { useSession } from '../services';
import { clearDraft, loadDraft, saveDraft } from '../form/drafts';

export default function NewTicket() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const message = useToast();
  const navigate = useNavigate();
  const session = useSession();
  const userId = session.kind === 'active' ? session.session.user.id : session.kind === 'expired' ? session.user.id : '';
  const [res, refetch] = useQuery({ query: TemplateQuery, variables: { code } });
  const [, submit] = useMutation(SubmitTicketMutation);
  const renderer = useRef<FormRendererHandle>(null);
  const mutationId = useRef<string>(newClientMutationId());
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const draftKey = `new.${userId}.${code}`;
  const draft = useMemo(() => loadDraft(draftKey), [draftKey]);
  const [restored] = useState(() => !!draft);
  const fields = (res.data?.template?.current?.fields ?? []) as FieldDef[];

  const onSubmit = async () => {
    if (inFlight.current) return; // a double click files once
    inFlight.current = true;
    setBusy(true);
    try {
      const form = await renderer.current?.collect();
      if (!form) {
        message.error(t('form.fixErrors'));
        return;
      }
      const title = (renderer.current?.form.getFieldValue('__title') as string | undefined)?.trim() || null;
      const r = await submit({ input: { templateCode: code, form, title, clientMutationId: mutationId.current } });
      if (r.data?.submitTicket) {
        clearDraft(draftKey);
        mutationId.current = newClientMutationId();
        message.success(t('form.submitted', { number: r.data.submitTicket.ticket.number }));
        navigate(`/tickets/${r.data.submitTicket.ticket.id}`);
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

  if (res.fetching && !res.data) return <div className="page-narrow"><LoadingBlock rows={8} /></div>;
  if (!res.data?.template?.current) {
    return (
      <div className="page-narrow">
        <ErrorBlock
          error={res.error ?? ({ graphQLErrors: [{ message: 'not found', extensions: { code: 'not_found' } }] } as never)}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
        />
      </div>
    );
  }
  const tpl = res.data.template;
  return (
    <div className="page-narrow">
      <Panel
        title={
          <Space orientation="vertical" size={0}>
            <Title level={4} style={{ margin: 0 }}>{tpl.name}</Title>
            <Muted>{tpl.description}</Muted>
          </Space>
        }
      >
        {restored && <p className="warn-text">{t('form.draftRestored')}</p>}
        <FormRenderer
          ref={renderer}
          fields={fields}
          initialValues={draft ?? undefined}
          onValuesChange={(all: FormValues) => saveDraft(draftKey, all)}
          before={
            <Form.Item label={t('form.title')} name="__title">
              <Input placeholder={t('form.titlePlaceholder')} maxLength={200} />
            </Form.Item>
          }
        />
        <Button type="primary" size="large" onClick={() => void onSubmit()} loading={busy} data-testid="submit-ticket">
          {t('form.submit')}
        </Button>
      </Panel>
    </div>
  );
}
