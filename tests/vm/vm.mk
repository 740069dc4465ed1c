# SPDX-License-Identifier: GPL-2.0
# Included by the Makefile. `make check-kernels` boots Debian's packaged 6.1 kernel under qemu
# (software emulation) with the host's root file system read-only and the fresh build, and runs
# the e2e tests that matter most and the interop matrix against the kernel's ipip, sit and
# ip6tnl drivers there (tests/vm/README.md). Needs root and Debian's package mirror; ends with
# "N passed, N failed". Takes about 10-15 minutes (emulated guest).

# Where the kernel package is unpacked (and the guest's output lands, in out/).
VM_CACHE ?= $(OUTPUT)/vm-cache
# $(VM_RUN) SCRIPT [ARGS...]: run a script as root in the 6.1 guest, exit with its status.
VM_RUN = VM_CACHE=$(abspath $(VM_CACHE)) $(CURDIR)/tests/vm/run-guest.sh

.PHONY: check-kernels
check-kernels: deps
	$(Q)$(MAKE) --no-print-directory $(OUTPUT)/gifctl $(OUTPUT)/tests/xdp_pass.bpf.o \
		$(if $(UNIT_SRCS),$(OUTPUT)/unit_tests)
	$(Q)VM_CACHE=$(abspath $(VM_CACHE)) GIFCTL=$(abspath $(OUTPUT)/gifctl) \
		XDP_PASS_OBJ=$(abspath $(OUTPUT)/tests/xdp_pass.bpf.o) ./tests/vm/check-kernels.sh
