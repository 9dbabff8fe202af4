//! The system's CA roots are read when a certificate needs them, not at every start: a server
//! that a configured CA vouches for is verified without them (reading and parsing the system's
//! bundle and certificate directory was about 5% of a whole `inlet-cli connect`). Shown with
//! SSL_CERT_FILE, which rustls-native-certs reads like OpenSSL does, naming a FIFO that nobody
//! writes to: a check that reads the system's roots blocks on it and never finishes.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_testkit::{Dovecot, DovecotOptions};
use std::time::Duration;

#[test]
fn a_server_a_configured_ca_vouches_for_is_verified_without_reading_the_system_roots() {
    let scratch = tempfile::tempdir().unwrap();
    let fifo = scratch.path().join("system-bundle-that-never-ends.pem");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates the file.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0, "{}", std::io::Error::last_os_error());
    // SAFETY: the only test of this binary, before it starts any thread that reads the environment.
    unsafe { std::env::set_var("SSL_CERT_FILE", &fifo) };
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let port = server.imaps_port();
    let data = scratch.path().join("data");

    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let outcome = runtime.block_on(async {
            engine(&data)
                .connect(&request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls), &Recorder::default())
                .await
        });
        let _ = done.send(outcome.map(|report| report.encrypted).map_err(|d| format!("{d:?}")));
    });
    let outcome = finished
        .recv_timeout(Duration::from_secs(60))
        .expect("the check did not finish: it is reading the system's roots (blocked on the FIFO)");
    assert_eq!(outcome, Ok(true), "signed in over TLS, the certificate verified by the test CA");
}
