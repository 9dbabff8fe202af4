// The app's engine configuration (its INLET_CONFIG) for the servers inlet-test-servers started:
// run.sh writes the default one, launchApp() one per spec. Field names are EngineConfig's
// (crates/inlet-core/src/config.rs, camelCase; durations in milliseconds).

/** Where each name the app may ask for goes (like curl's --connect-to), the TLS name check unchanged. */
function connectTo(servers) {
  const to = (host, port, toPort) => ({ host, port, toHost: '127.0.0.1', toPort });
  return [
    // Discovery's web requests for example.test: its autoconfig document.
    to('autoconfig.example.test', 443, servers.httpsPort),
    to('example.test', 443, servers.httpsPort),
    // moved.test's autoconfig redirects to example.test's: followed only when confirmed.
    to('autoconfig.moved.test', 443, servers.httpsPort),
    // The servers that document names: the test Dovecot and SMTP server (their certificates
    // cover imap.example.test and mail.example.test).
    to('imap.example.test', 993, servers.imapsPort),
    to('mail.example.test', 465, servers.smtpsPort),
    to('mail.example.test', 587, servers.smtpPort),
    // oauthonly.test's service records name imap.example.test on this port: a Dovecot that
    // offers OAuth2 sign-in only.
    to('imap.example.test', servers.oauthSrvPort, servers.oauthImapsPort),
    // corp.test: only its Autodiscover knows bob's settings, and only for his password.
    to('autodiscover.corp.test', 443, servers.autodiscoverPort),
    to('corp.test', 443, servers.autodiscoverPort),
    // nowhere.test has nothing to find, and its autoconfig host never answers: discovery runs
    // until the web deadline, long enough to watch.
    to('autoconfig.nowhere.test', 443, servers.silentPort),
    // Sign in with Microsoft (dana@contoso.test): login.microsoftonline.com to the test
    // authorization server, Microsoft's mail servers and contoso.test's service records to the
    // Dovecot and SMTP server that take only its tokens.
    ...(servers.oauth?.connectTo ?? []),
  ];
}

export function appConfig(servers, dataDir) {
  return {
    dataDir,
    extraCaFiles: [servers.caFile],
    keychainService: 'inlet-e2e',
    deadlines: { resolve: 5000, connect: 5000, tls: 5000, greeting: 5000, command: 10000 },
    dnsServer: servers.dnsAddr,
    // The test HTTPS server answers 404 for every domain there: the ISPDB knows nothing.
    ispdbUrl: `https://127.0.0.1:${servers.httpsPort}/v1.1/`,
    connectTo: connectTo(servers),
    discovery: { dns: 2000, http: 3000, guess: 4000, guessStagger: 50, probe: 3000, grace: 500 },
    // The test authorization server's public client; no policy file from the machine running
    // the tests. The browser is the servers' own person at the browser, who signs in as dana.
    oauth: { microsoftClientId: servers.oauth?.clientId ?? null },
    policyFile: null,
    browserCommand: servers.oauth?.browserCommand ?? null,
  };
}
