import { TOKEN_CODES, type SessionStore } from './session';

interface GqlBody {
  errors?: { extensions?: { code?: string } }[];
}

/** Does a GraphQL response say the access token is not accepted? */
export function isTokenRejection(body: GqlBody | null | undefined): boolean {
  return !!body?.errors?.some((e) => TOKEN_CODES.has(e.extensions?.code ?? ''));
}

/**
 * A `fetch` for the GraphQL client: adds the bearer token (refreshed when it
 * is about to expire) and, when the server still rejects the token, refreshes
 * once and repeats the request. When the session cannot be renewed the
 * original answer goes through (the UI then shows the re-login dialog and
 * the operation can be retried afterwards).
 */
export function createAuthFetch(session: SessionStore, base: typeof fetch = (...a) => fetch(...a)): typeof fetch {
  return async (input, init) => {
    const send = (token: string | null) => {
      const headers = new Headers(init?.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      else headers.delete('authorization');
      return base(input, { ...init, headers });
    };
    const token = await session.accessToken();
    const res = await send(token);
    if (!token) return res;
    let body: GqlBody | null = null;
    try {
      body = (await res.clone().json()) as GqlBody;
    } catch {
      return res;
    }
    if (!isTokenRejection(body)) return res;
    const fresh = await session.onUnauthenticated();
    if (!fresh) return res;
    return send(fresh);
  };
}
