//! Certificates for TLS tests: one test CA and server certificates that are good or bad in
//! exactly one way each, so a test can prove the client refuses each kind of bad certificate
//! for the right reason.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

use crate::process::ExitGuard;

/// The names every "good" server certificate covers. `127.0.0.1` is there because tests
/// connect by address; the DNS names let tests exercise name checks (with a resolver override).
pub const SERVER_NAMES: [&str; 4] = ["localhost", "imap.example.test", "mail.example.test", "127.0.0.1"];

/// Which server certificate to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertKind {
    /// Signed by the test CA, valid now, for [`SERVER_NAMES`].
    Valid,
    /// Signed by the test CA, for [`SERVER_NAMES`], but valid only in 2020.
    Expired,
    /// Signed by the test CA, valid now, but only for `other-host.invalid`.
    WrongHost,
    /// Valid now, for [`SERVER_NAMES`], but self-signed: no chain to the test CA.
    Untrusted,
    /// Like `Valid` but with another key, so a test can swap certificates and see the
    /// fingerprint change while the chain stays trusted.
    ValidAlt,
    /// Valid now, for [`SERVER_NAMES`], self-signed and marked as a CA (basic constraints
    /// `CA:TRUE`), as `openssl req -x509` makes by default: no chain to the test CA, and a CA
    /// certificate used as a server's own.
    SelfSignedCa,
}

impl CertKind {
    pub const ALL: [CertKind; 6] = [
        CertKind::Valid,
        CertKind::Expired,
        CertKind::WrongHost,
        CertKind::Untrusted,
        CertKind::ValidAlt,
        CertKind::SelfSignedCa,
    ];

    /// Signed by its own key, with no chain to the test CA.
    fn is_self_signed(self) -> bool {
        matches!(self, CertKind::Untrusted | CertKind::SelfSignedCa)
    }

    fn file_stem(self) -> &'static str {
        match self {
            CertKind::Valid => "valid",
            CertKind::Expired => "expired",
            CertKind::WrongHost => "wrong-host",
            CertKind::Untrusted => "untrusted",
            CertKind::ValidAlt => "valid-alt",
            CertKind::SelfSignedCa => "self-signed-ca",
        }
    }
}

/// A test CA and the server certificates of [`CertKind`], as PEM files in a private temp dir
/// that is deleted when the last clone is dropped.
///
/// Cloning is cheap and shares the files. [`crate::Dovecot`] copies the files it uses, so a
/// server may outlive the `TestPki` it was started with.
#[derive(Clone)]
pub struct TestPki {
    dir: Arc<PkiDir>,
    ca_path: PathBuf,
    /// The CA's key and name, for [`TestPki::issue`].
    issuer: Arc<Issuer<'static, KeyPair>>,
}

struct PkiDir {
    // Unregisters before the dir is deleted (fields drop in order).
    _exit: ExitGuard,
    dir: tempfile::TempDir,
}

impl TestPki {
    /// Generates a fresh CA and all server certificates (ECDSA P-256, a few milliseconds).
    ///
    /// Panics on failure: it only fails if the temp dir cannot be written, and every caller is a test.
    pub fn generate() -> TestPki {
        Self::try_generate().expect("generating the test PKI")
    }

