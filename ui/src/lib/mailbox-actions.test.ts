import { describe, expect, it, vi } from 'vitest';
import { diagnosis, FakeApi, folder, record, settle } from '../test/fakes';
import type { MailboxRecord } from './bindings/MailboxRecord';
import {
  isNoEdit,
  MailboxActions,
  offersReconnect,
  passwordScope,
  preTicked,
  settingsEdit,
  settingsForm,
  wrongPassword,
} from './mailbox-actions.svelte';
import { InletApp, Mailboxes, Wizard } from './wizard.svelte';

const withOutgoing = (samePassword: boolean): Partial<MailboxRecord['settings']> => ({
  outgoing: {
    endpoint: { host: 'smtp.example.com', port: 587, security: 'starttls' },
    username: null,
    samePassword,
    allowPlaintextPassword: false,
  },
});

async function setUp(m: MailboxRecord) {
  const api = new FakeApi();
  api.mailboxes = [m];
  const mailboxes = new Mailboxes(api);
  await mailboxes.load();
  const actions = new MailboxActions(
    () => mailboxes,
    () => mailboxes.items.find((x) => x.id === m.id) ?? m,
  );
  return { api, mailboxes, actions };
}

describe('what the panel offers', () => {
  it('offers reconnect to password mailboxes that worked before', () => {
    expect(offersReconnect(record(1, 'a@example.com', { lastSuccessAt: 1 }))).toBe(true);
    expect(offersReconnect(record(1, 'a@example.com'))).toBe(false);
    const withGrant = { ...record(1, 'a@example.com', { lastSuccessAt: 1 }), grant: {} as never };
    expect(offersReconnect(withGrant)).toBe(false);
  });

  it('offers Update password on a wrong password that it can fix', () => {
    const refused = { lastErrorCode: 'authentication_failed' as const, consecutiveErrors: 2 };
    expect(wrongPassword(record(1, 'a@example.com', refused))).toBe(true);
    // Fixed since (the counter is back to 0), or another failure: not offered.
    expect(wrongPassword(record(1, 'a@example.com', { ...refused, consecutiveErrors: 0 }))).toBe(false);
    expect(wrongPassword(record(1, 'a@example.com', { lastErrorCode: 'timed_out', consecutiveErrors: 2 }))).toBe(false);
    // The outgoing server refused: only its own password could fix that when it has one.
    const outgoing = { lastOutgoingErrorCode: 'authentication_failed' as const, consecutiveOutgoingErrors: 1 };
    expect(wrongPassword(record(1, 'a@example.com', outgoing, withOutgoing(true)))).toBe(true);
    expect(wrongPassword(record(1, 'a@example.com', outgoing, withOutgoing(false)))).toBe(false);
  });

  it('says plainly that a separate outgoing password stays', () => {
    expect(passwordScope(record(1, 'a@example.com'))).toBeNull();
    expect(passwordScope(record(1, 'a@example.com', {}, withOutgoing(true)))).toBeNull();
    expect(passwordScope(record(1, 'a@example.com', {}, withOutgoing(false)))).toMatch(/receiving only.*stays as it is/);
  });
});

