import { describe, expect, it } from 'vitest';
import { outgoingReport, report } from '../test/fakes';
import type { TrustedCertificate } from './bindings/TrustedCertificate';
import { buildConnectRequest, buildSaveRequest, buildTestRequest, type WizardForm } from './requests';

const form: WizardForm = {
  kind: 'imap',
  email: ' alice@example.com ',
  password: ' secret ',
  username: '',
  host: ' imap.example.com ',
  port: '993',
  security: 'tls',
  plaintextConfirmed: false,
  auth: 'password',
  grant: null,
  outgoing: {
    enabled: false,
    host: ' smtp.example.com ',
    port: '587',
    security: 'starttls',
    username: '',
    samePassword: true,
    password: '',
    plaintextConfirmed: false,
  },
  trustedCertificates: [],
};

const withSmtp: WizardForm = { ...form, outgoing: { ...form.outgoing, enabled: true } };

function pin(host: string, port: number, fp = 'AB:CD'): TrustedCertificate {
  return { host, port, sha256Fingerprint: fp, subject: `CN=${host}`, notAfter: '2030-01-01T00:00:00Z' };
}

describe('requests', () => {
  it('builds the connect request from what was typed', () => {
    expect(buildConnectRequest(form)).toEqual({
      settings: {
        kind: 'imap',
        email: 'alice@example.com',
        incoming: {
          protocol: 'imap',
          endpoint: { host: 'imap.example.com', port: 993, security: 'tls' },
          username: null,
          auth: 'password',
          allowPlaintextPassword: false,
        },
        outgoing: null,
        trustedCertificates: [],
      },
      // Passwords are sent exactly as typed, spaces included.
      credentials: { password: ' secret ' },
      outgoingCredentials: null,
    });
  });

  it('sends a browser sign-in’s grant (never a token) for both servers, and no password', () => {
    const grant = { issuer: 'https://login.microsoftonline.com/common/v2.0', clientId: 'inlet', refreshTokenEntry: 'oauth2:alice' };
    const request = buildConnectRequest({ ...withSmtp, auth: 'oauth2', grant, outgoing: { ...withSmtp.outgoing, samePassword: false, password: 'other' } });
    expect(request.settings.incoming.auth).toBe('oauth2');
    expect(request.credentials).toEqual({ oauth2: grant });
    expect(request.outgoingCredentials).toBeNull();
    expect(JSON.stringify(request)).not.toContain('secret');
    const save = buildSaveRequest({ ...form, auth: 'oauth2', grant }, report(), []);
    expect(save.credentials).toEqual({ oauth2: grant });
    // Without a grant there is nothing to sign in with: a bug, not a request.
    expect(() => buildConnectRequest({ ...form, auth: 'oauth2', grant: null })).toThrow();
  });

  it('sends a typed username trimmed', () => {
    expect(buildConnectRequest({ ...form, username: ' alice ' }).settings.incoming.username).toBe('alice');
  });

  it('allows a plaintext password only when confirmed without encryption', () => {
    expect(buildConnectRequest({ ...form, security: 'none', plaintextConfirmed: true }).settings.incoming.allowPlaintextPassword).toBe(true);
    expect(buildConnectRequest({ ...form, security: 'none' }).settings.incoming.allowPlaintextPassword).toBe(false);
    expect(buildConnectRequest({ ...form, security: 'tls', plaintextConfirmed: true }).settings.incoming.allowPlaintextPassword).toBe(false);
  });

  it('sends POP3 as POP3 and keeps the provider kinds on IMAP', () => {
    const pop = buildConnectRequest({ ...form, kind: 'pop3', port: '995' }).settings;
    expect(pop.kind).toBe('pop3');
    expect(pop.incoming.protocol).toBe('pop3');
    expect(pop.incoming.endpoint.port).toBe(995);
    expect(buildConnectRequest({ ...form, kind: 'gmail' }).settings.kind).toBe('gmail');
    expect(buildConnectRequest({ ...form, kind: 'gmail' }).settings.incoming.protocol).toBe('imap');
  });

  it('saves the username the server accepted', () => {
    const folders = [{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' as const }];
    const request = buildSaveRequest(form, report(undefined, 'alice'), folders);
    expect(request.settings.incoming.username).toBe('alice');
    expect(request.settings.email).toBe('alice@example.com');
    expect(request.settings.incoming.endpoint).toEqual({ host: 'imap.example.com', port: 993, security: 'tls' });
    expect(request.folders).toEqual(folders);
    expect(request.credentials).toEqual({ password: ' secret ' });
    expect(request.outgoingCredentials).toBeNull();
    expect(request.settings.outgoing).toBeNull();
  });
});

describe('outgoing requests', () => {
  it('sends no outgoing server when its check is off', () => {
    const request = buildConnectRequest({ ...form, outgoing: { ...form.outgoing, samePassword: false, password: 'smtp-pw' } });
    expect(request.settings.outgoing).toBeNull();
    // Not even a typed outgoing password goes anywhere.
    expect(request.outgoingCredentials).toBeNull();
  });

  it('uses the incoming password when "same password" is on', () => {
    const request = buildConnectRequest({ ...withSmtp, outgoing: { ...withSmtp.outgoing, password: 'left over' } });
    expect(request.settings.outgoing).toEqual({
      endpoint: { host: 'smtp.example.com', port: 587, security: 'starttls' },
      username: null,
      samePassword: true,
      allowPlaintextPassword: false,
    });
    expect(request.outgoingCredentials).toBeNull();
  });

  it('sends the typed outgoing password, exactly, when it is its own', () => {
    const request = buildConnectRequest({
      ...withSmtp,
      outgoing: { ...withSmtp.outgoing, samePassword: false, password: ' smtp pw ', username: ' alice.smtp ' },
    });
    expect(request.settings.outgoing).toMatchObject({ samePassword: false, username: 'alice.smtp' });
    expect(request.outgoingCredentials).toEqual({ password: ' smtp pw ' });
    expect(request.credentials).toEqual({ password: ' secret ' });
  });

  it('allows a plaintext outgoing password only with its own confirmation', () => {
    const none = { ...withSmtp.outgoing, security: 'none' as const, port: '587' };
    expect(buildConnectRequest({ ...withSmtp, outgoing: none }).settings.outgoing?.allowPlaintextPassword).toBe(false);
    // The incoming confirmation does not count for the outgoing server.
    expect(
      buildConnectRequest({ ...withSmtp, security: 'none', plaintextConfirmed: true, outgoing: none }).settings.outgoing
        ?.allowPlaintextPassword,
    ).toBe(false);
    expect(
      buildConnectRequest({ ...withSmtp, outgoing: { ...none, plaintextConfirmed: true } }).settings.outgoing?.allowPlaintextPassword,
    ).toBe(true);
    expect(
      buildConnectRequest({ ...withSmtp, outgoing: { ...withSmtp.outgoing, plaintextConfirmed: true } }).settings.outgoing
        ?.allowPlaintextPassword,
    ).toBe(false);
  });

  it('saves the usernames both servers accepted, and a test request with the same passwords', () => {
    const own = { ...withSmtp, outgoing: { ...withSmtp.outgoing, samePassword: false, password: 'smtp-pw' } };
    const folders = [{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' as const }];
    const save = buildSaveRequest(own, report(undefined, 'alice', { outgoing: outgoingReport('alice@example.com') }), folders);
    expect(save.settings.incoming.username).toBe('alice');
    expect(save.settings.outgoing?.username).toBe('alice@example.com');
    expect(save.outgoingCredentials).toEqual({ password: 'smtp-pw' });
    expect(buildTestRequest(save)).toEqual({ settings: save.settings, credentials: { password: ' secret ' }, outgoingCredentials: { password: 'smtp-pw' } });
  });

  it('sends and saves only the trusted certificates of the servers in use', () => {
    const pins = [pin('imap.example.com', 993), pin('smtp.example.com', 587), pin('old.example.com', 993), pin('imap.example.com', 143)];
    expect(buildConnectRequest({ ...withSmtp, trustedCertificates: pins }).settings.trustedCertificates).toEqual(pins.slice(0, 2));
    expect(buildConnectRequest({ ...form, trustedCertificates: pins }).settings.trustedCertificates).toEqual(pins.slice(0, 1));
  });
});
