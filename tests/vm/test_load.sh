#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Does the running kernel accept gifctl's datapath? `gifctl attach` loads its three programs (XDP
# and TC-ingress decapsulation, TC encapsulation) and attaches at the TC ingress (its choice on a
# veth): it must succeed, or fail with one error line (no verifier dump on stderr). On failure the
# verifier's verdict is fetched with `gifctl -v -v` and printed, for the bug report. Then the
# switch to XDP, and a configuration the kernel does not support (native XDP on a jumbo-MTU
# veth): refused cleanly.
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
log_test "$(uname -r): gifctl attach loads the datapath (XDP, TC-ingress and TC programs)" $rc
if [ $rc -ne 0 ]; then
	ERR=$first_err
	one_err_line "gifctl: attach ua" && [[ $ERR != *"libbpf"* ]]
	log_test "$(uname -r): the refusal is one error line, no verifier dump" $?
else
	step ns_gifctl "$A" attach ua mode xdp && [ -n "$(xdp_id "$A" ua)" ] && check_clean "$A"
	log_test "$(uname -r): attach ua mode xdp: switched from TC ingress to XDP" $?
fi

# What the kernel cannot do: native XDP on a veth whose peer's MTU exceeds a page (gifctl's
# program takes single-buffer frames). Refused in one line, with nothing left behind - or, on a
# kernel that can, attached.
step ip -n "$A" link add ja type veth peer name jb && step ip -n "$A" link set ja mtu 9000 &&
	step ip -n "$A" link set jb mtu 9000 && step ip -n "$A" link set ja up &&
	step ip -n "$A" link set jb up || fatal "veth with MTU 9000"
run ns_gifctl "$A" attach ja mode xdp
said=${OUT:-$ERR}
if [ "$RC" -eq 0 ]; then
	note "attached: $OUT"
	[ -n "$(xdp_id "$A" ja)" ]
else
	one_err_line "gifctl: attach ja: " && [[ $ERR != *"libbpf"* ]] &&
		eq "XDP program on ja" "$(xdp_id "$A" ja)" "" && check_clean "$A"
fi
rc=$?
log_test "$(uname -r): attach to a veth with MTU 9000: refused in one line or attached" $rc
echo "        $said"
tests_done
