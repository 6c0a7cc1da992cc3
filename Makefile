# dokku-mcp — Quick start: `make run` (sandbox server over HTTP on 127.0.0.1:8080) and `make test` (everything, incl. SSH suites).
SHELL := /bin/bash
NODE_OPTIONS_TEST := --experimental-vm-modules --no-warnings=ExperimentalWarning
JEST := NODE_OPTIONS="$(NODE_OPTIONS_TEST)" node node_modules/jest/bin/jest.js

.PHONY: install build run test unit arch typecheck sshd redis standin bench soak clean

node_modules/.install-stamp: package.json package-lock.json
	@echo "==> installing npm packages" >&2
	@npm ci --no-audit --no-fund --loglevel=error >&2
	@touch $@

install: node_modules/.install-stamp

build: install
	@node node_modules/typescript/bin/tsc -p tsconfig.build.json

# Serves MCP over HTTP on the built-in SIMULATED Dokku host, on 127.0.0.1:8080 (busy: the next free port, said so);
# `make run PORT=9000` insists on one port. Prints the /mcp URL, an Inspector command and a curl example. Ctrl-C stops.
# MCP clients that start the server themselves (stdio) are given `node dist/main.js --sandbox`, never make.
run: build
	@node dist/main.js --sandbox --transport http $(if $(PORT),--port $(PORT))

typecheck: install
	@node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit

# Architecture rules (domain pure, application behind ports, SDK and node-ssh each in one folder).
arch: install
	@node node_modules/dependency-cruiser/bin/dependency-cruise.mjs --config .dependency-cruiser.cjs src

sshd:
	@bash scripts/ensure-sshd.sh

# Debian's redis-server for the suites that share state over Redis (tests/support/redis-fixture.ts starts its own).
redis:
	@bash scripts/ensure-redis.sh

# Three workers on two cores: most suites wait on sshd, Redis or a child server rather than the CPU (one worker, jest's
# default here, took 487 s for what three run in 312 s).
test: build typecheck arch sshd redis
	@$(JEST) --ci --maxWorkers=3

# Every suite that needs neither sshd nor a build (domain, application, config, adapters, MCP tools in memory);
# jest.unit.config.js names the ones it leaves to `make test`.
unit: install
	@$(JEST) --ci --config jest.unit.config.js

# SSH mode without a Dokku host: the suites' sshd with the Dokku stand-in; prints the server's flags, Ctrl-C stops it.
standin: build sshd
	@node node_modules/typescript/bin/tsc -p tsconfig.standin.json
	@node .standin-build/scripts/standin.js

# Figures beside a baseline measured in the same run, against the sshd fixture; writes bench/RESULTS.md.
# BENCH_ONLY=load,http (phases: poll, build-log, multiplexing, http, store, load, cluster-live-logs, live) runs only those and merges
# their rows into bench/RESULTS.md.
bench: build sshd redis
	@node node_modules/typescript/bin/tsc -p tsconfig.bench.json
	@node .bench-build/bench/run.js

# Not part of test or bench: SOAK_MINUTES (default 30) of deploys, polls, sessions, follow_runtime_logs and SSE streams
# at once against the built server and the sshd fixture, RSS sampled every few seconds; stops by itself, says whether
# the memory plateaus and writes the figure into the Soak section of bench/RESULTS.md.
SOAK_MINUTES ?= 30
soak: build sshd
	@node node_modules/typescript/bin/tsc -p tsconfig.bench.json
	@SOAK_MINUTES=$(SOAK_MINUTES) node .bench-build/bench/soak.js

clean:
	rm -rf dist .bench-build .standin-build node_modules
