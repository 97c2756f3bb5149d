//! `genuine serve`: what a brand runs. The static site (www/: web checker,
//! registry, inbox page, demo shop) and the report inbox API over SQLite
//! (embedded, the default) or PostgreSQL (several instances, one database).
//!
//! - `static_files`: www/, with strong ETags on `registry/` files.
//! - `reports`: the reporter's API (`/api/reports`), CORS for extensions,
//!   rate-limited per client address.
//! - `inbox`: the brand's API (`/api/inbox/…`), behind a bearer token.
//! - `store`: the database (SQLite or PostgreSQL) and the one thread that
//!   owns this server's connection to it.
//! - `export`: confirmed reports as CSV, JSON and blocklist rows.
//!
//! Demo shop pages are sent with `Content-Security-Policy: script-src 'none'`,
//! the strictest a real marketplace could send, so that the extension is
//! always exercised under a CSP that forbids page scripts and WebAssembly.

mod export;
mod inbox;
mod listen;
mod reports;
mod static_files;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};

pub use listen::Limits;
pub use store::{Database, Retention, StoreError};

/// Shortest inbox token accepted: a guessable token is an open inbox.
pub const MIN_TOKEN_CHARS: usize = 16;

pub struct Options {
    pub addr: SocketAddr,
    pub root: PathBuf,
    pub demo: bool,
    /// Where reports are kept: a SQLite file (created if missing) or a
    /// PostgreSQL database.
    pub db: Database,
    /// The inbox token; `None` turns the inbox API off.
    pub token: Option<String>,
    /// Reports per minute per client address; 0 for no limit.
    pub rate_limit: u32,
    /// How long a report's body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// Header timeout and connection caps.
    pub limits: Limits,
    /// Storage cap and screenshot retention.
    pub retention: Retention,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// `--root` is not a directory.
    #[error("{0} is not a directory (run from the repository, or pass --root)")]
    NoRoot(PathBuf),
    /// The inbox token is too short to keep strangers out.
    #[error(
        "the inbox token must be at least {MIN_TOKEN_CHARS} characters (try: openssl rand -hex 24)"
    )]
    WeakToken,
    /// The report database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Binding or serving failed (port in use, say).
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    store: store::Store,
    limiter: Arc<reports::RateLimiter>,
    token: Option<Arc<str>>,
    /// Slots for report bodies being read (see `reports::MAX_BODIES_IN_FLIGHT`).
    body_slots: Arc<tokio::sync::Semaphore>,
    body_timeout: std::time::Duration,
}

/// Serves until Ctrl-C or SIGTERM. Prints the address it listens on (port 0
/// picks one).
pub async fn run(opts: Options) -> Result<(), ServeError> {
    if !opts.root.is_dir() {
        return Err(ServeError::NoRoot(opts.root));
    }
    let token = opts.token.filter(|t| !t.is_empty());
    if token
        .as_ref()
        .is_some_and(|t| t.chars().count() < MIN_TOKEN_CHARS)
    {
        return Err(ServeError::WeakToken);
    }
    let app_state = AppState {
        store: store::Store::open(&opts.db, opts.retention).await?,
        limiter: Arc::new(reports::RateLimiter::new(opts.rate_limit)),
        token: token.map(Arc::from),
        body_slots: Arc::new(tokio::sync::Semaphore::new(reports::MAX_BODIES_IN_FLIGHT)),
        body_timeout: opts.body_timeout,
    };
    let etags = static_files::EtagCache::new(&opts.root);
    let app = Router::new()
        .merge(reports::routes())
        .merge(inbox::routes(app_state.clone()))
        .with_state(app_state)
        .layer(DefaultBodyLimit::max(reports::MAX_BODY))
        .fallback_service(static_files::service(&opts.root))
        .layer(middleware::from_fn_with_state(
            etags,
            static_files::registry_etag,
        ))
        .layer(middleware::from_fn(security_headers));
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    println!(
        "genuine: serving {} on http://{addr}/{}",
        opts.root.display(),
        if opts.demo { "demo/" } else { "" }
    );
    listen::serve(listener, app, opts.limits, shutdown()).await?;
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, what systemd and container
/// runtimes send: in-flight requests then finish, and the database thread
/// ends after the last write (each commit is already durable: SQLite's WAL
/// with synchronous=FULL, PostgreSQL's synchronous_commit).
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    eprintln!("genuine: stopping (finishing requests in flight)");
}

/// An API failure as JSON `{error, message}`: a code for programs, a
/// sentence for people.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    fn retry_after(mut self, secs: u64) -> ApiError {
        self.retry_after = Some(secs);
        self
    }

    /// A database failure: the report was not stored, the client may retry.
    fn store(e: StoreError) -> ApiError {
        eprintln!("genuine: {e}");
        if let StoreError::Full { .. } = e {
            // 507: the server cannot store it now; an extension keeps it
            // queued and tries again much later.
            return ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "storage_full",
                "the inbox is full and takes no reports for now; try again later",
            )
            .retry_after(3600);
        }
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage",
            "the report could not be stored; try again later",
        )
        .retry_after(5)
    }

    fn internal(e: impl std::fmt::Display) -> ApiError {
        eprintln!("genuine: {e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; see its log",
        )
    }
}

impl From<csv::Error> for ApiError {
    fn from(e: csv::Error) -> ApiError {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.code, "message": self.message});
        let mut res = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

async fn security_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let demo_page = path.starts_with("/demo/");
    let inbox_page = path == "/inbox.html";
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if demo_page {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'none'"),
        );
    }
    if inbox_page {
        // The page holds the inbox token: only its own script runs, it
        // cannot be framed, and it talks to this server only.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                 img-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            ),
        );
    }
    res
}
