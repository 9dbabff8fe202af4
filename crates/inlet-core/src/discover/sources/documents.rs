//! The web sources of discovery as candidates: the domain's autoconfig (HTTPS, then plain HTTP),
//! the ISPDB, Autodiscover (POX), and redirects the user confirmed. The fetching is
//! [`super::http`]'s, the parsing [`crate::discover::formats`]'.

use super::http::{AddressInRequest, HttpOutcome, PoxCredentials, SourceResult, AUTODISCOVER_POX_PATH};
use super::{Context, Found};
use crate::account::{Endpoint, Protocol};
use crate::address::split;
use crate::discover::formats::autoconfig::{AuthKind, AutoconfigDocument, Instruction};
use crate::discover::kind::kind_of_document;
use crate::discover::proposal::{
    Candidate, DetectedProvider, Hint, HintKind, RedirectOffer, SignIn, SourceId, SourceStatus,
};
use crate::secrets::Secret;
use crate::tr;

pub(crate) async fn autoconfig(ctx: &Context<'_>) -> Found {
    let r = ctx.http.domain_autoconfig(ctx.domain, ctx.email, AddressInRequest::Sent, ctx.limits.http).await;
    let found_by = FoundBy {
        servers: tr!("eng-found-autoconfig", domain = ctx.domain),
        provider: tr!("eng-found-autoconfig.provider", domain = ctx.domain),
    };
    from_http(ctx, SourceId::Autoconfig, r, &found_by, None)
}

pub(crate) async fn ispdb(ctx: &Context<'_>) -> Found {
    let r = ctx.http.ispdb(ctx.domain, ctx.email, ctx.limits.http).await;
    let found_by = FoundBy { servers: tr!("eng-found-ispdb"), provider: tr!("eng-found-ispdb.provider") };
    from_http(ctx, SourceId::Ispdb, r, &found_by, None)
}

pub(crate) async fn autodiscover_pox(ctx: &Context<'_>, password: Option<&Secret>) -> Found {
    // Credentials only when the user gave them for this, after the server asked.
    let credentials = password.map(|password| PoxCredentials { username: ctx.email, password });
    let r = ctx.http.autodiscover_pox(ctx.domain, ctx.email, credentials, ctx.limits.http).await;
    let found_by = FoundBy {
        servers: tr!("eng-found-autodiscover", domain = ctx.domain),
        provider: tr!("eng-found-autodiscover.provider", domain = ctx.domain),
    };
    from_http(ctx, SourceId::AutodiscoverPox, r, &found_by, None)
}

pub(crate) async fn autoconfig_http(ctx: &Context<'_>) -> Found {
    let r = ctx.http.domain_autoconfig_http(ctx.domain, ctx.email, ctx.limits.http).await;
    // Every server it names waits for the user, inside the domain or not: whoever changed the
    // document on the way could have changed ports, security or names within the domain too.
    let why = tr!("eng-confirm-unencrypted", domain = ctx.domain);
    let found_by = FoundBy {
        servers: tr!("eng-found-autoconfig-http", domain = ctx.domain),
        provider: tr!("eng-found-autoconfig-http.provider", domain = ctx.domain),
    };
    from_http(ctx, SourceId::AutoconfigHttp, r, &found_by, Some(why))
}

pub(crate) async fn redirects(ctx: &Context<'_>, follow: &[String]) -> Found {
    let mut f = Found::new(SourceId::Redirect);
    for to in follow {
        let r = if !to.contains("://") && to.contains('@') {
            // An Autodiscover `redirectAddr`: ask again for the address it names.
            let domain = split(to).map(|(_, d)| d).unwrap_or_default();
            ctx.http.autodiscover_pox(domain, to, None, ctx.limits.http).await
        } else if to.to_ascii_lowercase().ends_with(AUTODISCOVER_POX_PATH) {
            ctx.http.autodiscover_pox_at(to, ctx.email, None, ctx.limits.http).await
        } else {
            ctx.http.autoconfig_at(to, ctx.email, ctx.limits.http).await
        };
        let host = match reqwest::Url::parse(to).ok().and_then(|u| u.host_str().map(str::to_owned)) {
            Some(host) => host,
            None => split(to).map_or(to.as_str(), |(_, d)| d).to_owned(),
        };
        let found_by = FoundBy {
            servers: tr!("eng-found-redirect", host = host.as_str(), domain = ctx.domain),
            provider: tr!("eng-found-redirect.provider", host = host.as_str(), domain = ctx.domain),
        };
        let one = from_http(ctx, SourceId::Redirect, r, &found_by, None);
        f.incoming.extend(one.incoming);
        f.outgoing.extend(one.outgoing);
        f.hints.extend(one.hints);
        f.trace.extend(one.trace);
        if f.provider.is_none() {
            f.provider = one.provider;
        }
    }
    f.settle()
}

/// Where a web source's servers came from, in words: beside each server ("from example.com's
/// own configuration"), and where the provider the document names is shown.
pub(crate) struct FoundBy {
    pub servers: String,
    pub provider: String,
}

