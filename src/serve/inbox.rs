//! The brand's side of the API: read the inbox, confirm or reject reports,
//! export what was confirmed. Everything here needs the inbox token.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::export;
use super::store::{Filter, State as ReportState};
use super::{ApiError, AppState};
use crate::platform::Platform;
use crate::report;

/// Longest note a brand may attach to a decision.
const MAX_DECISION_NOTE: usize = 2000;
const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

pub fn routes(app: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/inbox/reports", get(list))
        .route("/api/inbox/reports/{id}", post(decide))
        .route("/api/inbox/reports/{id}/screenshot", get(screenshot))
        .route("/api/inbox/export", get(export_confirmed))
        .route("/api/inbox/blocklist.csv", get(blocklist))
        .layer(middleware::from_fn_with_state(app, require_token))
}

async fn require_token(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let Some(token) = app.token.as_deref() else {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "inbox_off",
            "the inbox is off: start genuine serve with --token or GENUINE_INBOX_TOKEN set",
        )
        .into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_secret(given, token) {
        let mut res = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_token",
            "send the inbox token as 'Authorization: Bearer TOKEN'",
        )
        .into_response();
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"genuine inbox\""),
        );
        return res;
    }
    next.run(req).await
}

/// Compares digests, so the time taken says nothing about how much of a
/// guessed token was right.
fn same_secret(a: &str, b: &str) -> bool {
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

#[derive(Deserialize)]
struct ListQuery {
    brand: Option<String>,
    platform: Option<String>,
    state: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

fn bad_query(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "bad_query", message)
}

fn platform_filter(p: Option<String>) -> Result<Option<String>, ApiError> {
    match p.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(p) => p
            .parse::<Platform>()
            .map(|p| Some(p.as_str().to_string()))
            .map_err(|e| bad_query(e.to_string())),
    }
}

fn state_filter(s: Option<String>) -> Result<Option<ReportState>, ApiError> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => ReportState::parse(&s).map(Some).ok_or_else(|| {
            bad_query(format!(
                "state must be received, confirmed or rejected, not '{}'",
                s.chars().take(40).collect::<String>()
            ))
        }),
    }
}

/// A query string that does not parse (`limit=ten`) answers like every other
/// error, as JSON: axum's own rejection is text/plain.
fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(q)| q)
        .map_err(|e| bad_query(format!("the query string is not valid: {}", e.body_text())))
}

async fn list(
    State(app): State<AppState>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let q = query(q)?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(bad_query(format!("limit must be 1 to {MAX_LIMIT}")));
    }
    let filter = Filter {
        brand: q.brand.filter(|s| !s.is_empty()),
        platform: platform_filter(q.platform)?,
        state: state_filter(q.state)?,
        limit,
        offset: q.offset.unwrap_or(0),
    };
    let (total, reports) = app.store.list(filter).await.map_err(ApiError::store)?;
    Ok(Json(json!({"total": total, "reports": reports})))
}

#[derive(Deserialize)]
struct Decision {
    state: String,
    note: Option<String>,
}

async fn decide(
    State(app): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<Decision>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(d) = body.map_err(|e| ApiError::new(e.status(), "bad_json", e.body_text()))?;
    let state = match ReportState::parse(&d.state) {
        Some(s @ (ReportState::Confirmed | ReportState::Rejected)) => s,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_state",
                "state must be 'confirmed' or 'rejected'",
            ))
        }
    };
    let note = d
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_DECISION_NOTE)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_long",
            format!("note is longer than {MAX_DECISION_NOTE} characters"),
        ));
    }
    if !report::is_valid_id(&id) {
        return Err(not_found());
    }
    match app
        .store
        .set_state(id, state, note)
        .await
        .map_err(ApiError::store)?
    {
        Some(r) => Ok(Json(
            json!({"id": r.id, "reference": r.reference, "status": r.state.as_str()}),
        )),
        None => Err(not_found()),
    }
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no report has this id")
}

async fn screenshot(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if !report::is_valid_id(&id) {
        return Err(not_found());
    }
    let url = app
        .store
        .screenshot(id)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(not_found)?;
    let (mime, bytes) = export::decode_data_url(&url).ok_or_else(|| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "damaged",
            "the stored screenshot does not decode",
        )
    })?;
    Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response())
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    platform: Option<String>,
}

async fn export_confirmed(
    State(app): State<AppState>,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let platform = platform_filter(q.platform)?;
    let format = q.format.unwrap_or_else(|| "json".into());
    if format != "csv" && format != "json" {
        return Err(bad_query("format must be csv or json".into()));
    }
    let rows = app
        .store
        .confirmed(platform)
        .await
        .map_err(ApiError::store)?;
    Ok(if format == "csv" {
        attachment(
            "text/csv; charset=utf-8",
            "genuine-confirmed.csv",
            export::csv(&rows)?,
        )
    } else {
        Json(export::by_platform(rows)).into_response()
    })
}

async fn blocklist(State(app): State<AppState>) -> Result<Response, ApiError> {
    let rows = app.store.confirmed(None).await.map_err(ApiError::store)?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "blocklist.csv",
        export::blocklist(&rows)?,
    ))
}

fn attachment(mime: &'static str, name: &'static str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
