// Certificates the user chose to trust: which failures may be trusted, the pin that is added for
// the failing server, and what is shown when a trusted certificate changed. Pure functions.

import type { CertificateInfo } from './bindings/CertificateInfo';
import type { DiagnosisCode } from './bindings/DiagnosisCode';
import type { TrustedCertificate } from './bindings/TrustedCertificate';
import type { Problem } from './api';

/** Failures where the user may look at the certificate and decide to trust it. */
export const TRUSTABLE_CODES: ReadonlySet<string> = new Set<DiagnosisCode>([
  'certificate_untrusted',
  'certificate_expired',
  'certificate_wrong_host',
  'certificate_not_yet_valid',
  'certificate_invalid',
]);

/**
 * How the certificate screen speaks:
 * - unknown: self-signed or signed by an authority this computer does not know; the user can
 *   check the fingerprint with the provider;
 * - broken: expired, for another name, not valid yet or invalid: the administrator must fix it;
 * - changed: a certificate the user trusted was replaced; never trusted from this screen.
 */
export type CertificateVariant = 'unknown' | 'broken' | 'changed';

export function certificateVariant(code: Problem['code']): CertificateVariant | null {
  if (code === 'certificate_changed') return 'changed';
  if (code === 'certificate_untrusted') return 'unknown';
  if (TRUSTABLE_CODES.has(code)) return 'broken';
  return null;
}

/** The certificate screen replaces the usual diagnosis when there is a certificate to show. */
export function isCertificateProblem(problem: Problem | null): problem is Problem & { certificate: CertificateInfo } {
  return problem !== null && problem.certificate !== null && certificateVariant(problem.code) !== null;
}

/** Whether the problem offers "Trust this certificate". certificate_changed never does. */
export function canTrust(problem: Problem | null): problem is Problem & { certificate: CertificateInfo } {
  return isCertificateProblem(problem) && TRUSTABLE_CODES.has(problem.code);
}

export interface HostPort {
  host: string;
  port: number;
}

function same(pin: HostPort, where: HostPort): boolean {
  return pin.port === where.port && pin.host.trim().toLowerCase() === where.host.trim().toLowerCase();
}

/** The pin for one certificate on one server (host and port, as the engine matches them). */
export function pinFor(where: HostPort, certificate: CertificateInfo): TrustedCertificate {
  return {
    host: where.host.trim(),
    port: where.port,
    sha256Fingerprint: certificate.sha256Fingerprint,
    subject: certificate.subject,
    notAfter: certificate.notAfter,
  };
}

/** Adds the pin, replacing any other for the same host and port (one certificate per server). */
export function addPin(pins: readonly TrustedCertificate[], pin: TrustedCertificate): TrustedCertificate[] {
  return [...pins.filter((p) => !same(p, pin)), pin];
}

export function removePin(pins: readonly TrustedCertificate[], where: HostPort): TrustedCertificate[] {
  return pins.filter((p) => !same(p, where));
}

export function findPin(pins: readonly TrustedCertificate[], where: HostPort): TrustedCertificate | null {
  return pins.find((p) => same(p, where)) ?? null;
}

/** Only the pins of the servers in use are sent and saved: a pin never outlives its server. */
export function pinsFor(pins: readonly TrustedCertificate[], servers: readonly HostPort[]): TrustedCertificate[] {
  return pins.filter((p) => servers.some((s) => same(p, s)));
}

/** The fingerprint the user trusted before, for certificate_changed: the engine's, else the pin in the settings. */
export function previousFingerprint(problem: Problem, pins: readonly TrustedCertificate[], where: HostPort): string | null {
  return problem.trustedFingerprint ?? findPin(pins, where)?.sha256Fingerprint ?? null;
}

/** "AB:CD:EF:01…" for a list row; the whole fingerprint goes in a tooltip. */
export function shortFingerprint(fingerprint: string, bytes = 4): string {
  const parts = fingerprint.split(':');
  return parts.length <= bytes ? fingerprint : `${parts.slice(0, bytes).join(':')}…`;
}

/** A fingerprint cut into rows of `bytes` bytes, so it wraps where it can be compared. */
export function fingerprintRows(fingerprint: string, bytes = 8): string[] {
  const parts = fingerprint.split(':');
  const rows: string[] = [];
  for (let i = 0; i < parts.length; i += bytes) rows.push(parts.slice(i, i + bytes).join(':'));
  return rows;
}
