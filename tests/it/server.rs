//! A real `genuine serve` process on a free port, and a small HTTP client.
//! Shared by the integration tests and the load bench (`benches/reports.rs`).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; killed (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

pub const TOKEN: &str = "test-token-0123456789";

impl Server {
    /// Starts `genuine serve --port 0 --db DB ARGS…` and waits for its
    /// address. `db` is a SQLite file or a `postgres://` address.
    pub fn start(db: impl AsRef<OsStr>, root: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_genuine"))
            .args(["serve", "--port", "0", "--db"])
            .arg(db)
            .arg("--root")
            .arg(root)
            .args(args)
            .env_remove("GENUINE_INBOX_TOKEN")
            .env_remove("GENUINE_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starts genuine serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reads the address line");
        // "genuine: serving ROOT on http://ADDR/…"
        let base = line
            .split_once(" on http://")
            .and_then(|(_, rest)| rest.split('/').next())
            .map(|addr| format!("http://{addr}"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, base }
    }

    /// The process id (the load bench reads its memory use).
    #[allow(dead_code)]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGTERM, what systemd and container runtimes send; waits up to
    /// `within` for the process to exit and returns its exit status.
    pub fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let end = std::time::Instant::now() + within;
        while std::time::Instant::now() < end {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// SIGKILL: no chance to flush or finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Which engine a server keeps its reports in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// A fresh, empty database for `--db`: a SQLite file in `dir`, or a
    /// database of its own in the test PostgreSQL server. `None` when
    /// PostgreSQL is not installed (and not required): the caller skips.
    pub fn database(self, dir: &Path) -> Option<String> {
        match self {
            Engine::Sqlite => Some(dir.join("genuine.db").to_string_lossy().into_owned()),
            Engine::Postgres => Some(super::pg::Cluster::get()?.database()),
        }
    }

    /// How many servers may share one database: PostgreSQL is for several
    /// instances behind a load balancer; a SQLite file has one server.
    pub fn instances(self) -> usize {
        match self {
            Engine::Sqlite => 1,
            Engine::Postgres => 2,
        }
    }

    /// Runs one SQL statement on `db` (the table is the same in both).
    pub fn execute(self, db: &str, sql: &str) {
        match self {
            Engine::Sqlite => {
                rusqlite::Connection::open(db)
                    .and_then(|c| c.execute_batch(sql))
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            Engine::Postgres => super::pg::execute(db, sql),
        }
    }
}

/// www/ with a registry file in it, in a temporary directory.
pub fn scratch_root(dir: &Path) -> PathBuf {
    let root = dir.join("www");
    std::fs::create_dir_all(root.join("registry")).expect("mkdir");
    std::fs::write(root.join("registry/demo.signed"), b"registry v1").expect("write");
    root
}

/// An agent that returns 4xx/5xx as responses, not errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// (status, body) of a JSON POST.
pub fn post_json(a: &ureq::Agent, url: &str, body: &str) -> Result<(u16, String), ureq::Error> {
    let mut res = a
        .post(url)
        .header("content-type", "application/json")
        .send(body)?;
    let status = res.status().as_u16();
    Ok((status, res.body_mut().read_to_string()?))
}

/// A valid report body with this id.
pub fn report(id: &str, store: &str, platform: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "url": "https://detail.tmall.com/item.htm?id=42",
        "platform": platform,
        "store_name": store,
        "store_id": null,
        "product_title": "Aurora Deep Sea Fish Oil 120 capsules",
        "price": "39.00",
        "currency": "CNY",
        "verdict": {"level": "danger", "brand": "Aurora Wellness",
                    "reasons": [{"code": "lookalike_name", "text": "Looks like the official store"}]},
        "category": "counterfeit",
        "note": "Arrived without the hologram seal.",
        "created_at": "2026-11-20T10:00:00.123Z"
    })
}

/// A PNG data URL of about `n` bytes of image (the PNG signature, then
/// bytes that do not repeat, as a real image's compressed data would not).
pub fn png_of(n: usize) -> String {
    use base64::Engine as _;
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x: u32 = 0x9E37_79B9;
    bytes.extend((0..n).map(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as u8
    }));
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}
