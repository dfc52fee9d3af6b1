import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { fromValue, never } from 'wonka';
import { FormRenderer, type FormRendererHandle } from './FormRenderer';
import type { FieldDef } from './validate';

const client = {
  executeQuery: () => fromValue({ data: { users: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }, departments: { nodes: [] } } }),
  executeMutation: () => never,
  executeSubscription: () => never,
} as never;

const fields: FieldDef[] = [
  { key: 'days', label: '天数', type: 'NUMBER', required: true, options: [], min: 0.5, max: 60 },
  { key: 'reason', label: '事由', type: 'TEXTAREA', required: true, options: [], max: 5 },
  { key: 'amount', label: '金额', type: 'MONEY', required: false, options: [] },
  { key: 'urgent', label: '加急', type: 'BOOLEAN', required: false, options: [] },
];

function setup(initial?: Record<string, unknown>) {
  const ref = createRef<FormRendererHandle>();
  render(
    <Provider value={client}>
      <FormRenderer ref={ref} fields={fields} initialValues={initial} />
    </Provider>,
  );
  return ref;
}

describe('FormRenderer', () => {
  it('renders every field with its label and shows client errors on their fields', async () => {
    const ref = setup();
    expect(screen.getByLabelText('天数')).toBeInTheDocument();
    expect(screen.getByLabelText('事由')).toBeInTheDocument();
    let result: unknown;
    await act(async () => {
      result = await ref.current!.collect();
    });
    expect(result).toBeNull();
    expect(await screen.findByText('天数为必填项')).toBeInTheDocument();
    expect(screen.getByText('事由为必填项')).toBeInTheDocument();
  });

  it('collects a normalized form', async () => {
    const ref = setup();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('天数'), '3');
    await user.type(screen.getByLabelText('事由'), '看病');
    await user.type(screen.getByLabelText('金额'), '12.5');
    let result: unknown;
    await act(async () => {
      result = await ref.current!.collect();
    });
    expect(result).toEqual({ days: 3, reason: '看病', amount: '12.50', urgent: false });
  });

  it('prefills and shows the server field errors', async () => {
    const ref = setup({ days: 2, reason: '家事' });
    expect(screen.getByLabelText('天数')).toHaveValue('2');
    act(() => ref.current!.showServerErrors({ days: [{ field: 'form.days', code: 'too_large', message: 'days must be at most 60' }] }));
    await waitFor(() => expect(screen.getByText('天数不能大于 60')).toBeInTheDocument());
  });

  it('limits text length like the server', async () => {
    const ref = setup({ days: 1, reason: '一二三四五六' });
    await act(async () => {
      await ref.current!.collect();
    });
    expect(await screen.findByText('事由最多 5 个字')).toBeInTheDocument();
  });
});
