//! Copies of the whole database file: a backup with SQLite's online backup
//! API (the office keeps working meanwhile), its verification, and a restore
//! that keeps a safety copy of what it replaces.
//! Must not: decide where backups live, what they are called or how many
//! are kept (that is `app/backups.rs`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::migrations::{self, SCHEMA_VERSION};
use super::{BUSY_TIMEOUT, Result, Store, StoreError};

/// Pages copied per step: 256 pages of 4 KiB is 1 MiB, so a large file never
/// holds the source's read lock for long, and a writer gets in between steps.
const PAGES_PER_STEP: i32 = 256;
/// The pause between steps, and before retrying a step the lock refused.
const PAUSE_BETWEEN_STEPS: Duration = Duration::from_millis(2);

/// Why a copy is not a HomeDesk database this build can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupFault {
    /// Not an SQLite file, truncated or unreadable.
    Unreadable(String),
    /// `PRAGMA integrity_check` found damage (its first line).
    Damaged(String),
    /// An SQLite file without a HomeDesk schema version.
    NotHomeDesk,
    /// Written by a newer HomeDesk.
    Newer { found: i64, known: i64 },
}

impl std::fmt::Display for BackupFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupFault::Unreadable(cause) => write!(f, "unreadable: {cause}"),
            BackupFault::Damaged(first) => write!(f, "integrity check failed: {first}"),
            BackupFault::NotHomeDesk => write!(f, "not a HomeDesk database"),
            BackupFault::Newer { found, known } => write!(f, "schema {found} is newer than {known}"),
        }
    }
}

impl Store {
    /// Copies the open database to `out` with the online backup API, then
    /// verifies the copy ([`verify_backup`]). The copy is written beside
    /// `out` and moved into place only once verified, so `out` is either a
    /// good copy or not there (a bad copy is deleted). Returns the copy's
    /// schema version.
    pub fn backup_to(&self, out: &Path) -> Result<i64> {
        copy_verified(&self.conn, out)
    }

    /// Replaces the open database with the backup at `from`, through this
    /// handle's own connection (so no other handle of this program writes
    /// meanwhile). `from` is verified first and a refused file changes
    /// nothing; then the current file is copied to a safety copy beside it
    /// (`<name>.before-restore-YYYYMMDD-HHMMSS.db`, `now` naming it). Returns
    /// the safety copy's path. The caller reopens the handle afterwards (the
    /// backup may be of an older schema, which opening migrates).
    pub fn restore_from(&mut self, from: &Path, now: NaiveDateTime) -> Result<PathBuf> {
        verify_backup(from)?;
        let safety = safety_copy_path(&self.path, now);
        copy_verified(&self.conn, &safety)?;
        let source =
            open_read_only(from).map_err(|e| unsound(from, BackupFault::Unreadable(e.to_string())))?;
        copy_pages(&source, &mut self.conn)?;
        self.conn.flush_prepared_statement_cache();
        Ok(safety)
    }
}

/// Whether the file at `path` is a sound HomeDesk database this build can
/// open: readable, `PRAGMA integrity_check` says `ok`, and its schema version
/// is HomeDesk's and not newer. Returns that schema version.
pub fn verify_backup(path: &Path) -> Result<i64> {
    let conn = open_read_only(path).map_err(|e| unsound(path, BackupFault::Unreadable(e.to_string())))?;
    let lines = integrity_lines(&conn).map_err(|e| unsound(path, BackupFault::Unreadable(e.to_string())))?;
    if lines.first().map(String::as_str) != Some("ok") {
        let first = lines.into_iter().next().unwrap_or_default();
        return Err(unsound(path, BackupFault::Damaged(first)));
    }
    let version =
        migrations::user_version(&conn).map_err(|e| unsound(path, BackupFault::Unreadable(e.to_string())))?;
    if version <= 0 {
        return Err(unsound(path, BackupFault::NotHomeDesk));
    }
    if version > SCHEMA_VERSION {
        return Err(unsound(path, BackupFault::Newer { found: version, known: SCHEMA_VERSION }));
    }
    Ok(version)
}

