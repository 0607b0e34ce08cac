#!/bin/sh
# Assemble a minimal root filesystem for a `FROM scratch` runtime image (docs/decisions/0007).
#
#   rootfs-collect.sh DEST FILE[:TARGET] ...     copy FILE to DEST/TARGET (default: the same path)
#   rootfs-collect.sh DEST --libs-of FILE ...     copy only the shared libraries FILE needs
#
# Every copied file brings the shared libraries `ldd` lists for it (and the dynamic loader), at the
# paths the loader looks them up. Symlinks are dereferenced: the image gets plain files.
#
# So that image scanners (Trivy, Grype, ...) still see which Debian packages the files come from,
# each owning package's dpkg status stanza goes to DEST/var/lib/dpkg/status.d/<package> (the
# distroless layout) and /etc/os-release is copied. Files that belong to no package (e.g. the node
# binary of the official image, installed from a tarball) are just copied.
#
# Runs in a build stage of a Debian-based image (ldd from libc-bin, dpkg, POSIX sh, sed); the result
# is copied with `COPY --from=<stage> DEST/ /`.
set -eu

dest="$1"
shift
mkdir -p "$dest/var/lib/dpkg/status.d" "$dest/etc"
[ -e "$dest/etc/os-release" ] || cp -L /etc/os-release "$dest/etc/os-release"

record_package() { # FILE: the dpkg stanza of the package that owns FILE, if any
  owner="$(dpkg -S "$1" 2>/dev/null || dpkg -S "$(readlink -f "$1")" 2>/dev/null || true)"
  [ -n "$owner" ] || return 0
  pkg="${owner%%: *}"
  name="${pkg%%:*}"
  [ -e "$dest/var/lib/dpkg/status.d/$name" ] && return 0
  dpkg-query -s "$pkg" >"$dest/var/lib/dpkg/status.d/$name" 2>/dev/null ||
    rm -f "$dest/var/lib/dpkg/status.d/$name"
}

copy_file() { # SRC TARGET
  [ -e "$dest$2" ] && return 0
  mkdir -p "$dest$(dirname "$2")"
  cp -L "$1" "$dest$2"
  record_package "$1"
}

copy_libs() { # FILE: its shared libraries (nothing for static binaries and scripts)
  ldd "$1" >/dev/null 2>&1 || return 0
  ldd "$1" | sed -n -e 's/^.*=> \(\/[^ ]*\) (0x.*$/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p' |
    while read -r lib; do
      copy_file "$lib" "$lib"
    done
}

libs_only=0
for arg in "$@"; do
  if [ "$arg" = --libs-of ]; then
    libs_only=1
    continue
  fi
  src="${arg%%:*}"
  target="${arg#*:}"
  [ -e "$src" ] || { echo "rootfs-collect: $src does not exist" >&2; exit 1; }
  [ "$libs_only" = 1 ] || copy_file "$src" "$target"
  copy_libs "$src"
done
