import type { CombinedError } from '@urql/core';
import type { TFunction } from 'i18next';

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface ApiProblem {
  code: string;
  message: string;
  fields: FieldProblem[];
}

interface RawError {
  message?: string;
  extensions?: { code?: string; fields?: FieldProblem[] } | null;
}

/** The first server error of a failed operation, with its field errors. */
export function apiProblem(error: CombinedError | RawError[] | null | undefined): ApiProblem | null {
  if (!error) return null;
  if (Array.isArray(error)) {
    const e = error[0];
    if (!e) return null;
    return {
      code: e.extensions?.code ?? 'internal',
      message: e.message ?? '',
      fields: error.flatMap((x) => x.extensions?.fields ?? []),
    };
  }
  if (error.networkError && !error.graphQLErrors.length) {
    return { code: 'network', message: error.networkError.message, fields: [] };
  }
  const gql = error.graphQLErrors;
  if (!gql.length) return { code: 'internal', message: error.message, fields: [] };
  const first = gql[0];
  const ext = (first.extensions ?? {}) as { code?: string };
  return {
    code: ext.code ?? 'internal',
    message: first.message,
    fields: gql.flatMap((e) => ((e.extensions as { fields?: FieldProblem[] } | undefined)?.fields ?? [])),
  };
}

/** A translated message for an error code; falls back to the server's text. */
export function errorText(t: TFunction, problem: ApiProblem | null): string {
  if (!problem) return '';
  const key = `errors.${problem.code}`;
  const text = t(key, { defaultValue: '' });
  return text || problem.message || t('errors.internal');
}

/** A translated message for one field problem. */
export function fieldErrorText(t: TFunction, p: { code: string; message?: string }, params: Record<string, unknown> = {}): string {
  const text = t(`errors.${p.code}`, { defaultValue: '', ...params });
  return text || p.message || p.code;
}

/**
 * Field errors keyed by the form field they belong to. The server names
 * form fields `form.<key>` (submit) or `<key>`; template fields
 * `form.fields[3]`, chain steps `chain.steps[1].condition`, …
 */
export function fieldErrorsByKey(fields: FieldProblem[], prefix = 'form.'): Record<string, FieldProblem[]> {
  const out: Record<string, FieldProblem[]> = {};
  for (const f of fields) {
    const key = f.field.startsWith(prefix) ? f.field.slice(prefix.length) : f.field;
    (out[key] ??= []).push(f);
  }
  return out;
}

/** Every error code the server documents (README "Errors") or the UI met, plus client ones. */
export const ERROR_CODES = [
  'unauthenticated', 'invalid_credentials', 'invalid_token', 'token_expired', 'invalid_refresh_token',
  'refresh_token_reused', 'refresh_token_expired', 'forbidden', 'not_found', 'invalid_input', 'invalid_id',
  'invalid_reference', 'already_exists', 'already_revoked', 'invalid_username', 'invalid_name', 'invalid_email',
  'invalid_phone', 'invalid_wecom_user_id', 'invalid_code', 'weak_password', 'wrong_password', 'department_cycle',
  'manager_cycle', 'department_in_use', 'parent_inactive', 'cannot_deactivate_self', 'proxy_to_self',
  'proxy_overlap', 'invalid_window', 'invalid_paging', 'page_too_large', 'invalid_cursor', 'invalid_json',
  'invalid_query', 'query_too_deep', 'query_too_complex', 'payload_too_large', 'batch_too_large', 'unavailable',
  'internal', 'conflict', 'not_an_approver', 'not_applicant', 'wrong_action_for_step', 'reason_required',
  'not_returned', 'not_processing', 'not_in_approval', 'invalid_transfer', 'invalid_approver', 'already_assigned',
  'template_inactive', 'no_approver', 'invalid_title', 'invalid_comment', 'client_mutation_id_reused',
  'invalid_client_mutation_id', 'rate_limited', 'cannot_deactivate_signoff',
  // form
  'required', 'wrong_type', 'not_an_option', 'too_small', 'too_large', 'too_long', 'too_short', 'too_few',
  'too_many', 'too_precise', 'out_of_range', 'bad_date', 'bad_datetime', 'duplicate_option', 'unknown_field',
  'not_an_object',
  // template
  'invalid_form', 'invalid_chain', 'bad_condition', 'no_approvers', 'not_a_user_field', 'bad_key', 'empty_key',
  'reserved_key', 'duplicate_key', 'empty_label', 'missing_options', 'options_not_allowed', 'bounds_not_allowed',
  'bad_bounds',
  // sessions and realtime
  'account_deactivated', 'duplicate_mutation', 'session_ended', 'access_changed', 'invalid_sign', 'stale_timestamp',
  'slow_consumer', 'replayed', 'no_target', 'invalid_signature', 'flooding',
  // notifications
  'invalid_language', 'invalid_muted', 'invalid_webhook_key', 'no_address', 'invalid_channel',
  'invalid_smtp_url', 'invalid_mail_from', 'invalid_aes_key', 'invalid_agent_id',
  // automations and ratings (texts in src/i18n/automation.ts, loaded with the screens that meet them)
  'already_rated', 'not_done', 'invalid_score', 'job_not_failed', 'job_not_skippable', 'job_finished', 'job_closed',
  'lease_lost', 'job_timed_out', 'invalid_kinds', 'invalid_max', 'invalid_lease', 'invalid_error', 'output_too_large',
  // reports (texts in src/i18n/reports.ts, loaded with the reports screen)
  'outside_your_departments', 'invalid_period', 'invalid_date', 'invalid_time_zone', 'invalid_group',
  // client (download_incomplete: a CSV export that broke off, text in src/i18n/reports.ts)
  'network', 'download_incomplete',
] as const;
