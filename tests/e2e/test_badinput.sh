#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input changes nothing. A table of bad invocations (unknown commands and options, missing and
# extra arguments, malformed and mixed-family addresses, out-of-range values, bad names, missing
# devices, non-gif devices, taken pairs): each exits 2 (usage) or 1 (operation) with one stderr
# line naming what is wrong, and `gifctl -j show`, the namespace's gif maps (gif_rx, gif_tx,
# gif_stats found through the XDP program on the underlay, read with bpftool) and `ip -j link`
# are the same after it as before. Then: unprivileged runs (a clear "needs root" error, nothing
# changed), the lock file (symlinks, foreign owner, loose mode, directory, FIFO: refused; created
# 0600 root) in a private /run, so the host's /run/gifctl.lock is never touched, and spoofed
# tunnel packets (forged outer source, foreign destination, martian source, right pair with the
# wrong inner version) that must never be decapsulated.
source "$(dirname "$0")/lib.sh"

NOBODY=65534

# ---- the namespace's state, compared before and after -----------------------------------------

# Python run inside the namespace: the state a bad command must not change, as one JSON document.
#   show    gifctl -j show
#   links   ip -j link: name, index, flags, MTU, MAC, peer, XDP program; the TC programs of gif
#           devices (tc -j filter show ... egress)
#   maps    gif_rx, gif_tx (key -> inner map id) and gif_underlays (ifindex -> name), and the keys
#           of gif_stats (its values are traffic counters) of the maps of the XDP program on the
#           underlay
# `state GIFCTL UNDERLAY` prints it; `table GIFCTL UNDERLAY FILE` runs every case of FILE (records
# separated by \x1e, fields by \x1f: exit status, needle, arguments...) and after each compares
# the state with the one before the first, printing shell assignments and a call of table_result
# per case (sourced by test_table).
STATE_PY='
import json, re, shlex, subprocess, sys

def run(*a):
    return subprocess.run(a, check=True, capture_output=True, text=True).stdout

def bt(*a):
    return json.loads(run("bpftool", "-j", *a) or "null")

def state(gifctl, underlay):
    show = json.loads(run(gifctl, "-j", "show"))
    links = []
    for l in json.loads(run("ip", "-j", "link", "show")):
        tc = []
        if any(o["name"] == l["ifname"] for o in show):
            for f in json.loads(run("tc", "-j", "filter", "show", "dev", l["ifname"], "egress") or "[]"):
                p = f.get("options", {}).get("prog", {})
                if p:
                    tc.append((p.get("name"), p.get("id")))
        links.append(dict(name=l["ifname"], index=l["ifindex"], flags=sorted(l["flags"]),
                          mtu=l["mtu"], mac=l.get("address"), peer=l.get("link_index", l.get("link")),
                          xdp=l.get("xdp", {}).get("prog", {}).get("id"), tc=tc))
    maps = {}
    ul = [l for l in links if l["name"] == underlay]
    if ul and ul[0]["xdp"]:
        for mid in bt("prog", "show", "id", str(ul[0]["xdp"])).get("map_ids", []):
            name = bt("map", "show", "id", str(mid)).get("name")
            if name in ("gif_rx", "gif_tx", "gif_stats", "gif_underlays"):
                d = bt("map", "dump", "id", str(mid))
                maps[name] = sorted(" ".join(e["key"]) + ("" if name == "gif_stats" else "=%s" % e["value"])
                                    for e in d)
    return json.dumps(dict(show=show, links=sorted(links, key=lambda l: l["index"]), maps=maps),
                      indent=1, sort_keys=True)

