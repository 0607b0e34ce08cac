#!/usr/bin/env bash
# Installs the Debian packages the test suites need on a fresh machine (CI or a new developer box).
# Idempotent: installs only what is missing; prints one line saying what it did.
set -euo pipefail

want=()
command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
command -v pg_dump >/dev/null 2>&1 || want+=(postgresql-client)
# promtool + prometheus: the alert-rule tests and a real scrape of the API and worker (docs/operations.md).
command -v promtool >/dev/null 2>&1 || want+=(prometheus)
if [[ "${WITH_BROWSER:-1}" == "1" ]]; then
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
fi

if [[ ${#want[@]} -eq 0 ]]; then
  echo "system deps: all present"
  exit 0
fi
if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system deps: missing ${want[*]} and cannot install them here (need root + apt-get)." >&2
  echo "  fix: install them with your package manager, e.g. sudo apt-get install -y ${want[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
echo "system deps: installed ${want[*]}"
