import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { TemplatesQuery } from '../../api/documents';
import { DeactivateTemplateMutation, ReactivateTemplateMutation } from '../../api/admin-documents';
import { ErrorBlock } from '../../components/States';
import { fmtTime } from '../../util';
import { useMutationFeedback } from './common';

export default function TemplatesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [res, refetch] = useQuery({ query: TemplatesQuery, variables: { includeInactive: true } });
  const [, deactivate] = useMutation(DeactivateTemplateMutation);
  const [, reactivate] = useMutation(ReactivateTemplateMutation);
  const feedback = useMutationFeedback();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('admin.templates')}</Typography.Title>
        <Link to="/admin/templates/new"><Button type="primary" data-testid="template-new">{t('designer.newTemplate')}</Button></Link>
      </Space>
      {res.error && !res.data ? <ErrorBlock error={res.error} /> : (
        <Table
          rowKey="code"
          loading={res.fetching}
          dataSource={res.data?.templates.nodes ?? []}
          pagination={false}
          columns={[
            { title: t('designer.code'), dataIndex: 'code', render: (c: string) => <Link to={`/admin/templates/${c}`}>{c}</Link> },
            { title: t('designer.name'), dataIndex: 'name' },
            { title: t('designer.category'), dataIndex: 'category' },
            { title: t('designer.versions'), render: (_, x) => `v${x.currentVersion}` },
            { title: t('tickets.updated'), render: (_, x) => fmtTime(x.updatedAt) },
            { title: t('users.active'), render: (_, x) => (x.active ? <Tag color="success">{t('users.activeYes')}</Tag> : <Tag>{t('designer.inactive')}</Tag>) },
            {
              title: t('app.actions'),
              render: (_, x) => (
                <Space>
                  <Link to={`/admin/templates/${x.code}`}><Button size="small">{t('app.edit')}</Button></Link>
                  <Popconfirm
                    title={x.active ? t('designer.deactivate') : t('designer.reactivate')}
                    onConfirm={async () => {
                      const r = x.active ? await deactivate({ code: x.code }) : await reactivate({ code: x.code });
                      if (!feedback(r.error)) {
                        message.success(t('app.save'));
                        refetch({ requestPolicy: 'network-only' });
                      }
                    }}
                  >
                    <Button size="small" danger={x.active}>{x.active ? t('designer.deactivate') : t('designer.reactivate')}</Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
