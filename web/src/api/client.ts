import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createAuthFetch } from './authFetch';
import { Realtime } from './realtime';
import { SessionStore } from './session';

/** The GraphQL client: POST only (GET /graphql serves GraphiQL), bearer
 * tokens with refresh, and subscriptions over graphql-ws. */
export function createGraphqlClient(
  session: SessionStore,
  opts: { url?: string; fetch?: typeof fetch; realtime?: Realtime | null } = {},
): Client {
  const rt = opts.realtime ?? null;
  return new Client({
    url: opts.url ?? '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetch: createAuthFetch(session, opts.fetch),
    exchanges: [
      cacheExchange,
      fetchExchange,
      ...(rt
        ? [
            // Subscriptions share the app's one socket; their lastEventId
            // follows the events delivered, so a reconnect resumes.
            subscriptionExchange({
              forwardSubscription(request) {
                return {
                  subscribe: (sink) => ({
                    unsubscribe: rt.forward(request.query || "", request.variables ?? {}, sink as never),
                  }),
                };
              },
            }),
          ]
        : []),
    ],
  });
}

export interface Services {
  session: SessionStore;
  client: Client;
  realtime: Realtime;
}

export function createServices(): Services {
  const session = new SessionStore();
  const realtime = new Realtime(session);
  const client = createGraphqlClient(session, { realtime });
  return { session, client, realtime };
}

/** A fresh id for a state-changing mutation, so a retry files once. */
export function newClientMutationId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
