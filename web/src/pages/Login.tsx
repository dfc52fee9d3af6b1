import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { Panel } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthError } from '../api/session';
import { errorText } from '../api/errors';
import { useServices, useSession } from '../services';

export default function LoginPage() {
  const { t } = useTranslation();
  const { session } = useServices();
  const state = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = params.get('next') || '/';
  if (state.kind === 'active') return <Navigate to={next} replace />;
  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await session.login(v.username.trim(), v.password);
      navigate(next, { replace: true });
    } catch (e) {
      const code = e instanceof AuthError ? e.code : 'network';
      setError(errorText(t, { code, message: String(e), fields: [] }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
      <div style={{ width: 380, maxWidth: '100%' }}>
      <Panel title={t('login.title')}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" name="login" onFinish={onFinish} requiredMark={false}>
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.required') }]}>
            <Input autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required') }]}>
            <Input.Password autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Panel>
      </div>
    </div>
  );
}
