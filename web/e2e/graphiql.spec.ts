// GraphiQL at GET /graphql (our own build, no CDN) and the web UI, both
// under the server's Content-Security-Policy: besides the console errors the
// errorLog fixture fails on, every `securitypolicyviolation` fails the test.
// (Against `vite preview`, the preview sends the same policy and serves
// this build's graphiql.html at /graphql.)
import type { Page } from '@playwright/test';
import { expect, login, test } from './helpers';

/** Collects the page's CSP violations, from before its first script runs. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__e2eCspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __e2eCspViolation(v: string): void }).__e2eCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return violations;
}

async function expectCspHeader(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status()).toBe(200);
  // without the header the violation checks below would prove nothing
  expect(res?.headers()['content-security-policy'] ?? '').toContain("script-src 'self'");
}

const operationEditor = (page: Page) => page.locator('.graphiql-query-editor .monaco-editor');

async function openGraphiql(page: Page) {
  await expectCspHeader(page, '/graphql');
  await expect(page).toHaveTitle('Signoff GraphQL');
  await expect(operationEditor(page)).toContainText('Signoff'); // Monaco is up with our default operation
}

/** Replaces the operation in GraphiQL's (Monaco) editor by typing it. */
async function typeOperation(page: Page, text: string) {
  await operationEditor(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // closes the completion list, which covers the run button
}

// Dispatched to the button itself: with the schema loaded Monaco's completion
// list may reopen over the button after Escape, and would take a real click.
const run = (page: Page) => page.getByRole('button', { name: /^Execute query/ }).dispatchEvent('click');

test('GraphiQL at /graphql runs { __typename } under the CSP', async ({ page }) => {
  const violations = await watchCsp(page);
  await openGraphiql(page);
  // Monaco closes the brace itself and types over it on the final `}`
  await typeOperation(page, '{ __typename }');
  await run(page);
  const response = page.locator('.graphiql-response');
  await expect(response).toContainText('"Query"');
  await expect(response).not.toContainText('"errors"');
  expect(violations).toEqual([]);
});

test('a web UI session signs GraphiQL: the Authorization header and connection_init', async ({ page }) => {
  const violations = await watchCsp(page);
  await login(page, 'alice', '/inbox');
  const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('signoff.session') ?? '{}') as { accessToken?: string }).accessToken);
  expect(token).toBeTruthy();

  await openGraphiql(page);
  // GraphiQL's socket opens with the first subscription (lazy), so a socket
  // that opens from here on is GraphiQL's, not the inbox's: catch its init and the ack
  const socket = new Promise<{ init: unknown; acked: Promise<void> }>((resolve) => {
    page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/graphql/ws')) return;
      const acked = ws.waitForEvent('framereceived', { predicate: (f) => String(f.payload).includes('connection_ack') }).then(() => undefined);
      ws.on('framesent', (f) => {
        const msg = JSON.parse(String(f.payload)) as { type: string; payload?: unknown };
        if (msg.type === 'connection_init') resolve({ init: msg.payload, acked });
      });
    });
  });

  // the headers editor is open and holds the session's token
  await expect(page.locator('.graphiql-editor-tool')).toContainText('Bearer');
  await typeOperation(page, '{ me { username'); // Monaco adds the closing braces
  await run(page);
  await expect(page.locator('.graphiql-response')).toContainText('"alice"');

  await typeOperation(page, 'subscription { myEvents { id');
  await run(page);
  const { init, acked } = await socket;
  expect(init).toEqual({ token });
  await acked;
  expect(violations).toEqual([]);
});

test('the web UI loads under the CSP: login page, then the live inbox', async ({ page }) => {
  const violations = await watchCsp(page);
  await expectCspHeader(page, '/login');
  await expect(page.getByLabel('用户名')).toBeVisible();
  await expect(page.getByRole('button', { name: /登\s*录/ })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(violations, 'login page').toEqual([]);

  // antd's CSS-in-JS (inline <style>, allowed) and the socket (connect-src 'self')
  await login(page, 'alice', '/inbox');
  await expect(page.getByTestId('inbox-pending')).toBeVisible();
  await expect(page.getByTestId('connection-state').first()).toHaveAttribute('data-state', 'connected');
  expect(violations, 'inbox').toEqual([]);
});
