//! The outbox in the browser: the queue in `storage.local` (index under
//! `reports`, each body under `report:{id}` until the inbox has it), POSTs
//! with `fetch`, each step decided by `outbox`'s policy. The glue
//! (extension/reports.js) hands in `storage.local`, sets the alarm this
//! answers with, and puts our own error keys in the user's language.

use std::cell::{Cell, RefCell};

use js_sys::{Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{RequestCache, RequestCredentials, RequestInit, RequestRedirect, Response};

use super::{
    after_attempt, after_poll, before_attempt, due, next_alarm, put, status_url, to_poll, Attempt,
    Delivery, Entry, ErrorText, SubmitError, TIMEOUT_MS,
};
use crate::browser::{self, message, now_ms, serial, str_of, to_js, StorageArea};

const INDEX: &str = "reports";
/// A status lookup is a popup waiting: five seconds at most.
const POLL_TIMEOUT_MS: u32 = 5_000;

fn body_key(id: &str) -> String {
    format!("report:{id}")
}

/// The index, each entry read on its own: one that cannot be read (written
/// by an older version, or damaged) is left out rather than losing them all.
async fn read_index(storage: &StorageArea) -> Result<Vec<Entry>, JsValue> {
    let Some(v) = storage.read(INDEX).await? else {
        return Ok(Vec::new());
    };
    let items: Vec<serde_json::Value> = browser::from_js(&v).unwrap_or_default();
    Ok(items
        .into_iter()
        .filter_map(|e| serde_json::from_value(e).ok())
        .collect())
}

async fn write_index(storage: &StorageArea, list: &[Entry]) -> Result<(), JsValue> {
    storage.write(INDEX, &to_js(&list)?).await
}

/// A read-modify-write of the index, one at a time (see `browser::serial`).
async fn modify<R>(
    storage: &StorageArea,
    f: impl FnOnce(&mut Vec<Entry>) -> R,
) -> Result<R, JsValue> {
    serial(async {
        let mut list = read_index(storage).await?;
        let r = f(&mut list);
        write_index(storage, &list).await?;
        Ok(r)
    })
    .await
}

/// What the history shows of an entry: the summary's fields, the state, the
/// inbox's host (not its full address), and the error: `error` in the
/// inbox's or network's words, or `error_key` for a message of ours.
fn view(e: &Entry) -> Result<JsValue, JsValue> {
    let mut v = serde_json::Map::new();
    for (k, x) in &e.summary {
        v.insert(k.clone(), x.clone());
    }
    let host = e
        .endpoint
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or_default();
    v.insert("id".into(), e.id.clone().into());
    v.insert(
        "state".into(),
        serde_json::to_value(e.state).unwrap_or_default(),
    );
    v.insert("inbox".into(), host.into());
    v.insert("attempts".into(), e.attempts.into());
    v.insert("next_at".into(), e.next_ms.into());
    v.insert("queued_at".into(), e.queued_ms.into());
    v.insert("reference".into(), e.reference.clone().into());
    match &e.error {
        Some(ErrorText::Text(t)) => v.insert("error".into(), t.clone().into()),
        Some(ErrorText::Key(k)) => v.insert("error_key".into(), k.clone().into()),
        None => None,
    };
    to_js(&v)
}

/// What the history shows of a report: taken from its payload when queued.
fn summary(payload: &JsValue) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    for k in ["store_name", "platform", "category", "created_at"] {
        m.insert(k.into(), str_of(payload, k).into());
    }
    let verdict = Reflect::get(payload, &JsValue::from_str("verdict")).unwrap_or_default();
    m.insert("brand".into(), str_of(&verdict, "brand").into());
    m
}

/// Queues a checked report (`payload`, with its `id`) for `endpoint`, then
/// tries to send what is due. Answers its history entry. Throws an `Error`
/// with `free_ms` (when the next report may go) and `per_hour` (the limit)
/// over the hourly limit.
#[wasm_bindgen(js_name = outboxSubmit)]
pub async fn outbox_submit(
    storage: StorageArea,
    payload: JsValue,
    endpoint: String,
) -> Result<JsValue, JsValue> {
    let id = str_of(&payload, "id").ok_or_else(|| browser::error("a report needs an id"))?;
    let queued = serial(async {
        let mut list = read_index(&storage).await?;
        let known = list.iter().any(|e| e.id == id);
        let entry = super::submit(&mut list, &id, &endpoint, summary(&payload), now_ms());
        if let (Ok(_), false) = (&entry, known) {
            // The body first: an index entry never points at nothing.
            storage.write(&body_key(&id), &payload).await?;
            write_index(&storage, &list).await?;
        }
        Ok::<_, JsValue>(entry)
    })
    .await?;
    if let Err(SubmitError::RateLimited { free_ms }) = queued {
        let e = js_sys::Error::new("rate_limited");
        browser::set(&e, "free_ms", free_ms as f64)?;
        browser::set(&e, "per_hour", super::PER_HOUR as f64)?;
        return Err(e.into());
    }
    JsFuture::from(flush(storage.clone())).await?;
    let list = read_index(&storage).await?;
    match list.iter().find(|e| e.id == id) {
        Some(e) => view(e),
        None => Ok(JsValue::NULL),
    }
}

