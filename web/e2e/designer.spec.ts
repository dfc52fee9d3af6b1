import { chooseOption, expect, login, openAs, shot, test } from './helpers';

test('admin designs a template (server errors shown at their place), alice files a ticket from it', async ({ page, browser, errorLog }) => {
  const suffix = `${Date.now().toString(36)}`;
  const code = `trip-${suffix}`;
  const name = `出差申请 Trip ${suffix}`;
  await login(page, 'admin', '/admin/templates');
  await page.getByTestId('template-new').click();
  await expect(page.getByTestId('field-row-0')).toBeVisible();
  await page.getByLabel('编码').fill(code);
  await page.getByLabel('名称', { exact: true }).fill(name);
  await page.getByLabel('分类').fill('E2E 测试');

  await page.getByTestId('add-field').click();
  await page.getByLabel('字段键 2', { exact: true }).fill('destination');
  await page.getByLabel('标签 2', { exact: true }).fill('目的地 Destination');
  await page.getByTestId('field-row-1').getByLabel('必填').check();

  await page.getByTestId('add-field').click();
  await page.getByLabel('字段键 3', { exact: true }).fill('Amount');
  await page.getByLabel('标签 3', { exact: true }).fill('金额 Amount');
  await chooseOption(page, '类型 3', 'money');

  // a condition that names a field the form does not have
  await page.getByLabel('条件 1', { exact: true }).fill('amout > 100');
  await page.getByTestId('template-save').click();
  await expect(page.getByTestId('designer-error')).toBeVisible();
  await expect(page.getByTestId('field-row-2').getByTestId('row-errors')).toContainText('字段键只能是小写字母');
  await expect(page.getByTestId('step-row-0').getByTestId('row-errors')).toContainText('条件表达式有误');
  await expect(page.getByTestId('field-row-0').getByTestId('row-errors')).toHaveCount(0);
  await shot(page, 'designer-errors');

  // fix both and save: version 1
  await page.getByLabel('字段键 3', { exact: true }).fill('amount');
  await page.getByLabel('条件 1', { exact: true }).fill('amount > 100');
  await page.getByTestId('template-save').click();
  await expect(page).toHaveURL(new RegExp(`/admin/templates/${code}$`));
  await expect(page.getByTestId('versions')).toContainText('v1');
  await shot(page, 'designer');

  // alice finds it in the catalogue and files a ticket
  const alice = await openAs(browser, errorLog, 'alice', '/catalogue');
  await alice.page.getByLabel('搜索模板名称或编码').fill(suffix);
  await alice.page.getByTestId(`start-${code}`).click();
  await alice.page.getByLabel('目的地 Destination').fill('上海 Shanghai');
  await alice.page.getByLabel('金额 Amount').fill('500');
  await alice.page.getByLabel('事由 Reason').fill('客户拜访');
  await alice.page.getByTestId('submit-ticket').click();
  await expect(alice.page).toHaveURL(/\/tickets\/\d+$/);
  await expect(alice.page.getByTestId('ticket-status')).toContainText('审批中');
  await expect(alice.page.getByTestId('form-view')).toContainText('¥ 500.00');
  await expect(alice.page.getByTestId('step-0')).toContainText('Bob 王博');
  await alice.context.close();
});
