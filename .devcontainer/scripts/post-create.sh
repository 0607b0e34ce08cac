#!/usr/bin/env bash
# Creates the local Kubernetes cluster Tilt deploys to, with a local image registry, using ctlptl:
#   cluster  kind-osint      (kind, node image KIND_NODE_IMAGE from ../tool-versions.env)
#   registry osint-registry  (localhost:5005; Tilt finds it through the cluster's
#                             kube-public/local-registry-hosting ConfigMap and pushes there)
# Run by devcontainer.json (postCreateCommand; postStartCommand with --start-only). Idempotent: an
# existing cluster and registry are reused, stopped ones are started. Safe to re-run by hand.
# First it starts the container's own Docker Engine (docker-engine.sh) when the container is
# privileged; unprivileged (ci/devcontainer.json) there is no engine and no cluster.
#
#   post-create.sh               create or reuse, then select the kind-osint kubectl context
#   post-create.sh --start-only  only start an existing cluster/registry (after a container restart)
#   post-create.sh --delete      delete the cluster and the registry (everything this script made)
#
# Skipped (exit 0, nothing created) when CI=true (GitHub Actions runs checks in this container) or
# OSINT_SKIP_CLUSTER=1 (you only want the toolchain).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../tool-versions.env
. "$here/../tool-versions.env"

CLUSTER=kind-osint
REGISTRY=osint-registry
REGISTRY_PORT=5005
mode="${1:-create}"

tag=post-create
[ "$mode" = create ] || tag="post-create $mode"
say() { echo "$tag: $*"; }

if [ "$mode" != --delete ]; then
  "$here/docker-engine.sh"
  if ! docker info >/dev/null 2>&1; then
    say "no Docker engine in this container: no cluster (the toolchain and the tests work without one)"
    exit 0
  fi
fi

if [ "${CI:-}" = true ] || [ "${OSINT_SKIP_CLUSTER:-}" = 1 ]; then
  say "CI=${CI:-} OSINT_SKIP_CLUSTER=${OSINT_SKIP_CLUSTER:-}: no cluster (the container is used for checks only)"
  exit 0
fi
if [ -e /usr/local/share/osint-devcontainer/tools-skipped ]; then
  say "this image was built with SKIP_TOOL_DOWNLOADS=1 and has no kind/ctlptl: no cluster created."
  say "rebuild the container without that build argument to get the Tilt workflow."
  exit 0
fi
for tool in docker kind ctlptl kubectl; do
  command -v "$tool" >/dev/null || { say "$tool is not installed; see docs/dev-container.md"; exit 1; }
done


node_container="${CLUSTER#kind-}-control-plane"
case "$mode" in
  --delete)
    ctlptl delete cluster "$CLUSTER" --ignore-not-found
    ctlptl delete registry "$REGISTRY" --ignore-not-found
    say "deleted cluster $CLUSTER and registry $REGISTRY"
    exit 0
    ;;
  --start-only)
    started=0
    for c in "$REGISTRY" "$node_container"; do
      if [ "$(docker inspect -f '{{.State.Running}}' "$c" 2>/dev/null || true)" = false ]; then
        docker start "$c" >/dev/null && started=1 && say "started $c"
      fi
    done
    [ "$started" = 1 ] || say "cluster $CLUSTER: nothing to start"
    exit 0
    ;;
  create) ;;
  *) say "unknown argument $mode (expected --start-only or --delete)"; exit 2 ;;
esac

# ctlptl apply is declarative: it creates what is missing and leaves a matching cluster alone.
ctlptl apply -f - <<YAML
apiVersion: ctlptl.dev/v1alpha1
kind: Registry
name: ${REGISTRY}
port: ${REGISTRY_PORT}
---
apiVersion: ctlptl.dev/v1alpha1
kind: Cluster
product: kind
name: ${CLUSTER}
registry: ${REGISTRY}
kindV1Alpha4Cluster:
  nodes:
    - role: control-plane
      image: ${KIND_NODE_IMAGE}
YAML

kubectl config use-context "$CLUSTER" >/dev/null
kubectl wait --for=condition=Ready node --all --timeout=180s >/dev/null
say "cluster $CLUSTER ready (registry localhost:${REGISTRY_PORT}); run: tilt up   (docs/tilt.md)"
