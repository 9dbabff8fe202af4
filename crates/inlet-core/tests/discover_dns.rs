//! DNS sources of discovery and the resolver (SRV per RFC 6186/8314, MX → provider, addresses) against a real
//! dnsmasq serving test records, and against a DNS server that never answers.

use inlet_core::account::{Protocol, Security};
use inlet_core::discover::sources::dns::{
    mx_hosts, provider_from_mx, srv_records, KnownProvider, SrvService, SOURCE_MX, SOURCE_SRV,
};
use inlet_core::discover::trace::StepStatus;
use inlet_core::net::dns::{DnsError, DnsResolver};
use inlet_core::EngineConfig;
use inlet_testkit::{DnsRecords, Dnsmasq, ErrorDns, SilentDns};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(5);
/// How far past a deadline a lookup may end on a busy machine (two cores shared by builds).
const SLACK: Duration = Duration::from_secs(3);
/// A deadline no error answer should come near.
const LONG_DEADLINE: Duration = Duration::from_secs(60);

fn records() -> DnsRecords {
    DnsRecords::default()
        .a("imap.example.test", Ipv4Addr::LOCALHOST)
        .a("mail.example.test", Ipv4Addr::new(127, 0, 0, 2))
        // Implicit TLS IMAP: two hosts at priority 0 with different weights, a backup at 10.
        .srv("_imaps._tcp.example.test", "imap-light.example.test", 993, 0, 10)
        .srv("_imaps._tcp.example.test", "imap-heavy.example.test", 993, 0, 50)
        .srv("_imaps._tcp.example.test", "imap-backup.example.test", 9993, 10, 0)
        // STARTTLS IMAP at the same priority 0: after every implicit-TLS one of priority 0.
        .srv("_imap._tcp.example.test", "imap.example.test", 143, 0, 100)
        .srv("_pop3s._tcp.example.test", "pop.example.test", 995, 20, 1)
        // POP3 with STARTTLS is explicitly not offered.
        .srv("_pop3._tcp.example.test", ".", 0, 0, 0)
        .srv("_submission._tcp.example.test", "Smtp.Example.Test", 587, 0, 1)
        .srv("_submissions._tcp.example.test", "smtp.example.test", 465, 0, 1)
        .mx("example.test", "mail.example.test", 10)
        .mx("example-g.test", "alt2.aspmx.l.google.com", 20)
        .mx("example-g.test", "alt1.aspmx.l.google.com", 10)
        .mx("example-m.test", "example-m-test.mail.protection.outlook.com", 0)
        .mx("example-o.test", "mx2.hosting.example.co.uk", 20)
        .mx("example-o.test", "mx1.hosting.example.co.uk", 10)
        .mx("nullmx.test", ".", 0)
}

fn resolver(dns: &Dnsmasq) -> DnsResolver {
    DnsResolver::new(Some(dns.addr())).expect("resolver")
}

