import { useEffect } from 'react';
import { Button, Space } from 'antd';
import { Count } from './ui';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { InboxCountsQuery } from '../api/documents';
import { setLanguage } from '../i18n';
import { useConnectionState, useLiveEvents, useServices, useSession } from '../services';
import { isAdmin, isManager } from '../util';

export function ConnectionTag() {
  const { t } = useTranslation();
  const state = useConnectionState();
  return (
    <span className="conn" data-testid="connection-state" data-state={state} role="status" title={t(`conn.${state}`)}>
      <span className="dot" />
      {t(`conn.${state}`)}
    </span>
  );
}

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { session, realtime } = useServices();
  const state = useSession();
  const loc = useLocation();
  const navigate = useNavigate();
  const user = state.kind === 'active' ? state.session.user : state.kind === 'expired' ? state.user : null;
  const [counts, refetchCounts] = useQuery({ query: InboxCountsQuery, pause: state.kind !== 'active' });
  useLiveEvents(() => refetchCounts({ requestPolicy: 'network-only' }));
  useEffect(() => {
    if (state.kind === 'active') refetchCounts({ requestPolicy: 'network-only' });
  }, [state.kind, refetchCounts]);
  const pending = counts.data?.inboxCounts.pending ?? 0;
  const section = '/' + (loc.pathname.split('/')[1] ?? '');
  const items = [
    { key: '/inbox', label: <>{t('nav.inbox')} <Count value={pending} showZero={false} testId="inbox-count" /></> },
    { key: '/catalogue', label: t('nav.catalogue') },
    { key: '/tickets', label: t('nav.myTickets') },
    { key: '/proxies', label: t('proxies.mine') },
    ...(isManager(user?.roles) ? [{ key: '/reports', label: t('nav.reports') }] : []),
    ...(isAdmin(user?.roles) ? [{ key: '/admin', label: t('nav.admin') }] : []),
  ];
  const active = section === '/new' ? '/catalogue' : section;
  const logout = async () => {
    realtime.close();
    await session.logout();
    navigate('/login');
  };
  return (
    <div className="app-shell">
      <header className="app-header">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav className="topnav" aria-label="main">
          {items.map((it) => (
            <NavLink key={it.key} to={it.key} className={it.key === active ? 'active' : ''}>
              {it.label}
            </NavLink>
          ))}
        </nav>
        <Space size="middle">
          <ConnectionTag />
          <Button
            type="text"
            style={{ color: '#fff' }}
            aria-label={t('app.language')}
            title={t('app.language')}
            onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
          >
            {i18n.language === 'en' ? '中文' : 'EN'}
          </Button>
          <span style={{ color: '#fff' }} data-testid="user-name">{user?.displayName}</span>
          <Button type="text" style={{ color: 'rgba(255,255,255,0.75)' }} onClick={() => void logout()} data-testid="logout">
            {t('app.logout')}
          </Button>
        </Space>
      </header>
      <main className="app-main">
        <Outlet />
      </main>
    </div>
  );
}
