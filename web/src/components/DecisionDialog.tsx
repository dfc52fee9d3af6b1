import { useRef, useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { useToast } from './ui';
import { useTranslation } from 'react-i18next';
import { useDecide } from './decide';
import { newClientMutationId } from '../api/client';
import { errorText } from '../api/errors';
import type { ActionableItem, DecisionResult, ItemAction } from './ItemActions';
import { UserSelect } from './Pickers';


export const TITLES: Record<ItemAction, string> = {
  approve: 'inbox.approve',
  confirm: 'inbox.confirm',
  return: 'inbox.return',
  reject: 'inbox.reject',
  transfer: 'inbox.transfer',
  addApprover: 'inbox.addApprover',
};

/** The dialog asking for the comment, reason or person of a decision. */
export default function DecisionDialog({
  action,
  item,
  onClose,
  onDone,
}: {
  action: ItemAction | null;
  item: ActionableItem | null;
  onClose: () => void;
  onDone: (r: DecisionResult) => void;
}) {
  const { t } = useTranslation();
  const message = useToast();
  const decide = useDecide();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const mutationId = useRef(newClientMutationId());
  const [error, setError] = useState<string | null>(null);
  const open = !!action && !!item;
  const needsReason = action === 'return' || action === 'reject';
  const needsUser = action === 'transfer' || action === 'addApprover';
  const submit = async () => {
    if (!action || !item || inFlight.current) return;
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const problem = await decide(action, item.id, values, mutationId.current);
      if (problem) {
        setError(errorText(t, problem));
        if (problem.code === 'conflict' || problem.code === 'not_an_approver' || problem.code === 'item_not_pending') {
          onDone({ action, itemId: item.id, ok: false, problem });
        }
        return;
      }
      message.success(t('inbox.done'));
      mutationId.current = newClientMutationId();
      form.resetFields();
      onDone({ action, itemId: item.id, ok: true });
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={action ? t(TITLES[action]) : ''}
      onCancel={() => {
        setError(null);
        form.resetFields();
        onClose();
      }}
      onOk={() => void submit()}
      okText={action ? t(TITLES[action]) : t('app.confirm')}
      okButtonProps={{ loading: busy, danger: action === 'reject', 'data-testid': 'decision-ok' } as never}
      cancelText={t('app.cancel')}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) mutationId.current = newClientMutationId();
      }}
    >
      {error && <div role="alert" style={{ color: '#cf1322', marginBottom: 12 }}>{error}</div>}
      <Form form={form} layout="vertical" name="decision" preserve={false}>
        {needsUser && (
          <Form.Item
            name="userId"
            label={action === 'transfer' ? t('inbox.toUser') : t('inbox.addUser')}
            rules={[{ required: true, message: t('errors.required') }]}
          >
            <UserSelect />
          </Form.Item>
        )}
        {needsReason ? (
          <Form.Item name="reason" label={t('inbox.reason')} rules={[{ required: true, whitespace: true, message: t('errors.reason_required') }]}>
            <Input.TextArea autoFocus autoSize={{ minRows: 3 }} maxLength={2000} />
          </Form.Item>
        ) : (
          <Form.Item name="comment" label={t('inbox.comment')}>
            <Input.TextArea autoFocus={!needsUser} autoSize={{ minRows: 2 }} maxLength={2000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

