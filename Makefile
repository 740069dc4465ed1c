# SPDX-License-Identifier: GPL-2.0
# gifctl: eBPF gif(4) tunnels. `make` builds, `make demo` shows it working, `make check` tests it.

OUTPUT ?= build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP -Iinclude -I$(OUTPUT)
LDLIBS += -lbpf -lmnl -ljson-c

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -I. -Iinclude

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CTL_SRCS := $(wildcard ctl/*.c)
CTL_OBJS := $(patsubst ctl/%.c,$(OUTPUT)/ctl/%.o,$(CTL_SRCS))
FAULT_OBJS := $(patsubst ctl/%.c,$(OUTPUT)/fault/%.o,$(CTL_SRCS))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tests/unit/%.c,$(OUTPUT)/unit/%.o,$(UNIT_SRCS))
BPF_HDRS := $(wildcard bpf/*.bpf.h) $(wildcard include/*.h) vmlinux.h

.PHONY: all deps demo check check-unit check-e2e soak vmlinux install uninstall clean help
.DELETE_ON_ERROR:
.SECONDARY:

all: $(OUTPUT)/gifctl $(OUTPUT)/gifctl-fault $(if $(UNIT_SRCS),$(OUTPUT)/unit_tests) \
	$(OUTPUT)/tests/xdp_pass.bpf.o $(OUTPUT)/tests/atomic_probe.bpf.o

$(OUTPUT) $(OUTPUT)/ctl $(OUTPUT)/fault $(OUTPUT)/unit $(OUTPUT)/tests:
	$(Q)mkdir -p $@

$(OUTPUT)/gif.bpf.o: bpf/gif.bpf.c $(BPF_HDRS) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/tests/%.bpf.o: tests/bpf/%.bpf.c vmlinux.h | $(OUTPUT)/tests
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/gif.skel.h: $(OUTPUT)/gif.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name gif > $@

$(OUTPUT)/ctl/%.o: ctl/%.c $(OUTPUT)/gif.skel.h | $(OUTPUT)/ctl
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# The test build of gifctl: fault points live (ctl/fault.h).
$(OUTPUT)/fault/%.o: ctl/%.c $(OUTPUT)/gif.skel.h | $(OUTPUT)/fault
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -DGIF_FAULT_INJECTION -c $< -o $@

$(OUTPUT)/gifctl-fault: $(FAULT_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/unit/%.o: tests/unit/%.c $(OUTPUT)/gif.skel.h | $(OUTPUT)/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Ictl -c $< -o $@

$(OUTPUT)/gifctl: $(CTL_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The unit tests link every ctl object except main.o, so they exercise the real code.
$(OUTPUT)/unit_tests: $(UNIT_OBJS) $(filter-out $(OUTPUT)/ctl/main.o,$(CTL_OBJS))
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

deps:
	$(Q)./tests/install-deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory all fuzz-build $(OUTPUT)/san/gifctl
	$(Q)./tests/run.sh all

check-unit: all
	$(Q)./tests/run.sh unit

check-e2e: all
	$(Q)./tests/run.sh e2e

# The full-size runs of the configuration protocol (README "Soak"): every crash form at every step,
# 10,000 re-addressings under traffic, 16 x 1,000 random operations, 700 stale journal lines.
soak: all
	$(Q)E2E_ONLY="crash reconfig reconfig_tc stress" CRASH_FORMS=all RECONFIG_N=10000 RECONFIG_SECONDS=0 \
		STRESS_OPS=1000 STRESS_STALE=700 FILE_TIMEOUT=$${FILE_TIMEOUT:-10800} ./tests/run.sh e2e

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./tests/demo.sh

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h

install: $(OUTPUT)/gifctl
	install -D -m 0755 $(OUTPUT)/gifctl $(DESTDIR)$(SBINDIR)/gifctl
	install -D -m 0644 doc/gifctl.8 $(DESTDIR)$(MANDIR)/man8/gifctl.8
	install -D -m 0644 doc/gifctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/gifctl
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|' doc/gifctl.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/gifctl.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/gifctl.service

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/gifctl $(DESTDIR)$(MANDIR)/man8/gifctl.8 \
		$(DESTDIR)$(BASHCOMPDIR)/gifctl $(DESTDIR)$(SYSTEMDUNITDIR)/gifctl.service

clean:
	rm -rf $(OUTPUT)

help:
	@echo 'targets: all (default) demo check check-unit check-e2e soak install uninstall clean vmlinux'
	@echo 'variables: OUTPUT=$(OUTPUT) PREFIX=$(PREFIX) SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)'
	@echo '           BASHCOMPDIR=$(BASHCOMPDIR) SYSTEMDUNITDIR=$(SYSTEMDUNITDIR) DESTDIR= V=1'

-include $(wildcard $(OUTPUT)/ctl/*.d $(OUTPUT)/fault/*.d $(OUTPUT)/unit/*.d)

# Longer suites, each in its own fragment: fuzzing and sanitizers (make fuzz, check-fuzz,
# check-sanitize), the 6.1 kernel matrix under qemu (make check-kernels), benchmarks (make bench).
-include tests/fuzz/fuzz.mk tests/vm/vm.mk bench/bench.mk
