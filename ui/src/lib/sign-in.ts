// Browser sign-in (OAuth2): which provider signs a mailbox in, what the buttons say, and the
// countdown to a sign-in's deadline. Pure functions.

import type { Candidate } from './bindings/Candidate';
import type { Discovery } from './bindings/Discovery';
import type { MailboxKind } from './bindings/MailboxKind';
import type { IssuerChoice } from './bindings/IssuerChoice';
import type { SignInOption } from './bindings/SignInOption';
import { t } from './i18n.svelte';

/** The providers with a button of their own. */
export type Provider = 'google' | 'microsoft';

export const GOOGLE: IssuerChoice = { provider: 'google' };
/** No tenant: the engine takes the configured one (an administrator's policy may name it), else `common`. */
export const MICROSOFT: IssuerChoice = { provider: 'microsoft' };

export function issuerOf(provider: Provider): IssuerChoice {
  return provider === 'google' ? GOOGLE : MICROSOFT;
}

/** The manual types that sign in through the browser: Gmail with Google, the others with Microsoft. */
export function issuerForKind(kind: MailboxKind): IssuerChoice | null {
  switch (kind) {
    case 'gmail':
      return GOOGLE;
    case 'microsoft365':
    case 'exchange':
      return MICROSOFT;
    default:
      return null;
  }
}

/** "Google", "Microsoft", or the issuer's host name ("login.example.com"). */
export function issuerName(issuer: IssuerChoice): string {
  switch (issuer.provider) {
    case 'google':
      return 'Google';
    case 'microsoft':
      return 'Microsoft';
    default:
      try {
        return new URL(issuer.url).host;
      } catch {
        return issuer.url;
      }
  }
}

/** The provider whose own mark goes on the button, or null for any other issuer. */
export function brandOf(issuer: IssuerChoice): Provider | null {
  return issuer.provider === 'issuer' ? null : issuer.provider;
}

/**
 * The engine's word on whether this issuer can sign in here. Unknown (not asked yet, or an
 * issuer discovery named) counts as available: the engine then answers with a diagnosis.
 */
export function optionFor(options: readonly SignInOption[], issuer: IssuerChoice): SignInOption {
  const provider = brandOf(issuer);
  const known = provider ? options.find((o) => o.provider === provider) : undefined;
  return known ?? { provider: provider ?? issuer.provider, available: true, whyNot: null };
}

/** The sign-in discovery offers for the address (its provider's, or the one its configuration names), if any. */
export function offeredIssuer(discovery: Discovery | null): IssuerChoice | null {
  return discovery?.signInOffer ?? null;
}

/** Whether the chosen servers still take a password (an app password at Google and Microsoft). */
export function takesPassword(incoming: Candidate | null): boolean {
  if (!incoming) return true;
  if (incoming.signIn === 'browser_only') return false;
  return incoming.verification?.password ?? true;
}

/** Milliseconds left → "4:05" (minutes and seconds); never negative. */
export function countdownText(remainingMs: number): string {
  const total = Math.max(0, Math.ceil(remainingMs / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** The same in words, for screen readers: "4 minutes 5 seconds left". */
export function countdownWords(remainingMs: number): string {
  const total = Math.max(0, Math.ceil(remainingMs / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes === 0) return t('conn-countdown-seconds', { seconds });
  if (seconds === 0) return t('conn-countdown-minutes', { minutes });
  return t('conn-countdown-minutes-seconds', { minutes, seconds });
}
