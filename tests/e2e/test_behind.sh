#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Things removed or replaced behind gifctl's back: the underlay deleted while attached, a gif
# device (or its peer) deleted with ip link del, its TC program removed, its peer taken down, the
# network namespace deleted (also under a running gifctl), the XDP program replaced by a foreign
# one or by another gif datapath's, the lock file deleted while held; a user's own veth pair
# named like a gif device (never gifctl's to delete); and the limits: the change journal full of
# stale lines, the tunnel maps full.
# In each case gifctl does not crash, reports what it finds (`gifctl check` names the damage),
# the next command succeeds, and `check --repair` / `check` leave a consistent namespace (also
# verified independently of gifctl, lib.sh maps_consistent).
source "$(dirname "$0")/lib.sh"

XDP_PASS_OBJ=${XDP_PASS_OBJ:-$ROOT/build/tests/xdp_pass.bpf.o}
GIF_BPF_OBJ=${GIF_BPF_OBJ:-$ROOT/build/gif.bpf.o}

# no_crash: the last `run` ended by itself (no signal, no timeout, no sanitizer exit)
no_crash() {
	[ "$RC" -le 2 ] && return 0
	note "gifctl exited $RC (crashed, killed or timed out): $ERR"
	return 1
}

# check_reports NS PATTERN: `gifctl check` in NS exits 1 and a line matches PATTERN
check_reports() {
	run ns_gifctl "$1" check
	no_crash || return 1
	[ "$RC" -eq 1 ] && grep -qE "$2" <<<"$OUT" && return 0
	note "gifctl check exited $RC, want 1 with a line matching /$2/; it printed: $OUT $ERR"
	return 1
}

# repaired NS: `check --repair` exits 0, then `check` is clean and the maps are consistent
repaired() {
	run ns_gifctl "$1" check --repair
	no_crash || return 1
	[ "$RC" -eq 0 ] || { note "check --repair exited $RC: $OUT $ERR"; return 1; }
	check_clean "$1" && maps_consistent "$1"
}

# gif_addrs NS ME PEER GIF: the rig's inner addresses of GIF again (after it was re-created)
gif_addrs() {
	local c opt
	for c in $COMBOS; do
		[ "${VIA[$c]}" = "$4" ] || continue
		opt=()
		[[ $c == 6* ]] && opt=(nodad)
		step ip -n "$1" addr replace "$(addr "$c" "$2")" peer "$(addr "$c" "$3")" dev "$4" \
			"${opt[@]}" || return 1
	done
}

# traffic: every combination pings from A to B
traffic() {
	local c rc=0
	for c in $COMBOS; do
		ping_ok "$A" "$(addr "$c" 2)" || rc=1
	done
	return $rc
}

# ---- the underlay ---------------------------------------------------------------------------

test_underlay_deleted() {
	local rc=0
	step ip -n "$A" link del ua || return 1
	run ns_gifctl "$A" -j show
	no_crash && [ "$RC" -eq 0 ] &&
		jcheck 'sorted(o["name"] for o in j) == ["gif0", "gif6"] and
			all(o["underlays"] == [] for o in j)' <<<"$OUT" || rc=1
	log_test "underlay deleted: show exits 0, gifs kept, no underlay listed" $rc

	check_clean "$A" && maps_consistent "$A"
	log_test "underlay deleted: check finds nothing inconsistent" $?

	rc=0
	expect 1 ns_gifctl "$A" detach ua && one_err_line "gifctl: detach ua" || rc=1
	log_test "underlay deleted: detach says there is no such device" $rc

	rc=0
	step ip link add ua netns "$A" type veth peer name ub netns "$B" &&
		step ip -n "$A" addr add 198.18.0.1/24 dev ua &&
		step ip -n "$A" addr add 2001:db8:ff::1/64 dev ua nodad &&
		step ip -n "$B" addr add 198.18.0.2/24 dev ub &&
		step ip -n "$B" addr add 2001:db8:ff::2/64 dev ub nodad &&
		step ip netns exec "$A" ethtool -K ua tx off && step ip netns exec "$B" ethtool -K ub tx off &&
		step ip -n "$A" link set ua up && step ip -n "$B" link set ub up || rc=1
	attach_both xdp || rc=1
	check_clean "$A" && check_clean "$B" && traffic || rc=1
	log_test "underlay re-created: attach succeeds, check clean, traffic flows" $rc
}

# ---- gif devices ---------------------------------------------------------------------------------

