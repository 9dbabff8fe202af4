//! What we show a user about a server's certificate: who it is for, who signed it, when it is valid
//! and its SHA-256 fingerprint, so they can compare it with what their provider publishes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    /// RFC 3339 dates.
    pub not_before: String,
    pub not_after: String,
    /// Upper-case hex bytes separated by colons, as browsers show it.
    pub sha256_fingerprint: String,
    /// The host names (and addresses) the certificate is valid for.
    pub names: Vec<String>,
    pub self_signed: bool,
}

/// SHA-256 of the DER bytes, formatted `AB:CD:...`.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256Fingerprint::of(der).to_string()
}

/// A certificate's SHA-256 fingerprint: the 32 bytes, compared as bytes. Shown (and stored) as
/// upper-case hex separated by colons, as browsers show it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Fingerprint([u8; 32]);

/// Why a text is not a SHA-256 fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FingerprintError {
    #[error("a SHA-256 fingerprint is 64 hex digits (32 bytes), this has {0}")]
    WrongLength(usize),
    #[error("a SHA-256 fingerprint holds only hex digits (0-9, A-F), colons and spaces")]
    NotHex,
}

/// Labels people paste in front of a fingerprint: `SHA256:`, and what `openssl x509 -fingerprint
/// -sha256` prints (`sha256 Fingerprint=`). Compared ignoring case.
const FINGERPRINT_LABELS: [&str; 3] = ["sha256 fingerprint=", "sha256:", "sha-256:"];

impl Sha256Fingerprint {
    /// The fingerprint of a certificate's DER bytes.
    pub fn of(der: &[u8]) -> Sha256Fingerprint {
        Sha256Fingerprint(Sha256::digest(der).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::str::FromStr for Sha256Fingerprint {
    type Err = FingerprintError;

    /// Reads the fingerprint however it is commonly written: with or without colons or spaces
    /// between the bytes, upper or lower case, after a `SHA256:` label.
    fn from_str(text: &str) -> Result<Sha256Fingerprint, FingerprintError> {
        let text = text.trim();
        let text = FINGERPRINT_LABELS
            .iter()
            .find_map(|label| {
                let head = text.get(..label.len())?;
                head.eq_ignore_ascii_case(label).then(|| &text[label.len()..])
            })
            .unwrap_or(text);
        let digits: String = text.chars().filter(|c| *c != ':' && !c.is_whitespace()).collect();
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(FingerprintError::NotHex);
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&digits, &mut bytes).map_err(|_| FingerprintError::WrongLength(digits.len()))?;
        Ok(Sha256Fingerprint(bytes))
    }
}

impl std::fmt::Display for Sha256Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Sha256Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sha256Fingerprint({self})")
    }
}

impl CertificateInfo {
    /// Reads the end-entity certificate. Returns None for bytes that are not a certificate.
    pub(crate) fn from_der(der: &[u8]) -> Option<CertificateInfo> {
        use x509_parser::prelude::*;
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        let mut names = Vec::new();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                match name {
                    GeneralName::DNSName(d) => names.push(d.to_string()),
                    GeneralName::IPAddress(ip) => names.push(match ip.len() {
                        4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
                        16 => {
                            let mut a = [0u8; 16];
                            a.copy_from_slice(ip);
                            std::net::Ipv6Addr::from(a).to_string()
                        }
                        _ => continue,
                    }),
                    _ => {}
                }
            }
        }
        let date = |t: ASN1Time| {
            t.to_datetime().format(&::time::format_description::well_known::Rfc3339).unwrap_or_else(|_| t.to_string())
        };
        Some(CertificateInfo {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            not_before: date(cert.validity().not_before),
            not_after: date(cert.validity().not_after),
            sha256_fingerprint: fingerprint(der),
            names,
            self_signed: cert.subject() == cert.issuer(),
        })
    }
}

/// The certificates of a PEM file of CA certificates, or what is wrong with it, as a sentence
/// that names the file ("The CA file … cannot be read: …"). The configuration loader checks the
/// files with it too, so both say the same.
pub(crate) fn read_ca_file(file: &std::path::Path) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, String> {
    let name = file.display().to_string();
    let pem = std::fs::read(file)
        .map_err(|e| crate::tr!("cfg-ca-unreadable", file = name.as_str(), error = e.to_string()))?;
    let certs: Vec<_> = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|e| crate::tr!("cfg-ca-not-pem", file = name.as_str(), error = e.to_string()))?;
    if certs.is_empty() {
        return Err(crate::tr!("cfg-ca-empty", file = name.as_str()));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOWN: &str =
        "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF";

    #[test]
    fn a_fingerprint_is_read_however_it_is_commonly_written() {
        let canonical: Sha256Fingerprint = SHOWN.parse().unwrap();
        assert_eq!(canonical.to_string(), SHOWN);
        let bare = SHOWN.replace(':', "");
        for written in [
            bare.clone(),
            bare.to_lowercase(),
            SHOWN.to_lowercase(),
            SHOWN.replace(':', " "),
            format!("SHA256:{bare}"),
            format!("sha256:{SHOWN}"),
            format!("SHA-256: {SHOWN}"),
            format!("sha256 Fingerprint={SHOWN}"),
            format!("  {SHOWN}\n"),
        ] {
            assert_eq!(written.parse::<Sha256Fingerprint>(), Ok(canonical), "{written:?}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!("AB:CD".parse::<Sha256Fingerprint>(), Err(FingerprintError::WrongLength(4)));
        assert_eq!(format!("{SHOWN}:00").parse::<Sha256Fingerprint>(), Err(FingerprintError::WrongLength(66)));
        assert_eq!("".parse::<Sha256Fingerprint>(), Err(FingerprintError::WrongLength(0)));
        assert_eq!(SHOWN.replacen('A', "G", 1).parse::<Sha256Fingerprint>(), Err(FingerprintError::NotHex));
        assert_eq!(format!("SHA1:{SHOWN}").parse::<Sha256Fingerprint>(), Err(FingerprintError::NotHex));
        assert_eq!(SHOWN.replace(':', "-").parse::<Sha256Fingerprint>(), Err(FingerprintError::NotHex));
    }

    #[test]
    fn the_fingerprint_of_a_certificate_is_shown_as_before() {
        let der = b"not really a certificate, but bytes all the same";
        let hex: String = Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":");
        assert_eq!(fingerprint(der), hex);
        assert_eq!(Sha256Fingerprint::of(der).to_string(), hex);
    }
}
