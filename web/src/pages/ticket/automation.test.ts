import {
  appendPage,
  beforeCursor,
  canRate,
  charCount,
  eventColor,
  eventDetail,
  hasException,
  isJobEvent,
  JOB_STATUSES,
  jobActions,
  jobColor,
  jobTime,
  prettyJson,
  ratingComment,
} from './automation';
import i18n from '../../i18n';
import * as texts from '../../i18n/automation';

describe('automation jobs', () => {
  it('a processing ticket with a failed job is an exception, nothing else is', () => {
    expect(hasException({ status: 'PROCESSING', jobs: [{ status: 'SUCCEEDED' }, { status: 'FAILED' }] })).toBe(true);
    expect(hasException({ status: 'PROCESSING', jobs: [{ status: 'RUNNING' }] })).toBe(false);
    expect(hasException({ status: 'PROCESSING', jobs: [] })).toBe(false);
    // once rejected the failed job stays FAILED, but the ticket is done
    expect(hasException({ status: 'DONE', jobs: [{ status: 'FAILED' }] })).toBe(false);
    expect(hasException({ status: 'PROCESSING', jobs: null })).toBe(false);
  });

  it('offers retry for failed jobs and skip for failed or waiting ones, on processing tickets only', () => {
    expect(jobActions('FAILED', 'PROCESSING')).toEqual({ retry: true, skip: true });
    expect(jobActions('PENDING', 'PROCESSING')).toEqual({ retry: false, skip: true });
    for (const s of ['RUNNING', 'SUCCEEDED', 'SKIPPED', 'CANCELLED']) expect(jobActions(s, 'PROCESSING')).toEqual({ retry: false, skip: false });
    // given up on (DONE/REJECTED): its failed job stays FAILED, with nothing to do
    expect(jobActions('FAILED', 'DONE')).toEqual({ retry: false, skip: false });
    expect(jobActions('PENDING', 'DONE')).toEqual({ retry: false, skip: false });
  });

  it('colours every status, failed as an error', () => {
    expect(jobColor('FAILED')).toBe('error');
    expect(jobColor('SUCCEEDED')).toBe('success');
    expect(jobColor('RUNNING')).toBe('processing');
    expect(JOB_STATUSES[0]).toBe('FAILED');
    expect(new Set(JOB_STATUSES).size).toBe(6);
  });

  it('says when a job last moved', () => {
    expect(jobTime({ createdAt: 'c', startedAt: 's', finishedAt: 'f' })).toBe('f');
    expect(jobTime({ createdAt: 'c', startedAt: 's', finishedAt: null })).toBe('s');
    expect(jobTime({ createdAt: 'c' })).toBe('c');
  });

  it('folds an output into indented JSON, nothing for none or {}', () => {
    expect(prettyJson(null)).toBeNull();
    expect(prettyJson(undefined)).toBeNull();
    expect(prettyJson({})).toBeNull();
    expect(prettyJson({ granted: true })).toBe('{\n  "granted": true\n}');
    expect(prettyJson('plain')).toBe('"plain"');
    expect(prettyJson([1])).toBe('[\n  1\n]');
  });

  it('pages newest first by id without repeating a row', () => {
    const a = [{ id: '9' }, { id: '7' }];
    expect(appendPage(a, [{ id: '7' }, { id: '5' }])).toEqual([{ id: '9' }, { id: '7' }, { id: '5' }]);
    expect(beforeCursor(a)).toBe('7');
    // ids compare as numbers, not strings
    expect(beforeCursor([{ id: '10' }, { id: '9' }, { id: '100' }])).toBe('9');
    expect(beforeCursor([])).toBeNull();
  });
});

