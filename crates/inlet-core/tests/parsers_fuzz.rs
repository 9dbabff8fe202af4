//! Property-based tests over the parsers that read bytes a server (or a network path) chose:
//! autoconfig (Thunderbird's ISPDB samples in tests/fixtures/ispdb-sample), POX Autodiscover and
//! IMAP modified UTF-7 folder names. Thousands of random and mutated inputs, derived from real
//! samples, per parser. A test fails on a panic, or when one parse allocates more than a stated
//! bound (a counting allocator watches the peak).
//!
//! The wire parsers of IMAP, POP3 and SMTP are fuzzed where they live (their modules' tests),
//! since their framing is private.

use inlet_core::discover::formats::{autoconfig, pox};
use inlet_core::folders::decode_name;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRng, TestRunner};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

// ---- a counting allocator: the peak of live bytes during one parse ----------------------------

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates every call to the system allocator unchanged and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The tests in this file measure one process-wide counter: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `parse` and returns how many bytes it held at most beyond what was live before.
fn peak_during(parse: impl FnOnce()) -> usize {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    parse();
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

/// The memory one parse may use: a parser that reads a document into a tree needs a small
/// multiple of the input; anything beyond means input-controlled growth.
fn bound(input_len: usize) -> usize {
    1024 * 1024 + 64 * input_len
}

const CASES: u32 = 2000;

/// The same inputs on every run (a fixed seed), so CI never meets an input no developer saw.
fn runner() -> TestRunner {
    let config = Config { cases: CASES, failure_persistence: None, ..Config::default() };
    let rng = TestRng::deterministic_rng(config.rng_algorithm);
    TestRunner::new_with_rng(config, rng)
}

// ---- inputs: real samples, mutated ------------------------------------------------------------

fn ispdb_samples() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ispdb-sample");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(files.len() > 50, "the ISPDB sample should hold dozens of files, found {}", files.len());
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

const POX_SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>IMAP</Type><Server>imap.example.test</Server><Port>993</Port>
        <LoginName>alice@example.test</LoginName><SPA>off</SPA><SSL>on</SSL><AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>SMTP</Type><Server>smtp.example.test</Server><Port>587</Port>
        <SPA>off</SPA><SSL>on</SSL><Encryption>TLS</Encryption><AuthRequired>on</AuthRequired>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>"#;

const POX_REDIRECT: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account><Action>redirectUrl</Action><RedirectUrl>https://autodiscover.elsewhere.test/autodiscover/autodiscover.xml</RedirectUrl></Account>
  </Response>
</Autodiscover>"#;

/// A mutation of a sample: bytes flipped, inserted, removed, a slice repeated, or the document
/// cut short. Repetition makes deep nesting and long runs out of a real document's own parts.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Remove { at: usize, len: usize },
    Repeat { at: usize, len: usize, times: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Remove { at, len }),
        (any::<usize>(), 1usize..48, 2usize..200).prop_map(|(at, len, times)| Mutation::Repeat { at, len, times }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(sample: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut doc = sample.to_vec();
    for m in mutations {
        let n = doc.len().max(1);
        match m {
            Mutation::Flip { at, byte } => {
                if !doc.is_empty() {
                    doc[at % n] = *byte;
                }
            }
            Mutation::Insert { at, bytes } => {
                let at = at % (doc.len() + 1);
                doc.splice(at..at, bytes.iter().copied());
            }
            Mutation::Remove { at, len } => {
                let at = at % n;
                let end = (at + len).min(doc.len());
                if at < end {
                    doc.drain(at..end);
                }
            }
            Mutation::Repeat { at, len, times } => {
                let at = at % n;
                let end = (at + len).min(doc.len());
                if at < end {
                    let piece = doc[at..end].to_vec();
                    let copies: Vec<u8> = piece.iter().copied().cycle().take(piece.len() * times).collect();
                    doc.splice(at..at, copies);
                }
            }
            Mutation::Truncate { at } => doc.truncate(at % n),
        }
    }
    doc
}

fn mutated(samples: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (0..samples.len(), prop::collection::vec(mutation(), 1..6)).prop_map(move |(i, ms)| apply(&samples[i], &ms))
}

/// Random bytes, or random bytes made of the document's own vocabulary (tags, quotes, entities).
fn random_markup() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"<".to_vec()),
        Just(b">".to_vec()),
        Just(b"</".to_vec()),
        Just(b"/>".to_vec()),
        Just(b"<?xml version=\"1.0\"?>".to_vec()),
        Just(b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>".to_vec()),
        Just(b"&a;".to_vec()),
        Just(b"&#x10FFFF;".to_vec()),
        Just(b"<![CDATA[".to_vec()),
        Just(b"]]>".to_vec()),
        Just(b"<clientConfig version=\"1.1\">".to_vec()),
        Just(b"<emailProvider id=\"x\">".to_vec()),
        Just(b"<incomingServer type=\"imap\">".to_vec()),
        Just(b"<hostname>".to_vec()),
        Just(b"<port>".to_vec()),
        Just(b"99999999999999999999".to_vec()),
        Just(b"%EMAILLOCALPART%".to_vec()),
        Just(b"\"".to_vec()),
        Just(vec![0xEF, 0xBB, 0xBF]),
        Just(vec![0xFF, 0xFE]),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(token, 0..200).prop_map(|ts| ts.concat()),
    ]
}

