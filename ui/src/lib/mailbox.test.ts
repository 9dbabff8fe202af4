import { describe, expect, it } from 'vitest';
import { record } from '../test/fakes';
import { outgoingHealth, plaintextSides, trustDescription } from './mailbox';

describe('mailbox descriptions', () => {
  it('knows which servers get a password unencrypted', () => {
    const m = record(1, 'a@example.com');
    expect(plaintextSides(m.settings)).toEqual([]);
    const plain = {
      ...m.settings,
      incoming: { ...m.settings.incoming, endpoint: { host: 'h', port: 110, security: 'none' as const } },
      outgoing: {
        endpoint: { host: 's', port: 587, security: 'none' as const },
        username: null,
        samePassword: true,
        allowPlaintextPassword: true,
      },
    };
    expect(plaintextSides(plain)).toEqual(['incoming', 'outgoing']);
  });

  it('describes a trusted certificate and the outgoing health', () => {
    expect(
      trustDescription({ host: 'mail.example.com', port: 993, sha256Fingerprint: 'AB:CD:EF:01:23', subject: '', notAfter: '' }),
    ).toBe('Trusts a certificate for mail.example.com:993, fingerprint AB:CD:EF:01…');
    const m = record(1, 'a@example.com');
    expect(outgoingHealth(m.settings, m.status)).toBeNull();
    const withSmtp = {
      ...m.settings,
      outgoing: { endpoint: { host: 's', port: 587, security: 'starttls' as const }, username: null, samePassword: true, allowPlaintextPassword: false },
    };
    expect(outgoingHealth(withSmtp, m.status)?.tone).toBe('new');
    expect(outgoingHealth(withSmtp, { ...m.status, lastOutgoingSuccessAt: 1 })?.tone).toBe('ok');
    expect(outgoingHealth(withSmtp, { ...m.status, lastOutgoingSuccessAt: 1, consecutiveOutgoingErrors: 2 })?.label).toBe('Sending fails');
  });
});
