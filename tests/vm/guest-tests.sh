#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make check-kernels` runs inside the guest (tests/vm/run-guest.sh): does the kernel load
# the datapath (test_load.sh), the unit tests (BPF_PROG_TEST_RUN: the datapath's decisions on this
# kernel; skipped with VM_UNIT=0), the e2e tests that matter most with gifctl on both ends
# ($VM_E2E, default: test_tunnel test_attach test_lock: attach, all four combinations, lock,
# duplicates), then the interop matrix against the kernel's ipip, sit and ip6tnl
# (test_interop.sh; skipped with VM_INTEROP=0, INTEROP_PHASES selects its phases). Every test
# appends "PASS|FAIL|SKIP name" to $GIF_RESULTS; the last line is "N passed, N failed"; exit
# status 1 if anything failed. Also runs on a host whose kernel has the tunnel modules.
#
# Environment: GIFCTL (default build/gifctl; unit_tests is looked for beside it), GIFCTL_FAULT_BIN,
# XDP_PASS_OBJ, VM_UNIT, VM_E2E, VM_INTEROP, INTEROP_PHASES, XFER_SIZE, GIF_TIME_SCALE (default
# 10 in the guest: tests/e2e/lib.sh), FILE_TIMEOUT
# (seconds per test file, default 900), GIF_RESULTS (default: $VM_OUT/results in the guest, else
# a temporary file).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VM=$ROOT/tests/vm
FILE_TIMEOUT=${FILE_TIMEOUT:-900}
VM_E2E=${VM_E2E-test_tunnel test_attach test_lock}
VM_UNIT=${VM_UNIT:-1}
VM_INTEROP=${VM_INTEROP:-1}
export GIFCTL=${GIFCTL:-$ROOT/build/gifctl}
# In the emulated guest (VM_OUT set) everything is ~10x slower: stretch the e2e time limits.
[ -n "${VM_OUT:-}" ] && export GIF_TIME_SCALE=${GIF_TIME_SCALE:-10}
UNIT_TESTS=$(dirname "$GIFCTL")/unit_tests
if [ -z "${GIF_RESULTS:-}" ]; then
	# in the guest, the output share (run-guest.sh); elsewhere a temporary file
	GIF_RESULTS=${VM_OUT:+$VM_OUT/results}
	GIF_RESULTS=${GIF_RESULTS:-$(mktemp /tmp/gif-results.XXXXXX)}
fi
export GIF_RESULTS
touch "$GIF_RESULTS"

KILL_AFTER=30
# shellcheck source=tests/results.sh
source "$ROOT/tests/results.sh"

echo "# kernel $(uname -r), $(nproc) CPUs, gifctl $GIFCTL"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
t_start=$(cut -d' ' -f1 /proc/uptime)

run_file vm/test_load.sh bash "$VM/test_load.sh"
if [ "$VM_UNIT" = 1 ]; then
	if [ -x "$UNIT_TESTS" ]; then
		run_file unit_tests "$UNIT_TESTS"
	else
		echo "SKIP unit_tests ($UNIT_TESTS not built)" | tee -a "$GIF_RESULTS"
	fi
fi
for t in $VM_E2E; do
	run_file "e2e/$t.sh" bash "$ROOT/tests/e2e/$t.sh"
done
if [ "$VM_INTEROP" = 1 ]; then
	run_file vm/test_interop.sh bash "$VM/test_interop.sh"
fi

# what the kernel said while the tests ran (warnings and worse)
warnings=$(dmesg -l emerg,alert,crit,err,warn 2>/dev/null |
	awk -v t="$t_start" '{ s = $0; sub(/^\[ */, "", s); if (s + 0 >= t) print "    " $0 }' |
	grep -v -e 'hrtimer: interrupt took' -e 'clocksource: Long readout' | tail -n 40)	# (emulation is slow)
[ -n "$warnings" ] && printf '# kernel warnings during the tests:\n%s\n' "$warnings"

report_results
