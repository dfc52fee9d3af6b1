import { useEffect, useRef, useState } from 'react';
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

/**
 * The signed-in person's menu (notification settings, sign out): a plain
 * popup, as antd's Dropdown would add its menu machinery to every screen.
 */
function UserMenu({ name, onLogout }: { name: string | undefined; onLogout: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <div className="user-menu" ref={ref}>
      <button
        type="button"
        className="user-menu-trigger"
        aria-haspopup="menu"
        aria-expanded={open}
        title={t('nav.userMenu')}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-name"
      >
        {name}
      </button>
      {open && (
        <div className="user-menu-list" role="menu">
          <Link role="menuitem" to="/settings/notifications" onClick={() => setOpen(false)} data-testid="menu-notifications">
            {t('nav.notifySettings')}
          </Link>
          <button type="button" role="menuitem" onClick={() => { setOpen(false); onLogout(); }} data-testid="logout">
            {t('app.logout')}
          </button>
        </div>
      )}
    </div>
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
          <UserMenu name={user?.displayName} onLogout={() => void logout()} />
        </Space>
      </header>
      <main className="app-main">
        <Outlet />
      </main>
    </div>
  );
}
