// Items the viewer decided from this browser. The server has no query for
// "items I decided" yet (see SERVER-NOTES.md), so the Handled tab of the
// inbox lists what was decided here, newest first.
export interface HandledItem {
  itemId: string;
  ticketId: string;
  number: string;
  title: string;
  stepName: string;
  action: string;
  at: string;
}

const key = (userId: string) => `signoff.handled.${userId}`;
const listeners = new Set<() => void>();

export function loadHandled(userId: string): HandledItem[] {
  try {
    return JSON.parse(localStorage.getItem(key(userId)) ?? '[]') as HandledItem[];
  } catch {
    return [];
  }
}

export function recordHandled(userId: string, item: HandledItem) {
  const list = [item, ...loadHandled(userId).filter((x) => x.itemId !== item.itemId)].slice(0, 200);
  try {
    localStorage.setItem(key(userId), JSON.stringify(list));
  } catch {
    /* ignore */
  }
  for (const l of listeners) l();
}

export function onHandledChange(l: () => void) {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}
