# SPDX-License-Identifier: GPL-2.0
# Sourced by every tests/e2e/test_*.sh: namespaces with random names (removed on exit), the
# two-namespace rig, result reporting (log_test), and assertion helpers that keep what was
# observed so a failure prints it.
#
# Rig (rig_up): namespaces $A and $B joined by veth ua <-> ub (198.18.0.1|2/24,
# 2001:db8:ff::1|2/64), gifctl attached on ua and ub, gif0 = IPv4-outer tunnel and gif6 =
# IPv6-outer tunnel configured both ways, inner addresses per ${INNER[combo]}: .1/::1 in A,
# .2/::2 in B. Only 198.18.0.0/15 and 2001:db8::/32 are used.

# shellcheck disable=SC2034 # LOCKFILE, SIDES, MS, ...: used by the test files
set -u
shopt -s lastpipe	# `cmd | jcheck ...` keeps what jcheck notes

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E=$ROOT/tests/e2e
GIFCTL=${GIFCTL:-$ROOT/build/gifctl}
GIF_RESULTS=${GIF_RESULTS:-/dev/null}
PY=/usr/bin/python3	# Debian's, with scapy; the python3 on PATH may not be
LOCKFILE=/run/gifctl.lock

# Inner prefixes per combination (host part 1 = A, 2 = B), the device carrying each, outer prefixes.
declare -A INNER=([4in4]=198.19.0. [6in4]=2001:db8:1:: [4in6]=198.19.1. [6in6]=2001:db8:2::)
declare -A VIA=([4in4]=gif0 [6in4]=gif0 [4in6]=gif6 [6in6]=gif6)
declare -A OUTER=([gif0]=198.18.0. [gif6]=2001:db8:ff::)
COMBOS="4in4 6in4 4in6 6in6"
SIDES=(- A B)

NSES=()
BGPIDS=()
NFAIL=0
FAILINFO=
TMPD=$(mktemp -d /tmp/gif-e2e.XXXXXX)

# ---- results -------------------------------------------------------------------------------

# note TEXT...: remember a line to print if the current test fails
note() { FAILINFO+="$*"$'\n'; }

# log_test NAME RC: report one test; on failure print what the checks noted
log_test() {
	local name=$1 rc=$2
	if [ "$rc" -eq 0 ]; then
		printf '    TEST: %-60s [ OK ]\n' "$name"
		echo "PASS $name" >>"$GIF_RESULTS"
	else
		printf '    TEST: %-60s [FAIL]\n' "$name"
		printf '%s' "$FAILINFO" | sed 's/^/        /'
		echo "FAIL $name" >>"$GIF_RESULTS"
		NFAIL=$((NFAIL + 1))
	fi
	FAILINFO=
}

# skip_test NAME REASON
skip_test() {
	printf '    TEST: %-60s [SKIP]\n' "$1"
	echo "        $2"
	echo "SKIP $1" >>"$GIF_RESULTS"
	FAILINFO=
}

# fatal NAME: the rest of the file cannot run
fatal() { log_test "$1" 1; exit 1; }

# tests_done: exit status of a test file
tests_done() { exit $((NFAIL > 0)); }

# ---- processes, namespaces, cleanup ---------------------------------------------------------

