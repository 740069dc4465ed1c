#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installs the Debian packages gifctl needs to build, test and demo; does nothing when all are there.
set -e
PKGS="make gcc clang llvm pkg-config libbpf-dev bpftool libmnl-dev libjson-c-dev libelf-dev
zlib1g-dev iproute2 ethtool tcpdump iputils-ping python3-scapy util-linux procps man-db
libclang-rt-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
