import dayjs from 'dayjs';

export function fmtTime(at: string | null | undefined): string {
  if (!at) return '—';
  return dayjs(at).format('YYYY-MM-DD HH:mm');
}

/** A time to the second, for logs such as deliveries. */
export function fmtSeconds(at: string | null | undefined): string {
  if (!at) return '—';
  return dayjs(at).format('YYYY-MM-DD HH:mm:ss');
}

export function isAdmin(roles: readonly string[] | undefined): boolean {
  return !!roles?.includes('admin');
}

export function isManager(roles: readonly string[] | undefined): boolean {
  return !!roles?.some((r) => r === 'admin' || r === 'manager');
}

export function statusColor(status: string, result?: string | null): string {
  if (status === 'DONE') return result === 'APPROVED' ? 'success' : result === 'REJECTED' ? 'error' : 'default';
  if (status === 'RETURNED') return 'warning';
  if (status === 'PROCESSING') return 'cyan';
  return 'processing';
}

export function itemColor(status: string): string {
  switch (status) {
    case 'APPROVED':
    case 'CONFIRMED':
      return 'success';
    case 'REJECTED':
      return 'error';
    case 'RETURNED':
      return 'warning';
    case 'PENDING':
      return 'processing';
    default:
      return 'default';
  }
}
