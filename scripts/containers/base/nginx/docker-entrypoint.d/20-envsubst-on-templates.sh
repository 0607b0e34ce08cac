#!/bin/sh
# As the official image: /etc/nginx/templates/NAME.conf.template -> /etc/nginx/conf.d/NAME.conf,
# substituting only ${VAR}s that are set in the environment (so nginx's own $vars survive).
# NGINX_ENVSUBST_TEMPLATE_DIR / _SUFFIX / NGINX_ENVSUBST_OUTPUT_DIR override the paths.
set -e
template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
[ -d "$template_dir" ] || exit 0
# shellcheck disable=SC2016,SC2046  # literal ${NAME} list, one word per variable name
defined_envs=$(printf '${%s} ' $(env | cut -d= -f1))
find "$template_dir" -follow -type f -name "*$suffix" -print | while read -r template; do
  relative_path="${template#"$template_dir/"}"
  output_path="$output_dir/${relative_path%"$suffix"}"
  mkdir -p "$(dirname "$output_path")"
  [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: $template -> $output_path"
  envsubst "$defined_envs" <"$template" >"$output_path"
done
