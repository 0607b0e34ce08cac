#!/usr/bin/env bash
# Runs one command in the dev container image ci.yml's `devcontainer` job built once for the run (and
# handed over as an artifact: docker save → docker load), with the checkout mounted as the workspace.
# Nothing is built here: devcontainers/ci would build the image again before running anything.
#
#   scripts/ci/in-devcontainer.sh <image> <command>
#
# The command runs as the image's remote user (the `remoteUser` of the devcontainer.metadata label the
# Dev Container CLI writes into the image; `node` when absent), as in a developer's container: the test
# harness's PostgreSQL refuses to run as root. The checkout belongs to the runner's user, so it is handed
# to that user's uid for the run and given back afterwards (the upload steps read what the run wrote).
# CI=true is set inside, as devcontainers/ci's `env: CI=true` did.
set -euo pipefail

[[ $# -eq 2 ]] || {
  echo "usage: in-devcontainer.sh <image> <command>" >&2
  exit 2
}
image=$1
command=$2
workspace=${GITHUB_WORKSPACE:-$PWD}

docker image inspect "$image" >/dev/null 2>&1 || {
  echo "in-devcontainer.sh: image $image is not loaded (docker load the devcontainer-image artifact first)" >&2
  exit 1
}
metadata=$(docker image inspect "$image" --format '{{ index .Config.Labels "devcontainer.metadata" }}')
user=$(jq -r '[.[]? | .remoteUser? // empty] | last // "node"' <<<"${metadata:-[]}" 2>/dev/null || echo node)
uid=$(docker run --rm --entrypoint id "$image" -u "$user")

owner="$(id -u):$(id -g)"
sudo chown -R "$uid" "$workspace"
trap 'sudo chown -R "$owner" "$workspace"' EXIT

docker run --rm \
  --user "$user" \
  --volume "$workspace:/workspace" \
  --workdir /workspace \
  --env CI=true \
  --env NPM_CONFIG_UPDATE_NOTIFIER=false \
  --entrypoint bash \
  "$image" -lc "$command"
