// Cursor paging for the lists the server gives newest first (myTickets,
// handledItems). Page 1 asks for `first` items without a cursor, so it
// always starts at the newest and a refetch after a live event shows what
// just arrived. Next follows `endCursor`; Previous goes back to the cursor
// the page before started from (a stack), so it shows exactly that page
// again rather than "the N items before this one".
import { useState } from 'react';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export interface Pager {
  /** The `after` variable of the current page (null on page 1). */
  after: string | null;
  /** 1-based. */
  page: number;
  next(endCursor: string | null | undefined): void;
  prev(): void;
}

/** Paging state; back to page 1 whenever `resetKey` changes (filters, search). */
export function usePager(resetKey: string): Pager {
  const [state, setState] = useState<{ key: string; stack: string[] }>({ key: resetKey, stack: [] });
  let stack = state.stack;
  if (state.key !== resetKey) {
    // adjust during render (no effect, no extra fetch of the stale page)
    stack = [];
    setState({ key: resetKey, stack });
  }
  return {
    after: stack.length ? stack[stack.length - 1] : null,
    page: stack.length + 1,
    next: (endCursor) => {
      if (endCursor) setState({ key: resetKey, stack: [...stack, endCursor] });
    },
    prev: () => setState({ key: resetKey, stack: stack.slice(0, -1) }),
  };
}

export function PagerButtons({
  pager,
  pageInfo,
  testId,
}: {
  pager: Pager;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Space style={{ justifyContent: 'flex-end', width: '100%' }} data-testid={testId}>
      {pager.page > 1 && (
        <span className="muted" data-testid={testId && `${testId}-page`}>
          {t('tickets.page', { page: pager.page })}
        </span>
      )}
      <Button disabled={pager.page === 1} onClick={pager.prev}>
        {t('tickets.prev')}
      </Button>
      <Button disabled={!pageInfo?.hasNextPage || !pageInfo.endCursor} onClick={() => pager.next(pageInfo?.endCursor)}>
        {t('tickets.next')}
      </Button>
    </Space>
  );
}
