//! What went wrong in a sign-in, typed: the engine's own checks, and the issuer's OAuth error
//! answers (RFC 6749 4.1.2.1 at the redirect, 5.2 at the token endpoint; RFC 8628 3.5) read
//! the way Microsoft and Google word them. diagnose.rs turns each into plain words.

use crate::error::EngineError;
use crate::server_text::shown_plain;

/// An OAuth error answer: `error`, `error_description`, `error_uri`, made safe to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthErrorAnswer {
    pub error: String,
    pub description: Option<String>,
    pub uri: Option<String>,
}

impl OAuthErrorAnswer {
    pub fn new(error: &str, description: Option<&str>, uri: Option<&str>) -> OAuthErrorAnswer {
        OAuthErrorAnswer {
            error: shown_plain(error),
            description: description.map(shown_plain),
            uri: uri.map(shown_plain),
        }
    }

    /// Microsoft's AADSTS code in the description (`AADSTS65001: The user or administrator…`).
    pub(crate) fn aadsts(&self) -> Option<u32> {
        let description = self.description.as_deref()?;
        let at = description.find("AADSTS")?;
        let digits: String = description[at + 6..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }

    /// What the answer means for the user.
    pub fn refusal(&self) -> Refusal {
        // Microsoft's codes are more precise than its `error` (65001 comes as invalid_grant).
        if let Some(code) = self.aadsts() {
            match code {
                65001 | 90094 => return Refusal::ConsentRequired,
                50020 => return Refusal::OtherTenant,
                50076 | 50079 | 53003 => return Refusal::ConditionalAccess,
                700016 => return Refusal::AppUnknown,
                7000218 => return Refusal::PublicClientDisabled,
                700082 | 70008 | 50173 => return Refusal::Expired,
                50194 => return Refusal::SingleTenantApp,
                _ => {}
            }
        }
        let description = self.description.as_deref().unwrap_or_default().to_ascii_lowercase();
        match self.error.as_str() {
            // Google's words (support.google.com/accounts/answer/12379384 and the error pages).
            "admin_policy_enforced" => Refusal::BlockedByAdmin,
            "org_internal" => Refusal::OrgInternal,
            "access_denied" if description.contains("verif") => Refusal::AppUnverified,
            "access_denied" => Refusal::Denied,
            "invalid_grant" => Refusal::Expired,
            "invalid_client" | "unauthorized_client" => Refusal::ClientRejected,
            "invalid_scope" => Refusal::ScopeRejected,
            "temporarily_unavailable" | "server_error" => Refusal::TemporarilyUnavailable,
            "expired_token" => Refusal::DeviceCodeExpired,
            _ => Refusal::Other,
        }
    }

    /// One line for the evidence.
    pub fn evidence(&self) -> String {
        match &self.description {
            Some(d) => {
                crate::tr!("signin-evidence-answered-described", error = self.error.as_str(), description = d.as_str())
            }
            None => crate::tr!("signin-evidence-answered", error = self.error.as_str()),
        }
    }
}

/// The meaning of an OAuth error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The user said no on the provider's page (`access_denied`).
    Denied,
    /// `invalid_client`: the issuer does not know or accept this app.
    ClientRejected,
    /// `invalid_scope`: the app may not ask for mail access.
    ScopeRejected,
    /// AADSTS65001/90094: an administrator must consent for the organisation.
    ConsentRequired,
    /// AADSTS50020: the account belongs to another tenant.
    OtherTenant,
    /// AADSTS50076/50079/53003: multi-factor or conditional access.
    ConditionalAccess,
    /// AADSTS700016: the app is unknown in the tenant.
    AppUnknown,
    /// AADSTS7000218: public client flows are off for the app.
    PublicClientDisabled,
    /// AADSTS50194: a single-tenant app used on /common.
    SingleTenantApp,
    /// `invalid_grant` (revoked, expired through inactivity: AADSTS700082): sign in again.
    Expired,
    /// Google `admin_policy_enforced`.
    BlockedByAdmin,
    /// Google `org_internal`: an app limited to another organisation.
    OrgInternal,
    /// Google blocks the unverified app.
    AppUnverified,
    /// `temporarily_unavailable`, `server_error`: try again later; the grant is kept.
    TemporarilyUnavailable,
    /// RFC 8628 `expired_token`: the device code ran out before approval.
    DeviceCodeExpired,
    Other,
}

/// What is wrong with a policy file that is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyProblem {
    Unreadable,
    Invalid,
}

