import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, InputNumber, List, Modal, Row, Select, Space, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { RolesQuery, TemplateQuery, TemplateVersionsQuery, UsersQuery } from '../../api/documents';
import { CreateTemplateMutation, UpdateTemplateMutation } from '../../api/admin-documents';
import { apiProblem, errorText, type FieldProblem } from '../../api/errors';
import { ErrorBlock, LoadingBlock } from '../../components/States';
import { fmtTime } from '../../util';
import {
  FIELD_TYPES,
  RULE_TYPES,
  emptyDesigner,
  fromTemplate,
  placeErrors,
  toInput,
  type DesignerValues,
  type PlacedErrors,
} from './designerModel';

function UsersMulti({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [res] = useQuery({ query: UsersQuery, variables: { search: search || null, first: 20 } });
  const options = (res.data?.users.nodes ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
  for (const id of value ?? []) if (!options.some((o) => o.value === id)) options.push({ value: id, label: `#${id}` });
  return (
    <Select
      mode="multiple"
      value={value ?? []}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      placeholder={t('form.selectUser')}
      style={{ minWidth: 220 }}
    />
  );
}

function Problems({ list }: { list?: FieldProblem[] }) {
  const { t } = useTranslation();
  if (!list?.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="row-errors"
      title={
        <div>
          {list.map((p, i) => (
            <div key={i}>
              {t(`errors.${p.code}`, { defaultValue: p.code })}
              {p.message && <span className="muted"> — {p.message}</span>}
            </div>
          ))}
        </div>
      }
    />
  );
}

function FieldsEditor({ form, placed }: { form: FormInstance<DesignerValues>; placed: PlacedErrors }) {
  const { t } = useTranslation();
  return (
    <Form.List name="fields">
      {(rows, { add, remove, move }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {rows.map((row, i) => (
            <Card
              key={row.key}
              size="small"
              data-testid={`field-row-${i}`}
              title={`#${i + 1}`}
              styles={{ body: { paddingBottom: 8 } }}
              style={placed.fields[i] ? { borderColor: '#ff4d4f' } : undefined}
              extra={
                <Space size={0}>
                  <Button size="small" type="text" disabled={i === 0} onClick={() => move(i, i - 1)}>{t('designer.up')}</Button>
                  <Button size="small" type="text" disabled={i === rows.length - 1} onClick={() => move(i, i + 1)}>{t('designer.down')}</Button>
                  <Button size="small" type="text" danger onClick={() => remove(i)}>{t('designer.remove')}</Button>
                </Space>
              }
            >
              <Row gutter={8}>
                <Col xs={24} md={6}>
                  <Form.Item name={[row.name, 'key']} label={t('designer.key')} rules={[{ required: true }]}>
                    <Input placeholder="amount" aria-label={`${t('designer.key')} ${i + 1}`} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name={[row.name, 'label']} label={t('designer.label')} rules={[{ required: true }]}>
                    <Input aria-label={`${t('designer.label')} ${i + 1}`} />
                  </Form.Item>
                </Col>
                <Col xs={16} md={6}>
                  <Form.Item name={[row.name, 'type']} label={t('designer.type')}>
                    <Select aria-label={`${t('designer.type')} ${i + 1}`} options={FIELD_TYPES.map((x) => ({ value: x, label: x }))} />
                  </Form.Item>
                </Col>
                <Col xs={8} md={4}>
                  <Form.Item name={[row.name, 'required']} label={t('designer.required')} valuePropName="checked">
                    <Checkbox />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item noStyle shouldUpdate>
                {() => {
                  const type = form.getFieldValue(['fields', row.name, 'type']) as string;
                  const hasOptions = type === 'select' || type === 'multiselect';
                  const hasBounds = ['text', 'textarea', 'number', 'money', 'multiselect'].includes(type);
                  return (
                    <Row gutter={8}>
                      {hasOptions && (
                        <Col xs={24} md={10}>
                          <Form.Item name={[row.name, 'options']} label={t('designer.options')}>
                            <Select mode="tags" tokenSeparators={[',', '，']} open={false} aria-label={`${t('designer.options')} ${i + 1}`} />
                          </Form.Item>
                        </Col>
                      )}
                      {hasBounds && (
                        <>
                          <Col xs={12} md={4}>
                            <Form.Item name={[row.name, 'min']} label={t('designer.min')}><InputNumber style={{ width: '100%' }} /></Form.Item>
                          </Col>
                          <Col xs={12} md={4}>
                            <Form.Item name={[row.name, 'max']} label={t('designer.max')}><InputNumber style={{ width: '100%' }} /></Form.Item>
                          </Col>
                        </>
                      )}
                      <Col xs={24} md={hasOptions ? 6 : 16}>
                        <Form.Item name={[row.name, 'help']} label={t('designer.help')}><Input /></Form.Item>
                      </Col>
                    </Row>
                  );
                }}
              </Form.Item>
              <Problems list={placed.fields[i]} />
            </Card>
          ))}
          <Button onClick={() => add({ key: '', label: '', type: 'text', required: false })} data-testid="add-field">
            + {t('designer.addField')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}

function StepsEditor({ form, placed }: { form: FormInstance<DesignerValues>; placed: PlacedErrors }) {
  const { t } = useTranslation();
  const [roles] = useQuery({ query: RolesQuery });
  return (
    <Form.List name="steps">
      {(rows, { add, remove, move }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {rows.map((row, i) => (
            <Card
              key={row.key}
              size="small"
              data-testid={`step-row-${i}`}
              title={`${t('designer.chain')} #${i + 1}`}
              style={placed.steps[i] ? { borderColor: '#ff4d4f' } : undefined}
              extra={
                <Space size={0}>
                  <Button size="small" type="text" disabled={i === 0} onClick={() => move(i, i - 1)}>{t('designer.up')}</Button>
                  <Button size="small" type="text" disabled={i === rows.length - 1} onClick={() => move(i, i + 1)}>{t('designer.down')}</Button>
                  <Button size="small" type="text" danger onClick={() => remove(i)}>{t('designer.remove')}</Button>
                </Space>
              }
            >
              <Row gutter={8}>
                <Col xs={24} md={10}>
                  <Form.Item name={[row.name, 'name']} label={t('designer.stepName')} rules={[{ required: true }]}>
                    <Input aria-label={`${t('designer.stepName')} ${i + 1}`} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={7}>
                  <Form.Item name={[row.name, 'kind']} label={t('designer.kind')}>
                    <Select options={[{ value: 'approve', label: t('kind.APPROVE') }, { value: 'confirm', label: t('kind.CONFIRM') }]} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={7}>
                  <Form.Item name={[row.name, 'mode']} label={t('designer.mode')}>
                    <Select options={[{ value: 'any', label: t('mode.ANY') }, { value: 'all', label: t('mode.ALL') }]} />
                  </Form.Item>
                </Col>
              </Row>
              <Typography.Text strong>{t('designer.approvers')}</Typography.Text>
              <Form.List name={[row.name, 'approvers']}>
                {(rules, ops) => (
                  <div style={{ marginTop: 8 }}>
                    {rules.map((r, j) => (
                      <Space key={r.key} align="start" wrap style={{ display: 'flex' }}>
                        <Form.Item name={[r.name, 'type']} style={{ minWidth: 160 }}>
                          <Select aria-label={`${t('designer.ruleType')} ${i + 1}.${j + 1}`} options={RULE_TYPES.map((x) => ({ value: x, label: t(`designer.${x}`) }))} />
                        </Form.Item>
                        <Form.Item noStyle shouldUpdate>
                          {() => {
                            const type = form.getFieldValue(['steps', row.name, 'approvers', r.name, 'type']);
                            if (type === 'users') return <Form.Item name={[r.name, 'ids']}><UsersMulti /></Form.Item>;
                            if (type === 'role')
                              return (
                                <Form.Item name={[r.name, 'code']} style={{ minWidth: 160 }}>
                                  <Select options={(roles.data?.roles ?? []).map((x) => ({ value: x.code, label: `${x.name} (${x.code})` }))} />
                                </Form.Item>
                              );
                            if (type === 'department_head')
                              return (
                                <Form.Item name={[r.name, 'levels_up']} label={t('designer.levelsUp')}>
                                  <InputNumber min={0} max={10} />
                                </Form.Item>
                              );
                            if (type === 'form_field') {
                              const userFields = ((form.getFieldValue('fields') ?? []) as { key: string; type: string }[]).filter((f) => f?.type === 'user');
                              return (
                                <Form.Item name={[r.name, 'key']} style={{ minWidth: 160 }}>
                                  <Select placeholder={t('designer.fieldKey')} options={userFields.map((f) => ({ value: f.key, label: f.key }))} />
                                </Form.Item>
                              );
                            }
                            return null;
                          }}
                        </Form.Item>
                        <Button type="text" danger onClick={() => ops.remove(j)}>×</Button>
                      </Space>
                    ))}
                    <Button size="small" onClick={() => ops.add({ type: 'department_head', levels_up: 0 })} style={{ marginBottom: 12 }}>
                      + {t('designer.approvers')}
                    </Button>
                  </div>
                )}
              </Form.List>
              <Row gutter={8}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name={[row.name, 'condition']}
                    label={t('designer.condition')}
                    extra={
                      <Form.Item noStyle shouldUpdate>
                        {() => ((form.getFieldValue('fields') ?? []) as { key: string }[]).map((f) => f?.key).filter(Boolean).join(' · ')}
                      </Form.Item>
                    }
                  >
                    <Input placeholder={t('designer.conditionPlaceholder')} aria-label={`${t('designer.condition')} ${i + 1}`} style={{ fontFamily: 'monospace' }} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name={[row.name, 'sla_minutes']} label={t('designer.sla')}>
                    <InputNumber min={0} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name={[row.name, 'on_sla']} label={t('designer.onSla')}>
                    <Select options={['remind', 'escalate', 'alarm_admins'].map((x) => ({ value: x, label: t(`designer.${x}`) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Problems list={placed.steps[i]} />
            </Card>
          ))}
          <Button onClick={() => add({ name: '', kind: 'approve', mode: 'any', approvers: [{ type: 'department_head', levels_up: 0 }], on_sla: 'remind' })} data-testid="add-step">
            + {t('designer.addStep')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}

function Versions({ code }: { code: string }) {
  const [res] = useQuery({ query: TemplateVersionsQuery, variables: { code } });
  const [shown, setShown] = useState<number | null>(null);
  const versions = [...(res.data?.template?.versions ?? [])].reverse();
  const v = versions.find((x) => x.version === shown);
  return (
    <>
      <List
        size="small"
        data-testid="versions"
        dataSource={versions}
        renderItem={(x) => (
          <List.Item actions={[<Button key="v" size="small" type="link" onClick={() => setShown(x.version)}>JSON</Button>]}>
            <Space>
              <Tag color={x.version === res.data?.template?.currentVersion ? 'blue' : 'default'}>v{x.version}</Tag>
              <span className="muted">{fmtTime(x.createdAt)}</span>
            </Space>
          </List.Item>
        )}
      />
      <Modal open={!!v} onCancel={() => setShown(null)} footer={null} width={720} title={`${code} v${shown}`}>
        <pre style={{ maxHeight: 480, overflow: 'auto', fontSize: 12 }}>{JSON.stringify({ form: v?.formSchema, chain: v?.chain }, null, 2)}</pre>
      </Modal>
    </>
  );
}

export default function TemplateDesigner() {
  const { code } = useParams();
  const isNew = !code;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<DesignerValues>();
  const [res] = useQuery({ query: TemplateQuery, variables: { code: code ?? '' }, pause: isNew, requestPolicy: 'network-only' });
  const [, create] = useMutation(CreateTemplateMutation);
  const [, update] = useMutation(UpdateTemplateMutation);
  const [placed, setPlaced] = useState<PlacedErrors>({ fields: {}, steps: {}, top: {} });
  const [topError, setTopError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const initial = useMemo(() => (isNew ? emptyDesigner() : res.data?.template ? fromTemplate(res.data.template) : null), [isNew, res.data]);
  useEffect(() => {
    if (initial) form.setFieldsValue(initial);
  }, [form, initial]);

  const save = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const all = form.getFieldsValue(true) as DesignerValues;
    const { input, automationsError } = toInput(all);
    setPlaced({ fields: {}, steps: {}, top: {} });
    setTopError(null);
    form.setFields((['code', 'name', 'category', 'automations'] as const).map((n) => ({ name: n, errors: [] })));
    if (automationsError) {
      form.setFields([{ name: 'automations', errors: [t('errors.invalid_json')] }]);
      return;
    }
    setBusy(true);
    try {
      const r = isNew ? await create({ input: input as never }) : await update({ input: input as never });
      const saved = isNew ? (r.data as { createTemplate?: { code: string; currentVersion: number } } | undefined)?.createTemplate : (r.data as { updateTemplate?: { code: string; currentVersion: number } } | undefined)?.updateTemplate;
      if (saved) {
        message.success(isNew ? t('designer.created') : t('designer.saved', { version: saved.currentVersion }));
        if (isNew) navigate(`/admin/templates/${saved.code}`, { replace: true });
        return;
      }
      const p = apiProblem(r.error);
      const where = placeErrors(p?.fields ?? [], all.fields ?? []);
      setPlaced(where);
      form.setFields(
        Object.entries(where.top)
          .filter(([k]) => ['code', 'name', 'category', 'automations'].includes(k))
          .map(([k, list]) => ({ name: k as 'code', errors: list.map((x) => t(`errors.${x.code}`, { defaultValue: x.message })) })),
      );
      const loose = Object.entries(where.top).filter(([k]) => !['code', 'name', 'category', 'automations'].includes(k));
      setTopError(
        [errorText(t, p), ...loose.flatMap(([, l]) => l.map((x) => `${x.field}: ${t(`errors.${x.code}`, { defaultValue: x.message })}`))].join(' · '),
      );
    } finally {
      setBusy(false);
    }
  };

  if (!isNew && res.fetching && !res.data) return <LoadingBlock rows={8} />;
  if (!isNew && !res.data?.template) return <ErrorBlock error={res.error} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space>
          <Link to="/admin/templates">{t('app.back')}</Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {isNew ? t('designer.newTemplate') : `${t('designer.title')} · ${code} v${res.data?.template?.currentVersion}`}
          </Typography.Title>
        </Space>
        <Button type="primary" loading={busy} onClick={() => void save()} data-testid="template-save">{t('app.save')}</Button>
      </Space>
      {topError && <Alert type="error" showIcon title={t('designer.fixErrors')} description={topError} data-testid="designer-error" />}
      <Form form={form} layout="vertical" name="designer" initialValues={initial ?? undefined}>
        <Row gutter={16}>
          <Col xs={24} lg={isNew ? 24 : 17}>
            <Card title={t('designer.title')} size="small" style={{ marginBottom: 16 }}>
              <Row gutter={8}>
                <Col xs={24} md={6}>
                  <Form.Item name="code" label={t('designer.code')} rules={[{ required: true }]}>
                    <Input disabled={!isNew} placeholder="trip" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={10}>
                  <Form.Item name="name" label={t('designer.name')} rules={[{ required: true }]}><Input /></Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="category" label={t('designer.category')} rules={[{ required: true }]}><Input /></Form.Item>
                </Col>
              </Row>
              <Form.Item name="description" label={t('designer.description')}><Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} /></Form.Item>
            </Card>
            <Card title={t('designer.fields')} size="small" style={{ marginBottom: 16 }}>
              <FieldsEditor form={form} placed={placed} />
            </Card>
            <Card title={t('designer.chain')} size="small" style={{ marginBottom: 16 }}>
              <Row gutter={8}>
                <Col xs={24} md={12}>
                  <Form.Item name="on_return" label={t('designer.onReturn')}>
                    <Select options={['restart_chain', 'back_to_returning_step'].map((x) => ({ value: x, label: t(`designer.${x}`) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="self_approval" label={t('designer.selfApproval')}>
                    <Select options={['skip', 'pass_up'].map((x) => ({ value: x, label: t(`designer.${x}`) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <StepsEditor form={form} placed={placed} />
            </Card>
            <Card title={t('designer.automations')} size="small">
              <Form.Item name="automations">
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
            </Card>
          </Col>
          {!isNew && code && (
            <Col xs={24} lg={7}>
              <Card title={t('designer.versions')} size="small">
                <Versions code={code} />
              </Card>
            </Col>
          )}
        </Row>
      </Form>
    </Space>
  );
}
