//! Browser sign-in (OAuth2) failures as diagnoses: what happened, who must act, what to do.
//! The provider's error codes (RFC 6749 section 5.2, Microsoft's AADSTS numbers, Google's
//! `admin_policy_enforced` and the like) are classified in `oauth::errors`.

use super::{Diagnosis, DiagnosisCode};
use crate::oauth::errors::PolicyProblem;
use crate::tr;

/// Browser sign-in (OAuth2): what happened, who must act, what to do.
impl Diagnosis {
    pub fn of_sign_in(error: &crate::oauth::errors::SignInError) -> Diagnosis {
        use crate::oauth::errors::{Refusal, SignInError as E};
        use DiagnosisCode as C;
        match error {
            E::BadInput { field, message } => Self::invalid_input(field, message),
            E::NotConfigured { provider } => Diagnosis::new(
                C::SignInNotSetUp,
                &tr!("signin-not-set-up"),
                crate::oauth::clients::what_to_configure(provider),
                &tr!("signin-not-set-up.what-to-do"),
            ),
            E::PolicyLocked { what } => Diagnosis::new(
                C::SignInPolicy,
                &tr!("signin-policy-locked"),
                tr!("signin-policy-locked.what-happened", what = *what),
                &tr!("signin-policy-locked.what-to-do"),
            ),
            E::PolicyUnusable { path, problem, message } => Diagnosis::new(
                C::SignInPolicy,
                &tr!("signin-policy-unusable"),
                match problem {
                    PolicyProblem::Unreadable => {
                        tr!(
                            "signin-policy-unusable.what-happened-unreadable",
                            path = path.as_str(),
                            error = message.as_str()
                        )
                    }
                    PolicyProblem::Invalid => {
                        tr!(
                            "signin-policy-unusable.what-happened-invalid",
                            path = path.as_str(),
                            error = message.as_str()
                        )
                    }
                },
                &tr!("signin-policy-unusable.what-to-do"),
            ),
            E::AlreadyRunning => Diagnosis::new(
                C::SignInBusy,
                &tr!("signin-busy"),
                tr!("signin-busy.what-happened"),
                &tr!("signin-busy.what-to-do"),
            ),
            E::Cancelled => Diagnosis::new(
                C::SignInCancelled,
                &tr!("signin-cancelled"),
                tr!("signin-cancelled.what-happened"),
                &tr!("signin-cancelled.what-to-do"),
            ),
            E::BrowserTimedOut { seconds } => Diagnosis::new(
                C::SignInTimedOut,
                &tr!("signin-timed-out"),
                tr!("signin-timed-out.what-happened", seconds = *seconds),
                &tr!("signin-timed-out.what-to-do"),
            ),
            E::StateMismatch => Diagnosis::new(
                C::SignInFailed,
                &tr!("signin-state-mismatch"),
                tr!("signin-state-mismatch.what-happened"),
                &tr!("signin-state-mismatch.what-to-do"),
            ),
            E::IssuerMismatch { expected, got } => Diagnosis::new(
                C::SignInFailed,
                &tr!("signin-issuer-mismatch"),
                match got {
                    Some(got) => {
                        tr!("signin-issuer-mismatch.what-happened", expected = expected.as_str(), got = got.as_str())
                    }
                    None => tr!("signin-issuer-mismatch.what-happened-no-issuer", expected = expected.as_str()),
                },
                &tr!("signin-issuer-mismatch.what-to-do"),
            ),
            E::RedirectUnusable { message } => Diagnosis::new(
                C::SignInFailed,
                &tr!("signin-redirect-unusable"),
                tr!("signin-redirect-unusable.what-happened"),
                &tr!("signin-redirect-unusable.what-to-do"),
            )
            .evidence(message.clone()),
            E::IssuerUnreachable { issuer, message } => Diagnosis::new(
                C::IssuerUnavailable,
                &tr!("signin-issuer-unreachable"),
                tr!("signin-issuer-unreachable.what-happened", issuer = issuer.as_str()),
                &tr!("signin-issuer-unreachable.what-to-do"),
            )
            .evidence(message.clone()),
            E::IssuerMetadata { issuer, message } => Diagnosis::new(
                C::SignInFailed,
                &tr!("signin-issuer-metadata"),
                tr!("signin-issuer-metadata.what-happened", issuer = issuer.as_str()),
                &tr!("signin-issuer-metadata.what-to-do"),
            )
            .evidence(message.clone()),
            E::NoDeviceFlow { issuer } => Diagnosis::new(
                C::SignInFailed,
                &tr!("signin-no-device-flow"),
                tr!("signin-no-device-flow.what-happened", issuer = issuer.as_str()),
                &tr!("signin-no-device-flow.what-to-do"),
            ),
            E::NoRefreshToken { issuer } => Diagnosis::new(
                C::SignInFailed,
                &tr!("signin-no-refresh-token"),
                tr!("signin-no-refresh-token.what-happened", issuer = issuer.as_str()),
                &tr!("signin-no-refresh-token.what-to-do"),
            ),
            E::UnexpectedAnswer { issuer, message } => Diagnosis::new(
                C::SignInFailed,
                &tr!("signin-unexpected-answer"),
                tr!("signin-unexpected-answer.what-happened", issuer = issuer.as_str()),
                &tr!("signin-unexpected-answer.what-to-do"),
            )
            .evidence(message.clone()),
            E::Keychain(e) => Self::from_error(e),
            E::Refused { issuer, answer, admin_consent_url } => {
                let issuer = issuer.as_str();
                // Each refusal's message: its title, `.what-happened` (with $issuer) and `.what-to-do`.
                let (code, title, happened, todo) = match answer.refusal() {
                    Refusal::Denied => (
                        C::SignInDenied,
                        tr!("signin-denied"),
                        tr!("signin-denied.what-happened", issuer = issuer),
                        tr!("signin-denied.what-to-do"),
                    ),
                    Refusal::ClientRejected => (
                        C::SignInClientRejected,
                        tr!("signin-client-rejected"),
                        tr!("signin-client-rejected.what-happened", issuer = issuer),
                        tr!("signin-client-rejected.what-to-do"),
                    ),
                    Refusal::ScopeRejected => (
                        C::SignInScopeRejected,
                        tr!("signin-scope-rejected"),
                        tr!("signin-scope-rejected.what-happened", issuer = issuer),
                        tr!("signin-scope-rejected.what-to-do"),
                    ),
                    Refusal::ConsentRequired => (
                        C::SignInConsentRequired,
                        tr!("signin-consent-required"),
                        tr!("signin-consent-required.what-happened", issuer = issuer),
                        tr!("signin-consent-required.what-to-do"),
                    ),
                    Refusal::OtherTenant => (
                        C::SignInOtherTenant,
                        tr!("signin-other-tenant"),
                        tr!("signin-other-tenant.what-happened", issuer = issuer),
                        tr!("signin-other-tenant.what-to-do"),
                    ),
                    Refusal::ConditionalAccess => (
                        C::SignInConditionalAccess,
                        tr!("signin-conditional-access"),
                        tr!("signin-conditional-access.what-happened", issuer = issuer),
                        tr!("signin-conditional-access.what-to-do"),
                    ),
                    Refusal::AppUnknown => (
                        C::SignInAppUnknown,
                        tr!("signin-app-unknown"),
                        tr!("signin-app-unknown.what-happened", issuer = issuer),
                        tr!("signin-app-unknown.what-to-do"),
                    ),
                    Refusal::PublicClientDisabled => (
                        C::SignInPublicClientDisabled,
                        tr!("signin-public-client-disabled"),
                        tr!("signin-public-client-disabled.what-happened", issuer = issuer),
                        tr!("signin-public-client-disabled.what-to-do"),
                    ),
                    Refusal::SingleTenantApp => (
                        C::SignInSingleTenantApp,
                        tr!("signin-single-tenant-app"),
                        tr!("signin-single-tenant-app.what-happened", issuer = issuer),
                        tr!("signin-single-tenant-app.what-to-do"),
                    ),
                    Refusal::Expired => (
                        C::NeedsSignIn,
                        tr!("signin-expired"),
                        tr!("signin-expired.what-happened", issuer = issuer),
                        tr!("signin-expired.what-to-do"),
                    ),
                    Refusal::BlockedByAdmin => (
                        C::SignInBlockedByAdmin,
                        tr!("signin-blocked-by-admin"),
                        tr!("signin-blocked-by-admin.what-happened", issuer = issuer),
                        tr!("signin-blocked-by-admin.what-to-do"),
                    ),
                    Refusal::OrgInternal => (
                        C::SignInOrgInternal,
                        tr!("signin-org-internal"),
                        tr!("signin-org-internal.what-happened", issuer = issuer),
                        tr!("signin-org-internal.what-to-do"),
                    ),
                    Refusal::AppUnverified => (
                        C::SignInAppUnverified,
                        tr!("signin-app-unverified"),
                        tr!("signin-app-unverified.what-happened", issuer = issuer),
                        tr!("signin-app-unverified.what-to-do"),
                    ),
                    Refusal::TemporarilyUnavailable => (
                        C::IssuerUnavailable,
                        tr!("signin-temporarily-unavailable"),
                        tr!("signin-temporarily-unavailable.what-happened", issuer = issuer),
                        tr!("signin-temporarily-unavailable.what-to-do"),
                    ),
                    Refusal::DeviceCodeExpired => (
                        C::SignInTimedOut,
                        tr!("signin-device-code-expired"),
                        tr!("signin-device-code-expired.what-happened"),
                        tr!("signin-device-code-expired.what-to-do"),
                    ),
                    Refusal::Other => (
                        C::SignInRefused,
                        tr!("signin-refused"),
                        tr!("signin-refused.what-happened", issuer = issuer),
                        tr!("signin-refused.what-to-do"),
                    ),
                };
                let mut d = Diagnosis::new(code, &title, happened, &todo).evidence(answer.evidence());
                if let Some(uri) = &answer.uri {
                    d = d.evidence(tr!("signin-evidence-explanation", uri = uri.as_str()));
                }
                if code == C::SignInConsentRequired {
                    d.admin_consent_url = admin_consent_url.clone();
                    if let Some(url) = admin_consent_url {
                        d = d.evidence(tr!("signin-evidence-admin-consent", url = url.as_str()));
                    }
                }
                d
            }
        }
    }

    /// A mail server refused a token the provider had just issued: the mailbox has IMAP/POP
    /// off, or the token is for another mailbox (Microsoft's "User is authenticated but not
    /// connected").
    pub(crate) fn token_refused_by_mail_server(mut self) -> Diagnosis {
        if self.code != DiagnosisCode::AuthenticationFailed {
            return self;
        }
        self.code = DiagnosisCode::MailAccessOff;
        self.title = tr!("signin-mail-access-off");
        self.what_happened = tr!("signin-mail-access-off.what-happened");
        self.advise(&tr!("signin-mail-access-off.what-to-do"));
        self.who_acts = super::catalog::who_acts(DiagnosisCode::MailAccessOff);
        self.provider_hint = None;
        self
    }
}
