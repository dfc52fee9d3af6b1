import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { Services } from './api/client';
import type { ConnectionState, RealtimeEvent } from './api/realtime';
import type { SessionState } from './api/session';

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesContext missing');
  return s;
}

export function useSession(): SessionState {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, () => session.getState());
}

export function useConnectionState(): ConnectionState {
  const { realtime } = useServices();
  return useSyncExternalStore(realtime.onState, realtime.getState);
}

export type LiveEvent = RealtimeEvent | { id: ''; data: { type: 'resync' } };
type LiveListener = (ev: LiveEvent) => void;

/** Fans the app's one `myEvents` stream out to the pages. */
export class LiveBus {
  private listeners = new Set<LiveListener>();
  on(l: LiveListener) {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }
  emit(ev: LiveEvent) {
    for (const l of [...this.listeners]) l(ev);
  }
}

export const liveBus = new LiveBus();

/**
 * Calls `onEvent` after live events of the viewer (and after reconnects); a
 * burst within `coalesceMs` makes one call, with the last event.
 */
export function useLiveEvents(onEvent: LiveListener, coalesceMs = 120) {
  const ref = useRef(onEvent);
  useEffect(() => {
    ref.current = onEvent;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: LiveEvent | null = null;
    const off = liveBus.on((ev) => {
      last = ev;
      if (coalesceMs <= 0) return ref.current(ev);
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (last) ref.current(last);
      }, coalesceMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [coalesceMs]);
}

/** Events of one ticket, resumable; also fires after reconnects. */
export function useTicketEvents(ticketId: string | undefined, onEvent: (ev: LiveEvent) => void) {
  const { realtime } = useServices();
  const ref = useRef(onEvent);
  useEffect(() => {
    ref.current = onEvent;
  });
  useEffect(() => {
    if (!ticketId) return;
    const stop = realtime.ticketEvents(ticketId, (ev) => ref.current(ev));
    const stopResync = realtime.onResync(() => ref.current({ id: '', data: { type: 'resync' } }));
    return () => {
      stop();
      stopResync();
    };
  }, [realtime, ticketId]);
}
