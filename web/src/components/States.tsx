import { Alert, Button, Empty, Spin } from 'antd';
import type { CombinedError } from '@urql/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiProblem, errorText } from '../api/errors';

export function LoadingBlock({ rows = 4 }: { rows?: number }) {
  return (
    <div style={{ padding: 24 * Math.min(rows, 4) / 2, textAlign: 'center' }} data-testid="loading">
      <Spin />
    </div>
  );
}

export function ErrorBlock({ error, onRetry }: { error: CombinedError | undefined; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = apiProblem(error);
  return (
    <Alert
      type={problem?.code === 'not_found' || problem?.code === 'forbidden' ? 'warning' : 'error'}
      showIcon
      title={t('app.loadError')}
      description={errorText(t, problem)}
      action={onRetry && <Button onClick={onRetry}>{t('app.retry')}</Button>}
      data-testid="error-block"
    />
  );
}

export function EmptyBlock({ text, children }: { text?: string; children?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Empty description={text ?? t('app.empty')} style={{ padding: 32 }}>
      {children}
    </Empty>
  );
}

export function RouteError({ notFound, error: err }: { notFound?: boolean; error?: Error }) {
  const { t } = useTranslation();
  return (
    <div className="page-narrow">
      <Alert
        type={notFound ? 'warning' : 'error'}
        showIcon
        title={notFound ? t('app.notFound') : t('errors.internal')}
        description={!notFound && err ? String(err.message ?? err) : undefined}
        action={<Link to="/">{t('app.home')}</Link>}
      />
    </div>
  );
}
