//! Load on the report inbox: N reporters send reports as fast as they are
//! answered, for a fixed time, to a real `genuine serve` on loopback. Then
//! every acknowledged report is looked up: lost and duplicated must be 0.
//!
//! `cargo bench --bench reports` (or `make bench`). Knobs, by environment:
//! `REPORTERS` (default 16), `SECONDS` (default 5).

#[allow(dead_code)]
#[path = "../tests/it/server.rs"]
mod server;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use server::{agent, post_json, report, scratch_root, Server, TOKEN};

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // and wants a quick run, so only a real bench run does the full load.
    let full = std::env::args().any(|a| a == "--bench");
    let reporters = knob("REPORTERS", 16) as usize;
    let seconds = if full { knob("SECONDS", 5) } else { 1 };
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let server = Server::start(
        &dir.path().join("genuine.db"),
        &root,
        &["--rate-limit", "0", "--token", TOKEN],
    );
    let url = server.url("/api/reports");
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..reporters)
        .map(|t| {
            let url = url.clone();
            std::thread::spawn(move || {
                let a = agent();
                let mut acked = Vec::new();
                let mut latencies = Vec::new();
                let mut failed = 0u64;
                for i in 0.. {
                    if Instant::now() >= deadline {
                        break;
                    }
                    let id = format!("bench-{t}-{i:07}");
                    let body = report(&id, "奥罗拉健康正品特卖店", "tmall").to_string();
                    let sent = Instant::now();
                    match post_json(&a, &url, &body) {
                        Ok((201, _)) => {
                            latencies.push(sent.elapsed());
                            acked.push(id);
                        }
                        _ => failed += 1,
                    }
                }
                (acked, latencies, failed)
            })
        })
        .collect();
    let mut acked = Vec::new();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for t in threads {
        let (a, l, f) = t.join().expect("reporter");
        acked.extend(a);
        latencies.extend(l);
        failed += f;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let (stored, duplicates) = stored_ids(&server);
    let lost = acked.iter().filter(|id| !stored.contains(*id)).count();
    println!(
        "reports: {reporters} reporters, {elapsed:.1} s: {} accepted ({:.0}/s), {failed} failed, \
         p50 {:.2} ms, p99 {:.2} ms, lost = {lost}, duplicates = {duplicates}",
        acked.len(),
        acked.len() as f64 / elapsed,
        pct(0.5),
        pct(0.99),
    );
    assert_eq!((lost, duplicates, failed), (0, 0, 0));
}

/// Every stored id, and how many ids were seen more than once.
fn stored_ids(server: &Server) -> (HashSet<String>, usize) {
    let a = agent();
    let mut ids = HashSet::new();
    let mut duplicates = 0;
    for offset in (0..).step_by(500) {
        let mut res = a
            .get(server.url(&format!("/api/inbox/reports?limit=500&offset={offset}")))
            .header("authorization", format!("Bearer {TOKEN}"))
            .call()
            .expect("inbox");
        let page: serde_json::Value =
            serde_json::from_str(&res.body_mut().read_to_string().expect("body")).expect("json");
        let reports = page["reports"].as_array().cloned().unwrap_or_default();
        if reports.is_empty() {
            break;
        }
        for r in reports {
            if !ids.insert(r["id"].as_str().unwrap_or("").to_string()) {
                duplicates += 1;
            }
        }
    }
    (ids, duplicates)
}
