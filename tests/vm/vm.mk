# SPDX-License-Identifier: GPL-2.0
# Included by the Makefile. `make check-kernels` boots Debian's packaged 6.1 kernel under qemu
# (software emulation) with the host's root file system read-only and the fresh build, and runs
# the e2e tests that matter most and the interop matrix against the kernel's ipip, sit and
# ip6tnl drivers there (tests/vm/README.md). Needs root and Debian's package mirror; ends with
# "N passed, N failed". Takes 15-25 minutes on 2 busy cores (emulated guest).
# `make check-kernels-quick`: the same guest, only the datapath load
# test and the short interop subset (4in4 with ipip, 6in6 with ip6tnl); 2-4 minutes, too long
# for `make check`, which calls neither (README.md).

# Where the kernel package is unpacked (and the guest's output lands, in out/).
VM_CACHE ?= $(OUTPUT)/vm-cache
# $(VM_RUN) SCRIPT [ARGS...]: run a script as root in the 6.1 guest, exit with its status.
VM_RUN = VM_CACHE=$(abspath $(VM_CACHE)) $(CURDIR)/tests/vm/run-guest.sh
VM_CHECK = VM_CACHE=$(abspath $(VM_CACHE)) GIFCTL=$(abspath $(OUTPUT)/gifctl) \
	GIFCTL_FAULT_BIN=$(abspath $(OUTPUT)/gifctl-fault) \
	XDP_PASS_OBJ=$(abspath $(OUTPUT)/tests/xdp_pass.bpf.o) ./tests/vm/check-kernels.sh

.PHONY: check-kernels check-kernels-quick
check-kernels: deps
	$(Q)$(MAKE) --no-print-directory $(OUTPUT)/gifctl $(OUTPUT)/gifctl-fault \
		$(OUTPUT)/tests/xdp_pass.bpf.o $(if $(UNIT_SRCS),$(OUTPUT)/unit_tests)
	$(Q)$(VM_CHECK)

check-kernels-quick: deps
	$(Q)$(MAKE) --no-print-directory $(OUTPUT)/gifctl $(OUTPUT)/tests/xdp_pass.bpf.o
	$(Q)VM_UNIT=0 VM_E2E= INTEROP_PHASES=quick VM_TIMEOUT=$${VM_TIMEOUT:-600} $(VM_CHECK)
