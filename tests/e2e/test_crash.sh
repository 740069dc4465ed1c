#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Crash consistency: every command form is killed with SIGKILL at every one of its fault points
# (build/gifctl-fault, GIFCTL_FAULT=STEP; the steps are discovered with GIFCTL_FAULT_TRACE=1, never
# hard-coded; a form reporting none fails). The forms: tunnel set creating a device (with and
# without a datapath in the namespace), re-addressing (also to a route of lower MTU), changing an
# option (also with the MTU), tunnel delete, destroy, attach (with and without a datapath; gifctl's
# choice on this veth: TC ingress), a switch of the decapsulation mode (TC ingress to XDP), detach,
# apply. After each kill: `gifctl check` reports the interruption (exit 1) or is clean; the next
# change (tunnel set gifz) succeeds; `check` is then clean (exit 0, no output); the maps, read with
# bpf(2) (lib.sh GIF_MAPS_PY), hold every invariant; and the state (gifc, the bystander gifo, ua's
# decapsulation) is the one before the command ("rolled back": the command run again must then
# succeed and reach the state after) or the one after it ("rolled forward"); pings through gifc
# check the datapath (the first time a form's steps resolve each way: ", pings" in the name). apply
# may stop between two of its changes ("mixed": every object before or after, and apply run again
# completes the file: README "Crash consistency"). Also: a second kill during the repair of the
# first. (Interrupted changes in namespaces now gone, the journal's other risk: test_stress.sh.)
#
# Environment: CRASH_FORMS="readdress delete ..." runs only those forms; "all" runs every form. The
# default (make check) is one form per command, each at every one of its steps: create,
# readdress-lower-mtu, option-mtu, delete, destroy, attach-first, switch, detach, apply,
# apply-create (a creation by apply, whose switch is batched); `make soak` runs all (adding
# create-first, readdress, option, attach: the same steps in other before states).
# CRASH_JOBS how many groups of tests run at once (default 2); GIFCTL_FAULT_BIN overrides
# build/gifctl-fault.
# shellcheck disable=SC2086 # P1, OBSERVED, CMD[...]: word lists, split on purpose
source "$(dirname "$0")/lib.sh"

FAULT=${GIFCTL_FAULT_BIN:-$ROOT/build/gifctl-fault}
P1="198.18.0.1 198.18.0.2"	# gifc's pair; B has the reverse
P2="198.18.0.11 198.18.0.12"	# the pair gifc is re-addressed to
PO="198.18.0.1 198.18.0.3"	# gifo: a bystander tunnel that must never change
PZ="198.18.7.1 198.18.7.2"	# gifz: created by "the next command" after each kill
OBSERVED="gifc gifo @ua"	# what each state is made of (lib.sh maps_state)
APPLY_FILE=$TMPD/apply.conf	# apply: gifo goes, gifc moves to P2 (creation: see create)
APPLY_CREATE_FILE=$TMPD/apply-create.conf	# apply-create: gifc made (its switch batched)

# Each form: the before state (words for form_setup) and the command.
FORMS="create-first create readdress readdress-lower-mtu option option-mtu delete destroy"
FORMS+=" attach-first attach switch detach apply apply-create"
CHECK_FORMS="create readdress-lower-mtu option-mtu delete destroy attach-first switch detach apply"
CHECK_FORMS+=" apply-create"
case ${CRASH_FORMS:=$CHECK_FORMS} in all) CRASH_FORMS=$FORMS ;; esac
declare -A SETUP=(
	[create-first]=""			# no datapath at all: the command loads it
	[create]="attach other"
	[readdress]="attach other gifc"
	[readdress-lower-mtu]="attach other gifc lowmtu"	# P2's route has MTU 1400: gifc's drops
	[option]="attach other gifc"
	[option-mtu]="attach other gifc"
	[delete]="attach other gifc"
	[destroy]="attach other gifc"
	[attach-first]=""
	[attach]="other"			# the datapath exists (gifo's TC program), ua bare
	[switch]="attach other"			# ua decapsulates at TC ingress (gifctl's choice on veth)
	[detach]="attach other"
	[apply]="attach other gifc"
	[apply-create]="attach other"
)
declare -A CMD=(
	[create-first]="tunnel set gifc $P1"
	[create]="tunnel set gifc $P1"
	[readdress]="tunnel set gifc $P2"
	[readdress-lower-mtu]="tunnel set gifc $P2"
	[option]="tunnel set gifc $P1 ttl 9"
	[option-mtu]="tunnel set gifc $P1 ttl 9 mtu 1400"
	[delete]="tunnel delete gifc"
	[destroy]="destroy gifc"
	[attach-first]="attach ua"
	[attach]="attach ua"
	[switch]="attach ua mode xdp"		# make-before-break: XDP beside TC, then TC removed
	[detach]="detach ua"
	[apply]="apply $APPLY_FILE"
	[apply-create]="apply $APPLY_CREATE_FILE"
)

