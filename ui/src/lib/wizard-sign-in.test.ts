import { describe, expect, it } from 'vitest';
import { candidate, diagnosis, discovery, FakeApi, grant, report, settle } from '../test/fakes';
import { MICROSOFT } from './sign-in';
import { Wizard } from './wizard.svelte';

const oauthOnly = candidate('outlook.office365.com', 993, {
  signIn: 'browser_only',
  verification: {
    verified: true,
    elapsedMs: 40,
    detail: 'IMAP server answered over TLS; sign-in: XOAUTH2',
    authMechanisms: ['XOAUTH2', 'OAUTHBEARER'],
    password: false,
    oauth2: true,
    certificateProblem: false,
  },
});

/** A wizard on the proposal for alice@example.com, whose discovery offers Microsoft's sign-in. */
async function proposing(extra: Parameters<typeof discovery>[0] = {}) {
  const api = new FakeApi();
  const wizard = new Wizard(api);
  wizard.email = 'alice@example.com';
  await settle();
  wizard.findSettings();
  api.lastDiscovery.result.resolve(
    discovery({ kind: 'microsoft365', incoming: [oauthOnly], outgoing: [candidate('smtp.office365.com', 587)], signInOffer: MICROSOFT, ...extra }),
  );
  await settle();
  expect(wizard.step).toBe('proposal');
  return { api, wizard };
}

