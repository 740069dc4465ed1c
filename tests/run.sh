#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Entry point of `make check`: tests/run.sh [unit|e2e|all] (default all). Runs build/unit_tests,
# then every tests/e2e/test_*.sh (each bounded by FILE_TIMEOUT seconds), then with `all` the
# bounded fuzzing and the sanitizer run (make check-fuzz, check-sanitize), continuing after
# failures. Every test appends "PASS|FAIL|SKIP name" to $GIF_RESULTS; the last line printed is
# "N passed, N failed" (", N skipped" when any), and the exit status is 1 if anything failed.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# A private /run: the tests' lock file and namespaces never meet a real gifctl's or another run's.
[ -n "${GIF_ISOLATED:-}" ] || GIF_ISOLATED=1 exec "$ROOT/tests/isolated.sh" "$0" "$@"
FILE_TIMEOUT=${FILE_TIMEOUT:-300}
what=${1:-all}

case $what in
unit | e2e | all) ;;
*)
	echo "usage: tests/run.sh [unit|e2e|all]" >&2
	exit 2
	;;
esac

GIF_RESULTS=$(mktemp /tmp/gif-results.XXXXXX)
export GIF_RESULTS
trap 'rm -f "$GIF_RESULTS"' EXIT

# shellcheck source=tests/results.sh
source "$ROOT/tests/results.sh"

if [ "$what" != e2e ]; then
	if [ -x "$ROOT/build/unit_tests" ]; then
		run_file unit_tests "$ROOT/build/unit_tests"
	else
		echo "SKIP unit_tests (build/unit_tests not built)" | tee -a "$GIF_RESULTS"
	fi
fi

# test_namespaces: the namespaces the e2e tests create (gifA-<random>, ...)
test_namespaces() { ip netns list 2>/dev/null | grep -Eo '^gif[A-Z]-[0-9]+' | sort; }

# The command-line tests that `make check-sanitize` runs with gifctl built with ASan + UBSan: with
# `all` they run only that way (same checks, reports fail), not a second time with the plain build.
SAN_TESTS="tests/e2e/test_cli.sh tests/e2e/test_badinput.sh"
sanitized() { [ "$what" = all ] && [[ " $SAN_TESTS " == *" tests/e2e/$1 "* ]]; }

if [ "$what" != unit ]; then
	ns_before=$(test_namespaces)
	for t in "$ROOT"/tests/e2e/test_*.sh; do
		name=${t##*/test_} name=${name%.sh}	# E2E_ONLY="crash stress": only those files
		[ -z "${E2E_ONLY:-}" ] || [[ " $E2E_ONLY " == *" $name "* ]] || continue
		sanitized "${t##*/}" && continue
		run_file "e2e/${t##*/}" bash "$t"
	done
	# Robustness (tests/fuzz/fuzz.mk): bounded datapath and parser fuzzing, the sanitizer build.
	if [ "$what" = all ]; then
		run_file check-fuzz make -s --no-print-directory -C "$ROOT" check-fuzz
		FILE_TIMEOUT=900 run_file check-sanitize \
			make -s --no-print-directory -C "$ROOT" check-sanitize SAN_TESTS="$SAN_TESTS"
	fi
	left=$(comm -13 <(echo "$ns_before") <(test_namespaces) | xargs)
	if [ -z "$left" ]; then
		printf '    TEST: %-60s [ OK ]\n' "e2e left no namespaces"
		echo "PASS e2e left no namespaces" >>"$GIF_RESULTS"
	else
		printf '    TEST: %-60s [FAIL]\n        %s\n' "e2e left no namespaces" "$left"
		echo "FAIL e2e left no namespaces" >>"$GIF_RESULTS"
	fi
fi

report_results
