import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { fromValue, never } from 'wonka';
import { FormRenderer, type FormRendererHandle } from './FormRenderer';
import type { FieldDef } from './validate';

const client = { executeQuery: () => fromValue({ data: {} }), executeMutation: () => never, executeSubscription: () => never } as never;
const make = (): FieldDef[] => [{ key: 'reason', label: '事由', type: 'TEXT', required: true, options: [] }];

describe('FormRenderer keeps typed values', () => {
  it('when the same fields arrive again (a refetch)', async () => {
    const ref = createRef<FormRendererHandle>();
    const { rerender } = render(
      <Provider value={client}>
        <FormRenderer ref={ref} fields={make()} initialValues={{ reason: '草稿' }} />
      </Provider>,
    );
    const input = screen.getByLabelText('事由');
    expect(input).toHaveValue('草稿');
    await userEvent.setup().type(input, '再加点');
    rerender(
      <Provider value={client}>
        <FormRenderer ref={ref} fields={make()} initialValues={{ reason: '草稿' }} />
      </Provider>,
    );
    expect(screen.getByLabelText('事由')).toHaveValue('草稿再加点');
  });
});
