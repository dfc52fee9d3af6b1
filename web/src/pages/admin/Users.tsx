import { useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { RolesQuery, UsersQuery } from '../../api/documents';
import {
  CreateUserMutation,
  DeactivateUserMutation,
  ReactivateUserMutation,
  UpdateUserMutation,
} from '../../api/admin-documents';
import type { UsersQuery as UsersQueryType } from '../../gql/graphql';
import { DeptSelect, UserSelect } from '../../components/Pickers';
import { ErrorBlock } from '../../components/States';
import { useMutationFeedback } from './common';

type U = UsersQueryType['users']['nodes'][number];

export default function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [inactive, setInactive] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const [res, refetch] = useQuery({ query: UsersQuery, variables: { search: search || null, includeInactive: inactive, first: 20, after: cursor } });
  const [roles] = useQuery({ query: RolesQuery });
  const [editing, setEditing] = useState<U | 'new' | null>(null);
  const [, create] = useMutation(CreateUserMutation);
  const [, update] = useMutation(UpdateUserMutation);
  const [, deactivate] = useMutation(DeactivateUserMutation);
  const [, reactivate] = useMutation(ReactivateUserMutation);
  const [form] = Form.useForm();
  const feedback = useMutationFeedback();
  const [busy, setBusy] = useState(false);

  const open = (u: U | 'new') => {
    setEditing(u);
    form.resetFields();
    if (u !== 'new') {
      form.setFieldsValue({
        username: u.username, displayName: u.displayName, email: u.email, phone: u.phone, wecomUserId: u.wecomUserId,
        departmentId: u.department?.id, managerId: u.manager?.id, roles: u.roles,
      });
    } else form.setFieldsValue({ roles: ['staff'] });
  };
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    const blank = (x: unknown) => (x === '' || x === undefined ? null : x);
    try {
      const input = {
        displayName: v.displayName,
        email: blank(v.email),
        phone: blank(v.phone),
        wecomUserId: blank(v.wecomUserId),
        departmentId: blank(v.departmentId),
        managerId: blank(v.managerId),
        roles: v.roles,
        ...(v.password ? { password: v.password } : {}),
      };
      const r = editing === 'new'
        ? await create({ input: { ...input, username: v.username } as never })
        : await update({ input: { ...input, id: (editing as U).id } as never });
      if (feedback(r.error, form)) return;
      message.success(t('app.save'));
      setEditing(null);
      refetch({ requestPolicy: 'network-only' });
    } finally {
      setBusy(false);
    }
  };
  const toggle = async (u: U) => {
    const r = u.active ? await deactivate({ id: u.id }) : await reactivate({ id: u.id });
    if (!feedback(r.error)) refetch({ requestPolicy: 'network-only' });
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('admin.users')}</Typography.Title>
        <Space wrap>
          <Input.Search allowClear placeholder={t('app.search')} onSearch={(v) => { setCursor(null); setSearch(v.trim()); }} style={{ width: 220 }} />
          <Space size={4}><Switch size="small" checked={inactive} onChange={(v) => { setCursor(null); setInactive(v); }} />{t('users.includeInactive')}</Space>
          <Button type="primary" onClick={() => open('new')} data-testid="user-create">{t('users.create')}</Button>
        </Space>
      </Space>
      {res.error && !res.data ? <ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /> : (
        <Table<U>
          rowKey="id"
          size="middle"
          loading={res.fetching}
          dataSource={res.data?.users.nodes ?? []}
          pagination={false}
          columns={[
            { title: t('users.username'), dataIndex: 'username' },
            { title: t('users.displayName'), dataIndex: 'displayName' },
            { title: t('users.department'), render: (_, u) => u.department?.name ?? '—' },
            { title: t('users.manager'), render: (_, u) => u.manager?.displayName ?? '—' },
            { title: t('users.roles'), render: (_, u) => u.roles.map((r) => <Tag key={r}>{r}</Tag>) },
            { title: t('users.wecom'), dataIndex: 'wecomUserId', render: (v) => v ?? '—' },
            { title: t('users.active'), render: (_, u) => <Tag color={u.active ? 'success' : 'default'}>{u.active ? t('users.activeYes') : t('users.activeNo')}</Tag> },
            {
              title: t('app.actions'),
              render: (_, u) => (
                <Space>
                  <Button size="small" onClick={() => open(u)}>{t('app.edit')}</Button>
                  <Popconfirm title={u.active ? t('users.deactivate') : t('users.reactivate')} onConfirm={() => void toggle(u)}>
                    <Button size="small" danger={u.active}>{u.active ? t('users.deactivate') : t('users.reactivate')}</Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <Space>
        <Button disabled={!cursor} onClick={() => setCursor(null)}>{t('tickets.prev')}</Button>
        <Button disabled={!res.data?.users.pageInfo.hasNextPage} onClick={() => setCursor(res.data?.users.pageInfo.endCursor ?? null)}>{t('tickets.next')}</Button>
      </Space>
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('users.create') : t('users.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        confirmLoading={busy}
        okText={t('app.save')}
        cancelText={t('app.cancel')}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" name="user">
          <Form.Item name="username" label={t('users.username')} rules={[{ required: true }]}>
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="email" label={t('users.email')}><Input /></Form.Item>
          <Form.Item name="phone" label={t('users.phone')}><Input /></Form.Item>
          <Form.Item name="wecomUserId" label={t('users.wecom')}><Input /></Form.Item>
          <Form.Item name="departmentId" label={t('users.department')}><DeptSelect /></Form.Item>
          <Form.Item name="managerId" label={t('users.manager')}><UserSelect /></Form.Item>
          <Form.Item name="roles" label={t('users.roles')}>
            <Select mode="multiple" options={(roles.data?.roles ?? []).map((r) => ({ value: r.code, label: `${r.name} (${r.code})` }))} />
          </Form.Item>
          <Form.Item name="password" label={t('users.password')}><Input.Password autoComplete="new-password" /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
