import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, diagnosis, grant, record, settle } from '../../test/fakes';
import { useLanguage } from '../i18n.svelte';
import { Mailboxes } from '../wizard.svelte';
import MailboxList from './MailboxList.svelte';

async function list(...records: ReturnType<typeof record>[]) {
  const api = new FakeApi();
  api.mailboxes = records;
  const mailboxes = new Mailboxes(api);
  await mailboxes.load();
  const onsetupagain = vi.fn();
  render(MailboxList, { api, mailboxes, onadd: vi.fn(), onsetupagain });
  return { api, mailboxes, onsetupagain };
}

describe('MailboxManage', () => {
  it('offers Update password on a wrong-password row, shows a refusal in place, and Esc closes', async () => {
    const user = userEvent.setup();
    const { api } = await list(
      record(1, 'alice@example.com', { lastSuccessAt: 1, lastErrorCode: 'authentication_failed', consecutiveErrors: 2 }),
      record(2, 'bob@example.com', { lastSuccessAt: 1 }),
    );
    // Only the row whose password was refused offers it.
    expect(screen.getAllByTestId('row-update-password')).toHaveLength(1);
    await user.click(screen.getByTestId('row-update-password'));
    const panel = screen.getByTestId('mailbox-manage');
    const field = within(panel).getByTestId('update-password-field');
    expect(field).toHaveFocus();

    api.updatePassword.mockRejectedValueOnce(
      diagnosis({ code: 'authentication_failed', title: 'The server refused the password', side: 'incoming' }),
    );
    await user.type(field, 'wrong{Enter}');
    await settle();
    const problem = within(panel).getByTestId('action-problem');
    expect(within(problem).getByTestId('diagnosis-code')).toHaveTextContent('authentication_failed');
    expect(api.updatePassword).toHaveBeenCalledWith(1, 'wrong');

    // Esc: first the section (focus back on its button), then the panel (focus back on Manage).
    await user.keyboard('{Escape}');
    expect(within(panel).queryByTestId('update-password-field')).toBeNull();
    expect(within(panel).getByTestId('manage-password')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('mailbox-manage')).toBeNull();
    expect(screen.getAllByTestId('manage-mailbox')[0]).toHaveFocus();
  });

  it('changes folders by keyboard: Load, tick, Save; the row’s count follows', async () => {
    const user = userEvent.setup();
    await list(record(1, 'alice@example.com', { lastSuccessAt: 1 }));
    expect(screen.getByTestId('mailbox-row')).toHaveTextContent('1 folder');
    await user.click(screen.getByTestId('manage-mailbox'));
    // Focus goes to the panel's first action; Tab along to Change folders.
    expect(screen.getByTestId('manage-password')).toHaveFocus();
    await user.click(screen.getByTestId('manage-folders'));
    expect(screen.getByTestId('load-folders')).toHaveFocus();
    await user.keyboard('{Enter}');
    await settle();
    const checks = screen.getAllByTestId('folder-check') as HTMLInputElement[];
    expect(checks.map((c) => c.checked)).toEqual([true, false, false]);
    expect(checks[0]).toHaveFocus();
    await user.keyboard('{ArrowDown}{ }');
    expect(screen.getByTestId('folders-chosen')).toHaveTextContent('2 of 3 folders chosen');
    await user.click(screen.getByTestId('save-folders'));
    await settle();
    expect(screen.getByTestId('action-done')).toHaveTextContent('2 folders are checked');
    expect(screen.getByTestId('mailbox-row')).toHaveTextContent('2 folders');
  });

  it('offers only what fits the mailbox', async () => {
    const user = userEvent.setup();
    const pop3 = record(1, 'pop@example.com', {}, {
      incoming: {
        protocol: 'pop3',
        endpoint: { host: 'pop.example.com', port: 995, security: 'tls' },
        username: null,
        auth: 'password',
        allowPlaintextPassword: false,
      },
    });
    await list(pop3);
    await user.click(screen.getByTestId('manage-mailbox'));
    // Never worked: no Reconnect; POP3: no folders to change.
    expect(screen.queryByTestId('manage-reconnect')).toBeNull();
    expect(screen.queryByTestId('manage-folders')).toBeNull();
    expect(screen.getByTestId('manage-settings')).toBeInTheDocument();
  });

  it('edit settings: a refused port is shown in place and the row keeps its settings', async () => {
    const user = userEvent.setup();
    const { api } = await list(record(1, 'alice@example.com', { lastSuccessAt: 1 }));
    await user.click(screen.getByTestId('manage-mailbox'));
    await user.click(screen.getByTestId('manage-settings'));
    const port = screen.getByTestId('edit-incoming-port');
    expect(screen.getByTestId('edit-incoming-host')).toHaveFocus();
    expect(screen.queryByTestId('edit-outgoing')).toBeNull();
    api.editMailboxSettings.mockRejectedValueOnce(
      diagnosis({ code: 'connection_refused', title: 'The server refused the connection', side: 'incoming' }),
    );
    await user.clear(port);
    await user.type(port, '1{Enter}');
    await settle();
    expect(screen.getByTestId('action-problem')).toHaveTextContent('connection_refused');
    expect(screen.getByTestId('mailbox-row')).toHaveTextContent('imap.example.com:993');
  });

  it('disconnect and set up again asks first, then hands the settings on', async () => {
    const user = userEvent.setup();
    const m = record(1, 'alice@example.com', { lastSuccessAt: 1 });
    const { api, onsetupagain } = await list(m);
    await user.click(screen.getByTestId('manage-mailbox'));
    await user.click(screen.getByTestId('manage-setup-again'));
    expect(api.removeMailbox).not.toHaveBeenCalled();
    expect(screen.getByTestId('confirm-setup-again')).toHaveFocus();
    await user.keyboard('{Enter}');
    await settle();
    expect(api.removeMailbox).toHaveBeenCalledWith(1, false);
    expect(onsetupagain).toHaveBeenCalledWith(m.settings);
  });

  it('remove: "Also erase its history" is off by default and passed on when ticked', async () => {
    const user = userEvent.setup();
    const { api } = await list(record(1, 'alice@example.com'), record(2, 'bob@example.com'));
    await user.click(screen.getAllByTestId('remove-mailbox')[0]);
    const erase = screen.getByTestId('erase-history') as HTMLInputElement;
    expect(erase.checked).toBe(false);
    await user.click(erase);
    await user.click(screen.getByTestId('confirm-remove'));
    await settle();
    expect(api.removeMailbox).toHaveBeenCalledWith(1, true);
    // The next confirmation starts unticked again.
    await user.click(screen.getAllByTestId('remove-mailbox')[0]);
    expect((screen.getByTestId('erase-history') as HTMLInputElement).checked).toBe(false);
  });
  it('a refused password and a refused edit offer the report of that action', async () => {
    const user = userEvent.setup();
    const { api } = await list(
      record(1, 'alice@example.com', { lastSuccessAt: 1, lastErrorCode: 'authentication_failed', consecutiveErrors: 1 }),
    );
    await user.click(screen.getByTestId('row-update-password'));
    api.updatePassword.mockRejectedValueOnce(
      diagnosis({ code: 'authentication_failed', title: 'The server refused the password', side: 'incoming' }),
    );
    await user.type(screen.getByTestId('update-password-field'), 'wrong{Enter}');
    await settle();
    const problem = screen.getByTestId('action-problem');
    // The action's own report (what the engine tried), not the wizard's last connect.
    await user.click(within(problem).getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false, 'mailbox_action');
    expect(within(problem).getByTestId('report-status')).toHaveTextContent('Report copied');
    await user.click(within(problem).getByTestId('report-masked'));
    await user.click(within(problem).getByTestId('save-report'));
    await settle();
    expect(api.saveReport).toHaveBeenCalledWith('markdown', true, 'mailbox_action');

    await user.click(screen.getByTestId('manage-settings'));
    api.editMailboxSettings.mockRejectedValueOnce(
      diagnosis({ code: 'connection_refused', title: 'The server refused the connection', side: 'incoming' }),
    );
    await user.clear(screen.getByTestId('edit-incoming-port'));
    await user.type(screen.getByTestId('edit-incoming-port'), '1{Enter}');
    await settle();
    const refused = screen.getByTestId('action-problem');
    expect(refused).toHaveAttribute('data-action', 'settings');
    // The fix (Check and save) and the report buttons both stay.
    expect(within(refused).getByTestId('edit-save')).toBeInTheDocument();
    await user.click(within(refused).getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenLastCalledWith('markdown', false, 'mailbox_action');
  });

  it('a failed set-up-again has no report: it talks to no server', async () => {
    const user = userEvent.setup();
    const { api } = await list(record(1, 'alice@example.com', { lastSuccessAt: 1 }));
    await user.click(screen.getByTestId('manage-mailbox'));
    await user.click(screen.getByTestId('manage-setup-again'));
    api.removeMailbox.mockRejectedValueOnce(diagnosis({ code: 'keychain_locked', title: 'The keychain is locked' }));
    await user.click(screen.getByTestId('confirm-setup-again'));
    await settle();
    expect(screen.getByTestId('action-problem')).toHaveTextContent('keychain_locked');
    expect(screen.queryByTestId('copy-report')).toBeNull();
  });

  it('a failed sign-in again in the list offers its report', async () => {
    const user = userEvent.setup();
    const withGrant = {
      ...record(1, 'alice@example.com', { lastErrorCode: 'needs_sign_in', lastErrorTitle: 'Sign in again', consecutiveErrors: 1 }),
      grant: grant(),
    };
    const { api } = await list(withGrant);
    await user.click(screen.getByTestId('sign-in-again'));
    api.reconnects[0].result.reject(diagnosis({ code: 'sign_in_denied', title: 'Access was declined', stage: null }));
    await settle();
    await user.click(screen.getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false, 'mailbox_action');
  });
});

describe('MailboxManage in German', () => {
  afterEach(() => useLanguage('en'));

  it('names its actions in German and says in German what an action did', async () => {
    useLanguage('de');
    const user = userEvent.setup();
    await list(record(1, 'alice@example.com', { lastSuccessAt: 1 }));
    await user.click(screen.getByTestId('manage-mailbox'));
    const panel = screen.getByTestId('mailbox-manage');
    expect(panel).toHaveAttribute('aria-label', 'alice@example.com verwalten');
    expect(within(panel).getByTestId('manage-password')).toHaveTextContent('Passwort ändern');
    expect(within(panel).getByTestId('manage-folders')).toHaveTextContent('Ordner ändern');
    expect(within(panel).getByTestId('manage-setup-again')).toHaveTextContent('Trennen und neu einrichten');

    await user.click(within(panel).getByTestId('manage-password'));
    expect(within(panel).getByText(/Inlet prüft das neue Passwort beim Server/)).toBeInTheDocument();
    await user.click(within(panel).getByTestId('update-password-save'));
    expect(within(panel).getByText('Geben Sie das neue Passwort ein.')).toBeInTheDocument();
    await user.type(within(panel).getByTestId('update-password-field'), 'new-password{Enter}');
    await settle();
    expect(within(panel).getByTestId('action-done')).toHaveTextContent(
      'Der Server hat das neue Passwort angenommen. Es ist anstelle des alten im Schlüsselbund gespeichert.',
    );
    // What was said follows a change of language.
    useLanguage('en');
    await settle();
    expect(within(panel).getByTestId('action-done')).toHaveTextContent('The server accepted the new password.');
  });
});
