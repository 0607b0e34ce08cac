#!/usr/bin/env bash
# Is this release superseded? deploy.yml asks before deploying a green build of main (ADR 0022): when the
# newest successful build.yml run on main is a later commit — this release's commit is its ancestor — the
# release is not deployed, and the run summary names the newer release, whose own deploy run deploys it.
#
#   scripts/deploy/superseded.sh <release commit>     (in a checkout with main's history: fetch-depth 0)
#
# Prints `superseded-by=<sha>` (for $GITHUB_OUTPUT) when superseded, nothing otherwise. Needs gh (with
# GH_TOKEN allowed to read Actions) and REPOSITORY (owner/name).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/deploy/lib.sh
source "$here/lib.sh"

[[ $# -eq 1 && "$1" =~ ^[0-9a-f]{40}$ ]] || die "usage: superseded.sh <40-hex release commit>" 2
sha=$1
: "${REPOSITORY:?REPOSITORY (owner/name) is required}"
require_command gh "lists build.yml runs through the GitHub API"

newest=$(gh api "repos/$REPOSITORY/actions/workflows/build.yml/runs?branch=main&event=push&status=success&per_page=1" \
  --jq '.workflow_runs[0] | "\(.head_sha) \(.html_url)"')
read -r newest_sha newest_url <<<"$newest"
if [[ "$newest_sha" =~ ^[0-9a-f]{40}$ && "$newest_sha" != "$sha" ]] &&
  git merge-base --is-ancestor "$sha" "$newest_sha" 2>/dev/null; then
  summary "Release $sha is superseded by the newer release $newest_sha ($newest_url): not deployed; that release's deploy run deploys it."
  log "superseded by $newest_sha"
  echo "superseded-by=$newest_sha"
else
  summary "Release $sha is the newest green build of main: deploying."
  log "newest green build of main: deploying"
fi
