//! The change history's search indexes built on the second core during a
//! bulk load (issue 23: the ten-year demo office in under a minute).
//!
//! Refilled at the end of the load, `history_search` and `history_grams`
//! (`store/search.rs`) were a quarter of the ten-year build, all of it on
//! the one thread that also writes every row. Instead, each write of the
//! load hands its changes (id, labels, who, values, reason) to a worker
//! thread, which cuts their terms and grams and indexes them in a scratch
//! file of its own (its own connection: nothing shared with the writer's).
//! At the end the scratch indexes, merged into one segment each as the
//! refill left them, are copied into the office's file table by table
//! (their shadow tables' rows), which costs a few per cent of building them.
//!
//! FTS5 writes a segment in ascending rowid order (the rowids are the ids
//! negated) and flushes whenever a rowid comes lower than the last, so the
//! worker takes the changes in chunks of [`CHUNK`] and indexes each chunk
//! newest first: one segment per chunk, which the `optimize` at the end
//! merges as it merges the refill's. The index holds the same terms of the
//! same changes as the refill's would (a test compares their searches).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use rusqlite::{Connection, params};

use super::search::{history_grams, history_terms};
use super::{Result, StoreError};

/// Changes per chunk: a segment each; about 30 MB of text in flight (a
/// thousand in unit tests, so that a month of demo makes several).
const CHUNK: usize = if cfg!(test) { 1_000 } else { 100_000 };

/// The history's FTS5 tables the worker builds, and their shadow tables
/// (contentless: no `_content`).
const TABLES: [&str; 2] = ["history_search", "history_grams"];
const SHADOWS: [&str; 4] = ["data", "idx", "docsize", "config"];

/// What a change is indexed by: the text [`super::search`]'s
/// `history_terms` and `history_grams` cut.
pub(super) struct AsideChange {
    pub id: i64,
    /// The change's record label and the label of the record it belongs to.
    pub labels: [String; 2],
    pub refs: String,
    pub who: String,
    pub changes: String,
    pub reason: String,
}

/// The worker building the history's indexes beside a bulk load.
pub(super) struct AsideIndex {
    chunk: Vec<AsideChange>,
    send: Option<SyncSender<Vec<AsideChange>>>,
    worker: Option<JoinHandle<Result<()>>>,
    scratch: PathBuf,
}

impl AsideIndex {
    /// Starts the worker on a new scratch file `scratch`, its tables made by
    /// `definitions` (the office's own `CREATE VIRTUAL TABLE` statements).
    pub fn start(scratch: PathBuf, definitions: Vec<String>) -> Result<AsideIndex> {
        remove_files(&scratch);
        let conn = Connection::open(&scratch)
            .map_err(|source| StoreError::Open { path: scratch.clone(), source })?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;",
        )?;
        for sql in &definitions {
            conn.execute_batch(sql)?;
        }
        for table in TABLES {
            conn.execute_batch(&format!(
                "INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0);
                 INSERT INTO {table} ({table}, rank) VALUES ('hashsize', 33554432);"
            ))?;
        }
        // Two chunks may wait while one is indexed: the writer never waits
        // unless the worker falls behind.
        let (send, receive) = sync_channel(2);
        let worker = std::thread::Builder::new()
            .name("history index".into())
            .spawn(move || index_chunks(conn, receive))
            .map_err(|e| StoreError::File { path: scratch.clone(), cause: e.to_string() })?;
        Ok(AsideIndex { chunk: Vec::with_capacity(CHUNK), send: Some(send), worker: Some(worker), scratch })
    }

    /// Queues one change, oldest first (ids ascending).
    pub fn push(&mut self, change: AsideChange) -> Result<()> {
        self.chunk.push(change);
        if self.chunk.len() >= CHUNK {
            self.send_chunk()?;
        }
        Ok(())
    }

    fn send_chunk(&mut self) -> Result<()> {
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        let sent = self.send.as_ref().map(|send| send.send(chunk));
        match sent {
            Some(Ok(())) => Ok(()),
            // The worker stopped: its own error says why.
            _ => self.join(),
        }
    }

    /// Waits for the worker to index the last chunk and merge each index
    /// into one segment, then copies both into the office's file (`conn`,
    /// not in a transaction) in one transaction, and removes the scratch.
    pub fn finish(mut self, conn: &Connection) -> Result<()> {
        self.send_chunk()?;
        self.join()?;
        let scratch = self.scratch.to_string_lossy().into_owned();
        conn.execute("ATTACH DATABASE ?1 AS aside", [scratch])?;
        let copied = copy_tables(conn);
        let detached = conn.execute_batch("DETACH DATABASE aside");
        copied?;
        detached?;
        remove_files(&self.scratch);
        Ok(())
    }

    fn join(&mut self) -> Result<()> {
        self.send = None;
        match self.worker.take().map(JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => Err(StoreError::File {
                path: self.scratch.clone(),
                cause: "the history's index worker stopped".into(),
            }),
        }
    }
}

