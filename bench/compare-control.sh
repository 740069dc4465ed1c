#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compares gifctl builds on the control-plane benchmark (bench/run.sh "control"), in one run,
# interleaved: each round applies N tunnels once with every build, each in a fresh namespace.
#
#   bench/compare-control.sh [-n N] [-r REPS] NAME=GIFCTL [NAME=GIFCTL...]
#
# Prints, per build, the wall-clock and CPU seconds of `gifctl apply` (user + system of the
# command) and of one `gifctl -j show`, median [min-max] of REPS rounds, and the ratio of the
# medians to the first build's. The load average is printed with each run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GIFCTL=${GIFCTL:-unused} GIFBENCH=${GIFBENCH:-unused}
N=1000 REPS=3
while getopts n:r: o; do
	case $o in
	n) N=$OPTARG ;;
	r) REPS=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: bench/compare-control.sh [-n N] [-r REPS] NAME=GIFCTL..." >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

RAW=$(mktemp /tmp/gifcmpcp.XXXXXX)
CONF=$(mktemp /tmp/gifcmpcp-conf.XXXXXX)
cp_conf "$N" "$CONF"

# timed_run NAME WHAT NS ARGS...: `gifctl ARGS` in NS (on the suite's lock, as lib.sh gifctl), its
# wall and CPU seconds as one line of JSON in $RAW
timed_run() {
	local name=$1 what=$2 ns=$3 t
	shift 3
	t=$(/usr/bin/time -f '%e %U %S' -o /dev/stdout unshare -m sh -c \
		'mount --bind "$0" /run/gifctl.lock && exec ip netns exec "$@" >/dev/null' \
		"$BENCH_LOCK" "$ns" "$GIFCTL" "$@" | tail -n 1) || return 1
	read -r wall user sys <<<"$t"
	printf '{"name": "%s", "what": "%s", "s": %s, "cpu_s": %s, "load": %s}\n' "$name" "$what" \
		"$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
		"$(cut -d' ' -f1 /proc/loadavg)" >>"$RAW"
	tail -n 1 "$RAW" >&2
}

for ((rep = 0; rep < REPS; rep++)); do
	for ((k = 0; k < $#; k++)); do
		a=${*:$(((k + rep) % $# + 1)):1}
		name=${a%%=*} GIFCTL=${a#*=}
		wait_netns_cleanup 120
		ns_new NS "cpcmp$name" &&
			ip -n "$NS" link add ua type veth peer name ugen &&
			ip -n "$NS" addr add 198.18.0.2/15 dev ua &&
			ip -n "$NS" link set ua up && ip -n "$NS" link set ugen up || die "namespace"
		timed_run "$name" apply "$NS" apply "$CONF" || die "$name: apply failed"
		timed_run "$name" show "$NS" -j show || die "$name: show failed"
		ns_del "$NS"
	done
done
wait_netns_cleanup 120
python3 - "$RAW" "$@" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
names = [a.split("=", 1)[0] for a in sys.argv[2:]]
def mm(v):
    return "%.2f [%.2f-%.2f]" % (statistics.median(v), min(v), max(v))
for what in ("apply", "show"):
    base = None
    for n in names:
        mine = [r for r in rows if r["name"] == n and r["what"] == what]
        wall, cpu = [r["s"] for r in mine], [r["cpu_s"] for r in mine]
        base = base or (statistics.median(wall), statistics.median(cpu))
        print("%-6s %-10s wall %-22s cpu %-22s ratio wall %.2f cpu %.2f  (%d runs, load %s)" % (
            what, n, mm(wall), mm(cpu), statistics.median(wall) / base[0],
            statistics.median(cpu) / base[1] if base[1] else 0, len(mine),
            ",".join("%.1f" % r["load"] for r in mine)))
PYEOF
rm -f "$RAW" "$CONF"