#[tokio::test]
async fn srv_candidates_in_rfc_order_with_trace() {
    let dns = Dnsmasq::start(records()).unwrap();
    let result = srv_records(&resolver(&dns), "Example.TEST.", DEADLINE).await;

    let got: Vec<(SrvService, &str, u16, Security)> =
        result.candidates.iter().map(|c| (c.service, c.host.as_str(), c.port, c.security)).collect();
    assert_eq!(
        got,
        [
            (SrvService::Imaps, "imap-heavy.example.test", 993, Security::Tls),
            (SrvService::Imaps, "imap-light.example.test", 993, Security::Tls),
            (SrvService::Imap, "imap.example.test", 143, Security::Starttls),
            (SrvService::Imaps, "imap-backup.example.test", 9993, Security::Tls),
            (SrvService::Pop3s, "pop.example.test", 995, Security::Tls),
            (SrvService::Submissions, "smtp.example.test", 465, Security::Tls),
            (SrvService::Submission, "smtp.example.test", 587, Security::Starttls),
        ],
        "{:#?}\n{}",
        result,
        dns.log()
    );
    let heavy = &result.candidates[0];
    assert_eq!((heavy.protocol, heavy.priority, heavy.weight), (Protocol::Imap, 0, 50));
    assert_eq!(result.for_protocol(Protocol::Smtp).count(), 2);
    assert_eq!(result.not_offered, [SrvService::Pop3]);
    assert!(!result.had_failures());

    // One step per service, in a fixed order, saying what was asked and what came of it.
    assert_eq!(result.trace.len(), 6);
    let steps: Vec<(&str, &str, StepStatus)> =
        result.trace.iter().map(|s| (s.source.as_str(), s.query.as_str(), s.status)).collect();
    assert_eq!(
        steps,
        [
            (SOURCE_SRV, "SRV _imaps._tcp.example.test", StepStatus::Found),
            (SOURCE_SRV, "SRV _imap._tcp.example.test", StepStatus::Found),
            (SOURCE_SRV, "SRV _pop3s._tcp.example.test", StepStatus::Found),
            (SOURCE_SRV, "SRV _pop3._tcp.example.test", StepStatus::NotOffered),
            (SOURCE_SRV, "SRV _submissions._tcp.example.test", StepStatus::Found),
            (SOURCE_SRV, "SRV _submission._tcp.example.test", StepStatus::Found),
        ]
    );
    assert!(
        result.trace[0].outcome.contains("imap-heavy.example.test:993 (priority 0, weight 50)"),
        "{:?}",
        result.trace[0]
    );
    assert!(result.trace[3].outcome.contains("does not offer"), "{:?}", result.trace[3]);
    assert!(result.trace.iter().all(|s| s.elapsed_ms < DEADLINE.as_millis() as u64));
    // The six questions really went to our server.
    for service in SrvService::ALL {
        assert!(dns.log().contains(&format!("query[SRV] {}.example.test", service.label())), "{}", dns.log());
    }
}

#[tokio::test]
async fn nxdomain_is_an_empty_answer_not_a_failure() {
    let dns = Dnsmasq::start(records()).unwrap();
    let resolver = resolver(&dns);

    let srv = srv_records(&resolver, "nowhere.test", DEADLINE).await;
    assert!(srv.candidates.is_empty());
    assert!(srv.not_offered.is_empty());
    assert!(!srv.had_failures(), "{:#?}", srv.trace);
    assert_eq!(srv.trace.len(), 6);
    for step in &srv.trace {
        assert_eq!(step.status, StepStatus::NotFound, "{step:?}");
        assert!(step.outcome.contains("NXDOMAIN"), "{step:?}");
    }

    let mx = mx_hosts(&resolver, "nowhere.test", DEADLINE).await;
    assert!(mx.hosts.is_empty());
    assert!(!mx.null_mx);
    assert_eq!(mx.trace.len(), 1);
    assert_eq!((mx.trace[0].source.as_str(), mx.trace[0].status), (SOURCE_MX, StepStatus::NotFound));

    // A domain that exists but has no SRV records (NODATA) is empty too.
    let srv = srv_records(&resolver, "example-g.test", DEADLINE).await;
    assert!(srv.candidates.is_empty() && !srv.had_failures(), "{:#?}", srv.trace);
}

