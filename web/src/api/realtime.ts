// Live events over graphql-ws (`/graphql/ws`, graphql-transport-ws).
//
// One `myEvents` stream for the whole app plus `ticketEvents` per open
// ticket page. Each stream remembers the id of the last event it saw and,
// when the socket drops and graphql-ws reconnects, subscribes again with
// `lastEventId` so the server replays what was missed. A `reset` event (the
// gap is older than the server keeps) and every reconnect tell listeners to
// refetch.
import type { Client, Sink } from 'graphql-ws';
import { TOKEN_CODES, type SessionStore } from './session';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface TicketEventData {
  type: 'ticket_event';
  event_id?: string;
  ticket_id: string | number;
  kind: string;
  status?: string;
  actor_id?: string | number;
  payload?: unknown;
  at?: string;
}

export type RealtimeData = TicketEventData | { type: 'reset' } | { type: string; [k: string]: unknown };

export interface RealtimeEvent {
  id: string;
  data: RealtimeData;
}

export type RealtimeListener = (ev: RealtimeEvent | { id: ''; data: { type: 'resync' } }) => void;

const MY_EVENTS = 'subscription MyEvents($lastEventId: String) { myEvents(lastEventId: $lastEventId) { id data } }';
const TICKET_EVENTS =
  'subscription TicketEvents($ticketId: ID!, $lastEventId: String) { ticketEvents(ticketId: $ticketId, lastEventId: $lastEventId) { id data } }';

/** Backoff between reconnect attempts: 0.5 s, 1 s, 2 s … capped at 8 s, with jitter. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  return Math.min(500 * 2 ** attempt, 8_000) + Math.floor(random() * 300);
}

/**
 * A subscription whose `lastEventId` follows the events it delivered.
 * graphql-ws re-sends the same payload object after a reconnect, so keeping
 * the variable current in that object is what makes the resume work.
 */
export class ResumableStream {
  readonly payload: { query: string; variables: Record<string, unknown> };
  private seen = new Set<string>();
  private order: string[] = [];

  constructor(query: string, variables: Record<string, unknown>) {
    this.payload = { query, variables: { ...variables, lastEventId: variables.lastEventId ?? null } };
  }

  get lastEventId(): string | null {
    return (this.payload.variables.lastEventId as string | null) ?? null;
  }

  /** Records an event; false for a duplicate (already delivered). */
  accept(ev: RealtimeEvent): boolean {
    if (!ev.id) return true;
    if (this.seen.has(ev.id)) return false;
    this.seen.add(ev.id);
    this.order.push(ev.id);
    if (this.order.length > 500) this.seen.delete(this.order.shift()!);
    if (ev.data?.type !== 'reset') this.payload.variables.lastEventId = ev.id;
    return true;
  }
}

export class Realtime {
  private client: Promise<Client> | null = null;
  private state: ConnectionState = 'offline';
  private stateListeners = new Set<(s: ConnectionState) => void>();
  private everConnected = false;
  /** The server closed the socket because of the credentials: renew them first. */
  private renew = false;
  private resyncListeners = new Set<() => void>();
  private session: SessionStore;
  private url: string;

  constructor(session: SessionStore, url?: string) {
    this.session = session;
    this.url = url ?? wsUrl('/graphql/ws');
  }

  getState = (): ConnectionState => this.state;

  onState = (l: (s: ConnectionState) => void): (() => void) => {
    this.stateListeners.add(l);
    return () => this.stateListeners.delete(l);
  };

  /** Called after a reconnect: whatever the app shows may be stale. */
  onResync = (l: () => void): (() => void) => {
    this.resyncListeners.add(l);
    return () => this.resyncListeners.delete(l);
  };

