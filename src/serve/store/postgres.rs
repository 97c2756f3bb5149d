//! The inbox in PostgreSQL (`--db postgres://…`): several `genuine serve`
//! instances behind a load balancer, one database.
//!
//! Reference numbers must have no gaps, across instances and across a
//! server killed mid-transaction. A PostgreSQL sequence cannot promise that
//! (a rolled-back or conflicting insert still uses its number), so the next
//! number and the bytes used (for `--max-storage-mb`) are kept in a
//! one-row table, `inbox_counters`, which every write transaction locks
//! first (`SELECT … FOR UPDATE`) and updates last. That lock is the one
//! writer's place: a second instance's batch waits for the first's commit,
//! and then sees its rows, so a repeat of an id stored by another instance
//! is answered with that instance's reference, and no id is stored twice.
//! A server killed while holding it loses its connection, and PostgreSQL
//! rolls its transaction back and releases the lock. The lock is taken once
//! per batch (group commit), not per report.

use std::collections::HashMap;

use postgres::{Client, Config, NoTls, Statement};

use super::{sql, Backend, Filter, NewRow, Row, State, StoreError, Write, COLUMNS, INDEX};

/// Serialises schema set-up when several instances start at once (two
/// concurrent `CREATE TABLE IF NOT EXISTS` can both try to create it).
/// The key is "genuine" in ASCII.
const MIGRATION_LOCK: i64 = 0x0067_656e_7569_6e65;

/// Session settings, whatever the server's defaults:
/// - a 201 promises the report is on disk, so commits wait for the WAL flush;
/// - an instance that hangs (not killed: stopped, or cut off) while holding
///   the writer's lock is disconnected after 30 s, so the others go on;
/// - a batch waits at most 10 s for that lock, then fails (503, the reporter
///   retries) rather than hold its reporters for ever.
const SESSION: &str = "SET synchronous_commit = on; \
                       SET idle_in_transaction_session_timeout = '30s'; \
                       SET lock_timeout = '10s'";

/// How long a connection that has just failed may take to answer a ping.
const VALID_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

pub(super) struct Postgres {
    config: Config,
    client: Client,
    statements: Statements,
}

/// The statements run most, prepared once per connection.
#[derive(Clone)]
struct Statements {
    find: Statement,
    find_many: Statement,
    insert: Statement,
}

/// `?N` → `$N`: the shared queries are written with SQLite's placeholders,
/// and hold no literal `?`.
fn pg(sql: &str) -> String {
    sql.replace('?', "$")
}

/// Creates what is missing, under a lock. The counters start from what the
/// table holds, should it have been filled without them.
fn migrate(client: &mut Client) -> Result<(), postgres::Error> {
    let mut t = client.transaction()?;
    t.query("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    t.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS reports (seq BIGINT PRIMARY KEY,{COLUMNS});
         {INDEX};
         CREATE TABLE IF NOT EXISTS inbox_counters (
           one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
           last_seq BIGINT NOT NULL,
           bytes BIGINT NOT NULL);
         INSERT INTO inbox_counters (one, last_seq, bytes)
           SELECT TRUE, coalesce(max(seq), 0),
                  coalesce(sum(octet_length(report) + coalesce(octet_length(screenshot), 0) + {}), 0)
           FROM reports
           ON CONFLICT (one) DO NOTHING;",
        super::ROW_OVERHEAD
    ))?;
    t.commit()
}

fn connect(config: &Config) -> Result<(Client, Statements), postgres::Error> {
    let mut client = config.connect(NoTls)?;
    client.batch_execute(SESSION)?;
    migrate(&mut client)?;
    let statements = Statements {
        find: client.prepare(&pg(sql::FIND))?,
        find_many: client.prepare("SELECT id, seq, state FROM reports WHERE id = ANY($1)")?,
        // A batch's rows in one statement: its columns as arrays, unnested.
        insert: client.prepare(
            "INSERT INTO reports (seq, id, received_at, platform, brand, report, screenshot)
             SELECT * FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[],
                                  $5::TEXT[], $6::TEXT[], $7::TEXT[])",
        )?,
    };
    Ok((client, statements))
}

impl Postgres {
    pub(super) fn open(url: &str) -> Result<Postgres, StoreError> {
        let mut config: Config = url.parse().map_err(StoreError::Connect)?;
        config.application_name("genuine serve");
        let (client, statements) = connect(&config).map_err(StoreError::Connect)?;
        Ok(Postgres {
            config,
            client,
            statements,
        })
    }

    /// The client, connected again if the server went away (restarted,
    /// failed over): the request that met the broken connection failed (503,
    /// the reporter retries); the next one finds a new connection.
    fn client(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.is_closed() {
            (self.client, self.statements) = connect(&self.config)?;
        }
        Ok(&mut self.client)
    }

    fn rows(
        &mut self,
        sql: &str,
        p: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, StoreError> {
        let rows = self.client()?.query(&pg(sql), p)?;
        rows.iter()
            .map(|r| {
                Ok(Row {
                    seq: r.try_get(0)?,
                    state: r.try_get(1)?,
                    state_note: r.try_get(2)?,
                    state_at: r.try_get(3)?,
                    received_at: r.try_get(4)?,
                    report: r.try_get(5)?,
                    has_screenshot: r.try_get(6)?,
                })
            })
            .collect()
    }
}

/// A batch's transaction, holding the counters row's lock.
struct PgWrite<'a> {
    tx: postgres::Transaction<'a>,
    statements: Statements,
    last_seq: i64,
    bytes: i64,
    inserted: bool,
}

