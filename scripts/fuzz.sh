#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS each (default 600), one after the
# other, with seeds from our own fixtures. Needs the nightly toolchain and
# cargo-fuzz (installed here when missing). A crash stops the run non-zero
# and leaves the input under fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${FUZZ_SECONDS:-600}"
targets="${FUZZ_TARGETS:-price snapshot html}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

seeds=target/fuzz-seeds
rm -rf "$seeds" && mkdir -p "$seeds"/{price,snapshot,html}
# Price seeds: the texts of our price corpus, one file each.
tail -n +2 tests/fixtures/prices.tsv | cut -f1 | awk -v d="$seeds/price" '{ f = sprintf("%s/%04d", d, NR); printf "%s", $0 > f; close(f) }'
cp tests/fixtures/pages/*.html "$seeds/html/"
# Snapshot seeds: the JSON snapshots our fixture pages produce.
cargo build --quiet --bin genuine
for page in tests/fixtures/pages/*.html; do
  ./target/debug/genuine extract --snapshot "$page" > "$seeds/snapshot/$(basename "$page" .html).json" 2>/dev/null || rm -f "$seeds/snapshot/$(basename "$page" .html).json"
done

for t in $targets; do
  mkdir -p "fuzz/corpus/$t"
  echo "fuzz: $t for ${secs}s"
  # -timeout: an input that takes over 2 s is a hang (bounded work is a requirement);
  # -rss_limit_mb: so is one that needs over 1 GiB.
  cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" "$seeds/$t" -- \
    -max_total_time="$secs" -timeout=2 -rss_limit_mb=1024 -print_final_stats=1 2>&1 | tail -n 15
done
