#!/usr/bin/env bash
# Builds the fastintent container image from scratch with podman (docs/deploy.md, deploy/container/Containerfile).
# No image registry is needed: the base image is Debian bookworm made by mmdebstrap (--variant=minbase) from Debian's
# mirrors and imported into podman; the build stage installs its compiler and -dev packages from the same mirrors.
#
#   scripts/container_build.sh [--tag NAME] [--model DIR] [--fresh] [--jobs N]
#     --tag NAME   image name (default localhost/fastintent:latest; with --model: localhost/fastintent:latest-model)
#     --model DIR  bake the model directory DIR into the image at /models/default (target serve-with-model);
#                  without it the image has no model and one is mounted at run time
#     --fresh      a build from nothing: remake the base image, no podman layer cache, no compiler cache
#                  (without it, unchanged layers are reused and the build stage's ccache speeds up recompiling)
#     --jobs N     compile jobs in the build stage (default FASTINTENT_JOBS or 2)
#
# Podman here: runtime runc (crun fails on this machine's cgroups), explicit nofile/nproc limits, host network.
# Prerequisites (podman, mmdebstrap, runc, uidmap) are installed from Debian if missing; ONNX Runtime comes from
# scripts/fetch_onnxruntime.sh (sha256-pinned). Prints the image size and the time each step took.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/lib/podman.sh"

tag=""
model=""
fresh=0
jobs="${FASTINTENT_JOBS:-2}"
while (($#)); do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "container_build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -n "$model" && ! -f "$model/config.json" ]]; then
  echo "container_build.sh: --model $model: expected a model directory with config.json" >&2
  exit 2
fi
[[ -n "$tag" ]] || tag="localhost/fastintent:latest${model:+-model}"
base_image="localhost/fastintent-base:bookworm"
work="${FASTINTENT_CONTAINER_WORK:-$root/build/container}"
started=$SECONDS
step() { printf '\n== [%4ds] %s\n' "$((SECONDS - started))" "$*"; }

step "prerequisites"
missing=()
for pkg in podman mmdebstrap runc uidmap; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
bash scripts/fetch_onnxruntime.sh

mkdir -p "$work"
if ((fresh)) || ! fi_podman image exists "$base_image"; then
  step "base image $base_image: mmdebstrap --variant=minbase bookworm"
  rm -f "$work/rootfs.tar"
  mmdebstrap --variant=minbase --quiet bookworm "$work/rootfs.tar" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
  fi_podman import --quiet --message "Debian bookworm minbase (mmdebstrap)" "$work/rootfs.tar" "$base_image" > /dev/null
  rm -f "$work/rootfs.tar"
else
  step "base image $base_image: present (--fresh remakes it)"
fi

step "build context"
context="$work/context"
rm -rf "$context"
mkdir -p "$context/docs" "$context/third_party" "$context/deploy"
cp -r CMakeLists.txt cmake include src "$context/"
cp docs/openapi.json "$context/docs/"
cp -r "$(cd third_party/onnxruntime && pwd -P)" "$context/third_party/onnxruntime"  # third_party may be a link
rm -f "$context/third_party/onnxruntime/.fastintent-installed"
cp -r deploy/container "$context/deploy/"
build_args=(--build-arg "BASE_IMAGE=$base_image" --build-arg "BUILD_JOBS=$jobs")
if [[ -n "$model" ]]; then
  cp -rL "$model" "$context/model"
  chmod -R a+rX "$context/model"
  build_args+=(--target serve-with-model --build-arg MODEL_DIR=model)
fi
du -sh "$context" | sed 's/^/context: /'

step "podman build -> $tag"
cache_args=()
((fresh)) && cache_args+=(--no-cache --build-arg COMPILER_CACHE=off)
# --format docker: the OCI image format has no HEALTHCHECK.
nice "${FI_PODMAN[@]}" build "${FI_PODMAN_RUN_ARGS[@]}" "${cache_args[@]}" --format docker --layers \
  -f "$context/deploy/container/Containerfile" "${build_args[@]}" -t "$tag" "$context"

step "done"
size="$(fi_podman image inspect --format '{{.Size}}' "$tag")"
awk -v t="$tag" -v s="$size" -v d="$((SECONDS - started))" \
  'BEGIN { printf "image %s: %d bytes (%.1f MB), built in %d s\n", t, s, s / 1e6, d }'
