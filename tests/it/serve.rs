//! `genuine serve` as a brand runs it: the report API, the inbox, exports,
//! registry ETags, CORS, and what survives a SIGKILL.
//!
//! Every test that reads or writes reports runs against both engines, as
//! `serve::sqlite::NAME` and `serve::postgres::NAME` (see [`on_both`]); with
//! PostgreSQL, the durability and duplicate tests run two servers on one
//! database.

use std::collections::HashSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::server::{agent, png_of, post_json, report, scratch_root, Engine, Server, TOKEN};
use crate::{fixture, rendered_site, repo};

/// Each named test, `fn NAME(engine: Engine)`, once per engine:
/// `sqlite::NAME` and `postgres::NAME`. The PostgreSQL ones skip, loudly,
/// only when PostgreSQL is not installed and not required (see `pg`).
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Engine::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Engine::Postgres) } )*
        }
    };
}

on_both!(
    validation_table,
    same_id_twice_is_one_report,
    confirm_reject_export_and_reimport_the_blocklist,
    acknowledged_reports_survive_sigkill,
    the_same_id_at_once_everywhere_is_one_row,
    hostile_text_is_stored_as_text,
    blocklist_export_is_formula_safe,
    sigterm_stops_gracefully_and_keeps_what_was_acknowledged,
    repeats_leave_no_gaps_in_references,
    the_storage_cap_answers_507,
    old_screenshots_go_after_keep_days,
    dropped_screenshots_make_room_under_the_cap,
);

struct Env {
    _dir: tempfile::TempDir,
    /// The `--db` the server was started with.
    db: String,
    root: std::path::PathBuf,
    server: Server,
}

/// A server on a fresh database of `engine`; `None` when that engine is
/// skipped.
fn start_on(engine: Engine, args: &[&str]) -> Option<Env> {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let db = engine.database(dir.path())?;
    let server = Server::start(&db, &root, args);
    Some(Env {
        _dir: dir,
        db,
        root,
        server,
    })
}

/// A server on a fresh SQLite file, for what does not touch the database.
fn start(args: &[&str]) -> Env {
    start_on(Engine::Sqlite, args).expect("SQLite is always there")
}

