// What the error view makes of a diagnosis: whether the fix is a field it can show in place,
// which step holds the field at fault, who acts, and whether both servers refused one password.

import type { Problem } from './api';
import type { DiagnosisCode } from './bindings/DiagnosisCode';
import type { WhoActs } from './bindings/WhoActs';
import { t } from './i18n.svelte';

/**
 * The codes the user fixes by typing the password (or login name) again: a wrong one, an app
 * password in place of the account's own, Microsoft's "wrong password or password sign-in
 * off" (the wrong password is its likelier cause), a new password after the old one expired.
 */
export const CREDENTIAL_CODES: ReadonlySet<DiagnosisCode> = new Set<DiagnosisCode>([
  'authentication_failed',
  'app_password_required',
  'password_or_sign_in_blocked',
  'password_expired',
]);

/** The codes whose field at fault is on the Servers step: the host, port or security. */
export const SERVER_SETTING_CODES: ReadonlySet<DiagnosisCode> = new Set<DiagnosisCode>([
  'host_not_found',
  'connection_refused',
  'timed_out',
  'tls_failed',
  'starttls_not_offered',
  'encryption_required',
  'port_expects_starttls',
  'port_expects_tls',
  'protocol_error',
  'certificate_wrong_host',
]);

export function isCredentialProblem(problem: Pick<Problem, 'code'> | null | undefined): boolean {
  return problem != null && problem.code !== 'unexpected' && CREDENTIAL_CODES.has(problem.code);
}

/** What the wizard's settings say about passwords, for where a credential's field lives. */
export interface PasswordSetup {
  /** The mailbox signs in through the browser: no password field anywhere. */
  browserSignIn: boolean;
  /** The outgoing server uses the incoming password ("Same password as incoming"). */
  outgoingSamePassword: boolean;
}

/**
 * The step with the field at fault, for "Back" on the error view: the Sign in (account) step for
 * the password, the Servers step for a host, port or security setting, or for the outgoing
 * server's own password. Null: no field is at fault (the usual Back applies).
 */
export function stepAtFault(problem: Problem | null, setup: PasswordSetup): 'account' | 'server' | null {
  if (!problem || problem.code === 'unexpected') return null;
  if (CREDENTIAL_CODES.has(problem.code)) {
    if (setup.browserSignIn) return null;
    return problem.side === 'outgoing' && !setup.outgoingSamePassword ? 'server' : 'account';
  }
  return SERVER_SETTING_CODES.has(problem.code) ? 'server' : null;
}

/**
 * Both servers refused the one password the user typed (the outgoing server uses the incoming
 * one): the view says so once, with one set of fields, rather than twice.
 */
export function bothRefusedOnePassword(problem: Problem | null, setup: PasswordSetup): boolean {
  const also = problem?.also;
  return (
    !setup.browserSignIn &&
    setup.outgoingSamePassword &&
    problem !== null &&
    also != null &&
    isCredentialProblem(problem) &&
    isCredentialProblem(also)
  );
}

/** "Who can fix this", in plain words. */
export function whoActsLabel(who: WhoActs): string {
  switch (who) {
    case 'administrator':
      return t('conn-who-administrator');
    case 'provider':
      return t('conn-who-provider');
    default:
      return t('conn-who-you');
  }
}

/** The site of a help page, for its link's words: "support.google.com". */
export function helpSite(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
