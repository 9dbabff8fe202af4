import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { diagnosis } from '../../test/fakes';
import { toProblem } from '../api';
import DiagnosisPanel from './DiagnosisPanel.svelte';

describe('DiagnosisPanel', () => {
  it('shows the title, what happened, what to do and the provider hint', () => {
    render(DiagnosisPanel, {
      problem: diagnosis({ providerHint: 'Gmail needs an app password when 2-Step Verification is on.' }),
    });
    const panel = screen.getByTestId('diagnosis');
    expect(panel).toHaveAttribute('data-code', 'authentication_failed');
    expect(screen.getByTestId('diagnosis-title')).toHaveTextContent('The server refused the password');
    expect(panel).toHaveTextContent('answered that the username or password is wrong');
    expect(within(panel).getByRole('heading', { name: 'What to do' })).toBeInTheDocument();
    expect(panel).toHaveTextContent('Type the password again.');
    expect(panel).toHaveTextContent('Gmail needs an app password');
  });

  it('shows the certificate and the help-desk details', async () => {
    const user = userEvent.setup();
    render(DiagnosisPanel, {
      problem: diagnosis({
        code: 'certificate_expired',
        title: 'The server’s certificate has expired',
        stage: 'tls',
        evidence: ['127.0.0.1:993: certificate expired', 'addresses tried: 127.0.0.1'],
        certificate: {
          subject: 'CN=imap.example.com',
          issuer: 'CN=Example CA',
          notBefore: '2020-01-01T00:00:00Z',
          notAfter: '2021-01-01T00:00:00Z',
          sha256Fingerprint: 'AB:CD:EF:01',
          names: ['imap.example.com'],
          selfSigned: false,
        },
      }),
    });
    const panel = screen.getByTestId('diagnosis');
    expect(panel).toHaveTextContent('CN=imap.example.com');
    expect(panel).toHaveTextContent('CN=Example CA');
    expect(panel).toHaveTextContent('SHA-256 fingerprint');
    expect(panel).toHaveTextContent('AB:CD:EF:01');
    expect(panel).toHaveTextContent('Valid from');
    expect(panel).toHaveTextContent('2020');
    expect(panel).toHaveTextContent('Expired');

    const details = screen.getByText('Details');
    await user.click(details);
    const pre = panel.querySelector('pre')!;
    expect(pre).toHaveTextContent('Code: certificate_expired');
    expect(pre).toHaveTextContent('Stage: Securing the connection (TLS)');
    expect(pre).toHaveTextContent('127.0.0.1:993: certificate expired');
    expect(pre).toHaveTextContent('addresses tried: 127.0.0.1');
  });

  it('shows the code beside the title, the steps numbered and who acts', () => {
    render(DiagnosisPanel, {
      problem: toProblem(
        diagnosis({
          code: 'app_password_required',
          title: 'An app password is needed',
          steps: ['Turn on 2-Step Verification.', 'Create an app password.', 'Type it here, then choose Try again.'],
          whoActs: 'you',
        }),
      ),
    });
    const head = screen.getByTestId('diagnosis-title').closest('.head')!;
    expect(head).toContainElement(screen.getByTestId('diagnosis-code'));
    expect(screen.getByTestId('diagnosis-code')).toHaveTextContent('app_password_required');
    const steps = within(screen.getByRole('list', { name: 'What to do' })).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent)).toEqual([
      'Turn on 2-Step Verification.',
      'Create an app password.',
      'Type it here, then choose Try again.',
    ]);
    expect(screen.getByTestId('diagnosis-steps').tagName).toBe('OL');
    expect(screen.getByTestId('who-acts')).toHaveTextContent('You can fix this yourself');
  });

  it('says when the administrator or the provider must act', () => {
    const { unmount } = render(DiagnosisPanel, { problem: toProblem(diagnosis({ code: 'basic_auth_disabled', whoActs: 'administrator' })) });
    expect(screen.getByTestId('who-acts')).toHaveTextContent('Your administrator needs to fix this');
    unmount();
    render(DiagnosisPanel, { problem: toProblem(diagnosis({ code: 'server_busy', whoActs: 'provider' })) });
    expect(screen.getByTestId('who-acts')).toHaveTextContent('Your email provider needs to fix this');
  });

  it('opens the provider’s help page through the app, never in its own window', async () => {
    const user = userEvent.setup();
    const onhelp = vi.fn(async () => true);
    const url = 'https://support.google.com/accounts/answer/185833';
    render(DiagnosisPanel, { problem: toProblem(diagnosis({ helpUrl: url })), onhelp });
    const link = screen.getByTestId('help-link');
    expect(link.tagName).toBe('BUTTON');
    expect(link).toHaveTextContent('Open the help page on support.google.com');
    link.focus();
    await user.keyboard('{Enter}');
    expect(onhelp).toHaveBeenCalledWith(url);
    expect(screen.queryByTestId('help-not-opened')).toBeNull();
  });

  it('gives the help page’s address to copy when no browser could be started', async () => {
    const user = userEvent.setup();
    const url = 'https://help.yahoo.com/kb/SLN15241.html';
    render(DiagnosisPanel, { problem: toProblem(diagnosis({ helpUrl: url })), onhelp: async () => false });
    await user.click(screen.getByTestId('help-link'));
    expect(screen.getByTestId('help-url')).toHaveTextContent(url);
  });

  it('offers no link that is not https', () => {
    render(DiagnosisPanel, { problem: toProblem(diagnosis({ helpUrl: 'javascript:alert(1)' })) });
    expect(screen.queryByTestId('help-link')).toBeNull();
  });

  it('keeps the server’s own words behind Details', async () => {
    const user = userEvent.setup();
    render(DiagnosisPanel, {
      problem: toProblem(diagnosis({ evidence: ['imap.example.com:993 said: NO [THROTTLED] Request is throttled.'] })),
    });
    const details = screen.getByTestId('diagnosis-details');
    expect(details).not.toHaveAttribute('open');
    expect(screen.getByText(/Request is throttled/)).not.toBeVisible();
    await user.click(screen.getByText('Details'));
    expect(details).toHaveAttribute('open');
    expect(screen.getByText(/Request is throttled/)).toBeVisible();
  });

  it('says what the reachability check found', () => {
    render(DiagnosisPanel, {
      problem: toProblem(
        diagnosis({
          code: 'connection_refused',
          reachability: {
            verdict: 'port_blocked',
            failed: { host: 'imap.example.com', port: 993, result: 'refused', elapsedMs: 3 },
            otherPorts: [],
            otherHosts: [],
            explanation: 'The server answers on its other ports: this network probably blocks port 993.',
          },
        }),
      ),
    });
    expect(screen.getByTestId('reachability')).toHaveTextContent('this network probably blocks port 993');
  });

  it('moves focus to its title so it is announced', async () => {
    render(DiagnosisPanel, { problem: diagnosis() });
    await Promise.resolve();
    expect(screen.getByTestId('diagnosis-title')).toHaveFocus();
  });

  it('gives the organisation’s administrator the consent address to pass on when consent is needed', () => {
    const url = 'https://login.microsoftonline.com/contoso.example/adminconsent?client_id=inlet';
    render(DiagnosisPanel, {
      problem: toProblem(
        diagnosis({
          code: 'sign_in_consent_required',
          title: 'Your organisation must approve Inlet first',
          whatToDo: 'Ask your administrator to approve Inlet.',
          adminConsentUrl: url,
        }),
      ),
    });
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'sign_in_consent_required');
    expect(screen.getByTestId('admin-consent')).toHaveTextContent('For your administrator');
    expect(screen.getByTestId('admin-consent-url')).toHaveTextContent(url);
    expect(screen.getByTestId('admin-consent-url-copy')).toHaveAccessibleName('Copy the administrator’s consent address');
  });
});

