#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Exclusive use of an endpoint pair and the global lock: duplicate pairs refused without leftovers,
# 16 racing `tunnel set` with one winner, SIGINT/SIGTERM while waiting for a held lock, `-w 1`
# expiry naming the holder, `show` not blocked by the lock.
# The lock proved (issue 4), in a namespace with a private tmpfs on /run, so that no other
# gifctl's lock file is touched: a real gifctl holding the lock and stopped with SIGSTOP keeps
# others waiting, and they stay interruptible (SIGINT exit 130, SIGTERM exit 143, each gone within
# 100 ms, nothing changed); `-w 0.5` expires after 0.5 s (not before, at most 2 s late) naming the
# holder; SIGKILL of the holder lets a waiter in within 100 ms, and it repairs what the holder
# left; the lock file is opened O_NOFOLLOW|O_CLOEXEC (fdinfo) and created 0600 whatever the umask;
# a symlink planted at its path is refused and its target untouched; a dangling symlink or a 0644
# file is refused; a lock file replaced while a waiter waits is taken anew.
# shellcheck disable=SC2154 # wi, w4, w5: set by waiter (printf -v)
source "$(dirname "$0")/lib.sh"

FAULT=${GIFCTL_FAULT_BIN:-$ROOT/build/gifctl-fault}

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

# interrupted SIG WANT: gifctl waiting for the held lock gets SIG: exits WANT within 1 s with one
# error line, creating nothing
interrupted() {
	local sig=$1 want=$2 t0 ws rc=0
	hold_lock || return 1
	waiter ws ip netns exec "$A" "$GIFCTL" tunnel set gifsig 198.18.6.1 198.18.6.2 ||
		{ release_lock; return 1; }
	t0=$(now_ms)
	kill -"$sig" "$ws"
	busywait $((1000 * TIME_SCALE)) exited "$ws" ||
		{ note "still running 1 s after SIG$sig"; kill -9 "$ws"; rc=1; }
	wait "$ws"
	eq "exit status after SIG$sig" $? "$want" || rc=1
	note "(exited $(($(now_ms) - t0)) ms after the signal)"
	ERR=$(<"$TMPD/ws.err")
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
	expect 0 ns_gifctl "$A" -j show && [ "$MS" -lt $((2000 * TIME_SCALE)) ] ||
		{ note "show took $MS ms while the lock was held"; rc=1; }
	log_test "show does not wait for the lock" $rc

	rc=0
	expect 1 ns_gifctl "$A" -w 1 tunnel set gifw 198.18.7.1 198.18.7.2 &&
		one_err_line "gifctl: tunnel set gifw" || rc=1
	local most=$((1000 + 2000 * TIME_SCALE))	# ms: the wait, plus a start-up that emulation slows
	[ "$MS" -ge 900 ] && [ "$MS" -le $most ] || { note "gave up after $MS ms (900-$most ms)"; rc=1; }
	[[ $ERR =~ (^|[^0-9])$HOLDER([^0-9]|$) ]] || { note "stderr lacks holder $HOLDER"; rc=1; }
	no_link "$A" gifw || rc=1
	log_test "-w 1 while the lock is held: exit 1 after ~1 s, names holder" $rc
	release_lock

	step ns_gifctl "$A" -w 1 tunnel set gifw 198.18.7.1 198.18.7.2 && link_exists "$A" gifw
	log_test "-w 1 once the lock is free: tunnel set succeeds" $?
}

# ---- the lock, in a private /run -------------------------------------------------------------

# lock_state PID: $LOCKST = "holds", "waits" or "none": PID's flock in /proc/locks (no fork, so
# that it can be polled every millisecond). "none" is read three times: a read of /proc/locks
# can miss an entry while other processes on the machine take or drop locks.
lock_state() {
	local line try
	for try in 1 2 3; do
		LOCKST=none
		while read -r line; do
			[[ $line =~ ^[0-9]+:\ (-\>\ )?FLOCK\ +ADVISORY\ +WRITE\ +$1\  ]] || continue
			if [ -n "${BASH_REMATCH[1]}" ]; then LOCKST=waits; else LOCKST=holds; fi
		done </proc/locks
		[ "$LOCKST" != none ] && return
	done
}

