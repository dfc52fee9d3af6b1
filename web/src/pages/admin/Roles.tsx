import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { RolesQuery } from '../../api/documents';
import { CreateRoleMutation, RenameRoleMutation } from '../../api/admin-documents';
import { ErrorBlock } from '../../components/States';
import { useMutationFeedback } from './common';

export default function RolesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [res, refetch] = useQuery({ query: RolesQuery });
  const [editing, setEditing] = useState<{ id: string; name: string } | 'new' | null>(null);
  const [form] = Form.useForm();
  const [, create] = useMutation(CreateRoleMutation);
  const [, rename] = useMutation(RenameRoleMutation);
  const feedback = useMutationFeedback();
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const r = editing === 'new' ? await create({ code: v.code, name: v.name }) : await rename({ id: (editing as { id: string }).id, name: v.name });
    if (feedback(r.error, form)) return;
    message.success(t('app.save'));
    setEditing(null);
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('admin.roles')}</Typography.Title>
        <Button type="primary" onClick={() => { form.resetFields(); setEditing('new'); }}>{t('roles.create')}</Button>
      </Space>
      {res.error && !res.data ? <ErrorBlock error={res.error} /> : (
        <Table
          rowKey="id"
          loading={res.fetching}
          dataSource={res.data?.roles ?? []}
          pagination={false}
          columns={[
            { title: t('roles.code'), dataIndex: 'code' },
            { title: t('roles.name'), dataIndex: 'name' },
            { title: t('roles.system'), render: (_, r) => (r.system ? <Tag color="blue">{t('roles.system')}</Tag> : null) },
            { title: t('app.actions'), render: (_, r) => <Button size="small" onClick={() => { form.setFieldsValue({ code: r.code, name: r.name }); setEditing(r); }}>{t('roles.rename')}</Button> },
          ]}
        />
      )}
      <Modal open={!!editing} title={editing === 'new' ? t('roles.create') : t('roles.rename')} onCancel={() => setEditing(null)} onOk={() => void save()} okText={t('app.save')} cancelText={t('app.cancel')} forceRender>
        <Form form={form} layout="vertical" name="role">
          <Form.Item name="code" label={t('roles.code')} rules={[{ required: true }]}><Input disabled={editing !== 'new'} /></Form.Item>
          <Form.Item name="name" label={t('roles.name')} rules={[{ required: true }]}><Input /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
