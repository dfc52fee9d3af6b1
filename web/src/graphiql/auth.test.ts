// The GraphiQL page's use of the web UI session: what goes into the headers
// editor, and which Authorization headers the fetch brings up to date.
import { describe, expect, it, vi } from 'vitest';
import type { SessionStore } from '../api/session';
import { headersText, sessionFetch } from './auth';

const sessionWith = (token: string | null) => ({ accessToken: vi.fn(async () => token) }) as unknown as SessionStore;

function capture() {
  const sent: (string | null)[] = [];
  const base = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Headers(init?.headers).get('authorization'));
    return new Response('{}');
  });
  return { sent, base: base as unknown as typeof fetch };
}

describe('GraphiQL and the web UI session', () => {
  it('fills the headers editor only when there is a token', () => {
    expect(JSON.parse(headersText('abc'))).toEqual({ Authorization: 'Bearer abc' });
    expect(headersText(null)).toBe('');
  });

  it('sends the current token in place of one it filled in', async () => {
    const { sent, base } = capture();
    const filled = new Set(['old']);
    const f = sessionFetch(sessionWith('new'), filled, base);
    await f('/graphql', { headers: { Authorization: 'Bearer old' } });
    expect(sent).toEqual(['Bearer new']);
    // the editor still shows the first token: that one stays recognised
    await f('/graphql', { headers: { Authorization: 'Bearer old' } });
    expect(sent).toEqual(['Bearer new', 'Bearer new']);
  });

  it('leaves a header the user typed, and no header, alone', async () => {
    const { sent, base } = capture();
    const session = sessionWith('new');
    const f = sessionFetch(session, new Set(['old']), base);
    await f('/graphql', { headers: { Authorization: 'Bearer api-token' } });
    await f('/graphql', {});
    expect(sent).toEqual(['Bearer api-token', null]);
    expect(session.accessToken).not.toHaveBeenCalled();
  });

  it('keeps the filled-in token once the session has ended, so the server says why', async () => {
    const { sent, base } = capture();
    const f = sessionFetch(sessionWith(null), new Set(['old']), base);
    await f('/graphql', { headers: { Authorization: 'Bearer old' } });
    expect(sent).toEqual(['Bearer old']);
  });
});
