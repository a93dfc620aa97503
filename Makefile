# onemap: libspatial + the sp-* tools. `make` builds, `make test` runs every test,
# `make asan` runs them under AddressSanitizer + UBSan, `make demo` runs the pipeline
# on the synthetic sample district, `make bench` compares with the GDAL anchors.
# Debian 12 packages only; `make deps` installs the missing ones (as root).

PREFIX   ?= /usr/local
CC       ?= cc
SANITIZE ?=
DEPS_PKGS = build-essential pkg-config libgdal-dev libproj-dev libgeos-dev libpng-dev libdeflate-dev \
            libsqlite3-dev libcairo2-dev libfftw3-dev libjson-c-dev gdal-bin python3-gdal sqlite3 npm
# the browser test of the one map and the database tests (make test) also need
TEST_PKGS = chromium fonts-wqy-microhei postgresql-15 postgresql-15-postgis-3 pngcheck slurm-wlm munge
# make bench's anchors: gdal2tiles.py comes with gdal-bin; scipy for sp-disperse
BENCH_PKGS = python3-scipy bc time

ifeq ($(FUZZ),1)
# libFuzzer builds (make fuzz): the library instrumented for coverage + ASan + UBSan
BUILD    ?= build-fuzz
CC       := clang
SANFLAGS  = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
OPT       = -O1 -g
else ifeq ($(SANITIZE),1)
BUILD    ?= build-asan
SANFLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT       = -O1 -g
else
BUILD    ?= build
SANFLAGS  =
OPT       = -O2 -g
endif

PKG_CFLAGS = $(shell pkg-config --cflags gdal proj libpng libdeflate sqlite3 cairo fftw3 json-c 2>/dev/null) \
              $(shell geos-config --cflags 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs gdal proj libpng libdeflate sqlite3 cairo fftw3 json-c 2>/dev/null) -lfftw3_threads \
              $(shell geos-config --clibs 2>/dev/null)

CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) $(SANFLAGS) -pthread \
           -Ilibspatial $(PKG_CFLAGS)
LDFLAGS += $(SANFLAGS) -pthread
LDLIBS  += $(PKG_LIBS) -lm

