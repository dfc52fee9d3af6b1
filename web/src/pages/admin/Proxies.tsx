import { useState } from 'react';
import { App, Button, DatePicker, Form, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { TemplatesQuery } from '../../api/documents';
import { CreateProxyMutation, ProxiesQuery, RevokeProxyMutation } from '../../api/admin-documents';
import { UserSelect } from '../../components/Pickers';
import { ErrorBlock } from '../../components/States';
import { fmtTime } from '../../util';
import { useMutationFeedback } from './common';

/** Proxies (代理人): everyone's, for admins; anyone may create their own. */
export default function ProxiesPage({ mine = false }: { mine?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [current, setCurrent] = useState(false);
  const [res, refetch] = useQuery({ query: ProxiesQuery, variables: { currentOnly: current } });
  const [tpls] = useQuery({ query: TemplatesQuery, variables: {} });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const [, create] = useMutation(CreateProxyMutation);
  const [, revoke] = useMutation(RevokeProxyMutation);
  const feedback = useMutationFeedback();
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const [from, to] = v.window;
    const r = await create({
      input: {
        principalId: v.principalId ?? null,
        proxyId: v.proxyId,
        templateCode: v.templateCode ?? null,
        startsAt: from.toISOString(),
        endsAt: to.toISOString(),
      },
    });
    if (feedback(r.error, form, { 'input.startsAt': 'window', 'input.endsAt': 'window', startsAt: 'window', endsAt: 'window' })) return;
    message.success(t('app.save'));
    setOpen(false);
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{mine ? t('proxies.mine') : t('admin.proxies')}</Typography.Title>
        <Space>
          <Space size={4}><Switch size="small" checked={current} onChange={setCurrent} />{t('proxies.active')}</Space>
          <Button type="primary" onClick={() => { form.resetFields(); setOpen(true); }}>{t('proxies.create')}</Button>
        </Space>
      </Space>
      {res.error && !res.data ? <ErrorBlock error={res.error} /> : (
        <Table
          rowKey="id"
          loading={res.fetching}
          dataSource={res.data?.proxies.nodes ?? []}
          pagination={false}
          locale={{ emptyText: t('app.empty') }}
          columns={[
            { title: t('proxies.principal'), render: (_, p) => p.principal?.displayName },
            { title: t('proxies.proxy'), render: (_, p) => p.proxy?.displayName },
            { title: t('proxies.template'), render: (_, p) => p.templateCode ?? t('proxies.allTemplates') },
            { title: t('proxies.window'), render: (_, p) => `${fmtTime(p.startsAt)} – ${fmtTime(p.endsAt)}` },
            { title: t('users.active'), render: (_, p) => (p.revokedAt ? <Tag>{t('proxies.revoked')}</Tag> : p.active ? <Tag color="success">{t('proxies.active')}</Tag> : <Tag>—</Tag>) },
            {
              title: t('app.actions'),
              render: (_, p) =>
                !p.revokedAt && (
                  <Popconfirm title={t('proxies.revoke')} onConfirm={async () => { const r = await revoke({ id: p.id }); if (!feedback(r.error)) refetch({ requestPolicy: 'network-only' }); }}>
                    <Button size="small" danger>{t('proxies.revoke')}</Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
      <Modal open={open} title={t('proxies.create')} onCancel={() => setOpen(false)} onOk={() => void save()} okText={t('app.save')} cancelText={t('app.cancel')} forceRender>
        <Form form={form} layout="vertical" name="proxy">
          {!mine && (
            <Form.Item name="principalId" label={t('proxies.principal')}>
              <UserSelect />
            </Form.Item>
          )}
          <Form.Item name="proxyId" label={t('proxies.proxy')} rules={[{ required: true }]}><UserSelect /></Form.Item>
          <Form.Item name="templateCode" label={t('proxies.template')}>
            <Select allowClear placeholder={t('proxies.allTemplates')} options={(tpls.data?.templates.nodes ?? []).map((x) => ({ value: x.code, label: x.name }))} />
          </Form.Item>
          <Form.Item name="window" label={t('proxies.window')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
