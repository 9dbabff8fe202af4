//! POP3 sign-in: SASL PLAIN (RFC 5034, RFC 4616) or USER/PASS (RFC 1939 section 7), through
//! the protocols' one sign-in loop ([`crate::protocol::sign_in`]).

use super::wire::*;
use super::{open, Session, MAX_AUTH_COMMAND};
use crate::error::{EngineError, Result};
use crate::net::{with_deadline, Dial};
use crate::progress::{Stage, StageState};
use crate::protocol::sign_in::{Attempt, Attempts};
use crate::protocol::{self, Mechanism, Method};
use crate::secrets::Secret;
use crate::server_text::Redactor;
use base64::Engine as _;
use std::sync::Arc;
use zeroize::Zeroizing;

/// SASL PLAIN when CAPA lists it (one round trip, and it is the standard), USER/PASS when CAPA
/// lists USER or is not supported at all.
pub(super) fn choose_method(session: &Session) -> Result<Method> {
    let caps = &session.capabilities;
    let mechanisms = caps.sasl_mechanisms();
    if mechanisms.contains(&Mechanism::Plain) {
        Ok(Method::Sasl(Mechanism::Plain))
    } else if !caps.supported || caps.has("USER") {
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
    pub(super) password: &'a Secret,
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
            authenticate(&mut self.session.conn, method, username, self.password),
        )
        .await;
        match outcome {
            Ok(Ok(())) => Ok(Attempt::Accepted),
            Ok(Err(said)) => {
                if let Some((code, temporary)) = not_about_credentials(&said) {
                    // The server got past the password and refused for another reason: trying
                    // another username would not help, and "wrong password" would mislead.
                    progress.emit(Stage::SigningIn, StageState::Failed, Some(target), Some(format!("[{code}]")));
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
    password: &Secret,
) -> Result<std::result::Result<(), String>> {
    let stage = Stage::SigningIn;
    let unexpected = |conn: &Conn, what: &str| EngineError::Protocol {
        stage,
        target: conn.target.clone(),
        message: what.to_owned(),
    };
    let reply = match method {
        Method::Sasl(_) => {
            // RFC 4616: authzid (empty: act as ourselves) NUL authcid NUL password.
            let message = secret_line(&["\0", username, "\0", password.expose()]);
            let engine = &base64::engine::general_purpose::STANDARD;
            let mut response =
                Zeroizing::new(String::with_capacity(base64::encoded_len(message.len(), true).unwrap_or(0)));
            engine.encode_string(message.as_bytes(), &mut response);
            drop(message);
            let with_initial = secret_line(&["AUTH PLAIN ", &response]);
            let mut reply = if with_initial.len() + 2 <= MAX_AUTH_COMMAND {
                conn.send_secret(&with_initial, stage).await?;
                conn.read_reply(stage).await?
            } else {
                conn.send("AUTH PLAIN", stage).await?;
                match conn.read_reply(stage).await? {
                    Reply::Continue => {
                        conn.send_secret(&secret_line(&[&response]), stage).await?;
                        conn.read_reply(stage).await?
                    }
                    other => other,
                }
            };
            if reply == Reply::Continue {
                // PLAIN has one message; a further challenge is not PLAIN. Cancel (RFC 5034 section 4).
                conn.send("*", stage).await?;
                reply = conn.read_reply(stage).await?;
            }
            reply
        }
        Method::Command => match conn.command(&format!("USER {username}"), stage).await? {
            // Some servers refuse an unknown user at USER already.
            Reply::Err(said) => return Ok(Err(said)),
            Reply::Continue => return Err(unexpected(conn, "unexpected \"+\" after USER")),
            Reply::Ok(_) => {
                conn.send_secret(&secret_line(&["PASS ", password.expose()]), stage).await?;
                conn.read_reply(stage).await?
            }
        },
    };
    match reply {
        Reply::Ok(_) => Ok(Ok(())),
        Reply::Err(said) => Ok(Err(said)),
        Reply::Continue => Err(unexpected(conn, "the server kept asking for more during sign-in")),
    }
}

/// Response codes that say the credentials are not the problem, with whether the trouble is
/// passing: the mailbox is locked by another client (IN-USE) or the server limits how often one
/// may sign in (LOGIN-DELAY), both RFC 2449 section 8; a temporary or permanent system error
/// (SYS/TEMP, SYS/PERM, RFC 3206 section 4). Only SYS/PERM is lasting; the others go away by
/// waiting, so they are never a wrong password.
pub(super) fn not_about_credentials(said: &str) -> Option<(String, bool)> {
    let code = said.strip_prefix('[')?.split(']').next()?.to_ascii_uppercase();
    let temporary = match code.as_str() {
        "IN-USE" | "LOGIN-DELAY" | "SYS/TEMP" => true,
        "SYS/PERM" => false,
        _ => return None,
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
