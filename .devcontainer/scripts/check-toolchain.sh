#!/usr/bin/env bash
# Checks the dev container's toolchain from inside, as the remote user: one line per tool, exit 1 when
# any is missing. Run by `npm run test:devcontainer` (devcontainer exec) and by hand after a rebuild.
#
# The tools install-tools.sh downloads (tilt, kind, ctlptl, kubectl, k6) are reported "skipped offline"
# only when the image was built with SKIP_TOOL_DOWNLOADS=1 (the marker it leaves says so); otherwise a
# missing one fails like any other.
set -uo pipefail

marker=/usr/local/share/osint-devcontainer/tools-skipped
failed=0
line() { printf '  %-14s %s\n' "$1" "$2"; }
check() { # NAME COMMAND...: the first line the command prints, or MISSING
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then line "$name" "${out%%$'\n'*}"; else line "$name" "MISSING (${out%%$'\n'*})"; failed=1; fi
}

echo "toolchain ($(id -un), uid $(id -u)):"
check node node --version
check npm npm --version
check psql psql --version
check redis-server redis-server --version
check redis-cli redis-cli --version
check python3 python3 --version
check git git --version
check docker docker --version
for tool in tilt kind ctlptl kubectl k6; do
  if command -v "$tool" >/dev/null 2>&1; then
    case "$tool" in
      kubectl) check "$tool" kubectl version --client ;;
      *) check "$tool" "$tool" version ;;
    esac
  elif [ -e "$marker" ]; then
    line "$tool" "skipped offline (image built with SKIP_TOOL_DOWNLOADS=1)"
  else
    line "$tool" "MISSING (not on PATH, and the image was built with tool downloads on)"
    failed=1
  fi
done
if docker info >/dev/null 2>&1; then
  line "engine" "$(docker info --format 'Docker Engine {{.ServerVersion}} in the container (storage {{.Driver}})')"
else
  line "engine" "none (unprivileged container)"
fi
exit "$failed"
