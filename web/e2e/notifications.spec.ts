import type { APIRequestContext, Page } from '@playwright/test';
import { apiLogin, chooseUser, expect, gql, login, shot, test } from './helpers';

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  kind: string;
  channel: string | null;
}

const DELIVERY_FIELDS = 'id eventId status attempts lastError kind channel';

async function userId(request: APIRequestContext, token: string, username: string): Promise<string> {
  const d = await gql<{ users: { nodes: { id: string; username: string }[] } }>(
    request,
    token,
    'query($s: String) { users(search: $s, first: 5) { nodes { id username } } }',
    { s: username },
  );
  return d.users.nodes.find((u) => u.username === username)!.id;
}

async function deliveriesOf(request: APIRequestContext, token: string, recipientId: string): Promise<Delivery[]> {
  const d = await gql<{ deliveries: Delivery[] }>(
    request,
    token,
    `query($r: ID) { deliveries(recipientId: $r, first: 50) { ${DELIVERY_FIELDS} } }`,
    { r: recipientId },
  );
  return d.deliveries;
}

/**
 * Clicks OK in the open Popconfirm once it has finished zooming in (a click
 * while it still moves can land beside the button).
 */
async function confirmPop(page: Page) {
  const pop = page.locator('.ant-popconfirm:visible');
  await expect(pop).not.toHaveClass(/-(appear|enter)\b/);
  await pop.getByRole('button', { name: /确\s*定/ }).click();
  await expect(pop).toHaveCount(0);
}

test('a person turns notifications off and on; the settings survive a reload', async ({ page, request }) => {
  const token = await apiLogin(request, 'dave');
  const reset = () =>
    gql(request, token, 'mutation { updateNotificationSettings(language: "zh-CN", muted: []) { language } }');
  await reset();
  try {
    await login(page, 'dave', '/inbox');
    await page.getByTestId('user-name').click();
    await page.getByTestId('menu-notifications').click();
    await expect(page).toHaveURL(/\/settings\/notifications$/);
    const matrix = page.getByTestId('notify-matrix');
    await expect(matrix.getByTestId('notify-email-commented')).toBeChecked();
    await expect(page.getByTestId('notify-save')).toBeDisabled();

    await matrix.getByTestId('notify-email-commented').uncheck();
    await matrix.getByTestId('notify-all-wecom_app').uncheck();
    await matrix.getByTestId('notify-email-sla_reminder').uncheck();
    await page.getByLabel('消息语言').selectOption('en');
    await expect(matrix.getByTestId('notify-wecom_app-assigned')).not.toBeChecked();
    await shot(page, 'notification-settings');
    await page.getByTestId('notify-save').click();
    await expect(page.getByText('通知设置已保存')).toBeVisible();
    await expect(page.getByTestId('notify-save')).toBeDisabled();

    // what the server keeps: a muted channel as channel:*, single pairs as they are
    const saved = await gql<{ notificationSettings: { language: string; muted: string[] } }>(
      request,
      token,
      '{ notificationSettings { language muted } }',
    );
    expect(saved.notificationSettings.language).toBe('en');
    expect([...saved.notificationSettings.muted].sort()).toEqual(['email:commented', 'email:sla_reminder', 'wecom_app:*']);

    await page.reload();
    await expect(matrix.getByTestId('notify-email-commented')).not.toBeChecked();
    await expect(matrix.getByTestId('notify-email-sla_reminder')).not.toBeChecked();
    await expect(matrix.getByTestId('notify-email-assigned')).toBeChecked();
    await expect(matrix.getByTestId('notify-wecom_app-outcome')).not.toBeChecked();
    await expect(matrix.getByTestId('notify-all-wecom_app')).not.toBeChecked();
    await expect(page.getByLabel('消息语言')).toHaveValue('en');

    // a wildcard saved elsewhere shows as a whole row
    await gql(request, token, 'mutation { updateNotificationSettings(language: "zh-CN", muted: ["*:urged"]) { language } }');
    await page.reload();
    await expect(matrix.getByTestId('notify-email-urged')).not.toBeChecked();
    await expect(matrix.getByTestId('notify-wecom_app-urged')).not.toBeChecked();
    await expect(matrix.getByTestId('notify-email-commented')).toBeChecked();
    await matrix.getByTestId('notify-wecom_app-urged').check();
    await page.getByTestId('notify-save').click();
    await expect(page.getByText('通知设置已保存')).toBeVisible();
    const after = await gql<{ notificationSettings: { muted: string[] } }>(request, token, '{ notificationSettings { muted } }');
    expect(after.notificationSettings.muted).toEqual(['email:urged']);

    // the page's texts come with it, in English too (loaded after the page)
    await page.getByRole('button', { name: '语言' }).click();
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
    await expect(page.getByLabel('Message language')).toBeVisible();
    await expect(page.getByLabel('Urged · Mail')).not.toBeChecked();
    await expect(page.getByLabel('Urged · WeCom')).toBeChecked();
    await page.getByRole('button', { name: 'Language' }).click();
    await expect(page.getByRole('heading', { name: '通知设置' })).toBeVisible();
  } finally {
    await reset();
  }
});

