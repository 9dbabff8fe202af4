#!/usr/bin/env bash
# End-to-end tests: the real Inlet window (target/debug/inlet, built with the UI inside), driven
# through tauri-driver + WebKitWebDriver under Xvfb, against a real Dovecot and a private keychain
# started by inlet-test-servers.
#
# Needs (./dev test installs and builds them):
#   - Debian packages xvfb xauth webkit2gtk-driver dbus gnome-keyring libsecret-tools dovecot-core dovecot-imapd
#     dovecot-pop3d dnsmasq-base, and python3 with aiosmtpd (python3 -m pip install aiosmtpd) for the SMTP server
#   - the UI built into ui/dist: npm --prefix ui ci && npm --prefix ui run build
#   - tauri-driver: cargo install tauri-driver --locked --version '^2' --root target/tools
# Must run as root (the private Dovecot switches to its system users).
#
# Usage: tests/e2e/run.sh [spec file ...]      (default: every tests/e2e/specs/*.test.js, in name order)
# Env:   INLET_APP: an app binary to test as is (default: target/debug/inlet, which run.sh builds with
#          `cargo build -p inlet --features custom-protocol`, a no-op when up to date);
#        TAURI_DRIVER: the tauri-driver binary; INLET_E2E_KEEP=1 keeps the temp dir and logs;
#        INLET_E2E_SCREENSHOT_DIR: where step screenshots go (default docs/screenshots).
# Prints node's test summary (# pass N / # fail N) and exits non-zero when a spec fails.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

