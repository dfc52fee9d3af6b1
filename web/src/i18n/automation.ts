// Texts of automation jobs (自动化任务), satisfaction ratings (满意度) and
// their timeline events, loaded with the ticket page and the administrators'
// job list rather than with every screen (the staff screens' bundle
// budget). Like ./notify.ts, this module talks to i18next itself: importing
// ./index from a lazy chunk costs the staff screens more than these texts
// weigh. Their error codes are here too (the only screens that meet them).
import i18n from 'i18next';

export const zhCN = {
  jobs: {
    title: '自动化任务',
    statuses: { PENDING: '待执行', RUNNING: '运行中', SUCCEEDED: '完成', FAILED: '执行异常', SKIPPED: '已跳过', CANCELLED: '已取消' },
    executors: { bot: '机器人', webhook: 'Webhook' },
    exception: '执行异常',
    exceptionHint: '自动化任务执行失败，工单停在处理中，等待管理员重试、跳过或放弃并拒绝。',
    attempts: '尝试 {{attempts}}/{{max}}',
    attemptsColumn: '尝试次数',
    lastError: '最近错误',
    output: '输出',
    created: '创建 {{at}}',
    started: '开始 {{at}}',
    finished: '结束 {{at}}',
    availableAt: '{{at}} 后执行',
    lease: '租约到期 {{at}}',
    retry: '重试',
    retried: '任务已重新排队',
    skip: '跳过',
    skipConfirm: '跳过这个任务？工单会像它已完成一样继续。',
    skipped: '任务已跳过',
    reject: '放弃并拒绝',
    rejectTitle: '放弃并拒绝工单',
    rejectHint: '工单将结束为“已否决”，未完成的任务会被取消。申请人会收到通知。',
    rejectReason: '原因（必填）',
    rejected: '工单已拒绝',
    // the administrators' list (/admin/jobs)
    ticket: '工单',
    name: '任务',
    kind: '类型（队列）',
    status: '状态',
    when: '时间',
    ticketClosed: '工单已结束',
    kindFilter: '按类型筛选',
    loadMore: '加载更多',
    end: '没有更多了',
    none: '没有处于“{{status}}”的任务',
    secret: 'Webhook 签名密钥',
    secretHint: 'Webhook 接收方用它校验请求签名（Standard Webhooks，whsec_…）。请妥善保管。',
    show: '显示',
    hide: '隐藏',
  },
  rating: {
    title: '满意度评价',
    prompt: '这张工单已完成，对处理结果满意吗？',
    score: '评分',
    scores: { 1: '很差', 2: '较差', 3: '一般', 4: '满意', 5: '非常满意' },
    comment: '评价内容（可选）',
    submit: '提交评价',
    thanks: '感谢你的评价',
    pick: '请先选择星级',
    ratedAt: '{{name}} 于 {{at}} 评价',
    stars: '{{score}} 星',
  },
  events: {
    job_started: '开始执行任务',
    job_succeeded: '任务完成',
    job_retrying: '任务失败，稍后重试',
    job_failed: '任务执行异常',
    job_retried: '重试了任务',
    job_skipped: '跳过了任务',
    job_accepted: '任务已被接收方受理',
    rated: '评价了工单',
    retryAt: '将于 {{at}} 重试',
    attempt: '第 {{attempt}} 次',
  },
  errors: {
    already_rated: '这张工单已经评价过了',
    not_done: '工单完成后才能评价',
    invalid_score: '评分应为 1 到 5 星',
    job_not_failed: '只有执行异常的任务可以重试',
    job_not_skippable: '只有执行异常或待执行的任务可以跳过',
    job_finished: '任务已经结束',
    job_closed: '工单已结束，任务已取消',
    lease_lost: '任务的租约已失效',
    job_timed_out: '任务已超过超时时间',
    invalid_kinds: '任务类型无效',
    invalid_max: '一次领取的任务数无效',
    invalid_lease: '租约时长无效',
    invalid_error: '请说明失败原因',
    output_too_large: '任务输出过大',
  },
};

type Deep<T> = { [K in keyof T]: T[K] extends string ? string : Deep<T[K]> };

