import type { WebSocketRoute } from '@playwright/test';
import { apiFileLeave, expect, login, test, uniqueTitle, waitLive } from './helpers';

test('the inbox resumes after the socket is cut and catches up on what it missed', async ({ page, request, errorLog }) => {
  errorLog.allow.push(/WebSocket/);
  let blocked = false;
  let current: WebSocketRoute | null = null;
  const subscribes: { query: string; variables: Record<string, unknown> }[] = [];
  await page.routeWebSocket(/\/graphql\/ws$/, (ws) => {
    if (blocked) {
      ws.close({ code: 1001, reason: 'network down' });
      return;
    }
    current = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { type: string; payload?: { query: string; variables: Record<string, unknown> } };
      if (msg.type === 'subscribe' && msg.payload) subscribes.push(msg.payload);
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  await login(page, 'bob', '/inbox');
  await expect(page.getByTestId('inbox-pending')).toBeVisible();
  await waitLive(page);
  // one live event before the drop gives the stream a resume point
  const t0 = uniqueTitle('断线之前');
  await apiFileLeave(request, 'alice', t0);
  await expect(page.getByTestId('inbox-pending')).toContainText(t0);
  const before = subscribes.length;

  // the network drops
  blocked = true;
  await current!.close({ code: 1001, reason: 'network down' });
  await expect(page.getByTestId('connection-state').first()).toHaveAttribute('data-state', 'reconnecting');

  // meanwhile alice files two tickets
  const t1 = uniqueTitle('断线期间 1');
  const t2 = uniqueTitle('断线期间 2');
  await apiFileLeave(request, 'alice', t1);
  await apiFileLeave(request, 'alice', t2);
  const pending = page.getByTestId('inbox-pending');
  await expect(pending).not.toContainText(t1);

  // the network is back: it reconnects by itself and catches up
  blocked = false;
  await waitLive(page);
  await expect(pending).toContainText(t1);
  await expect(pending).toContainText(t2);
  // it subscribed again from the last event it had seen
  const again = subscribes.slice(before).find((p) => p.query.includes('myEvents'));
  expect(again?.variables.lastEventId, 'resumes with lastEventId').toBeTruthy();

  // and live updates keep coming after the reconnect
  const t3 = uniqueTitle('重连之后');
  await apiFileLeave(request, 'alice', t3);
  await expect(pending).toContainText(t3);
});
