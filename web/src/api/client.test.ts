import { describe, expect, it, vi } from 'vitest';
import { createAuthFetch } from './authFetch';
import { SessionStore, type Session } from './session';
import { ResumableStream, retryDelay } from './realtime';
import { apiProblem, ERROR_CODES, fieldErrorsByKey } from './errors';
import zhCN from '../i18n/zh-CN';
import en from '../i18n/en';
import * as automation from '../i18n/automation';
import * as reports from '../i18n/reports';

class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() { return this.m.size; }
  clear() { this.m.clear(); }
  getItem(k: string) { return this.m.get(k) ?? null; }
  key(i: number) { return [...this.m.keys()][i] ?? null; }
  removeItem(k: string) { this.m.delete(k); }
  setItem(k: string, v: string) { this.m.set(k, v); }
}

const NOW = Date.parse('2026-12-02T10:00:00Z');
const iso = (ms: number) => new Date(NOW + ms).toISOString();

function session(n: number, accessTtl = 900_000): Session {
  return {
    accessToken: `access-${n}`,
    accessTokenExpiresAt: iso(accessTtl),
    refreshToken: `refresh-${n}`,
    refreshTokenExpiresAt: iso(30 * 86400_000),
    user: { id: '2', username: 'alice', displayName: 'Alice', roles: ['staff'] },
  };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

function store(initial: Session | null, server: (body: { query: string; variables: Record<string, string> }) => unknown) {
  const storage = new MemoryStorage();
  if (initial) storage.setItem('signoff.session', JSON.stringify(initial));
  const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => json(server(JSON.parse(String(init?.body)))));
  const s = new SessionStore({ storage, fetch: fetch as unknown as typeof globalThis.fetch, now: () => NOW });
  return { s, fetch, storage };
}

