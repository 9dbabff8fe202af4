//! Discovery source 1: the built-in provider table ([`crate::providers`]) as candidates, looked
//! up by the address's domain (and by the MX source, for custom domains hosted at a provider).

use crate::tr;
use std::time::Duration;

use super::{step, Found};
use crate::discover::formats::autoconfig::{AuthKind, ServerSetting};
use crate::discover::proposal::{Candidate, DetectedProvider, Hint, HintKind, SignIn, SourceId, SourceStatus};
use crate::discover::sources::Context;
use crate::discover::trace::StepStatus;
use crate::providers::{self, Provider, ProviderAuth, ServerEntry};

/// The authentication kinds (autoconfig vocabulary) matching [`Provider::auth`].
pub(crate) fn auth_kinds(provider: &Provider) -> Vec<AuthKind> {
    let mut kinds = Vec::new();
    for auth in provider.auth {
        let kind = match auth {
            ProviderAuth::OAuth2 => AuthKind::OAuth2,
            // Plain password over an encrypted connection.
            ProviderAuth::Password | ProviderAuth::AppPassword => AuthKind::PasswordCleartext,
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// `entry` of `provider` as a [`ServerSetting`] for `email`, with the login name filled in.
pub(crate) fn server_setting(provider: &Provider, entry: &ServerEntry, email: &str) -> ServerSetting {
    ServerSetting {
        protocol: entry.protocol,
        host: entry.host.to_owned(),
        port: entry.port,
        security: entry.security,
        username: Some(entry.username.apply(email)),
        authentication: auth_kinds(provider),
    }
}

pub(crate) fn from_provider(ctx: &Context<'_>) -> Found {
    let Some(p) = providers::by_domain(ctx.domain) else {
        return Found::ended(
            SourceId::Provider,
            SourceStatus::NotFound,
            format!("{} is not a provider we know", ctx.domain),
        );
    };
    let detected = DetectedProvider {
        id: p.id.into(),
        name: p.name.into(),
        detected_by: tr!("eng-detected-table", domain = ctx.domain, provider = p.name),
    };
    let mut f = provider_candidates(SourceId::Provider, p, ctx.email, tr!("eng-found-table", provider = p.name), None);
    f.provider = Some((detected, p.kind));
    f.trace.push(step(
        "provider",
        format!("{} in the provider table", ctx.domain),
        Duration::ZERO,
        StepStatus::Found,
        p.name.into(),
    ));
    f.settle()
}

pub(crate) fn provider_candidates(
    source: SourceId,
    p: &Provider,
    email: &str,
    found_by: String,
    confirm: Option<String>,
) -> Found {
    let mut f = Found::new(source);
    let candidate = |s: ServerSetting| Candidate {
        protocol: s.protocol,
        endpoint: s.endpoint(),
        username: s.username.clone(),
        auth: s.authentication.clone(),
        source,
        found_by: found_by.clone(),
        needs_confirmation: confirm.clone(),
        verification: None,
        sign_in: SignIn::Unknown,
    };
    f.incoming = p.incoming.iter().map(|e| candidate(server_setting(p, e, email))).collect();
    f.outgoing = p.outgoing.iter().map(|e| candidate(server_setting(p, e, email))).collect();
    if let Some(hint) = p.hint() {
        f.hints.push(Hint { kind: HintKind::Instruction, text: hint, url: p.help_url.map(Into::into), source });
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_forms_and_server_settings() {
        let icloud = providers::by_domain("icloud.com").unwrap();
        let setting = server_setting(icloud, &icloud.incoming[0], "emily@icloud.com");
        assert_eq!(setting.username.as_deref(), Some("emily"));
        assert_eq!((setting.host.as_str(), setting.port), ("imap.mail.me.com", 993));
        let smtp = server_setting(icloud, &icloud.outgoing[0], "emily@icloud.com");
        assert_eq!(smtp.username.as_deref(), Some("emily@icloud.com"));
        assert_eq!(smtp.authentication, vec![AuthKind::PasswordCleartext]);
        let gmail = providers::by_domain("gmail.com").unwrap();
        assert_eq!(auth_kinds(gmail), vec![AuthKind::OAuth2, AuthKind::PasswordCleartext]);
        assert!(!gmail.auth.contains(&ProviderAuth::Password));
    }
}
