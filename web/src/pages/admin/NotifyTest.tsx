// 测试消息: queues a test message to one person on one channel, then
// follows its delivery (found by the returned event id) until it is sent or dead.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Select, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation } from 'urql';
import { DeliveriesQuery, SendTestNotificationMutation } from '../../api/admin-documents';
import type { NotificationChannel } from '../../gql/graphql';
import { UserSelect } from '../../components/Pickers';
import { fmtSeconds } from '../../util';
import { useMutationFeedback } from './common';
import { DeliveryStatusTag, settled, useNotifyLabels, type DeliveryRow } from './NotifyParts';

const TEST_CHANNELS: NotificationChannel[] = ['EMAIL', 'WECOM_APP'];
/** How often and how long the delivery is looked up before the page stops by itself. */
const POLL_MS = 1000;
const POLL_FOR_MS = 60_000;

export default function TestTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useNotifyLabels();
  const [form] = Form.useForm();
  const [, send] = useMutation(SendTestNotificationMutation);
  const feedback = useMutationFeedback();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ eventId: string; userId: string } | null>(null);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const r = await send({ channel: v.channel, userId: v.userId });
      if (feedback(r.error, form)) return;
      message.success(t('testMsg.sent'));
      setSent({ eventId: r.data!.sendTestNotification, userId: v.userId });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 720 }} size="middle">
      <Typography.Text type="secondary">{t('testMsg.hint')}</Typography.Text>
      <Form form={form} layout="vertical" name="test-message" initialValues={{ channel: 'EMAIL' }}>
        <Form.Item name="userId" label={t('testMsg.user')} rules={[{ required: true }]}><UserSelect /></Form.Item>
        <Form.Item name="channel" label={t('testMsg.channel')} rules={[{ required: true }]}>
          <Select options={TEST_CHANNELS.map((c) => ({ value: c, label: labels.channel(c) }))} />
        </Form.Item>
        <Button type="primary" onClick={() => void submit()} loading={busy} data-testid="test-send">{t('testMsg.send')}</Button>
      </Form>
      {sent && <TestResult key={sent.eventId} eventId={sent.eventId} userId={sent.userId} />}
    </Space>
  );
}

function TestResult({ eventId, userId }: { eventId: string; userId: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const labels = useNotifyLabels();
  const [delivery, setDelivery] = useState<DeliveryRow | null>(null);
  const [round, setRound] = useState(0);
  const [polling, setPolling] = useState(true);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const until = Date.now() + POLL_FOR_MS;
    const tick = async () => {
      const r = await client
        .query(DeliveriesQuery, { recipientId: userId, first: 20 }, { requestPolicy: 'network-only' })
        .toPromise();
      if (stopped) return;
      const found = r.data?.deliveries.find((d) => d.eventId === eventId) ?? null;
      if (found) setDelivery(found);
      if ((found && settled(found.status)) || Date.now() > until) {
        setPolling(false);
        return;
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    setPolling(true);
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [client, eventId, userId, round]);

  if (!delivery) {
    return polling ? (
      <Space data-testid="test-waiting"><Spin size="small" />{t('testMsg.waiting')}</Space>
    ) : (
      <Alert type="warning" showIcon title={t('testMsg.stillGoing')} action={<Button size="small" onClick={() => setRound((n) => n + 1)}>{t('testMsg.again')}</Button>} />
    );
  }
  return (
    <div data-testid="test-result" data-delivery-id={delivery.id}>
      <Descriptions
        bordered
        size="small"
        column={1}
        title={t('testMsg.result')}
        extra={polling ? <Spin size="small" /> : !settled(delivery.status) && (
          <Button size="small" onClick={() => setRound((n) => n + 1)} data-testid="test-again">{t('testMsg.again')}</Button>
        )}
        items={[
          { key: 'status', label: t('deliveries.status'), children: <DeliveryStatusTag status={delivery.status} testId="test-status" /> },
          { key: 'id', label: t('testMsg.delivery'), children: `#${delivery.id}` },
          { key: 'channel', label: t('deliveries.channel'), children: labels.channel(delivery.channel) },
          { key: 'attempts', label: t('deliveries.attempts'), children: delivery.attempts },
          { key: 'next', label: t('deliveries.nextAttempt'), children: settled(delivery.status) ? '—' : fmtSeconds(delivery.nextAttemptAt) },
          { key: 'sent', label: t('testMsg.sentAt'), children: fmtSeconds(delivery.sentAt) },
          { key: 'error', label: t('deliveries.lastError'), children: <span data-testid="test-error">{delivery.lastError ?? '—'}</span> },
          { key: 'provider', label: t('deliveries.providerId'), children: delivery.providerId ?? '—' },
        ]}
      />
      {!polling && !settled(delivery.status) && <Typography.Text type="secondary">{t('testMsg.stillGoing')}</Typography.Text>}
    </div>
  );
}
