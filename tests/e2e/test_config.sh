#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gifctl dump / apply: the whole configuration round-trips, applying it twice changes nothing,
# a bad file changes nothing, a failing apply restores what was there, pairs can be swapped.
source "$(dirname "$0")/lib.sh"

# dump_of NS: the dump of NS into $OUT (a test fails if dump does)
dump_of() { step ns_gifctl "$1" dump; }

# same_dump NS WANT: NS dumps exactly WANT
same_dump() {
	dump_of "$1" || return 1
	[ "$OUT" = "$2" ] && return 0
	note "dump differs:"$'\n'"$(diff <(echo "$2") <(echo "$OUT"))"
	return 1
}

ifindexes() { ip -n "$1" -j link show | jeval doc 'sorted((l["ifname"], l["ifindex"]) for l in j)'; }

test_fresh() {
	expect 0 ns_gifctl "$C" dump && [ "$(grep -vc '^#' <<<"$OUT")" -eq 0 ] ||
		{ note "dump of an empty namespace: $OUT"; false; }
	log_test "dump of a namespace without gifctl: only the header comment" $?
}

test_round_trip() {
	local before rc=0
	step ns_gifctl "$A" tunnel set gif0 198.18.0.1 198.18.0.2 ttl 33 dscp 10 ecn compat &&
		step ns_gifctl "$A" tunnel set gifx 198.18.0.1 198.18.0.77 pmtudisc off &&
		step ns_gifctl "$A" tunnel delete gifx && dump_of "$A" || rc=1
	before=$OUT
	grep -q '^attach ua mode xdp$' <<<"$before" && grep -q '^tunnel gifx ttl 64' <<<"$before" &&
		grep -q '^tunnel gif0 198.18.0.1 198.18.0.2 ttl 33 dscp 10 ecn compat' <<<"$before" ||
		{ note "dump lacks what was set:"$'\n'"$before"; rc=1; }
	echo "$before" >"$TMPD/conf"
	for d in gif0 gif6 gifx; do step ns_gifctl "$A" destroy $d || rc=1; done
	step ns_gifctl "$A" detach ua && same_dump "$A" "$(head -n 1 <<<"$before")" || rc=1
	step ns_gifctl "$A" apply "$TMPD/conf" && same_dump "$A" "$before" || rc=1
	log_test "dump -> destroy everything -> apply -> dump is identical" $rc

	# Addresses on gif devices are not gifctl's configuration: destroy took them.
	inner_addrs "$A" 1 2 || rc=1
	ping_ok "$A" "$(addr 4in4 2)" && ping_ok "$A" "$(addr 6in6 2)" || rc=1
	log_test "re-created tunnels carry traffic once addressed again" $rc
	rc=0
	step ns_gifctl "$A" -j show gif0 &&
		jcheck 'j[0]["ttl"] == 33 and j[0]["dscp"] == 10 and j[0]["ecn"] == "compat"' <<<"$OUT" ||
		rc=1
	log_test "applied options are in force (show -j)" $rc

	ns_gifctl "$A" -j stats | jcheck 'sorted(o.get("name", "") for o in j) == ["", "gif0", "gif6", "gifx"]
		and all(isinstance(o["rx_packets"], int) and o["rx_packets"] >= 0 for o in j)
		and [o["ifindex"] for o in j if "name" not in o] == [0]
		and next(o for o in j if o.get("name") == "gif0")["tx_packets"] > 0'
	log_test "stats -j: one object per device and the unclaimed entry, numbers as numbers" $?
}

test_idempotent() {
	local links rc=0
	links=$(ifindexes "$A")
	step ns_gifctl "$A" apply --dry-run "$TMPD/conf" && eq "dry run" "$OUT" "nothing to change" ||
		rc=1
	step ns_gifctl "$A" apply "$TMPD/conf" && eq "apply output" "$OUT" "" || rc=1
	eq "devices (name, ifindex)" "$(ifindexes "$A")" "$links" || rc=1
	log_test "applying the same file again changes nothing" $rc
}