#[tokio::test]
async fn mx_hosts_name_the_provider() {
    let dns = Dnsmasq::start(records()).unwrap();
    let resolver = resolver(&dns);

    let google = mx_hosts(&resolver, "example-g.test", DEADLINE).await;
    assert_eq!(
        google.hosts,
        [(10, "alt1.aspmx.l.google.com".to_string()), (20, "alt2.aspmx.l.google.com".to_string())]
    );
    assert_eq!(google.trace[0].query, "MX example-g.test");
    assert_eq!(google.trace[0].status, StepStatus::Found);
    assert_eq!(google.trace[0].outcome, "10 alt1.aspmx.l.google.com, 20 alt2.aspmx.l.google.com");
    let provider = provider_from_mx(&google.hosts).unwrap();
    assert_eq!((provider.provider, provider.provider_domain.as_str()), (KnownProvider::Google, "googlemail.com"));

    let microsoft = mx_hosts(&resolver, "example-m.test", DEADLINE).await;
    let provider = provider_from_mx(&microsoft.hosts).unwrap();
    assert_eq!((provider.provider, provider.provider_domain.as_str()), (KnownProvider::Microsoft, "outlook.com"));

    let other = mx_hosts(&resolver, "example-o.test", DEADLINE).await;
    let provider = provider_from_mx(&other.hosts).unwrap();
    assert_eq!(provider.provider, KnownProvider::Other("example.co.uk".into()));
    assert_eq!(provider.provider_domain, "example.co.uk");

    let own = mx_hosts(&resolver, "example.test", DEADLINE).await;
    assert_eq!(own.hosts, [(10, "mail.example.test".to_string())]);

    // RFC 7505: "0 ." means the domain takes no mail.
    let null = mx_hosts(&resolver, "nullmx.test", DEADLINE).await;
    assert!(null.hosts.is_empty() && null.null_mx, "{null:#?}");
    assert_eq!(null.trace[0].status, StepStatus::NotOffered);
    assert_eq!(provider_from_mx(&null.hosts), None);
}

#[tokio::test]
async fn addresses_resolve_through_the_configured_server() {
    let dns = Dnsmasq::start(records()).unwrap();
    let config = EngineConfig { dns_server: Some(dns.addr()), ..Default::default() };
    let resolver = DnsResolver::from_config(&config).unwrap();
    assert_eq!(resolver.server(), Some(dns.addr()));

    let addrs = resolver.lookup_ip("imap.example.test", DEADLINE).await.unwrap();
    assert_eq!(addrs, [IpAddr::V4(Ipv4Addr::LOCALHOST)]);
    let addrs = resolver.lookup_ip("MAIL.example.test.", DEADLINE).await.unwrap();
    assert_eq!(addrs, [IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))]);
    assert_eq!(resolver.lookup_ip("127.0.0.9", DEADLINE).await.unwrap(), [IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9))]);

    let missing = resolver.lookup_ip("nosuch.example.test", DEADLINE).await;
    assert!(matches!(missing, Err(DnsError::NotFound { .. })), "{missing:?}");
}

#[tokio::test]
async fn a_silent_server_costs_the_deadline_and_is_recorded_as_a_timeout() {
    let silent = SilentDns::start().unwrap();
    let resolver = DnsResolver::new(Some(silent.addr())).unwrap();
    let deadline = Duration::from_millis(1000);

    // The words say a deadline fired; the clock shows it was the caller's, for the six queries
    // at once: asked one after another they would take six deadlines, far past the slack a busy
    // machine needs.
    let started = Instant::now();
    let srv = srv_records(&resolver, "example.test", deadline).await;
    let took = started.elapsed();
    assert!(took >= deadline && took < deadline + SLACK, "SRV took {took:?}");
    assert!(srv.candidates.is_empty());
    assert!(srv.had_failures());
    assert_eq!(srv.trace.len(), 6);
    for step in &srv.trace {
        assert_eq!(step.status, StepStatus::TimedOut, "{step:?}");
        assert!(step.outcome.contains("no answer within 1000 ms"), "{step:?}");
        assert!(u128::from(step.elapsed_ms) <= took.as_millis(), "{step:?}");
    }

    let started = Instant::now();
    let mx = mx_hosts(&resolver, "example.test", deadline).await;
    assert!(started.elapsed() < deadline + SLACK, "MX took {:?}", started.elapsed());
    assert_eq!(mx.trace[0].status, StepStatus::TimedOut);
    assert!(mx.trace[0].outcome.contains("no answer within 1000 ms"), "{:?}", mx.trace[0]);
    assert!(mx.trace[0].is_failure());

    let started = Instant::now();
    let addr = resolver.lookup_ip("imap.example.test", deadline).await;
    assert!(started.elapsed() < deadline + SLACK, "A took {:?}", started.elapsed());
    assert!(matches!(addr, Err(DnsError::TimedOut { .. })), "{addr:?}");
}

