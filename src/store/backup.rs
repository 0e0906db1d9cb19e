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

/// The pause before retrying a copy the lock refused.
const PAUSE_BEFORE_RETRY: Duration = Duration::from_millis(20);

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
    /// good copy or not there (a bad copy is deleted). A copy that fails is
    /// most often the page-for-page image of a damaged database: then this
    /// file fails its own quick check, and the fault is named as this
    /// file's, not the copy's. Returns the copy's schema version.
    ///
    /// On a server, the office is copied into a new HomeDesk file beside
    /// `out` instead ([`Store::copy_into`]), which must then pass `check`
    /// and have every table's rows, and is moved into place only then: one
    /// backup format for both backends, restored into a file or an empty
    /// server alike.
    pub fn backup_to(&self, out: &Path) -> Result<i64> {
        self.backup_to_with_progress(out, &mut |_| {})
    }

    /// [`Store::backup_to`], telling `progress` of each batch a server's copy writes.
    pub fn backup_to_with_progress(
        &self,
        out: &Path,
        progress: &mut dyn FnMut(&super::CopyProgress),
    ) -> Result<i64> {
        if self.server.is_some() {
            return self.copy_to_file_verified(out, progress);
        }
        let conn = self.lite("a backup")?;
        copy_verified(conn, out).map_err(|e| match e {
            StoreError::Unsound { .. } | StoreError::NotADatabase(_) => {
                match check_lines(conn, "quick_check") {
                    Ok(lines) => match lines.into_iter().find(|l| l != "ok") {
                        Some(first) => unsound(&self.path, BackupFault::Damaged(first)),
                        None => e,
                    },
                    Err(read) => unsound(&self.path, BackupFault::Damaged(read.to_string())),
                }
            }
            other => other,
        })
    }

    /// Replaces the open database with the backup at `from`, through this
    /// handle's own connection. `from` is verified first and a refused file
    /// changes nothing.
    ///
    /// The database is held from before the safety copy is taken until the
    /// backup is in place: the backup API's first step takes the write lock
    /// of this file and keeps it until its last step commits, and the
    /// safety copy (`<name>.before-restore-YYYYMMDD-HHMMSS.db`, `now`
    /// naming it) is read in between. So every commit of another HomeDesk
    /// is either in the safety copy, or waits for the restore and then goes
    /// into the restored file, or is told the file is busy; and a restore
    /// that cannot get the lock while another HomeDesk writes fails with
    /// [`StoreError::RestoreBusy`] and changes nothing. Other handles see
    /// the schema cookie move ([`Store::replaced`]).
    ///
    /// A restore that fails after the safety copy was made (a full disk)
    /// leaves the database as it was and removes the safety copy. Returns
    /// the safety copy's path. The caller reopens the handle afterwards (the
    /// backup may be of an older schema, which opening migrates).
    pub fn restore_from(&mut self, from: &Path, now: NaiveDateTime) -> Result<PathBuf> {
        self.lite("a restore")?;
        refuse_onto_itself(&self.path, from)?;
        verify_backup(from)?;
        let source =
            Candidate::open(from).map_err(|e| unsound(from, BackupFault::Unreadable(e.to_string())))?;
        let safety = safety_copy_path(&self.path, now);
        let path = self.path.clone();
        {
            let backup = Backup::new(source.conn(), self.lite_mut("a restore")?)?;
            // One page: enough to take and keep the write lock.
            step_waiting(&backup, 1).map_err(|e| match e {
                StoreError::Busy => StoreError::RestoreBusy,
                other => other,
            })?;
            let held = open_read_only(&path)?;
            copy_verified(&held, &safety)?;
            drop(held);
            if let Err(e) = step_waiting(&backup, -1) {
                // Dropping the backup rolls back: the database is as it was.
                drop(backup);
                let _ = std::fs::remove_file(&safety);
                return Err(e);
            }
        }
        self.lite("a restore")?.flush_prepared_statement_cache();
        Ok(safety)
    }
}

