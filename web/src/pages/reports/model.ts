// The reports screen's pure parts: filters ⇄ URL, GraphQL variables and CSV
// URLs, days and ISO weeks, human durations, and the shapes the charts
// draw. No React, no ECharts: unit-tested in model.test.ts.
import type { TFunction } from 'i18next';
import type { ReportFiguresFieldsFragment, ReportGroupBy } from '../../gql/graphql';

export type GroupBy = ReportGroupBy;
export type Figures = ReportFiguresFieldsFragment;
export interface Group {
  key: string;
  label: string;
  figures: Figures;
}

export const GROUP_BYS: readonly GroupBy[] = ['DAY', 'WEEK', 'MONTH', 'TEMPLATE', 'DEPARTMENT', 'APPROVER'];
export const TIME_GROUPS: ReadonlySet<GroupBy> = new Set<GroupBy>(['DAY', 'WEEK', 'MONTH']);
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_GROUP_BY: GroupBy = 'DAY';
/** The server's default period and its limit (days, inclusive). */
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;
/** The zones offered besides the browser's own; any IANA name works in the URL. */
export const COMMON_TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
] as const;
export const BACKLOG_BUCKETS = ['lt_1d', '1d_3d', '3d_7d', '7d_30d', 'gt_30d'] as const;

export interface ReportFilters {
  /** `YYYY-MM-DD`, inclusive, in `timeZone`. */
  from: string;
  to: string;
  timeZone: string;
  templateCode: string | null;
  departmentId: string | null;
  groupBy: GroupBy;
}

// ---- days -----------------------------------------------------------------

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Is `s` a real calendar day written `YYYY-MM-DD`? */
export function isDay(s: string | null | undefined): s is string {
  const m = s ? DAY_RE.exec(s) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function dayUtc(day: string): Date {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
}

function fmtDay(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function addDays(day: string, n: number): string {
  const d = dayUtc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fmtDay(d);
}

/** How many days from `from` to `to`, both included (0 when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  return Math.max(0, Math.round((dayUtc(to).getTime() - dayUtc(from).getTime()) / 86_400_000) + 1);
}

/** Is `name` an IANA time zone this browser knows? */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Today in `timeZone` (`YYYY-MM-DD`); the browser's own day when the zone is unknown. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}`;
  }
}

/** The last `days` days up to today in `timeZone`, like the server's default. */
export function lastDays(timeZone: string, days = DEFAULT_DAYS, now: Date = new Date()): { from: string; to: string } {
  const to = todayIn(timeZone, now);
  return { from: addDays(to, -(days - 1)), to };
}

/** Quick periods for the picker, relative to today in `timeZone`. */
export function presetPeriods(timeZone: string, now: Date = new Date()) {
  const today = todayIn(timeZone, now);
  const firstOfMonth = `${today.slice(0, 8)}01`;
  const lastMonthEnd = addDays(firstOfMonth, -1);
  return {
    last7: lastDays(timeZone, 7, now),
    last30: lastDays(timeZone, 30, now),
    last90: lastDays(timeZone, 90, now),
    thisMonth: { from: firstOfMonth, to: today },
    lastMonth: { from: `${lastMonthEnd.slice(0, 8)}01`, to: lastMonthEnd },
    last365: lastDays(timeZone, 365, now),
  };
}

