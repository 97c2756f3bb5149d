# Genuine — two commands do everything on a fresh machine:
#   make demo   build the extension and serve the demo on http://127.0.0.1:8080/demo/
#   make test   the whole suite: cargo tests, clippy, ESLint, tsc --checkJs, cargo fmt --check,
#               web-ext lint, e2e in Chromium and Firefox
.PHONY: demo test install build wasm registry site demo-dist dist lint e2e a11y bench fuzz clean

SHELL := /bin/bash
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)
GENUINE := target/debug/genuine
WASM := target/wasm32-unknown-unknown/release/genuine_core.wasm
DEMO := www/demo/registry
BRAND := www/demo/brand
# Registry versions must grow; the last commit's time does, and is the same on every clone.
DEMO_VERSION := $(shell git log -1 --format=%ct 2>/dev/null || echo 1)

demo: install demo-dist
	@echo
	@echo "Load the extension:  Chrome → chrome://extensions → Developer mode → Load unpacked → $(CURDIR)/dist/chrome"
	@echo "                     Firefox → about:debugging#/runtime/this-firefox → Load Temporary Add-on → $(CURDIR)/dist/firefox/manifest.json"
	@echo "Then open the demo shop pages at http://127.0.0.1:8080/demo/"
	@echo
	$(GENUINE) serve --demo --port 8080

test: install demo-dist
	$(CARGO) test
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --lib --test web_worker --test web_window --target wasm32-unknown-unknown -- -D warnings
	bash scripts/test-web.sh
	node tests/i18n.mjs
	$(MAKE) lint e2e a11y

install:
	bash scripts/install.sh

build:
	$(CARGO) build

wasm:
	$(CARGO) build --lib --release --target wasm32-unknown-unknown
	# No name section (function names for stack traces: 250 KB, 63 KB gzipped, of
	# a download every phone on the web checker pays) and no producers section.
	wasm-bindgen --target web --remove-name-section --remove-producers-section --out-name genuine --out-dir extension/pkg $(WASM)
	mkdir -p www/pkg && cp extension/pkg/genuine.js extension/pkg/genuine.d.ts extension/pkg/genuine_bg.wasm www/pkg/
	@printf 'wasm: %s bytes, %s gzipped; its JS bindings (genuine.js): %s bytes, %s gzipped\n' \
	  $$(wc -c < extension/pkg/genuine_bg.wasm) $$(gzip -9c extension/pkg/genuine_bg.wasm | wc -c) \
	  $$(wc -c < extension/pkg/genuine.js) $$(gzip -9c extension/pkg/genuine.js | wc -c)

registry: build
	mkdir -p target/demo extension/registry extension/keys www/registry
	$(GENUINE) registry import --accounts $(DEMO)/accounts.csv --products $(DEMO)/products.csv \
	  --blocklist $(DEMO)/blocklist.csv --delegations $(DEMO)/delegations.csv --profile-hosts $(DEMO)/local-hosts.json \
	  --publisher "Genuine demo (fictional brands)" --demo --version $(DEMO_VERSION) --valid-days 3650 \
	  --out target/demo/registry.json
	$(GENUINE) registry compile --key $(DEMO)/demo.secret target/demo/registry.json --out target/demo/registry.signed
	$(GENUINE) registry verify --pubkey $(DEMO)/demo.pub target/demo/registry.signed
	cp target/demo/registry.signed extension/registry/default.signed
	cp $(DEMO)/demo.pub extension/keys/default.pub
	cp target/demo/registry.signed www/registry/demo.signed
	cp $(DEMO)/demo.pub www/registry/demo.pub
	# The demo brand signs its own registry (only its rows) with its own demo key: $(BRAND)/README.md.
	grep -E '^(brand|Aurora Wellness),' $(DEMO)/accounts.csv > target/demo/aurora-accounts.csv
	grep -E '^(brand|Aurora Wellness),' $(DEMO)/products.csv > target/demo/aurora-products.csv
	awk -F, 'NR == 1 || $$5 == "Aurora Wellness"' $(DEMO)/blocklist.csv > target/demo/aurora-blocklist.csv
	$(GENUINE) registry import --accounts target/demo/aurora-accounts.csv --products target/demo/aurora-products.csv \
	  --blocklist target/demo/aurora-blocklist.csv --profile-hosts $(DEMO)/local-hosts.json \
	  --publisher "Aurora Wellness (demo brand)" --demo --version $(DEMO_VERSION) --valid-days 3650 \
	  --out target/demo/aurora.json
	$(GENUINE) registry sign --key $(BRAND)/aurora.secret target/demo/aurora.json --out www/registry/aurora.signed
	$(GENUINE) registry verify --pubkey $(BRAND)/aurora.pub www/registry/aurora.signed
	cp $(BRAND)/aurora.pub www/registry/aurora.pub

