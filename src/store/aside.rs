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
//!
//! A load that fails part-way tells the worker to stop (a flag it reads
//! before each change) instead of waiting for it to index and merge what
//! was queued: its work is thrown away with the partial file. The scratch
//! file goes with any failure, the worker's start's included.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// Set when the load failed: the worker stops at its next change.
    cancel: Arc<AtomicBool>,
    scratch: PathBuf,
}

/// A started worker: where its chunks go, its thread, and its cancel flag.
type Started = (SyncSender<Vec<AsideChange>>, JoinHandle<Result<()>>, Arc<AtomicBool>);

/// Starts the worker's thread running its closure.
type Spawn = fn(Box<dyn FnOnce() -> Result<()> + Send>) -> std::io::Result<JoinHandle<Result<()>>>;

/// The worker's own thread, named for a debugger's or `top`'s list.
fn spawn_thread(work: Box<dyn FnOnce() -> Result<()> + Send>) -> std::io::Result<JoinHandle<Result<()>>> {
    std::thread::Builder::new().name("history index".into()).spawn(work)
}

impl AsideIndex {
    /// Starts the worker on a new scratch file `scratch`, its tables made
    /// as the office's (`office`: their `CREATE VIRTUAL TABLE` statements).
    pub fn start(office: &Connection, scratch: PathBuf) -> Result<AsideIndex> {
        AsideIndex::start_with(scratch, definitions(office)?, spawn_thread)
    }

    /// [`AsideIndex::start`] with the worker's thread started by `spawn`;
    /// if anything fails, the scratch file is removed before the error is returned.
    fn start_with(scratch: PathBuf, definitions: Vec<String>, spawn: Spawn) -> Result<AsideIndex> {
        remove_files(&scratch);
        let started = AsideIndex::start_on(&scratch, &definitions, spawn);
        if started.is_err() {
            // The scratch's connection is closed by now (dropped with the closure or the error).
            remove_files(&scratch);
        }
        let (send, worker, cancel) = started?;
        Ok(AsideIndex {
            chunk: Vec::with_capacity(CHUNK),
            send: Some(send),
            worker: Some(worker),
            cancel,
            scratch,
        })
    }

    /// The scratch file made, its tables and the worker started.
    fn start_on(scratch: &Path, definitions: &[String], spawn: Spawn) -> Result<Started> {
        let conn = Connection::open(scratch)
            .map_err(|source| StoreError::Open { path: scratch.to_path_buf(), source })?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;",
        )?;
        for sql in definitions {
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
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        let worker = spawn(Box::new(move || index_chunks(conn, receive, &stop)))
            .map_err(|e| StoreError::File { path: scratch.to_path_buf(), cause: e.to_string() })?;
        Ok((send, worker, cancel))
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
    /// A load that failed: the worker is told to stop (at its next change,
    /// not after indexing and merging what was queued), and the scratch
    /// goes with the partial file. After [`AsideIndex::finish`] there is
    /// no worker left to tell.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.send = None;
        if let Some(worker) = self.worker.take() {
            let _stopped = worker.join();
            #[cfg(test)]
            if matches!(_stopped, Ok(Err(StoreError::Cancelled))) {
                STOPPED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(self.scratch.clone());
            }
        }
        remove_files(&self.scratch);
    }
}

/// The scratch files whose workers a dropped index stopped before they merged.
#[cfg(test)]
static STOPPED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// For the demo's test that a failed build stops the worker (`app::demo`):
/// whether the worker of `scratch` was stopped before it merged its indexes.
#[cfg(test)]
pub(crate) fn stopped_before_merging(scratch: &Path) -> bool {
    STOPPED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().any(|s| s == scratch)
}

/// The office's own statements making the history's FTS5 tables.
fn definitions(office: &Connection) -> Result<Vec<String>> {
    let mut definitions = Vec::new();
    for table in TABLES {
        let sql: String = office
            .prepare_cached("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1")?
            .query_row([table], |r| r.get(0))?;
        definitions.push(sql);
    }
    Ok(definitions)
}

