//! SMTP on the wire: the part of the dialogue spoken by hand before lettre takes over ([`Wire`]),
//! the stream lettre gets ([`Handover`], which replays the greeting and bounds lines), typed reply
//! codes, and how lettre's and the stream's errors become the engine's.

use super::{MAX_REPLY_LINE, MAX_REPLY_LINES, MAX_TAP};
use crate::error::{EngineError, Result, ServerCode};
use crate::net::{with_deadline, MailStream};
use crate::progress::Stage;
use crate::server_text::{shown, shown_plain, Redactor};
use lettre::transport::smtp::client::AsyncTokioStream;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

/// An SMTP reply code (RFC 5321 4.2): three digits; the first says how it went (2 done, 3 go on,
/// 4 try again later, 5 refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReplyCode(pub u16);

impl ReplyCode {
    /// 220: the greeting, and the go-ahead for STARTTLS (RFC 3207).
    pub(crate) const SERVICE_READY: ReplyCode = ReplyCode(220);
    /// 250: the command was done (EHLO's answer).
    pub const OK: ReplyCode = ReplyCode(250);
    /// 535 5.7.8: these credentials are wrong (RFC 4954 section 6).
    pub(crate) const AUTH_CREDENTIALS_INVALID: ReplyCode = ReplyCode(535);

    /// 4xx: transient (RFC 5321 4.2.1: "the action may be requested again"; RFC 3463 4.x.x).
    pub(crate) fn is_transient(self) -> bool {
        (400..500).contains(&self.0)
    }
}

impl From<lettre::transport::smtp::response::Code> for ReplyCode {
    fn from(code: lettre::transport::smtp::response::Code) -> ReplyCode {
        ReplyCode(u16::from(code))
    }
}

impl std::fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One SMTP reply (RFC 5321 4.2): a code and the text of each line.
#[derive(Debug)]
pub(super) struct Reply {
    pub(super) code: ReplyCode,
    pub(super) lines: Vec<String>,
    /// The bytes as received, for the replay to lettre.
    pub(super) raw: Vec<u8>,
}

/// The hand-spoken part of the dialogue: lines in, commands out, on a plain or TLS stream.
pub(super) struct Wire<'r> {
    pub(super) stream: MailStream,
    /// Bytes read past the last complete reply.
    pub(super) buf: Vec<u8>,
    /// What the server says passes through it before it is shown or stored.
    pub(super) redactor: &'r Redactor,
}

