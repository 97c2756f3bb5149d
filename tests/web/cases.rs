// The browser I/O of the updater and the outbox (src/browser.rs,
// src/updater/web.rs), run by wasm-bindgen-test in headless Chromium and
// Firefox: `tests/web_worker.rs` in a service worker (Chrome's background),
// `tests/web_window.rs` in a window (Firefox's background page). Included by
// both; `make test-web` runs them (scripts/test-web.sh).
//
// The registry host is a `data:` URL (fetch reads it like any other
// response) and `storage.local` is a small in-memory stand-in: web-sys has
// no extension APIs, and a page the test runner serves has none either. The
// real `storage.local`, IndexedDB and inbox meet in the e2e suites.

use genuine_core::browser::{self, read_body, serial, BodyError, Idb, StorageArea};
use genuine_core::time::Timestamp;
use genuine_core::{Registry, SecretKey};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[wasm_bindgen(inline_js = "
export function memoryStorage() {
  const m = new Map();
  return {
    async get(k) { return m.has(k) ? { [k]: structuredClone(m.get(k)) } : {}; },
    async set(items) { for (const [k, v] of Object.entries(items)) m.set(k, structuredClone(v)); },
    async remove(k) { for (const x of [].concat(k)) m.delete(x); },
  };
}
export function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
export function tick() { return new Promise((r) => setTimeout(r, 1)); }
")]
extern "C" {
    fn memoryStorage() -> StorageArea;
    #[wasm_bindgen(js_name = toBase64)]
    fn to_base64(bytes: &[u8]) -> String;
    fn tick() -> js_sys::Promise;
}

/// A fixed test key (never a real one): 32 bytes of 7.
fn key() -> SecretKey {
    use base64::Engine as _;
    let seed = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    SecretKey::parse(&format!("genuine-secret-key/1 {seed}")).expect("test key")
}

fn signed(version: u64) -> Vec<u8> {
    let now = Timestamp::now().0;
    let reg = Registry {
        format: genuine_core::registry::FORMAT,
        publisher: "web test".into(),
        version,
        issued_at: Timestamp(now - 60),
        expires_at: Timestamp(now + 86_400),
        ..Registry::default()
    };
    key().sign(&genuine_core::registry::compile(&reg))
}

fn data_url(bytes: &[u8]) -> String {
    format!("data:application/octet-stream;base64,{}", to_base64(bytes))
}

fn source(id: &str, url: &str) -> JsValue {
    let s = Object::new();
    browser::set(&s, "id", id).expect("id");
    browser::set(&s, "url", url).expect("url");
    s.into()
}

fn public_key() -> String {
    key().public().to_file()
}

async fn update(
    storage: &StorageArea,
    id: &str,
    bytes: &[u8],
    held: Option<f64>,
) -> (String, Option<String>) {
    let r = genuine_core::updater::web::update_source(
        source(id, &data_url(bytes)),
        public_key(),
        held,
        storage.clone(),
    )
    .await
    .expect("updateSource resolves");
    (
        browser::str_of(&r, "result").unwrap_or_default(),
        browser::str_of(&r, "error"),
    )
}

#[wasm_bindgen_test]
async fn an_update_is_verified_kept_and_never_rolled_back() {
    let storage = memoryStorage();
    let id = format!("web:{}", js_sys::Math::random());
    assert_eq!(update(&storage, &id, &signed(10), None).await.0, "updated");
    // The copy is in IndexedDB with its checksum and version.
    let cache = Idb { db: "genuine", store: "registries" };
    let entry = cache.get(&id).await.expect("idb").expect("cached");
    assert_eq!(browser::num_of(&entry, "version"), Some(10.0));
    assert!(browser::str_of(&entry, "checksum").is_some());
    // Same version while its engine is in use: unchanged.
    assert_eq!(update(&storage, &id, &signed(10), Some(10.0)).await.0, "unchanged");
    // Older: refused, the cached copy stays.
    let (r, why) = update(&storage, &id, &signed(9), Some(10.0)).await;
    assert_eq!(r, "failed");
    assert!(why.unwrap_or_default().contains("rollback"));
    // Tampered: one byte of the payload changed after signing.
    let mut bad = signed(11);
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let (r, why) = update(&storage, &id, &bad, Some(10.0)).await;
    assert_eq!(r, "failed", "{why:?}");
    let entry = cache.get(&id).await.expect("idb").expect("still cached");
    assert_eq!(browser::num_of(&entry, "version"), Some(10.0));
    // The status the options page reads says what happened last.
    let status = storage.read(&format!("status:{id}")).await.expect("status").expect("set");
    assert!(browser::str_of(&status, "error").is_some());
    assert!(browser::str_of(&status, "lastUpdate").is_some());
    // Newer: taken.
    assert_eq!(update(&storage, &id, &signed(11), Some(10.0)).await.0, "updated");
    cache.delete(&id).await.expect("delete");
    assert!(cache.get(&id).await.expect("idb").is_none());
}

#[wasm_bindgen_test]
async fn a_wake_drops_a_corrupted_copy_and_downloads_again() {
    let storage = memoryStorage();
    let id = format!("web:{}", js_sys::Math::random());
    let good = signed(20);
    assert_eq!(update(&storage, &id, &good, None).await.0, "updated");
    // Corrupt the stored bytes, as a broken disk would.
    let cache = Idb { db: "genuine", store: "registries" };
    let entry = cache.get(&id).await.expect("idb").expect("cached");
    let bytes = Uint8Array::new(&Reflect::get(&entry, &"bytes".into()).expect("bytes"));
    bytes.set_index(bytes.length() - 1, bytes.get_index(bytes.length() - 1) ^ 1);
    Reflect::set(&entry, &"bytes".into(), &bytes.buffer()).expect("set");
    cache.put(&id, &entry).await.expect("put");
    let engine = genuine_core::updater::web::load_source(source(&id, &data_url(&good)), public_key(), storage.clone())
        .await
        .expect("loadSource");
    assert!(!engine.is_undefined(), "downloaded again at once");
    let status = storage.read(&format!("status:{id}")).await.expect("status").expect("set");
    let error = browser::str_of(&status, "error").unwrap_or_default();
    assert!(error.contains("cached copy dropped") && error.contains("downloaded again"), "{error}");
    cache.delete(&id).await.expect("delete");
}

#[wasm_bindgen_test]
async fn a_body_is_read_only_up_to_its_bound() {
    let mut bytes = vec![42u8; 300_000];
    let response = web_sys::Response::new_with_opt_u8_array(Some(&mut bytes)).expect("response");
    match read_body(&response, 100_000).await {
        Err(BodyError::TooLarge(n)) => assert!((100_000..=300_000).contains(&n), "{n}"),
        Ok(b) => panic!("read {} bytes past the bound", b.len()),
        Err(BodyError::Failed(e)) => panic!("{e:?}"),
    }
    let response = web_sys::Response::new_with_opt_u8_array(Some(&mut bytes)).expect("response");
    assert_eq!(read_body(&response, 300_000).await.ok().map(|b| b.len()), Some(300_000));
}

#[wasm_bindgen_test]
async fn serial_sections_never_interleave() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let log = Rc::new(RefCell::new(Vec::new()));
    let section = |name: &'static str, log: Rc<RefCell<Vec<String>>>| async move {
        serial(async {
            log.borrow_mut().push(format!("{name} in"));
            for _ in 0..3 {
                JsFuture::from(tick()).await.expect("tick");
            }
            log.borrow_mut().push(format!("{name} out"));
        })
        .await
    };
    futures_join(section("a", log.clone()), section("b", log.clone())).await;
    assert_eq!(*log.borrow(), vec!["a in", "a out", "b in", "b out"]);
}

