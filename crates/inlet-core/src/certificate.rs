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
    let digest = Sha256::digest(der);
    digest.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

impl CertificateInfo {
    /// Reads the end-entity certificate. Returns None for bytes that are not a certificate.
    pub fn from_der(der: &[u8]) -> Option<CertificateInfo> {
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
