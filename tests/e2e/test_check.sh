#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `gifctl check [--repair]` against changes made behind gifctl's back: a device, its peer or its
# TC program deleted, the peer set down, the MAC changed, a gif_rx or gif_stats entry deleted with
# bpftool, a veth pair created by hand with gifctl's naming (deleted only when it carries gifctl's
# alias, README "Crash consistency"). Each is detected (exit 1, one stdout line naming the
# device), breaks traffic where it should, and is repaired by `check --repair` (exit 0, every
# line "(repaired)"), after which `check` is clean, the maps hold every invariant
# (read with bpf(2), lib.sh GIF_MAPS_PY) and pings cross the tunnel again. Also: a fresh
# namespace is clean, `check` alone changes nothing, usage errors exit 2, changes made after
# `ip link del gif0`, and `attach` of a veth underlay whose peer is in another namespace.
# shellcheck disable=SC2046 # $(pair_key ...), $(hex_u32 ...): bytes, split on purpose
source "$(dirname "$0")/lib.sh"

PING4=$(addr 4in4 2)	# B's inner IPv4 address, through gif0

# detected NS WORD...: `check` in NS exits 1 and each WORD (a device name, ifindex ...) is on a
# line of stdout; stderr is empty; a second `check` prints the same (check alone repairs nothing)
detected() {
	local ns=$1 w first
	shift
	expect 1 ns_gifctl "$ns" check || return 1
	first=$OUT
	[ -z "$ERR" ] || { note "check wrote to stderr: $ERR"; return 1; }
	for w in "$@"; do
		grep -qw -- "$w" <<<"$OUT" || { note "no line names '$w': $OUT"; return 1; }
	done
	expect 1 ns_gifctl "$ns" check && eq "second check" "$OUT" "$first"
}

# repaired NS: `check --repair` exits 0, every line it prints ($REPAIRED) ends in " (repaired)",
# then `check` is clean and the maps are consistent
repaired() {
	local rc=0
	expect 0 ns_gifctl "$1" check --repair || rc=1
	REPAIRED=$OUT
	[ -n "$OUT" ] || { note "check --repair printed nothing"; rc=1; }
	if grep -v ' (repaired)$' <<<"$OUT" | grep -q .; then
		note "check --repair: lines not repaired: $(grep -v ' (repaired)$' <<<"$OUT")"
		rc=1
	fi
	check_clean "$1" && maps_consistent "$1" && return $rc
}

# map_id NS NAME: id of the namespace's map NAME (gif_rx, gif_tx, gif_stats)
map_id() { gif_maps "$1" dump | jeval doc "j['ids']['$2']"; }

# hex_u32 N: N as 4 little-endian bytes for bpftool
hex_u32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) \
	$(($1 >> 24 & 255)); }

# pair_key SRC DST: the gif_rx key of an IPv4 pair, for bpftool
pair_key() {
	local a out
	out=$(hex_u32 2)
	for a in "$1" "$2"; do
		out+=" $(printf '%02x %02x %02x %02x' ${a//./ }) $(printf '00 %.0s' {1..12})"
	done
	echo "$out"
}

test_fresh() {
	local rc=0 C
	ns_new C gifC || rc=1
	check_clean "$C" || rc=1
	expect 0 ns_gifctl "$C" check --repair && eq "check --repair output" "$OUT$ERR" "" || rc=1
	log_test "fresh namespace: check and check --repair exit 0, print nothing" $rc
	ns_del "$C"
	check_clean "$A" && check_clean "$B" && maps_consistent "$A" && maps_consistent "$B"
	log_test "the rig: check clean in both namespaces, maps consistent" $?
}

test_usage() {
	local rc=0 args
	orphan gifq "gifctl tunnel" || rc=1	# one --repair would delete
	for args in "check --repair extra" "check foo" "check --fix" "check -- --repair"; do
		# shellcheck disable=SC2086
		expect 2 ns_gifctl "$A" $args && one_err_line "gifctl: check:" || rc=1
	done
	link_exists "$A" gifq || { note "a usage error repaired the orphan gifq"; rc=1; }
	step ip -n "$A" link del gifq || rc=1
	log_test "check with extra or unknown arguments: exit 2, nothing repaired" $rc
}

