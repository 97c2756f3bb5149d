//! The updater in the browser: reads and writes the verified copies in
//! IndexedDB, asks hosts with `fetch`, and follows `updater`'s policy at
//! every step. The glue (extension/registry.js) hands in each source, its
//! pinned key and `storage.local` (where each source's status is kept for
//! the options page).
//!
//! The IndexedDB layout is the one the extension has always used (database
//! `genuine`, store `registries`, keyed by source id, values `{bytes,
//! checksum, etag, version, fetchedAt}`), so a copy cached by an earlier
//! version is read as it is.

use js_sys::{Object, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{RequestCache, RequestCredentials, RequestInit, Response};

use super::{
    on_answer, on_download, on_head, on_patch_answer, on_start, status_after, wants_patch, Answer,
    CacheMeta, CacheRead, Decision, Downloaded, Head, Held, Next, SourceFacts, Status, UpdateError,
    Via,
};
use crate::browser::{self, message, num_of, str_of, BodyError, Idb, StorageArea};
use crate::time::Timestamp;
use crate::wasm::Engine;

const CACHE: Idb = Idb {
    db: "genuine",
    store: "registries",
};
/// A registry request that takes longer is given up (and tried at the next
/// alarm); it bounds a host that trickles bytes.
const FETCH_TIMEOUT_MS: u32 = 120_000;

/// A source as the glue describes it: `id`, and `url` (where updates come
/// from) and `bundled` (the copy shipped with the build, as a full URL)
/// when it has them.
struct Source {
    id: String,
    url: Option<String>,
    bundled: Option<String>,
}

impl Source {
    fn read(v: &JsValue) -> Result<Source, JsValue> {
        Ok(Source {
            id: str_of(v, "id").ok_or_else(|| browser::error("a source needs an id"))?,
            url: str_of(v, "url").filter(|u| !u.is_empty()),
            bundled: str_of(v, "bundled").filter(|u| !u.is_empty()),
        })
    }
}

fn status_key(id: &str) -> String {
    format!("status:{id}")
}

async fn read_status(storage: &StorageArea, id: &str) -> Status {
    match storage.read(&status_key(id)).await {
        Ok(Some(v)) => browser::from_js(&v).unwrap_or_default(),
        _ => Status::default(),
    }
}

async fn write_status(storage: &StorageArea, id: &str, status: &Status) -> Result<(), JsValue> {
    let v = browser::to_js(status)?;
    storage.write(&status_key(id), &v).await
}

/// The cached copy's bytes and what was kept beside them.
async fn read_cache(id: &str) -> Option<(Vec<u8>, CacheMeta)> {
    let entry = CACHE.get(id).await.ok().flatten()?;
    let bytes = js_sys::Reflect::get(&entry, &JsValue::from_str("bytes")).ok()?;
    let bytes = Uint8Array::new(&bytes).to_vec();
    let meta = CacheMeta {
        version: num_of(&entry, "version").unwrap_or(0.0) as u64,
        etag: str_of(&entry, "etag"),
        checksum: str_of(&entry, "checksum"),
    };
    Some((bytes, meta))
}

/// Loads the engine a source starts a worker wake with (see
/// [`super::on_start`]): the cached copy, else the bundled one, else a
/// download. `undefined` when the source has no copy yet; one source's
/// trouble is its status's, never the other sources'.
#[wasm_bindgen(js_name = loadSource)]
pub async fn load_source(
    source: JsValue,
    key: String,
    storage: StorageArea,
) -> Result<JsValue, JsValue> {
    let src = Source::read(&source)?;
    let mut engine = None;
    let read = match read_cache(&src.id).await {
        None => CacheRead::Missing,
        Some((bytes, meta)) => {
            // Copies cached before checksums were kept are verified in full.
            let loaded = match &meta.checksum {
                Some(sum) => Engine::load_cached(bytes, &key, sum),
                None => Engine::load(bytes, &key),
            };
            match loaded {
                Ok(e) => {
                    engine = Some(e);
                    CacheRead::Loaded
                }
                Err(e) => CacheRead::Corrupt {
                    version: meta.version,
                    why: message(&e),
                },
            }
        }
    };
    // The status is read only when the cached copy did not load: a wake
    // with a good copy (most of them) does no more storage reads than it must.
    let status = match read {
        CacheRead::Loaded => Status::default(),
        _ => read_status(&storage, &src.id).await,
    };
    let facts = SourceFacts {
        has_bundled: src.bundled.is_some(),
        has_url: src.url.is_some(),
        last_check: status
            .last_check
            .as_deref()
            .and_then(|t| Timestamp::parse(t).ok()),
    };
    let start = on_start(read, facts, Timestamp::now());
    if start.drop_cache {
        let _ = CACHE.delete(&src.id).await;
    }
    if let Some(error) = &start.error {
        let s = Status {
            error: Some(error.clone()),
            ..status.clone()
        };
        let _ = write_status(&storage, &src.id, &s).await;
    }
    if let (true, Some(url)) = (start.bundled, &src.bundled) {
        let response = browser::fetch(url, &RequestInit::new(), FETCH_TIMEOUT_MS).await?;
        let bytes = browser::read_body(&response, super::MAX_DOWNLOAD_BYTES)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge(n) => browser::error(UpdateError::TooLarge(n)),
                BodyError::Failed(e) => e,
            })?;
        engine = Some(Engine::load(bytes, &key)?);
    }
    if let Some(floor) = start.download {
        let held = Held {
            engine: None,
            cached: None,
            floor,
        };
        if let (Ok(Some(e)), mut written) = update(&src, &key, held, &storage).await {
            engine = Some(e);
            if let Some(dropped) = &start.error {
                written.error = Some(format!("{dropped}; downloaded again"));
                let _ = write_status(&storage, &src.id, &written).await;
            }
        }
    }
    Ok(engine.map(JsValue::from).unwrap_or(JsValue::UNDEFINED))
}

