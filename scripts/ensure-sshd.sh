#!/usr/bin/env bash
# Installs OpenSSH server (and client) for the loopback sshd test fixture.
# Idempotent: does nothing when /usr/sbin/sshd and ssh already exist. Runs as root in CI.
# All messages go to stderr so callers can keep stdout clean.
set -euo pipefail

if [[ -x /usr/sbin/sshd ]] && command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; then
  echo "ensure-sshd: /usr/sbin/sshd already installed" >&2
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-sshd: not root and no sudo; install openssh-server manually" >&2
    exit 1
  fi
fi

echo "ensure-sshd: installing openssh-server and openssh-client" >&2
$SUDO apt-get update 1>&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends openssh-server openssh-client 1>&2

# sshd refuses to start without its privilege-separation directory.
$SUDO mkdir -p /run/sshd
echo "ensure-sshd: done ($(/usr/sbin/sshd -V 2>&1 | head -n 1 || true))" >&2
