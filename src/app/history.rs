//! The change history across the office (R-FU-6): the 变更记录 view and its
//! Excel export. Read-only: the history is appended by every write and is
//! never changed or deleted from the app. Reading it is for a business
//! supervisor or above (it shows everyone's work).

use super::{HomeDesk, Result};
use crate::domain::{HistoryRow, Permission, User, check_permission};
use crate::export::{ExportedXlsx, history_table};
use crate::store::HistoryQuery;

/// The most rows the view lists at once; the count says how many match.
pub const HISTORY_SHOWN: usize = 1_000;
/// The newest rows a common text answers first on a server, while the
/// view's whole list is read ([`HomeDesk::first_history`]): more than a
/// window shows.
pub const HISTORY_FIRST: usize = 100;
/// The most rows one export writes (a decade of a busy office is below it).
const HISTORY_EXPORTED: usize = 1_000_000;

fn require_supervisor(user: &User) -> Result<()> {
    Ok(check_permission(user, Permission::ReadHistory)?)
}

impl HomeDesk {
    /// The newest [`HISTORY_SHOWN`] changes `q` finds, and how many it finds.
    pub fn history(&self, user: &User, q: &HistoryQuery) -> Result<(Vec<HistoryRow>, usize)> {
        require_supervisor(user)?;
        Ok(self.store.list_history(q, HISTORY_SHOWN)?)
    }

    /// The newest [`HISTORY_FIRST`] changes `q` finds and how many it finds
    /// (at most that many: `true`), when they come sooner than the whole
    /// list of [`HomeDesk::history`] (`Store::first_history`); `None` when
    /// they do not.
    pub fn first_history(
        &self,
        user: &User,
        q: &HistoryQuery,
    ) -> Result<Option<(Vec<HistoryRow>, usize, bool)>> {
        require_supervisor(user)?;
        Ok(self.store.first_history(q, HISTORY_FIRST, HISTORY_SHOWN)?)
    }

    /// Everyone who has made a change, for the view's filter.
    pub fn history_users(&self, user: &User) -> Result<Vec<String>> {
        require_supervisor(user)?;
        Ok(self.store.history_users()?)
    }

    /// Every change `q` finds, newest first, one spreadsheet row per changed field.
    pub fn export_history(&self, user: &User, q: &HistoryQuery) -> Result<ExportedXlsx> {
        require_supervisor(user)?;
        let (rows, _) = self.store.list_history(q, HISTORY_EXPORTED)?;
        Ok(history_table(&self.office_name()?, q.from, q.to, &rows)?)
    }
}