#[tokio::test]
async fn an_invalid_domain_is_a_recorded_failure() {
    let dns = Dnsmasq::start(records()).unwrap();
    let srv = srv_records(&resolver(&dns), "bad domain..test", DEADLINE).await;
    assert!(srv.candidates.is_empty());
    assert_eq!(srv.trace.len(), 1);
    assert_eq!(srv.trace[0].status, StepStatus::Failed);
}

#[tokio::test]
async fn server_errors_are_recorded_failures() {
    for (rcode, word) in [(ErrorDns::SERVFAIL, "SERVFAIL"), (ErrorDns::REFUSED, "REFUSED")] {
        let server = ErrorDns::start(rcode).unwrap();
        let resolver = DnsResolver::new(Some(server.addr())).unwrap();
        // An error answer ends the query: it is not waited out to the deadline (which would
        // record a timeout, and take a minute).
        let started = Instant::now();
        let srv = srv_records(&resolver, "example.test", LONG_DEADLINE).await;
        assert!(started.elapsed() < LONG_DEADLINE / 2, "an error answer is not waited out: {:?}", started.elapsed());
        assert!(srv.candidates.is_empty() && srv.had_failures());
        for step in &srv.trace {
            assert_eq!(step.status, StepStatus::Failed, "{step:?}");
            assert!(step.outcome.to_uppercase().contains(word), "{step:?}");
        }
        let mx = mx_hosts(&resolver, "example.test", DEADLINE).await;
        assert_eq!(mx.trace[0].status, StepStatus::Failed, "{:?}", mx.trace);
        let addr = resolver.lookup_ip("imap.example.test", DEADLINE).await;
        assert!(matches!(addr, Err(DnsError::Failed { .. })), "{addr:?}");
    }
}

#[tokio::test]
async fn a_closed_port_is_a_recorded_failure_within_the_deadline() {
    // Nothing listens there. hickory's UDP sockets are unconnected, so the ICMP "port
    // unreachable" is never seen: the queries run into the deadline.
    let port = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap();
    let resolver = DnsResolver::new(Some(port)).unwrap();
    let deadline = Duration::from_millis(1000);
    let started = Instant::now();
    let srv = srv_records(&resolver, "example.test", deadline).await;
    assert!(started.elapsed() < deadline + SLACK, "took {:?}", started.elapsed());
    assert!(srv.had_failures());
    for step in &srv.trace {
        assert!(step.is_failure(), "{step:?}");
    }
}

/// The steps' outcomes are words a person reads ("What Inlet tried", the help-desk report): in
/// German they are German, and the record values stay as DNS gave them. The language is the
/// thread's, so the lookups run on a runtime of this thread only.
#[test]
fn dns_outcomes_are_in_the_chosen_language() {
    use inlet_core::i18n::{with_language, Language};
    let dns = Dnsmasq::start(records()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (null, none, srv) = with_language(Language::De, || {
        runtime.block_on(async {
            let resolver = resolver(&dns);
            (
                mx_hosts(&resolver, "nullmx.test", DEADLINE).await,
                mx_hosts(&resolver, "imap.example.test", DEADLINE).await,
                srv_records(&resolver, "example.test", DEADLINE).await,
            )
        })
    });
    assert_eq!(null.trace[0].outcome, "Null-MX („.“): Die Domain nimmt keine E-Mails an");
    assert_eq!(none.trace[0].outcome, "keine Einträge dieser Art");
    let outcome = |service: &str| {
        srv.trace.iter().find(|s| s.query.contains(service)).map(|s| s.outcome.clone()).unwrap_or_default()
    };
    assert_eq!(outcome("_pop3._tcp"), "Ziel „.“: Die Domain bietet diesen Dienst nicht an");
    assert_eq!(outcome("_pop3s._tcp"), "pop.example.test:995 (Priorität 20, Gewichtung 1)");
    // The same lookups in English read as before.
    let null = runtime.block_on(async { mx_hosts(&resolver(&dns), "nullmx.test", DEADLINE).await });
    assert_eq!(null.trace[0].outcome, "null MX (\".\"): the domain accepts no mail");
}
