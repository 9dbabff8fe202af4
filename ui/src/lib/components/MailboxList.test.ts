import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { FakeApi, record, settle } from '../../test/fakes';
import { Mailboxes } from '../wizard.svelte';
import MailboxList from './MailboxList.svelte';

describe('MailboxList', () => {
  it('shows each mailbox with its status, and removes one after confirming', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const now = Date.now();
    api.mailboxes = [
      record(1, 'alice@example.com', { lastCheckAt: now - 5 * 60_000, lastSuccessAt: now - 5 * 60_000 }),
      record(2, 'bob@example.com', {
        lastCheckAt: now - 60_000,
        lastSuccessAt: null,
        lastErrorCode: 'authentication_failed',
        lastErrorTitle: 'The server refused the password',
        consecutiveErrors: 3,
      }),
    ];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    const onadd = vi.fn();
    render(MailboxList, { mailboxes, onadd });

    const rows = screen.getAllByTestId('mailbox-row');
    expect(rows.map((r) => r.dataset.email)).toEqual(['alice@example.com', 'bob@example.com']);
    const [alice, bob] = screen.getAllByTestId('mailbox-status');
    expect(alice).toHaveTextContent('Working');
    expect(alice).toHaveTextContent('Checked 5 minutes ago');
    expect(bob).toHaveTextContent('Needs attention');
    expect(bob).toHaveTextContent('The server refused the password (3 errors in a row)');

    await user.click(screen.getAllByTestId('remove-mailbox')[0]);
    expect(api.removeMailbox).not.toHaveBeenCalled();
    expect(screen.getByTestId('confirm-remove')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-remove')).toBeNull();

    await user.click(screen.getAllByTestId('remove-mailbox')[0]);
    await user.click(screen.getByTestId('confirm-remove'));
    await settle();
    expect(api.removeMailbox).toHaveBeenCalledWith(1);
    expect(screen.getAllByTestId('mailbox-row').map((r) => r.dataset.email)).toEqual(['bob@example.com']);

    await user.click(screen.getByTestId('add-mailbox'));
    expect(onadd).toHaveBeenCalled();
  });
});
