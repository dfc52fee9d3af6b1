import { Component, lazy, Suspense, useEffect, useState } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { ConfigProvider, Spin } from 'antd';
import { ToastProvider } from './components/ui';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Provider as UrqlProvider } from 'urql';
import { useTranslation } from 'react-i18next';
import type { Services } from './api/client';
import { ServicesContext, useSession } from './services';
import { AppLayout } from './components/AppLayout';
import { RouteError } from './components/States';
import { LiveConnection } from './components/LiveConnection';
import { pages } from './prefetch';

const LoginPage = lazy(() => import('./pages/Login'));
const SessionExpiredDialog = lazy(() => import('./components/SessionExpiredDialog'));
const Catalogue = lazy(pages.catalogue);
const NewTicket = lazy(() => import('./pages/NewTicket'));
const MyTickets = lazy(pages.tickets);
const TicketPage = lazy(pages.ticket);
const ResubmitPage = lazy(() => import('./pages/Resubmit'));
const Inbox = lazy(pages.inbox);
const Admin = lazy(() => import('./pages/admin/AdminRoutes'));
const MyProxies = lazy(() => import('./pages/admin/MyProxies'));
const Reports = lazy(() => import('./pages/Reports'));
const NotificationSettings = lazy(() => import('./pages/NotificationSettings'));
const Mobile = lazy(() => import('./pages/mobile/MobileRoutes'));

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

function RequireAuth() {
  const state = useSession();
  const loc = useLocation();
  if (state.kind === 'anonymous') {
    return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  }
  return (
    <>
      <LiveConnection />
      <Outlet />
      {state.kind === 'expired' && (
        <Suspense fallback={null}>
          <SessionExpiredDialog user={state.user} />
        </Suspense>
      )}
    </>
  );
}

function Lazy({ children }: { children: React.ReactNode }) {
  return (
    <Boundary>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </Boundary>
  );
}

function HomeRedirect() {
  return <Navigate to="/inbox" replace />;
}

/** Shows a crashed screen's error instead of a blank page. */
class Boundary extends Component<{ children: React.ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    return this.state.error ? <RouteError error={this.state.error} /> : this.props.children;
  }
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<Lazy><LoginPage /></Lazy>} />
      <Route element={<RequireAuth />}>
        <Route path="/m/*" element={<Lazy><Mobile /></Lazy>} />
        <Route element={<AppLayout />}>
          <Route index element={<HomeRedirect />} />
          <Route path="/catalogue" element={<Lazy><Catalogue /></Lazy>} />
          <Route path="/new/:code" element={<Lazy><NewTicket /></Lazy>} />
          <Route path="/tickets" element={<Lazy><MyTickets /></Lazy>} />
          <Route path="/tickets/:id" element={<Lazy><TicketPage /></Lazy>} />
          <Route path="/tickets/:id/resubmit" element={<Lazy><ResubmitPage /></Lazy>} />
          <Route path="/inbox" element={<Lazy><Inbox /></Lazy>} />
          <Route path="/reports" element={<Lazy><Reports /></Lazy>} />
          <Route path="/proxies" element={<Lazy><MyProxies /></Lazy>} />
          <Route path="/settings/notifications" element={<Lazy><NotificationSettings /></Lazy>} />
          <Route path="/admin/*" element={<Lazy><Admin /></Lazy>} />
          <Route path="*" element={<RouteError notFound />} />
        </Route>
      </Route>
    </Routes>
  );
}

export function App({ services }: { services: Services }) {
  const { i18n } = useTranslation();
  const [lang, setLang] = useState(i18n.language);
  useEffect(() => {
    const on = (l: string) => setLang(l);
    i18n.on('languageChanged', on);
    return () => i18n.off('languageChanged', on);
  }, [i18n]);
  const [antdLocale, setAntdLocale] = useState(zhCN);
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = lang;
    if (lang === 'en') void import('antd/locale/en_US').then((m) => setAntdLocale(m.default));
    else setAntdLocale(zhCN);
  }, [lang]);
  return (
    <ServicesContext.Provider value={services}>
      <UrqlProvider value={services.client}>
        <ConfigProvider locale={antdLocale} theme={{ token: { colorPrimary: '#1f6feb', borderRadius: 6 } }}>
          <ToastProvider>
            <BrowserRouter>
              <Boundary>
                <AppRoutes />
              </Boundary>
            </BrowserRouter>
          </ToastProvider>
        </ConfigProvider>
      </UrqlProvider>
    </ServicesContext.Provider>
  );
}
