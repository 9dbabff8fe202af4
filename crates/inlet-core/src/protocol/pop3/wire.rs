//! POP3 on the wire: status lines (RFC 1939 section 3), bounded line reads, and the connection
//! with its own buffer so STLS can prove nothing arrived in clear after the go-ahead.

use super::{MAX_LINE, MAX_LINES};
use crate::error::{EngineError, Result};
use crate::net::MailStream;
use crate::progress::Stage;
use crate::server_text::{shown, shown_plain, Redactor};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zeroize::Zeroizing;

// ---- lines on the wire ----------------------------------------------------------------------

/// A status line (RFC 1939 section 3): `+OK text`, `-ERR text`, or a SASL continuation `+ data`
/// (RFC 5034 section 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reply {
    Ok(String),
    Err(String),
    /// `+` and the challenge text after it (base64), if any.
    Continue(String),
}

pub(super) fn parse_reply(line: &str) -> Option<Reply> {
    // The indicators are upper case in the RFC; a few servers send them otherwise.
    let rest = |indicator: &str| -> Option<String> {
        let head = line.get(..indicator.len())?;
        if !head.eq_ignore_ascii_case(indicator) {
            return None;
        }
        let tail = &line[indicator.len()..];
        (tail.is_empty() || tail.starts_with(' ')).then(|| tail.trim().to_owned())
    };
    if let Some(text) = rest("+OK") {
        return Some(Reply::Ok(text));
    }
    if let Some(text) = rest("-ERR") {
        return Some(Reply::Err(text));
    }
    (line == "+" || line.starts_with("+ ")).then(|| Reply::Continue(line[1..].trim().to_owned()))
}

/// A connection with our own line buffer: bounded lines, and the buffer stays inspectable so
/// STLS can prove nothing arrived in clear after the server's go-ahead. Every answer leaves it
/// through [`shown`], so what the server says is never shown or stored with the password in it
/// or with control characters that a terminal would act on.
pub(super) struct Conn {
    pub(super) stream: MailStream,
    pub(super) buf: Vec<u8>,
    pub(super) target: String,
    pub(super) redactor: Arc<Redactor>,
}

impl Conn {
    pub(super) fn new(stream: MailStream, target: String, redactor: Arc<Redactor>) -> Conn {
        Conn { stream, buf: Vec::new(), target, redactor }
    }

    /// Server text as it may be shown or stored.
    pub(super) fn shown(&self, text: &str) -> String {
        shown(text, &self.redactor)
    }

    pub(super) fn shown_reply(&self, reply: Reply) -> Reply {
        match reply {
            Reply::Ok(text) => Reply::Ok(self.shown(&text)),
            Reply::Err(text) => Reply::Err(self.shown(&text)),
            Reply::Continue(text) => Reply::Continue(self.shown(&text)),
        }
    }

    /// One line without its CRLF (a bare LF is accepted too), at most [`MAX_LINE`] octets, read
    /// in chunks: the read stops as soon as the buffer holds more than that without a line end.
    pub(super) async fn read_line(&mut self, stage: Stage) -> Result<String> {
        let mut scanned = 0;
        loop {
            if let Some(pos) = self.buf[scanned..].iter().position(|b| *b == b'\n').map(|p| p + scanned) {
                if pos > MAX_LINE {
                    return Err(self.too_long(stage));
                }
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            scanned = self.buf.len();
            if self.buf.len() > MAX_LINE {
                return Err(self.too_long(stage));
            }
            let mut chunk = [0u8; 4096];
            let n = self.stream.read(&mut chunk).await.map_err(|e| io_error(e, stage, &self.target))?;
            if n == 0 {
                return Err(EngineError::ConnectionClosed { stage, target: self.target.clone() });
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    pub(super) fn too_long(&self, stage: Stage) -> EngineError {
        EngineError::Protocol {
            stage,
            target: self.target.clone(),
            message: format!(
                "the server sent a line longer than {MAX_LINE} octets (POP3 allows 512, RFC 1939); not a POP3 \
                 server, or a broken one"
            ),
        }
    }

    pub(super) async fn read_reply(&mut self, stage: Stage) -> Result<Reply> {
        let line = self.read_line(stage).await?;
        match parse_reply(&line) {
            Some(reply) => Ok(self.shown_reply(reply)),
            None => Err(EngineError::Protocol {
                stage,
                target: self.target.clone(),
                message: format!("not a POP3 answer: {}", self.shown(&line)),
            }),
        }
    }

    /// The lines of a multi-line answer up to the terminating ".", dot-unstuffed (RFC 1939 section 3).
    pub(super) async fn read_multiline(&mut self, stage: Stage) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        while lines.len() < MAX_LINES {
            let line = self.read_line(stage).await?;
            if line == "." {
                return Ok(lines);
            }
            let line = self.shown(line.strip_prefix('.').unwrap_or(&line));
            if !line.is_empty() {
                lines.push(line);
            }
        }
        Err(EngineError::Protocol {
            stage,
            target: self.target.clone(),
            message: format!("more than {MAX_LINES} lines"),
        })
    }

    pub(super) async fn send(&mut self, line: &str, stage: Stage) -> Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.write(&bytes, stage).await
    }

    pub(super) async fn send_secret(&mut self, line: &str, stage: Stage) -> Result<()> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(line.len() + 2));
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.write(&bytes, stage).await
    }

    pub(super) async fn write(&mut self, bytes: &[u8], stage: Stage) -> Result<()> {
        self.stream.write_all(bytes).await.map_err(|e| io_error(e, stage, &self.target))?;
        self.stream.flush().await.map_err(|e| io_error(e, stage, &self.target))
    }

    pub(super) async fn command(&mut self, line: &str, stage: Stage) -> Result<Reply> {
        self.send(line, stage).await?;
        self.read_reply(stage).await
    }

    /// The plain stream, for the TLS handshake after STLS / STARTTLS. Bytes already received
    /// after the go-ahead would have been injected in clear by someone on the path (the
    /// STARTTLS command-injection flaw, CVE-2011-0411): refuse rather than carry them over.
    pub(super) fn into_plain_for_tls(self, stage: Stage) -> Result<tokio::net::TcpStream> {
        if !self.buf.is_empty() {
            return Err(EngineError::Protocol {
                stage,
                target: self.target,
                message: "the server sent data before the TLS handshake".into(),
            });
        }
        match self.stream {
            MailStream::Plain(tcp) => Ok(tcp),
            MailStream::Tls(_) => {
                Err(EngineError::Protocol { stage, target: self.target, message: "TLS is already active".into() })
            }
        }
    }
}

pub(super) fn io_error(e: std::io::Error, stage: Stage, target: &str) -> EngineError {
    use std::io::ErrorKind::*;
    match e.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => {
            EngineError::ConnectionClosed { stage, target: target.to_owned() }
        }
        _ => EngineError::Protocol { stage, target: target.to_owned(), message: shown_plain(&e.to_string()) },
    }
}
