//! The mailbox type (Gmail, Microsoft 365, plain IMAP or POP3) a discovery reveals, from the
//! servers it found when no known provider said so.

use super::formats::autoconfig::AutoconfigDocument;
use super::proposal::Candidate;
use super::rank::within_domain;
use crate::account::{MailboxKind, Protocol};

/// The mailbox type a document's servers reveal (Google's or Microsoft's hosts).
pub(crate) fn kind_of_document(doc: &AutoconfigDocument) -> Option<MailboxKind> {
    doc.incoming.iter().find_map(|s| kind_of_host(&s.host))
}

pub(crate) fn kind_of_host(host: &str) -> Option<MailboxKind> {
    let host = host.to_ascii_lowercase();
    if within_domain(&host, "gmail.com") || within_domain(&host, "googlemail.com") {
        Some(MailboxKind::Gmail)
    } else if within_domain(&host, "office365.com") || within_domain(&host, "outlook.com") {
        Some(MailboxKind::Microsoft365)
    } else {
        None
    }
}

pub(crate) fn kind_from_servers(incoming: &[Candidate]) -> MailboxKind {
    match incoming.first() {
        Some(c) => kind_of_host(&c.endpoint.host).unwrap_or(match c.protocol {
            Protocol::Pop3 => MailboxKind::Pop3,
            _ => MailboxKind::Imap,
        }),
        None => MailboxKind::Imap,
    }
}
