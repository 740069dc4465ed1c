#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Command line: usage errors exit 2 with one `gifctl: ` line on stderr and change nothing, exact
# command names only, --help, and `-j show` output that parses as JSON.
source "$(dirname "$0")/lib.sh"

# usage ARGS...: `gifctl ARGS` is a usage error
usage() {
	expect 2 ns_gifctl "$C" "$@" && one_err_line "gifctl: " &&
		eq "stdout" "$OUT" ""
	log_test "usage error: gifctl $*" $?
}

test_usage() {
	usage
	usage frobnicate
	usage sh
	usage tun set gif0 198.18.0.1 198.18.0.2
	usage tunnel
	usage tunnel frob gif0
	usage attach
	usage attach ua extra
	usage detach
	usage destroy
	usage show gif0 extra
	usage tunnel set gif0 198.18.0.1
	usage tunnel set gif0 198.18.0.1 198.18.0.2 extra
	usage tunnel set gif0 198.18.0.300 198.18.0.2
	usage tunnel set gif0 198.18.0.1 not-an-address
	usage tunnel set gif0 198.18.0.1 2001:db8::1
	usage tunnel set gif0 2001:db8::1 198.18.0.1
	usage tunnel set gif0123456789abc 198.18.0.1 198.18.0.2
	usage tunnel delete
	usage -w
	usage -w abc show
	usage --frobnicate show
	eq "links in C after the usage errors" "$(links "$C" | xargs)" lo &&
		step ns_gifctl "$C" -j show && jcheck 'j == []' <<<"$OUT"
	log_test "usage errors changed nothing" $?
}

test_help() {
	expect 0 ns_gifctl "$C" --help && [[ $OUT == *"tunnel set"* ]] ||
		{ note "--help output lacks 'tunnel set': ${OUT:0:300}"; false; }
	log_test "--help: exit 0, lists the commands" $?
}

test_show_fresh() {
	step ns_gifctl "$C" -j show && jcheck 'j == []' <<<"$OUT"
	log_test "-j show in a fresh namespace is []" $?
	step ns_gifctl "$C" show
	log_test "show in a fresh namespace exits 0" $?
	expect 1 ns_gifctl "$C" show gif9 && one_err_line "gifctl: show gif9"
	log_test "show of a missing gif: exit 1, one error line" $?
}

test_show_json() {
	step ns_gifctl "$A" tunnel delete gif6 && step ns_gifctl "$A" -j show && jcheck '
		sorted(o["name"] for o in j) == ["gif0", "gif6"] and
		all(isinstance(o["mtu"], int) and isinstance(o["peer"], str) and
		    o["underlays"] == ["ua"] for o in j) and
		[("src" in o, "dst" in o) for o in sorted(j, key=lambda o: o["name"])] ==
		[(True, True), (False, False)]' <<<"$OUT"
	log_test "-j show with tunnels parses; keys and types right" $?
	step ns_gifctl "$A" -j show gif0 && jcheck '[o["name"] for o in j] == ["gif0"]' <<<"$OUT"
	log_test "-j show gif0 is an array of one object" $?
}

preflight
ns_new C gifC || fatal "namespace C"
test_usage
test_help
test_show_fresh
rig_up
test_show_json
tests_done
