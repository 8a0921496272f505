# shellcheck shell=bash disable=SC2034
# Sourced by the container scripts and tests: how podman 4.3 runs on this machine (Debian 12, cgroups v1).
# crun fails on these cgroups, so runc is named; the default nproc/nofile limits are refused, so explicit ones are
# given; the container shares the host's network (no CNI/netavark set-up needed, ports are the host's).
FI_PODMAN=(podman --runtime runc)
FI_PODMAN_RUN_ARGS=(--network host --ulimit nofile=1000:1000 --ulimit nproc=1000:1000)
fi_podman() { "${FI_PODMAN[@]}" "$@"; }