# gif_deleted DEV GIF PEER_ADDR...: `ip link del DEV` in A (GIF or its peer), then check, show, the
# next `tunnel set` of the same pair, repair
gif_deleted() {
	local dev=$1 gif=$2 src dst rc=0
	src=${OUTER[$gif]}1
	dst=${OUTER[$gif]}2
	step ip -n "$A" link del "$dev" || return 1
	no_link "$A" "$gif" && no_link "$A" "$gif-gp" || rc=1
	check_reports "$A" "deleted behind gifctl's back" || rc=1
	log_test "$dev deleted with ip link del: check reports it" $rc

	rc=0
	run ns_gifctl "$A" -j show
	no_crash && [ "$RC" -eq 0 ] && jcheck "'$gif' not in [o['name'] for o in j]" <<<"$OUT" || rc=1
	log_test "$dev deleted: show exits 0 without it" $rc

	# The next command: the same tunnel again.
	rc=0
	run ns_gifctl "$A" tunnel set "$gif" "$src" "$dst"
	no_crash || rc=1
	[ "$RC" -eq 0 ] || { note "tunnel set $gif $src $dst exited $RC: $ERR"; rc=1; }
	log_test "$dev deleted: the next tunnel set $gif (same pair) succeeds" $rc

	rc=0
	link_exists "$A" "$gif" || step ns_gifctl "$A" tunnel set "$gif" "$src" "$dst" || rc=1
	repaired "$A" && gif_addrs "$A" 1 2 "$gif" && traffic || rc=1
	log_test "$dev deleted: after repair, check clean and traffic flows" $rc
}

test_gif_deleted() {
	gif_deleted gif0 gif0
	gif_deleted gif6-gp gif6
}

# broken WHAT CMD PATTERN: CMD damages A behind gifctl's back; check reports PATTERN, --repair
# fixes it, traffic flows
broken() {
	local rc=0
	step "${@:2:$#-2}" || return 1
	check_reports "$A" "${!#}" || rc=1
	repaired "$A" && traffic || rc=1
	log_test "$1: check reports it, --repair fixes it" $rc
}

test_device_damage() {
	broken "TC program removed from gif0" tc -n "$A" filter del dev gif0 egress \
		"gif0: encapsulation program not attached"
	broken "peer gif6-gp taken down" ip -n "$A" link set gif6-gp down "gif6: peer gif6-gp is down"
}

# A veth pair the user made, named like a gif device and its peer (web / web-gp), is not gifctl's:
# neither a failing command's repair, nor check --repair, may delete it.
test_not_ours() {
	local rc=0
	step ip -n "$A" link add web type veth peer name web-gp || return 1
	expect 1 ns_gifctl "$A" detach nosuch0 && one_err_line "gifctl: detach nosuch0" || rc=1
	link_exists "$A" web || { note "web / web-gp deleted by a failing 'gifctl detach nosuch0'"; rc=1; }
	log_test "a user's veth pair web/web-gp survives a failing gifctl command" $rc

	rc=0
	link_exists "$A" web || step ip -n "$A" link add web type veth peer name web-gp || rc=1
	run ns_gifctl "$A" check --repair
	no_crash || rc=1
	link_exists "$A" web || { note "web / web-gp deleted by check --repair: $OUT"; rc=1; }
	log_test "a user's veth pair web/web-gp survives check --repair" $rc
	ip -n "$A" link del web 2>/dev/null
	check_clean "$A"
	log_test "after the user's web/web-gp is gone: check clean" $?
}

# ---- the namespace -------------------------------------------------------------------------------

# datapath_objects NS UNDERLAY: ids ("prog:N", "map:N") of NS's datapath: the XDP program on
# UNDERLAY, its maps, the TC programs of the gif devices, the inner maps gif_tx points to
datapath_objects() {
	timeout 30 ip netns exec "$1" "$PY" -c '
import json, subprocess, sys
def bt(*a):
    return json.loads(subprocess.run(("bpftool", "-j") + a, check=True, capture_output=True,
                                     text=True).stdout or "null")
links = json.loads(subprocess.run(("ip", "-j", "link", "show"), check=True, capture_output=True,
                                  text=True).stdout)
xdp = [l["xdp"]["prog"]["id"] for l in links if l["ifname"] == sys.argv[1] and "xdp" in l]
ids = {"prog:%d" % i for i in xdp}
for i in xdp:
    for m in bt("prog", "show", "id", str(i))["map_ids"]:
        ids.add("map:%d" % m)
        if bt("map", "show", "id", str(m)).get("name") == "gif_tx":
            for e in bt("map", "dump", "id", str(m)):
                v = e["value"]
                ids.add("map:%d" % (v if isinstance(v, int) else
                                    int.from_bytes(bytes(int(x, 16) for x in v), "little")))
for l in links:
    for f in json.loads(subprocess.run(("tc", "-j", "filter", "show", "dev", l["ifname"], "egress"),
                                       capture_output=True, text=True).stdout or "[]"):
        p = f.get("options", {}).get("prog", {})
        if p.get("name") == "gif_tc_tx":
            ids.add("prog:%d" % p["id"])
print(" ".join(sorted(ids)))' "$2"
}

