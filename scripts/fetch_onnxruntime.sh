#!/usr/bin/env bash
# Installs ONNX Runtime for building and running fastintent into third_party/onnxruntime:
#   include/  C/C++ API headers from Debian trixie's libonnxruntime-dev 1.21 .deb
#   lib/      libonnxruntime.so.1 (1.30.0) from the npm package onnxruntime-node@1.30.0
# The .deb is fetched with `apt-get download` through a private apt configuration (its own
# sources list, state and cache under third_party/.apt), so the system's apt sources are untouched.
# Every download is checked against a pinned sha256. Idempotent: does nothing when already installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${ONNXRUNTIME_ROOT:-$root/third_party/onnxruntime}"
work="$root/third_party/.downloads"

ORT_NPM_VERSION=1.30.0
ORT_NPM_SHA256=6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75
ORT_DEB_VERSION=1.21.0+dfsg-1
ORT_DEB_SHA256=14f7d959d5deacbcf1504830d4189f91fc67382b399ed9ae9d3aa9c4050ced08
ORT_SO_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23

stamp="$dest/.fastintent-installed"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$ORT_NPM_VERSION/$ORT_DEB_VERSION" ]]; then
  echo "onnxruntime: already installed in $dest"
  exit 0
fi

check_sha() {  # file expected
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$got" != "$2" ]]; then
    echo "onnxruntime: sha256 mismatch for $1: got $got, expected $2" >&2
    exit 1
  fi
}

mkdir -p "$work"

# 1. Headers: libonnxruntime-dev from trixie through a private apt configuration.
apt_dir="$root/third_party/.apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc/preferences.d" "$apt_dir/etc/apt.conf.d"
: > "$apt_dir/status"
cat > "$apt_dir/etc/sources.list" <<SOURCES
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
SOURCES
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/etc/sources.list"
  -o "Dir::Etc::SourceParts=-"
  -o "Dir::Etc::Parts=$apt_dir/etc/apt.conf.d"
  -o "Dir::Etc::PreferencesParts=$apt_dir/etc/preferences.d"
  -o "Dir::State=$apt_dir"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::State::status=$apt_dir/status"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Architecture=amd64"
)
deb="$work/libonnxruntime-dev_${ORT_DEB_VERSION}_amd64.deb"
if [[ ! -f "$deb" ]] || [[ "$(sha256sum "$deb" | cut -d' ' -f1)" != "$ORT_DEB_SHA256" ]]; then
  echo "onnxruntime: fetching libonnxruntime-dev $ORT_DEB_VERSION headers (private apt config)"
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" download "libonnxruntime-dev=$ORT_DEB_VERSION")
  mv "$work"/libonnxruntime-dev_*_amd64.deb "$deb" 2>/dev/null || true
fi
check_sha "$deb" "$ORT_DEB_SHA256"

# 2. Runtime: libonnxruntime.so.1 from the npm package.
tgz="$work/onnxruntime-node-$ORT_NPM_VERSION.tgz"
if [[ ! -f "$tgz" ]] || [[ "$(sha256sum "$tgz" | cut -d' ' -f1)" != "$ORT_NPM_SHA256" ]]; then
  echo "onnxruntime: fetching onnxruntime-node@$ORT_NPM_VERSION from npm"
  (cd "$work" && npm pack --silent "onnxruntime-node@$ORT_NPM_VERSION" >/dev/null)
fi
check_sha "$tgz" "$ORT_NPM_SHA256"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/deb"
tar -xzf "$tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
check_sha "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$ORT_SO_SHA256"

rm -rf "$dest"
mkdir -p "$dest/include" "$dest/lib"
hdr="$(dirname "$(find "$tmp/deb" -name onnxruntime_cxx_api.h | head -n1)")"
cp -r "$hdr"/. "$dest/include/"
cp "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$dest/lib/"
ln -sf libonnxruntime.so.1 "$dest/lib/libonnxruntime.so"
echo "$ORT_NPM_VERSION/$ORT_DEB_VERSION" > "$stamp"
echo "onnxruntime: installed headers $ORT_DEB_VERSION and runtime $ORT_NPM_VERSION into $dest"
