//! SMTP sign-in through the protocols' one sign-in loop ([`crate::protocol::sign_in`]): lettre's
//! AUTH for passwords (PLAIN or LOGIN, RFC 4954), our own AUTH exchange for bearer tokens
//! (OAUTHBEARER RFC 7628, XOAUTH2).

use super::wire::*;
use super::{quit, Client, Session};
use crate::error::Result;
use crate::progress::{Stage, StageState};
use crate::protocol::bearer::{self, ErrorChallenge};
use crate::protocol::sign_in::{Attempt, Attempts};
use crate::protocol::{Mechanism, Method};
use crate::secrets::{Credentials, Secret};
use crate::server_text::shown;
use lettre::transport::smtp::authentication::{Credentials as LettreCredentials, Mechanism as LettreMechanism};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use zeroize::Zeroizing;

/// SMTP's side of the sign-in loop: lettre's AUTH, on a new connection when lettre dropped the
/// last one (a failed AUTH LOGIN does; PLAIN may retry on the same one).
pub(super) struct SmtpAttempts<'a> {
    pub(super) client: &'a Client<'a>,
    pub(super) credentials: &'a Credentials,
    pub(super) target: &'a str,
    pub(super) session: Option<Session>,
}

impl Attempts for SmtpAttempts<'_> {
    async fn prepare(&mut self, _username: &str) -> Result<()> {
        let s = match self.session.take() {
            Some(s) if !s.conn.has_broken() => s,
            _ => self.client.open().await?,
        };
        self.client.may_sign_in(&s, self.credentials)?;
        self.session = Some(s);
        Ok(())
    }

    async fn attempt(&mut self, username: &str, method: &Method) -> Result<Attempt> {
        let (dial, target, redactor) = (self.client.dial, self.target, self.client.redactor);
        let s = self.session.as_mut().expect("prepared before each attempt");
        if let (Credentials::OAuth2(grant), Method::Sasl(mechanism)) = (self.credentials, method) {
            let exchange = bearer_auth(&mut s.conn, mechanism, username, grant.access_token()?);
            let failed = || dial.progress.emit(Stage::SigningIn, StageState::Failed, Some(target), None);
            return match tokio::time::timeout(dial.deadlines.command, exchange).await {
                Err(_) => {
                    failed();
                    Err(timed_out(Stage::SigningIn, target, dial.deadlines.command))
                }
                Ok(BearerReply::Accepted) => Ok(Attempt::Accepted),
                // 535 5.7.8 after the error challenge (RFC 7628 section 3.2.3): this token is
                // refused; the challenge's status and scope go with the server's words.
                Ok(BearerReply::Failed(e, challenge))
                    if e.status().map(ReplyCode::from) == Some(ReplyCode::AUTH_CREDENTIALS_INVALID) =>
                {
                    Ok(Attempt::Refused(shown(
                        &ErrorChallenge::append_to(challenge.as_ref(), server_said(&e, redactor)),
                        redactor,
                    )))
                }
                Ok(BearerReply::Failed(e, _)) => {
                    failed();
                    Err(lettre_error(e, Stage::SigningIn, target, redactor))
                }
                Ok(BearerReply::Unexpected(what)) => {
                    failed();
                    Err(protocol(Stage::SigningIn, target, what))
                }
            };
        }
        let (chosen, fallbacks): (_, &[LettreMechanism]) = match method {
            Method::Sasl(Mechanism::Login) => {
                (LettreMechanism::Login, &[LettreMechanism::Plain, LettreMechanism::Login])
            }
            _ => (LettreMechanism::Plain, &[LettreMechanism::Plain, LettreMechanism::Login]),
        };
        // lettre's `Credentials` holds a plain `String` it never wipes, and `auth` makes more
        // unwiped copies inside lettre for each AUTH line: a clone of the credentials, the
        // SASL response, its base64 form and the command line written to the stream. lettre
        // offers no way to supply or wipe those buffers, and writing AUTH by hand through
        // `command` would still leave its `to_string` copy, so these copies remain; they
        // live only for this one attempt: the credentials are made right before `auth`
        // and dropped right after, per username, and the password is copied into them once,
        // at its exact size, so no reallocation leaves another copy behind.
        let secret = match self.credentials {
            Credentials::Password(password) => password,
            Credentials::OAuth2(grant) => grant.access_token()?,
        };
        let lettre_credentials = LettreCredentials::new(username.to_owned(), secret.expose().to_owned());
        let mechanisms: Vec<LettreMechanism> = std::iter::once(chosen).chain(fallbacks.iter().copied()).collect();
        let attempt = tokio::time::timeout(dial.deadlines.command, s.conn.auth(&mechanisms, &lettre_credentials)).await;
        drop(lettre_credentials);
        match attempt {
            Err(_) => {
                dial.progress.emit(Stage::SigningIn, StageState::Failed, Some(target), None);
                Err(timed_out(Stage::SigningIn, target, dial.deadlines.command))
            }
            Ok(Ok(_)) => Ok(Attempt::Accepted),
            // 535 5.7.8: these credentials are wrong (RFC 4954 section 6); try the next username.
            Ok(Err(e)) if e.status().map(ReplyCode::from) == Some(ReplyCode::AUTH_CREDENTIALS_INVALID) => {
                Ok(Attempt::Refused(server_said(&e, redactor)))
            }
            // Anything else ends the attempts. A 4xx reply (454 4.7.0 "temporary authentication
            // failure", RFC 4954 section 6; any 4.x.x, RFC 3463) becomes a TemporaryFailure in
            // `lettre_error`: the server's trouble, never a wrong password, and another
            // username would not fare better.
            Ok(Err(e)) => {
                dial.progress.emit(Stage::SigningIn, StageState::Failed, Some(target), None);
                Err(lettre_error(e, Stage::SigningIn, target, redactor))
            }
        }
    }

    async fn give_up(&mut self) {
        if let Some(mut s) = self.session.take() {
            quit(&mut s).await;
        }
    }
}

