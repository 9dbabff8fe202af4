// Canned discovery for the demo (see demo.ts): sources that start at once and end one by one,
// then the check of the servers found. The address steers the scenario:
//   anything@…              the domain's own configuration, verified, with an "enable IMAP first" note
//   team@harbour-books.…    a custom domain at Google Workspace (MX), to confirm
//   elsewhere@…             DNS service records pointing outside the domain, to confirm
//   pop@…                   POP3 only, with an unverified IMAP server among the others
//   redirect@…              the domain's configuration points to another domain; follow it
//   corp@…                  only Autodiscover knows, and it wants the password first
//   nothing@…, …@nowhere.…  nothing found: the diagnosis and the usual names to type over
//   slowfind@…              slow enough to try Cancel (Escape)

import { issuerForKind } from './sign-in';
import type { OnDiscoveryEvent } from './api';
import type { DiscoveryEvent } from './bindings/DiscoveryEvent';
import type { Candidate } from './bindings/Candidate';
import type { Diagnosis } from './bindings/Diagnosis';
import { demoDiagnosis } from './demo-diagnosis';
import type { DiscoverRequest } from './bindings/DiscoverRequest';
import type { Discovery } from './bindings/Discovery';
import type { Endpoint } from './bindings/Endpoint';
import type { SourceId } from './bindings/SourceId';
import type { SourceReport } from './bindings/SourceReport';
import type { SourceStatus } from './bindings/SourceStatus';
import type { TraceStep } from './bindings/TraceStep';

