//! TCP proxies on 127.0.0.1 that sit between a client under test and a real server:
//! [`DelayProxy`] adds network latency, [`CaptureProxy`] records what the client sent.
//!
//! Both are plain threads (one per direction per connection), so they work with or without a
//! tokio runtime, and dropping the proxy closes every connection it carries.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Adds `delay_each_way` of latency to every byte in both directions.
///
/// Each chunk read at time t is written at t + delay, in order, and later chunks do not wait for
/// earlier ones to be released: a round trip costs 2 × delay however much data flows, as on a
/// long but fast link (latency, not bandwidth).
///
/// Opening a connection costs what TCP's handshake costs on such a link: the kernel completes the
/// handshake with the client at once, so the proxy holds the connection back instead. On a real
/// link the client's first bytes reach the server at 3 × delay (SYN, SYN-ACK, then ACK with data)
/// and a greeting the server sends on accepting reaches the client at 4 × delay; the proxy
/// releases both directions no earlier than that, so client-first (TLS) and server-first (SMTP,
/// IMAP, POP3 greetings) protocols both pay one round trip for the connection.
pub struct DelayProxy {
    relay: Relay,
}

impl DelayProxy {
    /// Starts a proxy on a free port of 127.0.0.1 forwarding to `target`.
    ///
    /// Panics if no port can be bound (tests cannot continue then anyway).
    pub fn start(target: SocketAddr, delay_each_way: Duration) -> DelayProxy {
        let relay = Relay::start(Ipv4Addr::LOCALHOST, target, delay_each_way, None).expect("starting DelayProxy");
        DelayProxy { relay }
    }

    pub fn port(&self) -> u16 {
        self.relay.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.relay.addr
    }
}

/// Forwards without delay and keeps a copy of every byte that crossed it, so a test can prove
/// what did (or did not, e.g. a password) go over the wire.
pub struct CaptureProxy {
    relay: Relay,
    captured: Arc<Captured>,
}

#[derive(Default)]
pub(crate) struct Captured {
    client: Mutex<Vec<u8>>,
    server: Mutex<Vec<u8>>,
}

impl CaptureProxy {
    /// Starts a proxy on a free port of 127.0.0.1 forwarding to `target`.
    pub fn start(target: SocketAddr) -> CaptureProxy {
        let captured = Arc::new(Captured::default());
        let relay = Relay::start(Ipv4Addr::LOCALHOST, target, Duration::ZERO, Some(captured.clone()))
            .expect("starting CaptureProxy");
        CaptureProxy { relay, captured }
    }

    pub fn port(&self) -> u16 {
        self.relay.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.relay.addr
    }

    /// Everything any client sent through the proxy so far, all connections appended in
    /// the order the chunks arrived.
    pub fn client_bytes(&self) -> Vec<u8> {
        self.captured.client.lock().unwrap().clone()
    }

    /// Everything the server sent back, likewise.
    pub fn server_bytes(&self) -> Vec<u8> {
        self.captured.server.lock().unwrap().clone()
    }
}

/// The forwarding machinery shared by the proxies and by [`crate::Dovecot`] (which uses it to
/// move a listener to another loopback address, see there).
pub(crate) struct Relay {
    pub(crate) addr: SocketAddr,
    stop: Arc<AtomicBool>,
    /// Both sockets of every open connection, so Drop can shut them and end the pump threads.
    conns: Arc<Mutex<HashMap<u64, [TcpStream; 2]>>>,
    accept_thread: Option<JoinHandle<()>>,
}

impl Relay {
    pub(crate) fn start(
        bind_ip: Ipv4Addr,
        target: SocketAddr,
        delay: Duration,
        capture: Option<Arc<Captured>>,
    ) -> io::Result<Relay> {
        let listener = TcpListener::bind((bind_ip, 0))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let conns: Arc<Mutex<HashMap<u64, [TcpStream; 2]>>> = Arc::default();
        let next_id = AtomicU64::new(0);

        let (stop2, conns2) = (stop.clone(), conns.clone());
        let accept_thread = std::thread::Builder::new().name("testkit-relay".into()).spawn(move || {
            for client in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let id = next_id.fetch_add(1, Ordering::Relaxed);
                let (stop, conns, capture) = (stop2.clone(), conns2.clone(), capture.clone());
                // One thread per connection, so the modelled handshake of one does not hold
                // back the next accept.
                let _ = std::thread::Builder::new()
                    .name("testkit-conn".into())
                    .spawn(move || relay_connection(client, target, delay, capture, &stop, &conns, id));
            }
        })?;
        Ok(Relay { addr, stop, conns, accept_thread: Some(accept_thread) })
    }
}

