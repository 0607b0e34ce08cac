#!/bin/sh
# osint-base/nginx entrypoint, as the official nginx images': when the command is nginx,
# run the executable /docker-entrypoint.d/*.sh in name order first (set
# NGINX_ENTRYPOINT_QUIET_LOGS=1 to silence them), then exec the command.
set -e
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
  for f in /docker-entrypoint.d/*.sh; do
    [ -e "$f" ] || continue
    if [ -x "$f" ]; then
      [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: running $f"
      "$f"
    else
      [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: ignoring $f, not executable"
    fi
  done
fi
exec "$@"
