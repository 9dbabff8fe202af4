//! Dovecot starts for real, with users, folders, messages, certificates and options as asked.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{last, Conn};
use inlet_testkit::{make_folders_tree, mutf7, CertKind, Dovecot, DovecotOptions, TestPki};

fn start(pki: &TestPki, opts: DovecotOptions) -> Dovecot {
    let t = Instant::now();
    let d = Dovecot::start(pki, opts).expect("starting dovecot");
    eprintln!("Dovecot::start took {:?}", t.elapsed());
    d
}

/// Runs `openssl s_client` against a port; returns (success, stdout + stderr).
fn s_client(pki: &TestPki, port: u16, extra: &[&str]) -> (bool, String) {
    let mut child = Command::new("openssl")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-verify_return_error"])
        .arg("-CAfile")
        .arg(pki.ca_pem_path())
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl s_client");
    // Closing stdin after the handshake makes s_client exit.
    child.stdin.take().unwrap().write_all(b"").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success() && text.contains("Verify return code: 0 (ok)"), text)
}

fn first_pem(text: &str) -> String {
    let start = text.find("-----BEGIN CERTIFICATE-----").expect("a certificate");
    let end = text[start..].find("-----END CERTIFICATE-----").unwrap() + start;
    text[start..end].to_string()
}

