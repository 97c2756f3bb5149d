#!/usr/bin/env bash
# The Rust browser I/O layer's own tests (tests/web_*.rs) in the browsers the
# extension's background runs in: a service worker in headless Chromium (as
# Chrome runs it) and a window in headless Firefox (Firefox's background
# page). wasm-bindgen-test-runner comes with wasm-bindgen-cli
# (scripts/install.sh); the drivers are the ones the e2e suites use.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
chromedriver=$(command -v chromedriver || true)
geckodriver=$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")
[ -x "$chromedriver" ] || { echo "test-web: no chromedriver (run scripts/install.sh)" >&2; exit 1; }
[ -x "$geckodriver" ] || { echo "test-web: no geckodriver (run scripts/install.sh)" >&2; exit 1; }
CHROMEDRIVER=$chromedriver cargo test --target wasm32-unknown-unknown --test web_worker
GECKODRIVER=$geckodriver cargo test --target wasm32-unknown-unknown --test web_window
