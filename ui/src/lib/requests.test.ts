import { describe, expect, it } from 'vitest';
import { report } from '../test/fakes';
import { buildConnectRequest, buildSaveRequest, type WizardForm } from './requests';

const form: WizardForm = {
  kind: 'imap',
  email: ' alice@example.com ',
  password: ' secret ',
  username: '',
  host: ' imap.example.com ',
  port: '993',
  security: 'tls',
  plaintextConfirmed: false,
};

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
      },
      // Passwords are sent exactly as typed, spaces included.
      password: ' secret ',
    });
  });

  it('sends a typed username trimmed', () => {
    expect(buildConnectRequest({ ...form, username: ' alice ' }).settings.incoming.username).toBe('alice');
  });

  it('allows a plaintext password only when confirmed without encryption', () => {
    expect(buildConnectRequest({ ...form, security: 'none', plaintextConfirmed: true }).settings.incoming.allowPlaintextPassword).toBe(true);
    expect(buildConnectRequest({ ...form, security: 'none' }).settings.incoming.allowPlaintextPassword).toBe(false);
    expect(buildConnectRequest({ ...form, security: 'tls', plaintextConfirmed: true }).settings.incoming.allowPlaintextPassword).toBe(false);
  });

  it('saves POP3 choices as IMAP and keeps the provider kinds', () => {
    expect(buildConnectRequest({ ...form, kind: 'pop3' }).settings.kind).toBe('imap');
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
    expect(request.password).toBe(' secret ');
  });
});
