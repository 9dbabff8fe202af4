//! The two SASL messages that carry an OAuth2 bearer token (RFC 6750) to a mail server. Written
//! by hand: each is one line of text, and lettre (SMTP) knows only XOAUTH2.

use crate::protocol::Mechanism;
use crate::secrets::Secret;
use crate::server_text::Redactor;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use zeroize::Zeroizing;

/// XOAUTH2 (Google's and Microsoft's documented format):
/// `user=` user ^A `auth=Bearer ` token ^A ^A.
pub(crate) fn xoauth2_message(username: &str, token: &Secret) -> Zeroizing<String> {
    join(&["user=", username, "\x01auth=Bearer ", token.expose(), "\x01\x01"])
}

/// OAUTHBEARER (RFC 7628 section 3.1): the GS2 header `n,a=` user `,` (no channel binding,
/// authorization identity = the user), then ^A `auth=Bearer ` token ^A ^A. A `,` or `=` in the
/// user is escaped as `=2C` / `=3D` (RFC 5801 section 4, saslname).
pub(crate) fn oauthbearer_message(username: &str, token: &Secret) -> Zeroizing<String> {
    let saslname = username.replace('=', "=3D").replace(',', "=2C");
    join(&["n,a=", &saslname, ",\x01auth=Bearer ", token.expose(), "\x01\x01"])
}

/// The message of `mechanism` (XOAUTH2 or OAUTHBEARER) for `username`, or None for others.
pub fn message(mechanism: &Mechanism, username: &str, token: &Secret) -> Option<Zeroizing<String>> {
    match mechanism {
        Mechanism::XOAuth2 => Some(xoauth2_message(username, token)),
        Mechanism::OAuthBearer => Some(oauthbearer_message(username, token)),
        _ => None,
    }
}

/// What the client answers when the server replies to a bearer message with an error challenge
/// (a base64 JSON status) instead of ending the exchange, so that the server then ends it with a
/// refusal: an empty response for XOAUTH2 (as Google documents), ^A for OAUTHBEARER (RFC 7628
/// section 3.2.3). Returned in base64, as sent on the wire.
pub(crate) fn error_acknowledgement(mechanism: &Mechanism) -> &'static str {
    match mechanism {
        Mechanism::OAuthBearer => "AQ==",
        _ => "",
    }
}

/// The server's error challenge to a bearer message (RFC 7628 section 3.2.2: base64 JSON with
/// `status`, optional `scope` and `openid-configuration`; Google's XOAUTH2 sends the same shape
/// with an HTTP status, e.g. `"401"`). Kept for the diagnosis: the status says whether the
/// token was invalid or lacked a scope, and the scope which one the server wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorChallenge {
    pub status: String,
    pub scope: Option<String>,
}

impl ErrorChallenge {
    /// Reads a challenge as sent (base64); None when it is not a JSON error status.
    pub(crate) fn from_base64(challenge: &str) -> Option<ErrorChallenge> {
        let bytes = BASE64.decode(challenge.trim()).ok()?;
        let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let text = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        Some(ErrorChallenge { status: text("status")?, scope: text("scope") })
    }

    /// `the token was refused (status 401, scope https://mail.google.com/)`, to follow the
    /// server's final refusal in what is shown. Passes through `shown` with the rest.
    pub fn describe(&self) -> String {
        match &self.scope {
            Some(scope) => format!("the token was refused (status {}, scope {scope})", self.status),
            None => format!("the token was refused (status {})", self.status),
        }
    }

    /// The server's refusal followed by the challenge's words, when there was one.
    pub(crate) fn append_to(challenge: Option<&ErrorChallenge>, said: String) -> String {
        match challenge {
            Some(c) => format!("{said} [{}]", c.describe()),
            None => said,
        }
    }
}

/// The base64 form of a message, in a buffer wiped when dropped.
pub fn base64(message: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(base64::encoded_len(message.len(), true).unwrap_or(0)));
    BASE64.encode_string(message.as_bytes(), &mut out);
    out
}

/// The mechanisms a bearer token can be sent with, best first, among those `offered`:
/// OAUTHBEARER is the standard (RFC 7628), XOAUTH2 its widely deployed predecessor.
pub fn usable(offered: &[Mechanism]) -> Vec<Mechanism> {
    [Mechanism::OAuthBearer, Mechanism::XOAuth2].into_iter().filter(|m| offered.contains(m)).collect()
}

