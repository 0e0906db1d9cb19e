//! Importing a file of residents, staff or prices (issue 9): a manager's
//! only. The whole file is read and checked first (`import::check_file`);
//! if any row has a problem the report comes back and nothing is written.
//! Otherwise every row is written in ONE transaction through `store`, each
//! with its history row (R-FU-6), so a failure half-way leaves nothing.

use std::path::Path;

use super::{HomeDesk, Result};
use crate::domain::{Permission, RoomNo, User, check_permission};
use crate::import::{
    ImportKind, ImportProblem, ImportProgress, ImportRecord, ImportStage, OnFile, check_file,
};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Every row was written; how many.
    Imported(usize),
    /// Nothing was written; every problem found, in file order.
    Refused(Vec<ImportProblem>),
}

impl HomeDesk {
    /// Checks the whole file, then writes all of it or nothing. `progress`
    /// is told of every row checked and every row written.
    pub fn import_file(
        &mut self,
        user: &User,
        kind: ImportKind,
        path: &Path,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportOutcome> {
        // A file can add staff with any rank or rewrite the price list: the
        // manager's, as the forms of 设置 are.
        check_permission(user, Permission::Import)?;
        let on_file = self.on_file()?;
        let records = match check_file(kind, path, &on_file, self.now().date(), progress) {
            Ok(records) => records,
            Err(problems) => return Ok(ImportOutcome::Refused(problems)),
        };
        let total = records.len();
        let mut tx = self.store.write(self.audit(user))?;
        for (i, record) in records.iter().enumerate() {
            match record {
                ImportRecord::Resident { room, resident } => {
                    let household = tx.ensure_household(room)?;
                    tx.save_resident(household, resident)?;
                }
                ImportRecord::Staff(staff) => {
                    tx.insert_staff(staff)?;
                }
                ImportRecord::PriceItem(item) => {
                    tx.insert_price_item(item)?;
                }
            }
            progress(ImportProgress { stage: ImportStage::Writing, done: i + 1, total });
        }
        tx.commit()?;
        Ok(ImportOutcome::Imported(total))
    }

    /// What is on file already. Read before the write lock: a login or an
    /// item added meanwhile by another desk is still refused by the table's
    /// UNIQUE constraint, which rolls the whole import back.
    fn on_file(&self) -> Result<OnFile> {
        let store = self.store();
        Ok(OnFile {
            logins: store.list_staff()?.into_iter().filter_map(|s| s.login).collect(),
            price_items: store.list_price_items()?.into_iter().map(|p| (p.category, p.name)).collect(),
            residents: store
                .list_resident_names()?
                .into_iter()
                .filter_map(|(room, name)| RoomNo::parse(&room).ok().map(|room| (room, name)))
                .collect(),
        })
    }
}