fn get(url: &str, token: Option<&str>) -> (u16, String) {
    let mut req = agent().get(url);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let mut res = req.call().expect("GET");
    let status = res.status().as_u16();
    (status, res.body_mut().read_to_string().expect("body"))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn decide(s: &Server, id: &str, state: &str) -> u16 {
    let mut res = agent()
        .post(s.url(&format!("/api/inbox/reports/{id}")))
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("content-type", "application/json")
        .send(format!(
            r#"{{"state":"{state}","note":"checked by test purchase"}}"#
        ))
        .expect("POST decision");
    let _ = res.body_mut().read_to_string();
    res.status().as_u16()
}

fn validation_table(engine: Engine) {
    let Some(env) = start_on(engine, &["--rate-limit", "0"]) else {
        return;
    };
    let a = agent();
    let text = std::fs::read_to_string(fixture("reports.jsonl")).expect("fixture");
    let mut failures = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case = json(line);
        let name = case["case"].as_str().unwrap_or("?");
        let body = match case["raw"].as_str() {
            Some(raw) => raw.to_string(),
            None => {
                let mut r = report(
                    &format!("fixture-case-{n:03}"),
                    "奥罗拉健康正品特卖店",
                    "tmall",
                );
                r["screenshot"] = Value::Null;
                for (k, v) in case["set"].as_object().into_iter().flatten() {
                    r[k] = v.clone();
                }
                for (k, v) in case["repeat"].as_object().into_iter().flatten() {
                    r[k] = "a".repeat(v.as_u64().unwrap_or(0) as usize).into();
                }
                for k in case["unset"].as_array().into_iter().flatten() {
                    if let Some(obj) = r.as_object_mut() {
                        obj.remove(k.as_str().unwrap_or(""));
                    }
                }
                r.to_string()
            }
        };
        let (status, reply) = post_json(&a, &env.server.url("/api/reports"), &body).expect("POST");
        let want_status = case["status"].as_u64().unwrap_or(0) as u16;
        let want_error = case["error"].as_str().unwrap_or("");
        if status != want_status || !reply.contains(want_error) {
            failures.push(format!("{name}: got {status} {reply}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn refuses_wrong_type_and_oversized_bodies() {
    let env = start(&["--rate-limit", "0"]);
    let url = env.server.url("/api/reports");
    let body = report("size-check-1", "Shop", "tmall").to_string();
    let mut res = agent()
        .post(&url)
        .header("content-type", "text/plain")
        .send(&body)
        .expect("POST");
    assert_eq!(res.status().as_u16(), 415);
    let _ = res.body_mut().read_to_string();

    let mut big = report("size-check-2", "Shop", "tmall");
    big["screenshot"] = format!("data:image/png;base64,{}", "A".repeat(1_500_000)).into();
    let (status, reply) = post_json(&agent(), &url, &big.to_string()).expect("POST");
    assert_eq!(status, 422, "{reply}");
    assert!(reply.contains("send a smaller or JPEG image"), "{reply}");

    big["screenshot"] = format!("data:image/png;base64,{}", "A".repeat(2_200_000)).into();
    let (status, reply) = post_json(&agent(), &url, &big.to_string()).expect("POST");
    assert_eq!(status, 413, "{reply}");
    assert!(reply.contains("too_large"), "{reply}");
}

fn same_id_twice_is_one_report(engine: Engine) {
    let Some(env) = start_on(engine, &["--rate-limit", "0", "--token", TOKEN]) else {
        return;
    };
    let (a, url) = (agent(), env.server.url("/api/reports"));
    let body = report("dedup-0001", "Shop", "tmall").to_string();
    let (s1, r1) = post_json(&a, &url, &body).expect("first");
    let (s2, r2) = post_json(&a, &url, &body).expect("second");
    assert_eq!((s1, s2), (201, 200), "{r1} {r2}");
    assert_eq!(json(&r1)["reference"], json(&r2)["reference"]);
    assert_eq!(json(&r1)["reference"], "GEN-000001");
    let (status, text) = get(&env.server.url("/api/reports/dedup-0001"), None);
    assert_eq!(status, 200);
    assert_eq!(json(&text)["status"], "received");
    assert_eq!(
        get(&env.server.url("/api/reports/never-sent-1"), None).0,
        404
    );
    let (_, list) = get(&env.server.url("/api/inbox/reports"), Some(TOKEN));
    assert_eq!(json(&list)["total"], 1);
}

#[test]
fn rate_limit_answers_429_with_retry_after() {
    let env = start(&["--rate-limit", "3"]);
    let a = agent();
    let url = env.server.url("/api/reports");
    for i in 0..3 {
        let body = report(&format!("rate-{i:04}"), "Shop", "tmall").to_string();
        assert_eq!(post_json(&a, &url, &body).expect("POST").0, 201);
    }
    // From an extension, as the extension sends it: the page script may
    // read Retry-After only if CORS exposes it.
    let origin = "chrome-extension://abcdefghijklmnop";
    let res = a
        .post(&url)
        .header("content-type", "application/json")
        .header("origin", origin)
        .send(report("rate-9999", "Shop", "tmall").to_string())
        .expect("POST");
    assert_eq!(res.status().as_u16(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"].to_str().ok(), Some(origin));
    let exposed = h
        .get("access-control-expose-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"), "exposed: {exposed:?}");
}

#[test]
fn inbox_needs_its_token() {
    let off = start(&[]);
    let (status, text) = get(&off.server.url("/api/inbox/reports"), Some(TOKEN));
    assert_eq!(status, 503);
    assert!(text.contains("GENUINE_INBOX_TOKEN"), "{text}");

    let on = start(&["--token", TOKEN]);
    let url = on.server.url("/api/inbox/reports");
    assert_eq!(get(&url, None).0, 401);
    assert_eq!(get(&url, Some("test-token-0123456780")).0, 401);
    assert_eq!(get(&url, Some(TOKEN)).0, 200);

    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_genuine"))
        .args(["serve", "--port", "0", "--token", "short"])
        .arg("--db")
        .arg(dir.path().join("g.db"))
        .arg("--root")
        .arg(scratch_root(dir.path()))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16 characters"));
}

fn confirm_reject_export_and_reimport_the_blocklist(engine: Engine) {
    let Some(env) = start_on(engine, &["--rate-limit", "0", "--token", TOKEN]) else {
        return;
    };
    let (a, s) = (agent(), &env.server);
    let sent = [
        ("flow-0001", "奥罗拉健康正品特卖店", "tmall"),
        ("flow-0002", "奥罗拉健康正品特卖店", "tmall"),
        ("flow-0003", "Aurora Outlet", "jd"),
        ("flow-0004", "An honest shop", "tmall"),
    ];
    for (id, store, platform) in sent {
        let body = report(id, store, platform).to_string();
        assert_eq!(
            post_json(&a, &s.url("/api/reports"), &body)
                .expect("POST")
                .0,
            201
        );
    }
    for id in ["flow-0001", "flow-0002", "flow-0003"] {
        assert_eq!(decide(s, id, "confirmed"), 200);
    }
    assert_eq!(decide(s, "flow-0004", "rejected"), 200);
    assert_eq!(decide(s, "flow-0004", "maybe"), 422);
    assert_eq!(decide(s, "flow-9999", "confirmed"), 404);
    let status = json(&get(&s.url("/api/reports/flow-0004"), None).1);
    assert_eq!(status["status"], "rejected");

    let list = json(
        &get(
            &s.url("/api/inbox/reports?state=confirmed&platform=tmall"),
            Some(TOKEN),
        )
        .1,
    );
    assert_eq!(list["total"], 2);
    assert_eq!(list["reports"][0]["state_note"], "checked by test purchase");
    assert_eq!(
        get(&s.url("/api/inbox/reports?state=maybe"), Some(TOKEN)).0,
        400
    );
    let by_brand = json(
        &get(
            &s.url("/api/inbox/reports?brand=Aurora%20Wellness"),
            Some(TOKEN),
        )
        .1,
    );
    assert_eq!(by_brand["total"], 4);

    let exported = json(&get(&s.url("/api/inbox/export?format=json"), Some(TOKEN)).1);
    assert_eq!(
        exported["platforms"]["tmall"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        exported["platforms"]["jd"].as_array().map(Vec::len),
        Some(1)
    );
    let (status, csv) = get(
        &s.url("/api/inbox/export?format=csv&platform=jd"),
        Some(TOKEN),
    );
    assert_eq!(status, 200);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("Aurora Outlet"), "{csv}");

    let (status, blocklist) = get(&s.url("/api/inbox/blocklist.csv"), Some(TOKEN));
    assert_eq!(status, 200);
    assert!(
        blocklist.starts_with("platform,store_name,store_id,store_url,brand,reason,reported_at\n")
    );
    assert_eq!(
        blocklist.lines().count(),
        3,
        "one row per store: {blocklist}"
    );
    assert!(blocklist.contains("GEN-000001 GEN-000002"), "{blocklist}");
    assert!(!blocklist.contains("An honest shop"));

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("blocklist.csv"), &blocklist).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_genuine"))
        .args(["registry", "import", "--accounts"])
        .arg(repo("www/demo/registry/accounts.csv"))
        .arg("--blocklist")
        .arg(dir.path().join("blocklist.csv"))
        .args(["--version", "1", "--out"])
        .arg(dir.path().join("registry.json"))
        .output()
        .expect("runs genuine registry import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reg = json(&std::fs::read_to_string(dir.path().join("registry.json")).expect("read"));
    let names: Vec<&str> = reg["blocklist"]
        .as_array()
        .expect("blocklist")
        .iter()
        .filter_map(|b| b["store_name"].as_str())
        .collect();
    assert_eq!(names, ["Aurora Outlet", "奥罗拉健康正品特卖店"]);
}

#[test]
fn registry_files_get_an_etag_and_304() {
    let env = start(&[]);
    let url = env.server.url("/registry/demo.signed");
    let res = agent().get(&url).call().expect("GET");
    assert_eq!(res.status().as_u16(), 200);
    let tag = res.headers()["etag"].to_str().expect("ascii").to_string();
    assert!(tag.starts_with('"') && tag.len() > 10, "{tag}");
    let again = agent()
        .get(&url)
        .header("if-none-match", &tag)
        .call()
        .expect("GET");
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(again.headers()["etag"].to_str().ok(), Some(tag.as_str()));

    // A re-publish must change the tag even within the same second.
    let root = env._dir.path().join("www/registry/demo.signed");
    std::fs::write(root, b"registry v2, longer").expect("write");
    let changed = agent()
        .get(&url)
        .header("if-none-match", &tag)
        .call()
        .expect("GET");
    assert_eq!(changed.status().as_u16(), 200);
    assert_ne!(changed.headers()["etag"].to_str().ok(), Some(tag.as_str()));
}

#[test]
fn cors_preflight_for_extensions_only() {
    let env = start(&[]);
    let preflight = |origin: &str| {
        agent()
            .options(env.server.url("/api/reports"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .call()
            .expect("OPTIONS")
    };
    for origin in [
        "chrome-extension://abcdefghijklmnop",
        "moz-extension://1234-5678",
    ] {
        let res = preflight(origin);
        assert_eq!(res.status().as_u16(), 200);
        let h = res.headers();
        assert_eq!(h["access-control-allow-origin"].to_str().ok(), Some(origin));
        let methods = h["access-control-allow-methods"].to_str().unwrap_or("");
        assert!(methods.contains("POST"), "{methods}");
    }
    let res = preflight("https://evil.example");
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

/// Every report stored, read back through the inbox: (id, reference) in
/// order of the listing. Panics on an id or reference listed twice.
fn stored(s: &Server) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut total = 0;
    for offset in (0..).step_by(500) {
        let page = json(
            &get(
                &s.url(&format!("/api/inbox/reports?limit=500&offset={offset}")),
                Some(TOKEN),
            )
            .1,
        );
        total = page["total"].as_u64().unwrap_or(0);
        let reports = page["reports"].as_array().cloned().unwrap_or_default();
        if reports.is_empty() {
            break;
        }
        for r in reports {
            let field = |k: &str| r[k].as_str().unwrap_or("").to_string();
            out.push((field("id"), field("reference")));
        }
    }
    assert_eq!(out.len() as u64, total, "listed vs total");
    let ids: HashSet<_> = out.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), out.len(), "an id stored twice");
    out
}

/// The references are GEN-000001 … GEN-00000n, each once: no gap, no repeat.
fn assert_no_gaps(stored: &[(String, String)]) {
    let mut numbers: Vec<u64> = stored
        .iter()
        .map(|(_, r)| r.trim_start_matches("GEN-").parse().expect("GEN-number"))
        .collect();
    numbers.sort_unstable();
    let want: Vec<u64> = (1..=stored.len() as u64).collect();
    assert!(
        numbers == want,
        "references are not 1..={}: {numbers:?}",
        stored.len()
    );
}

/// Reporters keep sending while a server is SIGKILLed, mid-transaction as
/// likely as not; after a restart, every report that was acknowledged is
/// there, once, under the reference it was acknowledged with, and the
/// references have no gaps. With PostgreSQL two servers share the database,
/// reporters on both; one is killed and the other must go on acknowledging
/// (the killed one's transaction, and the writer's lock it may hold, are
/// rolled back with its connection).
fn acknowledged_reports_survive_sigkill(engine: Engine) {
    const REPORTERS: usize = 8;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let Some(db) = engine.database(dir.path()) else {
        return;
    };
    let args = ["--rate-limit", "0", "--token", TOKEN];
    let mut servers: Vec<Server> = (0..engine.instances())
        .map(|_| Server::start(&db, &root, &args))
        .collect();
    let acked: Arc<Mutex<Vec<(String, String, bool)>>> = Arc::default();
    let killed = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..REPORTERS)
        .map(|t| {
            // Reporter t writes to server t mod n; server 0 is the one killed.
            let victim = t % servers.len() == 0;
            let url = servers[t % servers.len()].url("/api/reports");
            let (acked, killed) = (acked.clone(), killed.clone());
            std::thread::spawn(move || {
                let a = agent();
                let deadline = Instant::now() + Duration::from_secs(3);
                for i in 0.. {
                    let id = format!("durable-{t}-{i:06}");
                    let body = report(&id, "Shop", "tmall").to_string();
                    let after_kill = killed.load(Ordering::SeqCst);
                    match post_json(&a, &url, &body) {
                        Ok((200 | 201, text)) => {
                            let reference =
                                json(&text)["reference"].as_str().unwrap_or("").to_string();
                            acked
                                .lock()
                                .expect("lock")
                                .push((id, reference, after_kill));
                        }
                        _ if victim && killed.load(Ordering::SeqCst) => break,
                        other => panic!("reporter {t} (victim: {victim}): {other:?}"),
                    }
                    if Instant::now() > deadline {
                        break;
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    killed.store(true, Ordering::SeqCst);
    servers[0].kill();
    for t in threads {
        t.join().expect("reporter thread");
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(
        acked.len() > 50,
        "too little load to mean anything: {}",
        acked.len()
    );
    let survivors_after_kill = acked.iter().filter(|(_, _, after)| *after).count();
    if engine.instances() > 1 {
        assert!(
            survivors_after_kill > 10,
            "the surviving server acknowledged only {survivors_after_kill} reports after the kill"
        );
    }

    servers[0] = Server::start(&db, &root, &args);
    let stored = stored(&servers[0]);
    let by_id: std::collections::HashMap<&str, &str> = stored
        .iter()
        .map(|(id, r)| (id.as_str(), r.as_str()))
        .collect();
    let lost: Vec<_> = acked
        .iter()
        .filter(|(id, _, _)| !by_id.contains_key(id.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged reports lost: {lost:?}",
        lost.len(),
        acked.len()
    );
    for (id, reference, _) in &acked {
        assert_eq!(by_id[id.as_str()], reference, "{id}");
    }
    assert_no_gaps(&stored);
    eprintln!(
        "sigkill ({engine:?}, {} servers): {} acknowledged ({survivors_after_kill} after the kill), {} stored, 0 lost, 0 duplicates, no gaps",
        servers.len(),
        acked.len(),
        stored.len()
    );
}

/// The same report sent at the same moment by several clients (a retry
/// racing its original), to every server sharing the database: each id is
/// stored once, every answer carries its one reference, exactly one answer
/// is 201, and no reference is used up.
fn the_same_id_at_once_everywhere_is_one_row(engine: Engine) {
    const IDS: usize = 40;
    const SENDERS: usize = 6;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let Some(db) = engine.database(dir.path()) else {
        return;
    };
    let args = ["--rate-limit", "0", "--token", TOKEN];
    let servers: Vec<Server> = (0..engine.instances())
        .map(|_| Server::start(&db, &root, &args))
        .collect();
    let start = Arc::new(std::sync::Barrier::new(SENDERS));
    let threads: Vec<_> = (0..SENDERS)
        .map(|t| {
            let url = servers[t % servers.len()].url("/api/reports");
            let start = start.clone();
            std::thread::spawn(move || {
                let a = agent();
                start.wait();
                (0..IDS)
                    .map(|i| {
                        let id = format!("twice-{i:04}");
                        let body = report(&id, "Shop", "tmall").to_string();
                        let (status, text) = post_json(&a, &url, &body).expect("POST");
                        let reference = json(&text)["reference"].as_str().map(str::to_string);
                        (id, status, reference.unwrap_or(text))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let answers: Vec<(String, u16, String)> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("sender"))
        .collect();
    let stored = stored(&servers[0]);
    assert_eq!(stored.len(), IDS, "one row per id");
    let by_id: std::collections::HashMap<&str, &str> = stored
        .iter()
        .map(|(id, r)| (id.as_str(), r.as_str()))
        .collect();
    for i in 0..IDS {
        let id = format!("twice-{i:04}");
        let mine: Vec<_> = answers.iter().filter(|(a, _, _)| *a == id).collect();
        let created = mine.iter().filter(|(_, s, _)| *s == 201).count();
        assert_eq!(created, 1, "{id}: {mine:?}");
        for (_, status, reference) in &mine {
            assert!(
                *status == 200 || *status == 201,
                "{id}: {status} {reference}"
            );
            assert_eq!(reference, by_id[id.as_str()], "{id}");
        }
    }
    assert_no_gaps(&stored);
}

/// SQL injection through every text a stranger sends (each field of a
/// report, the inbox's brand filter, a decision's note): the texts are
/// stored and given back byte for byte, filters match them as text, and the
/// table is still there.
fn hostile_text_is_stored_as_text(engine: Engine) {
    const HOSTILE: [&str; 8] = [
        "'); DROP TABLE reports; --",
        "' OR '1'='1",
        "x'; UPDATE reports SET state='confirmed'; --",
        "$1 ?1 $$ $tag$ :name @p",
        "\\'; SELECT pg_sleep(5); --",
        "\" OR \"\"=\"",
        "1; DELETE FROM inbox_counters",
        "%s %% _ \\x00 E'\\n'",
    ];
    let Some(env) = start_on(engine, &["--rate-limit", "0", "--token", TOKEN]) else {
        return;
    };
    let (a, s) = (agent(), &env.server);
    for (i, h) in HOSTILE.iter().enumerate() {
        let id = format!("hostile-{i:04}");
        let mut r = report(&id, h, "tmall");
        for field in ["store_id", "product_title", "note"] {
            r[field] = (*h).into();
        }
        r["price"] = h.chars().take(32).collect::<String>().into();
        r["url"] = format!("https://shop.example/item?q={}", urlencode(h)).into();
        r["verdict"]["brand"] = (*h).into();
        r["verdict"]["reasons"][0]["text"] = (*h).into();
        r["verdict"]["reasons"][0]["code"] = (*h).into();
        let (status, body) = post_json(&a, &s.url("/api/reports"), &r.to_string()).expect("POST");
        assert_eq!(status, 201, "{h}: {body}");
        let decision = serde_json::json!({"state": "confirmed", "note": h}).to_string();
        let mut res = a
            .post(s.url(&format!("/api/inbox/reports/{id}")))
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("content-type", "application/json")
            .send(decision)
            .expect("POST decision");
        assert_eq!(
            res.status().as_u16(),
            200,
            "{h}: {:?}",
            res.body_mut().read_to_string()
        );
        let (status, list) = get(
            &s.url(&format!("/api/inbox/reports?brand={}", urlencode(h))),
            Some(TOKEN),
        );
        assert_eq!(status, 200, "{h}: {list}");
        let list = json(&list);
        assert_eq!(
            list["total"], 1,
            "the brand filter matches {h:?} as text: {list}"
        );
        let got = &list["reports"][0];
        for field in [
            "store_name",
            "store_id",
            "product_title",
            "note",
            "state_note",
        ] {
            assert_eq!(got[field].as_str(), Some(*h), "{field}");
        }
        assert_eq!(got["verdict"]["brand"].as_str(), Some(*h));
        assert_eq!(got["verdict"]["reasons"][0]["text"].as_str(), Some(*h));
        assert_eq!(got["verdict"]["reasons"][0]["code"].as_str(), Some(*h));
        assert_eq!(got["url"], r["url"]);
        assert_eq!(got["price"], r["price"]);
        assert_eq!(got["state"], "confirmed");
    }
    let all = stored(s);
    assert_eq!(
        all.len(),
        HOSTILE.len(),
        "every report still there, no other"
    );
    assert_no_gaps(&all);
    let (_, none) = get(
        &s.url("/api/inbox/reports?brand=%27%20OR%201%3D1%20--"),
        Some(TOKEN),
    );
    assert_eq!(json(&none)["total"], 0, "{none}");
    let (status, csv) = get(&s.url("/api/inbox/export?format=csv"), Some(TOKEN));
    assert_eq!(status, 200);
    assert_eq!(csv.lines().count(), HOSTILE.len() + 1, "{csv}");
    // And the server still takes reports.
    let body = report("after-hostile-1", "Shop", "tmall").to_string();
    assert_eq!(
        post_json(&a, &s.url("/api/reports"), &body)
            .expect("POST")
            .0,
        201
    );
}

/// Percent-encodes everything but ASCII letters and digits.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The inbox page holds the token: it runs only its own files, no inline
/// script or handler, under a CSP that says so.
#[test]
fn inbox_page_is_served_with_a_strict_csp() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The page as scripts/site.mjs makes it, beside its script and style.
    let root = rendered_site();
    for f in ["inbox.js", "inbox.css"] {
        std::fs::copy(repo("www").join(f), root.path().join(f)).expect("copy");
    }
    let server = Server::start(dir.path().join("g.db"), root.path(), &[]);
    let res = agent().get(server.url("/inbox.html")).call().expect("GET");
    assert_eq!(res.status().as_u16(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let html = std::fs::read_to_string(root.path().join("inbox.html")).expect("read");
    assert!(
        !html.contains("<script>") && !html.contains(" onclick="),
        "inline script in inbox.html"
    );
    for f in ["/inbox.js", "/inbox.css"] {
        assert_eq!(
            agent()
                .get(server.url(f))
                .call()
                .expect("GET")
                .status()
                .as_u16(),
            200,
            "{f}"
        );
    }
}

/// Issue 16: the blocklist export is spreadsheet-safe like the report export
/// (a stranger's store name `=HYPERLINK(…)` was written raw).
fn blocklist_export_is_formula_safe(engine: Engine) {
    let Some(env) = start_on(engine, &["--rate-limit", "0", "--token", TOKEN]) else {
        return;
    };
    let (a, s) = (agent(), &env.server);
    let body = report(
        "formula-0001",
        "=HYPERLINK(\"https://evil.example\",\"click\")",
        "tmall",
    )
    .to_string();
    assert_eq!(
        post_json(&a, &s.url("/api/reports"), &body)
            .expect("POST")
            .0,
        201
    );
    assert_eq!(decide(s, "formula-0001", "confirmed"), 200);
    let (status, csv) = get(&s.url("/api/inbox/blocklist.csv"), Some(TOKEN));
    assert_eq!(status, 200);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}

/// Issue 16: the database (shoppers' reports) is readable by its owner only,
/// also when an older run left it 0644.
#[cfg(unix)]
#[test]
fn the_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    let fresh = dir.path().join("fresh.db");
    let s = Server::start(&fresh, &root, &["--token", TOKEN]);
    assert_eq!(mode(&fresh), 0o600);
    drop(s);
    let old = dir.path().join("old.db");
    std::fs::write(&old, b"").expect("create");
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let _s = Server::start(&old, &root, &["--token", TOKEN]);
    assert_eq!(mode(&old), 0o600);
}

/// Issue 16: SIGTERM (systemd, containers) stops the server gracefully, as
/// Ctrl-C does: exit 0, and what it acknowledged is kept.
fn sigterm_stops_gracefully_and_keeps_what_was_acknowledged(engine: Engine) {
    let Some(Env {
        _dir,
        db,
        root,
        server: mut s,
    }) = start_on(engine, &["--rate-limit", "0", "--token", TOKEN])
    else {
        return;
    };
    let body = report("term-0001", "A shop", "tmall").to_string();
    assert_eq!(
        post_json(&agent(), &s.url("/api/reports"), &body)
            .expect("POST")
            .0,
        201
    );
    let status = s
        .terminate(Duration::from_secs(10))
        .expect("exits within 10 s of SIGTERM");
    assert!(status.success(), "{status}");
    let s = Server::start(&db, &root, &["--token", TOKEN]);
    assert_eq!(get(&s.url("/api/reports/term-0001"), None).0, 200);
}

/// Issue 16: the token from a file (a command line shows in `ps`).
#[test]
fn token_from_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).expect("write");
    let env = start(&["--token-file", file.to_str().expect("utf-8")]);
    let s = &env.server;
    assert_eq!(get(&s.url("/api/inbox/reports"), Some(TOKEN)).0, 200);
    assert_eq!(
        get(&s.url("/api/inbox/reports"), Some("wrong-token-0123456789")).0,
        401
    );
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_genuine"))
        .args(["serve", "--port", "0", "--token-file"])
        .arg(&empty)
        .output()
        .expect("runs");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("is empty"));
}

/// Issue 16: a query string that does not parse is a JSON error like every
/// other (axum's own answer was text/plain).
#[test]
fn bad_query_strings_answer_json() {
    let env = start(&["--token", TOKEN]);
    let s = &env.server;
    for path in [
        "/api/inbox/reports?limit=ten",
        "/api/inbox/reports?offset=-1",
        "/api/inbox/reports?state=confirmed&limit=1.5",
    ] {
        let mut res = agent()
            .get(s.url(path))
            .header("authorization", format!("Bearer {TOKEN}"))
            .call()
            .expect("GET");
        let status = res.status().as_u16();
        let ctype = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = res.body_mut().read_to_string().expect("body");
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            ctype.starts_with("application/json"),
            "{path}: {ctype} {body}"
        );
        assert!(json(&body)["error"].is_string(), "{path}: {body}");
    }
}

/// Issue 16: a repeated id (a client's retry) does not use up a reference
/// number: the next new report gets the next one.
fn repeats_leave_no_gaps_in_references(engine: Engine) {
    let Some(env) = start_on(engine, &["--rate-limit", "0"]) else {
        return;
    };
    let (a, s) = (agent(), &env.server);
    let send = |id: &str| {
        let (status, body) = post_json(
            &a,
            &s.url("/api/reports"),
            &report(id, "A shop", "tmall").to_string(),
        )
        .expect("POST");
        (
            status,
            json(&body)["reference"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    let (s1, first) = send("gap-0001");
    assert_eq!(s1, 201);
    for _ in 0..3 {
        let (again, same) = send("gap-0001");
        assert_eq!((again, same.as_str()), (200, first.as_str()));
    }
    let (s2, second) = send("gap-0002");
    assert_eq!(s2, 201);
    let n = |r: &str| {
        r.trim_start_matches("GEN-")
            .parse::<u64>()
            .expect("GEN-number")
    };
    assert_eq!(n(&second), n(&first) + 1, "{first} then {second}");
}

/// Sends raw request bytes and reads what comes back within `wait`.
fn raw(base: &str, bytes: &[u8], wait: Duration) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut c = std::net::TcpStream::connect(addr).expect("connect");
    c.set_read_timeout(Some(wait)).expect("timeout");
    c.write_all(bytes).expect("write");
    let mut buf = vec![0u8; 4096];
    let n = c.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Issue 16: a report body that trickles in is cut off (408) after the body
/// timeout, not held open as long as the client likes.
#[test]
fn a_slow_body_gets_408() {
    let env = start(&["--rate-limit", "0", "--body-timeout-secs", "1"]);
    let head = "POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
    let t = Instant::now();
    let answer = raw(&env.server.base, head.as_bytes(), Duration::from_secs(5));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
}

/// Issue 16: the rate limit is applied before the body is read: a client over
/// its allowance is answered 429 at once, its body never buffered.
#[test]
fn the_rate_limit_comes_before_the_body() {
    let env = start(&["--rate-limit", "1"]);
    let s = &env.server;
    let body = report("early-0001", "A shop", "tmall").to_string();
    assert_eq!(
        post_json(&agent(), &s.url("/api/reports"), &body)
            .expect("POST")
            .0,
        201
    );
    // Headers announcing a body that never comes.
    let head = "POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";
    let answer = raw(&s.base, head.as_bytes(), Duration::from_secs(3));
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer:?}");
}

/// Issue 16 (slowloris): a connection that sends part of a request's
/// headers and then nothing is closed after --header-timeout-secs, not held
/// open as long as the client likes (axum::serve held it 30 s).
#[test]
fn a_slow_header_is_cut_off() {
    let env = start(&["--header-timeout-secs", "1"]);
    let t = Instant::now();
    let answer = raw(
        &env.server.base,
        b"GET /registry/ HTTP/1.1\r\nHost: x\r\n",
        Duration::from_secs(6),
    );
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "still open after {:?} ({answer:?})",
        t.elapsed()
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer:?}"
    );
}

/// Holds `held` idle connections to a server started with `args`, then
/// opens one more: whether the server closed that one at once (end of
/// stream or reset within 3 s; a read that times out means it is kept
/// open). Then lets the held ones go and checks the server answers again.
fn one_more_is_closed(args: &[&str], held: usize) -> bool {
    use std::io::{ErrorKind, Read};
    let env = start(args);
    let addr = env.server.base.trim_start_matches("http://").to_string();
    let holding: Vec<std::net::TcpStream> = (0..held)
        .map(|_| std::net::TcpStream::connect(&addr).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut over = std::net::TcpStream::connect(&addr).expect("connect");
    over.set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    let closed = match over.read(&mut [0u8; 16]) {
        Ok(n) => n == 0,
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
    };
    drop(holding);
    // Slots come back when connections end.
    std::thread::sleep(Duration::from_millis(200));
    let (status, _) = get(&env.server.url("/registry/"), None);
    assert!(status < 500, "after the held connections closed: {status}");
    closed
}

/// Issue 16: one address may hold at most --max-connections-per-address
/// connections; the next is closed at once, before a byte is read. (That
/// other addresses keep their own slots is a unit test in serve/listen.rs:
/// a test client here cannot choose its source address.)
#[test]
fn one_address_cannot_take_every_connection() {
    let args = [
        "--max-connections-per-address",
        "4",
        "--header-timeout-secs",
        "30",
    ];
    assert!(
        one_more_is_closed(&args, 4),
        "a fifth connection from one address was kept open"
    );
}

/// Issue 16: at most --max-connections at once in all.
#[test]
fn connections_beyond_the_cap_are_closed_at_once() {
    let args = ["--max-connections", "3", "--header-timeout-secs", "30"];
    assert!(
        one_more_is_closed(&args, 3),
        "a fourth connection over a cap of three was kept open"
    );
}

/// Issue 16: a total storage cap. Screenshots filled 1.37 GB in 10 s; with
/// --max-storage-mb the report that would pass the cap is refused with a
/// clear 507 (and a Retry-After), nothing half stored, while a repeat of a
/// stored report is still answered with its reference.
fn the_storage_cap_answers_507(engine: Engine) {
    let Some(env) = start_on(engine, &["--rate-limit", "0", "--max-storage-mb", "2"]) else {
        return;
    };
    let (a, url) = (agent(), env.server.url("/api/reports"));
    let mut stored = Vec::new();
    let mut refused = None;
    for i in 0..6 {
        let mut r = report(&format!("full-{i:04}"), "Shop", "tmall");
        r["screenshot"] = png_of(600_000).into();
        let res = a
            .post(&url)
            .header("content-type", "application/json")
            .send(r.to_string())
            .expect("POST");
        let status = res.status().as_u16();
        let retry = res
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap_or("").to_string());
        let body = res.into_body().read_to_string().expect("body");
        match status {
            201 => stored.push((r, json(&body)["reference"].clone())),
            507 => {
                refused = Some((body, retry));
                break;
            }
            other => panic!("report {i}: {other} {body}"),
        }
    }
    assert!(
        (1..=3).contains(&stored.len()),
        "{} reports of 600 KB fitted in 2 MB",
        stored.len()
    );
    let (body, retry) = refused.expect("a report past the cap is refused");
    assert_eq!(json(&body)["error"], "storage_full", "{body}");
    assert!(
        retry.is_some_and(|s| s.parse::<u64>().is_ok()),
        "Retry-After"
    );
    // A repeat of one that was stored still gets its receipt.
    let (first, reference) = &stored[0];
    let (status, again) = post_json(&a, &url, &first.to_string()).expect("repeat");
    assert!(status == 200 || status == 201, "{status} {again}");
    assert_eq!(&json(&again)["reference"], reference);
}

/// Issue 16: screenshots are kept --keep-days days. A report received 100
/// days ago (backdated in the file, as time would) loses its screenshot when
/// the server starts with --keep-days 30; the report stays, and a new
/// report keeps its screenshot.
fn old_screenshots_go_after_keep_days(engine: Engine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let Some(db) = engine.database(dir.path()) else {
        return;
    };
    let args = ["--rate-limit", "0", "--token", TOKEN, "--keep-days", "30"];
    for id in ["old-shot-0001", "new-shot-0001"] {
        let server = Server::start(&db, &root, &args);
        let mut r = report(id, "Shop", "tmall");
        r["screenshot"] = png_of(1000).into();
        let (status, body) =
            post_json(&agent(), &server.url("/api/reports"), &r.to_string()).expect("POST");
        assert_eq!(status, 201, "{body}");
        drop(server);
        if id.starts_with("old") {
            engine.execute(
                &db,
                &format!(
                    "UPDATE reports SET received_at = '2026-01-01T00:00:00Z' WHERE id = '{id}'"
                ),
            );
        }
    }
    let server = Server::start(&db, &root, &args);
    let shot = |id: &str| {
        agent()
            .get(server.url(&format!("/api/inbox/reports/{id}/screenshot")))
            .header("authorization", format!("Bearer {TOKEN}"))
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or_else(|e| match e {
                ureq::Error::StatusCode(c) => c,
                other => panic!("{other}"),
            })
    };
    assert_eq!(shot("new-shot-0001"), 200);
    assert_eq!(shot("old-shot-0001"), 404);
    let (_, list) = get(&server.url("/api/inbox/reports"), Some(TOKEN));
    assert_eq!(json(&list)["total"], 2, "the reports themselves stay");
}

/// `--db` over PostgreSQL's Unix socket (`postgres:///db?host=/run/postgresql`),
/// the way docs/reports-api.md suggests while the client has no TLS.
#[test]
fn postgres_over_a_unix_socket() {
    let Some(cluster) = super::pg::Cluster::get() else {
        return;
    };
    let tcp = cluster.database();
    let name = tcp.rsplit('/').next().unwrap_or_default();
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start(
        cluster.socket_url(name),
        &scratch_root(dir.path()),
        &["--rate-limit", "0"],
    );
    let body = report("socket-0001", "Shop", "tmall").to_string();
    let (status, reply) = post_json(&agent(), &s.url("/api/reports"), &body).expect("POST");
    assert_eq!(status, 201, "{reply}");
    assert_eq!(get(&s.url("/api/reports/socket-0001"), None).0, 200);
}

/// A PostgreSQL address that does not answer stops the server at once with
/// a sentence saying what to check, and without repeating the address (it
/// may hold a password, and logs are read by others).
#[test]
fn an_unreachable_postgres_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let out = Command::new(env!("CARGO_BIN_EXE_genuine"))
        .args(["serve", "--port", "0", "--root"])
        .arg(scratch_root(dir.path()))
        .env(
            "GENUINE_DB",
            format!("postgres://genuine:s3cret-pw@127.0.0.1:{port}/inbox"),
        )
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot open the PostgreSQL report database"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");
}

/// A server SIGKILLed in the middle of a batch's transaction, holding the
/// writer's lock (PostgreSQL): made deterministic by locking the reports
/// table from outside, so that server A's transaction stops after taking the
/// counters lock, inside its lookup. A is killed there. Once the outside
/// lock goes, server B stores reports at once, the report A never
/// acknowledged is not stored, and its retry to B gets the next number: no
/// gap, no lock left behind.
#[test]
fn a_server_killed_mid_transaction_holds_nobody_up() {
    let Some(cluster) = super::pg::Cluster::get() else {
        return;
    };
    let db = cluster.database();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let args = ["--rate-limit", "0", "--token", TOKEN];
    let mut a = Server::start(&db, &root, &args);
    let b = Server::start(&db, &root, &args);
    let mut outside = ::postgres::Client::connect(&db, ::postgres::NoTls).expect("connect");
    let mut hold = outside.transaction().expect("BEGIN");
    hold.batch_execute("LOCK TABLE reports IN ACCESS EXCLUSIVE MODE")
        .expect("LOCK");
    let url = a.url("/api/reports");
    let stuck = std::thread::spawn(move || {
        let body = report("midway-0001", "Shop", "tmall").to_string();
        post_json(&agent(), &url, &body).map(|(status, _)| status)
    });
    // Until A's session waits on the lock, inside its transaction.
    let mut watch = ::postgres::Client::connect(&db, ::postgres::NoTls).expect("connect");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let waiting: i64 = watch
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'genuine serve' \
                 AND wait_event_type = 'Lock' AND state = 'active'",
                &[],
            )
            .and_then(|r| r.try_get(0))
            .expect("pg_stat_activity");
        if waiting == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "server A never waited on the lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    a.kill();
    assert!(
        !matches!(stuck.join().expect("thread"), Ok(200 | 201)),
        "a killed server acknowledged"
    );
    hold.rollback().expect("ROLLBACK");
    let t = Instant::now();
    let send = |id: &str| {
        let body = report(id, "Shop", "tmall").to_string();
        let (status, text) = post_json(&agent(), &b.url("/api/reports"), &body).expect("POST");
        (status, json(&text)["reference"].clone())
    };
    assert_eq!(send("after-0001"), (201, "GEN-000001".into()));
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert_eq!(send("midway-0001"), (201, "GEN-000002".into()));
    assert_eq!(stored(&b).len(), 2);
}

/// What --keep-days drops is taken off what --max-storage-mb counts, on
/// both engines (SQLite reuses the freed pages; PostgreSQL's count goes
/// down): an inbox full of old screenshots takes reports again once they go.
fn dropped_screenshots_make_room_under_the_cap(engine: Engine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = scratch_root(dir.path());
    let Some(db) = engine.database(dir.path()) else {
        return;
    };
    let args = [
        "--rate-limit",
        "0",
        "--max-storage-mb",
        "2",
        "--keep-days",
        "30",
    ];
    let send = |s: &Server, id: &str| {
        let mut r = report(id, "Shop", "tmall");
        r["screenshot"] = png_of(600_000).into();
        post_json(&agent(), &s.url("/api/reports"), &r.to_string())
            .expect("POST")
            .0
    };
    let s = Server::start(&db, &root, &args);
    let statuses: Vec<u16> = (0..4).map(|i| send(&s, &format!("room-{i:04}"))).collect();
    let stored = statuses.iter().filter(|&&c| c == 201).count();
    assert!(
        (1..4).contains(&stored) && statuses.contains(&507),
        "{statuses:?}"
    );
    drop(s);
    engine.execute(
        &db,
        "UPDATE reports SET received_at = '2026-01-01T00:00:00Z'",
    );
    let s = Server::start(&db, &root, &args);
    assert_eq!(
        send(&s, "room-new-0001"),
        201,
        "the dropped screenshots made room"
    );
}

/// PostgreSQL restarted or failed over under a running server (its session
/// terminated from outside): the request that meets the dead connection may
/// fail (503, retried with the same id), the next ones are served on a new
/// connection, and nothing is lost or numbered twice.
#[test]
fn a_lost_postgres_connection_is_made_again() {
    let Some(cluster) = super::pg::Cluster::get() else {
        return;
    };
    let db = cluster.database();
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start(
        &db,
        &scratch_root(dir.path()),
        &["--rate-limit", "0", "--token", TOKEN],
    );
    let send = |id: &str| {
        let body = report(id, "Shop", "tmall").to_string();
        post_json(&agent(), &s.url("/api/reports"), &body)
            .expect("POST")
            .0
    };
    assert_eq!(send("before-0001"), 201);
    let mut admin = ::postgres::Client::connect(&db, ::postgres::NoTls).expect("connect");
    let killed: i64 = admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = 'genuine serve' AND datname = current_database()",
            &[],
        )
        .and_then(|r| r.try_get(0))
        .expect("terminate");
    assert_eq!(killed, 1, "the server's one session");
    // The first may meet the dead connection (503); then the same id is
    // stored once (201) and its repeats answered (200).
    let statuses: Vec<u16> = (0..3).map(|_| send("after-0001")).collect();
    assert!(
        statuses == [201, 200, 200] || statuses == [503, 201, 200],
        "{statuses:?}"
    );
    let all = stored(&s);
    assert_eq!(all.len(), 2);
    assert_no_gaps(&all);
}
