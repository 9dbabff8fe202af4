// What the wizard sends to the engine, built from what the user typed. Pure functions.

import type { ChosenFolder } from './bindings/ChosenFolder';
import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { MailboxKind } from './bindings/MailboxKind';
import type { MailboxSettings } from './bindings/MailboxSettings';
import type { SaveRequest } from './bindings/SaveRequest';
import type { Security } from './bindings/Security';
import { effectiveKind } from './kinds';
import { parsePort } from './validation';

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
}

export function buildSettings(form: WizardForm): MailboxSettings {
  const username = form.username.trim();
  return {
    kind: effectiveKind(form.kind),
    email: form.email.trim(),
    incoming: {
      protocol: 'imap',
      endpoint: {
        host: form.host.trim(),
        port: parsePort(form.port) ?? 0,
        security: form.security,
      },
      username: username === '' ? null : username,
      auth: 'password',
      allowPlaintextPassword: form.security === 'none' && form.plaintextConfirmed,
    },
  };
}

export function buildConnectRequest(form: WizardForm): ConnectRequest {
  return { settings: buildSettings(form), password: form.password };
}

/** Saves the username the server accepted, so later checks do not guess again. */
export function buildSaveRequest(form: WizardForm, report: ConnectReport, folders: ChosenFolder[]): SaveRequest {
  const settings = buildSettings(form);
  return {
    settings: { ...settings, incoming: { ...settings.incoming, username: report.usernameUsed } },
    folders,
    password: form.password,
  };
}
