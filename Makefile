# Sabina's entry points. On a fresh Debian 12 machine, as root, `make demo` and `make test` need
# nothing else: every target first runs scripts/install-deps (a no-op when all is installed).
#
#   make build   release tree in build/ (build/bin/sabinad, build/bin/sabina, ...)
#   make test    build, ASan/UBSan unit tests, fuzzing (~1 min), release unit tests, pytest
#   make demo    build, then a lab of two Sabina routers and three hosts in network namespaces
#                (examples/lab/demo.yaml): traffic, the routers' view; the lab stays up
#   make demo-down   remove the lab `make demo` left running (tools/sabina-lab down)
#   make bench   build, then every benchmark; figures print as `BENCH name value unit`
#   make asan    ASan/UBSan tree in build-asan and its unit tests
#   make fuzz    libFuzzer tree in build-fuzz (clang-14) and a bounded run of every *_fuzz target
#   make unit    release unit tests only;   make pytest   python tests only
#   make clean   remove the build trees this Makefile makes
#
# Knobs: SHARED_DIR (default ../shared beside the repo), BUILD_DIR, ASAN_DIR, FUZZ_DIR,
# FUZZ_SECONDS (total fuzzing time, default 60), JOBS, PYTEST_ARGS, CTEST_ARGS.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

REPO := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
SHARED_DIR ?= $(abspath $(REPO)/../shared)
BUILD_DIR ?= $(REPO)/build
ASAN_DIR ?= $(REPO)/build-asan
FUZZ_DIR ?= $(REPO)/build-fuzz
BUILD_TYPE ?= RelWithDebInfo
# The sanitizer tree keeps assertions on (no NDEBUG) and uses -O1, as ASan recommends. GCC 12
# reports false maybe-uninitialized warnings in libstdc++ (<regex>, std::function) under the
# sanitizers; the release tree keeps that warning as an error.
ASAN_CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" \
	-DCMAKE_CXX_FLAGS_DEBUG="-g -O1 -Wno-maybe-uninitialized"
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON ?= /usr/bin/python3
PYTEST_ARGS ?=
CTEST_ARGS ?=

override BUILD_DIR := $(abspath $(BUILD_DIR))
override ASAN_DIR := $(abspath $(ASAN_DIR))
override FUZZ_DIR := $(abspath $(FUZZ_DIR))
override SHARED_DIR := $(abspath $(SHARED_DIR))
export SHARED_DIR

# Sanitizer reports must stop the run and name file:line.
SYMBOLIZER := /usr/lib/llvm-14/bin/llvm-symbolizer
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
export ASAN_SYMBOLIZER_PATH ?= $(if $(wildcard $(SYMBOLIZER)),$(SYMBOLIZER))
# ccache keys ignore the checkout's path, so a fresh clone (CI) reuses earlier compilations.
export CCACHE_BASEDIR ?= $(REPO)
export CCACHE_NOHASHDIR ?= true

# $(call configure,DIR,ENV,CMAKE_OPTIONS): (re)configure DIR. Always re-run: it takes a second and
# guarantees the tree has the options this Makefile asks for.
configure = $(2) cmake -S $(REPO) -B $(1) -G Ninja \
	$$(command -v ccache >/dev/null && echo -DCMAKE_C_COMPILER_LAUNCHER=ccache \
	   -DCMAKE_CXX_COMPILER_LAUNCHER=ccache) $(3) >$(1)/configure.log 2>&1 \
	|| { cat $(1)/configure.log; exit 1; }

CTEST = ctest --output-on-failure --no-tests=error -j $(JOBS) --timeout 600 $(CTEST_ARGS)

.PHONY: deps build test asan fuzz unit pytest demo demo-down bench clean help

help:
	@sed -n '1,/^$$/p' $(REPO)/Makefile | sed 's/^# \{0,1\}//'

# DEPS_DONE=1 lets `make test` run install-deps once instead of once per stage.
deps:
	@$(if $(DEPS_DONE),true,$(REPO)/scripts/install-deps)

build: deps
	@mkdir -p $(BUILD_DIR)
	@$(call configure,$(BUILD_DIR),,-DCMAKE_BUILD_TYPE=$(BUILD_TYPE))
	ninja -C $(BUILD_DIR) -j $(JOBS)

# Order matters: the last lines printed are ctest's and then pytest's summaries.
test: build
	$(MAKE) asan DEPS_DONE=1
	$(MAKE) fuzz DEPS_DONE=1
	$(MAKE) unit DEPS_DONE=1 NO_BUILD=1
	$(MAKE) pytest DEPS_DONE=1 NO_BUILD=1

asan: deps
	@mkdir -p $(ASAN_DIR)
	@$(call configure,$(ASAN_DIR),,$(ASAN_CMAKE_FLAGS) -DSABINA_SANITIZE=ON)
	ninja -C $(ASAN_DIR) -j $(JOBS)
	$(CTEST) --test-dir $(ASAN_DIR)

# Only the *_fuzz targets are built here (sabina_core comes along); without any, nothing runs.
fuzz: deps
	@targets=$$(find $(REPO)/src -name '*_fuzz.cc' -printf '%f\n' | sed 's/\.cc$$//' | sort); \
	if [ -z "$$targets" ]; then echo "fuzz: no src/**/*_fuzz.cc targets; skipped"; exit 0; fi; \
	mkdir -p $(FUZZ_DIR); \
	$(call configure,$(FUZZ_DIR),CC=clang-14 CXX=clang++-14,-DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
		-DSABINA_FUZZ=ON -DSABINA_SANITIZE=ON); \
	echo "ninja -C $(FUZZ_DIR) $$targets"; \
	ninja -C $(FUZZ_DIR) -j $(JOBS) $$targets; \
	$(REPO)/scripts/fuzz $(FUZZ_DIR)/bin $(FUZZ_SECONDS)

unit: $(if $(NO_BUILD),,build)
	$(CTEST) --test-dir $(BUILD_DIR)

# pytest exits 5 when it collected no test; that is not a failure while tests/ is being filled.
pytest: $(if $(NO_BUILD),,build)
	@rc=0; cd $(REPO) && SABINA_BIN_DIR=$(BUILD_DIR)/bin $(PYTHON) -m pytest tests/ -v \
		$(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

demo: build
	SABINA_BIN_DIR=$(BUILD_DIR)/bin $(REPO)/scripts/demo

demo-down:
	$(REPO)/scripts/demo down

bench: build
	SABINA_BIN_DIR=$(BUILD_DIR)/bin $(REPO)/scripts/bench

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) $(REPO)/fuzz-artifacts
