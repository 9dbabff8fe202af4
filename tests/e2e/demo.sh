#!/usr/bin/env bash
# ./dev demo: opens Inlet pointed at local test servers (the same ones the end-to-end tests use),
# so the whole wizard can be tried without a real mailbox and without touching your keychain.
# Needs a display (run it from your desktop session) and root (the private Dovecot needs it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (sudo ./dev demo): the private Dovecot needs it" >&2; exit 1; }
(cd "$ROOT" && cargo build -q -p inlet-testkit --bin inlet-test-servers)

WORK=$(mktemp -d /tmp/inlet-demo-XXXXXX)
cleanup() { exec 7>&- 2>/dev/null || true; sleep 0.5; rm -rf "$WORK"; }
trap cleanup EXIT
mkfifo "$WORK/servers.in"
"$ROOT/target/debug/inlet-test-servers" <"$WORK/servers.in" >"$WORK/servers.json" 2>"$WORK/servers.err" &
exec 7>"$WORK/servers.in"
for _ in $(seq 600); do [ -s "$WORK/servers.json" ] && break; sleep 0.05; done
[ -s "$WORK/servers.json" ] || { echo "demo: the test servers did not start:" >&2; cat "$WORK/servers.err" >&2; exit 1; }

eval "$(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const [k, v] of Object.entries(s.keychainEnv)) console.log(`export ${k}=${JSON.stringify(v)}`);
  console.log(`IMAPS=${s.imapsPort} IMAP=${s.imapPort} POP3S=${s.pop3sPort} POP3=${s.pop3Port} CA=${JSON.stringify(s.caFile)}`);
  console.log(`SMTP=${s.smtpPort} SMTPS=${s.smtpsPort} UNTRUSTED=${s.untrustedImapsPort} MAILDIR=${JSON.stringify(s.smtpMailDir)}`);
  console.log(`BOB_PASSWORD=${JSON.stringify(s.users.find(([u]) => u === "bob")?.[1] ?? "")}`);
' "$WORK/servers.json")"
# The same engine config as the end-to-end tests (lib/config.js): the test CA, and discovery's DNS
# server, ISPDB and connect-to overrides, so that the first step finds the test servers.
node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  const [config, servers, work] = process.argv.slice(1);
  const { appConfig } = await import(config);
  const s = JSON.parse(readFileSync(servers, "utf8"));
  writeFileSync(`${work}/config.json`, JSON.stringify({ ...appConfig(s, `${work}/data`), keychainService: "inlet-demo" }, null, 2));
' "$ROOT/tests/e2e/lib/config.js" "$WORK/servers.json" "$WORK"
export INLET_CONFIG="$WORK/config.json"
cat <<TEXT

Inlet demo — local test servers are running:
  email     alice@example.test     password  wonderland-42
  The first step finds the settings from the address:
            alice@example.test     example.test's own configuration (imap.example.test, mail.example.test)
            bob@elsewhere.test     DNS records pointing outside the domain: to confirm (password $BOB_PASSWORD)
            bob@corp.test          only Autodiscover knows, after the password ($BOB_PASSWORD)
            someone@nowhere.test   nothing to find (its configuration host never answers)
  "Set up manually" takes these:
  IMAP      localhost:$IMAPS (TLS)    localhost:$IMAP (STARTTLS)
  POP3      localhost:$POP3S (TLS)    localhost:$POP3 (STARTTLS)
  SMTP      localhost:$SMTPS (TLS)    localhost:$SMTP (STARTTLS)
            test messages are kept in $MAILDIR
  IMAP with a self-signed certificate (to try "Trust this certificate"):
            localhost:$UNTRUSTED (TLS)
Everything is thrown away when the window closes.

TEXT
"$ROOT/target/debug/inlet"
