#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compares gifctl builds on TCP through the tunnel (bench/run.sh "tcp"), in one run, interleaved,
# against the bare underlay: each build and the bare underlay get a TCP rig of their own
# (bench/lib.sh tcp_rig, gifctl's choice of decapsulation: TC ingress on veth), and every round
# runs each case once on every rig, the rig that goes first rotating.
#
#   bench/compare-tcp.sh [-r ROUNDS] [-t SECONDS] [-b GBPS] [-A CPUS] NAME=GIFCTL...
#
# Cases: 4in4 and 6in6 with 1 and 4 streams (-b: paced to GBPS Gbit/s in all; -A: iperf3's
# client,server CPU affinity, e.g. 0,1). Prints Gbit per CPU-second of iperf3's client and server
# (and Gbit/s), median [min-max] of the rounds, and each build's ratio to the bare underlay.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GIFCTL=${GIFCTL:-unused} GIFBENCH=${GIFBENCH:-unused}
ROUNDS=3 SECS=2 PACE=() PIN=()
while getopts r:t:b:A: o; do
	case $o in
	r) ROUNDS=$OPTARG ;;
	t) SECS=$OPTARG ;;
	b) PACE=(-b "$OPTARG") ;;
	A) PIN=(-A "$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
USAGE="usage: bench/compare-tcp.sh [-r ROUNDS] [-t S] [-b GBPS] [-A CPUS] NAME=GIFCTL..."
[ $# -ge 1 ] || { echo "$USAGE" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

RAW=$(mktemp /tmp/gifcmptcp.XXXXXX)
LIFE=$((ROUNDS * 4 * ($# + 1) * (${SECS%.*} + 5) + 60))
declare -A CLIENT_NS BIN
NAMES=(bare)
ns_new CLIENT_NS[bare] tcpbare-a && ns_new server_ns tcpbare-b &&
	tcp_rig "${CLIENT_NS[bare]}" "$server_ns" "$LIFE" bare || die "bare rig"
for a in "$@"; do
	name=${a%%=*} BIN[$name]=${a#*=}
	NAMES+=("$name")
	GIFCTL=${BIN[$name]} ns_new CLIENT_NS[$name] "tcp$name-a" && ns_new server_ns "tcp$name-b" &&
		GIFCTL=${BIN[$name]} tcp_rig "${CLIENT_NS[$name]}" "$server_ns" "$LIFE" || die "rig for $name"
done

# one NAME COMBO STREAMS ROUND: one iperf3 run on NAME's rig, a line of JSON in $RAW
one() {
	local dst=${DST[$2/gif]} rate=()
	[ "$1" = bare ] && dst=${DST[$2/bare]}
	# -b is per stream: the total is what was asked for
	[ ${#PACE[@]} = 0 ] || rate=(-b "$((${PACE[1]} * 1000 / $3))M")
	timeout $((${SECS%.*} + 20)) ip netns exec "${CLIENT_NS[$1]}" iperf3 -c "$dst" -p 5201 -t "$SECS" \
		-P "$3" "${rate[@]}" "${PIN[@]}" -J 2>/dev/null | python3 -c '
import json, sys
name, case, rnd = sys.argv[1:4]
try:
    e = json.load(sys.stdin)["end"]
    rec, cpu = e["sum_received"], e["cpu_utilization_percent"]
    s = (cpu["host_total"] + cpu["remote_total"]) / 100 * rec["seconds"]
    print(json.dumps({"name": name, "case": case, "round": int(rnd),
                      "gbit_per_cpu_s": rec["bytes"] * 8 / 1e9 / s,
                      "gbps": rec["bits_per_second"] / 1e9}))
except (ValueError, KeyError, ZeroDivisionError):
    print(json.dumps({"name": name, "case": case, "round": int(rnd), "error": True}))
' "$1" "$2-$3" "$4" >>"$RAW"
}

for ((r = 0; r < ROUNDS; r++)); do
	for c in 4in4 6in6; do
		for streams in 1 4; do
			for ((k = 0; k < ${#NAMES[@]}; k++)); do
				one "${NAMES[(k + r) % ${#NAMES[@]}]}" "$c" "$streams" "$r"
			done
		done
	done
	log "round $((r + 1)) of $ROUNDS done (load $(cut -d' ' -f1 /proc/loadavg))"
done

python3 - "$RAW" "${NAMES[@]}" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
names = sys.argv[2:]
def mm(v, f="%.2f"):
    return (f + " [" + f + "-" + f + "]") % (statistics.median(v), min(v), max(v)) if v else "-"
print("%-8s " % "case" + "".join("%-34s" % n for n in names))
for case in ("4in4-1", "4in4-4", "6in6-1", "6in6-4"):
    per = {n: [r for r in rows if r["name"] == n and r["case"] == case and "error" not in r]
           for n in names}
    med = {n: statistics.median(r["gbit_per_cpu_s"] for r in rs) for n, rs in per.items() if rs}
    cells = []
    for n in names:
        v = [r["gbit_per_cpu_s"] for r in per[n]]
        x = ""
        if n != "bare" and n in med and "bare" in med:
            x = " (%.2fx)" % (med[n] / med["bare"])
        cells.append("%-34s" % (mm(v) + x))
    print("%-8s " % case + "".join(cells))
    print("%-8s " % "  Gbit/s" + "".join("%-34s" % mm([r["gbps"] for r in per[n]], "%.1f")
                                           for n in names))
bad = sum(1 for r in rows if "error" in r)
if bad:
    print("%d runs gave no result" % bad)
PYEOF
rm -f "$RAW"