impl<'r> Wire<'r> {
    pub(super) fn new(stream: MailStream, redactor: &'r Redactor) -> Wire<'r> {
        Wire { stream, buf: Vec::new(), redactor }
    }

    pub(super) fn refused(&self, stage: Stage, target: &str, reply: &Reply) -> EngineError {
        refused(stage, target, reply, self.redactor)
    }

    pub(super) async fn command(&mut self, line: &str, stage: Stage, target: &str, limit: Duration) -> Result<Reply> {
        with_deadline(stage, target, limit, async {
            let mut bytes = line.as_bytes().to_vec();
            bytes.extend_from_slice(b"\r\n");
            self.stream.write_all(&bytes).await.map_err(|e| io_error(e, stage, target))?;
            self.stream.flush().await.map_err(|e| io_error(e, stage, target))?;
            self.read_reply(stage, target).await
        })
        .await
    }

    /// One line including its LF, or None at end of stream. Read in chunks, and given up as soon
    /// as more than [`MAX_REPLY_LINE`] octets arrived without a line end.
    pub(super) async fn read_line(&mut self, stage: Stage, target: &str) -> Result<Option<Vec<u8>>> {
        loop {
            if let Some(end) = self.buf.iter().position(|b| *b == b'\n') {
                if end > MAX_REPLY_LINE {
                    return Err(line_too_long(stage, target));
                }
                return Ok(Some(self.buf.drain(..=end).collect()));
            }
            if self.buf.len() > MAX_REPLY_LINE {
                return Err(line_too_long(stage, target));
            }
            let mut chunk = [0u8; 1024];
            let n = self.stream.read(&mut chunk).await.map_err(|e| io_error(e, stage, target))?;
            if n == 0 {
                return Ok(None);
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    pub(super) async fn read_reply(&mut self, stage: Stage, target: &str) -> Result<Reply> {
        let mut reply = Reply { code: ReplyCode(0), lines: Vec::new(), raw: Vec::new() };
        loop {
            let Some(line) = self.read_line(stage, target).await? else {
                return Err(EngineError::ConnectionClosed { stage, target: target.to_owned() });
            };
            reply.raw.extend_from_slice(&line);
            let text = String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_owned();
            let code = text
                .get(..3)
                .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|c| c.parse().ok())
                .map(ReplyCode);
            let Some(code) = code else {
                let what = if stage == Stage::Greeting { "not an SMTP greeting" } else { "not an SMTP reply" };
                return Err(protocol(stage, target, format!("{what}: {}", shown(&text, self.redactor))));
            };
            if !reply.lines.is_empty() && code != reply.code {
                return Err(protocol(stage, target, format!("reply codes {} and {code} in one reply", reply.code)));
            }
            reply.code = code;
            let more = match text.as_bytes().get(3) {
                Some(b'-') => true,
                Some(b' ') | None => false,
                _ => {
                    return Err(protocol(stage, target, format!("not an SMTP reply: {}", shown(&text, self.redactor))))
                }
            };
            reply.lines.push(text.get(4..).unwrap_or("").to_owned());
            if !more {
                return Ok(reply);
            }
            if reply.lines.len() >= MAX_REPLY_LINES {
                return Err(protocol(stage, target, format!("a reply of more than {MAX_REPLY_LINES} lines")));
            }
        }
    }
}

/// The stream lettre gets: first the greeting we already read (replayed), then the connection
/// itself. While `tap` is Some it keeps a copy of what the server sends (lettre's EHLO answer),
/// because lettre parses only the extensions it uses and the report shows all of them.
///
/// It also bounds lines: lettre reads a reply line with `read_line`, which grows its buffer
/// until a line end arrives, and checks the length only then. So this stream counts the octets
/// since the last LF and fails with [`LineTooLong`] once a line passes [`MAX_REPLY_LINE`] (no
/// crate offers a length-limited line reader that lettre could be given; this is a few lines).
pub(super) struct Handover {
    pub(super) replay: Vec<u8>,
    pub(super) replayed: usize,
    pub(super) inner: MailStream,
    pub(super) tap: Arc<Mutex<Option<Vec<u8>>>>,
    /// Octets received since the last LF.
    pub(super) line_len: usize,
}

impl Handover {
    pub(super) fn new(replay: Vec<u8>, inner: MailStream, tap: Arc<Mutex<Option<Vec<u8>>>>) -> Handover {
        // The replay ends with the greeting's LF, unless the server spoke out of turn after it:
        // then the line it started counts too.
        let line_len = replay.iter().rev().take_while(|b| **b != b'\n').count();
        Handover { replay, replayed: 0, inner, tap, line_len }
    }
}

/// The server sent a reply line longer than [`MAX_REPLY_LINE`]; carried through lettre's error
/// as the source of an I/O error, and turned back into a protocol error by [`lettre_error`].
#[derive(Debug)]
pub(super) struct LineTooLong;

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a reply line longer than {MAX_REPLY_LINE} octets")
    }
}

impl std::error::Error for LineTooLong {}

impl std::fmt::Debug for Handover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handover").field("encrypted", &self.inner.is_encrypted()).finish_non_exhaustive()
    }
}

impl AsyncRead for Handover {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.replayed < this.replay.len() {
            let n = (this.replay.len() - this.replayed).min(buf.remaining());
            buf.put_slice(&this.replay[this.replayed..this.replayed + n]);
            this.replayed += n;
            return Poll::Ready(Ok(()));
        }
        if this.line_len > MAX_REPLY_LINE {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, LineTooLong)));
        }
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            let new = &buf.filled()[before..];
            for &b in new {
                this.line_len = if b == b'\n' { 0 } else { this.line_len + 1 };
                if this.line_len > MAX_REPLY_LINE {
                    // Nothing of the overlong line is handed on: lettre gets the error instead.
                    buf.set_filled(before);
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, LineTooLong)));
                }
            }
            if let Some(tap) = this.tap.lock().unwrap().as_mut() {
                let room = MAX_TAP.saturating_sub(tap.len()).min(new.len());
                tap.extend_from_slice(&new[..room]);
            }
        }
        result
    }
}

