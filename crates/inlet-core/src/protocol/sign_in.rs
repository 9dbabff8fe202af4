//! The one sign-in loop of every protocol: each username variant (the address, its local part,
//! what the provider says) × each method the server offers, in order, until one is accepted.
//! A refusal of these credentials moves on; anything else (a temporary failure, a broken
//! connection, a deadline) ends the attempts with its own error, since another username would
//! meet it too. The progress of the sign-in stage is reported here, the same for every protocol.

use super::Method;
use crate::diagnose::catalog;
use crate::error::{EngineError, Result, ServerCode};
use crate::progress::{AttemptNote, Progress, Stage, StageState};

/// How one attempt ended, as far as the loop needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Signed in.
    Accepted,
    /// These credentials were refused: the server's words, made safe to show, and its typed code.
    Refused(String, ServerCode),
    /// Nothing was decided (the protocol reconnected): the same username and method again.
    Again,
}

/// One protocol's side of the loop.
pub(crate) trait Attempts {
    /// Before each attempt, before it is announced: make the connection ready (reconnect, check
    /// that a password may be sent on it). An error ends the attempts.
    async fn prepare(&mut self, _username: &str) -> Result<()> {
        Ok(())
    }

    /// Tries `username` with `method`. An error ends the attempts; the protocol reports the
    /// stage as failed first where it should.
    async fn attempt(&mut self, username: &str, method: &Method) -> Result<Attempt>;

    /// Every username was refused: called before the stage is reported failed (say goodbye).
    async fn give_up(&mut self) {}
}

/// Signs in as the first username the server accepts; returns it. Every username is tried with
/// each of `methods` in turn. All refused: [`EngineError::AuthenticationFailed`] with the
/// usernames tried and the server's words: the first refusal that says more than "wrong
/// credentials" (an app password required, too many connections...), else the last. So a
/// telling refusal of the address is not hidden by the plain refusal of its local part.
pub(crate) async fn sign_in(
    target: &str,
    usernames: &[String],
    methods: &[Method],
    progress: &Progress<'_>,
    attempts: &mut impl Attempts,
) -> Result<String> {
    let mut tried: Vec<String> = Vec::new();
    let mut last: (String, ServerCode) = (String::new(), ServerCode::None);
    let mut telling: Option<(String, ServerCode)> = None;
    for username in usernames {
        for method in methods {
            loop {
                attempts.prepare(username).await?;
                progress.note(AttemptNote::SignInTried {
                    target: target.to_owned(),
                    username: username.clone(),
                    mechanism: match method {
                        Method::Sasl(mechanism) => Some(mechanism.name().to_owned()),
                        Method::Command => None,
                    },
                });
                progress.emit(Stage::SigningIn, StageState::Started, Some(target), Some(format!("as {username}")));
                match attempts.attempt(username, method).await? {
                    Attempt::Accepted => {
                        progress.emit(
                            Stage::SigningIn,
                            StageState::Done,
                            Some(target),
                            Some(format!("signed in as {username}")),
                        );
                        return Ok(username.clone());
                    }
                    Attempt::Refused(said, code) => {
                        if !tried.contains(username) {
                            tried.push(username.clone());
                        }
                        progress.emit(
                            Stage::SigningIn,
                            StageState::Update,
                            Some(target),
                            Some(format!("refused as {username}")),
                        );
                        if telling.is_none() && catalog::tells_more_than_wrong_credentials(&code, &said) {
                            telling = Some((said.clone(), code.clone()));
                        }
                        last = (said, code);
                        break;
                    }
                    Attempt::Again => {}
                }
            }
        }
    }
    attempts.give_up().await;
    progress.emit(Stage::SigningIn, StageState::Failed, Some(target), None);
    let (server_said, code) = telling.unwrap_or(last);
    Err(EngineError::AuthenticationFailed { target: target.to_owned(), tried, server_said, code })
}
