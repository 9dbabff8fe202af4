// The demo's browser sign-in (demo.ts): no browser, no provider. Addresses steer it:
//   nobrowser@…   no browser could be opened: the address to copy is shown
//   denied@…      the user said no on the provider's page (access_denied)
//   consent@…     Microsoft: the organisation's administrator must consent first (AADSTS65001)
// Anything else is "approved" after a few seconds; the device code after a few more.

import type { OnSignInEvent } from './api';
import type { OAuth2Grant } from './bindings/OAuth2Grant';
import { demoDiagnosis as diagnosis } from './demo-diagnosis';
import type { SignInOption } from './bindings/SignInOption';
import type { SignInRequest } from './bindings/SignInRequest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const DEMO_SIGN_IN_OPTIONS: SignInOption[] = [
  { provider: 'google', available: true, whyNot: null },
  {
    provider: 'microsoft',
    available: false,
    whyNot:
      'No Microsoft client ID is set up on this computer. An administrator sets "oauth.microsoft.clientId" in /etc/inlet/policy.json.',
  },
];

function issuerUrl(request: SignInRequest): string {
  const issuer = request.issuer;
  if (issuer.provider === 'google') return 'https://accounts.google.com';
  if (issuer.provider === 'microsoft') return `https://login.microsoftonline.com/${issuer.tenant ?? 'common'}/v2.0`;
  return issuer.url;
}

export function createDemoSignIn() {
  let stop: (() => void) | null = null;

  async function signIn(request: SignInRequest, onEvent: OnSignInEvent): Promise<OAuth2Grant> {
    let cancelled = false;
    stop = () => {
      cancelled = true;
    };
    const email = request.settings.email.toLowerCase();
    const wait = async (ms: number) => {
      for (let t = 0; t < ms; t += 100) {
        if (cancelled) throw diagnosis({ code: 'cancelled', title: 'Sign-in cancelled', whatHappened: 'You stopped the sign-in. Nothing was saved.' });
        await sleep(100);
      }
    };
    const issuer = issuerUrl(request);
    if (request.mode === 'device') {
      onEvent({
        kind: 'deviceCode',
        userCode: 'WDJB-MJHT',
        verificationUri: 'https://microsoft.com/devicelogin',
        expiresAtMs: Date.now() + 15 * 60_000,
      });
      await wait(8000);
    } else {
      onEvent({
        kind: 'browserOpened',
        url: `${issuer}/authorize?client_id=inlet&response_type=code&login_hint=${encodeURIComponent(email)}`,
        opened: !email.startsWith('nobrowser@'),
        deadlineAtMs: Date.now() + 5 * 60_000,
      });
      await wait(email.startsWith('nobrowser@') ? 15_000 : 4000);
    }
    if (email.startsWith('denied@')) {
      throw diagnosis({
        code: 'authentication_failed',
        title: 'You declined on the sign-in page',
        whatHappened: 'The provider’s page says that access was not allowed (access_denied). Nothing was saved.',
        whatToDo: 'Try again and choose Accept on the provider’s page.',
        evidence: ['error=access_denied'],
      });
    }
    if (email.startsWith('consent@')) {
      throw diagnosis({
        code: 'authentication_failed',
        title: 'Your organisation must approve Inlet first',
        whatHappened: 'Microsoft answered that an administrator of your organisation has to consent before Inlet may read mail (AADSTS65001).',
        whatToDo: 'Ask your IT administrator to grant consent for Inlet in your organisation, then sign in again.',
        evidence: ['AADSTS65001: The user or administrator has not consented to use the application.'],
      });
    }
    onEvent({ kind: 'exchanging' });
    await wait(600);
    stop = null;
    return { issuer, clientId: 'inlet-demo', refreshTokenEntry: `oauth2 ${email}` };
  }

  return {
    signIn,
    signInOptions: async () => DEMO_SIGN_IN_OPTIONS,
    cancelSignIn: async () => stop?.(),
  };
}
