#!/bin/sh
# Reset the Tilt loop's development data: the Tiltfile's "Reset dev data" button (postgres resource).
#
#   CONFIRM_RESET=yes sh scripts/dev/tilt-reset.sh
#
# Drops and recreates the `osint` database in the dev cluster's PostgreSQL pod (WITH (FORCE): api and
# worker connections are closed; their pools reconnect), empties Redis (cache, queues, rate limits), then
# applies the migrations and loads the development seed from the api pod, which carries db/ and tsx.
# The api pod has only the runtime role's DATABASE_URL, which may not create tables
# (docs/decisions/0021-database-roles.md): the migrations run with the owner's MIGRATION_DATABASE_URL,
# read from the osint-secrets Secret as the migrate Job gets it; the seed, like the seed Job, with
# DATABASE_URL. Without CONFIRM_RESET=yes (the button's confirmation input, which Tilt passes as this
# variable) it deletes nothing and exits 1. Export files on the `exports` volume are left alone.
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

# Read before anything is deleted: without it the reset could drop the database and not rebuild it.
migration_url=$("$kubectl" -n "$ns" get secret osint-secrets -o 'jsonpath={.data.MIGRATION_DATABASE_URL}' | base64 -d)
if [ -z "$migration_url" ]; then
  echo "reset: secret osint-secrets in $ns has no MIGRATION_DATABASE_URL; nothing deleted" >&2
  exit 1
fi

step "dropping and recreating database osint (namespace $ns)"
"$kubectl" -n "$ns" exec statefulset/postgres -c postgres -- \
  psql -U osint -d postgres -v ON_ERROR_STOP=1 \
  -c 'DROP DATABASE IF EXISTS osint WITH (FORCE)' \
  -c 'CREATE DATABASE osint OWNER osint'

step "emptying Redis"
"$kubectl" -n "$ns" exec statefulset/redis -c redis -- redis-cli FLUSHALL

step "applying the migrations"
"$kubectl" -n "$ns" exec deploy/api -c api -- env "MIGRATION_DATABASE_URL=$migration_url" npm run --silent db:migrate

step "loading the development seed"
"$kubectl" -n "$ns" exec deploy/api -c api -- npm run --silent db:seed

step "done: sign in as alice@example.com / osint-dev-password"
