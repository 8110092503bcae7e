# flightrec: one plain Makefile.
#
#   make            build everything into build/ (eBPF part only where clang,
#                   bpftool and libbpf exist)
#   make check      unit suites, an ASan+UBSan build of them, integration tests
#   make demo       the incident demo
#   make bench      benchmarks in tests/bench/
#   make fuzz       bounded libFuzzer runs: bundle reader, codec, JSON, webhook
#   make deps       install the Debian packages the project uses
#   make analyze replay   the parts that need no eBPF toolchain
#   make fixtures   regenerate tests/fixtures/*.frb
#   make vmlinux    regenerate bpf/x86/vmlinux.h from this machine's BTF
#   make format     clang-format the tree
#
# Options: BUILD=dir, NO_BPF=1 (skip the eBPF part), SANITIZE=1, V=1.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
SHELL := /bin/bash

BUILD    ?= build
CC       ?= cc
CLANG    ?= clang
BPFTOOL  ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
ARCH     := x86

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

# Libraries of the non-eBPF part (formats, analyze, replay, cli).
PKGS := libarchive libzstd jansson zlib libcgraph libgvc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
FR_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers -Wno-format-truncation \
	-D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -I. -I$(BUILD) \
	-DFR_VERSION='"$(VERSION)"' $(PKG_CFLAGS)
LDLIBS   := $(PKG_LIBS) -lpthread -lm

ifeq ($(SANITIZE),1)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FR_CFLAGS += $(SAN)
LDFLAGS += $(SAN)
endif

# The eBPF part is built only where its toolchain exists.
ifeq ($(NO_BPF),)
HAVE_BPF := $(shell command -v $(CLANG) >/dev/null 2>&1 && test -x $(BPFTOOL) && \
	pkg-config --exists libbpf libelf libmicrohttpd 2>/dev/null && echo 1)
endif
ifeq ($(HAVE_BPF),1)
FR_CFLAGS += -DFR_HAVE_BPF=1 $(shell pkg-config --cflags libmicrohttpd)
# capture: libbpf, and libmicrohttpd for the Alertmanager webhook
BPF_LIBS  := $(shell pkg-config --libs libbpf libelf libmicrohttpd) -lz
endif

