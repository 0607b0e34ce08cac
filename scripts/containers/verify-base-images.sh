#!/usr/bin/env bash
# Smoke-test the stand-in base images built by build-base-images.sh, for real:
#   node      node/npm/npx versions, `npm view` against the registry from a container,
#             and a `docker build` FROM the image that runs `npm ci`
#   postgres  first-start init (user/password/db, initdb.d .sql + .sh), `-c` args,
#             pg_isready, select version(), CREATE EXTENSION pg_trgm + pg_stat_statements,
#             password auth over TCP from another container, processes run as uid 999
#   redis     redis-cli ping from another container, server runs as uid 999
#   nginx     a supplied config + a template on 8080, master and workers as uid 101
# Containers, volumes and images it makes are named osint-verify-<pid>-* and removed at exit.
#
#   scripts/containers/verify-base-images.sh [--network host]
#
# Prints one line per check and "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=base-images.env
. "$here/base-images.env"

net=()
if [ "${1:-}" = --network ]; then net=(--network "${2:?--network needs a value}"); fi

tag="osint-verify-$$"
work="$(mktemp -d)"
passed=0
failed=0
cleanup() {
  local c
  for c in $(docker ps -aq --filter "name=^/$tag-" 2>/dev/null); do docker rm -f "$c" >/dev/null 2>&1 || true; done
  docker volume rm "$tag-pgdata" >/dev/null 2>&1 || true
  docker image rm "$tag-npmci" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

check() { # NAME COMMAND...: run, record pass/fail
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then
    passed=$((passed + 1)); echo "ok   $name: $(tail -n 1 <<<"$out" | cut -c1-100)"
  else
    failed=$((failed + 1)); echo "FAIL $name"; tail -n 15 <<<"$out" | sed 's/^/     | /'
  fi
}
wait_for() { # SECONDS COMMAND...
  local s="$1"; shift
  for _ in $(seq 1 "$s"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  "$@"
}
ip_of() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"; }
uids_of() { # CONTAINER COMM: distinct uids of processes named COMM
  docker exec "$1" sh -c 'for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = "'"$2"'" ] && awk "/^Uid:/ {print \$2}" "$p/status"; done | sort -u | tr "\n" " "'
}

for k in NODE POSTGRES REDIS NGINX; do
  v="${k}_IMAGE_LOCAL"
  docker image inspect "${!v}" >/dev/null 2>&1 || { echo "FAIL missing image ${!v}: run build-base-images.sh"; exit 1; }
done

# --- node --------------------------------------------------------------------------------
node_img="$NODE_IMAGE_LOCAL"
check "node: node version" docker run --rm "${net[@]}" "$node_img" node -e 'console.log(process.version)'
check "node: npm version" docker run --rm "${net[@]}" "$node_img" npm --version
check "node: entrypoint passes -e to node" docker run --rm "${net[@]}" "$node_img" -e 'console.log("args ok")'
check "node: npm view (registry + CA from a container)" docker run --rm "${net[@]}" "$node_img" npm view is-number version
mkdir -p "$work/npmci"
cat >"$work/npmci/package.json" <<'EOF'
{ "name": "osint-verify-npmci", "version": "1.0.0", "private": true, "dependencies": { "is-number": "7.0.0" } }
EOF
cat >"$work/npmci/package-lock.json" <<'EOF'
{
  "name": "osint-verify-npmci", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": { "name": "osint-verify-npmci", "version": "1.0.0", "dependencies": { "is-number": "7.0.0" } },
    "node_modules/is-number": {
      "version": "7.0.0",
      "integrity": "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==",
      "engines": { "node": ">=0.12.0" }
    }
  }
}
EOF
cat >"$work/npmci/Dockerfile" <<'EOF'
ARG NODE_IMAGE=node:26-bookworm-slim
FROM ${NODE_IMAGE}
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && node -e 'process.exit(require("is-number")(5) ? 0 : 1)'
USER node
CMD ["node", "-e", "console.log(require('is-number')('7'))"]
EOF
check "node: docker build FROM it with npm ci" \
  docker build -q "${net[@]}" --build-arg "NODE_IMAGE=$node_img" -t "$tag-npmci" "$work/npmci"
check "node: built app runs as node" docker run --rm "$tag-npmci" sh -c 'id -un; node -e "console.log(require(\"is-number\")(\"7\"))"'

# --- postgres ----------------------------------------------------------------------------
mkdir -p "$work/initdb"
printf 'CREATE TABLE verify_marker (id int);\n' >"$work/initdb/01-marker.sql"
# shellcheck disable=SC2016  # expanded by the init script inside the container
printf 'psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c "INSERT INTO verify_marker VALUES (42)"\n' >"$work/initdb/02-insert.sh"
chmod -R a+rX "$work"
pg="$tag-pg"
docker run -d --name "$pg" "${net[@]}" -e POSTGRES_USER=osint -e POSTGRES_PASSWORD=verify-secret -e POSTGRES_DB=osint \
  -e PGPORT="${VERIFY_PGPORT:-5432}" -v "$tag-pgdata:/var/lib/postgresql/data" -v "$work/initdb:/docker-entrypoint-initdb.d:ro" \
  "$POSTGRES_IMAGE_LOCAL" -c shared_preload_libraries=pg_stat_statements -c max_connections=40 >/dev/null
wait_for 60 docker exec "$pg" pg_isready -h 127.0.0.1 -U osint -d osint >/dev/null 2>&1 || true
check "postgres: pg_isready" docker exec "$pg" pg_isready -h 127.0.0.1 -U osint -d osint
check "postgres: select version()" docker exec "$pg" psql -U osint -d osint -Atc 'select version()'
check "postgres: CREATE EXTENSION pg_trgm" docker exec "$pg" psql -v ON_ERROR_STOP=1 -U osint -d osint -Atc "CREATE EXTENSION IF NOT EXISTS pg_trgm; select similarity('osint', 'osints')"
check "postgres: pg_stat_statements preloaded via -c" docker exec "$pg" psql -v ON_ERROR_STOP=1 -U osint -d osint -Atc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; select count(*) >= 0 from pg_stat_statements; show max_connections"
check "postgres: initdb.d .sql and .sh ran" docker exec "$pg" psql -v ON_ERROR_STOP=1 -U osint -d osint -Atc 'select id from verify_marker'
if [ "${net[*]}" = "--network host" ]; then pg_host=127.0.0.1; pg_net=(--network host); else pg_host="$(ip_of "$pg")"; pg_net=(); fi
check "postgres: password auth over TCP" docker run --rm "${pg_net[@]}" -e PGPASSWORD=verify-secret --entrypoint psql "$POSTGRES_IMAGE_LOCAL" \
  -h "$pg_host" -p "${VERIFY_PGPORT:-5432}" -U osint -d osint -Atc 'select current_user'
check "postgres: wrong password refused" sh -c "! docker run --rm ${pg_net[*]} -e PGPASSWORD=nope --entrypoint psql $POSTGRES_IMAGE_LOCAL -h $pg_host -p ${VERIFY_PGPORT:-5432} -U osint -d osint -Atc 'select 1'"
check "postgres: server runs as uid 999" sh -c "test \"\$(docker exec $pg sh -c 'id -u postgres')\" = 999 && test \"$(uids_of "$pg" postgres)\" = '999 ' && echo 'uid 999'"

# --- redis -------------------------------------------------------------------------------
rd="$tag-redis"
docker run -d --name "$rd" "${net[@]}" "$REDIS_IMAGE_LOCAL" >/dev/null
wait_for 20 docker exec "$rd" redis-cli ping >/dev/null 2>&1 || true
check "redis: redis-cli ping" docker exec "$rd" redis-cli ping
if [ "${net[*]}" = "--network host" ]; then rd_host=127.0.0.1; else rd_host="$(ip_of "$rd")"; fi
check "redis: reachable from another container (protected mode off)" docker run --rm "${net[@]}" "$REDIS_IMAGE_LOCAL" redis-cli -h "$rd_host" ping
check "redis: server runs as uid 999 (redis)" sh -c "test \"$(uids_of "$rd" redis-server)\" = '999 ' && echo 'uid 999'"

# --- nginx -------------------------------------------------------------------------------
mkdir -p "$work/nginx"
cat >"$work/nginx/default.conf" <<'EOF'
server {
    listen 8080;
    location /healthz { default_type text/plain; return 200 "nginx ok\n"; }
}
EOF
cat >"$work/nginx/api.conf.template" <<'EOF'
server { listen 8081; location / { default_type text/plain; return 200 "upstream ${VERIFY_UPSTREAM} $request_method\n"; } }
EOF
chmod -R a+rX "$work"
ng="$tag-nginx"
docker run -d --name "$ng" "${net[@]}" -e VERIFY_UPSTREAM=api:3000 \
  -v "$work/nginx/default.conf:/etc/nginx/conf.d/default.conf:ro" \
  -v "$work/nginx/api.conf.template:/etc/nginx/templates/api.conf.template:ro" \
  "$NGINX_IMAGE_LOCAL" >/dev/null
if [ "${net[*]}" = "--network host" ]; then ng_host=127.0.0.1; else ng_host="$(ip_of "$ng")"; fi
fetch() { docker run --rm "${net[@]}" "$NODE_IMAGE_LOCAL" node -e "fetch(process.argv[1]).then(async r => { const t = await r.text(); console.log(r.status, t.trim()); process.exit(r.ok ? 0 : 1) })" "$1"; }
wait_for 20 fetch "http://$ng_host:8080/healthz" >/dev/null 2>&1 || true
check "nginx: supplied config on 8080" fetch "http://$ng_host:8080/healthz"
check "nginx: template rendered with env" fetch "http://$ng_host:8081/"
check "nginx: master and workers run as uid 101" sh -c "test \"$(uids_of "$ng" nginx)\" = '101 ' && echo 'uid 101'"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
