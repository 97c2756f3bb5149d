//! The database thread: group commit, and how a batch of reports is
//! written — repeats, the storage cap, gapless references — whichever
//! engine is behind [`Backend`]. Also the hourly screenshot retention.

use std::collections::HashMap;
use std::sync::mpsc;

use tokio::sync::oneshot;

use super::{
    receipt_of, reference, Backend, NewRow, Receipt, Retention, State, StoreError, ROW_OVERHEAD,
};
use crate::report::Report;
use crate::time::Timestamp;

/// Most reports committed in one transaction; bounds a batch's latency.
const MAX_BATCH: usize = 512;

pub(super) type Job = Box<dyn FnOnce(&mut dyn Backend) + Send>;
pub(super) type Reply = oneshot::Sender<Result<Receipt, StoreError>>;

pub(super) enum Msg {
    Insert(Box<Report>, Reply),
    Run(Job),
}

/// How often old screenshots are looked for.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Drops the screenshots of reports older than `keep_days` (0: none). The
/// reports themselves stay.
pub(super) fn prune(db: &mut dyn Backend, keep_days: u32) -> Result<usize, StoreError> {
    if keep_days == 0 {
        return Ok(0);
    }
    let cutoff = Timestamp(Timestamp::now().0 - i64::from(keep_days) * 86_400).to_string();
    let n = db.prune(&cutoff)?;
    if n > 0 {
        eprintln!("genuine: dropped the screenshots of {n} report(s) older than {keep_days} days");
    }
    Ok(n)
}

pub(super) fn worker(db: &mut dyn Backend, rx: mpsc::Receiver<Msg>, retention: Retention) {
    let mut pending: Vec<Msg> = Vec::new();
    let mut pruned = std::time::Instant::now();
    loop {
        // Hourly, whether reports keep coming or not.
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = std::time::Instant::now();
            if let Err(e) = prune(db, retention.keep_days) {
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
                    commit_batch(db, std::mem::take(&mut batch), retention.max_bytes);
                    job(db);
                }
            }
        }
        commit_batch(db, batch, retention.max_bytes);
    }
}

/// One transaction for every waiting report; replies only after the commit.
/// On any failure the whole batch is rolled back and every sender told: their
/// clients retry with the same ids, which the UNIQUE id makes safe.
fn commit_batch(db: &mut dyn Backend, batch: Vec<(Box<Report>, Reply)>, max_bytes: u64) {
    if batch.is_empty() {
        return;
    }
    let (reports, replies): (Vec<_>, Vec<_>) = batch.into_iter().map(|(r, c)| (*r, c)).unzip();
    match write_batch(db, reports, max_bytes) {
        Ok(outcomes) => {
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                let _ = reply.send(outcome);
            }
        }
        Err(e) => {
            db.after_error();
            let msg = e.to_string();
            for reply in replies {
                let _ = reply.send(Err(StoreError::Commit(msg.clone())));
            }
        }
    }
}

/// Each report's outcome, in order, once the batch has committed:
/// - a repeat of a stored id is answered from the row it repeats, looked up
///   before any insert (an insert that meets the UNIQUE id would still use
///   up a number, and references would have gaps); the writer's place is
///   held, so no other writer can store that id in between;
/// - a repeat within the batch (a retry racing its original) shares the
///   first one's row;
/// - a new report that would take the database past `max_bytes` is refused
///   (507), never half stored;
/// - the rest are inserted together: one lookup and one insert per batch,
///   whatever its size, which is what a database across a network needs.
fn write_batch(
    db: &mut dyn Backend,
    mut reports: Vec<Report>,
    max_bytes: u64,
) -> Result<Vec<Result<Receipt, StoreError>>, StoreError> {
    /// Where a report's answer will come from.
    enum Outcome {
        Answered(Result<Receipt, StoreError>),
        /// The `n`th new row; `created` is false for a repeat in the batch.
        New {
            n: usize,
            created: bool,
        },
    }
    let mut tx = db.write()?;
    let mut used = tx.used_bytes()?;
    let stored = {
        let ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
        tx.find(&ids)?
    };
    let mut outcomes = Vec::with_capacity(reports.len());
    // (report index, JSON without the screenshot, screenshot, size) per new row.
    let mut fresh: Vec<(usize, String, Option<String>, u64)> = Vec::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, r) in reports.iter_mut().enumerate() {
        if let Some(row) = stored.get(&r.id) {
            outcomes.push(Outcome::Answered(Ok(receipt_of(&r.id, row)?)));
            continue;
        }
        if let Some(&n) = first.get(&r.id) {
            outcomes.push(Outcome::New { n, created: false });
            continue;
        }
        let screenshot = r.screenshot.take();
        let json = serde_json::to_string(&r).map_err(|e| StoreError::Damaged(e.to_string()))?;
        let size = (json.len() + screenshot.as_ref().map_or(0, String::len)) as u64 + ROW_OVERHEAD;
        if used + size > max_bytes {
            outcomes.push(Outcome::Answered(Err(StoreError::Full {
                used,
                max: max_bytes,
            })));
            continue;
        }
        used += size;
        first.insert(r.id.clone(), fresh.len());
        outcomes.push(Outcome::New {
            n: fresh.len(),
            created: true,
        });
        fresh.push((i, json, screenshot, size));
    }
    let received_at = Timestamp::now().to_string();
    let rows: Vec<NewRow> = fresh
        .iter()
        .map(|(i, json, screenshot, size)| NewRow {
            id: &reports[*i].id,
            received_at: &received_at,
            platform: reports[*i].platform.as_str(),
            brand: reports[*i].verdict.brand.as_deref(),
            report: json,
            screenshot: screenshot.as_deref(),
            size: *size,
        })
        .collect();
    let seqs = if rows.is_empty() {
        Vec::new()
    } else {
        tx.insert(&rows)?
    };
    if seqs.len() != rows.len() {
        return Err(StoreError::Damaged(format!(
            "{} rows inserted, {} numbers back",
            rows.len(),
            seqs.len()
        )));
    }
    tx.commit()?;
    Ok(outcomes
        .into_iter()
        .zip(&reports)
        .map(|(o, r)| match o {
            Outcome::Answered(a) => a,
            Outcome::New { n, created } => Ok(Receipt {
                id: r.id.clone(),
                reference: reference(seqs[n]),
                state: State::Received,
                created,
            }),
        })
        .collect())
}
