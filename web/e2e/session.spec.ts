import { apiLogin, chooseOption, expect, gql, login, test } from './helpers';

test('an expired session asks for the password over the page and keeps the half-filled form', async ({ page, request }) => {
  await page.clock.install();
  await login(page, 'carol', '/new/leave');
  await chooseOption(page, '假期类型 Leave type', 'sick');
  await page.getByLabel('天数 Days').fill('2');
  await page.getByLabel('事由 Reason').fill('写了一半的事由');

  // the admin sets carol a new password: every session of hers ends on the server
  const admin = await apiLogin(request, 'admin');
  const users = await gql<{ users: { nodes: { id: string; username: string }[] } }>(request, admin, '{ users(search: "carol") { nodes { id username } } }');
  const carol = users.users.nodes.find((u) => u.username === 'carol')!;
  await gql(request, admin, 'mutation($input: UpdateUserInput!) { updateUser(input: $input) { id } }', { input: { id: carol.id, password: 'signoff-2026' } });

  // 16 minutes later the access token has run out and the refresh is refused
  await page.clock.fastForward('16:00');
  const dialog = page.getByRole('dialog', { name: '登录已过期' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('密码').fill('signoff-2026');
  await dialog.getByRole('button', { name: /^登\s*录$/ }).click();
  await expect(dialog).toBeHidden();

  // nothing typed was lost; filing works with the new session
  await expect(page.getByLabel('天数 Days')).toHaveValue('2');
  await expect(page.getByLabel('事由 Reason')).toHaveValue('写了一半的事由');
  await page.getByLabel('开始日期 Start').fill('2026-12-24');
  await page.getByLabel('开始日期 Start').press('Enter');
  await page.getByTestId('submit-ticket').click();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await expect(page.getByTestId('ticket-status')).toContainText('审批中');
});

test('a reload keeps the session (refresh token) and a draft survives it', async ({ page }) => {
  await login(page, 'alice', '/new/leave');
  await page.getByLabel('事由 Reason').fill('草稿内容');
  await page.reload();
  await expect(page.getByTestId('user-name')).toContainText('Alice');
  await expect(page.getByText('已恢复上次未提交的草稿')).toBeVisible();
  await expect(page.getByLabel('事由 Reason')).toHaveValue('草稿内容');
});
