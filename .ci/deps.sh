#!/bin/sh
# Install the Debian packages flightrec builds, tests and demonstrates with.
# Idempotent: quiet when everything is already there.
set -eu

PACKAGES="
build-essential pkg-config make git
libarchive-dev libzstd-dev zstd zlib1g-dev libjansson-dev
libgraphviz-dev graphviz check
clang llvm libbpf-dev libelf-dev bpftool libclang-rt-14-dev
iproute2 nftables procps psmisc python3 strace linux-perf bpftrace jq
tshark chromium
redis-server redis-tools
libmicrohttpd-dev curl
e2fsprogs util-linux mount
python3-yaml systemd
"

missing=""
for p in $PACKAGES; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "flightrec: deps: missing Debian packages:$missing" >&2
	echo "flightrec: deps: run 'make deps' as root or: sudo apt-get install$missing" >&2
	exit 1
fi

echo "make deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
