//! Fault servers and proxies behave as documented.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use inlet_testkit::faults::{
    closed_port, CloseAtOnce, GreetingThenSilence, ResetAtOnce, SilentServer, TlsHandshakeHang,
};
use inlet_testkit::{CaptureProxy, DelayProxy};

/// A connection whose reads wait long enough for a busy machine: a read that expects bytes (or
/// the end) must not run into its timeout.
fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// Nothing arrives within a short window. A busy machine cannot make this fail: it only delays
/// bytes that a silent server never sends.
fn assert_silent(s: &mut TcpStream) {
    s.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    let mut buf = [0u8; 16];
    let err = s.read(&mut buf).expect_err("the server sent something");
    assert!(is_timeout(&err), "{err:?}");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
}

#[test]
fn silent_server_never_sends() {
    let server = SilentServer::start();
    let mut s = connect(server.port());
    s.write_all(b"a1 CAPABILITY\r\n").unwrap();
    assert_silent(&mut s);

    // TLS: a ClientHello-sized write goes through, and nothing ever comes back.
    let hang = TlsHandshakeHang::start();
    let mut s = connect(hang.port());
    s.write_all(&[0x16, 0x03, 0x01, 0x00, 0xc8]).unwrap();
    s.write_all(&[0u8; 200]).unwrap();
    assert_silent(&mut s);
    let mut buf = [0u8; 16];

    // Dropping the server closes the connections it held.
    drop(server);
    drop(hang);
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert!(matches!(s.read(&mut buf), Ok(0) | Err(_)));
}

#[test]
fn greeting_then_silence() {
    let server = GreetingThenSilence::start("* OK [CAPABILITY IMAP4rev1] hello\r\n");
    let mut s = connect(server.port());
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"* OK [CAPABILITY IMAP4rev1] hello\r\n");
    s.write_all(b"a1 LOGIN x y\r\n").unwrap();
    assert_silent(&mut s);
}

#[test]
fn close_reset_and_closed_port() {
    let close = CloseAtOnce::start();
    let mut s = connect(close.port());
    assert_eq!(s.read(&mut [0u8; 8]).unwrap(), 0, "expected EOF");

    let reset = ResetAtOnce::start();
    let mut s = connect(reset.port());
    let err = s.read(&mut [0u8; 8]).expect_err("expected a reset");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err:?}");

    let port = closed_port();
    let err = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect_err("nothing should listen");
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
}

/// An echo server on its own thread, for the proxies to forward to.
fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 || conn.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

fn round_trip(s: &mut TcpStream, msg: &[u8]) -> Duration {
    let t = Instant::now();
    s.write_all(msg).unwrap();
    let mut got = vec![0u8; msg.len()];
    s.read_exact(&mut got).unwrap();
    assert_eq!(got, msg);
    t.elapsed()
}

/// The proxies' tests are about time, so their bounds are wide: the latency is long (500 ms each
/// way) and each upper bound sits a full second or more above what is expected, yet below what
/// the mistake it guards against would cost.
const DELAY: Duration = Duration::from_millis(500);

#[test]
fn delay_proxy_adds_latency_not_serialised() {
    let delay = DELAY;
    let proxy = DelayProxy::start(echo_server(), delay);
    let mut s = TcpStream::connect(proxy.addr()).unwrap();
    s.set_nodelay(true).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();

    // The first exchange also pays for opening the connection (see the next test).
    round_trip(&mut s, b"open\r\n");
    for _ in 0..2 {
        let rtt = round_trip(&mut s, b"ping\r\n");
        assert!(rtt >= 2 * delay, "{rtt:?}");
        // Below the delay counted twice each way.
        assert!(rtt < 4 * delay, "{rtt:?}");
    }

    // Ten chunks sent 2 ms apart: with latency (not serialised delays) the last echo arrives
    // about 2 × delay after it was sent (1 s), not 10 × 2 × delay (10 s).
    let t = Instant::now();
    for i in 0..10u8 {
        s.write_all(&[b'0' + i]).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut got = [0u8; 10];
    s.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"0123456789");
    let total = t.elapsed();
    assert!(total >= 2 * delay && total < 10 * delay, "{total:?}");
}

/// Opening a connection costs one round trip, as TCP's handshake does on a real link, whether the
/// client speaks first (TLS) or the server does (a greeting).
#[test]
fn delay_proxy_charges_the_handshake() {
    let delay = DELAY;
    // Without the handshake's charge the first answer would come at 2 × delay; charging it twice
    // would cost 6 × delay.
    let expected = 4 * delay..6 * delay;

    // Client first: bytes sent right after connect reach the server at 3 × delay, so their echo
    // is back at 4 × delay (a real link: SYN, SYN-ACK, ACK with data, then the answer).
    let proxy = DelayProxy::start(echo_server(), delay);
    let started = Instant::now();
    let mut s = TcpStream::connect(proxy.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    round_trip(&mut s, b"hello\r\n");
    let first = started.elapsed();
    assert!(expected.contains(&first), "{first:?}");

    // Server first: a greeting sent on accepting arrives at 4 × delay.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let greeter = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let _ = conn.write_all(b"* OK hello\r\n");
            std::thread::sleep(Duration::from_secs(5));
        }
    });
    let proxy = DelayProxy::start(greeter, delay);
    let started = Instant::now();
    let mut s = TcpStream::connect(proxy.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut greeting = [0u8; 12];
    s.read_exact(&mut greeting).unwrap();
    let arrived = started.elapsed();
    assert_eq!(&greeting, b"* OK hello\r\n");
    assert!(expected.contains(&arrived), "{arrived:?}");
}

#[test]
fn capture_proxy_records_client_bytes() {
    let proxy = CaptureProxy::start(echo_server());
    let mut a = TcpStream::connect(proxy.addr()).unwrap();
    a.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    round_trip(&mut a, b"a1 LOGIN alice secret\r\n");
    let mut b = TcpStream::connect(proxy.addr()).unwrap();
    b.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    round_trip(&mut b, b"b1 NOOP\r\n");
    assert_eq!(proxy.client_bytes(), b"a1 LOGIN alice secret\r\nb1 NOOP\r\n");
    assert_eq!(proxy.server_bytes(), b"a1 LOGIN alice secret\r\nb1 NOOP\r\n");

    // Closing the client is passed on; dropping the proxy closes what is left.
    drop(a);
    drop(proxy);
    let mut buf = [0u8; 4];
    assert!(matches!(b.read(&mut buf), Ok(0) | Err(_)));
}
