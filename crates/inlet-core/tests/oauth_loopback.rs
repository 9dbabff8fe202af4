//! The loopback redirect listener of browser sign-in (RFC 8252 7.3), over real sockets: it
//! binds 127.0.0.1 only, serves one request and closes, refuses an answer with another state,
//! and gives up at its deadline.

use inlet_core::oauth::loopback::{Loopback, LoopbackEnd};
use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::Duration;

const STATE: &str = "the-state-of-this-sign-in";

/// Sends one GET of `target` to `port` and returns the status line and body.
fn get(port: u16, target: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: test\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

async fn get_async(port: u16, target: &'static str) -> std::io::Result<String> {
    tokio::task::spawn_blocking(move || get(port, target)).await.unwrap()
}

#[tokio::test]
async fn the_redirect_with_this_state_is_served_once_then_the_port_is_closed() {
    let loopback = Loopback::bind().await.unwrap();
    let port = loopback.port();
    assert_eq!(loopback.redirect_uri(), format!("http://127.0.0.1:{port}/"));
    let served = tokio::spawn(loopback.serve_one(STATE, Duration::from_secs(30)));
    let page =
        get_async(port, "/?code=the-code&state=the-state-of-this-sign-in&iss=https%3A%2F%2Fid.test").await.unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("return to Inlet"), "the page sends the person back: {page}");
    assert!(page.contains("Content-Security-Policy: default-src 'none'"), "{page}");
    let redirect = served.await.unwrap().expect("the redirect");
    assert_eq!(redirect.code.as_deref(), Some("the-code"));
    assert_eq!(redirect.iss.as_deref(), Some("https://id.test"));
    // Served once: nothing listens any more.
    let again = TcpStream::connect(("127.0.0.1", port));
    assert!(again.is_err(), "the listener closed after its one request");
}

#[tokio::test]
async fn an_answer_with_another_state_is_refused_and_ends_the_wait() {
    let loopback = Loopback::bind().await.unwrap();
    let port = loopback.port();
    let served = tokio::spawn(loopback.serve_one(STATE, Duration::from_secs(30)));
    let page = get_async(port, "/?code=stolen-code&state=someone-elses").await.unwrap();
    assert!(page.starts_with("HTTP/1.1 400"), "{page}");
    assert!(!page.contains("stolen-code"), "{page}");
    assert_eq!(served.await.unwrap().unwrap_err(), LoopbackEnd::WrongState);
    // A request without any state is no better.
    let loopback = Loopback::bind().await.unwrap();
    let port = loopback.port();
    let served = tokio::spawn(loopback.serve_one(STATE, Duration::from_secs(30)));
    get_async(port, "/?code=x").await.unwrap();
    assert_eq!(served.await.unwrap().unwrap_err(), LoopbackEnd::WrongState);
}

#[tokio::test]
async fn the_wait_ends_at_its_deadline() {
    let loopback = Loopback::bind().await.unwrap();
    let port = loopback.port();
    let end = loopback.serve_one(STATE, Duration::from_millis(300)).await.unwrap_err();
    assert_eq!(end, LoopbackEnd::TimedOut);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "closed after the deadline too");
}

/// This machine's addresses that are not loopback (from `hostname -I`).
fn other_local_addresses() -> Vec<IpAddr> {
    let out = std::process::Command::new("hostname").arg("-I").output().expect("hostname runs");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|a| a.parse::<IpAddr>().ok())
        .filter(|a| !a.is_loopback() && a.is_ipv4())
        .collect()
}

#[tokio::test]
async fn a_connection_to_another_address_of_this_machine_is_refused() {
    let others = other_local_addresses();
    assert!(!others.is_empty(), "this test needs a non-loopback IPv4 address on the machine");
    let loopback = Loopback::bind().await.unwrap();
    let port = loopback.port();
    let served = tokio::spawn(loopback.serve_one(STATE, Duration::from_secs(30)));
    for address in others {
        let reached = TcpStream::connect_timeout(&(address, port).into(), Duration::from_secs(5));
        assert!(reached.is_err(), "{address}:{port} must not reach the listener bound to 127.0.0.1");
    }
    // The refused attempts did not use up the one request.
    let page = get_async(port, "/?code=c&state=the-state-of-this-sign-in").await.unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(served.await.unwrap().is_ok());
}
