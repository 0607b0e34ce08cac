#!/bin/sh
# Nightly PostgreSQL backup for the k8s CronJob (k8s/components/backup): the shell twin of
# scripts/db/backup.ts, for an image that has pg_dump but no Node (postgres:15-bookworm).
#   pg_dump custom format -> <name>.partial -> sha256sum sidecar -> rename -> pg_restore --list check
#   -> retention: keep the newest BACKUP_KEEP, drop older than BACKUP_MAX_AGE_DAYS, never the newest.
# Same file names and sidecar format as db:backup, so `npm run db:restore` restores either.
# Environment: DATABASE_URL (required, without a password: the backup role's), PGPASSWORD or PGPASSFILE
# (libpq reads them), BACKUP_DIR (/backups), BACKUP_KEEP (14), BACKUP_MAX_AGE_DAYS (30).
# The password never reaches pg_dump's command line, which every user of the node can read (`ps`,
# /proc/<pid>/cmdline): a URL that carries one is refused.
# tests/integration/restore-drill.test.ts runs this script against a real database.
set -eu

: "${DATABASE_URL:?DATABASE_URL is required}"
case "$DATABASE_URL" in
  *://*:*@* | *[?\&]password=*)
    echo "backup: DATABASE_URL carries a password; give it through PGPASSWORD or PGPASSFILE instead" >&2
    exit 64
    ;;
esac
dir=${BACKUP_DIR:-/backups}
keep=${BACKUP_KEEP:-14}
max_age_days=${BACKUP_MAX_AGE_DAYS:-30}

db=$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://[^/]*/?##; s#[?].*$##')
[ -n "$db" ] || db=postgres
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="osint-$db-$stamp.dump"

umask 077
mkdir -p "$dir"
cd "$dir"
rm -f "$name.partial"
pg_dump --format=custom --compress=6 --file="$name.partial" "$DATABASE_URL"
sum=$(sha256sum "$name.partial" | cut -d' ' -f1)
mv "$name.partial" "$name"
printf '%s  %s\n' "$sum" "$name" >"$name.sha256"
pg_restore --list "$name" >/dev/null
echo "backup: $dir/$name ($(wc -c <"$name") bytes, sha256 $sum)"

# Retention: the timestamp in the name is the sort key (a copied file's mtime lies).
cutoff=""
if [ "$max_age_days" -gt 0 ]; then
  cutoff=$(date -u -d "@$(($(date +%s) - max_age_days * 86400))" +%Y%m%dT%H%M%SZ)
fi
index=0
for f in $(ls -1 | grep -E '^osint-.+-[0-9]{8}T[0-9]{6}Z\.dump$' | sed -E 's/^.*-([0-9]{8}T[0-9]{6}Z)\.dump$/\1 &/' | sort -r | cut -d' ' -f2); do
  index=$((index + 1))
  taken=$(printf '%s' "$f" | sed -E 's/^.*-([0-9]{8}T[0-9]{6}Z)\.dump$/\1/')
  if [ "$index" -gt 1 ] && { [ "$index" -gt "$keep" ] || { [ -n "$cutoff" ] && [ "$taken" \< "$cutoff" ]; }; }; then
    rm -f "$f" "$f.sha256"
    echo "retention: deleted $f"
  fi
done