#[test]
fn login_accepted_and_wrong_password_rejected() {
    let pki = TestPki::generate();
    let d = start(&pki, DovecotOptions::default());
    assert_eq!(d.users()[0].0, "alice@example.test");

    let mut c = Conn::connect(d.imap_port());
    let greeting = c.line();
    assert!(greeting.starts_with("* OK") && greeting.contains("STARTTLS"), "{greeting}");
    let reply = c.imap("LOGIN alice@example.test wonderland-42");
    assert!(last(&reply).starts_with("t1 OK"), "{reply:?}");
    let list = c.imap(r#"LIST "" "*""#);
    for (name, flag) in inlet_testkit::SPECIAL_FOLDERS {
        assert!(list.iter().any(|l| l.contains(flag) && l.trim_end().ends_with(name)), "{name}: {list:?}");
    }

    let mut c = Conn::connect(d.imap_port());
    c.line();
    let t = Instant::now();
    let reply = c.imap("LOGIN alice@example.test not-the-password");
    assert!(last(&reply).starts_with("t1 NO [AUTHENTICATIONFAILED]"), "{reply:?}");
    eprintln!("failed LOGIN answered in {:?}", t.elapsed());
    let reply = c.imap("LOGIN bob builder-7");
    assert!(last(&reply).starts_with("t2 OK"), "{reply:?}");

    let t = Instant::now();
    drop(d);
    eprintln!("Dovecot drop took {:?}", t.elapsed());
}

#[test]
fn pop3_login() {
    let pki = TestPki::generate();
    let d = start(&pki, DovecotOptions { inbox_messages: 4, ..Default::default() });
    let mut c = Conn::connect(d.pop3_port());
    assert!(c.line().starts_with("+OK"));
    assert!(c.pop3("USER alice@example.test").starts_with("+OK"));
    assert!(c.pop3("PASS wonderland-42").starts_with("+OK"));
    let stat = c.pop3("STAT");
    assert!(stat.starts_with("+OK 4 "), "{stat}");
}

#[test]
fn tls_ports_and_starttls_verify_with_the_test_ca() {
    let pki = TestPki::generate();
    let d = start(&pki, DovecotOptions::default());
    for (port, extra) in [
        (d.imaps_port(), &["-verify_ip", "127.0.0.1"][..]),
        (d.pop3s_port(), &["-verify_hostname", "imap.example.test"][..]),
        (d.imap_port(), &["-starttls", "imap", "-verify_hostname", "localhost"][..]),
        (d.pop3_port(), &["-starttls", "pop3", "-verify_hostname", "mail.example.test"][..]),
    ] {
        let (ok, out) = s_client(&pki, port, extra);
        assert!(ok, "port {port} {extra:?}:\n{out}\n{}", d.log_tail());
    }
}

#[test]
fn every_cert_kind_is_served_and_swappable() {
    let pki = TestPki::generate();
    let mut d = start(&pki, DovecotOptions::default());
    let served = |d: &Dovecot| s_client(&pki, d.imaps_port(), &["-verify_hostname", "imap.example.test"]);

    let (ok, out) = served(&d);
    assert!(ok, "{out}");
    let valid_pem = first_pem(&out);
    assert_eq!(valid_pem, first_pem(&std::fs::read_to_string(pki.cert(CertKind::Valid).0).unwrap()));

    for (kind, error) in [
        (CertKind::Expired, "certificate has expired"),
        (CertKind::WrongHost, "hostname mismatch"),
        (CertKind::Untrusted, "self-signed certificate"),
    ] {
        let t = Instant::now();
        d.swap_cert(&pki, kind).unwrap();
        eprintln!("swap_cert took {:?}", t.elapsed());
        let (ok, out) = served(&d);
        assert!(!ok && out.contains(error), "{kind:?}: {out}");
    }

    d.swap_cert(&pki, CertKind::ValidAlt).unwrap();
    let (ok, out) = served(&d);
    assert!(ok, "{out}");
    assert_ne!(first_pem(&out), valid_pem, "ValidAlt must be another certificate");
    // The same mail is still there after the swaps.
    let mut c = Conn::connect(d.imap_port());
    c.line();
    assert!(last(&c.imap("LOGIN bob builder-7")).starts_with("t1 OK"));
}

#[test]
fn extra_folders_subscriptions_and_messages() {
    let pki = TestPki::generate();
    let opts = DovecotOptions {
        extra_folders: vec![
            "Projets/Réunions".into(), // parent not listed: \NonExistent
            "日本語".into(),
            "Clients".into(),
            "Clients/Ops & Infra".into(),
        ],
        subscribe: vec!["日本語".into(), "Clients/Ops & Infra".into()],
        inbox_messages: 10,
        folder_messages: vec![("Clients".into(), 5, 2), ("Archive".into(), 3, 0)],
        ..Default::default()
    };
    let d = start(&pki, opts);
    assert!(d.mail_dir("alice@example.test").join(".Projets.R&AOk-unions/cur").is_dir());

    let mut c = Conn::connect(d.imap_port());
    c.line();
    c.imap("LOGIN alice@example.test wonderland-42");
    let list = c.imap(r#"LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))"#);
    let text = list.join("");
    eprintln!("{text}");
    // Names arrive in modified UTF-7 and decode back to what was asked for.
    let names: Vec<String> = list
        .iter()
        .filter(|l| l.starts_with("* LIST"))
        .map(|l| {
            let raw = l.trim_end().rsplit(' ').next().unwrap_or("");
            let raw = if l.trim_end().ends_with('"') {
                let s = l.trim_end();
                let open = s[..s.len() - 1].rfind('"').unwrap();
                &s[open + 1..s.len() - 1]
            } else {
                raw
            };
            mutf7::decode(raw).expect("valid modified UTF-7")
        })
        .collect();
    for want in ["INBOX", "Projets", "Projets/Réunions", "日本語", "Clients", "Clients/Ops & Infra", "Archive"] {
        assert!(names.iter().any(|n| n == want), "{want} missing from {names:?}");
    }
    assert!(text.contains(r#"* LIST (\NonExistent) "/" Projets"#), "{text}");
    assert!(text.contains("* STATUS INBOX (MESSAGES 10 UNSEEN 7)"), "{text}");
    assert!(text.contains("* STATUS Clients (MESSAGES 5 UNSEEN 2)"), "{text}");
    assert!(text.contains("* STATUS Archive (MESSAGES 3 UNSEEN 0)"), "{text}");

    let lsub = c.imap(r#"LSUB "" "*""#).join("");
    assert!(lsub.contains("&ZeVnLIqe-") && lsub.contains("Clients/Ops &- Infra"), "{lsub}");
    assert!(!lsub.contains("Projets"), "{lsub}");

    let fetch = c.imap("SELECT INBOX");
    assert!(last(&fetch).starts_with("t4 OK"), "{fetch:?}");
    let fetch = c.imap("FETCH 1 (ENVELOPE INTERNALDATE)").join("");
    assert!(fetch.contains("Test message 1 in INBOX") && fetch.contains("01-Jan-2024 00:00:00 +0000"), "{fetch}");
}

#[test]
fn imap_capability_override_hides_list_status() {
    let pki = TestPki::generate();
    let normal = start(&pki, DovecotOptions::default());
    let mut c = Conn::connect(normal.imap_port());
    c.line();
    let caps = c.imap("LOGIN bob builder-7").join("");
    assert!(caps.contains("LIST-STATUS"), "{caps}");

    let d = start(
        &pki,
        DovecotOptions {
            imap_capability: Some("IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE SPECIAL-USE".into()),
            ..Default::default()
        },
    );
    let mut c = Conn::connect(d.imap_port());
    c.line();
    c.imap("LOGIN bob builder-7");
    let caps = c.imap("CAPABILITY").join("");
    assert!(caps.contains("* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE SPECIAL-USE"), "{caps}");
    assert!(!caps.contains("LIST-STATUS"), "{caps}");
}

#[test]
fn starttls_false_offers_no_tls_on_plain_ports() {
    let pki = TestPki::generate();
    let d = start(&pki, DovecotOptions { starttls: false, ..Default::default() });

    let mut c = Conn::connect(d.imap_port());
    let greeting = c.line();
    assert!(greeting.starts_with("* OK") && !greeting.contains("STARTTLS"), "{greeting}");
    let reply = c.imap("STARTTLS");
    assert!(!last(&reply).starts_with("t1 OK"), "{reply:?}");
    let mut c = Conn::connect(d.imap_port());
    c.line();
    assert!(last(&c.imap("LOGIN alice@example.test wonderland-42")).starts_with("t1 OK"));

    let mut p = Conn::connect(d.pop3_port());
    p.line();
    let capa = {
        let mut lines = vec![p.pop3("CAPA")];
        while lines.last().unwrap().trim_end() != "." {
            lines.push(p.line());
        }
        lines.join("")
    };
    assert!(!capa.contains("STLS"), "{capa}");

    // Implicit TLS still works.
    let (ok, out) = s_client(&pki, d.imaps_port(), &["-verify_ip", "127.0.0.1"]);
    assert!(ok, "{out}");
    let (ok, out) = s_client(&pki, d.pop3s_port(), &["-verify_ip", "127.0.0.1"]);
    assert!(ok, "{out}");
}

#[test]
fn folders_tree_is_deterministic_and_nested() {
    let tree = make_folders_tree(10_000);
    assert_eq!(tree.len(), 10_000);
    assert_eq!(tree, make_folders_tree(10_000));
    assert_eq!(&make_folders_tree(1000)[..], &tree[..1000]);
    assert_eq!(tree.iter().collect::<std::collections::HashSet<_>>().len(), 10_000, "duplicates");
    assert!(tree.contains(&"Clients/Client 007/2024".to_string()));
    assert!(tree.iter().any(|p| !p.is_ascii()));
    assert!(tree.iter().any(|p| p.matches('/').count() == 2));
    // Every parent is listed before its children.
    let mut seen = std::collections::HashSet::new();
    for p in &tree {
        if let Some((parent, _)) = p.rsplit_once('/') {
            assert!(seen.contains(parent), "{p} before {parent}");
        }
        seen.insert(p.as_str());
    }
}

#[test]
fn ten_thousand_folders() {
    let pki = TestPki::generate();
    let folders = make_folders_tree(10_000);
    let t = Instant::now();
    let d = start(&pki, DovecotOptions { extra_folders: folders, ..Default::default() });
    eprintln!("start with 10,000 folders took {:?}", t.elapsed());

    let mut c = Conn::connect(d.imap_port());
    c.line();
    c.imap("LOGIN alice@example.test wonderland-42");
    let t = Instant::now();
    let list = c.imap(r#"LIST "" "*""#);
    eprintln!("first LIST took {:?}", t.elapsed());
    // 10,000 folders + INBOX + 5 special-use folders.
    assert_eq!(list.iter().filter(|l| l.starts_with("* LIST")).count(), 10_006, "{}", d.log_tail());
}