/// Runs two futures at once (no futures crate in the wasm build).
async fn futures_join(a: impl std::future::Future<Output = ()> + 'static, b: impl std::future::Future<Output = ()> + 'static) {
    let pa = wasm_bindgen_futures::future_to_promise(async move {
        a.await;
        Ok(JsValue::UNDEFINED)
    });
    let pb = wasm_bindgen_futures::future_to_promise(async move {
        b.await;
        Ok(JsValue::UNDEFINED)
    });
    JsFuture::from(pa).await.expect("a");
    JsFuture::from(pb).await.expect("b");
}

fn report(id: &str) -> JsValue {
    let r = Object::new();
    browser::set(&r, "id", id).expect("id");
    browser::set(&r, "store_name", "Amvvay 0fficial Store").expect("store");
    browser::set(&r, "platform", "amazon").expect("platform");
    r.into()
}

async fn submit(storage: &StorageArea, id: &str, endpoint: &str) -> Result<JsValue, JsValue> {
    genuine_core::outbox::web::outbox_submit(storage.clone(), report(id), endpoint.to_string()).await
}

#[wasm_bindgen_test]
async fn a_report_goes_once_and_waits_while_the_inbox_is_away() {
    let storage = memoryStorage();
    // An inbox that answers with a receipt (a data: URL answers any method).
    let inbox = format!(
        "data:application/json;base64,{}",
        to_base64(br#"{"reference":"GEN-000042","status":"received"}"#)
    );
    let sent = submit(&storage, "r-1", &inbox).await.expect("submitted");
    assert_eq!(browser::str_of(&sent, "state").as_deref(), Some("received"));
    assert_eq!(browser::str_of(&sent, "reference").as_deref(), Some("GEN-000042"));
    // Its body is gone once the inbox has it.
    assert!(storage.read("report:r-1").await.expect("read").is_none());
    // The same id again: the same entry, nothing queued.
    let again = submit(&storage, "r-1", &inbox).await.expect("again");
    assert_eq!(browser::str_of(&again, "reference").as_deref(), Some("GEN-000042"));
    // No inbox listening: queued, the body kept, an alarm asked for.
    let away = submit(&storage, "r-2", "http://127.0.0.1:9/api/reports").await.expect("queued");
    assert_eq!(browser::str_of(&away, "state").as_deref(), Some("queued"));
    assert!(storage.read("report:r-2").await.expect("read").is_some());
    let next = JsFuture::from(genuine_core::outbox::web::flush(storage.clone()))
        .await
        .expect("flush");
    let wait = next.as_f64().expect("an alarm") - js_sys::Date::now();
    assert!((25_000.0..=31_000.0).contains(&wait), "first retry in {wait} ms");
    let list = genuine_core::outbox::web::outbox_list(storage.clone()).await.expect("list");
    assert_eq!(js_sys::Array::from(&list).length(), 2);
}

// Values cross the wasm boundary through their JSON (`browser::to_js`,
// `from_js`; issue 17 dropped serde-wasm-bindgen for it): the JS side must
// keep seeing what serde-wasm-bindgen's `json_compatible` gave it.
#[wasm_bindgen_test]
fn values_cross_as_the_plain_objects_js_reads() {
    let value = serde_json::json!({
        "none": null, "largest": 9_007_199_254_740_991u64, "list": [1, "a"], "map": {"k": true},
    });
    let js = browser::to_js(&value).expect("to_js");
    let get = |o: &JsValue, k: &str| Reflect::get(o, &JsValue::from_str(k)).expect("get");
    // `null`, not `undefined`: the extension tests `=== null` on absent parts.
    assert!(get(&js, "none").is_null());
    assert_eq!(get(&js, "largest").as_f64(), Some(9_007_199_254_740_991.0));
    assert!(js_sys::Array::is_array(&get(&js, "list")));
    // A plain object, not a JS `Map`.
    let map = get(&js, "map");
    assert!(!map.is_instance_of::<js_sys::Map>());
    assert_eq!(get(&map, "k").as_bool(), Some(true));

    let back: serde_json::Value = browser::from_js(&js).expect("from_js");
    assert_eq!(back, value);
    // A field set to `undefined` is absent (what the content script sends
    // for a part the page lacks); `undefined` itself is no value at all.
    let o = Object::new();
    Reflect::set(&o, &"gone".into(), &JsValue::UNDEFINED).expect("set");
    Reflect::set(&o, &"kept".into(), &JsValue::from(1)).expect("set");
    let back: serde_json::Value = browser::from_js(&o).expect("from_js");
    assert_eq!(back, serde_json::json!({"kept": 1}));
    assert!(browser::from_js::<serde_json::Value>(&JsValue::UNDEFINED).is_err());
}
