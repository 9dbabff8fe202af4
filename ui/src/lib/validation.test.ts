import { describe, expect, it } from 'vitest';
import {
  accountErrors,
  defaultPort,
  emailDomain,
  isEmpty,
  parsePort,
  outgoingErrors,
  serverErrors,
  validateHost,
  validatePassword,
  validatePlaintext,
  validateOutgoingPassword,
  validatePort,
  validateUsername,
} from './validation';

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
    // The address's problem is the engine's, passed through in its words.
    expect(accountErrors({ emailProblem: 'Type your email address.', password: '', username: '' })).toEqual({
      email: 'Type your email address.',
      password: 'Type your password.',
    });
    expect(isEmpty(accountErrors({ emailProblem: null, password: 'x', username: '' }))).toBe(true);
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
    const base = { protocol: 'imap' as const, host: 'imap.example.com', port: '143', security: 'none' as const };
    expect(serverErrors({ ...base, plaintextConfirmed: false })).toEqual({
      plaintext: 'Confirm that you understand your password will be sent unencrypted.',
    });
    expect(serverErrors({ ...base, plaintextConfirmed: true })).toEqual({});
  });
});

describe('ports by protocol', () => {
  it('flips IMAP 993/143, POP3 995/110 and SMTP 465/587', () => {
    expect(defaultPort('tls', 'imap')).toBe(993);
    expect(defaultPort('starttls', 'imap')).toBe(143);
    expect(defaultPort('tls', 'pop3')).toBe(995);
    expect(defaultPort('starttls', 'pop3')).toBe(110);
    expect(defaultPort('none', 'pop3')).toBe(110);
    expect(defaultPort('tls', 'smtp')).toBe(465);
    expect(defaultPort('starttls', 'smtp')).toBe(587);
    expect(defaultPort('none', 'smtp')).toBe(587);
  });

  it('names the right kind of server in its messages', () => {
    expect(serverErrors({ protocol: 'pop3', host: '', port: '', security: 'tls', plaintextConfirmed: false })).toEqual({
      host: 'Type the server name, e.g. pop.example.com.',
      port: 'Type the port, usually 995.',
    });
  });
});

describe('outgoing server', () => {
  const base = {
    enabled: true,
    host: 'smtp.example.com',
    port: '587',
    security: 'starttls' as const,
    samePassword: true,
    password: '',
    plaintextConfirmed: false,
  };

  it('checks nothing when it is not checked', () => {
    expect(outgoingErrors({ ...base, enabled: false, host: '', port: 'x', security: 'none' })).toEqual({});
  });

  it('checks the host, the port and its own password', () => {
    expect(outgoingErrors(base)).toEqual({});
    expect(outgoingErrors({ ...base, host: 'smtp://smtp.example.com', port: '' })).toEqual({
      host: 'Type only the server name, without smtp:// or https://.',
      port: 'Type the port, usually 587.',
    });
    expect(outgoingErrors({ ...base, samePassword: false }).password).toMatch(/outgoing server’s password/);
    expect(outgoingErrors({ ...base, samePassword: false, password: 'x' })).toEqual({});
    expect(validateOutgoingPassword(true, '')).toBeNull();
  });

  it('needs its own plaintext confirmation', () => {
    expect(outgoingErrors({ ...base, security: 'none' })).toEqual({
      plaintext: 'Confirm that you understand your password will be sent unencrypted.',
    });
    expect(outgoingErrors({ ...base, security: 'none', plaintextConfirmed: true })).toEqual({});
  });
});

describe('email domain', () => {
  it('is the part after the last @, lower-cased, without a trailing dot', () => {
    expect(emailDomain('Alice@Example.COM')).toBe('example.com');
    expect(emailDomain('a@b@mail.example.org')).toBe('mail.example.org');
    expect(emailDomain(' alice@example.org. ')).toBe('example.org');
    expect(emailDomain('alice')).toBeNull();
    expect(emailDomain('alice@')).toBeNull();
  });
});
