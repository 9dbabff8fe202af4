//! DNS for tests: a private dnsmasq serving the A, MX, SRV and TXT records a test gives it, and
//! DNS servers that never answer ([`SilentDns`], for deadlines) or answer only with an error code
//! ([`ErrorDns`]: SERVFAIL, REFUSED).
//!
//! [`Dnsmasq`] listens on 127.0.0.1 (UDP and TCP) on a port chosen at run time, and answers only
//! from its configuration: `local=/#/` makes every other name NXDOMAIN (without it, dnsmasq with
//! no upstream server answers REFUSED). A name that has some records but not the asked type gets
//! an empty NOERROR answer (NODATA), e.g. AAAA for a name given only an A record.
//!
//! ```no_run
//! use inlet_testkit::{Dnsmasq, DnsRecords};
//!
//! let dns = Dnsmasq::start(
//!     DnsRecords::default()
//!         .a("imap.example.test", [127, 0, 0, 1].into())
//!         .srv("_imaps._tcp.example.test", "imap.example.test", 993, 0, 1)
//!         .mx("example.test", "mx.example.test", 10),
//! )?;
//! // Point the engine at dns.addr() (EngineConfig::dns_server), or: dig @127.0.0.1 -p PORT ...
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Needs the Debian package `dnsmasq-base`. Runs as root (`user=root` in its config: otherwise
//! dnsmasq switches to a `dnsmasq`/`nobody` user that may not exist or cannot write the temp dir).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::process::{kill_group, spawn, wait_until, ExitGuard};

/// How long [`Dnsmasq::start`] waits for the first answer. It normally takes ~10 ms.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// The records a [`Dnsmasq`] serves. Names are written without a trailing dot.
///
/// The fields can be filled directly or with the chaining helpers ([`DnsRecords::a`] …).
#[derive(Clone, Debug, Default)]
pub struct DnsRecords {
    /// `(host, address)`: an A record (`host-record=`; exactly this name, no subdomains).
    pub a: Vec<(String, Ipv4Addr)>,
    /// `(domain, mail exchanger host, preference)`. A host of `"."` is a null MX (RFC 7505).
    pub mx: Vec<(String, String, u16)>,
    /// `(name, target, port, priority, weight)`, e.g. `("_imaps._tcp.example.test",
    /// "imap.example.test", 993, 0, 1)`. A target of `"."` is RFC 2782's "service not offered".
    pub srv: Vec<(String, String, u16, u16, u16)>,
    /// `(name, text)`: one TXT record with one string (no `"` or `\` in the text).
    pub txt: Vec<(String, String)>,
}

impl DnsRecords {
    pub fn a(mut self, host: &str, addr: Ipv4Addr) -> Self {
        self.a.push((host.into(), addr));
        self
    }

    pub fn mx(mut self, domain: &str, host: &str, preference: u16) -> Self {
        self.mx.push((domain.into(), host.into(), preference));
        self
    }

    pub fn srv(mut self, name: &str, target: &str, port: u16, priority: u16, weight: u16) -> Self {
        self.srv.push((name.into(), target.into(), port, priority, weight));
        self
    }

    pub fn txt(mut self, name: &str, text: &str) -> Self {
        self.txt.push((name.into(), text.into()));
        self
    }

    /// The dnsmasq config lines for these records.
    fn config_lines(&self) -> io::Result<String> {
        let mut out = String::new();
        for (host, addr) in &self.a {
            check_name(host)?;
            let _ = writeln!(out, "host-record={host},{addr}");
        }
        for (domain, host, pref) in &self.mx {
            check_name(domain)?;
            check_target(host)?;
            let _ = writeln!(out, "mx-host={domain},{host},{pref}");
        }
        for (name, target, port, priority, weight) in &self.srv {
            check_name(name)?;
            check_target(target)?;
            let _ = writeln!(out, "srv-host={name},{target},{port},{priority},{weight}");
        }
        for (name, text) in &self.txt {
            check_name(name)?;
            if text.contains(['"', '\\']) || text.chars().any(char::is_control) {
                return Err(invalid(&format!("TXT text {text:?}: no quotes, backslashes or control characters")));
            }
            let _ = writeln!(out, "txt-record={name},\"{text}\"");
        }
        Ok(out)
    }
}

/// A running private dnsmasq. Dropping it kills the process and deletes its temp dir.
pub struct Dnsmasq {
    // Drop::drop kills the process before the dir goes.
    _exit: ExitGuard,
    dir: tempfile::TempDir,
    child: Child,
    addr: SocketAddr,
}

impl Dnsmasq {
    /// Writes the config, starts `dnsmasq -C CONF -k`, and returns once it answers a query.
    /// Errors carry dnsmasq's output and config.
    pub fn start(records: DnsRecords) -> io::Result<Dnsmasq> {
        let records = records.config_lines()?;
        let dir = tempfile::Builder::new().prefix("inlet-dnsmasq-").tempdir()?;
        let exit = ExitGuard::new(dir.path());
        // The port is picked by binding port 0 (UDP and TCP) and releasing it, then dnsmasq binds
        // it; another process can grab it in between, so a busy port means: again, new port.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::try_start(dir.path(), &records) {
                Ok((child, addr)) => {
                    exit.add_child(&child);
                    return Ok(Dnsmasq { _exit: exit, dir, child, addr });
                }
                Err(e) if attempt < 3 && e.kind() == io::ErrorKind::AddrInUse => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn try_start(dir: &Path, records: &str) -> io::Result<(Child, SocketAddr)> {
        let port = free_udp_tcp_port()?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let log = dir.join("dnsmasq.log");
        let _ = fs::remove_file(&log);
        let conf = format!(
            "# inlet-testkit private dnsmasq\n\
             port={port}\n\
             listen-address=127.0.0.1\n\
             bind-interfaces\n\
             no-resolv\n\
             no-hosts\n\
             no-poll\n\
             local=/#/\n\
             cache-size=0\n\
             user=root\n\
             group=root\n\
             pid-file={pid}\n\
             log-queries\n\
             log-facility={log}\n\
             {records}",
            pid = dir.join("dnsmasq.pid").display(),
            log = log.display(),
        );
        let conf_path = dir.join("dnsmasq.conf");
        fs::write(&conf_path, &conf)?;
        let out_path = dir.join("dnsmasq.stderr");
        let out = fs::File::create(&out_path)?;
        let mut cmd = Command::new(dnsmasq_binary());
        cmd.arg("-C").arg(&conf_path).arg("-k").stdin(Stdio::null()).stdout(out.try_clone()?).stderr(out);
        let mut child = spawn(cmd).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                io::Error::new(e.kind(), "dnsmasq not found: install the Debian package dnsmasq-base")
            } else {
                e
            }
        })?;
        let ready = wait_until(START_TIMEOUT, || {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(Err(status));
            }
            probe(addr).then_some(Ok(()))
        });
        let failure = match ready {
            Some(Ok(())) => return Ok((child, addr)),
            Some(Err(status)) => format!("dnsmasq exited during start ({status})"),
            None => format!("dnsmasq did not answer within {START_TIMEOUT:?}"),
        };
        kill_group(&mut child);
        let output = fs::read_to_string(&out_path).unwrap_or_default() + &fs::read_to_string(&log).unwrap_or_default();
        let kind = if output.contains("Address already in use") {
            io::ErrorKind::AddrInUse
        } else if ready.is_none() {
            io::ErrorKind::TimedOut
        } else {
            io::ErrorKind::Other
        };
        Err(io::Error::new(kind, format!("{failure}\n--- output ---\n{output}--- dnsmasq.conf ---\n{conf}")))
    }

    /// 127.0.0.1 and the port it answers on, over UDP and TCP.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// dnsmasq's log: one `query[TYPE] name from 127.0.0.1` line per question, then how it was
    /// answered. For failure messages and for tests that check what was asked.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("dnsmasq.log")).unwrap_or_default()
    }

    /// The temp dir holding config, pid file and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

