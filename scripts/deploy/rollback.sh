#!/usr/bin/env bash
# Rolls the app Deployments of an environment back without a new image: `kubectl rollout undo` for api,
# worker and web, waits for each, then runs the smoke test (scripts/deploy/smoke.sh) against
# SMOKE_BASE_URL when it is set, and prints the images now running (`api-image=…`, `web-image=…`, for
# $GITHUB_OUTPUT). (To go back to an earlier release's images instead, run deploy.sh with that release's
# digests: docs/ci-cd.md#rolling-back.)
#
#   scripts/deploy/rollback.sh <overlay>                       each Deployment to its previous revision
#   scripts/deploy/rollback.sh <overlay> 7                     each Deployment to its revision 7
#   scripts/deploy/rollback.sh <overlay> api=7,worker=7,web=5  per Deployment (revisions are per Deployment:
#                                                              `kubectl -n <ns> rollout history deployment/api`)
#
# Environment: NAMESPACE (default: the overlay's), ROLLOUT_TIMEOUT (default 10m), SMOKE_BASE_URL (the
# environment's public URL; unset: no smoke test, said so on stderr and in the summary), SMOKE_* (smoke.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/deploy/lib.sh
source "$here/lib.sh"

[[ $# -ge 1 && $# -le 2 ]] || die "usage: rollback.sh <overlay> [<revision> | api=N,worker=N,web=N]" 2
overlay=${1%/}
require_overlay "$overlay"
require_command kubectl "install it (scripts/deploy/install-kubectl.sh) and point KUBECONFIG at the cluster"
ns=$(overlay_namespace "$overlay")
rollout_timeout=${ROLLOUT_TIMEOUT:-10m}

declare -A target=()
spec=${2:-}
if [[ "$spec" =~ ^[1-9][0-9]*$ ]]; then
  for d in "${DEPLOYMENTS[@]}"; do target[$d]=$spec; done
elif [[ -n "$spec" ]]; then
  IFS=',' read -r -a pairs <<<"$spec"
  for pair in "${pairs[@]}"; do
    [[ "$pair" =~ ^(api|worker|web)=([1-9][0-9]*)$ ]] ||
      die "'$pair' is not <deployment>=<revision> with deployment api, worker or web" 2
    target[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
  done
fi

summary "### Rollback in \`$ns\`" ""
rc=0
for d in "${DEPLOYMENTS[@]}"; do
  if [[ -z "$spec" || -n "${target[$d]:-}" ]]; then
    args=()
    [[ -z "${target[$d]:-}" ]] || args=(--to-revision="${target[$d]}")
    # kubectl's own output goes to stderr: stdout carries only the image lines (for $GITHUB_OUTPUT).
    if kubectl -n "$ns" rollout undo "deployment/$d" "${args[@]}" >&2; then
      summary "- \`$d\`: rolled back${target[$d]:+ to revision ${target[$d]}}"
    else
      rc=1
      summary "- \`$d\`: **rollback failed**"
    fi
  fi
done
for d in "${DEPLOYMENTS[@]}"; do
  if [[ -z "$spec" || -n "${target[$d]:-}" ]]; then
    kubectl -n "$ns" rollout status "deployment/$d" --timeout="$rollout_timeout" >&2 || {
      rc=1
      summary "- \`$d\`: **not ready after the rollback**"
    }
  fi
done
[[ $rc -eq 0 ]] || die "rollback incomplete (see above)"

if [[ -n "${SMOKE_BASE_URL:-}" ]]; then
  if bash "$here/smoke.sh" "$SMOKE_BASE_URL" >&2; then
    summary "- smoke test against $SMOKE_BASE_URL: passed"
  else
    summary "- smoke test against $SMOKE_BASE_URL: **failed**"
    die "rolled back in $ns, but the smoke test against $SMOKE_BASE_URL failed"
  fi
else
  log "SMOKE_BASE_URL is not set: no smoke test (run scripts/deploy/smoke.sh <url>)"
  summary "- smoke test: not run (no SMOKE_BASE_URL)"
fi

# The images the Deployments run now, by the container named after each Deployment.
for d in api web; do
  image=$(kubectl -n "$ns" get "deployment/$d" -o "jsonpath={.spec.template.spec.containers[?(@.name==\"$d\")].image}")
  printf '%s-image=%s\n' "$d" "$image"
done
log "rolled back in $ns"