/// How a bearer AUTH exchange ended.
enum BearerReply {
    Accepted,
    /// A negative reply, with the error challenge that came before it, if one did.
    Failed(lettre::transport::smtp::Error, Option<ErrorChallenge>),
    /// Not an SMTP AUTH exchange (a further challenge after the acknowledgement).
    Unexpected(String),
}

/// AUTH with a bearer token (RFC 4954 with the message as initial response), written here
/// rather than through lettre's `auth`: lettre knows XOAUTH2 only, not OAUTHBEARER, and answers
/// a server's error challenge with a client error of its own instead of the acknowledgement RFC
/// 7628 section 3.2.3 requires (an empty response, or %x01 for OAUTHBEARER), so the server's 535
/// and the challenge's status and scope would be lost. lettre's `command` still formats the line
/// into an unwiped `String` of its own (see the password path above); ours is wiped.
async fn bearer_auth(
    conn: &mut AsyncSmtpConnection,
    mechanism: &Mechanism,
    username: &str,
    token: &Secret,
) -> BearerReply {
    let Some(message) = bearer::message(mechanism, username, token) else {
        return BearerReply::Unexpected(format!("{} cannot carry a bearer token", mechanism.name()));
    };
    let encoded = bearer::base64(&message);
    drop(message);
    let mut line = Zeroizing::new(String::with_capacity(encoded.len() + mechanism.name().len() + 8));
    line.push_str("AUTH ");
    line.push_str(mechanism.name());
    line.push(' ');
    line.push_str(&encoded);
    line.push_str("\r\n");
    drop(encoded);
    let response = match conn.command(line.as_str()).await {
        Ok(response) => response,
        Err(e) => return BearerReply::Failed(e, None),
    };
    drop(line);
    if !response.has_code(334) {
        return BearerReply::Accepted;
    }
    let challenge = ErrorChallenge::from_base64(&response.message().collect::<String>());
    match conn.command(format!("{}\r\n", bearer::error_acknowledgement(mechanism))).await {
        Err(e) => BearerReply::Failed(e, challenge),
        Ok(r) if r.has_code(334) => {
            BearerReply::Unexpected("the server asked for more after the bearer token's error challenge".into())
        }
        // A success after an error challenge: the server decided after all.
        Ok(_) => BearerReply::Accepted,
    }
}