describe('edit settings', () => {
  it('sends only what changed', () => {
    const settings = record(1, 'a@example.com', {}, withOutgoing(true)).settings;
    const form = settingsForm(settings);
    expect(form.incoming).toEqual({ host: 'imap.example.com', port: '993', security: 'tls', username: 'a@example.com' });
    expect(isNoEdit(settingsEdit(settings, form))).toBe(true);
    // The same host typed differently is no change; a new port and a cleared username are.
    form.incoming.host = ' IMAP.example.com. ';
    form.incoming.port = '1993';
    form.incoming.username = '';
    form.outgoing!.security = 'tls';
    expect(settingsEdit(settings, form)).toEqual({
      incoming: { host: null, port: 1993, security: null, username: '' },
      outgoing: { host: null, port: null, security: 'tls', username: null },
    });
  });

  it('checks the fields, refuses no change, and on a refusal keeps the mailbox as it was', async () => {
    const { api, actions, mailboxes } = await setUp(record(1, 'a@example.com'));
    actions.toggle('settings');
    expect(await actions.saveSettings()).toBe(false);
    expect(actions.formError).toMatch(/Nothing changed/);
    actions.form.incoming.port = 'abc';
    expect(await actions.saveSettings()).toBe(false);
    expect(actions.incomingErrors.port).toBeTruthy();
    expect(api.editMailboxSettings).not.toHaveBeenCalled();

    actions.form.incoming.port = '1';
    const refused = diagnosis({ code: 'connection_refused', title: 'The server refused the connection', side: 'incoming' });
    api.editMailboxSettings.mockRejectedValueOnce(refused);
    expect(await actions.saveSettings()).toBe(false);
    expect(api.editMailboxSettings).toHaveBeenCalledWith(1, {
      incoming: { host: null, port: 1, security: null, username: null },
      outgoing: { host: null, port: null, security: null, username: null },
    });
    expect(actions.problemFor('settings')?.code).toBe('connection_refused');
    expect(actions.open).toBe('settings');
    expect(mailboxes.items[0].settings.incoming.endpoint.port).toBe(993);
  });

  it('moves the usual port along with the security, not a typed one', async () => {
    const { actions } = await setUp(record(1, 'a@example.com', {}, withOutgoing(true)));
    actions.toggle('settings');
    actions.setSecurity('incoming', 'starttls');
    expect(actions.form.incoming.port).toBe('143');
    actions.form.outgoing!.port = '2525';
    actions.setSecurity('outgoing', 'tls');
    expect(actions.form.outgoing!.port).toBe('2525');
  });
});

describe('update password', () => {
  it('asks for a password, shows a refusal in place, then saves the accepted one', async () => {
    const { api, actions, mailboxes } = await setUp(
      record(1, 'a@example.com', { lastErrorCode: 'authentication_failed', consecutiveErrors: 3 }),
    );
    actions.toggle('password');
    expect(await actions.updatePassword()).toBe(false);
    expect(actions.passwordError).toBe('Type the new password.');
    expect(api.updatePassword).not.toHaveBeenCalled();

    actions.password = 'wrong';
    api.updatePassword.mockRejectedValueOnce(diagnosis({ code: 'authentication_failed', title: 'The server refused the password' }));
    expect(await actions.updatePassword()).toBe(false);
    expect(actions.problemFor('password')?.code).toBe('authentication_failed');
    expect(actions.problemFor('settings')).toBeNull();

    const fixed = record(1, 'a@example.com', { lastSuccessAt: 5 });
    api.updatePassword.mockResolvedValueOnce(fixed);
    actions.password = 'right';
    expect(await actions.updatePassword()).toBe(true);
    expect(api.updatePassword).toHaveBeenLastCalledWith(1, 'right');
    expect(mailboxes.items[0]).toBe(fixed);
    // The field forgets it once the keychain has it.
    expect(actions.password).toBe('');
    expect(actions.open).toBeNull();
    expect(actions.done).toMatch(/accepted the new password/);
  });

  it('runs one action at a time', async () => {
    const { api, actions } = await setUp(record(1, 'a@example.com', { lastSuccessAt: 1 }));
    let finish: (m: MailboxRecord) => void = () => {};
    api.reconnectMailbox.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const first = actions.reconnect();
    expect(actions.busy).toBe('reconnect');
    actions.toggle('settings');
    expect(actions.open).toBe('reconnect');
    expect(await actions.reconnect()).toBe(false);
    expect(api.reconnectMailbox).toHaveBeenCalledTimes(1);
    finish(record(1, 'a@example.com', { lastSuccessAt: 2 }));
    expect(await first).toBe(true);
    expect(actions.done).toMatch(/Every setting stays/);
  });
});

