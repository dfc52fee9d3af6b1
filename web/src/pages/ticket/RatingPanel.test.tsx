import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { Provider, type Client } from 'urql';
import { fromValue, never } from 'wonka';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import RatingPanel from './RatingPanel';
import { ToastProvider } from '../../components/ui';

type Answer = { data?: unknown; error?: { code: string; message: string } };

/** A client whose rateTicket answers `answers` in turn; records the variables sent. */
function fakeClient(answers: Answer[]) {
  const sent: Record<string, unknown>[] = [];
  const client = {
    executeQuery: () => never,
    executeSubscription: () => never,
    executeMutation: (op: { query: DocumentNode; variables: Record<string, unknown> }) => {
      const name = (op.query.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode).name!.value;
      expect(name).toBe('RateTicket');
      sent.push(op.variables);
      const a = answers[sent.length - 1] ?? answers[answers.length - 1];
      if (a.error) {
        const error = {
          name: 'CombinedError',
          message: a.error.message,
          graphQLErrors: [{ message: a.error.message, extensions: { code: a.error.code } }],
          networkError: undefined,
        };
        return fromValue({ operation: op, data: undefined, error });
      }
      return fromValue({ operation: op, data: a.data });
    },
  };
  return { client: client as unknown as Client, sent };
}

function renderPanel(client: Client, props: Partial<Parameters<typeof RatingPanel>[0]> = {}) {
  const onRated = vi.fn();
  render(
    <Provider value={client}>
      <ToastProvider>
        <RatingPanel ticketId="7" rating={null} canRate applicantName="Alice" onRated={onRated} {...props} />
      </ToastProvider>
    </Provider>,
  );
  return { onRated };
}

const payload = { rateTicket: { replayed: false, clientMutationId: 'x', ticket: { id: '7', number: 'N', status: 'DONE', result: 'APPROVED', round: 1, updatedAt: '' } } };

const stars = () => screen.getByTestId('rating-input').querySelectorAll('.ant-rate-star > div');

describe('RatingPanel', () => {
  it('sends the stars, the trimmed comment and one clientMutationId per rating', async () => {
    const { client, sent } = fakeClient([{ data: payload }]);
    const { onRated } = renderPanel(client);
    const submit = screen.getByTestId('rating-submit');
    expect(submit).toBeDisabled();
    fireEvent.click(stars()[3]);
    expect(submit).not.toBeDisabled();
    fireEvent.change(screen.getByLabelText('评价内容（可选）'), { target: { value: '  很快  ' } });
    await act(async () => {
      fireEvent.click(submit);
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ ticketId: '7', score: 4, comment: '很快' });
    expect(String(sent[0].clientMutationId)).toMatch(/\S{8,}/);
    expect(onRated).toHaveBeenCalledTimes(1);
  });

  it('shows the server error with its code, and keeps the id for a retry of the same rating', async () => {
    const { client, sent } = fakeClient([{ error: { code: 'unavailable', message: 'try later' } }, { error: { code: 'already_rated', message: 'rated' } }]);
    const { onRated } = renderPanel(client);
    fireEvent.click(stars()[4]);
    await act(async () => {
      fireEvent.click(screen.getByTestId('rating-submit'));
    });
    expect(screen.getByTestId('rating-error')).toHaveAttribute('data-code', 'unavailable');
    expect(screen.getByTestId('rating-error')).toHaveTextContent('服务暂不可用');
    expect(onRated).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByTestId('rating-submit'));
    });
    expect(sent).toHaveLength(2);
    expect(sent[1].clientMutationId).toBe(sent[0].clientMutationId);
    expect(sent[1]).toMatchObject({ score: 5, comment: null });
    const error = screen.getByTestId('rating-error');
    expect(error).toHaveAttribute('data-code', 'already_rated');
    expect(error).toHaveTextContent('这张工单已经评价过了');
    expect(error).toHaveTextContent('already_rated');
    // rated meanwhile: the page reloads to show the rating that stands
    expect(onRated).toHaveBeenCalledTimes(1);
  });

  it('shows a rating to everyone, and nothing to others before one', () => {
    const { client } = fakeClient([{ data: payload }]);
    renderPanel(client, { rating: { score: 2, comment: '慢', ratedAt: '2026-12-04T10:00:00Z' }, canRate: false });
    expect(screen.getByTestId('rating-stars')).toHaveAttribute('data-score', '2');
    expect(screen.getByTestId('rating-comment')).toHaveTextContent('慢');
    expect(screen.queryByTestId('rating-submit')).toBeNull();
  });

  it('renders nothing for a viewer who may not rate an unrated ticket', () => {
    const { client } = fakeClient([{ data: payload }]);
    renderPanel(client, { canRate: false });
    expect(screen.queryByTestId('rating-form')).toBeNull();
    expect(screen.queryByTestId('rating')).toBeNull();
  });
});
