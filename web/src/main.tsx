import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ready } from './i18n';
import { App } from './App';
import { createServices } from './api/client';
import './index.css';
import { prefetchFirstScreen } from './prefetch';

const services = createServices();
prefetchFirstScreen(services, window.location.pathname);
// For the e2e tests and debugging: the live connection and the session.
(window as unknown as { __signoff: unknown }).__signoff = services;

void ready.finally(() => createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
));
