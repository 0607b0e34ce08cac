#!/usr/bin/env bash
# Build local stand-ins for the public base images (node, postgres, redis, nginx, debian)
# from Debian bookworm packages, for machines that reach a Debian mirror and the npm
# registry but no container registry. See docs/containers-airgap.md.
#
#   scripts/containers/build-base-images.sh [--force] [--tag-public] [--only NAME[,NAME...]]
#   scripts/containers/build-base-images.sh --print-build-args [--tag-public]
#
#   --force             rebuild even when the image's recipe hash is unchanged
#                       (the debootstrap tarball cache is still used)
#   --tag-public        also tag the stand-ins under the public names the Dockerfiles
#                       default to (node:26-bookworm-slim, postgres:15-bookworm, ...)
#   --only LIST         only these images (debian,node,postgres,redis,nginx); their parents
#                       are still built or reused as needed
#   --print-build-args  print the --build-arg line that selects the stand-ins and exit
#
# Environment:
#   OSINT_BASE_BUILD_NETWORK  network for `docker build` (default|host); probed when unset
#   OSINT_BASE_WORKDIR        scratch dir for the rootfs (default /var/tmp)
#
# Every image carries the label $BASE_IMAGE_RECIPE_LABEL = sha256 over this script,
# base-images.env, its recipe (scripts/containers/base/NAME*), its parent image id and its
# inputs (mirror URLs, CA bundle, the pinned Node.js and npm packages). An image whose label matches
# is reused; otherwise it is rebuilt. One line per image is printed:
#   IMAGE  SIZE  built|reused  (seconds)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
self="$here/$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=base-images.env
. "$here/base-images.env"

force=0
tag_public=0
print_args=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --tag-public) tag_public=1 ;;
    --print-build-args) print_args=1 ;;
    --only) only="${2:?--only needs a list}"; shift ;;
    --only=*) only="${1#--only=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$self" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-base-images.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "build-base-images.sh: $*" >&2; exit 1; }
t_start=$(date +%s)
note() { echo "  .. [$(( $(date +%s) - t_start ))s] $*" >&2; }

lower() { tr '[:upper:]' '[:lower:]' <<<"$1"; }
local_name() { local v="${1}_IMAGE_LOCAL"; echo "${!v}"; }
public_name() { local v="${1}_IMAGE_PUBLIC"; echo "${!v}"; }
arg_name() { local v="${1}_IMAGE_ARG"; echo "${!v}"; }

print_build_args() {
  local line="" k
  for k in $BASE_IMAGE_KEYS; do line+=" --build-arg $(arg_name "$k")=$(local_name "$k")"; done
  echo "build args:${line}"
  if [ "$tag_public" = 1 ]; then
    echo "(or none: the public default names are tagged on this engine and resolve to the stand-ins)"
  fi
}

if [ "$print_args" = 1 ]; then print_build_args; exit 0; fi

# --- engine -------------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  "$here/engine.sh" >&2
fi
# The recipes need no BuildKit; the classic builder works with every client (a 28.x client
# without the buildx plugin refuses DOCKER_BUILDKIT=1).
export DOCKER_BUILDKIT=0

cache_dir="$BASE_IMAGE_CACHE_DIR"
mkdir -p "$cache_dir" 2>/dev/null || die "cannot create $cache_dir (run as root)"
# One build at a time on a machine (images and the tarball cache are shared).
exec 9>"$cache_dir/.lock"
flock -w 1800 9 || die "another build-base-images.sh holds $cache_dir/.lock"

# --- selection ----------------------------------------------------------------------------
declare -A want=()
if [ -z "$only" ]; then
  for k in $BASE_IMAGE_KEYS; do want[$k]=1; done
