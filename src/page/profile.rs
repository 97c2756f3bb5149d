//! Site profiles: how to read one marketplace's pages, as data.
//!
//! Profiles ship inside the registry, so when a marketplace redesigns its
//! pages the fix is a registry update, not an extension release.

use serde::{Deserialize, Serialize};

use super::url::Url;
use crate::platform::Platform;

/// The fields a profile may name selectors for.
pub const FIELDS: [&str; 9] = [
    "store_name",
    "store_id",
    "store_url",
    "title",
    "brand",
    "gtin",
    "price",
    "currency",
    "seller_claim",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SiteProfile {
    /// Short name, e.g. `tmall`, `amazon`.
    pub id: String,
    pub platform: Platform,
    /// Host names this profile reads; a host matches when it is one of them or a subdomain.
    pub hosts: Vec<String>,
    /// If set, only URLs whose path starts with one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// The marketplace's currency, for symbols that name several (¥, $, kr).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Where the store id sits in the page's URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub store_id_from_url: Vec<UrlPart>,
    /// Selectors per field, tried in order; see [`FIELDS`].
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, Vec<Selector>>,
    /// Read schema.org JSON-LD blocks.
    #[serde(default = "yes")]
    pub jsonld: bool,
    /// `<meta>` names/properties to read (OpenGraph product tags and the like).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<String>,
    /// Fields to wait for on pages that render late, and for how long.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wait_for: Vec<String>,
    #[serde(default = "default_wait_ms")]
    pub wait_ms: u32,
}

fn yes() -> bool {
    true
}
fn default_wait_ms() -> u32 {
    4000
}

/// One CSS selector, and which attribute to read (text content when absent).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Selector {
    pub css: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attr: Option<String>,
}

/// A place in a URL: a query parameter, or a path pattern with `{}` for the id.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum UrlPart {
    Query(String),
    Path(String),
}

impl SiteProfile {
    /// A host pattern is a host name (`tmall.com` also matches its subdomains),
    /// optionally followed by a path prefix (`127.0.0.1/demo/tmall/`).
    pub fn matches(&self, url: &Url) -> bool {
        let host_ok = self.hosts.iter().any(|pattern| {
            let (host, path) = match pattern.find('/') {
                Some(i) => (&pattern[..i], &pattern[i..]),
                None => (pattern.as_str(), ""),
            };
            let host_match = url.host == host
                || url
                    .host
                    .strip_suffix(host)
                    .is_some_and(|p| p.ends_with('.'));
            host_match && url.path.starts_with(path)
        });
        host_ok
            && (self.paths.is_empty()
                || self.paths.iter().any(|p| url.path.starts_with(p.as_str())))
    }

    /// The store id the URL carries, if the profile says where to look.
    pub fn store_id_in(&self, url: &Url) -> Option<String> {
        self.store_id_from_url.iter().find_map(|part| match part {
            UrlPart::Query(name) => url.query(name).filter(|v| !v.is_empty()),
            UrlPart::Path(pattern) => path_capture(pattern, &url.path),
        })
    }
}

/// Matches `/shop/{}/x` against `/shop/123/x...` and returns `123`.
fn path_capture(pattern: &str, path: &str) -> Option<String> {
    let (before, after) = pattern.split_once("{}")?;
    let rest = path.strip_prefix(before)?;
    let end = if after.is_empty() {
        rest.find(['/', '?', '#', ';']).unwrap_or(rest.len())
    } else {
        rest.find(after)?
    };
    let id = &rest[..end];
    (!id.is_empty()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        assert_eq!(
            path_capture("/shop/{}", "/shop/123/index.html"),
            Some("123".into())
        );
        assert_eq!(
            path_capture("/sp/{}.html", "/sp/abc.html"),
            Some("abc".into())
        );
        assert_eq!(path_capture("/shop/{}", "/shop/"), None);
        assert_eq!(path_capture("/shop/{}", "/item/1"), None);
    }
}