# is_state PID STATE
is_state() { lock_state "$1"; [ "$LOCKST" = "$2" ]; }

# usec: microseconds now
usec() { USEC=${EPOCHREALTIME/[.,]/}; }

# hold_real: a real gifctl (the fault build, `tunnel set gifh`) takes the lock and blocks writing
# its first fault-point line into a full pipe: it holds the lock mid-change, its journal line
# written. $HOLDER is its pid.
hold_real() {
	rm -f "$TMPD/hold.fifo"
	mkfifo "$TMPD/hold.fifo" && exec {HOLDFD}<>"$TMPD/hold.fifo" || return 1
	"$PY" -c '
import os, sys
fd = int(sys.argv[1])
os.set_blocking(fd, False)
for size in (4096, 1):
    try:
        while True:
            os.write(fd, b"x" * size)
    except BlockingIOError:
        pass
os.set_blocking(fd, True)' "$HOLDFD" || return 1
	GIFCTL_FAULT_TRACE=1 "$FAULT" tunnel set gifh 198.18.8.1 198.18.8.2 2>&"$HOLDFD" &
	HOLDER=$!
	disown "$HOLDER"	# no "Killed" report from bash
	busywait 5000 is_state "$HOLDER" holds && return 0
	note "gifctl-fault $HOLDER did not take the lock"
	return 1
}

# waiter VAR CMD...: start CMD in the background (SIGINT/SIGTERM at their default), wait until it
# waits for the lock; its pid in VAR, its stderr in $TMPD/VAR.err
waiter() {
	local var=$1
	shift
	env --default-signal=INT,TERM "$@" >/dev/null 2>"$TMPD/$var.err" &
	printf -v "$var" %s $!
	busywait $((5000 * TIME_SCALE)) is_state $! waits && return 0
	note "$* ($!) is not waiting for the lock (state $LOCKST)"
	return 1
}

# interrupt SIG WANT NAME: a waiter (`tunnel set NAME`) exits WANT within 100 ms of SIG, with one
# error line naming the holder, NAME not created. The latency is the best of up to 3 waiters (the
# machine may be busy); every one must exit as it should.
interrupt() {
	local sig=$1 want=$2 name=$3 try t0 st rc=0 best=999999 all=
	for try in 1 2 3; do
		waiter wi "$GIFCTL" tunnel set "$name" 198.18.8.5 198.18.8.6 || return 1
		usec
		t0=$USEC
		kill -"$sig" "$wi"
		wait "$wi"
		st=$?
		usec
		all+=" $(((USEC - t0) / 1000))"
		[ $((USEC - t0)) -lt $best ] && best=$((USEC - t0))
		eq "exit status after SIG$sig" "$st" "$want" || rc=1
		ERR=$(<"$TMPD/wi.err")
		one_err_line "gifctl: tunnel set $name: interrupted while waiting" || rc=1
		[[ $ERR == *"pid $HOLDER"* ]] || { note "stderr does not name holder $HOLDER"; rc=1; }
		link_here "$name" && { note "$name was created"; rc=1; }
		[ $rc -eq 0 ] && [ $best -lt $((100000 * TIME_SCALE)) ] && break
	done
	echo "        (SIG$sig: exited after$all ms)"
	[ $best -lt $((100000 * TIME_SCALE)) ] || { note "exited$all ms after SIG$sig"; rc=1; }
	return $rc
}

# link_here DEV: DEV exists in this namespace
link_here() { ip link show dev "$1" >/dev/null 2>&1; }

# fdflags PID PATH: octal flags of PID's fd open on PATH (fdinfo)
fdflags() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd")" = "$2" ] && sed -n 's/^flags:\t*//p' "/proc/$1/fdinfo/${fd##*/}"
	done
}

