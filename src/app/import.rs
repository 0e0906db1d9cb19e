//! Importing a file of residents, staff, prices, historical register
//! rows or shopping-log entries (issue 9): a manager's only. The whole file is read and checked first (`import::check_file`);
//! if any row has a problem the report comes back and nothing is written.
//! Otherwise every row is written in ONE transaction through `store`, each
//! with its history row (R-FU-6), so a failure half-way leaves nothing.
//! Register rows get new running numbers in 受理时间 order, only in a
//! (register, year) without rows (R-IN-4): checked on the file, and again
//! under the write lock. Shopping entries keep the file's numbers, which
//! continue the log's last one (R-SH-6): checked on the file, and the last
//! number again under the write lock.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::Datelike;

use super::{HomeDesk, Result};
use crate::domain::{Permission, RoomNo, User, check_permission};
use crate::i18n::{fill, t};
use crate::import::{
    ImportFault, ImportKind, ImportProblem, ImportProgress, ImportRecord, ImportStage, OnFile, check_file,
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
        let records = match check_file(kind, path, &on_file, self.now(), progress) {
            Ok(records) => records,
            Err(problems) => return Ok(ImportOutcome::Refused(problems)),
        };
        let total = records.len();
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut tx = self.store.write(self.audit(user))?;
        // Another desk may have registered a row of that year since the check.
        let years: BTreeSet<_> = records
            .iter()
            .filter_map(|r| match r {
                ImportRecord::Request { past, .. } => Some((past.kind(), past.received_at.year())),
                _ => None,
            })
            .collect();
        let mut taken = Vec::new();
        for (register, year) in years {
            if tx.register_year_used(register, year)? {
                taken.push(ImportProblem::of_file(&file, ImportFault::RegisterYearOnFile { register, year }));
            }
        }
        // Another desk may have recorded a shopping entry since the check (R-SH-6).
        if records.iter().any(|r| matches!(r, ImportRecord::Shopping { .. })) {
            let last = tx.last_shopping_no()?;
            if last != on_file.shopping_last_no {
                taken.push(ImportProblem::of_file(&file, ImportFault::ShoppingLogMoved { last }));
            }
        }
        if !taken.is_empty() {
            return Ok(ImportOutcome::Refused(taken)); // dropping `tx` rolls back
        }
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
                ImportRecord::Request { past, file_no } => {
                    let household = tx.ensure_household(&past.request.room)?;
                    let kind = past.kind();
                    let year = past.received_at.year();
                    let expected = tx.next_seq_of(kind, year)?;
                    let reason = match file_no {
                        Some(no) if (no.kind, no.year, no.seq) != (kind, year, expected) => {
                            fill(t().im_reason_renumbered, &[("file", &file), ("no", no)])
                        }
                        _ => fill(t().im_reason, &[("file", &file)]),
                    };
                    tx.insert_past_request(past, household, &reason)?;
                }
                ImportRecord::Shopping { entry, taken_by_id } => {
                    tx.insert_past_shopping(entry, *taken_by_id, &fill(t().im_reason, &[("file", &file)]))?;
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
        let staff = store.list_staff()?;
        let mut staff_names = std::collections::HashMap::new();
        // An active member of that name first, if names repeat.
        for s in staff.iter().filter(|s| s.active).chain(staff.iter()) {
            staff_names.entry(s.name.clone()).or_insert(s.id);
        }
        Ok(OnFile {
            staff_names,
            register_years: store.register_years()?.into_iter().collect(),
            shopping_last_no: store.last_shopping_no()?,
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
