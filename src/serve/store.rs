//! The report inbox on disk: one SQLite file, owned by one thread.
//!
//! Why one dedicated thread with a channel rather than `spawn_blocking` per
//! request: SQLite lets one writer in at a time anyway, so a pool of
//! connections would only queue on its lock (or fail with SQLITE_BUSY). One
//! thread owning the one connection needs no lock and no retries, and it can
//! do *group commit*: every report waiting in the channel goes into one
//! transaction, paid for with one fsync. With `synchronous=FULL` the fsync is
//! what a report costs, so under load this multiplies throughput while each
//! reporter still hears back only after its own report is on disk.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};
use tokio::sync::oneshot;

use crate::report::Report;
use crate::time::Timestamp;

/// Most reports committed in one transaction; bounds a batch's latency.
const MAX_BATCH: usize = 512;

/// What went wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be opened or set up.
    #[error("cannot open the report database {path}: {source} (check that its directory exists and is writable)")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The file could not be created or made private (mode 0600).
    #[error("cannot create or protect the report database {path}: {source} (check that its directory exists and is yours)")]
    Private {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A query failed (disk full, I/O error, a damaged file).
    #[error("report database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database thread could not be started.
    #[error("cannot start the report database thread: {0}")]
    Thread(std::io::Error),
    /// A batch of reports could not be committed; none of it was stored.
    #[error("reports not stored: {0}")]
    Commit(String),
    /// The database thread has stopped; the server needs a restart.
    #[error("the report database thread has stopped; restart genuine serve")]
    Gone,
    /// A stored row does not hold the JSON this server wrote.
    #[error("a stored report is damaged: {0}")]
    Damaged(String),
    /// Storing the report would take the database past `--max-storage-mb`.
    #[error("the report database is full ({used} of {max} bytes used); raise --max-storage-mb, or lower --keep-days so old screenshots go sooner")]
    Full { used: u64, max: u64 },
}

/// How much the inbox may keep (`genuine serve --max-storage-mb, --keep-days`).
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Bytes the reports may take in the database, all told; a report that
    /// would pass it is refused (507), never half stored.
    pub max_bytes: u64,
    /// Days a report's screenshot is kept (the report itself stays); 0 keeps
    /// them for ever.
    pub keep_days: u32,
}

/// Where a reporter's report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Received,
    Confirmed,
    Rejected,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Confirmed => "confirmed",
            State::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        match s {
            "received" => Some(State::Received),
            "confirmed" => Some(State::Confirmed),
            "rejected" => Some(State::Rejected),
            _ => None,
        }
    }
}

/// A report's receipt: what the reporter is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: String,
    pub reference: String,
    pub state: State,
    /// False when the id was already stored (a retried send).
    pub created: bool,
}

/// The inbox's filters; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub brand: Option<String>,
    pub platform: Option<String>,
    pub state: Option<State>,
    pub limit: u32,
    pub offset: u32,
}

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

enum Msg {
    Insert(Box<Report>, oneshot::Sender<Result<Receipt, StoreError>>),
    Run(Job),
}

/// How often old screenshots are looked for.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// A handle to the database thread; cheap to clone.
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<Msg>,
}