/// Replaces a database file that cannot be opened at all (damaged, not a
/// database, or missing) with the backup at `from`. The backup API cannot
/// write into a damaged file, so: `from` is verified, the damaged file's
/// bytes (and its WAL, if any) are copied as they are to the safety copy,
/// a fresh copy of `from` is made beside `live`, and only then moved over
/// it. Returns the safety copy's path (`None` when there was no file).
pub fn restore_damaged_file(live: &Path, from: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>> {
    verify_backup(from)?;
    let safety = if live.exists() {
        let safety = safety_copy_path(live, now);
        std::fs::copy(live, &safety).map_err(|e| io_error(&safety, &e))?;
        let wal = sidecar(live, "-wal");
        if wal.exists() {
            let safety_wal = sidecar(&safety, "-wal");
            std::fs::copy(&wal, &safety_wal).map_err(|e| io_error(&safety_wal, &e))?;
        }
        Some(safety)
    } else {
        None
    };
    let source = open_read_only(from).map_err(|e| unsound(from, BackupFault::Unreadable(e.to_string())))?;
    let fresh = sidecar(live, ".restoring");
    copy_verified(&source, &fresh)?;
    for stale in [sidecar(live, "-wal"), sidecar(live, "-shm")] {
        remove_if_there(&stale)?;
    }
    std::fs::rename(&fresh, live).map_err(|e| io_error(live, &e))?;
    Ok(safety)
}

/// `<name>.before-restore-YYYYMMDD-HHMMSS.db` beside the database.
pub fn safety_copy_path(live: &Path, now: NaiveDateTime) -> PathBuf {
    let stem =
        live.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "homedesk".into());
    let name = format!("{stem}.before-restore-{}.db", now.format("%Y%m%d-%H%M%S"));
    live.with_file_name(name)
}

/// Copies `source` to a new file beside `out`, makes it a self-contained
/// single file (rollback journal, no WAL beside it), verifies it, and moves
/// it to `out`. Nothing is left behind on failure.
fn copy_verified(source: &Connection, out: &Path) -> Result<i64> {
    let partial = sidecar(out, ".partial");
    remove_if_there(&partial)?;
    let made = (|| -> Result<i64> {
        {
            let mut target = Connection::open(&partial)
                .map_err(|e| StoreError::Open { path: partial.clone(), source: e })?;
            copy_pages(source, &mut target)?;
            target.pragma_update(None, "journal_mode", "DELETE")?;
        }
        verify_backup(&partial)
    })();
    let version = match made {
        Ok(version) => version,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            let _ = std::fs::remove_file(sidecar(&partial, "-journal"));
            // The fault is the copy's at `out`, not the temporary name's.
            return Err(match e {
                StoreError::Unsound { fault, .. } => unsound(out, fault),
                other => other,
            });
        }
    };
    std::fs::rename(&partial, out).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        io_error(out, &e)
    })?;
    Ok(version)
}

/// The online backup, a step of pages at a time; a step the lock refuses is
/// retried for as long as a write would wait ([`BUSY_TIMEOUT`]).
fn copy_pages(source: &Connection, target: &mut Connection) -> Result<()> {
    let backup = Backup::new(source, target)?;
    let mut waiting_since: Option<Instant> = None;
    loop {
        match backup.step(PAGES_PER_STEP)? {
            StepResult::Done => return Ok(()),
            StepResult::More => waiting_since = None,
            StepResult::Busy | StepResult::Locked => {
                let since = *waiting_since.get_or_insert_with(Instant::now);
                if since.elapsed() > BUSY_TIMEOUT {
                    return Err(StoreError::Busy);
                }
            }
            _ => {}
        }
        std::thread::sleep(PAUSE_BETWEEN_STEPS);
    }
}

fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    if !path.is_file() {
        return Err(rusqlite::Error::InvalidPath(path.to_path_buf()));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

fn integrity_lines(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// `path` with `suffix` appended to its file name (`x.db` → `x.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(path, &e)),
        _ => Ok(()),
    }
}

fn unsound(path: &Path, fault: BackupFault) -> StoreError {
    StoreError::Unsound { path: path.to_path_buf(), fault }
}

fn io_error(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::File { path: path.to_path_buf(), cause: e.to_string() }
}