// ---- the properties ---------------------------------------------------------------------------

fn check_autoconfig(input: &[u8]) -> Result<(), TestCaseError> {
    let peak = peak_during(|| {
        let _ = autoconfig::parse(input, "alice@example.test");
    });
    prop_assert!(peak <= bound(input.len()), "autoconfig parse of {} bytes held {peak} bytes", input.len());
    Ok(())
}

fn check_pox(input: &[u8]) -> Result<(), TestCaseError> {
    let peak = peak_during(|| {
        let _ = pox::parse(input);
    });
    prop_assert!(peak <= bound(input.len()), "POX parse of {} bytes held {peak} bytes", input.len());
    Ok(())
}

#[test]
fn autoconfig_survives_mutated_ispdb_documents() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Every sample parses as it is: the mutations start from documents the parser accepts.
    for sample in ispdb_samples() {
        autoconfig::parse(&sample, "alice@example.test").expect("a real ISPDB document parses");
    }
    runner().run(&mutated(ispdb_samples()), |doc| check_autoconfig(&doc)).unwrap();
}

#[test]
fn autoconfig_survives_random_markup() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    runner().run(&random_markup(), |doc| check_autoconfig(&doc)).unwrap();
}

#[test]
fn pox_survives_mutated_answers() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let samples = vec![POX_SAMPLE.as_bytes().to_vec(), POX_REDIRECT.as_bytes().to_vec()];
    for s in &samples {
        pox::parse(s).expect("the sample answers parse");
    }
    runner().run(&mutated(samples), |doc| check_pox(&doc)).unwrap();
    runner().run(&random_markup(), |doc| check_pox(&doc)).unwrap();
}

#[test]
fn a_huge_document_is_refused_before_it_is_read() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let huge = POX_SAMPLE.repeat(2000).into_bytes(); // ~1.6 MB, past both parsers' document limits
    let peak = peak_during(|| {
        assert!(pox::parse(&huge).is_err());
        assert!(autoconfig::parse(&huge, "alice@example.test").is_err());
    });
    assert!(peak < 64 * 1024, "refusing an oversized document held {peak} bytes");
}

#[test]
fn modified_utf7_names_never_panic_and_stay_bounded() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Real names (RFC 3501 5.1.3 examples and what servers send), mutated, and random text made of
    // the encoding's own alphabet.
    let samples: Vec<Vec<u8>> = [
        "~peter/mail/&U,BTFw-/&ZeVnLIqe-",
        "Entw&APw-rfe",
        "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-",
        "Gel&APY-schte Elemente",
        "&-&-&-",
        "INBOX/&Ti1Wvw-",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let alphabet = prop::collection::vec(
        prop_oneof![Just('&'), Just('-'), Just(','), Just('+'), Just('/'), any::<char>(), prop::char::range('A', 'z')],
        0..300,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>());
    let check = |name: &str| -> Result<(), TestCaseError> {
        let mut out = String::new();
        let peak = peak_during(|| out = decode_name(name));
        // Decoding never makes a name longer than 4 bytes of UTF-8 per input byte.
        prop_assert!(out.len() <= 4 * name.len() + 4, "{name:?} decoded to {} bytes", out.len());
        prop_assert!(peak <= bound(name.len()), "{name:?} held {peak} bytes");
        Ok(())
    };
    runner().run(&mutated(samples), |bytes| check(&String::from_utf8_lossy(&bytes))).unwrap();
    runner().run(&alphabet, |name| check(&name)).unwrap();
}
