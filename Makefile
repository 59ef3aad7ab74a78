# paiban — see README.md. `make pdf` installs what building needs (Debian packages), builds
# build/paiban and writes out/; `make test` adds the test tools and runs every test;
# `make install` / `make uninstall` (PREFIX, DESTDIR). `make BUILD=asan test` runs the tests
# under ASan + UBSan. One line per step; V=1 prints the commands. CC, CPPFLAGS, CFLAGS,
# LDFLAGS and LDLIBS are the user's, added after paiban's own flags. A compiler warning fails
# `make test` (and the build itself with WERROR=1, as CI builds).

BUILD ?= release
V ?= 0
# The document: the initiative by default; `make pdf CORPUS=path/doc.txt` makes any other
# corpus's products in out/<name>/ (layouts: BOOKLET=, LEAFLET=, PARALLEL=, ARCHIVE=).
CORPUS ?= corpus/ai-plus-initiative.txt
DEFAULT_CORPUS := corpus/ai-plus-initiative.txt
# The PDFs' date: the corpus's last commit when git tracks it, else its modification time.
# Asked of git once, when the first recipe runs (the variable then keeps the answer), so an
# up-to-date `make pdf` runs no program at all.
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH = $(eval SOURCE_DATE_EPOCH := $(shell d=$$(git log -1 --format=%ct -- \
	$(CORPUS) 2>/dev/null); [ -n "$$d" ] && echo $$d || stat -c %Y $(CORPUS) 2>/dev/null || \
	date +%s))$(SOURCE_DATE_EPOCH)
endif
export SOURCE_DATE_EPOCH

# Where `make install` puts things (GNU coding standards' names); DESTDIR stages them.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/paiban
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
# the shipped layouts, found by name (`paiban --layout booklet`)
LAYOUTDIR := $(DATADIR)/paiban/layouts

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

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = printf '  %-7s %s\n' '$(1)' '$(2)';
endif
# make -n: the single-letter flags are MAKEFLAGS's first word (long options start with --)
DRY_RUN := $(findstring n,$(filter-out --%,$(firstword $(MAKEFLAGS))))
MAKEFLAGS += --no-print-directory --no-builtin-rules
.SUFFIXES:

# The libraries' flags: build/config.mk, made by tools/configure.sh (which names the Debian
# package of a missing library). Goals that install packages run tools/deps.sh first: through
# its stamp, build/.deps-GROUP (which it touches when it found every package), remade only when
# dpkg's status file or the script is newer, so an up-to-date tree runs no shell for it.
CONFIG := build/config.mk
NO_CONFIG_GOALS := clean deps deps-test uninstall
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(CONFIG)
endif
DEPS_STAMPS ?= build/.deps-
DPKG_STATUS ?= /var/lib/dpkg/status
PACKAGES_FIRST := $(if $(filter test bench fuzz,$(MAKECMDGOALS)),$(DEPS_STAMPS)test,$(if \
	$(filter pdf examples,$(MAKECMDGOALS)),$(DEPS_STAMPS)build))