/// Asks a source's host for a newer copy. `held`: the version of the engine
/// in use for it, if any. Answers `{result: "updated", engine}`,
/// `{result: "unchanged"}` or `{result: "failed", error}`; the status says
/// the same for the options page.
#[wasm_bindgen(js_name = updateSource)]
pub async fn update_source(
    source: JsValue,
    key: String,
    held: Option<f64>,
    storage: StorageArea,
) -> Result<JsValue, JsValue> {
    let src = Source::read(&source)?;
    let held = Held {
        engine: held.map(|v| v as u64),
        cached: None,
        floor: 0,
    };
    let out = Object::new();
    match update(&src, &key, held, &storage).await.0 {
        Ok(Some(e)) => {
            browser::set(&out, "result", "updated")?;
            browser::set(&out, "engine", e)?;
        }
        Ok(None) => browser::set(&out, "result", "unchanged")?,
        Err(e) => {
            browser::set(&out, "result", "failed")?;
            browser::set(&out, "error", e.to_string())?;
        }
    }
    Ok(out.into())
}

/// One update attempt, start to end: the new engine when a newer copy was
/// verified and cached, nothing when the copy in use is current, else why
/// not; and the status written for it (the options page's).
async fn update(
    src: &Source,
    key: &str,
    mut held: Held,
    storage: &StorageArea,
) -> (Result<Option<Engine>, UpdateError>, Status) {
    let now = Timestamp::now();
    let old = read_status(storage, &src.id).await;
    let cached = read_cache(&src.id).await;
    held.cached = cached.as_ref().map(|(_, c)| c.version);
    let outcome = match &src.url {
        Some(url) => fetch_verified(url, key, held, cached).await,
        None => Ok(None),
    };
    let engine = match outcome {
        Ok(Some((engine, bytes, meta, via))) => match store(&src.id, &bytes, &meta).await {
            Ok(()) => Ok(Some((engine, via))),
            Err(e) => Err(UpdateError::Refused(format!(
                "could not keep the new copy: {}",
                message(&e)
            ))),
        },
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    let via = engine
        .as_ref()
        .map(|e| e.as_ref().map(|(_, via)| via.clone()))
        .map_err(Clone::clone);
    let status = status_after(&old, &via, now);
    let _ = write_status(storage, &src.id, &status).await;
    (engine.map(|e| e.map(|(e, _)| e)), status)
}

type Fetched = (Engine, Uint8Array, CacheMeta, Via);

fn answer_of(response: &Result<Response, JsValue>) -> Answer {
    match response {
        Err(e) => Answer::Network(message(e)),
        Ok(r) => Answer::Http {
            status: r.status(),
            length: r
                .headers()
                .get("content-length")
                .ok()
                .flatten()
                .and_then(|n| n.trim().parse().ok()),
        },
    }
}

fn request(method: &str, etag: Option<&str>) -> Result<RequestInit, UpdateError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_cache(RequestCache::NoStore);
    init.set_credentials(RequestCredentials::Omit);
    let headers = web_sys::Headers::new().map_err(refused)?;
    if let Some(etag) = etag {
        headers.set("If-None-Match", etag).map_err(refused)?;
    }
    init.set_headers(&headers);
    Ok(init)
}