impl AsyncWrite for Handover {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for Handover {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        match &self.inner {
            MailStream::Plain(tcp) => tcp.peer_addr(),
            MailStream::Tls(tls) => tls.get_ref().0.peer_addr(),
        }
    }
}

pub(super) fn timed_out(stage: Stage, target: &str, limit: Duration) -> EngineError {
    EngineError::TimedOut { stage, target: target.to_owned(), seconds: limit.as_secs().max(1) }
}

pub(super) fn protocol(stage: Stage, target: &str, message: String) -> EngineError {
    EngineError::Protocol { stage, target: target.to_owned(), message }
}

/// A reply that ends a step: 4xx replies are transient (RFC 5321 4.2.1: "the action may be
/// requested again"; RFC 3463 4.x.x), so they are the server's passing trouble, not a refusal.
pub(super) fn refused(stage: Stage, target: &str, reply: &Reply, redactor: &Redactor) -> EngineError {
    let server_said = reply_text(reply.code.to_string(), reply.lines.iter().map(String::as_str), redactor);
    let target = target.to_owned();
    let code = ServerCode::smtp(reply.code.0, reply.lines.first().map_or("", String::as_str));
    if reply.code.is_transient() {
        EngineError::TemporaryFailure { stage, target, server_said, code }
    } else {
        EngineError::ServerRefused { stage, target, server_said, code }
    }
}

/// "535 5.7.8 Authentication credentials invalid", several lines joined with " / ", as it may be
/// shown and stored.
pub(super) fn reply_text<'a>(code: String, lines: impl Iterator<Item = &'a str>, redactor: &Redactor) -> String {
    let text = lines.filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" / ");
    shown(&if text.is_empty() { code } else { format!("{code} {text}") }, redactor)
}

/// The server's words in a lettre error (lettre keeps the reply text as the error's source).
pub(super) fn server_said(e: &lettre::transport::smtp::Error, redactor: &Redactor) -> String {
    use std::error::Error as _;
    match (e.status(), e.source()) {
        (Some(code), Some(text)) => shown(&format!("{code} {text}"), redactor),
        (Some(code), None) => code.to_string(),
        _ => shown(&e.to_string(), redactor),
    }
}

pub(super) fn lettre_error(
    e: lettre::transport::smtp::Error,
    stage: Stage,
    target: &str,
    redactor: &Redactor,
) -> EngineError {
    use std::error::Error as _;
    if e.status().is_some() {
        let server_said = server_said(&e, redactor);
        let code = ServerCode::smtp_from_shown(&server_said);
        let target = target.to_owned();
        // 4xx: transient (RFC 5321 4.2.1), e.g. 454 4.7.0 temporary authentication failure (RFC
        // 4954 section 6): the server's passing trouble, never a wrong password.
        return if e.is_transient() {
            EngineError::TemporaryFailure { stage, target, server_said, code }
        } else {
            EngineError::ServerRefused { stage, target, server_said, code }
        };
    }
    let mut source = e.source();
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<io::Error>() {
            if io.get_ref().is_some_and(|cause| cause.is::<LineTooLong>()) {
                return line_too_long(stage, target);
            }
            return io_error(io::Error::new(io.kind(), io.to_string()), stage, target);
        }
        source = inner.source();
    }
    // lettre reads to the end of the stream before it gives up on a reply.
    if e.is_response() && e.to_string().contains("incomplete response") {
        return EngineError::ConnectionClosed { stage, target: target.to_owned() };
    }
    protocol(stage, target, shown(&e.to_string(), redactor))
}

pub(super) fn line_too_long(stage: Stage, target: &str) -> EngineError {
    protocol(
        stage,
        target,
        format!(
            "the server sent a line longer than {MAX_REPLY_LINE} octets (SMTP allows 512, RFC 5321 4.5.3.1.5); not \
             an SMTP server, or a broken one"
        ),
    )
}

pub(super) fn io_error(e: io::Error, stage: Stage, target: &str) -> EngineError {
    use io::ErrorKind::*;
    match e.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => {
            EngineError::ConnectionClosed { stage, target: target.to_owned() }
        }
        _ => protocol(stage, target, shown_plain(&e.to_string())),
    }
}
