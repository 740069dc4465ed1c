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
# shellcheck source=tests/netns.sh
source "$ROOT/tests/netns.sh"
E2E=$ROOT/tests/e2e
GIFCTL=${GIFCTL:-$ROOT/build/gifctl}
GIF_RESULTS=${GIF_RESULTS:-/dev/null}
PY=/usr/bin/python3	# Debian's, with scapy; the python3 on PATH may not be
# GIF_TIME_SCALE multiplies the time limits of gifctl runs and the latency bounds of the lock tests
# (an emulated guest runs everything ~10x slower: tests/vm); 1 on real hardware.
TIME_SCALE=${GIF_TIME_SCALE:-1}
LOCKFILE=/run/gifctl.lock
RIG_DECAP=${RIG_DECAP-xdp}

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

# ns_new VAR PREFIX: a namespace PREFIX-<random> (tests/netns.sh)
ns_new() { ns_add "$1" "$2-$RANDOM$RANDOM"; }

# ns_gifctl NS ARGS...: one gifctl invocation inside NS, bounded in time
ns_gifctl() {
	local ns=$1
	shift
	timeout $((20 * TIME_SCALE)) ip netns exec "$ns" "$GIFCTL" "$@"
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

# exited_with WANT CMD...: after CMD ran (RC, OUT, ERR set), fail (noting command, status, stderr and
# stdout) unless it exited WANT
exited_with() {
	local want=$1
	shift
	[ "$RC" -eq "$want" ] && return 0
	note "\`$*\` exited $RC, want $want"
	[ -n "$ERR" ] && note "  stderr: $ERR"
	[ -n "$OUT" ] && note "  stdout: ${OUT:0:800}"
	return 1
}

# expect WANT CMD...: run CMD; fail (noting command, status and stderr) unless it exits WANT
expect() {
	run "${@:2}"
	exited_with "$@"
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

# rig_side NS UNDERLAY ME PEER: underlay addresses, gifctl attached (RIG_DECAP: mode xdp by
# default, which the tests of the XDP path rely on; tc; empty: gifctl's choice), gif0 + gif6
# configured
rig_side() {
	local ns=$1 ul=$2 me=$3 peer=$4 gif
	step ip -n "$ns" addr add "198.18.0.$me/24" dev "$ul" &&
		step ip -n "$ns" addr add "2001:db8:ff::$me/64" dev "$ul" nodad &&
		step ip netns exec "$ns" ethtool -K "$ul" tx off &&
		step ip -n "$ns" link set "$ul" up &&
		step ns_gifctl "$ns" attach "$ul" ${RIG_DECAP:+mode $RIG_DECAP} || return 1
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

# attach_both MODE: gifctl attached to both underlays (ua in A, ub in B) in decapsulation MODE
attach_both() {
	step ns_gifctl "$A" attach ua mode "$1" && step ns_gifctl "$B" attach ub mode "$1"
}

# underlay_mtu MTU: both underlays' MTU
underlay_mtu() { step ip -n "$A" link set ua mtu "$1" && step ip -n "$B" link set ub mtu "$1"; }

# ---- captures --------------------------------------------------------------------------------

# capture_start NS DEV FILE [TCPDUMP ARGS...]: start tcpdump (for CAPTURE_SECONDS, default 30, at
# most) and wait until it listens; $CAPPID
capture_start() {
	local ns=$1 dev=$2 file=$3
	shift 3
	# --immediate-mode: otherwise packets of the last ring block are lost when tcpdump stops
	spawn timeout "${CAPTURE_SECONDS:-30}" ip netns exec "$ns" tcpdump --immediate-mode -Z root -i "$dev" -n -U \
		-w "$file" "$@" 2>"$file.log"
	CAPPID=$BGPID CAPFILE=$file
	busywait 5000 grep -q 'listening on' "$file.log" && return 0
	note "tcpdump on $dev did not start: $(cat "$file.log")"
	return 1
}

# capture_stop: stop the tcpdump started last and wait for it to write its file
capture_stop() {
	local size=-1 i
	# Packets tcpdump has not read yet when interrupted are lost; it writes each one as it reads
	# it (-U): first wait until the file stops growing for 100 ms (2 s at most).
	for ((i = 0; i < 20; i++)); do
		[ "$(stat -c %s "$CAPFILE" 2>/dev/null)" = "$size" ] && break
		size=$(stat -c %s "$CAPFILE" 2>/dev/null)
		sleep 0.1
	done
	kill -INT "$CAPPID" 2>/dev/null	# timeout(1) passes it on to tcpdump
	wait "$CAPPID" 2>/dev/null
	return 0
}

# ---- traffic ---------------------------------------------------------------------------------

# xfer COMBO [BYTES [DELAY]]: BYTES (10 MiB) of random bytes over TCP from A to B's inner address,
# the receiver reading only after DELAY seconds (0); both ends hash what they saw
xfer() {
	local dst size=${2:-$((10 << 20))} srv
	dst=$(addr "$1" 2)
	spawn timeout 30 ip netns exec "$B" "$PY" "$E2E/tools.py" serve "$dst" 5001 "${3:-0}" \
		>"$TMPD/srv" 2>&1
	srv=$BGPID
	run timeout 30 ip netns exec "$A" "$PY" "$E2E/tools.py" send "$dst" 5001 $size
	wait "$srv"
	if [ "$RC" -ne 0 ] || [ "${OUT%% *}" != $size ]; then
		note "sender exited $RC: $OUT $ERR"
		return 1
	fi
	eq "receiver's 'bytes sha256'" "$(<"$TMPD/srv")" "$OUT"
}

# ---- gifctl counters ---------------------------------------------------------------------------

# stats_mark NS: remember NS's counters (`gifctl -j stats`), the base of counters_are
stats_mark() {
	STATS_NS=$1
	STATS_BASE=$(ns_gifctl "$1" -j stats)
}

# counters_are GIF:NAME=N[+]...: within 2 s, in one reading, counter NAME of GIF (0: what no
# tunnel claimed) grew since stats_mark by exactly N (N+: at least N). Wait for the counters the
# traffic moves and check those it must not move in the same call: the packets are handled in
# order, so once the former are reached the latter are final.
counters_are() {
	COUNTER_SPECS=("$@")
	busywait 2000 counters_check >/dev/null && return 0
	note "counters in $STATS_NS since the mark: $(counters_check)"
	return 1
}

# counters_check: counters_are's test, once; prints what differs
counters_check() {
	local now
	now=$(ns_gifctl "$STATS_NS" -j stats) || { echo "gifctl -j stats failed"; return 1; }
	printf '%s\n%s\n' "$STATS_BASE" "$now" | "$PY" -c '
import json, sys
base, now = (json.loads(l) for l in sys.stdin.read().splitlines())
def val(doc, gif, name):
    for o in doc:
        if (o["ifindex"] == 0) if gif == "0" else (o.get("name") == gif):
            return o[name]
    return 0
bad = []
for spec in sys.argv[1:]:
    key, want = spec.split("=")
    gif, name = key.split(":")
    d = val(now, gif, name) - val(base, gif, name)
    if d < int(want.rstrip("+")) or (d != int(want.rstrip("+")) and not want.endswith("+")):
        bad.append(f"{gif} {name} grew by {d}, want {want}")
sys.exit("; ".join(bad) or None)' "${COUNTER_SPECS[@]}" 2>&1
}

# ---- the namespace's maps, read independently of gifctl (bpftool) ----------------------------

# Python run inside a namespace: finds the namespace's datapath (a gif_xdp_rx / gif_tc_tx program
# whose gif_meta holds this namespace's cookie) and reads gif_rx, gif_tx, gif_stats and the inner
# gif_tunnel maps from their raw bytes (include/gif_types.h), with bpf(2), not through gifctl.
#   dump        one JSON object: found, ids {map name: id}, rx [{pair, id, cfg}],
#               tx [{ifindex, id, cfg}], stats [keys]
#   check       the invariants, one violation a line (exit 1 when any): every gif_tx entry is its
#               device's (veth, peer = cfg.peer_ifindex and up, MAC = cfg.gif_mac, TC program
#               attached); every gif_rx entry is the pair of its device's current configuration,
#               the same inner map as in gif_tx; every device with endpoints is in gif_rx; no pair
#               twice; gif_stats keys = {0} + gif_tx keys; no veth pair named like a gif device
#               and its peer without a gif_tx entry (a leak)
#   verify NAME...  first line: NAME=STATE for each NAME, then the violations as for check. STATE
#               of a gif device: "absent", "unknown" (a device gif_tx lacks), or
#               "PAIR,ttl=N,dscp=N,mtu=N" (PAIR SRC>DST, "-" without endpoints; mtu: the device's);
#               of "@IFACE": the decapsulation on IFACE: "none", "gif" (this datapath's XDP
#               program), "gif-tc" (its TC-ingress program), "gif+gif-tc" (both), or "other"
GIF_MAPS_PY='
import ctypes, json, os, socket, struct, subprocess, sys

# The bpf(2) system call through ctypes: the maps are read directly, not through gifctl (nor
# bpftool, whose start-up would dominate: this runs after every step of the crash tests).
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
NR_BPF = {"x86_64": 321, "aarch64": 280}[os.uname().machine]
MAP_LOOKUP, MAP_NEXT_KEY, PROG_NEXT_ID, PROG_FD, MAP_FD, INFO = 1, 4, 11, 13, 14, 15

def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(bytes(attr), 128)
    if LIBC.syscall(NR_BPF, cmd, buf, 128) < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return buf.raw

def sysret(cmd, attr):
    buf = ctypes.create_string_buffer(bytes(attr), 128)
    r = LIBC.syscall(NR_BPF, cmd, buf, 128)
    return None if r < 0 else r

def info(fd, extra=()):
    """bpf_obj_get_info_by_fd (256 bytes); extra: (offset, bytes) preset in the info struct"""
    b = ctypes.create_string_buffer(256)
    for off, data in extra:
        ctypes.memmove(ctypes.addressof(b) + off, data, len(data))
    bpf(INFO, struct.pack("<IIQ", fd, 256, ctypes.addressof(b)))
    return b.raw

def cstr(b):
    return b.split(b"\0")[0].decode()

def prog_maps(fd):
    """the map ids a program uses (bpf_prog_info.nr_map_ids at 52, map_ids at 56)"""
    n = struct.unpack_from("<I", info(fd), 52)[0]
    ids = (ctypes.c_uint32 * max(n, 1))()
    info(fd, [(52, struct.pack("<IQ", n, ctypes.addressof(ids)))])
    return list(ids)[:n]

class Map:
    def __init__(self, mid):
        self.fd = sysret(MAP_FD, struct.pack("<I", mid))
        i = info(self.fd) if self.fd is not None else bytes(256)
        self.id, self.ksize, self.vsize = struct.unpack_from("<III", i, 4)
        self.name = cstr(i[24:40])

    def get(self, key):
        k = ctypes.create_string_buffer(bytes(key), self.ksize)
        v = ctypes.create_string_buffer(self.vsize)
        attr = struct.pack("<IIQQQ", self.fd, 0, ctypes.addressof(k), ctypes.addressof(v), 0)
        return v.raw if sysret(MAP_LOOKUP, attr) is not None else None

    def keys(self):
        out, prev = [], None
        while True:
            n = ctypes.create_string_buffer(self.ksize)
            p = ctypes.create_string_buffer(prev, self.ksize) if prev is not None else None
            attr = struct.pack("<IIQQ", self.fd, 0, ctypes.addressof(p) if p else 0,
                               ctypes.addressof(n))
            if sysret(MAP_NEXT_KEY, attr) is None:
                return out
            prev = n.raw
            out.append(prev)

def addr(fam, b):
    return socket.inet_ntop(socket.AF_INET if fam == 2 else socket.AF_INET6, b[:4] if fam == 2 else b)

def pair(fam, loc, rem):
    return "-" if fam == 0 else addr(fam, loc) + ">" + addr(fam, rem)

def tunnel(inner_id):
    m = Map(inner_id)
    v = m.get(bytes(4)) if m.fd is not None else None
    if m.fd is not None:
        os.close(m.fd)
    if v is None:
        return None
    f = struct.unpack_from("<IIII16s16s6sBBBB", v)
    return dict(ifindex=f[0], peer_ifindex=f[1], family=f[2], mtu=f[3], pair=pair(f[2], f[4], f[5]),
                mac=":".join("%02x" % c for c in f[6]), ttl=f[7], dscp=f[8], ecn=f[9], flags=f[10])

def gif_progs():
    """(prog id, name, map ids) of every gif_xdp_rx / gif_tc_tx / gif_tc_rx program"""
    pid = 0
    while True:
        buf = ctypes.create_string_buffer(struct.pack("<II", pid, 0), 128)
        if LIBC.syscall(NR_BPF, PROG_NEXT_ID, buf, 128) < 0:
            return
        pid = struct.unpack_from("<I", buf.raw, 4)[0]	# next_id
        fd = sysret(PROG_FD, struct.pack("<I", pid))
        if fd is None:
            continue
        try:
            name = cstr(info(fd)[64:80])
            if name in ("gif_xdp_rx", "gif_tc_tx", "gif_tc_rx"):
                yield pid, name, prog_maps(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

def dump():
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    cookie = struct.unpack("<Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
    ours, seen = None, set()
    for pid, name, ids in gif_progs():
        maps = [Map(i) for i in ids]
        by = {m.name: m for m in maps if m.fd is not None}
        meta = by.get("gif_meta")
        if meta and meta.id not in seen:
            seen.add(meta.id)
            v = meta.get(bytes(4))
            if v and struct.unpack_from("<Q", v)[0] == cookie:
                ours = by
        if ours:
            break
    out = dict(found=ours is not None, rx=[], tx=[], stats=[],
               ids={k: m.id for k, m in (ours or {}).items()})
    if not ours:
        return out
    cache = {}
    def cfg(i):
        if i not in cache:
            cache[i] = tunnel(i)
        return cache[i]
    rx, tx = ours["gif_rx"], ours["gif_tx"]
    for k in rx.keys():
        v = rx.get(k)
        if v is None:
            continue
        i = struct.unpack_from("<I", v)[0]
        out["rx"].append(dict(pair=pair(struct.unpack_from("<I", k)[0], k[4:20], k[20:36]), id=i,
                              cfg=cfg(i)))
    for k in tx.keys():
        v = tx.get(k)
        if v is None:
            continue
        i = struct.unpack_from("<I", v)[0]
        out["tx"].append(dict(ifindex=struct.unpack("<I", k)[0], id=i, cfg=cfg(i)))
    out["stats"] = sorted(struct.unpack("<I", k)[0] for k in ours["gif_stats"].keys())
    return out

def xdp_is_ours(m, prog_id):
    fd = sysret(PROG_FD, struct.pack("<I", prog_id))
    if fd is None:
        return False
    try:
        return m["ids"].get("gif_rx") in prog_maps(fd)
    finally:
        os.close(fd)

def run(*a):
    return subprocess.run(a, check=True, capture_output=True, text=True).stdout

def tc_rx_id(dev):
    """the program of the gifctl TC-ingress filter on DEV (handle 0x6966, pref 1), or None"""
    for f in json.loads(run("tc", "-j", "filter", "show", "dev", dev, "ingress") or "[]"):
        o = f.get("options", {})
        if f.get("pref") == 1 and o.get("handle") == "0x6966":
            return o.get("prog", {}).get("id")
    return None

LINKS = []
FILTERS = {}

def egress_filters(name, names):
    """the egress filters of device name (tc -j); names: all the devices to ask about at once"""
    if not FILTERS:
        out = subprocess.run(("tc", "-j", "-batch", "-"), capture_output=True, text=True,
                             input="".join("filter show dev %s egress\n" % n for n in names))
        lines = out.stdout.splitlines()
        if out.returncode == 0 and len(lines) == len(names):
            FILTERS.update((n, json.loads(l or "[]")) for n, l in zip(names, lines))
    if name not in FILTERS:
        FILTERS[name] = json.loads(run("tc", "-j", "filter", "show", "dev", name, "egress") or "[]")
    return FILTERS[name]

def links_now():
    """ip -j -d link show, read once"""
    if not LINKS:
        LINKS.extend(json.loads(run("ip", "-j", "-d", "link", "show")))
    return LINKS

def peer_name(name):
    if len(name) + 3 < 16:
        return name + "-gp"
    h = 2166136261
    for c in name.encode():
        h = ((h ^ c) * 16777619) & 0xffffffff
    return "gp-%08x" % h

def peer_of(links, l):
    """the veth peer of link l in this namespace (ip -j names it "link" here), or None"""
    if "link_index" in l:
        return links.get(l["link_index"])
    return next((p for p in links.values() if p["ifname"] == l.get("link")), None)

def check(m):
    links = {l["ifindex"]: l for l in links_now()}
    bad, tx = [], {e["ifindex"]: e for e in m["tx"]}
    pairs = {}
    for k, e in tx.items():
        c, l = e["cfg"], links.get(k)
        if c is None:
            bad.append("gif_tx %d: inner map unreadable" % k)
            continue
        if c["ifindex"] != k:
            bad.append("gif_tx %d holds the configuration of ifindex %d" % (k, c["ifindex"]))
        if l is None:
            bad.append("gif_tx %d: no such device" % k)
            continue
        n, p = l["ifname"], links.get(c["peer_ifindex"])
        if l.get("linkinfo", {}).get("info_kind") != "veth" or not p or peer_of(links, l) is not p:
            bad.append("%s: not a veth whose peer is ifindex %d" % (n, c["peer_ifindex"]))
        elif "UP" not in p["flags"]:
            bad.append("%s: peer %s down" % (n, p["ifname"]))
        if l.get("address") != c["mac"]:
            bad.append("%s: MAC %s, configuration has %s" % (n, l.get("address"), c["mac"]))
        if not any(f.get("options", {}).get("prog", {}).get("name") == "gif_tc_tx"
                   for f in egress_filters(n, [links[i]["ifname"] for i in tx if i in links])):
            bad.append("%s: no gif_tc_tx on egress" % n)
        if c["pair"] != "-":
            if c["pair"] in pairs:
                bad.append("%s: pair %s also used by ifindex %d" % (n, c["pair"], pairs[c["pair"]]))
            pairs[c["pair"]] = k
    rx = {}
    for e in m["rx"]:
        c = e["cfg"]
        rx[e["pair"]] = e
        if c is None:
            bad.append("gif_rx %s: inner map unreadable" % e["pair"])
        elif c["pair"] != e["pair"]:
            bad.append("gif_rx %s: configuration is for %s" % (e["pair"], c["pair"]))
        elif c["ifindex"] not in tx:
            bad.append("gif_rx %s: ifindex %d has no gif_tx entry" % (e["pair"], c["ifindex"]))
        elif tx[c["ifindex"]]["id"] != e["id"]:
            bad.append("gif_rx %s: map %d, gif_tx of ifindex %d has map %d (%s)" % (
                e["pair"], e["id"], c["ifindex"], tx[c["ifindex"]]["id"],
                tx[c["ifindex"]]["cfg"]["pair"] if tx[c["ifindex"]]["cfg"] else "?"))
    for p, k in pairs.items():
        if p not in rx:
            bad.append("ifindex %d: pair %s not in gif_rx" % (k, p))
    if m["found"] and m["stats"] != sorted({0} | set(tx)):
        bad.append("gif_stats keys %s, want %s" % (m["stats"], sorted({0} | set(tx))))
    for l in links.values():
        p = peer_of(links, l)
        if l.get("linkinfo", {}).get("info_kind") == "veth" and p and \
                p["ifname"] == peer_name(l["ifname"]) and l["ifindex"] not in tx:
            bad.append("%s: gif-named veth pair without a gif_tx entry (leak)" % l["ifname"])
    return bad

def state(m, name):
    l = [l for l in links_now() if l["ifname"] == name.lstrip("@")]
    if name.startswith("@"):
        pid = l[0].get("xdp", {}).get("prog", {}).get("id") if l else None
        tid = tc_rx_id(name[1:]) if l else None
        ours = ["gif"] if pid and xdp_is_ours(m, pid) else []
        ours += ["gif-tc"] if tid and xdp_is_ours(m, tid) else []
        return "+".join(ours) or ("other" if pid or tid else "none")
    if not l:
        return "absent"
    e = [e for e in m["tx"] if e["ifindex"] == l[0]["ifindex"]]
    if not e or not e[0]["cfg"]:
        return "unknown"
    c = e[0]["cfg"]
    return "%s,ttl=%d,dscp=%d,mtu=%d" % (c["pair"], c["ttl"], c["dscp"], l[0]["mtu"])

m = dump()
if sys.argv[1] == "dump":
    print(json.dumps(m))
else:
    if sys.argv[1] == "verify":
        print(" ".join(n + "=" + state(m, n) for n in sys.argv[2:]))
    bad = check(m)
    if bad:
        print("\n".join(bad))
    sys.exit(1 if bad else 0)
'

# gif_maps NS dump|check|verify NAME...: see GIF_MAPS_PY
gif_maps() {
	local ns=$1
	shift
	timeout 60 ip netns exec "$ns" "$PY" -c "$GIF_MAPS_PY" "$@"
}

# maps_consistent NS: the invariants hold in NS (noting the violations when not)
maps_consistent() {
	local out
	out=$(gif_maps "$1" check 2>&1) && return 0
	note "maps of $1 inconsistent:"
	note "$(sed 's/^/  /' <<<"$out")"
	return 1
}

# maps_state NS NAME...: $STATE = the states of the NAMEs (see verify above); fails (noting the
# violations) unless the invariants hold
maps_state() {
	local ns=$1 out rc
	shift
	out=$(gif_maps "$ns" verify "$@" 2>&1)
	rc=$?
	STATE=${out%%$'\n'*}
	[ $rc -eq 0 ] && return 0
	[ -n "$out" ] || { note "reading the maps of $ns failed (exit $rc)"; return 1; }
	note "maps of $ns inconsistent (states: $STATE):"
	note "$(tail -n +2 <<<"$out" | sed 's/^/  /')"
	return 1
}

# check_silent: the `gifctl check` that just exited 0 printed nothing
check_silent() {
	[ -z "$OUT$ERR" ] && return 0
	note "gifctl check exited 0 but printed: $OUT $ERR"
	return 1
}

# check_clean NS: `gifctl check` in NS exits 0 and prints nothing
check_clean() { expect 0 ns_gifctl "$1" check && check_silent; }

# ns_exec NS CMD...: like ns_gifctl, for any command (bounded in time)
ns_exec() {
	local ns=$1
	shift
	timeout 30 ip netns exec "$ns" "$@"
}

# snapshot_bin VAR: copy the binary named by VAR into $TMPD and point VAR at the copy, so that a
# long test keeps running one build while the tree is rebuilt (waits for a build in progress)
snapshot_bin() {
	local src=${!1}
	busywait 30000 eval '[ -x "$src" ] && [ $(($(date +%s) - $(stat -c %Y "$src"))) -ge 2 ]' ||
		return 1
	cp "$src" "$TMPD/${src##*/}" && printf -v "$1" %s "$TMPD/${src##*/}"
}

# pcap_pairs FILE: the tunnel packets (protocol 4 / 41) of a pcap, counted without scapy (fast
# enough for 10^5 packets), as one JSON object: "pairs" {outer "SRC>DST": count}, "inner"
# {inner "SRC>DST": count}, "bad_inner": packets whose inner header is not of the version the
# outer protocol says (or is cut short)
pcap_pairs() {
	"$PY" - "$@" <<'PYEOF'
import json, socket, struct, sys
from collections import Counter

def ip(fam, b):
    return socket.inet_ntop(socket.AF_INET if fam == 4 else socket.AF_INET6, b)

def hdr(b):
    """(version, proto, src, dst, header length) of an IP header, or None"""
    if len(b) >= 20 and b[0] >> 4 == 4:
        return 4, b[9], ip(4, b[12:16]), ip(4, b[16:20]), (b[0] & 15) * 4
    if len(b) >= 40 and b[0] >> 4 == 6:
        return 6, b[6], ip(6, b[8:24]), ip(6, b[24:40]), 40
    return None

outer, inner, bad = Counter(), Counter(), 0
with open(sys.argv[1], "rb") as f:
    head = f.read(24)
    endian = "<" if head[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", head[20:24])[0]
    off = {1: 14, 113: 16}.get(linktype, 0)	# Ethernet, Linux cooked, else raw IP
    while len(rec := f.read(16)) == 16:
        pkt = f.read(struct.unpack(endian + "IIII", rec)[2])
        if off and pkt[off - 2:off] not in (b"\x08\x00", b"\x86\xdd"):
            continue
        o = hdr(pkt[off:])
        if not o or o[1] not in (4, 41):
            continue
        outer[o[2] + ">" + o[3]] += 1
        i = hdr(pkt[off + o[4]:])
        if not i or i[0] != (4 if o[1] == 4 else 6):
            bad += 1
        else:
            inner[i[2] + ">" + i[3]] += 1
print(json.dumps({"pairs": dict(outer), "inner": dict(inner), "bad_inner": bad}))
PYEOF
}