# ---- lean helpers: ~80 iterations of ~20 commands each, on a machine where a fork costs ------
# ---- tens of milliseconds; these run no subshell, and gifctl bounds itself (-w) -----------------

# q CMD...: run CMD; $RC, $OUT, $ERR (like lib.sh run, without its subshells)
q() {
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	RC=$?
	IFS= read -r -d '' OUT <"$TMPD/out"
	IFS= read -r -d '' ERR <"$TMPD/err"
	OUT=${OUT%$'\n'} ERR=${ERR%$'\n'}
	return 0
}

# qx WANT CMD...: like lib.sh expect
qx() {
	q "${@:2}"
	exited_with "$@"
}

# g NS ARGS...: gifctl in NS, waiting at most 20 s for the lock
g() {
	local ns=$1
	shift
	ip netns exec "$ns" "$GIFCTL" -w 20 "$@"
}

# gf NS STEP ARGS...: the fault build in NS, killed at STEP (traced when STEP is "trace")
gf() {
	local ns=$1 at=$2
	shift 2
	if [ "$at" = trace ]; then
		GIFCTL_FAULT_TRACE=1 ip netns exec "$ns" "$FAULT" -w 20 "$@"
	else
		GIFCTL_FAULT=$at ip netns exec "$ns" "$FAULT" -w 20 "$@"
	fi
}

# clean NS: `gifctl check` exits 0 and prints nothing
clean() { qx 0 g "$1" check && check_silent; }

# crash_rig: a fresh $A joined to $B (created once, kept) by ua <-> $UB: .1 and .11 on ua, .2 and
# .12 on $UB, of 198.18.0.0/24. What only traffic needs (checksum offload off, gifctl on $UB) is
# left to traffic_ok. The previous $UB is deleted (with ua), then $A, without waiting for the
# namespace to go: each rig's $UB has a name and an ifindex of its own (ub1000, ub1001, ...).
crash_rig() {
	if [ -z "${B:-}" ]; then
		ns_new B gifB || return 1
		RIGS=0
	elif [ -n "${A:-}" ]; then
		ip -n "$B" link del "$UB" 2>/dev/null	# now: B's routes must not lead to a dying one
		ns_del "$A"
	fi
	RIGS=$((RIGS + 1))
	UB=ub$((999 + RIGS))
	A=gifA-$RANDOM$RANDOM
	qx 0 ip netns add "$A" || return 1
	NSES+=("$A")
	# $UB's ifindex is one no device of $A has (a peer in another namespace is known by its
	# ifindex there, and `gifctl attach` must not be confused by it: see test_check.sh)
	qx 0 ip -n "$B" link add "$UB" index $((999 + RIGS)) type veth peer name ua netns "$A" &&
		qx 0 ip -n "$A" -batch - <<-EOF &&
			link set lo up
			addr add 198.18.0.1/24 dev ua
			addr add 198.18.0.11/24 dev ua
			link set ua up
		EOF
		qx 0 ip -n "$B" -batch - <<-EOF
			addr add 198.18.0.2/24 dev $UB
			addr add 198.18.0.12/24 dev $UB
			link set $UB up
		EOF
}

# form_setup FORM: a fresh rig in FORM's before state
form_setup() {
	local w
	crash_rig || return 1
	for w in ${SETUP[$1]}; do
		case $w in
		attach) qx 0 g "$A" attach ua ;;
		other) qx 0 g "$A" tunnel set gifo $PO ;;
		gifc) qx 0 g "$A" tunnel set gifc $P1 &&
			qx 0 ip -n "$A" addr add 198.19.0.1 peer 198.19.0.2 dev gifc ;;
		lowmtu) qx 0 ip -n "$A" route add 198.18.0.12/32 dev ua mtu 1400 ;;
		esac || return 1
	done
}