describe('timeline events', () => {
  const job = { id: '3', seq: 0, name: '开通权限 Grant access', kind: 'it-access', attempt: 2 };

  it('reads the job, attempt, error and retry time of job events', () => {
    expect(eventDetail('job_retrying', { job, error: 'timeout', retry_at: '2026-12-04T10:00:00Z' })).toEqual({
      jobName: '开通权限 Grant access',
      attempt: 2,
      error: 'timeout',
      retryAt: '2026-12-04T10:00:00Z',
      score: null,
    });
    expect(eventDetail('job_failed', { job, error: 'boom' })).toMatchObject({ jobName: job.name, error: 'boom', retryAt: null });
    expect(eventDetail('job_started', { job, reclaimed: false })).toMatchObject({ jobName: job.name, attempt: 2, error: null });
  });

  it('names the last job of processing_finished, without an attempt', () => {
    expect(eventDetail('processing_finished', { job, via: 'job_skipped', changes: [] })).toMatchObject({ jobName: job.name, attempt: null, error: null });
    // finished by hand (finishProcessing): no job
    expect(eventDetail('processing_finished', { changes: [] }).jobName).toBeNull();
  });

  it('reads a rating and ignores what other events carry', () => {
    expect(eventDetail('rated', { score: 4, comment: 'quick' }).score).toBe(4);
    expect(eventDetail('commented', { body: 'hi', score: 4, error: 'x' })).toEqual({ jobName: null, attempt: null, error: null, retryAt: null, score: null });
    expect(eventDetail('job_failed', null)).toEqual({ jobName: null, attempt: null, error: null, retryAt: null, score: null });
    expect(eventDetail('job_failed', { job: { name: '  ' }, error: '' })).toMatchObject({ jobName: null, error: null });
  });

  it('tells job events apart and colours failures red', () => {
    expect(isJobEvent('job_retried')).toBe(true);
    expect(isJobEvent('rejected')).toBe(false);
    expect(eventColor('job_failed')).toBe('red');
    expect(eventColor('job_retrying')).toBe('orange');
    expect(eventColor('processing_finished')).toBe('green');
    expect(eventColor('submitted')).toBe('blue');
  });

  it('has Chinese and English words for every new event kind and job status', () => {
    const kinds = ['job_started', 'job_succeeded', 'job_retrying', 'job_failed', 'job_retried', 'job_skipped', 'job_accepted', 'rated'] as const;
    for (const k of kinds) {
      expect(texts.zhCN.events[k], k).toBeTruthy();
      expect(texts.en.events[k], k).toBeTruthy();
    }
    for (const s of JOB_STATUSES) {
      expect(texts.zhCN.jobs.statuses[s]).toBeTruthy();
      expect(texts.en.jobs.statuses[s]).toBeTruthy();
    }
    expect(texts.zhCN.jobs.statuses.FAILED).toBe('执行异常');
    // merged into the app's texts, next to the older events
    expect(i18n.t('events.job_failed', { lng: 'zh-CN' })).toBe('任务执行异常');
    expect(i18n.t('events.submitted', { lng: 'zh-CN' })).toBe('提交了申请');
    expect(i18n.t('events.job_failed', { lng: 'en' })).toBe('job failed');
    expect(i18n.t('events.system', { lng: 'en' })).toBe('System');
    expect(i18n.t('errors.already_rated', { lng: 'en' })).toBe('This ticket has been rated already');
  });
});

describe('ratings', () => {
  const done = { status: 'DONE', applicant: { id: '2' }, rating: null };

  it('only the applicant rates, a done ticket, once', () => {
    expect(canRate(done, '2')).toBe(true);
    expect(canRate(done, '3')).toBe(false);
    expect(canRate(done, null)).toBe(false);
    expect(canRate({ ...done, status: 'PROCESSING' }, '2')).toBe(false);
    expect(canRate({ ...done, rating: { score: 5 } }, '2')).toBe(false);
    expect(canRate({ ...done, applicant: null }, '2')).toBe(false);
    // rejected tickets are rated too, withdrawn ones are not offered
    expect(canRate({ ...done, result: 'REJECTED' }, '2')).toBe(true);
    expect(canRate({ ...done, result: 'WITHDRAWN' }, '2')).toBe(false);
  });

  it('sends a trimmed comment, none when empty, and counts characters as the server does', () => {
    expect(ratingComment('  good  ')).toBe('good');
    expect(ratingComment('   ')).toBeNull();
    expect(charCount('满意😀')).toBe(3);
    expect('满意😀'.length).toBe(4);
  });
});