/// Turns a web source's result into candidates, hints and redirect offers.
pub(crate) fn from_http(
    ctx: &Context<'_>,
    source: SourceId,
    r: SourceResult,
    found_by: &FoundBy,
    confirm: Option<String>,
) -> Found {
    let mut f = Found::new(source);
    f.trace = r.trace;
    let candidate = |protocol: Protocol, endpoint: Endpoint, username: Option<String>, auth: Vec<AuthKind>| Candidate {
        protocol,
        endpoint,
        username,
        auth,
        source,
        found_by: found_by.servers.clone(),
        needs_confirmation: confirm.clone(),
        verification: None,
        sign_in: SignIn::Unknown,
    };
    match r.outcome {
        HttpOutcome::Found(fetched) => {
            let doc = fetched.document;
            for s in doc.incoming.iter().chain(&doc.outgoing) {
                let c = candidate(s.protocol, s.endpoint(), s.username.clone(), s.authentication.clone());
                if s.protocol == Protocol::Smtp {
                    f.outgoing.push(c);
                } else {
                    f.incoming.push(c);
                }
            }
            f.hints = document_hints(&doc, source);
            f.sign_in = doc.oauth2.as_ref().map(sign_in_of);
            if let Some(kind) = kind_of_document(&doc) {
                let name = doc.display_name.clone().unwrap_or_else(|| doc.provider_id.clone().unwrap_or_default());
                f.provider = Some((
                    DetectedProvider {
                        id: doc.provider_id.clone().unwrap_or_default(),
                        name,
                        detected_by: found_by.provider.clone(),
                    },
                    kind,
                ));
            }
            if f.incoming.is_empty() && f.outgoing.is_empty() {
                f.summary = if doc.skipped_server_types.is_empty() {
                    tr!("eng-doc-no-servers")
                } else {
                    tr!("eng-doc-only-other-servers", types = doc.skipped_server_types.join(", "))
                };
            }
        }
        HttpOutcome::FoundEndpoints { endpoints } => {
            for e in endpoints {
                let c = candidate(e.protocol, e.endpoint, e.username, Vec::new());
                if e.protocol == Protocol::Smtp {
                    f.outgoing.push(c);
                } else {
                    f.incoming.push(c);
                }
            }
        }
        HttpOutcome::Redirect { to } => {
            let host = reqwest::Url::parse(&to)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| to.clone());
            f.status = SourceStatus::Found;
            f.summary = tr!("eng-doc-points-to-host", host = host.as_str());
            f.redirects.push(RedirectOffer {
                source,
                to,
                explanation: tr!("eng-doc-points-to-host.explanation", domain = ctx.domain, host = host.as_str()),
            });
        }
        HttpOutcome::NotFound => f.summary = tr!("eng-doc-nothing-there"),
        HttpOutcome::NoSuchHost(why) => f.summary = why,
        HttpOutcome::TimedOut => {
            f.status = SourceStatus::TimedOut;
            f.summary = tr!("eng-doc-no-answer");
        }
        HttpOutcome::Failed(why) => {
            f.status = SourceStatus::Failed;
            f.summary = why;
        }
        HttpOutcome::RedirectAddress { email } => {
            let domain = split(&email).map(|(_, d)| d.to_owned()).unwrap_or_default();
            f.status = SourceStatus::Found;
            f.summary = tr!("eng-doc-points-to-address", email = email.as_str(), domain = domain.as_str());
            f.redirects.push(RedirectOffer {
                source,
                explanation: tr!(
                    "eng-doc-points-to-address.explanation",
                    own = ctx.domain,
                    email = email.as_str(),
                    domain = domain.as_str()
                ),
                to: email,
            });
        }
        HttpOutcome::CredentialsRequired => {
            f.wants_password = true;
            f.summary = tr!("eng-doc-wants-password");
        }
    }
    f.settle()
}

/// `<enable>`, `<instruction>` and `<documentation>`, in English where the document has it.
/// The browser sign-in an `<oAuth2>` element names: Google's and Microsoft's issuers are
/// theirs (their own scopes and endpoints apply); another keeps the element's endpoints.
fn sign_in_of(element: &crate::discover::formats::autoconfig::OAuth2Element) -> crate::oauth::IssuerChoice {
    match crate::oauth::IssuerChoice::from_url(&element.issuer) {
        crate::oauth::IssuerChoice::Issuer { url, .. } => crate::oauth::IssuerChoice::Issuer {
            url,
            authorization_url: element.auth_url.clone(),
            token_url: element.token_url.clone(),
            scope: element.scope.clone(),
        },
        known => known,
    }
}

pub(crate) fn document_hints(doc: &AutoconfigDocument, source: SourceId) -> Vec<Hint> {
    let mut out = Vec::new();
    let text = |texts: &[(Option<String>, String)]| -> Option<String> {
        texts
            .iter()
            .find(|(lang, _)| lang.as_deref().is_none_or(|l| l.eq_ignore_ascii_case("en")))
            .or(texts.first())
            .map(|(_, t)| t.trim().to_owned())
    };
    let instruction = |kind: HintKind, i: &Instruction| -> Option<Hint> {
        let body = text(&i.texts).or_else(|| (kind == HintKind::Enable).then(|| tr!("eng-doc-enable-default")))?;
        Some(Hint { kind, text: body, url: i.visit_url.clone(), source })
    };
    out.extend(doc.enable.iter().filter_map(|i| instruction(HintKind::Enable, i)));
    out.extend(doc.instructions.iter().filter_map(|i| instruction(HintKind::Instruction, i)));
    for d in &doc.documentation {
        let body = text(&d.descriptions).unwrap_or_else(|| tr!("eng-doc-help-page"));
        out.push(Hint { kind: HintKind::Documentation, text: body, url: Some(d.url.clone()), source });
    }
    out
}
