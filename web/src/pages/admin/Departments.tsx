import { useMemo, useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Switch, Tag, Tree, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { DepartmentsQuery } from '../../api/documents';
import {
  CreateDepartmentMutation,
  DeactivateDepartmentMutation,
  ReactivateDepartmentMutation,
  UpdateDepartmentMutation,
} from '../../api/admin-documents';
import type { DepartmentsQuery as DQ } from '../../gql/graphql';
import { DeptSelect, UserSelect, deptTree } from '../../components/Pickers';
import { ErrorBlock, LoadingBlock } from '../../components/States';
import { useMutationFeedback } from './common';

type D = DQ['departments']['nodes'][number];

export default function DepartmentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [inactive, setInactive] = useState(false);
  const [res, refetch] = useQuery({ query: DepartmentsQuery, variables: { includeInactive: inactive } });
  const [editing, setEditing] = useState<D | 'new' | null>(null);
  const [form] = Form.useForm();
  const [, create] = useMutation(CreateDepartmentMutation);
  const [, update] = useMutation(UpdateDepartmentMutation);
  const [, deactivate] = useMutation(DeactivateDepartmentMutation);
  const [, reactivate] = useMutation(ReactivateDepartmentMutation);
  const feedback = useMutationFeedback();
  const nodes = useMemo(() => res.data?.departments.nodes ?? [], [res.data]);
  const tree = useMemo(() => {
    type N = ReturnType<typeof deptTree<D>>[number];
    const render = (list: N[]): object[] =>
      list.map((n) => ({
        key: n.key,
        title: (
          <Space size={6} data-testid={`dept-${n.dept.id}`}>
            <strong>{n.dept.name}</strong>
            <span className="muted">{t('depts.head')}: {n.dept.head?.displayName ?? '—'}</span>
            {!n.dept.active && <Tag>{t('users.activeNo')}</Tag>}
            <Button size="small" type="link" onClick={() => open(n.dept)}>{t('app.edit')}</Button>
            <Popconfirm title={n.dept.active ? t('users.deactivate') : t('users.reactivate')} onConfirm={() => void toggle(n.dept)}>
              <Button size="small" type="link" danger={n.dept.active}>{n.dept.active ? t('users.deactivate') : t('users.reactivate')}</Button>
            </Popconfirm>
          </Space>
        ),
        children: render(n.children),
      }));
    return render(deptTree(nodes));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nodes, t]);
  const open = (d: D | 'new') => {
    setEditing(d);
    form.resetFields();
    if (d !== 'new') form.setFieldsValue({ name: d.name, parentId: d.parent?.id, headId: d.head?.id });
  };
  const toggle = async (d: D) => {
    const r = d.active ? await deactivate({ id: d.id }) : await reactivate({ id: d.id });
    if (!feedback(r.error)) refetch({ requestPolicy: 'network-only' });
  };
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const input = { name: v.name, parentId: v.parentId ?? null, headId: v.headId ?? null };
    const r = editing === 'new' ? await create({ input }) : await update({ input: { ...input, id: (editing as D).id } });
    if (feedback(r.error, form)) return;
    message.success(t('app.save'));
    setEditing(null);
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('admin.departments')}</Typography.Title>
        <Space>
          <Space size={4}><Switch size="small" checked={inactive} onChange={setInactive} />{t('users.includeInactive')}</Space>
          <Button type="primary" onClick={() => open('new')}>{t('depts.create')}</Button>
        </Space>
      </Space>
      <div className="panel"><div className="panel-body">
        {res.fetching && !res.data ? <LoadingBlock /> : res.error && !res.data ? <ErrorBlock error={res.error} /> : (
          <Tree treeData={tree as never} defaultExpandAll selectable={false} blockNode />
        )}
      </div></div>
      <Modal open={!!editing} title={editing === 'new' ? t('depts.create') : t('app.edit')} onCancel={() => setEditing(null)} onOk={() => void save()} okText={t('app.save')} cancelText={t('app.cancel')} forceRender>
        <Form form={form} layout="vertical" name="dept">
          <Form.Item name="name" label={t('depts.name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="parentId" label={t('depts.parent')}><DeptSelect placeholder={t('depts.none')} /></Form.Item>
          <Form.Item name="headId" label={t('depts.head')}><UserSelect /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
