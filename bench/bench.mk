# SPDX-License-Identifier: GPL-2.0
# The benchmark suite (bench/README in BENCHMARKS.md), included by the top-level Makefile.
#
#   make bench                      the whole suite, bounded (< 10 min on 2 cores): a table on
#                                   stdout, the figures as JSON in bench/results/
#   make bench BENCH_ARGS='rate'    only some parts: rate (decap + encap), tcp, scale, control
#   make bench BENCH_ARGS='--quick' fewer and shorter runs (a smoke test of the suite)
#
# It runs with a private /run (tests/isolated.sh): its own gifctl lock and network namespace list.

BENCH_OUT := $(OUTPUT)/bench
BENCH_BPFTOOL ?= $(or $(BPFTOOL),bpftool)
BENCH_BPF_OBJS := $(BENCH_OUT)/gen.bpf.o $(BENCH_OUT)/base.bpf.o
BENCH_SKELS := $(patsubst %.bpf.o,%.skel.h,$(BENCH_BPF_OBJS))
BENCH_ARGS ?=

.PHONY: bench bench-build

$(BENCH_OUT):
	@mkdir -p $@

$(BENCH_OUT)/%.bpf.o: bench/%.bpf.c bench/gen.h $(wildcard bpf/*.bpf.h) include/gif_types.h \
		vmlinux.h | $(BENCH_OUT)
	@printf '  %-8s %s\n' BPF $@
	@$(CLANG) $(BPF_CFLAGS) -Ibench -c $< -o $@

$(BENCH_OUT)/%.skel.h: $(BENCH_OUT)/%.bpf.o
	@printf '  %-8s %s\n' GEN-SKEL $@
	@$(BENCH_BPFTOOL) gen skeleton $< name $* > $@

$(BENCH_OUT)/gifbench: bench/gifbench.c bench/gen.h include/gif_types.h $(BENCH_SKELS)
	@printf '  %-8s %s\n' CC $@
	@$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -Ibench -I$(BENCH_OUT) $< $(LDLIBS) -o $@

bench-build: $(OUTPUT)/gifctl $(BENCH_OUT)/gifbench

bench: bench-build
	@GIFCTL=$(abspath $(OUTPUT)/gifctl) GIFBENCH=$(abspath $(BENCH_OUT)/gifbench) \
		timeout --foreground -k 10 590 tests/isolated.sh bench/run.sh $(BENCH_ARGS)
