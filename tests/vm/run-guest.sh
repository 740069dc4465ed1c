#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest.sh SCRIPT [ARGS...]: run `bash SCRIPT ARGS...` as root inside a qemu guest booted
# with Debian's packaged 6.1 kernel, and exit with its exit status (tests/vm/README.md).
#
# The guest is virtme-style: it has no disk. Its root is the host's / shared read-only over
# virtio-9p, with a RAM (tmpfs) overlay on top, so it runs the host's binaries - the fresh build
# included - and writes nothing back. A second 9p share, writable, is the output directory
# ($VM_OUT, seen as /vmout in the guest: not under /run, which tests may cover with a tmpfs of
# their own): the command to run goes in, the exit status and
# the guest's kernel log come out. The serial console (kernel messages and the script's output)
# is written to $VM_OUT/console.log and streamed here.
#
# The kernel is never installed on the host: `apt-get download linux-image-6.1.0-N-amd64` (the
# newest ABI apt knows), `dpkg-deb -x` into $VM_CACHE/<version>/root, `depmod -b` there. The
# 9p, virtio and overlay drivers are modules in that kernel, so a tiny initramfs (busybox-static
# and those modules) mounts the root; in the guest /lib/modules/<version> is a bind mount of the
# unpacked package, so `modprobe ipip` and the kernel's module autoloading work.
#
# /dev/kvm, where it exists, has no hardware virtualisation behind it on the machines this runs
# on, so qemu uses software emulation (TCG) always. Every step is bounded in time.
#
# Environment (all optional):
#   VM_CACHE    kernel cache directory        (default: build/vm-cache)
#   VM_OUT      output directory, emptied     (default: $VM_CACHE/out)
#   VM_KERNEL   kernel ABI, e.g. 6.1.0-56-amd64 (default: the newest 6.1.0-*-amd64 apt offers,
#               else the newest already in the cache)
#   VM_TIMEOUT  seconds the whole guest may run (default 3600); VM_MEM MiB (2048); VM_SMP (2)
#   VM_QUIET=1  do not stream the console (it is still in $VM_OUT/console.log)
#   VM_ENV      names of environment variables to pass to the script, e.g. "GIFCTL XFER_SIZE"
#   VM_CPU      qemu -cpu model (default max); VM_QEMU_ARGS more qemu arguments (e.g. -trace)
# SCRIPT runs with the guest's own /tmp, /run, /proc, /sys and /dev, so it must live elsewhere.
# shellcheck disable=SC2015 # `a && b || die`: die when either fails, as meant
# shellcheck disable=SC2016 # INIT and STAGE2 are scripts for the guest: expanded there
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VM_CACHE=$(realpath -m "${VM_CACHE:-$ROOT/build/vm-cache}")
VM_OUT=$(realpath -m "${VM_OUT:-$VM_CACHE/out}")
VM_TIMEOUT=${VM_TIMEOUT:-3600}
VM_MEM=${VM_MEM:-2048}
VM_SMP=${VM_SMP:-2}
HOST_PKGS="qemu-system-x86 busybox-static kmod cpio gzip"
# Modules the initramfs loads (their dependencies are added from modules.dep).
INITRD_MODS="virtio_pci 9pnet_virtio 9p overlay"

die() {
	echo "run-guest: $*" >&2
	exit 125
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ $# -ge 1 ] || die "usage: run-guest.sh SCRIPT [ARGS...]"
[ "$(id -u)" -eq 0 ] || die "needs root (apt-get, and the guest shares / as root)"
SCRIPT=$(realpath "$1") || die "no such script: $1"
shift
case $SCRIPT in
/tmp/* | /run/* | /proc/* | /sys/* | /dev/*) die "$SCRIPT: the guest has its own /tmp, /run, /proc, /sys and /dev" ;;
esac

# ---- host packages ---------------------------------------------------------------------------
missing=
for p in $HOST_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=" $p"
done
if [ -n "$missing" ]; then
	echo "run-guest: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	timeout 300 apt-get update -qq
	# shellcheck disable=SC2086 # one package a word
	timeout 900 apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		die "apt-get install$missing failed"
fi

# ---- the kernel --------------------------------------------------------------------------------
# newest_61: the newest linux-image-6.1.0-N-amd64 ABI apt knows (N compared as a number)
newest_61() {
	apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
		sed -nE 's/^linux-image-(6\.1\.0-([0-9]+)-amd64) .*/\2 \1/p' | sort -n | tail -n 1 |
		cut -d' ' -f2
}
# cached_61: the newest kernel already unpacked in the cache
cached_61() {
	find "$VM_CACHE" -maxdepth 2 -name .unpacked 2>/dev/null | sed -E 's|.*/([^/]+)/\.unpacked|\1|' |
		sed -nE 's/^(6\.1\.0-([0-9]+)-amd64)$/\2 \1/p' | sort -n | tail -n 1 | cut -d' ' -f2
}

