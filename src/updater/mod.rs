//! Registry updates: when to ask a registry's host, what its answer means,
//! and what the extension keeps. Policy only, over plain values: the I/O
//! (fetch, IndexedDB, the clock) is `updater::web` in the browser, so every
//! transition here is tested natively (`tests/it/updater.rs`).
//!
//! The rules, in one place:
//! - Bytes become the cached copy only after the signature held
//!   (`registry::verify_owned`), and only if they are not older than what is
//!   held (rollback). A newer file that has already expired is still taken:
//!   what it holds is newer than the copy in use, and the engine marks its
//!   verdicts stale all the same (a host that serves only stale files, a
//!   freeze, shows as a stale registry, never as silence).
//! - The last good copy is never given up for a failure: a 404, a network
//!   error, a tampered or wrongly signed file or a download cut short leave
//!   the cached copy as it was and say why in the source's status.
//! - A cached copy that no longer matches its checksum (storage corrupted)
//!   is dropped; the copy bundled with the build stands in, else the source
//!   is downloaded again at once, refusing anything older than the dropped
//!   copy's version.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// A registry larger than this is refused before its body is read: a bound
/// on a hostile or broken host (a compiled registry of 10^6 accounts is
/// about 80 MB).
pub const MAX_DOWNLOAD_BYTES: u64 = 128 * 1024 * 1024;

/// A source with no copy at all is asked again at most this often (seconds)
/// when the worker wakes, so a host that is down is not asked at every wake.
pub const RECHECK_SECS: i64 = 5 * 60;

/// What is kept beside a cached registry's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheMeta {
    /// The registry's version when it was verified.
    pub version: u64,
    /// The host's `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `registry::checksum` of the bytes, taken when they were verified;
    /// `None` for copies cached before checksums were kept (verified in
    /// full once).
    pub checksum: Option<String>,
}

/// A source's status as the options page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub last_check: Option<String>,
    pub last_update: Option<String>,
    pub error: Option<String>,
    /// How the last update arrived: "patch" or "download".
    #[serde(default)]
    pub updated_by: Option<String>,
    /// Why a patch was not used, when the whole file was downloaded instead.
    #[serde(default)]
    pub patch_refused: Option<String>,
}

/// How a new copy arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A patch against the cached copy (`registry::patch`).
    Patch,
    /// The whole file; `refused` says why a patch was not used, if one was tried.
    Download { refused: Option<String> },
}

/// Whether to ask for a patch first: only with a cached copy whose bytes are
/// known to be the verified ones (a checksum was kept). The host is first
/// asked whether the file changed at all (HEAD with the ETag), so an
/// unchanged registry still costs one request and no body.
pub fn wants_patch(cached: Option<&CacheMeta>) -> bool {
    cached.is_some_and(|c| c.checksum.is_some())
}

/// What the answer to the HEAD before a patch means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// 304: nothing new.
    Unchanged,
    /// Changed: try the patch for the cached version.
    Patch,
    /// Anything else (no HEAD, an error): the whole file, as without patches.
    Download,
}

pub fn on_head(answer: &Answer) -> Head {
    match answer {
        Answer::Http { status: 304, .. } => Head::Unchanged,
        Answer::Http { status, .. } if (200..300).contains(status) => Head::Patch,
        _ => Head::Download,
    }
}

/// The byte bound for reading a patch answer, or `None` when there is no
/// patch to read (404 is the usual answer: no patch for this version).
pub fn on_patch_answer(answer: &Answer) -> Option<u64> {
    match answer {
        Answer::Http { status, length } if (200..300).contains(status) => {
            let limit = crate::registry::patch::MAX_PATCH_BYTES as u64;
            length.is_none_or(|n| n <= limit).then_some(limit)
        }
        _ => None,
    }
}

/// Why an update did not replace the copy in use. Each says what a person
/// can do about it, or that nothing needs doing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("HTTP {status} from {url}")]
    Http { status: u16, url: String },
    #[error("could not reach {url}: {why}")]
    Network { url: String, why: String },
    #[error("registry too large ({0} bytes)")]
    TooLarge(u64),
    /// Tampered, truncated, signed by another key, not a registry, …: the
    /// registry module's own words.
    #[error("{0}")]
    Refused(String),
    #[error("refused version {got}: older than the version {held} in use (rollback)")]
    Rollback { got: u64, held: u64 },
}

/// The host's answer to a registry request, before its body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The request never got an answer (offline, DNS, TLS, timeout, CORS).
    Network(String),
    /// An HTTP answer: its status and its `Content-Length`, if it gave one.
    Http { status: u16, length: Option<u64> },
}

/// What to do with an [`Answer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// 304: the cached copy is current.
    Unchanged,
    /// Read at most `limit` bytes of the body and verify them.
    Read {
        limit: u64,
    },
    Fail(UpdateError),
}

/// The `If-None-Match` value for a request, when the cached copy has an ETag.
pub fn if_none_match(cached: Option<&CacheMeta>) -> Option<&str> {
    cached
        .and_then(|c| c.etag.as_deref())
        .filter(|e| !e.is_empty())
}

