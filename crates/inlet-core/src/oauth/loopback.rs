//! The loopback redirect of a native app's browser sign-in (RFC 8252 7.3): a listener on
//! 127.0.0.1 at a port the system picks, for exactly one request, from this machine only, until
//! a deadline. The browser lands here with `code` and `state` (or `error`); the page it gets
//! back tells the user to return to Inlet.
//!
//! Written by hand over a TCP socket: it reads one request line and its headers and answers
//! with one small page; an HTTP server crate would bring routing and keep-alive that this
//! single exchange must not have.

use super::errors::{OAuthErrorAnswer, SignInError};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Longest request read (a redirect with a code and state is well under 4 KiB; browsers add
/// headers).
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// How long the one connection may take to send its request once it is open.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

/// What the redirect carried: a code, or the issuer's error; `state` and `iss` to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub code: Option<String>,
    pub state: Option<String>,
    /// RFC 9207's issuer identifier, when the issuer sends one.
    pub iss: Option<String>,
    pub error: Option<OAuthErrorAnswer>,
}

/// How waiting for the redirect ended, when it did not bring a usable answer.
#[derive(Debug, PartialEq, Eq)]
pub enum LoopbackEnd {
    /// The deadline passed without a request.
    TimedOut,
    /// The request was not a redirect of this sign-in (wrong or missing `state`).
    WrongState,
    /// The request could not be read.
    Unreadable(String),
}

/// A bound listener, waiting to serve its one request.
pub struct Loopback {
    listener: TcpListener,
    port: u16,
}

impl Loopback {
    /// Binds 127.0.0.1 on a port the system picks. Only the IPv4 loopback address, not
    /// `localhost` (RFC 8252 8.3: a name may resolve elsewhere, and a firewall may ask).
    pub async fn bind() -> std::io::Result<Loopback> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let port = listener.local_addr()?.port();
        Ok(Loopback { listener, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI to register with the authorization request.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Serves exactly one request, whose `state` must be `expected_state`, and closes the
    /// listener (it is consumed): whatever comes later finds the port closed. A connection
    /// from an address that is not loopback is dropped unanswered and does not count. The page
    /// answered says whether the sign-in can go on.
    pub async fn serve_one(self, expected_state: &str, deadline: Duration) -> Result<Redirect, LoopbackEnd> {
        let Loopback { listener, .. } = self;
        let accept = async {
            loop {
                match listener.accept().await {
                    // Bound to 127.0.0.1, so only this machine can connect; checked again, as a
                    // second line, in case the address ever changes.
                    Ok((stream, peer)) if peer.ip().is_loopback() => return Ok(stream),
                    Ok((stream, peer)) => {
                        tracing::warn!(%peer, "refused a sign-in redirect from outside this machine");
                        drop(stream);
                    }
                    Err(e) => return Err(LoopbackEnd::Unreadable(e.to_string())),
                }
            }
        };
        let mut stream = match tokio::time::timeout(deadline, accept).await {
            Ok(stream) => stream?,
            Err(_) => return Err(LoopbackEnd::TimedOut),
        };
        // The one request is accepted: nothing else may connect any more.
        drop(listener);
        let request = match tokio::time::timeout(REQUEST_DEADLINE, read_request(&mut stream)).await {
            Ok(Ok(target)) => target,
            Ok(Err(message)) => {
                answer(&mut stream, Page::Failed).await;
                return Err(LoopbackEnd::Unreadable(message));
            }
            Err(_) => return Err(LoopbackEnd::Unreadable("the browser sent no request in time".into())),
        };
        let redirect = parse_target(&request);
        // RFC 6749 10.12: an answer whose state is not ours is not an answer to this sign-in.
        if redirect.state.as_deref() != Some(expected_state) {
            answer(&mut stream, Page::Failed).await;
            return Err(LoopbackEnd::WrongState);
        }
        answer(&mut stream, if redirect.code.is_some() { Page::Done } else { Page::Failed }).await;
        Ok(redirect)
    }
}

impl From<LoopbackEnd> for SignInError {
    fn from(end: LoopbackEnd) -> SignInError {
        match end {
            LoopbackEnd::TimedOut => SignInError::BrowserTimedOut { seconds: 0 },
            LoopbackEnd::WrongState => SignInError::StateMismatch,
            LoopbackEnd::Unreadable(message) => SignInError::RedirectUnusable { message },
        }
    }
}

/// Reads the request line and headers; returns the request target (`/?code=…&state=…`).
async fn read_request(stream: &mut TcpStream) -> Result<String, String> {
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the connection closed before a whole request".into());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if buffer.windows(4).any(|w| w == b"\r\n\r\n") || buffer.windows(2).any(|w| w == b"\n\n") {
            break;
        }
        if buffer.len() > MAX_REQUEST_BYTES {
            return Err("the request is too large".into());
        }
    }
    let line_end = buffer.iter().position(|&b| b == b'\n').unwrap_or(buffer.len());
    let line = String::from_utf8_lossy(&buffer[..line_end]);
    let mut parts = line.trim_end().split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("GET"), Some(target), Some(version)) if version.starts_with("HTTP/1.") => Ok(target.to_owned()),
        _ => Err("not an HTTP GET request".into()),
    }
}