/// `GEN-000123`: short enough to read out on the phone.
pub fn reference(seq: i64) -> String {
    format!("GEN-{seq:06}")
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS reports (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  received_at TEXT NOT NULL,
  platform TEXT NOT NULL,
  brand TEXT,
  state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received','confirmed','rejected')),
  state_note TEXT,
  state_at TEXT,
  report TEXT NOT NULL,
  screenshot TEXT
);
CREATE INDEX IF NOT EXISTS reports_by_state ON reports(state, platform);
";

/// The database holds shoppers' reports (addresses of pages they visited,
/// notes, screenshots): readable by its owner only. Created 0600, or made so
/// if an older run left it readable by others; SQLite gives its -wal and -shm
/// files the database file's mode.
fn private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database and starts its thread.
    pub fn open(path: &Path, retention: Retention) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        private_file(path).map_err(|source| StoreError::Private {
            path: path.to_path_buf(),
            source,
        })?;
        let conn = Connection::open(path).map_err(open_err)?;
        // WAL: readers never block the writer. synchronous=FULL: a commit has
        // reached the disk when it returns, which is what a 201 promises.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.execute_batch(SCHEMA).map_err(open_err)?;
        prune(&conn, retention.keep_days).map_err(open_err)?;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("genuine-db".into())
            .spawn(move || worker(conn, rx, retention))
            .map_err(StoreError::Thread)?;
        Ok(Store { tx })
    }

    /// Stores a report unless its id is already there; answers after commit.
    pub async fn insert(&self, report: Report) -> Result<Receipt, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(Msg::Insert(Box::new(report), tx))
            .map_err(|_| StoreError::Gone)?;
        rx.await.map_err(|_| StoreError::Gone)?
    }

    /// Runs `f` on the database thread.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = tx.send(f(conn));
        });
        self.tx.send(Msg::Run(job)).map_err(|_| StoreError::Gone)?;
        rx.await.map_err(|_| StoreError::Gone)?
    }

    pub async fn receipt(&self, id: String) -> Result<Option<Receipt>, StoreError> {
        self.call(move |c| lookup(c, &id)).await
    }

    /// Sets a report's state; `None` when no report has that id.
    pub async fn set_state(
        &self,
        id: String,
        state: State,
        note: Option<String>,
    ) -> Result<Option<Receipt>, StoreError> {
        self.call(move |c| {
            let n = c.execute(
                "UPDATE reports SET state = ?1, state_note = ?2, state_at = ?3 WHERE id = ?4",
                params![state.as_str(), note, Timestamp::now().to_string(), id],
            )?;
            if n == 0 {
                return Ok(None);
            }
            lookup(c, &id)
        })
        .await
    }

    /// Reports matching `filter`, newest first, and how many match in all.
    pub async fn list(&self, filter: Filter) -> Result<(i64, Vec<Value>), StoreError> {
        self.call(move |c| {
            let brand = filter.brand.as_deref();
            let platform = filter.platform.as_deref();
            let state = filter.state.map(State::as_str);
            let total: i64 = c.query_row(
                &format!("SELECT count(*) FROM reports WHERE {WHERE}"),
                params![brand, platform, state],
                |r| r.get(0),
            )?;
            let rows = rows(
                c,
                &format!("{SELECT} WHERE {WHERE} ORDER BY seq DESC LIMIT ?4 OFFSET ?5"),
                params![brand, platform, state, filter.limit, filter.offset],
            )?;
            Ok((total, rows))
        })
        .await
    }

    /// Confirmed reports, by platform then age: what takedown requests cite.
    pub async fn confirmed(&self, platform: Option<String>) -> Result<Vec<Value>, StoreError> {
        self.call(move |c| {
            rows(
                c,
                &format!("{SELECT} WHERE state = 'confirmed' AND (?1 IS NULL OR platform = ?1) ORDER BY platform, seq"),
                params![platform],
            )
        })
        .await
    }

    /// The screenshot data URL of a report, if it has one.
    pub async fn screenshot(&self, id: String) -> Result<Option<String>, StoreError> {
        self.call(move |c| {
            Ok(
                c.query_row("SELECT screenshot FROM reports WHERE id = ?1", [id], |r| {
                    r.get::<_, Option<String>>(0)
                })
                .optional()?
                .flatten(),
            )
        })
        .await
    }
}

const WHERE: &str =
    "(?1 IS NULL OR brand = ?1) AND (?2 IS NULL OR platform = ?2) AND (?3 IS NULL OR state = ?3)";
const SELECT: &str = "SELECT seq, state, state_note, state_at, received_at, report, \
                      screenshot IS NOT NULL FROM reports";

