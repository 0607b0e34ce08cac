#!/bin/sh
# Database roles (docs/decisions/0021-database-roles.md), created once when the postgres image initialises
# an empty data directory (/docker-entrypoint-initdb.d): the official image and the air-gap stand-in both
# run it, as the bootstrap superuser, against POSTGRES_DB on the init-time server's socket.
#
#   owner   OSINT_OWNER_ROLE (+ OSINT_OWNER_PASSWORD): owns POSTGRES_DB and runs the migrations. Unset,
#           the bootstrap role is the owner (development). Never a superuser when set.
#   runtime osint_app, OSINT_APP_PASSWORD: the API and the worker. Data access only; the migrations run
#           grants it (db/src/roles.ts), INSERT and SELECT only on audit_events.
#   backup  osint_backup, OSINT_BACKUP_PASSWORD: pg_dump. SELECT only (granted by the migrations run),
#           and every transaction read-only by default.
#
# None of them may create roles or databases, replicate, bypass row security, or run programs on the
# server (no membership in pg_execute_server_program, which `COPY … TO PROGRAM` needs).
# k8s/overlays/dev/initdb/10-osint-roles.sh is a byte-for-byte copy (tests/infra/ops-k8s.test.ts).
set -eu

: "${OSINT_APP_PASSWORD:?OSINT_APP_PASSWORD is required (the runtime role's password)}"
: "${OSINT_BACKUP_PASSWORD:?OSINT_BACKUP_PASSWORD is required (the backup role's password)}"

# The passwords reach psql through its environment (\getenv, psql 15), never its command line, which
# every user of the machine can read (`ps`, /proc/<pid>/cmdline); an exported empty value is still defined.
export OSINT_OWNER_PASSWORD="${OSINT_OWNER_PASSWORD:-}"
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set db="$POSTGRES_DB" \
  --set owner="${OSINT_OWNER_ROLE:-}" <<'EOSQL'
\getenv owner_password OSINT_OWNER_PASSWORD
\getenv app_password OSINT_APP_PASSWORD
\getenv backup_password OSINT_BACKUP_PASSWORD
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'owner', :'owner_password')
WHERE :'owner' <> '' AND NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') WHERE :'owner' <> '' \gexec

SELECT format('CREATE ROLE osint_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'app_password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osint_app') \gexec

SELECT format('CREATE ROLE osint_backup LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'backup_password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osint_backup') \gexec
ALTER ROLE osint_backup SET default_transaction_read_only = on;
EOSQL
