import { chooseOption, expect, fillDate, login, shot, test } from './helpers';

async function fillLeave(page: import('@playwright/test').Page, days: string) {
  await page.goto('/new/leave');
  await chooseOption(page, '假期类型 Leave type', 'personal');
  await fillDate(page, '开始日期 Start', '2026-12-23');
  await page.getByLabel('天数 Days').fill(days);
  await page.getByLabel('事由 Reason').fill('表单校验');
}

function fieldError(page: import('@playwright/test').Page, key: string) {
  return page.locator(`[data-field="${key}"] .ant-form-item-explain`);
}

test('client validation shows each problem on its field and sends nothing', async ({ page }) => {
  await login(page, 'alice', '/catalogue');
  await page.goto('/new/leave');
  let submits = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes('SubmitTicket')) submits++;
  });
  await page.getByTestId('submit-ticket').click();
  await expect(fieldError(page, 'leave_type')).toContainText('为必填项');
  await expect(fieldError(page, 'days')).toContainText('为必填项');
  await page.getByLabel('天数 Days').fill('61');
  await expect(fieldError(page, 'days')).toContainText('不能大于 60');
  await page.getByLabel('天数 Days').fill('0.25');
  await expect(fieldError(page, 'days')).toContainText('不能小于 0.5');
  await shot(page, 'new-ticket-errors');
  expect(submits).toBe(0);
});

test("the server's field errors are shown on their fields", async ({ page }) => {
  await login(page, 'alice', '/catalogue');
  await fillLeave(page, '3');
  // The client would never send this; change the request on the wire so the
  // real server answers with its own field errors.
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON() as { query: string; variables: { input?: { form: Record<string, unknown> } } };
    if (body.query.includes('SubmitTicket') && body.variables.input) {
      body.variables.input.form.days = 61;
      body.variables.input.form.start_date = '2026-02-30';
      await route.continue({ postData: JSON.stringify(body) });
    } else {
      await route.continue();
    }
  });
  await page.getByTestId('submit-ticket').click();
  await expect(fieldError(page, 'days')).toContainText('不能大于 60');
  await expect(fieldError(page, 'start_date')).toContainText('应为日期');
  await expect(page).toHaveURL(/\/new\/leave$/);
});
