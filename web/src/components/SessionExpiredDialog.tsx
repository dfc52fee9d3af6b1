import { useState } from 'react';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../api/session';
import { AuthError } from '../api/session';
import { errorText } from '../api/errors';
import { useServices } from '../services';

/** Shown over the current page when the session ends: signing in again
 * keeps the page, and whatever was typed into its forms. */
export default function SessionExpiredDialog({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { session, client } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onFinish = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await session.login(user.username, password);
      void client; // queries re-run on their next use
    } catch (e) {
      const code = e instanceof AuthError ? e.code : 'network';
      setError(errorText(t, { code, message: String(e), fields: [] }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('login.expiredTitle')} footer={null} closable={false} maskClosable={false} keyboard={false}>
      <p>{t('login.expiredHint')}</p>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical" onFinish={onFinish} name="relogin">
        <Form.Item label={t('login.username')}>
          <Input value={user.username} disabled />
        </Form.Item>
        <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required') }]}>
          <Input.Password autoFocus autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t('login.submit')}
        </Button>
        <Button type="link" block onClick={() => void session.logout()}>
          {t('login.switchUser')}
        </Button>
      </Form>
    </Modal>
  );
}
