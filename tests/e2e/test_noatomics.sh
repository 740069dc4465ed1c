#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet path takes no locks and uses no atomic instructions: the programs as the kernel
# translated them (bpftool prog dump xlated) contain neither. The detector is first shown to
# flag a probe program that has both.
source "$(dirname "$0")/lib.sh"

# atomics PROG_ID: the translated instructions that are atomic or take a spin lock
atomics() {
	bpftool prog dump xlated id "$1" | grep -E 'lock \*\(|atomic|cmpxchg|xchg|spin_lock|spin_unlock'
}

# tc_ids NS DEV HOOK: the ids of the BPF programs of DEV's TC HOOK (ingress, egress)
tc_ids() {
	ip netns exec "$1" tc -j filter show dev "$2" "$3" | jeval doc '
		"\n".join(str(f["options"]["prog"]["id"]) for f in j if "options" in f and "prog" in f["options"])'
}

# gif_prog_ids NS: the ids of the gifctl programs running in NS (XDP or TC ingress on ua, TC on
# gif0)
gif_prog_ids() {
	xdp_id "$1" ua
	tc_ids "$1" ua ingress
	tc_ids "$1" gif0 egress
}

test_detector() {
	local probe=$ROOT/build/tests/atomic_probe.bpf.o id
	[ -f "$probe" ] || { skip_test "detector flags a probe with atomics" "$probe not built"; return; }
	step ip -n "$A" link add probe0 type veth peer name probe1 &&
		step ip -n "$A" link set probe0 xdpgeneric obj "$probe" sec xdp &&
		id=$(xdp_id "$A" probe0) && [ -n "$(atomics "$id")" ] ||
		note "the probe's atomics were not seen: $(bpftool prog dump xlated id "$id" | head -40)"
	ip -n "$A" link del probe0
	[ -z "$FAILINFO" ]
	log_test "the detector flags a probe program's atomic add and spin lock" $?
}

test_gif_programs() {
	local ids id found rc=0
	step ns_gifctl "$A" attach ua mode xdp && ids=$(gif_prog_ids "$A") &&
		step ns_gifctl "$A" attach ua mode tc && ids+=" $(gif_prog_ids "$A")" || rc=1
	ids=$(tr ' ' '\n' <<<"$ids" | sort -u)
	[ "$(wc -w <<<"$ids")" -eq 3 ] ||
		{ note "want the XDP, TC-ingress and TC program, got ids: $ids"; rc=1; }
	for id in $ids; do
		found=$(atomics "$id")
		[ -z "$found" ] || { note "prog $id: $found"; rc=1; }
	done
	log_test "gif_xdp_rx, gif_tc_rx and gif_tc_tx: no atomic instruction, no spin lock" $rc
}

rig_up
test_detector
test_gif_programs
tests_done