# ---- outside Xvfb: check prerequisites, then re-run this script inside a fresh X server --------
if [ "${INLET_E2E_INSIDE_XVFB:-}" != 1 ]; then
  fail() { echo "e2e: $*" >&2; exit 1; }
  if [ -n "${INLET_APP:-}" ]; then
    export INLET_E2E_APP_GIVEN=1
    [ -x "$INLET_APP" ] || fail "INLET_APP=$INLET_APP is not an executable"
  else
    export INLET_APP=$ROOT/target/debug/inlet
    # run.sh (re)builds the app below; the UI must be built first, as it is compiled into the app.
    [ -f "$ROOT/ui/dist/index.html" ] || fail "ui/dist is missing: build the UI first (npm --prefix ui ci && npm --prefix ui run build), or run ./dev test"
  fi
  if [ -z "${TAURI_DRIVER:-}" ]; then
    if [ -x "$ROOT/target/tools/bin/tauri-driver" ]; then TAURI_DRIVER=$ROOT/target/tools/bin/tauri-driver
    else TAURI_DRIVER=$(command -v tauri-driver || true); fi
  fi
  [ -n "$TAURI_DRIVER" ] && [ -x "$TAURI_DRIVER" ] || fail "tauri-driver not found: cargo install tauri-driver --locked --version '^2' --root target/tools"
  export TAURI_DRIVER
  for tool in WebKitWebDriver:webkit2gtk-driver xvfb-run:xvfb xauth:xauth dbus-daemon:dbus \
              gnome-keyring-daemon:gnome-keyring secret-tool:libsecret-tools dovecot:dovecot-core node:nodejs \
              dnsmasq:dnsmasq-base; do
    command -v "${tool%%:*}" >/dev/null || fail "${tool%%:*} not found: install the Debian package ${tool##*:}"
  done
  [ "$(id -u)" -eq 0 ] || fail "must run as root (the private Dovecot switches to its system users)"
  # The SMTP server is aiosmtpd; inlet-testkit looks in $INLET_TESTKIT_PYTHON, python3, /usr/bin/python3.
  for py in ${INLET_TESTKIT_PYTHON:-} python3 /usr/bin/python3 ""; do
    [ -n "$py" ] || fail "no python3 with aiosmtpd (the tests' SMTP server): python3 -m pip install aiosmtpd"
    "$py" -c 'import aiosmtpd.smtp' 2>/dev/null && break
  done

  if [ ! -d "$HERE/node_modules/webdriverio" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
    echo "e2e: installing test packages (npm ci)"
    # No install scripts: none is needed, and some (edgedriver, geckodriver) would try to download browsers' drivers.
    (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
  echo "e2e: building inlet-test-servers"
  (cd "$ROOT" && cargo build -q -p inlet-testkit --bin inlet-test-servers)
  if [ -z "${INLET_E2E_APP_GIVEN:-}" ]; then
    # A plain `cargo build`/`cargo test --workspace` leaves an app that loads the dev server; make
    # sure this one serves ui/dist (a no-op when it already does).
    echo "e2e: checking the app build (cargo build -p inlet --features custom-protocol)"
    (cd "$ROOT" && cargo build -q -p inlet --features custom-protocol)
  fi

  export INLET_E2E_INSIDE_XVFB=1
  # -a: first free display number; a private X authority file; the window is 900x680.
  exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi

# ---- inside Xvfb --------------------------------------------------------------------------------
started=$(date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

WORK=$(mktemp -d /tmp/inlet-e2e-XXXXXX)
chmod 755 "$WORK"
SERVERS_PID="" DRIVER_PID=""

cleanup() {
  local rc=$?
  set +e
  # Closing the servers' stdin stops them (Drop tears down Dovecot and the keychain).
  exec 7>&- 2>/dev/null
  if [ -n "$DRIVER_PID" ]; then
    kill "$DRIVER_PID" 2>/dev/null    # tauri-driver stops WebKitWebDriver on SIGTERM
    for _ in $(seq 30); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$DRIVER_PID" 2>/dev/null   # whatever is left in its process group
    wait "$DRIVER_PID" 2>/dev/null
  fi
  if [ -n "$SERVERS_PID" ]; then
    for _ in $(seq 50); do kill -0 "$SERVERS_PID" 2>/dev/null || break; sleep 0.1; done
    kill "$SERVERS_PID" 2>/dev/null; wait "$SERVERS_PID" 2>/dev/null
  fi
  if [ $rc -ne 0 ] || [ "${INLET_E2E_KEEP:-}" = 1 ]; then
    for log in servers.err tauri-driver.log; do
      if [ -s "$WORK/$log" ] && [ $rc -ne 0 ]; then echo "--- $log (last 40 lines) ---" >&2; tail -n 40 "$WORK/$log" >&2; fi
    done
  fi
  if [ "${INLET_E2E_KEEP:-}" = 1 ]; then echo "e2e: kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. The servers. Their stdin is a FIFO this shell holds open on fd 7; closing it stops them.
#    Specs write commands to it too (e.g. "swap-untrusted ValidAlt"; see inlet-test-servers.rs).
mkfifo "$WORK/servers.in"
"$ROOT/target/debug/inlet-test-servers" <"$WORK/servers.in" >"$WORK/servers.json" 2>"$WORK/servers.err" &
SERVERS_PID=$!
exec 7>"$WORK/servers.in"
for _ in $(seq 600); do
  [ -s "$WORK/servers.json" ] && break
  kill -0 "$SERVERS_PID" 2>/dev/null || { echo "e2e: inlet-test-servers failed:" >&2; cat "$WORK/servers.err" >&2; exit 1; }
  sleep 0.05
done
[ -s "$WORK/servers.json" ] || { echo "e2e: inlet-test-servers did not get ready in 30 s" >&2; exit 1; }
echo "e2e: servers ready in $(ms_since "$started") ms"

# 2. The app's environment. tauri-driver starts WebKitWebDriver, which starts the app: both inherit
#    this environment. HOME and XDG dirs are private so nothing touches the real user's files; the
#    keychain is the private one; INLET_CONFIG is the default config (each spec gives the app its
#    own, with its own data dir, through launch-app.sh).
mkdir -p "$WORK/home" "$WORK/xdg/data" "$WORK/xdg/config" "$WORK/xdg/cache" "$WORK/xdg/runtime" "$WORK/data"
chmod 700 "$WORK/xdg/runtime"
export HOME="$WORK/home" XDG_DATA_HOME="$WORK/xdg/data" XDG_CONFIG_HOME="$WORK/xdg/config" \
       XDG_CACHE_HOME="$WORK/xdg/cache" XDG_RUNTIME_DIR="$WORK/xdg/runtime"
# No accessibility bridge (nothing reads it here; GTK would look for the a11y bus on every start).
export NO_AT_BRIDGE=1
# The default renderer is kept on purpose. On Xvfb (software GL) WebKitGTK 2.50 paints the first
# frames of a new window 1.5-4 s late (the specs' screenshot() waits for them), but with
# WEBKIT_DISABLE_DMABUF_RENDERER=1 or WEBKIT_DISABLE_COMPOSITING_MODE=1 WebKitWebDriver's
# screenshots hang or fail.
eval "$(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const [k, v] of Object.entries(s.keychainEnv)) console.log(`export ${k}=${JSON.stringify(v)}`);
' "$WORK/servers.json")"
# The engine config (lib/config.js): the test CA, the DNS server, the ISPDB and connect-to
# overrides for discovery, short deadlines.
node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  const [config, servers, work] = process.argv.slice(1);
  const { appConfig } = await import(config);
  const s = JSON.parse(readFileSync(servers, "utf8"));
  writeFileSync(`${work}/config.json`, JSON.stringify(appConfig(s, `${work}/data`), null, 2));
' "$HERE/lib/config.js" "$WORK/servers.json" "$WORK"
export INLET_CONFIG="$WORK/config.json"
export INLET_E2E_WORK="$WORK" INLET_E2E_SERVERS="$WORK/servers.json" INLET_E2E_ROOT="$ROOT"
# Specs send commands to the servers through their stdin (harness.js serverCommand).
export INLET_E2E_SERVERS_IN="$WORK/servers.in"
export INLET_E2E_LAUNCHER="$HERE/launch-app.sh"

# 3. tauri-driver, on a free port (4444 when free).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
DRIVER_PORT=4444
if ! port_free $DRIVER_PORT; then
  DRIVER_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
fi
NATIVE_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Its own session and process group (setsid execs it in place: same pid), so cleanup can stop it,
# WebKitWebDriver and any app window left behind by a failed spec at once.
setsid "$TAURI_DRIVER" --port "$DRIVER_PORT" --native-port "$NATIVE_PORT" --native-driver /usr/bin/WebKitWebDriver \
  >"$WORK/tauri-driver.log" 2>&1 &
DRIVER_PID=$!
for _ in $(seq 200); do
  port_free $DRIVER_PORT || break
  kill -0 "$DRIVER_PID" 2>/dev/null || { echo "e2e: tauri-driver exited:" >&2; cat "$WORK/tauri-driver.log" >&2; exit 1; }
  sleep 0.05
done
port_free $DRIVER_PORT && { echo "e2e: tauri-driver did not listen on $DRIVER_PORT:" >&2; cat "$WORK/tauri-driver.log" >&2; exit 1; }
export INLET_E2E_DRIVER_PORT=$DRIVER_PORT
echo "e2e: tauri-driver on 127.0.0.1:$DRIVER_PORT (display $DISPLAY) after $(ms_since "$started") ms"

# 4. The specs, one after another (one app window at a time), with node's TAP summary.
if [ $# -gt 0 ]; then SPECS=("$@"); else SPECS=("$HERE"/specs/*.test.js); fi
set +e
node --test --test-concurrency=1 --test-reporter=tap "${SPECS[@]}"
rc=$?
set -e
echo "e2e: finished in $(ms_since "$started") ms (exit $rc)"
exit $rc
