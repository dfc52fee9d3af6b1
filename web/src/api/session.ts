// The login session: access token (short-lived JWT) and refresh token
// (rotating, one use each). Kept in localStorage so a reload keeps the
// session; refreshed shortly before the access token expires, and whenever
// the server says the access token is no longer good.
//
// Only one refresh runs at a time, across tabs too (Web Locks): presenting a
// spent refresh token revokes the whole session on the server.

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: SessionUser;
  /** When the access token expires by this browser's clock (the token's
   * lifetime counted from when it arrived, so a skewed clock does not
   * matter). */
  localExpiresAt?: number;
}

/** The lifetime of a JWT in ms (exp − iat), or null when it cannot be read. */
export function tokenLifetimeMs(jwt: string): number | null {
  try {
    const part = jwt.split('.')[1];
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number; iat?: number };
    if (typeof json.exp === 'number' && typeof json.iat === 'number' && json.exp > json.iat) return (json.exp - json.iat) * 1000;
  } catch {
    /* not a JWT we can read */
  }
  return null;
}

export type SessionState =
  | { kind: 'anonymous' }
  | { kind: 'active'; session: Session }
  /** The session ended on the server while the user was working: the UI
   * asks for the password again on top of the current page. */
  | { kind: 'expired'; user: SessionUser };

const STORAGE_KEY = 'signoff.session';
/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;

type Listener = (state: SessionState) => void;

const AUTH_FIELDS = `accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id username displayName roles }`;

export class SessionStore {
  private state: SessionState = { kind: 'anonymous' };
  private listeners = new Set<Listener>();
  private refreshing: Promise<Session | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private storage: Storage | null;
  private endpoint: string;
  private fetchImpl: typeof fetch;
  private now: () => number;

  constructor(opts: { endpoint?: string; storage?: Storage | null; fetch?: typeof fetch; now?: () => number } = {}) {
    this.endpoint = opts.endpoint ?? '/graphql';
    this.storage = opts.storage === undefined ? (typeof localStorage === 'undefined' ? null : localStorage) : opts.storage;
    this.fetchImpl = opts.fetch ?? ((...args) => fetch(...args));
    this.now = opts.now ?? (() => Date.now());
    const stored = this.read();
    if (stored) this.state = { kind: 'active', session: stored };
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', (e) => {
        if (e.key !== STORAGE_KEY) return;
        const next = this.read();
        if (next) this.set({ kind: 'active', session: next }, false);
        else if (this.state.kind === 'active') this.set({ kind: 'anonymous' }, false);
      });
    }
    this.schedule();
  }

  getState(): SessionState {
    return this.state;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private read(): Session | null {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      if (!raw) return null;
      const s = JSON.parse(raw) as Session;
      if (!s.refreshToken || Date.parse(s.refreshTokenExpiresAt) <= this.now()) return null;
      return s;
    } catch {
      return null;
    }
  }

  /** Stamps a freshly issued session with its expiry on the local clock. */
  private stamp(s: Session): Session {
    const life = tokenLifetimeMs(s.accessToken);
    return { ...s, localExpiresAt: life !== null ? this.now() + life : Date.parse(s.accessTokenExpiresAt) };
  }

  private expiresAt(s: Session): number {
    return s.localExpiresAt ?? Date.parse(s.accessTokenExpiresAt);
  }

  private set(state: SessionState, persist = true) {
    this.state = state;
    if (persist) {
      if (state.kind === 'active') this.storage?.setItem(STORAGE_KEY, JSON.stringify(state.session));
      else this.storage?.removeItem(STORAGE_KEY);
    }
    this.schedule();
    for (const l of this.listeners) l(state);
  }

  private schedule() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.state.kind !== 'active' || typeof window === 'undefined') return;
    const due = this.expiresAt(this.state.session) - REFRESH_MARGIN_MS - this.now();
    this.timer = setTimeout(() => void this.refresh(), Math.max(1_000, Math.min(due, 2 ** 31 - 1)));
  }

  private async gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await this.fetchImpl(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) {
      const e = body.errors[0];
      throw new AuthError(e.extensions?.code ?? 'internal', e.message);
    }
    return body.data as T;
  }

  async login(username: string, password: string): Promise<Session> {
    const data = await this.gql<{ login: Session }>(
      `mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { ${AUTH_FIELDS} } }`,
      { u: username, p: password },
    );
    const session = this.stamp(data.login);
    this.set({ kind: 'active', session });
    return session;
  }

  async logout(): Promise<void> {
    const s = this.state.kind === 'active' ? this.state.session : null;
    this.set({ kind: 'anonymous' });
    if (s) {
      try {
        await this.gql(`mutation Logout($t: String!) { logout(refreshToken: $t) }`, { t: s.refreshToken });
      } catch {
        /* the session is gone locally either way */
      }
    }
  }

  /** A usable access token, refreshing first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    if (this.state.kind !== 'active') return null;
    const s = this.state.session;
    if (this.expiresAt(s) - this.now() > REFRESH_MARGIN_MS / 2) return s.accessToken;
    const refreshed = await this.refresh();
    return refreshed?.accessToken ?? null;
  }

  /** Trades the refresh token for a new pair; one at a time. Resolves to
   * null when the session cannot be renewed (it is then `expired`). */
  refresh(): Promise<Session | null> {
    if (this.refreshing) return this.refreshing;
    const run = async (): Promise<Session | null> => {
      if (this.state.kind !== 'active') return null;
      const before = this.state.session;
      // Another tab may have refreshed already: use its tokens.
      const stored = this.read();
      if (stored && stored.refreshToken !== before.refreshToken) {
        this.set({ kind: 'active', session: stored }, false);
        if (this.expiresAt(stored) - this.now() > REFRESH_MARGIN_MS / 2) return stored;
      }
      const current = this.state.kind === 'active' ? this.state.session : before;
      try {
        const data = await this.gql<{ refreshToken: Session }>(
          `mutation Refresh($t: String!) { refreshToken(refreshToken: $t) { ${AUTH_FIELDS} } }`,
          { t: current.refreshToken },
        );
        const session = this.stamp(data.refreshToken);
        this.set({ kind: 'active', session });
        return session;
      } catch (e) {
        if (e instanceof AuthError) {
          this.set({ kind: 'expired', user: current.user });
          return null;
        }
        throw e; // network trouble: keep the session, try again later
      }
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const p = (locks ? locks.request('signoff.refresh', run) : run()).finally(() => {
      this.refreshing = null;
    });
    this.refreshing = p as Promise<Session | null>;
    return this.refreshing;
  }

  /** The server refused the access token on a request. */
  async onUnauthenticated(): Promise<string | null> {
    const s = await this.refresh();
    return s?.accessToken ?? null;
  }

  /** Re-login after `expired`, keeping the page (and its forms) as it is. */
  get expiredUser(): SessionUser | null {
    return this.state.kind === 'expired' ? this.state.user : null;
  }

  /** For tests: the server ended the session. */
  expire() {
    if (this.state.kind === 'active') this.set({ kind: 'expired', user: this.state.session.user });
  }
}

export class AuthError extends Error {
  code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Codes that mean "this access token is no good, refresh it". */
export const TOKEN_CODES = new Set(['token_expired', 'invalid_token', 'unauthenticated', 'session_ended']);
