import { apiLogin, chooseOption, expect, fillDate, gql, login, test, uniqueTitle } from './helpers';

async function countTitled(request: import('@playwright/test').APIRequestContext, title: string) {
  const token = await apiLogin(request, 'alice');
  const d = await gql<{ myTickets: { nodes: { id: string }[] } }>(request, token, 'query($q: String) { myTickets(search: $q, first: 10) { nodes { id } } }', { q: title });
  return d.myTickets.nodes.length;
}

async function fill(page: import('@playwright/test').Page, title: string) {
  await page.goto('/new/leave');
  await page.getByLabel('标题').fill(title);
  await chooseOption(page, '假期类型 Leave type', 'annual');
  await fillDate(page, '开始日期 Start', '2026-12-28');
  await page.getByLabel('天数 Days').fill('1');
  await page.getByLabel('事由 Reason').fill('幂等');
}

test('a double click files once', async ({ page, request }) => {
  const title = uniqueTitle('双击');
  await login(page, 'alice', '/catalogue');
  await fill(page, title);
  await page.getByTestId('submit-ticket').dblclick();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  expect(await countTitled(request, title)).toBe(1);
});

test('a retry after a lost answer files once (same clientMutationId, replayed)', async ({ page, request, errorLog }) => {
  errorLog.allow.push(/Failed to load resource|ERR_FAILED|net::/);
  const title = uniqueTitle('重试');
  await login(page, 'alice', '/catalogue');
  await fill(page, title);
  const ids: string[] = [];
  let lost = false;
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON() as { query: string; variables: { input?: { clientMutationId?: string } } };
    if (!body.query.includes('SubmitTicket')) return route.continue();
    ids.push(body.variables.input?.clientMutationId ?? '');
    if (!lost) {
      lost = true;
      await route.fetch(); // the server files it…
      return route.abort('failed'); // …but the answer never arrives
    }
    return route.continue();
  });
  await page.getByTestId('submit-ticket').click();
  await expect(page.getByText('网络连接失败')).toBeVisible();
  await expect(page).toHaveURL(/\/new\/leave$/);
  await page.getByTestId('submit-ticket').click();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  expect(ids).toHaveLength(2);
  expect(ids[0]).toBeTruthy();
  expect(ids[1]).toBe(ids[0]);
  expect(await countTitled(request, title)).toBe(1);
});
