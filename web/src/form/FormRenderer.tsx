import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef } from 'react';
import { Form, Input, InputNumber, Select, Switch } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { DeptSelect, UserSelect } from '../components/Pickers';
import { DateInput } from '../components/LazyDate';
import { validateField, validateForm, type FieldDef, type FormValues } from './validate';
import type { FieldProblem } from '../api/errors';

export interface FormRendererHandle {
  /** Validates like the server; returns the normalized form or null. */
  collect(): Promise<FormValues | null>;
  /** Marks the server's field errors on their fields. */
  showServerErrors(problems: Record<string, FieldProblem[]>): void;
  form: FormInstance;
}

interface Props {
  fields: readonly FieldDef[];
  initialValues?: FormValues;
  onValuesChange?: (all: FormValues) => void;
  disabled?: boolean;
  /** Extra form items rendered before the fields (e.g. the title). */
  before?: React.ReactNode;
  name?: string;
}

/** Initial value of a field with nothing filled in. */
function emptyValue(f: FieldDef): unknown {
  return f.type === 'BOOLEAN' ? false : undefined;
}

function FieldInput({ field, ...rest }: { field: FieldDef; id?: string; value?: unknown; onChange?: (v: unknown) => void }) {
  const { t } = useTranslation();
  const { value, onChange, id } = rest;
  switch (field.type) {
    case 'TEXT':
      return <Input id={id} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} showCount={field.max != null} />;
    case 'TEXTAREA':
      return (
        <Input.TextArea
          id={id}
          value={(value as string) ?? ''}
          onChange={(e) => onChange?.(e.target.value)}
          autoSize={{ minRows: 3, maxRows: 10 }}
          showCount={field.max != null}
        />
      );
    case 'NUMBER':
      return (
        <InputNumber
          id={id}
          value={value as number | undefined}
          onChange={(v) => onChange?.(v ?? undefined)}
          style={{ width: 200 }}
        />
      );
    case 'MONEY':
      return (
        <Input
          id={id}
          inputMode="decimal"
          value={(value as string) ?? ''}
          onChange={(e) => onChange?.(e.target.value)}
          onBlur={(e) => {
            // 12000.5 → 12000.50 when it is a plain amount
            const v = e.target.value.trim();
            if (/^\d+(\.\d)?$/.test(v)) onChange?.(Number(v).toFixed(2));
          }}
          prefix="¥"
          style={{ width: 240 }}
          placeholder="0.00"
        />
      );
    case 'DATE':
      return <DateInput id={id} value={value as string | undefined} onChange={onChange} />;
    case 'DATETIME':
      return <DateInput id={id} withTime value={value as string | undefined} onChange={onChange} />;
    case 'SELECT':
      return (
        <Select
          id={id}
          value={value as string | undefined}
          onChange={(v) => onChange?.(v)}
          options={field.options.map((o) => ({ value: o, label: o }))}
          placeholder={t('form.select')}
          allowClear
          style={{ maxWidth: 360 }}
        />
      );
    case 'MULTISELECT':
      return (
        <Select
          id={id}
          mode="multiple"
          value={(value as string[]) ?? []}
          onChange={(v) => onChange?.(v)}
          options={field.options.map((o) => ({ value: o, label: o }))}
          placeholder={t('form.select')}
          style={{ maxWidth: 480 }}
        />
      );
    case 'USER':
      return <UserSelect id={id} value={value as string | undefined} onChange={onChange} />;
    case 'DEPARTMENT':
      return <DeptSelect id={id} value={value as string | undefined} onChange={onChange} />;
    case 'BOOLEAN':
      return (
        <Switch
          id={id}
          checked={value === true}
          onChange={(v) => onChange?.(v)}
          checkedChildren={t('form.yes')}
          unCheckedChildren={t('form.no')}
        />
      );
  }
}

/** Renders a template's form with client validation that matches the server's. */
export const FormRenderer = forwardRef<FormRendererHandle, Props>(function FormRenderer(
  { fields, initialValues, onValuesChange, disabled, before, name = 'ticket' },
  ref,
) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  // Values are applied when the form first gets its fields (or they change
  // shape), never again on a refetch: what the user typed stays.
  const shape = fields.map((f) => `${f.key}:${f.type}`).join(',');
  const initial = useMemo(() => {
    const v: FormValues = {};
    for (const f of fields) v[f.key] = initialValues?.[f.key] ?? emptyValue(f);
    return { ...initialValues, ...v };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, initialValues === undefined]);
  const applied = useRef<string | null>(null);
  useEffect(() => {
    const key = `${shape}|${initialValues === undefined ? 'empty' : 'values'}`;
    if (applied.current === key) return;
    applied.current = key;
    form.setFieldsValue(initial);
  }, [form, initial, shape, initialValues]);
  useImperativeHandle(
    ref,
    () => ({
      form,
      async collect() {
        const values = form.getFieldsValue(true) as FormValues;
        const result = validateForm(fields, values);
        // Let antd show each problem on its field.
        await form.validateFields(fields.map((f) => f.key)).catch(() => null);
        if (!result.ok) return null;
        return result.form;
      },
      showServerErrors(problems) {
        form.setFields(
          Object.entries(problems)
            .filter(([key]) => fields.some((f) => f.key === key))
            .map(([key, list]) => ({
              name: key,
              errors: list.map((p) => {
                const f = fields.find((x) => x.key === key)!;
                return t(`v.${p.code}`, { label: f.label, min: f.min, max: f.max, defaultValue: '' }) || t(`errors.${p.code}`, { defaultValue: p.message });
              }),
            })),
        );
      },
    }),
    [form, fields, t],
  );
  return (
    <Form
      form={form}
      name={name}
      layout="vertical"
      initialValues={initial}
      disabled={disabled}
      onValuesChange={(_, all) => onValuesChange?.(all as FormValues)}
      scrollToFirstError
    >
      {before}
      {fields.map((f) => (
        <Form.Item
          key={f.key}
          name={f.key}
          label={f.label}
          required={f.required}
          extra={f.help || undefined}
          data-field={f.key}
          rules={[
            {
              validator: async (_, value) => {
                const issue = validateField(f, value);
                if (issue) throw new Error(t(`v.${issue.code}`, issue.params));
              },
            },
          ]}
        >
          <FieldInput field={f} />
        </Form.Item>
      ))}
    </Form>
  );
});
