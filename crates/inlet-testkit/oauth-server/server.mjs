// A real OAuth 2.0 authorization server for Inlet's tests: oidc-provider (a certified OpenID
// provider) with PKCE required, refresh-token rotation, the device flow (RFC 8628) and token
// introspection (RFC 7662). Started by inlet_testkit::AuthServer (crates/inlet-testkit/src/oauth.rs),
// which writes the configuration and reads back the port. Not meant to be run by hand, but it can
// be: node server.mjs CONFIG.json
//
// What is ours around oidc-provider (everything else is the library):
// - The login and consent pages (oidc-provider's development pages are not meant for use): plain
//   HTML forms a test posts as a browser would (inlet_testkit::oauth's follower).
// - The providers' URL shapes (Style): Microsoft's /{tenant}/oauth2/v2.0/... and Google's
//   /o/oauth2/v2/auth, rewritten onto oidc-provider's routes; discovery answers with those URLs.
// - Scripted errors: per user, an OAuth error answered instead of success, worded as the real
//   provider words it, for the engine's diagnosis tests.
// - Introspection answers `active: true` only for tokens issued to the clients the mail servers
//   accept (a token issued to another application is inactive for them), and carries `username`
//   (the account) for Dovecot's `username_attribute`.
// - RFC 8628 3.5, when `device_poll_interval` is set: the device authorization answer carries
//   that interval, and a poll that comes sooner than it after the last (or after the
//   authorization) while still pending is answered `slow_down`.
// - /_inlet/* control endpoints (behind a random bearer secret): revoke every grant of a user,
//   replace the scripted errors, and what was asked: requests by path, token requests by grant
//   type, each device poll (when, and its answer), and the access tokens issued (for the tests'
//   canary checks; a test server's tokens are worthless elsewhere).
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import Provider from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const STYLE = config.style; // "generic" | "microsoft" | "google"
let scriptedErrors = config.scripted_errors ?? [];

// Every scope the test mail servers accept (the providers' mail scopes, long and short forms).
const MAIL_SCOPES = [
  'https://outlook.office.com/IMAP.AccessAsUser.All',
  'https://outlook.office.com/POP.AccessAsUser.All',
  'https://outlook.office.com/SMTP.Send',
  'IMAP.AccessAsUser.All',
  'POP.AccessAsUser.All',
  'SMTP.Send',
  'https://mail.google.com/',
  'mail',
  'imap',
  'pop',
  'smtp',
  ...(config.extra_scopes ?? []),
];
const RESOURCE = {
  microsoft: 'https://outlook.office.com',
  google: 'https://mail.google.com/',
  generic: 'urn:inlet-test:mail',
}[STYLE];