const LABELS: Record<SourceId, string> = {
  provider: 'Known providers',
  autoconfig: 'The domain’s configuration',
  ispdb: 'Thunderbird’s provider database',
  autodiscover_pox: 'Autodiscover',
  redirect: 'Confirmed redirect',
  srv: 'DNS service records',
  mx: 'DNS mail servers (MX)',
  autoconfig_http: 'The domain’s configuration (unencrypted)',
  guess: 'Trying usual server names',
  verification: 'Checking the servers',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cancelled(): Diagnosis {
  return demoDiagnosis({
    code: 'cancelled',
    title: 'Discovery cancelled',
    whatHappened: 'You stopped looking for the settings.',
    whatToDo: 'Try again, or set up the mailbox by hand.',
  });
}

interface Outcome {
  source: SourceId;
  status: SourceStatus;
  summary: string;
  /** When the source ends, in ms after the start (before the demo's slow factor). */
  at: number;
}

function server(
  protocol: Candidate['protocol'],
  endpoint: Endpoint,
  source: SourceId,
  foundBy: string,
  extra: Partial<Candidate> = {},
): Candidate {
  return { protocol, endpoint, username: null, auth: ['password_cleartext'], source, foundBy, needsConfirmation: null, verification: null, signIn: 'password', ...extra };
}

function verified(c: Candidate, ok = true, detail?: string): Candidate {
  const security = c.endpoint.security === 'tls' ? 'TLS' : c.endpoint.security === 'starttls' ? 'STARTTLS' : 'no encryption';
  return {
    ...c,
    verification: {
      verified: ok,
      elapsedMs: 120,
      detail: detail ?? `${c.protocol.toUpperCase()} server answered over ${security}; sign-in: PLAIN, LOGIN`,
      authMechanisms: ok ? ['PLAIN', 'LOGIN'] : [],
      password: ok,
      oauth2: false,
      certificateProblem: false,
    },
  };
}

type Scenario = 'nothing' | 'wants-password' | 'autodiscover' | 'redirect' | 'redirected' | 'workspace' | 'srv' | 'pop' | 'autoconfig';

function scenarioOf(local: string, domain: string, following: boolean, password: string | undefined): Scenario {
  if (local === 'nothing' || domain.startsWith('nowhere.')) return 'nothing';
  // "wrong" is the password the demo's Autodiscover refuses.
  if (local === 'corp') return password && password !== 'wrong' ? 'autodiscover' : 'wants-password';
  if (local === 'redirect') return following ? 'redirected' : 'redirect';
  if (domain.startsWith('harbour-books')) return 'workspace';
  if (local === 'elsewhere') return 'srv';
  if (local === 'pop') return 'pop';
  return 'autoconfig';
}

/** The demo's discover_settings. `stopped` says whether Cancel was pressed meanwhile. */
export async function demoDiscover(request: DiscoverRequest, onEvent: OnDiscoveryEvent, stopped: () => boolean): Promise<Discovery> {
  const started = Date.now();
  const email = request.email.trim();
  const [local, domain = 'example.com'] = email.toLowerCase().split('@');
  const slow = local === 'slowfind' ? 8 : 1;
  const emit = (source: SourceId, status: SourceStatus | null, detail: string | null, more: Partial<DiscoveryEvent> = {}) =>
    onEvent({ source, label: LABELS[source], status, detail, elapsedMs: Date.now() - started, checking: [], target: null, ...more });
  const wait = async (ms: number) => {
    await sleep(ms * slow);
    if (stopped()) throw cancelled();
  };

  const following = request.follow.length > 0;
  const scenario = scenarioOf(local, domain, following, request.autodiscoverPassword);

  const asks: [SourceId, string][] = [
    ['provider', `${domain} in Inlet’s list`],
    ['autoconfig', `autoconfig.${domain}, ${domain}/.well-known`],
    ['ispdb', `${domain} in the ISPDB`],
    ['autodiscover_pox', `autodiscover.${domain}, ${domain}`],
    ['srv', `SRV records of ${domain}`],
    ['mx', `MX records of ${domain}`],
    ['autoconfig_http', `http://autoconfig.${domain}`],
    ['guess', `imap.${domain}, mail.${domain}, smtp.${domain}…`],
  ];
  if (following) asks.push(['redirect', request.follow.join(', ')]);
  for (const [source, what] of asks) emit(source, null, what);

  const own = `from ${domain}’s own configuration`;
  let incoming: Candidate[] = [];
  let outgoing: Candidate[] = [];
  let kind: Discovery['kind'] = 'imap';
  let provider: Discovery['provider'] = null;
  const hints: Discovery['hints'] = [];
  const redirects: Discovery['redirects'] = [];
  const found = new Map<SourceId, string>();

  switch (scenario) {
    case 'autoconfig':
      incoming = [server('imap', { host: `imap.${domain}`, port: 993, security: 'tls' }, 'autoconfig', own, { username: email })];
      outgoing = [server('smtp', { host: `smtp.${domain}`, port: 465, security: 'tls' }, 'autoconfig', own, { username: email })];
      hints.push(
        { kind: 'enable', text: 'Turn on IMAP access in your webmail first: Settings → Mail apps → Allow IMAP.', url: `https://${domain}/settings/imap`, source: 'autoconfig' },
        { kind: 'documentation', text: 'Setting up a mail app', url: `https://${domain}/help/mail-apps`, source: 'autoconfig' },
      );
      found.set('autoconfig', `IMAP imap.${domain}:993, SMTP smtp.${domain}:465`);
      break;
    case 'workspace': {
      const why = `${domain}’s mail goes to Google Workspace (its MX record names aspmx.l.google.com); confirm that your mailbox is at Google Workspace`;
      const by = `from DNS: ${domain}’s mail is at Google Workspace`;
      incoming = [server('imap', { host: 'imap.gmail.com', port: 993, security: 'tls' }, 'mx', by, { username: email, needsConfirmation: why })];
      outgoing = [server('smtp', { host: 'smtp.gmail.com', port: 465, security: 'tls' }, 'mx', by, { username: email, needsConfirmation: why })];
      kind = 'gmail';
      provider = { id: 'google', name: 'Google Workspace', detectedBy: `${domain}’s MX records point to Google Workspace` };
      hints.push({ kind: 'instruction', text: 'With 2-Step Verification on, Google accepts only an app password from mail apps.', url: 'https://support.google.com/accounts/answer/185833', source: 'mx' });
      found.set('mx', 'IMAP imap.gmail.com:993, SMTP smtp.gmail.com:465');
      break;
    }
    case 'srv': {
      const by = `from DNS (${domain}’s service records)`;
      const why = `${domain}’s DNS points to mail.hosting.example, which is not part of ${domain}; DNS answers can be forged`;
      incoming = [server('imap', { host: 'mail.hosting.example', port: 993, security: 'tls' }, 'srv', by, { needsConfirmation: why })];
      outgoing = [server('smtp', { host: 'mail.hosting.example', port: 465, security: 'tls' }, 'srv', by, { needsConfirmation: why })];
      found.set('srv', 'IMAP mail.hosting.example:993, SMTP mail.hosting.example:465');
      break;
    }
    case 'pop':
      incoming = [
        server('pop3', { host: `pop.${domain}`, port: 995, security: 'tls' }, 'autoconfig', own, { username: email }),
        server('imap', { host: `imap.${domain}`, port: 993, security: 'tls' }, 'guess', 'a usual server name'),
      ];
      outgoing = [server('smtp', { host: `smtp.${domain}`, port: 587, security: 'starttls' }, 'autoconfig', own, { username: email })];
      kind = 'pop3';
      found.set('autoconfig', `POP3 pop.${domain}:995, SMTP smtp.${domain}:587`);
      break;
    case 'redirect':
      redirects.push({
        source: 'autoconfig',
        to: 'https://autoconfig.hosting.example/mail/config-v1.1.xml',
        explanation: `${domain}’s configuration points to autoconfig.hosting.example, which is not part of ${domain}. Follow it only if you know autoconfig.hosting.example handles your mail.`,
      });
      break;
    case 'autodiscover': {
      const by = `from ${domain}’s Autodiscover service`;
      incoming = [server('imap', { host: `mail.${domain}`, port: 993, security: 'tls' }, 'autodiscover_pox', by, { username: email })];
      outgoing = [server('smtp', { host: `mail.${domain}`, port: 587, security: 'starttls' }, 'autodiscover_pox', by, { username: email })];
      found.set('autodiscover_pox', `IMAP mail.${domain}:993, SMTP mail.${domain}:587`);
      break;
    }
    case 'redirected': {
      const by = `from autoconfig.hosting.example, where ${domain} points (you confirmed it)`;
      incoming = [server('imap', { host: 'imap.hosting.example', port: 993, security: 'tls' }, 'redirect', by, { username: email })];
      outgoing = [server('smtp', { host: 'smtp.hosting.example', port: 587, security: 'starttls' }, 'redirect', by, { username: email })];
      found.set('redirect', 'IMAP imap.hosting.example:993, SMTP smtp.hosting.example:587');
      break;
    }
    default:
      break;
  }

  // The sources end one by one; once the best has answered, the rest are stopped.
  const nothingHere: Record<SourceId, string> = {
    provider: `${domain} is not a provider we know`,
    autoconfig: scenario === 'redirect' ? 'points to autoconfig.hosting.example, another domain: follow only if you trust it' : 'nothing there',
    ispdb: 'nothing there',
    autodiscover_pox:
      scenario === 'wants-password'
        ? 'the server wants your password before it tells the settings; Inlet sends it only if you agree'
        : 'nothing there',
    redirect: 'nothing there',
    srv: 'no mail service records',
    mx: `MX mx.${domain} is the domain’s own`,
    autoconfig_http: 'nothing there',
    guess: 'no usual server name answered',
    verification: '',
  };
  const anything = incoming.length > 0;
  const outcomes: Outcome[] = asks.map(([source], i) => {
    const summary = found.get(source);
    if (summary) return { source, status: 'found', summary, at: 300 + i * 120 };
    if (source === 'autoconfig' && scenario === 'redirect') return { source, status: 'found', summary: nothingHere.autoconfig, at: 420 };
    if (anything && ['autoconfig_http', 'guess'].includes(source)) {
      return { source, status: 'cancelled', summary: 'stopped: a better answer was already there', at: 900 };
    }
    const timedOut = source === 'autodiscover_pox' && scenario === 'nothing';
    return timedOut
      ? { source, status: 'timed_out', summary: 'no answer within 6000 ms', at: 2600 }
      : { source, status: 'not_found', summary: nothingHere[source], at: source === 'guess' ? 2200 : 150 + i * 90 };
  });
  outcomes.sort((a, b) => a.at - b.at);
  let clock = 0;
  const reports: SourceReport[] = [];
  for (const o of outcomes) {
    await wait(o.at - clock);
    clock = o.at;
    emit(o.source, o.status, o.summary);
    reports.push({ source: o.source, label: LABELS[o.source], status: o.status, elapsedMs: o.at - 20, summary: o.summary });
  }
  reports.sort((a, b) => asks.findIndex(([s]) => s === a.source) - asks.findIndex(([s]) => s === b.source));

  const trace: TraceStep[] = [
    { source: 'autoconfig', query: `GET https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=…@${domain}`, elapsedMs: 180, status: found.has('autoconfig') ? 'found' : 'not_found', outcome: found.get('autoconfig') ?? 'HTTP 404' },
    { source: 'ispdb', query: `GET https://autoconfig.thunderbird.net/v1.1/${domain}`, elapsedMs: 210, status: 'not_found', outcome: 'HTTP 404' },
    { source: 'srv', query: `SRV _imaps._tcp.${domain}`, elapsedMs: 40, status: found.has('srv') ? 'found' : 'not_found', outcome: found.has('srv') ? 'mail.hosting.example:993 (priority 0, weight 1)' : 'no such name (NXDOMAIN)' },
    { source: 'mx', query: `MX ${domain}`, elapsedMs: 35, status: 'found', outcome: scenario === 'workspace' ? 'aspmx.l.google.com (10)' : `mx.${domain} (10)` },
  ];

  // Check the proposals without credentials, all at once.
  if (anything) {
    const targets = [...incoming.slice(0, 1), ...outgoing.slice(0, 1)];
    const checking = targets.map((c) => `${c.endpoint.host}:${c.endpoint.port}`);
    emit('verification', null, checking.join(', '), { checking });
    const checked: Candidate[] = [];
    for (const c of targets) {
      await wait(350);
      const v = verified(c);
      checked.push(v);
      emit('verification', 'found', v.verification!.detail, { target: `${c.endpoint.host}:${c.endpoint.port}` });
      trace.push({ source: 'verify', query: `${c.protocol.toUpperCase()} ${c.endpoint.host}:${c.endpoint.port}`, elapsedMs: 120, status: 'found', outcome: v.verification!.detail });
    }
    incoming = [checked[0], ...incoming.slice(1)];
    outgoing = [checked[1], ...outgoing.slice(1)];
    reports.push({ source: 'verification', label: LABELS.verification, status: 'found', elapsedMs: 700, summary: `${targets.length} of ${targets.length} server(s) answered` });
  }

  let diagnosis: Diagnosis | null = null;
  if (!anything) {
    diagnosis = demoDiagnosis({
      code: 'settings_not_found',
      title: 'Settings not found',
      whatHappened: `Inlet asked every place that usually knows the mail servers of ${domain} (its own configuration, Thunderbird’s provider database, DNS, the usual server names) and none of them answered with an incoming server.`,
      whatToDo: 'Enter the server settings by hand: your provider’s help pages or your IT department list them (look for “IMAP server” or “incoming mail server”). The form is filled with the most likely names.',
      evidence: reports.map((r) => `${r.label}: ${r.summary}`),
    });
    const guess = 'a usual server name, not verified: check it with your provider';
    incoming = [server('imap', { host: `imap.${domain}`, port: 993, security: 'tls' }, 'guess', guess, { needsConfirmation: 'nothing confirmed this server' })];
    outgoing = [server('smtp', { host: `smtp.${domain}`, port: 587, security: 'starttls' }, 'guess', guess, { needsConfirmation: 'nothing confirmed this server' })];
  }

  return {
    email,
    domain,
    kind,
    provider,
    incoming,
    outgoing,
    hints,
    redirects,
    sources: reports,
    trace,
    diagnosis,
    autodiscoverWantsPassword: scenario === 'wants-password',
    signInOffer: issuerForKind(kind),
    elapsedMs: Date.now() - started,
  };
}
