// The engine's browser sign-in types, as the OAuth2 contract names them. Stand-ins until the
// engine's generated bindings (ui/src/lib/bindings) have them; then this file re-exports those.

/** Which authorization server signs the user in. */
export type IssuerChoice =
  | { provider: 'google' }
  | { provider: 'microsoft'; tenant: string }
  | { provider: 'issuer'; url: string };

/** "browser": the system browser and a loopback redirect; "device": a code typed on another device (RFC 8628). */
export type SignInMode = 'browser' | 'device';

export type SignInRequest = {
  settings: import('./bindings/MailboxSettings').MailboxSettings;
  issuer: IssuerChoice;
  mode: SignInMode;
  clientId: string | null;
};

/** What a running sign-in reports; all times are Unix milliseconds. */
export type SignInEvent =
  | { kind: 'browserOpened'; url: string; opened: boolean; deadlineMs: number }
  | {
      kind: 'deviceCode';
      userCode: string;
      verificationUri: string;
      verificationUriComplete?: string | null;
      expiresAtMs: number;
    }
  | { kind: 'exchanging' };

/** Whether a provider's button can sign in here, and if not, what an administrator must set. */
export type SignInOption = { provider: 'google' | 'microsoft'; available: boolean; whyNot: string | null };
