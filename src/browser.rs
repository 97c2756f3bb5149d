//! The browser I/O the updater and the outbox need, as small async Rust
//! functions over web-sys: `fetch` (with a byte bound and a timeout),
//! IndexedDB, the extension's `storage.local`, and a lock that keeps one
//! read-modify-write of the stored state at a time. No policy here: what to
//! ask for and what an answer means is `updater` and `outbox`.
//!
//! The same code runs in Chrome's service worker and Firefox's background
//! page, so the global scope is whichever of `WorkerGlobalScope` and
//! `Window` this is.

use std::cell::RefCell;

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, IdbDatabase, IdbFactory, IdbObjectStore, IdbRequest, IdbTransactionMode,
    ReadableStreamDefaultReader, Request, RequestInit, Response, WorkerGlobalScope,
};

#[wasm_bindgen]
extern "C" {
    /// A `chrome.storage`/`browser.storage` area (`storage.local`): web-sys
    /// has no binding for extension APIs, so the glue hands it in.
    pub type StorageArea;
    #[wasm_bindgen(method, catch)]
    async fn get(this: &StorageArea, keys: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn set(this: &StorageArea, items: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn remove(this: &StorageArea, keys: &JsValue) -> Result<JsValue, JsValue>;
}

/// A JS `Error` with this message.
pub fn error(msg: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&msg.to_string()).into()
}

/// `v` as the plain JS object its JSON is (`null` for `None`, numbers for
/// integers below 2^53).
///
/// Values cross as JSON text through the browser's own `JSON.parse` and
/// `JSON.stringify`, not field by field (serde-wasm-bindgen): serde_json is in
/// the core anyway (registries, reports, profiles), so a type that crosses
/// needs one (de)serializer in the wasm instead of two, and the
/// serde-wasm-bindgen crate is not in it at all (issue 17, the wasm's size).
pub fn to_js<T: serde::Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&serde_json::to_string(v).map_err(error)?)
}

/// A plain JS value read as `T`, through its JSON (see `to_js`).
pub fn from_js<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, JsValue> {
    let json = js_sys::JSON::stringify(v)?
        .as_string()
        .ok_or_else(|| error("expected a value, not undefined"))?;
    serde_json::from_str(&json).map_err(error)
}

/// What a thrown JS value says, for a status line.
pub fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

/// `Date.now()`: milliseconds since 1970.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Another handle on the same storage area (extern types are not `Clone`).
impl Clone for StorageArea {
    fn clone(&self) -> Self {
        JsValue::from(self).unchecked_into()
    }
}

impl StorageArea {
    /// The value stored under `key`, if any.
    pub async fn read(&self, key: &str) -> Result<Option<JsValue>, JsValue> {
        let all = self.get(&JsValue::from_str(key)).await?;
        let v = Reflect::get(&all, &JsValue::from_str(key))?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    /// Stores `value` under `key`.
    pub async fn write(&self, key: &str, value: &JsValue) -> Result<(), JsValue> {
        let items = Object::new();
        Reflect::set(&items, &JsValue::from_str(key), value)?;
        self.set(&items).await.map(|_| ())
    }

    pub async fn delete(&self, key: &str) -> Result<(), JsValue> {
        self.remove(&JsValue::from_str(key)).await.map(|_| ())
    }
}

thread_local! {
    /// The tail of the queue of [`serial`] sections: a promise that resolves
    /// when the last one queued has finished.
    static CHAIN: RefCell<Promise> = RefCell::new(Promise::resolve(&JsValue::UNDEFINED));
}

/// Runs `f` after every section queued before it has finished: a worker
/// runs an update, a flush, a send and a popup's poll at once, and a
/// read-modify-write of stored state must not lose another's change.
pub async fn serial<T, F: std::future::Future<Output = T>>(f: F) -> T {
    let mut release: Option<js_sys::Function> = None;
    let mine = Promise::new(&mut |resolve, _| release = Some(resolve));
    let before = CHAIN.with(|c| c.replace(mine));
    // The section before may have failed; it is finished all the same.
    let _ = JsFuture::from(before).await;
    let out = f.await;
    if let Some(release) = release {
        let _ = release.call0(&JsValue::NULL);
    }
    out
}

/// `fetch(request)` in a worker or a window.
fn fetch_promise(request: &Request) -> Result<Promise, JsValue> {
    let global = js_sys::global();
    if let Some(w) = global.dyn_ref::<WorkerGlobalScope>() {
        return Ok(w.fetch_with_request(request));
    }
    if let Some(w) = global.dyn_ref::<web_sys::Window>() {
        return Ok(w.fetch_with_request(request));
    }
    Err(error("no fetch in this global scope"))
}

/// Fetches with an abort after `timeout_ms` (the timer is gloo's; it is
/// cancelled when the answer arrives first). The error is the browser's
/// own message (offline, DNS, CORS, redirect refused, aborted).
pub async fn fetch(url: &str, init: &RequestInit, timeout_ms: u32) -> Result<Response, JsValue> {
    let abort = AbortController::new()?;
    init.set_signal(Some(&abort.signal()));
    let request = Request::new_with_str_and_init(url, init)?;
    let timer = gloo_timers::callback::Timeout::new(timeout_ms, move || abort.abort());
    let answer = JsFuture::from(fetch_promise(&request)?).await;
    drop(timer);
    answer?.dyn_into::<Response>()
}

/// Why a body could not be read in full.
pub enum BodyError {
    /// More than the limit: how many bytes had arrived when reading stopped.
    TooLarge(u64),
    Failed(JsValue),
}

/// Reads a response body, stopping as soon as it passes `limit` bytes, so
/// a host that sends no `Content-Length` (or a false one) cannot make the
/// worker hold more than that.
pub async fn read_body(response: &Response, limit: u64) -> Result<Vec<u8>, BodyError> {
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|o| BodyError::Failed(o.into()))?;
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(BodyError::Failed)?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done")).map_err(BodyError::Failed)?;
        if done.is_truthy() {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))
            .map_err(BodyError::Failed)?
            .dyn_into()
            .map_err(BodyError::Failed)?;
        let total = out.len() as u64 + u64::from(value.length());
        if total > limit {
            let _ = reader.cancel();
            return Err(BodyError::TooLarge(total));
        }
        let at = out.len();
        out.resize(at + value.length() as usize, 0);
        value.copy_to(&mut out[at..]);
    }
}