function writeAtomically(file, text) {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

// The scripted error for `user` at `stage` ("authorization", "token" or "refresh"), if any.
// A scripted error with `times` answers that many times, then is used up.
function scripted(user, stage) {
  const found = scriptedErrors.find((e) => e.user === user && (e.at === stage || (e.at === 'token' && stage === 'refresh')));
  if (found && found.times !== undefined) {
    found.times -= 1;
    if (found.times <= 0) scriptedErrors = scriptedErrors.filter((e) => e !== found);
  }
  return found;
}

// What was asked, for /_inlet/asked.
const asked = { paths: {}, grants: {}, device_polls: [], access_tokens: [] };
const POLL_INTERVAL_MS = (config.device_poll_interval ?? 0) * 1000;
// device_code -> when it was issued or last polled.
const lastPoll = new Map();

// The error body as the provider words it: Microsoft adds error_codes and trace ids.
function errorBody(err) {
  const body = { error: err.error };
  if (err.error_description) body.error_description = err.error_description;
  if (STYLE === 'microsoft') {
    const code = /AADSTS(\d+)/.exec(err.error_description ?? '');
    if (code) body.error_codes = [Number(code[1])];
    body.timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    body.trace_id = crypto.randomUUID();
    body.correlation_id = crypto.randomUUID();
  }
  return body;
}

const server = https.createServer({
  cert: fs.readFileSync(config.cert),
  key: fs.readFileSync(config.key),
});
await new Promise((resolve) => server.listen(config.port ?? 0, '127.0.0.1', resolve));
const port = server.address().port;

const issuer = {
  generic: `https://127.0.0.1:${port}`,
  microsoft: 'https://login.microsoftonline.com/common/v2.0',
  google: 'https://accounts.google.com',
}[STYLE];

// grantId -> account, so revoke-all finds a user's grants.
const grantsOfAccount = new Map();

const clients = [
  ...[config.client_id, ...(config.other_clients ?? [])].map((id) => ({
    client_id: id,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // Any loopback port and path is allowed below (RFC 8252 section 7.3); one is registered
    // because the client schema wants one.
    redirect_uris: ['http://127.0.0.1/'],
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
  })),
  {
    client_id: config.introspector.id,
    client_secret: config.introspector.secret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [],
    response_types: [],
    redirect_uris: [],
  },
];

const provider = new Provider(issuer, {
  clients,
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  findAccount: async (_ctx, id) => (config.users.includes(id)
    ? { accountId: id, claims: async () => ({ sub: id, email: id }) }
    : undefined),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  // Google issues refresh tokens without offline_access (access_type=offline); Microsoft with it.
  // The test server issues one whenever the client may use the grant.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => config.rotate_refresh_tokens,
  ttl: {
    AccessToken: config.access_token_ttl,
    AuthorizationCode: 120,
    DeviceCode: config.device_code_ttl,
    RefreshToken: 14 * 24 * 3600,
    Interaction: 3600,
    Session: 3600,
    Grant: 14 * 24 * 3600,
  },
  // Stored with the opaque access token and returned by introspection as a top-level member:
  // the account a mail server signs in (Dovecot's username_attribute).
  extraTokenClaims: async (_ctx, token) => (token.kind === 'AccessToken' ? { username: token.accountId } : undefined),
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    deviceFlow: {
      enabled: true,
      userCodeInputSource: async (ctx, form, _out, err) => {
        const msg = err ? '<p class="error">That code is not valid.</p>' : '<p>Enter the code shown on your device.</p>';
        ctx.body = page('Device sign-in', `${msg}\n${form}\n<button type="submit" form="op.deviceInputForm">Continue</button>`);
      },
      userCodeConfirmSource: async (ctx, form, client, _info, userCode) => {
        ctx.body = page('Confirm device', `<p>${escapeHtml(client.clientId)} asks to sign in with code <code>${escapeHtml(userCode)}</code>.</p>\n${form}\n<button type="submit" form="op.deviceConfirmForm">Continue</button>`);
      },
      successSource: async (ctx) => {
        ctx.body = page('Device signed in', '<p>You can return to your device.</p>');
      },
    },
    introspection: {
      enabled: true,
      // Only the mail servers' client may introspect, and a token is active for it only when it
      // was issued to a client the mail servers accept: a token of another application is not.
      allowedPolicy: async (_ctx, client, token) => client.clientId === config.introspector.id
        && token.clientId === config.client_id,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: MAIL_SCOPES.join(' '),
        audience: RESOURCE,
        accessTokenFormat: 'opaque',
        accessTokenTTL: config.access_token_ttl,
      }),
    },
  },
});

// RFC 8252 section 7.3: a native client's loopback redirect may use any port; the test server
// also accepts any path, so it need not know where the engine's listener answers.
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  } catch {
    return false;
  }
};

