//! Shoppers' reports, from the moment they press Send until the brand's
//! inbox has them: the queue's policy, over plain values. The queue itself
//! (an index of [`Entry`]s and each report's body) lives in the extension's
//! `storage.local`, which outlives the worker, the browser and being
//! offline; `outbox::web` does that I/O and the POSTs in the browser, and
//! every transition here is tested natively (`tests/it/outbox.rs`).
//!
//! Exactly once: a report's id is made when the confirm step opens and goes
//! with every attempt; the inbox stores an id once and answers a repeat with
//! the first receipt (docs/reports-api.md). An attempt whose answer was lost
//! (the worker stopped mid-request, the network dropped) is simply sent
//! again: an entry is marked `sent` before the request and stays so until
//! an answer, so a browser restart finds it and sends it again.

use serde::{Deserialize, Serialize};

/// Waits between attempts, in seconds. Chrome fires alarms no sooner than
/// 30 s; an inbox that is down for a while is asked at most hourly.
pub const BACKOFF_SECS: [u64; 7] = [30, 60, 120, 300, 900, 1800, 3600];
/// A report nobody could take for this long is given up, so the queue never
/// grows without end.
pub const GIVE_UP_MS: i64 = 30 * 86_400_000;
/// How long one attempt may take.
pub const TIMEOUT_MS: u32 = 30_000;
/// Reports per hour a user can send.
pub const PER_HOUR: usize = 10;
/// Finished reports kept in the history.
pub const KEEP: usize = 50;
/// A `Retry-After` longer than this is read as this: a hostile or broken
/// inbox cannot park a report past the give-up time in one answer.
pub const MAX_RETRY_AFTER_SECS: u64 = 86_400;
/// Delivered reports whose status the popup asks about: the newest ten of
/// the last 90 days.
pub const POLL_DAYS: i64 = 90;
pub const POLL_MAX: usize = 10;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Waiting for its next attempt.
    Queued,
    /// An attempt is under way (or was when the worker stopped).
    Sent,
    /// The inbox has it: the three states the inbox itself reports.
    Received,
    Confirmed,
    Rejected,
    /// Refused for good, lost or given up.
    Failed,
}

impl State {
    /// Still to be delivered.
    pub fn is_open(self) -> bool {
        matches!(self, State::Queued | State::Sent)
    }

    /// One of the states an inbox answers with.
    pub fn from_inbox(s: &str) -> Option<State> {
        match s {
            "received" => Some(State::Received),
            "confirmed" => Some(State::Confirmed),
            "rejected" => Some(State::Rejected),
            _ => None,
        }
    }
}

/// One report in the history (newest first). Times are milliseconds since
/// 1970 (`Date.now()`), so they need no parsing on either side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub state: State,
    pub endpoint: String,
    pub queued_ms: i64,
    pub updated_ms: i64,
    /// When the next attempt is due; `None` once finished.
    pub next_ms: Option<i64>,
    pub attempts: u32,
    pub error: Option<ErrorText>,
    pub reference: Option<String>,
    pub received_ms: Option<i64>,
    /// What the history shows of the report (store, platform, category,
    /// brand, created_at): carried, never judged.
    #[serde(default)]
    pub summary: serde_json::Map<String, serde_json::Value>,
}

/// An error shown in the history: the inbox's or the network's own words,
/// or one of ours by message key, which the extension puts in the user's
/// language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorText {
    Text(String),
    Key(String),
}

/// Why a report was not queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// More than [`PER_HOUR`] reports in the last hour; `free_ms`: when the
    /// next one may go.
    #[error("at most {PER_HOUR} reports an hour")]
    RateLimited { free_ms: i64 },
}

/// Queues a report (its body is stored beside the index by the caller,
/// before the index). A report whose id is in the history already is not
/// queued again: the existing entry is returned and `list` is unchanged.
pub fn submit(
    list: &mut Vec<Entry>,
    id: &str,
    endpoint: &str,
    summary: serde_json::Map<String, serde_json::Value>,
    now: i64,
) -> Result<Entry, SubmitError> {
    if let Some(had) = list.iter().find(|e| e.id == id) {
        return Ok(had.clone());
    }
    let recent: Vec<i64> = list
        .iter()
        .map(|e| e.queued_ms)
        .filter(|&at| at > now - 3_600_000)
        .collect();
    if recent.len() >= PER_HOUR {
        let oldest = recent.iter().copied().min().unwrap_or(now);
        return Err(SubmitError::RateLimited {
            free_ms: oldest + 3_600_000,
        });
    }
    let entry = Entry {
        id: id.to_string(),
        state: State::Queued,
        endpoint: endpoint.to_string(),
        queued_ms: now,
        updated_ms: now,
        next_ms: Some(now),
        attempts: 0,
        error: None,
        reference: None,
        received_ms: None,
        summary,
    };
    let (open, done): (Vec<Entry>, Vec<Entry>) = std::mem::take(list)
        .into_iter()
        .partition(|e| e.state.is_open());
    list.push(entry.clone());
    list.extend(open);
    list.extend(done.into_iter().take(KEEP));
    Ok(entry)
}

/// The ids of reports due for an attempt, oldest first.
pub fn due(list: &[Entry], now: i64) -> Vec<String> {
    list.iter()
        .rev()
        .filter(|e| e.state.is_open() && e.next_ms.unwrap_or(0) <= now)
        .map(|e| e.id.clone())
        .collect()
}

