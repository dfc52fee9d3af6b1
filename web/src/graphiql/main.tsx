// The GraphiQL page (graphiql.html, served by the server at GET /graphql):
// the npm `graphiql` package bundled by Vite, so it works where no CDN is
// reachable and runs under the server's CSP (no inline script, no eval).
// Queries go to /graphql on this origin, subscriptions to /graphql/ws
// (graphql-transport-ws). A web UI session, when there is one, signs both.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { parse } from 'graphql';
import { GraphiQL } from 'graphiql';
import { createClient } from 'graphql-ws';
// Monaco's workers as hashed files of our own (worker-src 'self')
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { SessionStore } from '../api/session';
import { wsUrl } from '../api/realtime';
import { headersText, sessionFetch } from './auth';

const DEFAULT_QUERY = `# Signoff GraphQL. Ctrl-Enter runs the operation.
# Signed in to the web UI? Then Headers holds your token.
{
  me {
    username
    displayName
  }
}
`;

const session = new SessionStore();
const filled = new Set<string>();

const wsClient = createClient({
  url: wsUrl('/graphql/ws'),
  lazy: true, // no socket until the first subscription runs
  // asked on every (re)connect, so a reconnect carries the current token
  connectionParams: async () => {
    const token = await session.accessToken().catch(() => null);
    return token ? { token } : {};
  },
});

const toolkitFetcher = createGraphiQLFetcher({
  url: '/graphql',
  wsClient,
  fetch: sessionFetch(session, filled),
  // the schema has no @defer/@stream: every answer is plain JSON, so no multipart reader
  enableIncrementalDelivery: false,
});

// The toolkit routes subscriptions to the socket by the editor's parsed
// document, which lags behind typing: run right after editing and a
// subscription would go over HTTP ("not supported on this transport").
// Parsing the query that is actually sent decides by what runs.
const fetcher: Fetcher = (params, opts) => {
  let documentAST = opts?.documentAST;
  try {
    documentAST = parse(params.query);
  } catch {
    // not valid GraphQL: the server says why
  }
  return toolkitFetcher(params, { ...opts, documentAST });
};

// A token that ran out while no app tab was open is refreshed before it is shown.
void session
  .accessToken()
  .catch(() => null)
  .then((token) => {
    if (token) filled.add(token);
    const headers = headersText(token);
    createRoot(document.getElementById('graphiql')!).render(
      <StrictMode>
        <GraphiQL
          fetcher={fetcher}
          defaultQuery={DEFAULT_QUERY}
          initialHeaders={headers}
          defaultHeaders={headers}
          // show the filled-in header, so it is clear whose session a query runs as
          defaultEditorToolsVisibility={token ? 'headers' : undefined}
        >
          <GraphiQL.Logo>Signoff GraphQL</GraphiQL.Logo>
        </GraphiQL>
      </StrictMode>,
    );
  });
