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
