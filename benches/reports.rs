//! Load on the report inbox, `cargo bench --bench reports` (or `make bench`),
//! against real `genuine serve` processes on loopback. Two parts:
//!
//! 1. Throughput: N reporters send reports as fast as they are answered,
//!    for a fixed time, to a server on SQLite and to one on PostgreSQL (the
//!    throw-away cluster of `tests/it/pg.rs`), at 16 and 64 reporters, with
//!    and without a screenshot; then one more PostgreSQL run with two
//!    servers sharing the database. Every acknowledged report is looked up
//!    afterwards: lost and duplicated must be 0. PostgreSQL's figures are
//!    also given as ratios to SQLite's, measured in the same run. The build
//!    machine is shared, so the runs go round `ROUNDS` times, engines
//!    alternating, and each keeps its best round (most reports/s): other
//!    jobs only ever take time away.
//! 2. Memory: the server's resident set (VmRSS) at rest, holding 1,000 idle
//!    connections, and under the slow-body attack (300 connections each
//!    sending 1.5 MB of a 2 MB body, then nothing), and after each lets go.
//!    The server is started as a reporter on many addresses would meet it:
//!    no rate limit and no per-address connection cap, so what holds the
//!    memory down is the connection cap and the cap on bodies in flight.
//!
//! Knobs, by environment: `SECONDS` per throughput run (default 4),
//! `ROUNDS` (default 2), `SHOT_KB` screenshot size (default 200).

#[allow(dead_code)]
#[path = "../tests/it/server.rs"]
mod server;

#[allow(dead_code)]
#[path = "../tests/it/pg.rs"]
mod pg;

use std::collections::HashSet;
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use server::{agent, png_of, post_json, report, scratch_root, Engine, Server, TOKEN};

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One throughput run's figures.
struct Run {
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // and wants a quick run, so only a real bench run does the full load.
    let full = std::env::args().any(|a| a == "--bench");
    let seconds = if full { knob("SECONDS", 4) } else { 1 };
    let shot = png_of(knob("SHOT_KB", 200) as usize * 1000);
    let reporters: &[usize] = if full { &[16, 64] } else { &[4] };
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());

    let rounds = if full { knob("ROUNDS", 2) } else { 1 };
    println!("load average before: {}", load_average());
    println!(
        "reports: {seconds} s per run, best of {rounds} rounds, loopback, screenshot {} KB as sent",
        shot.len() / 1000
    );
    println!("  engine       servers reporters shot   reports/s   p50 ms   p99 ms");
    let mut table: Vec<((usize, bool, Engine), Run)> = Vec::new();
    for _ in 0..rounds {
        for &n in reporters {
            for with_shot in [false, true] {
                for engine in [Engine::Sqlite, Engine::Postgres] {
                    let sub = tempfile::tempdir_in(dir.path()).expect("tempdir");
                    let Some(db) = engine.database(sub.path()) else {
                        continue;
                    };
                    let r = throughput(&db, &root, 1, n, with_shot.then_some(&*shot), seconds);
                    let key = (n, with_shot, engine);
                    match table.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, best)) if best.per_sec >= r.per_sec => {}
                        Some((_, best)) => *best = r,
                        None => table.push((key, r)),
                    }
                }
            }
        }
    }
    for ((n, with_shot, engine), r) in &table {
        print_run(*engine, 1, *n, *with_shot, r);
    }
    let find = |n, s, e| table.iter().find(|(k, _)| *k == (n, s, e)).map(|(_, r)| r);
    println!("  postgres / sqlite, same run:");
    for &n in reporters {
        for with_shot in [false, true] {
            if let (Some(l), Some(p)) = (
                find(n, with_shot, Engine::Sqlite),
                find(n, with_shot, Engine::Postgres),
            ) {
                println!(
                    "    {n:>2} reporters, shot {:<3}: reports/s × {:.2}, p99 × {:.2}",
                    yes(with_shot),
                    p.per_sec / l.per_sec,
                    p.p99_ms / l.p99_ms
                );
            }
        }
    }
    // Scale-out: two servers, one PostgreSQL database (on the same two cores
    // here, so this shows the shared writer's lock costs little, not a gain).
    let n = reporters[reporters.len() - 1];
    let sub = tempfile::tempdir_in(dir.path()).expect("tempdir");
    if let Some(db) = Engine::Postgres.database(sub.path()) {
        let r = throughput(&db, &root, 2, n, None, seconds);
        print_run(Engine::Postgres, 2, n, false, &r);
    }

    println!("load average after: {}", load_average());

    memory(
        &root,
        if full { 1000 } else { 50 },
        if full { 300 } else { 20 },
    );
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn print_run(engine: Engine, servers: usize, n: usize, shot: bool, r: &Run) {
    println!(
        "  {:<12} {servers:>7} {n:>9} {:<4} {:>11.0} {:>8.2} {:>8.2}",
        format!("{engine:?}").to_lowercase(),
        yes(shot),
        r.per_sec,
        r.p50_ms,
        r.p99_ms
    );
}

