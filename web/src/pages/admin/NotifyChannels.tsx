// 渠道设置: mail (SMTP) and the WeCom application, changed at run time.
// Secrets (the SMTP URL, which may carry a password; the WeCom secret,
// token and EncodingAESKey) are write-only: the page says whether each is
// set, an empty field keeps it, 清除 clears it. A field left out of the
// change keeps its value; an empty string (agent id 0) clears it.
import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Popconfirm, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { ChannelSettingsQuery, UpdateChannelSettingsMutation } from '../../api/admin-documents';
import type { ChannelSettingsInput } from '../../gql/graphql';
import { ErrorBlock, LoadingBlock } from '../../components/States';
import { channelChange, secretState, type ChannelSettings as Settings, type Secret } from '../../notify/channels';
import { useMutationFeedback } from './common';

const FIELDS = ['smtpUrl', 'mailFrom', 'wecomCorpId', 'wecomAgentId', 'wecomSecret', 'wecomToken', 'wecomAesKey'] as const;

export default function ChannelsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [res, refetch] = useQuery({ query: ChannelSettingsQuery, requestPolicy: 'network-only' });
  const [, update] = useMutation(UpdateChannelSettingsMutation);
  const feedback = useMutationFeedback();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const s = res.data?.channelSettings;

  const fill = (x: Settings) => {
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    form.setFieldsValue({
      mailFrom: x.mail.mailFrom,
      wecomCorpId: x.wecom.corpId ?? '',
      wecomAgentId: x.wecom.agentId ?? null,
      smtpUrl: '', wecomSecret: '', wecomToken: '', wecomAesKey: '',
    });
  };
  useEffect(() => {
    if (s) fill(s);
  }, [s]); // (fill only uses the form, which does not change)

  const send = async (input: ChannelSettingsInput, done: string) => {
    setBusy(true);
    try {
      const r = await update({ input });
      if (feedback(r.error, form)) return;
      message.success(done);
      fill(r.data!.updateChannelSettings);
      refetch({ requestPolicy: 'network-only' });
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    if (!s) return;
    const input = channelChange(form.getFieldsValue(), s);
    if (!Object.keys(input).length) {
      message.info(t('channels.unchanged'));
      return;
    }
    await send(input, t('channels.saved'));
  };
  const clear = (k: Secret, label: string) => send({ [k]: '' }, t('channels.cleared', { name: label }));

  if (res.error && !res.data) return <ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!s) return <LoadingBlock />;
  const set = secretState(s);

  const secret = (k: Secret, label: string, extra?: React.ReactNode) => (
    <Form.Item
      name={k}
      label={label}
      extra={
        <Space size={8} wrap style={{ marginTop: 4 }}>
          <Tag color={set[k] ? 'success' : 'default'} data-testid={`state-${k}`} data-set={set[k]}>
            {set[k] ? t('channels.set') : t('channels.unset')}
          </Tag>
          {extra}
          {set[k] && (
            <Popconfirm title={t('channels.clearConfirm', { name: label })} onConfirm={() => void clear(k, label)} okText={t('app.confirm')} cancelText={t('app.cancel')}>
              <Button size="small" type="link" danger data-testid={`clear-${k}`}>{t('channels.clear')}</Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Input.Password placeholder={t('channels.keep')} autoComplete="new-password" visibilityToggle={false} />
    </Form.Item>
  );
  const on = (value: boolean, yes: string, no: string, testId: string) => (
    <Tag color={value ? 'success' : 'default'} data-testid={testId} data-on={value}>{value ? yes : no}</Tag>
  );

  return (
    <Form form={form} layout="vertical" name="channels" autoComplete="off" style={{ maxWidth: 760 }}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={t('channels.mail')} extra={on(s.mail.configured, t('channels.configured'), t('channels.notConfigured'), 'mail-configured')}>
          {secret(
            'smtpUrl',
            t('channels.smtpUrl'),
            s.mail.smtpUrl && <Typography.Text code data-testid="smtp-current">{s.mail.smtpUrl}</Typography.Text>,
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>{t('channels.smtpHint')}</Typography.Paragraph>
          <Form.Item name="mailFrom" label={t('channels.mailFrom')}><Input placeholder="Signoff <signoff@example.com>" /></Form.Item>
        </Card>
        <Card
          title={t('channels.wecom')}
          extra={
            <Space size={4}>
              {on(s.wecom.configured, t('channels.configured'), t('channels.notConfigured'), 'wecom-configured')}
              {on(s.wecom.callbackConfigured, t('channels.callbackConfigured'), t('channels.callbackNotConfigured'), 'wecom-callback-configured')}
            </Space>
          }
        >
          <Form.Item name="wecomCorpId" label={t('channels.corpId')}><Input /></Form.Item>
          <Form.Item name="wecomAgentId" label={t('channels.agentId')}><InputNumber min={0} precision={0} style={{ width: 200 }} /></Form.Item>
          {secret('wecomSecret', t('channels.secret'))}
          {secret('wecomToken', t('channels.token'))}
          {secret('wecomAesKey', t('channels.aesKey'), <Typography.Text type="secondary">{t('channels.aesKeyHint')}</Typography.Text>)}
          <Form.Item label={t('channels.callbackUrl')} extra={t('channels.callbackHint')}>
            <Typography.Text code copyable data-testid="callback-url">{s.wecom.callbackUrl}</Typography.Text>
          </Form.Item>
        </Card>
        <Button type="primary" onClick={() => void save()} loading={busy} data-testid="channels-save">{t('app.save')}</Button>
      </Space>
    </Form>
  );
}
