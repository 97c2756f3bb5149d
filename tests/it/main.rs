//! All integration tests, in one binary (one link, one place to look).
//! Each module reads its cases from a fixture table under `tests/fixtures/`.

mod brand;
mod choices;
mod cli;
mod compiled;
mod eval;
mod generated;
mod outbox;
mod pages;
mod patch;
mod pg;
mod price;
mod report_draft;
mod serve;
mod server;
mod sources;
mod trust;
mod updater;
mod verdict;

use std::path::PathBuf;

/// A path in the repository.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A path under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo("tests/fixtures").join(rel)
}

/// The reason codes of a verdict as JSON (`reasons[].code`), in order.
pub fn reason_codes(verdict: &serde_json::Value) -> Vec<&str> {
    verdict["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["code"].as_str())
        .collect()
}
