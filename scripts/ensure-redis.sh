#!/usr/bin/env bash
# Installs Debian's redis-server for the loopback Redis test fixture (tests/support/redis-fixture.ts).
# Idempotent: does nothing when redis-server and redis-cli already exist. Runs as root in CI.
# The package's own service is not needed (the fixture starts its own server on a free port) and is left alone.
# All messages go to stderr so callers can keep stdout clean.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  echo "ensure-redis: redis-server already installed ($(redis-server --version | head -n 1))" >&2
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-redis: not root and no sudo; install redis-server manually (apt-get install redis-server)" >&2
    exit 1
  fi
fi

echo "ensure-redis: installing redis-server" >&2
$SUDO apt-get update 1>&2
# policy-rc.d answers 101 ("not allowed") so the package does not start its system-wide server on port 6379
# where systemd or sysvinit would; the tests never use that one.
POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=""
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod +x "$POLICY"
  CREATED_POLICY=1
fi
cleanup() { if [[ -n "$CREATED_POLICY" ]]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends redis-server redis-tools 1>&2
echo "ensure-redis: done ($(redis-server --version | head -n 1))" >&2