export const en: Deep<typeof zhCN> = {
  jobs: {
    title: 'Automations',
    statuses: { PENDING: 'Pending', RUNNING: 'Running', SUCCEEDED: 'Done', FAILED: 'Failed', SKIPPED: 'Skipped', CANCELLED: 'Cancelled' },
    executors: { bot: 'Bot', webhook: 'Webhook' },
    exception: 'Automation failed',
    exceptionHint: 'An automation failed for good: the ticket stays in processing until an administrator retries it, skips it or rejects the ticket.',
    attempts: 'Attempt {{attempts}}/{{max}}',
    attemptsColumn: 'Attempts',
    lastError: 'Last error',
    output: 'Output',
    created: 'Created {{at}}',
    started: 'Started {{at}}',
    finished: 'Finished {{at}}',
    availableAt: 'Runs after {{at}}',
    lease: 'Lease until {{at}}',
    retry: 'Retry',
    retried: 'Job queued again',
    skip: 'Skip',
    skipConfirm: 'Skip this job? The ticket goes on as if it had succeeded.',
    skipped: 'Job skipped',
    reject: 'Reject ticket',
    rejectTitle: 'Give up and reject the ticket',
    rejectHint: 'The ticket ends rejected and its open jobs are cancelled. The applicant is told.',
    rejectReason: 'Reason (required)',
    rejected: 'Ticket rejected',
    ticket: 'Ticket',
    name: 'Job',
    kind: 'Kind (queue)',
    status: 'Status',
    when: 'When',
    ticketClosed: 'Ticket closed',
    kindFilter: 'Filter by kind',
    loadMore: 'Load more',
    end: 'No more',
    none: 'No jobs in “{{status}}”',
    secret: 'Webhook signing secret',
    secretHint: 'Webhook receivers check request signatures with it (Standard Webhooks, whsec_…). Keep it safe.',
    show: 'Show',
    hide: 'Hide',
  },
  rating: {
    title: 'Satisfaction',
    prompt: 'This ticket is done. How satisfied are you?',
    score: 'Score',
    scores: { 1: 'Poor', 2: 'Fair', 3: 'OK', 4: 'Good', 5: 'Excellent' },
    comment: 'Comment (optional)',
    submit: 'Submit rating',
    thanks: 'Thank you for rating',
    pick: 'Pick a number of stars first',
    ratedAt: 'Rated by {{name}} on {{at}}',
    stars: '{{score}} stars',
  },
  events: {
    job_started: 'started a job',
    job_succeeded: 'job done',
    job_retrying: 'job failed, will retry',
    job_failed: 'job failed',
    job_retried: 'retried a job',
    job_skipped: 'skipped a job',
    job_accepted: 'job accepted by the receiver',
    rated: 'rated the ticket',
    retryAt: 'retries at {{at}}',
    attempt: 'attempt {{attempt}}',
  },
  errors: {
    already_rated: 'This ticket has been rated already',
    not_done: 'A ticket is rated once it is done',
    invalid_score: 'A rating is 1 to 5 stars',
    job_not_failed: 'Only a failed job can be retried',
    job_not_skippable: 'Only a failed or waiting job can be skipped',
    job_finished: 'This job has already finished',
    job_closed: 'The ticket closed; this job was cancelled',
    lease_lost: 'The lease on this job lapsed',
    job_timed_out: 'This job ran past its timeout',
    invalid_kinds: 'Invalid job kinds',
    invalid_max: 'Invalid number of jobs to claim',
    invalid_lease: 'Invalid lease length',
    invalid_error: 'Say what went wrong',
    output_too_large: 'The job output is too large',
  },
};

const add = (lng: string, texts: object) => i18n.addResourceBundle(lng, 'translation', texts, true, false);
add('zh-CN', zhCN);
// English is loaded on demand (./index.ts, which adds it only when it has no
// English yet): add these after it, never before.
if (i18n.hasResourceBundle('en', 'translation')) add('en', en);
else {
  const added = (lng: string) => {
    if (lng !== 'en') return;
    i18n.store.off('added', added);
    add('en', en);
  };
  i18n.store.on('added', added);
}