# objects_left IDS...: those of the objects that still exist
objects_left() {
	local o
	for o in "$@"; do
		bpftool "${o%%:*}" show id "${o#*:}" >/dev/null 2>&1 && echo "$o"
	done
}

test_netns_deleted() {
	local objs rc=0 st
	ns_new D gifD && step ip -n "$D" link add ud type veth peer name ue &&
		step ip -n "$D" addr add 198.18.0.1/24 dev ud && step ip -n "$D" link set ud up &&
		step ip -n "$D" link set ue up && step ns_gifctl "$D" attach ud mode xdp &&
		step ns_gifctl "$D" tunnel set gif0 198.18.0.1 198.18.0.2 &&
		step ns_gifctl "$D" tunnel set gif6 198.18.0.1 198.18.0.3 || { log_test "namespace D" 1; return; }
	objs=$(datapath_objects "$D" ud)
	[ "$(wc -w <<<"$objs")" -ge 8 ] || { note "datapath objects of D: '$objs'"; rc=1; }
	ns_del "$D"
	# shellcheck disable=SC2086 # one id a word
	busywait 10000 eval '[ -z "$(objects_left $objs)" ]' ||
		{ note "left 10 s after ip netns del: $(objects_left $objs | xargs)"; rc=1; }
	log_test "namespace deleted: its programs and maps are freed" $rc

	rc=0
	run ns_gifctl "$A" -j show
	no_crash && [ "$RC" -eq 0 ] && jcheck 'sorted(o["name"] for o in j) == ["gif0", "gif6"]' \
		<<<"$OUT" && check_clean "$A" && check_clean "$B" && traffic || rc=1
	log_test "namespace deleted: the other namespaces are untouched" $rc

	# Deleted under a running gifctl: it waits for the lock (in a private /run, so that the host's
	# lock file is not involved), the namespace is deleted, then it gets the lock.
	rc=0
	ns_new D gifD && step ip -n "$D" link add ud type veth peer name ue &&
		step ip -n "$D" addr add 198.18.0.1/24 dev ud && step ip -n "$D" link set ud up || rc=1
	timeout 30 ip netns exec "$D" bash -c '
		mount -t tmpfs -o mode=0755 gifrun /run || exit 99
		: >/run/gifctl.lock && chmod 600 /run/gifctl.lock
		flock -o /run/gifctl.lock sleep 2 &
		sleep 0.3
		"$1" -w 10 attach ud >/dev/null
		echo "attach $?"
		"$1" tunnel set gif0 198.18.0.1 198.18.0.2
		echo "tunnel set $?"
		"$1" -j show
		wait' deleted "$GIFCTL" >"$TMPD/orphan.out" 2>"$TMPD/orphan.err" &
	st=$!
	sleep 1
	ip netns del "$D"
	wait $st
	eq "gifctl in a deleted namespace: exit statuses" \
		"$(grep -E '^(attach|tunnel set) ' "$TMPD/orphan.out" | xargs)" "attach 0 tunnel set 0" ||
		{ note "stderr: $(<"$TMPD/orphan.err")"; rc=1; }
	log_test "namespace deleted under a waiting gifctl: it completes, no crash" $rc
}

# ---- the XDP program -------------------------------------------------------------------------------

