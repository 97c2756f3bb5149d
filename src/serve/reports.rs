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

use axum::body::Body;
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

/// Report bodies being read at once: each may hold up to [`MAX_BODY`], so
/// this bounds the memory slow senders can tie up (128 MB); a report that
/// finds none free is told to come back (503, Retry-After).
pub const MAX_BODIES_IN_FLIGHT: usize = 64;

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
        // Without this the extension's fetch cannot read how long to wait
        // after a 429 or 503 (extension/reports.js honours it).
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

fn receipt_json(r: &Receipt) -> Value {
    json!({"id": r.id, "reference": r.reference, "status": r.state.as_str()})
}

/// The body is taken as a stream and read only after the rate limit and the
/// content type have let the request through, within the body timeout and
/// a slot of [`MAX_BODIES_IN_FLIGHT`]: a client cannot make the server hold
/// its megabytes before it is known to be welcome.
async fn submit(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
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
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the report is larger than {MAX_BODY} bytes; send a smaller screenshot"),
        )
    };
    // A body declared too large is still read up to the limit before the
    // 413: answering at once and closing resets the connection under a
    // client still sending, which then sees a network error, not the answer.
    let Ok(_slot) = app.body_slots.clone().try_acquire_owned() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the inbox is reading many reports at once; try again shortly",
        )
        .retry_after(5));
    };
    let body =
        match tokio::time::timeout(app.body_timeout, axum::body::to_bytes(body, MAX_BODY)).await {
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "slow_body",
                    format!(
                        "the report did not arrive within {} s",
                        app.body_timeout.as_secs()
                    ),
                ))
            }
            Ok(Err(e)) if e.to_string().contains("length limit") => return Err(too_large()),
            Ok(Err(e)) => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_body",
                    e.to_string(),
                ))
            }
            Ok(Ok(bytes)) => bytes,
        };
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

/// Token buckets, refilled evenly: `per_minute` reports per client address,
/// and [`NETWORK_FACTOR`] times that per network (/24 for IPv4, /64 for
/// IPv6), since one machine can speak from a whole block of addresses (400
/// loopback addresses all got through when only addresses were counted).
///
/// Keyed by the TCP peer: behind a reverse proxy every client shares the
/// proxy's address, so such a setup should limit at the proxy instead.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<Key, Bucket>>,
}

/// An office or a household shares one network: a few people's worth.
pub const NETWORK_FACTOR: u32 = 4;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    Network(IpAddr),
}

fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::from([a, b, c, 0])
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
            }
        },
    }
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

    /// `Err(seconds to wait)` when `ip`, or its network, has used its
    /// allowance. A refused request uses up nothing.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let now = Instant::now();
        // A poisoned lock only means another request panicked mid-update;
        // the counts are still usable.
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let per = |k: &Key| match k {
            Key::Address(_) => f64::from(self.per_minute),
            Key::Network(_) => f64::from(self.per_minute) * f64::from(NETWORK_FACTOR),
        };
        if map.len() >= MAX_TRACKED {
            map.retain(|k, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * per(k) / 60.0 < per(k)
            });
        }
        let keys = [Key::Address(ip), Key::Network(network(ip))];
        let mut wait = 0u64;
        for k in keys {
            let cap = per(&k);
            let b = map.entry(k).or_insert(Bucket {
                tokens: cap,
                at: now,
            });
            b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * cap / 60.0).min(cap);
            b.at = now;
            if b.tokens < 1.0 {
                wait = wait.max(((1.0 - b.tokens) / (cap / 60.0)).ceil().max(1.0) as u64);
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        for k in keys {
            if let Some(b) = map.get_mut(&k) {
                b.tokens -= 1.0;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_of_addresses_shares_its_network_allowance() {
        let limiter = RateLimiter::new(30);
        let allowed = (1..=250u8)
            .filter(|&i| limiter.check(IpAddr::from([127, 0, 0, i])).is_ok())
            .count();
        assert_eq!(allowed, 30 * NETWORK_FACTOR as usize, "one /24");
        let other = (0..40)
            .filter(|_| limiter.check(IpAddr::from([10, 9, 8, 7])).is_ok())
            .count();
        assert_eq!(other, 30, "one address elsewhere keeps its own allowance");
        let v6 = (1..=200u16)
            .filter(|&i| {
                limiter
                    .check(IpAddr::from([0x2001, 0xdb8, 1, 2, 0, 0, 0, i]))
                    .is_ok()
            })
            .count();
        assert_eq!(v6, 30 * NETWORK_FACTOR as usize, "one /64");
    }
}
