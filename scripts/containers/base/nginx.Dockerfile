# osint-base/nginx:bookworm — stand-in for nginxinc/nginx-unprivileged:1.27-bookworm, from
# Debian's nginx 1.22 (the bookworm version). Runs as nginx (uid/gid 101), listens on 8080,
# pid in /tmp. Dockerfiles supply the site config: COPY it to /etc/nginx/conf.d/default.conf
# (replaces the placeholder), or a template to /etc/nginx/templates/*.template (envsubst'ed
# into conf.d at start), or a whole /etc/nginx/nginx.conf.
ARG BASE_IMAGE=osint-base/debian:bookworm
FROM ${BASE_IMAGE}

RUN set -eux; \
    groupadd --system --gid 101 nginx; \
    useradd --system --uid 101 --gid nginx --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin nginx; \
    apt-get update; \
    apt-get install -y --no-install-recommends nginx gettext-base; \
    rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/*.log; \
    rm -f /etc/nginx/sites-enabled/default /etc/nginx/nginx.conf; \
    mkdir -p /var/cache/nginx /var/lib/nginx /var/log/nginx /etc/nginx/templates /docker-entrypoint.d /usr/share/nginx/html; \
    ln -sf /dev/stdout /var/log/nginx/access.log; \
    ln -sf /dev/stderr /var/log/nginx/error.log

COPY etc/nginx/ /etc/nginx/
COPY docker-entrypoint.sh /docker-entrypoint.sh
COPY docker-entrypoint.d/ /docker-entrypoint.d/
COPY html/ /usr/share/nginx/html/

# Writable for uid 101: caches/temp dirs, conf.d (templates are rendered there), and /run
# (group nginx, sticky) for configs that keep `pid /run/nginx.pid;`.
RUN set -eux; \
    chmod 755 /docker-entrypoint.sh /docker-entrypoint.d/*.sh; \
    chown -R nginx:nginx /var/cache/nginx /var/lib/nginx /var/log/nginx /etc/nginx/conf.d /etc/nginx/templates; \
    chown root:nginx /run; chmod 1775 /run; \
    # config test as uid 101, output to a file it owns (the build's stdio pipes are root's)
    setpriv --reuid=nginx --regid=nginx --init-groups sh -c 'nginx -t >/tmp/nginx-t.log 2>&1' || { cat /tmp/nginx-t.log; exit 1; }; \
    rm -rf /tmp/* /var/cache/nginx/* /var/lib/nginx/*

USER 101
EXPOSE 8080
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
