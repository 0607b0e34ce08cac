#!/bin/sh
# osint-base/node: same rule as the official node image's entrypoint. The command is run as
# given, unless the first argument is an option (`-e ...`), not a command on PATH, or a
# non-executable file: then it is passed to node.
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
