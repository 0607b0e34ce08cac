#!/bin/sh
# osint-base/redis entrypoint, as the official redis image's:
#   - first argument an option (`--appendonly yes`) or a *.conf file -> redis-server ARGS
#   - started as root: chown the working directory (/data) to redis, re-run as redis (uid 999)
#   - protected mode off by default (the official image patches that default into its build):
#     without a config file, `--protected-mode no` is put first, so a later
#     `--protected-mode yes` wins; with a config file, the file decides
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
  find . \! -user redis -exec chown redis '{}' + 2>/dev/null || :
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = 'redis-server' ] && [ "${2%.conf}" = "${2:-}" ]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi

um="$(umask)"
if [ "$um" = '0022' ]; then
  umask 0077
fi

exec "$@"
