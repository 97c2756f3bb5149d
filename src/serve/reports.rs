//! The reporter's side of the API: send a report, ask how it stands.
//!
//! Called by the extension from its own origin, so these routes answer CORS
//! for extension origins. They require `Content-Type: application/json`,
//! which makes every cross-site browser request a preflighted one: an
//! ordinary web page cannot fill a brand's inbox through a shopper's browser.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::store::Receipt;
use super::{ApiError, AppState};
use crate::report::{self, Report};

/// Largest request body: a report with its screenshot fits.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/reports", post(submit))
        .route("/api/reports/{id}", get(status))
        .layer(cors())
}

/// Extensions call from `chrome-extension://…` and `moz-extension://…`
/// origins, whose ids differ per install (Firefox makes one up per profile),
/// so the origin is matched by scheme, not listed.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {
            let o = origin.as_bytes();
            o.starts_with(b"chrome-extension://") || o.starts_with(b"moz-extension://")
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600))
}

fn receipt_json(r: &Receipt) -> Value {
    json!({"id": r.id, "reference": r.reference, "status": r.state.as_str()})
}

async fn submit(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if let Err(retry_after) = app.limiter.check(peer.ip()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many reports from this address; try again in {retry_after} s"),
        )
        .retry_after(retry_after));
    }
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json_type {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_content_type",
            "send the report as Content-Type: application/json",
        ));
    }
    let body = body.map_err(|e| {
        let too_big = e.status() == StatusCode::PAYLOAD_TOO_LARGE;
        ApiError::new(
            e.status(),
            if too_big { "too_large" } else { "bad_body" },
            if too_big {
                format!("the report is larger than {MAX_BODY} bytes; send a smaller screenshot")
            } else {
                e.body_text()
            },
        )
    })?;
    let report = Report::parse(&body)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string()))?;
    let receipt = app.store.insert(report).await.map_err(ApiError::store)?;
    let status = if receipt.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(receipt_json(&receipt))))
}

async fn status(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if !report::is_valid_id(&id) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_id",
            report::ReportError::BadId.to_string(),
        ));
    }
    match app.store.receipt(id).await.map_err(ApiError::store)? {
        Some(r) => Ok(Json(receipt_json(&r))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no report with this id has been received",
        )),
    }
}

/// A token bucket per client address: `per_minute` reports, refilled evenly.
///
/// Keyed by the TCP peer: behind a reverse proxy every client shares the
/// proxy's address, so such a setup should limit at the proxy instead.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Past this many addresses, full buckets are dropped (they hold no state).
const MAX_TRACKED: usize = 10_000;

impl RateLimiter {
    /// `per_minute == 0` turns the limit off.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when `ip` has used its allowance.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let cap = f64::from(self.per_minute);
        let per_sec = cap / 60.0;
        let now = Instant::now();
        // A poisoned lock only means another request panicked mid-update;
        // the counts are still usable.
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_TRACKED {
            map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec < cap);
        }
        let b = map.entry(ip).or_insert(Bucket {
            tokens: cap,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec).min(cap);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }
}