def diff(a, b):
    """what differs between two state documents, one line each"""
    a, b, out = json.loads(a), json.loads(b), []
    for what, key in (("gif device", "name"), ("link", "name")):
        x = {o[key]: o for o in a["show" if what == "gif device" else "links"]}
        y = {o[key]: o for o in b["show" if what == "gif device" else "links"]}
        out += ["%s %s gone" % (what, n) for n in sorted(set(x) - set(y))]
        out += ["%s %s appeared" % (what, n) for n in sorted(set(y) - set(x))]
        for n in sorted(set(x) & set(y)):
            ch = ["%s %s -> %s" % (k, x[n].get(k), y[n].get(k)) for k in sorted(set(x[n]) | set(y[n]))
                  if x[n].get(k) != y[n].get(k)]
            if ch:
                out.append("%s %s: %s" % (what, n, ", ".join(ch)))
    for m in sorted(set(a["maps"]) | set(b["maps"])):
        x, y = set(a["maps"].get(m, [])), set(b["maps"].get(m, []))
        if x != y:
            out.append("%s: %d entries gone, %d new (%s)" % (m, len(x - y), len(y - x),
                                                             "; ".join(sorted(x ^ y))[:300]))
    return "\n".join(out) or "(reordered)"

if sys.argv[1] == "state":
    print(state(sys.argv[2], sys.argv[3]))
elif sys.argv[1] == "diff":
    print(diff(open(sys.argv[2]).read(), open(sys.argv[3]).read()))
else:
    gifctl, underlay, table = sys.argv[2:5]
    base = state(gifctl, underlay)
    for rec in open(table, "rb").read().decode("utf-8", "surrogateescape").split("\x1e"):
        if not rec:
            continue
        want, needle, *args = rec.split("\x1f")
        try:
            p = subprocess.run([gifctl] + args, capture_output=True, timeout=20)
            rc, out, err = p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            rc, out, err = 124, "", "timed out"
        now = state(gifctl, underlay)
        q = shlex.quote
        print("WANT=%s; NEEDLE=%s; ARGS=%s; RC=%d; OUT=%s; ERR=%s; DIFF=%s; table_result" % (
            q(want), q(needle), q(re.sub("[\\x00-\\x1f\\x7f]", lambda m: "\\x%02x" % ord(m.group()),
                                          " ".join(map(shlex.quote, args)))), rc, q(out.rstrip("\n")),
            q(err.rstrip("\n")), q("" if now == base else diff(base, now))))
        if now != base:
            base = now
'

# state_of NS UNDERLAY: the state document
state_of() { timeout 60 ip netns exec "$1" "$PY" -c "$STATE_PY" state "$GIFCTL" "$2"; }

# unchanged NS UNDERLAY BASE: the state equals BASE (noting the differences when not)
unchanged() {
	local now
	now=$(state_of "$1" "$2") || { note "cannot read the state of $1"; return 1; }
	[ "$now" = "$3" ] && return 0
	echo "$3" >"$TMPD/state.before"
	echo "$now" >"$TMPD/state.after"
	note "state of $1 changed:"
	note "$("$PY" -c "$STATE_PY" diff "$TMPD/state.before" "$TMPD/state.after" | sed 's/^/  /')"
	return 1
}

# ---- the table ------------------------------------------------------------------------------

# bad EXIT NEEDLE ARGS...: a case of the table: `gifctl ARGS` in A must exit EXIT with one stderr
# line starting "gifctl: " and containing NEEDLE, without raw control characters (they are
# escaped as \xNN), print nothing on stdout, and change nothing
bad() {
	printf '%s\x1f' "$@" | sed 's/\x1f$//' >>"$TMPD/table"
	printf '\x1e' >>"$TMPD/table"
	NBAD=$((NBAD + 1))
}

