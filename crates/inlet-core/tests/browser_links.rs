//! Links the app opens (a provider's "turn on IMAP here", a help page) go to the system browser,
//! and only when they are http or https pages. The browser here is a real process (a shell that
//! writes down the address it was given), configured the way a user would configure theirs.

use std::time::{Duration, Instant};

use inlet_core::oauth::{web_link, Browser};

/// A "browser" that writes the address it is given into `file`.
fn recording_browser(file: &std::path::Path) -> Browser {
    let script = format!("printf '%s' \"$1\" > '{}'", file.display());
    Browser { command: Some(vec!["sh".into(), "-c".into(), script, "browser".into()]) }
}

/// What the browser was given, waiting generously for the process to write it.
async fn opened(file: &std::path::Path) -> Option<String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(text) = std::fs::read_to_string(file) {
            if !text.is_empty() {
                return Some(text);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[test]
fn only_http_and_https_addresses_are_web_links() {
    for url in ["https://example.com/settings/imap", "http://example.com/help", "HTTPS://Example.com/x"] {
        assert!(web_link(url).is_some(), "{url} is a web page");
    }
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "mailto:help@example.com",
        "ftp://example.com/x",
        "/settings/imap",
        "example.com/settings",
        "",
    ] {
        assert!(web_link(url).is_none(), "{url:?} must never be opened");
    }
}

#[tokio::test]
async fn a_web_link_reaches_the_browser_and_another_scheme_never_does() {
    let dir = tempfile::tempdir().unwrap();

    let refused = dir.path().join("refused");
    for url in ["javascript:alert(1)", "file:///etc/passwd"] {
        assert!(!recording_browser(&refused).open(url).await, "{url} was handed to a browser");
    }

    // The accepted link is opened after the refused ones: once it has arrived, a refused one
    // would have too.
    let accepted = dir.path().join("accepted");
    assert!(recording_browser(&accepted).open("https://example.com/settings/imap").await);
    assert_eq!(opened(&accepted).await.as_deref(), Some("https://example.com/settings/imap"));
    assert!(!refused.exists(), "a refused link reached the browser");
}
