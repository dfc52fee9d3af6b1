import { lazy, Suspense } from 'react';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export type ItemAction = 'approve' | 'confirm' | 'return' | 'reject' | 'transfer' | 'addApprover';

export interface ActionableItem {
  id: string;
  kind: 'APPROVE' | 'CONFIRM';
}

export interface DecisionResult {
  action: ItemAction;
  itemId: string;
  ok: boolean;
  problem?: { code: string; message: string } | null;
}

const TITLES: Record<ItemAction, string> = {
  approve: 'inbox.approve',
  confirm: 'inbox.confirm',
  return: 'inbox.return',
  reject: 'inbox.reject',
  transfer: 'inbox.transfer',
  addApprover: 'inbox.addApprover',
};

const Dialog = lazy(() => import('./DecisionDialog'));

/** The decision dialog, loaded the first time it opens. */
export function DecisionDialog(props: {
  action: ItemAction | null;
  item: ActionableItem | null;
  onClose: () => void;
  onDone: (r: DecisionResult) => void;
}) {
  if (!props.action || !props.item) return null;
  return (
    <Suspense fallback={null}>
      <Dialog {...props} />
    </Suspense>
  );
}

/** The buttons of one pending item. */
export function ItemActionButtons({
  item,
  onAction,
  size = 'middle',
}: {
  item: ActionableItem;
  onAction: (a: ItemAction) => void;
  size?: 'small' | 'middle' | 'large';
}) {
  const { t } = useTranslation();
  const main: ItemAction = item.kind === 'CONFIRM' ? 'confirm' : 'approve';
  return (
    <Space size="small" wrap>
      <Button type="primary" size={size} onClick={() => onAction(main)} data-testid={`action-${main}`}>
        {t(TITLES[main])}
      </Button>
      {item.kind === 'APPROVE' && (
        <>
          <Button size={size} onClick={() => onAction('return')} data-testid="action-return">
            {t('inbox.return')}
          </Button>
          <Button size={size} danger onClick={() => onAction('reject')} data-testid="action-reject">
            {t('inbox.reject')}
          </Button>
        </>
      )}
      <Button size={size} type="text" onClick={() => onAction('transfer')} data-testid="action-transfer">
        {t('inbox.transfer')}
      </Button>
      <Button size={size} type="text" onClick={() => onAction('addApprover')} data-testid="action-add">
        {t('inbox.addApprover')}
      </Button>
    </Space>
  );
}
