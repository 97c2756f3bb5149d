//! The accept loop: what `axum::serve` does, plus what a server on the open
//! internet needs against clients that open many connections or send slowly
//! (slowloris). `axum::serve` has neither a header timeout nor a connection
//! cap; 1,100 idle connections from one address made it stop answering.
//!
//! - Every connection must deliver each request's headers within
//!   `header_timeout` (also the longest a kept-alive connection may sit idle
//!   between requests); hyper closes it otherwise.
//! - At most `max_connections` at once, and at most `per_address` from one
//!   client address: a connection over either is closed at once, before a
//!   byte is read, so one client cannot take the slots others need.
//! - On shutdown it stops accepting and lets the connections in flight
//!   finish their requests, for at most [`DRAIN`].

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long requests in flight may take to finish once shutdown begins.
const DRAIN: Duration = Duration::from_secs(30);

/// Connection limits (`genuine serve --max-connections …`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
    pub per_address: usize,
}

/// Open connections per client address; a slot is given back when its
/// connection ends (the guard drops).
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

struct AddressSlot {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl PerAddress {
    fn take(table: &Arc<PerAddress>, ip: IpAddr, cap: usize) -> Option<AddressSlot> {
        let mut m = table.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = m.entry(ip).or_insert(0);
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            table: Arc::clone(table),
            ip,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut m = self.table.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = m.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let total = Arc::new(Semaphore::new(limits.max_connections));
    let addresses = Arc::new(PerAddress::default());
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors, or the peer gave up before
                    // the accept: neither ends the server.
                    eprintln!("genuine: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = Arc::clone(&total).try_acquire_owned() else {
            continue; // dropping the stream closes it
        };
        let Some(slot) = PerAddress::take(&addresses, peer.ip(), limits.per_address) else {
            continue;
        };
        let svc = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            });
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that breaks off mid-request is its own business.
            let _ = conn.await;
            drop(slot);
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            eprintln!("genuine: requests still in flight after {}s; stopping anyway", DRAIN.as_secs());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_slots_and_gets_them_back() {
        let t = Arc::new(PerAddress::default());
        let a: IpAddr = "192.0.2.1".parse().unwrap_or(IpAddr::from([0; 4]));
        let b: IpAddr = "2001:db8::1".parse().unwrap_or(IpAddr::from([0; 4]));
        let held: Vec<_> = (0..3).filter_map(|_| PerAddress::take(&t, a, 3)).collect();
        assert_eq!(held.len(), 3);
        assert!(
            PerAddress::take(&t, a, 3).is_none(),
            "a fourth for the same address"
        );
        assert!(
            PerAddress::take(&t, b, 3).is_some(),
            "another address is not held up"
        );
        drop(held);
        assert!(PerAddress::take(&t, a, 3).is_some(), "slots come back");
        assert!(
            t.0.lock().map(|m| m.is_empty()).unwrap_or(false),
            "no entry left behind"
        );
    }
}