# Every HTML page of www/ from its source in www/pages/ (scripts/site.mjs):
# the site pages and the inbox (one document, one layout around each page's
# own part) and the demo shop pages (one layout per marketplace around each
# page's data, www/pages/demo/ → www/demo/).
site:
	node scripts/site.mjs

# One packer for every build (src/pack/): Genuine's own here, a brand's with --brand.
# The demo build (what `make demo` and the tests load): pins the demo key, whose
# secret is in this repository, and fetches from this machine; marked DEMO.
demo-dist: wasm registry site
	$(GENUINE) pack --demo --out dist

# A release build, into release/: needs the publisher's key and https addresses
# (GENUINE_PUBLISHER_KEY, GENUINE_REGISTRY_URL, GENUINE_INBOX_URL; optionally
# GENUINE_BUNDLED_REGISTRY) and refuses any key whose secret is in this repository.
dist: wasm build
	$(GENUINE) pack --out release

# Source checks first (ESLint, the JSDoc type check of the JS, rustfmt), then
# web-ext over the built packages. tsc reads the wasm glue's types from pkg/.
lint:
	npx --no-install eslint .
	npx --no-install tsc -p tsconfig.json
	npx --no-install tsc -p tests/e2e/tsconfig.json
	$(CARGO) fmt --check
	npx --no-install web-ext lint --source-dir dist/firefox --self-hosted
	$(GENUINE) pack --demo --brand $(BRAND)/brand.toml --out target/brand-demo
	npx --no-install web-ext lint --source-dir target/brand-demo/firefox --self-hosted

e2e: demo-dist
	node tests/e2e/run.mjs

a11y: demo-dist
	node tests/e2e/a11y-run.mjs

# Fuzz targets (fuzz/), FUZZ_SECONDS each (default 600); nightly + cargo-fuzz.
fuzz:
	bash scripts/fuzz.sh

# Scale and check latency natively (writes the registries the rest uses to
# target/bench/), the report inbox on SQLite and PostgreSQL (reports/s, p99,
# the server's memory under idle connections and slow bodies;
# benches/reports.rs), the same in wasm, look-alike search against fuse.js and
# uFuzzy, then DOMContentLoaded → banner and the hostile pages in Chromium
# and Firefox; last, one table of issue 17's measures against their goals
# (bench/summary.mjs, from what each part wrote to target/bench/results/ in
# this run). 22 minutes on two shared cores, the benches' release build included.
# The inbox bench holds 1,000 connections: more descriptors than the usual 1024.
bench: demo-dist
	rm -rf target/bench/results && mkdir -p target/bench/results && touch target/bench/results/started
	ulimit -n 8192 2>/dev/null || true; $(CARGO) bench
	node bench/wasm-scale.mjs
	node bench/lookalike.mjs
	node tests/e2e/bench.mjs
	node bench/summary.mjs

clean:
	rm -rf target/demo dist release extension/pkg extension/registry extension/keys www/pkg www/registry
	rm -f www/index.html www/check.html www/registry.html www/brands.html www/add/index.html www/inbox.html www/demo/index.html
	rm -rf www/demo/amazon www/demo/jd www/demo/tmall