/// `reporters` threads send reports to `servers` servers on `db` (reporter
/// t to server t mod servers) for `seconds`; then every acknowledged id is
/// looked up. Panics on a failed send, a lost or a duplicated report.
fn throughput(
    db: &str,
    root: &std::path::Path,
    servers: usize,
    reporters: usize,
    screenshot: Option<&str>,
    seconds: u64,
) -> Run {
    // Loopback is one address: let every reporter keep its connection.
    let args = [
        "--rate-limit",
        "0",
        "--max-connections-per-address",
        "1024",
        "--token",
        TOKEN,
    ];
    let servers: Vec<Server> = (0..servers)
        .map(|_| Server::start(db, root, &args))
        .collect();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..reporters)
        .map(|t| {
            let url = servers[t % servers.len()].url("/api/reports");
            let shot = screenshot.map(str::to_string);
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
                    let mut body = report(&id, "奥罗拉健康正品特卖店", "tmall");
                    if let Some(s) = &shot {
                        body["screenshot"] = s.clone().into();
                    }
                    let body = body.to_string();
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
    let (stored, duplicates) = stored_ids(&servers[0]);
    let lost = acked.iter().filter(|id| !stored.contains(*id)).count();
    assert_eq!(
        (lost, duplicates, failed),
        (0, 0, 0),
        "lost, duplicated, failed"
    );
    Run {
        per_sec: acked.len() as f64 / elapsed,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
    }
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

/// The resident set of process `pid`, in MB (Linux).
fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Idle connections, then slow bodies, against one SQLite-backed server
/// (how connections are held does not depend on the engine).
fn memory(root: &std::path::Path, idle: usize, slow: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("genuine.db");
    let args = [
        "--rate-limit",
        "0",
        "--max-connections-per-address",
        "100000",
        "--header-timeout-secs",
        "60",
        "--body-timeout-secs",
        "60",
    ];
    let s = Server::start(&db, root, &args);
    let addr = s.base.trim_start_matches("http://").to_string();
    let settle = || std::thread::sleep(Duration::from_millis(1500));
    // Warm up the way a server in use would be.
    for i in 0..50 {
        let body = report(&format!("warm-{i:04}"), "Shop", "tmall").to_string();
        let _ = post_json(&agent(), &s.url("/api/reports"), &body);
    }
    settle();
    let rest = rss_mb(s.pid());

    let held: Vec<TcpStream> = (0..idle)
        .filter_map(|_| TcpStream::connect(&addr).ok())
        .collect();
    settle();
    let with_idle = rss_mb(s.pid());
    let n_idle = held.len();
    drop(held);
    settle();
    let after_idle = rss_mb(s.pid());

    // Each sends the headers of a 2 MB report and 1.5 MB of its body, then
    // waits: at most 64 bodies are read at once, the rest are told 503.
    let head = format!(
        "POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        2_000_000
    );
    let chunk = vec![b' '; 1_500_000];
    let go = std::sync::Arc::new(std::sync::Barrier::new(slow + 1));
    let attackers: Vec<_> = (0..slow)
        .map(|_| {
            let (addr, head, chunk, go) = (addr.clone(), head.clone(), chunk.clone(), go.clone());
            std::thread::spawn(move || {
                let c = TcpStream::connect(&addr).ok();
                if let Some(mut c) = c.as_ref() {
                    let _ = c.set_write_timeout(Some(Duration::from_secs(5)));
                    let _ = c.write_all(head.as_bytes());
                    let _ = c.write_all(&chunk);
                }
                go.wait(); // hold the connection until the reading is taken
                go.wait();
                drop(c);
            })
        })
        .collect();
    go.wait();
    settle();
    let under_attack = rss_mb(s.pid());
    go.wait();
    for a in attackers {
        let _ = a.join();
    }
    settle();
    let after_attack = rss_mb(s.pid());
    println!(
        "server RSS (MB): at rest {rest:.1}; {n_idle} idle connections {with_idle:.1} \
         (after {after_idle:.1}); {slow} slow 2 MB bodies {under_attack:.1} (after {after_attack:.1})"
    );
}

/// The machine's 1, 5 and 15 minute load averages (Linux): the build
/// machine is shared, and the figures mean little when it is busy.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