  private setState(s: ConnectionState) {
    if (s === this.state) return;
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  /** The graphql-ws client, loaded on first use (it is not needed to paint). */
  private ensure(): Promise<Client> {
    if (this.client) return this.client;
    this.client = import('graphql-ws').then(({ createClient }) => this.create(createClient));
    return this.client;
  }

  private create(createClient: typeof import('graphql-ws').createClient): Client {
    const client = createClient({
      url: this.url,
      lazy: true,
      lazyCloseTimeout: 3_000,
      keepAlive: 20_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (n) => {
        await new Promise((r) => setTimeout(r, retryDelay(n)));
      },
      connectionParams: async () => {
        if (this.renew) {
          this.renew = false;
          await this.session.refresh().catch(() => null);
        }
        return { token: (await this.session.accessToken()) ?? '' };
      },
      on: {
        connecting: () => this.setState(this.everConnected ? 'reconnecting' : 'connecting'),
        connected: () => {
          const again = this.everConnected;
          this.everConnected = true;
          this.setState('connected');
          if (again) for (const l of this.resyncListeners) l();
        },
        closed: (event) => {
          // 4401: token expired, session ended or access changed (4403 for an
          // init the server refused) — reconnect with renewed credentials
          const code = (event as { code?: number } | undefined)?.code;
          if (code === 4401 || code === 4403) this.renew = true;
          if (this.state !== 'offline') this.setState(this.everConnected ? 'reconnecting' : 'connecting');
        },
      },
    });
    return client;
  }

  /** Subscribes once the client is loaded; the returned function cancels either way. */
  private run(payload: { query: string; variables: Record<string, unknown> }, sink: Sink<never>): () => void {
    let cancelled = false;
    let dispose: () => void = () => {};
    void this.ensure().then((c) => {
      if (!cancelled) dispose = c.subscribe(payload, sink);
    });
    return () => {
      cancelled = true;
      dispose();
    };
  }

  private subscribe(stream: ResumableStream, listener: RealtimeListener): () => void {
    let disposed = false;
    let dispose: () => void = () => {};
    const start = () => {
      const sink: Sink<{ data?: { [k: string]: RealtimeEvent } | null }> = {
        next: (msg) => {
          const ev = msg.data && Object.values(msg.data)[0];
          if (!ev || !stream.accept(ev)) return;
          listener(ev);
        },
        error: (err) => {
          if (disposed) return;
          // Rejected token (expired between connects): renew, reconnect, resume.
          const codes = Array.isArray(err)
            ? (err as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code ?? '')
            : [];
          const retry = async () => {
            if (codes.some((c) => TOKEN_CODES.has(c))) await this.session.refresh().catch(() => null);
            if (this.session.getState().kind !== 'active' || disposed) return;
            void this.client?.then((c) => c.terminate());
            setTimeout(() => !disposed && start(), retryDelay(1));
          };
          void retry();
        },
        complete: () => {},
      };
      dispose = this.run(stream.payload, sink as Sink<never>);
    };
    start();
    return () => {
      disposed = true;
      dispose();
    };
  }

  /** For urql's subscriptionExchange: any subscription, resumable when it
   * takes a `lastEventId` variable. */
  forward(query: string, variables: Record<string, unknown>, sink: { next: (v: unknown) => void; error: (e: unknown) => void; complete: () => void }): () => void {
    const resumable = /\$lastEventId\b/.test(query);
    if (!resumable) return this.run({ query, variables }, sink as Sink<never>);
    const stream = new ResumableStream(query, variables);
    return this.run(stream.payload, {
      next: (msg: { data?: Record<string, RealtimeEvent> | null }) => {
        const ev = msg.data && Object.values(msg.data)[0];
        if (ev && !stream.accept(ev)) return;
        sink.next(msg);
      },
      error: (e) => sink.error(e),
      complete: () => sink.complete(),
    } as Sink<never>);
  }

  myEvents(listener: RealtimeListener): () => void {
    return this.subscribe(new ResumableStream(MY_EVENTS, {}), listener);
  }

  ticketEvents(ticketId: string, listener: RealtimeListener): () => void {
    return this.subscribe(new ResumableStream(TICKET_EVENTS, { ticketId }), listener);
  }

  /** Ends the connection (logout). */
  close() {
    void this.client?.then((c) => c.dispose());
    this.client = null;
    this.everConnected = false;
    this.setState('offline');
  }
}

export function wsUrl(path: string): string {
  const loc = typeof window !== 'undefined' ? window.location : { protocol: 'http:', host: '127.0.0.1' };
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${path}`;
}