fn parse_target(target: &str) -> Redirect {
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let mut redirect = Redirect { code: None, state: None, iss: None, error: None };
    let (mut error, mut description, mut uri) = (None, None, None);
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let value = Some(value.into_owned());
        match key.as_ref() {
            "code" => redirect.code = value,
            "state" => redirect.state = value,
            "iss" => redirect.iss = value,
            "error" => error = value,
            "error_description" => description = value,
            "error_uri" => uri = value,
            _ => {}
        }
    }
    redirect.error = error.map(|e| OAuthErrorAnswer::new(&e, description.as_deref(), uri.as_deref()));
    redirect
}

enum Page {
    Done,
    Failed,
}

/// The page the browser shows: short, in Inlet's colours, no script, nothing loaded from
/// elsewhere; then the connection closes.
async fn answer(stream: &mut TcpStream, page: Page) {
    let (status, title, text) = match page {
        Page::Done => ("200 OK", crate::tr!("signin-page-done"), crate::tr!("signin-page-done.text")),
        Page::Failed => ("400 Bad Request", crate::tr!("signin-page-failed"), crate::tr!("signin-page-failed.text")),
    };
    // The catalog's own words: nothing in them needs escaping for HTML.
    let lang = crate::i18n::language().tag();
    let body = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Inlet: {title}</title>\
         <style>body{{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1f2933;display:flex;\
         align-items:center;justify-content:center;height:100vh;margin:0}}main{{background:#fff;\
         border-radius:12px;padding:2rem 2.5rem;box-shadow:0 2px 12px rgba(0,0,0,.08);max-width:26rem}}\
         h1{{font-size:1.25rem;margin:0 0 .5rem;color:#0b6e99}}p{{margin:0;line-height:1.5}}</style></head>\
         <body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    );
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_read_with_its_escapes() {
        let r = parse_target("/?code=abc%2Fdef&state=s1&iss=https%3A%2F%2Fid.example.test");
        assert_eq!(r.code.as_deref(), Some("abc/def"));
        assert_eq!(r.state.as_deref(), Some("s1"));
        assert_eq!(r.iss.as_deref(), Some("https://id.example.test"));
        let e = parse_target("/?error=access_denied&error_description=AADSTS65001%3A+consent&state=s");
        let error = e.error.unwrap();
        assert_eq!((error.error.as_str(), error.aadsts()), ("access_denied", Some(65001)));
    }

    /// The page the browser shows comes in the user's language, and says so to the browser.
    #[test]
    fn the_browser_page_is_in_the_users_language() {
        use crate::i18n::{with_language, Language};
        use tokio::io::AsyncReadExt;
        // One thread, so the page is written where the test's language is set.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let page = |language, page| {
            with_language(language, || {
                runtime.block_on(async {
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let mut browser = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
                    let (mut served, _) = listener.accept().await.unwrap();
                    answer(&mut served, page).await;
                    let mut text = String::new();
                    browser.read_to_string(&mut text).await.unwrap();
                    text
                })
            })
        };
        let german = page(Language::De, Page::Done);
        assert!(german.contains("<html lang=\"de\">"), "{german}");
        assert!(german.contains("<h1>Angemeldet</h1>"), "{german}");
        assert!(german.contains("Sie können diesen Tab schließen und zu Inlet zurückkehren."), "{german}");
        let english = page(Language::En, Page::Failed);
        assert!(english.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{english}");
        assert!(english.contains("<html lang=\"en\">") && english.contains("<h1>Sign-in did not finish</h1>"));
    }
}
