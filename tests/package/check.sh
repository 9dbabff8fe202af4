#!/usr/bin/env bash
# Checks the .deb that `./dev package` builds: unpacks it into a scratch root with `dpkg -x` (no
# installation on this machine) and checks what a user's system would get from it.
#   tests/package/check.sh target/release/bundle/deb/Inlet_<version>_amd64.deb
# Needs dpkg, python3, desktop-file-validate (desktop-file-utils) and systemd-analyze (systemd);
# ./dev test installs them.
set -euo pipefail

DEB=$(realpath "${1:?usage: tests/package/check.sh PATH.deb}")
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT

failures=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

field() { dpkg-deb --field "$DEB" "$1"; }

echo "== metadata (dpkg-deb -I)"
dpkg-deb --info "$DEB" >/dev/null
check "Package is inlet" [ "$(field Package)" = inlet ]
check "Architecture is this machine's ($(dpkg --print-architecture))" \
  [ "$(field Architecture)" = "$(dpkg --print-architecture)" ]
check "Version is tauri.conf.json's" [ "$(field Version)" = "$(python3 -c \
  'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$(dirname "$0")/../../tauri.conf.json")" ]
check "Section is mail" [ "$(field Section)" = mail ]
check "Maintainer is set" [ -n "$(field Maintainer)" ]
check "Description has a summary and a long text" \
  bash -c '[ "$(dpkg-deb --field "$1" Description | wc -l)" -ge 2 ]' _ "$DEB"
for dep in libwebkit2gtk-4.1-0 libgtk-3-0; do
  check "Depends on $dep" bash -c 'dpkg-deb --field "$1" Depends | tr -d " " | tr , "\n" | grep -qx "$2"' _ "$DEB" "$dep"
done

echo "== contents (dpkg -x into a scratch root)"
dpkg -x "$DEB" "$ROOT"

for bin in inlet inlet-cli; do
  f=$ROOT/usr/bin/$bin
  check "/usr/bin/$bin is an executable file" [ -f "$f" -a -x "$f" ]
  # Every shared library it needs is found on this machine (the Depends above bring them).
  check "/usr/bin/$bin finds all its shared libraries" bash -c '! ldd "$1" | grep -q "not found"' _ "$f"
done
check "/usr/bin/inlet-cli is a link to inlet (one copy of the engine in the package)" \
  [ -L "$ROOT/usr/bin/inlet-cli" -a "$(readlink "$ROOT/usr/bin/inlet-cli")" = inlet ]
check "inlet-cli --version runs from the scratch root and names itself" \
  bash -c '"$1" --version | grep -q "^inlet-cli [0-9]"' _ "$ROOT/usr/bin/inlet-cli"
check "inlet-cli --help runs from the scratch root" \
  bash -c '"$1" --help | grep -q "Usage: inlet-cli"' _ "$ROOT/usr/bin/inlet-cli"

echo "== desktop entry"
desktop=$ROOT/usr/share/applications/Inlet.desktop
if [ -f "$desktop" ]; then
  pass "/usr/share/applications/Inlet.desktop is there"
  if command -v desktop-file-validate >/dev/null; then
    # It prints errors, warnings and hints: none is accepted.
    out=$(desktop-file-validate "$desktop" 2>&1) || true
    check "desktop-file-validate finds nothing${out:+: $out}" [ -z "$out" ]
  else
    fail "desktop-file-validate is missing (package desktop-file-utils)"
  fi
  key() { sed -n "s/^$1=//p" "$desktop"; }
  check "Type=Application" [ "$(key Type)" = Application ]
  check "Name=Inlet" [ "$(key Name)" = Inlet ]
  check "Exec runs the packaged app ($(key Exec))" [ -x "$ROOT/usr/bin/$(key Exec | cut -d' ' -f1)" ]
  icon_name=$(key Icon)
  check "Icon names the packaged icon ($icon_name)" [ -f "$ROOT/usr/share/icons/hicolor/512x512/apps/$icon_name.png" ]
else
  fail "/usr/share/applications/Inlet.desktop is missing"
  icon_name=inlet
fi

echo "== icons (hicolor theme)"
# The PNG's own header (RFC 2083: signature, then IHDR with width and height), not the file name.
png_size() {
  python3 - "$1" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read(24)
assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
print("%dx%d" % struct.unpack(">II", data[16:24]))
EOF
}
for size in 16 32 48 64 128 256 512; do
  f=$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/$icon_name.png
  if [ -f "$f" ]; then
    got=$(png_size "$f" 2>&1) || true
    check "${size}x${size}/apps/$icon_name.png is a ${size}x${size} PNG (it is: $got)" [ "$got" = "${size}x${size}" ]
  else
    fail "${size}x${size}/apps/$icon_name.png is missing"
  fi
done

echo "== systemd user units"
units=$ROOT/usr/lib/systemd/user
check "inlet-check.service and inlet-check.timer in /usr/lib/systemd/user" \
  [ -f "$units/inlet-check.service" -a -f "$units/inlet-check.timer" ]
exec_start=$(sed -n 's/^ExecStart=//p' "$units/inlet-check.service")
check "the service runs the packaged inlet-cli ($exec_start)" \
  bash -c '[[ "$1" == "/usr/bin/inlet-cli "* ]] && [ -x "$2/usr/bin/inlet-cli" ]' _ "$exec_start" "$ROOT"
# The service's command itself, from the scratch root, against an empty store: nothing due, exit 0.
store=$(mktemp -d -p "$ROOT")
printf '{"dataDir": "%s/data", "policyFile": null}\n' "$store" > "$store/config.json"
read -ra command <<<"$exec_start"
check "the service's command runs: ${command[*]}" \
  bash -c '"$@" | python3 -c "import json, sys; assert json.load(sys.stdin) == {\"ok\": True, \"checks\": []}"' _ \
  "$ROOT${command[0]}" "${command[@]:1}" --json --config "$store/config.json"
if command -v systemd-analyze >/dev/null; then
  # systemd's checker refuses an ExecStart that is not executable: the scratch root's inlet-cli
  # stands in for /usr/bin/inlet-cli. Unknown keys and bad values are only warnings: none accepted.
  verify=$(mktemp -d -p "$ROOT")
  sed "s|^ExecStart=/usr/bin/inlet-cli |ExecStart=$ROOT/usr/bin/inlet-cli |" \
    "$units/inlet-check.service" > "$verify/inlet-check.service"
  cp "$units/inlet-check.timer" "$verify/"
  out=$(systemd-analyze verify "$verify/inlet-check.service" "$verify/inlet-check.timer" 2>&1) && ok=1 || ok=0
  check "systemd-analyze verify accepts both units${out:+: $out}" \
    bash -c '[ "$1" = 1 ] && ! grep -qE "ignoring|Unknown" <<<"$2"' _ "$ok" "$out"
else
  fail "systemd-analyze is missing (package systemd)"
fi

echo "== $(basename "$DEB"): $(du -k "$DEB" | cut -f1) KiB"
if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) of the .deb failed" >&2
  exit 1
fi
echo "every check of the .deb passed"
