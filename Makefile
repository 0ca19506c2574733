# vigil: the two commands of the README.
#   make run   installs missing Debian packages, builds, and runs the main job
#   make test  installs missing Debian packages, builds, and runs every test
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup build test run bench clean

all: build

setup:
	@scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release > $(BUILD).configure.log 2>&1 || (cat $(BUILD).configure.log; exit 1)
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 1200

run: build
	@scripts/run.sh $(BUILD)/vigil

bench: build
	@bench/run_all.sh $(BUILD)/vigil

clean:
	rm -rf $(BUILD) $(BUILD).configure.log
