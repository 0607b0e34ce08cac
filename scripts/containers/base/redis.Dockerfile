# osint-base/redis:7-bookworm — stand-in for redis:7-bookworm, from Debian's redis-server 7.0.
ARG BASE_IMAGE=osint-base/debian:bookworm
FROM ${BASE_IMAGE}

# uid/gid 999 as in the official image; data in /data (the working directory).
RUN set -eux; \
    groupadd --system --gid 999 redis; \
    useradd --system --uid 999 --gid redis --home-dir /data --no-create-home --shell /usr/sbin/nologin redis; \
    apt-get update; \
    apt-get install -y --no-install-recommends redis-server redis-tools; \
    rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/*.log; \
    mkdir -p /data; chown redis:redis /data; \
    redis-server --version; redis-cli --version

COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh

VOLUME /data
WORKDIR /data
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 6379
CMD ["redis-server"]
