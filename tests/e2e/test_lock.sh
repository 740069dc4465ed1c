#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Exclusive use of an endpoint pair and the global lock: duplicate pairs refused without leftovers,
# 16 racing `tunnel set` with one winner, SIGINT/SIGTERM while waiting for a held lock, `-w 1`
# expiry naming the holder, `show` not blocked by the lock.
source "$(dirname "$0")/lib.sh"

# dup_refused OWNER GIF SRC DST: the pair belongs to OWNER, so `tunnel set GIF` fails cleanly
dup_refused() {
	expect 1 ns_gifctl "$A" tunnel set "$2" "$3" "$4" && one_err_line "gifctl: tunnel set $2" &&
		no_link "$A" "$2" && no_link "$A" "$2-gp" || return 1
	[[ $ERR == *"already used by $1"* ]] && return 0
	note "stderr lacks 'already used by $1'"
	return 1
}

test_duplicate() {
	dup_refused gif0 gif1 198.18.0.1 198.18.0.2
	log_test "duplicate IPv4 pair: exit 1, 'already used by gif0', no gif1" $?
	dup_refused gif6 gif7 2001:db8:ff::1 2001:db8:ff::2
	log_test "duplicate IPv6 pair: exit 1, 'already used by gif6', no gif7" $?
	ping_ok "$A" "$(addr 4in4 2)"
	log_test "gif0 still works after the refused duplicate" $?
}

# racer N: one of the racing processes
racer() { ns_gifctl "$A" tunnel set "gifr$1" 198.18.5.1 198.18.5.2 >/dev/null 2>"$TMPD/race$1"; }

test_race() {
	local i st rc=0 pids=() won=() lost=()
	step ip -n "$A" addr add 198.18.5.1/24 dev ua || rc=1
	for i in $(seq 16); do
		racer "$i" &
		pids+=($!)
	done
	for i in $(seq 16); do
		wait "${pids[$((i - 1))]}"
		st=$?
		case $st in
		0) won+=("gifr$i") ;;
		1) lost+=("$i") ;;
		*) note "gifr$i exited $st: $(<"$TMPD/race$i")" ;;
		esac
	done
	eq "winners" "${#won[@]}" 1 && eq "exit 1 count" "${#lost[@]}" 15 || rc=1
	eq "gifr* links in A" "$(links "$A" | grep '^gifr' | sort | xargs)" \
		"$(printf '%s\n' "${won[@]}" "${won[@]/%/-gp}" | sort | xargs)" || rc=1
	for i in "${lost[@]}"; do
		ERR=$(<"$TMPD/race$i")
		one_err_line "gifctl: tunnel set gifr$i" || rc=1
		[[ $ERR == *"already used by ${won[0]:-?}"* ]] || { note "gifr$i: $ERR"; rc=1; }
	done
	ns_gifctl "$A" -j show | jwant 1 src=198.18.5.1 -- name="${won[0]:-?}" || rc=1
	log_test "16 racing tunnel set on one pair: 1 winner, 15 refused" $rc
}

# hold_lock: another process holds the lock ($HOLDER is the pid /proc/locks shows)
hold_lock() {
	spawn flock -o "$LOCKFILE" sleep 30
	HOLDER=$BGPID
	busywait 2000 eval '! flock -n "$LOCKFILE" true' && return 0
	note "could not take $LOCKFILE for the test"
	return 1
}

release_lock() {
	kill -- "-$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
}

# exited PID: PID is gone or a zombie
exited() {
	local st
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

# interrupted SIG WANT: gifctl waiting for the held lock gets SIG after 0.3 s: exits WANT within
# 1 s with one error line, creating nothing
interrupted() {
	local sig=$1 want=$2 pid t0 rc=0
	hold_lock || return 1
	# Asynchronous commands of a script ignore SIGINT; give gifctl the default disposition.
	env --default-signal=INT,TERM ip netns exec "$A" "$GIFCTL" tunnel set gifsig 198.18.6.1 \
		198.18.6.2 >/dev/null 2>"$TMPD/sig.err" &
	pid=$!
	sleep 0.3
	exited $pid && { note "gifctl did not wait for the lock"; rc=1; }
	t0=$(now_ms)
	kill -"$sig" $pid
	busywait 1000 exited $pid || { note "still running 1 s after SIG$sig"; kill -9 $pid; rc=1; }
	wait $pid
	eq "exit status after SIG$sig" $? "$want" || rc=1
	note "(exited $(($(now_ms) - t0)) ms after the signal)"
	ERR=$(<"$TMPD/sig.err")
	one_err_line "gifctl: tunnel set gifsig" || rc=1
	no_link "$A" gifsig && no_link "$A" gifsig-gp || rc=1
	release_lock
	return $rc
}

test_signals() {
	interrupted INT 130
	log_test "SIGINT while waiting for the lock: exit 130, nothing created" $?
	interrupted TERM 143
	log_test "SIGTERM while waiting for the lock: exit 143, nothing created" $?
}

test_wait_expiry() {
	local rc=0
	hold_lock || rc=1
	expect 0 ns_gifctl "$A" -j show && [ "$MS" -lt 2000 ] ||
		{ note "show took $MS ms while the lock was held"; rc=1; }
	log_test "show does not wait for the lock" $rc

	rc=0
	expect 1 ns_gifctl "$A" -w 1 tunnel set gifw 198.18.7.1 198.18.7.2 &&
		one_err_line "gifctl: tunnel set gifw" || rc=1
	[ "$MS" -ge 900 ] && [ "$MS" -le 3000 ] || { note "gave up after $MS ms (0.9-3 s)"; rc=1; }
	[[ $ERR =~ (^|[^0-9])$HOLDER([^0-9]|$) ]] || { note "stderr lacks holder $HOLDER"; rc=1; }
	no_link "$A" gifw || rc=1
	log_test "-w 1 while the lock is held: exit 1 after ~1 s, names holder" $rc
	release_lock

	step ns_gifctl "$A" -w 1 tunnel set gifw 198.18.7.1 198.18.7.2 && link_exists "$A" gifw
	log_test "-w 1 once the lock is free: tunnel set succeeds" $?
}

rig_up
test_duplicate
test_race
test_signals
test_wait_expiry
tests_done
