# vigil: the two commands of the README.
#   make run   installs missing Debian packages, builds, and runs the main job
#   make test  installs missing Debian packages, builds, and runs every test
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup configure build vigil test run bench fuzz fuzz-smoke test-sanitize clean

all: build

# SETUP=run installs only what the main job needs; test, bench and fuzz add the test tools.
SETUP ?= test
setup:
	@scripts/setup.sh $(SETUP)

configure: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release > $(BUILD).configure.log 2>&1 || (cat $(BUILD).configure.log; exit 1)

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

vigil: configure
	@cmake --build $(BUILD) -j $(JOBS) --target vigil

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 1200

run:
	@$(MAKE) --no-print-directory SETUP=run vigil
	@scripts/run.sh $(BUILD)/vigil

bench:
	@$(MAKE) --no-print-directory SETUP=bench vigil
	@bench/run_all.sh $(BUILD)/vigil

# libFuzzer harnesses under ASan+UBSan (clang tree in build-fuzz/): 600 s
# each, or FUZZ_SECONDS; fuzz-smoke is CI's short run. docs/fuzzing.md.
fuzz:
	@scripts/fuzz.sh $(or $(FUZZ_SECONDS),600)

fuzz-smoke:
	@scripts/fuzz.sh 20

# Every unit test binary under ASan+UBSan (the same clang tree).
test-sanitize:
	@scripts/sanitize.sh

clean:
	rm -rf $(BUILD) $(BUILD).configure.log build-fuzz build-fuzz.*.log
