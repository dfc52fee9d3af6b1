// Pieces the notification tabs share: a delivery's status, channel and kind.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeliveriesQuery, DeliveryStatus, NotificationChannel } from '../../gql/graphql';

export type DeliveryRow = DeliveriesQuery['deliveries'][number];

export const DELIVERY_STATUSES: DeliveryStatus[] = ['PENDING', 'SENDING', 'SENT', 'FAILED', 'DEAD'];
export const NOTIFY_CHANNELS: NotificationChannel[] = ['EMAIL', 'WECOM_APP', 'WECOM_ROBOT'];

const COLORS: Record<string, string> = { PENDING: 'default', SENDING: 'processing', SENT: 'success', FAILED: 'warning', DEAD: 'error' };

/** The server spells a delivery's status in lower case (`dead`). */
export const statusKey = (status: string) => status.toUpperCase();

/** Whether a delivery may be sent again (retryDelivery). */
export const retryable = (status: string) => ['FAILED', 'DEAD'].includes(statusKey(status));

/** Whether a delivery's outcome is final (until an administrator retries it). */
export const settled = (status: string) => ['SENT', 'DEAD'].includes(statusKey(status));

export function DeliveryStatusTag({ status, testId = 'delivery-status' }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  const key = statusKey(status);
  return (
    <Tag color={COLORS[key] ?? 'default'} data-testid={testId} data-status={key}>
      {t(`deliveries.statuses.${key}`, { defaultValue: status })}
    </Tag>
  );
}

export function useNotifyLabels() {
  const { t } = useTranslation();
  return {
    channel: (c: string | null | undefined) => (c ? t(`notify.channels.${c}`, { defaultValue: c }) : '—'),
    kind: (k: string) => t(`notify.kinds.${k}`, { defaultValue: k }),
  };
}
