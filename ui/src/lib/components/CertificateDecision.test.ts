import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { certificate, diagnosis } from '../../test/fakes';
import { toProblem } from '../api';
import type { CertificateInfo } from '../bindings/CertificateInfo';
import type { DiagnosisCode } from '../bindings/DiagnosisCode';
import CertificateDecision from './CertificateDecision.svelte';

function show(code: DiagnosisCode, cert: Partial<CertificateInfo> = {}, extra: Record<string, unknown> = {}) {
  const props = {
    problem: toProblem(diagnosis({ code, title: 'Certificate', stage: 'tls', certificate: certificate(cert) })) as never,
    target: 'imap.example.com:993',
    confirmed: false,
    onconfirm: vi.fn(),
    ontrust: vi.fn(),
    onuntrust: vi.fn(),
    ...extra,
  };
  const view = render(CertificateDecision, { props });
  return { ...props, ...view };
}

describe('CertificateDecision', () => {
  it('self-signed: shows the certificate and asks to compare the fingerprint', () => {
    show('certificate_untrusted');
    const panel = screen.getByTestId('certificate-panel');
    expect(panel).toHaveAttribute('data-variant', 'unknown');
    expect(screen.getByTestId('certificate-warning')).toHaveTextContent(
      /compare the fingerprint below with your provider’s/i,
    );
    expect(panel).toHaveTextContent('Issued to');
    expect(panel).toHaveTextContent('CN=imap.example.com');
    expect(panel).toHaveTextContent('Issued by');
    expect(panel).toHaveTextContent('Self-signed');
    expect(panel).toHaveTextContent('Valid from');
    expect(panel).toHaveTextContent('Valid until');
    expect(panel).toHaveTextContent('Valid for');
    const fp = screen.getByTestId('certificate-fingerprint');
    expect(fp.tagName).toBe('CODE');
    expect(fp.textContent).toBe(certificate().sha256Fingerprint);
    expect(panel).toHaveTextContent('Inlet will accept exactly this certificate on imap.example.com:993');
    expect(screen.queryByTestId('untrust-certificate')).toBeNull();
  });

  it.each<DiagnosisCode>(['certificate_untrusted', 'certificate_expired'])(
    '%s: the fingerprint comes before the confirmation and the trust button, the other facts after',
    (code) => {
      show(code);
      const fp = screen.getByTestId('certificate-fingerprint');
      const confirm = screen.getByTestId('trust-confirm');
      const trust = screen.getByTestId('trust-certificate');
      const subject = screen.getByTestId('certificate-subject');
      const follows = (a: Element, b: Element) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      expect(follows(fp, confirm)).toBe(true);
      expect(follows(confirm, trust)).toBe(true);
      expect(follows(trust, subject)).toBe(true);
      // Shown once: the details below do not repeat it.
      expect(screen.getAllByTestId('certificate-fingerprint')).toHaveLength(1);
    },
  );

  it('needs the confirmation before Trust works', async () => {
    const user = userEvent.setup();
    const { onconfirm, ontrust, rerender } = show('certificate_untrusted');
    expect(screen.getByTestId('trust-certificate')).toBeDisabled();
    expect(screen.getByTestId('trust-confirm').closest('label')).toHaveTextContent(/read my password and mail/);
    await user.click(screen.getByTestId('trust-confirm'));
    expect(onconfirm).toHaveBeenCalledWith(true);
    await rerender({ confirmed: true });
    expect(screen.getByTestId('trust-certificate')).toBeEnabled();
    await user.click(screen.getByTestId('trust-certificate'));
    expect(ontrust).toHaveBeenCalledOnce();
  });

  it.each<[DiagnosisCode, Partial<CertificateInfo>, RegExp]>([
    ['certificate_expired', { notBefore: '2020-01-01T00:00:00Z', notAfter: '2021-01-01T00:00:00Z', selfSigned: false }, /expired on/],
    ['certificate_wrong_host', { names: ['other.example.net'], selfSigned: false }, /is for other\.example\.net, not for imap\.example\.com/],
    ['certificate_not_yet_valid', { notBefore: '2999-01-01T00:00:00Z', selfSigned: false }, /valid only from/],
    ['certificate_invalid', { selfSigned: false }, /could not be verified/],
  ])('%s: a stronger warning that the administrator must fix it', (code, cert, headline) => {
    show(code, cert);
    const panel = screen.getByTestId('certificate-panel');
    expect(panel).toHaveAttribute('data-variant', 'broken');
    const warning = screen.getByTestId('certificate-warning');
    expect(warning).toHaveClass('danger');
    expect(warning).toHaveTextContent(headline);
    expect(warning).toHaveTextContent(/problem for the server’s administrator to fix/);
    expect(screen.getByTestId('trust-confirm').closest('label')).toHaveTextContent(/failed the security checks/);
    expect(screen.getByTestId('trust-certificate')).toBeInTheDocument();
  });

  it('certificate_changed: both fingerprints, a red warning, and no way to trust from here', async () => {
    const user = userEvent.setup();
    const { onuntrust } = show('certificate_changed', { sha256Fingerprint: 'NE:W0:11' }, { previousFingerprint: 'OL:D0:22' });
    expect(screen.getByTestId('certificate-panel')).toHaveAttribute('data-variant', 'changed');
    const warning = screen.getByTestId('certificate-warning');
    expect(warning).toHaveClass('danger');
    expect(warning).toHaveAttribute('role', 'alert');
    expect(warning).toHaveTextContent(/changed since you trusted it/);
    expect(warning).toHaveTextContent(/intercepting/);
    expect(screen.getByTestId('certificate-fingerprint')).toHaveTextContent('NE:W0:11');
    expect(screen.getByTestId('previous-fingerprint')).toHaveTextContent('OL:D0:22');
    expect(screen.queryByTestId('trust-certificate')).toBeNull();
    expect(screen.queryByTestId('trust-confirm')).toBeNull();
    await user.click(screen.getByTestId('untrust-certificate'));
    expect(onuntrust).toHaveBeenCalledOnce();
  });
});
