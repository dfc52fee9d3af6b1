// 自动化任务 on the ticket page: the ticket's jobs in task order, and for
// administrators the way out of an exception (retry, skip, give up and
// reject). Loaded only for tickets that have jobs.
import { useState } from 'react';
import { Alert, Button, Input, Modal, Popconfirm, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { RejectProcessingMutation, RetryJobMutation, SkipJobMutation } from '../../api/admin-documents';
import { apiProblem, errorText, type ApiProblem } from '../../api/errors';
import { Panel, useToast } from '../../components/ui';
import type { JobFieldsFragment } from '../../gql/graphql';
import { fmtSeconds } from '../../util';
import '../../i18n/automation';
import { hasException, jobActions } from './automation';
import { JobStatusTag, JsonDetails } from './JobParts';

function JobLine({
  job,
  ticketStatus,
  admin,
  busy,
  onRetry,
  onSkip,
}: {
  job: JobFieldsFragment;
  ticketStatus: string;
  admin: boolean;
  busy: string | null;
  onRetry: () => void;
  onSkip: () => void;
}) {
  const { t } = useTranslation();
  const can = jobActions(job.status, ticketStatus);
  const times = [
    t('jobs.created', { at: fmtSeconds(job.createdAt) }),
    job.startedAt && t('jobs.started', { at: fmtSeconds(job.startedAt) }),
    job.finishedAt && t('jobs.finished', { at: fmtSeconds(job.finishedAt) }),
    job.status === 'PENDING' && job.attempts > 0 && new Date(job.availableAt) > new Date() && t('jobs.availableAt', { at: fmtSeconds(job.availableAt) }),
    job.status === 'RUNNING' && job.leaseExpiresAt && t('jobs.lease', { at: fmtSeconds(job.leaseExpiresAt) }),
  ].filter(Boolean);
  return (
    <div className="job" data-testid={`job-${job.id}`} data-job-status={job.status}>
      <Space size={6} wrap>
        <strong>
          {job.seq + 1}. {job.name}
        </strong>
        <JobStatusTag status={job.status} />
        <Tag>
          {t(`jobs.executors.${job.executor}`, { defaultValue: job.executor })} · {job.kind}
        </Tag>
        <span className="muted" data-testid="job-attempts">
          {t('jobs.attempts', { attempts: job.attempts, max: job.maxAttempts })}
        </span>
      </Space>
      <div className="muted job-times">{times.join(' · ')}</div>
      {job.lastError && (
        <div className={job.status === 'FAILED' ? 'job-error' : 'job-error job-error-old'} data-testid="job-error">
          {t('jobs.lastError')}: {job.lastError}
        </div>
      )}
      <JsonDetails value={job.output} label={t('jobs.output')} />
      {admin && (can.retry || can.skip) && (
        <Space size="small" style={{ marginTop: 8 }}>
          {can.retry && (
            <Button size="small" type="primary" loading={busy === `retry-${job.id}`} onClick={onRetry} data-testid="job-retry">
              {t('jobs.retry')}
            </Button>
          )}
          {can.skip && (
            <Popconfirm title={t('jobs.skipConfirm')} okText={t('app.confirm')} cancelText={t('app.cancel')} onConfirm={onSkip}>
              <Button size="small" loading={busy === `skip-${job.id}`} data-testid="job-skip">
                {t('jobs.skip')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </div>
  );
}

/** The reason dialog of 放弃并拒绝: the server's error stays in the dialog. */
function RejectDialog({ ticketId, open, onClose, onDone }: { ticketId: string; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const message = useToast();
  const [, reject] = useMutation(RejectProcessingMutation);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const missing = !reason.trim();
  const submit = async () => {
    setTouched(true);
    if (missing || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await reject({ ticketId, reason: reason.trim() });
      if (r.error) {
        setProblem(apiProblem(r.error));
        return;
      }
      message.success(t('jobs.rejected'));
      setReason('');
      setTouched(false);
      onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('jobs.rejectTitle')}
      onCancel={() => {
        setProblem(null);
        setTouched(false);
        onClose();
      }}
      onOk={() => void submit()}
      okText={t('jobs.reject')}
      okButtonProps={{ danger: true, loading: busy, 'data-testid': 'reject-processing-ok' } as never}
      cancelText={t('app.cancel')}
      destroyOnHidden
    >
      <p className="muted">{t('jobs.rejectHint')}</p>
      {problem && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(t, problem)} description={<code>{problem.code}</code>} data-testid="reject-processing-error" />
      )}
      <label htmlFor="reject-processing-reason" style={{ display: 'block', marginBottom: 4 }}>
        {t('jobs.rejectReason')}
      </label>
      <Input.TextArea
        id="reject-processing-reason"
        autoFocus
        autoSize={{ minRows: 3 }}
        maxLength={2000}
        value={reason}
        status={touched && missing ? 'error' : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {touched && missing && (
        <div role="alert" style={{ color: '#cf1322', marginTop: 4 }}>
          {t('errors.reason_required')}
        </div>
      )}
    </Modal>
  );
}

export default function JobsPanel({
  ticketId,
  ticketStatus,
  jobs,
  admin,
  onChanged,
}: {
  ticketId: string;
  ticketStatus: string;
  jobs: readonly JobFieldsFragment[];
  admin: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const message = useToast();
  const [, retry] = useMutation(RetryJobMutation);
  const [, skip] = useMutation(SkipJobMutation);
  const [busy, setBusy] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const exception = hasException({ status: ticketStatus, jobs });
  const act = async (name: string, fn: () => Promise<{ error?: unknown }>, ok: string) => {
    if (busy) return;
    setBusy(name);
    try {
      const r = await fn();
      const p = apiProblem(r.error as never);
      if (p) message.error(`${errorText(t, p)} (${p.code})`);
      else message.success(ok);
      onChanged();
    } finally {
      setBusy(null);
    }
  };
  return (
    <Panel
      title={t('jobs.title')}
      testId="jobs"
      extra={
        admin &&
        ticketStatus === 'PROCESSING' && (
          <Button danger size="small" onClick={() => setRejecting(true)} data-testid="reject-processing">
            {t('jobs.reject')}
          </Button>
        )
      }
    >
      {exception && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('jobs.exceptionHint')} data-testid="jobs-exception" />}
      <div className="jobs">
        {jobs.map((job) => (
          <JobLine
            key={job.id}
            job={job}
            ticketStatus={ticketStatus}
            admin={admin}
            busy={busy}
            onRetry={() => void act(`retry-${job.id}`, () => retry({ jobId: job.id }), t('jobs.retried'))}
            onSkip={() => void act(`skip-${job.id}`, () => skip({ jobId: job.id }), t('jobs.skipped'))}
          />
        ))}
      </div>
      {admin && (
        <RejectDialog
          ticketId={ticketId}
          open={rejecting}
          onClose={() => setRejecting(false)}
          onDone={() => {
            setRejecting(false);
            onChanged();
          }}
        />
      )}
    </Panel>
  );
}
