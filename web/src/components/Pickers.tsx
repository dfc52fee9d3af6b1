import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { DepartmentsQuery, UserQuery, UsersQuery } from '../api/documents';

type Id = string | number;

/** A person from the directory, searched as you type. Value: the user id. */
export function UserSelect(props: {
  value?: Id | null;
  onChange?: (v: string | undefined) => void;
  id?: string;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [list] = useQuery({ query: UsersQuery, variables: { search: search || null, first: 20 } });
  const value = props.value === null || props.value === undefined || props.value === '' ? undefined : String(props.value);
  const known = list.data?.users.nodes.some((u) => u.id === value);
  const [one] = useQuery({ query: UserQuery, variables: { id: value ?? '0' }, pause: !value || known });
  const options = useMemo(() => {
    const opts = (list.data?.users.nodes ?? []).map((u) => ({
      value: u.id,
      label: `${u.displayName} (${u.username})${u.department ? ' · ' + u.department.name : ''}`,
    }));
    const extra = one.data?.user;
    if (value && extra && !opts.some((o) => o.value === extra.id)) {
      opts.unshift({ value: extra.id, label: `${extra.displayName} (${extra.username})` });
    }
    return opts;
  }, [list.data, one.data, value]);
  return (
    <Select
      id={props.id}
      aria-label={props['aria-label']}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      options={options}
      loading={list.fetching}
      allowClear={props.allowClear ?? true}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t('form.selectUser')}
      style={{ width: '100%' }}
      notFoundContent={list.fetching ? t('app.loading') : t('app.empty')}
    />
  );
}

interface DeptNode {
  id: string;
  name: string;
  parent?: { id: string } | null;
}

export function deptTree<T extends DeptNode>(depts: readonly T[]) {
  type Node = { value: string; title: string; key: string; children: Node[]; dept: T };
  const nodes = new Map<string, Node>(depts.map((d) => [d.id, { value: d.id, key: d.id, title: d.name, children: [], dept: d }]));
  const roots: Node[] = [];
  for (const d of depts) {
    const n = nodes.get(d.id)!;
    const parent = d.parent ? nodes.get(d.parent.id) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

/** Departments as "top / middle / leaf" paths, in tree order. */
export function deptPaths<T extends DeptNode>(depts: readonly T[]): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (nodes: ReturnType<typeof deptTree<T>>, prefix: string) => {
    for (const n of nodes) {
      const label = prefix ? `${prefix} / ${n.title}` : n.title;
      out.push({ value: n.value, label });
      walk(n.children, label);
    }
  };
  walk(deptTree(depts), '');
  return out;
}

/** A department of the tree, shown with its path. Value: the department id. */
export function DeptSelect(props: {
  value?: Id | null;
  onChange?: (v: string | undefined) => void;
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [res] = useQuery({ query: DepartmentsQuery, variables: {} });
  const options = useMemo(() => deptPaths(res.data?.departments.nodes ?? []), [res.data]);
  const value = props.value === null || props.value === undefined || props.value === '' ? undefined : String(props.value);
  return (
    <Select
      id={props.id}
      value={value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear={props.allowClear ?? true}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t('form.selectDept')}
      style={{ width: '100%' }}
      loading={res.fetching}
    />
  );
}
