#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Concurrency. Stress: STRESS_PROCS processes run STRESS_OPS random operations each in one namespace (tunnel set
# of one of 5 overlapping pairs on one of 4 overlapping names, i.e. creating and re-addressing;
# the same with an option; tunnel delete; destroy). Every operation exits 0 or 1 (1: one error line),
# never 2 or by a signal; after every one, `gifctl check` exits 0 and prints nothing; at the end
# the maps (read with bpf(2), lib.sh GIF_MAPS_PY) hold no pair twice, every gif_tx entry has its
# device and no gif-named veth lacks one.
# (The lock itself is proved in test_lock.sh.)
# Journal (in a private /run, with STRESS_STALE=700 in `make soak`): changes killed in namespaces
# that are gone since must not keep gifctl from working (each leaves its line in the journal the
# lock file holds).
#
# Environment: STRESS_PROCS (default 16), STRESS_OPS (default 10; `make soak`: 1000),
# STRESS_SEED (default: random; printed, to replay a run), STRESS_STALE (the changes killed for
# the journal test; default 0: none, `make soak`: 700).
source "$(dirname "$0")/lib.sh"

PROCS=${STRESS_PROCS:-16}
OPS=${STRESS_OPS:-10}
SEED=${STRESS_SEED:-$RANDOM}
STALE_N=${STRESS_STALE:-0}
FAULT=${GIFCTL_FAULT_BIN:-$ROOT/build/gifctl-fault}

# ---- stress --------------------------------------------------------------------------------

