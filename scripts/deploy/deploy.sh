#!/usr/bin/env bash
# Deploys one release (two image digests) to the cluster of the current kubectl context, in the order
# docs/iac.md prescribes, and rolls the Deployments back when the rollout or the smoke test fails.
#
#   SMOKE_BASE_URL=https://osint.staging.example.com \
#     scripts/deploy/deploy.sh <overlay> <api-image> <web-image>
#
#   <overlay>    k8s/overlays/staging or k8s/overlays/prod
#   <api-image>  ghcr.io/<owner>/osint-api@sha256:<64 hex>  (or sha256:<hex> with IMAGE_REGISTRY=ghcr.io/<owner>)
#   <web-image>  ghcr.io/<owner>/osint-web@sha256:<64 hex>
#
# Phases:
#   1. render    the overlay with the digests pinned (set-images.sh), once; every apply below sends these bytes
#   2. prepare   everything but the app workloads and the Job (Namespace, ConfigMap, NetworkPolicies)
#   3. migrate   delete the previous migrate Job, apply this release's, wait until it completes
#   4. rollout   apply everything but the Job, `kubectl rollout status` for api, worker and web
#   5. smoke     scripts/deploy/smoke.sh "$SMOKE_BASE_URL" (/readyz and one API round trip)
# A failure in phase 4 or 5 runs `kubectl rollout undo --to-revision=<the revision before this deploy>`
# for every Deployment; a failure before phase 4 changed no Deployment, so nothing is undone. Either way the
# script writes a note to $GITHUB_STEP_SUMMARY (when set) and exits 1. Migrations are never undone: they
# must stay compatible with the previous release (expand, then contract in a later release).
#
# Environment: SMOKE_BASE_URL (required), BACKUP_IMAGE (required when the overlay includes the backup
# Component: docker.io/library/postgres@sha256:<64 hex>, see set-images.sh), NAMESPACE (default: the overlay's), MIGRATE_TIMEOUT seconds
# (default 660: the Job's activeDeadlineSeconds plus a minute), ROLLOUT_TIMEOUT (default 10m),
# KEEP_WORKDIR=1 keeps the rendered manifests, SMOKE_ATTEMPTS / SMOKE_DELAY (see smoke.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/deploy/lib.sh
source "$here/lib.sh"

[[ $# -eq 3 ]] || die "usage: deploy.sh <overlay> <api-image> <web-image>" 2
overlay=${1%/}
require_overlay "$overlay"
api_ref=$(resolve_image_ref osint-api "$2")
web_ref=$(resolve_image_ref osint-web "$3")
backup_ref=""
if overlay_has_backup "$overlay"; then backup_ref=$(resolve_backup_image_ref); fi
require_command kubectl "install it (scripts/deploy/install-kubectl.sh) and point KUBECONFIG at the cluster"
[[ -n "${SMOKE_BASE_URL:-}" ]] || die "SMOKE_BASE_URL is not set (the environment's public URL, for the smoke test)" 2
ns=$(overlay_namespace "$overlay")
migrate_timeout=${MIGRATE_TIMEOUT:-660}
rollout_timeout=${ROLLOUT_TIMEOUT:-10m}
[[ "$migrate_timeout" =~ ^[0-9]+$ ]] || die "MIGRATE_TIMEOUT must be a number of seconds" 2

work=$(mktemp -d "${TMPDIR:-/tmp}/osint-deploy.XXXXXX")
if [[ "${KEEP_WORKDIR:-0}" == 1 ]]; then
  log "work directory kept: $work"
else
  trap 'rm -rf "$work"' EXIT
fi

phase=render
declare -A previous_revision=()

# Rolls every Deployment back to the revision it had before this deploy (recorded in phase 4). Rolling
# back to that exact revision, not just "the previous one", leaves a Deployment this release did not change
# where it was, and a Deployment that did not exist before (first deploy) is reported, not touched.
rollback() {
  local d rev rc=0
  summary "" "Automatic rollback:"
  for d in "${DEPLOYMENTS[@]}"; do
    rev=${previous_revision[$d]:-}
    if [[ -z "$rev" ]]; then
      log "deployment/$d had no revision before this deploy: nothing to roll back to"
      summary "- \`$d\`: no revision before this deploy (first deploy), left as is"
      continue
    fi
    if kubectl -n "$ns" rollout undo "deployment/$d" --to-revision="$rev"; then
      summary "- \`$d\`: rolled back to revision $rev"
    else
      rc=1
      summary "- \`$d\`: **rollback to revision $rev failed**"
    fi
  done
  for d in "${DEPLOYMENTS[@]}"; do
    [[ -n "${previous_revision[$d]:-}" ]] || continue
    kubectl -n "$ns" rollout status "deployment/$d" --timeout="$rollout_timeout" || rc=1
  done
  return "$rc"
}

# fail <message>: reports, rolls back when the Deployments were touched, exits 1.
fail() {
  trap - ERR
  set +e
  log "FAILED in phase '$phase': $1"
  summary "### Deploy to \`$ns\` failed" "" "Phase \`$phase\`: $1" "" \
    "- api: \`$api_ref\`" "- web: \`$web_ref\`" ${backup_ref:+"- backup: \`$backup_ref\`"}
  case "$phase" in
    rollout | smoke)
      if rollback; then
        log "rolled back"
      else
        log "rollback incomplete: check the Deployments by hand (docs/ci-cd.md#rolling-back)"
        summary "" "**The rollback did not complete: check the Deployments by hand.**"
      fi
      ;;
    *)
      summary "" "No Deployment was changed before the failure, so nothing was rolled back."
      ;;
  esac
  exit 1
}
set -E
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