/// What an answer means. Only a 2xx body is read, and never more than
/// [`MAX_DOWNLOAD_BYTES`] (the reader stops there even if `Content-Length`
/// lied or was absent).
pub fn on_answer(url: &str, answer: Answer) -> Next {
    match answer {
        Answer::Network(why) => Next::Fail(UpdateError::Network {
            url: url.to_string(),
            why,
        }),
        Answer::Http { status: 304, .. } => Next::Unchanged,
        Answer::Http { status, length } if (200..300).contains(&status) => match length {
            Some(n) if n > MAX_DOWNLOAD_BYTES => Next::Fail(UpdateError::TooLarge(n)),
            _ => Next::Read {
                limit: MAX_DOWNLOAD_BYTES,
            },
        },
        Answer::Http { status, .. } => Next::Fail(UpdateError::Http {
            status,
            url: url.to_string(),
        }),
    }
}

/// A downloaded file whose signature held: what the policy needs of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Downloaded {
    pub version: u64,
}

/// What to do with a downloaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The same version as the engine in use: nothing to change.
    Unchanged,
    /// Make it the cached copy and the engine in use.
    Replace,
    Fail(UpdateError),
}

/// What was held when a download arrived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// The version of the engine in use, if one is loaded for this source.
    pub engine: Option<u64>,
    /// The version of the cached copy, if any.
    pub cached: Option<u64>,
    /// The lowest version to accept when neither says (a copy just dropped
    /// as corrupted leaves its version here).
    pub floor: u64,
}

impl Held {
    /// The version a download must not fall below.
    pub fn version(&self) -> u64 {
        self.engine.or(self.cached).unwrap_or(self.floor)
    }
}

/// Judges a downloaded file: `verified` is the registry module's verdict on
/// its signature and shape (its message when refused).
pub fn on_download(held: Held, verified: Result<Downloaded, String>) -> Decision {
    let got = match verified {
        Ok(d) => d,
        Err(why) => return Decision::Fail(UpdateError::Refused(why)),
    };
    let floor = held.version();
    if got.version < floor {
        return Decision::Fail(UpdateError::Rollback {
            got: got.version,
            held: floor,
        });
    }
    if held.engine == Some(got.version) {
        return Decision::Unchanged;
    }
    Decision::Replace
}

/// The status after an update attempt: `outcome` is `Ok(Some(via))` when a
/// new copy was taken, `Ok(None)` when the copy in use is current.
pub fn status_after(
    old: &Status,
    outcome: &Result<Option<Via>, UpdateError>,
    now: Timestamp,
) -> Status {
    let now = now.to_string();
    match outcome {
        Ok(Some(via)) => Status {
            last_check: Some(now.clone()),
            last_update: Some(now),
            error: None,
            updated_by: Some(match via {
                Via::Patch => "patch".into(),
                Via::Download { .. } => "download".into(),
            }),
            patch_refused: match via {
                Via::Download { refused } => refused.clone(),
                Via::Patch => None,
            },
        },
        Ok(None) => Status {
            last_check: Some(now),
            error: None,
            ..old.clone()
        },
        Err(e) => Status {
            last_check: Some(now),
            error: Some(e.to_string()),
            ..old.clone()
        },
    }
}

/// How reading the cached copy went, as [`on_start`] needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheRead {
    /// No cached copy (or the store could not be read at all).
    Missing,
    /// The cached copy loaded.
    Loaded,
    /// The cached copy no longer matches what was verified: its version and why.
    Corrupt { version: u64, why: String },
}

/// What a source needs when the worker starts and its cached copy was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// Drop the cached copy.
    pub drop_cache: bool,
    /// Load the copy bundled with the build.
    pub bundled: bool,
    /// Download now, accepting nothing older than this version.
    pub download: Option<u64>,
    /// What the status should say about the cache (a dropped copy).
    pub error: Option<String>,
}

/// The source's facts [`on_start`] weighs besides the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceFacts {
    pub has_bundled: bool,
    pub has_url: bool,
    /// When the host was last asked (from the status).
    pub last_check: Option<Timestamp>,
}

/// Where a source's engine comes from on a worker wake: the cached copy if
/// it loaded; else the bundled copy; else a download, at once when the
/// cached copy was just dropped (it would otherwise be missing until the
/// next alarm), or when there was never a copy and the host was not asked
/// in the last [`RECHECK_SECS`].
pub fn on_start(cache: CacheRead, facts: SourceFacts, now: Timestamp) -> Start {
    let mut start = Start {
        drop_cache: false,
        bundled: false,
        download: None,
        error: None,
    };
    let floor = match cache {
        CacheRead::Loaded => return start,
        CacheRead::Missing => None,
        CacheRead::Corrupt { version, why } => {
            start.drop_cache = true;
            start.error = Some(format!("cached copy dropped: {why}"));
            Some(version)
        }
    };
    if facts.has_bundled {
        start.bundled = true;
        return start;
    }
    let recently = facts
        .last_check
        .is_some_and(|t| now.0 >= t.0 && now.0 - t.0 < RECHECK_SECS);
    if facts.has_url && (floor.is_some() || !recently) {
        start.download = Some(floor.unwrap_or(0));
    }
    start
}

/// The background check's alarm, in minutes: first after 1–31, then every
/// 6–7 hours. `r` in `[0, 1)` spreads a million installs over the window so
/// they do not all arrive at the registry's host at once.
pub fn alarm(r: f64) -> (f64, f64) {
    let r = if r.is_finite() {
        r.clamp(0.0, 1.0)
    } else {
        0.5
    };
    (1.0 + r * 30.0, 360.0 + r * 60.0)
}

#[cfg(target_arch = "wasm32")]
pub mod web;
