//! Misbehaving TCP servers on 127.0.0.1, for proving that every network step of the client has
//! a deadline and a clear error. Each one runs on a plain thread (no tokio runtime needed) and
//! stops, closing every connection it holds, when dropped.

use std::io::Write;
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Clone)]
enum Behaviour {
    /// Keep the connection open and never send a byte.
    Silent,
    /// Send these bytes, then behave like `Silent`.
    Greeting(Vec<u8>),
    /// Close the connection right after accepting it (a clean FIN).
    Close,
    /// Reset the connection right after accepting it (RST, "connection reset by peer").
    Reset,
}

/// The shared machinery: an accept loop applying one behaviour to every connection.
struct FaultServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    held: Arc<Mutex<Vec<TcpStream>>>,
    thread: Option<JoinHandle<()>>,
}

impl FaultServer {
    fn start(behaviour: Behaviour) -> FaultServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a fault server");
        let addr = listener.local_addr().expect("local_addr");
        let stop = Arc::new(AtomicBool::new(false));
        let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (stop2, held2) = (stop.clone(), held.clone());
        let thread = std::thread::Builder::new()
            .name("testkit-fault".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(mut conn) = conn else { continue };
                    match &behaviour {
                        // Held, not read: what the client sends (a command, a ClientHello) just
                        // sits in the kernel buffer, which is all a silent peer needs to do.
                        Behaviour::Silent => held2.lock().unwrap().push(conn),
                        Behaviour::Greeting(bytes) => {
                            let _ = conn.write_all(bytes);
                            held2.lock().unwrap().push(conn);
                        }
                        Behaviour::Close => drop(conn),
                        Behaviour::Reset => {
                            // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
                            let linger = libc::linger { l_onoff: 1, l_linger: 0 };
                            unsafe {
                                libc::setsockopt(
                                    conn.as_raw_fd(),
                                    libc::SOL_SOCKET,
                                    libc::SO_LINGER,
                                    &linger as *const _ as *const libc::c_void,
                                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                                );
                            }
                            drop(conn);
                        }
                    }
                }
            })
            .expect("starting a fault server thread");
        FaultServer { addr, stop, held, thread: Some(thread) }
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        for c in self.held.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

macro_rules! fault_server {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name(FaultServer);

        impl $name {
            pub fn port(&self) -> u16 {
                self.0.addr.port()
            }

            pub fn addr(&self) -> SocketAddr {
                self.0.addr
            }
        }
    };
}

fault_server!(
    /// Accepts connections and never sends anything, keeping them open until dropped.
    /// A client waiting for a greeting, a reply or a TLS ServerHello waits forever.
    SilentServer
);
fault_server!(
    /// Sends a greeting (e.g. `"* OK ready\r\n"`), then never another byte.
    GreetingThenSilence
);
fault_server!(
    /// Accepts and closes each connection at once (FIN): "connection closed before greeting".
    CloseAtOnce
);
fault_server!(
    /// Accepts and resets each connection at once (RST): "connection reset by peer".
    ResetAtOnce
);

impl SilentServer {
    pub fn start() -> SilentServer {
        SilentServer(FaultServer::start(Behaviour::Silent))
    }
}

impl GreetingThenSilence {
    pub fn start(greeting: &str) -> GreetingThenSilence {
        GreetingThenSilence(FaultServer::start(Behaviour::Greeting(greeting.as_bytes().to_vec())))
    }
}

impl CloseAtOnce {
    pub fn start() -> CloseAtOnce {
        CloseAtOnce(FaultServer::start(Behaviour::Close))
    }
}

impl ResetAtOnce {
    pub fn start() -> ResetAtOnce {
        ResetAtOnce(FaultServer::start(Behaviour::Reset))
    }
}

/// A TLS handshake that never completes: the ClientHello is accepted and never answered, which
/// from the client's side is exactly a [`SilentServer`].
pub type TlsHandshakeHang = SilentServer;

/// A port on 127.0.0.1 with nothing listening (connecting is refused at once).
///
/// Found by binding a free port and releasing it; another process could take it in between,
/// but the kernel hands out ports in a way that makes that very unlikely within one test.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a free port");
    listener.local_addr().expect("local_addr").port()
}

/// What a [`ScriptedServer`] sends: at connection (the greeting) and in answer to each line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// These bytes (line ends included), then wait for the next line.
    Send(Vec<u8>),
    /// Bytes without a line end, forever: until the client hangs up or the server is dropped
    /// (and at most 256 MiB, so a client that keeps reading cannot hold a test for ever).
    Endless,
    /// Close the connection.
    Close,
}

impl Answer {
    /// `text` followed by CRLF.
    pub fn line(text: &str) -> Answer {
        Answer::Send(format!("{text}\r\n").into_bytes())
    }
}

/// The most an [`Answer::Endless`] sends.
const ENDLESS_LIMIT: usize = 256 * 1024 * 1024;

/// A line-based server played from a script: `greeting` when a client connects, then for each
/// line the client sends (without its CRLF) whatever `answer` returns. For hostile and unusual
/// servers that Dovecot and aiosmtpd cannot be configured to be (a line that never ends, a reply
/// that quotes the password back, escape sequences in a greeting, a temporary failure). Every
/// line received is kept for [`ScriptedServer::heard`]. Stops, closing every connection, when
/// dropped.
pub struct ScriptedServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    held: Arc<Mutex<Vec<TcpStream>>>,
    heard: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptedServer {
    pub fn start(greeting: Answer, answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> ScriptedServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a scripted server");
        let addr = listener.local_addr().expect("local_addr");
        let stop = Arc::new(AtomicBool::new(false));
        let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let heard: Arc<Mutex<Vec<String>>> = Arc::default();
        let answer = Arc::new(answer);
        let (stop2, held2, heard2) = (stop.clone(), held.clone(), heard.clone());
        let thread = std::thread::Builder::new()
            .name("testkit-scripted".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    if let Ok(copy) = conn.try_clone() {
                        held2.lock().unwrap().push(copy);
                    }
                    let (stop, heard, answer, greeting) =
                        (stop2.clone(), heard2.clone(), answer.clone(), greeting.clone());
                    std::thread::spawn(move || serve_script(conn, greeting, &*answer, &stop, &heard));
                }
            })
            .expect("starting a scripted server thread");
        ScriptedServer { addr, stop, held, heard, thread: Some(thread) }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every line clients sent, in order, without CRLF.
    pub fn heard(&self) -> Vec<String> {
        self.heard.lock().unwrap().clone()
    }
}

/// One connection of a [`ScriptedServer`]; returns when either side hangs up.
fn serve_script(
    conn: TcpStream,
    greeting: Answer,
    answer: &(dyn Fn(&str) -> Answer + Send + Sync),
    stop: &AtomicBool,
    heard: &Mutex<Vec<String>>,
) {
    use std::io::BufRead;
    let Ok(reader) = conn.try_clone() else { return };
    let mut reader = std::io::BufReader::new(reader);
    let mut conn = conn;
    let mut next = greeting;
    loop {
        match next {
            Answer::Send(bytes) => {
                if conn.write_all(&bytes).is_err() {
                    return;
                }
            }
            Answer::Close => return,
            Answer::Endless => {
                let chunk = [b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < ENDLESS_LIMIT && !stop.load(Ordering::SeqCst) && conn.write_all(&chunk).is_ok() {
                    sent += chunk.len();
                }
                return;
            }
        }
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(n) if n > 0 => {}
            _ => return,
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        heard.lock().unwrap().push(line.clone());
        next = answer(&line);
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        for c in self.held.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}
