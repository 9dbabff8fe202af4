import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
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

    const details = screen.getByText('Details for your help desk');
    await user.click(details);
    const pre = panel.querySelector('pre')!;
    expect(pre).toHaveTextContent('Code: certificate_expired');
    expect(pre).toHaveTextContent('Stage: Securing the connection (TLS)');
    expect(pre).toHaveTextContent('127.0.0.1:993: certificate expired');
    expect(pre).toHaveTextContent('addresses tried: 127.0.0.1');
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

