# SPDX-License-Identifier: GPL-2.0
# Robustness tests, included by the top-level Makefile (uses its OUTPUT, CC, CFLAGS, LDFLAGS,
# LDLIBS, CTL_SRCS, Q, msg and the rule that makes $(OUTPUT)/ctl/%.o, $(OUTPUT)/unit/%.o and
# $(OUTPUT)/gif.skel.h):
#
#   make check-fuzz       bounded: PKTFUZZ_CHECK_COUNT (100,000) packets per datapath program,
#                         then every libFuzzer harness for FUZZ_CHECK_SECONDS (10) s, all at once
#   make fuzz             long: PKTFUZZ_COUNT (1,000,000) packets per program, then every harness
#                         for FUZZ_SECONDS (300) s, or FUZZ_RUNS=N inputs each when given
#   make check-sanitize   gifctl built with AddressSanitizer + UndefinedBehaviorSanitizer as
#                         $(OUTPUT)/san/gifctl; tests/e2e/test_cli.sh and test_badinput.sh run
#                         with it (SAN_TESTS); any sanitizer report fails
#
# Each prints "    TEST: name [ OK ]|[FAIL]" lines and appends "PASS|FAIL name" to $GIF_RESULTS
# when set (tests/run.sh). PKTFUZZ_SEED picks the datapath run; it prints the seed, the count and
# the command reproducing it. The libFuzzer harnesses need clang with compiler-rt (Debian:
# libclang-rt-14-dev, which clang-14 depends on); their corpora grow under $(OUTPUT)/fuzz/corpus/,
# seeded from tests/fuzz/corpus/, and a failing input is saved under $(OUTPUT)/fuzz/artifacts/.
# Include it after the Makefile has set those variables (e.g. at its end); it leaves the default
# goal alone.

fuzz_default_goal := $(.DEFAULT_GOAL)

FUZZ_CLANG ?= clang
FUZZ_DIR := $(OUTPUT)/fuzz
SAN_DIR := $(OUTPUT)/san
FUZZ_RUN := tests/fuzz/run.sh

PKTFUZZ_SEED ?= 1
PKTFUZZ_CHECK_COUNT ?= 100000
PKTFUZZ_COUNT ?= 1000000
FUZZ_CHECK_SECONDS ?= 10
FUZZ_SECONDS ?= 300
FUZZ_RUNS ?=
SAN_TESTS ?= tests/e2e/test_cli.sh tests/e2e/test_badinput.sh

.PHONY: fuzz check-fuzz check-sanitize fuzz-build pktfuzz-run libfuzz-run

$(FUZZ_DIR) $(FUZZ_DIR)/lf $(FUZZ_DIR)/lf/ctl $(SAN_DIR)/ctl:
	$(Q)mkdir -p $@

# ---- the datapath fuzzer: tests/fuzz/*.c + the unit tests' rig objects + ctl/ but main.o -----

PKTFUZZ_OBJS := $(addprefix $(FUZZ_DIR)/,pktfuzz.o gen.o oracle.o)
PKTFUZZ_RIG := $(addprefix $(OUTPUT)/unit/,env.o netns.o pkt.o prog.o frames.o test.o)
PKTFUZZ_CTL := $(patsubst ctl/%.c,$(OUTPUT)/ctl/%.o,$(filter-out ctl/main.c,$(CTL_SRCS)))

$(FUZZ_DIR)/%.o: tests/fuzz/%.c tests/fuzz/pktfuzz.h $(OUTPUT)/gif.skel.h | $(FUZZ_DIR)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Ictl -Itests/unit -c $< -o $@

$(FUZZ_DIR)/pktfuzz: $(PKTFUZZ_OBJS) $(PKTFUZZ_RIG) $(PKTFUZZ_CTL)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# ---- libFuzzer harnesses of the pure parsers (ctl/parse.c, ctl/config.c) ---------------------

FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iinclude -Ictl -Itests/fuzz \
	$(FUZZ_SANITIZE)
FUZZ_PARSERS := ifname endpoints seconds tunnel_opts $(if $(wildcard ctl/config.c),config config_write)
FUZZ_HARNESSES := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_PARSERS))

