#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check-kernels`: boot Debian's 6.1 kernel under qemu (run-guest.sh) and run
# guest-tests.sh inside it. Prints the guest's console as it goes, then the results; the last
# line is "N passed, N failed" (", N skipped" when any), exit status 1 if anything failed or the
# guest did not finish. Environment: as run-guest.sh and guest-tests.sh (GIFCTL, GIFCTL_FAULT_BIN,
# XDP_PASS_OBJ, VM_UNIT, VM_E2E, VM_INTEROP, INTEROP_PHASES, XFER_SIZE, FILE_TIMEOUT are passed into the guest).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GIFCTL=${GIFCTL:-$ROOT/build/gifctl}
BUILD=$(dirname "$GIFCTL")
XDP_PASS_OBJ=${XDP_PASS_OBJ:-$BUILD/tests/xdp_pass.bpf.o}
GIFCTL_FAULT_BIN=${GIFCTL_FAULT_BIN:-$BUILD/gifctl-fault}
export VM_ENV="GIFCTL GIFCTL_FAULT_BIN XDP_PASS_OBJ VM_UNIT VM_E2E VM_INTEROP INTEROP_PHASES XFER_SIZE FILE_TIMEOUT ${VM_ENV:-}"
export VM_CACHE=${VM_CACHE:-$ROOT/build/vm-cache}
VM_OUT=$(realpath -m "${VM_OUT:-$VM_CACHE/out}")
export VM_OUT

[ -x "$GIFCTL" ] || { echo "check-kernels: $GIFCTL not built" >&2; exit 1; }
# The guest reads the host's files while it runs: test a copy of the build, so that a rebuild
# on the host meanwhile cannot change the binaries under the guest. (Not in /tmp: the guest has
# its own.)
mkdir -p "$VM_CACHE"
SNAP=$(mktemp -d "$VM_CACHE/bin.XXXXXX") ||
	{ echo "check-kernels: cannot create a directory in $VM_CACHE" >&2; exit 1; }
trap 'rm -rf "$SNAP"' EXIT
for f in "$GIFCTL" "$GIFCTL_FAULT_BIN" "$BUILD/unit_tests" "$XDP_PASS_OBJ"; do
	[ -f "$f" ] && cp -p "$f" "$SNAP/"
done
export GIFCTL=$SNAP/gifctl	# guest-tests.sh looks for unit_tests beside it
[ -f "$SNAP/${GIFCTL_FAULT_BIN##*/}" ] && export GIFCTL_FAULT_BIN=$SNAP/${GIFCTL_FAULT_BIN##*/}
[ -f "$SNAP/${XDP_PASS_OBJ##*/}" ] && export XDP_PASS_OBJ=$SNAP/${XDP_PASS_OBJ##*/}
# Emptied here too: a run-guest.sh that stops before its own emptying (a checkout under /tmp, no
# root) must not leave an earlier run's results to be reported as this one's.
mkdir -p "$VM_OUT" && rm -rf "${VM_OUT:?}"/* ||
	{ echo "check-kernels: cannot prepare $VM_OUT" >&2; exit 1; }
t0=$SECONDS
"$ROOT/tests/vm/run-guest.sh" "$ROOT/tests/vm/guest-tests.sh"
rc=$?

results=$VM_OUT/results
touch "$results"
if [ ! -s "$VM_OUT/rc" ]; then
	echo "FAIL the guest did not finish (run-guest.sh exit $rc; see $VM_OUT/console.log)" >>"$results"
fi
count() { grep -c "^$1 " "$results"; }
passed=$(count PASS) failed=$(count FAIL) skipped=$(count SKIP)
echo
booted=$(grep -o 'vm: [^ ]* up after [0-9.]* s' "$VM_OUT/console.log" 2>/dev/null | head -n 1 |
	sed -E 's/vm: ([^ ]*) up after ([0-9.]*) s/kernel \1, booted in \2 s (guest clock), /')
echo "check-kernels: $booted$((SECONDS - t0)) s in all"
if [ "$failed" -gt 0 ]; then
	echo "Failed:"
	grep '^FAIL ' "$results" | sed 's/^FAIL /    /'
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary+=", $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
