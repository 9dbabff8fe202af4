//! What the engine checks in settings the user typed before it dials anything.

use crate::account::{self, MailboxSettings, Security};
use crate::error::{EngineError, Result};
use crate::host::{HostName, HostProblem};
use crate::secrets::Credentials;
use crate::server_text::shown_plain;
use crate::tr;

/// A server name the user typed: missing or with spaces, `what_to_type` says what goes there;
/// anything else that is no host name (a URL, `host:port`, an address) is named.
pub(super) fn check_host(host: &str, field: &'static str, what_to_type: String) -> Result<()> {
    match HostName::parse(host) {
        Ok(_) => Ok(()),
        Err(HostProblem::Empty | HostProblem::Spaces) => {
            Err(EngineError::InvalidInput { field, message: what_to_type })
        }
        Err(problem) => Err(EngineError::InvalidInput {
            field,
            message: tr!(
                "eng-host-invalid",
                host = shown_plain(host),
                problem = match problem {
                    HostProblem::TooLong => "too-long",
                    HostProblem::Slash => "slash",
                    _ => "other",
                },
                advice = what_to_type
            ),
        }),
    }
}

pub(crate) fn validate(settings: &MailboxSettings, credentials: &Credentials) -> Result<()> {
    let incoming = settings.incoming.settings();
    let endpoint = &incoming.endpoint;
    check_host(&endpoint.host, "host", tr!("eng-type-host"))?;
    if endpoint.port == 0 {
        return Err(EngineError::InvalidInput { field: "port", message: tr!("eng-port-out-of-range") });
    }
    match credentials {
        Credentials::Password(password) if password.is_empty() => {
            return Err(EngineError::InvalidInput { field: "password", message: tr!("eng-type-password") });
        }
        Credentials::Password(_) => {}
        // A grant gets its access token just before it is used (from memory or refreshed).
        Credentials::OAuth2(_) => {}
    }
    if credentials.method() != incoming.auth {
        return Err(EngineError::InvalidInput {
            field: "auth",
            message: tr!(
                "eng-sign-in-method-mismatch",
                wanted = incoming.auth.label(),
                given = credentials.method().label()
            ),
        });
    }
    if endpoint.security == Security::None && !incoming.allow_plaintext_password {
        return Err(EngineError::PlaintextNotConfirmed { target: endpoint.display() });
    }
    if let Some(o) = &settings.outgoing {
        check_host(&o.endpoint.host, "outgoing_host", tr!("eng-type-outgoing-host"))?;
        if o.endpoint.port == 0 {
            return Err(EngineError::InvalidInput { field: "outgoing_port", message: tr!("eng-port-out-of-range") });
        }
        if o.endpoint.security == Security::None && !o.allow_plaintext_password {
            return Err(EngineError::PlaintextNotConfirmed { target: o.endpoint.display() });
        }
    }
    account::validate_trusted_certificates(&settings.trusted_certificates)
}
