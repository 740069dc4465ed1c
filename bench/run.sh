#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The gifctl benchmark suite: `make bench` (bench/bench.mk) runs it. Needs root.
#
#   bench/run.sh [--quick] [rate] [tcp] [scale] [control]     (default: all four)
#
# Every measurement is one line of JSON in bench/results/raw.jsonl; bench/report.py turns them
# into the figures (median, min, max of the runs; ratios against the baseline measured in the
# same run, interleaved with it), bench/results/*.json and the table printed at the end.
# Everything runs in network namespaces created here and removed on exit; every traffic loop
# is bounded in frames and seconds; the whole suite in BENCH_BUDGET seconds (default 570).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

RESULTS=${BENCH_RESULTS:-$BENCH/results}
BUDGET=${BENCH_BUDGET:-560}
CPU=${BENCH_CPU:-1}
REPS=5
SECS=0.25
TCP_REPS=3
TCP_SECS=1
TCP_RATE=4	# Gbit/s of the paced runs: well below what either path reaches
CP_REPS=3
CP_SMALL=1000 CP_LARGE=10000
QUICK=0
PHASES=()
for a in "$@"; do
	case $a in
	--quick) QUICK=1 ;;
	rate | tcp | scale | control) PHASES+=("$a") ;;
	*) die "usage: bench/run.sh [--quick] [rate] [tcp] [scale] [control]" ;;
	esac