# table_result: checks one case run by STATE_PY (WANT NEEDLE ARGS RC OUT ERR DIFF)
table_result() {
	local rc=0
	if [ "$RC" -ne "$WANT" ]; then
		note "\`gifctl $ARGS\` exited $RC, want $WANT"
		[ -n "$ERR" ] && note "  stderr: $ERR"
		rc=1
	fi
	one_err_line "gifctl: " && eq "stdout" "$OUT" "" || rc=1
	[[ $ERR == *"$NEEDLE"* ]] || { note "stderr lacks '$NEEDLE': $ERR"; rc=1; }
	[[ $ERR == *[[:cntrl:]]* ]] &&
		{ note "stderr has raw control characters: $(printf %q "$ERR")"; rc=1; }
	[ -z "$DIFF" ] || { note "state of A changed:"; note "$(sed 's/^/  /' <<<"$DIFF")"; rc=1; }
	log_test "bad: gifctl $ARGS -> $WANT, '$NEEDLE'" $rc
}

test_table() {
	local f=$TMPD/bad.conf mtu
	printf 'attach ua\ntunnel gif0 198.18.0.1 198.18.0.2\ntunnel gif9 frob\n' >"$f"
	NBAD=0
	: >"$TMPD/table"
	# usage errors: exit 2
	bad 2 "missing COMMAND"
	bad 2 "unknown command 'frobnicate'" frobnicate
	bad 2 "unknown command 'sh'" sh
	bad 2 "unknown command 'SHOW'" SHOW
	bad 2 "unknown option '--frobnicate'" --frobnicate show
	bad 2 "-w needs SECONDS" -w
	bad 2 "invalid -w value 'abc'" -w abc show
	bad 2 "invalid -w value '-1'" -w -1 tunnel delete gif0
	bad 2 "invalid -w value '1e9'" -w 1e9 show
	bad 2 "too many arguments" show gif0 extra
	bad 2 "missing subcommand" tunnel
	bad 2 "unknown subcommand 'frob'" tunnel frob gif0
	bad 2 "missing arguments" tunnel set
	bad 2 "missing arguments" tunnel set gif1 198.18.0.1
	bad 2 "unknown option 'extra'" tunnel set gif1 198.18.0.1 198.18.0.9 extra
	bad 2 "invalid source address '198.18.0.300'" tunnel set gif1 198.18.0.300 198.18.0.9
	bad 2 "invalid destination address 'not-an-address'" tunnel set gif1 198.18.0.1 not-an-address
	bad 2 "invalid destination address '198.18.0.9/24'" tunnel set gif1 198.18.0.1 198.18.0.9/24
	bad 2 "IPv4 or both IPv6" tunnel set gif1 198.18.0.1 2001:db8:ff::9
	bad 2 "IPv4 or both IPv6" tunnel set gif0 2001:db8:ff::1 198.18.0.2
	bad 2 "the same address" tunnel set gif1 198.18.0.1 198.18.0.1
	bad 2 "not a unicast address" tunnel set gif1 224.0.0.1 198.18.0.9
	bad 2 "not a unicast address" tunnel set gif1 198.18.0.1 255.255.255.255
	bad 2 "loopback" tunnel set gif1 127.0.0.1 198.18.0.9
	bad 2 "link-local" tunnel set gif1 fe80::1 2001:db8:ff::9
	bad 2 "IPv4-mapped" tunnel set gif1 ::ffff:198.18.0.1 ::ffff:198.18.0.9
	bad 2 "not a unicast address" tunnel set gif1 2001:db8:ff::1 ff02::1
	bad 2 "invalid ttl '0'" tunnel set gif1 198.18.0.1 198.18.0.9 ttl 0
	bad 2 "invalid ttl '256'" tunnel set gif0 198.18.0.1 198.18.0.2 ttl 256
	bad 2 "invalid dscp '64'" tunnel set gif0 198.18.0.1 198.18.0.2 dscp 64
	bad 2 "invalid dscp '-1'" tunnel set gif0 198.18.0.1 198.18.0.2 dscp -1
	bad 2 "invalid ecn 'on'" tunnel set gif0 198.18.0.1 198.18.0.2 ecn on
	bad 2 "invalid pmtudisc 'yes'" tunnel set gif0 198.18.0.1 198.18.0.2 pmtudisc yes
	bad 2 "invalid mtu '70000'" tunnel set gif0 198.18.0.1 198.18.0.2 mtu 70000
	bad 2 "invalid mtu '0x500'" tunnel set gif0 198.18.0.1 198.18.0.2 mtu 0x500
	bad 2 "given twice" tunnel set gif0 198.18.0.1 198.18.0.2 ttl 1 ttl 2
	bad 2 "needs a value" tunnel set gif0 198.18.0.1 198.18.0.2 ingress-filter
	bad 2 "longer than 15 characters" tunnel set gif0123456789abcd 198.18.0.1 198.18.0.9
	bad 2 "may not contain" tunnel set 'gi f' 198.18.0.1 198.18.0.9
	bad 2 "may not contain" tunnel set a/b 198.18.0.1 198.18.0.9
	bad 2 "may not contain" tunnel set gif:1 198.18.0.1 198.18.0.9
	bad 2 "may not contain" tunnel set $'gif\x01' 198.18.0.1 198.18.0.9
	# control characters are echoed escaped: no terminal escape sequence, no second line
	bad 2 "'a\x1b[2Jb\x0ac': interface names may not contain" tunnel set $'a\e[2Jb\nc' \
		198.18.0.1 198.18.0.9
	bad 2 "unknown command '\x1b]0;owned\x07'" $'\e]0;owned\a'
	bad 2 "invalid -w value '1\x0d2'" -w $'1\r2' show
	bad 2 "invalid source address '198.18.0.1\x1b[A'" tunnel set gif1 $'198.18.0.1\e[A' 198.18.0.9
	bad 1 "/nonexistent/\x1b[31mred" apply $'/nonexistent/\e[31mred'
	bad 2 "empty interface name" tunnel set '' 198.18.0.1 198.18.0.9
	bad 2 "invalid interface name" tunnel set .. 198.18.0.1 198.18.0.9
	bad 2 "may not start with '#'" tunnel set '#a' 198.18.0.1 198.18.0.9
	bad 2 "missing GIF" tunnel delete
	bad 2 "too many arguments" tunnel delete gif0 gif6
	bad 2 "missing IFACE" attach
	bad 2 "too many arguments" attach ua ub
	bad 2 "gifctl: attach ua: unknown mode 'foo' (xdp, tc)" attach ua mode foo
	bad 2 "unknown mode 'XDP'" attach ua mode XDP
	bad 2 "missing MODE after 'mode'" attach ua mode
	bad 2 "too many arguments" attach ua mode tc ub
	bad 2 "too many arguments" attach ua tc
	bad 2 "missing IFACE" detach
	bad 2 "longer than 15 characters" detach ua0123456789abcdef
	bad 2 "missing GIF" destroy
	bad 2 "too many arguments" destroy gif0 gif6
	bad 2 "too many arguments" stats gif0 gif6
	bad 2 "unknown option 'repair'" check repair
	bad 2 "too many arguments" check --repair --repair
	bad 2 "too many arguments" dump gif0
	bad 2 "missing FILE" apply
	bad 2 "missing FILE" apply --dry-run
	bad 2 "unexpected arguments" apply "$f" "$f"
	# operation errors: exit 1
	bad 1 "no such device" attach nosuch0
	bad 1 "no such device" detach nosuch0
	bad 1 "not attached" detach vx0
	bad 1 "is a gif device" attach gif0
	bad 1 "is a gif device" attach gif0-gp
	bad 1 "is a gif device" attach gif0 mode tc
	bad 1 "no such device" attach nosuch0 mode xdp
	bad 1 "is a gif device" detach gif6
	bad 1 "no such device" destroy nosuch0
	bad 1 "not a gif device" destroy ua
	bad 1 "not a gif device" destroy gif0-gp
	bad 1 "not a gif device" tunnel delete vx0
	bad 1 "not a gif device" tunnel set ua 198.18.0.1 198.18.0.9
	bad 1 "not a gif device" tunnel set gif6-gp 198.18.0.1 198.18.0.9
	bad 1 "not a gif device" show vx0
	bad 1 "no such device" stats nosuch0
	bad 1 "already used by gif0" tunnel set gif1 198.18.0.1 198.18.0.2
	bad 1 "already used by gif6" tunnel set gif0 2001:db8:ff::1 2001:db8:ff::2
	bad 1 "below 1280" tunnel set gif1 198.18.0.1 198.18.0.9 mtu 1000
	mtu=$(ip -n "$A" -j link show ua | jeval doc 'j[0]["mtu"]')
	bad 1 "more than the underlay carries" tunnel set gif1 198.18.0.1 198.18.0.9 mtu "$mtu"
	bad 1 "more than the underlay carries" tunnel set gif0 198.18.0.1 198.18.0.2 mtu 9000
	bad 1 "cannot read" apply /nonexistent/gifctl.conf
	bad 1 "line 3" apply "$f"
	bad 1 "line 3" apply --dry-run "$f"
	[ "$NBAD" -ge 30 ]
	log_test "the bad-input table has at least 30 cases ($NBAD)" $?
	timeout 600 ip netns exec "$A" "$PY" -c "$STATE_PY" table "$GIFCTL" ua "$TMPD/table" \
		>"$TMPD/table.sh" || fatal "running the bad-input table"
	# shellcheck disable=SC1091 # generated: one table_result per case
	source "$TMPD/table.sh"
}

