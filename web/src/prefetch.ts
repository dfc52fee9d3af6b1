// Starts the first screen's code and data together at startup, instead of
// one after the other (entry → page chunk → query).
import type { Services } from './api/client';
import { InboxQuery, TemplatesQuery } from './api/documents';

export const pages = {
  inbox: () => import('./pages/Inbox'),
  catalogue: () => import('./pages/Catalogue'),
  tickets: () => import('./pages/MyTickets'),
  ticket: () => import('./pages/TicketPage'),
};

export function prefetchFirstScreen(services: Services, path: string) {
  if (services.session.getState().kind !== 'active') return;
  const q = <T,>(p: Promise<T>) => void p.catch(() => undefined);
  if (path === '/' || path.startsWith('/inbox')) {
    q(pages.inbox());
    q(services.client.query(InboxQuery, { first: 30 }).toPromise());
  } else if (path.startsWith('/catalogue')) {
    q(pages.catalogue());
    q(services.client.query(TemplatesQuery, {}).toPromise());
  } else if (path === '/tickets') {
    q(pages.tickets());
  } else if (/^\/tickets\/\d+$/.test(path)) {
    q(pages.ticket());
  }
}
