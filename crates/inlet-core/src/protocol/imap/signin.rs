//! IMAP sign-in: AUTHENTICATE PLAIN (RFC 3501 6.2.2, RFC 4616) when offered, LOGIN otherwise,
//! or a bearer token by AUTHENTICATE OAUTHBEARER (RFC 7628) or XOAUTH2, with the SASL message on
//! the command line when the server allows it (SASL-IR, RFC 4959), through the protocols' one
//! sign-in loop ([`crate::protocol::sign_in`]).

use super::wire::*;
use super::{ask_capabilities, Capabilities, Connected, SignedIn};
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::progress::{Progress, Stage, StageState};
use crate::protocol::bearer::ErrorChallenge;
use crate::protocol::sign_in::{self, Attempt, Attempts};
use crate::protocol::{self, bearer, Mechanism, Method};
use crate::secrets::{Credentials, Secret};
use crate::server_text::Redactor;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use imap_proto::{RequestId, Response};
use zeroize::Zeroizing;

/// Signs in with the first username the server accepts. With a password: AUTHENTICATE PLAIN
/// when advertised, LOGIN otherwise (RFC 3501 6.2.3), never LOGIN when the server disabled it.
/// With an OAuth2 grant: AUTHENTICATE OAUTHBEARER (RFC 7628) or XOAUTH2, whichever the server
/// offers. A temporary failure of the server (`NO [UNAVAILABLE]`) ends the attempts: another
/// username would meet it too.
///
/// Copies of the secret: the caller's [`Secret`], the redactor's forms and the command buffers
/// built here are all wiped when dropped. What remains is outside our reach: rustls's record
/// buffers on the way out (or the kernel's socket buffers on a plain connection), and any echo of
/// it by the server, which sits in our read buffers until the next answers overwrite it.
pub async fn sign_in(
    connected: Connected,
    usernames: &[String],
    credentials: &Credentials,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<SignedIn> {
    let Connected { mut connection, capabilities, address, target, encrypted } = connected;
    let no_method = || EngineError::NoUsableAuthMechanism {
        target: target.clone(),
        offered: protocol::names(&capabilities.auth_mechanisms()),
    };
    let mut redactor = Redactor::new();
    let method = match credentials {
        Credentials::Password(password) => {
            let use_plain = capabilities.auth.contains(&Mechanism::Plain);
            if !use_plain && capabilities.login_disabled {
                return Err(no_method());
            }
            // Every form of the password a server could quote back: as typed, in base64, in each
            // SASL PLAIN message, and escaped as LOGIN sends it.
            redactor.add_secret(password.expose());
            if !use_plain {
                redactor.add_secret(&quoted_inside(password.expose()));
            }
            if use_plain {
                Method::Sasl(Mechanism::Plain)
            } else {
                Method::Command
            }
        }
        Credentials::OAuth2(grant) => {
            grant.access_token()?;
            match bearer::usable(&capabilities.auth_mechanisms()).into_iter().next() {
                Some(mechanism) => Method::Sasl(mechanism),
                None => return Err(no_method()),
            }
        }
    };
    // The SASL message goes on the command line itself when the server allows (RFC 4959),
    // instead of after a round trip for its empty challenge.
    let initial_response = capabilities.sasl_ir;
    let mut attempts = ImapAttempts {
        connection: &mut connection,
        target: &target,
        deadlines,
        redactor: &mut redactor,
        credentials,
        progress,
        initial_response,
        announced: None,
    };
    let username = sign_in::sign_in(&target, usernames, &[method], progress, &mut attempts).await?;
    let announced = attempts.announced.take();
    let conversation = Conversation { target: &target, deadlines, redactor: &redactor };
    // Servers may announce more after sign-in (RFC 3501 7.2.1); most say it in the tagged OK
    // itself (RFC 3501 7.1), which saves a round trip.
    let capabilities = match announced {
        Some(announced) => announced,
        None => ask_capabilities(&mut connection, &conversation).await?,
    };
    Ok(SignedIn { session: connection, capabilities, address, target, username, encrypted, redactor })
}

/// IMAP's side of the sign-in loop: AUTHENTICATE or LOGIN on the one connection.
pub(super) struct ImapAttempts<'a> {
    connection: &'a mut ImapConnection,
    target: &'a str,
    deadlines: &'a Deadlines,
    redactor: &'a mut Redactor,
    credentials: &'a Credentials,
    progress: &'a Progress<'a>,
    /// The server offers SASL-IR (RFC 4959): PLAIN's message goes on the AUTHENTICATE line.
    initial_response: bool,
    /// The capabilities the server announced in its OK to the accepted attempt, if it did.
    announced: Option<Capabilities>,
}