# ---- privileges -----------------------------------------------------------------------------

# nobody ARGS...: gifctl ARGS in A as user nobody (a copy nobody may execute)
nobody() {
	timeout 20 ip netns exec "$A" setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		"$TMPD/bin/gifctl" "$@"
}

# unprivileged ARGS...: as nobody, gifctl ARGS fails with one line saying it needs root (or the
# capabilities), prints nothing else and changes nothing
unprivileged() {
	local rc=0
	expect 1 nobody "$@" && one_err_line "gifctl: " && eq "stdout" "$OUT" "" || rc=1
	[[ $ERR =~ root|CAP_NET_ADMIN|CAP_BPF ]] ||
		{ note "stderr does not say that root (CAP_NET_ADMIN, CAP_BPF) is needed: $ERR"; rc=1; }
	unchanged "$A" ua "$BASE" || rc=1
	log_test "unprivileged: gifctl $* -> exit 1, 'needs root', nothing changed" $rc
}

test_unprivileged() {
	local f=$TMPD/bin/conf
	mkdir -p "$TMPD/bin" && cp "$GIFCTL" "$TMPD/bin/gifctl" && chmod 755 "$TMPD/bin" &&
		chmod 711 "$TMPD" && printf 'attach ua\n' >"$f" && chmod 644 "$f" ||
		fatal "a copy of gifctl for nobody"
	for args in "show" "-j show" "stats" "dump" "check" "attach vx0" "detach ua" \
		"tunnel set gifu 198.18.0.1 198.18.0.33" "tunnel delete gif0" "destroy gif6" \
		"check --repair" "apply $f"; do
		# shellcheck disable=SC2086 # words of the invocation
		unprivileged $args
	done
}

