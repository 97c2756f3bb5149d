//! All integration tests, in one binary (one link, one place to look).
//! Each module reads its cases from a fixture table under `tests/fixtures/`.

mod brand;
mod choices;
mod cli;
mod compiled;
mod eval;
mod generated;
mod labels;
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
use std::process::Command;

/// A path in the repository.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A path under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo("tests/fixtures").join(rel)
}

/// The HTML pages of www/ as `make site` makes them (scripts/site.mjs),
/// written into a directory of their own: from the sources as they are now,
/// not whatever `make site` last left in www/.
pub fn rendered_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = Command::new("node")
        .arg(repo("scripts/site.mjs"))
        .arg(dir.path())
        .output()
        .expect("runs node (scripts/install.sh installs it)");
    assert!(
        run.status.success(),
        "scripts/site.mjs: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    dir
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