/** `2026-W49`: the ISO week (and ISO week-year) of a day, as the server keys weeks. */
export function isoWeekKey(day: string): string {
  const d = dayUtc(day);
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday of that week
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${pad2(week)}`;
}

/** The group keys a period covers, in order: days, ISO weeks or months. */
export function periodKeys(from: string, to: string, groupBy: GroupBy): string[] {
  if (!TIME_GROUPS.has(groupBy) || !isDay(from) || !isDay(to)) return [];
  const n = dayCount(from, to);
  if (n === 0 || n > MAX_DAYS + 1) return [];
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = addDays(from, i);
    const key = groupBy === 'DAY' ? day : groupBy === 'WEEK' ? isoWeekKey(day) : day.slice(0, 7);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  return keys;
}

// ---- filters, URL, variables ----------------------------------------------

/** The filters of a URL (`/reports?from=…&groupBy=week`); missing ones take the defaults. */
export function filtersFromSearch(params: URLSearchParams, now: Date = new Date()): ReportFilters {
  const timeZone = params.get('timeZone')?.trim() || DEFAULT_TIME_ZONE;
  const period = lastDays(timeZone, DEFAULT_DAYS, now);
  const group = (params.get('groupBy') ?? '').toUpperCase() as GroupBy;
  return {
    from: params.get('from')?.trim() || period.from,
    to: params.get('to')?.trim() || period.to,
    timeZone,
    templateCode: params.get('templateCode')?.trim() || null,
    departmentId: params.get('departmentId')?.trim() || null,
    groupBy: GROUP_BYS.includes(group) ? group : DEFAULT_GROUP_BY,
  };
}

/**
 * The URL's query for `f`, leaving out what is the default (so a bookmark
 * of the default page keeps meaning "the last 30 days").
 */
export function filtersToSearch(f: ReportFilters, now: Date = new Date()): URLSearchParams {
  const p = new URLSearchParams();
  const period = lastDays(f.timeZone, DEFAULT_DAYS, now);
  if (f.from !== period.from || f.to !== period.to) {
    p.set('from', f.from);
    p.set('to', f.to);
  }
  if (f.timeZone !== DEFAULT_TIME_ZONE) p.set('timeZone', f.timeZone);
  if (f.templateCode) p.set('templateCode', f.templateCode);
  if (f.departmentId) p.set('departmentId', f.departmentId);
  if (f.groupBy !== DEFAULT_GROUP_BY) p.set('groupBy', f.groupBy.toLowerCase());
  return p;
}

/** The variables of the `report` query. */
export function reportVariables(f: ReportFilters) {
  return {
    from: f.from,
    to: f.to,
    timeZone: f.timeZone,
    templateCode: f.templateCode,
    departmentId: f.departmentId,
    groupBy: f.groupBy,
  };
}

export type CsvKind = 'report' | 'tickets';

/** `/reports/report.csv?…` or `/reports/tickets.csv?…` with the filters (groupBy in lower case). */
export function csvUrl(kind: CsvKind, f: ReportFilters): string {
  const p = new URLSearchParams();
  p.set('from', f.from);
  p.set('to', f.to);
  p.set('timeZone', f.timeZone);
  if (f.templateCode) p.set('templateCode', f.templateCode);
  if (f.departmentId) p.set('departmentId', f.departmentId);
  p.set('groupBy', f.groupBy.toLowerCase());
  return `/reports/${kind}.csv?${p.toString()}`;
}

/** The file name of a `Content-Disposition` header (RFC 6266 `filename*` first). */
export function filenameFromDisposition(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')) || fallback;
    } catch {
      /* fall through */
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1') || fallback;
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return bare?.[1] || fallback;
}

/** The time zones to offer: the current one, the browser's own, then the common ones. */
export function timeZoneOptions(current: string, browser: string | null | undefined): string[] {
  const out: string[] = [];
  for (const z of [current, DEFAULT_TIME_ZONE, browser, ...COMMON_TIME_ZONES]) {
    if (z && !out.includes(z)) out.push(z);
  }
  return out;
}

export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

// ---- departments ------------------------------------------------------------

export interface Dept {
  id: string;
  name: string;
  active?: boolean;
  parent?: { id: string } | null;
  head?: { id: string } | null;
}

/**
 * The departments a reader may pick, as the server decides: everything for
 * an administrator; for a manager the departments they head (or else their
 * own) and everything below.
 */
export function readableDepartments<T extends Dept>(
  depts: readonly T[],
  viewer: { id: string; departmentId?: string | null; admin: boolean },
): T[] {
  if (viewer.admin) return [...depts];
  let roots = depts.filter((d) => d.head?.id === viewer.id).map((d) => d.id);
  if (!roots.length && viewer.departmentId) roots = [viewer.departmentId];
  const children = new Map<string, string[]>();
  for (const d of depts) {
    if (d.parent) children.set(d.parent.id, [...(children.get(d.parent.id) ?? []), d.id]);
  }
  const seen = new Set<string>();
  while (roots.length) {
    const id = roots.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    roots.push(...(children.get(id) ?? []));
  }
  return depts.filter((d) => seen.has(d.id));
}

// ---- numbers ----------------------------------------------------------------

export type DurationUnit = 'second' | 'minute' | 'hour' | 'day';
export const UNIT_SECONDS: Record<DurationUnit, number> = { second: 1, minute: 60, hour: 3600, day: 86_400 };

/** One decimal at most, no trailing `.0`. */
function short(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

/** The unit a duration reads best in: seconds under a minute, then minutes, hours, days. */
export function durationUnit(seconds: number): DurationUnit {
  const s = Math.abs(seconds);
  if (s < 60) return 'second';
  if (s < 3600) return 'minute';
  if (s < 86_400) return 'hour';
  return 'day';
}

/** `{ n: '3.2', unit: 'hour' }` for 11,520 s; null for no value. */
export function durationParts(seconds: number | null | undefined): { n: string; unit: DurationUnit } | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  if (seconds > 0 && seconds < 0.5) return { n: '<1', unit: 'second' };
  const order: DurationUnit[] = ['second', 'minute', 'hour', 'day'];
  let i = order.indexOf(durationUnit(seconds));
  const text = (u: DurationUnit) => (u === 'second' ? String(Math.round(seconds)) : short(seconds / UNIT_SECONDS[u]));
  // 59.97 minutes would read "60 分钟": one unit up reads "1 小时"
  while (i < order.length - 1 && Math.abs(Number(text(order[i]))) * UNIT_SECONDS[order[i]] >= UNIT_SECONDS[order[i + 1]]) i++;
  return { n: text(order[i]), unit: order[i] };
}

type T = TFunction;

/** "3.2 小时" / "3.2 h" (texts `reports.dur.*`); "—" for no value. */
export function formatDuration(seconds: number | null | undefined, t: T): string {
  const p = durationParts(seconds);
  return p ? t(`reports.dur.${p.unit}`, { n: p.n }) : '—';
}

/** 0.1234 → "12.3%"; null → "—". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${short(rate * 100)}%`;
}

