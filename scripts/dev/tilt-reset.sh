#!/bin/sh
# Reset the Tilt loop's development data: the Tiltfile's "Reset dev data" button (postgres resource).
#
#   CONFIRM_RESET=yes sh scripts/dev/tilt-reset.sh
#
# Drops and recreates the `osint` database in the dev cluster's PostgreSQL pod (WITH (FORCE): api and
# worker connections are closed; their pools reconnect), empties Redis (cache, queues, rate limits), then
# applies the migrations and loads the development seed from the api pod, which carries db/ and tsx.
# Without CONFIRM_RESET=yes (the button's confirmation input, which Tilt passes as this variable) it
# deletes nothing and exits 1. Export files on the `exports` volume are left alone.
#
# Environment: OSINT_DEV_NAMESPACE (default osint-dev), KUBECTL (default kubectl).
set -eu

ns="${OSINT_DEV_NAMESPACE:-osint-dev}"
kubectl="${KUBECTL:-kubectl}"

if [ "${CONFIRM_RESET:-}" != "yes" ]; then
  echo "reset: nothing deleted. Open the button's options (the arrow next to it), tick" >&2
  echo "  'Yes, delete all development data' and click again (CONFIRM_RESET=yes)." >&2
  exit 1
fi

step() { echo "reset: $*"; }

step "dropping and recreating database osint (namespace $ns)"
"$kubectl" -n "$ns" exec statefulset/postgres -c postgres -- \
  psql -U osint -d postgres -v ON_ERROR_STOP=1 \
  -c 'DROP DATABASE IF EXISTS osint WITH (FORCE)' \
  -c 'CREATE DATABASE osint OWNER osint'

step "emptying Redis"
"$kubectl" -n "$ns" exec statefulset/redis -c redis -- redis-cli FLUSHALL

step "applying the migrations"
"$kubectl" -n "$ns" exec deploy/api -c api -- npm run --silent db:migrate

step "loading the development seed"
"$kubectl" -n "$ns" exec deploy/api -c api -- npm run --silent db:seed

step "done: sign in as alice@example.com / osint-dev-password"