else
  for n in ${only//,/ }; do
    k="$(tr '[:lower:]' '[:upper:]' <<<"$n")"
    [ -n "$(local_name "$k" 2>/dev/null || true)" ] || die "unknown image in --only: $n"
    want[$k]=1
  done
fi
want[DEBIAN]=1 # everything derives from it

# --- helpers ------------------------------------------------------------------------------
image_label() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
human_size() {
  local b
  b="$(docker image inspect --format '{{.Size}}' "$1")"
  awk -v b="$b" 'BEGIN { printf "%.0fMB", b / 1000000 }'
}

# recipe_hash EXTRA FILES...: sha256 over this script, the env file, the given files (sorted
# by path, content + mode) and EXTRA (a string of host inputs).
recipe_hash() {
  local extra="$1"; shift
  {
    echo "extra=$extra"
    for f in "$self" "$here/base-images.env" "$@"; do
      echo "file=${f#"$here"/} mode=$(stat -c %a "$f")"
      if [ -L "$f" ]; then readlink "$f"; else cat "$f"; fi
    done
  } | sha256sum | cut -c1-64
}
recipe_files() { # NAME -> the recipe files of an image, sorted
  local n="$1"
  {
    [ -f "$here/base/$n.Dockerfile" ] && echo "$here/base/$n.Dockerfile"
    [ -d "$here/base/$n" ] && find "$here/base/$n" \( -type f -o -type l \)
  } | LC_ALL=C sort
}

declare -A result=()
report() { # KEY STATUS SECONDS
  local name; name="$(local_name "$1")"
  result[$1]="$(printf '%-34s %7s  %-6s (%ss)' "$name" "$(human_size "$name")" "$2" "$3")"
  echo "${result[$1]}"
}

# --- apt sources of this machine ----------------------------------------------------------
# Pairs "URI SUITE" for Debian bookworm suites, from deb822 *.sources and one-line *.list.
host_apt_pairs() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } print $i, $(i + 1) }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no") { n = split(uris, U, " "); m = split(suites, S, " "); for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print U[a], S[b] } types = uris = suites = ""; enabled = "" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "") }
      key == "types" { types = $0 } key == "uris" { uris = $0 } key == "suites" { suites = $0 } key == "enabled" { enabled = tolower($0) }
      END { flush() }' "$f"
  done
}
mapfile -t apt_pairs < <(host_apt_pairs | awk '$2 ~ /^bookworm(-updates|-security|\/updates)?$/' | sort -u)
mirror=""
for p in "${apt_pairs[@]}"; do
  [ "${p#* }" = bookworm ] && { mirror="${p%% *}"; break; }
done
[ -n "$mirror" ] || { mirror="http://deb.debian.org/debian"; note "no bookworm entry in this machine's apt sources; using $mirror"; }
mirror="${mirror%/}"

rootfs_sources() { # deb822 sources for the images: the same URIs and bookworm suites as the host
  local p uri suites
  for uri in $(printf '%s\n' "${apt_pairs[@]}" | awk '{print $1}' | sort -u); do
    suites="$(printf '%s\n' "${apt_pairs[@]}" | awk -v u="$uri" '$1 == u {print $2}' | sort -u | tr '\n' ' ')"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n' "$uri" "${suites% }"
  done
  [ "${#apt_pairs[@]}" -gt 0 ] || printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror"
}

host_ca=/etc/ssl/certs/ca-certificates.crt
[ -s "$host_ca" ] || die "no CA bundle at $host_ca"