# c_gifctl ARGS...: gifctl in C, bounded by 60 s rather than 20: the first commands there load
# the programs (the verifier), slow with the sanitizer build on a loaded machine
c_gifctl() { timeout 60 ip netns exec "$C" "$GIFCTL" "$@"; }

# In a fresh namespace: root without CAP_BPF and CAP_SYS_ADMIN (a container's root) runs a command
# that fails; it must say so and change nothing. Last: when it fails, it takes the gifs with it.
test_no_cap_bpf() {
	local base rc=0
	ns_new C gifC && step ip -n "$C" link add uc type veth peer name ud &&
		step ip -n "$C" addr add 198.18.0.1/24 dev uc && step ip -n "$C" link set uc up &&
		step ip -n "$C" link set ud up && step ip -n "$C" link add vx0 type veth peer name vx1 &&
		step c_gifctl attach uc && step c_gifctl tunnel set gif0 198.18.0.1 198.18.0.2 ||
		fatal "namespace C"
	base=$(state_of "$C" uc)
	expect 1 timeout 20 ip netns exec "$C" setpriv --bounding-set -bpf,-sys_admin \
		--inh-caps -bpf,-sys_admin "$GIFCTL" detach vx0 && one_err_line "gifctl: " || rc=1
	[[ $ERR =~ root|CAP_BPF|CAP_SYS_ADMIN|not\ permitted ]] ||
		{ note "stderr does not say CAP_BPF is missing: $ERR"; rc=1; }
	unchanged "$C" uc "$base" || rc=1
	log_test "root without CAP_BPF/CAP_SYS_ADMIN: failing detach changes nothing" $rc
	# again from the same state, whatever the detach did
	c_gifctl check --repair >/dev/null
	link_exists "$C" gif0 || step c_gifctl tunnel set gif0 198.18.0.1 198.18.0.2
	base=$(state_of "$C" uc)
	expect 1 timeout 20 ip netns exec "$C" setpriv --bounding-set -bpf,-sys_admin \
		--inh-caps -bpf,-sys_admin "$GIFCTL" tunnel set gif1 198.18.0.1 198.18.0.3 &&
		one_err_line "gifctl: tunnel set gif1" && unchanged "$C" uc "$base"
	log_test "root without CAP_BPF/CAP_SYS_ADMIN: failing tunnel set changes nothing" $?
	ns_del "$C"
}

