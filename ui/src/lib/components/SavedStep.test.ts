import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { diagnosis, event, FakeApi, outgoingReport, record, report, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import SavedStep from './SavedStep.svelte';

async function savedWizard(api = new FakeApi(), setup: (w: Wizard) => void = () => undefined) {
  const wizard = new Wizard(api);
  wizard.setUpManually();
  wizard.next();
  wizard.email = 'alice@example.com';
  wizard.password = 'secret';
  wizard.next();
  setup(wizard);
  wizard.next();
  api.lastConnect.result.resolve(report(undefined, 'alice', { outgoing: wizard.smtpEnabled ? outgoingReport('alice') : null }));
  await settle();
  void wizard.save();
  api.lastSave.result.resolve({ ...record(1, 'alice@example.com'), settings: api.lastSave.request.settings });
  await settle();
  return { api, wizard };
}

describe('SavedStep', () => {
  it('sums up both servers and the trusted certificate', async () => {
    const { wizard } = await savedWizard(new FakeApi(), (w) => {
      w.trustedCertificates = [
        { host: 'imap.example.com', port: 993, sha256Fingerprint: 'AB:CD:EF:01:23:45', subject: 'CN=imap', notAfter: '2030-01-01T00:00:00Z' },
      ];
    });
    render(SavedStep, { wizard, ondone: vi.fn() });
    const summary = screen.getByTestId('saved-summary');
    expect(summary).toHaveTextContent('imap.example.com:993');
    expect(summary).toHaveTextContent('IMAP · TLS');
    expect(summary).toHaveTextContent('1 folder chosen');
    expect(screen.getByTestId('saved-outgoing')).toHaveTextContent('smtp.example.com:587 · SMTP · STARTTLS');
    expect(screen.getByTestId('trusted-certificates')).toHaveTextContent(
      'Trusts a certificate for imap.example.com:993, fingerprint AB:CD:EF:01…',
    );
    expect(screen.queryByTestId('plaintext-badge')).toBeNull();
    expect(summary).not.toHaveTextContent('secret');
  });

  it('marks an unencrypted server', async () => {
    const { wizard } = await savedWizard(new FakeApi(), (w) => {
      w.setSmtpSecurity('none');
      w.smtpPlaintextConfirmed = true;
    });
    render(SavedStep, { wizard, ondone: vi.fn() });
    const badges = screen.getAllByTestId('plaintext-badge');
    expect(badges).toHaveLength(1);
    expect(badges[0]).toHaveTextContent('Not encrypted');
    expect(screen.getByTestId('saved-outgoing')).toContainElement(badges[0]);
  });

  it('sends a test message and says where it went', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await savedWizard();
    render(SavedStep, { wizard, ondone: vi.fn() });
    expect(screen.getByText(/one short message from alice@example\.com to the same address/)).toBeInTheDocument();
    await user.click(screen.getByTestId('send-test'));
    expect(screen.getByTestId('send-test')).toBeDisabled();
    api.lastTest.onProgress(event({ side: 'outgoing', stage: 'sending_test_message', state: 'started' }));
    await settle();
    expect(screen.getByTestId('progress-row')).toHaveAttribute('data-stage', 'sending_test_message');
    api.lastTest.result.resolve();
    await settle();
    expect(screen.getByTestId('test-sent')).toHaveTextContent('Sent to alice@example.com — check your inbox');
  });

  it('shows why the test message failed', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await savedWizard();
    render(SavedStep, { wizard, ondone: vi.fn() });
    await user.click(screen.getByTestId('send-test'));
    api.lastTest.result.reject(diagnosis({ code: 'server_refused', title: 'The outgoing server refused the test message', side: 'outgoing' }));
    await settle();
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'server_refused');
    expect(screen.queryByTestId('test-sent')).toBeNull();
    // The test message's own report.
    await user.click(screen.getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false, 'test_message');
  });

  it('offers no test message without an outgoing server', async () => {
    const { wizard } = await savedWizard(new FakeApi(), (w) => w.setSmtpEnabled(false));
    render(SavedStep, { wizard, ondone: vi.fn() });
    expect(screen.queryByTestId('send-test')).toBeNull();
    expect(screen.getByTestId('saved-outgoing')).toHaveTextContent('Not set up');
  });
});
