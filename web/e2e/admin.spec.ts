import { apiLogin, chooseUser, expect, gql, login, openAs, shot, test, uniqueTitle } from './helpers';

test('admin creates a user, and an API token whose secret is shown once', async ({ page }) => {
  const username = `e2e.${Date.now().toString(36)}`;
  await login(page, 'admin', '/admin/users');
  await expect(page.locator('tr', { hasText: 'alice' }).first()).toBeVisible();
  await shot(page, 'admin-users');
  await page.getByTestId('user-create').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill(username);
  await dialog.getByLabel('姓名').fill('测试 E2E');
  await dialog.getByLabel('企业微信 ID').fill('E2EWeCom');
  await dialog.getByLabel('初始密码').fill('signoff-e2e-1');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  await page.getByPlaceholder('搜索').fill(username);
  await page.getByPlaceholder('搜索').press('Enter');
  await expect(page.locator('tr', { hasText: username })).toContainText('E2EWeCom');

  // server validation errors land on their field
  await page.getByTestId('user-create').click();
  await dialog.getByLabel('用户名').fill('Bad Name!');
  await dialog.getByLabel('姓名').fill('x');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog.locator('.ant-form-item-explain-error').first()).toBeVisible();
  await dialog.getByRole('button', { name: /取\s*消/ }).click();

  await page.goto('/admin/tokens');
  await page.getByTestId('token-create').click();
  const tokenDialog = page.getByRole('dialog', { name: '新建令牌' });
  await chooseUser(page, '所属用户', 'ops-bot', '运维机器人');
  await tokenDialog.getByLabel('名称').fill('e2e bot token');
  await tokenDialog.getByRole('button', { name: /保\s*存/ }).click();
  const secret = page.getByTestId('token-secret');
  await expect(secret).toContainText('so_');
  const value = (await secret.textContent())!.trim();
  await shot(page, 'admin-token-secret');
  await page.getByTestId('secret-close').click();
  await expect(page.locator('tr', { hasText: 'e2e bot token' })).toBeVisible();
  await expect(page.getByText(value)).toHaveCount(0);

  // the secret works as a bearer token
  const me = await gql<{ me: { username: string } }>(page.request, value, '{ me { username } }');
  expect(me.me.username).toBe('ops-bot');
});

test('a proxy acts for bob: "acting for" in the inbox and on the timeline', async ({ page, browser, request, errorLog }) => {
  const admin = await apiLogin(request, 'admin');
  const ids = await gql<{ users: { nodes: { id: string; username: string }[] } }>(request, admin, '{ users(first: 40) { nodes { id username } } }');
  const id = (u: string) => ids.users.nodes.find((x) => x.username === u)!.id;
  const now = Date.now();
  const proxy = await gql<{ createProxy: { id: string } }>(
    request,
    admin,
    'mutation($input: CreateProxyInput!) { createProxy(input: $input) { id } }',
    { input: { principalId: id('bob'), proxyId: id('zhang.min'), templateCode: 'it-access', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() } },
  );
  try {
    await login(page, 'admin', '/admin/proxies');
    await expect(page.locator('tr', { hasText: '张敏 Zhang Min' }).first()).toContainText('it-access');

    const title = uniqueTitle('代理审批');
    const token = await apiLogin(request, 'alice');
    await gql(request, token, 'mutation($input: SubmitTicketInput!) { submitTicket(input: $input) { ticket { id } } }', {
      input: { templateCode: 'it-access', title, form: { system: 'grafana', level: 'read', justification: 'dashboards' } },
    });
    const zm = await openAs(browser, errorLog, 'zhang.min', '/inbox');
    const row = zm.page.getByTestId('inbox-pending').locator('tr', { hasText: title });
    await expect(row.getByTestId('acting-for')).toContainText('代 Bob 王博');
    await shot(zm.page, 'inbox-proxy');
    await row.getByTestId('inbox-title').click();
    await zm.page.getByTestId('my-pending').getByTestId('action-approve').click();
    await zm.page.getByTestId('decision-ok').click();
    await expect(zm.page.getByTestId('timeline')).toContainText('代 Bob 王博 处理');
    // 已处理 of both: the proxy's says whom they acted for, bob's who decided for him
    await zm.page.goto('/inbox');
    await zm.page.getByRole('tab', { name: /已处理/ }).click();
    const mine = zm.page.getByTestId('inbox-handled').locator('tr', { hasText: title });
    await expect(mine.getByTestId('acting-for')).toContainText('代 Bob 王博');
    await expect(mine.getByTestId('handled-decision')).toHaveText('已通过');
    await zm.context.close();
    const bob = await openAs(browser, errorLog, 'bob', '/inbox');
    await bob.page.getByRole('tab', { name: /已处理/ }).click();
    const his = bob.page.getByTestId('inbox-handled').locator('tr', { hasText: title });
    await expect(his.getByTestId('decided-by-proxy')).toContainText('张敏 Zhang Min 代处理');
    await expect(his.getByTestId('handled-decision')).toHaveText('已通过');
    await bob.context.close();
  } finally {
    await gql(request, admin, 'mutation($id: ID!) { revokeProxy(id: $id) { id } }', { id: proxy.createProxy.id });
  }
});
