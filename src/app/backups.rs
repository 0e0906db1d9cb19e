//! Backups of the office's file: the automatic one on the first start of a
//! day (the newest `backups_kept` kept), a backup to a chosen file, the list
//! of automatic backups, and restoring one (a safety copy first).
//! Where they live: `backups/<stem>-YYYY-MM-DD-HHMMSS.db` beside the
//! database, `<stem>` the database file's own name (`east.db` →
//! `east-2026-03-01-080000.db`), so that two offices' files in one folder
//! keep their backups apart (issue 23). Backups made before that were all
//! called `homedesk-…`: they are still listed and restorable for any file
//! (unless a `homedesk.db` beside it owns them), but they count neither as
//! today's backup nor among those kept, and only a file's own backups are
//! ever deleted.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::{AppError, HomeDesk, Result};
use crate::domain::{Permission, User, check_permission, validate_backups_kept};
use crate::store::{self, Store, StoreError};

/// The name every automatic backup had before backups were named after
/// their database (and still have for the default `homedesk.db`).
const LEGACY_STEM: &str = "homedesk";
const BACKUP_SUFFIX: &str = ".db";
const BACKUP_TIME: &str = "%Y-%m-%d-%H%M%S";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    /// When it was made: from an automatic backup's name, else the file's time.
    pub taken_at: NaiveDateTime,
    pub size_bytes: u64,
}

/// What the day's automatic backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DailyBackup {
    /// Today's backup already exists.
    AlreadyDone,
    /// Made and verified; `removed` older backups were deleted.
    Made { file: BackupFile, removed: usize },
    /// The office is on a server, which IT backs up (docs/SERVER.md, 5):
    /// a desk PC makes no daily copy of its own (ARCHITECTURE.md).
    OnServer,
}

/// A finished restore: the backup now in use and the copy of what it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub from: PathBuf,
    pub safety_copy: Option<PathBuf>,
}

/// `backups/` beside the database file.
pub fn backups_folder(db: &Path) -> PathBuf {
    db.parent().map(|p| p.join("backups")).unwrap_or_else(|| PathBuf::from("backups"))
}

/// The database file's name without `.db`: what its backups are named after.
fn db_stem(db: &Path) -> String {
    db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| LEGACY_STEM.into())
}

/// `<stem>-YYYY-MM-DD-HHMMSS.db` for the database at `db`.
pub fn backup_file_name(db: &Path, at: NaiveDateTime) -> String {
    format!("{}-{}{BACKUP_SUFFIX}", db_stem(db), at.format(BACKUP_TIME))
}

/// The time in the name of an automatic backup of a database called
/// `stem`; `None` for any other file.
fn backup_time_of(stem: &str, file_name: &str) -> Option<NaiveDateTime> {
    let middle = file_name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(BACKUP_SUFFIX)?;
    NaiveDateTime::parse_from_str(middle, BACKUP_TIME).ok()
}

/// The time in any automatic backup's name (`<stem>-YYYY-MM-DD-HHMMSS.db`).
fn backup_time(file_name: &str) -> Option<NaiveDateTime> {
    let middle = file_name.strip_suffix(BACKUP_SUFFIX)?;
    let time = middle.get(middle.len().checked_sub(17)?..)?;
    NaiveDateTime::parse_from_str(time, BACKUP_TIME).ok()
}

/// The automatic backups of the database at `db`, newest first: its own
/// and those of the old shared name — unless a `homedesk.db` sits beside
/// it, whose own they are (another office's backup must not be offered as
/// this one's). A folder that is not there yet has none.
pub fn list_backups(db: &Path) -> Result<Vec<BackupFile>> {
    let mut backups = backups_named(db, &db_stem(db))?;
    let legacy_owner = db.with_file_name(format!("{LEGACY_STEM}{BACKUP_SUFFIX}"));
    if db_stem(db) != LEGACY_STEM && !legacy_owner.exists() {
        backups.extend(backups_named(db, LEGACY_STEM)?);
        backups.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    }
    Ok(backups)
}

/// The automatic backups in `db`'s folder named after `stem`, newest first.
fn backups_named(db: &Path, stem: &str) -> Result<Vec<BackupFile>> {
    let folder = backups_folder(db);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(file_error(&folder, &e)),
    };
    let mut backups: Vec<BackupFile> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let taken_at = backup_time_of(stem, &entry.file_name().to_string_lossy())?;
            let meta = entry.metadata().ok().filter(|m| m.is_file())?;
            Some(BackupFile { path: entry.path(), taken_at, size_bytes: meta.len() })
        })
        .collect();
    backups.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    Ok(backups)
}

/// The newest automatic backup that passes verification: what the start
/// screen offers when the database cannot be opened.
pub fn latest_good_backup(db: &Path) -> Option<BackupFile> {
    list_backups(db).ok()?.into_iter().find(|b| store::verify_backup(&b.path).is_ok())
}

