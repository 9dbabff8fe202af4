//! IMAP on the wire: our commands with our own tags, the answers framed here ([`read_answer`]: a
//! line plus the literals it announces) through [`Bounded`] (which refuses an answer larger than
//! [`MAX_RESPONSE_BYTES`] as its bytes arrive) and parsed by imap-proto, each once and in place,
//! and the tagged end of each command as a [`Completion`].

use super::{Capabilities, MAX_FOLDER_LISTING_BYTES, MAX_RESPONSE_BYTES};
use crate::config::Deadlines;
use crate::error::{EngineError, Result, ServerCode};
use crate::net::{with_deadline, MailStream};
use crate::progress::Stage;
use crate::server_text::{shown, shown_plain, Redactor};
use imap_proto::{RequestId, Response, ResponseCode};
use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};

/// One IMAP connection: we write the commands, and frame the answers read through [`Bounded`]
/// (one complete answer at a time in `answer`), imap-proto parses them.
pub struct ImapConnection {
    pub(super) reader: tokio::io::BufReader<Bounded<MailStream>>,
    /// The answer being read, its buffer kept from one answer to the next.
    pub(super) answer: Vec<u8>,
    pub(super) next_tag: u32,
}

/// Who a step talks to, how long each read may take, and what must never be shown of what the
/// server says.
pub(super) struct Conversation<'a> {
    pub(super) target: &'a str,
    pub(super) deadlines: &'a Deadlines,
    pub(super) redactor: &'a Redactor,
}

/// How a command ended (RFC 3501 7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Ok,
    No,
    Bad,
}

/// The tagged end of a command: its verdict and the server's words, as sent (not yet made safe
/// to show; see [`Completion::shown`]).
pub(super) struct Completion {
    pub(super) verdict: Verdict,
    pub(super) said: String,
    /// The `[CAPABILITY …]` code of the answer, when it carried one (RFC 3501 7.1: a server may
    /// announce its capabilities so, sparing the client a CAPABILITY command).
    pub(super) capabilities: Option<Capabilities>,
}

impl Completion {
    pub(super) fn shown(&self, conversation: &Conversation<'_>) -> String {
        shown(&self.said, conversation.redactor)
    }

    /// The response code of the answer, typed for the diagnosis.
    pub(super) fn code(&self) -> ServerCode {
        ServerCode::imap(&self.said)
    }

    /// A NO whose code says the server's trouble passes by waiting: `[UNAVAILABLE]` (RFC 5530
    /// section 3: "temporary failure because a subsystem is down"), `[INUSE]`, `[LIMIT]`, or
    /// Microsoft's `[THROTTLED]`; never the user's credentials or request.
    pub(super) fn is_temporary_failure(&self) -> bool {
        self.verdict == Verdict::No && self.code().is_temporary()
    }

    /// A refused command as an error: a temporary failure, or the server's refusal.
    pub(super) fn refused(&self, stage: Stage, conversation: &Conversation<'_>) -> EngineError {
        let (target, server_said, code) = (conversation.target.to_owned(), self.shown(conversation), self.code());
        if self.is_temporary_failure() {
            EngineError::TemporaryFailure { stage, target, server_said, code }
        } else {
            EngineError::ServerRefused { stage, target, server_said, code }
        }
    }
}

impl ImapConnection {
    pub(super) fn new(stream: MailStream, next_tag: u32) -> ImapConnection {
        ImapConnection {
            reader: tokio::io::BufReader::with_capacity(READ_CHUNK, Bounded::new(stream)),
            answer: Vec::new(),
            next_tag,
        }
    }

    pub(super) fn new_tag(&mut self) -> RequestId {
        let tag = RequestId(format!("A{}", self.next_tag));
        self.next_tag = self.next_tag.wrapping_add(1);
        tag
    }

