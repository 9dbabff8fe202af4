//! SMTP sign-in: lettre's AUTH (PLAIN or LOGIN, RFC 4954) through the protocols' one sign-in
//! loop ([`crate::protocol::sign_in`]).

use super::wire::*;
use super::{quit, Client, Session};
use crate::error::Result;
use crate::progress::{Stage, StageState};
use crate::protocol::sign_in::{Attempt, Attempts};
use crate::protocol::{Mechanism, Method};
use crate::secrets::Credentials;
use lettre::transport::smtp::authentication::{Credentials as LettreCredentials, Mechanism as LettreMechanism};

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
        let (chosen, fallbacks): (_, &[LettreMechanism]) = match method {
            Method::Sasl(Mechanism::XOAuth2) => (LettreMechanism::Xoauth2, &[]),
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
        // The same holds for an access token (lettre's XOAUTH2 takes it as the "password").
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
                let said = server_said(&e, redactor);
                let code = crate::error::ServerCode::smtp_from_shown(&said);
                Ok(Attempt::Refused(said, code))
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