impl Attempts for ImapAttempts<'_> {
    async fn prepare(&mut self, username: &str) -> Result<()> {
        match self.credentials {
            Credentials::Password(password) => self.redactor.add_sasl_plain(username, password.expose()),
            Credentials::OAuth2(grant) => bearer::redact(self.redactor, username, grant.access_token()?),
        }
        Ok(())
    }

    async fn attempt(&mut self, username: &str, method: &Method) -> Result<Attempt> {
        let (target, deadlines, credentials) = (self.target, self.deadlines, self.credentials);
        let initial_response = self.initial_response;
        let conversation = Conversation { target, deadlines, redactor: self.redactor };
        let connection = &mut *self.connection;
        let attempt = async {
            match (credentials, method) {
                (Credentials::Password(password), Method::Sasl(Mechanism::Plain)) => {
                    let line = plain_message_line(username, password);
                    authenticate(connection, &Mechanism::Plain, &line, b"*\r\n", initial_response, &conversation).await
                }
                (Credentials::Password(password), _) => login(connection, username, password, &conversation).await,
                (Credentials::OAuth2(grant), Method::Sasl(mechanism)) => {
                    let message = bearer::message(mechanism, username, grant.access_token()?).ok_or_else(|| {
                        EngineError::NoUsableAuthMechanism {
                            target: target.to_owned(),
                            offered: vec![mechanism.name().to_owned()],
                        }
                    })?;
                    let line = secret_line(&bearer::base64(&message));
                    let decline = format!("{}\r\n", bearer::error_acknowledgement(mechanism));
                    authenticate(connection, mechanism, &line, decline.as_bytes(), initial_response, &conversation)
                        .await
                }
                (Credentials::OAuth2(_), Method::Command) => {
                    Err(EngineError::NoUsableAuthMechanism { target: target.to_owned(), offered: Vec::new() })
                }
            }
        };
        let done = match tokio::time::timeout(deadlines.command, attempt).await {
            Ok(done) => done?,
            Err(_) => {
                return Err(EngineError::TimedOut {
                    stage: Stage::SigningIn,
                    target: target.to_owned(),
                    seconds: deadlines.command.as_secs().max(1),
                })
            }
        };
        match done.verdict {
            Verdict::Ok => {
                self.announced = done.capabilities;
                Ok(Attempt::Accepted)
            }
            Verdict::No if done.is_temporary_failure() => {
                self.progress.emit(Stage::SigningIn, StageState::Failed, Some(target), None);
                Err(done.refused(Stage::SigningIn, &conversation))
            }
            Verdict::No => Ok(Attempt::Refused(done.shown(&conversation))),
            // BAD: the server did not understand the command; another username would not help.
            Verdict::Bad => Err(done.refused(Stage::SigningIn, &conversation)),
        }
    }
}

/// AUTHENTICATE (RFC 3501 6.2.2) with a one-message mechanism: the command, the server's empty
/// challenge, our `line` (base64, CRLF-ended); then the tagged end. With `initial_response` (the
/// server offers SASL-IR, RFC 4959) the message travels on the command line and no challenge is
/// awaited. A further challenge is answered with `decline`: `*` cancels PLAIN (the server then
/// ends with BAD); after a bearer message it carries the server's error status, and the
/// acknowledgement lets the server end with NO (RFC 7628 section 3.2.3), a refusal like any other.
pub(super) async fn authenticate(
    connection: &mut ImapConnection,
    mechanism: &Mechanism,
    line: &[u8],
    decline: &[u8],
    initial_response: bool,
    conversation: &Conversation<'_>,
) -> Result<Completion> {
    enum Step {
        Challenge(Option<String>),
        Done(Completion),
        Other,
    }
    let io = |e| io_error(e, Stage::SigningIn, conversation.target);
    let (tag, mut answered) = if initial_response {
        let tag = connection.new_tag();
        let command = format!("{} AUTHENTICATE {} ", tag.0, mechanism.name());
        // Sized up front so it is never reallocated, and wiped when dropped.
        let mut whole = Zeroizing::new(Vec::with_capacity(command.len() + line.len()));
        whole.extend_from_slice(command.as_bytes());
        whole.extend_from_slice(line);
        connection.write(&whole).await.map_err(io)?;
        (tag, true)
    } else {
        (connection.send(&format!("AUTHENTICATE {}", mechanism.name())).await.map_err(io)?, false)
    };
    let mut error_challenge: Option<ErrorChallenge> = None;
    loop {
        let step = connection
            .next(|response| match response {
                Response::Continue(outcome) => Step::Challenge(outcome.information.as_deref().map(str::to_owned)),
                Response::Done { tag: done, status, outcome } if *done == tag => {
                    Step::Done(completion(status, outcome))
                }
                _ => Step::Other,
            })
            .await
            .map_err(io)?;
        match step {
            None => {
                return Err(EngineError::ConnectionClosed {
                    stage: Stage::SigningIn,
                    target: conversation.target.to_owned(),
                })
            }
            Some(Step::Done(mut done)) => {
                // The error challenge's status and scope follow the server's NO (RFC 7628 3.2.2).
                done.said = ErrorChallenge::append_to(error_challenge.as_ref(), done.said);
                return Ok(done);
            }
            Some(Step::Challenge(_)) if !answered => {
                connection.write(line).await.map_err(io)?;
                answered = true;
            }
            Some(Step::Challenge(text)) => {
                error_challenge = text.as_deref().and_then(ErrorChallenge::from_base64);
                connection.write(decline).await.map_err(io)?
            }
            Some(Step::Other) => {}
        }
    }
}

