//! A throw-away PostgreSQL server for the inbox tests and the load bench:
//! Debian's `postgresql` binaries (`scripts/install.sh`), a cluster made
//! with `initdb` in a temporary directory, on a free port, its socket in
//! that directory. One per test process, started by the first test that
//! asks; each test gets a database of its own in it.
//!
//! The server is run by a small shell that waits on its stdin, a pipe from
//! this process: when the test process ends, however it ends (a finished
//! run, a panic, a SIGKILL), the pipe closes, and the shell stops the
//! server and deletes the directory. Rust runs no destructor for a static.
//!
//! `initdb` refuses to run as root; as root (CI containers, here) the
//! cluster is made and run as the `postgres` user the Debian package
//! creates, in a directory it owns.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub struct Cluster {
    port: u16,
    /// Holds the data and the server's Unix socket.
    dir: PathBuf,
    /// Held, never written: closing it (at exit) stops the server.
    _keep: Mutex<(Child, ChildStdin)>,
}

/// The cluster; `Ok(None)` when PostgreSQL is not installed; `Err` when it
/// is but the cluster would not start (a failure, never a skip).
static CLUSTER: OnceLock<Result<Option<Cluster>, String>> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// Whether a missing PostgreSQL must fail the run rather than skip (CI).
fn required() -> bool {
    ["GENUINE_REQUIRE_POSTGRES", "GENUINE_REQUIRE_FIXTURES"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|v| v == "1"))
}

fn has_binaries(dir: &std::path::Path) -> bool {
    dir.join("initdb").is_file() && dir.join("postgres").is_file()
}

/// The directory holding `initdb` and `postgres`: `GENUINE_PG_BIN`, else
/// the newest `/usr/lib/postgresql/*/bin` (Debian keeps them off PATH), else
/// PATH.
fn bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("GENUINE_PG_BIN") {
        return Some(PathBuf::from(dir)).filter(|d| has_binaries(d));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_binaries(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).find(|d| has_binaries(d)))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// initdb, then the server in the foreground of a shell that stops it and
/// removes `$D` once its stdin closes. Prints `ready` or the logs.
const SCRIPT: &str = r#"
D="$1"; P="$2"; BIN="$3"
if ! "$BIN/initdb" -D "$D/data" -A trust -U postgres -E UTF8 --no-sync >"$D/initdb.log" 2>&1; then
  echo "initdb failed:"; cat "$D/initdb.log"; rm -rf "$D"; exit 1
fi
"$BIN/postgres" -D "$D/data" -p "$P" -k "$D" -c listen_addresses=127.0.0.1 \
  -c max_connections=200 >"$D/server.log" 2>&1 &
pid=$!
echo started
read _ignored
kill -INT "$pid" 2>/dev/null
wait "$pid"
rm -rf "$D"
"#;

/// A directory for the cluster, the postgres user's when running as root.
/// In /tmp rather than $TMPDIR: the postgres user must be able to reach it
/// (a root's $TMPDIR may be under /root), and a Unix socket's path may not
/// pass about 100 bytes.
fn cluster_dir() -> Result<PathBuf, String> {
    let parent = Some(PathBuf::from("/tmp"))
        .filter(|p| p.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new()
        .prefix("genuine-pg-")
        .tempdir_in(parent)
        .map_err(|e| e.to_string())?;
    if is_root() {
        let owned = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !owned {
            return Err(format!(
                "cannot give {} to the postgres user (as root, initdb must run as postgres)",
                dir.path().display()
            ));
        }
    }
    // From here on SCRIPT removes it.
    Ok(dir.keep())
}

/// Runs SCRIPT (as postgres when root) and waits for its `started`.
fn spawn(bin: &Path, dir: &Path, port: u16) -> Result<(Child, ChildStdin), String> {
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c"]);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c");
        c
    };
    let mut child = cmd
        .arg(SCRIPT)
        .arg("genuine-pg")
        .arg(dir)
        .arg(port.to_string())
        .arg(bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let _ = out.read_line(&mut line);
    if line.trim() != "started" {
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut rest);
        return Err(format!(
            "the PostgreSQL test server did not start: {line}{rest}"
        ));
    }
    Ok((child, stdin))
}

fn start() -> Result<Option<Cluster>, String> {
    let Some(bin) = bin_dir() else {
        return Ok(None);
    };
    let dir = cluster_dir()?;
    let port = free_port();
    let cluster = Cluster {
        port,
        _keep: Mutex::new(spawn(&bin, &dir, port)?),
        dir,
    };
    // Ready when it takes a connection.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match cluster.admin() {
            Ok(_) => return Ok(Some(cluster)),
            Err(e) if Instant::now() > deadline => {
                let log =
                    std::fs::read_to_string(cluster.dir.join("server.log")).unwrap_or_default();
                return Err(format!(
                    "the PostgreSQL test server did not answer: {e}\n{log}"
                ));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

impl Cluster {
    /// The running cluster; `None` (after a loud message) when PostgreSQL is
    /// not installed, unless the run requires it. A cluster that will not
    /// start fails the test: that is a broken machine, not a missing package.
    pub fn get() -> Option<&'static Cluster> {
        const MISSING: &str = "no PostgreSQL binaries (initdb, postgres) found: install Debian's \
                               postgresql package (scripts/install.sh does), or set GENUINE_PG_BIN";
        match CLUSTER.get_or_init(start) {
            Ok(Some(c)) => Some(c),
            Ok(None) if required() => {
                panic!("PostgreSQL is required (GENUINE_REQUIRE_POSTGRES or GENUINE_REQUIRE_FIXTURES is 1): {MISSING}")
            }
            Ok(None) => {
                eprintln!(
                    "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
                     !!! SKIPPED: the PostgreSQL half of the inbox tests did not run.\n\
                     !!! {MISSING}\n\
                     !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                );
                None
            }
            Err(why) => panic!("{why}"),
        }
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn admin(&self) -> Result<postgres::Client, postgres::Error> {
        postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
    }

    /// The address of database `name` over the server's Unix socket.
    pub fn socket_url(&self, name: &str) -> String {
        format!(
            "postgres:///{name}?host={}&port={}&user=postgres",
            self.dir.display(),
            self.port
        )
    }

    /// A new, empty database; its `postgres://` address.
    pub fn database(&self) -> String {
        let name = format!(
            "inbox_{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        );
        self.admin()
            .and_then(|mut c| c.batch_execute(&format!("CREATE DATABASE {name}")))
            .expect("CREATE DATABASE");
        self.url(&name)
    }
}

/// Runs one statement on the database at `url` (to age a row, say).
pub fn execute(url: &str, sql: &str) {
    postgres::Client::connect(url, postgres::NoTls)
        .and_then(|mut c| c.batch_execute(sql))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
