#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Attachment and device life cycle: attach is idempotent, detach removes only ours, foreign XDP
# programs are left alone, the peer naming rule, tunnel delete, destroy, and nothing left behind
# (links, XDP programs, gif_ maps and programs) once every gif is destroyed and every underlay
# detached.
source "$(dirname "$0")/lib.sh"

XDP_PASS_OBJ=${XDP_PASS_OBJ:-$ROOT/build/tests/xdp_pass.bpf.o}

test_attach_twice() {
	local id rc=0
	id=$(xdp_id "$A" ua)
	[ -n "$id" ] || { note "no XDP program on ua after the rig's attach"; rc=1; }
	step ns_gifctl "$A" attach ua && step ns_gifctl "$A" attach ua || rc=1
	eq "XDP program id on ua after two more attaches" "$(xdp_id "$A" ua)" "$id" || rc=1
	ping_ok "$A" "$(addr 4in4 2)" || rc=1
	log_test "attach twice: exit 0 both times, same program, traffic flows" $rc
}

test_detach() {
	local rc=0
	step ns_gifctl "$A" detach ua || rc=1
	eq "XDP program on ua after detach" "$(xdp_id "$A" ua)" "" || rc=1
	ns_gifctl "$A" -j show gif0 | jwant 1 name=gif0 -- 'underlays=[]' || rc=1
	# B still decapsulates A's requests, but B's replies are no longer decapsulated on ua.
	ping_fails "$A" "$(addr 4in4 2)" || rc=1
	log_test "detach: XDP gone from ua, not in show, replies not decapsulated" $rc

	expect 1 ns_gifctl "$A" detach ua && one_err_line "gifctl: detach ua"
	log_test "detach where gifctl is not attached: exit 1, one error line" $?

	step ns_gifctl "$A" attach ua mode xdp && ping_ok "$A" "$(addr 4in4 2)"
	log_test "attach after detach: traffic flows again" $?
}

# foreign_kept DEV CMD [ARGS...]: `gifctl CMD DEV ARGS` fails with one error line, the foreign
# program stays
foreign_kept() {
	local id
	id=$(xdp_id "$A" "$1")
	[ -n "$id" ] || { note "no foreign XDP program on $1"; return 1; }
	expect 1 ns_gifctl "$A" "$2" "$1" "${@:3}" && one_err_line "gifctl: $2 $1" &&
		eq "XDP program id on $1" "$(xdp_id "$A" "$1")" "$id"
}