$(FUZZ_DIR)/lf/ctl/%.o: ctl/%.c $(wildcard ctl/*.h include/*.h) | $(FUZZ_DIR)/lf/ctl
	$(call msg,CC-FUZZ,$@)
	$(Q)$(FUZZ_CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/lf/%.o: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(wildcard ctl/*.h) | $(FUZZ_DIR)/lf
	$(call msg,CC-FUZZ,$@)
	$(Q)$(FUZZ_CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/lf/fuzz_%.o $(FUZZ_DIR)/lf/ctl/parse.o
	$(call msg,LINK,$@)
	$(Q)$(FUZZ_CLANG) $(FUZZ_SANITIZE) -fsanitize=fuzzer $^ -lm -o $@

# What a harness links besides its own object and parse.o.
$(FUZZ_DIR)/fuzz_config $(FUZZ_DIR)/fuzz_config_write: $(FUZZ_DIR)/lf/ctl/config.o \
	$(FUZZ_DIR)/lf/ctl/config_index.o

fuzz-build: $(FUZZ_DIR)/pktfuzz $(FUZZ_HARNESSES)

# ---- runs -----------------------------------------------------------------------------------------

# pktfuzz_run COUNT: the datapath fuzzer, both programs
pktfuzz_run = $(FUZZ_RUN) "fuzz: datapath, $(1) packets per program (seed $(PKTFUZZ_SEED))" \
	$(FUZZ_DIR)/pktfuzz --seed $(PKTFUZZ_SEED) --count $(1)

# libfuzz_run LIMIT LABEL [side-by-side]: every libFuzzer harness with LIMIT (-max_total_time=S
# or -runs=N); with a third argument all at once (check-fuzz: the limit is wall-clock time, so
# the brief runs take S seconds together instead of S per harness)
libfuzz_run = pids=; for h in $(FUZZ_PARSERS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$h $(FUZZ_DIR)/artifacts; \
		dict=; [ -f tests/fuzz/dict/$$h.dict ] && dict=-dict=tests/fuzz/dict/$$h.dict; \
		$(FUZZ_RUN) "fuzz: libFuzzer $$h, $(2)" $(FUZZ_DIR)/fuzz_$$h $(1) $$dict \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/$$h- \
			$(FUZZ_DIR)/corpus/$$h tests/fuzz/corpus/$$h $(if $(3),& pids="$$pids $$!",|| rc=1); \
	done; \
	for p in $$pids; do wait $$p || rc=1; done

check-fuzz: fuzz-build
	$(Q)rc=0; \
	$(call pktfuzz_run,$(PKTFUZZ_CHECK_COUNT)) || rc=1; \
	$(call libfuzz_run,-max_total_time=$(FUZZ_CHECK_SECONDS),$(FUZZ_CHECK_SECONDS) s,1); \
	exit $$rc

fuzz: fuzz-build
	$(Q)rc=0; \
	$(call pktfuzz_run,$(PKTFUZZ_COUNT)) || rc=1; \
	$(call libfuzz_run,$(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)),$(if $(FUZZ_RUNS),$(FUZZ_RUNS) runs,$(FUZZ_SECONDS) s)); \
	exit $$rc

# ---- gifctl under AddressSanitizer + UndefinedBehaviorSanitizer --------------------------------

SAN_CFLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_OBJS := $(patsubst ctl/%.c,$(SAN_DIR)/ctl/%.o,$(CTL_SRCS))

$(SAN_DIR)/ctl/%.o: ctl/%.c $(OUTPUT)/gif.skel.h | $(SAN_DIR)/ctl
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_CFLAGS) -c $< -o $@

$(SAN_DIR)/gifctl: $(SAN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $(SAN_CFLAGS) $^ $(LDLIBS) -o $@

# Reports go to files ($(SAN_DIR)/reports/), so that neither a test reading stderr nor an exit
# status the tests expect anyway (1) can hide one; ASan exits 86, UBSan aborts.
check-sanitize: $(SAN_DIR)/gifctl
	$(Q)rm -rf $(SAN_DIR)/reports && mkdir -p $(SAN_DIR)/reports && \
	rc=0; res=$$(mktemp /tmp/gif-san.XXXXXX); \
	for t in $(SAN_TESTS); do \
		echo "# sanitize: $${t##*/}"; \
		GIFCTL=$(abspath $(SAN_DIR)/gifctl) GIF_RESULTS=$$res \
		ASAN_OPTIONS=halt_on_error=1:exitcode=86:detect_leaks=1:log_path=$(abspath $(SAN_DIR)/reports/asan) \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$(abspath $(SAN_DIR)/reports/ubsan) \
			timeout -k 30 600 bash $$t || rc=1; \
	done; \
	[ -n "$${GIF_RESULTS:-}" ] && sed -E 's/^(PASS|FAIL|SKIP) /\1 sanitize: /' $$res >>"$$GIF_RESULTS"; \
	rm -f $$res; \
	if [ -n "$$(ls -A $(SAN_DIR)/reports)" ]; then \
		for f in $(SAN_DIR)/reports/*; do echo "== $$f"; head -n 40 "$$f"; done | sed 's/^/        /'; \
		printf '    TEST: %-60s [FAIL]\n' "sanitize: no ASan/UBSan reports"; \
		[ -n "$${GIF_RESULTS:-}" ] && echo "FAIL sanitize: no ASan/UBSan reports" >>"$$GIF_RESULTS"; \
		rc=1; \
	else \
		printf '    TEST: %-60s [ OK ]\n' "sanitize: no ASan/UBSan reports"; \
		[ -n "$${GIF_RESULTS:-}" ] && echo "PASS sanitize: no ASan/UBSan reports" >>"$$GIF_RESULTS"; \
	fi; \
	exit $$rc

-include $(wildcard $(FUZZ_DIR)/*.d $(SAN_DIR)/ctl/*.d)

.DEFAULT_GOAL := $(fuzz_default_goal)