impl Backend for Postgres {
    fn write(&mut self) -> Result<Box<dyn Write + '_>, StoreError> {
        self.client()?;
        let statements = self.statements.clone();
        let mut tx = self.client.transaction()?;
        let counters = tx.query_one(
            "SELECT last_seq, bytes FROM inbox_counters WHERE one FOR UPDATE",
            &[],
        )?;
        Ok(Box::new(PgWrite {
            last_seq: counters.try_get(0)?,
            bytes: counters.try_get(1)?,
            tx,
            statements,
            inserted: false,
        }))
    }

    fn find(&mut self, id: &str) -> Result<Option<(i64, String)>, StoreError> {
        self.client()?;
        let row = self.client.query_opt(&self.statements.find, &[&id])?;
        Ok(row
            .map(|r| r.try_get(0).and_then(|s| Ok((s, r.try_get(1)?))))
            .transpose()?)
    }

    fn set_state(
        &mut self,
        id: &str,
        state: State,
        note: Option<&str>,
        at: &str,
    ) -> Result<bool, StoreError> {
        let n = self
            .client()?
            .execute(&pg(sql::SET_STATE), &[&state.as_str(), &note, &at, &id])?;
        Ok(n > 0)
    }

    fn list(&mut self, f: &Filter) -> Result<(i64, Vec<Row>), StoreError> {
        let (brand, platform) = (f.brand.as_deref(), f.platform.as_deref());
        let state = f.state.map(State::as_str);
        let total: i64 = self
            .client()?
            .query_one(&pg(&sql::count()), &[&brand, &platform, &state])?
            .try_get(0)?;
        let (limit, offset) = (i64::from(f.limit), i64::from(f.offset));
        let rows = self.rows(&sql::list(), &[&brand, &platform, &state, &limit, &offset])?;
        Ok((total, rows))
    }

    fn confirmed(&mut self, platform: Option<&str>) -> Result<Vec<Row>, StoreError> {
        self.rows(&sql::confirmed(), &[&platform])
    }

    fn screenshot(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        let row = self.client()?.query_opt(&pg(sql::SCREENSHOT), &[&id])?;
        Ok(row.map(|r| r.try_get(0)).transpose()?.flatten())
    }

    /// A terminated session (the server restarted, failed over, or an
    /// administrator ended it) answers one last error before the client
    /// sees it closed; asking costs a round trip, paid only after an error.
    fn after_error(&mut self) {
        if self.client.is_closed() || self.client.is_valid(VALID_WITHIN).is_err() {
            match connect(&self.config) {
                Ok((client, statements)) => (self.client, self.statements) = (client, statements),
                // The next request tries again, and is answered 503 meanwhile.
                Err(e) => eprintln!("genuine: the PostgreSQL connection is lost: {e}"),
            }
        }
    }

    /// Like the shared PRUNE, but also takes what the screenshots counted
    /// off the bytes used, under the counters' lock.
    fn prune(&mut self, cutoff: &str) -> Result<usize, StoreError> {
        let mut tx = self.client()?.transaction()?;
        tx.query_one("SELECT 1 FROM inbox_counters WHERE one FOR UPDATE", &[])?;
        let gone = tx.query_one(
            "WITH old AS (SELECT seq, octet_length(screenshot) AS n FROM reports
                          WHERE screenshot IS NOT NULL AND received_at < $1 FOR UPDATE),
                  gone AS (UPDATE reports r SET screenshot = NULL FROM old
                           WHERE r.seq = old.seq RETURNING old.n)
             SELECT count(*), coalesce(sum(n), 0)::BIGINT FROM gone",
            &[&cutoff],
        )?;
        let (n, freed): (i64, i64) = (gone.try_get(0)?, gone.try_get(1)?);
        tx.execute(
            "UPDATE inbox_counters SET bytes = greatest(bytes - $1, 0) WHERE one",
            &[&freed],
        )?;
        tx.commit()?;
        Ok(usize::try_from(n).unwrap_or(0))
    }
}

impl Write for PgWrite<'_> {
    fn used_bytes(&mut self) -> Result<u64, StoreError> {
        Ok(u64::try_from(self.bytes).unwrap_or(0))
    }

    fn find(&mut self, ids: &[&str]) -> Result<HashMap<String, (i64, String)>, StoreError> {
        let rows = self.tx.query(&self.statements.find_many, &[&ids])?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?))))
            .collect()
    }

    /// The numbers after the last one handed out, in order, under the lock.
    fn insert(&mut self, rows: &[NewRow]) -> Result<Vec<i64>, StoreError> {
        let seqs: Vec<i64> = (self.last_seq + 1..).take(rows.len()).collect();
        let ids: Vec<&str> = rows.iter().map(|r| r.id).collect();
        let received: Vec<&str> = rows.iter().map(|r| r.received_at).collect();
        let platforms: Vec<&str> = rows.iter().map(|r| r.platform).collect();
        let brands: Vec<Option<&str>> = rows.iter().map(|r| r.brand).collect();
        let reports: Vec<&str> = rows.iter().map(|r| r.report).collect();
        let shots: Vec<Option<&str>> = rows.iter().map(|r| r.screenshot).collect();
        self.tx.execute(
            &self.statements.insert,
            &[
                &seqs, &ids, &received, &platforms, &brands, &reports, &shots,
            ],
        )?;
        self.last_seq += rows.len() as i64;
        let added: u64 = rows.iter().map(|r| r.size).sum();
        self.bytes = self
            .bytes
            .saturating_add(i64::try_from(added).unwrap_or(i64::MAX));
        self.inserted = true;
        Ok(seqs)
    }

    fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        if self.inserted {
            let (last_seq, bytes) = (self.last_seq, self.bytes);
            self.tx.execute(
                "UPDATE inbox_counters SET last_seq = $1, bytes = $2 WHERE one",
                &[&last_seq, &bytes],
            )?;
        }
        Ok(self.tx.commit()?)
    }
}
