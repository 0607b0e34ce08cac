#!/usr/bin/env bash
# Shared helpers for the deploy scripts (sourced, not run). Bash 4+, no tools beyond coreutils and kubectl.
# shellcheck disable=SC2034 # the arrays are used by the scripts that source this file

# The Deployments a release rolls out, in the order they are waited for and rolled back.
DEPLOYMENTS=(api worker web)

# The images the overlays pin (k8s/overlays/*/kustomization.yaml `images:`), each with its Deployment users.
IMAGE_NAMES=(osint-api osint-web)

# The backup CronJob's image (k8s/components/backup), pinned by an `images:` entry of this name in the
# overlays that include the Component. Not built by CI: BACKUP_IMAGE names a verified digest of
# postgres:15-bookworm (docs/iac.md#the-backup-image).
BACKUP_IMAGE_NAME=docker.io/library/postgres
BACKUP_COMPONENT=components/backup

# A release image: <registry>/<repository>@sha256:<64 hex>. A tag is never accepted: deploys go by digest.
IMAGE_REF_RE='^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)+@sha256:[0-9a-f]{64}$'
ZERO_DIGEST="sha256:$(printf '0%.0s' {1..64})"

log() { printf '[deploy] %s\n' "$*" >&2; }
# die <message> [exit code, default 1]
die() {
  printf '[deploy] error: %s\n' "$1" >&2
  exit "${2:-1}"
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not on PATH ($2)"
}

# Appends markdown to the GitHub Actions job summary when running in Actions; a no-op elsewhere.
summary() {
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"
  fi
}

# Turns `registry/repo@sha256:…` or a bare `sha256:…` (with IMAGE_REGISTRY set) into a full reference for
# image $1, checking the digest is well formed and not the overlays' all-zero placeholder.
resolve_image_ref() {
  local name=$1 given=$2 ref
  if [[ "$given" == sha256:* ]]; then
    [[ -n "${IMAGE_REGISTRY:-}" ]] || die "$name: bare digest '$given' needs IMAGE_REGISTRY (for example ghcr.io/acme)" 2
    ref="${IMAGE_REGISTRY%/}/$name@$given"
  else
    ref=$given
  fi
  [[ "$ref" =~ $IMAGE_REF_RE ]] || die "$name: '$given' is not <registry>/<repository>@sha256:<64 hex digits>" 2
  [[ "${ref#*@}" != "$ZERO_DIGEST" ]] || die "$name: refusing the all-zero placeholder digest" 2
  [[ "${ref%@*}" == */"$name" ]] || die "$name: '$ref' names another repository (expected …/$name@sha256:…)" 2
  printf '%s\n' "$ref"
}

# True when overlay $1 includes the backup Component (so its postgres image must be pinned).
overlay_has_backup() {
  grep -Eq "^[[:space:]]*-[[:space:]]*(\.\./)+${BACKUP_COMPONENT}/?[[:space:]]*$" "$1/kustomization.yaml"
}

# The backup image from BACKUP_IMAGE: `<registry>/<path>/postgres@sha256:<64 hex>` (Docker Hub's
# docker.io/library/postgres, or a mirror of it), or a bare `sha256:<64 hex>` meaning Docker Hub's. Never a
# tag, never the placeholder.
resolve_backup_image_ref() {
  local given=${BACKUP_IMAGE:-} ref
  [[ -n "$given" ]] ||
    die "BACKUP_IMAGE is not set: the overlay runs the backup CronJob, whose image must be pinned by digest (docs/iac.md#the-backup-image)" 2
  if [[ "$given" == sha256:* ]]; then ref="$BACKUP_IMAGE_NAME@$given"; else ref=$given; fi
  [[ "$ref" =~ $IMAGE_REF_RE ]] ||
    die "BACKUP_IMAGE: '$given' is not <registry>/<repository>@sha256:<64 hex digits> (or a bare sha256:<hex>)" 2
  [[ "${ref#*@}" != "$ZERO_DIGEST" ]] || die "BACKUP_IMAGE: refusing the all-zero placeholder digest" 2
  [[ "${ref%@*}" == */postgres ]] || die "BACKUP_IMAGE: '$ref' is not a postgres image (expected …/postgres@sha256:…)" 2
  printf '%s\n' "$ref"
}

# The namespace an overlay deploys into: NAMESPACE if set, else its kustomization's `namespace:`.
overlay_namespace() {
  local overlay=$1 ns
  if [[ -n "${NAMESPACE:-}" ]]; then
    printf '%s\n' "$NAMESPACE"
    return
  fi
  ns=$(sed -n 's/^namespace:[[:space:]]*\([A-Za-z0-9.-]*\).*$/\1/p' "$overlay/kustomization.yaml" | head -n 1)
  [[ -n "$ns" ]] || die "$overlay/kustomization.yaml sets no namespace: (set NAMESPACE)" 2
  printf '%s\n' "$ns"
}

# Checks $1 is an overlay directory: <k8s root>/overlays/<name>/kustomization.yaml.
require_overlay() {
  local overlay=$1
  [[ -f "$overlay/kustomization.yaml" ]] || die "'$overlay' is not a kustomize overlay (no kustomization.yaml)" 2
  [[ "$(basename "$(dirname "$(cd "$overlay" && pwd)")")" == overlays ]] ||
    die "'$overlay' is not under an overlays/ directory (expected k8s/overlays/<name>)" 2
}