PB_CPPFLAGS := -D_POSIX_C_SOURCE=200809L
PB_CFLAGS := -std=c11 -pthread -Wall -Wextra $(OPT)
WERROR_FLAG := $(if $(filter 1,$(WERROR)),-Werror)
COMPILE = $(CC) $(PB_CPPFLAGS) $(PKG_CFLAGS) $(CPPFLAGS) $(PB_CFLAGS) $(CFLAGS) $(WERROR_FLAG)
# The one C++ file, src/ccguard.cc (OpenCC's exceptions caught before they reach C code): CXX,
# CXXFLAGS the user's; C++ programs' libstdc++ linked by name (ICU and HarfBuzz load it anyway).
PB_CXXFLAGS := -std=c++17 -pthread -Wall -Wextra $(OPT)
COMPILE_CXX = $(CXX) $(PB_CPPFLAGS) $(CPPFLAGS) $(PB_CXXFLAGS) $(CXXFLAGS) $(WERROR_FLAG)
LINK = $(CC) $(PB_CFLAGS) $(CFLAGS) $(LDOPT) $(LDFLAGS)
ALL_LDLIBS = $(PKG_LIBS) -lm -pthread -ldl -lstdc++ $(LDLIBS)
# The release build's paiban takes the libraries whose Debian -dev package ships an archive
# from it (PKG_LIBS_STATIC, tools/configure.sh): ldd lists 18 objects instead of 26, start-up
# takes a fifth less CPU (the 1x booklet: -3 ms, -85 page faults); the program grows by ICU's
# data (31 MB, paged in as touched, as from libicudata.so). STATIC=0 links them all shared, as a
# distribution's package would; the sanitizer builds and the test programs always do.
STATIC ?= 1
PAIBAN_LDLIBS = $(if $(and $(filter release,$(BUILD)),$(filter 1,$(STATIC))),$(PKG_LIBS_STATIC),$(PKG_LIBS)) \
	-lm -pthread -ldl -lstdc++ $(LDLIBS)
# A compile's warnings are kept beside its object (OBJ.warn) and shown; `make test` fails while
# any is not empty, so a warning fails the tests without rebuilding with -Werror.
WARN_LOG = 2>$@.warn; rc=$$?; cat $@.warn >&2; exit $$rc

