#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compares gifctl builds (e.g. a datapath change in a copy of the tree) on the packet-rate
# benchmarks, in one run, interleaved, against the same baseline:
#
#   GIFBENCH=build/bench/gifbench bench/compare.sh [-r REPS] [-s SECONDS] [-c CASES] \
#       NAME=GIFCTL [NAME=GIFCTL...]
#
# CASES: comma-separated decap-4in4-64, decap-6in6-1400, encap-4in4-64, ... (default: the 64 B
# ones); tcdecap-... is decapsulation with the builds attached in TC-ingress mode (the baseline
# stays the XDP strip). For each case and build: packets per CPU-second (median of REPS runs)
# and the program's own run time (median of REPS runs with BPF statistics on, alternating with
# the others). Each build gets its own rig (bench/lib.sh).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GIFCTL=${GIFCTL:-unused}
REPS=5 SECS=0.4 CASES=decap-4in4-64,decap-6in6-64,encap-4in4-64,encap-6in6-64 CPU=${BENCH_CPU:-1}
while getopts r:s:c: o; do
	case $o in
	r) REPS=$OPTARG ;;
	s) SECS=$OPTARG ;;
	c) CASES=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: bench/compare.sh [-r REPS] [-s S] [-c CASES] NAME=GIFCTL..." >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

declare -A RIG BIN
NAMES=()
for a in "$@"; do
	name=${a%%=*} BIN[$name]=${a#*=}
	NAMES+=("$name")
	GIFCTL=${BIN[$name]} ns_new RIG[$name] "cmp$name" &&
		GIFCTL=${BIN[$name]} dut_rig "${RIG[$name]}" gif || die "rig for $name"
done
GIFCTL=${BIN[${NAMES[0]}]}
ns_new BASE cmpbase && dut_rig "$BASE" base || die "baseline rig"
NAMES+=(base)
RIG[base]=$BASE

declare -A OSRC=([4in4]=198.18.0.1 [6in6]=2001:db8:ff::1) ODST=([4in4]=198.18.0.2 [6in6]=2001:db8:ff::2)
declare -A DISRC=([4in4]=198.19.128.1 [6in6]=2001:db8:100::1) DIDST=([4in4]=198.19.192.1 [6in6]=2001:db8:200::1)
declare -A EISRC=([4in4]=198.19.160.1 [6in6]=2001:db8:300::1) EIDST=([4in4]=198.19.176.1 [6in6]=2001:db8:400::1)
declare -A GIFDEV=([4in4]=gif0 [6in6]=gif6) OHLEN=([4in4]=20 [6in6]=40)

RAW=$(mktemp /tmp/gifcmp.XXXXXX)
for c in ${CASES//,/ }; do
	IFS=- read -r dir lay size <<<"$c"
	if [ "$dir" = decap ] || [ "$dir" = tcdecap ]; then
		mode=xdp prog=ua:xdp base_prog=ua:xdp
		[ "$dir" = tcdecap ] && mode=tc prog=ua:ingress
		for n in "${NAMES[@]}"; do
			[ "$n" = base ] && continue
			{ [ $mode = xdp ] || nsx "${RIG[$n]}" ethtool -K ua gro on >/dev/null; } &&
				GIFCTL=${BIN[$n]} gifctl "${RIG[$n]}" attach ua mode $mode >/dev/null ||
				die "$n: attach ua mode $mode"
		done
		gifbench "$BASE" base xdp_strip ua --target "${GIFDEV[$lay]}-gp" --strip "${OHLEN[$lay]}" \
			--dmac "${GIFDEV[$lay]}" --smac ugen --proto "${lay:0:1}" || die "baseline"
		args="--layout $lay --size $size --dmac ua --smac ugen --osrc ${OSRC[$lay]}"
		args+=" --odst ${ODST[$lay]} --isrc ${DISRC[$lay]} --idst ${DIDST[$lay]} --flows 1024"
		args+=" --redirect ugen --count ${GIFDEV[$lay]}:rx --cpu $CPU"
	else
		args="--layout plain${lay:0:1} --size $size --dmac gin --smac ginp --isrc ${EISRC[$lay]}"
		args+=" --idst ${EIDST[$lay]} --flows 1024 --pass gin --count ua:tx --cpu $CPU"
		prog=${GIFDEV[$lay]}:egress base_prog=$prog
	fi
	# Runs with and without BPF statistics alternate: rates from the latter, program run times
	# from the former (statistics cost time themselves).
	for ((rep = 0; rep < 2 * REPS; rep++)); do
		for ((i = 0; i < ${#NAMES[@]}; i++)); do
			n=${NAMES[$(((i + rep) % ${#NAMES[@]}))]}
			stats=() p=$prog
			[ "$n" = base ] && p=$base_prog
			[ $((rep % 2)) = 1 ] && stats=(--prog-stats "$p")
			# shellcheck disable=SC2086
			out=$(gifbench "${RIG[$n]}" gen $args --seconds "$SECS" "${stats[@]}")
			echo "{\"case\": \"$c\", \"name\": \"$n\", \"rep\": $rep, ${out#\{}" >>"$RAW"
		done
	done
done
python3 - "$RAW" "${NAMES[@]}" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
names = sys.argv[2:]
cases = list(dict.fromkeys(r["case"] for r in rows))
print("%-18s" % "case" + "".join("%-26s" % n for n in names))
for c in cases:
    cells = []
    for n in names:
        mine = [r for r in rows if r["case"] == c and r["name"] == n]
        rs = [r["pps_cpu"] for r in mine if r["rep"] % 2 == 0]
        p = [r["prog_ns"] for r in mine if r["rep"] % 2 == 1 and "prog_ns" in r]
        cells.append("%5.2f Mpps %5.1f ns/run" % (statistics.median(rs) / 1e6,
                                                   statistics.median(p) if p else 0)
                     if rs else "-")
    print("%-18s" % c + "".join("%-26s" % x for x in cells))
EOF
rm -f "$RAW"
