// What the wizard sends to the engine, built from what the user typed. Pure functions.

import type { ChosenFolder } from './bindings/ChosenFolder';
import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { Credentials } from './bindings/Credentials';
import type { Endpoint } from './bindings/Endpoint';
import type { MailboxKind } from './bindings/MailboxKind';
import type { MailboxSettings } from './bindings/MailboxSettings';
import type { OAuth2Grant } from './bindings/OAuth2Grant';
import type { OutgoingSettings } from './bindings/OutgoingSettings';
import type { SaveRequest } from './bindings/SaveRequest';
import type { Security } from './bindings/Security';
import type { TrustedCertificate } from './bindings/TrustedCertificate';
import { incomingProtocol } from './kinds';
import { pinsFor } from './trust';
import { parsePort } from './validation';

/** The outgoing (SMTP) part of the Server step. */
export interface OutgoingForm {
  /** "Also check the outgoing server": off sends `outgoing: null`. */
  enabled: boolean;
  host: string;
  port: string;
  security: Security;
  /** Empty: the username that worked for the incoming server. */
  username: string;
  samePassword: boolean;
  /** Only used when `samePassword` is off. */
  password: string;
  plaintextConfirmed: boolean;
}

/** A snapshot of the wizard's fields. */
export interface WizardForm {
  kind: MailboxKind;
  email: string;
  password: string;
  username: string;
  host: string;
  port: string;
  security: Security;
  plaintextConfirmed: boolean;
  /** A password, or browser sign-in (OAuth2) with the grant it gave (none yet before it ran). */
  auth: 'password' | 'oauth2';
  grant: OAuth2Grant | null;
  outgoing: OutgoingForm;
  /** Certificates the user trusted in this wizard; only those of the servers in use are sent. */
  trustedCertificates: readonly TrustedCertificate[];
}

export function incomingEndpoint(form: Pick<WizardForm, 'host' | 'port' | 'security'>): Endpoint {
  return { host: form.host.trim(), port: parsePort(form.port) ?? 0, security: form.security };
}

export function outgoingEndpoint(outgoing: OutgoingForm): Endpoint {
  return { host: outgoing.host.trim(), port: parsePort(outgoing.port) ?? 0, security: outgoing.security };
}

function optional(text: string): string | null {
  const value = text.trim();
  return value === '' ? null : value;
}

export function buildOutgoing(outgoing: OutgoingForm): OutgoingSettings | null {
  if (!outgoing.enabled) return null;
  return {
    endpoint: outgoingEndpoint(outgoing),
    username: optional(outgoing.username),
    samePassword: outgoing.samePassword,
    allowPlaintextPassword: outgoing.security === 'none' && outgoing.plaintextConfirmed,
  };
}

export function buildSettings(form: WizardForm): MailboxSettings {
  const incoming = incomingEndpoint(form);
  const outgoing = buildOutgoing(form.outgoing);
  return {
    kind: form.kind,
    email: form.email.trim(),
    incoming: {
      protocol: incomingProtocol(form.kind),
      endpoint: incoming,
      username: optional(form.username),
      auth: form.auth,
      allowPlaintextPassword: form.auth === 'password' && form.security === 'none' && form.plaintextConfirmed,
    },
    outgoing,
    trustedCertificates: pinsFor(form.trustedCertificates, outgoing ? [incoming, outgoing.endpoint] : [incoming]),
  };
}

/**
 * The password typed, or the grant of a browser sign-in: only where its refresh token is kept
 * (the engine has it in the keychain), never a token.
 */
export function credentialsOf(form: Pick<WizardForm, 'auth' | 'grant' | 'password'>): Credentials {
  if (form.auth === 'oauth2') {
    if (!form.grant) throw new Error('browser sign-in has not given a grant yet');
    return { oauth2: form.grant };
  }
  return { password: form.password };
}

/**
 * The outgoing password travels only when it is not the incoming one (and SMTP is checked). A
 * grant covers both servers: its scopes were asked for both.
 */
export function outgoingCredentialsOf(form: WizardForm): Credentials | null {
  if (form.auth === 'oauth2') return null;
  return form.outgoing.enabled && !form.outgoing.samePassword ? { password: form.outgoing.password } : null;
}

export function buildConnectRequest(form: WizardForm): ConnectRequest {
  return {
    settings: buildSettings(form),
    credentials: credentialsOf(form),
    outgoingCredentials: outgoingCredentialsOf(form),
  };
}

/** The settings with the usernames the servers accepted, so later checks do not guess again. */
export function settingsThatWorked(form: WizardForm, report: ConnectReport): MailboxSettings {
  const settings = buildSettings(form);
  return {
    ...settings,
    incoming: { ...settings.incoming, username: report.usernameUsed },
    outgoing:
      settings.outgoing && report.outgoing
        ? { ...settings.outgoing, username: report.outgoing.usernameUsed }
        : settings.outgoing,
  };
}

export function buildSaveRequest(form: WizardForm, report: ConnectReport, folders: ChosenFolder[]): SaveRequest {
  return {
    settings: settingsThatWorked(form, report),
    folders,
    credentials: credentialsOf(form),
    outgoingCredentials: outgoingCredentialsOf(form),
  };
}

/** "Send me a test message" after saving: the saved settings, and the credentials that worked. */
export function buildTestRequest(save: SaveRequest): ConnectRequest {
  return { settings: save.settings, credentials: save.credentials, outgoingCredentials: save.outgoingCredentials };
}
