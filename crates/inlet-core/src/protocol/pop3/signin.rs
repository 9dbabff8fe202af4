//! POP3 sign-in: SASL PLAIN (RFC 5034, RFC 4616) or USER/PASS (RFC 1939 section 7), or a bearer
//! token by SASL OAUTHBEARER (RFC 7628) or XOAUTH2, through
//! the protocols' one sign-in loop ([`crate::protocol::sign_in`]).

use super::wire::*;
use super::{open, Session, MAX_AUTH_COMMAND};
use crate::error::{EngineError, Result};
use crate::net::{with_deadline, Dial};
use crate::progress::{Stage, StageState};
use crate::protocol::bearer::ErrorChallenge;
use crate::protocol::sign_in::{Attempt, Attempts};
use crate::protocol::{self, bearer, Mechanism, Method};
use crate::secrets::Credentials;
use crate::server_text::Redactor;
use std::sync::Arc;
use zeroize::Zeroizing;

/// With a password: SASL PLAIN when CAPA lists it (one round trip, and it is the standard),
/// USER/PASS when CAPA lists USER or is not supported at all. With an OAuth2 grant: OAUTHBEARER
/// (RFC 7628) or XOAUTH2, whichever CAPA's SASL lists.
pub(super) fn choose_method(session: &Session, credentials: &Credentials) -> Result<Method> {
    let caps = &session.capabilities;
    let mechanisms = caps.sasl_mechanisms();
    if let Credentials::OAuth2(_) = credentials {
        return match bearer::usable(&mechanisms).into_iter().next() {
            Some(mechanism) => Ok(Method::Sasl(mechanism)),
            None => Err(EngineError::NoUsableAuthMechanism {
                target: session.conn.target.clone(),
                offered: protocol::names(&mechanisms),
            }),
        };
    }
    if mechanisms.contains(&Mechanism::Plain) {
        Ok(Method::Sasl(Mechanism::Plain))
    } else if !caps.supported || caps.user {
        Ok(Method::Command)
    } else if !session.encrypted {
        Err(EngineError::EncryptionRequired { target: session.conn.target.clone() })
    } else {
        Err(EngineError::NoUsableAuthMechanism {
            target: session.conn.target.clone(),
            offered: protocol::names(&mechanisms),
        })
    }
}

/// POP3's side of the sign-in loop: one connection, opened again once when the server closes
/// it after a refusal.
pub(super) struct Pop3Attempts<'a> {
    pub(super) dial: &'a Dial<'a>,
    pub(super) redactor: Arc<Redactor>,
    pub(super) credentials: &'a Credentials,
    pub(super) target: &'a str,
    pub(super) session: Session,
    /// No attempt has been refused on this connection yet.
    pub(super) fresh: bool,
}

impl Attempts for Pop3Attempts<'_> {
    async fn attempt(&mut self, username: &str, method: &Method) -> Result<Attempt> {
        let (target, progress) = (self.target, self.dial.progress);
        let outcome = with_deadline(
            Stage::SigningIn,
            target,
            self.dial.deadlines.command,
            authenticate(&mut self.session.conn, method, username, self.credentials),
        )
        .await;
        match outcome {
            Ok(Ok(())) => Ok(Attempt::Accepted),
            Ok(Err(said)) => {
                if let Some((code, temporary)) = not_about_credentials(&said) {
                    // The server got past the password and refused for another reason: trying
                    // another username would not help, and "wrong password" would mislead.
                    progress.emit(
                        Stage::SigningIn,
                        StageState::Failed,
                        Some(target),
                        Some(format!("[{}]", code.name())),
                    );
                    let (stage, target) = (Stage::SigningIn, target.to_owned());
                    return Err(if temporary {
                        EngineError::TemporaryFailure { stage, target, server_said: said }
                    } else {
                        EngineError::ServerRefused { stage, target, server_said: said }
                    });
                }
                self.fresh = false;
                Ok(Attempt::Refused(said))
            }
            // RFC 1939 lets a server close the connection after a failed sign-in (many do after
            // one or a few). The next username then gets a new connection, once.
            Err(EngineError::ConnectionClosed { .. }) if !self.fresh => {
                progress.emit(
                    Stage::SigningIn,
                    StageState::Update,
                    Some(target),
                    Some("the server closed the connection after the refusal; connecting again".into()),
                );
                self.session = open(self.dial, self.redactor.clone()).await?;
                self.fresh = true;
                Ok(Attempt::Again)
            }
            Err(e) => {
                progress.emit(Stage::SigningIn, StageState::Failed, Some(target), None);
                Err(e)
            }
        }
    }
}

