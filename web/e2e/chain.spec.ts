import { apiLogin, chooseUser, confirmDecision, expect, gql, login, openAs, test, uniqueTitle } from './helpers';

test('transfer, then a CONFIRM step, then PROCESSING (automations) — shown live to the applicant', async ({ page, browser, request, errorLog }) => {
  const title = uniqueTitle('权限申请');
  const token = await apiLogin(request, 'alice');
  const d = await gql<{ submitTicket: { ticket: { id: string } } }>(request, token, 'mutation($input: SubmitTicketInput!) { submitTicket(input: $input) { ticket { id } } }', {
    input: { templateCode: 'it-access', title, form: { system: 'gitlab', level: 'write', justification: 'release work' } },
  });
  const path = `/tickets/${d.submitTicket.ticket.id}`;
  await login(page, 'alice', path);
  await expect(page.getByTestId('step-0')).toContainText('Bob 王博');

  // bob hands his item to huang.lei
  const bob = await openAs(browser, errorLog, 'bob', path);
  await bob.page.getByTestId('my-pending').getByTestId('action-transfer').click();
  await chooseUser(bob.page, '转交给', 'huang', '黄磊');
  await confirmDecision(bob.page);
  await expect(bob.page.getByTestId('my-pending')).toBeHidden();
  await expect(page.getByTestId('step-0')).toContainText('黄磊 Huang Lei');
  await bob.context.close();

  const hl = await openAs(browser, errorLog, 'huang.lei', path);
  await hl.page.getByTestId('my-pending').getByTestId('action-approve').click();
  await confirmDecision(hl.page);
  await expect(hl.page.getByTestId('my-pending')).toBeHidden();
  await hl.context.close();

  // the IT head confirms (a CONFIRM step has no return/reject)
  const it = await openAs(browser, errorLog, 'song.jia', '/inbox');
  const row = it.page.getByTestId('inbox-pending').locator('tr', { hasText: title });
  await expect(row.getByTestId('action-confirm')).toBeVisible();
  await expect(row.getByTestId('action-reject')).toHaveCount(0);
  await row.getByTestId('action-confirm').click();
  await confirmDecision(it.page);
  await expect(row).toBeHidden();
  await it.context.close();

  // automations run: the applicant sees PROCESSING, and the timeline tells the story
  await expect(page.getByTestId('ticket-status')).toContainText('处理中');
  await expect(page.getByTestId('timeline')).toContainText('转交');
  await expect(page.getByTestId('timeline')).toContainText('确认');
});
