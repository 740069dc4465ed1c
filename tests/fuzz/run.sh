#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/fuzz/run.sh NAME CMD...: runs one robustness test, prints "    TEST: NAME [ OK ]|[FAIL]"
# (with the last lines of its output on failure, all of it with V=1) and appends "PASS|FAIL NAME"
# to $GIF_RESULTS when set. Exit status: CMD's (0 or 1).
set -u
name=$1
shift
log=$(mktemp /tmp/gif-fuzz.XXXXXX)
trap 'rm -f "$log" "$log.out"' EXIT
t0=${EPOCHREALTIME/[.,]/}
"$@" >"$log" 2>&1
rc=$?
us=$((${EPOCHREALTIME/[.,]/} - t0))
secs=$((us / 1000000)).$((us / 100000 % 10))
# The report is written at once, so that runs side by side do not mix their lines.
exec 3>&1 >"$log.out"
if [ "${V:-0}" = 1 ]; then
	sed 's/^/        /' "$log"
elif [ $rc -ne 0 ]; then
	# what went wrong (a violated property, a sanitizer or libFuzzer error, a datapath
	# violation) and where the failing input is, else the end of the output
	{ grep -a -E -A12 'property violated|^VIOLATION' "$log" | head -n 80
	  grep -a -E -A4 'runtime error|ERROR:' "$log" | head -n 20
	  grep -a -E 'Test unit written to|SUMMARY:|reproduce:|^pktfuzz: ' "$log"; } >"$log.why"
	[ -s "$log.why" ] || tail -n 40 "$log" >"$log.why"
	sed 's/^/        /' "$log.why"
	rm -f "$log.why"
else
	# the summary lines the tools print (counts, seeds, rates, reproducing commands)
	grep -a -E '^(pktfuzz: |  reproduce|#[0-9]+ *DONE|Done [0-9]+ runs|fuzz: )' "$log" | sed 's/^/        /'
fi
if [ $rc -eq 0 ]; then
	printf '    TEST: %-60s [ OK ] (%s s)\n' "$name" "$secs"
	[ -n "${GIF_RESULTS:-}" ] && echo "PASS $name" >>"$GIF_RESULTS"
else
	printf '    TEST: %-60s [FAIL] (exit %d, %s s)\n' "$name" $rc "$secs"
	[ -n "${GIF_RESULTS:-}" ] && echo "FAIL $name" >>"$GIF_RESULTS"
fi
exec >&3
cat "$log.out"
rm -f "$log.out"
exit $((rc != 0))