/// Opens the server side of one accepted connection and starts its two pumps.
fn relay_connection(
    client: TcpStream,
    target: SocketAddr,
    delay: Duration,
    capture: Option<Arc<Captured>>,
    stop: &AtomicBool,
    conns: &Arc<Mutex<HashMap<u64, [TcpStream; 2]>>>,
    id: u64,
) {
    let accepted = Instant::now();
    // The handshake (see DelayProxy): the server accepts at 2 × delay here (a loopback connect is
    // instant), and the pumps release nothing to it before 3 × delay, nor to the client before
    // 4 × delay. Without a delay all of this is zero.
    std::thread::sleep(2 * delay);
    if stop.load(Ordering::SeqCst) {
        return;
    }
    // If the target is down, close the client's connection: that is what it would see without
    // the proxy (more or less: accepted, then closed).
    let Ok(server) = TcpStream::connect(target) else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    conns.lock().unwrap().insert(id, [c2, s2]);
    // Dropped while this connection was opening: Drop may have shut the others already.
    if stop.load(Ordering::SeqCst) {
        if let Some([a, b]) = conns.lock().unwrap().remove(&id) {
            let _ = a.shutdown(Shutdown::Both);
            let _ = b.shutdown(Shutdown::Both);
        }
        return;
    }
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for (from, to, to_server, not_before) in [
        (client.try_clone(), server.try_clone(), true, accepted + 3 * delay),
        (server.try_clone(), client.try_clone(), false, accepted + 4 * delay),
    ] {
        let (Ok(from), Ok(to)) = (from, to) else {
            continue;
        };
        let sink = capture.clone().map(|c| (c, to_server));
        let (done, conns) = (done.clone(), conns.clone());
        let _ = std::thread::Builder::new().name("testkit-pump".into()).spawn(move || {
            pump(from, to, delay, not_before, sink);
            // The second pump to finish forgets the connection (closing its fds).
            if done.fetch_add(1, Ordering::SeqCst) == 1 {
                conns.lock().unwrap().remove(&id);
            }
        });
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept_thread.take() {
            let _ = t.join();
        }
        for [a, b] in self.conns.lock().unwrap().drain().map(|(_, v)| v) {
            let _ = a.shutdown(Shutdown::Both);
            let _ = b.shutdown(Shutdown::Both);
        }
    }
}

/// Copies one direction until EOF, then half-closes the other side so a client's or server's
/// "I'm done sending" is forwarded. On an error both sockets are shut, so the other direction ends too.
/// With a delay, nothing is released before `not_before` (the end of the modelled handshake).
fn pump(
    mut from: TcpStream,
    to: TcpStream,
    delay: Duration,
    not_before: Instant,
    capture: Option<(Arc<Captured>, bool)>,
) {
    let record = |data: &[u8]| {
        if let Some((c, to_server)) = &capture {
            let buf = if *to_server { &c.client } else { &c.server };
            buf.lock().unwrap().extend_from_slice(data);
        }
    };
    let mut buf = vec![0u8; 64 * 1024];

    if delay.is_zero() {
        let mut to = to;
        loop {
            match from.read(&mut buf) {
                Ok(0) => {
                    let _ = to.shutdown(Shutdown::Write);
                    return;
                }
                Ok(n) => {
                    record(&buf[..n]);
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
        return;
    }

    // With a delay, reading and writing are decoupled by a queue of (release time, chunk):
    // the reader stamps each chunk as it arrives, the writer sleeps until each stamp.
    // `None` carries the EOF, delayed like data.
    let (tx, rx) = mpsc::channel::<(Instant, Option<Vec<u8>>)>();
    let from_for_writer = from.try_clone();
    let writer = std::thread::spawn(move || {
        let mut to = to;
        for (release, chunk) in rx {
            let now = Instant::now();
            if release > now {
                std::thread::sleep(release - now);
            }
            match chunk {
                Some(data) => {
                    if to.write_all(&data).is_err() {
                        if let Ok(f) = &from_for_writer {
                            let _ = f.shutdown(Shutdown::Both);
                        }
                        let _ = to.shutdown(Shutdown::Both);
                        return;
                    }
                }
                None => {
                    let _ = to.shutdown(Shutdown::Write);
                    return;
                }
            }
        }
        // The reader failed (reset): pass the failure on.
        let _ = to.shutdown(Shutdown::Both);
    });
    loop {
        match from.read(&mut buf) {
            Ok(0) => {
                let _ = tx.send(((Instant::now() + delay).max(not_before), None));
                break;
            }
            Ok(n) => {
                record(&buf[..n]);
                if tx.send(((Instant::now() + delay).max(not_before), Some(buf[..n].to_vec()))).is_err() {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => {
                let _ = from.shutdown(Shutdown::Both);
                break;
            }
        }
    }
    drop(tx);
    let _ = writer.join();
}

/// Adds `delay_each_way` of latency to UDP request/answer exchanges (DNS): each datagram from a
/// client is sent on to `target` after the delay from a socket of its own, and each answer comes
/// back after the delay again. Exchanges run in parallel, one thread each.
pub struct UdpDelayProxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl UdpDelayProxy {
    /// Starts a proxy on a free UDP port of 127.0.0.1 forwarding to `target`.
    ///
    /// Panics if no port can be bound.
    pub fn start(target: SocketAddr, delay_each_way: Duration) -> UdpDelayProxy {
        let front = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding UdpDelayProxy");
        front.set_read_timeout(Some(Duration::from_millis(50))).expect("read timeout");
        let addr = front.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 65_535];
            while !stopping.load(Ordering::SeqCst) {
                let Ok((n, client)) = front.recv_from(&mut buf) else { continue };
                let (datagram, Ok(back)) = (buf[..n].to_vec(), front.try_clone()) else { continue };
                std::thread::spawn(move || {
                    std::thread::sleep(delay_each_way);
                    let Ok(upstream) = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)) else { return };
                    let _ = upstream.set_read_timeout(Some(Duration::from_secs(5)));
                    if upstream.send_to(&datagram, target).is_err() {
                        return;
                    }
                    let mut answer = [0u8; 65_535];
                    if let Ok((m, _)) = upstream.recv_from(&mut answer) {
                        std::thread::sleep(delay_each_way);
                        let _ = back.send_to(&answer[..m], client);
                    }
                });
            }
        });
        UdpDelayProxy { addr, stop, thread: Some(thread) }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for UdpDelayProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
