#!/bin/sh
# make_rootfs.sh BINARY ROOTFS — lays out the runtime image's whole file system in ROOTFS (run in the build stage):
#   usr/local/bin/fastintent   BINARY, stripped of debug information
#   usr/local/bin/healthcheck  the HEALTHCHECK command (busybox wget on /ready)
#   bin/busybox                static busybox: the health check's wget and the Kubernetes preStop sleep; no other
#                              applets are linked, so the image has no shell on its PATH
#   every shared library BINARY loads, as ldd resolves it here (ONNX Runtime stays under /opt/onnxruntime/lib,
#   where the binary's RPATH points), and the dynamic loader
#   etc/passwd, etc/group      user and group `fastintent` (10001); etc/nsswitch.conf for host names
#   models/default, tmp        the model mount point; a scratch directory (a tmpfs under a read-only root)
# Fails if ldd cannot resolve a library, so a missing one is a build error, not a start-up error.
set -eu
bin="$1"
root="$2"
mkdir -p "$root/usr/local/bin" "$root/bin" "$root/etc" "$root/models/default" "$root/tmp"
chmod 1777 "$root/tmp"

# Merged /usr, as in Debian: /lib and /lib64 are links into /usr.
mkdir -p "$root/usr/lib" "$root/usr/lib64"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

if ldd "$bin" | grep -q 'not found'; then
  echo "make_rootfs.sh: unresolved libraries:" >&2
  ldd "$bin" | grep 'not found' >&2
  exit 1
fi
# Lines are "name => /path (addr)" or "/path (addr)" (the loader); linux-vdso has no file.
ldd "$bin" | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' | while read -r lib; do
  dir="$(dirname "$lib")"
  case "$dir" in
    /opt/*) target="$dir" ;;
    *) target="$(readlink -f "$dir")" ;;  # /lib/x86_64-linux-gnu -> /usr/lib/x86_64-linux-gnu
  esac
  mkdir -p "$root$target"
  cp -L "$lib" "$root$target/$(basename "$lib")"
  echo "make_rootfs.sh: $lib -> $target/$(basename "$lib")"
done

cp "$bin" "$root/usr/local/bin/fastintent"
strip --strip-debug "$root/usr/local/bin/fastintent"
cp /bin/busybox "$root/bin/busybox"
cp "$(dirname "$0")/healthcheck" "$root/usr/local/bin/healthcheck"
chmod 0755 "$root/usr/local/bin/fastintent" "$root/usr/local/bin/healthcheck" "$root/bin/busybox"

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
fastintent:x:10001:10001:fastintent:/nonexistent:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
fastintent:x:10001:
GROUP
echo "hosts: files dns" > "$root/etc/nsswitch.conf"

# The binary must start in this file system alone: --help needs every library but no model.
chroot "$root" /usr/local/bin/fastintent serve --help > /dev/null
echo "make_rootfs.sh: $(du -sh "$root" | cut -f1) in $root"
