# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/run.sh (make check) and tests/vm/guest-tests.sh (make check-kernels): running
# test programs that append "PASS|FAIL|SKIP name" lines to $GIF_RESULTS, and the summary.

count() { grep -c "^$1 " "$GIF_RESULTS"; }

# run_file NAME CMD...: one test program, bounded by FILE_TIMEOUT seconds (SIGTERM first: the
# e2e files clean up on it; SIGKILL KILL_AFTER seconds later); a crash or timeout without a
# FAIL line of its own is a FAIL
run_file() {
	local name=$1 fails rc t0=$SECONDS
	shift
	echo "# $name"
	fails=$(count FAIL)
	timeout -k "${KILL_AFTER:-60}" "$FILE_TIMEOUT" "$@"
	rc=$?
	case $rc in
	0) ;;
	124 | 137) echo "FAIL $name (timed out after ${FILE_TIMEOUT}s)" | tee -a "$GIF_RESULTS" ;;
	*) [ "$(count FAIL)" -eq "$fails" ] && echo "FAIL $name (exit $rc)" | tee -a "$GIF_RESULTS" ;;
	esac
	echo "# $name: $((SECONDS - t0)) s"
}

# report_results: the failures, then "N passed, N failed[, N skipped]"; false if any failed
report_results() {
	local passed failed skipped summary

	passed=$(count PASS)
	failed=$(count FAIL)
	skipped=$(count SKIP)
	if [ "$failed" -gt 0 ]; then
		echo
		echo "Failed:"
		grep '^FAIL ' "$GIF_RESULTS" | sed 's/^FAIL /    /'
	fi
	summary="$passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && summary+=", $skipped skipped"
	echo "$summary"
	[ "$failed" -eq 0 ]
}
