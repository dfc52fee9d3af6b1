import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { ApiTokensQuery, CreateApiTokenMutation, RevokeApiTokenMutation } from '../../api/admin-documents';
import { UserSelect } from '../../components/Pickers';
import { ErrorBlock } from '../../components/States';
import { fmtTime } from '../../util';
import { useMutationFeedback } from './common';

export default function TokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [res, refetch] = useQuery({ query: ApiTokensQuery });
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm();
  const [, create] = useMutation(CreateApiTokenMutation);
  const [, revoke] = useMutation(RevokeApiTokenMutation);
  const feedback = useMutationFeedback();
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const r = await create({ userId: v.userId, name: v.name });
    if (feedback(r.error, form)) return;
    setOpen(false);
    setSecret(r.data!.createApiToken.secret);
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('admin.tokens')}</Typography.Title>
        <Button type="primary" onClick={() => { form.resetFields(); setOpen(true); }} data-testid="token-create">{t('tokens.create')}</Button>
      </Space>
      {res.error && !res.data ? <ErrorBlock error={res.error} /> : (
        <Table
          rowKey="id"
          loading={res.fetching}
          dataSource={res.data?.apiTokens ?? []}
          pagination={false}
          columns={[
            { title: t('tokens.name'), dataIndex: 'name' },
            { title: t('tokens.user'), render: (_, x) => x.user?.displayName ?? '—' },
            { title: t('tokens.prefix'), render: (_, x) => <code>{x.prefix}…</code> },
            { title: t('tokens.created'), render: (_, x) => fmtTime(x.createdAt) },
            { title: t('tokens.lastUsed'), render: (_, x) => fmtTime(x.lastUsedAt) },
            {
              title: t('app.actions'),
              render: (_, x) =>
                x.revokedAt ? <Tag>{t('tokens.revoked')}</Tag> : (
                  <Popconfirm title={t('tokens.revoke')} onConfirm={async () => { const r = await revoke({ id: x.id }); if (!feedback(r.error)) { message.success(t('tokens.revoked')); refetch({ requestPolicy: 'network-only' }); } }}>
                    <Button size="small" danger>{t('tokens.revoke')}</Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
      <Modal open={open} title={t('tokens.create')} onCancel={() => setOpen(false)} onOk={() => void save()} okText={t('app.save')} cancelText={t('app.cancel')} forceRender>
        <Form form={form} layout="vertical" name="token">
          <Form.Item name="userId" label={t('tokens.user')} rules={[{ required: true }]}><UserSelect /></Form.Item>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true }]}><Input /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!secret} destroyOnHidden title={t('tokens.secretTitle')} onCancel={() => setSecret(null)} footer={<Button type="primary" onClick={() => setSecret(null)} data-testid="secret-close">{t('app.close')}</Button>}>
        <Alert type="warning" showIcon title={t('tokens.secretHint')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: secret ?? '' }} code data-testid="token-secret">{secret}</Typography.Paragraph>
      </Modal>
    </Space>
  );
}
