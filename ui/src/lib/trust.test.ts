import { describe, expect, it } from 'vitest';
import { certificate, diagnosis } from '../test/fakes';
import { toProblem } from './api';
import {
  addPin,
  canTrust,
  certificateVariant,
  fingerprintRows,
  isCertificateProblem,
  pinFor,
  pinsFor,
  previousFingerprint,
  removePin,
  shortFingerprint,
} from './trust';

const where = { host: 'mail.example.com', port: 993 };

describe('certificate problems', () => {
  it('words each case', () => {
    expect(certificateVariant('certificate_untrusted')).toBe('unknown');
    for (const code of ['certificate_expired', 'certificate_wrong_host', 'certificate_not_yet_valid', 'certificate_invalid'] as const) {
      expect(certificateVariant(code)).toBe('broken');
    }
    expect(certificateVariant('certificate_changed')).toBe('changed');
    expect(certificateVariant('tls_failed')).toBeNull();
  });

  it('shows the certificate screen only with a certificate, and trust never for a change', () => {
    const untrusted = toProblem(diagnosis({ code: 'certificate_untrusted', certificate: certificate() }));
    const changed = toProblem(diagnosis({ code: 'certificate_changed', certificate: certificate() }));
    expect(isCertificateProblem(untrusted)).toBe(true);
    expect(canTrust(untrusted)).toBe(true);
    expect(isCertificateProblem(changed)).toBe(true);
    expect(canTrust(changed)).toBe(false);
    expect(isCertificateProblem(toProblem(diagnosis({ code: 'certificate_untrusted' })))).toBe(false);
    expect(isCertificateProblem(toProblem(diagnosis({ code: 'tls_failed', certificate: certificate() })))).toBe(false);
    expect(isCertificateProblem(null)).toBe(false);
  });
});

describe('pins', () => {
  it('pins exactly the presented certificate for one host and port', () => {
    expect(pinFor({ host: ' mail.example.com ', port: 993 }, certificate({ sha256Fingerprint: 'AA:BB' }))).toEqual({
      host: 'mail.example.com',
      port: 993,
      sha256Fingerprint: 'AA:BB',
      subject: 'CN=imap.example.com',
      notAfter: '2035-01-01T00:00:00Z',
    });
  });

  it('keeps one pin per server, matching the host without regard to case', () => {
    const a = pinFor(where, certificate({ sha256Fingerprint: 'AA' }));
    const b = pinFor({ host: 'MAIL.example.com', port: 993 }, certificate({ sha256Fingerprint: 'BB' }));
    const other = pinFor({ host: 'mail.example.com', port: 587 }, certificate({ sha256Fingerprint: 'CC' }));
    expect(addPin(addPin([a, other], b), b).map((p) => p.sha256Fingerprint)).toEqual(['CC', 'BB']);
    expect(removePin([a, other], { host: 'Mail.Example.com', port: 993 })).toEqual([other]);
    expect(pinsFor([a, other], [{ host: 'mail.example.com', port: 587 }])).toEqual([other]);
  });

  it('finds the fingerprint trusted before: the engine’s first, else the pin', () => {
    const pin = pinFor(where, certificate({ sha256Fingerprint: 'PIN' }));
    const given = toProblem(diagnosis({ code: 'certificate_changed', trustedFingerprint: '01:02:03' }));
    expect(previousFingerprint(given, [pin], where)).toBe('01:02:03');
    const without = toProblem(diagnosis({ code: 'certificate_changed', evidence: [] }));
    expect(previousFingerprint(without, [pin], where)).toBe('PIN');
    expect(previousFingerprint(without, [], where)).toBeNull();
  });

  it('shortens and wraps fingerprints for display', () => {
    const fp = certificate().sha256Fingerprint;
    expect(shortFingerprint(fp)).toBe('AB:CD:EF:01…');
    expect(shortFingerprint('AB:CD')).toBe('AB:CD');
    const rows = fingerprintRows(fp);
    expect(rows).toHaveLength(4);
    expect(rows.join(':')).toBe(fp);
  });
});