/// A DNS server that never answers: a UDP socket nobody reads and a TCP listener nobody accepts
/// from (the kernel completes the handshake, then nothing comes), on one port of 127.0.0.1.
/// Queries over either transport hang until the client's deadline.
pub struct SilentDns {
    _udp: UdpSocket,
    _tcp: TcpListener,
    addr: SocketAddr,
}

impl SilentDns {
    pub fn start() -> io::Result<SilentDns> {
        for _ in 0..20 {
            let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
            let addr = udp.local_addr()?;
            if let Ok(tcp) = TcpListener::bind(addr) {
                return Ok(SilentDns { _udp: udp, _tcp: tcp, addr });
            }
        }
        Err(io::Error::new(io::ErrorKind::AddrInUse, "no port free for both UDP and TCP"))
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// A DNS server that answers every UDP query with an error code and nothing else, e.g.
/// [`ErrorDns::SERVFAIL`] or [`ErrorDns::REFUSED`]. Runs on a thread; stops when dropped.
pub struct ErrorDns {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ErrorDns {
    pub const SERVFAIL: u8 = 2;
    pub const REFUSED: u8 = 5;

    pub fn start(rcode: u8) -> io::Result<ErrorDns> {
        let sock = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        sock.set_read_timeout(Some(Duration::from_millis(50)))?;
        let addr = sock.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let thread = std::thread::Builder::new().name("testkit-error-dns".into()).spawn(move || {
            let mut buf = [0u8; 1500];
            while !stop2.load(Ordering::SeqCst) {
                let Ok((n, from)) = sock.recv_from(&mut buf) else {
                    continue;
                };
                if n < 12 {
                    continue;
                }
                // Same id and question; QR=1, opcode and RD kept, RA=1, the RCODE; no records
                // (an EDNS OPT record in the query's additional section is dropped).
                let mut answer = buf[..n].to_vec();
                answer[2] = 0x80 | (buf[2] & 0x79);
                answer[3] = 0x80 | (rcode & 0x0f);
                answer[6..12].fill(0);
                if let Some(end) = question_end(&answer) {
                    answer.truncate(end);
                }
                let _ = sock.send_to(&answer, from);
            }
        })?;
        Ok(ErrorDns { addr, stop, thread: Some(thread) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for ErrorDns {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Where the first question of a DNS message ends (header, QNAME labels, QTYPE, QCLASS).
fn question_end(msg: &[u8]) -> Option<usize> {
    if u16::from_be_bytes([msg[4], msg[5]]) == 0 {
        return Some(12);
    }
    let mut i = 12;
    loop {
        let len = *msg.get(i)? as usize;
        i += 1;
        if len == 0 {
            break;
        }
        i += len;
    }
    (i + 4 <= msg.len()).then_some(i + 4)
}

// ---- helpers --------------------------------------------------------------------------------

/// `dnsmasq` from PATH, or /usr/sbin/dnsmasq where PATH lacks the sbin directories.
fn dnsmasq_binary() -> PathBuf {
    let sbin = Path::new("/usr/sbin/dnsmasq");
    let on_path =
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("dnsmasq").is_file()));
    if !on_path && sbin.is_file() {
        sbin.to_path_buf()
    } else {
        PathBuf::from("dnsmasq")
    }
}

/// A port free on 127.0.0.1 for both UDP and TCP at the moment of the call.
fn free_udp_tcp_port() -> io::Result<u16> {
    for _ in 0..20 {
        let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = udp.local_addr()?.port();
        if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Ok(port);
        }
    }
    Err(io::Error::new(io::ErrorKind::AddrInUse, "no port free for both UDP and TCP"))
}

/// Whether the server at `addr` answers a UDP query (any answer counts: NXDOMAIN is fine).
fn probe(addr: SocketAddr) -> bool {
    let Ok(sock) = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)) else {
        return false;
    };
    let _ = sock.set_read_timeout(Some(Duration::from_millis(200)));
    let id: u16 = 0x1e7;
    let query = dns_query(id, "inlet-testkit-probe.invalid", 1);
    if sock.send_to(&query, addr).is_err() {
        return false;
    }
    let mut buf = [0u8; 512];
    match sock.recv_from(&mut buf) {
        Ok((n, from)) => from == addr && n >= 12 && buf[..2] == id.to_be_bytes() && buf[2] & 0x80 != 0,
        Err(_) => false,
    }
}

/// A minimal DNS query message (RFC 1035 4.1): header with RD set, one question of class IN.
fn dns_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut q = Vec::with_capacity(32 + name.len());
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in name.trim_end_matches('.').split('.') {
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.push(0);
    q.extend_from_slice(&qtype.to_be_bytes());
    q.extend_from_slice(&1u16.to_be_bytes());
    q
}

/// A record's target: a name, or "." (the root: "nothing here").
fn check_target(name: &str) -> io::Result<()> {
    if name == "." {
        Ok(())
    } else {
        check_name(name)
    }
}

/// A name dnsmasq's config syntax takes as is: labels of letters, digits, `-` and `_`.
fn check_name(name: &str) -> io::Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.trim_end_matches('.').split('.').all(|l| {
            !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if ok {
        Ok(())
    } else {
        Err(invalid(&format!("{name:?} is not a DNS name dnsmasq can serve")))
    }
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_lines() {
        let lines = DnsRecords::default()
            .a("imap.example.test", Ipv4Addr::LOCALHOST)
            .mx("example.test", "mx.example.test", 10)
            .srv("_imaps._tcp.example.test", "imap.example.test", 993, 0, 1)
            .srv("_pop3._tcp.example.test", ".", 0, 0, 0)
            .txt("example.test", "v=spf1 -all")
            .config_lines()
            .unwrap();
        assert_eq!(
            lines,
            "host-record=imap.example.test,127.0.0.1\n\
             mx-host=example.test,mx.example.test,10\n\
             srv-host=_imaps._tcp.example.test,imap.example.test,993,0,1\n\
             srv-host=_pop3._tcp.example.test,.,0,0,0\n\
             txt-record=example.test,\"v=spf1 -all\"\n"
        );
        assert!(DnsRecords::default().a("bad,name", Ipv4Addr::LOCALHOST).config_lines().is_err());
        assert!(DnsRecords::default().txt("x.test", "a\"b").config_lines().is_err());
    }

    /// (RCODE, ANCOUNT) of the answer to one UDP query.
    fn ask(addr: SocketAddr, name: &str, qtype: u16) -> (u8, u16) {
        let sock = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        sock.send_to(&dns_query(7, name, qtype), addr).unwrap();
        let mut buf = [0u8; 512];
        let (n, _) = sock.recv_from(&mut buf).unwrap();
        assert!(n >= 12);
        (buf[3] & 0x0f, u16::from_be_bytes([buf[6], buf[7]]))
    }

    #[test]
    fn dnsmasq_serves_its_records_and_nxdomain_otherwise() {
        let dns = Dnsmasq::start(
            DnsRecords::default()
                .a("imap.example.test", Ipv4Addr::LOCALHOST)
                .a("imap.example.test", Ipv4Addr::new(127, 0, 0, 2))
                .mx("example.test", "mx.example.test", 10)
                .srv("_imaps._tcp.example.test", "imap.example.test", 993, 0, 1)
                .txt("example.test", "hello, world"),
        )
        .unwrap();
        const A: u16 = 1;
        const MX: u16 = 15;
        const TXT: u16 = 16;
        const AAAA: u16 = 28;
        const SRV: u16 = 33;
        assert_eq!(ask(dns.addr(), "imap.example.test", A), (0, 2));
        assert_eq!(ask(dns.addr(), "imap.example.test", AAAA), (0, 0), "NODATA");
        assert_eq!(ask(dns.addr(), "example.test", MX), (0, 1));
        assert_eq!(ask(dns.addr(), "example.test", TXT), (0, 1));
        assert_eq!(ask(dns.addr(), "_imaps._tcp.example.test", SRV), (0, 1));
        assert_eq!(ask(dns.addr(), "nosuch.example.test", A), (3, 0), "NXDOMAIN");
        assert_eq!(ask(dns.addr(), "www.example.com", A), (3, 0), "no upstream: NXDOMAIN");
        assert!(dns.log().contains("query[MX] example.test"), "{}", dns.log());
        let dir = dns.dir().to_path_buf();
        drop(dns);
        assert!(!dir.exists());
    }

    #[test]
    fn error_dns_answers_with_its_code() {
        let servfail = ErrorDns::start(ErrorDns::SERVFAIL).unwrap();
        assert_eq!(ask(servfail.addr(), "example.test", 33), (2, 0));
        let refused = ErrorDns::start(ErrorDns::REFUSED).unwrap();
        assert_eq!(ask(refused.addr(), "example.test", 1), (5, 0));
    }

    #[test]
    fn silent_dns_never_answers() {
        let silent = SilentDns::start().unwrap();
        assert!(!probe(silent.addr()));
    }
}
