// The phone screens (/m/...): opened from a WeCom card or a mail link.
// antd-mobile, loaded only here.
import { Route, Routes } from 'react-router';
import { ConfigProvider, unstableSetRender } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import enUS from 'antd-mobile/es/locales/en-US';
import { createRoot, type Root } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import MobileInbox from './MobileInbox';
import MobileTicket from './MobileTicket';
import './mobile.css';

// antd-mobile's Toast and Dialog render outside the tree; React 19 needs this.
unstableSetRender((node, container) => {
  const el = container as Element & { _root?: Root };
  el._root ??= createRoot(el);
  el._root.render(node);
  return async () => {
    await Promise.resolve();
    el._root?.unmount();
    delete el._root;
  };
});

export default function MobileRoutes() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <div className="m-root" data-testid="mobile-root">
        <Routes>
          <Route index element={<MobileInbox />} />
          <Route path="tickets/:id" element={<MobileTicket />} />
          <Route path="*" element={<MobileInbox />} />
        </Routes>
      </div>
    </ConfigProvider>
  );
}