/// A promise for an IndexedDB request: its result, or its error.
fn request_done(req: &IdbRequest) -> JsFuture {
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = req.clone();
        let failed = Closure::once_into_js(move || {
            let why = r
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or_else(|| error("IndexedDB request failed"));
            let _ = reject.call1(&JsValue::NULL, &why);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(failed.unchecked_ref()));
    });
    JsFuture::from(promise)
}

fn factory() -> Result<IdbFactory, JsValue> {
    let global = js_sys::global();
    let f = if let Some(w) = global.dyn_ref::<WorkerGlobalScope>() {
        w.indexed_db()?
    } else if let Some(w) = global.dyn_ref::<web_sys::Window>() {
        w.indexed_db()?
    } else {
        None
    };
    f.ok_or_else(|| error("no IndexedDB in this global scope"))
}

/// One IndexedDB object store (database `db`, version 1, one store named
/// like the database's purpose), values keyed by string.
pub struct Idb {
    pub db: &'static str,
    pub store: &'static str,
}

impl Idb {
    async fn open(&self) -> Result<IdbDatabase, JsValue> {
        let open = factory()?.open_with_u32(self.db, 1)?;
        let store = self.store;
        let o = open.clone();
        let upgrade = Closure::once_into_js(move || {
            if let Ok(db) = o.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                let _ = db.create_object_store(store);
            }
        });
        open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        request_done(&open).await?.dyn_into()
    }

    async fn with_store(
        &self,
        mode: IdbTransactionMode,
        f: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>,
    ) -> Result<JsValue, JsValue> {
        let db = self.open().await?;
        let out = async {
            let tx = db.transaction_with_str_and_mode(self.store, mode)?;
            let req = f(&tx.object_store(self.store)?)?;
            let value = request_done(&req).await?;
            // A write counts once its transaction has committed.
            if mode == IdbTransactionMode::Readwrite {
                let done = Promise::new(&mut |resolve, reject| {
                    let ok = Closure::once_into_js(move || {
                        let _ = resolve.call0(&JsValue::NULL);
                    });
                    // Either ends the transaction; each gets its own closure.
                    let rejecting = |reject: js_sys::Function| {
                        Closure::once_into_js(move || {
                            let _ = reject.call1(&JsValue::NULL, &error("IndexedDB write failed"));
                        })
                    };
                    tx.set_oncomplete(Some(ok.unchecked_ref()));
                    tx.set_onerror(Some(rejecting(reject.clone()).unchecked_ref()));
                    tx.set_onabort(Some(rejecting(reject).unchecked_ref()));
                });
                JsFuture::from(done).await?;
            }
            Ok(value)
        }
        .await;
        db.close();
        out
    }

    pub async fn get(&self, key: &str) -> Result<Option<JsValue>, JsValue> {
        let v = self
            .with_store(IdbTransactionMode::Readonly, |s| {
                s.get(&JsValue::from_str(key))
            })
            .await?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    pub async fn put(&self, key: &str, value: &JsValue) -> Result<(), JsValue> {
        self.with_store(IdbTransactionMode::Readwrite, |s| {
            s.put_with_key(value, &JsValue::from_str(key))
        })
        .await
        .map(|_| ())
    }

    pub async fn delete(&self, key: &str) -> Result<(), JsValue> {
        self.with_store(IdbTransactionMode::Readwrite, |s| {
            s.delete(&JsValue::from_str(key))
        })
        .await
        .map(|_| ())
    }
}

/// A string property of a JS object, if it is one.
pub fn str_of(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// A number property of a JS object, if it is one.
pub fn num_of(obj: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_f64())
}

/// Sets `key` on a JS object.
pub fn set(obj: &Object, key: &str, value: impl Into<JsValue>) -> Result<(), JsValue> {
    Reflect::set(obj, &JsValue::from_str(key), &value.into()).map(|_| ())
}
