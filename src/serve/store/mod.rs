//! The report inbox's database: what a report costs, when it is refused,
//! how repeats are answered, and how rows become the JSON the API gives —
//! the same whichever engine holds the rows. Two engines:
//!
//! - `sqlite`: one file, the embedded default (`make demo`); one server.
//! - `postgres`: `--db postgres://…`, for several `genuine serve` instances
//!   behind a load balancer, all writing to one database.
//!
//! `writer` is the database thread and the rules of a batch; this file holds
//! the handle the handlers call, the types, and what an engine must do
//! ([`Backend`], [`Write`]).
//!
//! Each server keeps its database connection on one dedicated thread that
//! work is sent to over a channel, rather than `spawn_blocking` per request:
//! SQLite lets one writer in at a time anyway, and reference numbers without
//! gaps need one writer at a time on PostgreSQL too (see `postgres`), so a
//! pool of connections would only queue on a lock. One thread owning the
//! connection can do *group commit*: every report waiting in the channel
//! goes into one transaction, paid for with one fsync, while each reporter
//! still hears back only after its own report is on disk.

mod postgres;
mod sqlite;
mod writer;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;

use serde_json::{Map, Value};
use tokio::sync::oneshot;

use crate::report::Report;
use crate::time::Timestamp;

/// What a row takes beyond its report and screenshot, near enough: the
/// engine's overhead for a row and its index entries.
const ROW_OVERHEAD: u64 = 256;