/// A base64 message and CRLF, in a buffer sized up front and wiped when dropped.
fn secret_line(base64: &str) -> Zeroizing<Vec<u8>> {
    let mut line = Zeroizing::new(Vec::with_capacity(base64.len() + 2));
    line.extend_from_slice(base64.as_bytes());
    line.extend_from_slice(b"\r\n");
    line
}

/// The SASL PLAIN message (RFC 4616: authzid NUL authcid NUL password, no authzid here), in
/// base64 and ended by CRLF. Both buffers are sized up front, so neither is reallocated (which
/// would leave an unwiped copy behind), and wiped when dropped.
pub(super) fn plain_message_line(username: &str, password: &Secret) -> Zeroizing<Vec<u8>> {
    let secret = password.expose().as_bytes();
    let mut message = Zeroizing::new(Vec::with_capacity(username.len() + secret.len() + 2));
    message.push(0);
    message.extend_from_slice(username.as_bytes());
    message.push(0);
    message.extend_from_slice(secret);
    let encoded = base64::encoded_len(message.len(), true).expect("a sign-in message is far below usize::MAX bytes");
    let mut line = Zeroizing::new(vec![0u8; encoded + 2]);
    BASE64.encode_slice(message.as_slice(), &mut line[..encoded]).expect("the buffer is sized by encoded_len");
    line[encoded..].copy_from_slice(b"\r\n");
    line
}

/// LOGIN with both arguments as quoted strings (RFC 3501 6.2.3, 4.3).
pub(super) async fn login(
    connection: &mut ImapConnection,
    username: &str,
    password: &Secret,
    conversation: &Conversation<'_>,
) -> Result<Completion> {
    // A quoted string cannot carry CR, LF or NUL; refused before anything is sent.
    for (field, value) in [("username", username), ("password", password.expose())] {
        if value.contains(['\r', '\n', '\0']) {
            return Err(EngineError::InvalidInput {
                field,
                message: format!("the {field} contains a line break or NUL, which IMAP LOGIN cannot send"),
            });
        }
    }
    let tag = connection.new_tag();
    let line = login_line(&tag, username, password);
    let io = |e| io_error(e, Stage::SigningIn, conversation.target);
    connection.write(&line).await.map_err(io)?;
    connection.finish(&tag, Stage::SigningIn, conversation, |_| Ok(())).await
}

/// `<tag> LOGIN "<username>" "<password>"` CRLF in one buffer, sized up front (every character
/// could need escaping) so it is never reallocated, and wiped when dropped.
pub(super) fn login_line(tag: &RequestId, username: &str, password: &Secret) -> Zeroizing<Vec<u8>> {
    let password = password.expose();
    let most = tag.0.len() + " LOGIN ".len() + 2 * username.len() + 2 + 1 + 2 * password.len() + 2 + 2;
    let mut line = Zeroizing::new(Vec::with_capacity(most));
    line.extend_from_slice(tag.0.as_bytes());
    line.extend_from_slice(b" LOGIN ");
    for (i, value) in [username, password].into_iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        line.push(b'"');
        for &b in value.as_bytes() {
            if b == b'"' || b == b'\\' {
                line.push(b'\\');
            }
            line.push(b);
        }
        line.push(b'"');
    }
    line.extend_from_slice(b"\r\n");
    line
}

/// What LOGIN puts between the quotes for `value` (RFC 3501 4.3): `"` and `\` escaped. Wiped when
/// dropped; sized up front so it is never reallocated.
pub(super) fn quoted_inside(value: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(2 * value.len()));
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
