// The viewer's muted notifications: the server keeps a list of
// `channel:kind` pairs (`email:commented`, `wecom_app:*`, `*:sla_reminder`;
// never `*:*`), the settings page shows a matrix of kinds × channels where a
// checked box means "on". These convert one into the other.

/** The channels a person hears on (group robots are not personal). */
export const CHANNELS = ['email', 'wecom_app'] as const;
/** What a person can be told (domain::events::NoticeKind). */
export const KINDS = ['assigned', 'outcome', 'urged', 'commented', 'sla_reminder', 'sla_due', 'sla_escalated', 'sla_alarm', 'job_failed'] as const;

export type Channel = (typeof CHANNELS)[number];
export type Kind = (typeof KINDS)[number];

/** `channel:kind` → on. Every cell of the matrix is present. */
export type Matrix = Record<`${Channel}:${Kind}`, boolean>;

export const cell = (channel: Channel, kind: Kind) => `${channel}:${kind}` as const;

const isChannel = (c: string): c is Channel => (CHANNELS as readonly string[]).includes(c);
const isKind = (k: string): k is Kind => (KINDS as readonly string[]).includes(k);

export interface Parsed {
  matrix: Matrix;
  /**
   * Entries the matrix cannot show (another channel such as `wecom_robot:…`,
   * a kind this build does not know): kept as they are when saving.
   */
  other: string[];
}

/** Everything on. */
export function allOn(): Matrix {
  const m = {} as Matrix;
  for (const c of CHANNELS) for (const k of KINDS) m[cell(c, k)] = true;
  return m;
}

/** The server's muted list as a matrix (checked = on). */
export function parseMuted(muted: readonly string[]): Parsed {
  const matrix = allOn();
  const other: string[] = [];
  for (const raw of muted) {
    const entry = raw.trim();
    const i = entry.indexOf(':');
    const channel = i < 0 ? '' : entry.slice(0, i);
    const kind = i < 0 ? '' : entry.slice(i + 1);
    const channels = channel === '*' ? [...CHANNELS] : isChannel(channel) ? [channel] : null;
    const kinds = kind === '*' ? [...KINDS] : isKind(kind) ? [kind] : null;
    if (!channels || !kinds || (channel === '*' && kind === '*')) {
      if (entry && !other.includes(entry)) other.push(entry);
      continue;
    }
    for (const c of channels) for (const k of kinds) matrix[cell(c, k)] = false;
  }
  return { matrix, other };
}

/**
 * The matrix as the server's muted list, short: a channel with everything
 * off is `channel:*`, a kind off on every channel `*:kind`, the rest one
 * pair each; `other` (from parseMuted) is appended as it was.
 */
export function toMuted(matrix: Matrix, other: readonly string[] = []): string[] {
  const out: string[] = [];
  const off = (c: Channel, k: Kind) => !matrix[cell(c, k)];
  const fullChannels = CHANNELS.filter((c) => KINDS.every((k) => off(c, k)));
  const rest = CHANNELS.filter((c) => !fullChannels.includes(c));
  for (const c of fullChannels) out.push(`${c}:*`);
  for (const k of KINDS) {
    const offIn = rest.filter((c) => off(c, k));
    if (offIn.length === 0) continue;
    if (offIn.length === rest.length && rest.length > 1) out.push(`*:${k}`);
    else for (const c of offIn) out.push(`${c}:${k}`);
  }
  for (const e of other) if (!out.includes(e)) out.push(e);
  return out;
}