test_xdp_replaced() {
	local rc=0 id
	if [ ! -f "$XDP_PASS_OBJ" ]; then
		skip_test "XDP program replaced by a foreign one" "$XDP_PASS_OBJ not built"
	else
		step ip -n "$A" -force link set dev ua xdpdrv obj "$XDP_PASS_OBJ" sec xdp || return 1
		id=$(xdp_id "$A" ua)
		run ns_gifctl "$A" -j show
		no_crash && [ "$RC" -eq 0 ] && jcheck 'all(o["underlays"] == [] for o in j)' <<<"$OUT" ||
			rc=1
		log_test "XDP replaced by a foreign program: show lists no underlay" $rc

		check_reports "$A" "^ua: gifctl's XDP program was replaced by program $id behind"
		log_test "XDP replaced by a foreign program: check reports ua and the program" $?

		# --repair forgets the attachment and never replaces the foreign program.
		rc=0
		run ns_gifctl "$A" check --repair
		no_crash && eq "check --repair exit status" "$RC" 0 &&
			grep -q "^ua: .*replaced by program $id.* (repaired)$" <<<"$OUT" ||
			{ note "check --repair printed: $OUT $ERR"; rc=1; }
		eq "XDP program on ua" "$(xdp_id "$A" ua)" "$id" && check_clean "$A" || rc=1
		log_test "XDP replaced by a foreign program: --repair forgets it, keeps the program" $rc

		rc=0
		expect 1 ns_gifctl "$A" attach ua mode xdp && one_err_line "gifctl: attach ua" || rc=1
		expect 1 ns_gifctl "$A" detach ua && one_err_line "gifctl: detach ua" || rc=1
		eq "XDP program on ua" "$(xdp_id "$A" ua)" "$id" || rc=1
		log_test "XDP replaced by a foreign program: attach/detach refuse, keep it" $rc

		rc=0
		step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 ttl 65 &&
			step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 ttl 64 || rc=1
		step ip -n "$A" link set dev ua xdpdrv off && step ns_gifctl "$A" attach ua mode xdp &&
			repaired "$A" && traffic || rc=1
		log_test "XDP replaced: next command succeeds; foreign one removed, attach, clean" $rc
	fi

	# gifctl's program removed (not replaced): --repair attaches it again.
	rc=0
	step ip -n "$A" link set dev ua xdpdrv off || return 1
	check_reports "$A" "^ua: gifctl's XDP program was removed behind gifctl's back" || rc=1
	repaired "$A" && maps_state "$A" @ua && eq "XDP on ua" "$STATE" "@ua=gif" && traffic || rc=1
	log_test "XDP removed with ip link: check reports it, --repair attaches again" $rc

	# Another gif datapath's program (loaded by ip from gif.bpf.o: same names, other maps): not
	# this datapath's, so gifctl neither uses nor removes it; check says how to clear it.
	rc=0
	step ip -n "$A" -force link set dev ua xdpdrv obj "$GIF_BPF_OBJ" sec xdp || return 1
	id=$(xdp_id "$A" ua)
	check_reports "$A" "^ua: runs a gif XDP program of another datapath \\(id $id\\); remove \
it with 'ip link set dev ua xdp off'" || rc=1
	eq "lines check printed" "$(grep -c . <<<"$OUT")" 1 || rc=1
	log_test "XDP replaced by another gif datapath's: check reports it once, with the remedy" $rc

	rc=0
	expect 1 ns_gifctl "$A" detach ua && one_err_line "gifctl: detach ua" || rc=1
	eq "XDP program on ua" "$(xdp_id "$A" ua)" "$id" || rc=1
	log_test "XDP of another gif datapath: gifctl detach refuses, keeps it" $rc

	rc=0
	step ip -n "$A" link set dev ua xdpdrv off && step ns_gifctl "$A" attach ua mode xdp &&
		repaired "$A" && traffic || rc=1
	log_test "XDP of another gif datapath removed as check says: attach, check clean, traffic" $rc
}

# ---- the lock file -----------------------------------------------------------------------------------

# The lock file deleted while another process holds it, in a private /run of A (the host's
# /run/gifctl.lock is not touched): a gifctl already waiting gets the lock once the holder ends
# (and locks the new file), a gifctl started after the deletion goes ahead (README: "don't");
# neither fails, and A is consistent after both.
test_lock_deleted() {
	local rc=0
	timeout 60 ip netns exec "$A" bash -c '
		mount -t tmpfs -o mode=0755 gifrun /run || exit 99
		: >/run/gifctl.lock && chmod 600 /run/gifctl.lock
		flock -o /run/gifctl.lock sleep 2 &
		holder=$!
		sleep 0.3
		"$1" -w 20 tunnel set gifw 198.18.0.1 198.18.0.11 &
		waiter=$!
		sleep 0.3
		rm /run/gifctl.lock
		"$1" -w 20 tunnel set gifn 198.18.0.1 198.18.0.12
		echo "after deletion: $?"
		wait $waiter
		echo "waiting: $?"
		wait $holder
		stat -c "lock: %F %a %U" /run/gifctl.lock' lock "$GIFCTL" >"$TMPD/lock.out" 2>"$TMPD/lock.err"
	eq "the two gifctl runs, the lock file after" "$(xargs <"$TMPD/lock.out")" \
		"after deletion: 0 waiting: 0 lock: regular empty file 600 root" ||
		{ note "stderr: $(<"$TMPD/lock.err")"; rc=1; }
	link_exists "$A" gifw && link_exists "$A" gifn || { note "gifw or gifn missing"; rc=1; }
	check_clean "$A" && maps_consistent "$A" || rc=1
	log_test "lock file deleted while held: both gifctl complete, A consistent" $rc
	step ns_gifctl "$A" destroy gifw && step ns_gifctl "$A" destroy gifn
}