/// Each row as the stored report plus what the inbox added to it.
fn rows(c: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Value>, StoreError> {
    let mut stmt = c.prepare(sql)?;
    let mut out = Vec::new();
    let mut q = stmt.query(p)?;
    while let Some(r) = q.next()? {
        let text: String = r.get(5)?;
        let mut obj: Map<String, Value> =
            serde_json::from_str(&text).map_err(|e| StoreError::Damaged(e.to_string()))?;
        obj.insert("reference".into(), reference(r.get(0)?).into());
        obj.insert("state".into(), r.get::<_, String>(1)?.into());
        obj.insert("state_note".into(), r.get::<_, Option<String>>(2)?.into());
        obj.insert("state_at".into(), r.get::<_, Option<String>>(3)?.into());
        obj.insert("received_at".into(), r.get::<_, String>(4)?.into());
        obj.insert("has_screenshot".into(), r.get::<_, bool>(6)?.into());
        out.push(Value::Object(obj));
    }
    Ok(out)
}

fn lookup(c: &Connection, id: &str) -> Result<Option<Receipt>, StoreError> {
    let row = c
        .query_row("SELECT seq, state FROM reports WHERE id = ?1", [id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    row.map(|(seq, state)| {
        Ok(Receipt {
            id: id.to_string(),
            reference: reference(seq),
            state: State::parse(&state).ok_or_else(|| StoreError::Damaged(state.clone()))?,
            created: false,
        })
    })
    .transpose()
}

/// Drops the screenshots of reports older than `keep_days` (0: none). The
/// pages they held go to SQLite's free list and are used again, so the file
/// stops growing; it does not shrink without a VACUUM, which the operator
/// may run.
fn prune(conn: &Connection, keep_days: u32) -> Result<usize, rusqlite::Error> {
    if keep_days == 0 {
        return Ok(0);
    }
    let cutoff = Timestamp(Timestamp::now().0 - i64::from(keep_days) * 86_400).to_string();
    let n = conn.execute(
        "UPDATE reports SET screenshot = NULL WHERE screenshot IS NOT NULL AND received_at < ?1",
        [cutoff],
    )?;
    if n > 0 {
        eprintln!("genuine: dropped the screenshots of {n} report(s) older than {keep_days} days");
    }
    Ok(n)
}

/// Bytes the database holds in use: its pages less the free ones.
fn used_bytes(conn: &Connection) -> Result<u64, rusqlite::Error> {
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
    let pages = pragma("page_count")? - pragma("freelist_count")?;
    Ok(u64::try_from(pages.max(0) * pragma("page_size")?).unwrap_or(0))
}

fn worker(mut conn: Connection, rx: mpsc::Receiver<Msg>, retention: Retention) {
    let mut pending: Vec<Msg> = Vec::new();
    let mut pruned = std::time::Instant::now();
    loop {
        // Hourly, whether reports keep coming or not.
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = std::time::Instant::now();
            if let Err(e) = prune(&conn, retention.keep_days) {
                eprintln!("genuine: dropping old screenshots failed: {e}");
            }
        }
        let first = match rx.recv_timeout(PRUNE_EVERY.saturating_sub(pruned.elapsed())) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        pending.push(first);
        pending.extend(rx.try_iter().take(MAX_BATCH));
        let mut batch = Vec::new();
        for msg in pending.drain(..) {
            match msg {
                Msg::Insert(report, reply) => batch.push((report, reply)),
                Msg::Run(job) => {
                    // Keep order: inserts sent before this job commit first.
                    commit_batch(&mut conn, std::mem::take(&mut batch), retention.max_bytes);
                    job(&mut conn);
                }
            }
        }
        commit_batch(&mut conn, batch, retention.max_bytes);
    }
}

/// Refuses, before the transaction, each new report that would take the
/// database past `max_bytes` (a repeat of a stored one is still answered
/// with its receipt); the rest go on to be committed.
fn within_cap(
    conn: &Connection,
    batch: Vec<(Box<Report>, Reply)>,
    max_bytes: u64,
) -> Vec<(Box<Report>, Reply)> {
    let mut used = match used_bytes(conn) {
        Ok(u) => u,
        Err(e) => {
            for (_, reply) in batch {
                let _ = reply.send(Err(StoreError::Commit(e.to_string())));
            }
            return Vec::new();
        }
    };
    let mut keep = Vec::with_capacity(batch.len());
    for (report, reply) in batch {
        if let Ok(Some(receipt)) = lookup(conn, &report.id) {
            let _ = reply.send(Ok(receipt));
            continue;
        }
        // What the row will take, near enough: its JSON, its screenshot and
        // SQLite's overhead for a row and its index entries.
        let size = serde_json::to_string(&*report).map_or(0, |j| j.len() as u64) + 256;
        if used + size > max_bytes {
            let _ = reply.send(Err(StoreError::Full {
                used,
                max: max_bytes,
            }));
            continue;
        }
        used += size;
        keep.push((report, reply));
    }
    keep
}

type Reply = oneshot::Sender<Result<Receipt, StoreError>>;

/// One transaction for every waiting report; replies only after the commit.
/// On any failure the whole batch is rolled back and every sender told: their
/// clients retry with the same ids, which the UNIQUE id makes safe.
fn commit_batch(conn: &mut Connection, batch: Vec<(Box<Report>, Reply)>, max_bytes: u64) {
    if batch.is_empty() {
        return;
    }
    let mut batch = within_cap(conn, batch, max_bytes);
    if batch.is_empty() {
        return;
    }
    let result = (|| -> Result<Vec<Receipt>, StoreError> {
        let tx = conn.transaction()?;
        let receipts = batch
            .iter_mut()
            .map(|(r, _)| insert_one(&tx, r))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(receipts)
    })();
    match result {
        Ok(receipts) => {
            for ((_, reply), receipt) in batch.into_iter().zip(receipts) {
                let _ = reply.send(Ok(receipt));
            }
        }
        Err(e) => {
            let msg = e.to_string();
            for (_, reply) in batch {
                let _ = reply.send(Err(StoreError::Commit(msg.clone())));
            }
        }
    }
}

fn insert_one(tx: &rusqlite::Transaction, r: &mut Report) -> Result<Receipt, StoreError> {
    // A repeat is answered from the row it repeats, before any insert: an
    // insert that meets the UNIQUE id still takes a number from the
    // AUTOINCREMENT sequence, and references would have gaps. One writer
    // thread, inside its transaction: nothing can come in between.
    if let Some(receipt) = lookup(tx, &r.id)? {
        return Ok(receipt);
    }
    // The screenshot has its own column so that listings never carry it.
    let screenshot = r.screenshot.take();
    let json = serde_json::to_string(&*r).map_err(|e| StoreError::Damaged(e.to_string()))?;
    let n = tx.execute(
        "INSERT INTO reports (id, received_at, platform, brand, report, screenshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO NOTHING",
        params![
            r.id,
            Timestamp::now().to_string(),
            r.platform.as_str(),
            r.verdict.brand,
            json,
            screenshot
        ],
    )?;
    if n == 1 {
        return Ok(Receipt {
            id: r.id.clone(),
            reference: reference(tx.last_insert_rowid()),
            state: State::Received,
            created: true,
        });
    }
    lookup(tx, &r.id)?.ok_or_else(|| StoreError::Damaged(format!("report {} vanished", r.id)))
}
