import { Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { DepartmentsQuery, TemplateFieldsQuery, UserQuery } from '../api/documents';
import type { FieldDef } from '../form/validate';
import { fmtTime } from '../util';

export function UserName({ id }: { id: string | number }) {
  const [res] = useQuery({ query: UserQuery, variables: { id: String(id) } });
  return <>{res.data?.user?.displayName ?? `#${id}`}</>;
}

export function DeptName({ id }: { id: string | number }) {
  const [res] = useQuery({ query: DepartmentsQuery, variables: {} });
  return <>{res.data?.departments.nodes.find((d) => d.id === String(id))?.name ?? `#${id}`}</>;
}

export function FieldValue({ field, value }: { field: FieldDef; value: unknown }) {
  const { t } = useTranslation();
  if (value === undefined || value === null || value === '') return <span className="muted">—</span>;
  switch (field.type) {
    case 'BOOLEAN':
      return <>{value ? t('form.yes') : t('form.no')}</>;
    case 'MONEY':
      return <>¥ {String(value)}</>;
    case 'DATETIME':
      return <>{fmtTime(String(value))}</>;
    case 'MULTISELECT':
      return <>{(value as string[]).map((v) => <Tag key={v}>{v}</Tag>)}</>;
    case 'USER':
      return <UserName id={value as string} />;
    case 'DEPARTMENT':
      return <DeptName id={value as string} />;
    case 'TEXTAREA':
      return <span style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</span>;
    default:
      return <>{String(value)}</>;
  }
}

/** A filed form, labelled with the fields of the version it was filed under. */
export function FormView({
  ticketForm,
  templateCode,
  version,
  column = 1,
}: {
  ticketForm: unknown;
  templateCode: string;
  version: number;
  column?: number;
}) {
  const [res] = useQuery({ query: TemplateFieldsQuery, variables: { code: templateCode } });
  const form = (ticketForm ?? {}) as Record<string, unknown>;
  const fields = (res.data?.template?.versions.find((v) => v.version === version)?.fields ?? []) as FieldDef[];
  const known = new Set(fields.map((f) => f.key));
  return (
    <Descriptions column={column} size="small" bordered data-testid="form-view">
      {fields.map((f) => (
        <Descriptions.Item key={f.key} label={f.label}>
          <FieldValue field={f} value={form[f.key]} />
        </Descriptions.Item>
      ))}
      {Object.keys(form)
        .filter((k) => !known.has(k) && !res.fetching)
        .map((k) => (
          <Descriptions.Item key={k} label={k}>
            {JSON.stringify(form[k])}
          </Descriptions.Item>
        ))}
    </Descriptions>
  );
}