/** 4.333 → "4.3"; null → "—". */
export function formatAverage(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return (Math.round(v * 10) / 10).toFixed(1);
}

// ---- chart data -------------------------------------------------------------

/** A group's name for people: `none` (no department) gets a text. */
export function groupLabel(g: { key: string; label: string }, groupBy: GroupBy | null | undefined, t: T): string {
  if (groupBy === 'DEPARTMENT' && g.key === 'none') return t('reports.noDepartment');
  return g.label || g.key;
}

/**
 * The groups as the charts draw them: for day/week/month every key of the
 * period in order (a day with nothing filed is a 0, not a gap in the
 * axis); otherwise the server's groups as they are.
 */
export function chartGroups(groups: readonly Group[], groupBy: GroupBy | null | undefined, from: string, to: string): { key: string; label: string; figures: Figures | null }[] {
  if (!groupBy || !TIME_GROUPS.has(groupBy)) return groups.map((g) => ({ key: g.key, label: g.label, figures: g.figures }));
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const keys = periodKeys(from, to, groupBy);
  // keys the period does not list (should not happen) still show, in order
  for (const g of groups) if (!keys.includes(g.key)) keys.push(g.key);
  keys.sort();
  return keys.map((key) => {
    const g = byKey.get(key);
    return { key, label: g?.label ?? key, figures: g?.figures ?? null };
  });
}

export interface Series {
  name: string;
  data: (number | null)[];
}

export interface ChartData {
  categories: string[];
  series: Series[];
}

/** Filed and completed per group. */
export function volumeData(rows: ReturnType<typeof chartGroups>, names: { filed: string; completed: string }): ChartData {
  return {
    categories: rows.map((r) => r.label),
    series: [
      { name: names.filed, data: rows.map((r) => r.figures?.filed ?? 0) },
      { name: names.completed, data: rows.map((r) => r.figures?.completed ?? 0) },
    ],
  };
}

/**
 * Median and p90 cycle time per group, in the one unit that reads best for
 * the largest value (the axis says which).
 */
export function cycleData(rows: ReturnType<typeof chartGroups>, names: { median: string; p90: string }): ChartData & { unit: DurationUnit } {
  const all = rows.flatMap((r) => [r.figures?.cycle.medianSeconds, r.figures?.cycle.p90Seconds]).filter((v): v is number => typeof v === 'number');
  const unit = durationUnit(all.length ? Math.max(...all) : 0);
  const scale = (v: number | null | undefined) => (typeof v === 'number' ? Math.round((v / UNIT_SECONDS[unit]) * 10_000) / 10_000 : null);
  return {
    unit,
    categories: rows.map((r) => r.label),
    series: [
      { name: names.median, data: rows.map((r) => scale(r.figures?.cycle.medianSeconds)) },
      { name: names.p90, data: rows.map((r) => scale(r.figures?.cycle.p90Seconds)) },
    ],
  };
}

/** SLA breach rate per group in percent (null where nothing had a due time). */
export function slaData(rows: ReturnType<typeof chartGroups>, name: string): ChartData {
  return {
    categories: rows.map((r) => r.label),
    series: [{ name, data: rows.map((r) => (typeof r.figures?.slaBreachRate === 'number' ? Math.round(r.figures.slaBreachRate * 1000) / 10 : null)) }],
  };
}

/** Open tickets per age bucket, in the buckets' order. */
export function backlogData(figures: Figures, bucketName: (bucket: string) => string, name: string): ChartData {
  const count = new Map(figures.backlog.map((b) => [b.bucket, b.count]));
  const buckets = [...BACKLOG_BUCKETS, ...figures.backlog.map((b) => b.bucket).filter((b) => !(BACKLOG_BUCKETS as readonly string[]).includes(b))];
  return { categories: buckets.map(bucketName), series: [{ name, data: buckets.map((b) => count.get(b) ?? 0) }] };
}

/** How many rated 1 … 5. */
export function ratingData(figures: Figures, starName: (n: number) => string, name: string): ChartData {
  return {
    categories: [1, 2, 3, 4, 5].map(starName),
    series: [{ name, data: [0, 1, 2, 3, 4].map((i) => figures.ratingDistribution[i] ?? 0) }],
  };
}
