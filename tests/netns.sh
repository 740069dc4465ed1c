# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/e2e/lib.sh and bench/lib.sh: network namespaces the sourcing script owns. Each
# one made is added to the caller's NSES array, whose cleanup deletes those still there.

# ns_add VAR NAME: namespace NAME with lo up and no IPv6 router solicitations; its name in VAR
ns_add() {
	ip netns add "$2" || return 1
	NSES+=("$2")
	ip -n "$2" link set lo up
	ip netns exec "$2" sh -c 'echo 0 >/proc/sys/net/ipv6/conf/default/router_solicitations'
	printf -v "$1" %s "$2"
}

# ns_del NS: end what still runs inside NS, then delete it
ns_del() {
	local ns=$1 i pids
	pids=$(ip netns pids "$ns" 2>/dev/null)
	# shellcheck disable=SC2086 # one pid a word
	[ -n "$pids" ] && kill -9 $pids 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	for i in "${!NSES[@]}"; do
		[ "${NSES[$i]}" = "$ns" ] && unset "NSES[$i]"
	done
	return 0
}