# ---- the lock file, in a private /run --------------------------------------------------------

# private_run SETUP CMD...: in A, with a tmpfs of its own on /run (the host's /run/gifctl.lock is
# not touched), runs the shell code SETUP, then CMD; prints CMD's stderr; exit status CMD's
private_run() {
	local setup=$1
	shift
	timeout 30 ip netns exec "$A" bash -c '
		mount -t tmpfs -o mode=0755 gifrun /run || exit 99
		cd /run && eval "$1" || exit 98
		shift
		"$@"' private_run "$setup" "$@"
}

# lock_refused WHAT SETUP CHECK: with SETUP, a change is refused (exit 1, one line), nothing
# changes in A, and the shell code CHECK (run in the same private /run afterwards) succeeds
lock_refused() {
	local rc=0
	expect 1 private_run "$2; trap '$3 || echo CHECK-FAILED >&2' EXIT" \
		"$GIFCTL" tunnel set giflk 198.18.0.1 198.18.0.44 && one_err_line "gifctl: " || rc=1
	[[ $ERR == *gifctl.lock* ]] || { note "stderr does not name the lock file"; rc=1; }
	[[ $ERR == *CHECK-FAILED* ]] && { note "after the refusal: $3 is false"; rc=1; }
	unchanged "$A" ua "$BASE" || rc=1
	log_test "lock file: $1 -> refused, nothing changed" $rc
}

