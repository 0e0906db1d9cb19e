//! Moving an office, and restoring a backup onto a server (issue 21):
//! `copy-to` copies a whole office from its file or server into a new or
//! empty file or server (`store/copy.rs`), then checks both ends; a
//! server's restore is such a copy from the backup file into an empty
//! database (ARCHITECTURE.md, "Backups on a server").

use std::path::{Path, PathBuf};

use super::Result;
use crate::store::{self, CopyProgress, Location, Problem, Store, TableCount};

/// What a finished copy found at both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Each table's rows at the source (as copied) and at the target.
    pub tables: Vec<TableCount>,
    /// `check`'s findings on the source and on the target (none: sound).
    pub source_problems: Vec<Problem>,
    pub target_problems: Vec<Problem>,
}

impl CopyReport {
    /// Every table's rows equal and `check` passing at both ends (the
    /// history's chain among its checks).
    pub fn is_sound(&self) -> bool {
        self.tables.iter().all(|t| t.source == t.target)
            && self.source_problems.is_empty()
            && self.target_problems.is_empty()
    }
}

/// Copies the office at `source` into `target`, which must be new or empty
/// (else [`store::StoreError::TargetNotEmpty`], nothing written), in one
/// transaction on the target; then checks both. `progress` hears of each
/// batch of rows.
pub fn copy_office(
    source: &Location,
    target: &Location,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<CopyReport> {
    let from = Store::open_existing_at(source)?;
    let mut to = Store::open_copy_target(target)?;
    let tables = from.copy_into(&mut to, progress)?;
    Ok(CopyReport {
        tables,
        source_problems: from.check_invariants()?,
        target_problems: to.check_invariants()?,
    })
}

/// Puts the backup file `from` onto the server at `url`, whose database
/// must be empty (a new one IT made: the desks are switched to it after).
/// The backup is verified first, and copied from a copy of it, so that
/// bringing an older backup's schema up to date leaves the backup as it
/// was. Gives the copy's report.
pub fn restore_to_server(
    url: &str,
    from: &Path,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<CopyReport> {
    store::verify_backup(from)?;
    let work = TempCopy::of(from)?;
    copy_office(&Location::File(work.0.clone()), &Location::Server(url.to_string()), progress)
}

/// Brings the office's schema on the server at `url` up to date and gives
/// the server's role `role`, the one the desks connect as, its rights on
/// it (docs/SERVER.md §2): run by IT as the tables' owner after `init`, a
/// `restore` and each new version of HomeDesk.
pub fn grant_desks(url: &str, role: &str) -> Result<()> {
    let store = Store::open_server_existing(url)?;
    Ok(store.grant_desks_role(role)?)
}

/// A backup copied to the temporary folder, removed when dropped.
struct TempCopy(PathBuf);

impl TempCopy {
    fn of(from: &Path) -> Result<TempCopy> {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let name = format!("homedesk-restore-{}-{}.db", std::process::id(), stamp.as_nanos());
        let path = std::env::temp_dir().join(name);
        std::fs::copy(from, &path)
            .map_err(|e| super::AppError::File { path: path.clone(), cause: e.to_string() })?;
        Ok(TempCopy(path))
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.0.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}
