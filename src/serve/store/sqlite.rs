//! The inbox in one SQLite file: the embedded default, nothing to run
//! beside `genuine serve`. One server writes to it.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::{sql, Backend, Filter, NewRow, Row, State, StoreError, Write, COLUMNS, INDEX};

pub(super) struct Sqlite {
    conn: Connection,
}

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

impl Sqlite {
    pub(super) fn open(path: &Path) -> Result<Sqlite, StoreError> {
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
        conn.execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS reports (seq INTEGER PRIMARY KEY AUTOINCREMENT,{COLUMNS});\n{INDEX};"
        ))
        .map_err(open_err)?;
        Ok(Sqlite { conn })
    }
}

fn find(c: &Connection, id: &str) -> Result<Option<(i64, String)>, StoreError> {
    Ok(c.prepare_cached(sql::FIND)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn rows(c: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Row>, StoreError> {
    let mut stmt = c.prepare(sql)?;
    let rows = stmt.query_map(p, |r| {
        Ok(Row {
            seq: r.get(0)?,
            state: r.get(1)?,
            state_note: r.get(2)?,
            state_at: r.get(3)?,
            received_at: r.get(4)?,
            report: r.get(5)?,
            has_screenshot: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Bytes the database holds in use: its pages less the free ones. Pages
/// freed by dropped screenshots go to the free list and are used again.
fn used_bytes(conn: &Connection) -> Result<u64, rusqlite::Error> {
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
    let pages = pragma("page_count")? - pragma("freelist_count")?;
    Ok(u64::try_from(pages.max(0) * pragma("page_size")?).unwrap_or(0))
}

impl Backend for Sqlite {
    fn write(&mut self) -> Result<Box<dyn Write + '_>, StoreError> {
        // One connection on one thread: holding it is holding the writer's place.
        Ok(Box::new(self.conn.transaction()?))
    }

    fn find(&mut self, id: &str) -> Result<Option<(i64, String)>, StoreError> {
        find(&self.conn, id)
    }

    fn set_state(
        &mut self,
        id: &str,
        state: State,
        note: Option<&str>,
        at: &str,
    ) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(sql::SET_STATE, params![state.as_str(), note, at, id])?;
        Ok(n > 0)
    }

    fn list(&mut self, f: &Filter) -> Result<(i64, Vec<Row>), StoreError> {
        let (brand, platform) = (f.brand.as_deref(), f.platform.as_deref());
        let state = f.state.map(State::as_str);
        let total = self
            .conn
            .query_row(&sql::count(), params![brand, platform, state], |r| r.get(0))?;
        let rows = rows(
            &self.conn,
            &sql::list(),
            params![brand, platform, state, f.limit, f.offset],
        )?;
        Ok((total, rows))
    }

    fn confirmed(&mut self, platform: Option<&str>) -> Result<Vec<Row>, StoreError> {
        rows(&self.conn, &sql::confirmed(), params![platform])
    }

    fn screenshot(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(sql::SCREENSHOT, [id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    fn prune(&mut self, cutoff: &str) -> Result<usize, StoreError> {
        Ok(self.conn.execute(sql::PRUNE, [cutoff])?)
    }
}

impl Write for rusqlite::Transaction<'_> {
    fn used_bytes(&mut self) -> Result<u64, StoreError> {
        Ok(used_bytes(self)?)
    }

    /// One query per id: in-process, a lookup costs microseconds.
    fn find(&mut self, ids: &[&str]) -> Result<HashMap<String, (i64, String)>, StoreError> {
        let mut out = HashMap::new();
        for id in ids {
            if let Some(row) = find(self, id)? {
                out.insert((*id).to_string(), row);
            }
        }
        Ok(out)
    }

    fn insert(&mut self, rows: &[NewRow]) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.prepare_cached(
            "INSERT INTO reports (id, received_at, platform, brand, report, screenshot)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        rows.iter()
            .map(|r| {
                stmt.execute(params![
                    r.id,
                    r.received_at,
                    r.platform,
                    r.brand,
                    r.report,
                    r.screenshot
                ])?;
                Ok(self.last_insert_rowid())
            })
            .collect()
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok((*self).commit()?)
    }
}
