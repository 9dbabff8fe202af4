import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { certificate, diagnosis, event, FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import ConnectingStep from './ConnectingStep.svelte';

function connecting(api: FakeApi) {
  const wizard = new Wizard(api);
  wizard.setUpManually();
  wizard.next();
  wizard.email = 'alice@example.com';
  wizard.password = 'secret';
  wizard.next();
  wizard.next();
  return wizard;
}

describe('ConnectingStep', () => {
  it('shows a live row per stage, plain by default; addresses, TLS and timings behind Show details', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    const progress = api.lastConnect.onProgress;
    progress(event({ stage: 'resolving', state: 'started', target: 'imap.example.com', elapsedMs: 1 }));
    progress(event({ stage: 'resolving', state: 'done', target: 'imap.example.com', detail: '127.0.0.1', elapsedMs: 9 }));
    progress(event({ stage: 'listing_folders', state: 'started', elapsedMs: 20 }));
    progress(event({ stage: 'listing_folders', state: 'update', current: 1200, detail: '1200 so far', elapsedMs: 40 }));
    await settle();
    const rows = screen.getAllByTestId('progress-row');
    expect(rows.map((r) => [r.dataset.stage, r.dataset.state])).toEqual([
      ['resolving', 'done'],
      ['listing_folders', 'update'],
    ]);
    expect(rows[0]).toHaveTextContent('Looking up the server');
    // Plain: what is done and whether it worked; a count is plain words too.
    expect(rows[0]).not.toHaveTextContent('imap.example.com');
    expect(rows[0]).not.toHaveTextContent('127.0.0.1');
    expect(rows[0]).not.toHaveTextContent('8 ms');
    expect(rows[1]).toHaveTextContent('Loading folders');
    expect(rows[1]).toHaveTextContent('1,200 so far');
    progress(event({ stage: 'tls', state: 'done', target: '[::1]:993', detail: 'TLSv1_3, 4 capabilities: IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN', elapsedMs: 50 }));
    await settle();
    const tls = screen.getAllByTestId('progress-row').find((r) => r.dataset.stage === 'tls')!;
    expect(tls).toHaveTextContent('Securing the connection');
    expect(tls).not.toHaveTextContent('TLSv1_3');
    expect(tls).not.toHaveTextContent('::1');
    await user.click(screen.getByTestId('progress-details'));
    expect(screen.getByTestId('progress-details')).toHaveAttribute('aria-expanded', 'true');
    expect(rows[0]).toHaveTextContent('imap.example.com');
    expect(rows[0]).toHaveTextContent('8 ms');
    // In full: the capability list wraps instead of being cut off.
    expect(tls).toHaveTextContent('TLSv1_3, 4 capabilities: IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN');
    expect(screen.getByTestId('progress-list')).toHaveClass('full');
    expect(rows[1].querySelector('.spinner')).not.toBeNull();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Connecting to imap.example.com');
  });

  it('cancels with Escape', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    await settle();
    expect(screen.getByTestId('cancel')).toHaveFocus();
    await user.keyboard('{Escape}');
    await settle();
    expect(api.cancelConnect).toHaveBeenCalledOnce();
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'cancelled');
    expect(screen.getByTestId('step-title')).toHaveTextContent('Connection cancelled');
  });

  it('shows the diagnosis with Back to settings and Try again', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.onProgress(event({ stage: 'signing_in', state: 'failed' }));
    api.lastConnect.result.reject(diagnosis());
    await settle();
    expect(screen.getByTestId('progress-row')).toHaveAttribute('data-state', 'failed');
    expect(screen.getByTestId('diagnosis-title')).toHaveTextContent('The server refused the password');
    expect(screen.queryByTestId('cancel')).toBeNull();
    await user.click(screen.getByTestId('retry'));
    expect(api.connects).toHaveLength(2);
    expect(screen.queryByTestId('diagnosis')).toBeNull();
    api.lastConnect.result.reject(diagnosis({ code: 'connection_refused', title: 'The server refused the connection' }));
    await settle();
    // Back goes to the step with the field at fault: the port is on the Servers step.
    await user.click(screen.getByTestId('back'));
    expect(wizard.step).toBe('server');
  });

  it('goes Back to the password’s step after a refused password', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis());
    await settle();
    await user.click(screen.getByTestId('back'));
    expect(wizard.step).toBe('account');
  });

  it('fixes a refused password in place: Try again sends what was typed there', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis());
    await settle();
    const password = screen.getByTestId('fix-password');
    expect(password).toHaveValue('secret');
    expect(password).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText('Username (optional)')).toBe(screen.getByTestId('fix-username'));
    // The title has the focus; the fields come right after the steps, by keyboard.
    expect(screen.getByTestId('diagnosis-title')).toHaveFocus();
    await user.clear(password);
    await user.type(password, 'the-right-one');
    await user.type(screen.getByTestId('fix-username'), 'alice{Enter}');
    expect(api.connects).toHaveLength(2);
    const credentials = api.lastConnect.request.credentials;
    expect(credentials).toEqual({ password: 'the-right-one' });
    expect(api.lastConnect.request.settings.incoming.username).toBe('alice');
  });

  it('does not try again with the password in place left empty', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis({ code: 'app_password_required', title: 'An app password is needed' }));
    await settle();
    await user.clear(screen.getByTestId('fix-password'));
    await user.click(screen.getByTestId('retry'));
    expect(api.connects).toHaveLength(1);
    expect(screen.getByTestId('fix-password')).toHaveFocus();
    expect(screen.getByTestId('fix-fields')).toHaveTextContent('Type the password.');
  });

  it('shows no password fields for a failure that is not about the password', async () => {
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis({ code: 'throttled', title: 'The server is slowing this account down' }));
    await settle();
    expect(screen.queryByTestId('fix-fields')).toBeNull();
  });

  it('says once that both servers refused the same password', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    const outgoing = diagnosis({ side: 'outgoing', title: 'The outgoing server refused the password' });
    api.lastConnect.result.reject(diagnosis({ side: 'incoming', also: outgoing }));
    await settle();
    expect(screen.getAllByTestId('diagnosis')).toHaveLength(1);
    expect(screen.queryByTestId('also-problem')).toBeNull();
    expect(screen.getByTestId('both-refused')).toHaveTextContent('Both servers refused this password');
    expect(screen.getByTestId('diagnosis-side')).toHaveTextContent('Incoming (IMAP) and Outgoing (SMTP)');
    expect(screen.getAllByTestId('fix-password')).toHaveLength(1);
    await user.clear(screen.getByTestId('fix-password'));
    await user.type(screen.getByTestId('fix-password'), 'fixed{Enter}');
    expect(api.lastConnect.request.credentials).toEqual({ password: 'fixed' });
    expect(api.lastConnect.request.outgoingCredentials).toBeNull();
  });

  it('fixes the outgoing server’s own password on its own panel', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.setUpManually();
    wizard.next();
    wizard.email = 'alice@example.com';
    wizard.password = 'secret';
    wizard.next();
    wizard.smtpSamePassword = false;
    wizard.smtpPassword = 'old-smtp';
    wizard.next();
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis({ side: 'outgoing', title: 'The outgoing server refused the password' }));
    await settle();
    expect(screen.queryByTestId('fix-password')).toBeNull();
    await user.clear(screen.getByTestId('fix-smtp-password'));
    await user.type(screen.getByTestId('fix-smtp-password'), 'new-smtp{Enter}');
    expect(api.lastConnect.request.outgoingCredentials).toEqual({ password: 'new-smtp' });
    api.lastConnect.result.reject(diagnosis({ side: 'outgoing' }));
    await settle();
    // Its field is on the Servers step.
    await user.click(screen.getByTestId('back'));
    expect(wizard.step).toBe('server');
  });

  it('copies the engine’s report and says where a saved one went', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis());
    await settle();
    await user.click(screen.getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false);
    expect(await navigator.clipboard.readText()).toBe(api.reportText.markdown);
    expect(screen.getByTestId('report-status')).toHaveTextContent('Report copied');

    await user.click(screen.getByTestId('report-masked'));
    await user.selectOptions(screen.getByTestId('report-format'), 'json');
    await user.click(screen.getByTestId('save-report'));
    await settle();
    expect(api.saveReport).toHaveBeenCalledWith('json', true);
    expect(screen.getByTestId('report-path')).toHaveTextContent('/home/alice/Downloads/inlet-report-20250102-030405.json');
  });

  it('says why a report could not be had', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis());
    await settle();
    api.saveReport.mockRejectedValueOnce(
      diagnosis({ code: 'store_failed', title: 'Inlet could not save the report', whatToDo: 'Use Copy report instead.' }),
    );
    await user.click(screen.getByTestId('save-report'));
    await settle();
    expect(screen.getByTestId('report-status')).toHaveTextContent('Inlet could not save the report. Use Copy report instead.');
  });

  it('shows both servers, grouped and labelled by side', async () => {
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    const progress = api.lastConnect.onProgress;
    progress(event({ stage: 'resolving', state: 'done' }));
    progress(event({ side: 'outgoing', stage: 'resolving', state: 'done', target: 'smtp.example.com' }));
    progress(event({ side: 'outgoing', stage: 'signing_in', state: 'started', target: 'smtp.example.com:587' }));
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Connecting to imap.example.com and smtp.example.com');
    const rows = screen.getAllByTestId('progress-row');
    expect(rows.map((r) => `${r.dataset.side}:${r.dataset.stage}:${r.dataset.state}`)).toEqual([
      'incoming:resolving:done',
      'outgoing:resolving:done',
      'outgoing:signing_in:started',
    ]);
    expect(screen.getByRole('group', { name: 'Incoming (IMAP)' })).toContainElement(rows[0]);
    expect(screen.getByRole('group', { name: 'Outgoing (SMTP)' })).toContainElement(rows[2]);
  });

  it('says which server failed', async () => {
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(diagnosis({ side: 'outgoing', title: 'The outgoing server refused the password' }));
    await settle();
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-side', 'outgoing');
    expect(screen.getByTestId('diagnosis-side')).toHaveTextContent('Outgoing (SMTP) · smtp.example.com:587');
    expect(screen.getByText(/what went wrong with the outgoing server/)).toBeInTheDocument();
  });

  it('shows both diagnoses when both servers failed', async () => {
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    const outgoing = diagnosis({
      code: 'connection_refused',
      side: 'outgoing',
      title: 'The outgoing server refused the connection',
      evidence: ['smtp.example.com:587: connection refused'],
    });
    api.lastConnect.result.reject(diagnosis({ side: 'incoming', also: outgoing }));
    await settle();
    const panels = screen.getAllByTestId('diagnosis');
    expect(panels.map((p) => p.dataset.side)).toEqual(['incoming', 'outgoing']);
    expect(screen.getByTestId('also-problem')).toHaveTextContent('Outgoing (SMTP) · smtp.example.com:587');
    expect(screen.getByTestId('also-problem')).toHaveTextContent('The outgoing server refused the connection');
    expect(screen.getByText(/Both servers failed/)).toBeInTheDocument();
    // Each panel is named by its own title; the first one has the focus.
    const titles = screen.getAllByTestId('diagnosis-title');
    expect(new Set(titles.map((t) => t.id)).size).toBe(2);
    expect(panels[0]).toHaveAttribute('aria-labelledby', titles[0].id);
    expect(titles[0]).toHaveFocus();
  });

  it('trusts a certificate after the confirmation, and connects again with it', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.result.reject(
      diagnosis({ code: 'certificate_untrusted', title: 'Not trusted', stage: 'tls', certificate: certificate() }),
    );
    await settle();
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'certificate_untrusted');
    expect(screen.getByTestId('trust-certificate')).toBeDisabled();
    // The decision is the main action; "Try again" steps back.
    expect(screen.getByTestId('trust-certificate')).toHaveClass('primary');
    expect(screen.getByTestId('retry')).not.toHaveClass('primary');
    await user.click(screen.getByTestId('trust-confirm'));
    await user.click(screen.getByTestId('trust-certificate'));
    expect(api.connects).toHaveLength(2);
    expect(api.lastConnect.request.settings.trustedCertificates).toMatchObject([
      { host: 'imap.example.com', port: 993, sha256Fingerprint: certificate().sha256Fingerprint },
    ]);
    expect(screen.queryByTestId('certificate-panel')).toBeNull();
    // The next failure starts unconfirmed again.
    api.lastConnect.result.reject(
      diagnosis({ code: 'certificate_changed', title: 'Changed', stage: 'tls', certificate: certificate({ sha256Fingerprint: 'NE:W0' }), evidence: [] }),
    );
    await settle();
    expect(screen.getByTestId('previous-fingerprint')).toHaveTextContent(certificate().sha256Fingerprint.slice(0, 11));
    expect(screen.queryByTestId('trust-certificate')).toBeNull();
    // Trying again would meet the same certificate: no "Try again", "Back to settings" leads.
    expect(screen.queryByTestId('retry')).toBeNull();
    expect(screen.getByTestId('back')).toHaveClass('primary');
    await user.click(screen.getByTestId('untrust-certificate'));
    expect(api.connects).toHaveLength(3);
    expect(api.lastConnect.request.settings.trustedCertificates).toEqual([]);
  });
});