impl Drop for AsideIndex {
    /// A load that failed: the worker ends with its channel, and the
    /// scratch goes with the partial file.
    fn drop(&mut self) {
        self.send = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        remove_files(&self.scratch);
    }
}

/// The worker: each chunk newest first into both indexes; at the end each
/// merged into one segment and its settings put back to SQLite's defaults,
/// as `search::refill_history_index` leaves them.
fn index_chunks(mut conn: Connection, chunks: Receiver<Vec<AsideChange>>) -> Result<()> {
    for chunk in chunks {
        let tx = conn.transaction()?;
        {
            let mut terms = tx.prepare("INSERT INTO history_search (rowid, terms) VALUES (?1, ?2)")?;
            let mut grams = tx.prepare("INSERT INTO history_grams (rowid, grams) VALUES (?1, ?2)")?;
            for change in chunk.iter().rev() {
                let (labels, refs, who) = (&change.labels, &change.refs, &change.who);
                let term_text = history_terms(labels, refs, who, &change.changes, &change.reason);
                terms.execute(params![-change.id, term_text])?;
                let gram_text = history_grams(labels, refs, who, &change.changes, &change.reason);
                grams.execute(params![-change.id, gram_text])?;
            }
        }
        tx.commit()?;
    }
    for table in TABLES {
        conn.execute_batch(&format!(
            "INSERT INTO {table} ({table}) VALUES ('optimize');
             INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4);
             INSERT INTO {table} ({table}, rank) VALUES ('hashsize', 1048576);"
        ))?;
    }
    Ok(())
}

/// The scratch indexes' shadow tables in place of the office's (empty) ones.
fn copy_tables(conn: &Connection) -> Result<()> {
    let mut batch = String::from("BEGIN;");
    for table in TABLES {
        for shadow in SHADOWS {
            batch.push_str(&format!(
                "DELETE FROM main.{table}_{shadow}; INSERT INTO main.{table}_{shadow} SELECT * FROM aside.{table}_{shadow};"
            ));
        }
    }
    batch.push_str("COMMIT;");
    if let Err(e) = conn.execute_batch(&batch) {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e.into());
    }
    Ok(())
}

/// The scratch file (no journal beside it: `journal_mode` is off).
fn remove_files(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// For the demo's test that the index built aside is the refill's
/// (`app::demo`): SQL stays in `store`.
#[cfg(test)]
/// Every row of `path`'s tables, by table, sorted; the history's two
/// search indexes as FTS5 sees them (each term's every occurrence), not
/// as their segments happen to be laid out.
pub(crate) fn every_row_of(path: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, history_search, 'instance');
         CREATE VIRTUAL TABLE temp.grams USING fts5vocab(main, history_grams, 'instance');",
    )
    .unwrap();
    let mut tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'history_search%' AND name NOT LIKE 'history_grams%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables.extend(["temp.terms".to_string(), "temp.grams".to_string()]);
    tables
        .into_iter()
        .map(|table| {
            // Argon2 salts each password at random: a staff member's
            // hash, and the seal of their newest change, differ per build.
            let select = match table.as_str() {
                "staff" => "SELECT id, name FROM staff".to_string(),
                "history" => {
                    "SELECT id, hash, CASE entity WHEN 'staff' THEN seal IS NULL ELSE seal END FROM history"
                        .to_string()
                }
                _ => format!("SELECT * FROM {table}"),
            };
            let mut stmt = conn.prepare(&select).unwrap();
            let columns = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    (0..columns)
                        .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                        .collect()
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<Vec<String>>>>()
                .unwrap()
                .into_iter()
                .map(|row| row.join("|"))
                .collect();
            rows.sort();
            (table, rows)
        })
        .collect()
}