mkdir -p "$VM_CACHE" || die "cannot create $VM_CACHE"
KVER=${VM_KERNEL:-}
if [ -z "$KVER" ]; then
	KVER=$(newest_61)
	if [ -z "$KVER" ]; then
		timeout 300 apt-get update -qq
		KVER=$(newest_61)
	fi
	[ -n "$KVER" ] || KVER=$(cached_61)
	[ -n "$KVER" ] || die "no linux-image-6.1.0-*-amd64 in apt-cache (after apt-get update) nor in $VM_CACHE"
fi
KDIR=$VM_CACHE/$KVER
KROOT=$KDIR/root
if [ ! -e "$KDIR/.unpacked" ]; then
	echo "run-guest: fetching linux-image-$KVER"
	rm -rf "$KDIR" && mkdir -p "$KDIR/deb" || die "cannot create $KDIR"
	# APT::Sandbox::User=root: the _apt user may not be able to write into the cache
	(cd "$KDIR/deb" && timeout 600 apt-get download -q -o APT::Sandbox::User=root \
		"linux-image-$KVER") || die "apt-get download linux-image-$KVER failed"
	timeout 300 dpkg-deb -x "$KDIR"/deb/linux-image-"$KVER"_*.deb "$KROOT" ||
		die "dpkg-deb -x failed"
	# the package ships no modules.dep (its postinst runs depmod)
	depmod -b "$KROOT" "$KVER" || die "depmod -b $KROOT $KVER failed"
	rm -rf "$KDIR/deb"
	touch "$KDIR/.unpacked"
fi
VMLINUZ=$KROOT/boot/vmlinuz-$KVER
[ -f "$VMLINUZ" ] || die "$VMLINUZ missing (remove $KDIR to refetch)"

# ---- the initramfs -----------------------------------------------------------------------------
# /init: load the modules, mount the 9p root under a tmpfs overlay, the output share and the
# kernel's modules, then switch_root to bash running /run/vm/stage2 (below).
INIT='#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc && mount -t sysfs sysfs /sys && mount -t devtmpfs dev /dev
fail() { echo "vm-init: $*"; echo o >/proc/sysrq-trigger; sleep 30; }
for m in $(cat /modules.order); do insmod "/mod/$m" || fail "insmod $m"; done
mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower ||
	fail "mount of the host root (9p) failed"
mount -t tmpfs -o mode=0755 rw /rw && mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	fail "overlay mount failed"
R=/newroot
mount -t proc proc $R/proc && mount -t sysfs sysfs $R/sys && mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm && mount -t devpts devpts $R/dev/pts && mount -t tmpfs shm $R/dev/shm
ln -sf /proc/self/fd $R/dev/fd && ln -sf fd/0 $R/dev/stdin && ln -sf fd/1 $R/dev/stdout && ln -sf fd/2 $R/dev/stderr
mount -t tmpfs -o mode=0755 run $R/run && mount -t tmpfs -o mode=1777 tmp $R/tmp
mount -t bpf bpf $R/sys/fs/bpf
mount -t tracefs tracefs $R/sys/kernel/tracing 2>/dev/null
mkdir -p $R/vmout && mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 vmout $R/vmout ||
	fail "mount of the output share failed"
. $R/vmout/env
mkdir -p $R/lib/modules/$KVER && mount --bind $R$KROOT/lib/modules/$KVER $R/lib/modules/$KVER ||
	fail "bind mount of /lib/modules/$KVER failed"