/// The worker: each chunk newest first into both indexes; at the end each
/// merged into one segment and its settings put back to SQLite's defaults,
/// as `search::refill_history_index` leaves them. With `cancel` set it
/// stops at the next change, leaving the scratch half-built (the
/// [`StoreError::Cancelled`] it returns is never shown: the load's own
/// error is the one reported).
fn index_chunks(mut conn: Connection, chunks: Receiver<Vec<AsideChange>>, cancel: &AtomicBool) -> Result<()> {
    let cancelled = || cancel.load(Ordering::Relaxed);
    for chunk in chunks {
        let tx = conn.transaction()?;
        {
            let mut terms = tx.prepare("INSERT INTO history_search (rowid, terms) VALUES (?1, ?2)")?;
            let mut grams = tx.prepare("INSERT INTO history_grams (rowid, grams) VALUES (?1, ?2)")?;
            for change in chunk.iter().rev() {
                if cancelled() {
                    return Err(StoreError::Cancelled);
                }
                let (labels, refs, who) = (&change.labels, &change.refs, &change.who);
                let term_text = history_terms(labels, refs, who, &change.changes, &change.reason);
                terms.execute(params![-change.id, term_text])?;
                let gram_text = history_grams(labels, refs, who, &change.changes, &change.reason);
                grams.execute(params![-change.id, gram_text])?;
            }
        }
        tx.commit()?;
    }
    if cancelled() {
        return Err(StoreError::Cancelled);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// A new office's file in `dir` and its connection's definitions of the history's indexes.
    fn office(dir: &Path) -> (Store, Vec<String>) {
        let store = Store::open(&dir.join("office.db")).unwrap();
        let definitions = definitions(store.lite("a test").unwrap()).unwrap();
        (store, definitions)
    }

    fn change(id: i64) -> AsideChange {
        AsideChange {
            id,
            labels: [format!("JZ-2026-{id:06}"), "3栋2单元201".into()],
            refs: "[]".into(),
            who: "李秀兰".into(),
            changes: format!(r#"[{{"field":"details","old":"","new":"厨房水管漏水 {id}"}}]"#),
            reason: String::new(),
        }
    }

    /// A failed load's worker, told to stop, indexes none of the chunks
    /// still queued and merges nothing: it returns at once.
    #[test]
    fn a_history_worker_told_to_stop_indexes_nothing_more_and_merges_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (_office, definitions) = office(dir.path());
        let conn = Connection::open(dir.path().join("scratch")).unwrap();
        for sql in &definitions {
            conn.execute_batch(sql).unwrap();
        }
        let (send, receive) = sync_channel(2);
        send.send((1..=CHUNK as i64).map(change).collect()).unwrap();
        send.send((CHUNK as i64 + 1..=2 * CHUNK as i64).map(change).collect()).unwrap();
        drop(send);
        let cancel = AtomicBool::new(true);
        let stopped = index_chunks(conn, receive, &cancel);
        assert!(matches!(stopped, Err(StoreError::Cancelled)), "{stopped:?}");
        let scratch = Connection::open(dir.path().join("scratch")).unwrap();
        let indexed: i64 =
            scratch.query_row("SELECT count(*) FROM history_search_docsize", [], |r| r.get(0)).unwrap();
        assert_eq!(indexed, 0, "no change of the queued chunks indexed");
    }

    /// A load that fails with chunks queued drops its index: the worker is
    /// stopped and joined, and its scratch file is gone.
    #[test]
    fn a_failed_loads_history_index_stops_its_worker_and_removes_its_scratch() {
        let dir = tempfile::tempdir().unwrap();
        let (office, _) = office(dir.path());
        let scratch = dir.path().join("office.db.history-index");
        let mut index = AsideIndex::start(office.lite("a test").unwrap(), scratch.clone()).unwrap();
        for id in 1..=3 * CHUNK as i64 {
            index.push(change(id)).unwrap();
        }
        assert!(scratch.exists());
        drop(index);
        assert!(stopped_before_merging(&scratch), "the worker was stopped, not waited for");
        assert!(!scratch.exists(), "the scratch file is removed");
    }

    /// A worker whose thread cannot be started leaves no scratch file
    /// (made before the thread, to hand it its connection).
    #[test]
    fn a_history_worker_that_cannot_start_leaves_no_scratch_file() {
        let dir = tempfile::tempdir().unwrap();
        let (_office, definitions) = office(dir.path());
        let scratch = dir.path().join("office.db.history-index");
        let refused: Spawn = |_| Err(std::io::Error::other("no thread for it"));
        let started = AsideIndex::start_with(scratch.clone(), definitions, refused);
        assert!(matches!(&started, Err(StoreError::File { cause, .. }) if cause.contains("no thread")));
        assert!(!scratch.exists(), "the scratch file is removed");
        let bad = vec!["CREATE VIRTUAL TABLE history_search USING no_such_module".to_string()];
        assert!(AsideIndex::start_with(scratch.clone(), bad, spawn_thread).is_err());
        assert!(!scratch.exists(), "nor after its tables failed");
    }
}
