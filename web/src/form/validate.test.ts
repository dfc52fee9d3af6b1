import { describe, expect, it } from 'vitest';
import { parseDecimal, toFixed } from './decimal';
import { validateField, validateForm, type FieldDef } from './validate';

const f = (key: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({
  key,
  label: key.toUpperCase(),
  type,
  required: false,
  options: [],
  ...extra,
});

// The same schema as the server's form_input tests.
const schema: FieldDef[] = [
  f('title', 'TEXT', { required: true, min: 2, max: 10 }),
  f('note', 'TEXTAREA'),
  f('amount', 'MONEY', { min: 0, max: 50000 }),
  f('days', 'NUMBER', { min: 0.5 }),
  f('start', 'DATE'),
  f('at', 'DATETIME'),
  f('kind', 'SELECT', { options: ['annual', 'sick'] }),
  f('tags', 'MULTISELECT', { options: ['a', 'b', 'c'], max: 2 }),
  f('approver', 'USER'),
  f('dept', 'DEPARTMENT'),
  f('urgent', 'BOOLEAN'),
];

function oneError(key: string, value: unknown): string {
  const r = validateForm(schema, { title: 'Trip', [key]: value });
  const keys = Object.keys(r.errors);
  expect(keys).toEqual([key]);
  return r.errors[key].code;
}

describe('validateForm mirrors the server', () => {
  it('normalizes a full form', () => {
    const r = validateForm(schema, {
      title: 'Trip', note: '  ', amount: '12000.5', days: 3, start: '2026-03-31',
      at: '2026-03-31T09:00:00+08:00', kind: 'sick', tags: ['a', 'c'], approver: 7, dept: '12', urgent: false,
    });
    expect(r.ok).toBe(true);
    expect(r.form.amount).toBe('12000.50');
    expect(r.form.at).toBe('2026-03-31T01:00:00Z');
    expect(r.form.urgent).toBe(false);
    expect(r.form.dept).toBe(12);
    expect('note' in r.form).toBe(false);
    expect(Object.keys(r.form)).toHaveLength(10);
  });

  it('reports every missing required field at once', () => {
    const r = validateForm([f('a', 'TEXT', { required: true }), f('b', 'NUMBER', { required: true }), f('c', 'MULTISELECT', { required: true, options: ['x'] })], { a: ' ', c: [] });
    expect(Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.code]))).toEqual({ a: 'required', b: 'required', c: 'required' });
  });

  it('money: two decimals, numbers or strings, bounds', () => {
    const ok = (v: unknown) => validateForm(schema, { title: 'Trip', amount: v }).form.amount;
    expect(ok(12000)).toBe('12000.00');
    expect(ok(0.1)).toBe('0.10');
    expect(ok('49999.99')).toBe('49999.99');
    expect(oneError('amount', '12.345')).toBe('too_precise');
    expect(oneError('amount', 'abc')).toBe('wrong_type');
    expect(oneError('amount', true)).toBe('wrong_type');
    expect(oneError('amount', '-1')).toBe('too_small');
    expect(oneError('amount', '50000.01')).toBe('too_large');
    expect(oneError('amount', '1e5')).toBe('wrong_type');
    expect(oneError('amount', '12.')).toBe('wrong_type');
  });

  it('rejects the wrong shape for every type', () => {
    expect(oneError('note', 5)).toBe('wrong_type');
    expect(oneError('days', '3')).toBe('wrong_type');
    expect(oneError('start', '2026-02-30')).toBe('bad_date');
    expect(oneError('start', '2026-3-1')).toBe('bad_date');
    expect(oneError('at', '2026-03-31 09:00')).toBe('bad_datetime');
    expect(oneError('kind', 'unpaid')).toBe('not_an_option');
    expect(oneError('tags', ['a', 'a'])).toBe('duplicate_option');
    expect(oneError('tags', ['a', 'b', 'c'])).toBe('too_many');
    expect(oneError('tags', 'a')).toBe('wrong_type');
    expect(oneError('approver', 0)).toBe('wrong_type');
    expect(oneError('approver', 'bob')).toBe('wrong_type');
    expect(oneError('dept', -3)).toBe('wrong_type');
    expect(oneError('urgent', 'yes')).toBe('wrong_type');
  });

  it('text length counts characters, not UTF-16 units', () => {
    expect(oneError('title', 'x')).toBe('too_short');
    expect(oneError('title', '12345678901')).toBe('too_long');
    expect(validateField(schema[0], '😀😀😀😀😀')).toBeNull();
    expect(validateField(schema[0], '请假')).toBeNull();
  });

  it('number bounds use exact decimals', () => {
    expect(oneError('days', 0.4)).toBe('too_small');
    expect(validateField(schema[3], 0.5)).toBeNull();
    expect(validateField(f('n', 'NUMBER', { max: 0.3 }), 0.1 + 0.2)).toEqual({ code: 'too_large', params: { label: 'N', max: '0.3' } });
  });

  it('multiselect min counts choices', () => {
    expect(validateField(f('m', 'MULTISELECT', { options: ['a', 'b'], min: 2 }), ['a'])?.code).toBe('too_few');
  });
});

describe('decimal', () => {
  it('parses like the server', () => {
    expect(parseDecimal('12000.5')).toEqual({ ok: true, value: 12000_500000000000000000n });
    expect(parseDecimal('1e3')).toEqual({ ok: false, error: 'syntax' });
    expect(parseDecimal('1e3', true)).toEqual({ ok: true, value: 1000n * 10n ** 18n });
    expect(parseDecimal('0.0000000000000000001')).toEqual({ ok: false, error: 'too_precise' });
    expect(parseDecimal('1' + '0'.repeat(40))).toEqual({ ok: false, error: 'out_of_range' });
    expect(parseDecimal('.5')).toEqual({ ok: false, error: 'syntax' });
    const v = parseDecimal('-3.1');
    expect(v.ok && toFixed(v.value, 2)).toBe('-3.10');
  });
});
