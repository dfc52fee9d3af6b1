import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { PagerButtons, usePager } from './Pager';

function Harness({ k, endCursor, hasNextPage = true }: { k: string; endCursor: string | null; hasNextPage?: boolean }) {
  const pager = usePager(k);
  return (
    <>
      <span data-testid="after">{String(pager.after)}</span>
      <PagerButtons pager={pager} pageInfo={{ hasNextPage, endCursor }} testId="pager" />
    </>
  );
}

const prev = () => screen.getByRole('button', { name: /上\s*一\s*页/ });
const next = () => screen.getByRole('button', { name: /下\s*一\s*页/ });
const after = () => screen.getByTestId('after').textContent;

describe('usePager (newest-first lists)', () => {
  it('starts without a cursor, follows endCursor forward and goes back page by page', () => {
    const { rerender } = render(<Harness k="a" endCursor="c1" />);
    expect(after()).toBe('null');
    expect(prev()).toBeDisabled();
    fireEvent.click(next());
    expect(after()).toBe('c1');
    expect(screen.getByTestId('pager-page')).toHaveTextContent('第 2 页');
    rerender(<Harness k="a" endCursor="c2" />);
    fireEvent.click(next());
    expect(after()).toBe('c2');
    fireEvent.click(prev());
    expect(after()).toBe('c1');
    fireEvent.click(prev());
    // page 1 is the cursor-less query again, so it shows what arrived since
    expect(after()).toBe('null');
    expect(prev()).toBeDisabled();
  });

  it('has no Next on the last page', () => {
    render(<Harness k="a" endCursor="c9" hasNextPage={false} />);
    expect(next()).toBeDisabled();
  });

  it('goes back to page 1 when the filters change, and stays there when they change back', () => {
    const { rerender } = render(<Harness k="status=DONE" endCursor="c1" />);
    fireEvent.click(next());
    expect(after()).toBe('c1');
    rerender(<Harness k="" endCursor="c5" />);
    expect(after()).toBe('null');
    expect(prev()).toBeDisabled();
    rerender(<Harness k="status=DONE" endCursor="c1" />);
    expect(after()).toBe('null');
  });
});
