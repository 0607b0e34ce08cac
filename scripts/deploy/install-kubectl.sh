#!/usr/bin/env bash
# Installs a pinned kubectl into <dir> (default: $RUNNER_TEMP/bin or ~/.local/bin) and prints its path.
# The version matches what the manifests are written and tested for (kubectl 1.32, kustomize v5.5:
# docs/decisions/0005-kubernetes-layout.md). The binary is checked against the SHA-256 published beside it on
# dl.k8s.io (the procedure kubernetes.io documents), and also against KUBECTL_SHA256 when that is set, which
# pins the exact bytes rather than trusting the download site.
#
#   KUBECTL_VERSION=v1.32.4 scripts/deploy/install-kubectl.sh "$RUNNER_TEMP/bin"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/deploy/lib.sh
source "$here/lib.sh"

version=${KUBECTL_VERSION:-v1.32.4}
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "KUBECTL_VERSION '$version' is not vX.Y.Z" 2
dest=${1:-${RUNNER_TEMP:+$RUNNER_TEMP/bin}}
dest=${dest:-$HOME/.local/bin}
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "unsupported machine $(uname -m)" ;;
esac
require_command curl "it downloads the binary"
require_command sha256sum "it checks the download"

base="${KUBECTL_BASE_URL:-https://dl.k8s.io/release}/$version/bin/linux/$arch"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp/kubectl" "$base/kubectl"
curl -fsSL --retry 3 -o "$tmp/kubectl.sha256" "$base/kubectl.sha256"
published=$(tr -d '[:space:]' <"$tmp/kubectl.sha256")
actual=$(sha256sum "$tmp/kubectl" | cut -d' ' -f1)
[[ "$actual" == "$published" ]] || die "kubectl $version: checksum $actual does not match the published $published"
if [[ -n "${KUBECTL_SHA256:-}" && "$actual" != "$KUBECTL_SHA256" ]]; then
  die "kubectl $version: checksum $actual does not match KUBECTL_SHA256"
fi
mkdir -p "$dest"
install -m 0755 "$tmp/kubectl" "$dest/kubectl"
log "kubectl $version ($arch, sha256 $actual) installed in $dest"
printf '%s\n' "$dest/kubectl"
