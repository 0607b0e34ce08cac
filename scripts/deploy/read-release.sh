#!/usr/bin/env bash
# Reads the release manifest build.yml publishes (artifact `release`, file release.json) and prints it as
# `key=value` lines for $GITHUB_OUTPUT, after checking every value's shape: the file crosses from one
# workflow run to another, so nothing in it is trusted until it matches.
#
#   scripts/deploy/read-release.sh release.json >>"$GITHUB_OUTPUT"
#
# release.json: {"sha": "<40 hex commit>", "api": "<registry>/osint-api@sha256:<64 hex>",
#                "web": "<registry>/osint-web@sha256:<64 hex>"}
# Prints: sha=…, api-image=…, web-image=…
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/deploy/lib.sh
source "$here/lib.sh"

[[ $# -eq 1 ]] || die "usage: read-release.sh <release.json>" 2
[[ -f "$1" ]] || die "$1: no such file" 2
require_command node "Node.js parses the JSON"

# shellcheck disable=SC2016 # JavaScript, not shell
fields=$(node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  for (const k of ["sha", "api", "web"]) {
    if (typeof r[k] !== "string") { console.error(`${k} is missing or not a string`); process.exit(1); }
  }
  console.log([r.sha, r.api, r.web].join("\n"));
' "$1") || die "$1 is not a release manifest" 2
{ read -r sha && read -r api && read -r web; } <<<"$fields"

[[ "$sha" =~ ^[0-9a-f]{40}$ ]] || die "sha '$sha' is not a 40-hex commit" 2
api=$(resolve_image_ref osint-api "$api")
web=$(resolve_image_ref osint-web "$web")
printf 'sha=%s\napi-image=%s\nweb-image=%s\n' "$sha" "$api" "$web"
