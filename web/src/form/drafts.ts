// Half-filled forms survive a reload or a re-login: they are kept in
// localStorage until the ticket is filed.
import type { FormValues } from './validate';

const PREFIX = 'signoff.draft.';

export function loadDraft(key: string): FormValues | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as FormValues) : null;
  } catch {
    return null;
  }
}

export function saveDraft(key: string, values: FormValues) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(values));
  } catch {
    /* full or unavailable: the form still works */
  }
}

export function clearDraft(key: string) {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    /* ignore */
  }
}
