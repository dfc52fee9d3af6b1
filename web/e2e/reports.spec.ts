import { readFileSync } from 'node:fs';
import type { APIRequestContext, Download, Page } from '@playwright/test';
import { apiLogin, chooseOption, expect, gql, login, openAs, shot, test, uniqueTitle } from './helpers';

// 统计报表 end to end. The spec files its own tickets under a template it
// creates (other specs file into the same database, so only a template of
// its own gives known figures): alice files three, bob (head of the
// platform team) approves one and rejects one, the third stays open, alice
// rates the approved one. Then bob and chen.jie (head of R&D, above the
// platform team) read the report, switch the grouping, pick departments,
// meet the server's errors and download both CSVs; alice (staff) cannot.

interface Setup {
  code: string;
  name: string;
  titles: string[];
}

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function setUp(request: APIRequestContext): Promise<Setup> {
  const admin = await apiLogin(request, 'admin');
  const alice = await apiLogin(request, 'alice');
  const bob = await apiLogin(request, 'bob');
  const s = suffix();
  const code = `e2e-rep-${s}`;
  const name = `E2E 报表 ${s}`;
  await gql(request, admin, 'mutation($i: TemplateInput!) { createTemplate(input: $i) { id } }', {
    i: {
      code,
      name,
      category: 'E2E',
      form: { fields: [{ key: 'note', label: '说明 Note', type: 'text', required: false }] },
      chain: {
        steps: [{ name: '负责人 Head', kind: 'approve', mode: 'any', approvers: [{ type: 'department_head', levels_up: 0 }], sla_minutes: 600 }],
      },
    },
  });
  const titles = [uniqueTitle('报表通过'), uniqueTitle('报表否决'), uniqueTitle('报表处理中')];
  const tickets: { id: string; items: { id: string }[] }[] = [];
  for (const title of titles) {
    const d = await gql<{ submitTicket: { ticket: { id: string; items: { id: string }[] } } }>(
      request,
      alice,
      'mutation($input: SubmitTicketInput!) { submitTicket(input: $input) { ticket { id items { id } } } }',
      { input: { templateCode: code, title, form: { note: 'e2e' } } },
    );
    tickets.push(d.submitTicket.ticket);
  }
  await gql(request, bob, 'mutation($id: ID!) { approve(itemId: $id) { ticket { id } } }', { id: tickets[0].items[0].id });
  await gql(request, bob, 'mutation($id: ID!) { reject(itemId: $id, reason: "e2e") { ticket { id } } }', { id: tickets[1].items[0].id });
  await gql(request, alice, 'mutation($id: ID!) { rateTicket(ticketId: $id, score: 5) { ticket { id } } }', { id: tickets[0].id });
  return { code, name, titles };
}

/** Clicks an export button and reads the file it downloads. */
async function download(page: Page, testId: string): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  return { file, bytes: readFileSync(path) };
}

const BOM = [0xef, 0xbb, 0xbf];

async function kpi(page: Page, id: string) {
  return page.getByTestId(`kpi-${id}-value`);
}