    /// Writes bytes as they are (a whole command line, CRLF included) and flushes them.
    pub(super) async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let stream = self.reader.get_mut();
        stream.write_all(bytes).await?;
        stream.flush().await
    }

    /// Sends `command` under a new tag; returns the tag.
    pub(super) async fn send(&mut self, command: &str) -> io::Result<RequestId> {
        let tag = self.new_tag();
        self.write(format!("{} {command}\r\n", tag.0).as_bytes()).await?;
        Ok(tag)
    }

    /// The next answer, handed to `f` (it borrows from our buffer); None when the server closed
    /// the connection between answers.
    pub(super) async fn next<T>(&mut self, f: impl FnOnce(&Response<'_>) -> T) -> io::Result<Option<T>> {
        if let Some(len) = self.buffered_len() {
            return self.parse_buffered(len, f).map(Some);
        }
        self.answer.clear();
        if !read_answer(&mut self.reader, &mut self.answer).await? {
            return Ok(None);
        }
        match Response::parse(&self.answer) {
            Ok((_, response)) => Ok(Some(f(&response))),
            Err(_) => Err(io::Error::new(io::ErrorKind::InvalidData, "not an IMAP answer")),
        }
    }

    /// The length of the next answer when it is already read in full (see [`buffered_answer`]).
    fn buffered_len(&self) -> Option<usize> {
        buffered_answer(self.reader.buffer())
    }

    /// Parses the next `len` bytes read, one whole answer, where they lie, and hands the answer
    /// to `f`: no copy, and no read, so nothing to wait for.
    fn parse_buffered<T>(&mut self, len: usize, f: impl FnOnce(&Response<'_>) -> T) -> io::Result<T> {
        use tokio::io::AsyncBufRead;
        let parsed = match Response::parse(&self.reader.buffer()[..len]) {
            Ok((_, response)) => Ok(f(&response)),
            Err(_) => Err(io::Error::new(io::ErrorKind::InvalidData, "not an IMAP answer")),
        };
        Pin::new(&mut self.reader).consume(len);
        parsed
    }

    /// Sends `command` and reads answers until its tagged end, each read under the command
    /// deadline (a long answer that keeps arriving is never cut, a stalled one is). Untagged
    /// answers go to `each`.
    pub(super) async fn run(
        &mut self,
        command: &str,
        stage: Stage,
        conversation: &Conversation<'_>,
        each: impl FnMut(&Response<'_>) -> Result<()>,
    ) -> Result<Completion> {
        let target = conversation.target;
        let tag = with_deadline(stage, target, conversation.deadlines.command, async {
            self.send(command).await.map_err(|e| io_error(e, stage, target))
        })
        .await?;
        self.finish(&tag, stage, conversation, each).await
    }

    /// Reads answers until the tagged end of `tag`; an error of `each` ends the reading.
    pub(super) async fn finish(
        &mut self,
        tag: &RequestId,
        stage: Stage,
        conversation: &Conversation<'_>,
        mut each: impl FnMut(&Response<'_>) -> Result<()>,
    ) -> Result<Completion> {
        let target = conversation.target;
        loop {
            let handle = |response: &Response<'_>| match response {
                Response::Done { tag: done, status, outcome } if done == tag => Ok(Some(completion(status, outcome))),
                other => each(other).map(|()| None),
            };
            // An answer already read in full needs no deadline: arming and dropping a timer for
            // each of a listing's 20,000 answers cost more than framing them.
            let read = match self.buffered_len() {
                Some(len) => Some(self.parse_buffered(len, handle).map_err(|e| io_error(e, stage, target))?),
                None => {
                    with_deadline(stage, target, conversation.deadlines.command, async {
                        self.next(handle).await.map_err(|e| io_error(e, stage, target))
                    })
                    .await?
                }
            };
            match read {
                None => return Err(EngineError::ConnectionClosed { stage, target: target.to_owned() }),
                Some(Ok(Some(done))) => return Ok(done),
                Some(Ok(None)) => {}
                Some(Err(e)) => return Err(e),
            }
        }
    }

    /// The stream under the framing, for the listing's byte budget.
    pub(super) fn stream(&mut self) -> &mut Bounded<MailStream> {
        self.reader.get_mut()
    }

    /// The connection itself. Whatever was read ahead is dropped with it.
    pub(super) fn into_stream(self) -> MailStream {
        self.reader.into_inner().inner
    }
}

pub(super) fn completion(status: &imap_proto::Status, outcome: &imap_proto::Outcome<'_>) -> Completion {
    let verdict = match status {
        imap_proto::Status::Ok => Verdict::Ok,
        imap_proto::Status::No => Verdict::No,
        // BAD, or a status no tagged answer may carry (PREAUTH, BYE).
        _ => Verdict::Bad,
    };
    let capabilities = match &outcome.code {
        Some(ResponseCode::Capabilities(caps)) => Some(Capabilities::from_proto(caps)),
        _ => None,
    };
    Completion { verdict, said: words(outcome), capabilities }
}

/// The server's words in a status answer: its text, after the one response code worth showing.
pub(super) fn words(outcome: &imap_proto::Outcome<'_>) -> String {
    let text = outcome.information.as_deref().unwrap_or("");
    match outcome.code {
        Some(ResponseCode::Alert) => format!("[ALERT] {text}"),
        _ => text.to_owned(),
    }
}

/// How much is read from the connection at once.
pub(super) const READ_CHUNK: usize = 64 * 1024;

/// The length of the first answer in `buffered` when all of it is there, exactly as
/// [`read_answer`] would frame it; None when it is not complete yet, or is one that
/// [`read_answer`] refuses (which then reads it, and says why).
pub(super) fn buffered_answer(buffered: &[u8]) -> Option<usize> {
    let mut end = 0;
    loop {
        let line_end = end + memchr::memchr(b'\n', &buffered[end..])? + 1;
        if line_end > MAX_RESPONSE_BYTES {
            return None;
        }
        match literal_announced(&buffered[end..line_end]) {
            None => return Some(line_end),
            Some(size) => {
                end = size
                    .and_then(|size| line_end.checked_add(size))
                    .filter(|&end| end <= MAX_RESPONSE_BYTES && end <= buffered.len())?;
            }
        }
    }
}

/// Reads one complete answer into `frame`: a line, plus any literal `{n}` it announces and the
/// rest of the line after it (RFC 3501 4.3). False when the stream ended before the answer's
/// first byte; ending inside it is an `UnexpectedEof` error. Never keeps more than
/// [`MAX_RESPONSE_BYTES`]: a longer line fails as soon as it passes the bound, and a literal
/// announced larger fails before anything is read for it. Written by hand, like [`Bounded`]:
/// the framing crates we know either keep no bound or copy the rest of the buffer per answer.
pub(super) async fn read_answer<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
    frame: &mut Vec<u8>,
) -> io::Result<bool> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    let refuse = |why: TooLarge| io::Error::new(io::ErrorKind::InvalidData, why);
    let cut = || io::Error::new(io::ErrorKind::UnexpectedEof, "the connection ended inside an answer");
    loop {
        let start = frame.len();
        loop {
            let chunk = reader.fill_buf().await?;
            if chunk.is_empty() {
                // End of stream: between answers, or in the middle of a line.
                return if frame.is_empty() { Ok(false) } else { Err(cut()) };
            }
            let (take, line_ended) = match memchr::memchr(b'\n', chunk) {
                Some(at) => (at + 1, true),
                None => (chunk.len(), false),
            };
            if frame.len().checked_add(take).is_none_or(|len| len > MAX_RESPONSE_BYTES) {
                return Err(refuse(TooLarge::Line));
            }
            frame.extend_from_slice(&chunk[..take]);
            reader.consume(take);
            if line_ended {
                break;
            }
        }
        let size = match literal_announced(&frame[start..]) {
            None => return Ok(true),
            Some(size) => size,
        };
        let end = size.and_then(|size| frame.len().checked_add(size)).filter(|&end| end <= MAX_RESPONSE_BYTES);
        let Some(end) = end else {
            return Err(refuse(TooLarge::Literal(size)));
        };
        let wanted = (end - frame.len()) as u64;
        (&mut *reader).take(wanted).read_to_end(frame).await?;
        if frame.len() != end {
            return Err(cut());
        }
    }
}

