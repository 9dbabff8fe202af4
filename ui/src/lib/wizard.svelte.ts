// The state of the whole app: which view is shown, the wizard's fields and the mailbox list.
// Components only read it and call its methods, so the flow can be tested without a window.

import type { Candidate } from './bindings/Candidate';
import type { ConfigProblem } from './bindings/ConfigProblem';
import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { DiscoverRequest } from './bindings/DiscoverRequest';
import type { Discovery } from './bindings/Discovery';
import type { MailboxKind } from './bindings/MailboxKind';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { MailboxSettings } from './bindings/MailboxSettings';
import type { OAuth2Grant } from './bindings/OAuth2Grant';
import type { Protocol } from './bindings/Protocol';
import type { Security } from './bindings/Security';
import type { Side } from './bindings/Side';
import type { TrustedCertificate } from './bindings/TrustedCertificate';
import { cancelledProblem, toProblem, type InletApi, type Problem, type ReportFormat, type ReportKind } from './api';
import { stepAtFault, type PasswordSetup } from './error-view';
import {
  applyDiscoveryEvent,
  confirmationsFor,
  finishDiscoveryRows,
  interruptDiscoveryRows,
  proposalFields,
  type Confirmation,
  type DiscoveryRow,
} from './discovery';
import { chosenFolders, defaultSelection } from './folders';
import { incomingProtocol, kindInfo } from './kinds';
import { applyProgress, interruptRunning, type ProgressRow } from './progress';
import {
  buildConnectRequest,
  buildSaveRequest,
  buildSettings,
  buildTestRequest,
  incomingEndpoint,
  outgoingEndpoint,
  type WizardForm,
} from './requests';
import { FolderSelection } from './selection.svelte';
import { addPin, canTrust, pinFor, previousFingerprint, removePin, type HostPort } from './trust';
import { issuerForKind, issuerOf, offeredIssuer, optionFor, takesPassword, type Provider } from './sign-in';
import type { IssuerChoice } from './bindings/IssuerChoice';
import type { SignInEvent } from './bindings/SignInEvent';
import type { SignInMode } from './bindings/SignInMode';
import type { SignInOption } from './bindings/SignInOption';
import { t } from './i18n.svelte';
import {
  accountErrors,
  defaultPort,
  emailDomain,
  isEmpty,
  outgoingErrors,
  serverErrors,
} from './validation';

export type StepId =
  | 'address'
  | 'discovering'
  | 'proposal'
  | 'type'
  | 'account'
  | 'server'
  | 'signing-in'
  | 'connecting'
  | 'folders'
  | 'saved';

/**
 * How the settings come about: found from the address (address → settings → sign in), or
 * typed by hand after "Set up manually" (address → type → account → servers).
 */
export type WizardPath = 'discovered' | 'manual';

export interface StepInfo {
  id: StepId;
  title: string;
  /** Other steps shown as this one in the indicator (the settings are found, then proposed or edited). */
  also?: readonly StepId[];
}

/**
 * The numbered steps of the indicator ("Step 2 of 4 · Settings"); "saved" comes after them. One
 * list for every path (found or typed by hand, IMAP or POP3, password or browser sign-in), so the
 * count and the names never change half-way: whatever the user fills in is "Settings", whatever
 * Inlet then checks (the browser sign-in included) is "Connect".
 */
export const STEPS: readonly StepInfo[] = [
  // Getters: the name is looked up where it is shown, in the language of that moment.
  {
    id: 'address',
    get title() {
      return t('wiz-step-address');
    },
  },
  {
    id: 'proposal',
    get title() {
      return t('wiz-step-settings');
    },
    also: ['discovering', 'type', 'account', 'server'],
  },
  {
    id: 'connecting',
    get title() {
      return t('wiz-step-connect');
    },
    also: ['signing-in'],
  },
  {
    id: 'folders',
    get title() {
      return t('wiz-step-folders');
    },
  },
];

/** Where a step is in the indicator, or -1 (the saved step comes after them all). */
export function stepIndex(steps: readonly StepInfo[], step: StepId): number {
  return steps.findIndex((s) => s.id === step || (s.also?.includes(step) ?? false));
}

/** How the mailbox signs in: with a password, or through the provider's page in the browser (OAuth2). */
export type AuthChoice = 'password' | 'oauth2';

export interface WizardOptions {
  /** How long to wait for the engine to confirm a cancel before giving up on it. */
  cancelGraceMs?: number;
}

export class Wizard {
  step = $state<StepId>('address');
  path = $state<WizardPath>('discovered');

  kind = $state<MailboxKind>('imap');
  #email = $state('');
  /** The engine's last answer about an address, with the address it was about. */
  #addressCheck = $state.raw<{ email: string; problem: string | null } | null>(null);
  password = $state('');
  username = $state('');
  host = $state('');
  /** The user typed the host; otherwise it follows the mailbox type and the address's domain. */
  hostTyped = $state(false);
  port = $state(String(defaultPort('tls', 'imap')));
  /** The user typed the port; otherwise it follows the security choice. */
  portTyped = $state(false);
  security = $state<Security>('tls');
  plaintextConfirmed = $state(false);

  /** Password, or browser sign-in with `issuer`; the grant is what a browser sign-in gave. */
  auth = $state<AuthChoice>('password');
  issuer = $state.raw<IssuerChoice | null>(null);
  grant = $state.raw<OAuth2Grant | null>(null);
  /** The engine's word on the providers' buttons (empty until it answers: then all count as available). */
  signInOptions = $state.raw<SignInOption[]>([]);
  signingIn = $state(false);
  signInMode = $state<SignInMode>('browser');
  /** The latest thing the running sign-in reported: the page opened, the code to type, or the exchange. */
  signInEvent = $state.raw<SignInEvent | null>(null);
  /** When the running sign-in gives up (Unix ms): the browser's deadline, or the device code's expiry. */
  signInDeadline = $state<number | null>(null);
  signInProblem = $state.raw<Problem | null>(null);