test('admin adds a group robot whose key is never shown again, then deletes it', async ({ page, request }) => {
  const admin = await apiLogin(request, 'admin');
  const name = `e2e 群 ${Date.now().toString(36)}`;
  const key = `e2eRobotKey${Date.now().toString(36)}Wxyz`;
  await login(page, 'admin', '/admin/notifications/robots');
  await expect(page.getByRole('menuitem', { name: '通知管理' })).toBeVisible();
  await page.getByTestId('robot-create').click();
  const dialog = page.getByRole('dialog', { name: '新建机器人' });
  await dialog.getByLabel('名称').fill(name);
  const keyInput = dialog.getByLabel('Webhook 密钥');
  await expect(keyInput).toHaveAttribute('type', 'password');
  await keyInput.fill(key);
  await dialog.getByLabel('部门').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '平台组 Platform Team' }).first().click();
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('机器人已创建')).toBeVisible();

  const row = page.getByTestId('robots').locator('tr', { hasText: name });
  await expect(row.getByTestId('robot-key-hint')).toHaveText('…Wxyz');
  await expect(row).toContainText('平台组 Platform Team');
  await expect(row).toContainText('全部模板');
  await shot(page, 'admin-robots');
  // the key is nowhere on the page, nor in the dialog opened again, nor after a reload
  await expect(page.getByText(key)).toHaveCount(0);
  await page.getByTestId('robot-create').click();
  await expect(dialog.getByLabel('Webhook 密钥')).toHaveValue('');
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  await page.reload();
  await expect(row.getByTestId('robot-key-hint')).toHaveText('…Wxyz');
  expect(await page.content()).not.toContain(key);
  const listed = await gql<{ robots: { name: string; keyHint: string }[] }>(request, admin, '{ robots { name keyHint } }');
  expect(listed.robots.find((r) => r.name === name)?.keyHint).toBe('…Wxyz');

  // a key that is not a webhook key is refused on its field
  await page.getByTestId('robot-create').click();
  await dialog.getByLabel('名称').fill(`${name} bad`);
  await dialog.getByLabel('Webhook 密钥').fill('not a key!');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog.locator('.ant-form-item-explain-error')).toContainText('key=');
  await dialog.getByRole('button', { name: /取\s*消/ }).click();

  await row.getByTestId('robot-delete').click();
  await confirmPop(page);
  await expect(page.getByText('机器人已删除')).toBeVisible();
  await expect(row).toHaveCount(0);
  const gone = await gql<{ robots: { name: string }[] }>(request, admin, '{ robots { name } }');
  expect(gone.robots.some((r) => r.name === name)).toBe(false);
});

