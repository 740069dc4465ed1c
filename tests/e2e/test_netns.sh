#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gifctl state is per network namespace: invisible from another namespace, the same pairs usable
# in a second rig at the same time, and persistent from one `ip netns exec` invocation to the next.
source "$(dirname "$0")/lib.sh"

test_isolation() {
	step ns_gifctl "$C" -j show && jcheck 'j == []' <<<"$OUT" && no_link "$C" gif0
	log_test "a fresh namespace C does not see A's tunnels" $?
}

test_second_rig() {
	local rc=0
	ns_new D gifD && rig_build "$C" "$D" || fatal "second rig with the same pairs in C and D"
	ping_ok "$C" "$(addr 4in4 2)" && ping_ok "$D" "$(addr 6in6 1)" &&
		ping_ok "$A" "$(addr 4in4 2)" && ping_ok "$B" "$(addr 6in6 1)" || rc=1
	ns_gifctl "$A" -j show | jcheck 'sorted(o["name"] for o in j) == ["gif0", "gif6"]' || rc=1
	log_test "same pairs configured in C/D as in A/B: both rigs carry traffic" $rc

	step ns_gifctl "$C" destroy gif0 && ping_fails "$C" "$(addr 4in4 2)" &&
		ping_ok "$A" "$(addr 4in4 2)" && link_exists "$A" gif0
	log_test "destroying C's gif0 leaves A's gif0 working" $?
}

test_persistence() {
	local rc=0
	step ns_gifctl "$A" tunnel set gifp 198.18.0.1 198.18.0.99 || rc=1
	ns_gifctl "$A" -j show gifp | jwant 1 name=gifp -- src=198.18.0.1 dst=198.18.0.99 || rc=1
	log_test "tunnel set in one invocation is shown by the next" $rc

	rc=0
	ping_ok "$A" "$(addr 6in4 2)" || rc=1
	step ns_gifctl "$A" show && step ns_gifctl "$A" attach ua &&
		step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 &&
		step ns_gifctl "$A" destroy gifp || rc=1
	ping_ok "$A" "$(addr 6in4 2)" && ping_ok "$B" "$(addr 4in6 1)" || rc=1
	log_test "pings keep working across gifctl invocations" $rc
}

rig_up
ns_new C gifC || fatal "namespace C"
test_isolation
test_second_rig
test_persistence
tests_done