describe('browser sign-in in the wizard', () => {
  it('signs in from the proposal, connects with the grant (never a token, never a password) and saves it', async () => {
    const { api, wizard } = await proposing();
    expect(wizard.proposalIssuer).toEqual(MICROSOFT);
    expect(wizard.proposalTakesPassword).toBe(false);
    expect(wizard.signInFromProposal()).toBe(true);
    await settle();
    expect(wizard.step).toBe('signing-in');
    expect(wizard.signingIn).toBe(true);
    const { request } = api.lastSignIn;
    expect(request.issuer).toEqual(MICROSOFT);
    expect(request.mode).toBe('browser');
    expect(request.clientId).toBeNull();
    expect(request.settings.email).toBe('alice@example.com');
    expect(request.settings.incoming.auth).toBe('oauth2');
    expect(request.settings.incoming.endpoint.host).toBe('outlook.office365.com');

    api.lastSignIn.onEvent({ kind: 'browserOpened', url: 'https://login.example/authorize?x=1', opened: false, deadlineAtMs: Date.now() + 300_000 });
    expect(wizard.signInEvent).toMatchObject({ kind: 'browserOpened', opened: false });
    api.lastSignIn.onEvent({ kind: 'exchanging' });
    api.lastSignIn.result.resolve(grant());
    await settle();

    expect(wizard.step).toBe('connecting');
    expect(api.lastConnect.request.credentials).toEqual({ oauth2: grant() });
    expect(api.lastConnect.request.outgoingCredentials).toBeNull();
    expect(api.lastConnect.request.settings.incoming.auth).toBe('oauth2');
    api.lastConnect.result.resolve(report());
    await settle();
    expect(wizard.step).toBe('folders');
    void wizard.save();
    await settle();
    expect(api.lastSave.request.credentials).toEqual({ oauth2: grant() });
    expect(api.lastSave.request.outgoingCredentials).toBeNull();
    expect(JSON.stringify(api.lastSave.request)).not.toMatch(/"password"\s*:/);
    api.lastSave.result.resolve({} as never);
    await settle();
    expect(wizard.step).toBe('saved');
  });

  it('goes back to the proposal after a failed connection, there being no password to ask', async () => {
    const { api, wizard } = await proposing();
    wizard.signInFromProposal();
    await settle();
    api.lastSignIn.result.resolve(grant());
    await settle();
    api.lastConnect.result.reject(diagnosis({ code: 'authentication_failed', title: 'The server refused the sign-in' }));
    await settle();
    expect(wizard.problem?.code).toBe('authentication_failed');
    // Try again uses the same grant: no second trip to the browser.
    wizard.retry();
    await settle();
    expect(api.signIns).toHaveLength(1);
    expect(api.connects).toHaveLength(2);
    api.lastConnect.result.reject(diagnosis());
    await settle();
    wizard.back();
    expect(wizard.step).toBe('proposal');
  });

  it('cancels at once back to where the sign-in started, and ignores a late answer', async () => {
    const { api, wizard } = await proposing();
    wizard.signInFromProposal();
    await settle();
    api.cancelSignIn.mockImplementationOnce(async () => undefined); // the engine is slow to answer
    wizard.cancelSignIn();
    expect(wizard.step).toBe('proposal');
    expect(wizard.signingIn).toBe(false);
    expect(api.cancelSignIn).toHaveBeenCalledOnce();
    api.lastSignIn.result.resolve(grant());
    await settle();
    expect(wizard.step).toBe('proposal');
    expect(api.connects).toHaveLength(0);
    expect(wizard.grant).toBeNull();
  });

  it('shows why a sign-in failed in place, and tries again', async () => {
    const { api, wizard } = await proposing();
    wizard.signInFromProposal();
    await settle();
    api.lastSignIn.result.reject(diagnosis({ code: 'timed_out', title: 'The browser did not come back in time', stage: null }));
    await settle();
    expect(wizard.step).toBe('signing-in');
    expect(wizard.signingIn).toBe(false);
    expect(wizard.signInProblem?.title).toBe('The browser did not come back in time');
    wizard.retrySignIn();
    await settle();
    expect(api.signIns).toHaveLength(2);
    expect(wizard.signInProblem).toBeNull();
    wizard.back(); // = Cancel while it runs
    expect(wizard.step).toBe('proposal');
  });

  it('switches to a device code only once the engine let go of the browser sign-in', async () => {
    const { api, wizard } = await proposing();
    wizard.signInFromProposal();
    await settle();
    api.cancelSignIn.mockImplementationOnce(async () => undefined);
    wizard.switchSignInMode('device');
    await settle();
    // Only one sign-in at a time: the browser one has not ended yet.
    expect(api.signIns).toHaveLength(1);
    expect(wizard.step).toBe('signing-in');
    expect(wizard.signInMode).toBe('device');
    api.signIns[0].result.reject(diagnosis({ code: 'cancelled', title: 'Cancelled' }));
    await settle();
    expect(api.signIns).toHaveLength(2);
    expect(api.lastSignIn.request.mode).toBe('device');
    api.lastSignIn.onEvent({ kind: 'deviceCode', userCode: 'ABCD-EFGH', verificationUri: 'https://microsoft.com/devicelogin', expiresAtMs: Date.now() + 900_000 });
    expect(wizard.signInEvent?.kind).toBe('deviceCode');
    // Cancel returns to the proposal, where it all started.
    wizard.cancelSignIn();
    expect(wizard.step).toBe('proposal');
  });

  it('keeps the password one click away where the server still takes it', async () => {
    const { api, wizard } = await proposing({ incoming: [candidate('outlook.office365.com', 993)] });
    expect(wizard.proposalTakesPassword).toBe(true);
    expect(wizard.useProposal()).toBe(true);
    expect(wizard.step).toBe('account');
    expect(wizard.auth).toBe('password');
    wizard.password = 'app-password';
    wizard.next();
    await settle();
    expect(api.signIns).toHaveLength(0);
    expect(api.lastConnect.request.credentials).toEqual({ password: 'app-password' });
  });
});

