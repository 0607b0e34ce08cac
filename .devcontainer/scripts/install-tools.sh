#!/usr/bin/env bash
# Downloads the dev container's pinned tools and verifies each against the sha256 in the versions file.
# Run by .devcontainer/Dockerfile as root; also usable by hand on a Debian/Ubuntu machine.
#
#   install-tools.sh [VERSIONS_FILE] [DEST_DIR]     (defaults: ../tool-versions.env, /usr/local/bin)
#
# Every download is checked twice: against the sha256 pinned in the versions file (copied from public
# sources, docs/dev-container.md#where-each-checksum-comes-from) AND against the release's own published
# checksum file (<TOOL>_CHECKSUMS_URL), fetched at build time; both must name the same sha256.
#
# Environment:
#   TOOL_SHA256_OVERRIDES  space-separated KEY=sha256 pairs (e.g. "CTLPTL_SHA256_arm64=<64 hex>") that
#                          stand in for a TODO-verify checksum ONLY (a pinned value is never overridden).
#                          The Dockerfile passes the build arg of the same name. Use a value you compared
#                          with the release's published checksum file yourself; it is still checked
#                          against that file at download time.
#   SKIP_TOOL_DOWNLOADS=1  validate the versions file, download nothing. Only for building the image
#                          where the network reaches no release host (this project's CI); an image
#                          built so lacks tilt/kind/ctlptl/kubectl/k6 and says so in
#                          /usr/local/share/osint-devcontainer/tools-skipped. Never in real use.
#   OSINT_DEVCONTAINER_MARKER_DIR  where that marker goes (tests point it at a temporary directory)
#
# Fails (non-zero, with the reason) on: an unknown architecture, a missing key, a checksum that is not
# 64 hex digits, a checksum still marked TODO-verify, a download whose sha256 differs, a binary that
# does not run. A failure names the tool, the architecture and the fix.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
versions="${1:-$here/../tool-versions.env}"
dest="${2:-/usr/local/bin}"
marker_dir="${OSINT_DEVCONTAINER_MARKER_DIR:-/usr/local/share/osint-devcontainer}"

die() { echo "install-tools.sh: $*" >&2; exit 1; }
[ -r "$versions" ] || die "cannot read versions file $versions"
# shellcheck disable=SC1090
. "$versions"

arch="$(dpkg --print-architecture 2>/dev/null || uname -m)"
case "$arch" in
  amd64 | x86_64) arch=amd64 ;;
  arm64 | aarch64) arch=arm64 ;;
  *) die "unsupported architecture $arch (the versions file pins amd64 and arm64)" ;;
esac

# value KEY: the variable's value; dies when it is not set at all.
value() {
  local key="$1"
  [ -n "${!key+set}" ] || die "$versions: $key is missing"
  printf '%s' "${!key}"
}

# Apply TOOL_SHA256_OVERRIDES to keys still marked TODO-verify (never to a pinned checksum).
for pair in ${TOOL_SHA256_OVERRIDES:-}; do
  key="${pair%%=*}"
  val="${pair#*=}"
  [[ "$key" =~ ^[A-Z0-9]+_SHA256_(amd64|arm64)$ && "$pair" == *=* ]] ||
    die "TOOL_SHA256_OVERRIDES: '$pair' is not <TOOL>_SHA256_<amd64|arm64>=<sha256>"
  [ "${!key-}" = TODO-verify ] ||
    die "TOOL_SHA256_OVERRIDES: $key is pinned in $versions (${!key-unset}); an override only replaces TODO-verify"
  printf -v "$key" '%s' "$val"
  echo "install-tools.sh: $key taken from TOOL_SHA256_OVERRIDES (to be checked against the published checksums)"
done

# published_sum FILE NAME: the sha256 the release's checksum file gives for NAME (a `<sha>  <name>` line;
# a file holding nothing but one sha256, like kubectl.sha256, gives that).
published_sum() {
  local file="$1" name="$2" sum rest
  while read -r sum rest; do
    rest="${rest#\*}"
    if [[ "$sum" =~ ^[0-9a-f]{64}$ ]] && { [ "$rest" = "$name" ] || [ -z "$rest" ]; }; then
      printf '%s' "$sum"
      return 0
    fi
  done <"$file"
  return 1
}

# fill TEMPLATE VERSION ARCH_NAME: replace the {version} / {arch} placeholders.
fill() {
  local s="$1"
  s="${s//\{version\}/$2}"
  s="${s//\{arch\}/$3}"
  printf '%s' "$s"
}

