//! Misbehaving TCP servers on 127.0.0.1, for proving that every network step of the client has
//! a deadline and a clear error. Each one runs on a plain thread (no tokio runtime needed) and
//! stops, closing every connection it holds, when dropped.

use std::fmt::Write as _;
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

// ---- a scripted IMAP server ------------------------------------------------------------------

/// What a [`HostileImap`] does wrong. In everything else it plays a tiny, well-behaved IMAP
/// server (RFC 3501) on plain TCP: a greeting, CAPABILITY, AUTHENTICATE PLAIN and LOGIN (any
/// credentials are accepted), LIST with one folder (INBOX), an empty LSUB, STATUS and LOGOUT.
/// Enough for a client to reach the step where the fault waits.
#[derive(Clone, Debug)]
pub enum ImapFault {
    /// This greeting line (CRLF added) instead of the usual one, which carries the capabilities.
    Greeting(String),
    /// Every sign-in is refused: `<tag> NO <said> <what the client sent>`, where what the client
    /// sent is the base64 line of AUTHENTICATE PLAIN or the arguments of LOGIN, echoed verbatim.
    RefuseSignIn { said: String },
    /// At `at`, the answer is a literal announcement claiming `size` bytes (`* LIST () "/"
    /// {size}`, `* STATUS {size}`; `* OK {size}` as a greeting), and then nothing more.
    Literal { at: ImapStep, size: String },
    /// At `at`, the server starts a line and never ends it: `bytes` bytes without a CRLF, then
    /// silence until the client hangs up.
    UnendingLine { at: ImapStep, bytes: usize },
    /// LIST answers INBOX and one more folder with this name, sent as a quoted string (`"` and
    /// `\` escaped, RFC 3501 4.3) with every other byte as it is: control characters included.
    FolderNamed(String),
    /// LIST never ends: `* LIST () "/" "folder-N…"` lines with N counting up, each name padded
    /// with `x` to at least `name_bytes` bytes, until the client hangs up (or
    /// [`ENDLESS_LIST_LINES`] lines, so a client that keeps reading cannot hold a test for ever).
    EndlessList { name_bytes: usize },
}

/// The most lines an [`ImapFault::EndlessList`] sends.
pub const ENDLESS_LIST_LINES: usize = 50_000_000;

/// Where an [`ImapFault`] strikes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImapStep {
    Greeting,
    List,
    Status,
}

impl ImapStep {
    /// How this step's answer starts.
    fn answer_start(self) -> &'static str {
        match self {
            ImapStep::Greeting => "* OK ",
            ImapStep::List => "* LIST () \"/\" ",
            ImapStep::Status => "* STATUS ",
        }
    }
}

/// A small IMAP server on 127.0.0.1 that leads a client to one [`ImapFault`]. Each connection is
/// served on its own thread; dropping the server closes them all.
pub struct HostileImap {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
    thread: Option<JoinHandle<()>>,
}

/// The capabilities a [`HostileImap`] announces by default: no STARTTLS, no LIST-STATUS (so a
/// client counts messages with STATUS), AUTHENTICATE PLAIN.
pub const HOSTILE_IMAP_CAPABILITIES: &str = "IMAP4rev1 AUTH=PLAIN";

impl HostileImap {
    pub fn start(fault: ImapFault) -> HostileImap {
        HostileImap::start_with_capabilities(HOSTILE_IMAP_CAPABILITIES, fault)
    }

    /// With other capabilities, e.g. `"IMAP4rev1"` alone so that a client signs in with LOGIN.
    pub fn start_with_capabilities(capabilities: &str, fault: ImapFault) -> HostileImap {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a hostile IMAP server");
        let addr = listener.local_addr().expect("local_addr");
        let stop = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (stop2, open2) = (stop.clone(), open.clone());
        let capabilities = capabilities.to_owned();
        let thread = std::thread::Builder::new()
            .name("testkit-hostile-imap".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    if let Ok(copy) = conn.try_clone() {
                        open2.lock().unwrap().push(copy);
                    }
                    let (fault, capabilities) = (fault.clone(), capabilities.clone());
                    let _ = std::thread::Builder::new().name("testkit-hostile-imap-conn".into()).spawn(move || {
                        // The client hanging up ends the conversation; that is not an error here.
                        let _ = play_imap(conn, &fault, &capabilities);
                    });
                }
            })
            .expect("starting a hostile IMAP server thread");
        HostileImap { addr, stop, open, thread: Some(thread) }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for HostileImap {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // Unblocks each connection thread (its reads and writes fail), so they all end.
        for c in self.open.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

/// One client of a [`HostileImap`]: its lines in, our bytes out.
struct ImapPeer {
    lines: std::io::BufReader<TcpStream>,
    out: TcpStream,
}

impl ImapPeer {
    /// The client's next line without its CRLF; None once it hung up.
    fn read_line(&mut self) -> std::io::Result<Option<String>> {
        use std::io::BufRead;
        let mut line = String::new();
        let n = self.lines.read_line(&mut line)?;
        Ok((n > 0).then(|| line.trim_end_matches(['\r', '\n']).to_owned()))
    }

    fn send(&mut self, text: &str) -> std::io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    /// Reads and drops whatever the client sends until it hangs up.
    fn wait_for_hang_up(&mut self) -> std::io::Result<()> {
        while self.read_line()?.is_some() {}
        Ok(())
    }

    /// `start`, then `bytes` bytes of `x` and never a line end; then silence.
    fn unending_line(&mut self, start: &str, bytes: usize) -> std::io::Result<()> {
        self.send(start)?;
        let chunk = [b'x'; 64 * 1024];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(chunk.len());
            self.out.write_all(&chunk[..n])?;
            left -= n;
        }
        self.wait_for_hang_up()
    }
}