describe('“Sign in with …” on the address step', () => {
  it('finds the settings, then goes to the provider’s page at once', async () => {
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'alice@contoso.example';
    await settle();
    expect(wizard.signInWith('microsoft')).toBe(true);
    expect(wizard.step).toBe('discovering');
    api.lastDiscovery.result.resolve(discovery({ email: 'alice@contoso.example', kind: 'microsoft365', incoming: [oauthOnly], outgoing: [] }));
    await settle();
    expect(wizard.step).toBe('signing-in');
    expect(api.lastSignIn.request.issuer).toEqual(MICROSOFT);
    expect(api.lastSignIn.request.settings.incoming.endpoint.host).toBe('outlook.office365.com');
    // Cancel goes back to the settings found.
    wizard.cancelSignIn();
    expect(wizard.step).toBe('proposal');
    expect(wizard.proposalIssuer).toEqual(MICROSOFT);
  });

  it('uses the provider’s own servers when nothing was found for the address', async () => {
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'alice@contoso.example';
    await settle();
    wizard.signInWith('google');
    api.lastDiscovery.result.resolve(
      discovery({ email: 'alice@contoso.example', diagnosis: diagnosis({ code: 'settings_not_found', title: 'Nothing found' }) }),
    );
    await settle();
    expect(wizard.step).toBe('signing-in');
    expect(api.lastSignIn.request.issuer).toEqual({ provider: 'google' });
    expect(api.lastSignIn.request.settings.kind).toBe('gmail');
    expect(api.lastSignIn.request.settings.incoming.endpoint.host).toBe('imap.gmail.com');
  });

  it('stays on the proposal when something there needs a look first', async () => {
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'alice@contoso.example';
    await settle();
    wizard.signInWith('microsoft');
    api.lastDiscovery.result.resolve(
      discovery({ incoming: [{ ...oauthOnly, needsConfirmation: 'outside contoso.example' }], outgoing: [] }),
    );
    await settle();
    expect(wizard.step).toBe('proposal');
    expect(api.signIns).toHaveLength(0);
    wizard.proposalConfirmed = true;
    expect(wizard.signInFromProposal()).toBe(true);
  });

  it('does nothing for a provider that is not set up here, or without a valid address', async () => {
    const api = new FakeApi();
    api.options = [{ provider: 'google', available: false, whyNot: 'No Google client ID is set.' }];
    const wizard = new Wizard(api);
    await settle();
    wizard.email = 'alice@example.com';
    await settle();
    expect(wizard.signInWith('google')).toBe(false);
    expect(api.discoveries).toHaveLength(0);
    wizard.email = 'alice';
    await settle();
    expect(wizard.signInWith('microsoft')).toBe(false);
    expect(wizard.addressSubmitted).toBe(true);
    expect(api.discoveries).toHaveLength(0);
  });
});

describe('the manual Gmail, Microsoft 365 and Exchange types', () => {
  it('sign in through the browser after the servers, with no password asked', async () => {
    const api = new FakeApi();
    const wizard = new Wizard(api);
    await settle();
    wizard.setUpManually();
    wizard.chooseKind('exchange');
    expect(wizard.auth).toBe('oauth2');
    expect(wizard.issuer).toEqual(MICROSOFT);
    wizard.next(); // → account
    wizard.email = 'alice@example.com';
    await settle();
    expect(wizard.next()).toBe(true); // no password needed
    expect(wizard.step).toBe('server');
    expect(wizard.next()).toBe(true);
    await settle();
    expect(wizard.step).toBe('signing-in');
    expect(api.lastSignIn.request.settings.kind).toBe('exchange');
    // Cancel: back to the servers.
    wizard.cancelSignIn();
    expect(wizard.step).toBe('server');
  });

  it('take an app password instead when asked', async () => {
    const api = new FakeApi();
    const wizard = new Wizard(api);
    await settle();
    wizard.setUpManually();
    wizard.chooseKind('gmail');
    wizard.next();
    wizard.email = 'alice@example.com';
    wizard.usePassword();
    await settle();
    expect(wizard.next()).toBe(false); // now the password is needed
    wizard.password = 'app-password';
    expect(wizard.next()).toBe(true);
    wizard.next();
    await settle();
    expect(api.signIns).toHaveLength(0);
    expect(api.lastConnect.request.credentials).toEqual({ password: 'app-password' });
  });

  it('start with the password when the provider is not set up here', async () => {
    const api = new FakeApi();
    api.options = [{ provider: 'microsoft', available: false, whyNot: 'No Microsoft client ID is set.' }];
    const wizard = new Wizard(api);
    await settle();
    wizard.chooseKind('microsoft365');
    expect(wizard.auth).toBe('password');
    expect(wizard.signInAvailable).toBe(false);
  });
});
