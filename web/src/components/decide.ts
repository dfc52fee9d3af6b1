import { useMutation } from 'urql';
import {
  AddApproverMutation,
  ApproveMutation,
  ConfirmMutation,
  RejectMutation,
  ReturnMutation,
  TransferMutation,
} from '../api/documents';
import { apiProblem, type ApiProblem } from '../api/errors';
import type { ItemAction } from './ItemActions';

/** Runs decisions on approval items; each call has its own clientMutationId. */
export function useDecide() {
  const [, approve] = useMutation(ApproveMutation);
  const [, confirm] = useMutation(ConfirmMutation);
  const [, ret] = useMutation(ReturnMutation);
  const [, reject] = useMutation(RejectMutation);
  const [, transfer] = useMutation(TransferMutation);
  const [, add] = useMutation(AddApproverMutation);
  return async (
    action: ItemAction,
    itemId: string,
    input: { comment?: string; reason?: string; userId?: string },
    clientMutationId: string,
  ): Promise<ApiProblem | null> => {
    const comment = input.comment?.trim() || null;
    const base = { itemId, clientMutationId };
    const r =
      action === 'approve'
        ? await approve({ ...base, comment })
        : action === 'confirm'
          ? await confirm({ ...base, comment })
          : action === 'return'
            ? await ret({ ...base, reason: input.reason ?? '' })
            : action === 'reject'
              ? await reject({ ...base, reason: input.reason ?? '' })
              : action === 'transfer'
                ? await transfer({ ...base, toUserId: input.userId ?? '', comment })
                : await add({ ...base, userId: input.userId ?? '', comment });
    return r.error ? apiProblem(r.error) : null;
  };
}