test('a manager reads the report of their departments, groups it and exports both CSVs', async ({ page, browser, request, errorLog }) => {
  test.setTimeout(150_000);
  const s = await setUp(request);

  // what the API says, for the same template (the UI must show the same)
  const bobToken = await apiLogin(request, 'bob');
  const api = await gql<{ report: { totals: { filed: number; completed: number; approved: number; rejected: number; open: number; ratings: number } } }>(
    request,
    bobToken,
    'query($c: String) { report(templateCode: $c) { totals { filed completed approved rejected open ratings } } }',
    { c: s.code },
  );
  expect(api.report.totals).toEqual({ filed: 3, completed: 2, approved: 1, rejected: 1, open: 1, ratings: 1 });

  await login(page, 'bob', '/inbox');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: '统计报表' }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole('heading', { name: '统计报表' })).toBeVisible();
  await expect(page.getByTestId('report-body')).toBeVisible();

  // bob heads the platform team only: that is all his department picker offers
  await page.getByLabel(/^部门$/).click();
  const tree = page.locator('.ant-select-dropdown:visible .ant-select-tree-title');
  await expect(tree).toHaveText(['平台组 Platform Team']);
  await page.keyboard.press('Escape');

  // the template of this spec: its figures exactly
  await chooseOption(page, /^类型$/, s.name);
  await expect(page).toHaveURL(new RegExp(`templateCode=${s.code}`));
  await expect(await kpi(page, 'filed')).toHaveText('3');
  await expect(await kpi(page, 'completed')).toHaveText('2');
  await expect(page.getByTestId('kpi-completed-detail')).toHaveText('通过 1 · 否决 1 · 撤回 0');
  await expect(await kpi(page, 'open')).toHaveText('1');
  await expect(await kpi(page, 'sla')).toHaveText('0%');
  await expect(await kpi(page, 'rating')).toHaveText('5.0 ★');
  await expect(page.getByTestId('kpi-rating-detail')).toHaveText('1 条评价');
  await expect(await kpi(page, 'cycle')).toHaveText(/^(<1|\d+(\.\d)?) (秒|分钟)$/);
  await expect(page.getByTestId('report-period')).toContainText('Asia/Shanghai');
  for (const chart of ['volume', 'cycle', 'sla', 'backlog', 'rating']) {
    await expect(page.getByTestId(`chart-${chart}`).locator('canvas').first()).toBeVisible();
  }
  await expect(page.getByTestId('groups-total')).toContainText('合计');
  await expect(page.getByTestId('steps-table')).toContainText('负责人 Head');
  await expect(page.getByTestId('approvers-table').getByRole('row', { name: /Bob 王博/ })).toContainText('2');
  await shot(page, 'reports-template');

  // group by type, then by approver: one row each, with the spec's numbers
  await page.getByTestId('group-by').getByText('按类型', { exact: true }).click();
  await expect(page).toHaveURL(/groupBy=template/);
  const templateRow = page.getByTestId('groups-table').getByRole('row', { name: new RegExp(s.name) });
  await expect(templateRow).toBeVisible();
  await expect(templateRow.getByRole('cell').nth(1)).toHaveText('3');
  await expect(templateRow.getByRole('cell').nth(2)).toHaveText('2');
  await page.getByTestId('group-by').getByText('按审批人', { exact: true }).click();
  await expect(page).toHaveURL(/groupBy=approver/);
  await expect(page.getByTestId('groups-table').getByRole('columnheader', { name: '审批人' })).toBeVisible();
  await expect(page.getByTestId('groups-table').getByRole('row', { name: /Bob 王博/ })).toBeVisible();
  await page.getByTestId('group-by').getByText('按类型', { exact: true }).click();
  await expect(templateRow).toBeVisible();

  // the report as CSV: BOM, header, the template's row and the total
  const report = await download(page, 'export-report');
  expect(report.file.suggestedFilename()).toMatch(/^signoff-report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  expect([...report.bytes.subarray(0, 3)]).toEqual(BOM);
  const reportLines = report.bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
  expect(reportLines[0]).toMatch(/^group,key,label,filed,completed,approved,rejected,withdrawn,open,/);
  expect(reportLines).toHaveLength(3);
  expect(reportLines[1]).toMatch(new RegExp(`^template,${s.code},${s.name},3,2,1,1,0,1,`));
  expect(reportLines[2]).toMatch(/^total,,.*,3,2,1,1,0,1,/);

  // the tickets behind it. The server streams this one; the binary of
  // 2026-12-04 panics when it compresses the stream (every browser asks for
  // gzip; SERVER-NOTES.md 13), so first ask it the way a browser does.
  const csvPath = `/reports/tickets.csv?${new URLSearchParams({ templateCode: s.code, timeZone: 'Asia/Shanghai', groupBy: 'template' })}`;
  const gzipOk = await request
    .get(csvPath, { headers: { authorization: `Bearer ${bobToken}`, 'accept-encoding': 'gzip' } })
    .then(async (r) => r.ok() && (await r.body()).length > 0)
    .catch(() => false);
  let ticketBytes: Buffer;
  if (gzipOk) {
    const tickets = await download(page, 'export-tickets');
    expect(tickets.file.suggestedFilename()).toMatch(/^signoff-tickets-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    ticketBytes = tickets.bytes;
  } else {
    test.info().annotations.push({ type: 'server issue', description: 'tickets.csv breaks off when gzip-compressed (SERVER-NOTES.md 13); checked uncompressed' });
    errorLog.allow.push(/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_EMPTY_RESPONSE|Failed to load resource/);
    // the page says so, with the code (when the node serves the page: behind
    // `vite preview`'s proxy the broken answer hangs instead of failing)
    if (process.env.E2E_BASE_URL && process.env.E2E_BASE_URL === process.env.SIGNOFF_API) {
      await page.getByTestId('export-tickets').click();
      await expect(page.getByTestId('export-error')).toHaveAttribute('data-code', /^(download_incomplete|network)$/);
      await expect(page.getByTestId('export-error')).toContainText('导出失败');
      await page.getByTestId('export-error').getByRole('button', { name: /close|关闭/i }).click();
      await expect(page.getByTestId('export-error')).toHaveCount(0);
    }
    const plain = await request.get(csvPath, { headers: { authorization: `Bearer ${bobToken}`, 'accept-encoding': 'identity' } });
    expect(plain.status()).toBe(200);
    expect(plain.headers()['content-disposition']).toMatch(/filename="signoff-tickets-.*\.csv"/);
    ticketBytes = await plain.body();
  }
  expect([...ticketBytes.subarray(0, 3)]).toEqual(BOM);
  const ticketLines = ticketBytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
  expect(ticketLines[0]).toBe('number,title,template,department,applicant,status,result,filed_at,done_at,cycle_s,rating');
  expect(ticketLines).toHaveLength(4);
  for (const title of s.titles) expect(ticketLines.some((l) => l.includes(title))).toBe(true);
  expect(ticketLines.find((l) => l.includes(s.titles[0]))).toMatch(/,done,approved,.*,5$/);
  expect(ticketLines.find((l) => l.includes(s.titles[2]))).toMatch(/,in_approval,,/);

  // the server's errors, on the page and on an export
  await page.goto(`/reports?templateCode=${s.code}&from=2020-01-01&to=2026-12-01`);
  await expect(page.getByTestId('report-error')).toHaveAttribute('data-code', 'invalid_period');
  await expect(page.getByTestId('report-error')).toContainText('时段无效');
  const finance = await gql<{ departments: { nodes: { id: string; name: string }[] } }>(request, bobToken, '{ departments(first: 100) { nodes { id name } } }');
  const financeId = finance.departments.nodes.find((d) => d.name.includes('Finance'))!.id;
  await page.goto(`/reports?departmentId=${financeId}`);
  await expect(page.getByTestId('report-error')).toHaveAttribute('data-code', 'outside_your_departments');
  await expect(page.getByTestId('report-error')).toContainText('只能查看你负责的部门的报表');
  errorLog.allow.push(/status of 403/);
  await page.getByTestId('export-report').click();
  await expect(page.getByTestId('export-error')).toHaveAttribute('data-code', 'outside_your_departments');

  // nothing filed: the empty state
  await page.goto(`/reports?templateCode=${s.code}&from=2020-01-01&to=2020-01-31`);
  await expect(page.getByTestId('report-empty')).toContainText('所选时段内没有提交的工单');

  // in English
  await page.goto(`/reports?templateCode=${s.code}`);
  await expect(await kpi(page, 'filed')).toHaveText('3');
  await page.getByRole('button', { name: '语言' }).click();
  await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
  await expect(page.getByTestId('kpi-filed')).toContainText('Filed');
  await expect(page.getByTestId('kpi-completed-detail')).toHaveText('1 approved · 1 rejected · 0 withdrawn');
  await expect(page.getByTestId('export-tickets')).toHaveText('Export ticket list CSV');

  // chen.jie heads R&D: the platform team's tickets are his too; the mobile team filed none of them
  const chen = await openAs(browser, errorLog, 'chen.jie', `/reports?templateCode=${s.code}`);
  try {
    await expect(await kpi(chen.page, 'filed')).toHaveText('3');
    await chen.page.getByLabel(/^部门$/).click();
    const chenTree = chen.page.locator('.ant-select-dropdown:visible .ant-select-tree-title');
    await expect(chenTree).toHaveText(['研发中心 R&D Center', '平台组 Platform Team', '移动组 Mobile Team']);
    await chenTree.filter({ hasText: '平台组 Platform Team' }).click();
    await expect(chen.page).toHaveURL(/departmentId=\d+/);
    await expect(await kpi(chen.page, 'filed')).toHaveText('3');
    await chen.page.getByLabel(/^部门$/).click();
    await chen.page.locator('.ant-select-dropdown:visible .ant-select-tree-title').filter({ hasText: '移动组 Mobile Team' }).click();
    await expect(chen.page.getByTestId('report-empty')).toBeVisible();
    await chen.page.getByTestId('group-by').getByText('按部门', { exact: true }).click();
    await expect(chen.page).toHaveURL(/groupBy=department/);
  } finally {
    await chen.context.close();
  }
});

test('staff do not see reports', async ({ page }) => {
  await login(page, 'alice', '/inbox');
  const nav = page.getByRole('navigation', { name: 'main' });
  await expect(nav.getByRole('link', { name: '待我审批' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '统计报表' })).toHaveCount(0);
  await page.goto('/reports');
  await expect(page.getByTestId('reports-forbidden')).toBeVisible();
  await expect(page.getByTestId('reports-forbidden')).toContainText('统计报表仅对部门负责人和管理员开放');
  await expect(page.getByTestId('report-body')).toHaveCount(0);
  // and the server says so too
  const token = await apiLogin(page.request, 'alice');
  const res = await page.request.post('/graphql', { data: { query: '{ report { from } }' }, headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  expect(body.errors?.[0]?.extensions?.code).toBe('forbidden');
  const csv = await page.request.get('/reports/report.csv', { headers: { authorization: `Bearer ${token}` } });
  expect(csv.status()).toBe(403);
  expect(((await csv.json()) as { error: { code: string } }).error.code).toBe('forbidden');
});