# ---- the change journal ---------------------------------------------------------------------------------

FAULT=${GIFCTL_FAULT_BIN:-$ROOT/build/gifctl-fault}

# The journal in the lock file (README "Crash consistency") keeps one line per namespace with an
# interrupted change. A line of a namespace deleted since cannot be told from a live one: it stays
# (bounded: the journal keeps its newer half when full), and must not disturb other namespaces.
# A private lock file is bind-mounted over /run/gifctl.lock.
test_journal() {
	local lock=$TMPD/journal.lock
	if [ ! -x "$FAULT" ]; then
		skip_test "journal: stale lines of deleted namespaces" "$FAULT not built"
		return
	fi
	: >"$lock" && chmod 600 "$lock"
	# shellcheck disable=SC2016 # expanded by the inner shell
	run timeout 120 unshare -m --propagation private bash -c '
		mount --bind "$1" /run/gifctl.lock || exit 99
		for i in 1 2 3; do	# killed after noting the change, in throwaway namespaces
			sh -c "GIFCTL_FAULT=begun unshare -n \"\$0\" attach lo >/dev/null 2>&1; :" "$2" \
				2>/dev/null
		done
		echo "lines after 3 killed changes: $(wc -l </run/gifctl.lock)"
		ip netns exec "$3" "$4" tunnel set gifj 198.18.0.1 198.18.0.66 >&2
		echo "tunnel set in another namespace: $?"
		ip netns exec "$3" "$4" check >&2
		echo "check there: $?"
		echo "lines after: $(wc -l </run/gifctl.lock)"
	' journal "$lock" "$FAULT" "$A" "$GIFCTL"
	eq "journal" "$(xargs <<<"$OUT")" "lines after 3 killed changes: 3 tunnel set in another \
namespace: 0 check there: 0 lines after: 3" || { note "stderr: $ERR"; false; }
	log_test "journal: stale lines of deleted namespaces do not disturb other namespaces" $?

	# Stale lines up to 4090 bytes (cookies no namespace has): a change elsewhere still works.
	"$PY" -c 'import sys; sys.stdout.write("".join("%d\n" % (900000000000 + i) for i in range(314)) + "1234567\n")' >"$lock"
	run timeout 60 unshare -m --propagation private bash -c '
		mount --bind "$1" /run/gifctl.lock || exit 99
		ip netns exec "$2" "$3" tunnel set gifj2 198.18.0.1 198.18.0.67' journal "$lock" "$A" "$GIFCTL"
	[ "$RC" -eq 0 ] || note "tunnel set with $(wc -c <"$lock") bytes of stale journal exited $RC: $ERR"
	log_test "journal full of stale lines: changes in other namespaces still work" $RC
	ns_gifctl "$A" destroy gifj >/dev/null 2>&1
	ns_gifctl "$A" destroy gifj2 >/dev/null 2>&1
	check_clean "$A"
	log_test "journal: A consistent after" $?
}

# ---- full maps -----------------------------------------------------------------------------------------

# Fills a hash-of-maps of A's datapath with bogus entries (all pointing to one existing inner map)
# until the kernel says E2BIG: argv rx|tx. Prints how many went in. Bounded: ~65,536 updates.
FILL_PY='
import ctypes, json, os, struct, subprocess, sys
libc = ctypes.CDLL(None, use_errno=True)
def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    return libc.syscall(321, cmd, buf, 128), ctypes.get_errno()
def bt(*a):
    return json.loads(subprocess.run(("bpftool", "-j") + a, check=True, capture_output=True,
                                     text=True).stdout or "null")
