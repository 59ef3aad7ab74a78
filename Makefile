# paiban — see README.md. `make pdf` installs what is missing, builds build/paiban, writes out/.
# `make test` runs every test; `make BUILD=asan test` runs them under ASan + UBSan.

BUILD ?= release
PKGS := harfbuzz harfbuzz-subset freetype2 fontconfig icu-uc inih libdeflate nettle libqpdf opencc \
	jansson
# The document: the initiative by default; `make pdf CORPUS=path/doc.txt` makes any other
# corpus's products in out/<name>/ (layouts: BOOKLET=, LEAFLET=, PARALLEL=, ARCHIVE=).
CORPUS ?= corpus/ai-plus-initiative.txt
DEFAULT_CORPUS := corpus/ai-plus-initiative.txt
# The PDFs' date: the corpus's last commit when git tracks it, else its modification time.
SOURCE_DATE_EPOCH ?= $(shell d=$$(git log -1 --format=%ct -- $(CORPUS) 2>/dev/null); \
	[ -n "$$d" ] && echo $$d || stat -c %Y $(CORPUS) 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

ifeq ($(BUILD),asan)
BDIR := build/asan
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDOPT := -fsanitize=address,undefined
else ifeq ($(BUILD),tsan)
# ThreadSanitizer: the threads of parallel.c (tests/races.sh; `make test` builds and runs it)
BDIR := build/tsan
OPT := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
LDOPT := -fsanitize=thread
else ifeq ($(BUILD),release)
BDIR := build
OPT := -O2 -g
LDOPT :=
else
$(error BUILD must be release, asan or tsan)
endif

# libqpdf is not linked: src/verify.c opens it with dlopen (by this soname) when a file is
# verified, so that its C++/GnuTLS start-up is not paid by every run.
LINKED_PKGS := $(filter-out libqpdf,$(PKGS))
QPDF_SONAME = $(shell objdump -p "$$(pkg-config --variable=libdir libqpdf 2>/dev/null)/libqpdf.so" \
	2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	$(if $(QPDF_SONAME),-DPB_QPDF_SONAME='"$(QPDF_SONAME)"')
PKG_LIBS = $(shell pkg-config --libs $(LINKED_PKGS) 2>/dev/null)
CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -pthread -Wall -Wextra -Werror $(OPT)
LDLIBS = $(PKG_LIBS) -licui18n -lhpdf -lhyphen -lm -pthread -ldl

SRCS := $(sort $(wildcard src/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(patsubst src/%.c,$(BDIR)/obj/%.o,$(SRCS))
LIB_OBJS := $(patsubst src/%.c,$(BDIR)/obj/%.o,$(LIB_SRCS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BDIR)/tests/%,$(UNIT_SRCS))

FUZZ_TARGETS := corpus layout pipeline verify layout_values
# Each fuzz target is also built as a plain program that replays tests/crash/ and its seeds.
REPLAY_BINS := $(patsubst %,$(BDIR)/tests/replay_%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 60

PAIBAN := $(BDIR)/paiban
BOOKLET ?= layouts/booklet.ini
LEAFLET ?= layouts/leaflet.ini
PARALLEL ?= layouts/parallel.ini
ARCHIVE ?= layouts/archive.ini
LAYOUTS := $(BOOKLET) $(LEAFLET) $(PARALLEL) $(ARCHIVE)
ifeq ($(CORPUS),$(DEFAULT_CORPUS))
OUTDIR := out
DOC_NAME := initiative
else
DOC_NAME := $(basename $(notdir $(CORPUS)))
OUTDIR := out/$(DOC_NAME)
endif
# One run makes every product (fonts are opened once) with a preflight report beside each;
# tools/products.sh writes them into OUTDIR and OUTDIR/archive/SHA256SUMS lists exactly them
# (check: cd OUTDIR && sha256sum -c archive/SHA256SUMS).
SUMS := $(OUTDIR)/archive/SHA256SUMS
# LD_PRELOAD shim for tests/errors.sh: allocations of paiban's own code fail from the N-th on
FAILALLOC := $(BDIR)/tests/failalloc.so

.PHONY: all pdf deps test unit golden e2e bench clean golden-update fuzz
all: $(PAIBAN)

deps:
	@tools/deps.sh

pdf: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(SUMS)

$(SUMS): $(PAIBAN) $(CORPUS) $(LAYOUTS) tools/products.sh
	@tools/products.sh $(PAIBAN) $(CORPUS) $(OUTDIR) $(DOC_NAME) $(LAYOUTS)

$(BDIR)/obj/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(PAIBAN): $(OBJS)
	$(CC) $(LDOPT) -o $@ $^ $(LDLIBS)

$(BDIR)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc $(LDOPT) -o $@ $< $(LIB_OBJS) $(LDLIBS) -lcmocka

$(FAILALLOC): tests/failalloc.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $<

$(BDIR)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(wildcard tests/fuzz/*.h) $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc $(LDOPT) -o $@ $< tests/fuzz/replay.c $(LIB_OBJS) $(LDLIBS) -ldl

# libFuzzer builds (clang), run for FUZZ_SECONDS each on a copy of the seed corpus (verify's
# also gets the real archive, out/archive/initiative.pdf, when `make pdf` made it); a crash
# is written to build/fuzz/ (keep its input in tests/crash/ as TARGET-short-name).
# UBSan must abort (-fno-sanitize-recover) or libFuzzer never sees undefined behaviour.
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(wildcard src/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc $(PKG_CFLAGS) -o $@ $< $(LIB_SRCS) $(LDLIBS) -ldl

# The fuzzer's own exit status decides (a pipe into grep hid a crash: sh has no pipefail);
# its log is build/fuzz/fuzz_TARGET.log, a crash input build/fuzz/TARGET-crash-*.
fuzz: deps $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		rm -rf build/fuzz/corpus-$$t && cp -r tests/fuzz/seed/$$t build/fuzz/corpus-$$t && \
		if [ $$t = verify ] && [ -f out/archive/initiative.pdf ]; then \
			cp out/archive/initiative.pdf build/fuzz/corpus-$$t/; fi && \
		echo "== fuzz_$$t for $(FUZZ_SECONDS) s" && \
		if (cd build/fuzz && ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=25 \
			-rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=$$t- \
			corpus-$$t >fuzz_$$t.log 2>&1); then \
			grep -E "stat::number_of_executed_units" build/fuzz/fuzz_$$t.log; \
		else \
			grep -vE "^#[0-9]+|^INFO:" build/fuzz/fuzz_$$t.log | tail -n 60; exit 1; \
		fi; \
	done

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(REPLAY_BINS) $(FAILALLOC)
ifeq ($(BUILD),release)
	@$(MAKE) --no-print-directory BUILD=tsan all
endif
	@tests/run.sh $(BDIR)

golden-update: all
	@tests/golden.sh $(BDIR) --update

bench: deps
	@$(MAKE) --no-print-directory all
	@tools/bench.sh $(BDIR)

clean:
	rm -rf build out/*.pdf out/*.report.* out/archive out/*/
