// 通知设置: anyone's own notification settings — the language of their
// messages and, per kind and channel, whether they hear about it.
// Plain <select> and checkboxes: antd's Select and Checkbox here would
// regroup the chunks the staff screens share and push them over their
// bundle budget (scripts/bundle-size.mjs).
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { NotificationSettingsQuery, UpdateNotificationSettingsMutation } from '../api/documents';
import { apiProblem, errorText } from '../api/errors';
import { LoadingBlock, ErrorBlock } from '../components/States';
import { Muted, Panel, Title, useToast } from '../components/ui';
import '../i18n/notify';
import { CHANNELS, KINDS, cell, parseMuted, toMuted, type Channel, type Matrix } from '../notify/muted';

const LANGS = ['zh-CN', 'en'] as const;

interface Draft {
  language: string;
  matrix: Matrix;
}

export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const [res, refetch] = useQuery({ query: NotificationSettingsQuery, requestPolicy: 'cache-and-network' });
  const [saving, update] = useMutation(UpdateNotificationSettingsMutation);
  const saved = res.data?.notificationSettings;
  const parsed = useMemo(() => parseMuted(saved?.muted ?? []), [saved]);
  // what the person changed since the last load; null: as saved
  const [draft, setDraft] = useState<Draft | null>(null);
  const current: Draft = draft ?? { language: saved?.language ?? 'zh-CN', matrix: parsed.matrix };
  const dirty = !!draft && !!saved && (
    draft.language !== saved.language
    || toMuted(draft.matrix, parsed.other).join() !== toMuted(parsed.matrix, parsed.other).join()
  );

  const setCell = (channel: Channel, kind: (typeof KINDS)[number], on: boolean) =>
    setDraft({ ...current, matrix: { ...current.matrix, [cell(channel, kind)]: on } });
  const setChannel = (channel: Channel, on: boolean) => {
    const matrix = { ...current.matrix };
    for (const k of KINDS) matrix[cell(channel, k)] = on;
    setDraft({ ...current, matrix });
  };
  const save = async () => {
    const r = await update({ language: current.language, muted: toMuted(current.matrix, parsed.other) });
    if (r.error) {
      toast.error(errorText(t, apiProblem(r.error)));
      return;
    }
    setDraft(null);
    toast.success(t('notify.saved'));
    refetch({ requestPolicy: 'network-only' });
  };

  if (res.error && !res.data) {
    return (
      <div className="page-narrow">
        <ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      </div>
    );
  }
  if (!saved) {
    return (
      <div className="page-narrow">
        <LoadingBlock />
      </div>
    );
  }
  return (
    <div className="page-narrow">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Title level={4}>{t('notify.settings')}</Title>
        <Panel title={t('notify.language')}>
          <Space orientation="vertical" size={4}>
            <select
              className="plain-select"
              value={current.language}
              onChange={(e) => setDraft({ ...current, language: e.target.value })}
              aria-label={t('notify.language')}
              data-testid="notify-language"
            >
              {LANGS.map((l) => <option key={l} value={l}>{t(`notify.langs.${l}`)}</option>)}
            </select>
            <Muted>{t('notify.languageHint')}</Muted>
          </Space>
        </Panel>
        <Panel title={t('notify.matrix')} testId="notify-matrix">
          <Muted block style={{ marginBottom: 12 }}>{t('notify.matrixHint')}</Muted>
          <div className="simple-table-wrap">
            <table className="simple-table">
              <thead>
                <tr>
                  <th>{t('notify.kind')}</th>
                  {CHANNELS.map((c) => {
                    const on = KINDS.filter((k) => current.matrix[cell(c, k)]).length;
                    return (
                      <th key={c} style={{ textAlign: 'center' }}>
                        <label className="plain-check">
                          <Check
                            checked={on === KINDS.length}
                            indeterminate={on > 0 && on < KINDS.length}
                            onChange={(v) => setChannel(c, v)}
                            label={`${t(`notify.channels.${c.toUpperCase()}`)} · ${t('notify.all')}`}
                            testId={`notify-all-${c}`}
                          />
                          {t(`notify.channels.${c.toUpperCase()}`)}
                        </label>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {KINDS.map((k) => (
                  <tr key={k}>
                    <td>{t(`notify.kinds.${k}`)}</td>
                    {CHANNELS.map((c) => (
                      <td key={c} style={{ textAlign: 'center' }}>
                        <Check
                          checked={current.matrix[cell(c, k)]}
                          onChange={(v) => setCell(c, k, v)}
                          label={`${t(`notify.kinds.${k}`)} · ${t(`notify.channels.${c.toUpperCase()}`)}`}
                          testId={`notify-${c}-${k}`}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {parsed.other.length > 0 && (
            <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('notify.kept', { count: parsed.other.length })} />
          )}
        </Panel>
        <Space>
          <Button type="primary" onClick={() => void save()} loading={saving.fetching} disabled={!dirty} data-testid="notify-save">
            {t('app.save')}
          </Button>
          {dirty && <Muted>{t('notify.unsaved')}</Muted>}
        </Space>
      </Space>
    </div>
  );
}

function Check(props: { checked: boolean; indeterminate?: boolean; onChange: (on: boolean) => void; label: string; testId: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = !!props.indeterminate;
  }, [props.indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="plain-checkbox"
      checked={props.checked}
      onChange={(e) => props.onChange(e.target.checked)}
      aria-label={props.label}
      data-testid={props.testId}
    />
  );
}
