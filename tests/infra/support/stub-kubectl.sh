#!/usr/bin/env bash
# A stand-in for kubectl in the deploy-script tests (tests/infra/deploy.test.ts), installed on PATH as
# `kubectl`. Records every call as one line in $STUB_KUBECTL_LOG (arguments separated by tabs), keeps a copy
# of every file passed to `apply -f` in $STUB_KUBECTL_DIR (apply-<n>.yaml, with the selector beside it),
# delegates `kubectl kustomize` to the real kubectl ($STUB_REAL_KUBECTL) so the rendered manifests are real,
# and answers everything else with canned output. Switches:
#   STUB_FAIL_WAIT=1        `wait` fails (the Job does not complete in time)
#   STUB_JOB_FAILED=1       `get job/… -o jsonpath=…Failed…` answers True (the Job failed)
#   STUB_FAIL_ROLLOUT=<d>   `rollout status deployment/<d>` fails (<d> = api, worker, web or all)
#   STUB_FAIL_APPLY=<sel>   `apply` with a selector containing <sel> fails
#   STUB_REVISION=<n>       the revision `get deployment/… -o jsonpath=…revision…` reports (default 4);
#                           empty: the Deployments do not exist yet
#   STUB_IMAGE_<d>=<ref>    the image `get deployment/<d> -o jsonpath=…image…` reports (default: none)
#   STUB_KUSTOMIZE_CACHE=<dir>  reuse renders of an identical release kustomization (speed only)
set -euo pipefail
: "${STUB_KUBECTL_LOG:?STUB_KUBECTL_LOG must name the call log}"
: "${STUB_KUBECTL_DIR:?STUB_KUBECTL_DIR must name a directory for applied manifests}"

(
  IFS=$'\t'
  printf '%s\n' "$*"
) >>"$STUB_KUBECTL_LOG"

# The verb: the first argument that is not a flag or a flag's value (-n/--namespace take one).
args=("$@")
verb=""
rest=()
i=0
while ((i < ${#args[@]})); do
  a=${args[$i]}
  case "$a" in
    -n | --namespace | --context | --kubeconfig) i=$((i + 2)) ;;
    -*) i=$((i + 1)) ;;
    *)
      verb=$a
      rest=("${args[@]:$((i + 1))}")
      break
      ;;
  esac
done

value_of() { # value_of <flag>: the value of -f X / -l X style flags in the call
  local j
  for ((j = 0; j < ${#args[@]}; j++)); do
    if [[ "${args[$j]}" == "$1" ]]; then
      printf '%s' "${args[$((j + 1))]:-}"
      return
    fi
  done
}

case "$verb" in
  kustomize)
    real=${STUB_REAL_KUBECTL:?STUB_REAL_KUBECTL must name the real kubectl}
    # Optional cache (the same overlay and digests render the same bytes within one test run).
    if [[ -n "${STUB_KUSTOMIZE_CACHE:-}" && -f "${rest[0]:-}/kustomization.yaml" ]]; then
      key=$(sha256sum <"${rest[0]}/kustomization.yaml" | cut -d' ' -f1)
      if [[ ! -f "$STUB_KUSTOMIZE_CACHE/$key.yaml" ]]; then
        mkdir -p "$STUB_KUSTOMIZE_CACHE"
        "$real" "$@" >"$STUB_KUSTOMIZE_CACHE/$key.tmp.$$"
        mv "$STUB_KUSTOMIZE_CACHE/$key.tmp.$$" "$STUB_KUSTOMIZE_CACHE/$key.yaml"
      fi
      exec cat "$STUB_KUSTOMIZE_CACHE/$key.yaml"
    fi
    exec "$real" "$@"
    ;;
  apply)
    selector=$(value_of -l)
    if [[ -n "${STUB_FAIL_APPLY:-}" && "$selector" == *"$STUB_FAIL_APPLY"* ]]; then
      echo "error: stub apply failure for selector $selector" >&2
      exit 1
    fi
    file=$(value_of -f)
    n=$(find "$STUB_KUBECTL_DIR" -maxdepth 1 -name 'apply-*.yaml' | wc -l)
    if [[ -n "$file" ]]; then
      cp "$file" "$STUB_KUBECTL_DIR/apply-$((n + 1)).yaml"
      printf '%s\n' "$selector" >"$STUB_KUBECTL_DIR/apply-$((n + 1)).selector"
    fi
    echo "stub: applied (selector: ${selector:-none})"
    ;;
  delete) echo "stub: deleted" ;;
  wait)
    if [[ "${STUB_FAIL_WAIT:-0}" == 1 ]]; then
      echo "error: timed out waiting for the condition on jobs/migrate" >&2
      exit 1
    fi
    echo "job.batch/migrate condition met"
    ;;
  get)
    joined="${rest[*]}"
    if [[ "$joined" == *Failed* ]]; then
      [[ "${STUB_JOB_FAILED:-0}" != 1 ]] || printf 'True'
    elif [[ "$joined" == *revision* ]]; then
      printf '%s' "${STUB_REVISION-4}"
    elif [[ "$joined" == *.image}* ]]; then
      var="STUB_IMAGE_${rest[0]#deployment/}"
      printf '%s' "${!var:-}"
    fi
    ;;
  rollout)
    sub=${rest[0]:-}
    target=${rest[1]:-}
    if [[ "$sub" == status ]]; then
      fail=${STUB_FAIL_ROLLOUT:-}
      if [[ -n "$fail" && ("$fail" == all || "$target" == "deployment/$fail") ]]; then
        echo "error: $target exceeded its progress deadline" >&2
        exit 1
      fi
      echo "$target successfully rolled out"
    elif [[ "$sub" == undo ]]; then
      echo "$target rolled back"
    fi
    ;;
  logs) echo "stub: migrate log line" ;;
  *) ;;
esac
