import { useEffect } from 'react';
import { liveBus, useServices, useSession } from '../services';

/** Keeps the viewer's `myEvents` stream open while signed in and fans it out. */
export function LiveConnection() {
  const { realtime } = useServices();
  const state = useSession();
  const userId = state.kind === 'active' ? state.session.user.id : null;
  useEffect(() => {
    if (!userId) return;
    const stop = realtime.myEvents((ev) => liveBus.emit(ev));
    const stopResync = realtime.onResync(() => liveBus.emit({ id: '', data: { type: 'resync' } }));
    return () => {
      stop();
      stopResync();
    };
  }, [realtime, userId]);
  return null;
}