test_tc_removed() {
	local rc=0
	step tc -n "$A" filter del dev gif0 egress && detected "$A" gif0 && ping_fails "$A" "$PING4" ||
		rc=1
	log_test "TC program removed from gif0: detected, pings fail" $rc
	repaired "$A" && ping_ok "$A" "$PING4"
	log_test "TC program removed from gif0: repaired, pings work" $?
}

test_peer_down() {
	local rc=0
	step ip -n "$B" link set gif0-gp down && detected "$B" gif0 && ping_fails "$A" "$PING4" ||
		rc=1
	log_test "peer gif0-gp set down: detected, pings fail" $rc
	repaired "$B" && ping_ok "$A" "$PING4"
	log_test "peer gif0-gp set down: repaired, pings work" $?
}

test_mac() {
	local rc=0
	step ip -n "$B" link set gif0 address 02:00:00:00:00:99 && detected "$B" gif0 &&
		ping_fails "$A" "$PING4" || rc=1
	log_test "gif0's MAC changed: detected, pings fail" $rc
	repaired "$B"
	log_test "gif0's MAC changed: check --repair exit 0, every line repaired" $?
	check_clean "$B" && maps_consistent "$B" && ping_ok "$A" "$PING4"
	log_test "gif0's MAC changed: after check --repair, clean and pings work" $?
}

test_rx_entry() {
	local rc=0 id
	id=$(map_id "$B" gif_rx) &&
		step bpftool map delete id "$id" key hex $(pair_key 198.18.0.2 198.18.0.1) &&
		detected "$B" gif0 && ping_fails "$A" "$PING4" || rc=1
	log_test "gif0's gif_rx entry deleted (bpftool): detected, pings fail" $rc
	repaired "$B" && ping_ok "$A" "$PING4"
	log_test "gif0's gif_rx entry deleted (bpftool): repaired, pings work" $?
}

test_stats_entry() {
	local rc=0 id ifindex
	id=$(map_id "$B" gif_stats) && ifindex=$(ip -j -n "$B" link show gif0 | jeval doc \
		'j[0]["ifindex"]') &&
		step bpftool map delete id "$id" key hex $(hex_u32 "$ifindex") && detected "$B" gif0 ||
		rc=1
	log_test "gif0's counters deleted (bpftool): detected" $rc
	repaired "$B" && ping_ok "$A" "$PING4" &&
		ns_gifctl "$B" -j stats gif0 | jcheck 'j[0]["rx_packets"] >= 3'
	log_test "gif0's counters deleted (bpftool): repaired, counting again" $?
}

# orphan NAME [ALIAS]: a veth pair NAME / NAME-gp made by hand, with ALIAS on NAME if given
orphan() {
	step ip -n "$A" link add "$1" type veth peer name "$1-gp" || return 1
	[ -z "${2:-}" ] || step ip -n "$A" link set "$1" alias "$2"
}

# README: a pair named like a gif device and unknown to the maps is deleted by the repair only if
# it carries gifctl's alias ("gifctl tunnel": an interrupted creation or destroy); without it, it
# may be anybody's, and is reported, never deleted.
test_orphan() {
	local rc=0
	orphan gifq "gifctl tunnel" && detected "$A" gifq || rc=1
	log_test "veth pair gifq/gifq-gp with gifctl's alias, unknown to the maps: detected" $rc
	repaired "$A" && no_link "$A" gifq && no_link "$A" gifq-gp
	log_test "veth pair gifq/gifq-gp with gifctl's alias: repaired by deletion" $?
	ip -n "$A" link del gifq 2>/dev/null

	rc=0
	orphan gifq && detected "$A" gifq || rc=1
	expect 1 ns_gifctl "$A" check --repair && [[ $OUT == *gifq* ]] &&
		! grep -q 'gifq.*(repaired)$' <<<"$OUT" && link_exists "$A" gifq &&
		link_exists "$A" gifq-gp || { note "the pair without the alias was not left alone"; rc=1; }
	log_test "veth pair gifq/gifq-gp made by hand (no alias): reported, not deleted" $rc
	ip -n "$A" link del gifq 2>/dev/null

	rc=0
	orphan gifq "gifctl tunnel" && step ip -n "$A" link set gif6-gp down &&
		detected "$A" gifq gif6 && eq "lines" "$(grep -c . <<<"$OUT")" 2 || rc=1
	repaired "$A" && eq "lines repaired" "$(grep -c . <<<"$REPAIRED")" 2 && no_link "$A" gifq &&
		ping_ok "$A" "$(addr 4in6 2)" || rc=1
	log_test "two violations at once: two lines, both repaired" $rc
	# whatever happened above, the next tests start without gifq and with gif6-gp up
	ip -n "$A" link del gifq 2>/dev/null
	ip -n "$A" link set gif6-gp up 2>/dev/null
}