FORMATS_SRC := $(sort $(wildcard formats/*.c))
ANALYZE_SRC := $(sort $(wildcard analyze/*.c))
REPLAY_SRC  := $(sort $(wildcard replay/*.c replay/arch/x86_64/*.c))
CAPTURE_SRC := $(sort $(wildcard capture/*.c))
CLI_SRC     := $(sort $(wildcard cli/*.c))
BPF_SRC     := $(sort $(wildcard bpf/*.bpf.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

FORMATS_LIB := $(BUILD)/lib/libfr_formats.a
ANALYZE_LIB := $(BUILD)/lib/libfr_analyze.a
REPLAY_LIB  := $(BUILD)/lib/libfr_replay.a
CAPTURE_LIB := $(BUILD)/lib/libfr_capture.a
BPF_OBJS    := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRC))
BPF_SKELS   := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRC))

# Link order: dependants first.
CORE_LIBS := $(ANALYZE_LIB) $(REPLAY_LIB) $(FORMATS_LIB)
ifeq ($(HAVE_BPF),1)
ALL_LIBS := $(CAPTURE_LIB) $(CORE_LIBS)
ALL_LDLIBS := $(BPF_LIBS) $(LDLIBS)
else
ALL_LIBS := $(CORE_LIBS)
ALL_LDLIBS := $(LDLIBS)
endif

FLIGHTREC := $(BUILD)/flightrec

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BPFUNIT_SRC  := $(sort $(wildcard tests/unit/bpftest_*.c))
ifeq ($(HAVE_BPF),1)
UNIT_BINS += $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(BPFUNIT_SRC))
endif
TEST_HELPERS_SRC := $(sort $(wildcard tests/progs/*.c))
TEST_HELPERS := $(patsubst tests/progs/%.c,$(BUILD)/progs/%,$(TEST_HELPERS_SRC))
# The demo's small system (demo/*.c: checkout, db, batch), built under
# their own names: the names are what the recording and the report show.
DEMO_SRC  := $(sort $(wildcard demo/*.c))
DEMO_BINS := $(patsubst demo/%.c,$(BUILD)/demo/%,$(DEMO_SRC))

.PHONY: all analyze replay formats check unit unit-run asan integration demo \
	bench fuzz deps fixtures vmlinux format clean bpf-note

all: $(FLIGHTREC) $(TEST_HELPERS) $(DEMO_BINS) bpf-note

bpf-note:
ifneq ($(HAVE_BPF),1)
	@echo "flightrec: eBPF part skipped (needs clang, bpftool, libbpf-dev, libelf-dev, libmicrohttpd-dev; 'make deps'): record and capture are unavailable in this build"
endif

formats: $(FORMATS_LIB)
analyze: $(ANALYZE_LIB) $(FORMATS_LIB)
replay: $(REPLAY_LIB) $(FORMATS_LIB)

# ---- compilation --------------------------------------------------------------

$(BUILD)/obj/%.o: %.c
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FR_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(FORMATS_LIB): $(call obj,$(FORMATS_SRC))
$(ANALYZE_LIB): $(call obj,$(ANALYZE_SRC))
$(REPLAY_LIB):  $(call obj,$(REPLAY_SRC))
$(CAPTURE_LIB): $(call obj,$(CAPTURE_SRC))

$(BUILD)/lib/%.a:
	$(call msg,AR,$@)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FLIGHTREC): $(call obj,$(CLI_SRC)) $(ALL_LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(call obj,$(CLI_SRC)) $(ALL_LIBS) $(ALL_LDLIBS)

# ---- eBPF -----------------------------------------------------------------------

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I bpf/$(ARCH) -I. \
	-Wall -Werror -Wno-unused-function

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c bpf/fr_events.h $(wildcard bpf/*.h)
	$(call msg,BPF,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp && \
		$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

ifeq ($(HAVE_BPF),1)
$(call obj,$(CAPTURE_SRC)): $(BPF_SKELS)
endif

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > bpf/$(ARCH)/vmlinux.h

# ---- tests ----------------------------------------------------------------------

$(BUILD)/tests/test_%: tests/unit/test_%.c $(CORE_LIBS)
	$(call msg,TEST,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_LIBS) $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/tests/bpftest_%: tests/unit/bpftest_%.c $(ALL_LIBS)
	$(call msg,TEST,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(ALL_LIBS) $(CHECK_LIBS) $(ALL_LDLIBS)

# Small real programs the integration tests record and replay.
$(BUILD)/progs/%: tests/progs/%.c
	$(call msg,PROG,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $< -lpthread -lm

$(BUILD)/demo/%: demo/%.c
	$(call msg,PROG,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $<

# Replay test programs without libc (tests/progs/rp_raw_*.c): their system
# calls are exactly the ones they make, so unit tests can write their
# recordings by hand.
$(BUILD)/progs/rp_raw_%: tests/progs/rp_raw_%.c tests/progs/rp_raw.h
	$(call msg,PROG,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -static -nostdlib -fno-pie -no-pie \
		-fno-stack-protector -fno-builtin -fcf-protection=none -o $@ $<
# (the what-if replay tests' own, the same way)
$(BUILD)/progs/wi_raw_%: tests/progs/wi_raw_%.c tests/progs/rp_raw.h
	$(call msg,PROG,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -static -nostdlib -fno-pie -no-pie \
		-fno-stack-protector -fno-builtin -fcf-protection=none -o $@ $<

# Benchmark programs (tests/bench/*.c), run by tests/bench/*.sh.
BENCH_SRC  := $(sort $(wildcard tests/bench/*.c))
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
$(BUILD)/bench/%: tests/bench/%.c $(CORE_LIBS)
	$(call msg,BENCH,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_LIBS) $(LDLIBS)

unit: $(UNIT_BINS)

unit-run: unit
	$(Q)tests/run-unit.sh $(UNIT_BINS)

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SANITIZE=1 NO_BPF=1 OPT=-O1 unit $(BUILD)/asan/flightrec
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run-unit.sh $(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(filter-out $(BUILD)/tests/bpftest_%,$(UNIT_BINS)))
	$(Q)ASAN_OPTIONS=detect_leaks=1 FLIGHTREC=$(BUILD)/asan/flightrec FR_ASAN=1 \
		tests/run-integration.sh tests/integration/formats_*.sh

integration: all
	$(Q)FLIGHTREC=$(FLIGHTREC) PROGS=$(BUILD)/progs tests/run-integration.sh

check: all unit
	$(Q)tests/run-unit.sh $(UNIT_BINS)
	$(Q)$(MAKE) --no-print-directory asan
	$(Q)$(MAKE) --no-print-directory integration
	@echo "make check: all passed"

demo: deps all
	$(Q)FLIGHTREC=$(FLIGHTREC) DEMO_BIN=$(BUILD)/demo DEMO_OUT=$(BUILD)/demo-out demo/run.sh

# The floor of syscall recording (tests/bench/floor/): eBPF programs that do
# the least a recorder must, and their loader; run by capture_floor.sh.
ifeq ($(HAVE_BPF),1)
FLOOR_BINS := $(BUILD)/bench/floor_load
$(BUILD)/bench/floor.bpf.o: tests/bench/floor/floor.bpf.c
	$(call msg,BPF,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp && \
		$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp
$(BUILD)/bench/floor.skel.h: $(BUILD)/bench/floor.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@
$(BUILD)/bench/floor_load: tests/bench/floor/floor_load.c $(BUILD)/bench/floor.skel.h
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(FR_CFLAGS) -I$(BUILD)/bench $(CFLAGS) $(LDFLAGS) -o $@ $< $(BPF_LIBS)
endif

bench: all $(BENCH_BINS) $(FLOOR_BINS)
	$(Q)FLIGHTREC=$(FLIGHTREC) BUILD=$(BUILD) PROGS=$(BUILD)/progs tests/bench/run.sh

# libFuzzer targets (tests/fuzz/fuzz_*.c), each run for FUZZ_TIME seconds.
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_TIME ?= 60
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FORMATS_SRC) $(wildcard formats/*.h)
	$(call msg,FUZZ,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) -std=gnu11 -g -O1 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
		-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -DFR_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS) \
		$(FUZZ_CFLAGS_$*) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(FUZZ_SRC_$*) $(FORMATS_SRC) $(PKG_LIBS) $(FUZZ_LIBS_$*) -lm

# the webhook's parsers read the network: capture/webhook.c, with libmicrohttpd
FUZZ_SRC_webhook     = capture/webhook.c
FUZZ_CFLAGS_webhook  = $(shell pkg-config --cflags libmicrohttpd)
FUZZ_LIBS_webhook    = $(shell pkg-config --libs libmicrohttpd)
$(BUILD)/fuzz/fuzz_webhook: capture/webhook.c capture/webhook.h
ifneq ($(HAVE_BPF),1)
FUZZ_BINS := $(filter-out $(BUILD)/fuzz/fuzz_webhook,$(FUZZ_BINS))
endif

fuzz: $(FUZZ_BINS)
	$(Q)set -e; for f in $(FUZZ_BINS); do \
		mkdir -p $$f.corpus; echo "fuzz: $$f for $(FUZZ_TIME) s"; \
		$$f -max_total_time=$(FUZZ_TIME) -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
			-print_final_stats=1 $$f.corpus tests/fixtures tests/fuzz/seeds 2>&1 | \
			grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)' ; \
		test $${PIPESTATUS[0]} -eq 0; \
	done

fixtures: $(BUILD)/tests/gen_fixtures
	$(Q)$(BUILD)/tests/gen_fixtures tests/fixtures

$(BUILD)/tests/gen_fixtures: tests/gen_fixtures.c $(CORE_LIBS)
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_LIBS) $(LDLIBS)

deps:
	$(Q).ci/deps.sh

format:
	clang-format -i $(FORMATS_SRC) $(ANALYZE_SRC) $(REPLAY_SRC) $(CAPTURE_SRC) $(CLI_SRC) \
		$(wildcard formats/*.h analyze/*.h replay/*.h capture/*.h cli/*.h bpf/*.bpf.c)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