# --- debian: debootstrap minbase + docker import -------------------------------------------
build_debian() {
  local name; name="$(local_name DEBIAN)"
  local includes="ca-certificates,tini"
  local arch; arch="$(dpkg --print-architecture)"
  local sources; sources="$(rootfs_sources)"
  local -a files; mapfile -t files < <(recipe_files debian)
  local hash; hash="$(recipe_hash "mirror=$mirror arch=$arch includes=$includes sources=$sources ca=$(sha256sum <"$host_ca")" "${files[@]}")"
  local t0; t0=$(date +%s)
  if [ "$force" = 0 ] && [ "$(image_label "$name" "$BASE_IMAGE_RECIPE_LABEL")" = "$hash" ]; then
    report DEBIAN reused $(( $(date +%s) - t0 )); return
  fi
  command -v debootstrap >/dev/null || die "debootstrap missing: run scripts/containers/engine.sh as root (it installs it) or apt-get install debootstrap"
  [ "$(id -u)" = 0 ] || die "building $name needs root (debootstrap, chroot)"

  local tarball_key; tarball_key="$(echo "bookworm minbase $arch $includes $mirror" | sha256sum | cut -c1-12)"
  local tarball="$cache_dir/debootstrap-bookworm-minbase-$arch-$tarball_key.tgz"
  if [ ! -s "$tarball" ]; then
    note "debootstrap: downloading bookworm minbase .debs from $mirror into $tarball"
    local dl; dl="$(mktemp -d "${OSINT_BASE_WORKDIR:-/var/tmp}/osint-base-dl.XXXXXX")"
    debootstrap --variant=minbase --arch="$arch" --include="$includes" \
      --make-tarball="$tarball.part" bookworm "$dl" "$mirror" >"$cache_dir/debootstrap-download.log" 2>&1 ||
      { rm -rf "$dl"; die "debootstrap --make-tarball failed (see $cache_dir/debootstrap-download.log)"; }
    rm -rf "$dl"
    mv "$tarball.part" "$tarball"
  fi

  rootfs="$(mktemp -d "${OSINT_BASE_WORKDIR:-/var/tmp}/osint-base-rootfs.XXXXXX")"
  chmod 755 "$rootfs" # it is / inside the chroot: apt's _apt user must traverse it
  # The installed minbase system is cached too (second stage ~60 s here): later builds untar
  # it and only apply updates, CAs and trims.
  # The installed and updated minbase system is cached too (second stage + updates take 1-2
  # minutes here): later builds untar it and only apply newer updates, CAs and trims.
  local installed
  installed="$cache_dir/rootfs-bookworm-minbase-$arch-$(echo "$tarball_key $sources" | sha256sum | cut -c1-12).tar"
  if [ -s "$installed" ]; then
    note "rootfs: unpacking cached minbase system $installed"
    tar --numeric-owner --xattrs -xpf "$installed" -C "$rootfs"
  else
    note "debootstrap: installing minbase into $rootfs"
    debootstrap --foreign --variant=minbase --arch="$arch" --include="$includes" \
      --unpack-tarball="$tarball" bookworm "$rootfs" "$mirror" >"$cache_dir/debootstrap.log" 2>&1 ||
      die "debootstrap (first stage) failed (see $cache_dir/debootstrap.log)"
    # dpkg without fsync (as the old official images' docker-apt-speedup): ~30 % faster here.
    cp -a "$here/base/debian/rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup" "$rootfs/etc/dpkg/dpkg.cfg.d/"
    chroot "$rootfs" /debootstrap/debootstrap --second-stage >>"$cache_dir/debootstrap.log" 2>&1 ||
      die "debootstrap (second stage) failed (see $cache_dir/debootstrap.log)"
  fi

  # Chroot work: updates/security suites as on the host, the host's extra CAs, then trims.
  printf '%s\n' "$sources" >"$rootfs/etc/apt/sources.list.d/debian.sources"
  : >"$rootfs/etc/apt/sources.list"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  cp -a "$here/base/debian/rootfs/usr/sbin/policy-rc.d" "$rootfs/usr/sbin/policy-rc.d"
  cp -a "$here/base/debian/rootfs/etc/dpkg/dpkg.cfg.d/." "$rootfs/etc/dpkg/dpkg.cfg.d/"
  mkdir -p "$cache_dir/apt-archives/partial"
  mount -t proc proc "$rootfs/proc"
  mount --bind "$cache_dir/apt-archives" "$rootfs/var/cache/apt/archives"
  note "rootfs: apt-get upgrade (updates/security suites)"
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -qq && apt-get -y -qq -o Dpkg::Options::=--force-confold upgrade' \
    >"$cache_dir/chroot-apt.log" 2>&1 || die "apt-get upgrade in the rootfs failed (see $cache_dir/chroot-apt.log)"
  umount "$rootfs/var/cache/apt/archives"
  umount "$rootfs/proc"
  if [ ! -s "$installed" ]; then
    rm -f "$cache_dir"/rootfs-bookworm-minbase-"$arch"-*.tar # superseded
    tar --numeric-owner --xattrs -C "$rootfs" -cf "$installed.part" . && mv "$installed.part" "$installed"
  fi

  # CAs the host trusts beyond Debian's set (e.g. a TLS-inspecting proxy's), added the Debian
  # way so that `update-ca-certificates` in derived images keeps them.
  # "Known" = Debian's set in the image plus the host's packaged sets (/usr/share/ca-certificates),
  # so roots that a newer ca-certificates dropped are not brought back from an older host.
  local extra_dir="$rootfs/usr/local/share/ca-certificates/osint-host"
  mkdir -p "$extra_dir"
  local known="$rootfs/tmp/known-cas.pem"
  cat "$rootfs/etc/ssl/certs/ca-certificates.crt" >"$known"
  find /usr/share/ca-certificates -name '*.crt' -type f -exec cat {} + >>"$known" 2>/dev/null || true
  awk -v known="$known" -v out="$extra_dir" '
    function norm(s) { gsub(/[ \t\r]/, "", s); return s }
    BEGIN { while ((getline l < known) > 0) { if (l ~ /BEGIN CERT/) { b = ""; inb = 1; continue } if (l ~ /END CERT/) { have[b] = 1; inb = 0; continue } if (inb) b = b norm(l) } }
    /BEGIN CERT/ { b = ""; pem = $0 "\n"; inb = 1; next }
    /END CERT/ { pem = pem $0 "\n"; inb = 0; if (!(b in have)) { n++; f = sprintf("%s/host-extra-%03d.crt", out, n); printf "%s", pem > f; close(f) } next }
    inb { b = b norm($0); pem = pem $0 "\n" }
    END { print n + 0 }' "$host_ca" >"$cache_dir/ca-extra-count"
  rm -f "$known"
  chroot "$rootfs" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the rootfs"
  note "CA: $(cat "$cache_dir/ca-extra-count") certificate(s) of this machine's bundle added to Debian's"

  cp -a "$here/base/debian/rootfs/etc/apt/apt.conf.d/." "$rootfs/etc/apt/apt.conf.d/"
  # Trim: apt lists and caches, docs (but copyright), man/info, translations, logs.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/groff/* "$rootfs"/usr/share/lintian/* \
    "$rootfs"/tmp/* "$rootfs"/var/tmp/* "$rootfs"/var/log/apt/* "$rootfs"/var/log/*.log "$rootfs"/root/.bash_history
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  : >"$rootfs/etc/resolv.conf"
  : >"$rootfs/etc/machine-id" 2>/dev/null || true
  echo "osint-base" >"$rootfs/etc/hostname"

  note "docker import $name"
  local old; old="$(image_id "$name")"
  tar --numeric-owner --xattrs -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf - . |
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' \
      --change "LABEL $BASE_IMAGE_RECIPE_LABEL=$hash org.opencontainers.image.description=\"osint-base: Debian bookworm minbase + ca-certificates + tini (stand-in for $(public_name DEBIAN))\"" \
      - "$name" >/dev/null
  cleanup_rootfs
  [ -z "$old" ] || [ "$old" = "$(image_id "$name")" ] || docker image rm "$old" >/dev/null 2>&1 || true
  report DEBIAN built $(( $(date +%s) - t0 ))
}

rootfs=""
cleanup_rootfs() {
  [ -n "$rootfs" ] && [ -d "$rootfs" ] || return 0
  local m
  for m in var/cache/apt/archives proc; do
    mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m"
  done
  rm -rf --one-file-system "$rootfs"
  rootfs=""
}
ctx=""
node_dist_dir=""
cleanup() {
  cleanup_rootfs
  [ -z "$node_dist_dir" ] || rm -rf "$node_dist_dir"
  [ -z "$ctx" ] || rm -rf "$ctx"
}
trap cleanup EXIT

# --- network for `docker build` ----------------------------------------------------------------
build_network=""
probe_build_network() {
  [ -z "$build_network" ] || return 0
  if [ -n "${OSINT_BASE_BUILD_NETWORK:-}" ]; then build_network="$OSINT_BASE_BUILD_NETWORK"; return; fi
  local hostport; hostport="$(sed -E 's#^[a-z]+://([^/:]+)(:([0-9]+))?.*#\1 \3#' <<<"$mirror")"
  local h="${hostport% *}" p="${hostport#* }"
  [ -n "$p" ] || { case "$mirror" in https:*) p=443 ;; *) p=80 ;; esac; }
  local probe="exec 3<>/dev/tcp/$h/$p"
  if timeout 20 docker run --rm "$(local_name DEBIAN)" bash -c "$probe" >/dev/null 2>&1; then
    build_network=default
  elif timeout 20 docker run --rm --network host "$(local_name DEBIAN)" bash -c "$probe" >/dev/null 2>&1; then
    build_network=host
  else
    die "containers reach $h:$p neither on the default bridge nor with --network host"
  fi
  note "docker build network: $build_network (the mirror $h:$p is reachable from a container that way)"
}

# build_image KEY PARENT_KEY EXTRA_HASH_INPUT PREPARE_FN [BUILD_ARGS...]
# Dockerfile: base/NAME.Dockerfile; context: base/NAME/, or $ctx when PREPARE_FN (run only
# when the image is to be built; "-" for none) sets it.
build_image() {
  local key="$1" parent="$2" extra="$3" prepare="$4"; shift 4
  local n; n="$(lower "$key")"
  local name; name="$(local_name "$key")"
  local parent_name; parent_name="$(local_name "$parent")"
  local -a files; mapfile -t files < <(recipe_files "$n")
  local hash; hash="$(recipe_hash "parent=$(image_id "$parent_name") $extra" "${files[@]}")"
  local t0; t0=$(date +%s)
  if [ "$force" = 0 ] && [ "$(image_label "$name" "$BASE_IMAGE_RECIPE_LABEL")" = "$hash" ]; then
    report "$key" reused $(( $(date +%s) - t0 )); return
  fi
  probe_build_network
  [ "$prepare" = - ] || "$prepare"
  local context="${ctx:-$here/base/$n}"
  local old; old="$(image_id "$name")"
  note "docker build $name"
  local -a cache_flag=()
  [ "$force" = 0 ] || cache_flag=(--no-cache)
  if ! docker build --network "$build_network" --force-rm "${cache_flag[@]}" \
    -f "$here/base/$n.Dockerfile" \
    --build-arg "BASE_IMAGE=$parent_name" "$@" \
    --label "$BASE_IMAGE_RECIPE_LABEL=$hash" \
    -t "$name" "$context" >"$cache_dir/build-$n.log" 2>&1; then
    tail -n 25 "$cache_dir/build-$n.log" >&2
    die "docker build of $name failed (full log: $cache_dir/build-$n.log)"
  fi
  [ -z "$old" ] || [ "$old" = "$(image_id "$name")" ] || docker image rm "$old" >/dev/null 2>&1 || true
  [ -z "$ctx" ] || { rm -rf "$ctx"; ctx=""; }
  report "$key" built $(( $(date +%s) - t0 ))
}

# --- node: Node.js and npm from the npm registry, into the debian image ----------------------
# The official release binary comes as the registry package node-linux-<arch> (bin/node, no npm),
# npm as the `npm` package; versions and sha512 integrities are pinned in base-images.env. `npm pack`
# fetches them through the npm cache and this script checks each tarball's sha512 itself.
build_node() {
  local arch; arch="$(dpkg --print-architecture)"
  local pkg_key="NODE_DIST_PACKAGE_$arch" sri_key="NODE_DIST_INTEGRITY_$arch"
  [ -n "${!pkg_key:-}" ] && [ -n "${!sri_key:-}" ] || die "base-images.env pins no Node.js package for $arch ($pkg_key, $sri_key)"
  command -v npm >/dev/null || die "npm is needed to fetch ${!pkg_key}@$NODE_DIST_VERSION from the registry"
  local node_tgz npm_tgz
  node_tgz="$(fetch_npm_tarball "${!pkg_key}" "$NODE_DIST_VERSION" "${!sri_key}")"
  npm_tgz="$(fetch_npm_tarball npm "$NPM_DIST_VERSION" "$NPM_DIST_INTEGRITY")"

  node_dist_dir="$(mktemp -d "${OSINT_BASE_WORKDIR:-/var/tmp}/osint-base-nodedist.XXXXXX")"
  mkdir -p "$node_dist_dir/node" "$node_dist_dir/npm"
  tar -xzf "$node_tgz" -C "$node_dist_dir/node" --strip-components=1 package/bin/node package/LICENSE
  tar -xzf "$npm_tgz" -C "$node_dist_dir/npm" --strip-components=1
  local node_bin="$node_dist_dir/node/bin/node"
  local node_version; node_version="$("$node_bin" --version)" || die "${!pkg_key} $NODE_DIST_VERSION does not run on this machine"
  [ "$node_version" = "v$NODE_DIST_VERSION" ] || die "${!pkg_key}@$NODE_DIST_VERSION reports $node_version"

  # Shared libraries node needs, by Debian package (installed in the image if missing there).
  # One dpkg -S call for all of them (each call reads the whole dpkg database).
  local -a libs paths=()
  local pkgs lib owners
  mapfile -t libs < <(ldd "$node_bin" | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\/lib/ {print $1}')
  for lib in "${libs[@]}"; do paths+=("$lib" "$(readlink -f "$lib")"); done
  owners="$(dpkg -S "${paths[@]}" 2>/dev/null || true)"
  for lib in "${libs[@]}"; do
    awk -v a="$lib" -v b="$(readlink -f "$lib")" '{ sub(/^[^ ]*: /, "") } $0 == a || $0 == b { f = 1 } END { exit !f }' <<<"$owners" ||
      die "$lib (needed by node $node_version) belongs to no Debian package: cannot reproduce it in the image"
  done
  pkgs="$(sed -E 's/[:,].*//' <<<"$owners" | sed '/^$/d' | sort -u | tr '\n' ' ')"

  # npm's global config is <prefix>/etc/npmrc, prefix = /usr/local for /usr/local/bin/node.
  local reg; reg="$(npm config get registry 2>/dev/null || true)"
  node_npmrc="# osint-base: trust the image's CA bundle (Debian's + this build machine's extra CAs)
cafile=/etc/ssl/certs/ca-certificates.crt
update-notifier=false"
  if [ -n "$reg" ] && [ "$reg" != "https://registry.npmjs.org/" ]; then node_npmrc+=$'\n'"registry=$reg"; fi

  build_image NODE DEBIAN "node=${!pkg_key}@$NODE_DIST_VERSION/${!sri_key} npm=$NPM_DIST_VERSION/$NPM_DIST_INTEGRITY libs=$pkgs npmrc=$node_npmrc" \
    stage_node \
    --build-arg "NODE_LIB_PACKAGES=$pkgs" \
    --build-arg "NODE_VERSION=$NODE_DIST_VERSION" \
    --build-arg "NPM_VERSION=$NPM_DIST_VERSION"
  rm -rf "$node_dist_dir"
  node_dist_dir=""
}