test('admin sends a test message and follows its delivery; deliveries page, filter and retry', async ({ page, request }) => {
  const admin = await apiLogin(request, 'admin');
  const alice = await userId(request, admin, 'alice');
  await login(page, 'admin', '/admin/notifications/test');

  // a person without a mail address: refused, said so
  await chooseUser(page, '接收人', 'ops-bot', '运维机器人');
  await page.getByTestId('test-send').click();
  await expect(page.getByText('该用户没有这个渠道的地址')).toBeVisible();

  await chooseUser(page, '接收人', 'alice', 'Alice 李爱');
  await page.getByTestId('test-send').click();
  const result = page.getByTestId('test-result');
  await expect(result).toBeVisible();
  const deliveryId = (await result.getAttribute('data-delivery-id'))!;
  // the page shows what the server says about that delivery, as it changes
  const server = async () => (await deliveriesOf(request, admin, alice)).find((d) => d.id === deliveryId)!;
  const first = await server();
  expect(first.kind).toBe('test');
  expect(first.channel).toBe('EMAIL');
  expect(Number(first.eventId)).toBeLessThan(0);
  await expect
    .poll(async () => {
      const shown = await result.getByTestId('test-status').getAttribute('data-status');
      const d = await server();
      return shown === d.status.toUpperCase() ? d.status.toUpperCase() : `page ${shown}, server ${d.status}`;
    })
    .toMatch(/^(PENDING|SENDING|SENT|FAILED|DEAD)$/);
  // with no SMTP server configured (the e2e server has none) the sender
  // retries: FAILED, "mail is not configured", until it gives up (DEAD)
  const mail = await gql<{ channelSettings: { mail: { configured: boolean } } }>(request, admin, '{ channelSettings { mail { configured } } }');
  if (!mail.channelSettings.mail.configured) {
    await expect(result.getByTestId('test-status')).toHaveAttribute('data-status', /FAILED|DEAD/);
    await expect(result.getByTestId('test-error')).toContainText('mail is not configured');
    expect((await server()).lastError).toContain('mail is not configured');
  }
  await shot(page, 'admin-test-message');

  // 发送记录: newest first, our test message among them
  await page.getByTestId('tab-deliveries').click();
  await expect(page).toHaveURL(/\/admin\/notifications\/deliveries$/);
  const table = page.getByTestId('deliveries');
  const row = table.locator(`tr[data-delivery-id="${deliveryId}"]`);
  await expect(row).toContainText('测试消息');
  await expect(row).toContainText('邮件');
  await expect(row.getByTestId('delivery-status')).toHaveAttribute('data-status', /PENDING|SENDING|SENT|FAILED|DEAD/);
  await shot(page, 'admin-deliveries');

  // filters: a ticket without deliveries, then status and channel
  await page.getByTestId('deliveries-ticket').locator('input').fill('999999');
  await page.getByTestId('deliveries-ticket').locator('input').press('Enter');
  await expect(table).toContainText('没有发送记录');
  await page.getByTestId('deliveries-ticket').locator('input').fill('');
  await page.getByTestId('deliveries-ticket').locator('input').press('Enter');
  await expect(row).toBeVisible();
  const status = (await row.getByTestId('delivery-status').getAttribute('data-status'))!;
  const other = status === 'SENT' ? 'DEAD' : 'SENT';
  await page.getByLabel('状态').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: other === 'SENT' ? '已发送' : '死信' }).click();
  await expect(row).toHaveCount(0);
  for (const tag of await table.getByTestId('delivery-status').all()) await expect(tag).toHaveAttribute('data-status', other);
  await page.reload(); // filters are the page's state: all of them off again
  await expect(row).toBeVisible();

  // a failed or dead delivery can be sent again
  const current = await server();
  if (['failed', 'dead'].includes(current.status)) {
    await row.getByTestId('delivery-retry').click();
    await expect(page.getByText(/已重新排队|这条记录现在不能重试/)).toBeVisible();
  } else {
    await expect(row.getByTestId('delivery-retry')).toHaveCount(0);
  }

  // every dead letter again: the count the server returned
  await page.getByTestId('retry-dead').click();
  await confirmPop(page);
  await expect(page.locator('.retried-dead')).toContainText(/已重新排队 \d+ 条死信/);
});