/// Whether a whole line (LF included) ends by announcing a literal (`{n}` or `{n+}` before CRLF,
/// RFC 3501 4.3, RFC 7888): `Some(Some(n))`, or `Some(None)` when `n` is more than a `usize` holds.
pub(super) fn literal_announced(line: &[u8]) -> Option<Option<usize>> {
    let body = line.strip_suffix(b"\n")?;
    // A `{` starts the state machine over: only what follows the last one can announce.
    let last_brace = memchr::memrchr(b'{', body)?;
    let announce = body[last_brace..].iter().fold(Announce::Nothing, |state, &b| state.next(b));
    announce.size_at_line_end()
}

/// How far the end of a line looks like a literal announcement, byte by byte: `{`, digits (their
/// value, None once it overflows), an optional `+`, `}`, CR.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Announce {
    #[default]
    Nothing,
    Open,
    Digits(Option<usize>),
    Plus(Option<usize>),
    Closed(Option<usize>),
    ClosedCr(Option<usize>),
}

impl Announce {
    pub(super) fn next(self, b: u8) -> Announce {
        let digit = |value: Option<usize>| value?.checked_mul(10)?.checked_add(usize::from(b - b'0'));
        match (self, b) {
            (_, b'{') => Announce::Open,
            (Announce::Open, b'0'..=b'9') => Announce::Digits(digit(Some(0))),
            (Announce::Digits(value), b'0'..=b'9') => Announce::Digits(digit(value)),
            (Announce::Digits(value), b'+') => Announce::Plus(value),
            (Announce::Digits(value) | Announce::Plus(value), b'}') => Announce::Closed(value),
            (Announce::Closed(value), b'\r') => Announce::ClosedCr(value),
            _ => Announce::Nothing,
        }
    }

