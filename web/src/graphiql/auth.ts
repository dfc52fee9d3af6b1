// The web UI's session, lent to the GraphiQL page: the access token goes
// into the request headers editor (visible, editable) and into graphql-ws's
// connection_init. It is the same SessionStore as the app's (localStorage
// key `signoff.session`), so a token that has run out is refreshed first —
// with the app's cross-tab lock, as a second app tab would.
import type { SessionStore } from '../api/session';

/** The headers editor's text for a token (empty without a session). */
export function headersText(token: string | null): string {
  return token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : '';
}

/**
 * A `fetch` that keeps the token this page filled in current: the editor's
 * text is written once, but access tokens are short-lived (15 minutes by
 * default), so a request that still carries one we filled in goes out with
 * the session's current token instead. A header the user typed, or any
 * header once the session has ended, is sent as it is (the server's answer
 * then says why it is refused).
 */
export function sessionFetch(session: SessionStore, filled: Set<string>, base: typeof fetch = (...a) => fetch(...a)): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const sent = headers.get('authorization')?.replace(/^Bearer\s+/i, '');
    if (sent && filled.has(sent)) {
      const token = await session.accessToken();
      if (token) {
        filled.add(token);
        headers.set('authorization', `Bearer ${token}`);
      }
    }
    return base(input, { ...init, headers });
  };
}
