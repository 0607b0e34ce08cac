#!/usr/bin/env bash
# Starts the dev container's own Docker Engine (Debian's docker.io, installed in the image) when the
# container is privileged, as devcontainer.json runs it; kind's cluster nodes, the ctlptl registry and
# Tilt's image builds use it. Nothing touches the host's Docker.
#
#   docker-engine.sh     exit 0: the engine answers, or the container is unprivileged (said, nothing done)
#                        exit 1: privileged, but the engine did not come up (its log is printed)
#
# Run as the remote user (sudo, no password) by post-create.sh, i.e. from postCreateCommand and, after
# a restart, postStartCommand. Idempotent. The engine itself is started by
# scripts/containers/engine.sh (storage driver and iptables fallbacks; ENGINE_EXTRAS=0: docker.io is in
# the image, so no apt-get runs and nothing else is installed), logging to /tmp/dockerd.log;
# /var/lib/docker is a volume (devcontainer.json "mounts"), since overlay2 cannot stack on the
# container's own overlay root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
say() { echo "docker-engine: $*"; }

# Privileged = every capability in the bounding set (CapBnd: the remote user's own CapEff is empty)
# and /sys mounted read-write; an unprivileged container has neither.
privileged() {
  local bnd
  bnd="$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)"
  # CAP_SYS_ADMIN (21) and CAP_NET_ADMIN (12) are outside Docker's default set.
  (( (16#$bnd >> 21) & 1 )) && (( (16#$bnd >> 12) & 1 )) || return 1
  grep -qE '^\S+ /sys \S+ rw[ ,]' /proc/mounts
}

if docker info >/dev/null 2>&1; then
  say "engine already running ($(docker info --format 'server {{.ServerVersion}}, storage {{.Driver}}'))"
  exit 0
fi
if ! privileged; then
  say "unprivileged container: no Docker engine here (ci/devcontainer.json, or a host that refused --privileged)."
  say "Tilt's kind cluster needs .devcontainer/devcontainer.json, which runs the container privileged."
  exit 0
fi

# cgroup v2 (Codespaces, current distributions): the container's cgroup root may hold processes, and a
# cgroup with processes cannot delegate controllers to the child cgroups dockerd creates. Move every
# process into a leaf cgroup and enable all controllers for children (what moby's hack/dind does).
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  sudo sh -c '
    mkdir -p /sys/fs/cgroup/init
    xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true
    sed -e "s/ / +/g" -e "s/^/+/" < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
  '
fi

if ! sudo ENGINE_EXTRAS=0 DOCKERD_LOG=/tmp/dockerd.log bash "$repo/scripts/containers/engine.sh"; then
  say "the engine did not start; last lines of /tmp/dockerd.log:"
  sudo tail -n 20 /tmp/dockerd.log >&2 || true
  exit 1
fi
# The socket is root:docker 0660 and the remote user is in the docker group.
docker info --format 'docker-engine: up (server {{.ServerVersion}}, storage {{.Driver}})'
