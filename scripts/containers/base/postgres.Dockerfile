# osint-base/postgres:15-bookworm — stand-in for postgres:15-bookworm, from Debian's
# postgresql-15 (contrib modules such as pg_trgm and pg_stat_statements are part of it).
# Entrypoint: a subset of the official one (POSTGRES_USER/PASSWORD/DB[_FILE],
# POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD, /docker-entrypoint-initdb.d, `-c k=v` args).
ARG BASE_IMAGE=osint-base/debian:bookworm
FROM ${BASE_IMAGE}

ENV PG_MAJOR=15
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8

# uid/gid 999 as in the official image (Debian's package would pick a dynamic system uid);
# no cluster made at install time (the entrypoint runs initdb into $PGDATA).
RUN set -eux; \
    groupadd --system --gid 999 postgres; \
    useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres; \
    mkdir -p /var/lib/postgresql; chown postgres:postgres /var/lib/postgresql; \
    apt-get update; \
    apt-get install -y --no-install-recommends postgresql-common; \
    sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf; \
    apt-get install -y --no-install-recommends "postgresql-$PG_MAJOR"; \
    rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/*.log; \
    mkdir -p /var/run/postgresql "$PGDATA" /docker-entrypoint-initdb.d; \
    chown postgres:postgres /var/run/postgresql "$PGDATA"; \
    chmod 3777 /var/run/postgresql; chmod 700 "$PGDATA"; \
    postgres --version; pg_isready --version; psql --version; \
    ls /usr/share/postgresql/$PG_MAJOR/extension/pg_trgm.control /usr/share/postgresql/$PG_MAJOR/extension/pg_stat_statements.control

COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh

VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
