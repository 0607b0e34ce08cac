# Image `osint-web`: the Vite + React front end.
#   dev        Vite dev server on 0.0.0.0:5173 with HMR; /api and /readyz proxied to API_URL
#   production nginx serving web/dist on 8080 as uid 10001; /api/ and /readyz proxied to API_UPSTREAM
#
#   docker build -f docker/web.Dockerfile -t osint-web .                 # production (last stage)
#   docker build -f docker/web.Dockerfile --target dev -t osint-web:dev .
#   npm run stack:build                                                   # both, with the right flags
#
# Needs BuildKit (cache and secret mounts); no `# syntax=` line on purpose (see docker/api.Dockerfile,
# which also explains the npm_ca / npmrc build secrets). Why the production stage is FROM scratch:
# ADR 0007.

ARG NODE_IMAGE=node:26-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-bookworm

# ---------------------------------------------------------------------------------------------------
# node-base and deps: byte-identical to docker/api.Dockerfile's, so BuildKit reuses one cached `npm ci`
# layer for both images (tests/infra/tilt.test.ts compares the two).
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
# dev: Vite with the web sources (Compose bind-mounts web/src, index.html and vite.config.ts over
# them). HMR reaches the browser through the published port; when the host port differs from 5173,
# set VITE_HMR_CLIENT_PORT to it (compose.yaml does).
FROM deps AS dev
COPY --chown=10001:10001 tsconfig.base.json ./
COPY --chown=10001:10001 packages/contracts packages/contracts
COPY --chown=10001:10001 web web
ENV NODE_ENV=development \
    API_URL=http://api:4000
EXPOSE 5173
ENTRYPOINT ["tini", "--"]
CMD ["npm", "run", "dev", "-w", "web", "--", "--host", "0.0.0.0"]
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WEB_PORT||5173)+'/',{signal:AbortSignal.timeout(8000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# ---------------------------------------------------------------------------------------------------
# build: the static bundle in web/dist.
FROM deps AS build
COPY --chown=10001:10001 tsconfig.base.json ./
COPY --chown=10001:10001 packages/contracts packages/contracts
COPY --chown=10001:10001 web web
RUN npm run build -w web

# ---------------------------------------------------------------------------------------------------
# nginx-rootfs: nginx and bash (entrypoint and health check) with their shared libraries, mime.types,
# the project's configuration, passwd/group with uid 10001, and the directories nginx (or the k8s
# emptyDir mounts) use. The configuration is checked here, as the build runs, with a sample upstream.
FROM ${NGINX_IMAGE} AS nginx-rootfs
USER root
COPY docker/rootfs-collect.sh /usr/local/bin/rootfs-collect
COPY docker/nginx/nginx.conf docker/nginx/osint-headers.conf docker/nginx/osint-proxy.conf /rootfs/etc/nginx/
COPY docker/nginx/entrypoint.sh /rootfs/usr/local/bin/osint-web-entrypoint
RUN set -eu; \
    chmod 755 /usr/local/bin/rootfs-collect /rootfs/usr/local/bin/osint-web-entrypoint; \
    chmod 644 /rootfs/etc/nginx/*.conf; \
    rootfs-collect /rootfs "$(command -v nginx):/usr/sbin/nginx" "$(command -v bash):/bin/bash"; \
    cp /etc/nginx/mime.types /rootfs/etc/nginx/mime.types; \
    mkdir -p /rootfs/tmp /rootfs/var/cache/nginx /rootfs/var/run /rootfs/usr/share/nginx/html; \
    chmod 1777 /rootfs/tmp; \
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nosint:x:10001:10001:osint:/tmp:/usr/sbin/nologin\n' >/rootfs/etc/passwd; \
    printf 'root:x:0:\nosint:x:10001:\n' >/rootfs/etc/group; \
    printf 'hosts: files dns\n' >/rootfs/etc/nsswitch.conf; \
    printf 'upstream osint_api_static { server 127.0.0.1:4000; }\nmap $host $osint_api { default http://osint_api_static; }\n' >/tmp/nginx-upstream.conf; \
    cp /rootfs/etc/nginx/osint-*.conf /etc/nginx/; \
    nginx -t -q -e stderr -c /rootfs/etc/nginx/nginx.conf; \
    rm -f /tmp/nginx-upstream.conf /tmp/nginx.pid

# ---------------------------------------------------------------------------------------------------
# production: read-only root filesystem friendly (writes only /tmp), non-root, no package manager.
FROM scratch AS production
COPY --from=nginx-rootfs /rootfs/ /
COPY --from=build --chown=0:0 /app/web/dist /usr/share/nginx/html/
ENV PATH=/usr/sbin:/usr/bin:/bin
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/usr/local/bin/osint-web-entrypoint"]
HEALTHCHECK --interval=10s --timeout=10s --start-period=10s --retries=3 \
  CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 8 _ code _ <&3 && [[ $code == 200 ]]"]
