// 满意度 on a done ticket: the applicant rates it once (1–5 stars and an
// optional comment); afterwards everyone who sees the ticket sees the
// rating. Loaded only for done tickets.
import { useRef, useState } from 'react';
import { Alert, Button, Input, Rate, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { newClientMutationId } from '../../api/client';
import { RateTicketMutation } from '../../api/documents';
import { apiProblem, errorText, type ApiProblem } from '../../api/errors';
import { Panel, useToast } from '../../components/ui';
import { fmtTime } from '../../util';
import '../../i18n/automation';
import { charCount, RATING_COMMENT_MAX, ratingComment } from './automation';

export interface Rating {
  score: number;
  comment: string | null;
  ratedAt: string;
}

function Stars({ value }: { value: number }) {
  const { t } = useTranslation();
  return (
    <span data-testid="rating-stars" data-score={value} aria-label={t('rating.stars', { score: value })}>
      <Rate disabled value={value} />
    </span>
  );
}

export default function RatingPanel({
  ticketId,
  rating,
  canRate,
  applicantName,
  onRated,
}: {
  ticketId: string;
  rating: Rating | null;
  canRate: boolean;
  applicantName: string | undefined;
  onRated: () => void;
}) {
  const { t } = useTranslation();
  const message = useToast();
  const [, rate] = useMutation(RateTicketMutation);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  // one id per rating: a retry of the same request (double click, lost
  // answer) is answered by the server's first result
  const mutationId = useRef(newClientMutationId());
  const scores = [1, 2, 3, 4, 5].map((n) => t(`rating.scores.${n}`));

  if (rating) {
    return (
      <Panel title={t('rating.title')} testId="rating">
        <Space orientation="vertical" size={4}>
          <Space wrap>
            <Stars value={rating.score} />
            <strong>{t(`rating.scores.${rating.score}`, { defaultValue: '' })}</strong>
          </Space>
          {rating.comment && (
            <div style={{ whiteSpace: 'pre-wrap' }} data-testid="rating-comment">
              {rating.comment}
            </div>
          )}
          <span className="muted">{t('rating.ratedAt', { name: applicantName ?? '', at: fmtTime(rating.ratedAt) })}</span>
        </Space>
      </Panel>
    );
  }
  if (!canRate) return null;

  const submit = async () => {
    if (busy || score < 1) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await rate({ ticketId, score, comment: ratingComment(comment), clientMutationId: mutationId.current });
      const p = apiProblem(r.error);
      if (p) {
        setProblem(p);
        // rated meanwhile (another tab): show the rating that stands
        if (p.code === 'already_rated' || p.code === 'not_done') onRated();
        return;
      }
      mutationId.current = newClientMutationId();
      message.success(t('rating.thanks'));
      onRated();
    } finally {
      setBusy(false);
    }
  };
  const tooLong = charCount(comment) > RATING_COMMENT_MAX;
  return (
    <Panel title={t('rating.title')} testId="rating-form">
      <Space orientation="vertical" size="small" style={{ width: '100%' }}>
        <span>{t('rating.prompt')}</span>
        <Space wrap>
          <span data-testid="rating-input">
            <Rate value={score} onChange={(v) => setScore(v)} tooltips={scores} aria-label={t('rating.score')} />
          </span>
          {score > 0 && <span className="muted">{scores[score - 1]}</span>}
        </Space>
        <Input.TextArea
          aria-label={t('rating.comment')}
          placeholder={t('rating.comment')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={RATING_COMMENT_MAX}
          showCount
          status={tooLong ? 'error' : undefined}
        />
        {problem && (
          <Alert
            type="error"
            showIcon
            title={errorText(t, problem)}
            description={<code>{problem.code}</code>}
            data-testid="rating-error"
            data-code={problem.code}
          />
        )}
        <Button type="primary" loading={busy} disabled={tooLong || score < 1} title={score < 1 ? t('rating.pick') : undefined} onClick={() => void submit()} data-testid="rating-submit">
          {t('rating.submit')}
        </Button>
      </Space>
    </Panel>
  );
}