# fetch_npm_tarball NAME VERSION INTEGRITY: path of NAME-VERSION.tgz in the cache, fetched with
# `npm pack` when absent; dies unless its sha512 is the pinned integrity (a Subresource Integrity
# string, as the registry publishes it in dist.integrity).
fetch_npm_tarball() {
  local name="$1" version="$2" want="$3"
  local dir="$cache_dir/npm-dist"
  local file="$dir/$name-$version.tgz"
  mkdir -p "$dir"
  if [ ! -s "$file" ]; then
    note "npm pack $name@$version (npm registry)"
    local tmp; tmp="$(mktemp -d "$dir/.pack.XXXXXX")"
    (cd "$tmp" && npm pack "$name@$version" --silent >/dev/null 2>"$cache_dir/npm-pack.log") ||
      { rm -rf "$tmp"; die "npm pack $name@$version failed (see $cache_dir/npm-pack.log)"; }
    mv "$tmp/$name-$version.tgz" "$file.part" && rm -rf "$tmp"
    mv "$file.part" "$file"
  fi
  local got; got="sha512-$(openssl dgst -sha512 -binary "$file" | base64 -w0)"
  [ "$got" = "$want" ] || { rm -f "$file"; die "$name@$version: sha512 $got differs from the integrity pinned in base-images.env ($want)"; }
  printf '%s' "$file"
}