# state_of NAME: $SO = NAME's part of $STATE
state_of() {
	local w
	SO=
	for w in $STATE; do
		[ "${w%%=*}" = "$1" ] && SO=${w#*=}
	done
}

# traffic_ok: when gifc has endpoints, B mirrors them and pings cross the tunnel both ways; once
# for each way a form's steps resolve ($TRAFFIC_DONE), the maps being checked after every step
traffic_ok() {
	local pair
	state_of gifc
	pair=${SO%%,*}
	[[ $pair == *">"* ]] && [[ $TRAFFIC_DONE != *"[${WAY%%:*}]"* ]] || return 0
	TRAFFIC_DONE+="[${WAY%%:*}]"
	state_of @ua
	if [ "$SO" != gif ] && [ "$SO" != gif-tc ]; then
		qx 0 g "$A" attach ua || return 1
	fi
	qx 0 ip netns exec "$A" ethtool -K ua tx off && qx 0 ip netns exec "$B" ethtool -K "$UB" tx off &&
		qx 0 g "$B" attach "$UB" && qx 0 g "$B" tunnel set gifc "${pair#*>}" "${pair%>*}" &&
		qx 0 ip -n "$A" addr replace 198.19.0.1 peer 198.19.0.2 dev gifc &&
		qx 0 ip -n "$B" addr replace 198.19.0.2 peer 198.19.0.1 dev gifc &&
		qx 0 ip netns exec "$A" ping -c 2 -i 0.05 -W 2 -w 5 198.19.0.2 || return 1
	WAY+=", pings"
}

# discover FORM: $STEPS, the fault points FORM reaches, in order; $BEFORE / $AFTER, the states
# before and after a complete run
discover() {
	local form=$1 line
	STEPS=
	form_setup "$form" && maps_state "$A" $OBSERVED || return 1
	BEFORE=$STATE
	# shellcheck disable=SC2086 # the command is words
	qx 0 gf "$A" trace ${CMD[$form]} || return 1
	while IFS= read -r line; do
		[[ $line == "fault-point "* ]] || continue
		line=${line#fault-point }
		[[ " $STEPS " == *" $line "* ]] || STEPS+="${STEPS:+ }$line"
	done <<<"$ERR"
	[ -n "$STEPS" ] || { note "\`${CMD[$form]}\` reported no fault point: $ERR"; return 1; }
	maps_state "$A" $OBSERVED || return 1
	AFTER=$STATE
	note "before: $BEFORE"
	note "after:  $AFTER"
	[ "$BEFORE" != "$AFTER" ] || { note "the command changed nothing observable"; return 1; }
	clean "$A"
}

# crash_at FORM STEP: FORM killed at STEP, then recovered; $WAY says how it resolved
crash_at() {
	local form=$1 fstep=$2
	WAY=unresolved
	form_setup "$form" || return 1
	# shellcheck disable=SC2086
	q gf "$A" "$fstep" ${CMD[$form]}
	eq "exit status of \`${CMD[$form]}\` killed at $fstep" "$RC" 137 || return 1
	q g "$A" check
	note "check after the kill: exit $RC: $OUT $ERR"
	case $RC in
	0) [ -z "$OUT$ERR" ] || { note "check exited 0 but printed something"; return 1; } ;;
	1) [ -n "$OUT" ] || { note "check exited 1 without a line on stdout"; return 1; } ;;
	*) note "check exited $RC, want 0 or 1"; return 1 ;;
	esac
	# shellcheck disable=SC2086
	qx 0 g "$A" tunnel set gifz $PZ && clean "$A" && maps_state "$A" $OBSERVED || return 1
	case $STATE in
	"$BEFORE") WAY="rolled back" ;;
	"$AFTER") WAY="rolled forward" ;;
	*)
		WAY=torn
		note "state: $STATE"
		note "neither before: $BEFORE"
		note "nor after:      $AFTER"
		[ "$form" = apply ] && mixed || return 1
		;;
	esac
	if [ "$WAY" != "rolled forward" ]; then
		# shellcheck disable=SC2086
		qx 0 g "$A" ${CMD[$form]} && maps_state "$A" $OBSERVED &&
			eq "state after running the command again" "$STATE" "$AFTER" && clean "$A" ||
			return 1
	fi
	traffic_ok
}

# mixed: every object of $STATE is in its state before or after (but not all in the same): what
# a command that makes several changes (apply) leaves when killed between two of them. $WAY says
# which objects are in their state after.
mixed() {
	local w b a done=
	for w in $STATE; do
		b=" $BEFORE " a=" $AFTER "
		if [[ $a == *" $w "* && $b != *" $w "* ]]; then
			done+=" ${w%%=*}"
		elif [[ $b != *" $w "* ]]; then
			return 1
		fi
	done
	WAY="mixed: changed$done, the rest not"
	MIXED+=" $FSTEP"
}