test_lock_file() {
	lock_refused "symlink to a root file" \
		'echo precious >target; chmod 600 target; ln -s /run/target gifctl.lock' \
		'[ "$(cat target)" = precious ]'
	lock_refused "dangling symlink" 'ln -s /run/created-by-gifctl gifctl.lock' \
		'[ ! -e created-by-gifctl ]'
	lock_refused "symlink to a directory" 'mkdir d; ln -s /run/d gifctl.lock' \
		'[ -z "$(ls -A d)" ]'
	lock_refused "owned by nobody" ": >gifctl.lock; chmod 600 gifctl.lock; chown $NOBODY gifctl.lock" \
		'[ "$(stat -c %u gifctl.lock)" = '$NOBODY' ]'
	lock_refused "mode 0644" ': >gifctl.lock; chmod 644 gifctl.lock' \
		'[ "$(stat -c %a gifctl.lock)" = 644 ]'
	lock_refused "mode 0606" ': >gifctl.lock; chmod 606 gifctl.lock' \
		'[ "$(stat -c %a gifctl.lock)" = 606 ]'
	lock_refused "a directory" 'mkdir gifctl.lock' '[ -d gifctl.lock ]'
	lock_refused "a FIFO" 'mkfifo -m 600 gifctl.lock' '[ -p gifctl.lock ]'

	# Created by gifctl: a regular file, root's, 0600, even with umask 0; nothing else in /run.
	expect 0 private_run 'umask 0; trap "stat -c \"%F %U %G %a\" gifctl.lock; ls -A" EXIT' \
		"$GIFCTL" tunnel set giflk 198.18.0.1 198.18.0.44 &&
		eq "the lock file gifctl created, and /run" "$(xargs <<<"$OUT")" \
			"regular empty file root root 600 gifctl.lock" || true
	[ -z "$FAILINFO" ]
	log_test "lock file created by gifctl: regular, root:root, 0600 (umask 0)" $?
	step ns_gifctl "$A" destroy giflk && BASE=$(state_of "$A" ua)
}

# ---- spoofed tunnel packets -----------------------------------------------------------------

# Scapy in B sends COUNT frames of each case out of ub to ua's MAC: argv COUNT DSTMAC NAME...
# The inner source address marks the case (198.19.0.100+i, 2001:db8:1::100+i for the i-th NAME):
# a decapsulated frame shows on A's gif devices with it.
SPOOF_PY='
import sys
from scapy.all import ICMP, IP, Ether, ICMPv6EchoRequest, IPv6, conf, sendp
conf.verb = 0
count, mac, names = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
o4 = lambda s, d, p: IP(src=s, dst=d, proto=p, flags="DF")
o6 = lambda s, d, p: IPv6(src=s, dst=d, nh=p)
for i, name in enumerate(names):
    i4 = IP(src="198.19.0.%d" % (100 + i), dst="198.19.0.1") / ICMP(id=0x5353)
    i6 = IPv6(src="2001:db8:1::%d" % (100 + i), dst="2001:db8:1::1") / ICMPv6EchoRequest(id=0x5353)
    frame = {
        "control-4in4":      o4("198.18.0.2", "198.18.0.1", 4) / i4,
        "control-6in6":      o6("2001:db8:ff::2", "2001:db8:ff::1", 41) / i6,
        "forged-src-4":      o4("198.18.0.3", "198.18.0.1", 4) / i4,
        "forged-src-6":      o6("2001:db8:ff::3", "2001:db8:ff::1", 41) / i6,
        "foreign-dst-4":     o4("198.18.0.2", "198.18.0.77", 4) / i4,
        "foreign-dst-6":     o6("2001:db8:ff::2", "2001:db8:ff::77", 41) / i6,
        "reflected-4":       o4("198.18.0.1", "198.18.0.2", 4) / i4,
        "martian-src-4":     o4("127.0.0.1", "198.18.0.1", 4) / i4,
        "martian-src-6":     o6("::ffff:198.18.0.2", "2001:db8:ff::1", 4) / i4,
        "proto4-inner6":     o4("198.18.0.2", "198.18.0.1", 4) / i6,
        "proto41-inner4":    o4("198.18.0.2", "198.18.0.1", 41) / i4,
        "v6-proto4-inner6":  o6("2001:db8:ff::2", "2001:db8:ff::1", 4) / i6,
        "v6-proto41-inner4": o6("2001:db8:ff::2", "2001:db8:ff::1", 41) / i4,
    }[name]
    sendp(Ether(dst=mac) / frame, iface="ub", count=count, inter=0.005)
'

