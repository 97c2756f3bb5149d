//! www/ as static files, with strong ETags on the registry.
//!
//! Every installed extension polls `registry/*.signed`; with an ETag it gets
//! a 304 and no body while the file is unchanged. ServeDir only sends
//! Last-Modified, whose one-second grain can miss a quick re-publish; a
//! content hash cannot. Hashes are cached by (length, mtime) so a poll costs a
//! `stat`, not a read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

pub fn service(root: &Path) -> ServeDir {
    ServeDir::new(root).append_index_html_on_directories(true)
}

/// A file's length and mtime when it was hashed, and its ETag.
type Stamp = (u64, SystemTime, HeaderValue);

/// Content hashes of registry files, keyed by path.
#[derive(Clone, Default)]
pub struct EtagCache {
    root: PathBuf,
    map: Arc<Mutex<HashMap<PathBuf, Stamp>>>,
}

impl EtagCache {
    pub fn new(root: &Path) -> EtagCache {
        EtagCache {
            root: root.to_path_buf(),
            map: Arc::default(),
        }
    }

    /// The file a `/registry/…` path names, if it is a plain one: anything
    /// with `..`, escapes or odd characters is left to ServeDir, untagged.
    fn file_for(&self, uri_path: &str) -> Option<PathBuf> {
        let rel = uri_path.strip_prefix("/registry/")?;
        let plain = !rel.is_empty()
            && rel.split('/').all(|seg| {
                !seg.is_empty()
                    && !seg.starts_with('.')
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            });
        plain.then(|| self.root.join("registry").join(rel))
    }

    async fn etag(&self, file: &Path) -> Option<HeaderValue> {
        let meta = tokio::fs::metadata(file).await.ok()?;
        if !meta.is_file() {
            return None;
        }
        let (len, mtime) = (meta.len(), meta.modified().ok()?);
        {
            let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((l, m, tag)) = map.get(file) {
                if *l == len && *m == mtime {
                    return Some(tag.clone());
                }
            }
        }
        let bytes = tokio::fs::read(file).await.ok()?;
        let hash = Sha256::digest(&bytes);
        let hex: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let tag = HeaderValue::from_str(&format!("\"{hex}\"")).ok()?;
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(file.to_path_buf(), (len, mtime, tag.clone()));
        Some(tag)
    }
}

/// `If-None-Match` holds `tag` (or `*`); weak comparison, as RFC 9110 asks for GET.
fn matches(if_none_match: &HeaderValue, tag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let Ok(tag) = tag.to_str() else {
        return false;
    };
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// Registries are public, signed data that extensions fetch from their own
/// origin: any origin may read them, and the conditional request's
/// `If-None-Match` header (not CORS-safelisted) is allowed by preflight.
fn allow_any_origin(h: &mut axum::http::HeaderMap) {
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag"),
    );
}

pub async fn registry_etag(State(cache): State<EtagCache>, req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS && req.uri().path().starts_with("/registry/") {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        let h = r.headers_mut();
        allow_any_origin(h);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("If-None-Match"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        return r;
    }
    let get = req.method() == Method::GET || req.method() == Method::HEAD;
    let file = get.then(|| cache.file_for(req.uri().path())).flatten();
    let Some(file) = file else {
        return next.run(req).await;
    };
    let Some(tag) = cache.etag(&file).await else {
        // A missing registry is still answered readably across origins, so
        // an extension can tell "404" from "network down".
        let mut res = next.run(req).await;
        allow_any_origin(res.headers_mut());
        return res;
    };
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|inm| matches(inm, &tag));
    let mut res = if not_modified {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        next.run(req).await
    };
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let h = res.headers_mut();
        h.insert(header::ETAG, tag);
        // Revalidate every time: a stale registry is what the ETag prevents.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        allow_any_origin(h);
    }
    res
}
