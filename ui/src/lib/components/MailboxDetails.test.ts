import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { FakeApi, policySummary, record, settle } from '../../test/fakes';
import { addingNotAllowed } from '../mailbox-status.svelte';
import { Mailboxes } from '../wizard.svelte';
import MailboxList from './MailboxList.svelte';

async function listWith(api: FakeApi) {
  const mailboxes = new Mailboxes(api);
  await mailboxes.load();
  render(MailboxList, { api, mailboxes, onadd: vi.fn() });
  await settle();
  return mailboxes;
}

describe('the mailbox list and its details', () => {
  it('hides Add and says why when the policy does not allow adding', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'a@example.com')];
    api.policy = policySummary({ mayAdd: false, whyNotAdd: null });
    await listWith(api);
    expect(screen.queryByTestId('add-mailbox')).toBeNull();
    expect(screen.getByTestId('adding-not-allowed')).toHaveTextContent(addingNotAllowed());
  });

  it('shows name, description, type, default marker; a scheduled check changes the badge live', async () => {
    const api = new FakeApi();
    api.mailboxes = [{ ...record(1, 'a@example.com', { lastCheckAt: Date.now() - 4 * 60_000 }), name: 'Work', description: 'Orders', isDefault: true }];
    const mailboxes = await listWith(api);
    const row = screen.getByTestId('mailbox-row');
    expect(within(row).getByTestId('mailbox-name')).toHaveTextContent('Work');
    expect(within(row).getByTestId('mailbox-address')).toHaveTextContent('a@example.com');
    expect(within(row).getByTestId('mailbox-description')).toHaveTextContent('Orders');
    expect(within(row).getByTestId('mailbox-type')).toHaveTextContent('IMAP');
    expect(within(row).getByTestId('default-marker')).toBeInTheDocument();
    const time = row.querySelector('time')!;
    expect(time).toHaveTextContent('Checked 4 minutes ago');
    expect(time).toHaveAttribute('tabindex', '0');
    expect(time.getAttribute('aria-label')).toContain(new Date(mailboxes.items[0].status.lastCheckAt!).toLocaleString());

    api.checkListener!({
      id: 1,
      email: 'a@example.com',
      sides: [],
      status: { ...mailboxes.items[0].status, enabled: false, disabledAutomatically: true, badge: 'disabled' },
      disabledNow: true,
    });
    await waitFor(() => expect(within(row).getByTestId('status-badge')).toHaveTextContent('Disabled'));
  });

  it('opens the details with every field and the timeline; Check now adds a mark; Esc goes back', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const now = Date.now();
    api.mailboxes = [
      {
        ...record(1, 'a@example.com', {
          lastCheckAt: now - 60_000,
          lastSuccessAt: now - 3_600_000,
          lastErrorAt: now - 60_000,
          lastErrorCode: 'authentication_failed',
          lastErrorTitle: 'The server refused the password',
          consecutiveErrors: 2,
          badge: 'failing',
        }),
        modifiedAt: now - 86_400_000,
        modifiedBy: 'ann',
      },
    ];
    api.histories.set(1, [
      { at: now - 60_000, side: 'incoming', outcome: 'failed', durationMs: 80, code: 'authentication_failed' },
      { at: now - 120_000, side: 'incoming', outcome: 'failed', durationMs: 80, code: 'authentication_failed' },
      { at: now - 3_600_000, side: 'incoming', outcome: 'success', durationMs: 120, code: null },
    ]);
    await listWith(api);
    await user.click(screen.getByTestId('open-details'));
    await settle();
    expect(screen.getByTestId('details-title')).toHaveFocus();
    expect(screen.getByTestId('details-badge')).toHaveTextContent('Failing');
    expect(screen.getByTestId('field-incoming-error')).toHaveTextContent('authentication_failed');
    expect(screen.getByTestId('field-incoming-error')).toHaveTextContent('The server refused the password');
    expect(screen.getByTestId('consecutive-incoming')).toHaveTextContent('2 in a row');
    expect(screen.getByTestId('field-modified')).toHaveTextContent('by ann');
    expect(screen.getAllByTestId('timeline-mark').map((m) => m.dataset.outcome)).toEqual(['success', 'failed', 'failed']);

    // A scheduled check heard while the view is open: its mark appears.
    const scheduled = await api.checkMailbox(1);
    api.checkListener!(scheduled);
    await waitFor(() => expect(screen.getAllByTestId('timeline-mark')).toHaveLength(4));

    await user.click(screen.getByTestId('details-check-now'));
    await waitFor(() => expect(screen.getAllByTestId('timeline-mark')).toHaveLength(5));
    expect(screen.getAllByTestId('timeline-mark').at(-1)).toHaveAttribute('data-outcome', 'success');
    expect(screen.getByTestId('details-said')).toHaveTextContent('Check worked.');

    await user.click(screen.getByTestId('details-enable'));
    await waitFor(() => expect(screen.getByTestId('details-badge')).toHaveTextContent('Disabled'));
    expect(api.setMailboxEnabled).toHaveBeenCalledWith(1, false);
    expect(screen.getByTestId('details-enable')).toHaveTextContent('Enable');

    await user.click(screen.getByTestId('details-rename'));
    expect(screen.getByTestId('rename-name')).toHaveFocus();
    await user.type(screen.getByTestId('rename-name'), 'Work');
    await user.type(screen.getByTestId('rename-description'), 'Orders');
    await user.click(screen.getByTestId('rename-save'));
    await waitFor(() => expect(screen.getByTestId('details-title')).toHaveTextContent('Work'));
    expect(api.describeMailbox).toHaveBeenCalledWith(1, 'Work', 'Orders');

    await user.click(screen.getByTestId('details-set-default'));
    await waitFor(() => expect(screen.getByTestId('details-default')).toBeInTheDocument());

    await user.click(screen.getByTestId('copy-report'));
    expect(api.mailboxReport).toHaveBeenCalledWith(1, 'markdown', false);

    await user.keyboard('{Escape}');
    await settle();
    expect(screen.queryByTestId('mailbox-details')).toBeNull();
    expect(screen.getByTestId('open-details')).toHaveFocus();
    expect(screen.getByTestId('mailbox-name')).toHaveTextContent('Work');
  });

  it('offers the changes (update password, folders, settings) in the details too, without taking the focus', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.mailboxes = [record(1, 'a@example.com', { lastErrorCode: 'authentication_failed', lastErrorTitle: 'Refused', consecutiveErrors: 1, badge: 'failing' })];
    await listWith(api);
    await user.click(screen.getByTestId('open-details'));
    await settle();
    expect(screen.getByTestId('details-title')).toHaveFocus();
    const change = screen.getByTestId('details-manage');
    await user.click(within(change).getByTestId('manage-password'));
    await settle();
    await user.type(within(change).getByTestId('update-password-field'), 'new secret');
    await user.click(within(change).getByTestId('update-password-save'));
    await settle();
    expect(api.updatePassword).toHaveBeenCalledWith(1, 'new secret');
  });
});