impl Store {
    /// A server's office copied into a new file beside `out`, checked
    /// (`check`'s invariants, every table's rows, SQLite's integrity), made
    /// one self-contained file, and moved to `out`. Nothing is left behind
    /// on failure.
    fn copy_to_file_verified(
        &self,
        out: &Path,
        progress: &mut dyn FnMut(&super::CopyProgress),
    ) -> Result<i64> {
        let partial = sidecar(out, ".partial");
        let leftovers = |partial: &Path| {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(sidecar(partial, suffix));
            }
        };
        leftovers(&partial);
        let made = (|| -> Result<i64> {
            {
                let mut copy = Store::open_copy_target(&super::Location::File(partial.clone()))?;
                let counts = self.copy_into(&mut copy, progress)?;
                if let Some(c) = counts.iter().find(|c| c.source != c.target) {
                    let fault = format!("{}: {} rows copied of {}", c.table, c.target, c.source);
                    return Err(unsound(out, BackupFault::Damaged(fault)));
                }
                if let Some(problem) = copy.check_invariants()?.into_iter().next() {
                    return Err(unsound(out, BackupFault::Damaged(format!("{problem:?}"))));
                }
                copy.lite("a backup")?.pragma_update(None, "journal_mode", "DELETE")?;
            }
            verify_backup(&partial)
        })();
        let version = match made {
            Ok(version) => version,
            Err(e) => {
                leftovers(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, out).map_err(|e| {
            leftovers(&partial);
            io_error(out, &e)
        })?;
        Ok(version)
    }
}

/// Whether the file at `path` is a sound HomeDesk database this build can
/// open: readable, `PRAGMA integrity_check` says `ok`, and its schema version
/// is HomeDesk's and not newer. Returns that schema version.
pub fn verify_backup(path: &Path) -> Result<i64> {
    let candidate =
        Candidate::open(path).map_err(|e| unsound(path, BackupFault::Unreadable(e.to_string())))?;
    let conn = candidate.conn();
    let lines = check_lines(conn, "integrity_check")
        .map_err(|e| unsound(path, BackupFault::Unreadable(e.to_string())))?;
    if lines.first().map(String::as_str) != Some("ok") {
        let first = lines.into_iter().next().unwrap_or_default();
        return Err(unsound(path, BackupFault::Damaged(first)));
    }
    let version =
        migrations::user_version(conn).map_err(|e| unsound(path, BackupFault::Unreadable(e.to_string())))?;
    // A version but no office table is no HomeDesk file either (and a
    // restore relies on a backup of more than one page: its first step
    // must not be its last).
    let has_office = conn
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'office'", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| unsound(path, BackupFault::Unreadable(e.to_string())))?;
    if version <= 0 || has_office == 0 {
        return Err(unsound(path, BackupFault::NotHomeDesk));
    }
    if version > SCHEMA_VERSION {
        return Err(unsound(path, BackupFault::Newer { found: version, known: SCHEMA_VERSION }));
    }
    Ok(version)
}

/// Replaces a database file that cannot be opened at all (damaged, empty,
/// not a database, or missing) with the backup at `from`. The backup API
/// cannot write into a damaged file, so: `from` is verified, the damaged
/// file's bytes (and its WAL, if any) are copied as they are to the safety
/// copy, a fresh copy of `from` is made beside `live`, and only then moved
/// over it. A failure removes what it made and leaves `live` as it was.
/// Returns the safety copy's path (`None` when there was no file).
pub fn restore_damaged_file(live: &Path, from: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>> {
    refuse_onto_itself(live, from)?;
    verify_backup(from)?;
    let safety = live.exists().then(|| safety_copy_path(live, now));
    let made = |safety: &Option<PathBuf>| -> Result<()> {
        if let Some(safety) = safety {
            copy_file(live, safety)?;
            if sidecar(live, "-wal").exists() {
                copy_file(&sidecar(live, "-wal"), &sidecar(safety, "-wal"))?;
            }
        }
        let source =
            Candidate::open(from).map_err(|e| unsound(from, BackupFault::Unreadable(e.to_string())))?;
        copy_verified(source.conn(), &sidecar(live, ".restoring"))?;
        Ok(())
    };
    if let Err(e) = made(&safety) {
        for path in safety.iter().flat_map(|s| [s.clone(), sidecar(s, "-wal")]) {
            let _ = std::fs::remove_file(path);
        }
        return Err(e);
    }
    for stale in [sidecar(live, "-wal"), sidecar(live, "-shm")] {
        remove_if_there(&stale)?;
    }
    let fresh = sidecar(live, ".restoring");
    std::fs::rename(&fresh, live).map_err(|e| {
        let _ = std::fs::remove_file(&fresh);
        io_error(live, &e)
    })?;
    Ok(safety)
}

/// Whether `a` and `b` name the same file (the same device and inode on
/// Unix; the same canonical path elsewhere). A path that is not there is
/// no file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
        false
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

fn refuse_onto_itself(live: &Path, from: &Path) -> Result<()> {
    if same_file(live, from) {
        return Err(StoreError::RestoreOntoItself(from.to_path_buf()));
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| {
        let _ = std::fs::remove_file(to);
        io_error(to, &e)
    })
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

/// The online backup of the whole file in one step: one read transaction
/// of `source`, so the copy is one consistent state, and in WAL mode
/// writers go on meanwhile. (Steps of a few pages each re-read the source
/// whenever it changed between them: a busy office, or a read-only file
/// whose WAL index SQLite cannot share, restarted the copy forever.)
fn copy_pages(source: &Connection, target: &mut Connection) -> Result<()> {
    let backup = Backup::new(source, target)?;
    step_waiting(&backup, -1)
}

/// One step of `pages` (-1: all the rest); a step the lock refuses is
/// retried for as long as a write would wait ([`BUSY_TIMEOUT`]), then fails
/// with [`StoreError::Busy`].
fn step_waiting(backup: &Backup<'_, '_>, pages: i32) -> Result<()> {
    let started = Instant::now();
    loop {
        match backup.step(pages)? {
            StepResult::Done | StepResult::More => return Ok(()),
            StepResult::Busy | StepResult::Locked if started.elapsed() <= BUSY_TIMEOUT => {
                std::thread::sleep(PAUSE_BEFORE_RETRY)
            }
            _ => return Err(StoreError::Busy),
        }
    }
}

/// A read-only connection to a file that is being read, not used: the
/// live database beside this one (for its safety copy).
fn open_read_only(path: &Path) -> Result<Connection> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// A file offered as a backup, opened read-only so that looking at it
/// leaves nothing beside it. SQLite makes `-wal` and `-shm` files beside any
/// WAL-mode file it opens, even read-only, and cannot remove them after a
/// read-only connection: so a file with no WAL of its own is opened as
/// immutable (nothing made), and for one with a WAL, the `-shm` it needed
/// is removed when done if it was not there before.
struct Candidate {
    // Fields drop in order: the connection closes before the -shm goes.
    conn: Connection,
    _made_shm: MadeShm,
}

/// The `-shm` file a [`Candidate`] made, removed when it is dropped.
struct MadeShm(Option<PathBuf>);

impl Candidate {
    fn open(path: &Path) -> rusqlite::Result<Candidate> {
        if !path.is_file() {
            return Err(rusqlite::Error::InvalidPath(path.to_path_buf()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if sidecar_len(path, "-wal") == 0 {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?;
            return Ok(Candidate { conn, _made_shm: MadeShm(None) });
        }
        let shm = sidecar(path, "-shm");
        let made_shm = MadeShm((!shm.exists()).then_some(shm));
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Candidate { conn, _made_shm: made_shm })
    }

    fn conn(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for MadeShm {
    fn drop(&mut self) {
        if let Some(shm) = &self.0 {
            let _ = std::fs::remove_file(shm);
        }
    }
}

/// `path` for an SQLite URI: `%`, `?` and `#` escaped (and `\` as `/`, as
/// SQLite's URIs want on Windows).
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// The lines of `PRAGMA integrity_check` or `quick_check`: `ok`, or the problems.
pub(super) fn check_lines(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// The size of `path` + `suffix` (`-wal`), 0 if it is not there.
pub(super) fn sidecar_len(path: &Path, suffix: &str) -> u64 {
    std::fs::metadata(sidecar(path, suffix)).map(|m| m.len()).unwrap_or(0)
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