/// Every form of `token` a server could quote back after a sign-in as `username`: itself, its
/// base64 form, and both bearer messages in base64.
pub(crate) fn redact(redactor: &mut Redactor, username: &str, token: &Secret) {
    if token.is_empty() {
        return;
    }
    redactor.add_secret(token.expose());
    redactor.add_sasl_message(&xoauth2_message(username, token));
    redactor.add_sasl_message(&oauthbearer_message(username, token));
}

fn join(parts: &[&str]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    parts.iter().for_each(|p| out.push_str(p));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server_text::{shown, REMOVED};

    #[test]
    fn xoauth2_is_user_then_bearer_with_control_a_separators() {
        let token = Secret::new("ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
        let message = xoauth2_message("someuser@example.com", &token);
        assert_eq!(
            message.as_str(),
            "user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"
        );
        // Google's documented example (developers.google.com/gmail/imap/xoauth2-protocol).
        assert_eq!(
            base64(&message).as_str(),
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        );
    }

    #[test]
    fn oauthbearer_has_the_gs2_header_of_rfc_7628() {
        let token = Secret::new("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
        // RFC 7628 section 4.1 sends host and port too; they are optional (section 3.1) and
        // not sent here, so the expected message is that example without them.
        assert_eq!(
            oauthbearer_message("user@example.com", &token).as_str(),
            "n,a=user@example.com,\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"
        );
        assert_eq!(oauthbearer_message("a,b=c", &token).split('\x01').next(), Some("n,a=a=2Cb=3Dc,"));
    }

    #[test]
    fn every_form_of_a_bearer_token_is_removed_from_server_text() {
        let token = Secret::new("ya29.token-canary");
        let mut r = Redactor::new();
        redact(&mut r, "alice@example.test", &token);
        let xoauth2 = base64(&xoauth2_message("alice@example.test", &token)).to_string();
        let bearer = base64(&oauthbearer_message("alice@example.test", &token)).to_string();
        let bare = base64("ya29.token-canary").to_string();
        for said in [
            "NO token ya29.token-canary expired".to_owned(),
            format!("BAD {xoauth2}"),
            format!("-ERR {bearer}"),
            format!("535 {bare}"),
        ] {
            let out = shown(&said, &r);
            for form in ["ya29.token-canary", &xoauth2, &bearer, &bare] {
                assert!(!out.contains(form), "{out}");
            }
            assert!(out.contains(REMOVED), "{out}");
        }
    }

    #[test]
    fn the_error_challenge_keeps_status_and_scope() {
        // RFC 7628 section 4.3's example, and Google's XOAUTH2 form.
        let rfc = BASE64.encode(r#"{"status":"invalid_token","scope":"example_scope","openid-configuration":"https://example.com/.well-known/openid-configuration"}"#);
        let c = ErrorChallenge::from_base64(&rfc).unwrap();
        assert_eq!(c, ErrorChallenge { status: "invalid_token".into(), scope: Some("example_scope".into()) });
        assert_eq!(c.describe(), "the token was refused (status invalid_token, scope example_scope)");
        let google = "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=";
        assert_eq!(ErrorChallenge::from_base64(google).unwrap().describe(), "the token was refused (status 401)");
        assert_eq!(ErrorChallenge::from_base64("not base64 json"), None);
        assert_eq!(ErrorChallenge::from_base64(""), None);
    }

    #[test]
    fn bearer_mechanisms_are_chosen_from_what_the_server_offers() {
        use Mechanism::*;
        assert_eq!(usable(&[Plain, XOAuth2, OAuthBearer]), vec![OAuthBearer, XOAuth2]);
        assert_eq!(usable(&[Plain, XOAuth2]), vec![XOAuth2]);
        assert!(usable(&[Plain, Login]).is_empty());
        assert!(message(&Plain, "u", &Secret::new("t")).is_none());
        assert_eq!(error_acknowledgement(&OAuthBearer), "AQ==");
        assert_eq!(error_acknowledgement(&XOAuth2), "");
    }
}