# Build context for the node image: base/node/ + node and npm from the registry, npmrc.
node_npmrc=""
stage_node() {
  ctx="$(mktemp -d "${OSINT_BASE_WORKDIR:-/var/tmp}/osint-base-node.XXXXXX")"
  cp -a "$here/base/node/." "$ctx/"
  mkdir -p "$ctx/rootfs/usr/local/bin" "$ctx/rootfs/usr/local/lib/node_modules" "$ctx/rootfs/usr/local/etc" \
    "$ctx/rootfs/usr/local/share/doc/node"
  install -m 0755 "$node_dist_dir/node/bin/node" "$ctx/rootfs/usr/local/bin/node"
  cp "$node_dist_dir/node/LICENSE" "$ctx/rootfs/usr/local/share/doc/node/LICENSE"
  cp -a "$node_dist_dir/npm" "$ctx/rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ctx/rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ctx/rootfs/usr/local/bin/npx"
  printf '%s\n' "$node_npmrc" >"$ctx/rootfs/usr/local/etc/npmrc"
}

# --- run ----------------------------------------------------------------------------------
echo "base images (mirror $mirror; storage driver $(docker info --format '{{.Driver}}' 2>/dev/null)):"
build_debian
[ -z "${want[NODE]:-}" ] || build_node
[ -z "${want[POSTGRES]:-}" ] || build_image POSTGRES DEBIAN "" -
[ -z "${want[REDIS]:-}" ] || build_image REDIS DEBIAN "" -
[ -z "${want[NGINX]:-}" ] || build_image NGINX DEBIAN "" -

if [ "$tag_public" = 1 ]; then
  for k in $BASE_IMAGE_KEYS; do
    [ -n "${want[$k]:-}" ] || continue
    docker tag "$(local_name "$k")" "$(public_name "$k")"
    echo "tagged $(local_name "$k") as $(public_name "$k")"
  done
fi
# Earlier stand-ins that only a public tag still held are untagged now: drop them (only images
# carrying this harness's label; those still used by containers or child images stay).
docker image prune -f --filter "label=$BASE_IMAGE_RECIPE_LABEL" >/dev/null 2>&1 || true
print_build_args
echo "total: $(( $(date +%s) - t_start ))s"
