//! What the property-based tests of the wire parsers share (tests only): mutations of real
//! samples, random bytes, a runner, a reader that hands bytes on in small pieces, and a server on
//! 127.0.0.1 that sends chosen bytes and then closes its side. The mutation strategy is the one
//! of `tests/parsers_fuzz.rs` (flip, insert, remove, repeat, truncate), which fuzzes the document
//! parsers with a counting allocator; the wire readers are private, so they are fuzzed in their
//! modules and bounded by their own buffers' lengths instead.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRng, TestRunner};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};

/// Cases per parser and strategy.
pub(crate) const CASES: u32 = 1000;

/// The same inputs on every run (a fixed seed): a property that fails, fails every time, and CI
/// never meets an input that no developer saw. Change the seed's source to explore further.
pub(crate) fn runner() -> TestRunner {
    let config = Config { cases: CASES, failure_persistence: None, ..Config::default() };
    let rng = TestRng::deterministic_rng(config.rng_algorithm);
    TestRunner::new_with_rng(config, rng)
}

/// A mutation of a sample: bytes flipped, inserted, removed, a slice repeated, or the input cut
/// short. Repetition makes long lines and many lines out of a real transcript's own parts.
#[derive(Debug, Clone)]
pub(crate) enum Mutation {
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

pub(crate) fn apply(sample: &[u8], mutations: &[Mutation]) -> Vec<u8> {
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

/// A sample, mutated one to five times.
pub(crate) fn mutated(samples: &[&str]) -> impl Strategy<Value = Vec<u8>> {
    let samples: Vec<Vec<u8>> = samples.iter().map(|s| s.as_bytes().to_vec()).collect();
    (0..samples.len(), prop::collection::vec(mutation(), 1..6)).prop_map(move |(i, ms)| apply(&samples[i], &ms))
}

/// Random bytes, or random pieces of the protocol's own vocabulary (`tokens`) with random bytes
/// between them, so the random inputs reach past the first check of a parser.
pub(crate) fn random(tokens: &[&str]) -> impl Strategy<Value = Vec<u8>> {
    let tokens: Vec<Vec<u8>> = tokens.iter().map(|t| t.as_bytes().to_vec()).collect();
    let token = prop_oneof![
        prop::sample::select(tokens),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(token, 0..200).prop_map(|ts| ts.concat()),
    ]
}

/// A reader that hands its bytes on at most `piece` at a time, so a frame, a line end or a
/// literal announcement falls across reads.
pub(crate) struct Trickle {
    pub(crate) data: Vec<u8>,
    pub(crate) at: usize,
    pub(crate) piece: usize,
}

impl AsyncRead for Trickle {
    fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let n = this.piece.max(1).min(buf.remaining()).min(this.data.len() - this.at);
        buf.put_slice(&this.data[this.at..this.at + n]);
        this.at += n;
        Poll::Ready(Ok(()))
    }
}

/// A runtime for one test's cases, all on this thread.
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a test runtime")
}

/// A real TCP connection on 127.0.0.1 whose server sends `bytes`, closes its side (the client
/// reads the end of the stream after them), and reads whatever the client writes until the
/// client closes. Called inside the runtime of [`runtime`].
pub(crate) async fn served(listener: &tokio::net::TcpListener, bytes: Vec<u8>) -> tokio::net::TcpStream {
    let client = tokio::net::TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
    let (mut server, _) = listener.accept().await.unwrap();
    tokio::spawn(async move {
        let _ = server.write_all(&bytes).await;
        let _ = server.shutdown().await;
        let mut sink = [0u8; 4096];
        while let Ok(n) = server.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    });
    client
}

/// A listener for one test's connections.
pub(crate) async fn listener() -> tokio::net::TcpListener {
    tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap()
}
