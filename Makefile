# qianbao — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: run test bench bootstrap build build-release build-asan test-release test-asan \
	clean format web test-web test-e2e

bootstrap:
	@./scripts/bootstrap

build-release: bootstrap web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# One clang build with AddressSanitizer + UndefinedBehaviorSanitizer: every test suite and the
# libFuzzer targets (fuzz/), which link the same instrumented objects.
build-asan: bootstrap
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

build: build-release

# Starts qianbaod on the embedded SQLite store at http://127.0.0.1:8080.
run: build-release
	@./scripts/run-server "$(DATA_DIR)"

# Every test suite: release build (unit, integration, simulation, crash), then the unit and
# integration suites again under AddressSanitizer + UndefinedBehaviorSanitizer, then each fuzz
# target for a bounded time.
test: build-release build-asan test-web test-e2e
	@./scripts/test-all

# The web app (web/): `npm ci` only when node_modules is missing or older than the lock file
# (a stamp inside node_modules records the last install), then a production build in web/dist,
# which qianbaod serves.
WEB_STAMP := web/node_modules/.qianbao-npm-ci.stamp
NPM_CHECK = command -v npm >/dev/null 2>&1 || { \
	echo "error: npm not found: install Node.js (>= 20.19) and npm to build the web app in web/" >&2; \
	exit 1; }

$(WEB_STAMP): web/package-lock.json web/package.json
	@$(NPM_CHECK)
	@cd web && npm ci --no-audit --no-fund
	@touch $@

web: $(WEB_STAMP)
	@$(NPM_CHECK)
	@cd web && npm run build

test-web: $(WEB_STAMP)
	@$(NPM_CHECK)
	@cd web && npm test

# End-to-end: the release qianbaod serving web/dist on a free loopback port with a temporary data
# dir, driven by Debian's headless Chromium (playwright-core; no browser is downloaded).
# Screenshots land in test-artifacts/e2e/.
test-e2e: build-release
	@$(NPM_CHECK)
	@cd web && npm run e2e

bench: build-release
	@./scripts/bench

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