# regif0: gif0 in A again, as the rig made it
regif0() {
	step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 &&
		step ip -n "$A" addr add "$(addr 4in4 1)" peer "$PING4" dev gif0 &&
		ping_ok "$A" "$PING4"
}

test_link_del() {
	local rc=0 ifindex
	ifindex=$(ip -j -n "$A" link show gif0 | jeval doc 'j[0]["ifindex"]')
	step ip -n "$A" link del gif0 && detected "$A" "$ifindex" || rc=1
	log_test "ip link del gif0: detected (ifindex $ifindex)" $rc
	repaired "$A" && regif0
	log_test "ip link del gif0: repaired, gif0 made again with its pair, pings work" $?

	# No repair in between: changing commands after the deletion. Only an interrupted change
	# is repaired by the next one (README): an unrelated change neither fails on the damage nor
	# hides it, `check` still reports it, alone.
	rc=0
	link_exists "$A" gif0 || regif0 || rc=1
	ifindex=$(ip -j -n "$A" link show gif0 | jeval doc 'j[0]["ifindex"]')
	step ip -n "$A" link del gif0 &&
		step ns_gifctl "$A" tunnel set gifn 198.18.0.1 198.18.0.9 && detected "$A" "$ifindex" &&
		eq "lines of check" "$(grep -c . <<<"$OUT")" 1 || rc=1
	log_test "ip link del gif0, then tunnel set gifn: succeeds, check reports only gif0" $rc
	expect 0 ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2
	log_test "ip link del gif0, then tunnel set gif0 with its old pair: succeeds" $?
	ns_gifctl "$A" check --repair >/dev/null
	link_exists "$A" gif0 || step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2
	ip -n "$A" addr add "$(addr 4in4 1)" peer "$PING4" dev gif0 2>/dev/null
	check_clean "$A" && ping_ok "$A" "$PING4"
	log_test "after check --repair: clean, gif0 works" $?
}

test_peer_deleted() {
	local rc=0 ifindex
	link_exists "$A" gif0 || regif0 || rc=1
	ifindex=$(ip -j -n "$A" link show gif0 | jeval doc 'j[0]["ifindex"]')
	step ip -n "$A" link del gif0-gp && detected "$A" "$ifindex" || rc=1
	log_test "ip link del gif0-gp (the peer): detected" $rc
	repaired "$A" && no_link "$A" gif0 && regif0
	log_test "ip link del gif0-gp: repaired, gif0 made again, pings work" $?
}

# A veth underlay whose peer lives in another namespace has, as IFLA_LINK, the peer's ifindex
# there: gifctl must not look that ifindex up among its own namespace's devices (found by
# test_crash.sh, where `attach ua` failed now and then: "is a gif device, not an underlay").
test_attach_foreign_peer() {
	local rc=0 C D n
	ns_new C gifC && ns_new D gifD &&
		step ns_gifctl "$C" tunnel set gifa 198.18.0.1 198.18.0.2 || rc=1
	n=$(ip -j -n "$C" link show gifa | jeval doc 'j[0]["ifindex"]')
	step ip -n "$D" link add ud index "$n" type veth peer name uc netns "$C" &&
		expect 0 ns_gifctl "$C" attach uc mode xdp || rc=1
	log_test "attach uc, whose peer in another namespace has gifa's ifindex ($n)" $rc
	if [ "$(xdp_id "$C" uc)" != "" ]; then
		expect 0 ns_gifctl "$C" detach uc
		log_test "detach uc, whose peer in another namespace has gifa's ifindex ($n)" $?
	fi
	ns_del "$C"
	ns_del "$D"
}

rig_up
snapshot_bin GIFCTL || fatal "cannot copy the gifctl binary"
test_fresh
test_usage
test_tc_removed
test_peer_down
test_mac
test_rx_entry
test_stats_entry
test_orphan
test_link_del
test_peer_deleted
test_attach_foreign_peer
tests_done
