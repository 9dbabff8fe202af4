import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Discovery } from '../bindings/Discovery';
import { candidate, diagnosis, discovery, FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import ProposalStep from './ProposalStep.svelte';

async function proposing(answer: Discovery = discovery(), api = new FakeApi()) {
  const wizard = new Wizard(api);
  wizard.email = answer.email;
  wizard.next();
  api.lastDiscovery.result.resolve(answer);
  await settle();
  render(ProposalStep, { wizard });
  await settle();
  return { api, wizard };
}

const autoconfig = () =>
  discovery({
    hints: [
      { kind: 'documentation', text: 'Setting up a mail app', url: 'https://example.com/help/imap', source: 'autoconfig' },
      { kind: 'enable', text: 'Turn on IMAP access in your mail settings.', url: 'https://example.com/settings/imap', source: 'autoconfig' },
    ],
  });

describe('ProposalStep', () => {
  it('shows both servers, where they were found, and that they answered', async () => {
    await proposing(autoconfig());
    expect(screen.getByTestId('step-title')).toHaveTextContent('Inlet found your settings');
    expect(screen.getByTestId('proposal-kind')).toHaveTextContent('IMAP mailbox');
    const incoming = screen.getByTestId('proposal-incoming');
    expect(within(incoming).getByRole('heading')).toHaveTextContent('Incoming mail IMAP');
    expect(screen.getByTestId('proposal-incoming-server')).toHaveTextContent('imap.example.com:993');
    expect(incoming).toHaveTextContent('TLS');
    expect(screen.getByTestId('proposal-incoming-login')).toHaveTextContent('alice@example.com');
    expect(screen.getByTestId('proposal-incoming-verification')).toHaveTextContent('Verified The server answered over an encrypted connection.');
    // Where it was found and the sign-in mechanisms: the technician's view, behind Show details.
    expect(screen.getByTestId('proposal-incoming-found-by')).toHaveTextContent('from example.com’s own configuration');
    expect(screen.getByTestId('proposal-incoming-found-by')).not.toBeVisible();
    expect(screen.getByTestId('proposal-incoming')).toHaveTextContent('Show details');
    expect(screen.getByTestId('proposal-incoming-sign-in')).toHaveTextContent('Password');
    expect(screen.getByTestId('proposal-outgoing-server')).toHaveTextContent('smtp.example.com:465');
    expect(screen.queryByTestId('needs-confirmation')).toBeNull();
    expect(screen.queryByTestId('browser-only')).toBeNull();
    expect(screen.queryByTestId('other-servers')).toBeNull();
    // Enter takes the proposal.
    expect(screen.getByTestId('use-settings')).toHaveFocus();
    expect(screen.getByTestId('use-settings')).toBeEnabled();
  });

  it('puts the provider’s “enable first” on top, and its help pages as links opened in the system browser', async () => {
    const user = userEvent.setup();
    const { api } = await proposing(autoconfig());
    const hints = screen.getAllByTestId('hint');
    expect(hints.map((h) => h.dataset.kind)).toEqual(['enable', 'documentation']);
    expect(hints[0]).toHaveTextContent('Before you continue');
    expect(hints[0]).toHaveTextContent('Turn on IMAP access in your mail settings.');
    expect(hints[0]).toHaveTextContent('https://example.com/settings/imap');
    expect(hints[1]).toHaveTextContent('Setting up a mail app: https://example.com/help/imap');
    // Real links, opened by the app's command in the system browser; the window never navigates.
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/settings/imap', 'https://example.com/help/imap']);
    await user.click(links[0]);
    expect(api.openHelpPage).toHaveBeenCalledWith('https://example.com/settings/imap');
    expect(window.location.href).not.toContain('example.com/settings');
  });

  it('never makes a link of an address that is not http or https', async () => {
    const user = userEvent.setup();
    const { api } = await proposing(
      discovery({
        hints: [
          { kind: 'enable', text: 'Turn on IMAP.', url: 'javascript:alert(1)', source: 'autoconfig' },
          { kind: 'documentation', text: 'Help', url: 'file:///etc/passwd', source: 'autoconfig' },
          { kind: 'documentation', text: 'Plain web', url: 'http://example.com/help', source: 'autoconfig' },
        ],
      }),
    );
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['http://example.com/help']);
    const refused = screen.getAllByTestId('hint-url').filter((e) => e.dataset.refused === 'true');
    expect(refused.map((e) => e.textContent)).toEqual(['javascript:alert(1)', 'file:///etc/passwd']);
    for (const e of refused) await user.click(e);
    expect(api.openHelpPage).not.toHaveBeenCalled();
  });

  it('says so when the browser did not open, and keeps the address to copy', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.openHelpPage.mockResolvedValue(false);
    await proposing(autoconfig(), api);
    await user.click(screen.getAllByRole('link')[0]);
    await settle();
    expect(screen.getByTestId('hint-url-not-opened')).toHaveTextContent('Your browser did not open');
  });

  it('names a custom domain at Google Workspace and why, with the type’s note', async () => {
    await proposing(
      discovery({
        kind: 'gmail',
        provider: { id: 'google', name: 'Google Workspace', detectedBy: 'example.com’s MX records point to Google' },
        incoming: [candidate('imap.gmail.com', 993, { source: 'mx', foundBy: 'from DNS: example.com’s mail is at Google Workspace' })],
        outgoing: [candidate('smtp.gmail.com', 465, { source: 'mx' })],
        signInOffer: { provider: 'google' },
      }),
    );
    expect(screen.getByTestId('proposal-kind')).toHaveTextContent(
      'Google Workspace — detected: example.com’s MX records point to Google',
    );
    expect(screen.getByText(/You sign in with Google in your browser/)).toBeInTheDocument();
    // The detected provider's sign-in is the main action; Gmail still takes an app password.
    expect(screen.getByTestId('sign-in')).toHaveTextContent('Sign in with Google');
    expect(screen.getByTestId('use-password')).toHaveTextContent('Use a password instead (app password)');
  });

  it('says so when a server accepts only the provider’s sign-in page, not a password', async () => {
    const oauthOnly = candidate('outlook.office365.com', 993, {
      signIn: 'browser_only',
      verification: {
        verified: true,
        elapsedMs: 40,
        detail: 'IMAP server answered over TLS; sign-in: XOAUTH2',
        authMechanisms: ['XOAUTH2'],
        password: false,
        oauth2: true,
        certificateProblem: false,
      },
    });
    await proposing(discovery({ incoming: [oauthOnly] }));
    expect(screen.getByTestId('proposal-incoming-sign-in')).toHaveTextContent('Your provider’s sign-in page only (OAuth2)');
    expect(screen.getByTestId('proposal-outgoing-sign-in')).toHaveTextContent('Password');
    const note = screen.getByTestId('browser-only');
    expect(note).toHaveTextContent('A password will not work here');
    expect(note).toHaveTextContent('outlook.office365.com accepts only sign-in through your provider’s page (OAuth2).');
    expect(note).not.toHaveTextContent('smtp.example.com');
  });

  it('needs the box ticked before servers outside the domain are used', async () => {
    const user = userEvent.setup();
    const why = 'example.com’s DNS points to mail.hoster.example, which is not part of example.com; DNS answers can be forged';
    const { wizard } = await proposing(
      discovery({ incoming: [candidate('mail.hoster.example', 993, { source: 'srv', foundBy: 'from DNS (example.com’s service records)', needsConfirmation: why })] }),
    );
    const notice = screen.getByTestId('needs-confirmation');
    // A question a person can answer; the reason one click away.
    expect(screen.getByTestId('confirmation-question')).toHaveTextContent(
      'Your domain’s mail seems to be handled by mail.hoster.example. Is that your email provider?',
    );
    expect(notice).not.toHaveTextContent('I know that');
    expect(screen.getByText(`${why}.`, { exact: false })).not.toBeVisible();
    await user.click(screen.getByText('Why Inlet asks'));
    expect(screen.getByText(`${why}.`, { exact: false })).toBeVisible();
    expect(notice).toHaveTextContent(`mail.hoster.example: ${why}.`);
    await user.click(screen.getByText('Why Inlet asks'));
    screen.getByTestId('step-title').focus();
    expect(screen.getByTestId('proposal-incoming')).toHaveTextContent('Needs your confirmation');
    const use = screen.getByTestId('use-settings');
    expect(use).toBeDisabled();
    expect(use).toHaveAccessibleDescription('Confirm the servers to continue.');
    // The page is read from the top; the question comes before the servers, and Tab reaches the box first.
    expect(screen.getByTestId('step-title')).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId('confirm-proposal')).toHaveFocus();
    expect(screen.getByLabelText('Yes, that is my email provider')).toBe(screen.getByTestId('confirm-proposal'));
    await user.keyboard(' ');
    expect(use).toBeEnabled();
    await user.click(use);
    expect(wizard.step).toBe('account');
    expect(wizard.host).toBe('mail.hoster.example');
  });

  it('follows a redirect when asked', async () => {
    const user = userEvent.setup();
    const to = 'https://autoconfig.hoster.example/mail/config-v1.1.xml';
    const { api, wizard } = await proposing(
      discovery({ redirects: [{ source: 'autoconfig', to, explanation: 'example.com’s configuration points to autoconfig.hoster.example.' }] }),
    );
    const offer = screen.getByTestId('redirect-offer');
    expect(offer).toHaveTextContent('example.com’s configuration points to autoconfig.hoster.example.');
    expect(offer).toHaveTextContent(to);
    await user.click(within(offer).getByRole('button', { name: 'Follow this redirect' }));
    expect(wizard.step).toBe('discovering');
    expect(api.lastDiscovery.request.follow).toEqual([to]);
  });

  it('lets another server found be chosen instead', async () => {
    const user = userEvent.setup();
    const { wizard } = await proposing(
      discovery({
        incoming: [
          candidate('imap.example.com', 993),
          candidate('mail.example.com', 143, { endpoint: { host: 'mail.example.com', port: 143, security: 'starttls' }, source: 'guess', foundBy: 'guessed and verified' }),
        ],
      }),
    );
    await user.click(screen.getByText('Other servers found'));
    const choices = screen.getAllByTestId('incoming-choice');
    expect(choices).toHaveLength(2);
    expect(choices[1]).toHaveTextContent('IMAP mail.example.com:143 · STARTTLS');
    expect(choices[1]).toHaveTextContent('guessed and verified · Verified');
    await user.click(within(choices[1]).getByRole('radio'));
    expect(screen.getByTestId('proposal-incoming-server')).toHaveTextContent('mail.example.com:143');
    await user.click(screen.getByTestId('use-settings'));
    expect([wizard.host, wizard.port, wizard.security]).toEqual(['mail.example.com', '143', 'starttls']);
  });

  it('shows what Inlet tried, for a technician', async () => {
    const user = userEvent.setup();
    await proposing();
    await user.click(screen.getByText('What Inlet tried'));
    const sources = screen.getByTestId('discovery-sources');
    expect(within(sources).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual([
      'Known providersNothing there0 msexample.com is not a provider we know',
      'The domain’s configurationFound80 msIMAP imap.example.com:993, SMTP smtp.example.com:465',
      'Trying usual server namesNot needed90 msstopped: a better answer was already there',
    ]);
    expect(screen.getByTestId('discovery-trace')).toHaveTextContent('GET https://autoconfig.example.com/mail/config-v1.1.xml');
  });

  it('edits the settings instead', async () => {
    const user = userEvent.setup();
    const { wizard } = await proposing();
    await user.click(screen.getByTestId('edit-settings'));
    expect(wizard.step).toBe('server');
    expect(wizard.host).toBe('imap.example.com');
  });

  it('nothing found: a calm heading, not an error, and the form to type the settings by hand as the main action', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await proposing(
      discovery({
        incoming: [candidate('imap.example.com', 993, { verification: null, source: 'guess' })],
        diagnosis: diagnosis({
          code: 'settings_not_found',
          title: 'Settings not found',
          whatHappened: 'Inlet asked every place that usually knows the mail servers of example.com.',
          whatToDo: 'Enter the server settings by hand.',
          stage: null,
          side: null,
          evidence: ['The domain’s configuration: nothing there'],
        }),
      }),
    );
    expect(screen.getByTestId('step-title')).toHaveTextContent('Let’s enter your settings');
    expect(screen.getByText(/does not publish its mail settings, which is common for a custom domain/)).toBeInTheDocument();
    expect(screen.queryByText(/could not find|can tell your settings/)).toBeNull();
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'settings_not_found');
    // Not styled as an error: no alarm colour, no error code.
    expect(screen.getByTestId('diagnosis')).toHaveClass('calm');
    expect(screen.queryByTestId('diagnosis-code')).toBeNull();
    expect(screen.getByTestId('enter-by-hand')).toHaveClass('primary');
    expect(screen.getByTestId('diagnosis-title')).toHaveFocus();
    expect(screen.queryByTestId('use-settings')).toBeNull();
    expect(screen.queryByTestId('proposal-incoming')).toBeNull();
    // The discovery's report: its trace and the diagnosis.
    await user.click(screen.getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false, 'discovery');
    await user.click(screen.getByTestId('enter-by-hand'));
    expect(wizard.step).toBe('server');
    expect(wizard.host).toBe('imap.example.com');
  });

  it('offers to ask the domain’s Autodiscover with the password, and sends it only then', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await proposing(
      discovery({ autodiscoverWantsPassword: true, diagnosis: diagnosis({ code: 'settings_not_found', title: 'Settings not found' }) }),
    );
    const offer = screen.getByTestId('autodiscover-offer');
    expect(screen.getByTestId('step-title')).toHaveTextContent('One more step');
    expect(offer).toHaveTextContent('Sign in to get your settings from example.com');
    // The way on is the main action; typing the settings stays possible.
    expect(screen.getByTestId('autodiscover-ask')).toHaveClass('primary');
    expect(screen.getByTestId('enter-by-hand')).not.toHaveClass('primary');
    // The way on comes first, with the focus; the diagnosis follows.
    expect(offer.compareDocumentPosition(screen.getByTestId('diagnosis')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId('autodiscover-password')).toHaveFocus();
    expect(offer).toHaveTextContent(/Inlet sends it only when you ask/);
    await user.click(screen.getByTestId('autodiscover-ask'));
    expect(screen.getByTestId('autodiscover-password')).toHaveAccessibleDescription('Type the password of this mailbox.');
    expect(screen.getByTestId('autodiscover-password')).toHaveFocus();
    expect(api.discoveries).toHaveLength(1);
    // Enter in the field asks Autodiscover; it does not leave for the form.
    await user.keyboard('secret{Enter}');
    expect(api.discoveries).toHaveLength(2);
    expect(api.lastDiscovery.request.autodiscoverPassword).toBe('secret');
    expect(wizard.step).toBe('discovering');
  });

  it('nothing found but a redirect: read from the top, the redirect before the diagnosis, following it the main action', async () => {
    const user = userEvent.setup();
    const to = 'https://autoconfig.example.org/mail/config-v1.1.xml';
    const { api, wizard } = await proposing(
      discovery({
        redirects: [{ source: 'autoconfig', to, explanation: 'example.com’s configuration points to autoconfig.example.org.' }],
        diagnosis: diagnosis({ code: 'settings_not_found', title: 'Settings not found' }),
      }),
    );
    expect(screen.getByTestId('step-title')).toHaveFocus();
    expect(screen.getByText(/points to another domain. Follow it if you trust it/)).toBeInTheDocument();
    const offer = screen.getByTestId('redirect-offer');
    expect(offer.compareDocumentPosition(screen.getByTestId('diagnosis')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId('step-title')).toHaveTextContent('One more step');
    expect(screen.getByTestId('follow-redirect')).toHaveClass('primary');
    expect(screen.getByTestId('enter-by-hand')).not.toHaveClass('primary');
    // "Enter settings by hand" still leads to the form.
    await user.click(screen.getByTestId('enter-by-hand'));
    expect(wizard.step).toBe('server');
    expect(api.discoveries).toHaveLength(1);
  });

  describe('with a sign-in offered', () => {
    const oauthOnly = candidate('outlook.office365.com', 993, {
      signIn: 'browser_only',
      verification: {
        verified: true,
        elapsedMs: 40,
        detail: 'IMAP server answered over TLS; sign-in: XOAUTH2',
        authMechanisms: ['XOAUTH2'],
        password: false,
        oauth2: true,
        certificateProblem: false,
      },
    });
    const offering = (extra: Partial<Discovery> = {}) =>
      discovery({ kind: 'microsoft365', incoming: [oauthOnly], outgoing: [], signInOffer: { provider: 'microsoft' }, ...extra });

    it('makes “Sign in with Microsoft” the main action, focused, where a password will not work', async () => {
      const user = userEvent.setup();
      const { api, wizard } = await proposing(offering());
      const button = screen.getByTestId('sign-in');
      expect(button).toHaveAccessibleName('Sign in with Microsoft');
      expect(button).toHaveFocus();
      expect(screen.getByTestId('sign-in-offer')).toHaveTextContent('outlook.office365.com accepts only sign-in through Microsoft’s page');
      expect(screen.queryByTestId('use-password')).toBeNull();
      expect(screen.queryByTestId('use-settings')).toBeNull();
      expect(screen.queryByTestId('browser-only')).toBeNull();
      await user.keyboard('{Enter}');
      await settle();
      expect(wizard.step).toBe('signing-in');
      expect(api.lastSignIn.request.issuer).toEqual({ provider: 'microsoft' });
    });

    it('keeps “Use a password instead (app password)” one click away where the server takes it', async () => {
      const user = userEvent.setup();
      const { api, wizard } = await proposing(offering({ incoming: [candidate('outlook.office365.com', 993)] }));
      await user.click(screen.getByTestId('use-password'));
      expect(wizard.step).toBe('account');
      expect(wizard.auth).toBe('password');
      expect(api.signIns).toHaveLength(0);
    });

    it('says what an administrator must set when the provider is not set up, and offers the password', async () => {
      const api = new FakeApi();
      api.options = [{ provider: 'microsoft', available: false, whyNot: 'Set oauth.microsoft.clientId in /etc/inlet/policy.json.' }];
      await proposing(offering({ incoming: [candidate('outlook.office365.com', 993)] }), api);
      expect(screen.getByTestId('sign-in')).toHaveAttribute('aria-disabled', 'true');
      expect(screen.getByTestId('sign-in-why-not')).toHaveTextContent('Set oauth.microsoft.clientId in /etc/inlet/policy.json.');
      expect(screen.getByTestId('use-settings')).toHaveTextContent('Use a password (app password)');
      expect(screen.getByTestId('use-settings')).toBeEnabled();
    });
  });
});