  /** "Also check the outgoing server": on for IMAP and POP3 until the user decides. */
  smtpEnabled = $state(true);
  smtpEnabledTouched = $state(false);
  smtpHost = $state('');
  smtpHostTyped = $state(false);
  smtpPort = $state(String(defaultPort('starttls', 'smtp')));
  smtpPortTyped = $state(false);
  smtpSecurity = $state<Security>('starttls');
  /** Empty: the username that worked for the incoming server. */
  smtpUsername = $state('');
  smtpSamePassword = $state(true);
  smtpPassword = $state('');
  smtpPlaintextConfirmed = $state(false);

  /** Certificates trusted in this wizard (one per server); saved with the mailbox. */
  trustedCertificates = $state.raw<TrustedCertificate[]>([]);
  /** The box under "Trust this certificate" (cleared by every new connection). */
  trustConfirmed = $state(false);
  /** A submit was tried: show every error, not only those of fields already left. */
  addressSubmitted = $state(false);
  accountSubmitted = $state(false);
  serverSubmitted = $state(false);

  /** Discovery: its live rows, its answer, and what the user chose of it. */
  discovering = $state(false);
  discoveryRows = $state.raw<DiscoveryRow[]>([]);
  discovery = $state.raw<Discovery | null>(null);
  /** Discovery itself failed (not "nothing found": that is a Discovery with a diagnosis). */
  discoveryProblem = $state.raw<Problem | null>(null);
  /** Indexes into discovery.incoming and discovery.outgoing; the first is the proposal. */
  incomingChoice = $state(0);
  outgoingChoice = $state(0);
  /** The box under "Needs your confirmation" (cleared when the choice changes). */
  proposalConfirmed = $state(false);
  /** Redirects the user chose to follow (sent with every discovery of this address). */
  followed = $state.raw<string[]>([]);
  /** The domain's Autodiscover was given the password and still asked for it. */
  autodiscoverRefused = $state(false);

  rows = $state.raw<ProgressRow[]>([]);
  connecting = $state(false);
  cancelling = $state(false);
  problem = $state.raw<Problem | null>(null);
  report = $state.raw<ConnectReport | null>(null);

  selection = $state.raw(new FolderSelection());
  filter = $state('');
  saving = $state(false);
  saveRows = $state.raw<ProgressRow[]>([]);
  saveProblem = $state.raw<Problem | null>(null);
  saved = $state.raw<MailboxRecord | null>(null);

  testing = $state(false);
  testRows = $state.raw<ProgressRow[]>([]);
  testProblem = $state.raw<Problem | null>(null);
  /** The address the test message went to, once the server accepted it. */
  testSentTo = $state<string | null>(null);
  /** What "Send me a test message" sends: kept from the save (passwords too) until the wizard is left. */
  #testRequest = $state.raw<ConnectRequest | null>(null);

  #api: InletApi;
  #attempt = 0;
  #discoveryAttempt = 0;
  /** On the discovered path: where the settings were last shown (Back from Sign in goes there). */
  #settingsStep: 'proposal' | 'server' = 'proposal';
  #cancelTimer: ReturnType<typeof setTimeout> | undefined;
  #cancelGraceMs: number;
  #signInAttempt = 0;
  /** The running sign-in call, so a new one starts only once the engine let go of it. */
  #pendingSignIn: Promise<unknown> | null = null;
  /** Where Cancel or Back on the sign-in screen returns to. */
  #beforeSignIn: StepId = 'proposal';
  /** "Sign in with …" on the address step: the issuer to sign in with once the settings are found. */
  #preferredIssuer: IssuerChoice | null = null;

  constructor(api: InletApi, options: WizardOptions = {}) {
    this.#api = api;
    this.#cancelGraceMs = options.cancelGraceMs ?? 5000;
    void this.#checkAddress('');
    void this.#loadSignInOptions();
  }

