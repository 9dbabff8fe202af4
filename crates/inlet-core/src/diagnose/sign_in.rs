//! Browser sign-in (OAuth2) failures as diagnoses: what happened, who must act, what to do.
//! The provider's error codes (RFC 6749 section 5.2, Microsoft's AADSTS numbers, Google's
//! `admin_policy_enforced` and the like) are classified in `oauth::errors`.

use super::{Diagnosis, DiagnosisCode};

/// Browser sign-in (OAuth2): what happened, who must act, what to do.
impl Diagnosis {
    pub fn of_sign_in(error: &crate::oauth::errors::SignInError) -> Diagnosis {
        use crate::oauth::errors::{Refusal, SignInError as E};
        use DiagnosisCode as C;
        match error {
            E::BadInput { field, message } => Self::invalid_input(field, message),
            E::NotConfigured { provider } => Diagnosis::new(
                C::SignInNotSetUp,
                "Sign-in with this provider is not set up",
                crate::oauth::clients::what_to_configure(provider),
                "Ask your administrator (or whoever installed Inlet) to set it up. Until then, use an app password where your provider offers one.",
            ),
            E::PolicyLocked { what } => Diagnosis::new(
                C::SignInPolicy,
                "Your organisation's policy fixes this setting",
                format!("Your administrator's Inlet policy sets the {what} for sign-in, and another one was asked for."),
                "Sign in without choosing a client id or tenant, or ask your administrator.",
            ),
            E::PolicyUnusable { path, message } => Diagnosis::new(
                C::SignInPolicy,
                "Your administrator's Inlet policy cannot be read",
                format!("The policy file {path} is there, but {message}. Inlet does not sign in without the rules your administrator set."),
                "Your administrator must correct or remove the policy file.",
            ),
            E::AlreadyRunning => Diagnosis::new(
                C::SignInBusy,
                "A sign-in is already running",
                "Inlet runs one sign-in at a time, and another one has not finished.".into(),
                "Finish or cancel the other sign-in, then try again.",
            ),
            E::Cancelled => Diagnosis::new(
                C::SignInCancelled,
                "Sign-in cancelled",
                "You stopped the sign-in. Nothing was saved.".into(),
                "Start the sign-in again when you are ready.",
            ),
            E::BrowserTimedOut { seconds } => Diagnosis::new(
                C::SignInTimedOut,
                "The sign-in did not come back in time",
                format!("Inlet waited {seconds} s for the provider's page to send you back, and it did not."),
                "Try again and finish signing in within the time shown. If the page never sends you back (a remote session, another computer), choose \"sign in with a code\" instead.",
            ),
            E::StateMismatch => Diagnosis::new(
                C::SignInFailed,
                "The sign-in answer was not for this sign-in",
                "The browser came back with an answer that does not belong to the sign-in Inlet started (its state did not match), so Inlet ignored it.".into(),
                "Start the sign-in again from Inlet and finish it in the browser window it opens.",
            ),
            E::IssuerMismatch { expected, got } => Diagnosis::new(
                C::SignInFailed,
                "The sign-in answer came from another provider",
                format!("Inlet expected the answer from {expected}, but it says it is from {}, so Inlet ignored it (RFC 9207).", got.as_deref().unwrap_or("nobody")),
                "Start the sign-in again. If it keeps happening, tell your administrator: something may be intercepting sign-ins.",
            ),
            E::RedirectUnusable { message } => Diagnosis::new(
                C::SignInFailed,
                "The sign-in answer could not be used",
                "The browser came back to Inlet without a sign-in result.".into(),
                "Start the sign-in again.",
            )
            .evidence(message.clone()),
            E::IssuerUnreachable { issuer, message } => Diagnosis::new(
                C::IssuerUnavailable,
                "The sign-in service cannot be reached",
                format!("Inlet could not get an answer from {issuer}. Your sign-in is kept."),
                "Check that this computer is online, then try again in a few minutes.",
            )
            .evidence(message.clone()),
            E::IssuerMetadata { issuer, message } => Diagnosis::new(
                C::SignInFailed,
                "The provider's sign-in service is not set up as expected",
                format!("{issuer} does not describe its sign-in the way OAuth 2.0 requires."),
                "This is for the provider or your administrator to fix; the details are below.",
            )
            .evidence(message.clone()),
            E::NoDeviceFlow { issuer } => Diagnosis::new(
                C::SignInFailed,
                "Sign-in with a code is not offered",
                format!("{issuer} does not offer sign-in with a code on another device."),
                "Sign in with the browser on this computer instead.",
            ),
            E::NoRefreshToken { issuer } => Diagnosis::new(
                C::SignInFailed,
                "The provider did not let Inlet stay signed in",
                format!("{issuer} signed you in but gave Inlet no lasting permission (no refresh token), so the mailbox would need a new sign-in every hour."),
                "Sign in again and allow Inlet to keep access. If it keeps happening, your administrator may have limited it.",
            ),
            E::UnexpectedAnswer { issuer, message } => Diagnosis::new(
                C::SignInFailed,
                "The sign-in service's answer made no sense",
                format!("{issuer} answered something Inlet could not read."),
                "Try again later. If it keeps happening, the details below help your administrator.",
            )
            .evidence(message.clone()),
            E::Keychain(e) => Self::from_error(e),
            E::Refused { issuer, answer, admin_consent_url } => {
                let (code, title, happened, todo): (C, &str, String, &str) = match answer.refusal() {
                    Refusal::Denied => (C::SignInDenied, "You declined the sign-in", format!("{issuer} says the permission for Inlet was declined."), "Sign in again and allow Inlet to read and send your mail."),
                    Refusal::ClientRejected => (C::SignInClientRejected, "The provider does not accept this app", format!("{issuer} does not recognise the app registration Inlet used."), "An administrator must check the client id set for Inlet (policy file or config.json)."),
                    Refusal::ScopeRejected => (C::SignInScopeRejected, "The app may not ask for mail access", format!("{issuer} refused the mail permissions Inlet asked for."), "An administrator must allow mail access (IMAP, POP, SMTP) for the app registration Inlet uses."),
                    Refusal::ConsentRequired => (C::SignInConsentRequired, "Your organisation's administrator must approve Inlet", format!("{issuer} needs an administrator of your organisation to approve Inlet before anyone there can sign in with it. You cannot do this yourself."), "Send your administrator the approval link below (admin consent). Once they approve, sign in again."),
                    Refusal::OtherTenant => (C::SignInOtherTenant, "This account belongs to another organisation", format!("{issuer} says the account you signed in with is not part of the organisation (tenant) this sign-in is for."), "Sign in with your account of that organisation, or choose the tenant \"common\". Your administrator can invite the account if it should have access."),
                    Refusal::ConditionalAccess => (C::SignInConditionalAccess, "Your organisation requires another sign-in step", format!("{issuer} requires multi-factor authentication or blocks sign-in under your organisation's conditional-access rules."), "Complete the extra step in the browser; if you are blocked, ask your administrator which device or network is allowed."),
                    Refusal::AppUnknown => (C::SignInAppUnknown, "Inlet is not known in your organisation", format!("{issuer} says the app Inlet uses is not registered in your organisation's directory."), "Your administrator must register Inlet (or set your organisation's own client id for it)."),
                    Refusal::PublicClientDisabled => (C::SignInPublicClientDisabled, "This app registration does not allow desktop sign-in", format!("{issuer} refuses sign-in from desktop apps for this app registration (public client flows are off)."), "An administrator must turn on \"Allow public client flows\" for the app registration Inlet uses."),
                    Refusal::SingleTenantApp => (C::SignInSingleTenantApp, "This app works only in its own organisation", format!("{issuer} says the app registration is for one organisation only, and the sign-in was for any account."), "An administrator must set the tenant (microsoftTenant) to the organisation's, or make the registration multi-tenant."),
                    Refusal::Expired => (C::NeedsSignIn, "Sign in again", format!("{issuer} no longer accepts Inlet's permission for this mailbox (it was revoked, or unused for too long). Every setting is kept."), "Sign in again with the browser; the mailbox keeps all its settings."),
                    Refusal::BlockedByAdmin => (C::SignInBlockedByAdmin, "Your organisation blocks this app", format!("{issuer} says your organisation's administrator does not allow Inlet to access this account."), "Ask your administrator to allow Inlet in the Google Admin console (API controls)."),
                    Refusal::OrgInternal => (C::SignInOrgInternal, "This app is limited to another organisation", format!("{issuer} says the app registration Inlet uses may only be used inside the organisation that created it."), "Whoever set up Inlet must use a registration open to your organisation (or your administrator sets your own)."),
                    Refusal::AppUnverified => (C::SignInAppUnverified, "Google blocks this app as unverified", format!("{issuer} blocks the app registration Inlet uses because Google has not verified it."), "Whoever set up Inlet must have the registration verified, or your administrator marks it trusted."),
                    Refusal::TemporarilyUnavailable => (C::IssuerUnavailable, "The sign-in service has a temporary problem", format!("{issuer} cannot serve the sign-in right now. Your sign-in is kept."), "Wait a few minutes and try again."),
                    Refusal::DeviceCodeExpired => (C::SignInTimedOut, "The code ran out", "The code was not entered and approved in time.".into(), "Start again and enter the new code within the time shown."),
                    Refusal::Other => (C::SignInRefused, "The provider refused the sign-in", format!("{issuer} refused the sign-in; its own words are below."), "Try again. If it keeps failing, show the words below to your administrator."),
                };
                let mut d = Diagnosis::new(code, title, happened, todo).evidence(answer.evidence());
                if let Some(uri) = &answer.uri {
                    d = d.evidence(format!("the issuer's explanation: {uri}"));
                }
                if code == C::SignInConsentRequired {
                    d.admin_consent_url = admin_consent_url.clone();
                    if let Some(url) = admin_consent_url {
                        d = d.evidence(format!("admin consent: {url}"));
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
        self.title = "The mail server does not accept this sign-in".into();
        self.what_happened = "You signed in with your provider, but the mail server refused the permission it gave: \
                              IMAP or POP may be turned off for this mailbox, or you signed in with another account \
                              than this mailbox's."
            .into();
        self.advise(
            "Check that you signed in with this mailbox's own account. Then turn on IMAP or POP for the mailbox \
             (in its web settings, or ask your administrator: in Microsoft 365 it is a setting per mailbox).",
        );
        self.who_acts = super::catalog::who_acts(DiagnosisCode::MailAccessOff);
        self.provider_hint = None;
        self
    }
}
