import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, diagnosis, grant, record, settle } from '../../test/fakes';
import { useLanguage } from '../i18n.svelte';
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
        // The engine's badge (health.rs): the list shows it as it is.
        badge: 'failing',
      }),
    ];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    const onadd = vi.fn();
    render(MailboxList, { api, mailboxes, onadd });

    const rows = screen.getAllByTestId('mailbox-row');
    expect(rows.map((r) => r.dataset.email)).toEqual(['alice@example.com', 'bob@example.com']);
    const [alice, bob] = screen.getAllByTestId('mailbox-status');
    expect(alice).toHaveTextContent('Working');
    expect(alice).toHaveTextContent('Checked 5 minutes ago');
    expect(bob).toHaveTextContent('Failing');
    expect(bob).toHaveTextContent('The server refused the password (3 errors in a row)');

    await user.click(screen.getAllByTestId('remove-mailbox')[0]);
    expect(api.removeMailbox).not.toHaveBeenCalled();
    expect(screen.getByTestId('confirm-remove')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-remove')).toBeNull();

    await user.click(screen.getAllByTestId('remove-mailbox')[0]);
    await user.click(screen.getByTestId('confirm-remove'));
    await settle();
    expect(api.removeMailbox).toHaveBeenCalledWith(1, false);
    expect(screen.getAllByTestId('mailbox-row').map((r) => r.dataset.email)).toEqual(['bob@example.com']);

    await user.click(screen.getByTestId('add-mailbox'));
    expect(onadd).toHaveBeenCalled();
  });

  it('announces a mailbox whose status changes to screen readers, not the statuses as first loaded', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'alice@example.com', { badge: 'working' }), record(2, 'bob@example.com', { badge: 'working' })];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    render(MailboxList, { api, mailboxes, onadd: vi.fn() });
    const live = screen.getByTestId('status-announcement');
    expect(live).toHaveAttribute('aria-live', 'polite');
    expect(live).toHaveTextContent(/^$/);

    mailboxes.replace(record(2, 'bob@example.com', { badge: 'failing', lastErrorTitle: 'The server refused the password' }));
    await settle();
    expect(live).toHaveTextContent(/^bob@example\.com: Failing$/);
  });

  it('marks unencrypted mailboxes, lists trusted certificates and the outgoing status', async () => {
    const api = new FakeApi();
    const now = Date.now();
    const base = record(1, 'alice@example.com');
    api.mailboxes = [
      record(
        1,
        'alice@example.com',
        {
          lastCheckAt: now - 60_000,
          lastSuccessAt: now - 60_000,
          lastOutgoingSuccessAt: now - 3 * 3_600_000,
          lastOutgoingErrorTitle: 'The outgoing server refused the password',
          consecutiveOutgoingErrors: 2,
          badge: 'failing',
        },
        {
          outgoing: {
            endpoint: { host: 'smtp.example.com', port: 25, security: 'none' },
            username: null,
            samePassword: true,
            allowPlaintextPassword: true,
          },
          trustedCertificates: [
            { host: 'imap.example.com', port: 993, sha256Fingerprint: 'AB:CD:EF:01:23', subject: 'CN=imap', notAfter: '2030-01-01T00:00:00Z' },
          ],
        },
      ),
      record(2, 'bob@example.com', { lastCheckAt: now, lastSuccessAt: now }, { incoming: { ...base.settings.incoming, protocol: 'pop3' } }),
    ];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    render(MailboxList, { api, mailboxes, onadd: vi.fn() });
    const [alice, bob] = screen.getAllByTestId('mailbox-row');
    expect(alice.querySelector('[data-testid="plaintext-badge"]')).toHaveTextContent('Not encrypted');
    expect(bob.querySelector('[data-testid="plaintext-badge"]')).toBeNull();
    expect(alice).toHaveTextContent('Trusts a certificate for imap.example.com:993, fingerprint AB:CD:EF:01…');
    expect(alice.querySelector('[data-testid="mailbox-outgoing"]')).toHaveTextContent('SMTP smtp.example.com:25 · No encryption');
    const outgoing = alice.querySelector('[data-testid="mailbox-outgoing-status"]')!;
    expect(outgoing).toHaveAttribute('data-health', 'bad');
    expect(outgoing).toHaveTextContent('Sending fails');
    expect(outgoing).toHaveTextContent('last sent OK 3 hours ago');
    expect(outgoing).toHaveTextContent('Sending — last error: The outgoing server refused the password (2 errors in a row)');
    expect(alice.querySelector('[data-testid="mailbox-status"]')).toHaveAttribute('data-health', 'bad');
    expect(bob).toHaveTextContent('POP3 imap.example.com:993 · TLS · inbox only');
    expect(bob.querySelector('[data-testid="mailbox-outgoing-status"]')).toBeNull();

    // A trusted certificate can be removed later; the row then no longer mentions it.
    await fireEvent.click(alice.querySelector<HTMLButtonElement>('[data-testid="remove-trust"]')!);
    expect(api.removeTrustedCertificate).toHaveBeenCalledWith(1, 'imap.example.com', 993);
    await waitFor(() => expect(screen.queryByTestId('mailbox-trust')).toBeNull());
  });

  it('signs a mailbox with a grant in again: the page to open when no browser did, Cancel, the updated record', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const withGrant = { ...record(1, 'alice@example.com', { lastErrorCode: 'needs_sign_in', lastErrorTitle: 'Sign in again', consecutiveErrors: 1 }), grant: grant() };
    api.mailboxes = [withGrant, record(2, 'bob@example.com')];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    render(MailboxList, { api, mailboxes, onadd: vi.fn() });

    // Only the mailbox that signs in with its provider offers it.
    expect(screen.getAllByTestId('sign-in-again')).toHaveLength(1);
    await user.click(screen.getByTestId('sign-in-again'));
    expect(api.reconnects.map((r) => r.id)).toEqual([1]);
    const url = 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=inlet-test';
    api.reconnects[0].onEvent({ kind: 'browserOpened', url, opened: false, deadlineAtMs: Date.now() + 60_000 });
    await settle();
    expect(screen.getByTestId('signing-in-again')).toHaveTextContent('Finish signing in in your browser');
    expect(screen.getByTestId('sign-in-again-url')).toHaveTextContent(url);
    await user.click(screen.getByTestId('cancel-sign-in-again'));
    expect(api.cancelSignIn).toHaveBeenCalled();
    api.reconnects[0].result.reject(diagnosis({ code: 'sign_in_cancelled', title: 'Sign-in cancelled' }));
    await waitFor(() => expect(screen.getByText('Sign-in cancelled')).toBeInTheDocument());
    expect(screen.queryByTestId('signing-in-again')).toBeNull();

    await user.click(screen.getByTestId('sign-in-again'));
    const working = { ...withGrant, status: { ...withGrant.status, lastErrorCode: null, lastErrorTitle: null, consecutiveErrors: 0 } };
    api.reconnects[1].result.resolve(working);
    await waitFor(() => expect(screen.getAllByTestId('mailbox-status')[0]).not.toHaveTextContent('Needs attention'));
    expect(screen.queryByText('Sign-in cancelled')).toBeNull();
  });
});

