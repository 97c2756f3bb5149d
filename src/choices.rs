//! The user's own choices, as policy: the stores they trust in spite of a
//! warning (the override every warning must allow), and the registries they
//! add. The extension keeps the choices (storage.local); what they mean is
//! decided here, so the background only moves them.

use crate::page::url::Url;
use crate::verdict::Level;

/// The key a store the user trusts is remembered by: its platform and its
/// id when the page gave one (ids do not change when a store renames
/// itself), else its name. `None` when the page named no store.
///
/// On the open web a page writes its own name and ids, so another site
/// could copy a trusted shop's and inherit the trust: there the key is
/// the page's host, as the address is what proves a web shop (`verdict`).
pub fn store_key(
    platform: Option<&str>,
    url: Option<&str>,
    store_id: Option<&str>,
    store_name: Option<&str>,
) -> Option<String> {
    fn some(s: Option<&str>) -> Option<&str> {
        s.filter(|s| !s.is_empty())
    }
    let platform = some(platform)?;
    if platform == crate::platform::Platform::Web.as_str() {
        let host = url.and_then(crate::page::Url::parse)?.host;
        return Some(format!("web:host:{host}"));
    }
    match (some(store_id), some(store_name)) {
        (Some(id), _) => Some(format!("{platform}:id:{id}")),
        (None, Some(name)) => Some(format!("{platform}:name:{name}")),
        (None, None) => None,
    }
}

/// Whether trusting a store changes a verdict of this level: only warnings
/// are overridden. "Official" needs no trust, and "none" must stay none: a
/// trusted store never shows as proven.
pub fn overrides(level: Level) -> bool {
    matches!(level, Level::Caution | Level::Danger)
}

/// Whether the in-page banner may set trust for a verdict of this level.
/// The banner is drawn inside a page that may imitate it or click for the
/// user, so it trusts a caution at most; a danger is confirmed in the
/// extension's own window. Taking trust back is always allowed.
pub fn banner_may_trust(level: Level) -> bool {
    level == Level::Caution
}

/// A registry the user asked to add: its id, where it is downloaded from,
/// and where its public key is read (pinned only once its fingerprint
/// matches the one the user gave).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedSource {
    pub id: String,
    pub url: String,
    pub key_url: String,
}

/// Why a registry address cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error("'{0}' is not a web address")]
    NotAUrl(String),
    /// Plain http lets anyone on the path withhold updates unseen (the
    /// signature stops forgeries, not a freeze).
    #[error("a registry must come over https")]
    NotHttps,
    #[error("the registry is signed by key {actual}, not the fingerprint you gave")]
    Fingerprint { actual: String },
}

/// Checks an address the user gave (already normalised by the browser's
/// URL parser, as `href`) and the optional address of its key; without
/// one, the key is the file beside the registry with `.pub` for `.signed`.
pub fn added_source(url: &str, key_url: Option<&str>) -> Result<AddedSource, AddError> {
    let parsed =
        Url::parse(url).ok_or_else(|| AddError::NotAUrl(url.chars().take(200).collect()))?;
    if !url.trim().to_ascii_lowercase().starts_with("https://") && !is_loopback(&parsed.host) {
        return Err(AddError::NotHttps);
    }
    let key_url = match key_url.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => {
            Url::parse(k).ok_or_else(|| AddError::NotAUrl(k.chars().take(200).collect()))?;
            k.to_string()
        }
        None => {
            let base = url.trim().split(['?', '#']).next().unwrap_or_default();
            format!("{}.pub", base.strip_suffix(".signed").unwrap_or(base))
        }
    };
    Ok(AddedSource {
        id: format!("user:{}", url.trim()),
        url: url.trim().to_string(),
        key_url,
    })
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// Whether the key a registry is signed by is the one the user confirmed:
/// the fingerprint as they typed it may have spaces, colons or capitals.
pub fn check_fingerprint(actual: &str, given: &str) -> Result<(), AddError> {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_hexdigit)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (a, g) = (clean(actual), clean(given));
    if a.is_empty() || a != g {
        return Err(AddError::Fingerprint {
            actual: actual.to_string(),
        });
    }
    Ok(())
}
