// The template designer's model: the server's form and chain JSON as an
// editable form, and the server's validation errors placed on their rows.
import type { FieldProblem } from '../../api/errors';

export const FIELD_TYPES = ['text', 'textarea', 'number', 'money', 'date', 'datetime', 'select', 'multiselect', 'user', 'department', 'boolean'] as const;
export type DesignerFieldType = (typeof FIELD_TYPES)[number];
export const RULE_TYPES = ['department_head', 'manager', 'users', 'role', 'form_field'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface DField {
  key: string;
  label: string;
  type: DesignerFieldType;
  required?: boolean;
  options?: string[];
  min?: number | null;
  max?: number | null;
  help?: string | null;
}

export interface DRule {
  type: RuleType;
  ids?: string[];
  code?: string;
  levels_up?: number;
  key?: string;
}

export interface DStep {
  name: string;
  kind: 'approve' | 'confirm';
  mode: 'any' | 'all';
  approvers: DRule[];
  condition?: string | null;
  sla_minutes?: number | null;
  on_sla?: 'remind' | 'escalate' | 'alarm_admins';
}

export interface DesignerValues {
  code: string;
  name: string;
  category: string;
  description?: string;
  fields: DField[];
  steps: DStep[];
  on_return: 'restart_chain' | 'back_to_returning_step';
  self_approval: 'skip' | 'pass_up';
  automations: string;
}

export function emptyDesigner(): DesignerValues {
  return {
    code: '',
    name: '',
    category: '',
    description: '',
    fields: [{ key: 'reason', label: '事由 Reason', type: 'textarea', required: true }],
    steps: [{ name: '部门负责人 Head of department', kind: 'approve', mode: 'any', approvers: [{ type: 'department_head', levels_up: 0 }], on_sla: 'remind' }],
    on_return: 'restart_chain',
    self_approval: 'skip',
    automations: '[]',
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A saved version's JSON as designer values. */
export function fromTemplate(t: {
  code: string;
  name: string;
  category: string;
  description: string;
  current?: { formSchema: unknown; chain: unknown; automations: unknown } | null;
}): DesignerValues {
  const form = (t.current?.formSchema ?? { fields: [] }) as { fields?: Record<string, unknown>[] };
  const chain = (t.current?.chain ?? { steps: [] }) as { steps?: Record<string, unknown>[]; on_return?: string; self_approval?: string };
  return {
    code: t.code,
    name: t.name,
    category: t.category,
    description: t.description,
    fields: (form.fields ?? []).map((f) => ({
      key: String(f.key ?? ''),
      label: String(f.label ?? ''),
      type: (f.type as DesignerFieldType) ?? 'text',
      required: !!f.required,
      options: (f.options as string[] | undefined) ?? [],
      min: num(f.min),
      max: num(f.max),
      help: (f.help as string | undefined) ?? null,
    })),
    steps: (chain.steps ?? []).map((s) => ({
      name: String(s.name ?? ''),
      kind: (s.kind as DStep['kind']) ?? 'approve',
      mode: (s.mode as DStep['mode']) ?? 'any',
      approvers: ((s.approvers as Record<string, unknown>[] | undefined) ?? []).map((r) => ({
        type: r.type as RuleType,
        ids: Array.isArray(r.ids) ? (r.ids as unknown[]).map(String) : undefined,
        code: r.code as string | undefined,
        levels_up: num(r.levels_up) ?? undefined,
        key: r.key as string | undefined,
      })),
      condition: (s.condition as string | undefined) ?? null,
      sla_minutes: num(s.sla_minutes),
      on_sla: (s.on_sla as DStep['on_sla']) ?? 'remind',
    })),
    on_return: (chain.on_return as DesignerValues['on_return']) ?? 'restart_chain',
    self_approval: (chain.self_approval as DesignerValues['self_approval']) ?? 'skip',
    automations: JSON.stringify(t.current?.automations ?? [], null, 2),
  };
}

const HAS_OPTIONS = new Set(['select', 'multiselect']);
const HAS_BOUNDS = new Set(['text', 'textarea', 'number', 'money', 'multiselect']);

function rule(r: DRule): Record<string, unknown> {
  switch (r.type) {
    case 'users':
      return { type: 'users', ids: (r.ids ?? []).map((id) => (/^\d+$/.test(id) ? Number(id) : id)) };
    case 'role':
      return { type: 'role', code: r.code ?? '' };
    case 'department_head':
      return { type: 'department_head', levels_up: r.levels_up ?? 0 };
    case 'manager':
      return { type: 'manager' };
    case 'form_field':
      return { type: 'form_field', key: r.key ?? '' };
  }
}

/** The designer's values as the TemplateInput the server takes. */
export function toInput(v: DesignerValues): { input: Record<string, unknown>; automationsError: boolean } {
  let automations: unknown = [];
  let automationsError = false;
  try {
    automations = v.automations?.trim() ? JSON.parse(v.automations) : [];
  } catch {
    automationsError = true;
  }
  const fields = (v.fields ?? []).map((f) => {
    const out: Record<string, unknown> = { key: (f.key ?? '').trim(), label: (f.label ?? '').trim(), type: f.type, required: !!f.required };
    if (HAS_OPTIONS.has(f.type)) out.options = (f.options ?? []).map((o) => o.trim()).filter(Boolean);
    if (HAS_BOUNDS.has(f.type)) {
      if (num(f.min) !== null) out.min = f.min;
      if (num(f.max) !== null) out.max = f.max;
    }
    if (f.help?.trim()) out.help = f.help.trim();
    return out;
  });
  const steps = (v.steps ?? []).map((s) => {
    const out: Record<string, unknown> = { name: (s.name ?? '').trim(), kind: s.kind, mode: s.mode, approvers: (s.approvers ?? []).map(rule) };
    if (s.condition?.trim()) out.condition = s.condition.trim();
    if (s.sla_minutes !== null && s.sla_minutes !== undefined) out.sla_minutes = s.sla_minutes;
    if (s.on_sla) out.on_sla = s.on_sla;
    return out;
  });
  return {
    input: {
      code: (v.code ?? '').trim(),
      name: (v.name ?? '').trim(),
      category: (v.category ?? '').trim(),
      description: v.description?.trim() || null,
      form: { fields },
      chain: { steps, on_return: v.on_return, self_approval: v.self_approval },
      automations,
    },
    automationsError,
  };
}

export interface PlacedErrors {
  /** field row index → problems */
  fields: Record<number, FieldProblem[]>;
  /** step index → problems */
  steps: Record<number, FieldProblem[]>;
  /** top-level inputs: code, name, category, automations, form, chain */
  top: Record<string, FieldProblem[]>;
}

/**
 * Where each server error belongs: `form.fields[3]` and `form.<key>` on a
 * field row (every row with that key), `chain.steps[1]` on a step,
 * anything else at the top.
 */
export function placeErrors(problems: FieldProblem[], fields: readonly { key: string }[]): PlacedErrors {
  const out: PlacedErrors = { fields: {}, steps: {}, top: {} };
  const push = <K extends string | number>(m: Record<K, FieldProblem[]>, k: K, p: FieldProblem) => {
    (m[k] ??= []).push(p);
  };
  for (const p of problems) {
    let m = /^form\.fields\[(\d+)\]/.exec(p.field);
    if (m) {
      push(out.fields, Number(m[1]), p);
      continue;
    }
    m = /^chain\.steps\[(\d+)\]/.exec(p.field);
    if (m) {
      push(out.steps, Number(m[1]), p);
      continue;
    }
    m = /^form\.([a-z][a-z0-9_]*)$/.exec(p.field);
    if (m && m[1] !== 'fields') {
      const rows = fields.map((f, i) => (f.key?.trim() === m![1] ? i : -1)).filter((i) => i >= 0);
      if (rows.length) {
        for (const i of rows) push(out.fields, i, p);
        continue;
      }
    }
    push(out.top, p.field || 'form', p);
  }
  return out;
}