    /// At a line's LF: the announced size, if the line announced a literal.
    pub(super) fn size_at_line_end(self) -> Option<Option<usize>> {
        match self {
            Announce::Closed(value) | Announce::ClosedCr(value) => Some(value),
            _ => None,
        }
    }
}

/// Why an answer was refused for its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TooLarge {
    /// A line went past [`MAX_RESPONSE_BYTES`] without its end.
    Line,
    /// A literal was announced that does not fit in what is left of the bound (None: its size is
    /// more than a `usize` holds).
    Literal(Option<usize>),
    /// The folder listing as a whole went past [`MAX_FOLDER_LISTING_BYTES`].
    Listing,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = MAX_RESPONSE_BYTES;
        match self {
            TooLarge::Line => write!(
                f,
                "the server sent a line longer than {bound} bytes without ending it; Inlet reads at most {bound} \
                 bytes of one answer"
            ),
            TooLarge::Literal(Some(size)) => write!(
                f,
                "the server announced a literal of {size} bytes; Inlet reads at most {bound} bytes of one answer"
            ),
            TooLarge::Listing => write!(
                f,
                "the server's folder list went past {MAX_FOLDER_LISTING_BYTES} bytes; Inlet reads at most that much \
                 of it"
            ),
            TooLarge::Literal(None) => write!(
                f,
                "the server announced a literal larger than any size Inlet can count; Inlet reads at most {bound} \
                 bytes of one answer"
            ),
        }
    }
}

impl std::error::Error for TooLarge {}

/// A connection whose reads fail once one answer passes [`MAX_RESPONSE_BYTES`], before the bytes
/// are handed on: a line failing to end, or a literal announced too large (refused when its
/// announcement arrives, before a reader can reserve room for it). Written by hand: no crate
/// bounds IMAP answers as they stream in. It also keeps the folder listing's byte budget.
#[derive(Debug)]
pub(super) struct Bounded<S> {
    pub(super) inner: S,
    pub(super) scan: AnswerScan,
    /// While the folders are listed: the bytes the listing may still take.
    pub(super) listing_budget: Option<usize>,
}

impl<S> Bounded<S> {
    pub(super) fn new(inner: S) -> Bounded<S> {
        Bounded { inner, scan: AnswerScan::default(), listing_budget: None }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Bounded<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        if let Err(why) = this.scan.check() {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, why)));
        }
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        let read = buf.filled().len() - before;
        if let Some(left) = this.listing_budget.as_mut() {
            match left.checked_sub(read) {
                Some(rest) => *left = rest,
                None => {
                    buf.set_filled(before);
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, TooLarge::Listing)));
                }
            }
        }
        match this.scan.feed(&mut buf.filled_mut()[before..]) {
            Ok(()) => Poll::Ready(Ok(())),
            Err(why) => {
                // Not handed on: the reader sees an error, never the bytes past the bound.
                buf.set_filled(before);
                Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, why)))
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Bounded<S> {
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

/// Where the bytes read so far stand among the server's answers (RFC 3501 4.3: an answer ends at
/// a CRLF that does not announce a literal; a literal is `{n}` CRLF and then n bytes of data).
#[derive(Debug, Default)]
pub(super) struct AnswerScan {
    /// Bytes of the current answer so far, its announced literals included.
    pub(super) answer: usize,
    /// Bytes of a literal still to come: data, not protocol.
    pub(super) literal_left: usize,
    /// The end of the current line, as far as it may announce a literal.
    pub(super) announce: Announce,
    /// Once over the bound, every later read fails too.
    pub(super) failed: Option<TooLarge>,
    /// Where the current line stands for [`CodeTextRepair`].
    pub(super) repair: CodeTextRepair,
}

/// imap-proto 0.17 panics on a status answer whose response code is followed directly by a
/// non-ASCII character (`* OK [ALERT]é…`, or an invalid byte, which it decodes to U+FFFD): it
/// drops the text's first byte as the space RFC 3501 puts there (`resp-text`), slicing inside
/// the character (found by the property tests below; `A1 OK [CAPABILITY IMAP4rev1]` then byte
/// 0x80 crashed the sign-in). So outside quoted strings and literals, where a `]` can only close
/// a response code or a section, a byte ≥ 0x80 right after `]` becomes the space: the answer was
/// not valid IMAP anyway (8-bit text needs UTF8=ACCEPT, RFC 6855, which we never enable), and
/// only that one byte of the server's words changes.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct CodeTextRepair {
    in_quote: bool,
    escaped: bool,
    after_bracket: bool,
}