# check every tool's entry before touching the network, so a bad file fails fast and completely.
problems=()
for tool in $TOOLS; do
  up="$(tr '[:lower:]' '[:upper:]' <<<"$tool")"
  for key in "${up}_VERSION" "${up}_URL" "${up}_CHECKSUMS_URL" "${up}_ARCH_${arch}" "${up}_MEMBER" "${up}_SHA256_${arch}"; do
    [ -n "${!key+set}" ] || problems+=("$key is missing")
  done
  sum_key="${up}_SHA256_${arch}"
  sum="${!sum_key-}"
  if [ "$sum" = TODO-verify ]; then
    problems+=("$tool $(value "${up}_VERSION") linux/$arch: checksum is TODO-verify (no two public sources confirmed it) — compare the release's published checksum file yourself and pass TOOL_SHA256_OVERRIDES=\"$sum_key=<sha256>\" (build arg), or pin it in the versions file (docs/dev-container.md, 'Where each checksum comes from')")
  elif ! [[ "$sum" =~ ^[0-9a-f]{64}$ ]]; then
    problems+=("$sum_key is not a sha256 (64 lowercase hex digits): '$sum'")
  fi
done

if [ "${SKIP_TOOL_DOWNLOADS:-0}" = 1 ]; then
  mkdir -p "$marker_dir"
  {
    echo "Tool downloads were SKIPPED (SKIP_TOOL_DOWNLOADS=1) when this image was built."
    echo "This image has no tilt, kind, ctlptl, kubectl (from the versions file) or k6. Rebuild without the flag."
    for p in "${problems[@]}"; do echo "unresolved: $p"; done
  } >"$marker_dir/tools-skipped"
  echo "install-tools.sh: SKIP_TOOL_DOWNLOADS=1 — downloaded nothing for linux/$arch (tools: $TOOLS)."
  for p in "${problems[@]}"; do echo "install-tools.sh: (would fail) $p" >&2; done
  exit 0
fi

if [ "${#problems[@]}" -gt 0 ]; then
  for p in "${problems[@]}"; do echo "install-tools.sh: $p" >&2; done
  die "${#problems[@]} problem(s) in $versions for linux/$arch; nothing was downloaded"
fi

command -v curl >/dev/null || die "curl is required"
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in $TOOLS; do
  up="$(tr '[:lower:]' '[:upper:]' <<<"$tool")"
  version="$(value "${up}_VERSION")"
  arch_name="$(value "${up}_ARCH_${arch}")"
  url="$(fill "$(value "${up}_URL")" "$version" "$arch_name")"
  member="$(fill "$(value "${up}_MEMBER")" "$version" "$arch_name")"
  sum="$(value "${up}_SHA256_${arch}")"
  sums_url="$(fill "$(value "${up}_CHECKSUMS_URL")" "$version" "$arch_name")"
  file="$work/$tool.download"

  echo "install-tools.sh: $tool $version linux/$arch <- $url"
  curl -fsSL --retry 3 --retry-delay 2 -o "$file" "$url" || die "$tool: download failed: $url"
  if ! echo "$sum  $file" | sha256sum --check --status; then
    die "$tool $version linux/$arch: sha256 mismatch (expected $sum, got $(sha256sum "$file" | cut -c1-64)). Do not 'fix' this by pasting the new value: find out why the published file differs."
  fi
  curl -fsSL --retry 3 --retry-delay 2 -o "$work/$tool.sums" "$sums_url" ||
    die "$tool: could not fetch the release's published checksums: $sums_url"
  published="$(published_sum "$work/$tool.sums" "${url##*/}")" ||
    die "$tool $version linux/$arch: ${url##*/} is not listed in the published checksums $sums_url"
  [ "$published" = "$sum" ] ||
    die "$tool $version linux/$arch: the pinned sha256 $sum differs from the release's published $published ($sums_url)"
  if [ -n "$member" ]; then
    tar -xzf "$file" -C "$work" "$member" || die "$tool: $member not found in the archive"
    install -m 0755 "$work/$member" "$dest/$tool"
  else
    install -m 0755 "$file" "$dest/$tool"
  fi
done

# Each binary must run and report the pinned version.
for tool in $TOOLS; do
  up="$(tr '[:lower:]' '[:upper:]' <<<"$tool")"
  version="$(value "${up}_VERSION")"
  case "$tool" in
    kubectl) reported="$("$dest/kubectl" version --client 2>&1)" ;;
    *) reported="$("$dest/$tool" version 2>&1)" ;;
  esac
  grep -qF "$version" <<<"$reported" || die "$tool does not report version $version (it said: ${reported%%$'\n'*})"
done
rm -f "$marker_dir/tools-skipped"
echo "install-tools.sh: installed and verified $TOOLS into $dest (linux/$arch)"