fn play_imap(conn: TcpStream, fault: &ImapFault, capabilities: &str) -> std::io::Result<()> {
    let mut peer = ImapPeer { out: conn.try_clone()?, lines: std::io::BufReader::new(conn) };
    // The hostile answer for `step`, if the fault strikes there; the conversation ends with it.
    let strike = |peer: &mut ImapPeer, step: ImapStep| -> Option<std::io::Result<()>> {
        match fault {
            ImapFault::Literal { at, size } if *at == step => {
                Some(peer.send(&format!("{}{{{size}}}\r\n", step.answer_start())).and_then(|_| peer.wait_for_hang_up()))
            }
            ImapFault::UnendingLine { at, bytes } if *at == step => {
                Some(peer.unending_line(step.answer_start(), *bytes))
            }
            _ => None,
        }
    };
    if let Some(end) = strike(&mut peer, ImapStep::Greeting) {
        return end;
    }
    match fault {
        ImapFault::Greeting(greeting) => peer.send(&format!("{greeting}\r\n"))?,
        _ => peer.send(&format!("* OK [CAPABILITY {capabilities}] hostile IMAP ready\r\n"))?,
    }
    let refusal = match fault {
        ImapFault::RefuseSignIn { said } => Some(said.as_str()),
        _ => None,
    };
    while let Some(line) = peer.read_line()? {
        let (tag, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let (verb, args) = rest.split_once(' ').unwrap_or((rest, ""));
        let answer = match verb.to_ascii_uppercase().as_str() {
            "CAPABILITY" => format!("* CAPABILITY {capabilities}\r\n{tag} OK CAPABILITY completed\r\n"),
            "AUTHENTICATE" => {
                peer.send("+ \r\n")?;
                let Some(response) = peer.read_line()? else { return Ok(()) };
                match refusal {
                    Some(said) => format!("{tag} NO {said} {response}\r\n"),
                    None => format!("{tag} OK signed in\r\n"),
                }
            }
            "LOGIN" => match refusal {
                Some(said) => format!("{tag} NO {said} {args}\r\n"),
                None => format!("{tag} OK signed in\r\n"),
            },
            "LIST" => match (strike(&mut peer, ImapStep::List), fault) {
                (Some(end), _) => return end,
                (None, ImapFault::EndlessList { name_bytes }) => {
                    let mut batch = String::with_capacity(64 * 1024);
                    for n in 0..ENDLESS_LIST_LINES {
                        let _ = writeln!(batch, "* LIST () \"/\" \"{:x<name_bytes$}\"\r", format!("folder-{n}-"));
                        if batch.len() > 60 * 1024 {
                            peer.send(&batch)?;
                            batch.clear();
                        }
                    }
                    return Ok(());
                }
                (None, ImapFault::FolderNamed(name)) => {
                    let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
                    format!("* LIST () \"/\" INBOX\r\n* LIST () \"/\" \"{quoted}\"\r\n{tag} OK LIST completed\r\n")
                }
                (None, _) => format!("* LIST () \"/\" INBOX\r\n{tag} OK LIST completed\r\n"),
            },
            "LSUB" => format!("{tag} OK LSUB completed\r\n"),
            "STATUS" => match strike(&mut peer, ImapStep::Status) {
                Some(end) => return end,
                None => format!("* STATUS INBOX (MESSAGES 0 UNSEEN 0)\r\n{tag} OK STATUS completed\r\n"),
            },
            "LOGOUT" => {
                peer.send(&format!("* BYE logging out\r\n{tag} OK LOGOUT completed\r\n"))?;
                return Ok(());
            }
            _ => format!("{tag} BAD unknown command\r\n"),
        };
        peer.send(&answer)?;
    }
    Ok(())
}
