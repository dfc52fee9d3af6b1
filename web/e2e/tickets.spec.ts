import { apiFileLeave, apiLogin, expect, gql, login, shot, test, uniqueTitle } from './helpers';

test('my tickets: search, filters, then comment, urge and withdraw on the ticket page', async ({ page, request }) => {
  const title = uniqueTitle('我的工单');
  const id = await apiFileLeave(request, 'alice', title);
  const token = await apiLogin(request, 'alice');
  const t = await gql<{ ticket: { number: string } }>(request, token, 'query($id: ID!) { ticket(id: $id) { number } }', { id });

  await login(page, 'alice', '/tickets');
  const table = page.getByTestId('my-tickets');
  await expect(table).toContainText(title);
  await page.getByLabel('按单号或标题搜索').fill(t.ticket.number);
  await page.getByLabel('按单号或标题搜索').press('Enter');
  await expect(page).toHaveURL(/q=/);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText(title);
  await shot(page, 'my-tickets');

  // a status filter that excludes it
  await page.getByLabel('状态').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '已完成' }).click();
  await expect(page).toHaveURL(/status=DONE/);
  await expect(table).not.toContainText(title);
  await expect(table).toContainText('还没有工单');

  await page.goto(`/tickets/${id}`);
  await page.getByLabel('评论').fill('补充：已和同事交接');
  await page.getByRole('button', { name: /发\s*送/ }).click();
  await expect(page.getByTestId('timeline')).toContainText('补充：已和同事交接');
  await page.getByTestId('urge').click();
  await expect(page.getByTestId('timeline')).toContainText('催办');
  await page.getByTestId('withdraw').click();
  await page.getByRole('button', { name: /确\s*定/ }).click();
  await expect(page.getByTestId('ticket-status')).toContainText('已撤回');
  await expect(page.getByTestId('withdraw')).toBeHidden();
});

test('English, and the reports page for a manager', async ({ page }) => {
  await login(page, 'bob', '/reports');
  // charts, or the empty state when nothing was filed in the last 30 days (reports.spec.ts has the figures)
  await expect(page.getByTestId('report-body')).toBeVisible();
  await shot(page, 'reports');
  await page.getByRole('button', { name: '语言' }).click();
  await expect(page.getByRole('link', { name: /Inbox/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
  await page.goto('/inbox');
  await expect(page.getByRole('tab', { name: /Pending/ })).toBeVisible();
  await shot(page, 'inbox-english');
  // the choice is remembered
  await page.reload();
  await expect(page.getByRole('tab', { name: /Pending/ })).toBeVisible();
  await page.getByRole('button', { name: 'Language' }).click();
  await expect(page.getByRole('tab', { name: /待处理/ })).toBeVisible();
});

test('my tickets: the newest at the top, Next/Previous pages of 20, a new ticket shows up live, filters go back to page 1', async ({ page, request }) => {
  const prefix = uniqueTitle('分页');
  const token = await apiLogin(request, 'alice');
  const file = (n: number) =>
    gql(request, token, 'mutation($input: SubmitTicketInput!) { submitTicket(input: $input) { ticket { id } } }', {
      input: {
        templateCode: 'leave',
        title: `${prefix} #${String(n).padStart(2, '0')}`,
        form: { leave_type: 'sick', start_date: '2026-12-22', days: 1, reason: 'e2e paging' },
      },
    });
  for (let n = 1; n <= 21; n++) await file(n);

  await login(page, 'alice', `/tickets?q=${encodeURIComponent(prefix)}`);
  const rows = page.getByTestId('my-tickets').locator('tbody tr');
  const prev = page.getByRole('button', { name: /上\s*一\s*页/ });
  const next = page.getByRole('button', { name: /下\s*一\s*页/ });
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText(`${prefix} #21`);
  await expect(rows.last()).toContainText(`${prefix} #02`);
  await expect(prev).toBeDisabled();

  await next.click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${prefix} #01`);
  await expect(page.getByTestId('my-tickets-pager-page')).toHaveText('第 2 页');
  await expect(next).toBeDisabled();

  await prev.click();
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText(`${prefix} #21`);
  await expect(prev).toBeDisabled();

  // filed elsewhere: page 1 gets it at the top without a reload
  await file(22);
  await expect(rows.first()).toContainText(`${prefix} #22`);
  await expect(rows).toHaveCount(20);

  // a filter change starts at page 1 again
  await next.click();
  await expect(page.getByTestId('my-tickets-pager-page')).toHaveText('第 2 页');
  await expect(rows).toHaveCount(2);
  await page.getByLabel('状态').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '审批中' }).click();
  await expect(page).toHaveURL(/status=IN_APPROVAL/);
  await expect(page.getByTestId('my-tickets-pager-page')).toBeHidden();
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText(`${prefix} #22`);
  await expect(prev).toBeDisabled();
});