describe('change folders', () => {
  it('loads the server’s list with the current choice ticked, and saves the new one in the server’s order', async () => {
    const m = { ...record(1, 'a@example.com'), folders: [{ rawName: 'Work', path: 'Work', role: null }, { rawName: 'Gone', path: 'Gone', role: null }] };
    const { api, actions, mailboxes } = await setUp(m);
    actions.toggle('folders');
    expect(await actions.loadFolders()).toBe(true);
    expect(api.loadMailboxFolders).toHaveBeenCalledWith(1);
    // A chosen folder the server no longer has is not ticked (saving it would be refused).
    expect(actions.selection.values()).toEqual(['Work']);
    actions.selection.set('INBOX', true);
    expect(await actions.saveFolders()).toBe(true);
    expect(api.setMailboxFolders).toHaveBeenCalledWith(1, ['INBOX', 'Work']);
    expect(mailboxes.items[0].folders.map((f) => f.rawName)).toEqual(['INBOX', 'Work']);
    expect(actions.done).toMatch(/2 folders are checked/);
  });

  it('wants at least one folder', async () => {
    const { api, actions } = await setUp(record(1, 'a@example.com'));
    await actions.loadFolders();
    actions.selection.selectNone();
    expect(await actions.saveFolders()).toBe(false);
    expect(actions.foldersError).toBe('Choose at least one folder.');
    expect(api.setMailboxFolders).not.toHaveBeenCalled();
  });

  it('pre-ticks only choosable folders', () => {
    const tree = { delimiter: '/', folders: [folder('INBOX'), folder('Box', { placeholder: true, selectable: false })] };
    expect(preTicked(tree, [{ rawName: 'INBOX' }, { rawName: 'Box' }])).toEqual(['INBOX']);
  });
});

describe('disconnect and set up again', () => {
  it('removes the mailbox (history kept) and hands its settings on', async () => {
    const m = record(1, 'a@example.com', {}, withOutgoing(false));
    const { api, actions, mailboxes } = await setUp(m);
    const onsetupagain = vi.fn();
    expect(await actions.setUpAgain(onsetupagain)).toBe(true);
    expect(api.removeMailbox).toHaveBeenCalledWith(1, false);
    expect(mailboxes.items).toEqual([]);
    expect(onsetupagain).toHaveBeenCalledWith(m.settings);
  });

  it('stays when the removal fails', async () => {
    const { api, actions, mailboxes } = await setUp(record(1, 'a@example.com'));
    api.removeMailbox.mockRejectedValueOnce(diagnosis({ code: 'keychain_locked', title: 'The keychain is locked' }));
    const onsetupagain = vi.fn();
    expect(await actions.setUpAgain(onsetupagain)).toBe(false);
    expect(onsetupagain).not.toHaveBeenCalled();
    expect(mailboxes.items).toHaveLength(1);
    expect(actions.problemFor('setup-again')?.code).toBe('keychain_locked');
  });

  it('opens the wizard on Sign in with every setting but the password', async () => {
    const api = new FakeApi();
    const app = new InletApp(api);
    const m = record(1, 'a@example.com', {}, {
      ...withOutgoing(false),
      incoming: {
        protocol: 'imap',
        endpoint: { host: 'mail.example.net', port: 1993, security: 'tls' },
        username: 'alice',
        auth: 'password',
        allowPlaintextPassword: false,
      },
    });
    app.setUpAgain(m.settings);
    await settle();
    const w: Wizard = app.wizard;
    expect(app.view).toBe('wizard');
    expect([w.step, w.path, w.kind, w.email, w.username, w.password]).toEqual(['account', 'manual', 'imap', 'a@example.com', 'alice', '']);
    expect([w.host, w.port, w.security]).toEqual(['mail.example.net', '1993', 'tls']);
    expect([w.smtpEnabled, w.smtpHost, w.smtpPort, w.smtpSecurity, w.smtpSamePassword, w.smtpPassword]).toEqual([
      true, 'smtp.example.com', '587', 'starttls', false, '',
    ]);
    // The typed servers survive the way on: Sign in, then the servers step shows them.
    w.password = 'secret';
    w.smtpPassword = 'smtp-secret';
    expect(w.next()).toBe(true);
    expect(w.step).toBe('server');
    expect([w.host, w.port]).toEqual(['mail.example.net', '1993']);
  });
});
