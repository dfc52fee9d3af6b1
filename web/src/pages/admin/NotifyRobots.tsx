// 群机器人: WeCom group robots. The webhook key is write-only: typed once
// into a password field, afterwards only its last characters are shown.
import { useMemo, useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { DepartmentsQuery, TemplatesQuery } from '../../api/documents';
import { CreateRobotMutation, DeleteRobotMutation, RobotsQuery } from '../../api/admin-documents';
import type { RobotsQuery as RobotsQueryType } from '../../gql/graphql';
import { DeptSelect } from '../../components/Pickers';
import { ErrorBlock } from '../../components/States';
import { useMutationFeedback } from './common';

type R = RobotsQueryType['robots'][number];

export default function RobotsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [res, refetch] = useQuery({ query: RobotsQuery });
  const [tpls] = useQuery({ query: TemplatesQuery, variables: {} });
  const [depts] = useQuery({ query: DepartmentsQuery, variables: {} });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const [, create] = useMutation(CreateRobotMutation);
  const [, remove] = useMutation(DeleteRobotMutation);
  const feedback = useMutationFeedback();
  const deptName = useMemo(() => new Map((depts.data?.departments.nodes ?? []).map((d) => [d.id, d.name])), [depts.data]);
  const tplName = useMemo(() => new Map((tpls.data?.templates.nodes ?? []).map((x) => [x.code, x.name])), [tpls.data]);

  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const r = await create({
        input: { name: v.name, webhookKey: v.webhookKey, templateCode: v.templateCode ?? null, departmentId: v.departmentId ?? null },
      });
      if (feedback(r.error, form)) return;
      message.success(t('robots.created'));
      form.resetFields();
      setOpen(false);
      refetch({ requestPolicy: 'network-only' });
    } finally {
      setBusy(false);
    }
  };
  const drop = async (r: R) => {
    const out = await remove({ id: r.id });
    if (feedback(out.error)) return;
    message.success(t('robots.removed'));
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'flex-end', width: '100%' }}>
        <Button type="primary" onClick={() => { form.resetFields(); setOpen(true); }} data-testid="robot-create">{t('robots.create')}</Button>
      </Space>
      {res.error && !res.data ? <ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /> : (
        <div data-testid="robots">
          <Table<R>
            rowKey="id"
            loading={res.fetching}
            dataSource={res.data?.robots ?? []}
            pagination={false}
            locale={{ emptyText: t('robots.none') }}
            columns={[
              { title: t('robots.name'), dataIndex: 'name' },
              { title: t('robots.keyHint'), render: (_, r) => <code data-testid="robot-key-hint">{r.keyHint}</code> },
              { title: t('robots.template'), render: (_, r) => (r.templateCode ? tplName.get(r.templateCode) ?? r.templateCode : t('robots.allTemplates')) },
              { title: t('robots.department'), render: (_, r) => (r.departmentId ? deptName.get(r.departmentId) ?? `#${r.departmentId}` : t('robots.allDepartments')) },
              { title: t('robots.active'), render: (_, r) => <Tag color={r.active ? 'success' : 'default'}>{r.active ? t('robots.activeYes') : t('robots.activeNo')}</Tag> },
              {
                title: t('app.actions'),
                render: (_, r) => (
                  <Popconfirm title={t('robots.removeConfirm')} onConfirm={() => void drop(r)} okText={t('app.confirm')} cancelText={t('app.cancel')}>
                    <Button size="small" danger data-testid="robot-delete">{t('robots.remove')}</Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        </div>
      )}
      <Modal
        open={open}
        title={t('robots.create')}
        onCancel={() => { form.resetFields(); setOpen(false); }}
        onOk={() => void save()}
        confirmLoading={busy}
        okText={t('app.save')}
        cancelText={t('app.cancel')}
        forceRender
      >
        <Form form={form} layout="vertical" name="robot" autoComplete="off">
          <Form.Item name="name" label={t('robots.name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={120} /></Form.Item>
          <Form.Item name="webhookKey" label={t('robots.webhookKey')} extra={t('robots.webhookKeyHint')} rules={[{ required: true, whitespace: true }]}>
            <Input.Password autoComplete="new-password" visibilityToggle={false} />
          </Form.Item>
          <Form.Item name="templateCode" label={t('robots.template')}>
            <Select
              allowClear
              placeholder={t('robots.allTemplates')}
              showSearch={{ optionFilterProp: 'label' }}
              options={(tpls.data?.templates.nodes ?? []).map((x) => ({ value: x.code, label: `${x.name} (${x.code})` }))}
            />
          </Form.Item>
          <Form.Item name="departmentId" label={t('robots.department')}><DeptSelect placeholder={t('robots.allDepartments')} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