test_form() {
	local form=$1 s n=0 rc=0
	MIXED='' TRAFFIC_DONE=''
	discover "$form" || rc=1
	for s in $STEPS; do n=$((n + 1)); done
	log_test "crash $form: $n fault points found ($STEPS)" $rc
	for s in $STEPS; do
		FSTEP=$s
		crash_at "$form" "$s"
		log_test "crash $form @$s: $WAY" $?
	done
	# README: apply killed between two of its changes leaves each object as before or as the
	# file says (not the file as a whole: all or nothing holds for a failing apply), and apply
	# run again completes it: crash_at checked both.
	[ -z "$MIXED" ] || echo "        (apply killed at$MIXED: partly applied, completed by apply again)"
}

# A second kill, of the change that repairs the first one (after its repair, at "begun"): the
# journal still says "interrupted", and the change after that repairs and succeeds.
test_double_kill() {
	local rc=0
	form_setup readdress || rc=1
	# shellcheck disable=SC2086
	run ns_exec "$A" env GIFCTL_FAULT=pair-published "$FAULT" tunnel set gifc $P2
	eq "first kill" "$RC" 137 || rc=1
	# shellcheck disable=SC2086
	run ns_exec "$A" env GIFCTL_FAULT=begun "$FAULT" tunnel set gifz $PZ
	eq "second kill" "$RC" 137 || rc=1
	expect 1 ns_gifctl "$A" check || rc=1
	[[ $OUT == *interrupted* ]] || { note "check does not report the interruption: $OUT"; rc=1; }
	# shellcheck disable=SC2086
	step ns_gifctl "$A" tunnel set gifz $PZ && check_clean "$A" && maps_state "$A" gifc gifz ||
		rc=1
	eq "state" "$STATE" "gifc=198.18.0.1>198.18.0.2,ttl=64,dscp=255,mtu=1480 \
gifz=198.18.7.1>198.18.7.2,ttl=64,dscp=255,mtu=1280" || rc=1
	log_test "crash: killed again while finishing the repair, then recovered" $rc
}

# job NAME FUNCTION ARGS...: run a group of tests in a subshell of its own (own namespaces, own
# temporary directory), its output kept for run_jobs to print in order
job() {
	local name=$1
	shift
	(
		# A subshell does not inherit the traps: its own cleanup deletes its namespaces, and
		# a second TERM (from crash_exit) must not cut it short.
		trap 'trap "" TERM INT; cleanup' EXIT
		trap 'exit 143' TERM
		trap 'exit 130' INT
		TMPD=$TMPD/job.$name
		mkdir -p "$TMPD"
		RANDOM=$BASHPID	# namespace names differ between jobs
		NSES=() BGPIDS=() A='' B=''
		"$@"
		tests_done
	) >"$TMPD/job.$name.out" 2>&1 &
	JOBPIDS+=($!)
	JOBNAMES+=("$name")
}

cat >"$APPLY_FILE" <<EOF
attach ua
tunnel gifc $P2
EOF
cat >"$APPLY_CREATE_FILE" <<EOF
attach ua
tunnel gifo $PO
tunnel gifc $P1
EOF
# crash_exit: on the way out (a timeout, say), the jobs first, which delete their namespaces
crash_exit() {
	local rc=$? pid
	trap '' TERM INT
	for pid in "${JOBPIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	wait
	(exit $rc)
	cleanup
}
JOBPIDS=()
trap crash_exit EXIT

preflight
[ -x "$FAULT" ] || { note "fault-injection build not found: $FAULT (make)"; fatal "prerequisites"; }
snapshot_bin GIFCTL && snapshot_bin FAULT || { note "cannot copy the binaries"; fatal "binaries"; }
for form in $CRASH_FORMS; do
	[ -n "${CMD[$form]:-}" ] || { note "unknown form '$form' (forms: $FORMS)"; fatal "forms"; }
done
# Independent groups, CRASH_JOBS (default 2) at a time; their output in order.
JOBNAMES=()
for form in $CRASH_FORMS double-kill; do
	while [ "$(jobs -rp | wc -l)" -ge "${CRASH_JOBS:-2}" ]; do
		wait -n
	done
	case $form in
	double-kill) job "$form" test_double_kill ;;
	*) job "$form" test_form "$form" ;;
	esac
done
for i in "${!JOBPIDS[@]}"; do
	wait "${JOBPIDS[$i]}" || NFAIL=$((NFAIL + 1))
	cat "$TMPD/job.${JOBNAMES[$i]}.out"
done
tests_done