def fd_of(map_id):
    fd, err = bpf(14, struct.pack("<III", map_id, 0, 0))     # BPF_MAP_GET_FD_BY_ID
    if fd < 0:
        sys.exit("map %d: %s" % (map_id, os.strerror(err)))
    return fd
links = json.loads(subprocess.run(("ip", "-j", "link", "show", "ua"), check=True,
                                  capture_output=True, text=True).stdout)
maps = {bt("map", "show", "id", str(m))["name"]: m
        for m in bt("prog", "show", "id", str(links[0]["xdp"]["prog"]["id"]))["map_ids"]}
v = bt("map", "dump", "id", str(maps["gif_tx"]))[0]["value"]
inner = v if isinstance(v, int) else int.from_bytes(bytes(int(x, 16) for x in v), "little")
outer, ifd = fd_of(maps["gif_" + sys.argv[1]]), fd_of(inner)
val = ctypes.create_string_buffer(struct.pack("<I", ifd), 4)
n = err = 0
while n < 70000:
    if sys.argv[1] == "rx":   # 203.0.113.1 <- 10.x.y.z
        key = struct.pack("<I4s12s4s12s", 2, bytes([203, 0, 113, 1]), bytes(12),
                          struct.pack(">I", 0x0a000000 + n), bytes(12))
    else:                     # ifindexes no device has
        key = struct.pack("<I", 0x7f000000 + n)
    k = ctypes.create_string_buffer(key, len(key))
    r, err = bpf(2, struct.pack("<IIQQQ", outer, 0, ctypes.addressof(k), ctypes.addressof(val), 1))
    if r < 0:
        break
    n += 1
print(n, os.strerror(err) if err else "")
'

# map_full rx|tx WHAT: with that map full, a new tunnel is refused with a clear message and
# nothing of it is left; the next command succeeds and A is consistent after repair
map_full() {
	local rc=0 t0 before
	maps_state "$A" gif0 gif6 || { log_test "$2 full: A consistent before" 1; return; }
	before=$STATE
	t0=$(now_ms)
	run timeout 120 ip netns exec "$A" "$PY" -c "$FILL_PY" "$1"
	note "filled gif_$1: $OUT $ERR ($(($(now_ms) - t0)) ms)"
	[ "$RC" -eq 0 ] && [[ $OUT == *"Argument list too long"* ]] ||
		{ note "could not fill gif_$1"; log_test "$2 full: reachable" 1; return; }
	# Not ns_gifctl's 20 s: the failure's repair then deletes the ~65,000 bogus entries, each
	# deletion from a map of maps waiting for an RCU grace period.
	t0=$(now_ms)
	run timeout 300 ip netns exec "$A" "$GIFCTL" tunnel set gifmax 198.18.0.1 198.18.0.99
	note "tunnel set with gif_$1 full took $(($(now_ms) - t0)) ms"
	no_crash || rc=1
	[ "$RC" -eq 1 ] && one_err_line "gifctl: tunnel set gifmax" || rc=1
	[[ ${ERR#*gifmax:} =~ full|65536|too\ many\ tunnels|limit ]] ||
		{ note "the error does not say the tunnel map is full: $ERR"; rc=1; }
	no_link "$A" gifmax && no_link "$A" gifmax-gp || rc=1
	log_test "$2 full: tunnel set refused with a clear message, nothing left" $rc

	rc=0
	repaired "$A" && maps_state "$A" gif0 gif6 && eq "gif0, gif6" "$STATE" "$before" || rc=1
	step ns_gifctl "$A" tunnel set gifmax 198.18.0.1 198.18.0.99 &&
		step ns_gifctl "$A" destroy gifmax && check_clean "$A" && traffic || rc=1
	log_test "$2 full: after repair the next tunnel set works, A consistent" $rc
}

# Each takes a minute or more (filling: ~65,000 map-of-maps updates; the failure's repair: as many
# deletions); gif_tx only with GIF_TEST_SLOW=1.
test_maps_full() {
	map_full rx "gif_rx (endpoint pairs)"
	if [ "${GIF_TEST_SLOW:-0}" = 1 ]; then
		map_full tx "gif_tx (gif devices)"
	else
		skip_test "gif_tx (gif devices) full" "slow (about a minute): GIF_TEST_SLOW=1 runs it"
	fi
}

snapshot_bin GIFCTL || fatal "a copy of $GIFCTL"
rig_up
test_underlay_deleted
test_gif_deleted
test_device_damage
test_not_ours
test_netns_deleted
test_xdp_replaced
test_lock_deleted
test_journal
test_maps_full
tests_done
