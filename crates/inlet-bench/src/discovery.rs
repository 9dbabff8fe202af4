//! Discovery: time from an address to verified settings, every source racing (`Walk::Race`, what
//! the app does) against the same sources walked one after another (`Walk::Sequential`), in the
//! same run, with 20 ms added each way on every server (DNS, HTTPS, IMAP, POP3, SMTP).
//!
//! Two custom domains, neither known to the ISPDB, with no autoconfig and no Autodiscover (each
//! answers 404 over HTTPS) and no MX:
//! - `srv.bench.test` publishes its servers the RFC 6186/8314 way: SRV records for IMAP (TLS and
//!   STARTTLS), POP3 and submission (TLS and STARTTLS), pointing at imap/mail.example.test;
//! - `example.test` publishes nothing: only its imap. and mail. names exist, so only guessing
//!   finds them (the usual case of a small custom domain).
//!
//! Scenario (b) is (a) with an ISPDB that never answers. The app's default deadlines apply
//! (DiscoveryLimits: 6 s per web source, 0.8 s grace).

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use inlet_core::config::{ConnectTo, EngineConfig};
use inlet_core::discover::{DiscoverRequest, Walk};
use inlet_core::Engine;
use inlet_testkit::{
    DelayProxy, DnsRecords, Dnsmasq, Dovecot, DovecotOptions, HttpsServer, Route, SmtpOptions, SmtpServer, TestPki,
    UdpDelayProxy,
};

const DELAY: Duration = Duration::from_millis(20);

pub struct Row {
    pub what: &'static str,
    pub input: &'static str,
    pub race_ms: f64,
    pub sequential_ms: f64,
}