/// Describes any file offered as a backup (the restore confirmation names
/// its date and size), after verifying it.
pub fn inspect_backup(path: &Path) -> Result<BackupFile> {
    store::verify_backup(path)?;
    let meta = std::fs::metadata(path).map_err(|e| file_error(path, &e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let modified = meta.modified().ok().map(|t| chrono::DateTime::<chrono::Local>::from(t).naive_local());
    let taken_at = backup_time(&name).or(modified).unwrap_or_default();
    Ok(BackupFile { path: path.to_path_buf(), taken_at, size_bytes: meta.len() })
}

/// Replaces the database at `db` with the backup `from`, for a file that
/// cannot be opened (the start screen, the command line). Nothing is
/// replaced if `from` fails verification; the damaged file is kept as the
/// safety copy.
pub fn restore_damaged(db: &Path, from: &Path, now: NaiveDateTime) -> Result<Restored> {
    let safety_copy = store::restore_damaged_file(db, from, now)?;
    Ok(Restored { from: from.to_path_buf(), safety_copy })
}

impl HomeDesk {
    /// Copies the database to `out` and verifies the copy.
    /// On a server, the office is copied into a new HomeDesk file (the
    /// same format as a file's backup), checked, and moved to `out`.
    pub fn backup_now(&self, out: &Path) -> Result<BackupFile> {
        self.backup_now_with_progress(out, &mut |_| {})
    }

    /// [`HomeDesk::backup_now`], telling `progress` of each batch of rows
    /// copied from a server (a file's backup is one step).
    pub fn backup_now_with_progress(
        &self,
        out: &Path,
        progress: &mut dyn FnMut(&store::CopyProgress),
    ) -> Result<BackupFile> {
        if let Some(folder) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| file_error(folder, &e))?;
        }
        self.store.backup_to_with_progress(out, progress)?;
        let size_bytes = std::fs::metadata(out).map_err(|e| file_error(out, &e))?.len();
        Ok(BackupFile { path: out.to_path_buf(), taken_at: self.now(), size_bytes })
    }

    /// The first start of a day backs the file up into `backups/`, then
    /// deletes all but the newest `backups_kept` automatic backups. A day
    /// that has its backup already does nothing. Only this file's own
    /// backups count and are deleted: another office's in the same folder
    /// are not its backups. Read-only: a [`HomeDesk::reader`] runs it on a
    /// worker thread.
    ///
    /// An office on a server makes none ([`DailyBackup::OnServer`]).
    pub fn daily_backup_if_due(&self) -> Result<DailyBackup> {
        if self.location().is_server() {
            return Ok(DailyBackup::OnServer);
        }
        let now = self.now();
        let db = self.path();
        let stem = db_stem(&db);
        if backups_named(&db, &stem)?.iter().any(|b| b.taken_at.date() == now.date()) {
            return Ok(DailyBackup::AlreadyDone);
        }
        let file = self.backup_now(&backups_folder(&db).join(backup_file_name(&db, now)))?;
        let kept = self.store.backups_kept()? as usize;
        let mut removed = 0;
        for old in backups_named(&db, &stem)?.into_iter().skip(kept.max(1)) {
            std::fs::remove_file(&old.path).map_err(|e| file_error(&old.path, &e))?;
            removed += 1;
        }
        Ok(DailyBackup::Made { file, removed })
    }

    /// The automatic backups, newest first.
    pub fn list_backups(&self) -> Result<Vec<BackupFile>> {
        if self.location().is_server() {
            return Ok(Vec::new());
        }
        list_backups(&self.path())
    }

    /// Replaces the database with the backup `from`: verified first (a
    /// refused file changes nothing), a safety copy of the current file
    /// beside it taken while this handle holds the file (another HomeDesk's
    /// commit is in it, or waits, or the restore is refused as busy), the
    /// copy made through this handle, then the handle reopened (which brings
    /// an older backup's schema up to date). Other windows see the file
    /// replaced ([`Store::replaced`]) and reopen it.
    pub fn restore(&mut self, from: &Path) -> Result<Restored> {
        let safety = self.store.restore_from(from, self.now())?;
        self.store = Store::open_existing(&self.path())?;
        Ok(Restored { from: from.to_path_buf(), safety_copy: Some(safety) })
    }

    /// How many automatic daily backups are kept.
    pub fn backups_kept(&self) -> Result<u32> {
        Ok(self.store.backups_kept()?)
    }

    /// A manager's setting (the backups hold every resident's data).
    pub fn save_backups_kept(&mut self, user: &User, kept: u32) -> Result<()> {
        check_permission(user, Permission::EditOffice)?;
        validate_backups_kept(kept)?;
        let mut tx = self.store.write(self.audit(user))?;
        tx.save_backups_kept(kept)?;
        tx.commit()?;
        Ok(())
    }
}

/// Restores `from` into the database at `db` whether or not it opens: a
/// sound file through its own handle (held while the safety copy is
/// taken), a missing, empty or damaged one by replacing the file (the
/// command line's `restore`). The backup must not be the database itself.
pub fn restore_file(db: &Path, from: &Path, now: NaiveDateTime) -> Result<Restored> {
    if store::same_file(db, from) {
        return Err(StoreError::RestoreOntoItself(from.to_path_buf()).into());
    }
    // A refused backup must not even open the database (opening migrates).
    store::verify_backup(from)?;
    match HomeDesk::open_for_writing_with_clock(db, std::sync::Arc::new(move || now)) {
        Ok(mut desk) => desk.restore(from),
        Err(AppError::Store(StoreError::NotADatabase(_) | StoreError::Missing(_) | StoreError::Empty(_))) => {
            restore_damaged(db, from, now)
        }
        Err(e) => Err(e),
    }
}

fn file_error(path: &Path, e: &std::io::Error) -> AppError {
    AppError::File { path: path.to_path_buf(), cause: e.to_string() }
}
