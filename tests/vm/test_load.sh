#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Does the running kernel accept gifctl's datapath? `gifctl attach` loads both programs (XDP and
# TC): it must succeed, or fail with one error line (no verifier dump on stderr). On failure the
# verifier's verdict is fetched with `gifctl -v -v` and printed, for the bug report.
# shellcheck disable=SC2015 # `a && b || fatal`: fatal when either fails, as meant
source "$(dirname "$0")/../e2e/lib.sh"

preflight
ns_new A gifA || fatal "namespace"
step ip -n "$A" link add ua type veth peer name ub && step ip -n "$A" link set ua up &&
	step ip -n "$A" link set ub up || fatal "veth"

expect 0 ns_gifctl "$A" attach ua
rc=$?
if [ $rc -ne 0 ]; then
	first_err=$ERR
	# the verifier's last words: the lines before "-- END PROG LOAD LOG --", and the error
	ip netns exec "$A" timeout 60 "$GIFCTL" -v -v attach ua >"$TMPD/v" 2>&1
	note "verifier log (gifctl -v -v attach), last lines:"
	note "$(grep -B 12 -m 1 -- '-- END PROG LOAD LOG --' "$TMPD/v" | sed 's/^/    /')"
	note "$(grep -E '^libbpf: prog .*(failed|load)|^gifctl:' "$TMPD/v" | head -n 4 | sed 's/^/    /')"
fi
log_test "$(uname -r): gifctl attach loads the datapath (XDP and TC programs)" $rc
if [ $rc -ne 0 ]; then
	ERR=$first_err
	one_err_line "gifctl: attach ua" && [[ $ERR != *"libbpf"* ]]
	log_test "$(uname -r): the refusal is one error line, no verifier dump" $?
fi
tests_done