# the library's folders (docs/architecture.md): core/ (libc, libm, pthread only), io/
# (GDAL, OGR, PROJ, GEOS, SQLite), one folder per operation; tools/cli/ is the tools'
LIB_DIRS := core io convert inventory gridding disperse zonal score ledger tiles onemap merge
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard libspatial/$(d)/*.c libspatial/$(d)/*/*.c)))
LIB_OBJ  := $(LIB_SRC:libspatial/%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libspatial.a
CORE_OBJ := $(filter $(BUILD)/obj/core/%,$(LIB_OBJ))
CORE_LIB := $(BUILD)/libspatial_core.a
CLI_SRC  := $(sort $(wildcard tools/cli/*.c))
CLI_OBJ  := $(CLI_SRC:tools/cli/%.c=$(BUILD)/obj/cli/%.o)
CLI_LIB  := $(BUILD)/libspcli.a
TOOL_SRC := $(sort $(wildcard tools/sp-*.c))
TOOLS    := $(TOOL_SRC:tools/%.c=$(BUILD)/bin/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
GEN      := $(BUILD)/bin/sp-samplegen
LEAFLET  := $(BUILD)/leaflet/leaflet.js
# puppeteer-core for the browser test of the one map (make test only), pinned
BROWSER  := $(BUILD)/browser/node_modules/puppeteer-core/package.json

.PHONY: all lib tools test unit cli asan demo bench deps check-deps check-test-deps install clean samples check-layers docs \
        fuzz fuzz-targets mutate units

all: $(LIB) $(TOOLS) $(GEN) $(LEAFLET)

lib: $(LIB)
tools: $(TOOLS)

# header dependencies tracked per object (-MMD -MP): a header change rebuilds only the
# objects that include it
$(BUILD)/obj/%.o: libspatial/%.c | check-deps
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@
-include $(LIB_OBJ:.o=.d)
$(BUILD)/obj/cli/%.o: tools/cli/%.c | check-deps
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CFLAGS) -Itools -MMD -MP -c $< -o $@
-include $(CLI_OBJ:.o=.d)

# the preview page's Leaflet, from the npm registry, pinned by tools/preview/package-lock.json
$(BUILD)/obj/io/sp_page.o: CFLAGS += -DSP_LEAFLET_DIR='"$(abspath $(BUILD)/leaflet)"'
# the one map's script and style (page/), which sp-onemap copies next to its page
$(BUILD)/obj/onemap/sp_onemap_run.o: CFLAGS += -DSP_PAGE_DIR='"$(abspath page)"'
# and its styles, which a tool run from the build tree takes by name (-style nox_density)
$(BUILD)/obj/tiles/sp_style.o: CFLAGS += -DSP_STYLES_DIR='"$(abspath styles)"'

$(LEAFLET): tools/preview/package.json tools/preview/package-lock.json
	@mkdir -p $(BUILD)/preview $(BUILD)/leaflet
	cp tools/preview/package.json tools/preview/package-lock.json $(BUILD)/preview/
	cd $(BUILD)/preview && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp -r $(BUILD)/preview/node_modules/leaflet/dist/. $(BUILD)/leaflet/

$(BROWSER): tests/browser/package.json tests/browser/package-lock.json
	@mkdir -p $(BUILD)/browser
	cp tests/browser/package.json tests/browser/package-lock.json $(BUILD)/browser/
	cd $(BUILD)/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^
$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	@ar rcs $@ $^
$(CLI_LIB): $(CLI_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/bin/%: tools/%.c $(CLI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(CFLAGS) -Itools $< -o $@ $(LDFLAGS) $(CLI_LIB) $(LIB) $(LDLIBS)

$(GEN): samples/gen/samplegen.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(CFLAGS) $< -o $@ $(LDFLAGS) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(CLI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(CFLAGS) -Itests/unit -Itools $< -o $@ $(LDFLAGS) $(CLI_LIB) $(LIB) $(LDLIBS)

# core's unit tests link libspatial_core.a and nothing else (test_coverage also GEOS, its
# oracle): built without the GDAL/PROJ include paths
CORE_UNITS  := test_coord test_coverage test_pool test_rng test_shard test_text
CORE_CFLAGS  = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) $(SANFLAGS) -pthread -Ilibspatial
ORACLE_test_coverage = $(shell geos-config --cflags 2>/dev/null) $(shell geos-config --clibs 2>/dev/null)
$(CORE_UNITS:%=$(BUILD)/tests/%): $(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD    $@ (core only)"
	@$(CC) $(CORE_CFLAGS) -Itests/unit $< -o $@ $(LDFLAGS) $(CORE_LIB) $(ORACLE_$*) -lm

# The synthetic district (deterministic: same generator, same bytes).
SAMPLES_DIR = $(BUILD)/samples
samples: $(SAMPLES_DIR)/.done
$(SAMPLES_DIR)/.done: $(GEN) samples/real/chaoyang_streets_43.geojson
	@mkdir -p $(SAMPLES_DIR) $(SAMPLES_DIR)-real
	$(GEN) -q $(SAMPLES_DIR)
	$(GEN) -q -real samples/real/chaoyang_streets_43.geojson $(SAMPLES_DIR)-real
	@touch $@

# `make test`: unit tests, then end-to-end tests of every tool; the last line is
# "N passed, N failed". SANITIZE=1 runs the same under ASan+UBSan.
test: check-deps check-test-deps all $(UNITS) samples $(BROWSER)
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) sh tests/run.sh $(UNITS)

units: $(UNITS)

# The tool pages' synopsis and options, from each tool's --help (docs/gen_docs.py); make
# test fails when a committed page differs (tests/cli/test_docs.sh)
docs: $(TOOLS)
	@python3 docs/gen_docs.py $(BUILD)/bin

# The layers (tests/layers.py): includes by folder, purity proven by compiling with the
# GDAL/GEOS/PROJ headers poisoned, no cycle between objects. Also run by make test.
check-layers: $(LIB_OBJ) $(CLI_OBJ)
	@python3 tests/layers.py . $(BUILD)/obj

unit: $(UNITS)
	@BUILD=$(BUILD) sh tests/run.sh --unit-only $(UNITS)

asan:
	$(MAKE) SANITIZE=1 test

bench: all
	@sh tools/install-deps.sh $(BENCH_PKGS)
	@BUILD=$(BUILD) sh tests/bench/run.sh

demo: check-deps all samples
	@BUILD=$(BUILD) sh samples/demo.sh

# Fuzzing with libFuzzer (Debian's clang): every text parser and the vector reader, each
# for FUZZ_SECONDS (default 60), seeded from tests/fuzz/seeds; findings are written to
# build-fuzz/findings/ and fail the run. CI runs FUZZ_RUNS=20000 executions per target
# from seed 1 on the seeds alone: deterministic, so a green local run is a green CI run.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = spec style factors measures met star part geojson gpkg wkb
fuzz-targets: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
$(BUILD)/fuzz/fuzz_spec $(BUILD)/fuzz/fuzz_style $(BUILD)/fuzz/fuzz_factors $(BUILD)/fuzz/fuzz_measures \
  $(BUILD)/fuzz/fuzz_met $(BUILD)/fuzz/fuzz_star $(BUILD)/fuzz/fuzz_part: \
  $(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_text.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(CFLAGS) -DTARGET_$(shell echo $* | tr a-z A-Z) -fsanitize=fuzzer $< -o $@ $(LDFLAGS) $(LIB) $(LDLIBS)
$(BUILD)/fuzz/fuzz_geojson $(BUILD)/fuzz/fuzz_gpkg $(BUILD)/fuzz/fuzz_wkb: $(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_vector.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(CFLAGS) -DTARGET_$(shell echo $* | tr a-z A-Z) -fsanitize=fuzzer $< -o $@ $(LDFLAGS) $(LIB) $(LDLIBS)
fuzz:
	@sh tools/install-deps.sh clang
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-targets
	@BUILD=build-fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) sh tests/fuzz/run.sh $(FUZZ_TARGETS)

# A small mutation run over the computing modules (tests/mutate.py): each mutant must make
# a unit test fail; prints the kill rate. Not part of make test (it rebuilds 20 times).
mutate:
	@python3 tests/mutate.py

# Installs missing Debian packages. Not root: prints the command to run instead.
deps:
	@sh tools/install-deps.sh $(DEPS_PKGS)

check-deps:
	@sh tools/install-deps.sh $(DEPS_PKGS)

check-test-deps:
	@sh tools/install-deps.sh $(TEST_PKGS)

# make install PREFIX=DIR: the tools, libspatial.a with its public headers and a
# libspatial.pc, and PREFIX/share/onemap (Leaflet for the preview pages, the styles, the
# cited factor table, the example measures and specs), which the installed tools find
# next to themselves (sp_share): the tree can be moved as a whole.
SHARE = $(DESTDIR)$(PREFIX)/share/onemap
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/libspatial $(SHARE)/styles $(SHARE)/leaflet/images $(SHARE)/examples $(SHARE)/page
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	for d in $(LIB_DIRS); do install -d $(DESTDIR)$(PREFIX)/include/libspatial/$$d; \
	  for h in libspatial/$$d/*.h libspatial/$$d/*.def libspatial/$$d/*/*.def; do [ -e $$h ] || continue; \
	    sub=$$(dirname $${h#libspatial/}); install -d $(DESTDIR)$(PREFIX)/include/libspatial/$$sub; \
	    case $$h in *_impl.h) ;; *) install -m 644 $$h $(DESTDIR)$(PREFIX)/include/libspatial/$$sub/;; esac; done; done
	install -m 644 styles/*.txt styles/README.md $(SHARE)/styles/
	install -m 644 page/onemap.js page/onemap.css $(SHARE)/page/
	install -m 644 $(BUILD)/leaflet/leaflet.js $(BUILD)/leaflet/leaflet.css $(SHARE)/leaflet/
	install -m 644 $(wildcard $(BUILD)/leaflet/images/*.png) $(SHARE)/leaflet/images/
	install -m 644 samples/factors.csv samples/measures.txt samples/score.spec samples/source_classes.csv samples/README.md $(SHARE)/examples/
	install -d $(SHARE)/examples/ledger
	install -m 644 samples/ledger/*.txt $(SHARE)/examples/ledger/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/.*SP_VERSION "\(.*\)"/\1/p' libspatial/core/sp_ctx.h)|' \
	  libspatial/libspatial.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libspatial.pc

clean:
	rm -rf build build-asan build-fuzz build-mutate demo-out
