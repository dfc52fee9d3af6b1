import { expect, fileLeave, login, openAs, shot, test, uniqueTitle, waitLive } from './helpers';

test('alice files a leave request, bob sees it live and approves, alice sees DONE live', async ({ page, browser, errorLog }) => {
  const title = uniqueTitle('E2E 请假');
  // bob watches his inbox before the ticket exists
  const bob = await openAs(browser, errorLog, 'bob', '/inbox');
  await expect(bob.page.getByTestId('inbox-pending')).toBeVisible();
  await waitLive(bob.page);
  const before = Number((await bob.page.getByTestId('count-pending').textContent())?.trim() || '0');

  await login(page, 'alice', '/catalogue');
  await shot(page, 'catalogue');
  await fileLeave(page, title);
  await expect(page.getByTestId('ticket-status')).toContainText('审批中');
  await waitLive(page);
  await shot(page, 'ticket-in-approval');

  // appears in bob's inbox without a reload, the count goes up
  const row = bob.page.getByTestId('inbox-pending').locator('tr', { hasText: title });
  await expect(row).toBeVisible();
  await expect(bob.page.getByTestId('count-pending')).toContainText(String(before + 1));
  await shot(bob.page, 'inbox');
  await row.getByTestId('action-approve').click();
  await bob.page.getByLabel('审批意见（可选）').fill('同意，注意休息');
  await bob.page.getByTestId('decision-ok').click();
  await expect(row).toBeHidden();
  await expect(bob.page.getByTestId('count-pending')).toContainText(String(before));

  // alice's page turns DONE by itself
  await expect(page.getByTestId('ticket-status')).toContainText('已完成');
  await expect(page.getByTestId('ticket-status')).toContainText('已通过');
  await expect(page.getByTestId('timeline')).toContainText('同意，注意休息');
  await shot(page, 'ticket-done');

  // the handled tab remembers it
  await bob.page.getByRole('tab', { name: /已处理/ }).click();
  await expect(bob.page.getByTestId('inbox-handled')).toContainText(title);
  await bob.context.close();
});
