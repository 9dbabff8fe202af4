#!/usr/bin/env bash
# What WebKitWebDriver starts as "the browser" (tauri:options.application): the real app, with
# the engine config a spec asked for. A spec passes `--inlet-config=PATH` in tauri:options.args
# so that each spec gets its own data dir (a fresh app); other arguments (WebKitWebDriver adds
# its own) go to the app unchanged. Without the option, INLET_CONFIG from run.sh stays.
# `--inlet-gtk-theme=Adwaita:dark` gives the app a dark GTK theme (dark-mode screenshots).
# `--inlet-locale=de_DE.UTF-8` starts the app in that locale, as a German desktop would: the engine
# (sys-locale) and WebKitGTK (navigator.language) both follow LANG, unless one of the variables
# that override it is set, so those go.
args=()
for a in "$@"; do
  case "$a" in
    --inlet-config=*) export INLET_CONFIG="${a#--inlet-config=}" ;;
    --inlet-gtk-theme=*) export GTK_THEME="${a#--inlet-gtk-theme=}" ;;
    --inlet-locale=*)
      export LANG="${a#--inlet-locale=}"
      unset LANGUAGE LC_ALL LC_MESSAGES
      ;;
    *) args+=("$a") ;;
  esac
done
[ -n "${INLET_E2E_WORK:-}" ] && echo "$(date +%T.%3N) launch INLET_CONFIG=${INLET_CONFIG:-} args: ${args[*]}" >>"$INLET_E2E_WORK/launches.txt"
exec "${INLET_APP:?INLET_APP is not set}" "${args[@]}"