SRCS := $(sort $(wildcard src/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
CXX_SRCS := $(sort $(wildcard src/*.cc))
OBJS := $(patsubst src/%.c,$(BDIR)/obj/%.o,$(SRCS)) $(patsubst src/%.cc,$(BDIR)/obj/%.o,$(CXX_SRCS))
LIB_OBJS := $(patsubst src/%.c,$(BDIR)/obj/%.o,$(LIB_SRCS)) $(patsubst src/%.cc,$(BDIR)/obj/%.o,$(CXX_SRCS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BDIR)/tests/%,$(UNIT_SRCS))

FUZZ_TARGETS := corpus layout pipeline verify layout_values
# Each fuzz target is also built as a plain program that replays tests/crash/ and its seeds.
REPLAY_BINS := $(patsubst %,$(BDIR)/tests/replay_%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 60

PAIBAN := $(BDIR)/paiban
# Flags and paths the objects were built with: a change rebuilds them (warnings-as-errors aside).
FLAGS_STAMP := $(BDIR)/flags
PATHS_H := $(BDIR)/paths.h
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
# examples/NAME/NAME.txt typeset with examples/NAME/NAME.ini into out/examples/NAME.pdf
EXAMPLES := $(notdir $(wildcard examples/*))
EXAMPLE_PDFS := $(patsubst %,out/examples/%.pdf,$(EXAMPLES))

.PHONY: all pdf deps deps-test test warnings bench clean golden-update fuzz install uninstall \
	examples man
all: $(PAIBAN)
	@:

DEPS := tools/deps.sh
deps:
	@$(DEPS) build
deps-test:
	@$(DEPS) test
$(DEPS_STAMPS)build $(DEPS_STAMPS)test: $(DEPS_STAMPS)%: tools/deps.sh $(wildcard $(DPKG_STATUS))
	@DEPS_STAMP=$@ DPKG_STATUS=$(DPKG_STATUS) $(DEPS) $*

$(CONFIG): tools/configure.sh | $(PACKAGES_FIRST)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CONFIG,$@)CC='$(CC)' CPPFLAGS='$(CPPFLAGS)' tools/configure.sh >$@.tmp && mv $@.tmp $@

pdf: $(SUMS)
	@:

# PRODUCTS_DEPS: the fonts the products were set in (a makefile tools/products.sh writes from
# the reports); missing, the products are made again, which writes it. dpkg's status file
# stands for what packages bring: the shared libraries (HarfBuzz shapes, libhyphen breaks), the
# hyphenation patterns, the ICC profile, the fonts.
PRODUCTS_DEPS ?= $(BDIR)/products/$(DOC_NAME).d
$(SUMS): $(PAIBAN) $(CORPUS) $(LAYOUTS) tools/products.sh $(PRODUCTS_DEPS) $(wildcard $(DPKG_STATUS))
	$(Q)$(call say,PDF,$(OUTDIR)/ from $(CORPUS))tools/products.sh $(PAIBAN) $(CORPUS) $(OUTDIR) \
		$(DOC_NAME) $(LAYOUTS) $(PRODUCTS_DEPS)
$(PRODUCTS_DEPS): ;
-include $(PRODUCTS_DEPS)

# The stamps are rewritten as the makefile is read, and only when what they hold changed (not
# by `make -n`, which changes nothing): the flags, and the installed layouts' folder (for
# layoutdirs.c, and main.c's --version), and the source tree (PB_SOURCE_DIR: a program run from
# its build/ finds the tree's layouts/).
define PATHS_TEXT
$(HASH)define PB_LAYOUT_DIR "$(LAYOUTDIR)"
$(HASH)define PB_SOURCE_DIR "$(CURDIR)"
endef
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
ifeq ($(DRY_RUN),)
same = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))
stamp = $(if $(call same,$(2),$(if $(wildcard $(1)),$(file <$(1)))),,$(file >$(1),$(2)))
HASH := \#
$(if $(wildcard $(BDIR)/.),,$(shell mkdir -p $(BDIR)))
$(call stamp,$(FLAGS_STAMP),$(COMPILE) | $(COMPILE_CXX) | $(LINK) $(ALL_LDLIBS) | $(PAIBAN_LDLIBS))
$(call stamp,$(PATHS_H),$(PATHS_TEXT))
endif
endif
$(FLAGS_STAMP) $(PATHS_H): ;

$(BDIR)/obj/main.o $(BDIR)/obj/layoutdirs.o: $(PATHS_H)
$(BDIR)/obj/main.o $(BDIR)/obj/layoutdirs.o: PB_CPPFLAGS += -I$(BDIR)

$(BDIR)/obj/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CC,$<)$(COMPILE) -MMD -MP -c $< -o $@ $(WARN_LOG)

$(BDIR)/obj/%.o: src/%.cc $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CXX,$<)$(COMPILE_CXX) -MMD -MP -c $< -o $@ $(WARN_LOG)

$(PAIBAN): $(OBJS)
	$(Q)$(call say,LD,$@)$(LINK) -o $@ $^ $(PAIBAN_LDLIBS)

$(BDIR)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CC LD,$@)$(COMPILE) -MMD -MP -Isrc $(LDOPT) $(LDFLAGS) -o $@ $< $(LIB_OBJS) \
		$(ALL_LDLIBS) -lcmocka $(WARN_LOG)

$(FAILALLOC): tests/failalloc.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CC LD,$@)$(CC) -std=c11 -O2 -Wall -Wextra $(WERROR_FLAG) -shared -fPIC -o $@ $< $(WARN_LOG)

$(BDIR)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CC LD,$@)$(COMPILE) -MMD -MP -Isrc $(LDOPT) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(LIB_OBJS) $(ALL_LDLIBS) $(WARN_LOG)

-include $(wildcard $(BDIR)/obj/*.d $(BDIR)/tests/*.d)

# libFuzzer builds (clang), run for FUZZ_SECONDS each on a copy of the seed corpus (verify's
# also gets the real archive, out/archive/initiative.pdf, when `make pdf` made it); a crash
# is written to build/fuzz/ (keep its input in tests/crash/ as TARGET-short-name).
# UBSan must abort (-fno-sanitize-recover) or libFuzzer never sees undefined behaviour.
build/fuzz/%.o: src/%.cc src/%.h
	@mkdir -p $(dir $@)
	$(Q)$(call say,CLANG++,$@)clang++ -std=c++17 $(PB_CPPFLAGS) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=address,undefined -fno-sanitize-recover=all -c -o $@ $<
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(wildcard src/*.h tests/fuzz/*.h) $(PATHS_H) \
		$(patsubst src/%.cc,build/fuzz/%.o,$(CXX_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(call say,CLANG,$@)clang -std=c11 $(PB_CPPFLAGS) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc -I$(BDIR) $(PKG_CFLAGS) -o $@ $< $(LIB_SRCS) \
		$(patsubst src/%.cc,build/fuzz/%.o,$(CXX_SRCS)) $(ALL_LDLIBS)

# The fuzzer's own exit status decides (a pipe into grep hid a crash: sh has no pipefail);
# its log is build/fuzz/fuzz_TARGET.log, a crash input build/fuzz/TARGET-crash-*.
fuzz: $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@tools/deps.sh fuzz
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

# A compiler warning anywhere in the build fails the tests (the -Werror of `make test`).
warnings: all $(UNIT_BINS) $(REPLAY_BINS) $(FAILALLOC)
	@w=$$(find build -name '*.warn' -size +0 | sort); \
	if [ -n "$$w" ]; then cat $$w; echo "make: compiler warnings (above) fail the tests" >&2; exit 1; fi

test: all $(UNIT_BINS) $(REPLAY_BINS) $(FAILALLOC) examples
ifeq ($(BUILD),release)
	@$(MAKE) BUILD=tsan all
endif
	@$(MAKE) warnings
	@tests/run.sh $(BDIR)

examples: $(EXAMPLE_PDFS)
	@:

.SECONDEXPANSION:
out/examples/%.pdf: examples/$$*/$$*.txt examples/$$*/$$*.ini $(PAIBAN)
	@mkdir -p $(dir $@)
	$(Q)$(call say,PDF,$@)$(PAIBAN) -q --layout examples/$*/$*.ini -o $@ examples/$*/$*.txt

golden-update: all
	@tests/golden.sh $(BDIR) --update

bench: all
	@tools/bench.sh $(BDIR)

# The man pages: doc/paiban-layout.5 is made from layouts/README.md and README.md's corpus
# sections by tools/man.py (python3; `make test` checks it is up to date), doc/paiban.1 is
# written by hand.
man:
	$(Q)$(call say,MAN,doc/paiban-layout.5)python3 tools/man.py >doc/paiban-layout.5.new && \
		mv doc/paiban-layout.5.new doc/paiban-layout.5

install: all
	$(Q)$(call say,INSTALL,$(DESTDIR)$(PREFIX))install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(LAYOUTDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR) && \
	install -m 755 $(PAIBAN) $(DESTDIR)$(BINDIR)/paiban && \
	install -m 644 doc/paiban.1 $(DESTDIR)$(MANDIR)/man1/paiban.1 && \
	install -m 644 doc/paiban-layout.5 $(DESTDIR)$(MANDIR)/man5/paiban-layout.5 && \
	install -m 644 layouts/*.ini $(DESTDIR)$(LAYOUTDIR)/ && \
	install -m 644 completions/paiban.bash $(DESTDIR)$(BASHCOMPDIR)/paiban && \
	install -m 644 LICENSE NEWS README.md $(DESTDIR)$(DOCDIR)/

uninstall:
	$(Q)$(call say,UNINSTALL,$(DESTDIR)$(PREFIX))rm -f $(DESTDIR)$(BINDIR)/paiban \
		$(DESTDIR)$(MANDIR)/man1/paiban.1 $(DESTDIR)$(MANDIR)/man5/paiban-layout.5 \
		$(DESTDIR)$(BASHCOMPDIR)/paiban $(addprefix $(DESTDIR)$(LAYOUTDIR)/,$(notdir $(wildcard layouts/*.ini))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/,LICENSE NEWS README.md) && \
	rmdir $(DESTDIR)$(LAYOUTDIR) $(DESTDIR)$(DATADIR)/paiban $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf build out/*.pdf out/*.report.* out/archive out/*/
