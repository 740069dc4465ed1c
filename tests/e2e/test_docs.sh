#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every command of the dispatch table and every option is in the man page and in --help; the man
# page renders cleanly; make install honours DESTDIR/PREFIX/... and uninstall removes it all; the
# bash completion offers commands, options and live gif names.
source "$(dirname "$0")/lib.sh"

MAN=$ROOT/doc/gifctl.8
COMMANDS=$(sed -n 's/^\t{ "\([a-z]*\)", cmd_.*/\1/p' "$ROOT/ctl/main.c")
OPTIONS="-j -p -s -v -w --help ttl dscp ecn pmtudisc mtu ingress-filter inherit normal compat
--dry-run --repair set delete"

# in_man WORD: WORD appears in the man page as written by roff (hyphens may be escaped)
in_man() { sed 's/\\-/-/g; s/\\f[BIRP]//g' "$MAN" | grep -qw -- "$1"; }

test_documented() {
	local help rc=0 w
	[ "$(wc -w <<<"$COMMANDS")" -ge 9 ] || { note "dispatch table not found: '$COMMANDS'"; rc=1; }
	help=$("$GIFCTL" --help)
	for w in $COMMANDS $OPTIONS; do
		in_man "$w" || { note "'$w' missing from the man page"; rc=1; }
		grep -qw -- "$w" <<<"$help" || { note "'$w' missing from gifctl --help"; rc=1; }
	done
	for w in $COMMANDS; do
		expect 0 "$GIFCTL" "$w" --help && [[ $OUT == "usage: gifctl $w"* ]] ||
			{ note "gifctl $w --help: $OUT"; rc=1; }
	done
	log_test "every command and option is in the man page, --help and COMMAND --help" $rc
}

test_man_renders() {
	local warn
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
	[ -z "$warn" ] || note "man warnings: $warn"
	grep -q '^\.SH EXIT STATUS' "$MAN" && grep -q '^\.SH FILES' "$MAN" &&
		grep -q '^\.SH EXAMPLES' "$MAN" || note "a section is missing"
	[ -z "$FAILINFO" ]
	log_test "man page renders without warnings and has its sections" $?
}

test_install() {
	local d=$TMPD/root rc=0 f
	step make -C "$ROOT" -s install DESTDIR="$d" PREFIX=/opt/g MANDIR=/opt/m \
		BASHCOMPDIR=/opt/c SYSTEMDUNITDIR=/opt/s || rc=1
	for f in /opt/g/sbin/gifctl /opt/m/man8/gifctl.8 /opt/c/gifctl /opt/s/gifctl.service; do
		[ -f "$d$f" ] || { note "$f not installed"; rc=1; }
	done
	grep -q '^ExecStart=/opt/g/sbin/gifctl .*apply /etc/gifctl.conf' "$d/opt/s/gifctl.service" ||
		{ note "unit: $(grep ExecStart "$d/opt/s/gifctl.service")"; rc=1; }
	step make -C "$ROOT" -s uninstall DESTDIR="$d" PREFIX=/opt/g MANDIR=/opt/m \
		BASHCOMPDIR=/opt/c SYSTEMDUNITDIR=/opt/s || rc=1
	[ -z "$(find "$d" -type f)" ] || { note "left after uninstall: $(find "$d" -type f)"; rc=1; }
	log_test "make install/uninstall honour DESTDIR, PREFIX, MANDIR, BASHCOMPDIR" $rc
}

# complete WORDS...: what the completion offers for the last word, with gifctl from $GIFCTL
complete_words() {
	PATH=$(dirname "$GIFCTL"):$PATH bash -c '
		_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]};
			words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
		source "$0"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_gifctl; printf "%s\n" "${COMPREPLY[@]}"' "$ROOT/doc/gifctl.bash-completion" "$@"
}

test_completion() {
	local rc=0
	bash -n "$ROOT/doc/gifctl.bash-completion" || rc=1
	eq "commands" "$(complete_words gifctl st | sort | tr '\n' ' ')" "stats " || rc=1
	eq "tunnel subcommands" "$(complete_words gifctl tunnel "" | tr '\n' ' ')" "set delete " || rc=1
	eq "ecn values" "$(complete_words gifctl tunnel set gif0 a b ecn "" | tr '\n' ' ')" \
		"normal compat off " || rc=1
	eq "attach mode" "$(complete_words gifctl attach ua "" | tr '\n' ' ')" "mode " &&
		eq "attach modes" "$(complete_words gifctl attach ua mode "" | tr '\n' ' ')" "xdp tc " ||
		rc=1
	step ns_gifctl "$A" tunnel set gifcomp 198.18.0.1 198.18.0.50 || rc=1
	eq "live gif names" "$(ip netns exec "$A" bash -c "$(declare -f complete_words);
		GIFCTL=$GIFCTL ROOT=$ROOT complete_words gifctl destroy gifc")" "gifcomp" || rc=1
	log_test "bash completion: commands, subcommands, option values, attach modes, live gif names" $rc
}

ns_new A gifA || fatal "namespace"
test_documented
test_man_renders
test_install
test_completion
tests_done
