//! What the engine checks in settings the user typed before it dials anything.

use crate::account::{self, MailboxSettings, Security};
use crate::error::{EngineError, Result};
use crate::host::{HostName, HostProblem};
use crate::secrets::Credentials;
use crate::server_text::shown_plain;

/// A server name the user typed: missing or with spaces, `what_to_type` says what goes there;
/// anything else that is no host name (a URL, `host:port`, an address) is named.
pub(super) fn check_host(host: &str, field: &'static str, what_to_type: &str) -> Result<()> {
    match HostName::parse(host) {
        Ok(_) => Ok(()),
        Err(HostProblem::Empty | HostProblem::Spaces) => {
            Err(EngineError::InvalidInput { field, message: what_to_type.to_owned() })
        }
        Err(problem) => Err(EngineError::InvalidInput {
            field,
            message: format!("The server name \"{}\" {problem}. {what_to_type}", shown_plain(host)),
        }),
    }
}

pub(crate) fn validate(settings: &MailboxSettings, credentials: &Credentials) -> Result<()> {
    let incoming = settings.incoming.settings();
    let endpoint = &incoming.endpoint;
    check_host(&endpoint.host, "host", "Type the server name, e.g. imap.example.com.")?;
    if endpoint.port == 0 {
        return Err(EngineError::InvalidInput {
            field: "port",
            message: "The port must be between 1 and 65535.".into(),
        });
    }
    match credentials {
        Credentials::Password(password) if password.is_empty() => {
            return Err(EngineError::InvalidInput { field: "password", message: "Type your password.".into() });
        }
        Credentials::Password(_) => {}
        // A grant gets its access token just before it is used (from memory or refreshed).
        Credentials::OAuth2(_) => {}
    }
    if credentials.method() != incoming.auth {
        return Err(EngineError::InvalidInput {
            field: "auth",
            message: format!(
                "The settings say to sign in with {}, but {} was given.",
                incoming.auth.label(),
                credentials.method().label()
            ),
        });
    }
    if endpoint.security == Security::None && !incoming.allow_plaintext_password {
        return Err(EngineError::PlaintextNotConfirmed { target: endpoint.display() });
    }
    if let Some(o) = &settings.outgoing {
        check_host(&o.endpoint.host, "outgoing_host", "Type the outgoing server name, e.g. smtp.example.com.")?;
        if o.endpoint.port == 0 {
            return Err(EngineError::InvalidInput {
                field: "outgoing_port",
                message: "The port must be between 1 and 65535.".into(),
            });
        }
        if o.endpoint.security == Security::None && !o.allow_plaintext_password {
            return Err(EngineError::PlaintextNotConfirmed { target: o.endpoint.display() });
        }
    }
    account::validate_trusted_certificates(&settings.trusted_certificates)
}
