// What the ticket page and the administrators' job list make of automation
// jobs and of the timeline events about them: pure functions, unit-tested.

export type JobStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

export const JOB_STATUSES: readonly JobStatus[] = ['FAILED', 'PENDING', 'RUNNING', 'SUCCEEDED', 'SKIPPED', 'CANCELLED'];

/** The antd Tag colour of a job status. */
export function jobColor(status: string): string {
  switch (status) {
    case 'PENDING':
      return 'default';
    case 'RUNNING':
      return 'processing';
    case 'SUCCEEDED':
      return 'success';
    case 'FAILED':
      return 'error';
    case 'SKIPPED':
      return 'warning';
    default:
      return 'default';
  }
}

/**
 * A processing ticket with a job that failed for good is an exception
 * (执行异常): it waits for an administrator.
 */
export function hasException(ticket: { status: string; jobs?: readonly { status: string }[] | null }): boolean {
  return ticket.status === 'PROCESSING' && !!ticket.jobs?.some((j) => j.status === 'FAILED');
}

/**
 * What an administrator may do with a job of a processing ticket: retry a
 * failed one, skip a failed or waiting one. Nothing once the ticket is
 * closed (a job that failed before an administrator gave up on the ticket
 * stays FAILED, but there is nothing left to run it for).
 */
export function jobActions(status: string, ticketStatus: string): { retry: boolean; skip: boolean } {
  if (ticketStatus !== 'PROCESSING') return { retry: false, skip: false };
  return { retry: status === 'FAILED', skip: status === 'FAILED' || status === 'PENDING' };
}

/** Events written about jobs (their payload names the job). */
export function isJobEvent(kind: string): boolean {
  return kind.startsWith('job_');
}

export interface EventDetail {
  /** The job's name, for job events and for `processing_finished`. */
  jobName: string | null;
  /** The attempt the event is about (job events). */
  attempt: number | null;
  /** What went wrong (`job_retrying`, `job_failed`). */
  error: string | null;
  /** When a retrying job runs again. */
  retryAt: string | null;
  /** A rating's score (`rated`). */
  score: number | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** The parts of an event's payload the timeline shows besides its words. */
export function eventDetail(kind: string, payload: unknown): EventDetail {
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const job = (p.job && typeof p.job === 'object' ? p.job : null) as Record<string, unknown> | null;
  const attempt = job && typeof job.attempt === 'number' && job.attempt > 0 ? job.attempt : null;
  return {
    jobName: job ? str(job.name) : null,
    attempt: isJobEvent(kind) ? attempt : null,
    error: isJobEvent(kind) ? str(p.error) : null,
    retryAt: kind === 'job_retrying' ? str(p.retry_at) : null,
    score: kind === 'rated' && typeof p.score === 'number' ? p.score : null,
  };
}

/** The timeline dot's colour of an event. */
export function eventColor(kind: string): string {
  switch (kind) {
    case 'rejected':
    case 'job_failed':
      return 'red';
    case 'returned':
    case 'job_retrying':
    case 'job_skipped':
      return 'orange';
    case 'commented':
    case 'job_started':
    case 'job_accepted':
      return 'gray';
    case 'processing_finished':
    case 'job_succeeded':
    case 'rated':
      return 'green';
    default:
      return 'blue';
  }
}

/** A job's output as indented JSON; null when there is none. */
export function prettyJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && Object.keys(value as object).length === 0) return null;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/**
 * Whether `viewerId` is asked to rate the ticket now: its applicant, once it
 * is done, once. Not a ticket they withdrew themselves (the server would
 * take it, but there is no handling to rate).
 */
export function canRate(
  ticket: { status: string; result?: string | null; applicant?: { id: string } | null; rating?: unknown },
  viewerId: string | null | undefined,
): boolean {
  return ticket.status === 'DONE' && ticket.result !== 'WITHDRAWN' && !ticket.rating && !!viewerId && ticket.applicant?.id === viewerId;
}

/** A rating's comment is at most this many characters (the server's limit). */
export const RATING_COMMENT_MAX = 500;

/** The comment as the server wants it: trimmed, empty as none. */
export function ratingComment(text: string): string | null {
  const c = text.trim();
  return c ? c : null;
}

/** Characters as the server counts them (code points, not UTF-16 units). */
export function charCount(text: string): number {
  return [...text].length;
}

/**
 * The next page of a newest-first list paged by id (`before`) appended to
 * what is shown, without repeating a row (one may have moved meanwhile).
 */
export function appendPage<T extends { id: string }>(shown: readonly T[], page: readonly T[]): T[] {
  const ids = new Set(shown.map((r) => r.id));
  return [...shown, ...page.filter((r) => !ids.has(r.id))];
}

/** The `before` cursor for the page after `rows`: the smallest id shown. */
export function beforeCursor(rows: readonly { id: string }[]): string | null {
  let min: number | null = null;
  for (const r of rows) {
    const n = Number(r.id);
    if (Number.isFinite(n) && (min === null || n < min)) min = n;
  }
  return min === null ? null : String(min);
}

/** When a job last moved: finished, else started, else queued. */
export function jobTime(job: { finishedAt?: string | null; startedAt?: string | null; createdAt: string }): string {
  return job.finishedAt ?? job.startedAt ?? job.createdAt;
}
