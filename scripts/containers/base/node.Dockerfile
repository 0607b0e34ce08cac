# osint-base/node:26-bookworm — stand-in for node:26-bookworm-slim.
# Built by scripts/containers/build-base-images.sh, which stages the official Node.js release
# binary (npm registry package node-linux-<arch>) and npm (package `npm`), both pinned with their
# sha512 in base-images.env, under rootfs/ (see build_node there); not buildable alone.
ARG BASE_IMAGE=osint-base/debian:bookworm
FROM ${BASE_IMAGE}

# Debian packages providing the shared libraries `ldd node` lists (resolved on the build machine).
ARG NODE_LIB_PACKAGES=""
ARG NODE_VERSION
ARG NPM_VERSION

# Same user as the official image: node, uid/gid 1000, home /home/node.
RUN set -eux; \
    groupadd --gid 1000 node; \
    useradd --uid 1000 --gid node --shell /bin/bash --create-home node; \
    missing=""; \
    for p in $NODE_LIB_PACKAGES; do \
      dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update; apt-get install -y --no-install-recommends $missing; rm -rf /var/lib/apt/lists/*; \
    fi

# node, npm (+ npx), /usr/local/etc/npmrc (cafile = the image's CA bundle) and the
# official image's entrypoint behaviour.
COPY rootfs/ /

ENV NODE_VERSION=${NODE_VERSION} \
    NPM_VERSION=${NPM_VERSION}

RUN set -eux; \
    chmod 755 /usr/local/bin/docker-entrypoint.sh; \
    node --version; npm --version; npx --version; \
    if [ -e /usr/local/bin/corepack ]; then corepack --version; fi; \
    test "$(npm config get cafile)" = /etc/ssl/certs/ca-certificates.crt; \
    rm -rf /root/.npm /tmp/*

ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
