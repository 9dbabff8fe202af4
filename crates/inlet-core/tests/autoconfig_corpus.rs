//! The autoconfig parser against real ISPDB files (Thunderbird's database, MPL 2.0, its licence
//! beside them), kept in `tests/fixtures/ispdb-sample/` so that a clone anywhere can run them.

use std::path::PathBuf;

use inlet_core::account::{Protocol, Security};
use inlet_core::discover::formats::autoconfig::{parse, AuthKind, AutoconfigDocument, ServerSetting};

fn corpus_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ispdb-sample"));
    assert!(
        dir.is_dir(),
        "the ISPDB sample is missing: expected a directory of Thunderbird autoconfig *.xml files at {} \
         (tests/fixtures/ispdb-sample in crates/inlet-core)",
        dir.display()
    );
    dir
}

fn read(name: &str) -> Vec<u8> {
    let path = corpus_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The first `<domain>` of a file, read without our parser so that the sample address does not
/// depend on the code under test.
fn first_domain(xml: &[u8]) -> String {
    let text = String::from_utf8_lossy(xml);
    let start = text.find("<domain>").expect("a <domain>") + "<domain>".len();
    let end = start + text[start..].find("</domain>").expect("</domain>");
    text[start..end].trim().to_string()
}

#[test]
fn every_sample_file_parses_with_an_incoming_server() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "xml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.xml file in {}", dir.display());

    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let xml = std::fs::read(path).unwrap();
        let email = format!("jane.doe@{}", first_domain(&xml));
        match parse(&xml, &email) {
            Ok(doc) => {
                if doc.incoming.is_empty() {
                    failures.push(format!("{name}: no incoming server"));
                }
                if doc.outgoing.is_empty() {
                    failures.push(format!("{name}: no outgoing server"));
                }
                if doc.domains.is_empty() || doc.provider_id.is_none() {
                    failures.push(format!("{name}: no domain or no provider id"));
                }
                if !doc.warnings.is_empty() {
                    failures.push(format!("{name}: warnings {:?}", doc.warnings));
                }
                for server in doc.incoming.iter().chain(&doc.outgoing) {
                    let unexpanded =
                        server.host.contains('%') || server.username.as_deref().is_some_and(|u| u.contains("%EMAIL"));
                    if unexpanded {
                        failures.push(format!("{name}: placeholder left in {server:?}"));
                    }
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} files failed:\n{}", failures.len(), files.len(), failures.join("\n"));
    eprintln!("{} ISPDB sample files parsed", files.len());
}

// ---------------------------------------------------------------------------------------------
// Specific files, expectations read from the files by hand.

use AuthKind::{OAuth2, PasswordCleartext as Cleartext, PasswordEncrypted as Encrypted};
use Protocol::{Imap, Pop3, Smtp};
use Security::{None as Plain, Starttls, Tls};

/// `(lang, text)` pairs of an `<enable>` instruction.
type Texts = Vec<(Option<&'static str>, &'static str)>;

struct Expected {
    file: &'static str,
    provider_id: &'static str,
    display_name: &'static str,
    /// The first domain (the sample address is jane.doe@ it) and how many there are.
    first_domain: &'static str,
    domain_count: usize,
    incoming: Vec<ServerSetting>,
    outgoing: Vec<ServerSetting>,
    /// (visiturl, texts as (lang, text)).
    enable: Option<(&'static str, Texts)>,
    /// (url, first descr).
    instructions: Vec<(&'static str, &'static str)>,
    /// (url, number of descr).
    documentation: Vec<(&'static str, usize)>,
}

fn srv(
    protocol: Protocol,
    host: &str,
    port: u16,
    security: Security,
    username: Option<&str>,
    auth: &[AuthKind],
) -> ServerSetting {
    ServerSetting {
        protocol,
        host: host.to_string(),
        port,
        security,
        username: username.map(str::to_string),
        authentication: auth.to_vec(),
    }
}

fn expectations() -> Vec<Expected> {
    // The sample address is jane.doe@<first domain>; usernames are the expanded placeholders.
    vec![
        // 19 domains, OAuth2 first, IMAP and POP3 over TLS, a documentation link.
        Expected {
            file: "aol.com.xml",
            provider_id: "aol.com",
            display_name: "AOL Mail",
            first_domain: "aol.com",
            domain_count: 19,
            incoming: vec![
                srv(Imap, "imap.aol.com", 993, Tls, Some("jane.doe@aol.com"), &[OAuth2, Cleartext]),
                srv(Pop3, "pop.aol.com", 995, Tls, Some("jane.doe@aol.com"), &[OAuth2, Cleartext]),
            ],
            outgoing: vec![srv(Smtp, "smtp.aol.com", 465, Tls, Some("jane.doe@aol.com"), &[OAuth2, Cleartext])],
            enable: None,
            instructions: vec![],
            documentation: vec![(
                "https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail",
                1,
            )],
        },
        // 1&1: the provider id is not among its domains; SSL and STARTTLS variants of everything;
        // an escaped display name; a documentation link without descriptions.
        Expected {
            file: "1und1.de.xml",
            provider_id: "1und1.de",
            display_name: "1&1",
            first_domain: "online.de",
            domain_count: 9,
            incoming: vec![
                srv(Imap, "imap.1und1.de", 993, Tls, Some("jane.doe@online.de"), &[Cleartext]),
                srv(Imap, "imap.1und1.de", 143, Starttls, Some("jane.doe@online.de"), &[Cleartext]),
                srv(Pop3, "pop.1und1.de", 995, Tls, Some("jane.doe@online.de"), &[Cleartext]),
                srv(Pop3, "pop.1und1.de", 110, Starttls, Some("jane.doe@online.de"), &[Cleartext]),
            ],
            outgoing: vec![
                srv(Smtp, "smtp.1und1.de", 465, Tls, Some("jane.doe@online.de"), &[Cleartext]),
                srv(Smtp, "smtp.1und1.de", 587, Starttls, Some("jane.doe@online.de"), &[Cleartext]),
            ],
            enable: None,
            instructions: vec![],
            documentation: vec![("https://hilfe-center.1und1.de/e-mail-einstellungen", 0)],
        },
        // Gmail: OAuth2, <enable> beside (not inside) <emailProvider>, an escaped &amp; in its URL,
        // four documentation links without lang.
        Expected {
            file: "googlemail.com.xml",
            provider_id: "googlemail.com",
            display_name: "Google Mail",
            first_domain: "gmail.com",
            domain_count: 5,
            incoming: vec![
                srv(Imap, "imap.gmail.com", 993, Tls, Some("jane.doe@gmail.com"), &[OAuth2, Cleartext]),
                srv(Pop3, "pop.gmail.com", 995, Tls, Some("jane.doe@gmail.com"), &[OAuth2, Cleartext]),
            ],
            outgoing: vec![srv(Smtp, "smtp.gmail.com", 465, Tls, Some("jane.doe@gmail.com"), &[OAuth2, Cleartext])],
            enable: Some((
                "https://mail.google.com/mail/?ui=2&shva=1#settings/fwdandpop",
                vec![(None, "You need to enable IMAP access")],
            )),
            instructions: vec![],
            documentation: vec![
                ("http://mail.google.com/support/bin/answer.py?answer=13273", 1),
                ("http://mail.google.com/support/bin/topic.py?topic=12806", 1),
                ("http://mail.google.com/support/bin/topic.py?topic=12805", 1),
                ("http://mail.google.com/support/bin/answer.py?answer=86399", 1),
            ],
        },
        // inbox.lv: hostnames and display name made of %EMAILDOMAIN%; <enable> in five languages.
        Expected {
            file: "inbox.lv.xml",
            provider_id: "inbox.lv",
            display_name: "inbox.lv",
            first_domain: "inbox.lv",
            domain_count: 4,
            incoming: vec![
                srv(Imap, "mail.inbox.lv", 993, Tls, Some("jane.doe@inbox.lv"), &[Cleartext]),
                srv(Pop3, "mail.inbox.lv", 995, Tls, Some("jane.doe@inbox.lv"), &[Cleartext]),
            ],
            outgoing: vec![srv(Smtp, "mail.inbox.lv", 465, Tls, Some("jane.doe@inbox.lv"), &[Cleartext])],
            enable: Some((
                "https://help.inbox.lv/?keyword=email_clients_access",
                vec![
                    (None, "Enable external POP3/IMAP and SMTP access in your account settings"),
                    (Some("lv"), "Ieslēgt POP3/IMAP pieeju savam kontam"),
                    (Some("ru"), "Доступ POP3/IMAP, пароль для почтовой программы"),
                    (Some("lt"), "POP3/IMAP prieiga, pašto programų slaptažodis"),
                    (Some("et"), "POP3/IMAP juurdepääs, e-posti programmi parool"),
                ],
            )),
            instructions: vec![],
            documentation: vec![("https://help.inbox.lv/?keyword=email_clients_settings", 4)],
        },
        // A Japanese ISP: the host *is* the mail domain, plain POP3 and SMTP on 25, local-part login.
        Expected {
            file: "pop.shibata.ne.jp.xml",
            provider_id: "pop.shibata.ne.jp",
            display_name: "インターネット新発田",
            first_domain: "pop.shibata.ne.jp",
            domain_count: 2,
            incoming: vec![srv(Pop3, "pop.shibata.ne.jp", 110, Plain, Some("jane.doe"), &[Cleartext])],
            outgoing: vec![srv(Smtp, "pop.shibata.ne.jp", 25, Plain, Some("jane.doe"), &[Cleartext])],
            enable: None,
            instructions: vec![],
            documentation: vec![],
        },
        // IIJ4U: username "%EMAILLOCALPART%.%EMAILDOMAIN%", POP3 with STARTTLS, challenge-response.
        Expected {
            file: "dd.iij4u.or.jp.xml",
            provider_id: "dd.iij4u.or.jp",
            display_name: "IIJ4U",
            first_domain: "dd.iij4u.or.jp",
            domain_count: 12,
            incoming: vec![srv(Pop3, "mbox.iij4u.or.jp", 110, Starttls, Some("jane.doe.dd.iij4u.or.jp"), &[Encrypted])],
            outgoing: vec![srv(Smtp, "mbox.iij4u.or.jp", 587, Starttls, Some("jane.doe.dd.iij4u.or.jp"), &[Encrypted])],
            enable: None,
            instructions: vec![],
            documentation: vec![],
        },
        // IPAX: an <instruction url> with <descr lang> children inside <emailProvider>.
        Expected {
            file: "ipax.at.xml",
            provider_id: "ipax.at",
            display_name: "IPAX Internet Services",
            first_domain: "ipax.at",
            domain_count: 1,
            incoming: vec![srv(Imap, "mail.ipax.at", 993, Tls, Some("jane.doe@ipax.at"), &[Cleartext])],
            outgoing: vec![srv(Smtp, "mail.ipax.at", 465, Tls, Some("jane.doe@ipax.at"), &[Cleartext])],
            enable: None,
            instructions: vec![("http://help.ipax.at/Thunderbird3/", "Configure Thunderbird 3 for IMAP")],
            documentation: vec![],
        },
        // Fastmail: OAuth2 everywhere, two instructions, a provider id that is not a domain.
        Expected {
            file: "messagingengine.com.xml",
            provider_id: "MessagingEngine",
            display_name: "Fastmail",
            first_domain: "messagingengine.com",
            domain_count: 1,
            incoming: vec![
                srv(Imap, "imap.fastmail.com", 993, Tls, Some("jane.doe@messagingengine.com"), &[OAuth2, Cleartext]),
                srv(Pop3, "pop.fastmail.com", 995, Tls, Some("jane.doe@messagingengine.com"), &[OAuth2, Cleartext]),
            ],
            outgoing: vec![srv(
                Smtp,
                "smtp.fastmail.com",
                465,
                Tls,
                Some("jane.doe@messagingengine.com"),
                &[OAuth2, Cleartext],
            )],
            enable: None,
            instructions: vec![
                ("https://www.fastmail.com/help/technical/servernamesandports.html", "Server Names and Ports"),
                ("https://www.fastmail.com/help/clients/thunderbird.html", "Using Fastmail with Mozilla Thunderbird"),
            ],
            documentation: vec![],
        },
        // TEOL: the outgoing server has no <username>.
        Expected {
            file: "teol.net.xml",
            provider_id: "teol.net",
            display_name: "TEOL.net Mail",
            first_domain: "teol.net",
            domain_count: 2,
            incoming: vec![
                srv(Imap, "imap.teol.net", 993, Tls, Some("jane.doe@teol.net"), &[Cleartext]),
                srv(Pop3, "pop3.teol.net", 995, Tls, Some("jane.doe@teol.net"), &[Cleartext]),
            ],
            outgoing: vec![srv(Smtp, "smtp.teol.net", 465, Tls, None, &[Cleartext])],
            enable: None,
            instructions: vec![],
            documentation: vec![("https://hostingpodrska.teol.net/osticket/kb/faq.php?id=29", 1)],
        },
        // HAL: unencrypted both ways, full address for POP3 but local part for SMTP.
        Expected {
            file: "hal.ne.jp.xml",
            provider_id: "hal.ne.jp",
            display_name: "ハルインターネット",
            first_domain: "hal.ne.jp",
            domain_count: 1,
            incoming: vec![srv(Pop3, "mail.hal.ne.jp", 110, Plain, Some("jane.doe@hal.ne.jp"), &[Cleartext])],
            outgoing: vec![srv(Smtp, "mail.hal.ne.jp", 587, Plain, Some("jane.doe"), &[Encrypted])],
            enable: None,
            instructions: vec![],
            documentation: vec![],
        },
        // Portland State: a second IMAP entry on port 587 (the submission port) with STARTTLS.
        Expected {
            file: "pdx.edu.xml",
            provider_id: "pdx.edu",
            display_name: "Portland State University Mail",
            first_domain: "pdx.edu",
            domain_count: 1,
            incoming: vec![
                srv(Imap, "psumail.pdx.edu", 993, Tls, Some("jane.doe@pdx.edu"), &[Encrypted]),
                srv(Imap, "psumail.pdx.edu", 587, Starttls, Some("jane.doe@pdx.edu"), &[Encrypted]),
            ],
            outgoing: vec![
                srv(Smtp, "mailhost.pdx.edu", 465, Tls, Some("jane.doe@pdx.edu"), &[Encrypted]),
                srv(Smtp, "mailhost.pdx.edu", 587, Starttls, Some("jane.doe@pdx.edu"), &[Encrypted]),
            ],
            enable: None,
            instructions: vec![],
            documentation: vec![("http://oit.pdx.edu/psu-email-settings-advanced-users", 1)],
        },
        // Charter: no XML declaration; implicit TLS on 587 (the file itself calls it a spec violation).
        Expected {
            file: "charter.net.xml",
            provider_id: "charter.net",
            display_name: "Charter Communications",
            first_domain: "charter.net",
            domain_count: 3,
            incoming: vec![
                srv(Imap, "mobile.charter.net", 993, Tls, Some("jane.doe@charter.net"), &[Cleartext]),
                srv(Pop3, "mobile.charter.net", 995, Tls, Some("jane.doe@charter.net"), &[Cleartext]),
            ],
            outgoing: vec![srv(Smtp, "mobile.charter.net", 587, Tls, Some("jane.doe@charter.net"), &[Cleartext])],
            enable: None,
            instructions: vec![],
            documentation: vec![("https://www.spectrum.net/support/internet/mobile-email-setup", 1)],
        },
        // Yandex: <enable> after <oAuth2>, outside <emailProvider>; eight domains.
        Expected {
            file: "yandex.ru.xml",
            provider_id: "yandex.ru",
            display_name: "Yandex Mail",
            first_domain: "yandex.ru",
            domain_count: 8,
            incoming: vec![
                srv(Imap, "imap.yandex.com", 993, Tls, Some("jane.doe@yandex.ru"), &[Cleartext]),
                srv(Pop3, "pop.yandex.com", 995, Tls, Some("jane.doe@yandex.ru"), &[Cleartext]),
            ],
            outgoing: vec![srv(Smtp, "smtp.yandex.com", 465, Tls, Some("jane.doe@yandex.ru"), &[Cleartext])],
            enable: Some((
                "http://mail.yandex.ru/neo/setup_client",
                vec![(None, "Check 'Enable IMAP' on Yandex.Mail setup page")],
            )),
            instructions: vec![],
            documentation: vec![],
        },
        // Clustermail: STARTTLS SMTP on 587 and on 25 with challenge-response only; a doubled link.
        Expected {
            file: "clustermail.de.xml",
            provider_id: "clustermail.de",
            display_name: "Clustermail",
            first_domain: "clustermail.de",
            domain_count: 1,
            incoming: vec![
                srv(Imap, "mail.clustermail.de", 993, Tls, Some("jane.doe@clustermail.de"), &[Cleartext]),
                srv(Imap, "mail.clustermail.de", 143, Starttls, Some("jane.doe@clustermail.de"), &[Cleartext]),
                srv(Pop3, "mail.clustermail.de", 995, Tls, Some("jane.doe@clustermail.de"), &[Cleartext]),
                srv(Pop3, "mail.clustermail.de", 110, Starttls, Some("jane.doe@clustermail.de"), &[Cleartext]),
            ],
            outgoing: vec![
                srv(Smtp, "mail.clustermail.de", 587, Starttls, Some("jane.doe@clustermail.de"), &[Encrypted]),
                srv(Smtp, "mail.clustermail.de", 25, Starttls, Some("jane.doe@clustermail.de"), &[Encrypted]),
            ],
            enable: None,
            instructions: vec![],
            // The same URL twice, with different descriptions: both are kept, as written.
            documentation: vec![
                ("https://ratiokontakt.de/news/2015/01/01/faq-wie-muss-mein-e-mail-client-konfiguriert-werden/", 2),
                ("https://ratiokontakt.de/news/2015/01/01/faq-wie-muss-mein-e-mail-client-konfiguriert-werden/", 2),
            ],
        },
        // Wind (so.wind.ne.jp): IMAP without any encryption on 143.
        Expected {
            file: "so.wind.ne.jp.xml",
            provider_id: "so.wind.ne.jp",
            display_name: "群馬インターネット",
            first_domain: "so.wind.ne.jp",
            domain_count: 2,
            incoming: vec![srv(Imap, "so.wind.ne.jp", 143, Plain, Some("jane.doe"), &[Cleartext])],
            outgoing: vec![srv(Smtp, "so.wind.ne.jp", 587, Plain, Some("jane.doe"), &[Cleartext])],
            enable: None,
            instructions: vec![],
            documentation: vec![],
        },
        // Nili: <displayNameShort> (a typo for displayShortName) is ignored; two SMTP variants.
        Expected {
            file: "nili.ca.xml",
            provider_id: "nili.ca",
            display_name: "Nili",
            first_domain: "nili.ca",
            domain_count: 1,
            incoming: vec![
                srv(Imap, "email.nili.email", 993, Tls, Some("jane.doe@nili.ca"), &[Cleartext]),
                srv(Pop3, "email.nili.email", 995, Tls, Some("jane.doe@nili.ca"), &[Cleartext]),
            ],
            outgoing: vec![
                srv(Smtp, "email.nili.email", 465, Tls, Some("jane.doe@nili.ca"), &[Cleartext]),
                srv(Smtp, "email.nili.email", 587, Starttls, Some("jane.doe@nili.ca"), &[Cleartext]),
            ],
            enable: None,
            instructions: vec![],
            documentation: vec![("https://nili.ca/knowledge-base/how-to-connect-email-clients-to-servers/", 1)],
        },
    ]
}

fn check(expected: &Expected, doc: &AutoconfigDocument) -> Vec<String> {
    let mut problems = Vec::new();
    let mut same = |what: &str, got: String, want: String| {
        if got != want {
            problems.push(format!("{what}: got {got}, expected {want}"));
        }
    };
    same("provider id", format!("{:?}", doc.provider_id.as_deref()), format!("{:?}", Some(expected.provider_id)));
    same("display name", format!("{:?}", doc.display_name.as_deref()), format!("{:?}", Some(expected.display_name)));
    same("first domain", format!("{:?}", doc.domains.first()), format!("{:?}", Some(expected.first_domain)));
    same("domain count", doc.domains.len().to_string(), expected.domain_count.to_string());
    same("incoming", format!("{:#?}", doc.incoming), format!("{:#?}", expected.incoming));
    same("outgoing", format!("{:#?}", doc.outgoing), format!("{:#?}", expected.outgoing));
    let enable = doc.enable.as_ref().map(|e| {
        let texts: Vec<(Option<&str>, &str)> = e.texts.iter().map(|(l, t)| (l.as_deref(), t.as_str())).collect();
        (e.visit_url.as_deref().unwrap_or(""), texts)
    });
    same("enable", format!("{enable:?}"), format!("{:?}", expected.enable));
    let instructions: Vec<(&str, &str)> = doc
        .instructions
        .iter()
        .map(|i| (i.visit_url.as_deref().unwrap_or(""), i.texts.first().map(|(_, t)| t.as_str()).unwrap_or("")))
        .collect();
    same("instructions", format!("{instructions:?}"), format!("{:?}", expected.instructions));
    let documentation: Vec<(&str, usize)> =
        doc.documentation.iter().map(|d| (d.url.as_str(), d.descriptions.len())).collect();
    same("documentation", format!("{documentation:?}"), format!("{:?}", expected.documentation));
    same("warnings", format!("{:?}", doc.warnings), "[]".into());
    same("skipped server types", format!("{:?}", doc.skipped_server_types), "[]".into());
    problems
}

#[test]
fn specific_files_match_their_expectations() {
    let table = expectations();
    assert!(table.len() >= 12);
    let mut failures = Vec::new();
    for expected in &table {
        let xml = read(expected.file);
        assert_eq!(first_domain(&xml), expected.first_domain, "{}: first domain", expected.file);
        let email = format!("jane.doe@{}", expected.first_domain);
        match parse(&xml, &email) {
            Ok(doc) => {
                for problem in check(expected, &doc) {
                    failures.push(format!("{}: {problem}", expected.file));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", expected.file)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn localized_texts_keep_their_languages() {
    let doc = parse(&read("inbox.lv.xml"), "jane.doe@inbox.eu").unwrap();
    // The sample address decides the hosts: a user of inbox.eu gets mail.inbox.eu.
    assert_eq!(doc.incoming[0].host, "mail.inbox.eu");
    assert_eq!(doc.display_short_name.as_deref(), Some("inbox.eu"));
    let langs: Vec<_> = doc.documentation[0].descriptions.iter().map(|(l, _)| l.as_deref()).collect();
    assert_eq!(langs, vec![Some("en"), Some("lv"), Some("lt"), Some("ru")]);
    assert_eq!(doc.documentation[0].descriptions[1].1, "E-pasta klientu konfigurācija (IMAP/POP3/SMTP)");

    let doc = parse(&read("ipax.at.xml"), "jane.doe@ipax.at").unwrap();
    assert_eq!(
        doc.instructions[0].texts,
        vec![
            (Some("en".to_string()), "Configure Thunderbird 3 for IMAP".to_string()),
            (Some("de".to_string()), "Thunderbird 3 mit IMAP konfigurieren".to_string()),
        ]
    );
    // nili.ca misspells displayShortName: nothing is made up.
    assert_eq!(parse(&read("nili.ca.xml"), "jane.doe@nili.ca").unwrap().display_short_name, None);
}

#[test]
fn corpus_files_survive_truncation_and_corruption() {
    // Damaged copies of real files never panic: each is refused or parsed.
    for name in ["aol.com.xml", "inbox.lv.xml", "posteo.de.xml"] {
        let xml = read(name);
        for cut in (0..xml.len()).step_by(97) {
            let _ = parse(&xml[..cut], "jane.doe@example.org");
        }
        let mut flipped = xml.clone();
        for i in (0..flipped.len()).step_by(131) {
            flipped[i] ^= 0x5A;
            let _ = parse(&flipped, "jane.doe@example.org");
        }
        // The whole file, cut just before its last closing tag, is malformed.
        let end = xml.windows(2).rposition(|w| w == b"</").unwrap();
        assert!(parse(&xml[..end], "jane.doe@example.org").is_err(), "{name}");
    }
}