# case NAME COUNTER WHAT: a spoofing case; COUNTER (GIF:NAME) counts its frames in A
SPOOF_CASES=(
	"control-4in4 gif0:rx_packets a right 4in4 packet is decapsulated (the check works)"
	"control-6in6 gif6:rx_packets a right 6in6 packet is decapsulated (the check works)"
	"forged-src-4 0:rx_no_tunnel forged IPv4 outer source"
	"forged-src-6 0:rx_no_tunnel forged IPv6 outer source"
	"foreign-dst-4 0:rx_no_tunnel foreign IPv4 outer destination"
	"foreign-dst-6 0:rx_no_tunnel foreign IPv6 outer destination"
	"reflected-4 0:rx_no_tunnel our own IPv4 pair reflected back"
	"martian-src-4 0:rx_martian outer source 127.0.0.1"
	"martian-src-6 0:rx_martian outer source ::ffff:198.18.0.2"
	"proto4-inner6 gif0:rx_inner_mismatch right IPv4 pair, protocol 4 with IPv6 inside"
	"proto41-inner4 gif0:rx_inner_mismatch right IPv4 pair, protocol 41 with IPv4 inside"
	"v6-proto4-inner6 gif6:rx_inner_mismatch right IPv6 pair, protocol 4 with IPv6 inside"
	"v6-proto41-inner4 gif6:rx_inner_mismatch right IPv6 pair, protocol 41 with IPv4 inside"
)

# All cases from one scapy run and one capture on A (any device): each non-control case must
# show no decapsulated frame, each control case all of them; the counters grow by exactly what
# the cases add up to (controls: at least).
test_spoofing() {
	local n=5 pcap=$TMPD/spoof.pcap mac i name counter what seen specs=() names=() rc
	local -A want=()
	mac=$(ip -n "$A" -j link show ua | jeval doc 'j[0]["address"]')
	for i in "${!SPOOF_CASES[@]}"; do
		read -r name counter what <<<"${SPOOF_CASES[$i]}"
		names+=("$name")
		want[$counter]=$((${want[$counter]:-0} + n))
	done
	stats_mark "$A"
	capture_start "$A" any "$pcap" 'net 198.19.0.0/24 or net 2001:db8:1::/64' ||
		{ log_test "spoof: capture on A" 1; return; }
	run timeout 60 ip netns exec "$B" "$PY" -c "$SPOOF_PY" $n "$mac" "${names[@]}"
	[ "$RC" -eq 0 ] || { note "scapy: $ERR"; log_test "spoof: scapy in B" 1; }
	sleep 0.5
	capture_stop
	timeout 10 tcpdump -r "$pcap" -n 2>/dev/null >"$TMPD/spoof.txt"
	for i in "${!SPOOF_CASES[@]}"; do
		read -r name counter what <<<"${SPOOF_CASES[$i]}"
		seen=$(grep -cE " (198\.19\.0\.$((100 + i))|2001:db8:1::$((100 + i))) > " "$TMPD/spoof.txt")
		rc=0
		if [[ $name == control-* ]]; then
			[ "$seen" -ge $n ] || { note "$seen of $n decapsulated frames seen on A"; rc=1; }
		else
			eq "decapsulated frames of $name seen on A" "$seen" 0 || rc=1
		fi
		if [[ $name == control-* ]]; then
			log_test "spoof control: $what" $rc
		else
			log_test "spoof: $what: not decapsulated" $rc
		fi
	done
	for counter in "${!want[@]}"; do
		[[ $counter == *rx_packets ]] && specs+=("$counter=${want[$counter]}+") ||
			specs+=("$counter=${want[$counter]}")
	done
	counters_are "${specs[@]}"
	log_test "spoof: counters of A moved by exactly the spoofed frames" $?
}

snapshot_bin GIFCTL || fatal "a copy of $GIFCTL"
rig_up
step ip -n "$A" link add vx0 type veth peer name vx1 || fatal "veth vx0 in A"
BASE=$(state_of "$A" ua) || fatal "state of A"
test_table
test_unprivileged
test_lock_file
test_spoofing
test_no_cap_bpf
tests_done
