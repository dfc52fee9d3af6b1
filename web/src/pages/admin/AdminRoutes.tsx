// Administration (admins only), loaded lazily with its heavier antd parts.
import { lazy, Suspense } from 'react';
import { App, Menu, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from '../../services';
import { isAdmin } from '../../util';
import UsersPage from './Users';
import DepartmentsPage from './Departments';
import RolesPage from './Roles';
import ProxiesPage from './Proxies';
import TemplatesPage from './Templates';
import TemplateDesigner from './TemplateDesigner';
import TokensPage from './Tokens';
import NotificationsPage from './Notifications';

// 自动化任务, loaded when opened
const JobsPage = lazy(() => import('./Jobs'));

export default function AdminRoutes() {
  const { t } = useTranslation();
  const session = useSession();
  const loc = useLocation();
  const roles = session.kind === 'active' ? session.session.user.roles : [];
  if (!isAdmin(roles)) return <Result status="403" title={t('errors.forbidden')} />;
  const section = loc.pathname.split('/')[2] ?? 'users';
  const items = ['users', 'departments', 'roles', 'proxies', 'templates', 'tokens', 'notifications', 'jobs'].map((k) => ({
    key: k,
    label: <Link to={`/admin/${k}`}>{t(`admin.${k}`)}</Link>,
  }));
  return (
    <App>
    <div className="page" style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
      <Menu mode="inline" selectedKeys={[section]} items={items} style={{ width: 180, borderRadius: 8, flexShrink: 0 }} />
      <div style={{ flex: 1, minWidth: 0 }}>
        <Routes>
          <Route index element={<Navigate to="users" replace />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="departments" element={<DepartmentsPage />} />
          <Route path="roles" element={<RolesPage />} />
          <Route path="proxies" element={<ProxiesPage />} />
          <Route path="templates" element={<TemplatesPage />} />
          <Route path="templates/new" element={<TemplateDesigner />} />
          <Route path="templates/:code" element={<TemplateDesigner />} />
          <Route path="tokens" element={<TokensPage />} />
          <Route path="notifications/:tab?" element={<NotificationsPage />} />
          <Route path="jobs" element={<Suspense fallback={<Spin />}><JobsPage /></Suspense>} />
        </Routes>
      </div>
    </div>
    </App>
  );
}