mkdir -p $R/run/vm && cp /stage2 $R/run/vm/stage2
exec switch_root $R /bin/bash /run/vm/stage2
'
# stage2, run by the host'"'"'s bash as PID 1 of the new root: run the command, hand back its status and
# the kernel log, power off. PID 1 must never exit (that panics; panic=-1 then ends qemu).
STAGE2='export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb LANG=C.UTF-8
. /vmout/env
hostname gifvm
ip link set lo up
echo "vm: $(uname -r) up after $(cut -d" " -f1 /proc/uptime) s (guest clock)"
cd "$VM_CWD" 2>/dev/null || cd /
timeout -k 10 "$GUEST_TIMEOUT" bash /vmout/cmd </dev/null
rc=$?
dmesg >/vmout/dmesg 2>&1
echo "$rc" >/vmout/rc
sync
echo "vm: command exited $rc, powering off"
echo o >/proc/sysrq-trigger
sleep 60
'
IHASH=$(printf '%s\n' "$INIT" "$STAGE2" "$INITRD_MODS" | sha256sum | cut -c1-12)
INITRD=$KDIR/initramfs-$IHASH.cpio.gz
if [ ! -f "$INITRD" ]; then
	echo "run-guest: building $INITRD"
	T=$(mktemp -d "$KDIR/initrd.XXXXXX") || die "mktemp failed"
	mkdir -p "$T"/{bin,mod,proc,sys,dev} && cp /bin/busybox "$T/bin/busybox" ||
		die "busybox-static missing"
	file -L "$T/bin/busybox" 2>/dev/null | grep -q dynamically && die "/bin/busybox is not static"
	# modprobe --show-depends lists "insmod PATH" in load order, dependencies first
	for m in $INITRD_MODS; do
		modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" ||
			die "module $m not in linux-image-$KVER"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' | while read -r ko; do
		cp "$ko" "$T/mod/" && basename "$ko" >>"$T/modules.order"
	done
	printf '%s' "$INIT" >"$T/init" && printf '%s' "$STAGE2" >"$T/stage2" && chmod +x "$T/init"
	(cd "$T" && find . | cpio -o -H newc --quiet | gzip -1) >"$INITRD.tmp" &&
		mv "$INITRD.tmp" "$INITRD" || die "cpio failed"
	rm -rf "$T"
fi

# ---- the guest -----------------------------------------------------------------------------------
mkdir -p "$VM_OUT" && rm -rf "${VM_OUT:?}"/* || die "cannot prepare $VM_OUT"
GUEST_TIMEOUT=$((VM_TIMEOUT - 60))
{
	printf 'KVER=%q\nKROOT=%q\nVM_CWD=%q\nGUEST_TIMEOUT=%q\n' "$KVER" "$KROOT" "$PWD" "$GUEST_TIMEOUT"
	printf 'export VM_OUT=/vmout VM_KERNEL=%q\n' "$KVER"
	for v in ${VM_ENV:-}; do
		[ -n "${!v+set}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done
} >"$VM_OUT/env"
printf 'exec bash %q' "$SCRIPT" >"$VM_OUT/cmd"
[ $# -gt 0 ] && printf ' %q' "$@" >>"$VM_OUT/cmd"
echo >>"$VM_OUT/cmd"

echo "run-guest: booting $KVER (qemu TCG, $VM_SMP CPUs, $VM_MEM MiB) to run ${SCRIPT#"$ROOT"/} $*"
t0=$(now)
: >"$VM_OUT/console.log"
if [ "${VM_QUIET:-0}" != 1 ]; then
	tail -n +1 -f "$VM_OUT/console.log" &
	TAILPID=$!
fi
# -nodefaults: no NIC, no VGA, no disks; the serial console goes to a file.
# shellcheck disable=SC2086 # VM_QEMU_ARGS: words
timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
	-accel tcg -cpu "${VM_CPU:-max}" -smp "$VM_SMP" -m "$VM_MEM" -nodefaults -no-user-config -no-reboot \
	-display none -monitor none ${VM_QEMU_ARGS:-} \
	-chardev file,id=con,path="$VM_OUT/console.log" -serial chardev:con \
	-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev local,id=vmout,path="$VM_OUT",security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=vmout,mount_tag=vmout \
	-kernel "$VMLINUZ" -initrd "$INITRD" \
	-append "console=ttyS0 panic=-1 mitigations=off quiet loglevel=4 rdinit=/init" \
	>"$VM_OUT/qemu.log" 2>&1 </dev/null
qrc=$?
if [ -n "${TAILPID:-}" ]; then
	sleep 0.3
	kill "$TAILPID" 2>/dev/null
	wait "$TAILPID" 2>/dev/null
fi
secs=$(elapsed "$t0")
boot=$(sed -nE 's/^vm: .* up after ([0-9.]+) s.*/\1/p' "$VM_OUT/console.log" | head -n 1)
if [ ! -s "$VM_OUT/rc" ]; then
	echo "run-guest: the guest ended without an exit status after ${secs}s (qemu exit $qrc$([ $qrc -eq 124 ] && echo ", timed out after ${VM_TIMEOUT}s"))" >&2
	[ -s "$VM_OUT/qemu.log" ] && sed 's/^/  qemu: /' "$VM_OUT/qemu.log" >&2
	[ "${VM_QUIET:-0}" = 1 ] && tail -n 30 "$VM_OUT/console.log" | sed 's/^/  console: /' >&2
	exit 125
fi
rc=$(<"$VM_OUT/rc")
echo "run-guest: $KVER: booted in ${boot:-?}s (guest clock), exit status $rc, ${secs}s in all; console in $VM_OUT/console.log, kernel log in $VM_OUT/dmesg"
exit "$rc"
