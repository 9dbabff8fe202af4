import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { diagnosis, FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import SigningInStep from './SigningInStep.svelte';

/** A manual Microsoft 365 mailbox, on its way to the browser. */
async function signingIn() {
  const api = new FakeApi();
  const wizard = new Wizard(api);
  await settle();
  wizard.setUpManually();
  wizard.chooseKind('microsoft365');
  wizard.next();
  wizard.email = 'alice@contoso.example';
  await settle();
  wizard.next(); // → server
  wizard.next(); // → sign-in
  await settle();
  render(SigningInStep, { wizard });
  await settle();
  return { api, wizard };
}

const URL = 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=inlet&state=abc';

describe('SigningInStep', () => {
  it('opens the browser, says to finish there, counts down and offers the address on request', async () => {
    const user = userEvent.setup();
    const { api } = await signingIn();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Opening your browser…');
    expect(screen.getByTestId('cancel')).toHaveFocus();
    // The clock stands still, so a loaded machine cannot make it read 4:59.
    const t0 = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(t0);
    api.lastSignIn.onEvent({ kind: 'browserOpened', url: URL, opened: true, deadlineAtMs: t0 + 299_500 });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Finish signing in in your browser');
    expect(screen.getByTestId('browser-opened')).toHaveTextContent('Inlet opened Microsoft’s sign-in page in your browser');
    expect(screen.getByTestId('countdown')).toHaveTextContent(/Time left\s*5:00/);
    expect(screen.getByRole('timer')).toHaveAccessibleName('5 minutes left');
    expect(screen.queryByTestId('sign-in-url')).toBeNull();
    clock.mockRestore();
    await user.click(screen.getByTestId('show-url'));
    expect(screen.getByTestId('sign-in-url')).toHaveTextContent(URL);
    expect(screen.getByTestId('sign-in-url-copy')).toHaveAccessibleName('Copy the sign-in address');
  });

  it('shows the address to copy at once when no browser opened, with the Copy button focused', async () => {
    const { api } = await signingIn();
    api.lastSignIn.onEvent({ kind: 'browserOpened', url: URL, opened: false, deadlineAtMs: Date.now() + 120_000 });
    await settle();
    expect(screen.getByTestId('no-browser')).toHaveTextContent('Inlet could not open a browser');
    expect(screen.getByTestId('sign-in-url')).toHaveTextContent(URL);
    expect(screen.getByTestId('sign-in-url-copy')).toHaveFocus();
  });

  it('cancels with Esc, back to the servers', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await signingIn();
    api.lastSignIn.onEvent({ kind: 'browserOpened', url: URL, opened: true, deadlineAtMs: Date.now() + 120_000 });
    await settle();
    await user.keyboard('{Escape}');
    expect(api.cancelSignIn).toHaveBeenCalledOnce();
    expect(wizard.step).toBe('server');
  });

  it('shows the device code large, with its address, and waits by itself', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await signingIn();
    api.lastSignIn.onEvent({ kind: 'browserOpened', url: URL, opened: true, deadlineAtMs: Date.now() + 120_000 });
    await settle();
    await user.click(screen.getByTestId('use-device'));
    await settle();
    await settle();
    expect(api.signIns).toHaveLength(2);
    expect(api.lastSignIn.request.mode).toBe('device');
    api.lastSignIn.onEvent({
      kind: 'deviceCode',
      userCode: 'WDJB-MJHT',
      verificationUri: 'https://microsoft.com/devicelogin',
      expiresAtMs: Date.now() + 899_500,
    });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Enter this code on the other device');
    expect(screen.getByTestId('user-code')).toHaveTextContent('WDJB-MJHT');
    expect(screen.getByTestId('user-code-copy')).toHaveFocus();
    expect(screen.getByTestId('verification-uri')).toHaveTextContent('https://microsoft.com/devicelogin');
    expect(screen.getByTestId('device-waiting')).toHaveTextContent('Waiting for you to approve on the other device…');
    expect(screen.getByTestId('countdown')).toHaveTextContent(/The code expires in\s*15:00/);
    api.lastSignIn.onEvent({ kind: 'exchanging' });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Finishing sign-in…');
    expect(wizard.step).toBe('signing-in');
  });

  it('shows the diagnosis in place when the sign-in fails, and tries again with Enter', async () => {
    const user = userEvent.setup();
    const { api } = await signingIn();
    api.lastSignIn.result.reject(
      diagnosis({
        code: 'authentication_failed',
        title: 'Your organisation must approve Inlet first',
        whatToDo: 'Ask your IT administrator to grant consent for Inlet.',
        stage: null,
        evidence: ['AADSTS65001'],
      }),
    );
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Sign-in did not finish');
    expect(screen.getByTestId('diagnosis-title')).toHaveTextContent('Your organisation must approve Inlet first');
    expect(screen.getByTestId('diagnosis-title')).toHaveFocus();
    expect(screen.getByText('Ask your IT administrator to grant consent for Inlet.')).toBeInTheDocument();
    // The sign-in's own report (its steps at the provider), not the last connect's.
    await user.click(screen.getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false, 'sign_in');
    await user.selectOptions(screen.getByTestId('report-format'), 'json');
    await user.click(screen.getByTestId('save-report'));
    await settle();
    expect(api.saveReport).toHaveBeenCalledWith('json', false, 'sign_in');
    await user.click(screen.getByTestId('retry'));
    await settle();
    expect(api.signIns).toHaveLength(2);
  });
});