/// Asks for a newer copy: with a verified cached copy, first whether the
/// file changed (HEAD) and then for the patch from that copy; the whole
/// file when there is no patch, or it does not give a file that verifies.
async fn fetch_verified(
    url: &str,
    key: &str,
    held: Held,
    cached: Option<(Vec<u8>, CacheMeta)>,
) -> Result<Option<Fetched>, UpdateError> {
    let meta = cached.as_ref().map(|(_, m)| m);
    let etag = super::if_none_match(meta);
    let mut refused_patch = None;
    if let (true, Some((base, meta))) = (wants_patch(meta), &cached) {
        let head = browser::fetch(url, &request("HEAD", etag)?, FETCH_TIMEOUT_MS).await;
        match on_head(&answer_of(&head)) {
            Head::Unchanged => return Ok(None),
            Head::Download => {}
            Head::Patch => {
                let new_etag = head
                    .ok()
                    .and_then(|r| r.headers().get("etag").ok().flatten());
                match patched(url, key, held, base, meta, new_etag).await {
                    Ok(found) => {
                        if let Some(found) = found {
                            return Ok(Some(found));
                        }
                    }
                    Err(why) => refused_patch = Some(why),
                }
            }
        }
    }
    let response = browser::fetch(url, &request("GET", etag)?, FETCH_TIMEOUT_MS).await;
    let limit = match on_answer(url, answer_of(&response)) {
        Next::Unchanged => return Ok(None),
        Next::Fail(e) => return Err(e),
        Next::Read { limit } => limit,
    };
    let Ok(response) = response else {
        return Ok(None);
    };
    let bytes = browser::read_body(&response, limit)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge(n) => UpdateError::TooLarge(n),
            BodyError::Failed(e) => UpdateError::Network {
                url: url.to_string(),
                why: message(&e),
            },
        })?;
    let new_etag = response.headers().get("etag").ok().flatten();
    let via = Via::Download {
        refused: refused_patch,
    };
    verified(bytes, key, held, new_etag, via)
}

/// The patch from the cached copy, applied and verified: `Ok(None)` when
/// the host has none for this version, `Err` (why) when it is refused.
async fn patched(
    url: &str,
    key: &str,
    held: Held,
    base: &[u8],
    meta: &CacheMeta,
    new_etag: Option<String>,
) -> Result<Option<Fetched>, String> {
    let at = crate::registry::patch::url_for(url, meta.version);
    let response = browser::fetch(
        &at,
        &request("GET", None).map_err(|e| e.to_string())?,
        FETCH_TIMEOUT_MS,
    )
    .await;
    let Some(limit) = on_patch_answer(&answer_of(&response)) else {
        return Ok(None);
    };
    let Ok(response) = response else {
        return Ok(None);
    };
    let bytes = browser::read_body(&response, limit)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge(n) => format!("the patch is larger than {n} bytes"),
            BodyError::Failed(e) => message(&e),
        })?;
    let public = crate::PublicKey::parse(key).map_err(|e| e.to_string())?;
    let target = crate::registry::patch::apply(&bytes, &public, base).map_err(|e| e.to_string())?;
    verified(target, key, held, new_etag, Via::Patch).map_err(|e| e.to_string())
}

/// A new file's bytes verified and judged (`on_download`): the engine and
/// what to cache, or `None` when it is the version in use.
fn verified(
    bytes: Vec<u8>,
    key: &str,
    held: Held,
    etag: Option<String>,
    via: Via,
) -> Result<Option<Fetched>, UpdateError> {
    // Taken before the bytes move into the engine, which keeps them.
    let checksum = crate::registry::checksum(&bytes);
    let copy = Uint8Array::from(&bytes[..]);
    let loaded = Engine::load(bytes, key).map_err(|e| message(&e));
    let verdict = loaded
        .as_ref()
        .map(Engine::downloaded)
        .map_err(Clone::clone);
    match on_download(held, verdict) {
        Decision::Unchanged => Ok(None),
        Decision::Fail(e) => Err(e),
        Decision::Replace => {
            let engine = loaded.map_err(UpdateError::Refused)?;
            let meta = CacheMeta {
                version: engine.downloaded().version,
                etag,
                checksum: Some(checksum),
            };
            Ok(Some((engine, copy, meta, via)))
        }
    }
}

fn refused(e: JsValue) -> UpdateError {
    UpdateError::Refused(message(&e))
}

async fn store(id: &str, bytes: &Uint8Array, meta: &CacheMeta) -> Result<(), JsValue> {
    let entry = Object::new();
    browser::set(&entry, "bytes", bytes.buffer())?;
    browser::set(&entry, "checksum", meta.checksum.clone())?;
    browser::set(&entry, "etag", meta.etag.clone())?;
    browser::set(&entry, "version", meta.version as f64)?;
    browser::set(&entry, "fetchedAt", Timestamp::now().to_string())?;
    CACHE.put(id, &entry).await
}

/// The update alarm (`{delayInMinutes, periodInMinutes}`) for a random `r`
/// in `[0, 1)`; see [`super::alarm`].
#[wasm_bindgen(js_name = updateAlarm)]
pub fn update_alarm(r: f64) -> Result<JsValue, JsValue> {
    let (delay, period) = super::alarm(r);
    let out = Object::new();
    browser::set(&out, "delayInMinutes", delay)?;
    browser::set(&out, "periodInMinutes", period)?;
    Ok(out.into())
}

impl Engine {
    /// What the update policy needs of a verified download.
    fn downloaded(&self) -> Downloaded {
        Downloaded {
            version: self.version(),
        }
    }
}
