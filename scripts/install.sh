#!/usr/bin/env bash
# Installs what `make demo` and `make test` need, and nothing that is already there.
# Every step checks first, so a second run takes a second. Sources: rustup, crates.io,
# Debian packages and the npm registry (the only ones our machines reach).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'install: %s\n' "$*"; }

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; read the pin from Cargo.toml.
WB_VERSION=$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' Cargo.toml | head -1)
[ -n "$WB_VERSION" ] || { echo "install: no pinned wasm-bindgen version in Cargo.toml" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "wasm-bindgen-cli $WB_VERSION (about 5 minutes)"
  # No --locked: one of its locked dependency versions is not on our crates mirror.
  cargo install wasm-bindgen-cli --version "=$WB_VERSION" --force
fi

apt_install() {
  say "apt: $*"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

# cargo test checks the zip packages with an independent reader, Info-ZIP's unzip.
command -v unzip >/dev/null || apt_install unzip

if [ "${GENUINE_NO_BROWSERS:-}" != 1 ]; then
  need_apt=()
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  [ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
  command -v firefox-esr >/dev/null || command -v firefox >/dev/null || need_apt+=(firefox-esr)
  # Screenshots and the banner quote Chinese store names; without a CJK font they are boxes.
  [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK || need_apt+=(fonts-noto-cjk)
  # The e2e front ends TLS with a throw-away certificate made by openssl.
  command -v openssl >/dev/null || need_apt+=(openssl)
  [ ${#need_apt[@]} -eq 0 ] || apt_install "${need_apt[@]}"
  if ! command -v geckodriver >/dev/null; then
    say "geckodriver"
    cargo install geckodriver
  fi
fi

# The inbox tests run every store test against PostgreSQL too, on a throw-away cluster
# they make with initdb (tests/it/pg.rs); Debian keeps the binaries in /usr/lib/postgresql/N/bin.
# Only the binaries are needed: the package's own cluster may be left stopped.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  say "apt: postgresql"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
fi

# npm packages from the committed lockfile; `npm ci` only when node_modules is behind it.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.genuine-lock; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.genuine-lock
fi
say "ready"
