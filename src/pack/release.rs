//! What a release build must not ship: a key anyone can sign with, or an
//! update channel anyone on the path can answer.
//!
//! The demo build (`genuine pack --demo`, what `make demo` and the tests use)
//! pins the demo keys, whose secrets live in this repository on purpose, and
//! fetches over plain http from this machine. A release build (no `--demo`)
//! refuses all of that, before anything is written: every pinned registry
//! and the report inbox must be `https://`, no pinned key may be one whose
//! secret sits in the repository (or is one of the demo keys we know), and
//! no bundled registry may be demo data.

use std::path::{Path, PathBuf};

use super::{Build, PackError};
use crate::registry::{self, SecretKey, Trust};

/// Public keys whose secrets are published (`www/demo/registry/demo.secret`,
/// `www/demo/brand/aurora.secret`): refused even where the repository is not
/// at hand to be searched.
const DEMO_FINGERPRINTS: [&str; 2] = [
    "ef5af1f232089fe86ff6f2f73c82bb59",
    "abc876de491f22887fdb5daef8c97e83",
];

/// Folders never searched for secrets: build output and other people's code.
const SKIP: [&str; 6] = [".git", "target", "node_modules", "dist", "release", "fuzz"];

/// How deep the search for secrets goes, and how many files it opens at most
/// (a bound for a `--repo` pointed somewhere huge by mistake).
const MAX_DEPTH: usize = 8;
const MAX_FILES: usize = 200_000;

/// Checks a release build; `repo` is searched for secret key files.
pub(crate) fn check(build: &Build, repo: &Path) -> Result<(), PackError> {
    let fail = |why: String| Err(PackError::Release(why));
    for s in &build.sources {
        if !s.url.starts_with("https://") {
            return fail(format!(
                "the registry '{}' is fetched from {}; a release build updates only over https:// \
                 (set GENUINE_REGISTRY_URL or --registry-url, or registry.url in brand.toml)",
                s.name, s.url
            ));
        }
        if let Some(bytes) = &s.bundled {
            if registry::load(bytes, Trust::Key(&s.key)).is_ok_and(|r| r.demo) {
                return fail(format!(
                    "the bundled registry of '{}' is demo data (fictional brands); bundle a real registry or none",
                    s.name
                ));
            }
        }
    }
    if !build.inbox.starts_with("https://") {
        return fail(format!(
            "reports would go to {}; a release build's inbox must be https:// (set GENUINE_INBOX_URL or --inbox)",
            build.inbox
        ));
    }
    let public = public_secrets(repo);
    for s in &build.sources {
        let fp = s.key.fingerprint();
        if let Some(where_) = public
            .iter()
            .find(|(f, _)| *f == fp)
            .map(|(_, p)| p.display().to_string())
            .or_else(|| {
                DEMO_FINGERPRINTS
                    .contains(&fp.as_str())
                    .then(|| "the demo keys".to_string())
            })
        {
            return fail(format!(
                "the registry '{}' would be pinned to key {fp}, whose secret is public ({where_}): \
                 anyone could sign registries this build accepts. Make a publisher key with \
                 `genuine registry keygen` and keep its secret out of the repository",
                s.name
            ));
        }
    }
    Ok(())
}

/// Fingerprints of the secret keys found under `root`, with their files.
fn public_secrets(root: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    let mut opened = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if depth < MAX_DEPTH && !SKIP.contains(&name.as_str()) {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            opened += 1;
            if opened > MAX_FILES {
                return found;
            }
            if !kind.is_file() || !name.ends_with(".secret") {
                continue;
            }
            let key = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| SecretKey::parse(&t).ok());
            if let Some(k) = key {
                found.push((k.public().fingerprint(), path));
            }
        }
    }
    found
}

/// The publisher's key file for a release of Genuine's own build (read and
/// parsed by the caller, as the demo's is).
pub(crate) fn publisher_key(path: Option<&Path>) -> Result<&Path, PackError> {
    path.ok_or_else(|| {
        PackError::Release(
            "a release build needs the publisher's public key: set GENUINE_PUBLISHER_KEY or \
             --publisher-key (a file from `genuine registry keygen`), or build the demo with --demo"
                .into(),
        )
    })
}
