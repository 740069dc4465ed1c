#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check-kernels`: boot Debian's 6.1 kernel under qemu (run-guest.sh) and run
# guest-tests.sh inside it. Prints the guest's console as it goes, then the results; the last
# line is "N passed, N failed" (", N skipped" when any), exit status 1 if anything failed or the
# guest did not finish. Environment: as run-guest.sh and guest-tests.sh (GIFCTL, XDP_PASS_OBJ,
# VM_UNIT, VM_E2E, XFER_SIZE, FILE_TIMEOUT are passed into the guest).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export GIFCTL=${GIFCTL:-$ROOT/build/gifctl}
export XDP_PASS_OBJ=${XDP_PASS_OBJ:-$(dirname "$GIFCTL")/tests/xdp_pass.bpf.o}
export VM_ENV="GIFCTL XDP_PASS_OBJ VM_UNIT VM_E2E XFER_SIZE FILE_TIMEOUT ${VM_ENV:-}"
export VM_CACHE=${VM_CACHE:-$ROOT/build/vm-cache}
VM_OUT=$(realpath -m "${VM_OUT:-$VM_CACHE/out}")
export VM_OUT

[ -x "$GIFCTL" ] || { echo "check-kernels: $GIFCTL not built" >&2; exit 1; }
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
echo "check-kernels: $(grep -o 'vm: [^ ]* up after [0-9.]* s' "$VM_OUT/console.log" | head -n 1 |
	sed -E 's/vm: ([^ ]*) up after ([0-9.]*) s/kernel \1, booted in \2 s (guest clock)/'), $((SECONDS - t0)) s in all"
if [ "$failed" -gt 0 ]; then
	echo "Failed:"
	grep '^FAIL ' "$results" | sed 's/^FAIL /    /'
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary+=", $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
