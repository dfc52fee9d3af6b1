import type { APIRequestContext, Page } from '@playwright/test';
import { apiLogin, expect, gql, login, openAs, shot, test, uniqueTitle, waitLive } from './helpers';

// Automation jobs (自动化工单) end to end: a template with no chain and one
// bot task, a ticket that goes straight to processing, a bot (ops-bot's API
// token) that claims and fails its job, the administrator who sees the
// exception and retries, the bot that completes it, and the applicant who
// rates the finished ticket.

interface Setup {
  admin: string;
  alice: string;
  bot: string;
  code: string;
  kind: string;
}

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** A template with no chain and one bot task of a kind only this test serves. */
async function setUp(request: APIRequestContext): Promise<Setup> {
  const admin = await apiLogin(request, 'admin');
  const alice = await apiLogin(request, 'alice');
  const s = suffix();
  const code = `e2e-auto-${s}`;
  const kind = `e2e-bot-${s}`;
  await gql(request, admin, 'mutation($i: TemplateInput!) { createTemplate(input: $i) { id } }', {
    i: {
      code,
      name: `E2E 自动化 ${s}`,
      category: 'E2E',
      form: { fields: [{ key: 'account', label: '账号 Account', type: 'text', required: true }] },
      chain: { steps: [] },
      automations: [{ name: 'grant', executor: 'bot', kind, retry: { max_attempts: 1, backoff_secs: 0 } }],
    },
  });
  const users = await gql<{ users: { nodes: { id: string; username: string }[] } }>(
    request,
    admin,
    'query { users(search: "ops-bot", first: 5) { nodes { id username } } }',
  );
  const botId = users.users.nodes.find((u) => u.username === 'ops-bot')!.id;
  const token = await gql<{ createApiToken: { secret: string } }>(
    request,
    admin,
    'mutation($u: ID!) { createApiToken(userId: $u, name: "e2e") { secret } }',
    { u: botId },
  );
  return { admin, alice, bot: token.createApiToken.secret, code, kind };
}

/** alice files a ticket of the template; it goes straight to processing with one waiting job. */
async function file(request: APIRequestContext, s: Setup, title: string): Promise<{ id: string; number: string; jobId: string }> {
  const d = await gql<{ submitTicket: { ticket: { id: string; number: string; status: string; jobs: { id: string; status: string }[] } } }>(
    request,
    s.alice,
    'mutation($input: SubmitTicketInput!) { submitTicket(input: $input) { ticket { id number status jobs { id status } } } }',
    { input: { templateCode: s.code, title, form: { account: 'alice' } } },
  );
  const t = d.submitTicket.ticket;
  expect(t.status).toBe('PROCESSING');
  expect(t.jobs.map((j) => j.status)).toEqual(['PENDING']);
  return { id: t.id, number: t.number, jobId: t.jobs[0].id };
}

/** The bot claims the job of its kind that is due (it must be `jobId`). */
async function claim(request: APIRequestContext, s: Setup, jobId: string) {
  const d = await gql<{ claimJobs: { id: string; attempts: number }[] }>(
    request,
    s.bot,
    'mutation($k: [String!]!) { claimJobs(kinds: $k, max: 1, leaseSeconds: 30) { id attempts } }',
    { k: [s.kind] },
  );
  expect(d.claimJobs.map((j) => j.id)).toEqual([jobId]);
}

/** A ticket whose only job failed for good ("boom"): an exception. */
async function failedTicket(request: APIRequestContext, s: Setup, title: string) {
  const t = await file(request, s, title);
  await claim(request, s, t.jobId);
  const d = await gql<{ failJob: { status: string; lastError: string } }>(
    request,
    s.bot,
    'mutation($j: ID!) { failJob(jobId: $j, error: "boom", retryable: false) { status lastError } }',
    { j: t.jobId },
  );
  expect(d.failJob).toEqual({ status: 'FAILED', lastError: 'boom' });
  return t;
}

/** Clicks OK in the open Popconfirm once it has finished zooming in. */
async function confirmPop(page: Page) {
  const pop = page.locator('.ant-popconfirm:visible');
  await expect(pop).not.toHaveClass(/-(appear|enter)\b/);
  await pop.getByRole('button', { name: /确\s*定/ }).click();
  await expect(pop).toHaveCount(0);
}

