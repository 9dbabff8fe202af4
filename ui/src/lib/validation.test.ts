import { describe, expect, it } from 'vitest';
import {
  accountErrors,
  defaultPort,
  emailDomain,
  isEmpty,
  parsePort,
  serverErrors,
  validateEmail,
  validateHost,
  validatePassword,
  validatePlaintext,
  validatePort,
  validateUsername,
} from './validation';

describe('email', () => {
  it('accepts ordinary addresses', () => {
    expect(validateEmail('alice@example.test')).toBeNull();
    expect(validateEmail('a.b+tag@mail.example.co.uk')).toBeNull();
    expect(validateEmail('  alice@example.com  ')).toBeNull();
  });

  it('explains what is wrong, in the engine’s words', () => {
    expect(validateEmail('')).toBe('Type your email address.');
    expect(validateEmail('alice')).toBe('An email address looks like name@example.com.');
    expect(validateEmail('@example.com')).toBe('The part before @ is missing.');
    expect(validateEmail('alice@')).toBe('The part after @ must be a domain such as example.com.');
    expect(validateEmail('alice@localhost')).toBe('The part after @ must be a domain such as example.com.');
    expect(validateEmail('alice@.example.com')).toBe('The part after @ must be a domain such as example.com.');
    expect(validateEmail('alice@example.com.')).toBe('The part after @ must be a domain such as example.com.');
    expect(validateEmail('al ice@example.com')).toBe('An email address cannot contain spaces.');
  });
});

describe('password and username', () => {
  it('requires a password, and takes any characters', () => {
    expect(validatePassword('')).toBe('Type your password.');
    expect(validatePassword(' ')).toBeNull();
    expect(validatePassword('pä$$ wörd')).toBeNull();
  });

  it('leaves the username optional', () => {
    expect(validateUsername('')).toBeNull();
    expect(validateUsername('   ')).toBeNull();
    expect(validateUsername('alice')).toBeNull();
    expect(validateUsername('DOMAIN\\alice')).toBeNull();
    expect(validateUsername('al ice')).toBe('A username cannot contain spaces.');
  });

  it('collects the account step’s errors', () => {
    expect(accountErrors({ email: '', password: '', username: '' })).toEqual({
      email: 'Type your email address.',
      password: 'Type your password.',
    });
    expect(isEmpty(accountErrors({ email: 'a@b.cd', password: 'x', username: '' }))).toBe(true);
  });
});

describe('host', () => {
  it('needs a plain server name', () => {
    expect(validateHost('imap.example.com')).toBeNull();
    expect(validateHost('127.0.0.1')).toBeNull();
    expect(validateHost('::1')).toBeNull();
    expect(validateHost('[::1]')).toBeNull();
    expect(validateHost('')).toMatch(/Type the server name/);
    expect(validateHost('imap example.com')).toMatch(/spaces/);
    expect(validateHost('imaps://imap.example.com')).toMatch(/without imap:\/\//);
    expect(validateHost('imap.example.com/mail')).toMatch(/without a path/);
    expect(validateHost('alice@example.com')).toMatch(/email address/);
    expect(validateHost('imap.example.com:993')).toMatch(/Port field/);
  });
});

describe('port', () => {
  it('is an integer from 1 to 65535', () => {
    expect(parsePort('993')).toBe(993);
    expect(parsePort(' 143 ')).toBe(143);
    expect(parsePort('1')).toBe(1);
    expect(parsePort('65535')).toBe(65535);
    for (const bad of ['0', '65536', '-1', '99.5', '1e3', 'abc', '', '9 93']) {
      expect(parsePort(bad), bad).toBeNull();
    }
    expect(validatePort('993')).toBeNull();
    expect(validatePort('')).toBe('Type the port, usually 993.');
    expect(validatePort('70000')).toBe('The port must be a whole number between 1 and 65535.');
  });

  it('defaults by security', () => {
    expect(defaultPort('tls')).toBe(993);
    expect(defaultPort('starttls')).toBe(143);
    expect(defaultPort('none')).toBe(143);
  });
});

describe('plaintext confirmation', () => {
  it('is needed only without encryption', () => {
    expect(validatePlaintext('tls', false)).toBeNull();
    expect(validatePlaintext('starttls', false)).toBeNull();
    expect(validatePlaintext('none', false)).toMatch(/unencrypted/);
    expect(validatePlaintext('none', true)).toBeNull();
  });

  it('gates the server step', () => {
    const base = { host: 'imap.example.com', port: '143', security: 'none' as const };
    expect(serverErrors({ ...base, plaintextConfirmed: false })).toEqual({
      plaintext: 'Confirm that you understand your password will be sent unencrypted.',
    });
    expect(serverErrors({ ...base, plaintextConfirmed: true })).toEqual({});
  });
});

describe('email domain', () => {
  it('is the part after the last @, lower-cased', () => {
    expect(emailDomain('Alice@Example.COM')).toBe('example.com');
    expect(emailDomain('a@b@mail.example.org')).toBe('mail.example.org');
    expect(emailDomain('alice')).toBeNull();
    expect(emailDomain('alice@example')).toBeNull();
  });
});
