#!/usr/bin/env bash
# What staging runs, recorded in the registry, and the check production makes against it (ADR 0022).
#
#   mark-staging.sh <api image> <web image>          after a staging deploy or redeploy: tag each
#                                                    <repository>@sha256:… as <repository>:staging and
#                                                    sign it with the annotation environment=staging
#                                                    (build.yml's promote job requires that signature)
#   mark-staging.sh --check <api image> <web image>  before a production deploy: prints current=true when
#                                                    both :staging tags name these digests, else
#                                                    current=false and a summary line naming what staging
#                                                    runs now (for $GITHUB_OUTPUT)
#
# Needs docker buildx (imagetools) logged in to the registry, jq, and for marking cosign (keyless, the
# workflow's OIDC identity). Images are release references as read-release.sh validates them.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/deploy/lib.sh
source "$here/lib.sh"

check=0
if [[ "${1:-}" == --check ]]; then
  check=1
  shift
fi
[[ $# -eq 2 ]] || die "usage: mark-staging.sh [--check] <api image> <web image>" 2
api=$(resolve_image_ref osint-api "$1")
web=$(resolve_image_ref osint-web "$2")
require_command docker "docker buildx imagetools reads and writes the tags"
require_command jq "reads imagetools' JSON"

# The manifest digest a tag names (empty when the tag does not exist).
digest_of() {
  docker buildx imagetools inspect "$1" --format '{{json .Manifest}}' 2>/dev/null | jq -r '.digest // empty' || true
}
# The commit an image was built from (its org.opencontainers.image.revision label), if readable.
revision_of() {
  docker buildx imagetools inspect "$1" --format '{{json .Image}}' 2>/dev/null |
    jq -r '[.. | objects | .config?.Labels?["org.opencontainers.image.revision"]? // empty] | first // "unknown"' ||
    echo unknown
}

if [[ $check -eq 0 ]]; then
  require_command cosign "signs what staging ran"
  for ref in "$api" "$web"; do
    repo=${ref%@*}
    docker buildx imagetools create --tag "$repo:staging" "$ref" >&2
    [[ "$(digest_of "$repo:staging")" == "${ref#*@}" ]] || die "$repo:staging does not name ${ref#*@} after tagging"
    cosign sign --yes -a environment=staging "$ref" >&2
  done
  summary "Staging runs \`$api\` and \`$web\` (tagged \`:staging\`, signed environment=staging)."
  log "staging marked: $api $web"
  exit 0
fi

current=true
for ref in "$api" "$web"; do
  repo=${ref%@*}
  now=$(digest_of "$repo:staging")
  if [[ "$now" != "${ref#*@}" ]]; then
    current=false
    summary "Not deployed to production: staging now runs \`$repo@${now:-nothing tagged}\` (commit $(revision_of "$repo:staging")), not \`$ref\`. Approve the deploy run of the release staging runs."
    log "superseded: $repo:staging is ${now:-missing}, this release is ${ref#*@}"
  fi
done
echo "current=$current"