lock_tests() {
	local rc=0 w1 flags t0 st
	hold_real || fatal "a real gifctl holding the lock"
	flags=$(fdflags "$HOLDER" /run/gifctl.lock)
	[ -n "$flags" ] && (((8#$flags & 8#2000000) && (8#$flags & 8#400000))) ||
		{ note "flags of the lock fd: '$flags', want O_CLOEXEC (02000000), O_NOFOLLOW (0400000)"; rc=1; }
	log_test "lock file opened O_NOFOLLOW|O_CLOEXEC (fdinfo flags $flags)" $rc

	rc=0
	kill -STOP "$HOLDER"
	[ "$(cut -d' ' -f3 "/proc/$HOLDER/stat")" = T ] || { note "holder not stopped"; rc=1; }
	waiter w1 "$GIFCTL" tunnel set gifw1 198.18.8.5 198.18.8.6 || rc=1
	sleep 1
	is_state "$w1" waits || { note "waiter $w1: $LOCKST after 1 s"; rc=1; }
	log_test "holder stopped (SIGSTOP): a waiter still waits after 1 s" $rc
	kill -INT "$w1"
	wait "$w1"
	interrupt INT 130 gifw1
	log_test "holder stopped: SIGINT ends a waiter within 100 ms, exit 130" $?
	interrupt TERM 143 gifw2
	log_test "holder stopped: SIGTERM ends a waiter within 100 ms, exit 143" $?

	rc=0
	expect 1 "$GIFCTL" -w 0.5 tunnel set gifw3 198.18.8.5 198.18.8.6 &&
		one_err_line "gifctl: tunnel set gifw3: timed out" || rc=1
	# never early; late by at most 2 s on a busy machine
	[ "$MS" -ge 500 ] && [ "$MS" -lt 2500 ] || { note "gave up after $MS ms (0.5-2.5 s)"; rc=1; }
	[[ $ERR == *"pid $HOLDER"* ]] || { note "stderr does not name holder $HOLDER"; rc=1; }
	link_here gifw3 && { note "gifw3 was created"; rc=1; }
	log_test "holder stopped: -w 0.5 gives up after $MS ms, naming the holder" $rc

	# The waiter is the fault build with the trace on: its first line comes right after it took
	# the lock and repaired what the holder left ("begun"). Best of up to 3 holders.
	rc=0
	local try best=999999 all=
	for try in 1 2 3; do
		[ "$try" -eq 1 ] || { hold_real && kill -STOP "$HOLDER"; } || { rc=1; break; }
		GIFCTL_FAULT_TRACE=1 waiter w4 "$FAULT" tunnel set gifw4 198.18.8.5 198.18.8.6 ||
			{ rc=1; break; }
		usec
		t0=$USEC
		kill -KILL "$HOLDER"
		while usec; [ $((USEC - t0)) -lt $((2000000 * TIME_SCALE)) ]; do
			read -r st <"$TMPD/w4.err" && [ "$st" = "fault-point begun" ] && break
		done
		usec
		all+=" $(((USEC - t0) / 1000))"
		[ $((USEC - t0)) -lt $best ] && best=$((USEC - t0))
		wait "$w4"
		eq "waiter's exit status" $? 0 || { note "$(<"$TMPD/w4.err")"; rc=1; }
		exec {HOLDFD}>&-
		link_here gifw4 || { note "gifw4 not created"; rc=1; }
		link_here gifh && { note "the killed holder's gifh exists"; rc=1; }
		check_clean_here || rc=1
		[ $rc -eq 0 ] && [ $best -lt $((100000 * TIME_SCALE)) ] && break
	done
	echo "        (SIGKILL of the holder: the waiter had the lock after$all ms)"
	[ $best -lt $((100000 * TIME_SCALE)) ] ||
		{ note "waiter took the lock$all ms after SIGKILL of the holder"; rc=1; }
	log_test "holder killed (SIGKILL): a waiter proceeds within 100 ms, repairs" $rc

	rc=0
	rm -f /run/gifctl.lock
	st=$(umask 0 && "$GIFCTL" check && stat -c '%a %F' /run/gifctl.lock)
	[[ $st == "600 regular"* ]] || { note "created as: $st"; rc=1; }
	log_test "lock file created 0600 with umask 0 (${st%% *})" $rc

	rc=0
	rm -f /run/gifctl.lock
	echo "not a lock" >"$TMPD/target"
	chmod 600 "$TMPD/target"
	touch -d 2001-01-01 "$TMPD/target"
	ln -s "$TMPD/target" /run/gifctl.lock
	expect 1 "$GIFCTL" tunnel set gifs 198.18.8.9 198.18.8.10 &&
		one_err_line "gifctl: tunnel set gifs:" || rc=1
	[[ $ERR == *symlink* ]] || { note "stderr does not mention the symlink: $ERR"; rc=1; }
	eq "target" "$(cat "$TMPD/target") $(stat -c '%s %Y %a' "$TMPD/target")" \
		"not a lock 11 $(date -d 2001-01-01 +%s) 600" || rc=1
	link_here gifs && { note "gifs was created"; rc=1; }
	expect 1 "$GIFCTL" check || rc=1
	[ -L /run/gifctl.lock ] || { note "the symlink was replaced"; rc=1; }
	log_test "symlink at the lock path: refused (exit 1, says symlink), target untouched" $rc

	rc=0
	rm -f /run/gifctl.lock
	ln -s "$TMPD/absent" /run/gifctl.lock
	expect 1 "$GIFCTL" tunnel set gifs 198.18.8.9 198.18.8.10 || rc=1
	[ -e "$TMPD/absent" ] && { note "the symlink's target was created"; rc=1; }
	rm -f /run/gifctl.lock
	install -m 644 /dev/null /run/gifctl.lock
	expect 1 "$GIFCTL" tunnel set gifs 198.18.8.9 198.18.8.10 || rc=1
	link_here gifs && { note "gifs was created"; rc=1; }
	rm -f /run/gifctl.lock
	log_test "dangling symlink, lock file of mode 0644: refused, nothing created" $rc

	# Replaced while waiting: the waiter wakes on the old file, sees it is no longer the lock,
	# and must wait for the holder of the new one.
	rc=0
	: >/run/gifctl.lock
	chmod 600 /run/gifctl.lock
	flock -o /run/gifctl.lock sleep 30 &
	local h1=$! h2
	busywait 2000 is_state $h1 holds || rc=1
	waiter w5 "$GIFCTL" tunnel set gifw5 198.18.8.15 198.18.8.16 || rc=1
	mv /run/gifctl.lock /run/gifctl.lock.old
	install -m 600 /dev/null /run/gifctl.lock
	flock -o /run/gifctl.lock sleep 30 &
	h2=$!
	busywait 2000 is_state $h2 holds || rc=1
	kill "$h1"
	wait "$h1" 2>/dev/null
	sleep 0.5
	is_state "$w5" waits || { note "after the old file's holder left, waiter is: $LOCKST"; rc=1; }
	link_here gifw5 && { note "gifw5 created while the new lock file was held"; rc=1; }
	kill "$h2"
	wait "$h2" 2>/dev/null
	wait "$w5"
	eq "waiter's exit status once the new file is free" $? 0 || { note "$(<"$TMPD/w5.err")"; rc=1; }
	link_here gifw5 || { note "gifw5 not created"; rc=1; }
	log_test "lock file replaced while waiting: the new one is waited for" $rc
}

# check_clean_here: like check_clean, in this namespace
check_clean_here() {
	expect 0 "$GIFCTL" check || return 1
	[ -z "$OUT$ERR" ] && return 0
	note "gifctl check exited 0 but printed: $OUT $ERR"
	return 1
}

if [ "${1:-}" = --private-run ]; then
	# Inside the namespace, in a mount namespace of our own with a tmpfs on /run.
	lock_tests
	tests_done
fi

rig_up
[ -x "$FAULT" ] || { note "fault-injection build not found: $FAULT (make)"; fatal "prerequisites"; }
snapshot_bin GIFCTL && snapshot_bin FAULT || fatal "cannot copy the binaries"
test_duplicate
test_race
test_signals
test_wait_expiry
ns_new C gifC || fatal "namespace"
GIFCTL=$GIFCTL GIFCTL_FAULT_BIN=$FAULT timeout 120 ip netns exec "$C" \
	unshare -m --propagation private bash -c \
	'mount -t tmpfs -o mode=755 gif-test /run && exec bash "$0" --private-run' "$0" ||
	NFAIL=$((NFAIL + 1))
tests_done