/// One domain, the mail hosts to send to the servers, and what discovery must end with.
struct Domain {
    email: &'static str,
    input: &'static str,
    web_hosts: [&'static str; 3],
    ispdb_path: &'static str,
    mail_hosts: &'static [(&'static str, u16, Service)],
    incoming: (&'static str, u16),
    outgoing: (&'static str, u16),
}

#[derive(Clone, Copy)]
enum Service {
    Imaps,
    Imap,
    Pop3s,
    Smtps,
    Submission,
}

const SRV_DOMAIN: Domain = Domain {
    email: "alice@srv.bench.test",
    input: "SRV records only",
    web_hosts: ["autoconfig.srv.bench.test", "srv.bench.test", "autodiscover.srv.bench.test"],
    ispdb_path: "/v1.1/srv.bench.test",
    mail_hosts: &[
        ("imap.example.test", 993, Service::Imaps),
        ("imap.example.test", 143, Service::Imap),
        ("mail.example.test", 995, Service::Pop3s),
        ("mail.example.test", 465, Service::Smtps),
        ("mail.example.test", 587, Service::Submission),
    ],
    incoming: ("imap.example.test", 993),
    outgoing: ("mail.example.test", 465),
};

/// The test servers' certificates name imap.example.test and mail.example.test, so the domain
/// that publishes nothing is example.test: imap. answers, smtp. does not exist, mail. answers.
const GUESS_DOMAIN: Domain = Domain {
    email: "alice@example.test",
    input: "nothing published (guessing)",
    web_hosts: ["autoconfig.example.test", "example.test", "autodiscover.example.test"],
    ispdb_path: "/v1.1/example.test",
    mail_hosts: &[
        ("imap.example.test", 993, Service::Imaps),
        ("imap.example.test", 143, Service::Imap),
        ("mail.example.test", 993, Service::Imaps),
        ("mail.example.test", 465, Service::Smtps),
        ("mail.example.test", 587, Service::Submission),
    ],
    incoming: ("imap.example.test", 993),
    outgoing: ("mail.example.test", 465),
};

/// Servers behind latency proxies, and an engine pointed at them.
struct Setup {
    _proxies: Vec<DelayProxy>,
    _dns_proxy: UdpDelayProxy,
    _web: HttpsServer,
    engine: Engine,
}

fn setup(
    pki: &TestPki,
    dns: &Dnsmasq,
    dovecot: &Dovecot,
    smtp: &SmtpServer,
    domain: &Domain,
    ispdb_hangs: bool,
) -> Setup {
    let mut names: Vec<&str> = domain.web_hosts.to_vec();
    names.extend(["localhost", "127.0.0.1"]);
    let (cert, key) = pki.issue(&names);
    let routes = if ispdb_hangs { vec![Route::hang(domain.ispdb_path)] } else { vec![] };
    let web = HttpsServer::start_with_cert(&cert, &key, routes);
    let delayed = |port: u16| DelayProxy::start((Ipv4Addr::LOCALHOST, port).into(), DELAY);
    let web_proxy = delayed(web.port());
    let mut connect_to: Vec<ConnectTo> = domain
        .web_hosts
        .iter()
        .map(|h| ConnectTo { host: h.to_string(), port: 443, to_host: "127.0.0.1".into(), to_port: web_proxy.port() })
        .collect();
    let mut proxies = Vec::new();
    for &(host, port, service) in domain.mail_hosts {
        let to = match service {
            Service::Imaps => dovecot.imaps_port(),
            Service::Imap => dovecot.imap_port(),
            Service::Pop3s => dovecot.pop3s_port(),
            Service::Smtps => smtp.smtps_port(),
            Service::Submission => smtp.smtp_port(),
        };
        let proxy = delayed(to);
        connect_to.push(ConnectTo { host: host.into(), port, to_host: "127.0.0.1".into(), to_port: proxy.port() });
        proxies.push(proxy);
    }
    proxies.push(web_proxy);
    let dns_proxy = UdpDelayProxy::start(dns.addr(), DELAY);
    let engine = Engine::new(EngineConfig {
        extra_ca_files: vec![pki.ca_pem_path().to_path_buf()],
        dns_server: Some(dns_proxy.addr()),
        // The ISPDB is asked through the same delayed HTTPS server.
        ispdb_url: format!("https://127.0.0.1:{}/v1.1/", web_proxy_port(&proxies)),
        connect_to,
        ..Default::default()
    })
    .expect("engine");
    Setup { _proxies: proxies, _dns_proxy: dns_proxy, _web: web, engine }
}

fn web_proxy_port(proxies: &[DelayProxy]) -> u16 {
    proxies.last().expect("the web proxy is pushed last").port()
}

/// Median milliseconds of `runs` discoveries, each checked to end in verified settings.
async fn measure(engine: &Engine, domain: &Domain, walk: Walk, runs: usize) -> f64 {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let found =
            engine.discover_walking(&DiscoverRequest::new(domain.email), walk, &|_| {}).await.expect("discovery runs");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if std::env::var_os("INLET_BENCH_TRACE").is_some() {
            eprintln!("{walk:?} {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
            for r in &found.sources {
                eprintln!("  {:?} {:?} {} ms {}", r.source, r.status, r.elapsed_ms, r.summary);
            }
            for t in found.trace.iter().filter(|t| t.source == "verify") {
                eprintln!("  verify {} {} ms", t.query, t.elapsed_ms);
            }
        }
        for (c, (host, port)) in [(&found.incoming[0], domain.incoming), (&found.outgoing[0], domain.outgoing)] {
            assert!(
                c.verified() && c.endpoint.host == host && c.endpoint.port == port,
                "{walk:?} must end in verified settings {host}:{port}: {c:?}"
            );
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

pub async fn run(pki: &TestPki, quick: bool) -> Vec<Row> {
    let dovecot = Dovecot::start(pki, DovecotOptions::default()).expect("dovecot");
    let smtp = SmtpServer::start(pki, SmtpOptions::default()).expect("smtp server");
    let dns = Dnsmasq::start(
        DnsRecords::default()
            .a("imap.example.test", Ipv4Addr::LOCALHOST)
            .a("mail.example.test", Ipv4Addr::LOCALHOST)
            .srv("_imaps._tcp.srv.bench.test", "imap.example.test", 993, 0, 1)
            .srv("_imap._tcp.srv.bench.test", "imap.example.test", 143, 0, 1)
            .srv("_pop3s._tcp.srv.bench.test", "mail.example.test", 995, 10, 1)
            .srv("_submissions._tcp.srv.bench.test", "mail.example.test", 465, 0, 1)
            .srv("_submission._tcp.srv.bench.test", "mail.example.test", 587, 0, 1),
    )
    .expect("dnsmasq");
    let (fast_runs, slow_runs) = if quick { (5, 3) } else { (15, 5) };
    let mut rows = Vec::new();
    for domain in [&SRV_DOMAIN, &GUESS_DOMAIN] {
        let healthy = setup(pki, &dns, &dovecot, &smtp, domain, false);
        // Warm the servers (Dovecot's first login of a user, aiosmtpd's first TLS).
        measure(&healthy.engine, domain, Walk::Race, 2).await;
        let race_a = measure(&healthy.engine, domain, Walk::Race, fast_runs).await;
        let seq_a = measure(&healthy.engine, domain, Walk::Sequential, fast_runs).await;
        rows.push(Row { what: "(a) all sources healthy", input: domain.input, race_ms: race_a, sequential_ms: seq_a });

        let hanging = setup(pki, &dns, &dovecot, &smtp, domain, true);
        let race_b = measure(&hanging.engine, domain, Walk::Race, fast_runs).await;
        let seq_b = measure(&hanging.engine, domain, Walk::Sequential, slow_runs).await;
        rows.push(Row {
            what: "(b) the ISPDB never answers",
            input: domain.input,
            race_ms: race_b,
            sequential_ms: seq_b,
        });
    }
    rows
}

pub fn print(rows: &[Row]) {
    println!();
    println!("Discovery: address → verified settings (incoming and outgoing), +20 ms each way on every server (DNS, HTTPS, IMAP, SMTP)");
    println!();
    println!("| what | domain | race median | sequential walk median | ratio (sequential ÷ race) |");
    println!("|---|---|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {:.0} ms | {:.0} ms | {:.1}× |",
            r.what,
            r.input,
            r.race_ms,
            r.sequential_ms,
            r.sequential_ms / r.race_ms
        );
    }
    println!();
    for pair in rows.chunks(2) {
        if let [a, b] = pair {
            println!(
                "{}: (b) − (a) = {:+.0} ms (target ≤ 1000 ms); race (b) against the healthy sequential walk (a): {:.1}×",
                a.input,
                b.race_ms - a.race_ms,
                a.sequential_ms / b.race_ms
            );
        }
    }
}