# One worker, run inside the namespace: OPS operations, each followed by `gifctl check`. Writes
# one line per operation to $LOG: "KIND STATUS", or "BAD ..." for what must not happen.
WORKER='
RANDOM=$SEED
names=(gs0 gs1 gs2 gs3)
for ((i = 0; i < OPS; i++)); do
	n=${names[RANDOM % 4]} r=$((RANDOM % 100)) remote=198.18.0.$((21 + RANDOM % 5))
	if [ $r -lt 45 ]; then
		kind=set op=(tunnel set "$n" 198.18.0.1 "$remote")
	elif [ $r -lt 60 ]; then
		kind=option op=(tunnel set "$n" 198.18.0.1 "$remote" ttl $((1 + RANDOM % 255)))
	elif [ $r -lt 80 ]; then
		kind=delete op=(tunnel delete "$n")
	else
		kind=destroy op=(destroy "$n")
	fi
	"$GIFCTL" "${op[@]}" >/dev/null 2>"$ERRF"
	st=$?
	mapfile -t err <"$ERRF"
	if [ $st -eq 1 ] && { [ ${#err[@]} -ne 1 ] || [[ ${err[0]} != "gifctl: "* ]]; }; then
		echo "BAD ${op[*]}: exit 1, stderr not one gifctl: line: ${err[*]}"
	elif [ $st -gt 1 ]; then
		echo "BAD ${op[*]}: exit $st: ${err[*]}"
	fi
	echo "$kind $st"
	out=$("$GIFCTL" check 2>&1)
	st=$?
	echo "check $st"
	[ $st -eq 0 ] && [ -z "$out" ] || echo "BAD check after ${op[*]}: exit $st: $out"
done >"$LOG"
'

test_stress() {
	local i pids=() rc=0 t0 ms bad
	ns_new A gifA && ns_new B gifB &&
		step ip link add ua netns "$A" type veth peer name ub netns "$B" &&
		step ip -n "$A" addr add 198.18.0.1/24 dev ua && step ip -n "$A" link set ua up &&
		step ns_gifctl "$A" attach ua || fatal "stress setup"
	echo "        $PROCS processes x $OPS operations, seed $SEED"
	t0=$(now_ms)
	for i in $(seq "$PROCS"); do
		SEED=$((SEED * 100 + i)) OPS=$OPS GIFCTL=$GIFCTL LOG=$TMPD/w$i.log ERRF=$TMPD/w$i.err \
			timeout $((60 + OPS * 6)) ip netns exec "$A" bash -c "$WORKER" &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || { note "worker $((i + 1)) exited $?"; rc=1; }
	done
	ms=$(($(now_ms) - t0))
	cat "$TMPD"/w*.log >"$TMPD/all.log"
	# shellcheck disable=SC2016
	awk '$1 != "BAD" && $1 != "check" { n[$1 " " ($2 == 0 ? "ok" : $2 == 1 ? "refused" : "other")]++ }
	     $1 == "check" { c++; if ($2 != 0) cf++ }
	     END { for (k in n) printf "%s=%d ", k, n[k]; printf "\n        checks run %d, failed %d\n", c, cf }' \
		"$TMPD/all.log" | sort | sed 's/^/        ops: /;s/ops:         checks/checks/'
	echo "        $(grep -vc -e '^BAD' -e '^check' "$TMPD/all.log") operations in $((ms / 1000)) s"
	eq "operations run" "$(grep -vc -e '^BAD' -e '^check' "$TMPD/all.log")" $((PROCS * OPS)) ||
		rc=1
	eq "checks run" "$(grep -c '^check' "$TMPD/all.log")" $((PROCS * OPS)) || rc=1
	bad=$(grep -c '^BAD' "$TMPD/all.log")
	[ "$bad" -eq 0 ] || { note "$bad bad results:"; note "$(grep '^BAD' "$TMPD/all.log" | head)"; rc=1; }
	grep -q '^set 0' "$TMPD/all.log" && grep -q '^destroy 0' "$TMPD/all.log" ||
		{ note "no successful set or destroy: the stress did not stress"; rc=1; }
	log_test "stress: $((PROCS * OPS)) ops, each exit 0/1, check clean after every one" $rc

	check_clean "$A" && maps_consistent "$A"
	log_test "stress: at the end check clean, no duplicate pair, no leaked device" $?
	rig_down
}

# in_private_run SCRIPT: run bash SCRIPT in $A with a private tmpfs on /run, so that the lock file
# (and its journal) is a fresh one: the machine's /run/gifctl.lock is never touched
in_private_run() {
	timeout 120 ip netns exec "$A" unshare -m --propagation private bash -c \
		"mount -t tmpfs -o mode=755 gif-test /run && $1"
}

# Interrupted changes in namespaces that no longer exist: each leaves its line in the journal
# (keyed by a netns cookie, which is never reused). STALE_N of them must not keep gifctl from working
# in a live namespace. Every kill is real (a gifctl-fault killed at "begun" in a network namespace
# of its own, which disappears with it), in a private /run: the machine's lock file is not touched.
test_stale_journal() {
	local rc=0
	run in_private_run "$(printf 'export PY=%q FAULT=%q GIFCTL=%q STALE_N=%q\n' "$PY" "$FAULT" \
		"$GIFCTL" "$STALE_N")"'
		"$PY" - "$FAULT" <<"PYEOF"
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)

def attempt():
    """one gifctl-fault killed at "begun" in a new network namespace: (status, stderr)"""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        if libc.unshare(0x40000000):	# CLONE_NEWNET
            os._exit(99)
        os.dup2(w, 2)
        os.execve(sys.argv[1], [sys.argv[1], "tunnel", "delete", "gifx"],
                  dict(os.environ, GIFCTL_FAULT="begun"))
    os.close(w)
    err = os.read(r, 4096).decode(errors="replace").strip()
    os.close(r)
    return os.waitpid(pid, 0)[1], err

# two workers (2 cores), STALE_N / 2 attempts each; each prints one line per distinct outcome
workers = []
for n in range(2):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        seen = {}
        for i in range(int(os.environ["STALE_N"]) // 2):
            st, err = attempt()
            key = "killed" if os.WIFSIGNALED(st) and os.WTERMSIG(st) == 9 else "exit %d" % (st >> 8)
            n_, first = seen.get(key, (0, err))
            seen[key] = (n_ + 1, first)
        os.write(w, repr(seen).encode())
        os._exit(0)
    os.close(w)
    workers.append((pid, r))
total = {}
for pid, r in workers:
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.waitpid(pid, 0)
    for key, (n, first) in eval(data.decode() or "{}").items():
        total[key] = (total.get(key, (0, first))[0] + n, first)
for key, (n, first) in sorted(total.items()):
    print("%s: %d of %s%s" % (key, n, os.environ["STALE_N"], "" if key == "killed" else " (first: %s)" % first))
PYEOF
		echo "journal: $(wc -l </run/gifctl.lock) lines, $(wc -c </run/gifctl.lock) bytes"
		"$GIFCTL" tunnel set gifj 198.18.9.1 198.18.9.2
		echo "tunnel set in a live namespace: exit $?"
		"$GIFCTL" check
		echo "check: exit $?"'
	note "$OUT"
	[ -n "$ERR" ] && note "stderr: $ERR"
	[[ $OUT == *"of $STALE_N"* && $OUT == *"tunnel set in a live namespace: exit 0"* &&
		$OUT == *"check: exit 0"* ]] || rc=1
	log_test "$STALE_N changes interrupted in namespaces now gone: gifctl still works" $rc
}

preflight
snapshot_bin GIFCTL && snapshot_bin FAULT || fatal "cannot copy the binaries"
test_stress
if [ "$STALE_N" -gt 0 ]; then
	ns_new A gifA || fatal "namespace"
	test_stale_journal
else
	echo "        (STRESS_STALE=0: the 700 stale journal lines run in make soak; test_behind.sh fills the journal)"
fi
tests_done