/// Why a sign-in (or a token refresh) did not give a token.
#[derive(Debug)]
pub enum SignInError {
    BadInput {
        field: &'static str,
        message: String,
    },
    /// No client id for this provider anywhere.
    NotConfigured {
        provider: &'static str,
    },
    /// The policy fixes the client id or tenant, and another was asked for: `what` is
    /// "client-id" or "tenant" (the catalog's selector in `signin-policy-locked`).
    PolicyLocked {
        what: &'static str,
    },
    /// The policy file is there but cannot be used.
    PolicyUnusable {
        path: String,
        problem: PolicyProblem,
        /// The system's or the parser's words.
        message: String,
    },
    /// Another sign-in is running.
    AlreadyRunning,
    Cancelled,
    /// The browser did not come back to Inlet within the deadline.
    BrowserTimedOut {
        seconds: u64,
    },
    /// The redirect carried another `state` (RFC 6749 10.12): not this sign-in's answer.
    StateMismatch,
    /// RFC 9207: the redirect names another issuer (or none, where the issuer sends it).
    IssuerMismatch {
        expected: String,
        got: Option<String>,
    },
    /// The redirect had neither a code nor an error.
    RedirectUnusable {
        message: String,
    },
    /// The issuer could not be reached, or failed (5xx) after the retries.
    IssuerUnreachable {
        issuer: String,
        message: String,
    },
    /// The issuer's metadata is missing or wrong.
    IssuerMetadata {
        issuer: String,
        message: String,
    },
    /// The issuer offers no device flow.
    NoDeviceFlow {
        issuer: String,
    },
    /// The issuer answered with an OAuth error.
    Refused {
        issuer: String,
        answer: OAuthErrorAnswer,
        admin_consent_url: Option<String>,
    },
    /// The issuer's answer made no sense.
    UnexpectedAnswer {
        issuer: String,
        message: String,
    },
    /// The issuer gave no refresh token, so the mailbox could not be kept signed in.
    NoRefreshToken {
        issuer: String,
    },
    /// The keychain refused the refresh token.
    Keychain(EngineError),
}

impl SignInError {
    /// Whether a refresh failing like this keeps the grant (and is worth retrying).
    pub(crate) fn is_temporary(&self) -> bool {
        match self {
            SignInError::IssuerUnreachable { .. } => true,
            SignInError::Refused { answer, .. } => answer.refusal() == Refusal::TemporarilyUnavailable,
            _ => false,
        }
    }
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = crate::diagnose::Diagnosis::of_sign_in(self);
        write!(f, "{d}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(error: &str, description: &str) -> OAuthErrorAnswer {
        OAuthErrorAnswer::new(error, Some(description), None)
    }

    #[test]
    fn microsoft_codes_win_over_the_error_word() {
        for (error, description, expected) in [
            ("invalid_grant", "AADSTS65001: The user or administrator has not consented to use the application", Refusal::ConsentRequired),
            ("invalid_request", "AADSTS90094: The grant requires admin permission.", Refusal::ConsentRequired),
            ("invalid_request", "AADSTS50020: User account from identity provider does not exist in tenant", Refusal::OtherTenant),
            ("invalid_grant", "AADSTS50076: Due to a configuration change made by your administrator", Refusal::ConditionalAccess),
            ("invalid_grant", "AADSTS50079: multi-factor", Refusal::ConditionalAccess),
            ("access_denied", "AADSTS53003: Access has been blocked by Conditional Access policies.", Refusal::ConditionalAccess),
            ("unauthorized_client", "AADSTS700016: Application with identifier 'x' was not found in the directory", Refusal::AppUnknown),
            ("invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", Refusal::PublicClientDisabled),
            ("invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity.", Refusal::Expired),
            ("invalid_request", "AADSTS50194: Application 'x' is not configured as a multi-tenant application.", Refusal::SingleTenantApp),
        ] {
            assert_eq!(answer(error, description).refusal(), expected, "{description}");
        }
    }

    #[test]
    fn oauth_and_google_words() {
        assert_eq!(answer("access_denied", "The user denied").refusal(), Refusal::Denied);
        assert_eq!(
            answer("access_denied", "This app has not completed the Google verification process").refusal(),
            Refusal::AppUnverified
        );
        assert_eq!(answer("admin_policy_enforced", "").refusal(), Refusal::BlockedByAdmin);
        assert_eq!(answer("org_internal", "").refusal(), Refusal::OrgInternal);
        assert_eq!(answer("invalid_grant", "Token has been expired or revoked.").refusal(), Refusal::Expired);
        assert_eq!(answer("temporarily_unavailable", "").refusal(), Refusal::TemporarilyUnavailable);
        assert_eq!(answer("invalid_scope", "").refusal(), Refusal::ScopeRejected);
        assert_eq!(answer("weird", "").refusal(), Refusal::Other);
    }

    #[test]
    fn server_words_are_made_safe() {
        let a = OAuthErrorAnswer::new("x\u{1b}[31m", Some("line\nbreak"), None);
        assert!(!a.error.contains('\u{1b}') && !a.description.unwrap().contains('\n'));
    }
}
