import { describe, expect, it } from 'vitest';
import { emptyDesigner, fromTemplate, placeErrors, toInput } from './designerModel';

describe('template designer model', () => {
  it('round-trips a demo template', () => {
    const current = {
      formSchema: { fields: [
        { key: 'amount', label: '金额', type: 'money', required: true, min: 0.01 },
        { key: 'category', label: '类别', type: 'select', required: true, options: ['travel', 'meals'] },
        { key: 'buyer', label: '采购人', type: 'user' },
      ] },
      chain: { on_return: 'restart_chain', self_approval: 'pass_up', steps: [
        { name: 'Manager', kind: 'approve', mode: 'any', approvers: [{ type: 'manager' }], sla_minutes: 1440 },
        { name: 'Finance', kind: 'approve', mode: 'all', approvers: [{ type: 'role', code: 'finance' }, { type: 'users', ids: [4] }, { type: 'form_field', key: 'buyer' }], condition: 'amount > 10000', on_sla: 'alarm_admins' },
      ] },
      automations: [],
    };
    const v = fromTemplate({ code: 'expense', name: '报销', category: '财务', description: '', current });
    const { input, automationsError } = toInput(v);
    expect(automationsError).toBe(false);
    expect(input.form).toEqual({ fields: [
      { key: 'amount', label: '金额', type: 'money', required: true, min: 0.01 },
      { key: 'category', label: '类别', type: 'select', required: true, options: ['travel', 'meals'] },
      { key: 'buyer', label: '采购人', type: 'user', required: false },
    ] });
    const chain = input.chain as { steps: Record<string, unknown>[]; on_return: string; self_approval: string };
    expect(chain.on_return).toBe('restart_chain');
    expect(chain.self_approval).toBe('pass_up');
    expect(chain.steps[0]).toEqual({ name: 'Manager', kind: 'approve', mode: 'any', approvers: [{ type: 'manager' }], sla_minutes: 1440, on_sla: 'remind' });
    expect(chain.steps[1].approvers).toEqual([{ type: 'role', code: 'finance' }, { type: 'users', ids: [4] }, { type: 'form_field', key: 'buyer' }]);
    expect(chain.steps[1].condition).toBe('amount > 10000');
  });

  it('drops options and bounds a type does not take, and flags bad automations JSON', () => {
    const v = emptyDesigner();
    v.fields = [{ key: 'day', label: 'Day', type: 'date', options: ['x'], min: 1 }];
    v.automations = '[{';
    const { input, automationsError } = toInput(v);
    expect((input.form as { fields: unknown[] }).fields[0]).toEqual({ key: 'day', label: 'Day', type: 'date', required: false });
    expect(automationsError).toBe(true);
  });

  it("places the server's errors on their rows", () => {
    const fields = [{ key: 'amount' }, { key: 'Bad' }, { key: 'amount' }];
    const placed = placeErrors(
      [
        { field: 'form.fields[1]', code: 'bad_key', message: '' },
        { field: 'form.amount', code: 'duplicate_key', message: '' },
        { field: 'chain.steps[0]', code: 'bad_condition', message: 'condition: unknown field (at character 0)' },
        { field: 'code', code: 'invalid_code', message: '' },
        { field: 'automations', code: 'invalid_automations', message: '' },
      ],
      fields,
    );
    expect(Object.keys(placed.fields).map(Number)).toEqual([0, 1, 2]);
    expect(placed.fields[1][0].code).toBe('bad_key');
    expect(placed.fields[2][0].code).toBe('duplicate_key');
    expect(placed.steps[0][0].code).toBe('bad_condition');
    expect(Object.keys(placed.top).sort()).toEqual(['automations', 'code']);
  });
});
