// Pure checks for each step of the wizard. Each returns a message for the person, or null when
// the value is fine. The engine checks again; these exist so mistakes show up as you type. The
// address is the engine's to judge (`check_address`): its answer comes in as `emailProblem`.

import { MAILBOX_DEFAULTS } from './bindings/mailbox-defaults';
import type { Protocol } from './bindings/Protocol';
import type { Security } from './bindings/Security';
import { t } from './i18n.svelte';

export function validatePassword(password: string): string | null {
  return password === '' ? t('wiz-error-password-empty') : null;
}

export function validateUsername(username: string): string | null {
  const value = username.trim();
  if (value !== '' && /\s/.test(value)) return t('wiz-error-username-spaces');
  return null;
}

/** `example` is the kind of name the field wants: imap.example.com, pop.example.com, smtp.… */
export function validateHost(host: string, example = 'imap.example.com'): string | null {
  const value = host.trim();
  if (value === '') return t('wiz-error-host-empty', { example });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return t('wiz-error-host-scheme', { scheme: example.split('.')[0] });
  }
  if (/\s/.test(value)) return t('wiz-error-host-spaces');
  if (value.includes('/')) return t('wiz-error-host-path');
  if (value.includes('@')) return t('wiz-error-host-address', { example });
  // host:port typed into the host field (a bracketed IPv6 literal or a bare IPv6 address is fine).
  if (/^[^:[\]]+:\d+$/.test(value)) return t('wiz-error-host-port');
  return null;
}

/** Parse a port typed as text. */
export function parsePort(text: string): number | null {
  const value = text.trim();
  if (!/^\d+$/.test(value)) return null;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : null;
}

export function validatePort(text: string, usual = defaultPort('tls', 'imap')): string | null {
  if (text.trim() === '') return t('wiz-error-port-empty', { port: String(usual) });
  return parsePort(text) === null ? t('wiz-error-port-range') : null;
}

/** An unencrypted connection needs the user's explicit confirmation. */
export function validatePlaintext(security: Security, confirmed: boolean): string | null {
  return security === 'none' && !confirmed
    ? t('wiz-error-plaintext')
    : null;
}

/**
 * The port a security choice normally uses for a protocol, as the engine says (IMAP 993 with TLS,
 * else 143; POP3 995 or 110; SMTP submission 465 or 587).
 */
export function defaultPort(security: Security, protocol: Protocol = 'imap'): number {
  const usual = MAILBOX_DEFAULTS.ports.find((p) => p.protocol === protocol && p.security === security);
  // The engine lists every protocol with every security (a Rust test says so).
  return usual?.port ?? 0;
}

/** The outgoing server's own password is needed only when it is not the incoming one. */
export function validateOutgoingPassword(samePassword: boolean, password: string): string | null {
  return !samePassword && password === '' ? t('wiz-error-outgoing-password') : null;
}

export interface AccountFields {
  /** The engine's word on the address (`check_address`), or null when it has none. */
  emailProblem: string | null;
  password: string;
  username: string;
}

export interface ServerFields {
  protocol: Protocol;
  host: string;
  port: string;
  security: Security;
  plaintextConfirmed: boolean;
}

export interface OutgoingFields {
  enabled: boolean;
  host: string;
  port: string;
  security: Security;
  samePassword: boolean;
  password: string;
  plaintextConfirmed: boolean;
}

export type Errors<K extends string> = Partial<Record<K, string>>;

export function accountErrors(f: AccountFields): Errors<'email' | 'password' | 'username'> {
  const errors: Errors<'email' | 'password' | 'username'> = {};
  if (f.emailProblem) errors.email = f.emailProblem;
  const password = validatePassword(f.password);
  if (password) errors.password = password;
  const username = validateUsername(f.username);
  if (username) errors.username = username;
  return errors;
}

export function serverErrors(f: ServerFields): Errors<'host' | 'port' | 'plaintext'> {
  const errors: Errors<'host' | 'port' | 'plaintext'> = {};
  const host = validateHost(f.host, f.protocol === 'pop3' ? 'pop.example.com' : 'imap.example.com');
  if (host) errors.host = host;
  const port = validatePort(f.port, defaultPort('tls', f.protocol));
  if (port) errors.port = port;
  const plaintext = validatePlaintext(f.security, f.plaintextConfirmed);
  if (plaintext) errors.plaintext = plaintext;
  return errors;
}

export type OutgoingErrorKey = 'host' | 'port' | 'password' | 'plaintext';

/** No errors when the outgoing server is not checked: nothing of it is sent. */
export function outgoingErrors(f: OutgoingFields): Errors<OutgoingErrorKey> {
  const errors: Errors<OutgoingErrorKey> = {};
  if (!f.enabled) return errors;
  const host = validateHost(f.host, 'smtp.example.com');
  if (host) errors.host = host;
  const port = validatePort(f.port, defaultPort('starttls', 'smtp'));
  if (port) errors.port = port;
  const password = validateOutgoingPassword(f.samePassword, f.password);
  if (password) errors.password = password;
  const plaintext = validatePlaintext(f.security, f.plaintextConfirmed);
  if (plaintext) errors.plaintext = plaintext;
  return errors;
}

export function isEmpty(errors: object): boolean {
  return Object.keys(errors).length === 0;
}

/**
 * The text after the last @ of an address, lower-cased, to suggest server names from; null when
 * there is none. Whether the address is usable is the engine's to say (`check_address`).
 */
export function emailDomain(email: string): string | null {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  const domain = at < 0 ? '' : value.slice(at + 1).toLowerCase().replace(/\.$/, '');
  return domain === '' ? null : domain;
}