test('deliveries load in pages, older ones below', async ({ page, request }) => {
  const admin = await apiLogin(request, 'admin');
  const carol = await userId(request, admin, 'carol');
  // enough test messages for two pages of 30
  for (let i = 0; i < 31; i++) {
    await gql(request, admin, 'mutation($u: ID!) { sendTestNotification(channel: EMAIL, userId: $u) }', { u: carol });
  }
  await login(page, 'admin', '/admin/notifications/deliveries');
  const rows = page.getByTestId('deliveries').locator('tr[data-delivery-id]');
  await expect(rows).toHaveCount(30);
  const ids = async () => (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-delivery-id')))));
  const firstPage = await ids();
  expect([...firstPage].sort((a, b) => b - a)).toEqual(firstPage);
  await page.getByTestId('deliveries-more').click();
  await expect.poll(async () => (await ids()).length).toBeGreaterThan(30);
  const both = await ids();
  expect(new Set(both).size).toBe(both.length);
  expect([...both].sort((a, b) => b - a)).toEqual(both);
});

const CLEAR_CHANNELS = {
  smtpUrl: '', mailFrom: 'Signoff <signoff@localhost>', wecomCorpId: '', wecomAgentId: 0, wecomSecret: '', wecomToken: '', wecomAesKey: '',
};

test('admin sets up mail and WeCom; secrets stay write-only; the server refuses a bad EncodingAESKey', async ({ page, request }) => {
  const admin = await apiLogin(request, 'admin');
  const clear = () =>
    gql(request, admin, 'mutation($i: ChannelSettingsInput!) { updateChannelSettings(input: $i) { mail { configured } } }', { i: CLEAR_CHANNELS });
  await clear();
  const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  try {
    await login(page, 'admin', '/admin/notifications/channels');
    await expect(page.getByTestId('mail-configured')).toHaveText('未启用');
    await expect(page.getByTestId('state-smtpUrl')).toHaveText('未设置');
    await expect(page.getByTestId('callback-url')).toContainText('/wecom/callback');
    for (const label of ['SMTP 地址', '应用 Secret', '回调 Token', '回调 EncodingAESKey']) {
      await expect(page.getByLabel(label)).toHaveAttribute('type', 'password');
      await expect(page.getByLabel(label)).toHaveAttribute('placeholder', '留空则保持当前值');
    }

    await page.getByLabel('SMTP 地址').fill('smtp://user:pw@127.0.0.1:2525');
    await page.getByLabel('发件人').fill('Signoff <noreply@xinghe.example>');
    await page.getByLabel('企业 ID（CorpID）').fill('ww0123456789abcdef');
    await page.getByLabel('应用 AgentId').fill('1000002');
    await page.getByLabel('应用 Secret').fill('app-secret-e2e');
    await page.getByLabel('回调 Token').fill('callback-token-e2e');
    await page.getByLabel('回调 EncodingAESKey').fill(aesKey);
    await page.getByTestId('channels-save').click();
    await expect(page.getByText('渠道设置已保存')).toBeVisible();
    // the secrets are emptied once saved
    await expect(page.getByLabel('应用 Secret')).toHaveValue('');

    await page.reload();
    await expect(page.getByTestId('mail-configured')).toHaveText('已启用');
    await expect(page.getByTestId('wecom-configured')).toHaveText('已启用');
    await expect(page.getByTestId('wecom-callback-configured')).toHaveText('回调已配置');
    for (const k of ['smtpUrl', 'wecomSecret', 'wecomToken', 'wecomAesKey']) await expect(page.getByTestId(`state-${k}`)).toHaveText('已设置');
    await expect(page.getByTestId('smtp-current')).toHaveText('smtp://user:***@127.0.0.1:2525');
    await expect(page.getByLabel('发件人')).toHaveValue('Signoff <noreply@xinghe.example>');
    await expect(page.getByLabel('企业 ID（CorpID）')).toHaveValue('ww0123456789abcdef');
    await expect(page.getByLabel('应用 AgentId')).toHaveValue('1000002');
    for (const label of ['SMTP 地址', '应用 Secret', '回调 Token', '回调 EncodingAESKey']) await expect(page.getByLabel(label)).toHaveValue('');
    const html = await page.content();
    for (const secret of ['user:pw@', 'app-secret-e2e', 'callback-token-e2e', aesKey]) expect(html).not.toContain(secret);
    await shot(page, 'admin-channels');

    // a bad EncodingAESKey: the server's error on its field; nothing saved
    await page.getByLabel('回调 EncodingAESKey').fill('too-short');
    await page.getByTestId('channels-save').click();
    const aesItem = page.locator('.ant-form-item', { has: page.getByLabel('回调 EncodingAESKey') });
    await expect(aesItem.locator('.ant-form-item-explain-error')).toHaveText('EncodingAESKey 应为企业微信显示的 43 位字符');
    // and a URL that is not smtp:// or smtps://
    await page.getByLabel('SMTP 地址').fill('http://127.0.0.1:2525');
    await page.getByTestId('channels-save').click();
    const smtpItem = page.locator('.ant-form-item', { has: page.getByLabel('SMTP 地址') });
    await expect(smtpItem.locator('.ant-form-item-explain-error')).toContainText('smtp://');
    await page.reload();
    await expect(page.getByTestId('smtp-current')).toHaveText('smtp://user:***@127.0.0.1:2525');
    await expect(page.getByTestId('state-wecomAesKey')).toHaveText('已设置');

    // 清除 clears one secret, leaving the rest
    await page.getByTestId('clear-wecomToken').click();
    await confirmPop(page);
    await expect(page.getByTestId('state-wecomToken')).toHaveText('未设置');
    await expect(page.getByTestId('wecom-callback-configured')).toHaveText('回调未配置');
    await expect(page.getByTestId('state-wecomSecret')).toHaveText('已设置');
    const now = await gql<{ channelSettings: { wecom: { tokenSet: boolean; secretSet: boolean; agentId: number } } }>(
      request,
      admin,
      '{ channelSettings { wecom { tokenSet secretSet agentId } } }',
    );
    expect(now.channelSettings.wecom).toEqual({ tokenSet: false, secretSet: true, agentId: 1000002 });
  } finally {
    // other specs run without mail or WeCom (and must not call WeCom's API)
    await clear();
  }
});
