// Client-side form validation, the same rules and codes as the server's
// `FormSchema::validate` (src/domain/workflow/form_input.rs), so a form the
// client accepts is one the server accepts, and errors read the same.
import { decimalPlaces, fromNumber, parseDecimal, toFixed, type DecimalError } from './decimal';

export type FieldType =
  | 'TEXT' | 'TEXTAREA' | 'NUMBER' | 'MONEY' | 'DATE' | 'DATETIME'
  | 'SELECT' | 'MULTISELECT' | 'USER' | 'DEPARTMENT' | 'BOOLEAN';

export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options: readonly string[];
  min?: number | null;
  max?: number | null;
  help?: string | null;
}

export interface FieldIssue {
  code: string;
  /** Interpolation values for the translated message. */
  params: { label: string; min?: number | string; max?: number | string };
}

export type FormValues = Record<string, unknown>;

export interface ValidationResult {
  ok: boolean;
  errors: Record<string, FieldIssue>;
  /** The form as the server will store it (blank optionals left out). */
  form: FormValues;
}

export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function decimalIssue(error: DecimalError): string {
  return error === 'syntax' ? 'wrong_type' : error;
}

/** Shortest spelling of a bound, as the server prints it in messages. */
function fmtBound(n: number): string {
  return String(n);
}

function checkRange(f: FieldDef, value: bigint): FieldIssue | null {
  const bound = (b: number | null | undefined) => {
    if (b === null || b === undefined) return null;
    const d = fromNumber(b);
    return d.ok ? d.value : null;
  };
  const min = bound(f.min);
  if (min !== null && value < min) return { code: 'too_small', params: { label: f.label, min: fmtBound(f.min!) } };
  const max = bound(f.max);
  if (max !== null && value > max) return { code: 'too_large', params: { label: f.label, max: fmtBound(f.max!) } };
  return null;
}

function checkSize(f: FieldDef, size: number, counting: boolean): FieldIssue | null {
  if (f.min !== null && f.min !== undefined && size < f.min) {
    return { code: counting ? 'too_few' : 'too_short', params: { label: f.label, min: f.min } };
  }
  if (f.max !== null && f.max !== undefined && size > f.max) {
    return { code: counting ? 'too_many' : 'too_long', params: { label: f.label, max: f.max } };
  }
  return null;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function isValidDate(text: string): boolean {
  if (text.length !== 10 || !DATE_RE.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function isValidDateTime(text: string): boolean {
  const m = RFC3339_RE.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m;
  if (!isValidDate(`${y}-${mo}-${d}`)) return false;
  return Number(h) < 24 && Number(mi) < 60 && Number(s) < 61;
}

/** Characters as Rust counts them (Unicode scalar values). */
function charCount(s: string): number {
  return [...s].length;
}

/** Checks one non-blank value; returns its normalized form or an issue. */
export function checkValue(f: FieldDef, value: unknown): { value: unknown } | { issue: FieldIssue } {
  const wrong = { issue: { code: 'wrong_type', params: { label: f.label } } };
  const issue = (i: FieldIssue | null, v: unknown) => (i ? { issue: i } : { value: v });
  switch (f.type) {
    case 'TEXT':
    case 'TEXTAREA':
      if (typeof value !== 'string') return wrong;
      return issue(checkSize(f, charCount(value), false), value);
    case 'NUMBER': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrong;
      const d = fromNumber(value);
      if (!d.ok) return { issue: { code: decimalIssue(d.error), params: { label: f.label } } };
      return issue(checkRange(f, d.value), value);
    }
    case 'MONEY': {
      let d;
      if (typeof value === 'string') d = parseDecimal(value.trim());
      else if (typeof value === 'number' && Number.isFinite(value)) d = fromNumber(value);
      else return wrong;
      if (!d.ok) return { issue: { code: decimalIssue(d.error), params: { label: f.label } } };
      if (decimalPlaces(d.value) > 2) return { issue: { code: 'too_precise', params: { label: f.label } } };
      return issue(checkRange(f, d.value), toFixed(d.value, 2));
    }
    case 'DATE':
      if (typeof value !== 'string') return wrong;
      return isValidDate(value) ? { value } : { issue: { code: 'bad_date', params: { label: f.label } } };
    case 'DATETIME':
      if (typeof value !== 'string') return wrong;
      if (!isValidDateTime(value)) return { issue: { code: 'bad_datetime', params: { label: f.label } } };
      return { value: new Date(value).toISOString().replace('.000Z', 'Z') };
    case 'SELECT':
      if (typeof value !== 'string') return wrong;
      return f.options.includes(value) ? { value } : { issue: { code: 'not_an_option', params: { label: f.label } } };
    case 'MULTISELECT': {
      if (!Array.isArray(value)) return wrong;
      const chosen: string[] = [];
      for (const item of value) {
        if (typeof item !== 'string') return wrong;
        if (!f.options.includes(item)) return { issue: { code: 'not_an_option', params: { label: f.label } } };
        if (chosen.includes(item)) return { issue: { code: 'duplicate_option', params: { label: f.label } } };
        chosen.push(item);
      }
      return issue(checkSize(f, chosen.length, true), value);
    }
    case 'USER':
    case 'DEPARTMENT': {
      let id: number | null = null;
      if (typeof value === 'number' && Number.isSafeInteger(value)) id = value;
      else if (typeof value === 'string' && /^\d{1,19}$/.test(value)) id = Number(value);
      return id !== null && id > 0 ? { value: id } : wrong;
    }
    case 'BOOLEAN':
      return typeof value === 'boolean' ? { value } : wrong;
  }
}

/** Every problem of a filled-in form at once, like the server. */
export function validateForm(fields: readonly FieldDef[], values: FormValues): ValidationResult {
  const errors: Record<string, FieldIssue> = {};
  const form: FormValues = {};
  for (const f of fields) {
    const v = values[f.key];
    if (isBlank(v)) {
      if (f.required) errors[f.key] = { code: 'required', params: { label: f.label } };
      continue;
    }
    const r = checkValue(f, v);
    if ('issue' in r) errors[f.key] = r.issue;
    else form[f.key] = r.value;
  }
  return { ok: Object.keys(errors).length === 0, errors, form };
}

/** Validation of one field, for the form renderer's per-field rules. */
export function validateField(f: FieldDef, value: unknown): FieldIssue | null {
  if (isBlank(value)) return f.required ? { code: 'required', params: { label: f.label } } : null;
  const r = checkValue(f, value);
  return 'issue' in r ? r.issue : null;
}