// Scripted errors at the token endpoint, after oidc-provider has done its work (the code or
// refresh token is used up, as a real server would have).
provider.use(async (ctx, next) => {
  await next();
  if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200 && POLL_INTERVAL_MS) {
    ctx.body = { ...ctx.body, interval: config.device_poll_interval };
    lastPoll.set(ctx.body.device_code, Date.now());
  }
  const grantType = ctx.oidc?.route === 'token' ? ctx.oidc.params?.grant_type : undefined;
  if (grantType) asked.grants[grantType] = (asked.grants[grantType] ?? 0) + 1;
  if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
    const code = ctx.oidc.params.device_code;
    const now = Date.now();
    const previous = lastPoll.get(code);
    lastPoll.set(code, now);
    if (POLL_INTERVAL_MS && previous !== undefined && now - previous < POLL_INTERVAL_MS
        && ctx.status === 400 && ctx.body?.error === 'authorization_pending') {
      ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly and should back off at a reasonable rate' };
    }
    asked.device_polls.push({ at: now, answer: ctx.status === 200 ? 'tokens' : ctx.body?.error });
  }
  if (ctx.oidc?.route === 'token' && ctx.status === 200) {
    const e = ctx.oidc.entities;
    const account = e.Account?.accountId ?? e.RefreshToken?.accountId ?? e.AuthorizationCode?.accountId
      ?? e.DeviceCode?.accountId;
    const stage = ctx.oidc.params?.grant_type === 'refresh_token' ? 'refresh' : 'token';
    const err = account && scripted(account, stage);
    if (err) {
      ctx.status = err.status ?? 400;
      ctx.body = errorBody(err);
    } else if (typeof ctx.body?.access_token === 'string') {
      asked.access_tokens.push(ctx.body.access_token);
    }
  }
  // Microsoft does not send RFC 9207's `iss` with the authorization response (nor advertise it).
  if (STYLE === 'microsoft' && ctx.status >= 300 && ctx.status < 400) {
    const location = ctx.response.get('location');
    if (location && !location.startsWith('/')) {
      const url = new URL(location);
      if (url.protocol === 'http:' && url.searchParams.has('iss')) {
        url.searchParams.delete('iss');
        ctx.response.set('location', url.href);
      }
    }
  }
  if (ctx.oidc?.route === 'discovery' && ctx.status === 200) {
    ctx.body = styledMetadata(ctx.body, ctx.get('x-inlet-tenant'), ctx.get('x-inlet-host'));
  }
});

// Discovery with the style's own endpoint URLs.
function styledMetadata(body, tenant, host) {
  const out = { ...body };
  if (STYLE === 'microsoft') {
    const t = tenant || 'common';
    const base = `https://${host || 'login.microsoftonline.com'}/${t}`;
    out.issuer = `https://login.microsoftonline.com/${['common', 'organizations'].includes(t) ? '{tenantid}' : t}/v2.0`;
    out.authorization_endpoint = `${base}/oauth2/v2.0/authorize`;
    out.token_endpoint = `${base}/oauth2/v2.0/token`;
    out.device_authorization_endpoint = `${base}/oauth2/v2.0/devicecode`;
    out.authorization_response_iss_parameter_supported = false;
  } else if (STYLE === 'google') {
    out.authorization_endpoint = 'https://accounts.google.com/o/oauth2/v2/auth';
    out.token_endpoint = 'https://oauth2.googleapis.com/token';
    out.device_authorization_endpoint = 'https://oauth2.googleapis.com/device/code';
    out.revocation_endpoint = 'https://oauth2.googleapis.com/revoke';
  }
  out.scopes_supported = [...new Set([...(out.scopes_supported ?? []), ...MAIL_SCOPES])];
  return out;
}

// The provider's URL shapes onto oidc-provider's routes. Returns the new path, or undefined.
function rewrite(url, req) {
  const p = url.pathname;
  if (STYLE === 'microsoft') {
    let m = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token|devicecode)$/.exec(p);
    if (m) return { authorize: '/auth', token: '/token', devicecode: '/device/auth' }[m[2]];
    m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(p);
    if (m) {
      req.headers['x-inlet-tenant'] = m[1];
      return '/.well-known/openid-configuration';
    }
  } else if (STYLE === 'google') {
    const map = { '/o/oauth2/v2/auth': '/auth', '/device/code': '/device/auth', '/revoke': '/token/revocation' };
    if (map[p]) return map[p];
  }
  if (p === '/.well-known/oauth-authorization-server') return '/.well-known/openid-configuration';
  return undefined;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

