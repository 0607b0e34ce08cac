#!/usr/bin/env bash
# Ensure a working Docker engine on this machine.
#
#   scripts/containers/engine.sh            # prints one line saying what it did
#
# 1. If `docker info` already answers, nothing is done.
# 2. Otherwise, as root on Debian: install docker.io (+ docker-compose, debootstrap) from the
#    Debian mirror apt already uses, then start dockerd in the background. The storage driver
#    is dockerd's default (overlay2) unless that fails to come up, then vfs. If the kernel
#    refuses iptables, dockerd is started with --iptables=false (containers then need
#    `--network host` to reach the outside).
# 3. Otherwise exit non-zero with the reason.
#
# Environment:
#   DOCKERD_LOG            log file of the started dockerd (default /var/log/dockerd.log)
#   DOCKERD_STORAGE_DRIVER force a storage driver (overlay2, vfs, ...) instead of probing
#   DOCKERD_WAIT           seconds to wait for the daemon (default 60)
#   ENGINE_EXTRAS=0        install only docker.io when it is missing, not debootstrap and docker-compose
#                          (the dev container's docker-engine.sh: its image has docker.io and needs no apt)
# Idempotent: safe to run any number of times.
set -euo pipefail

log_file="${DOCKERD_LOG:-/var/log/dockerd.log}"
wait_s="${DOCKERD_WAIT:-60}"

die() { echo "engine.sh: $*" >&2; exit 1; }

engine_up() { docker info >/dev/null 2>&1; }

describe() {
  local info bk
  info="$(docker info --format 'server {{.ServerVersion}}, storage driver {{.Driver}}, cgroup {{.CgroupVersion}}' 2>/dev/null)" ||
    info="server unknown"
  # BuildKit (needed for RUN --mount): the buildx plugin, or a 20.10 client's built-in BuildKit.
  if docker buildx version >/dev/null 2>&1; then
    bk="BuildKit via docker buildx"
  else
    bk="no buildx plugin (classic builder only)"
    local c
    for c in /usr/bin/docker /usr/local/bin/docker; do
      case "$("$c" version --format '{{.Client.Version}}' 2>/dev/null)" in
        20.10.*) bk="BuildKit via DOCKER_BUILDKIT=1 $c (built-in in its 20.10 client)"; break ;;
      esac
    done
  fi
  echo "$info; $bk"
}

if command -v docker >/dev/null 2>&1 && engine_up; then
  echo "engine: already running ($(describe)); nothing done"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  die "no Docker engine answers 'docker info' and this is not root, so none can be installed or started here. Start one (e.g. 'sudo dockerd &' or 'sudo systemctl start docker') or re-run as root."
fi
[ -r /etc/debian_version ] || die "no Docker engine running and this is not Debian: install and start Docker by hand."

installed=""
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
if [ "${ENGINE_EXTRAS:-1}" != 0 ]; then
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Lists may be absent or stale on a fresh machine: update once, then install.
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/engine-apt.log 2>&1; then
    apt-get update >>/tmp/engine-apt.log 2>&1 || die "apt-get update failed (see /tmp/engine-apt.log)"
    apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/engine-apt.log 2>&1 ||
      die "apt-get install ${missing[*]} failed (see /tmp/engine-apt.log)"
  fi
  installed="installed ${missing[*]}; "
fi
command -v docker >/dev/null 2>&1 || die "docker client missing after install"

# A dockerd may be starting already (e.g. a concurrent run of this script): give it a chance.
if pgrep -x dockerd >/dev/null 2>&1; then
  for _ in $(seq 1 "$wait_s"); do engine_up && break; sleep 1; done
  if engine_up; then
    echo "engine: ${installed}dockerd was already starting; now up ($(describe))"
    exit 0
  fi
  die "a dockerd process exists but 'docker info' does not answer after ${wait_s}s (see $log_file)"
fi

mkdir -p "$(dirname "$log_file")"

# start_dockerd ARGS...: start dockerd detached; return 0 once `docker info` answers.
start_dockerd() {
  echo "=== $(date -u +%FT%TZ) dockerd $*" >>"$log_file"
  setsid nohup dockerd "$@" >>"$log_file" 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 1 "$wait_s"); do
    engine_up && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
  done
  kill "$pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  return 1
}

attempts=()
if [ -n "${DOCKERD_STORAGE_DRIVER:-}" ]; then
  attempts+=("--storage-driver=${DOCKERD_STORAGE_DRIVER}")
else
  attempts+=("" "--storage-driver=vfs")
fi
for a in "${attempts[@]}"; do
  # shellcheck disable=SC2086  # $a is one flag or empty
  if start_dockerd $a; then
    echo "engine: ${installed}started dockerd ${a:-(default storage driver)} ($(describe)); log: $log_file"
    exit 0
  fi
  # shellcheck disable=SC2086
  if grep -qiE 'iptables|nf_tables' <(tail -n 30 "$log_file") && start_dockerd $a --iptables=false --ip-masq=false; then
    echo "engine: ${installed}started dockerd ${a:-(default storage driver)} --iptables=false ($(describe)); containers need --network host for egress; log: $log_file"
    exit 0
  fi
done
die "dockerd did not come up with any storage driver; last log lines:
$(tail -n 15 "$log_file")"