  async #loadSignInOptions(): Promise<void> {
    try {
      this.signInOptions = await this.#api.signInOptions();
    } catch {
      // No answer: the buttons try, and the engine's diagnosis says what is missing.
    }
  }

  get email(): string {
    return this.#email;
  }

  /** Every change of the address is checked by the engine (it answers at once, without the network). */
  set email(value: string) {
    this.#email = value;
    void this.#checkAddress(value);
  }

  async #checkAddress(email: string): Promise<void> {
    try {
      const { problem } = await this.#api.checkAddress(email);
      // An answer about an address typed over since is of no use.
      if (this.#email === email) this.#addressCheck = { email, problem };
    } catch {
      // No answer: the engine checks the address again when it is used.
    }
  }

  get form(): WizardForm {
    return {
      kind: this.kind,
      email: this.email,
      password: this.password,
      username: this.username,
      host: this.host,
      port: this.port,
      security: this.security,
      plaintextConfirmed: this.plaintextConfirmed,
      auth: this.auth,
      grant: this.grant,
      outgoing: {
        enabled: this.smtpEnabled,
        host: this.smtpHost,
        port: this.smtpPort,
        security: this.smtpSecurity,
        username: this.smtpUsername,
        samePassword: this.smtpSamePassword,
        password: this.smtpPassword,
        plaintextConfirmed: this.smtpPlaintextConfirmed,
      },
      trustedCertificates: this.trustedCertificates,
    };
  }

  /** The incoming protocol: POP3 for a POP3 mailbox, IMAP for every other. */
  get protocol(): Protocol {
    return incomingProtocol(this.kind);
  }

  /**
   * What the engine said about the address, or null. Null too while its answer about the latest
   * keystroke is on its way: a submit in that instant goes ahead, and the engine, which checks
   * the address again before using it, answers with the same words.
   */
  get addressError(): string | null {
    const check = this.#addressCheck;
    return check !== null && check.email === this.#email ? check.problem : null;
  }

  get accountErrors() {
    const errors = accountErrors({ emailProblem: this.addressError, password: this.password, username: this.username });
    // Browser sign-in asks for no password.
    if (this.auth === 'oauth2') delete errors.password;
    return errors;
  }

  get serverErrors() {
    return serverErrors({
      protocol: this.protocol,
      host: this.host,
      port: this.port,
      security: this.security,
      plaintextConfirmed: this.plaintextConfirmed,
    });
  }

  get outgoingErrors() {
    return outgoingErrors({
      enabled: this.smtpEnabled,
      host: this.smtpHost,
      port: this.smtpPort,
      security: this.smtpSecurity,
      // A browser sign-in's grant covers the outgoing server too: no password of its own.
      samePassword: this.auth === 'oauth2' || this.smtpSamePassword,
      password: this.smtpPassword,
      plaintextConfirmed: this.smtpPlaintextConfirmed,
    });
  }

  /** "No encryption" on the outgoing server needs its own confirmation, like the incoming one. */
  get smtpNeedsPlaintextConfirm(): boolean {
    return this.smtpEnabled && this.smtpSecurity === 'none' && !this.smtpPlaintextConfirmed;
  }

  get incomingNeedsPlaintextConfirm(): boolean {
    return this.security === 'none' && !this.plaintextConfirmed;
  }

  /** Connect on the Server step needs every plaintext confirmation first. */
  get serverCanContinue(): boolean {
    return !this.incomingNeedsPlaintextConfirm && !this.smtpNeedsPlaintextConfirm;
  }

  /** The host the Server step proposes: the provider's, else imap. (pop. for POP3) + the domain. */
  get suggestedHost(): string {
    const server = kindInfo(this.kind).server;
    if (server) return server.host;
    const domain = emailDomain(this.email);
    if (!domain) return '';
    return this.protocol === 'pop3' ? `pop.${domain}` : `imap.${domain}`;
  }

  /** The outgoing host the Server step proposes: the provider's, else smtp. + the domain. */
  get suggestedSmtpHost(): string {
    const server = kindInfo(this.kind).outgoing;
    if (server) return server.host;
    const domain = emailDomain(this.email);
    return domain ? `smtp.${domain}` : '';
  }

  chooseKind(kind: MailboxKind): void {
    this.kind = kind;
    const info = kindInfo(kind);
    const server = info.server;
    if (server) {
      if (!this.hostTyped) this.host = server.host;
      this.security = server.security;
      if (!this.portTyped) this.port = String(server.port);
    } else {
      if (!this.hostTyped) this.host = '';
      // IMAP 993/143 and POP3 995/110: the port follows the protocol too.
      if (!this.portTyped) this.port = String(defaultPort(this.security, this.protocol));
    }
    const outgoing = info.outgoing;
    if (outgoing) {
      if (!this.smtpHostTyped) this.smtpHost = outgoing.host;
      this.smtpSecurity = outgoing.security;
      if (!this.smtpPortTyped) this.smtpPort = String(outgoing.port);
    } else if (!this.smtpHostTyped) {
      this.smtpHost = '';
    }
    if (!this.smtpEnabledTouched) this.smtpEnabled = info.checkOutgoing;
    // Gmail, Microsoft 365 and Exchange sign in through the browser; a password stays one click away.
    this.issuer = issuerForKind(kind);
    this.auth = this.issuer && optionFor(this.signInOptions, this.issuer).available ? 'oauth2' : 'password';
    this.grant = null;
  }

  setHost(value: string): void {
    this.host = value;
    this.hostTyped = value.trim() !== '';
  }

  setPort(value: string): void {
    this.port = value;
    this.portTyped = value.trim() !== '';
  }

  setSecurity(security: Security): void {
    this.security = security;
    if (!this.portTyped) this.port = String(defaultPort(security, this.protocol));
  }

  setSmtpEnabled(enabled: boolean): void {
    this.smtpEnabled = enabled;
    this.smtpEnabledTouched = true;
  }

  setSmtpHost(value: string): void {
    this.smtpHost = value;
    this.smtpHostTyped = value.trim() !== '';
  }

  setSmtpPort(value: string): void {
    this.smtpPort = value;
    this.smtpPortTyped = value.trim() !== '';
  }

  /** 465 for TLS, 587 for STARTTLS (and without encryption), unless a port was typed. */
  setSmtpSecurity(security: Security): void {
    this.smtpSecurity = security;
    if (!this.smtpPortTyped) this.smtpPort = String(defaultPort(security, 'smtp'));
  }

  /** Advance from a form step. Returns false (and shows the errors) when the step is not valid. */
  next(): boolean {
    switch (this.step) {
      case 'address':
        return this.findSettings();
      case 'type':
        this.step = 'account';
        return true;
      case 'account':
        this.accountSubmitted = true;
        if (!isEmpty(this.accountErrors)) return false;
        // Found settings were shown (and maybe edited) before: sign in with them.
        if (this.path === 'discovered') void this.connect();
        else this.#enterServer();
        return true;
      case 'server':
        this.serverSubmitted = true;
        if (!isEmpty(this.serverErrors) || !isEmpty(this.outgoingErrors)) return false;
        if (this.path === 'discovered') {
          this.#settingsStep = 'server';
          this.step = 'account';
        } else {
          void this.connect();
        }
        return true;
      default:
        return false;
    }
  }

  back(): void {
    switch (this.step) {
      case 'type':
        this.step = 'address';
        break;
      case 'proposal':
        this.step = 'address';
        break;
      case 'discovering':
        if (this.discovering) this.cancelDiscovery();
        else this.step = 'address';
        break;
      case 'signing-in':
        if (this.signingIn) this.cancelSignIn();
        else {
          this.signInProblem = null;
          this.step = this.#beforeSignIn;
        }
        break;
      case 'account':
        this.step = this.path === 'discovered' ? this.#settingsStep : 'type';
        break;
      case 'server':
        this.step = this.path === 'discovered' ? 'proposal' : 'account';
        break;
      case 'connecting': {
        if (this.connecting) return;
        // Back goes to the step with the field at fault (the password, the server's port…).
        const atFault = stepAtFault(this.problem, this.passwordSetup);
        this.problem = null;
        if (atFault === 'server' && this.path === 'discovered') this.#settingsStep = 'server';
        this.step = atFault ?? this.#beforeConnecting;
        break;
      }
      case 'folders':
        if (this.saving) return;
        this.saveProblem = null;
        this.step = this.#beforeConnecting;
        break;
      default:
        break;
    }
  }

  /**
   * The step a connection starts from: Servers when typed by hand, Sign in when found (the
   * proposal itself when its browser sign-in was taken from there).
   */
  get #beforeConnecting(): StepId {
    if (this.path !== 'discovered') return 'server';
    return this.auth === 'oauth2' && this.#settingsStep === 'proposal' ? 'proposal' : 'account';
  }

  /**
   * "Disconnect and set up again": starts from a removed mailbox's settings (address, servers,
   * ports, security, usernames, trusted certificates; never a password) at Sign in, on the
   * typed-by-hand path, so the next steps show the servers as they were. Unencrypted servers
   * need their warning confirmed again.
   */
  prefill(settings: MailboxSettings): void {
    this.path = 'manual';
    this.chooseKind(settings.kind);
    this.email = settings.email;
    const incoming = settings.incoming;
    this.username = incoming.username ?? '';
    this.setHost(incoming.endpoint.host);
    this.security = incoming.endpoint.security;
    this.setPort(String(incoming.endpoint.port));
    const outgoing = settings.outgoing;
    this.setSmtpEnabled(outgoing !== null);
    if (outgoing) {
      this.setSmtpHost(outgoing.endpoint.host);
      this.smtpSecurity = outgoing.endpoint.security;
      this.setSmtpPort(String(outgoing.endpoint.port));
      this.smtpUsername = outgoing.username ?? '';
      this.smtpSamePassword = outgoing.samePassword;
    }
    this.trustedCertificates = settings.trustedCertificates;
    this.step = 'account';
  }

  /** "Set up manually": choose the mailbox type and type the servers, as before discovery. */
  setUpManually(): void {
    if (this.discovering) this.cancelDiscovery();
    this.path = 'manual';
    this.step = 'type';
  }

  /** "Change" next to the address on the Sign in step. */
  changeAddress(): void {
    this.step = 'address';
  }

  /** "Find my settings". Returns false (and shows the error) when the address is not valid. */
  findSettings(): boolean {
    this.#preferredIssuer = null;
    return this.#find();
  }

  /**
   * "Sign in with Google" / "Sign in with Microsoft" on the address step: find the address's
   * servers, then sign in with that provider at once. Returns false when the address is not
   * valid, or the provider cannot sign in here (its button says why).
   */
  signInWith(provider: Provider): boolean {
    const issuer = issuerOf(provider);
    if (!optionFor(this.signInOptions, issuer).available) return false;
    this.#preferredIssuer = issuer;
    if (this.#find()) return true;
    this.#preferredIssuer = null;
    return false;
  }

  #find(): boolean {
    this.addressSubmitted = true;
    if (this.addressError !== null) return false;
    // A new address starts afresh; the same one keeps the redirects already followed.
    const again = this.discovery !== null && this.discovery.email.toLowerCase() === this.email.trim().toLowerCase();
    void this.discover(again ? this.followed : []);
    return true;
  }

  /**
   * Run discovery for the address (following the given redirects; giving the domain's
   * Autodiscover the password only when the user chose to). The proposal opens by itself.
   */
  async discover(follow: readonly string[] = [], autodiscoverPassword?: string): Promise<void> {
    const attempt = ++this.#discoveryAttempt;
    this.path = 'discovered';
    this.step = 'discovering';
    this.discovering = true;
    this.discoveryRows = [];
    this.discoveryProblem = null;
    this.discovery = null;
    this.followed = [...follow];
    this.autodiscoverRefused = false;
    const request: DiscoverRequest = { email: this.email.trim(), probe: true, follow: [...follow] };
    if (autodiscoverPassword !== undefined) request.autodiscoverPassword = autodiscoverPassword;
    try {
      const discovery = await this.#api.discoverSettings(
        request,
        (event) => {
          if (attempt === this.#discoveryAttempt) this.discoveryRows = applyDiscoveryEvent(this.discoveryRows, event);
        },
      );
      if (attempt !== this.#discoveryAttempt) return;
      this.discovery = discovery;
      this.autodiscoverRefused = autodiscoverPassword !== undefined && discovery.autodiscoverWantsPassword;
      this.discoveryRows = finishDiscoveryRows(this.discoveryRows);
      this.incomingChoice = 0;
      this.outgoingChoice = 0;
      this.proposalConfirmed = false;
      this.grant = null;
      this.step = 'proposal';
      this.#continueWithPreferred();
    } catch (error) {
      if (attempt !== this.#discoveryAttempt) return;
      const problem = toProblem(error);
      this.discoveryRows = interruptDiscoveryRows(this.discoveryRows);
      if (problem.code === 'cancelled') {
        this.step = 'address';
        return;
      }
      this.discoveryProblem = problem;
    } finally {
      if (attempt === this.#discoveryAttempt) this.discovering = false;
    }
  }

  /**
   * Cancel: back to the address at once. Discovery changes nothing, so there is nothing to wait
   * for; the engine is told to stop, and a late answer is ignored.
   */
  cancelDiscovery(): void {
    if (!this.discovering) return;
    this.#discoveryAttempt++;
    this.discovering = false;
    this.discoveryRows = interruptDiscoveryRows(this.discoveryRows);
    this.step = 'address';
    void this.#api.cancelDiscovery().catch(() => undefined);
  }

  /** "Try again" after discovery itself failed. */
  retryDiscovery(): void {
    if (this.discovering) return;
    void this.discover(this.followed);
  }

  /** "Follow this redirect": ask again, this time also where the domain points. */
  followRedirect(to: string): void {
    if (this.discovering || this.followed.includes(to)) return;
    void this.discover([...this.followed, to]);
  }

  /**
   * "Ask with my password": the domain's Autodiscover tells the settings only after a sign-in.
   * The password goes there only now, because the user typed it for this; it is kept for the
   * Sign in step, being the mailbox's password.
   */
  askAutodiscover(password: string): boolean {
    if (this.discovering || password === '') return false;
    this.password = password;
    void this.discover(this.followed, password);
    return true;
  }

  get chosenIncoming(): Candidate | null {
    return this.discovery?.incoming[this.incomingChoice] ?? null;
  }

  get chosenOutgoing(): Candidate | null {
    return this.discovery?.outgoing[this.outgoingChoice] ?? null;
  }

  chooseIncoming(index: number): void {
    if (!this.discovery || index < 0 || index >= this.discovery.incoming.length) return;
    this.incomingChoice = index;
    this.proposalConfirmed = false;
  }

  chooseOutgoing(index: number): void {
    if (!this.discovery || index < 0 || index >= this.discovery.outgoing.length) return;
    this.outgoingChoice = index;
    this.proposalConfirmed = false;
  }

  /** The chosen servers that lie outside the domain without a trusted source, and why. */
  get confirmations(): Confirmation[] {
    return confirmationsFor(this.chosenIncoming, this.chosenOutgoing);
  }

  /**
   * On the Servers step after "Edit settings": the found servers still in the form whose
   * source asked for a confirmation, so the warning is not lost by editing instead of using.
   */
  get serverConfirmations(): Confirmation[] {
    if (this.path !== 'discovered') return [];
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
    return this.confirmations.filter((c) =>
      c.side === 'incoming' ? same(c.host, this.host) : this.smtpEnabled && same(c.host, this.smtpHost),
    );
  }

  /** Nothing was found: the proposal is a guess for the form, not settings to use as they are. */
  get nothingFound(): boolean {
    return this.discovery?.diagnosis != null;
  }

  /** A chosen server without encryption: its warning and confirmation are on the Servers step. */
  get proposalUnencrypted(): boolean {
    return [this.chosenIncoming, this.chosenOutgoing].some((c) => c?.endpoint.security === 'none');
  }

  /**
   * "Use these settings" needs servers that were found, encrypted, and the confirmation when
   * one asks for it.
   */
  get canUseProposal(): boolean {
    return (
      this.discovery !== null &&
      !this.nothingFound &&
      this.chosenIncoming !== null &&
      !this.proposalUnencrypted &&
      (this.confirmations.length === 0 || this.proposalConfirmed)
    );
  }

  /**
   * Who signs this mailbox in through the browser, when anyone does: the provider chosen on the
   * address step, else the one discovery offers (the address's provider, or the issuer its
   * configuration names).
   */
  get proposalIssuer(): IssuerChoice | null {
    const discovery = this.discovery;
    if (!discovery) return null;
    return this.#preferredIssuer ?? offeredIssuer(discovery);
  }

  /** The chosen incoming server still takes a password (an app password, at the big providers). */
  get proposalTakesPassword(): boolean {
    return takesPassword(this.chosenIncoming);
  }

  /** Whether the proposal's browser sign-in can start: the settings are usable and the provider is set up. */
  get canSignInFromProposal(): boolean {
    const issuer = this.proposalIssuer;
    return issuer !== null && this.canUseProposal && optionFor(this.signInOptions, issuer).available;
  }

  /** "Sign in with …" on the proposal: the chosen servers, and the provider's page in the browser. */
  signInFromProposal(): boolean {
    const issuer = this.proposalIssuer;
    if (!issuer || !this.canSignInFromProposal) return false;
    this.#applyProposal();
    this.#settingsStep = 'proposal';
    this.auth = 'oauth2';
    this.issuer = issuer;
    void this.signIn('browser', 'proposal');
    return true;
  }

  /**
   * After "Sign in with …" on the address step: straight on to the browser when the settings
   * found can be used as they are; when nothing was found, the provider's own servers. Anything
   * to look at or confirm first stays on the proposal, whose main action is then that sign-in.
   */
  #continueWithPreferred(): void {
    const issuer = this.#preferredIssuer;
    if (!issuer) return;
    if (this.canSignInFromProposal) {
      this.signInFromProposal();
      return;
    }
    if (this.nothingFound && this.discovery?.redirects.length === 0 && !this.discovery.autodiscoverWantsPassword) {
      const kind = issuer.provider === 'google' ? 'gmail' : issuer.provider === 'microsoft' ? 'microsoft365' : null;
      if (!kind) return;
      this.hostTyped = false;
      this.portTyped = false;
      this.smtpHostTyped = false;
      this.smtpPortTyped = false;
      this.smtpEnabledTouched = false;
      this.chooseKind(kind);
      this.issuer = issuer;
      this.#settingsStep = 'proposal';
      void this.signIn('browser', 'proposal');
    }
  }

  /** "Use these settings" (with a password): on to Sign in with the chosen servers. */
  useProposal(): boolean {
    if (!this.canUseProposal) return false;
    this.#applyProposal();
    this.auth = 'password';
    this.#settingsStep = 'proposal';
    this.step = 'account';
    return true;
  }

  /** "Edit settings" (or "Enter settings by hand" when nothing was found): the Servers step, filled in. */
  editProposal(): void {
    if (!this.discovery) return;
    this.#applyProposal();
    this.issuer = this.proposalIssuer;
    this.auth = this.issuer ? 'oauth2' : 'password';
    this.#settingsStep = 'server';
    this.serverSubmitted = false;
    this.step = 'server';
  }

  /** The chosen candidates into the form, as if typed, so that nothing follows the type or the address. */
  #applyProposal(): void {
    const discovery = this.discovery;
    if (!discovery) return;
    const fields = proposalFields(discovery, this.chosenIncoming, this.chosenOutgoing);
    this.path = 'discovered';
    this.kind = fields.kind;
    this.host = fields.host;
    this.hostTyped = fields.host !== '';
    this.port = fields.port;
    this.portTyped = fields.port !== '';
    this.security = fields.security;
    this.plaintextConfirmed = false;
    this.username = fields.username;
    this.smtpEnabled = fields.smtpEnabled;
    this.smtpEnabledTouched = false;
    if (fields.smtpHost) {
      this.smtpHost = fields.smtpHost;
      this.smtpHostTyped = true;
      this.smtpPort = fields.smtpPort;
      this.smtpPortTyped = true;
      this.smtpSecurity = fields.smtpSecurity;
    }
    this.smtpPlaintextConfirmed = false;
    this.smtpUsername = fields.smtpUsername;
  }

  #enterServer(): void {
    if (!this.hostTyped) this.host = this.suggestedHost;
    if (!this.portTyped && this.port.trim() === '') this.port = String(defaultPort(this.security, this.protocol));
    if (!this.smtpHostTyped) this.smtpHost = this.suggestedSmtpHost;
    if (!this.smtpPortTyped && this.smtpPort.trim() === '') this.smtpPort = String(defaultPort(this.smtpSecurity, 'smtp'));
    this.step = 'server';
  }

  /** "Use a password instead (app password)": the same servers, signed in with a password. */
  usePassword(): void {
    this.auth = 'password';
  }

  /** "Sign in with … instead": back from the password to the provider's page. */
  useBrowserSignIn(): void {
    if (this.issuer) this.auth = 'oauth2';
  }

  /** Whether the chosen provider can sign in here (the engine has a client id for it). */
  get signInAvailable(): boolean {
    return this.issuer !== null && optionFor(this.signInOptions, this.issuer).available;
  }

  /**
   * Browser (or device code) sign-in with the form's servers and `issuer`. The engine keeps the
   * refresh token in the keychain and hands back only the grant; then the connection starts.
   */
  async signIn(mode: SignInMode = 'browser', from?: StepId): Promise<void> {
    const issuer = this.issuer;
    if (!issuer) return;
    const attempt = ++this.#signInAttempt;
    if (from) this.#beforeSignIn = from;
    else if (this.step !== 'signing-in') this.#beforeSignIn = this.step;
    this.step = 'signing-in';
    this.signingIn = true;
    this.signInMode = mode;
    this.signInEvent = null;
    this.signInDeadline = null;
    this.signInProblem = null;
    this.grant = null;
    // Only one sign-in runs at a time: a cancelled one is let go of first (or given up on).
    const previous = this.#pendingSignIn;
    if (previous) {
      await Promise.race([previous.catch(() => undefined), new Promise((r) => setTimeout(r, this.#cancelGraceMs))]);
      if (attempt !== this.#signInAttempt) return;
    }
    const request = { settings: buildSettings(this.form), issuer, mode, clientId: null };
    const call = this.#api.signIn(request, (event) => {
      if (attempt !== this.#signInAttempt) return;
      this.signInEvent = event;
      // Both are times (milliseconds since the epoch): the browser's deadline, the code's expiry.
      if (event.kind === 'browserOpened') this.signInDeadline = event.deadlineAtMs;
      else if (event.kind === 'deviceCode') this.signInDeadline = event.expiresAtMs;
    });
    this.#pendingSignIn = call;
    try {
      const grant = await call;
      if (attempt !== this.#signInAttempt) return;
      this.grant = grant;
      this.signingIn = false;
      void this.connect();
    } catch (error) {
      if (attempt !== this.#signInAttempt) return;
      this.signingIn = false;
      this.signInProblem = toProblem(error);
    } finally {
      if (this.#pendingSignIn === call) this.#pendingSignIn = null;
    }
  }

  /** Cancel (or Esc) while waiting for the browser: back where the sign-in started, at once. */
  cancelSignIn(): void {
    if (!this.signingIn) return;
    this.#signInAttempt++;
    this.signingIn = false;
    this.signInEvent = null;
    this.signInProblem = null;
    this.step = this.#beforeSignIn;
    void this.#api.cancelSignIn().catch(() => undefined);
  }

  /** "Use a code on another device" (or back to this computer's browser): the same sign-in, the other way. */
  switchSignInMode(mode: SignInMode): void {
    if (this.signingIn) {
      this.#signInAttempt++;
      void this.#api.cancelSignIn().catch(() => undefined);
    }
    void this.signIn(mode);
  }

  /** "Try again" after a sign-in failed. */
  retrySignIn(): void {
    if (this.signingIn) return;
    void this.signIn(this.signInMode);
  }

  /** Connect, sign in and load folders. On success the Folders step opens by itself. */
  async connect(): Promise<void> {
    // Browser sign-in first, when the mailbox signs in so and has no grant yet.
    if (this.auth === 'oauth2' && this.grant === null) return this.signIn('browser');
    const attempt = ++this.#attempt;
    clearTimeout(this.#cancelTimer);
    this.step = 'connecting';
    this.rows = [];
    this.problem = null;
    this.report = null;
    this.connecting = true;
    this.cancelling = false;
    this.trustConfirmed = false;
    try {
      const report = await this.#api.connectMailbox(buildConnectRequest(this.form), (event) => {
        if (attempt === this.#attempt) this.rows = applyProgress(this.rows, event);
      });
      if (attempt !== this.#attempt) return;
      this.report = report;
      this.selection = new FolderSelection(defaultSelection(report.folders.folders));
      this.filter = '';
      this.saveProblem = null;
      this.saveRows = [];
      this.step = 'folders';
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.problem = toProblem(error);
      this.rows = interruptRunning(this.rows);
    } finally {
      if (attempt === this.#attempt) {
        clearTimeout(this.#cancelTimer);
        this.connecting = false;
        this.cancelling = false;
      }
    }
  }

  /**
   * Ask the engine to stop. It answers by rejecting the pending connect with "cancelled"; if it
   * does not within the grace period, the wizard stops waiting so the window never hangs.
   */
  async cancel(): Promise<void> {
    if (!this.connecting || this.cancelling) return;
    this.cancelling = true;
    const attempt = this.#attempt;
    this.#cancelTimer = setTimeout(() => {
      if (attempt !== this.#attempt || !this.connecting) return;
      this.#attempt++;
      this.connecting = false;
      this.cancelling = false;
      this.problem = cancelledProblem();
      this.rows = interruptRunning(this.rows);
    }, this.#cancelGraceMs);
    try {
      await this.#api.cancelConnect();
    } catch {
      // The grace timer still ends the wait.
    }
  }

  retry(): void {
    if (this.connecting) return;
    void this.connect();
  }

  /** How this mailbox signs in, for the error view: where a password's field is, if anywhere. */
  get passwordSetup(): PasswordSetup {
    return { browserSignIn: this.auth === 'oauth2', outgoingSamePassword: this.smtpSamePassword };
  }

  /** The help-desk report of the last connect, for "Copy report" (Markdown) and "Save report". */
  helpDeskReport(format: ReportFormat, masked: boolean): Promise<string> {
    return this.#api.lastReport(format, masked);
  }

  /** Saves that report in the Downloads folder; resolves with where it went. */
  saveHelpDeskReport(format: ReportFormat, masked: boolean): Promise<string> {
    return this.#api.saveReport(format, masked);
  }

  /**
   * The report buttons of another error view: the last discovery's, sign-in's or save's report
   * (each kept by the engine for its own view).
   */
  reportOf(kind: Exclude<ReportKind, 'connect'>): {
    load: (format: ReportFormat, masked: boolean) => Promise<string>;
    save: (format: ReportFormat, masked: boolean) => Promise<string>;
  } {
    return {
      load: (format, masked) => this.#api.lastReport(format, masked, kind),
      save: (format, masked) => this.#api.saveReport(format, masked, kind),
    };
  }

  /** A diagnosis's help page, in the system browser. */
  openHelpPage(url: string): Promise<boolean> {
    return this.#api.openHelpPage(url);
  }

  /** "incoming.example.com:993" for a server: the outgoing one for side "outgoing". */
  targetOf(side: Side | null): string {
    const where = this.endpointOf(side);
    return `${where.host}:${where.port}`;
  }

  /** The server a diagnosis is about: the outgoing one when it says so, else the incoming one. */
  endpointOf(side: Side | null): HostPort {
    const endpoint = side === 'outgoing' ? outgoingEndpoint(this.form.outgoing) : incomingEndpoint(this.form);
    return { host: endpoint.host, port: endpoint.port };
  }

  /** certificate_changed: the fingerprint trusted before (the engine says it; else the pin). */
  get previousFingerprint(): string | null {
    const problem = this.problem;
    if (problem?.code !== 'certificate_changed') return null;
    return previousFingerprint(problem, this.trustedCertificates, this.endpointOf(problem.side));
  }

  /**
   * "Trust this certificate" (after its confirmation): pin exactly the presented certificate for
   * the server that refused it, and connect again.
   */
  trustCertificate(): boolean {
    const problem = this.problem;
    if (this.connecting || !this.trustConfirmed || !canTrust(problem)) return false;
    const pin = pinFor(this.endpointOf(problem.side), problem.certificate);
    this.trustedCertificates = addPin(this.trustedCertificates, pin);
    void this.connect();
    return true;
  }

  /**
   * certificate_changed: forget the certificate trusted before and connect again, so the new one
   * is shown like any untrusted certificate and the user decides afresh. Never trusts anything.
   */
  untrustCertificate(): boolean {
    const problem = this.problem;
    if (this.connecting || problem?.code !== 'certificate_changed') return false;
    this.trustedCertificates = removePin(this.trustedCertificates, this.endpointOf(problem.side));
    void this.connect();
    return true;
  }

  /** POP3 found an IMAP server at the same provider: use it instead (folders, sync) and reconnect. */
  switchToImap(): boolean {
    const alternative = this.report?.imapAlternative;
    if (!alternative || this.connecting || this.saving) return false;
    if (this.kind === 'pop3') this.kind = 'imap';
    this.host = alternative.host;
    this.hostTyped = true;
    this.security = alternative.security;
    this.port = String(alternative.port);
    this.portTyped = alternative.port !== defaultPort(alternative.security, 'imap');
    void this.connect();
    return true;
  }

  /** Whether the saved mailbox can be sent a test message (it has an outgoing server). */
  get canSendTest(): boolean {
    return this.#testRequest !== null;
  }

  /** "Send me a test message": from the address to itself through the outgoing server. */
  async sendTestMessage(): Promise<boolean> {
    const request = this.#testRequest;
    if (!request || this.testing) return false;
    this.testing = true;
    this.testRows = [];
    this.testProblem = null;
    this.testSentTo = null;
    try {
      await this.#api.sendTestMessage(request, (event) => {
        this.testRows = applyProgress(this.testRows, event);
      });
      this.testSentTo = request.settings.email;
      return true;
    } catch (error) {
      this.testProblem = toProblem(error);
      this.testRows = interruptRunning(this.testRows);
      return false;
    } finally {
      this.testing = false;
    }
  }

  /** Stop any connection quietly (leaving the wizard). */
  abandon(): void {
    this.cancelDiscovery();
    this.cancelSignIn();
    if (this.connecting) {
      this.#attempt++;
      this.connecting = false;
      this.cancelling = false;
      void this.#api.cancelConnect().catch(() => undefined);
    }
    // Leaving the wizard: the passwords kept for the test message go too.
    this.#testRequest = null;
  }

  get chosen() {
    const folders = this.report?.folders.folders ?? [];
    return chosenFolders(folders, (raw) => this.selection.has(raw));
  }

  async save(): Promise<boolean> {
    if (this.saving || !this.report) return false;
    const folders = this.chosen;
    if (folders.length === 0) return false;
    this.saving = true;
    this.saveProblem = null;
    this.saveRows = [];
    const request = buildSaveRequest(this.form, this.report, folders);
    try {
      this.saved = await this.#api.saveMailbox(request, (event) => {
        this.saveRows = applyProgress(this.saveRows, event);
      });
      // The keychain has them now; the form need not keep them. Only "Send me a test message"
      // keeps its request, until the wizard is left.
      this.password = '';
      this.smtpPassword = '';
      this.#testRequest = request.settings.outgoing ? buildTestRequest(request) : null;
      this.testRows = [];
      this.testProblem = null;
      this.testSentTo = null;
      this.step = 'saved';
      return true;
    } catch (error) {
      this.saveProblem = toProblem(error);
      this.saveRows = interruptRunning(this.saveRows);
      return false;
    } finally {
      this.saving = false;
    }
  }
}

export class Mailboxes {
  items = $state.raw<MailboxRecord[]>([]);
  loading = $state(false);
  loaded = $state(false);
  problem = $state.raw<Problem | null>(null);
  removing = $state<number | null>(null);
  removeProblem = $state.raw<Problem | null>(null);
  /** The saved mailbox signing in again, the page to open when no browser could, and why it failed. */
  signingIn = $state<number | null>(null);
  signInUrl = $state<string | null>(null);
  signInProblem = $state.raw<Problem | null>(null);

  #api: InletApi;

  constructor(api: InletApi) {
    this.#api = api;
  }

  /** The engine, for a mailbox's actions panel (its state lives in mailbox-actions.svelte.ts). */
  get api(): InletApi {
    return this.#api;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.problem = null;
    try {
      this.items = await this.#api.listMailboxes();
      this.loaded = true;
    } catch (error) {
      this.problem = toProblem(error);
    } finally {
      this.loading = false;
    }
  }

  /** Shows an updated record in place of the old one. */
  replace(updated: MailboxRecord): void {
    this.items = this.items.map((m) => (m.id === updated.id ? updated : m));
  }

  /** Removes one pinned certificate from a saved mailbox and shows the updated record. */
  async untrust(id: number, host: string, port: number): Promise<boolean> {
    this.removeProblem = null;
    try {
      const updated = await this.#api.removeTrustedCertificate(id, host, port);
      this.items = this.items.map((m) => (m.id === id ? updated : m));
      return true;
    } catch (error) {
      this.removeProblem = toProblem(error);
      return false;
    }
  }

  /**
   * A mailbox that signs in with its provider signs in again in the browser; the engine checks
   * it with the new sign-in and keeps every setting. The updated record replaces the old one.
   */
  async signInAgain(id: number): Promise<boolean> {
    if (this.signingIn !== null) return false;
    this.signingIn = id;
    this.signInUrl = null;
    this.signInProblem = null;
    try {
      const updated = await this.#api.reconnectWithSignIn(id, (event) => {
        if (event.kind === 'browserOpened' && !event.opened) this.signInUrl = event.url;
      });
      this.items = this.items.map((m) => (m.id === id ? updated : m));
      return true;
    } catch (error) {
      this.signInProblem = toProblem(error);
      return false;
    } finally {
      this.signingIn = null;
      this.signInUrl = null;
    }
  }

  /** Stops the sign-in in flight; it then fails with "cancelled" and the mailbox stays as it was. */
  async cancelSignIn(): Promise<void> {
    await this.#api.cancelSignIn();
  }

  /** Removes a mailbox; its history is kept, marked removed, unless `erase`. */
  async remove(id: number, erase = false): Promise<boolean> {
    if (this.removing !== null) return false;
    this.removing = id;
    this.removeProblem = null;
    try {
      await this.#api.removeMailbox(id, erase);
      this.items = this.items.filter((m) => m.id !== id);
      return true;
    } catch (error) {
      this.removeProblem = toProblem(error);
      return false;
    } finally {
      this.removing = null;
    }
  }
}

export type View = 'loading' | 'startup-problem' | 'list' | 'wizard';

export class InletApp {
  view = $state<View>('loading');
  wizard: Wizard;
  mailboxes: Mailboxes;

  #api: InletApi;
  #options: WizardOptions;

  constructor(api: InletApi, options: WizardOptions = {}) {
    this.#api = api;
    this.#options = options;
    this.wizard = $state(new Wizard(api, options));
    this.mailboxes = new Mailboxes(api);
  }

  /** Why the engine could not start (view 'startup-problem'), or null. */
  startupProblem = $state<ConfigProblem | null>(null);

  /**
   * On start: the start-up problem when the engine could not start, else the list when there are
   * mailboxes, the wizard otherwise.
   */
  async start(): Promise<void> {
    this.view = 'loading';
    // A shell without the question (it cannot happen in the app) is one that started.
    const problem = await this.#api.startupProblem().catch(() => null);
    if (problem) {
      this.startupProblem = problem;
      this.view = 'startup-problem';
      return;
    }
    await this.mailboxes.load();
    performance.mark('inlet-engine-answered');
    this.view = this.mailboxes.loaded && this.mailboxes.items.length === 0 ? 'wizard' : 'list';
  }

  /** A fresh wizard. */
  addMailbox(): void {
    this.wizard.abandon();
    this.wizard = new Wizard(this.#api, this.#options);
    this.view = 'wizard';
  }

  /** "Disconnect and set up again" (the mailbox already removed): a wizard prefilled with its settings. */
  setUpAgain(settings: MailboxSettings): void {
    this.addMailbox();
    this.wizard.prefill(settings);
  }

  async goToList(): Promise<void> {
    this.wizard.abandon();
    this.view = 'list';
    await this.mailboxes.load();
  }
}