/// One sign-in attempt: `Ok(Ok(()))` signed in, `Ok(Err(server's words))` refused. Every copy
/// of the password made here (the SASL message, its base64 form, the command lines) is built at
/// its final size in a `Zeroizing` buffer, so it is wiped when dropped and no reallocation leaves
/// a stray copy behind; none ever appears in an error.
pub(super) async fn authenticate(
    conn: &mut Conn,
    method: &Method,
    username: &str,
    credentials: &Credentials,
) -> Result<std::result::Result<(), String>> {
    let stage = Stage::SigningIn;
    let unexpected = |conn: &Conn, what: &str| EngineError::Protocol {
        stage,
        target: conn.target.clone(),
        message: what.to_owned(),
    };
    let reply = match (method, credentials) {
        (Method::Sasl(mechanism), _) => {
            let message = match credentials {
                // RFC 4616: authzid (empty: act as ourselves) NUL authcid NUL password.
                Credentials::Password(password) => secret_line(&["\0", username, "\0", password.expose()]),
                Credentials::OAuth2(grant) => bearer::message(mechanism, username, grant.access_token()?)
                    .ok_or_else(|| unexpected(conn, "a bearer token cannot be sent with this mechanism"))?,
            };
            let response = bearer::base64(&message);
            drop(message);
            let with_initial = secret_line(&["AUTH ", mechanism.name(), " ", &response]);
            let mut reply = if with_initial.len() + 2 <= MAX_AUTH_COMMAND {
                conn.send_secret(&with_initial, stage).await?;
                conn.read_reply(stage).await?
            } else {
                conn.send(&format!("AUTH {}", mechanism.name()), stage).await?;
                match conn.read_reply(stage).await? {
                    Reply::Continue(_) => {
                        conn.send_secret(&secret_line(&[&response]), stage).await?;
                        conn.read_reply(stage).await?
                    }
                    other => other,
                }
            };
            if let Reply::Continue(challenge) = &reply {
                // PLAIN has one message; a further challenge is not PLAIN. Cancel (RFC 5034
                // section 4). After a bearer message the challenge is the server's error status;
                // the acknowledgement lets it end with -ERR (RFC 7628 section 3.2.3), and the
                // status and scope follow the server's words.
                let error_challenge = ErrorChallenge::from_base64(challenge);
                let answer = match credentials {
                    Credentials::Password(_) => "*",
                    Credentials::OAuth2(_) => bearer::error_acknowledgement(mechanism),
                };
                conn.send(answer, stage).await?;
                reply = match conn.read_reply(stage).await? {
                    Reply::Err(said) => Reply::Err(ErrorChallenge::append_to(error_challenge.as_ref(), said)),
                    other => other,
                };
            }
            reply
        }
        (Method::Command, Credentials::OAuth2(_)) => {
            return Err(unexpected(conn, "a bearer token cannot be sent with USER/PASS"));
        }
        (Method::Command, Credentials::Password(password)) => {
            match conn.command(&format!("USER {username}"), stage).await? {
                // Some servers refuse an unknown user at USER already.
                Reply::Err(said) => return Ok(Err(said)),
                Reply::Continue(_) => return Err(unexpected(conn, "unexpected \"+\" after USER")),
                Reply::Ok(_) => {
                    conn.send_secret(&secret_line(&["PASS ", password.expose()]), stage).await?;
                    conn.read_reply(stage).await?
                }
            }
        }
    };
    match reply {
        Reply::Ok(_) => Ok(Ok(())),
        Reply::Err(said) => Ok(Err(said)),
        Reply::Continue(_) => Err(unexpected(conn, "the server kept asking for more during sign-in")),
    }
}

/// The response codes of an -ERR, read once from the start of its text (`-ERR [IN-USE] ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ResponseCode {
    /// The mailbox is locked by another client (RFC 2449 section 8.1.1).
    InUse,
    /// The server limits how often one may sign in (RFC 2449 section 8.1.2).
    LoginDelay,
    /// A temporary system error (RFC 3206 section 4).
    SysTemp,
    /// A permanent system error (RFC 3206 section 4).
    SysPerm,
    /// The credentials themselves were refused (RFC 3206 section 5).
    Auth,
    /// Another code, upper-cased.
    Other(String),
}

impl ResponseCode {
    pub(super) fn of(said: &str) -> Option<ResponseCode> {
        let code = said.strip_prefix('[')?.split(']').next()?.to_ascii_uppercase();
        Some(match code.as_str() {
            "IN-USE" => ResponseCode::InUse,
            "LOGIN-DELAY" => ResponseCode::LoginDelay,
            "SYS/TEMP" => ResponseCode::SysTemp,
            "SYS/PERM" => ResponseCode::SysPerm,
            "AUTH" => ResponseCode::Auth,
            _ => ResponseCode::Other(code),
        })
    }

    /// The code as servers write it.
    pub(super) fn name(&self) -> &str {
        match self {
            ResponseCode::InUse => "IN-USE",
            ResponseCode::LoginDelay => "LOGIN-DELAY",
            ResponseCode::SysTemp => "SYS/TEMP",
            ResponseCode::SysPerm => "SYS/PERM",
            ResponseCode::Auth => "AUTH",
            ResponseCode::Other(code) => code,
        }
    }
}

/// Response codes that say the credentials are not the problem, with whether the trouble is
/// passing: IN-USE, LOGIN-DELAY and SYS/TEMP go away by waiting, so they are never a wrong
/// password; only SYS/PERM is lasting.
pub(super) fn not_about_credentials(said: &str) -> Option<(ResponseCode, bool)> {
    let code = ResponseCode::of(said)?;
    let temporary = match code {
        ResponseCode::InUse | ResponseCode::LoginDelay | ResponseCode::SysTemp => true,
        ResponseCode::SysPerm => false,
        ResponseCode::Auth | ResponseCode::Other(_) => return None,
    };
    Some((code, temporary))
}

/// One line of a sign-in, built at its final size in a buffer that is wiped
/// when dropped, so the password leaves no unwiped copy behind in freed memory.
pub(super) fn secret_line(parts: &[&str]) -> Zeroizing<String> {
    let mut line = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    parts.iter().for_each(|p| line.push_str(p));
    line
}
