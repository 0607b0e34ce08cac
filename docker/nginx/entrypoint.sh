#!/bin/bash
# osint-web entrypoint. The image has no shell utilities besides bash (ADR 0007), so this uses builtins
# only. It renders /tmp/nginx-upstream.conf, the one piece of configuration that varies:
#   API_UPSTREAM    where /api/ and /readyz go            default http://api:4000 (Compose and k8s Service)
#   NGINX_RESOLVER  unset: resolve API_UPSTREAM's host once at start (k8s: a stable Service IP; the
#                   resolver in glibc honours search domains, so the short name works);
#                   an IP, or `auto` (the first nameserver in /etc/resolv.conf): re-resolve every 10 s,
#                   so a recreated api container is found (Compose); the name must then be one that
#                   DNS answers as is (no search domains).
#   NGINX_REAL_IP_FROM  unset: $remote_addr (sent to the API as X-Forwarded-For) is the peer address.
#                   Comma-separated CIDRs of load balancers in front (an ingress controller's pods): their
#                   X-Forwarded-For is believed (realip module, recursive), so the client's address
#                   reaches the API. Nothing else is ever believed.
# then runs nginx in the foreground, or the given command (e.g. `nginx -T -c /etc/nginx/nginx.conf`).
set -euo pipefail

upstream="${API_UPSTREAM:-http://api:4000}"
if [[ ! $upstream =~ ^http://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:([0-9]{1,5}))?/?$ ]]; then
  echo "osint-web: API_UPSTREAM must look like http://host:port (got '$upstream')" >&2
  exit 64
fi
host="${BASH_REMATCH[1]}"
port="${BASH_REMATCH[3]:-80}"

resolver="${NGINX_RESOLVER:-}"
if [[ $resolver == auto ]]; then
  resolver=""
  while read -r key value _; do
    if [[ $key == nameserver ]]; then resolver="$value"; break; fi
  done </etc/resolv.conf
  [[ -n $resolver ]] || { echo "osint-web: NGINX_RESOLVER=auto but /etc/resolv.conf names no nameserver" >&2; exit 64; }
fi
[[ $resolver != *:* || $resolver == \[* ]] || resolver="[$resolver]"

real_ip_from=()
IFS=',' read -r -a cidrs <<<"${NGINX_REAL_IP_FROM:-}"
for cidr in "${cidrs[@]}"; do
  cidr="${cidr// /}"
  [[ -n $cidr ]] || continue
  if [[ ! $cidr =~ ^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(/[0-9]{1,3})?$ ]]; then
    echo "osint-web: NGINX_REAL_IP_FROM must be comma-separated addresses or CIDRs (got '$cidr')" >&2
    exit 64
  fi
  real_ip_from+=("$cidr")
done

{
  echo "# rendered by the osint-web entrypoint"
  if [[ -n $resolver ]]; then
    echo "resolver $resolver valid=10s ipv6=off;"
    echo "map \$host \$osint_api { default http://$host:$port; }"
  else
    echo "upstream osint_api_static { server $host:$port; keepalive 16; }"
    echo "map \$host \$osint_api { default http://osint_api_static; }"
  fi
  if [[ ${#real_ip_from[@]} -gt 0 ]]; then
    for cidr in "${real_ip_from[@]}"; do echo "set_real_ip_from $cidr;"; done
    echo "real_ip_header X-Forwarded-For;"
    echo "real_ip_recursive on;"
  fi
} >/tmp/nginx-upstream.conf

if [[ $# -gt 0 ]]; then exec "$@"; fi
exec /usr/sbin/nginx -c /etc/nginx/nginx.conf -e stderr -g 'daemon off;'