thread_local! {
    static FLUSHING: RefCell<Option<Promise>> = const { RefCell::new(None) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
}

/// Sends every queued report that is due. Resolves to when the alarm should
/// next fire (ms since 1970), or `null` when nothing waits. Concurrent calls
/// share the run in flight, which makes one more pass for reports queued
/// while it ran.
#[wasm_bindgen(js_name = outboxFlush)]
pub fn flush(storage: StorageArea) -> Promise {
    if let Some(running) = FLUSHING.with(|f| f.borrow().clone()) {
        AGAIN.with(|a| a.set(true));
        return running;
    }
    let run = future_to_promise(async move {
        let out = flush_passes(&storage).await;
        FLUSHING.with(|f| f.borrow_mut().take());
        out
    });
    FLUSHING.with(|f| *f.borrow_mut() = Some(run.clone()));
    run
}

async fn flush_passes(storage: &StorageArea) -> Result<JsValue, JsValue> {
    loop {
        AGAIN.with(|a| a.set(false));
        let list = serial(read_index(storage)).await?;
        for id in due(&list, now_ms()) {
            attempt(storage, &id).await?;
        }
        if !AGAIN.with(|a| a.get()) {
            break;
        }
    }
    let list = serial(read_index(storage)).await?;
    Ok(next_alarm(&list, now_ms()).map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64)))
}

async fn attempt(storage: &StorageArea, id: &str) -> Result<(), JsValue> {
    let step = serial(async {
        let list = read_index(storage).await?;
        let Some(e) = list.iter().find(|e| e.id == id) else {
            return Ok(None);
        };
        let body = storage.read(&body_key(id)).await?;
        Ok::<_, JsValue>(Some((before_attempt(e, body.is_some(), now_ms()), body)))
    })
    .await?;
    let Some((step, body)) = step else {
        return Ok(());
    };
    let sent = match step {
        Attempt::Finish(done) => return finish(storage, done).await,
        Attempt::Send(sent) => sent,
    };
    // 'sent' until the inbox answers: if the worker stops here, the next
    // flush finds it 'sent' and sends it again under the same id.
    modify(storage, |list| put(list, sent.clone())).await?;
    let delivery = post(&sent.endpoint, &body.unwrap_or_default()).await;
    let after = after_attempt(&sent, delivery, now_ms());
    if after.next_ms.is_none() {
        finish(storage, after).await
    } else {
        modify(storage, |list| put(list, after)).await.map(|_| ())
    }
}

/// A finished report: the inbox has it (or refused it for good), the body goes.
async fn finish(storage: &StorageArea, done: Entry) -> Result<(), JsValue> {
    let id = done.id.clone();
    modify(storage, |list| put(list, done)).await?;
    storage.delete(&body_key(&id)).await
}

/// One POST of a report to its inbox, and what came back.
async fn post(endpoint: &str, payload: &JsValue) -> Delivery {
    match try_post(endpoint, payload).await {
        Ok(d) => d,
        Err(e) => Delivery::Network(message(&e)),
    }
}

async fn try_post(endpoint: &str, payload: &JsValue) -> Result<Delivery, JsValue> {
    let init = RequestInit::new();
    init.set_method("POST");
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    init.set_headers(&headers);
    init.set_body(&JSON::stringify(payload)?.into());
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    // A report goes where the confirm step said, or nowhere.
    init.set_redirect(RequestRedirect::Error);
    let response = browser::fetch(endpoint, &init, TIMEOUT_MS).await?;
    let answer = json_of(&response).await;
    Ok(Delivery::Answer {
        status: response.status(),
        reference: field_text(&answer, "reference"),
        state: str_of(&answer, "status"),
        message: str_of(&answer, "message"),
        retry_after: response.headers().get("retry-after").ok().flatten(),
    })
}

/// The JSON body of an answer, or `{}` when it has none.
async fn json_of(response: &Response) -> JsValue {
    match response.json() {
        Ok(p) => JsFuture::from(p)
            .await
            .unwrap_or_else(|_| Object::new().into()),
        Err(_) => Object::new().into(),
    }
}

/// A string or number field as text (references are numbers in some inboxes).
fn field_text(obj: &JsValue, key: &str) -> Option<String> {
    let v = Reflect::get(obj, &JsValue::from_str(key)).ok()?;
    v.as_string().or_else(|| v.as_f64().map(|n| n.to_string()))
}

/// Asks the inboxes how the user's delivered reports stand (when the popup
/// opens): the only other request the outbox makes, about those same reports.
#[wasm_bindgen(js_name = outboxPoll)]
pub async fn outbox_poll(storage: StorageArea) -> Result<(), JsValue> {
    let list = serial(read_index(&storage)).await?;
    for e in to_poll(&list, now_ms()) {
        let url = status_url(&e.endpoint, &e.id);
        let init = RequestInit::new();
        init.set_credentials(RequestCredentials::Omit);
        init.set_cache(RequestCache::NoStore);
        init.set_redirect(RequestRedirect::Error);
        // Unreachable now: the history keeps what it knew.
        let Ok(response) = browser::fetch(&url, &init, POLL_TIMEOUT_MS).await else {
            continue;
        };
        if !response.ok() {
            continue;
        }
        let answer = json_of(&response).await;
        let Some(state) = str_of(&answer, "status").and_then(|s| after_poll(e, &s)) else {
            continue;
        };
        let changed = Entry {
            state,
            updated_ms: now_ms(),
            ..e.clone()
        };
        modify(&storage, |list| put(list, changed)).await?;
    }
    Ok(())
}

/// The history, newest first, as the popup shows it.
#[wasm_bindgen(js_name = outboxList)]
pub async fn outbox_list(storage: StorageArea) -> Result<JsValue, JsValue> {
    let list = serial(read_index(&storage)).await?;
    let out = js_sys::Array::new();
    for e in &list {
        out.push(&view(e)?);
    }
    Ok(out.into())
}