cleanup() {
	local rc=$? pid ns
	for pid in "${BGPIDS[@]}"; do
		kill -- "-$pid" "$pid" 2>/dev/null
	done
	for ns in "${NSES[@]}"; do
		ns_del "$ns"
	done
	rm -rf "$TMPD"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# spawn CMD...: start CMD in its own process group, so cleanup can end it and its children;
# its pid is $BGPID
spawn() {
	setsid "$@" &
	BGPID=$!
	BGPIDS+=("$BGPID")
}

# ns_new VAR PREFIX: create namespace PREFIX-<random>, lo up, no IPv6 router solicitations
ns_new() {
	local ns=$2-$RANDOM$RANDOM
	ip netns add "$ns" || return 1
	NSES+=("$ns")
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sh -c 'echo 0 >/proc/sys/net/ipv6/conf/default/router_solicitations'
	printf -v "$1" %s "$ns"
}

# ns_del NS: end what still runs inside NS, then delete it
ns_del() {
	local ns=$1 i pids
	pids=$(ip netns pids "$ns" 2>/dev/null)
	# shellcheck disable=SC2086 # one pid a word
	[ -n "$pids" ] && kill -9 $pids 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	for i in "${!NSES[@]}"; do
		[ "${NSES[$i]}" = "$ns" ] && unset "NSES[$i]"
	done
	return 0
}

# ns_gifctl NS ARGS...: one gifctl invocation inside NS, bounded in time
ns_gifctl() {
	local ns=$1
	shift
	timeout 20 ip netns exec "$ns" "$GIFCTL" "$@"
}

# preflight: root, the gifctl binary and the tools the tests use, or the file stops
preflight() {
	local t
	[ "$(id -u)" -eq 0 ] || note "the e2e tests need root"
	[ -x "$GIFCTL" ] || note "gifctl binary not found: $GIFCTL (build it, or set GIFCTL)"
	for t in ip ping tcpdump ethtool bpftool flock setsid timeout; do
		command -v $t >/dev/null || note "$t not found"
	done
	"$PY" -c 'import scapy' 2>/dev/null || note "$PY with scapy not found (python3-scapy)"
	[ -z "$FAILINFO" ] || fatal "prerequisites"
}

# ---- running commands and checking what they did -------------------------------------------

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# busywait TIMEOUT_MS CMD...: retry CMD every 100 ms until it succeeds or the time is up
busywait() {
	local deadline=$(($(now_ms) + $1))
	shift
	until "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# run CMD...: run CMD, keep stdout in $OUT, stderr in $ERR, exit status in $RC and time in $MS
run() {
	local t0
	t0=$(now_ms)
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	RC=$?
	MS=$(($(now_ms) - t0))
	OUT=$(<"$TMPD/out")
	ERR=$(<"$TMPD/err")
	return 0
}

# expect WANT CMD...: run CMD; fail (noting command, status and stderr) unless it exits WANT
expect() {
	local want=$1
	shift
	run "$@"
	[ "$RC" -eq "$want" ] && return 0
	note "\`$*\` exited $RC, want $want"
	[ -n "$ERR" ] && note "  stderr: $ERR"
	[ -n "$OUT" ] && note "  stdout: ${OUT:0:800}"
	return 1
}

# step CMD...: a command that must succeed
step() { expect 0 "$@"; }

# eq WHAT GOT WANT
eq() {
	[ "$2" = "$3" ] && return 0
	note "$1: got '$2', want '$3'"
	return 1
}

# one_err_line PREFIX: $ERR is exactly one line, starting with PREFIX
one_err_line() {
	local n
	n=$(printf '%s\n' "$ERR" | grep -c .)
	[ "$n" -eq 1 ] && [[ $ERR == "$1"* ]] && return 0
	note "stderr: want one line starting '$1', got $n line(s): $ERR"
	return 1
}

# jeval doc|lines EXPR: evaluate a python expression over JSON on stdin (j = the document, or the
# list of one object per line); print the result
jeval() {
	"$PY" -c '
import json, re, sys
s = sys.stdin.read()
j = json.loads(s) if sys.argv[1] == "doc" else [json.loads(l) for l in s.splitlines() if l.strip()]
print(eval("(" + sys.argv[2].strip() + ")"))' "$@"
}

# jcheck EXPR: the python expression is true on the JSON document on stdin (j)
jcheck() {
	local data res
	data=$(cat)
	res=$(jeval doc "$1" <<<"$data" 2>&1) && [ "$res" = True ] && return 0
	note "not true: $1"
	note "  ${res:0:300}"
	note "  on: ${data:0:1500}"
	return 1
}

# jwant COUNT K=V... -- K=V...: JSON on stdin has COUNT objects with the first K=Vs, all of them
# with the second ones (tools.py match)
jwant() {
	local data out
	data=$(cat)
	out=$("$PY" "$E2E/tools.py" match "$@" <<<"$data" 2>&1) && return 0
	note "$out"
	note "  on: ${data:0:1500}"
	return 1
}

# ---- observations --------------------------------------------------------------------------

# link_exists NS DEV
link_exists() { ip -n "$1" link show dev "$2" >/dev/null 2>&1; }

# links NS: names of the links in NS, one a line
links() { ip -n "$1" -o link show | sed -E 's/^[0-9]+: ([^:@]+).*/\1/'; }

# no_link NS DEV: DEV must not exist in NS
no_link() {
	link_exists "$1" "$2" || return 0
	note "$2 exists in $1 but should not"
	return 1
}

# rx_packets NS DEV: the device's RX packet counter
rx_packets() { ip -s -j -n "$1" link show dev "$2" | jeval doc 'j[0]["stats64"]["rx"]["packets"]'; }

# xdp_id NS DEV: id of the XDP program on DEV, empty when none
xdp_id() {
	ip -j -n "$1" link show dev "$2" | jeval doc \
		'j[0].get("xdp", {}).get("prog", {}).get("id", "")'
}

# ping_ok NS ARGS...: 3 echo replies within 5 s
ping_ok() {
	local ns=$1
	shift
	run timeout 20 ip netns exec "$ns" ping -c 3 -i 0.2 -w 5 -W 1 "$@"
	[ "$RC" -eq 0 ] && return 0
	note "ping $* (in $ns) exited $RC: $(tail -n 2 <<<"$OUT" | head -n 1) $ERR"
	return 1
}

# ping_fails NS ARGS...: no echo reply within 2 s
ping_fails() {
	local ns=$1
	shift
	run timeout 20 ip netns exec "$ns" ping -c 2 -i 0.2 -w 2 -W 1 "$@"
	[ "$RC" -ne 0 ] && return 0
	note "ping $* (in $ns) was answered but should not be"
	return 1
}

# addr COMBO SIDE: inner address of side 1 (A) or 2 (B)
addr() { echo "${INNER[$1]}$2"; }

# ---- the rig ---------------------------------------------------------------------------------

# inner_addrs NS ME PEER: gif0/gif6 up, then their inner addresses (an IPv6 peer route of an
# address added while the device is down is lost when it comes up), IPv6 addresses usable
inner_addrs() {
	local ns=$1 me=$2 peer=$3 c opt
	step ip -n "$ns" link set gif0 up && step ip -n "$ns" link set gif6 up || return 1
	for c in $COMBOS; do
		opt=()
		[[ $c == 6* ]] && opt=(nodad)
		step ip -n "$ns" addr add "$(addr "$c" "$me")" peer "$(addr "$c" "$peer")" \
			dev "${VIA[$c]}" "${opt[@]}" || return 1
	done
	busywait 5000 eval '[ -z "$(ip -n "$ns" -6 addr show tentative)" ]' ||
		{ note "IPv6 addresses still tentative in $ns"; return 1; }
}

# rig_side NS UNDERLAY ME PEER: underlay addresses, gifctl attached, gif0 + gif6 configured
rig_side() {
	local ns=$1 ul=$2 me=$3 peer=$4 gif
	step ip -n "$ns" addr add "198.18.0.$me/24" dev "$ul" &&
		step ip -n "$ns" addr add "2001:db8:ff::$me/64" dev "$ul" nodad &&
		step ip netns exec "$ns" ethtool -K "$ul" tx off &&
		step ip -n "$ns" link set "$ul" up &&
		step ns_gifctl "$ns" attach "$ul" || return 1
	for gif in gif0 gif6; do
		step ns_gifctl "$ns" tunnel set "$gif" "${OUTER[$gif]}$me" "${OUTER[$gif]}$peer" ||
			return 1
	done
	inner_addrs "$ns" "$me" "$peer"
}

# rig_build NS1 NS2: the rig between two existing namespaces (ua in NS1, ub in NS2)
rig_build() {
	step ip link add ua netns "$1" type veth peer name ub netns "$2" &&
		rig_side "$1" ua 1 2 && rig_side "$2" ub 2 1
}

# rig_up: new namespaces $A and $B with the rig; the file stops if that fails
rig_up() {
	preflight
	ns_new A gifA && ns_new B gifB && rig_build "$A" "$B" || fatal "rig setup"
}

rig_down() {
	ns_del "$A"
	ns_del "$B"
}

# side N: namespace of side 1 (A) or 2 (B)
side() { [ "$1" -eq 1 ] && echo "$A" || echo "$B"; }

# ---- captures --------------------------------------------------------------------------------

# capture_start NS DEV FILE [TCPDUMP ARGS...]: start tcpdump and wait until it listens; $CAPPID
capture_start() {
	local ns=$1 dev=$2 file=$3
	shift 3
	# --immediate-mode: otherwise packets of the last ring block are lost when tcpdump stops
	spawn timeout 30 ip netns exec "$ns" tcpdump --immediate-mode -Z root -i "$dev" -n -U \
		-w "$file" "$@" 2>"$file.log"
	CAPPID=$BGPID
	busywait 5000 grep -q 'listening on' "$file.log" && return 0
	note "tcpdump on $dev did not start: $(cat "$file.log")"
	return 1
}

# capture_stop: stop the tcpdump started last and wait for it to write its file
capture_stop() {
	kill -INT "$CAPPID" 2>/dev/null	# timeout(1) passes it on to tcpdump
	wait "$CAPPID" 2>/dev/null
	return 0
}

# ---- bpf objects -------------------------------------------------------------------------------

# gif_objs: loaded BPF maps and programs whose name starts with gif_, one "KIND ID NAME" a line
gif_objs() {
	local kind
	for kind in map prog; do
		bpftool -j "$kind" list | KIND=$kind "$PY" -c '
import json, os, sys
for o in json.load(sys.stdin):
    if o.get("name", "").startswith("gif_"):
        print(os.environ["KIND"], o["id"], o["name"])'
	done
}