/// What to do for a due report.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// Mark it `sent` (this entry) and POST the body.
    Send(Entry),
    /// Finish it without sending: its body is gone, or it is too old.
    Finish(Entry),
}

/// Before an attempt: `has_body` says whether the report's body is still
/// stored.
pub fn before_attempt(e: &Entry, has_body: bool, now: i64) -> Attempt {
    if !has_body {
        return Attempt::Finish(finish(e, State::Failed, Some(key("report_lost")), now));
    }
    if now - e.queued_ms > GIVE_UP_MS {
        return Attempt::Finish(finish(e, State::Failed, Some(key("report_expired")), now));
    }
    Attempt::Send(Entry {
        state: State::Sent,
        attempts: e.attempts + 1,
        updated_ms: now,
        ..e.clone()
    })
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// No answer (offline, refused connection, timeout, a redirect).
    Network(String),
    /// The inbox answered.
    Answer {
        status: u16,
        /// From the JSON body, when there was one.
        reference: Option<String>,
        state: Option<String>,
        message: Option<String>,
        /// The `Retry-After` header, as sent.
        retry_after: Option<String>,
    },
}

/// Refusals that no retry can change (the inbox says the report is wrong).
fn permanent(status: u16) -> bool {
    matches!(status, 400 | 413 | 415 | 422)
}

/// After an attempt: the entry as it now stands. `e` is the entry as
/// [`before_attempt`] left it (state `sent`, attempts counted).
pub fn after_attempt(e: &Entry, delivery: Delivery, now: i64) -> Entry {
    match delivery {
        Delivery::Network(why) => retry(e, ErrorText::Text(why), 0, now),
        Delivery::Answer {
            status,
            reference,
            state,
            message,
            retry_after,
        } => {
            if (200..300).contains(&status) {
                if let Some(reference) = reference.filter(|r| !r.is_empty()) {
                    let state = state
                        .as_deref()
                        .and_then(State::from_inbox)
                        .unwrap_or(State::Received);
                    let mut done = finish(e, state, None, now);
                    done.reference = Some(reference);
                    done.received_ms = Some(now);
                    return done;
                }
            }
            let why = ErrorText::Text(message.unwrap_or_else(|| format!("HTTP {status}")));
            if permanent(status) {
                return finish(e, State::Failed, Some(why), now);
            }
            let wait = retry_after.as_deref().map(retry_after_secs).unwrap_or(0);
            retry(e, why, wait, now)
        }
    }
}

/// `Retry-After` in seconds: delta-seconds only (an HTTP date is read as 0,
/// the backoff then decides), capped at [`MAX_RETRY_AFTER_SECS`].
pub fn retry_after_secs(value: &str) -> u64 {
    value
        .trim()
        .parse::<u64>()
        .map(|s| s.min(MAX_RETRY_AFTER_SECS))
        .unwrap_or(0)
}

fn retry(e: &Entry, error: ErrorText, retry_after: u64, now: i64) -> Entry {
    // `attempts` already counts this one: the n-th attempt waits BACKOFF[n-1].
    let n = e.attempts.saturating_sub(1) as usize;
    let wait = BACKOFF_SECS[n.min(BACKOFF_SECS.len() - 1)].max(retry_after);
    Entry {
        state: State::Queued,
        error: Some(error),
        next_ms: Some(now + wait as i64 * 1000),
        updated_ms: now,
        ..e.clone()
    }
}

fn key(k: &str) -> ErrorText {
    ErrorText::Key(k.to_string())
}

fn finish(e: &Entry, state: State, error: Option<ErrorText>, now: i64) -> Entry {
    Entry {
        state,
        error,
        next_ms: None,
        updated_ms: now,
        ..e.clone()
    }
}

/// When the outbox alarm should next fire, if anything is waiting: the
/// earliest due time, but not sooner than a second from now.
pub fn next_alarm(list: &[Entry], now: i64) -> Option<i64> {
    list.iter()
        .filter(|e| e.state == State::Queued)
        .filter_map(|e| e.next_ms)
        .min()
        .map(|t| t.max(now + 1000))
}

/// The delivered reports whose status is worth asking the inbox about.
pub fn to_poll(list: &[Entry], now: i64) -> Vec<&Entry> {
    let since = now - POLL_DAYS * 86_400_000;
    list.iter()
        .filter(|e| e.state == State::Received && e.queued_ms > since)
        .take(POLL_MAX)
        .collect()
}

/// An inbox's answer to a status lookup: the entry's new state, if it
/// changed to one the inbox may report.
pub fn after_poll(e: &Entry, status: &str) -> Option<State> {
    State::from_inbox(status).filter(|s| *s != e.state)
}

/// `endpoint/{id}`: the inbox's status lookup for one report, with the id
/// percent-encoded as a path segment.
pub fn status_url(endpoint: &str, id: &str) -> String {
    let mut url = endpoint.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Replaces the entry with the same id; false when it is gone.
pub fn put(list: &mut [Entry], entry: Entry) -> bool {
    match list.iter_mut().find(|e| e.id == entry.id) {
        Some(slot) => {
            *slot = entry;
            true
        }
        None => false,
    }
}

#[cfg(target_arch = "wasm32")]
pub mod web;