describe('SessionStore', () => {
  it('restores a stored session and logs in', async () => {
    const { s, storage } = store(null, () => ({ data: { login: session(1) } }));
    expect(s.getState().kind).toBe('anonymous');
    await s.login('alice', 'signoff');
    expect(s.getState().kind).toBe('active');
    expect(JSON.parse(storage.getItem('signoff.session')!).refreshToken).toBe('refresh-1');
    expect(await s.accessToken()).toBe('access-1');
  });

  it('refreshes an access token that is about to expire, once for concurrent callers', async () => {
    const { s, fetch } = store(session(1, 10_000), (b) => {
      expect(b.variables.t).toBe('refresh-1');
      return { data: { refreshToken: session(2) } };
    });
    const [a, b] = await Promise.all([s.accessToken(), s.accessToken()]);
    expect(a).toBe('access-2');
    expect(b).toBe('access-2');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('goes to expired (keeping the user) when the refresh token is refused', async () => {
    const { s } = store(session(1, 10_000), () => ({ data: null, errors: [{ message: 'reused', extensions: { code: 'refresh_token_reused' } }] }));
    expect(await s.accessToken()).toBeNull();
    const st = s.getState();
    expect(st.kind).toBe('expired');
    expect(st.kind === 'expired' && st.user.username).toBe('alice');
  });

  it('keeps the session through a network error', async () => {
    const storage = new MemoryStorage();
    storage.setItem('signoff.session', JSON.stringify(session(1, 10_000)));
    const s = new SessionStore({ storage, fetch: (async () => { throw new TypeError('offline'); }) as never, now: () => NOW });
    await expect(s.refresh()).rejects.toThrow('offline');
    expect(s.getState().kind).toBe('active');
  });
});

describe('clock skew', () => {
  it('counts the access token lifetime from when it arrived', async () => {
    // a JWT issued "now" by a server whose clock is an hour ahead, valid 15 min
    const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');
    const iat = Math.floor(NOW / 1000) + 3600;
    const jwt = `${b64({ alg: 'HS256' })}.${b64({ iat, exp: iat + 900 })}.sig`;
    const s1 = { ...session(1), accessToken: jwt, accessTokenExpiresAt: new Date((iat + 900) * 1000).toISOString() };
    const { s } = store(null, () => ({ data: { login: s1 } }));
    const got = await s.login('alice', 'signoff');
    expect(got.localExpiresAt).toBe(NOW + 900_000);
    expect(await s.accessToken()).toBe(jwt);
  });
});

describe('createAuthFetch', () => {
  it('adds the bearer token and retries once after token_expired', async () => {
    const { s } = store(session(1), () => ({ data: { refreshToken: session(2) } }));
    const seen: string[] = [];
    const base = vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      seen.push(auth);
      if (auth === 'Bearer access-1') return json({ errors: [{ message: 'expired', extensions: { code: 'token_expired' } }] });
      return json({ data: { me: { id: '2' } } });
    });
    const f = createAuthFetch(s, base as unknown as typeof fetch);
    const res = await f('/graphql', { method: 'POST', body: '{}' });
    expect(await res.json()).toEqual({ data: { me: { id: '2' } } });
    expect(seen).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('passes other errors through untouched', async () => {
    const { s } = store(session(1), () => ({}));
    const base = vi.fn(async () => json({ errors: [{ message: 'no', extensions: { code: 'forbidden' } }] }));
    const res = await createAuthFetch(s, base as unknown as typeof fetch)('/graphql', {});
    expect(base).toHaveBeenCalledTimes(1);
    expect((await res.json()).errors[0].extensions.code).toBe('forbidden');
  });
});

describe('realtime resume', () => {
  it('keeps lastEventId in the payload graphql-ws re-sends, and drops duplicates', () => {
    const stream = new ResumableStream('subscription S($lastEventId: String) { myEvents(lastEventId: $lastEventId) { id data } }', {});
    const payload = stream.payload;
    expect(payload.variables.lastEventId).toBeNull();
    expect(stream.accept({ id: '100-0', data: { type: 'ticket_event', ticket_id: 1, kind: 'submitted' } })).toBe(true);
    expect(stream.accept({ id: '101-0', data: { type: 'ticket_event', ticket_id: 1, kind: 'approved' } })).toBe(true);
    expect(stream.accept({ id: '100-0', data: { type: 'ticket_event', ticket_id: 1, kind: 'submitted' } })).toBe(false);
    expect(payload.variables.lastEventId).toBe('101-0');
    expect(stream.payload).toBe(payload); // the same object: a reconnect resumes from 101-0
    stream.accept({ id: '102-0', data: { type: 'reset' } });
    expect(payload.variables.lastEventId).toBe('101-0');
  });

  it('backs off and caps the reconnect delay', () => {
    expect(retryDelay(0, () => 0)).toBe(500);
    expect(retryDelay(3, () => 0)).toBe(4000);
    expect(retryDelay(10, () => 0.999)).toBeLessThan(8_300);
  });
});

describe('errors', () => {
  it('reads codes and field errors from a GraphQL answer', () => {
    const p = apiProblem([
      { message: 'bad form', extensions: { code: 'invalid_input', fields: [{ field: 'form.days', code: 'too_large', message: 'days must be at most 60' }] } },
    ]);
    expect(p?.code).toBe('invalid_input');
    expect(fieldErrorsByKey(p!.fields)).toEqual({ days: [{ field: 'form.days', code: 'too_large', message: 'days must be at most 60' }] });
  });

  it('every server error code has a Chinese and an English message', () => {
    // the automation, rating and report codes come with those screens' texts
    const zh: Record<string, string> = { ...zhCN.errors, ...automation.zhCN.errors, ...reports.zhCN.errors };
    const english: Record<string, string> = { ...en.errors, ...automation.en.errors, ...reports.en.errors };
    for (const code of ERROR_CODES) {
      expect(zh[code], code).toBeTruthy();
      expect(english[code], code).toBeTruthy();
    }
  });
});