/// What went wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SQLite file could not be opened or set up.
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
    /// The PostgreSQL server could not be reached or the schema not set up.
    /// The address is not repeated: it may hold a password.
    #[error("cannot open the PostgreSQL report database given by --db: {0} (check that the server runs, the address, user and password, and that the database exists)")]
    Connect(#[source] ::postgres::Error),
    /// A SQLite query failed (disk full, I/O error, a damaged file).
    #[error("report database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A PostgreSQL query failed (connection lost, server full, …).
    #[error("report database error: {0}")]
    Postgres(#[from] ::postgres::Error),
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

/// Where the reports are kept (`genuine serve --db`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`postgres://user:pass@host/db` or
    /// `postgresql://…`), as libpq takes it.
    Postgres(String),
}

impl Database {
    /// A `postgres://` or `postgresql://` address is PostgreSQL; anything
    /// else is a SQLite file's path.
    pub fn from_arg(arg: PathBuf) -> Database {
        match arg.to_str() {
            Some(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => {
                Database::Postgres(s.to_string())
            }
            _ => Database::Sqlite(arg),
        }
    }
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

/// `GEN-000123`: short enough to read out on the phone.
pub fn reference(seq: i64) -> String {
    format!("GEN-{seq:06}")
}

/// The table, as both engines create it: only the numbering column differs
/// (SQLite's AUTOINCREMENT under its one writer; PostgreSQL's numbers are
/// handed out under a lock, see `postgres`). Timestamps are RFC 3339 text in
/// UTC, which sorts as time does, so retention compares text in both.
const COLUMNS: &str = "
  id TEXT NOT NULL UNIQUE,
  received_at TEXT NOT NULL,
  platform TEXT NOT NULL,
  brand TEXT,
  state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received','confirmed','rejected')),
  state_note TEXT,
  state_at TEXT,
  report TEXT NOT NULL,
  screenshot TEXT";
const INDEX: &str = "CREATE INDEX IF NOT EXISTS reports_by_state ON reports(state, platform)";

/// The queries both engines run, written once with SQLite's `?N`
/// placeholders (the PostgreSQL side turns them into `$N`). Parameters are
/// always bound, never pasted in: every text here came from a stranger.
mod sql {
    pub const FIND: &str = "SELECT seq, state FROM reports WHERE id = ?1";
    pub const SET_STATE: &str =
        "UPDATE reports SET state = ?1, state_note = ?2, state_at = ?3 WHERE id = ?4";
    pub const SCREENSHOT: &str = "SELECT screenshot FROM reports WHERE id = ?1";
    pub const PRUNE: &str =
        "UPDATE reports SET screenshot = NULL WHERE screenshot IS NOT NULL AND received_at < ?1";
    const WHERE: &str = "(CAST(?1 AS TEXT) IS NULL OR brand = ?1) \
                         AND (CAST(?2 AS TEXT) IS NULL OR platform = ?2) \
                         AND (CAST(?3 AS TEXT) IS NULL OR state = ?3)";
    const SELECT: &str = "SELECT seq, state, state_note, state_at, received_at, report, \
                          screenshot IS NOT NULL FROM reports";
    pub fn count() -> String {
        format!("SELECT count(*) FROM reports WHERE {WHERE}")
    }
    pub fn list() -> String {
        format!("{SELECT} WHERE {WHERE} ORDER BY seq DESC LIMIT ?4 OFFSET ?5")
    }
    pub fn confirmed() -> String {
        format!(
            "{SELECT} WHERE state = 'confirmed' AND (CAST(?1 AS TEXT) IS NULL OR platform = ?1) \
             ORDER BY platform, seq"
        )
    }
}

/// A row as stored, before the inbox adds its fields to the report's JSON.
pub(super) struct Row {
    seq: i64,
    state: String,
    state_note: Option<String>,
    state_at: Option<String>,
    received_at: String,
    report: String,
    has_screenshot: bool,
}

/// A report ready to be written: its JSON without the screenshot (which has
/// a column of its own, so that listings never carry it).
pub(super) struct NewRow<'a> {
    id: &'a str,
    received_at: &'a str,
    platform: &'a str,
    brand: Option<&'a str>,
    report: &'a str,
    screenshot: Option<&'a str>,
    /// What it counts against `--max-storage-mb`.
    size: u64,
}

/// What an engine does; when and why is decided here, not there.
trait Backend: Send {
    /// Begins the transaction a batch of reports is written in, holding the
    /// one writer's place: no other writer, of this server or another, can
    /// come in between until it commits or is dropped (rolled back).
    fn write(&mut self) -> Result<Box<dyn Write + '_>, StoreError>;
    /// `(seq, state)` of the report with this id.
    fn find(&mut self, id: &str) -> Result<Option<(i64, String)>, StoreError>;
    /// False when no report has this id.
    fn set_state(
        &mut self,
        id: &str,
        state: State,
        note: Option<&str>,
        at: &str,
    ) -> Result<bool, StoreError>;
    /// The rows matching `filter`, newest first, and how many match in all.
    fn list(&mut self, filter: &Filter) -> Result<(i64, Vec<Row>), StoreError>;
    /// Confirmed rows (on `platform`, if given), by platform then age.
    fn confirmed(&mut self, platform: Option<&str>) -> Result<Vec<Row>, StoreError>;
    fn screenshot(&mut self, id: &str) -> Result<Option<String>, StoreError>;
    /// Drops the screenshots of reports received before `cutoff`; how many.
    fn prune(&mut self, cutoff: &str) -> Result<usize, StoreError>;
    /// Called after an operation failed: a chance to find the connection
    /// dead and make a new one before the next request meets it too.
    fn after_error(&mut self) {}
}

/// An open write transaction; dropped without `commit`, it rolls back.
trait Write {
    /// Bytes the reports take, as counted against `--max-storage-mb`.
    fn used_bytes(&mut self) -> Result<u64, StoreError>;
    /// `(seq, state)` of those of `ids` that are stored, by id.
    fn find(&mut self, ids: &[&str]) -> Result<HashMap<String, (i64, String)>, StoreError>;
    /// Inserts rows whose ids are not stored, in order; their `seq`s.
    fn insert(&mut self, rows: &[NewRow]) -> Result<Vec<i64>, StoreError>;
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// A handle to the database thread; cheap to clone.
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<writer::Msg>,
}

impl Store {
    /// Opens (creating if needed) the database and starts its thread. The
    /// connection is made on that thread: the PostgreSQL client runs its
    /// own runtime, which may not be started inside the server's.
    pub async fn open(db: &Database, retention: Retention) -> Result<Store, StoreError> {
        let db = db.clone();
        let (opened_tx, opened) = oneshot::channel();
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("genuine-db".into())
            .spawn(move || {
                let backend: Result<Box<dyn Backend>, StoreError> = match &db {
                    Database::Sqlite(path) => sqlite::Sqlite::open(path).map(|b| Box::new(b) as _),
                    Database::Postgres(url) => {
                        postgres::Postgres::open(url).map(|b| Box::new(b) as _)
                    }
                };
                let mut backend = match backend.and_then(|mut b| {
                    writer::prune(&mut *b, retention.keep_days)?;
                    Ok(b)
                }) {
                    Ok(b) => {
                        let _ = opened_tx.send(Ok(()));
                        b
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                        return;
                    }
                };
                writer::worker(&mut *backend, rx, retention)
            })
            .map_err(StoreError::Thread)?;
        opened.await.map_err(|_| StoreError::Gone)??;
        Ok(Store { tx })
    }

    /// Stores a report unless its id is already there; answers after commit.
    pub async fn insert(&self, report: Report) -> Result<Receipt, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(writer::Msg::Insert(Box::new(report), tx))
            .map_err(|_| StoreError::Gone)?;
        rx.await.map_err(|_| StoreError::Gone)?
    }

    /// Runs `f` on the database thread.
    async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Backend) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        let job: writer::Job = Box::new(move |db| {
            let result = f(db);
            if result.is_err() {
                db.after_error();
            }
            let _ = tx.send(result);
        });
        self.tx
            .send(writer::Msg::Run(job))
            .map_err(|_| StoreError::Gone)?;
        rx.await.map_err(|_| StoreError::Gone)?
    }

    pub async fn receipt(&self, id: String) -> Result<Option<Receipt>, StoreError> {
        self.call(move |db| db.find(&id)?.map(|row| receipt_of(&id, &row)).transpose())
            .await
    }

    /// Sets a report's state; `None` when no report has that id.
    pub async fn set_state(
        &self,
        id: String,
        state: State,
        note: Option<String>,
    ) -> Result<Option<Receipt>, StoreError> {
        self.call(move |db| {
            let at = Timestamp::now().to_string();
            if !db.set_state(&id, state, note.as_deref(), &at)? {
                return Ok(None);
            }
            db.find(&id)?.map(|row| receipt_of(&id, &row)).transpose()
        })
        .await
    }

    /// Reports matching `filter`, newest first, and how many match in all.
    pub async fn list(&self, filter: Filter) -> Result<(i64, Vec<Value>), StoreError> {
        self.call(move |db| {
            let (total, rows) = db.list(&filter)?;
            Ok((total, to_json(rows)?))
        })
        .await
    }

    /// Confirmed reports, by platform then age: what takedown requests cite.
    pub async fn confirmed(&self, platform: Option<String>) -> Result<Vec<Value>, StoreError> {
        self.call(move |db| to_json(db.confirmed(platform.as_deref())?))
            .await
    }

    /// The screenshot data URL of a report, if it has one.
    pub async fn screenshot(&self, id: String) -> Result<Option<String>, StoreError> {
        self.call(move |db| db.screenshot(&id)).await
    }
}

/// Each row as the stored report plus what the inbox added to it.
fn to_json(rows: Vec<Row>) -> Result<Vec<Value>, StoreError> {
    rows.into_iter()
        .map(|r| {
            let mut obj: Map<String, Value> =
                serde_json::from_str(&r.report).map_err(|e| StoreError::Damaged(e.to_string()))?;
            obj.insert("reference".into(), reference(r.seq).into());
            obj.insert("state".into(), r.state.into());
            obj.insert("state_note".into(), r.state_note.into());
            obj.insert("state_at".into(), r.state_at.into());
            obj.insert("received_at".into(), r.received_at.into());
            obj.insert("has_screenshot".into(), r.has_screenshot.into());
            Ok(Value::Object(obj))
        })
        .collect()
}

/// The receipt of a row already stored, `(seq, state)`.
fn receipt_of(id: &str, (seq, state): &(i64, String)) -> Result<Receipt, StoreError> {
    Ok(Receipt {
        id: id.to_string(),
        reference: reference(*seq),
        state: State::parse(state).ok_or_else(|| StoreError::Damaged(state.clone()))?,
        created: false,
    })
}
