//! Verification: before discovery proposes a server, it connects to it without credentials
//! (connect, TLS or STARTTLS, greeting, capabilities) and reads how it lets clients sign in, so
//! the wizard can say "verified" and pre-select a sign-in method the server really offers.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::account::{Endpoint, Protocol};
use crate::config::Deadlines;
use crate::diagnose::Diagnosis;
use crate::error::EngineError;
use crate::net::Network;
use crate::progress::{NoProgress, Progress};
use crate::{imap, pop3, smtp};

/// What a check without credentials found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// The server answered as the protocol says, over a connection whose certificate the system
    /// trusts (or unencrypted, when the endpoint says so).
    pub verified: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    /// Plain words: "IMAP server answered over TLS; sign-in: PLAIN, LOGIN", or what went wrong.
    pub detail: String,
    /// SASL mechanisms the server advertises, upper-cased (IMAP LOGIN and POP3 USER/PASS are
    /// listed as "LOGIN" and "USER").
    pub auth_mechanisms: Vec<String>,
    /// A password can be used (PLAIN, LOGIN or USER/PASS offered).
    pub password: bool,
    /// Browser sign-in tokens are accepted (XOAUTH2 or OAUTHBEARER, RFC 7628).
    pub oauth2: bool,
    /// The server answered, but its certificate is not trusted: the user would have to look at
    /// it and decide.
    pub certificate_problem: bool,
}

/// Checks `endpoint` for `protocol`, within `limit` for the whole check.
pub async fn verify(protocol: Protocol, endpoint: &Endpoint, network: &Network, limit: Duration) -> Verification {
    let started = Instant::now();
    let deadlines = Deadlines::all(limit);
    let quiet = NoProgress;
    let progress = Progress::new(&quiet);
    let check = async {
        match protocol {
            Protocol::Imap => {
                let connected = imap::connect(endpoint, true, network, &[], &deadlines, &progress).await?;
                let caps = &connected.capabilities;
                let mut mechanisms = caps.auth_mechanisms();
                // LOGIN is a command, not a SASL mechanism (RFC 3501 6.2.3), unless disabled.
                if !caps.has("LOGINDISABLED") && !mechanisms.iter().any(|m| m == "LOGIN") {
                    mechanisms.push("LOGIN".into());
                }
                Ok::<_, EngineError>((mechanisms, connected.encrypted))
            }
            Protocol::Pop3 => {
                let offer = pop3::probe(endpoint, network, &deadlines, &progress).await?;
                let mut mechanisms = offer.sasl_mechanisms;
                if offer.user_pass {
                    mechanisms.push("USER".into());
                }
                Ok((mechanisms, offer.encrypted))
            }
            Protocol::Smtp => {
                let offer = smtp::probe(endpoint, network, &deadlines, &progress).await?;
                Ok((offer.auth_mechanisms, offer.encrypted))
            }
        }
    };
    let outcome = match tokio::time::timeout(limit, check).await {
        Ok(outcome) => outcome,
        Err(_) => Err(EngineError::TimedOut {
            stage: crate::progress::Stage::Greeting,
            target: endpoint.display(),
            seconds: limit.as_secs().max(1),
        }),
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok((auth_mechanisms, encrypted)) => {
            let has = |names: &[&str]| auth_mechanisms.iter().any(|m| names.contains(&m.as_str()));
            let password = has(&["PLAIN", "LOGIN", "USER"]);
            let oauth2 = has(&["XOAUTH2", "OAUTHBEARER"]);
            let how = if encrypted { endpoint.security.label() } else { "no encryption" };
            let offered = if auth_mechanisms.is_empty() {
                // Submission servers may list AUTH only after STARTTLS or not at all (RFC 4954).
                "no sign-in method advertised".to_owned()
            } else {
                format!("sign-in: {}", auth_mechanisms.join(", "))
            };
            Verification {
                verified: true,
                elapsed_ms,
                detail: format!("{} server answered over {how}; {offered}", protocol.label()),
                auth_mechanisms,
                password,
                oauth2,
                certificate_problem: false,
            }
        }
        Err(e) => {
            let certificate_problem = matches!(e, EngineError::Certificate { .. });
            let d = Diagnosis::of(&e, None);
            Verification {
                verified: false,
                elapsed_ms,
                detail: format!("{}: {}", d.title, d.what_happened),
                auth_mechanisms: Vec::new(),
                password: false,
                oauth2: false,
                certificate_problem,
            }
        }
    }
}