impl CodeTextRepair {
    /// Follows (and repairs) a run of protocol bytes. Only a quote, a backslash inside a quoted
    /// string, and `]` with the byte after it change anything: the bytes between are skipped
    /// at memchr's pace instead of one at a time.
    fn protocol_bytes(&mut self, mut bytes: &mut [u8]) {
        while !bytes.is_empty() {
            if !self.escaped && !self.after_bracket {
                let next = if self.in_quote {
                    memchr::memchr2(b'"', b'\\', bytes)
                } else {
                    memchr::memchr2(b'"', b']', bytes)
                };
                let Some(at) = next else { return };
                bytes = &mut bytes[at..];
            }
            let (first, rest) = bytes.split_first_mut().expect("not empty");
            self.protocol_byte(first);
            bytes = rest;
        }
    }

    fn protocol_byte(&mut self, b: &mut u8) {
        if self.in_quote {
            match (self.escaped, *b) {
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_quote = false,
                _ => self.escaped = false,
            }
            return;
        }
        if self.after_bracket && *b >= 0x80 {
            *b = b' ';
        }
        self.after_bracket = *b == b']';
        self.in_quote = *b == b'"';
    }
}

impl AnswerScan {
    pub(super) fn check(&self) -> std::result::Result<(), TooLarge> {
        self.failed.map_or(Ok(()), Err)
    }

    /// Follows `bytes` (repairing them in place, see [`CodeTextRepair`]).
    pub(super) fn feed(&mut self, bytes: &mut [u8]) -> std::result::Result<(), TooLarge> {
        self.check()?;
        let outcome = self.advance(bytes);
        if let Err(why) = outcome {
            self.failed = Some(why);
        }
        outcome
    }

    pub(super) fn advance(&mut self, mut bytes: &mut [u8]) -> std::result::Result<(), TooLarge> {
        while !bytes.is_empty() {
            if self.literal_left > 0 {
                // Counted in `answer` when announced.
                let n = self.literal_left.min(bytes.len());
                self.literal_left -= n;
                bytes = &mut bytes[n..];
                continue;
            }
            let line_end = memchr::memchr(b'\n', bytes);
            let (body, rest) = bytes.split_at_mut(line_end.unwrap_or(bytes.len()));
            self.repair.protocol_bytes(body);
            self.answer = self.answer.saturating_add(body.len() + usize::from(line_end.is_some()));
            if self.answer > MAX_RESPONSE_BYTES {
                return Err(TooLarge::Line);
            }
            // Only the part after the line's last `{` can announce a literal.
            let from = match memchr::memrchr(b'{', body) {
                Some(at) => at,
                None if self.announce == Announce::Nothing => body.len(),
                None => 0,
            };
            self.announce = body[from..].iter().fold(self.announce, |state, &b| state.next(b));
            if line_end.is_none() {
                return Ok(());
            }
            bytes = &mut rest[1..];
            // A quoted string does not span lines; a literal's data is not protocol.
            self.repair = CodeTextRepair::default();
            match std::mem::take(&mut self.announce).size_at_line_end() {
                // The answer is complete.
                None => self.answer = 0,
                Some(size) => {
                    let fits = size.filter(|&n| self.answer.checked_add(n).is_some_and(|t| t <= MAX_RESPONSE_BYTES));
                    let Some(n) = fits else { return Err(TooLarge::Literal(size)) };
                    self.answer += n;
                    self.literal_left = n;
                }
            }
        }
        Ok(())
    }
}

/// An error of the connection as the diagnosis shows it. Only our own words and the operating
/// system's or TLS's are kept: a parse error could quote the server's bytes, which neither the
/// redactor nor the cleaning can be sure to catch.
pub(super) fn io_error(e: io::Error, stage: Stage, target: &str) -> EngineError {
    use std::io::ErrorKind::*;
    let target = target.to_owned();
    if let Some(why) = e.get_ref().and_then(|inner| inner.downcast_ref::<TooLarge>()) {
        return EngineError::Protocol { stage, target, message: why.to_string() };
    }
    match e.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => {
            EngineError::ConnectionClosed { stage, target }
        }
        _ if e.raw_os_error().is_some() || e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            EngineError::Protocol { stage, target, message: shown_plain(&e.to_string()) }
        }
        _ => {
            EngineError::Protocol { stage, target, message: "the server's answer is not valid IMAP (RFC 3501)".into() }
        }
    }
}