test_bad_files() {
	local before bad rc=0
	dump_of "$A" || rc=1
	before=$OUT
	while IFS='|' read -r bad want; do
		printf '%b' "$bad" >"$TMPD/bad"
		expect 1 ns_gifctl "$A" apply "$TMPD/bad" && one_err_line "gifctl: apply" &&
			[[ $ERR == *"$want"* ]] || { note "file: $bad; want: $want"; rc=1; }
	done <<'EOT'
frobnicate gif0\n|line 1: unknown statement 'frobnicate'
tunnel gif0 198.18.0.1 198.18.0.2\ntunnel gif0 198.18.0.1 198.18.0.3\n|line 2: gif0 is configured on line 1 already
tunnel gif0 198.18.0.1 198.18.0.2\ntunnel gif9 198.18.0.1 198.18.0.2\n|line 2: gif9 uses the endpoints of gif0 (line 1)
tunnel a 198.18.0.1 198.18.0.2\ntunnel b 198.18.0.1 198.18.0.3\ntunnel c 198.18.0.1 198.18.0.2\ntunnel a 198.18.0.1 198.18.0.4\n|line 3: c uses the endpoints of a (line 1)
tunnel z 198.18.0.1 198.18.0.2\ntunnel y 198.18.0.1 198.18.0.3\ntunnel z 198.18.0.1 198.18.0.4\ntunnel z 198.18.0.1 198.18.0.5\n|line 3: z is configured on line 1 already
tunnel a 198.18.0.1 198.18.0.2\ntunnel b 198.18.0.1 198.18.0.3\ntunnel b 198.18.0.1 198.18.0.2\n|line 3: b uses the endpoints of a (line 1)
tunnel b 198.18.0.1 198.18.0.3\ntunnel a 198.18.0.1 198.18.0.2\ntunnel b 198.18.0.1 198.18.0.2\n|line 3: b is configured on line 1 already
tunnel gif0 198.18.0.1 198.18.0.2 ttl 0\n|line 1: invalid ttl '0'
tunnel gif0 198.18.0.1 2001:db8::2\n|line 1: source and destination must both be
tunnel gif0 198.18.0.1\n|line 1: DST missing
attach ua\nattach ua\n|line 2: ua is attached on line 1 already
attach ua mode foo\n|line 1: unknown mode 'foo' (xdp, tc)
attach ua tc\n|line 1: expected 'attach IFACE [mode xdp|tc]'
attach nosuchdev0\n|line 1: nosuchdev0: no such device
tunnel ua 198.18.0.1 198.18.0.2\n|line 1: ua exists and is not a gif device
tunnel lo 198.18.0.1 198.18.0.2\n|line 1: lo exists and is not a gif device
EOT
	same_dump "$A" "$before" || rc=1
	log_test "bad files: exit 1, one line naming the line, nothing changed" $rc
}

# The decapsulation mode is configuration: dump writes it, apply switches it (make-before-break)
# and a file without it leaves the attached mode alone.
test_mode() {
	local before rc=0
	dump_of "$A" || rc=1
	before=$OUT
	sed 's/^attach ua mode xdp$/attach ua mode tc/' <<<"$before" >"$TMPD/tc.conf"
	expect 0 ns_gifctl "$A" apply --dry-run "$TMPD/tc.conf" && [ "$OUT" = "attach ua mode tc" ] ||
		{ note "dry run: $OUT"; rc=1; }
	step ns_gifctl "$A" apply "$TMPD/tc.conf" && same_dump "$A" "$(<"$TMPD/tc.conf")" &&
		check_clean "$A" && ping_ok "$A" "$(addr 4in4 2)" || rc=1
	sed 's/^attach ua mode tc$/attach ua/' "$TMPD/tc.conf" >"$TMPD/auto.conf"
	expect 0 ns_gifctl "$A" apply --dry-run "$TMPD/auto.conf" && [ "$OUT" = "nothing to change" ] ||
		{ note "dry run without a mode: $OUT"; rc=1; }
	step ns_gifctl "$A" apply - <<<"$before" && same_dump "$A" "$before" || rc=1
	log_test "apply switches the mode a file names (xdp -> tc -> xdp); none named: kept" $rc
}

test_restore() {
	local before rc=0
	dump_of "$A" || rc=1
	before=$OUT
	printf 'tunnel gif0 198.18.0.1 198.18.0.5\ntunnel gif5 198.18.0.1 198.18.0.6 mtu 9000\n' \
		>"$TMPD/fails"
	expect 1 ns_gifctl "$A" apply "$TMPD/fails" && [[ $ERR == *"previous configuration"* ]] ||
		rc=1
	same_dump "$A" "$before" && check_clean "$A" || rc=1
	ping_ok "$A" "$(addr 4in4 2)" || rc=1
	log_test "a failing apply restores the previous configuration" $rc
}

test_swap() {
	local rc=0
	printf 'attach ua\ntunnel gif0 198.18.0.1 198.18.0.9\ntunnel gif9 198.18.0.1 198.18.0.2\n' |
		expect 0 ip netns exec "$A" "$GIFCTL" apply - || rc=1
	ns_gifctl "$A" -j show | jcheck '{o["name"]: o.get("dst") for o in j} ==
		{"gif0": "198.18.0.9", "gif9": "198.18.0.2"}' || rc=1
	check_clean "$A" || rc=1
	log_test "apply from stdin moves a pair between devices; check clean" $rc
}

# More new tunnels than gifctl publishes in one batch (256, ctl/switches.c): every one published,
# each pair its device's (check), and a second apply has nothing to change.
test_bulk() {
	local i n=300 rc=0
	for ((i = 0; i < n; i++)); do
		echo "tunnel gb$i 198.18.1.1 198.18.$((2 + i / 256)).$((i % 256))"
	done >"$TMPD/bulk"
	step ns_gifctl "$C" apply "$TMPD/bulk" || rc=1
	ns_gifctl "$C" -j show | jcheck "sorted((o['name'], o['dst']) for o in j) == sorted(
		('gb%d' % i, '198.18.%d.%d' % (2 + i // 256, i % 256)) for i in range($n))" || rc=1
	check_clean "$C" || rc=1
	expect 0 ns_gifctl "$C" apply --dry-run "$TMPD/bulk" && [ "$OUT" = "nothing to change" ] ||
		{ note "a second apply would change: $OUT"; rc=1; }
	log_test "apply of $n new tunnels (two batches of switches): all published, check clean" $rc
}

rig_up
ns_new C gifC || fatal "namespace C"
test_fresh
test_round_trip
test_idempotent
test_bad_files
test_restore
test_mode
test_swap
test_bulk
tests_done
