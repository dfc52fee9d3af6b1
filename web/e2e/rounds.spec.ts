import { expect, fileLeave, login, openAs, shot, test, uniqueTitle, waitLive } from './helpers';

test('return → edit (prefilled) → resubmit → approve', async ({ page, browser, errorLog }) => {
  const title = uniqueTitle('退回重提');
  await login(page, 'alice', '/catalogue');
  await fileLeave(page, title, { days: '1', reason: '第一次提交' });
  const ticketUrl = page.url();
  await waitLive(page);

  const bob = await openAs(browser, errorLog, 'bob', new URL(ticketUrl).pathname);
  await bob.page.getByTestId('my-pending').getByTestId('action-return').click();
  // the reason is required
  await bob.page.getByTestId('decision-ok').click();
  await expect(bob.page.getByText('请填写原因')).toBeVisible();
  await bob.page.getByLabel('原因（必填）').fill('请写明具体日期');
  await bob.page.getByTestId('decision-ok').click();
  await expect(bob.page.getByTestId('ticket-status')).toContainText('被退回');

  // alice sees the return live, with the reason
  await expect(page.getByTestId('ticket-status')).toContainText('被退回');
  await expect(page.getByTestId('timeline')).toContainText('请写明具体日期');
  await shot(page, 'ticket-returned');
  await page.getByTestId('edit-resubmit').click();
  await expect(page).toHaveURL(/\/resubmit$/);
  // prefilled with the filed form
  await expect(page.getByLabel('天数 Days')).toHaveValue('1');
  await expect(page.getByLabel('事由 Reason')).toHaveValue('第一次提交');
  await shot(page, 'resubmit');
  await page.getByLabel('事由 Reason').fill('12 月 21 日一天，家中有事');
  await page.getByTestId('resubmit-ticket').click();
  await expect(page).toHaveURL(ticketUrl);
  await expect(page.getByTestId('ticket-status')).toContainText('审批中');
  await expect(page.getByText('第 2 轮')).toBeVisible();
  await expect(page.getByTestId('rounds-history')).toContainText('请写明具体日期');

  // bob's page follows, and he approves round 2
  await expect(bob.page.getByTestId('ticket-status')).toContainText('审批中');
  await bob.page.getByTestId('my-pending').getByTestId('action-approve').click();
  await bob.page.getByTestId('decision-ok').click();
  await expect(page.getByTestId('ticket-status')).toContainText('已通过');
  await expect(page.getByTestId('form-view')).toContainText('12 月 21 日一天');
  await bob.context.close();
});
