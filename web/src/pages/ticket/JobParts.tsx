// Small parts shared by the ticket page's jobs and the administrators' job list.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { jobColor, prettyJson } from './automation';

export function JobStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={jobColor(status)} data-testid="job-status" data-status={status}>
      {t(`jobs.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** A job's output or error, folded (they can be long). */
export function JsonDetails({ value, label }: { value: unknown; label: string }) {
  const text = prettyJson(value);
  if (!text) return null;
  return (
    <details className="job-output" data-testid="job-output">
      <summary>{label}</summary>
      <pre>{text}</pre>
    </details>
  );
}
