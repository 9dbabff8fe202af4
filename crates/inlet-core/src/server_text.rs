//! What a server says, made safe to show and to store. Every piece of server text (greetings,
//! refusals, capability lines, evidence) passes through here before it leaves the protocol layer:
//! the password in use is removed (servers do quote it back: `you sent |alice|<password>`, POP3's
//! `unknown command: PASS <password>`), control characters are neutralised (a greeting holding
//! `ESC ] 0 ; … BEL` must not retitle or clear a technician's terminal), and the text is shortened.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use zeroize::Zeroizing;

/// The most characters of server text kept for a diagnosis or a progress line.
pub(crate) const MAX_SHOWN_CHARS: usize = 200;

/// What replaces a secret found in server text.
pub const REMOVED: &str = "[password removed]";

/// The secrets of one sign-in, in every form a server could echo: the password itself, its base64
/// form (AUTH LOGIN sends it so), and the SASL PLAIN message for each username tried. Holds
/// copies of the password, wiped when dropped.
#[derive(Default)]
pub struct Redactor {
    forms: Vec<Zeroizing<String>>,
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Removes `secret` and its base64 form.
    pub fn secret(mut self, secret: &str) -> Redactor {
        self.add_secret(secret);
        self
    }

    pub(crate) fn add_secret(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        self.push(secret.to_owned());
        self.push(BASE64.encode(secret.as_bytes()));
    }

    /// Also removes the SASL PLAIN message (RFC 4616: authzid NUL authcid NUL password) that
    /// carries `password` for `username`, in base64, with and without an authorisation identity.
    pub(crate) fn add_sasl_plain(&mut self, username: &str, password: &str) {
        if password.is_empty() {
            return;
        }
        let bare = Zeroizing::new(format!("\0{username}\0{password}"));
        self.push(BASE64.encode(bare.as_bytes()));
        let with_authzid = Zeroizing::new(format!("{username}\0{username}\0{password}"));
        self.push(BASE64.encode(with_authzid.as_bytes()));
    }

    /// Also removes a SASL message that carries a secret (an XOAUTH2 or OAUTHBEARER message
    /// with its bearer token, RFC 7628), in base64 as it is sent.
    pub(crate) fn add_sasl_message(&mut self, message: &str) {
        if !message.is_empty() {
            self.push(BASE64.encode(message.as_bytes()));
        }
    }

    fn push(&mut self, form: String) {
        let form = Zeroizing::new(form);
        if !self.forms.iter().any(|f| **f == *form) {
            self.forms.push(form);
            // Longest first, so that a form containing another is removed whole.
            self.forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        }
    }

    /// `text` with every known form of the secret replaced by [`REMOVED`].
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), REMOVED);
            }
        }
        out
    }
}

/// Control characters (C0, DEL, C1: ESC, BEL, CR, …) become U+FFFD so that no terminal or log
/// viewer acts on them; a tab becomes a space. Nothing else changes.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// At most [`MAX_SHOWN_CHARS`] characters, marked with "…" when cut.
pub(crate) fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX_SHOWN_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Server text as it may be shown or stored: secrets removed, control characters neutralised,
/// shortened. Redaction comes first so a secret split by a control character is still found.
pub fn shown(text: &str, redactor: &Redactor) -> String {
    shorten(clean(&redactor.redact(text)).trim())
}

/// Server text that cannot hold a secret (a greeting, before any credential was sent).
pub(crate) fn shown_plain(text: &str) -> String {
    shorten(clean(text).trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_neutralised() {
        let greeting = "* OK \u{1b}]0;pwned\u{7}\u{1b}[2J ready\r\n";
        let shown = shown_plain(greeting);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.contains("pwned") && shown.contains("ready"));
    }

    #[test]
    fn every_form_of_the_password_is_removed() {
        let mut r = Redactor::new().secret("hunter2-canary");
        r.add_sasl_plain("alice", "hunter2-canary");
        let plain = BASE64.encode("\0alice\0hunter2-canary");
        let login = BASE64.encode("hunter2-canary");
        for said in [
            "NO you sent |alice|hunter2-canary".to_owned(),
            "-ERR unknown command: PASS hunter2-canary".to_owned(),
            format!("535 5.7.8 {plain} rejected"),
            format!("535 {login}"),
        ] {
            let out = shown(&said, &r);
            assert!(!out.contains("hunter2-canary") && !out.contains(&plain) && !out.contains(&login), "{out}");
            assert!(out.contains(REMOVED), "{out}");
        }
    }

    #[test]
    fn long_text_is_cut_and_marked() {
        let out = shown_plain(&"x".repeat(500));
        assert_eq!(out.chars().count(), MAX_SHOWN_CHARS + 1);
        assert!(out.ends_with('…'));
    }
}