done
[ ${#PHASES[@]} -gt 0 ] || PHASES=(rate scale tcp control)
if [ $QUICK = 1 ]; then
	REPS=2 SECS=0.2 TCP_REPS=1 TCP_SECS=1 CP_REPS=1 CP_SMALL=100 CP_LARGE=1000
fi

T_START=${EPOCHREALTIME/[.,]/}
elapsed() { local t=${EPOCHREALTIME/[.,]/}; echo $(((t - T_START) / 1000000)); }
left() { echo $((BUDGET - $(elapsed))); }
secs_since() { local t=${EPOCHREALTIME/[.,]/}; printf '%d.%06d' $(((t - $1) / 1000000)) $(((t - $1) % 1000000)); }
stamp() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# children_cpu: CHILD_CPU = user + system seconds of this shell's finished children, so far
# (`times` must run in this shell, not in a command substitution's subshell)
children_cpu() {
	times >"$TIMES"	# "XmY.YYYs XmY.YYYs" twice: the shell's, then its children's
	CHILD_CPU=$(tail -n 1 "$TIMES" |
		awk '{ split($0, f, /[ ms]+/); print f[1] * 60 + f[2] + f[3] * 60 + f[4] }')
}

# timed CMD...: runs CMD; T_WALL and T_CPU are its wall-clock and CPU (user + system) seconds
timed() {
	local t0 c0 rc
	children_cpu
	c0=$CHILD_CPU
	t0=$(stamp)
	"$@"
	rc=$?
	T_WALL=$(secs_since "$t0")
	children_cpu
	T_CPU=$(awk -v a="$c0" -v b="$CHILD_CPU" 'BEGIN { printf "%.3f", b - a }')
	return $rc
}

preflight() {
	local t
	[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, BPF)"
	for t in ip ethtool iperf3 python3 timeout setsid tc; do
		command -v $t >/dev/null || die "$t not found (apt-get install iproute2 ethtool iperf3)"
	done
	[ -x "$GIFCTL" ] && [ -x "$GIFBENCH" ] || die "build first: make bench-build"
	mkdir -p "$RESULTS" || die "cannot create $RESULTS"
}

RAW=
TMPD=
# record PHASE CASE VARIANT REP JSON: one measurement
record() {
	[[ $5 == \{* ]] || { log "bench: $2/$3: no result (${5:0:200})"; return 1; }
	printf '{"phase": "%s", "case": "%s", "variant": "%s", "rep": %s, %s\n' \
		"$1" "$2" "$3" "$4" "${5#\{}" >>"$RAW"
}

# note_cmd PHASE CASE TEXT: how a figure is reproduced (one per case)
note_cmd() {
	printf '{"phase": "%s", "case": "%s", "variant": "_cmd", "rep": 0, "cmd": "%s"}\n' \
		"$1" "$2" "$3" >>"$RAW"
}

machine() {
	local commit dirty
	commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$ROOT" status --porcelain -- bpf ctl include 2>/dev/null | grep -c .)
	python3 - "$commit" "$dirty" "$QUICK" "${PHASES[*]}" "$(sha256sum <"$GIFCTL" | cut -c1-16)" \
		<<'EOF' >>"$RAW"
import json, os, platform, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
virt = "hypervisor" in open("/proc/cpuinfo").read()
print(json.dumps({"phase": "machine", "case": "-", "variant": "-", "rep": 0,
                  "kernel": platform.release(), "cpu": cpu, "cpus": os.cpu_count(),
                  "mem_mib": mem, "virtual": virt, "load_at_start": os.getloadavg()[0],
                  "commit": sys.argv[1], "datapath_dirty_files": int(sys.argv[2]),
                  "quick": sys.argv[3] == "1", "phases": sys.argv[4],
                  "gifctl_sha256": sys.argv[5]}))
EOF
}

# ---- packet rates: decapsulation and encapsulation ------------------------------------------

# Outer and inner addresses of the generated frames per layout (see lib.sh).
declare -A OSRC=([4in4]=198.18.0.1 [6in6]=2001:db8:ff::1)
declare -A ODST=([4in4]=198.18.0.2 [6in6]=2001:db8:ff::2)
declare -A DISRC=([4in4]=198.19.128.1 [6in6]=2001:db8:100::1)
declare -A DIDST=([4in4]=198.19.192.1 [6in6]=2001:db8:200::1)
declare -A EISRC=([4in4]=198.19.160.1 [6in6]=2001:db8:300::1)
declare -A EIDST=([4in4]=198.19.176.1 [6in6]=2001:db8:400::1)
declare -A GIFDEV=([4in4]=gif0 [6in6]=gif6)
declare -A OHLEN=([4in4]=20 [6in6]=40)

decap_args() { # LAYOUT SIZE
	echo "--layout $1 --size $2 --dmac ua --smac ugen --osrc ${OSRC[$1]} --odst ${ODST[$1]}" \
		"--isrc ${DISRC[$1]} --idst ${DIDST[$1]} --flows 1024 --redirect ugen" \
		"--count ${GIFDEV[$1]}:rx --cpu $CPU"
}
encap_args() { # LAYOUT SIZE
	local plain=plain${1:0:1}
	echo "--layout $plain --size $2 --dmac gin --smac ginp --isrc ${EISRC[$1]}" \
		"--idst ${EIDST[$1]} --flows 1024 --pass gin --count ua:tx --cpu $CPU"
}

# rotate REP WORDS...: the words, starting at position REP (interleaves variants fairly)
rotate() {
	local r=$1 n i
	shift
	n=$#
	local w=("$@")
	for ((i = 0; i < n; i++)); do echo "${w[$(((i + r) % n))]}"; done
}

phase_rate() {
	local G B T lay size rep v ns out args
	log "== packet rates: decapsulation (XDP, baseline, TC-ingress variant) and encapsulation"
	ns_new G rate-gif && dut_rig "$G" gif || die "rate rig (gif)"
	ns_new B rate-base && dut_rig "$B" base || die "rate rig (baseline)"
	ns_new R rate-redir && dut_rig "$R" base || die "rate rig (baseline, plain redirect)"
	ns_new T rate-tc && dut_rig "$T" tc || die "rate rig (tc)"
	declare -A RIG=([gif]=$G [base]=$B [redir]=$R [tc]=$T)

	for lay in 4in4 6in6; do
		gifbench "$R" base xdp_redirect ua --target "${GIFDEV[$lay]}-gp" || die "baseline attach"
		gifbench "$B" base xdp_strip ua --target "${GIFDEV[$lay]}-gp" --strip "${OHLEN[$lay]}" \
			--dmac "${GIFDEV[$lay]}" --smac ugen --proto "${lay:0:1}" || die "baseline attach"
		for size in 64 1400; do
			args=$(decap_args $lay $size)
			note_cmd decap "$lay-$size" "ip netns exec RIG gifbench gen $args --seconds $SECS"
			for ((rep = 0; rep < REPS; rep++)); do
				for v in $(rotate $rep gif base redir tc); do
					# shellcheck disable=SC2086
					out=$(gifbench "${RIG[$v]}" gen $args --seconds $SECS --label "$v")
					record decap "$lay-$size" "$v" $rep "$out"
				done
			done
			# Program run time, in a separate run: BPF statistics cost time themselves.
			for v in gif base redir tc; do
				# shellcheck disable=SC2086
				out=$(gifbench "${RIG[$v]}" gen $args --seconds $SECS --label "$v" \
					--prog-stats ua:$([ $v = tc ] && echo ingress || echo xdp))
				record decap "$lay-$size" "$v" -1 "$out"
			done
			log "   decap $lay $size done ($(elapsed) s)"
		done
		for size in 64 1400; do
			args=$(encap_args $lay $size)
			note_cmd encap "$lay-$size" "ip netns exec RIG gifbench gen $args --seconds $SECS"
			for ((rep = 0; rep < REPS; rep++)); do
				for v in $(rotate $rep gif base); do
					# shellcheck disable=SC2086
					out=$(gifbench "${RIG[$v]}" gen $args --seconds $SECS --label "$v")
					record encap "$lay-$size" "$v" $rep "$out"
				done
			done
			for v in gif base; do
				# shellcheck disable=SC2086
				out=$(gifbench "${RIG[$v]}" gen $args --seconds $SECS --label "$v" \
					--prog-stats "${GIFDEV[$lay]}:egress")
				record encap "$lay-$size" "$v" -1 "$out"
			done
			log "   encap $lay $size done ($(elapsed) s)"
		done
	done
	ns_del "$G"
	ns_del "$B"
	ns_del "$R"
	ns_del "$T"
	wait_netns_cleanup	# the kernel's cleanup would run during the next measurements
}

# ---- TCP throughput -------------------------------------------------------------------------

# iperf NS DST STREAMS [GBPS]: one iperf3 run from NS to DST, paced to GBPS Gbit/s in all when
# given; prints one line of JSON with iperf3's own report (bench/report.py takes Gbit/s, and Gbit
# per CPU-second of client + server from iperf3's getrusage figures, which include the softirq
# work done in their context)
iperf() {
	local out pace=()
	[ -z "${4:-}" ] || pace=(-b "$(($4 * 1000 / $3))M")
	out=$(timeout $((${TCP_SECS%.*} + 20)) ip netns exec "$1" iperf3 -c "$2" -p 5201 \
		-t "$TCP_SECS" -P "$3" "${pace[@]}" -i 0 -J 2>/dev/null | tr -d '\n\t')
	[[ $out == \{* ]] || out='{"error": "iperf3 failed"}'
	# Only iperf3's totals are used (bench/report.py): the rest would make raw.jsonl large.
	out=$(python3 -c 'import json, sys; j = json.load(sys.stdin); [j.pop(k, None) for k in ("start", "intervals")]; j.get("end", {}).pop("streams", None); print(json.dumps(j))' <<<"$out" 2>/dev/null) ||
		out='{"error": "iperf3 output unreadable"}'
	printf '{"streams": %d, "dst": "%s", "iperf": %s}\n' "$3" "$2" "$out"
}

# The TCP runs, "VARIANT RIG DST [paced]": RIG bare (no program), xdp (gifctl's XDP, checksum
# offload off as veth underlays need) or tc (gifctl's TC ingress); DST the bare underlay's or the
# tunnel's address. Paced runs (one stream at TCP_RATE: what a Gbit costs, which varies far less
# than saturated throughput; several streams paced vary as much) run with one stream only.
TCP_RUNS=("bare bare bare" "bare-xdp xdp bare" "gif-xdp xdp gif" "gif-tc tc gif"
	"bare-paced bare bare paced" "gif-tc-paced tc gif paced")

# Each variant has a rig of its own, and every case runs all of them one after the other, the
# first rotating: a ratio compares runs made within seconds of each other.
phase_tcp() {
	local mode a b c streams rep k n variant rig dst pace t_rep nses=()
	local -A client
	log "== TCP throughput (iperf3): bare underlay, XDP decapsulation, TC-ingress decapsulation"
	for mode in bare xdp tc; do
		ns_new a "tcp$mode-a" && ns_new b "tcp$mode-b" &&
			tcp_rig "$a" "$b" $((BUDGET + 60)) "$mode" || die "tcp rig ($mode)"
		client[$mode]=$a
		nses+=("$a" "$b")
	done
	for c in 4in4 6in6; do
		for streams in 1 4; do
			note_cmd tcp "$c-$streams" "ip netns exec A iperf3 -c DST -t $TCP_SECS -P $streams -J$([ $streams = 1 ] && echo " (paced: -b ${TCP_RATE}000M)")"
		done
	done
	n=${#TCP_RUNS[@]}
	for ((rep = 0; rep < TCP_REPS; rep++)); do
		t_rep=$(stamp)
		for c in 4in4 6in6; do
			for streams in 1 4; do
				for ((k = 0; k < n; k++)); do
					read -r variant rig dst pace <<<"${TCP_RUNS[(k + rep) % n]}"
					[ -z "$pace" ] || [ "$streams" = 1 ] || continue
					record tcp "$c-$streams" "$variant" "$rep" "$(iperf "${client[$rig]}" \
						"${DST[$c/$dst]}" "$streams" ${pace:+"$TCP_RATE"})"
				done
			done
		done
		log "   tcp rep $rep done ($(elapsed) s)"
		[ "$(left)" -gt $(($(secs_since "$t_rep" | cut -d. -f1) + 15)) ] ||
			{ log "   (budget: no further TCP runs)"; break; }
	done
	for a in "${nses[@]}"; do
		ns_del "$a"
	done
	wait_netns_cleanup
}

# ---- scale: per-packet cost with N tunnels --------------------------------------------------

phase_scale() {
	local S n prev=1 rep out args flows
	log "== scale: per-packet decapsulation cost with 1, 1024, 65536 tunnels (4in4, 64 B)"
	ns_new S scale || die "scale namespace"
	ip -n "$S" link add ugen type veth peer name ua &&
		ip -n "$S" addr add 198.18.0.2/24 dev ua &&
		ip -n "$S" link set ua up && ip -n "$S" link set ugen up &&
		ip -n "$S" route add 198.18.64.0/24 dev ua &&
		ip -n "$S" route add blackhole 198.19.192.0/24 &&
		gifctl "$S" attach ua mode xdp >/dev/null &&
		gifctl "$S" tunnel set gif0 198.18.0.2 198.18.64.0 || die "scale rig"
	args="--layout 4in4 --size 64 --dmac ua --smac ugen --osrc 198.18.64.0 --odst 198.18.0.2"
	args+=" --isrc 198.19.128.1 --idst 198.19.192.1 --redirect ugen --count gif0:rx --cpu $CPU"
	note_cmd scale "4in4-64" "gifbench fill ua gif0 198.18.64.0 1 N; ip netns exec RIG gifbench gen $args --flows max(N,1024) --tunnels N --seconds $SECS"
	# Up only: removing 65,535 tunnels again costs the time the control plane needs (bench/run.sh
	# keeps the legs apart in the figures, so a longer sequence can show drift).
	local leg=0
	for n in 1 1024 65536; do
		if [ "$n" -gt "$prev" ]; then
			out=$(gifbench "$S" fill ua gif0 198.18.64.0 "$prev" "$n") || die "fill $n tunnels"
			record scale fill "n$n" "$leg" "$out"
		elif [ "$n" -lt "$prev" ]; then
			gifbench "$S" fill ua gif0 198.18.64.0 "$n" "$prev" --clear >/dev/null ||
				die "clear to $n tunnels"
		fi
		prev=$n
		flows=$((n > 1024 ? n : 1024))
		for ((rep = 0; rep < REPS; rep++)); do
			# shellcheck disable=SC2086
			out=$(gifbench "$S" gen $args --flows $flows --tunnels $n --seconds $SECS \
				--label "n$n")
			record scale "4in4-64" "n$n" $((leg * 100 + rep)) "$out"
		done
		# shellcheck disable=SC2086
		out=$(gifbench "$S" gen $args --flows $flows --tunnels $n --seconds $SECS --label "n$n" \
			--prog-stats ua:xdp)
		record scale "4in4-64" "n$n" -1 "$out"
		log "   $n tunnels done ($(elapsed) s)"
		leg=$((leg + 1))
	done
	ns_del "$S"
	wait_netns_cleanup
}

# ---- control plane --------------------------------------------------------------------------

# cp_ns VAR: a namespace with an underlay on 198.18.0.0/15, everything on-link
cp_ns() {
	local cpns
	ns_new cpns "cp$RANDOM" || return 1
	ip -n "$cpns" link add ua type veth peer name ugen &&
		ip -n "$cpns" addr add 198.18.0.2/15 dev ua &&
		ip -n "$cpns" link set ua up && ip -n "$cpns" link set ugen up || return 1
	printf -v "$1" %s "$cpns"
}

# cp_run N REP [CAP]: configure N tunnels with one `gifctl apply`, ended after CAP seconds (then
# what it made in that time is recorded), then show -j and a re-apply (a no-op); WAIT=0: the
# namespace's removal is waited for only as long as the budget allows
cp_run() {
	local n=$1 rep=$2 cap=${3:-600} ns made shown rc
	cp_ns ns || die "control-plane namespace"
	cp_conf "$n" "$TMPD/conf$n"
	GIFCTL_TIMEOUT=$cap timed gifctl "$ns" apply "$TMPD/conf$n" >/dev/null
	rc=$?
	T_APPLY=$T_WALL T_APPLY_CPU=$T_CPU
	made=$(ip -n "$ns" -o link show | grep -c -- '-gp@')
	local k
	for ((k = 0; k < 3; k++)); do	# cheap next to the apply: three runs each time
		timed gifctl "$ns" -j show >"$TMPD/show.json" || die "show -j"
		shown=$(grep -o '"src"' "$TMPD/show.json" | wc -l)
		record control "show-$n" gifctl "$((rep * 10 + k))" "{\"n\": $shown, \"s\": $T_WALL, \"cpu_s\": $T_CPU, \"bytes\": $(stat -c %s "$TMPD/show.json")}"
	done
	if [ "$shown" -eq "$n" ] && { [ $rc = 0 ] || [ $rc = 124 ]; }; then
		# 124: the time limit's SIGTERM came while gifctl finished its change (it defers it)
		record control "apply-$n" gifctl "$rep" "{\"n\": $n, \"s\": $T_APPLY, \"cpu_s\": $T_APPLY_CPU}"
		if [ "$(left)" -gt 60 ]; then
			timed gifctl "$ns" apply "$TMPD/conf$n" >/dev/null || die "re-apply $n tunnels"
			record control "reapply-$n" gifctl "$rep" "{\"n\": $n, \"s\": $T_WALL, \"cpu_s\": $T_CPU}"
		fi
	elif [ $rc = 124 ] || [ $rc = 137 ]; then
		log "   apply of $n tunnels stopped after $T_APPLY s (budget): $made devices made"
		record control "apply-$n" incomplete "$rep" \
			"{\"n\": $n, \"made\": $made, \"s\": $T_APPLY, \"cpu_s\": $T_APPLY_CPU}"
	else
		die "apply of $n tunnels: exit $rc, $made devices, $shown tunnels"
	fi
	ns_del "$ns"
	if [ "${WAIT:-1}" = 1 ]; then
		wait_netns_cleanup
	else
		# Removing N tunnels' devices keeps the kernel busy (holding RTNL) for a long time.
		local t0 i lim=$((5 * ($(left) - 20)))
		t0=$(stamp)
		for ((i = 0; i < lim; i++)); do
			ps -eo comm | grep -q '+netns' || break
			sleep 0.2
		done
		record control "teardown-$n" gifctl "$rep" "{\"n\": $n, \"s\": $(secs_since "$t0"), \"done\": $(ps -eo comm | grep -q '+netns' && echo false || echo true)}"
	fi
}

# cp_devices N REP: the veth pairs of N tunnels made and brought up by one `ip -batch` (no gifctl)
cp_devices() {
	local ns
	ns_new ns "cpd$RANDOM" || die "control-plane namespace"
	timed bounded 600 ip -n "$ns" -batch "$TMPD/devices$1" || die "ip -batch of $1 veth pairs"
	record control "devices-$1" ip "$2" "{\"n\": $1, \"s\": $T_WALL, \"cpu_s\": $T_CPU}"
	ns_del "$ns"
	wait_netns_cleanup
}

# set_1by1 NS N: N tunnels, one `ip netns exec NS gifctl tunnel set` each
set_1by1() {
	local i
	for ((i = 0; i < $2; i++)); do
		gifctl_plain "$1" -w 30 tunnel set "b$i" 198.18.0.2 "198.18.64.$i" || return 1
	done
}

# exec_1by1 NS N: N times `ip netns exec NS true` (what every invocation pays before gifctl runs)
exec_1by1() {
	local i
	for ((i = 0; i < $2; i++)); do
		bounded 30 ip netns exec "$1" true || return 1
	done
}

phase_control() {
	local ns t rep n=20 cap
	log "== control plane: one gifctl per tunnel, gifctl apply of 1,000 and 10,000 tunnels, show -j"
	note_cmd control "set-1by1" "for i in 0..19: ip netns exec NS gifctl tunnel set bI 198.18.0.2 198.18.64.I"
	note_cmd control "netns-exec-1by1" "for i in 0..19: ip netns exec NS true"
	for t in $CP_SMALL $CP_LARGE; do
		note_cmd control "apply-$t" "ip netns exec NS gifctl apply CONF  # attach ua + $t tunnel lines"
		note_cmd control "reapply-$t" "ip netns exec NS gifctl apply CONF  # the same file again"
		note_cmd control "show-$t" "ip netns exec NS gifctl -j show  # $t tunnels"
	done
	note_cmd control "devices-$CP_SMALL" "ip -n NS -batch FILE  # devices_batch $CP_SMALL: the same veth pairs, up"
	for ((rep = 0; rep < CP_REPS; rep++)); do
		cp_ns ns || die "control-plane namespace"
		gifctl "$ns" attach ua >/dev/null || die "attach"
		timed set_1by1 "$ns" $n || die "tunnel set"
		record control "set-1by1" gifctl "$rep" "{\"n\": $n, \"s\": $T_WALL, \"cpu_s\": $T_CPU}"
		timed exec_1by1 "$ns" $n || die "ip netns exec"
		record control "netns-exec-1by1" gifctl "$rep" "{\"n\": $n, \"s\": $T_WALL, \"cpu_s\": $T_CPU}"
		ns_del "$ns"
		wait_netns_cleanup
	done
	devices_batch $CP_SMALL "$TMPD/devices$CP_SMALL"
	for ((rep = 0; rep < CP_REPS; rep++)); do
		# Side by side with the kernel's part: the same devices made by `ip -batch`, first in
		# every other run.
		[ $((rep % 2)) = 1 ] && cp_devices $CP_SMALL "$rep"
		cp_run $CP_SMALL "$rep"
		[ $((rep % 2)) = 0 ] && cp_devices $CP_SMALL "$rep"
	done
	log "   $CP_SMALL tunnels done ($(elapsed) s)"
	# One run of 10,000 (one to three minutes here, BENCHMARKS.md), ended if the budget runs out
	# (what it made by then is recorded): the kernel removes its 20,000 devices in the background
	# afterwards, holding RTNL for a minute or more, which would slow a second run.
	cap=$(($(left) - 60))
	if [ $cap -lt 30 ]; then
		record control "apply-$CP_LARGE" skipped 0 "{\"n\": $CP_LARGE}"
		return
	fi
	WAIT=0 cp_run $CP_LARGE 0 $cap
	log "   $CP_LARGE tunnels: $(elapsed) s"
}

# ---- main -----------------------------------------------------------------------------------

# The figures are written even when the suite is cut short (budget, Ctrl-C): what was measured.
on_cleanup() {
	[ -s "$RAW" ] && printf '{"phase": "machine_end", "case": "-", "variant": "-", "rep": 0, "load": %s, "seconds": %d}\n' \
		"$(cut -d' ' -f1 /proc/loadavg)" "$(elapsed)" >>"$RAW"
	[ -s "$RAW" ] && python3 "$BENCH/report.py" "$RAW" "$RESULTS"
	rm -rf "$TMPD"
}

preflight
TMPD=$(mktemp -d /tmp/gifbench.XXXXXX)
TIMES=$TMPD/times
# Private copies: build/ is shared, and a rebuild during the run would change (or, while being
# written, break) the gifctl under test and the datapath it embeds.
cp "$GIFCTL" "$TMPD/gifctl" && cp "$GIFBENCH" "$TMPD/gifbench" || die "cannot copy the binaries"
GIFCTL=$TMPD/gifctl GIFBENCH=$TMPD/gifbench
RAW=$RESULTS/raw.jsonl
: >"$RAW"
machine
for p in "${PHASES[@]}"; do
	"phase_$p"
done
