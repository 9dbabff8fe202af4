// The demo's help-desk report (a plain browser has no engine): a canned Markdown and JSON of a
// failed sign-in, the shape the engine's report has.

import type { InletApi, ReportFormat } from './api';

const MARKDOWN = `# Inlet help-desk report

- Address: alice@example.com
- Outcome: failed: The server refused the password (\`authentication_failed\`)
- Checked: signed in
- App: Inlet (demo)

## Diagnosis (incoming server): The server refused the password (\`authentication_failed\`)

## Connection attempts

### 1. mail.example.com (incoming, failed at: Signing in)

| Stage | Started (ms) | Took (ms) | Result | Detail |
|---|---:|---:|---|---|
| Looking up the server | 0 | 12 | done | 127.0.0.1 |
| Connecting | 12 | 30 | done | connected to 127.0.0.1:993 |
| Signing in | 160 | 210 | FAILED | refused as alice@example.com |
`;

function text(format: ReportFormat, masked: boolean): string {
  const markdown = masked ? MARKDOWN.replaceAll('alice@example.com', 'a…@e….com').replaceAll('example.com', 'e….com') : MARKDOWN;
  return format === 'markdown' ? markdown : JSON.stringify({ app: 'Inlet (demo)', masked, outcome: { ok: false, code: 'authentication_failed' } }, null, 2);
}

export function createDemoReport(): Pick<InletApi, 'lastReport' | 'saveReport' | 'openHelpPage'> {
  return {
    lastReport: async (format, masked) => text(format, masked),
    saveReport: async (format) => `~/Downloads/inlet-report-demo.${format === 'json' ? 'json' : 'md'}`,
    openHelpPage: async (url) => window.open(url, '_blank', 'noopener') !== null,
  };
}
