import { apiFileLeave, expect, login, shot, test, uniqueTitle } from './helpers';

test('bob approves from a 360 px phone with a comment', async ({ page, request }) => {
  const title = uniqueTitle('手机审批');
  const id = await apiFileLeave(request, 'alice', title);
  // a mail / WeCom link: sign in first, then straight to the item
  await login(page, 'bob', `/m/tickets/${id}`);
  await expect(page).toHaveURL(new RegExp(`/m/tickets/${id}$`));
  await expect(page.getByText(title)).toBeVisible();
  await expect(page.getByTestId('m-form')).toContainText('天数 Days');
  await expect(page.getByTestId('m-form')).toContainText('sick');
  const approve = page.getByTestId('m-approve');
  await expect(approve).toBeVisible();
  // large touch targets, nothing wider than the screen
  const box = await approve.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await shot(page, 'mobile-ticket');

  // reject needs a reason
  await page.getByTestId('m-reject').click();
  await expect(page.getByRole('alert')).toContainText('请填写原因');

  await page.getByTestId('m-actions').locator('textarea').fill('手机上同意');
  await approve.click();
  await expect(page.getByText('已处理，感谢！')).toBeVisible();
  await expect(page.getByTestId('m-status')).toContainText('已完成');
  await shot(page, 'mobile-done');

  // the list no longer has it
  await page.getByRole('button', { name: '返回列表' }).click();
  await expect(page.getByTestId('mobile-root')).toBeVisible();
  await expect(page.getByText(title)).toBeHidden();
  await shot(page, 'mobile-inbox');
});
