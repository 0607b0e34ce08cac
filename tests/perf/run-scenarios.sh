#!/usr/bin/env bash
# Runs every k6 scenario (tests/perf/*.js) against a running stack and writes each summary to
# <results>/<name>.json (the contract: docs/ci-cd.md#performance-baselines). perf.yml calls it.
#
#   tests/perf/run-scenarios.sh compare <base-url> <results-dir>
#   tests/perf/run-scenarios.sh record  <base-url> <results-dir>
#
# compare  A scenario whose baseline is committed (tests/perf/baselines/<name>.json) runs with its k6
#          thresholds (a crossed threshold fails it); one without a baseline runs with --no-thresholds and
#          is reported "measured, not gated": thresholds mean something only once a baseline measured
#          the same way (k6, through nginx, on the runner class CI uses) has been accepted.
# record   Every scenario runs with --no-thresholds; each summary gets a `source` field (date, commit, k6
#          version, machine) and is a proposed baseline: review it, then commit it as
#          tests/perf/baselines/<name>.json.
#
# Environment: BASELINES (default tests/perf/baselines), GITHUB_SHA (the commit, for `source`).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ $# -eq 3 && ( "$1" == compare || "$1" == record ) ]] || {
  echo "usage: run-scenarios.sh compare|record <base-url> <results-dir>" >&2
  exit 2
}
mode=$1
base_url=$2
results=$3
baselines=${BASELINES:-$here/baselines}
command -v k6 >/dev/null || {
  echo "run-scenarios.sh: k6 is not on PATH (the version in .devcontainer/tool-versions.env)" >&2
  exit 1
}

shopt -s nullglob
scenarios=("$here"/*.js)
[[ ${#scenarios[@]} -gt 0 ]] || {
  echo "run-scenarios.sh: no scenarios in $here" >&2
  exit 1
}
mkdir -p "$results"
k6_version=$(k6 version 2>/dev/null | head -n 1)
machine="$(uname -m), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM"

status=0
for scenario in "${scenarios[@]}"; do
  name=$(basename "$scenario" .js)
  out="$results/$name.json"
  args=(run --quiet -e "BASE_URL=$base_url" -e "SUMMARY_JSON=$out")
  if [[ "$mode" == record || ! -f "$baselines/$name.json" ]]; then
    args+=(--no-thresholds)
    [[ "$mode" == record ]] || echo "perf: $name has no baseline ($baselines/$name.json): measured, not gated"
  fi
  echo "::group::k6 $name"
  k6 "${args[@]}" "$scenario" || {
    echo "perf: k6 $name failed"
    status=1
  }
  echo "::endgroup::"
  if [[ "$mode" == record && -f "$out" ]]; then
    SOURCE="recorded by perf.yml (mode record) with $k6_version through nginx ($base_url) on $machine, commit ${GITHUB_SHA:-unknown}, $(date -u +%Y-%m-%dT%H:%MZ)" \
      node -e '
        const fs = require("node:fs");
        const file = process.argv[1];
        const summary = JSON.parse(fs.readFileSync(file, "utf8"));
        fs.writeFileSync(file, JSON.stringify({ source: process.env.SOURCE, ...summary }, null, 2) + "\n");
      ' "$out"
    echo "perf: proposed baseline $out"
  fi
done
exit "$status"
