# qianbao — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: run test bench bootstrap build build-release build-asan test-release test-asan clean format

bootstrap:
	@./scripts/bootstrap

build-release: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: bootstrap
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

build: build-release

# Starts qianbaod on the embedded SQLite store at http://127.0.0.1:8080.
run: build-release
	@./scripts/run-server "$(DATA_DIR)"

# Every test suite: release build (unit, integration, simulation, crash), then the unit and
# integration suites again under AddressSanitizer + UndefinedBehaviorSanitizer.
test: build-release build-asan
	@./scripts/test-all

bench: build-release
	@./scripts/bench

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