# A foreign program in generic mode (the kernel itself refuses a second mode) and in native mode
# (only gifctl's own care keeps it).
test_foreign() {
	local mode dev
	for mode in xdpgeneric xdpdrv; do
		dev=f${mode#xdp}
		if [ ! -f "$XDP_PASS_OBJ" ]; then
			skip_test "attach over a foreign $mode program" "$XDP_PASS_OBJ not built"
			skip_test "detach of a foreign $mode program" "$XDP_PASS_OBJ not built"
			continue
		fi
		step ip -n "$A" link add "$dev" type veth peer name "$dev-p" &&
			step ip -n "$A" link set "$dev" up && step ip -n "$A" link set "$dev-p" up &&
			step ip -n "$A" link set dev "$dev" "$mode" obj "$XDP_PASS_OBJ" sec xdp ||
			fatal "load a foreign XDP program on $dev"
		foreign_kept "$dev" attach mode xdp
		log_test "attach over a foreign $mode program: exit 1, program kept" $?
		foreign_kept "$dev" detach
		log_test "detach of a foreign $mode program: exit 1, program kept" $?
	done
}

# devmodel GIF PEER_REGEX: tunnel set creates GIF and its peer up (IPv6 peer routes need it, README), both NOARP, GIF with the
# default MTU; destroy removes both
devmodel() {
	local gif=$1 peer rc=0
	step ns_gifctl "$A" tunnel set "$gif" 198.18.0.1 "198.18.0.$((${#gif} + 60))" &&
		step ns_gifctl "$A" -j show "$gif" || return 1
	peer=$(jeval doc 'j[0].get("peer")' <<<"$OUT")
	[[ $peer =~ $2 ]] || { note "peer of $gif is '$peer', want /$2/"; rc=1; }
	eq "(name, UP, NOARP, mtu) of $gif and its peer" "$(ip -j -n "$A" link show | jeval doc "
		sorted((l['ifname'], 'UP' in l['flags'], 'NOARP' in l['flags'], l['mtu'])
		for l in j if l['ifname'] in ('$gif', '$peer'))")" \
		"[('$gif', True, True, 1480), ('$peer', True, True, 1500)]" || rc=1
	step ns_gifctl "$A" destroy "$gif" && no_link "$A" "$gif" && no_link "$A" "$peer" || rc=1
	return $rc
}

test_devmodel() {
	devmodel gifabcdefghi '^gifabcdefghi-gp$'
	log_test "12-char gif: peer NAME-gp, both up, NOARP" $?
	devmodel gifabcdefghijkl '^gp-[0-9a-f]{8}$'
	log_test "15-char gif: peer gp-<8 hex>, destroy removes both" $?
}

test_tunnel_delete() {
	local rc=0
	step ns_gifctl "$A" tunnel delete gif0 || rc=1
	link_exists "$A" gif0 && link_exists "$A" gif0-gp || { note "gif0 or its peer gone"; rc=1; }
	ns_gifctl "$A" -j show gif0 | jcheck 'len(j) == 1 and j[0]["name"] == "gif0" and
		"src" not in j[0] and "dst" not in j[0]' || rc=1
	ping_fails "$A" "$(addr 4in4 2)" || rc=1
	ping_fails "$A" "$(addr 6in4 2)" || rc=1
	ping_ok "$A" "$(addr 4in6 2)" || rc=1
	log_test "tunnel delete gif0: device kept, no src/dst, gif0 pings fail" $rc

	step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 && ping_ok "$A" "$(addr 4in4 2)"
	log_test "tunnel set after tunnel delete: traffic flows again" $?
}

test_destroy() {
	local rc=0
	step ns_gifctl "$A" destroy gif0 || rc=1
	no_link "$A" gif0 && no_link "$A" gif0-gp || rc=1
	ns_gifctl "$A" -j show | jcheck '[o["name"] for o in j] == ["gif6"]' || rc=1
	ping_ok "$A" "$(addr 4in6 2)" || rc=1
	log_test "destroy gif0: gif0 and gif0-gp gone, gif6 unaffected" $rc

	expect 1 ns_gifctl "$A" destroy gif0 && one_err_line "gifctl: destroy gif0"
	log_test "destroy of a missing gif: exit 1, one error line" $?
}

# teardown NS: destroy every gif and detach every underlay gifctl reports in NS
teardown() {
	local show o
	step ns_gifctl "$1" -j show || return 1
	show=$OUT
	for o in $(jeval doc '" ".join(sorted({o["name"] for o in j}))' <<<"$show"); do
		step ns_gifctl "$1" destroy "$o" || return 1
	done
	for o in $(jeval doc '" ".join({u for o in j for u in o["underlays"]})' <<<"$show"); do
		step ns_gifctl "$1" detach "$o" || return 1
	done
}

# rig_objs: "map ID" and "prog ID" lines for the rig's own datapath objects (outer and inner maps,
# XDP programs). The TC programs hold the same maps, so a leaked one shows as a leaked map. Only
# these ids are checked afterwards: other datapaths on the machine do not matter.
rig_objs() {
	local ns
	for ns in "$A" "$B"; do
		gif_maps "$ns" dump | jeval doc '"\n".join(["map %d" % i for i in j["ids"].values()] + ["map %d" % e["id"] for e in j["rx"] + j["tx"]])'
	done
	echo "prog $(xdp_id "$A" ua)"
	echo "prog $(xdp_id "$B" ub)"
}

# alive_objs LINES: the ones of LINES ("KIND ID") that still exist
alive_objs() {
	local kind id
	while read -r kind id; do
		bpftool "$kind" show id "$id" >/dev/null 2>&1 && echo "$kind $id"
	done <<<"$1"
}

test_nothing_left() {
	local rc=0 ns left objs
	objs=$(rig_objs | sort -u)
	[ "$(grep -c '^map' <<<"$objs")" -ge 8 ] || { note "too few rig objects found: $objs"; rc=1; }
	for ns in "$A" "$B"; do
		teardown "$ns" || rc=1
		left=$(links "$ns" | grep -E '^gif|-gp$|^gp-')
		[ -z "$left" ] || { note "links left in $ns: $left"; rc=1; }
	done
	eq "XDP on ua" "$(xdp_id "$A" ua)" "" && eq "XDP on ub" "$(xdp_id "$B" ub)" "" || rc=1
	busywait 5000 eval '[ -z "$(alive_objs "$objs")" ]' ||
		{ note "BPF objects left: $(alive_objs "$objs")"; rc=1; }
	log_test "destroy all + detach all: no links, XDP, gif_ maps/progs left" $rc
}

preflight
rig_up
test_attach_twice
test_detach
test_foreign
test_devmodel
test_tunnel_delete
test_destroy
test_nothing_left
tests_done