    fn try_generate() -> Result<TestPki, Box<dyn std::error::Error>> {
        let dir = tempfile::Builder::new().prefix("inlet-pki-").tempdir()?;
        // Readable by other local users too (a server dropping privileges, a child process).
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755))?;

        let now = OffsetDateTime::now_utc();
        // A day of slack before now: clocks of a VM and a test can disagree a little.
        let (from, until) = (now - Duration::days(1), now + Duration::days(365));

        let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
        ca_params.distinguished_name.push(DnType::CommonName, "Inlet Test CA");
        ca_params.distinguished_name.push(DnType::OrganizationName, "Inlet tests");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        ca_params.not_before = from;
        ca_params.not_after = until;
        let ca_key = KeyPair::generate()?;
        let ca_cert = ca_params.self_signed(&ca_key)?;
        let ca_pem = ca_cert.pem();
        let issuer = Issuer::new(ca_params, ca_key);

        let ca_path = dir.path().join("ca.pem");
        fs::write(&ca_path, &ca_pem)?;

        let good_names: Vec<String> = SERVER_NAMES.iter().map(|s| s.to_string()).collect();
        for kind in CertKind::ALL {
            let (names, not_before, not_after) = match kind {
                CertKind::Expired => {
                    (good_names.clone(), rcgen::date_time_ymd(2020, 1, 1), rcgen::date_time_ymd(2021, 1, 1))
                }
                CertKind::WrongHost => (vec!["other-host.invalid".to_string()], from, until),
                _ => (good_names.clone(), from, until),
            };
            let mut params = CertificateParams::new(names.clone())?;
            params.distinguished_name.push(DnType::CommonName, names[0].clone());
            params.distinguished_name.push(DnType::OrganizationName, format!("Inlet tests ({})", kind.file_stem()));
            params.not_before = not_before;
            params.not_after = not_after;
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            params.use_authority_key_identifier_extension = !kind.is_self_signed();
            if kind == CertKind::SelfSignedCa {
                params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
                params.key_usages.push(KeyUsagePurpose::KeyCertSign);
            }
            let key = KeyPair::generate()?;

            // The chain file holds the leaf, then the CA (as servers usually send it);
            // the self-signed one has no chain.
            let chain = if kind.is_self_signed() {
                params.self_signed(&key)?.pem()
            } else {
                format!("{}{}", params.signed_by(&key, &issuer)?.pem(), ca_pem)
            };
            let (cert_path, key_path) = paths(dir.path(), kind);
            fs::write(&cert_path, chain)?;
            fs::write(&key_path, key.serialize_pem())?;
        }

        Ok(TestPki {
            dir: Arc::new(PkiDir { _exit: ExitGuard::new(dir.path()), dir }),
            ca_path,
            issuer: Arc::new(issuer),
        })
    }

    /// Issues one more valid server certificate, signed by the test CA, for `names` (DNS names
    /// or IP addresses, e.g. `autoconfig.example.test`). Returns `(chain PEM, key PEM)` paths.
    pub fn issue(&self, names: &[&str]) -> (PathBuf, PathBuf) {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::new(names.clone()).expect("valid certificate names");
        params.distinguished_name.push(DnType::CommonName, names.first().cloned().unwrap_or_default());
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(365);
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate().expect("generating a key");
        let cert = params.signed_by(&key, &self.issuer).expect("signing with the test CA");
        let dir = self.dir.dir.path();
        let (cert_path, key_path) = (dir.join(format!("issued-{n}.pem")), dir.join(format!("issued-{n}-key.pem")));
        fs::write(&cert_path, format!("{}{}", cert.pem(), self.ca_pem())).expect("writing the certificate");
        fs::write(&key_path, key.serialize_pem()).expect("writing the key");
        (cert_path, key_path)
    }

    /// The test CA certificate (PEM) that clients under test should trust.
    pub fn ca_pem_path(&self) -> &Path {
        &self.ca_path
    }

    /// The test CA certificate as PEM text.
    pub fn ca_pem(&self) -> String {
        fs::read_to_string(&self.ca_path).expect("reading the test CA")
    }

    /// `(certificate chain PEM, private key PEM)` for a server certificate.
    pub fn cert(&self, kind: CertKind) -> (PathBuf, PathBuf) {
        paths(self.dir.dir.path(), kind)
    }

    /// The directory holding all files.
    pub fn dir(&self) -> &Path {
        self.dir.dir.path()
    }
}

fn paths(dir: &Path, kind: CertKind) -> (PathBuf, PathBuf) {
    let stem = kind.file_stem();
    (dir.join(format!("{stem}.pem")), dir.join(format!("{stem}-key.pem")))
}