// The login and consent pages (GET), and their forms (POST).
async function interaction(req, res, url) {
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const { prompt, params } = details;
  if (req.method === 'GET') {
    if (prompt.name === 'login') {
      const hint = params.login_hint ? escapeHtml(params.login_hint) : '';
      return send(res, 200, 'text/html; charset=utf-8', page('Sign in', `<form method="post" action="/interaction/${uid}/login">
<input type="text" name="login" value="${hint}">
<input type="password" name="password" value="">
<button type="submit">Sign in</button>
</form>`));
    }
    const scopes = escapeHtml(params.scope ?? '');
    return send(res, 200, 'text/html; charset=utf-8', page('Allow access', `<p>${escapeHtml(params.client_id)} asks for: ${scopes}</p>
<form method="post" action="/interaction/${uid}/confirm">
<input type="hidden" name="decision" value="approve">
<button type="submit">Allow</button>
</form>`));
  }
  const form = await readForm(req);
  if (action === 'login') {
    const login = (form.get('login') ?? '').trim();
    if (!config.users.includes(login)) {
      // As a provider would: its own page, no redirect back to the application.
      return send(res, 200, 'text/html; charset=utf-8', page('Account not found', `<p>No account ${escapeHtml(login)} here.</p>`));
    }
    const err = scripted(login, 'authorization');
    if (err) {
      // Straight to the client's redirect_uri, worded as scripted (oidc-provider would replace
      // the description of the errors it knows by its own).
      const to = new URL(params.redirect_uri);
      to.searchParams.set('error', err.error);
      if (err.error_description) to.searchParams.set('error_description', err.error_description);
      if (params.state !== undefined) to.searchParams.set('state', params.state);
      if (STYLE !== 'microsoft') to.searchParams.set('iss', issuer);
      res.writeHead(303, { location: to.href, 'cache-control': 'no-store' });
      return res.end();
    }
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  if (action === 'confirm') {
    if (form.get('decision') !== 'approve') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user declined to give access.' }, { mergeWithLastSubmission: false });
    }
    const { session: { accountId }, grantId: existing } = details;
    const grant = existing ? await provider.Grant.find(existing) : new provider.Grant({ accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    grantsOfAccount.set(grantId, accountId);
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return send(res, 404, 'text/plain', 'not found\n');
}

// Control endpoints for the test kit.
async function control(req, res, url) {
  if (req.headers.authorization !== `Bearer ${config.control_secret}`) return send(res, 401, 'text/plain', 'no\n');
  const form = await readForm(req);
  if (url.pathname === '/_inlet/revoke-all') {
    const user = form.get('user');
    let revoked = 0;
    for (const [grantId, account] of grantsOfAccount) {
      if (account !== user) continue;
      // One adapter call drops every token of the grant (access, refresh, code, device code).
      await provider.AccessToken.adapter.revokeByGrantId(grantId);
      const grant = await provider.Grant.find(grantId);
      if (grant) await grant.destroy();
      grantsOfAccount.delete(grantId);
      revoked += 1;
    }
    return send(res, 200, 'application/json', JSON.stringify({ revoked }));
  }
  if (url.pathname === '/_inlet/asked') {
    return send(res, 200, 'application/json', JSON.stringify(asked));
  }
  if (url.pathname === '/_inlet/scripted-errors') {
    scriptedErrors = JSON.parse(form.get('errors') ?? '[]');
    return send(res, 200, 'application/json', '{}');
  }
  return send(res, 404, 'text/plain', 'not found\n');
}

const app = provider.callback();
server.on('request', (req, res) => {
  const url = new URL(req.url, 'https://127.0.0.1');
  const fail = (e) => {
    console.error(`${req.method} ${url.pathname}: ${e?.stack ?? e}`);
    if (!res.headersSent) send(res, 500, 'text/plain', 'server error\n');
  };
  console.error(`${req.method} ${url.pathname}`);
  if (!url.pathname.startsWith('/_inlet/')) asked.paths[url.pathname] = (asked.paths[url.pathname] ?? 0) + 1;
  if (url.pathname.startsWith('/interaction/')) return interaction(req, res, url).catch(fail);
  if (url.pathname.startsWith('/_inlet/')) return control(req, res, url).catch(fail);
  const to = rewrite(url, req);
  if (to !== undefined) {
    // Real providers ignore prompt=select_account here (there is one account per test user);
    // oidc-provider would refuse it as unsupported.
    if (url.searchParams.get('prompt') === 'select_account') url.searchParams.delete('prompt');
    req.headers['x-inlet-host'] = req.headers.host ?? '';
    req.url = to + url.search;
  } else if (url.pathname === '/auth' && url.searchParams.get('prompt') === 'select_account') {
    url.searchParams.delete('prompt');
    req.url = url.pathname + url.search;
  }
  return app(req, res);
});

writeAtomically(path.join(config.state_dir, 'port'), String(port));
console.error(`listening on 127.0.0.1:${port} as ${issuer} (${STYLE})`);
