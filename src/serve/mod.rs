//! `genuine serve`: the static site (www/) and, for the demo, the demo shop
//! pages and registry.
//!
//! Demo shop pages are sent with `Content-Security-Policy: script-src 'none'`,
//! the strictest a real marketplace could send, so that the extension is
//! always exercised under a CSP that forbids page scripts and WebAssembly.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

pub struct Options {
    pub addr: SocketAddr,
    pub root: PathBuf,
    pub demo: bool,
}

/// Serves until Ctrl-C. Prints the address it listens on (port 0 picks one).
pub async fn run(opts: Options) -> std::io::Result<()> {
    if !opts.root.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "{} is not a directory (run from the repository, or pass --root)",
                opts.root.display()
            ),
        ));
    }
    let app = Router::new()
        .fallback_service(ServeDir::new(&opts.root).append_index_html_on_directories(true))
        .layer(middleware::from_fn(security_headers));
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    println!(
        "genuine: serving {} on http://{addr}/{}",
        opts.root.display(),
        if opts.demo { "demo/" } else { "" }
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

async fn security_headers(req: Request, next: Next) -> Response {
    let demo_page = req.uri().path().starts_with("/demo/");
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
    res
}
