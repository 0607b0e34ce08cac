#!/usr/bin/env bash
# Builds .devcontainer/Dockerfile as far as this machine's network allows and checks the result:
#   - base image: the local stand-in osint-base/node:20-bookworm (scripts/containers/, built on demand)
#     unless NODE_IMAGE is set;
#   - SKIP_TOOL_DOWNLOADS=1: no release host is reachable here, so tilt/kind/ctlptl/kubectl/k6 are not
#     downloaded (install-tools.sh still validates the versions file); apt packages are installed;
#   - then, inside the image, as the remote user: psql 15, redis-cli 7, node 20, npm, python3, sudo, the
#     "tools skipped" marker, and that the user is `node` (uid 1000).
# Exit 0 when all hold, 1 on a failed check, 0 with "skipped" when no Docker engine can be had.
# Wired into the container stack suite (.ci/run); not part of `npm test` (minutes, not seconds).
#
#   .devcontainer/scripts/build-check.sh          # OSINT_BASE_BUILD_NETWORK=bridge|host to force
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
tag=osint-devcontainer:check
say() { echo "devcontainer build-check: $*"; }

if ! docker info >/dev/null 2>&1; then
  if [ -x scripts/containers/engine.sh ] || [ -f scripts/containers/engine.sh ]; then
    bash scripts/containers/engine.sh >&2 || { say "skipped: no Docker engine could be started"; exit 0; }
  else
    say "skipped: no Docker engine answers and scripts/containers/engine.sh is absent"
    exit 0
  fi
fi
export DOCKER_BUILDKIT=0 # Debian's docker.io has no buildx; the Dockerfile needs nothing BuildKit-only

node_image="${NODE_IMAGE:-}"
if [ -z "$node_image" ]; then
  # shellcheck source=../../scripts/containers/base-images.env
  . scripts/containers/base-images.env
  node_image="$NODE_IMAGE_LOCAL"
  if ! docker image inspect "$node_image" >/dev/null 2>&1; then
    say "building the local base image $node_image"
    bash scripts/containers/build-base-images.sh --only node >&2
  fi
fi

# apt in the build needs the image's Debian mirror: the default bridge if it reaches it, else the host
# network (an engine started with --iptables=false gives bridged containers no way out).
network="${OSINT_BASE_BUILD_NETWORK:-}"
if [ -z "$network" ]; then
  mirror="$(docker run --rm --entrypoint sh "$node_image" -c \
    'cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null' | grep -oE 'https?://[^/[:space:]]+' | head -1)"
  mirror="${mirror:-http://deb.debian.org}"
  host="${mirror#*://}"
  port=80
  case "$mirror" in https:*) port=443 ;; esac
  case "$host" in *:*) port="${host##*:}"; host="${host%:*}" ;; esac
  if timeout 20 docker run --rm --entrypoint bash "$node_image" -c "exec 3<>/dev/tcp/$host/$port" >/dev/null 2>&1; then
    network=default
  else
    network=host
  fi
fi

t0=$(date +%s)
# The context is the repository root (as devcontainer.json has it), narrowed to what the Dockerfile
# copies: BuildKit would apply .devcontainer/Dockerfile.dockerignore; Debian's classic builder does not
# know that file and would apply the application images' root .dockerignore, so the context is streamed
# as a tar of exactly the allowlisted files (the same paths, so the Dockerfile is unchanged).
context_files=(.devcontainer/Dockerfile)
while IFS= read -r line; do
  case "$line" in '!'*) context_files+=("${line#!}") ;; esac
done < <(grep -v '^[[:space:]]*#' .devcontainer/Dockerfile.dockerignore)
say "docker build --network $network --build-arg NODE_IMAGE=$node_image --build-arg SKIP_TOOL_DOWNLOADS=1 -f .devcontainer/Dockerfile <repository root: ${context_files[*]}>"
tar -c "${context_files[@]}" | docker build --network "$network" \
  --build-arg NODE_IMAGE="$node_image" --build-arg SKIP_TOOL_DOWNLOADS=1 \
  -f .devcontainer/Dockerfile -t "$tag" - >&2
say "built $tag in $(( $(date +%s) - t0 ))s"

# Each check prints what it saw; the first failure stops the script with its message.
docker run --rm --entrypoint bash "$tag" -euo pipefail -c '
  check() { printf "  %-34s" "$1"; shift; out="$("$@" 2>&1)" || { echo "FAILED: $out"; exit 1; }; echo "$out" | head -1; }
  check "user (expect node, uid 1000)" bash -c "echo \"\$(id -un) uid=\$(id -u)\"; [ \"\$(id -un)\" = node ] && [ \"\$(id -u)\" = 1000 ]"
  check "psql (PostgreSQL 15 client)" bash -c "psql --version | grep -E \"\\) 15\\.\""
  check "redis-cli (7)" bash -c "redis-cli --version | grep -E \"redis-cli 7\\.\""
  check "node (20)" bash -c "node --version | grep -E \"^v20\\.\""
  check "npm" npm --version
  check "python3 (Tiltfile test harness)" python3 --version
  check "git" git --version
  check "sudo without password" bash -c "sudo -n true && echo ok"
  check "tools-skipped marker present" cat /usr/local/share/osint-devcontainer/tools-skipped
  check "install-tools.sh left no scratch" bash -c "test ! -e /tmp/osint-devcontainer && echo clean"
'
say "ok: $tag (base $node_image, tool downloads skipped)"