test('a failed automation: the admin sees the exception and retries, the bot completes it live, the applicant rates', async ({
  page,
  browser,
  request,
  errorLog,
}) => {
  const s = await setUp(request);
  const title = uniqueTitle('自动化');
  const t = await failedTicket(request, s, title);

  // the ticket page: the exception next to the status, the job with its error, the timeline
  await login(page, 'admin', `/tickets/${t.id}`);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('ticket-status')).toContainText('处理中');
  await expect(page.getByTestId('ticket-exception')).toContainText('执行异常');
  const jobs = page.getByTestId('jobs');
  const job = jobs.getByTestId(`job-${t.jobId}`);
  await expect(job).toContainText('grant');
  await expect(job.getByTestId('job-status')).toHaveText('执行异常');
  await expect(job.getByTestId('job-attempts')).toHaveText('尝试 1/1');
  await expect(job.getByTestId('job-error')).toContainText('boom');
  await expect(jobs.getByTestId('jobs-exception')).toBeVisible();
  await expect(job.getByTestId('job-retry')).toBeVisible();
  await expect(job.getByTestId('job-skip')).toBeVisible();
  await expect(jobs.getByTestId('reject-processing')).toBeVisible();
  const timeline = page.getByTestId('timeline');
  const failed = timeline.locator('[data-kind="job_failed"]');
  await expect(failed).toContainText('系统');
  await expect(failed).toContainText('任务执行异常');
  await expect(failed.getByTestId('event-job')).toContainText('grant');
  await expect(failed.getByTestId('event-error')).toHaveText('boom');
  await expect(timeline.locator('[data-kind="job_started"]')).toContainText('开始执行任务');
  await shot(page, 'ticket-automation-exception');

  // the administrators' list: failed jobs, newest first
  await page.goto('/admin/jobs');
  await expect(page.getByRole('menuitem', { name: '自动化任务' })).toBeVisible();
  const row = page.getByTestId('jobs-list').locator(`tr[data-job-id="${t.jobId}"]`);
  await expect(row).toContainText(t.number);
  await expect(row).toContainText('grant');
  await expect(row).toContainText(s.kind);
  await expect(row).toContainText('1/1');
  await expect(row.getByTestId('job-error')).toHaveText('boom');
  await expect(row.getByTestId('job-status')).toHaveText('执行异常');

  // the webhook signing secret, behind a click
  const secret = await gql<{ webhookSigningSecret: string }>(request, s.admin, '{ webhookSigningSecret }');
  expect(secret.webhookSigningSecret).toMatch(/^whsec_/);
  await expect(page.getByText(secret.webhookSigningSecret)).toHaveCount(0);
  await page.getByTestId('webhook-secret-toggle').click();
  await expect(page.getByTestId('webhook-secret-value')).toContainText(secret.webhookSigningSecret);
  await expect(page.getByTestId('webhook-secret').getByRole('button', { name: /复制|copy/i })).toBeVisible();
  await shot(page, 'admin-jobs');
  await page.getByTestId('webhook-secret-toggle').click();
  await expect(page.getByText(secret.webhookSigningSecret)).toHaveCount(0);

  // retry: the job leaves the failed list, and waits among the pending ones
  await row.getByTestId('job-retry').click();
  await expect(page.getByText('任务已重新排队')).toBeVisible();
  await expect(row).toHaveCount(0);
  await page.getByLabel('状态').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '待执行' }).click();
  await expect(row.getByTestId('job-status')).toHaveText('待执行');
  await expect(row.getByTestId('job-retry')).toHaveCount(0);
  await row.getByTestId('job-ticket').click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${t.id}$`));

  // the ticket page follows the bot without a reload
  await waitLive(page);
  await expect(page.getByTestId('ticket-exception')).toHaveCount(0);
  await expect(job.getByTestId('job-status')).toHaveText('待执行');
  await expect(job.getByTestId('job-retry')).toHaveCount(0);
  await expect(timeline.locator('[data-kind="job_retried"]')).toContainText('系统管理员 Admin');
  await claim(request, s, t.jobId);
  await expect(job.getByTestId('job-status')).toHaveText('运行中');
  await gql(request, s.bot, 'mutation($j: ID!) { completeJob(jobId: $j, output: { granted: true, account: "alice" }) { status } }', { j: t.jobId });
  await expect(page.getByTestId('ticket-status')).toContainText('已完成 · 已通过');
  await expect(job.getByTestId('job-status')).toHaveText('完成');
  await job.getByTestId('job-output').locator('summary').click();
  await expect(job.getByTestId('job-output')).toContainText('"granted": true');
  await expect(timeline.locator('[data-kind="processing_finished"]')).toContainText('处理完成');
  await expect(jobs.getByTestId('reject-processing')).toHaveCount(0);
  // not the applicant: no rating form
  await expect(page.getByTestId('rating-form')).toHaveCount(0);

  // alice rates it once; the admin's page shows the rating live
  const { context, page: alicePage } = await openAs(browser, errorLog, 'alice', `/tickets/${t.id}`);
  const form = alicePage.getByTestId('rating-form');
  await expect(form).toContainText('满意度评价');
  await expect(alicePage.getByTestId('rating-submit')).toBeDisabled();
  await alicePage.getByTestId('rating-input').locator('.ant-rate-star').nth(3).click();
  await expect(form).toContainText('满意');
  await form.getByLabel('评价内容（可选）').fill('开通很快 quick');
  await alicePage.getByTestId('rating-submit').click();
  const rating = alicePage.getByTestId('rating');
  await expect(rating.getByTestId('rating-stars')).toHaveAttribute('data-score', '4');
  await expect(rating.getByTestId('rating-comment')).toHaveText('开通很快 quick');
  await expect(alicePage.getByTestId('rating-form')).toHaveCount(0);
  await expect(alicePage.getByTestId('timeline').locator('[data-kind="rated"]')).toContainText('评价了工单');
  await shot(alicePage, 'ticket-rated');
  await expect(page.getByTestId('rating').getByTestId('rating-comment')).toHaveText('开通很快 quick');
  await expect(page.getByTestId('rating').getByTestId('rating-stars')).toHaveAttribute('data-score', '4');

  // a second rating is refused by the server
  const again = await request.post('/graphql', {
    data: { query: 'mutation($t: ID!) { rateTicket(ticketId: $t, score: 1) { replayed } }', variables: { t: t.id } },
    headers: { authorization: `Bearer ${s.alice}` },
  });
  const body = (await again.json()) as { errors?: { extensions?: { code?: string } }[] };
  expect(body.errors?.[0]?.extensions?.code).toBe('already_rated');
  await context.close();
});

test('the admin skips one failed job and gives up on another ticket with a reason', async ({ page, request }) => {
  const s = await setUp(request);
  const skipped = await failedTicket(request, s, uniqueTitle('跳过'));
  const given = await failedTicket(request, s, uniqueTitle('放弃'));

  // skip: the ticket goes on as if the job had succeeded
  await login(page, 'admin', `/tickets/${skipped.id}`);
  await expect(page.getByTestId('ticket-exception')).toBeVisible();
  const job = page.getByTestId(`job-${skipped.jobId}`);
  await job.getByTestId('job-skip').click();
  await confirmPop(page);
  await expect(page.getByTestId('ticket-status')).toContainText('已完成 · 已通过');
  await expect(job.getByTestId('job-status')).toHaveText('已跳过');
  await expect(page.getByTestId('ticket-exception')).toHaveCount(0);
  await expect(page.getByTestId('timeline').locator('[data-kind="processing_finished"]')).toBeVisible();

  // give up: a reason is required, then the ticket ends rejected
  await page.goto(`/tickets/${given.id}`);
  await expect(page.getByTestId('ticket-exception')).toBeVisible();
  await page.getByTestId('reject-processing').click();
  const dialog = page.getByRole('dialog', { name: '放弃并拒绝工单' });
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('reject-processing-ok').click();
  await expect(dialog.getByRole('alert')).toContainText('请填写原因');
  await dialog.getByLabel('原因（必填）').fill('账号系统下线 system retired');
  await dialog.getByTestId('reject-processing-ok').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('ticket-status')).toContainText('已完成 · 已否决');
  await expect(page.getByTestId('ticket-exception')).toHaveCount(0);
  await expect(page.getByTestId('reject-processing')).toHaveCount(0);
  const rejected = page.getByTestId('timeline').locator('[data-kind="rejected"]');
  await expect(rejected).toContainText('系统管理员 Admin');
  await expect(rejected).toContainText('账号系统下线 system retired');

  // the skipped job is not in the failed list; the one of the rejected
  // ticket stays FAILED (the server cancels only open jobs) but has nothing
  // left to do
  await page.goto('/admin/jobs');
  const list = page.getByTestId('jobs-list');
  const closed = list.locator(`tr[data-ticket-id="${given.id}"]`);
  await expect(closed.getByTestId('job-ticket-closed')).toHaveText('工单已结束');
  await expect(closed.getByTestId('job-retry')).toHaveCount(0);
  await expect(closed.getByTestId('job-skip')).toHaveCount(0);
  await expect(list.locator(`tr[data-ticket-id="${skipped.id}"]`)).toHaveCount(0);
  await page.goto(`/tickets/${given.id}`);
  await expect(page.getByTestId(`job-${given.jobId}`).getByTestId('job-status')).toHaveText('执行异常');
  await expect(page.getByTestId('job-retry')).toHaveCount(0);
});

test('English: automation texts, the job list and the rating', async ({ page, request }) => {
  const s = await setUp(request);
  const t = await failedTicket(request, s, uniqueTitle('English'));
  await login(page, 'admin', `/tickets/${t.id}`);
  await page.getByRole('button', { name: '语言' }).click();
  await expect(page.getByTestId('ticket-exception')).toContainText('Automation failed');
  await expect(page.getByTestId('jobs')).toContainText('Automations');
  await expect(page.getByTestId(`job-${t.jobId}`).getByTestId('job-status')).toHaveText('Failed');
  await expect(page.getByTestId('timeline').locator('[data-kind="job_failed"]')).toContainText('System');
  await expect(page.getByTestId('timeline').locator('[data-kind="job_failed"]')).toContainText('job failed');
  await page.goto('/admin/jobs');
  await expect(page.getByRole('menuitem', { name: 'Automations' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Automations' })).toBeVisible();
  await expect(page.getByTestId('webhook-secret')).toContainText('Webhook signing secret');
  await page.getByRole('button', { name: 'Language' }).click();
  await expect(page.getByRole('heading', { name: '自动化任务' })).toBeVisible();
});