describe('MailboxList in German', () => {
  afterEach(() => useLanguage('en'));

  it('shows the list, its badges, times and counts in German', async () => {
    useLanguage('de');
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
        badge: 'failing',
      }),
    ];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    render(MailboxList, { api, mailboxes, onadd: vi.fn() });

    expect(screen.getByTestId('step-title')).toHaveTextContent('Postfächer');
    expect(screen.getByTestId('mailbox-list')).toHaveAttribute('aria-label', 'Gespeicherte Postfächer');
    const [alice, bob] = screen.getAllByTestId('mailbox-status');
    expect(alice).toHaveTextContent('Funktioniert');
    expect(alice).toHaveTextContent('Geprüft vor 5 Minuten');
    expect(bob).toHaveTextContent('Fehler');
    // The server's own words stay as they are; the count is German.
    expect(bob).toHaveTextContent('Letzter Fehler: The server refused the password (3 Fehler in Folge)');
    expect(screen.getAllByTestId('check-now')[0]).toHaveTextContent('Jetzt prüfen');
    expect(screen.getAllByTestId('check-now')[0]).toHaveAttribute('aria-label', 'Jetzt prüfen: alice@example.com');
    expect(screen.getAllByTestId('remove-mailbox')[0]).toHaveTextContent('Entfernen');
    expect(await screen.findByTestId('add-mailbox')).toHaveTextContent('Weiteres Postfach hinzufügen');
    const time = alice.querySelector('time')!;
    expect(time.getAttribute('aria-label')).toMatch(/^Geprüft vor 5 Minuten, /);
  });

  it('switches to English at once when the language changes', async () => {
    useLanguage('de');
    const api = new FakeApi();
    api.mailboxes = [record(1, 'alice@example.com', { lastCheckAt: Date.now() - 5 * 60_000, lastSuccessAt: Date.now() - 5 * 60_000 })];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    render(MailboxList, { api, mailboxes, onadd: vi.fn() });
    expect(screen.getByTestId('mailbox-status')).toHaveTextContent('Geprüft vor 5 Minuten');
    useLanguage('en');
    await settle();
    expect(screen.getByTestId('mailbox-status')).toHaveTextContent('Checked 5 minutes ago');
    expect(screen.getByTestId('step-title')).toHaveTextContent('Mailboxes');
    // A change of language is not a change of status: nothing is announced.
    expect(screen.getByTestId('status-announcement')).toHaveTextContent(/^$/);
  });
});
