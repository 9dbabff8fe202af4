import { describe, expect, it } from 'vitest';
import { diagnosis } from '../test/fakes';
import { toProblem } from './api';
import { bothRefusedOnePassword, helpSite, isCredentialProblem, stepAtFault } from './error-view';

const shared = { browserSignIn: false, outgoingSamePassword: true };
const own = { browserSignIn: false, outgoingSamePassword: false };

describe('error view', () => {
  it('knows the refusals the password fields fix', () => {
    for (const code of ['authentication_failed', 'app_password_required', 'password_or_sign_in_blocked', 'password_expired'] as const) {
      expect(isCredentialProblem(diagnosis({ code }))).toBe(true);
    }
    // Temporary or someone else's to fix: retyping the password helps nothing.
    for (const code of ['throttled', 'too_many_connections', 'account_disabled', 'server_busy', 'basic_auth_disabled'] as const) {
      expect(isCredentialProblem(diagnosis({ code }))).toBe(false);
    }
  });

  it('goes back to the step with the field at fault', () => {
    expect(stepAtFault(toProblem(diagnosis()), shared)).toBe('account');
    expect(stepAtFault(toProblem(diagnosis({ side: 'outgoing' })), shared)).toBe('account');
    expect(stepAtFault(toProblem(diagnosis({ side: 'outgoing' })), own)).toBe('server');
    expect(stepAtFault(toProblem(diagnosis({ code: 'port_expects_starttls' })), shared)).toBe('server');
    expect(stepAtFault(toProblem(diagnosis({ code: 'host_not_found' })), shared)).toBe('server');
    expect(stepAtFault(toProblem(diagnosis({ code: 'throttled' })), shared)).toBeNull();
    // Browser sign-in has no password field.
    expect(stepAtFault(toProblem(diagnosis()), { browserSignIn: true, outgoingSamePassword: true })).toBeNull();
    expect(stepAtFault(toProblem(new Error('boom')), shared)).toBeNull();
  });

  it('says one refused password once, only when both servers used it', () => {
    const both = toProblem(diagnosis({ also: diagnosis({ side: 'outgoing' }) }));
    expect(bothRefusedOnePassword(both, shared)).toBe(true);
    expect(bothRefusedOnePassword(both, own)).toBe(false);
    const other = toProblem(diagnosis({ also: diagnosis({ side: 'outgoing', code: 'connection_refused' }) }));
    expect(bothRefusedOnePassword(other, shared)).toBe(false);
    expect(bothRefusedOnePassword(toProblem(diagnosis()), shared)).toBe(false);
  });

  it('names a help page by its site', () => {
    expect(helpSite('https://support.google.com/mail/answer/7126229')).toBe('support.google.com');
  });
});