# 1. render ------------------------------------------------------------------------------------------
log "rendering $overlay for namespace $ns"
release=$(bash "$here/set-images.sh" "$overlay" "$api_ref" "$web_ref" "$work/tree")
kubectl kustomize "$release" >"$work/manifests.yaml"
for ref in "$api_ref" "$web_ref" ${backup_ref:+"$backup_ref"}; do
  grep -qF "image: $ref" "$work/manifests.yaml" || fail "rendered manifests do not use $ref"
done
if grep -qF "@$ZERO_DIGEST" "$work/manifests.yaml"; then
  fail "rendered manifests still contain the placeholder digest"
fi

# 2. prepare -----------------------------------------------------------------------------------------
phase=prepare
kubectl apply -f "$work/manifests.yaml" -l 'app.kubernetes.io/component notin (api,worker,web,migrate)' ||
  fail "applying the prerequisites failed"

# 3. migrate -----------------------------------------------------------------------------------------
phase=migrate
kubectl -n "$ns" delete job migrate --ignore-not-found --wait || fail "could not delete the previous migrate Job"
kubectl apply -f "$work/manifests.yaml" -l 'app.kubernetes.io/component=migrate' || fail "applying the migrate Job failed"
deadline=$((SECONDS + migrate_timeout))
migrated=0
while ((SECONDS < deadline)); do
  slice=$((deadline - SECONDS))
  ((slice <= 15)) || slice=15
  if kubectl -n "$ns" wait --for=condition=complete --timeout="${slice}s" job/migrate; then
    migrated=1
    break
  fi
  # `wait --for=condition=complete` does not return when the Job fails: look for that between slices.
  failed=$(kubectl -n "$ns" get job/migrate -o 'jsonpath={.status.conditions[?(@.type=="Failed")].status}' || true)
  [[ "$failed" != True ]] || break
done
if [[ $migrated -ne 1 ]]; then
  kubectl -n "$ns" logs job/migrate --tail=200 || true
  fail "the migrate Job did not complete within ${migrate_timeout}s (its log is above)"
fi

# 4. rollout -----------------------------------------------------------------------------------------
phase=rollout
for d in "${DEPLOYMENTS[@]}"; do
  previous_revision[$d]=$(kubectl -n "$ns" get "deployment/$d" --ignore-not-found \
    -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}' || true)
done
kubectl apply -f "$work/manifests.yaml" -l 'app.kubernetes.io/component!=migrate' || fail "applying the release failed"
for d in "${DEPLOYMENTS[@]}"; do
  kubectl -n "$ns" rollout status "deployment/$d" --timeout="$rollout_timeout" ||
    fail "deployment/$d did not become ready within $rollout_timeout"
done

# 5. smoke -------------------------------------------------------------------------------------------
phase=smoke
bash "$here/smoke.sh" "$SMOKE_BASE_URL" || fail "the smoke test against $SMOKE_BASE_URL failed"

trap - ERR
log "deployed to $ns"
summary "### Deployed to \`$ns\`" "" "- api: \`$api_ref\`" "- web: \`$web_ref\`" \
  ${backup_ref:+"- backup: \`$backup_ref\`"} \
  "- smoke test: \`$SMOKE_BASE_URL\` passed"
