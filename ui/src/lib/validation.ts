// Pure checks for each step of the wizard. Each returns a message for the person, or null when
// the value is fine. The engine checks again; these exist so mistakes show up as you type.

import type { Protocol } from './bindings/Protocol';
import type { Security } from './bindings/Security';

/** Same rules as the engine's `account::validate_email`, with the same words. */
export function validateEmail(email: string): string | null {
  const value = email.trim();
  if (value === '') return 'Type your email address.';
  const at = value.lastIndexOf('@');
  if (at < 0) return 'An email address looks like name@example.com.';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === '') return 'The part before @ is missing.';
  if (domain === '' || !domain.includes('.') || domain.startsWith('.') || domain.endsWith('.')) {
    return 'The part after @ must be a domain such as example.com.';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return 'An email address cannot contain spaces.';
  return null;
}

export function validatePassword(password: string): string | null {
  return password === '' ? 'Type your password.' : null;
}

export function validateUsername(username: string): string | null {
  const value = username.trim();
  if (value !== '' && /\s/.test(value)) return 'A username cannot contain spaces.';
  return null;
}

/** `example` is the kind of name the field wants: imap.example.com, pop.example.com, smtp.… */
export function validateHost(host: string, example = 'imap.example.com'): string | null {
  const value = host.trim();
  if (value === '') return `Type the server name, e.g. ${example}.`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return `Type only the server name, without ${example.split('.')[0]}:// or https://.`;
  }
  if (/\s/.test(value)) return 'A server name cannot contain spaces.';
  if (value.includes('/')) return 'Type only the server name, without a path.';
  if (value.includes('@')) return `This looks like an email address; type the server name, e.g. ${example}.`;
  // host:port typed into the host field (a bracketed IPv6 literal or a bare IPv6 address is fine).
  if (/^[^:[\]]+:\d+$/.test(value)) return 'Put the port in the Port field, not after the server name.';
  return null;
}

/** Parse a port typed as text. */
export function parsePort(text: string): number | null {
  const value = text.trim();
  if (!/^\d+$/.test(value)) return null;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : null;
}

export function validatePort(text: string, usual = 993): string | null {
  if (text.trim() === '') return `Type the port, usually ${usual}.`;
  return parsePort(text) === null ? 'The port must be a whole number between 1 and 65535.' : null;
}

/** An unencrypted connection needs the user's explicit confirmation. */
export function validatePlaintext(security: Security, confirmed: boolean): string | null {
  return security === 'none' && !confirmed
    ? 'Confirm that you understand your password will be sent unencrypted.'
    : null;
}

/**
 * The port a security choice normally uses for a protocol: IMAP 993 (TLS) or 143, POP3 995 (TLS)
 * or 110, SMTP submission 465 (TLS) or 587 (STARTTLS, and without encryption).
 */
export function defaultPort(security: Security, protocol: Protocol = 'imap'): number {
  const tls = security === 'tls';
  switch (protocol) {
    case 'pop3':
      return tls ? 995 : 110;
    case 'smtp':
      return tls ? 465 : 587;
    default:
      return tls ? 993 : 143;
  }
}

/** The outgoing server's own password is needed only when it is not the incoming one. */
export function validateOutgoingPassword(samePassword: boolean, password: string): string | null {
  return !samePassword && password === '' ? 'Type the outgoing server’s password, or tick “Same password as incoming”.' : null;
}

export interface AccountFields {
  email: string;
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
  const email = validateEmail(f.email);
  if (email) errors.email = email;
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

/** The domain of an address, lower-cased, or null when there is none yet. */
export function emailDomain(email: string): string | null {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  if (at < 0) return null;
  const domain = value.slice(at + 1).toLowerCase();
  return domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.') && !/\s/.test(domain)
    ? domain
    : null;
}
