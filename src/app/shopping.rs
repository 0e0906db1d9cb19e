//! The shopping log's use cases (R-SH-1..6): a new numbered entry, each
//! step of its life, the 飞单 list (missing numbers, entries open past their
//! deadline) and the findings that clear it, and the period's totals. Each
//! write is one transaction; nothing is ever deleted.

use chrono::NaiveDate;

use super::{AppError, HomeDesk, Result};
use crate::domain::{
    Concern, Investigation, Money, Permission, ShoppingDraft, ShoppingEntry, ShoppingId, ShoppingStep, User,
    check_finding, check_permission, check_shopping_step, concern_of, missing_numbers, validate_shopping,
};
use crate::store::{RequestPage, ShoppingQuery};

/// A number on the 飞单 list: what is wrong, the entry if there is one, and
/// the investigation's finding once recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followup {
    pub no: i64,
    pub concern: Concern,
    pub entry: Option<ShoppingEntry>,
    pub investigation: Option<Investigation>,
}

/// Sums for a period (void entries left out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShoppingTotals {
    pub entries: usize,
    pub expected: Money,
    pub actual: Money,
}

impl HomeDesk {
    /// Writes a new entry with the next serial number (R-SH-1, R-SH-6).
    pub fn record_shopping(&mut self, user: &User, draft: &ShoppingDraft) -> Result<ShoppingEntry> {
        let now = self.now();
        let valid = validate_shopping(draft, now.date()).map_err(AppError::Shopping)?;
        let mut tx = self.store.write(self.audit(user))?;
        let entry = tx.insert_shopping(&valid)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Takes one step of an entry's life (R-SH-2..4, R-SH-6).
    pub fn shopping_step(
        &mut self,
        user: &User,
        id: ShoppingId,
        step: &ShoppingStep,
    ) -> Result<ShoppingEntry> {
        if matches!(step, ShoppingStep::Void { .. }) {
            check_permission(user, Permission::VoidShopping)?;
        }
        let now = self.now();
        let mut tx = self.store.write(self.audit(user))?;
        let old = tx.get_shopping(id)?;
        let to = check_shopping_step(&old, step, now).map_err(|e| AppError::Shopping(vec![e]))?;
        let new = tx.record_shopping_step(&old, step, to)?;
        tx.commit()?;
        Ok(new)
    }

    pub fn shopping(&self, query: &ShoppingQuery) -> Result<Vec<ShoppingEntry>> {
        Ok(self.store.list_shopping(query)?)
    }

    pub fn shopping_entry(&self, id: ShoppingId) -> Result<ShoppingEntry> {
        Ok(self.store.get_shopping(id)?)
    }

    pub fn shopping_by_no(&self, no: i64) -> Result<ShoppingEntry> {
        Ok(self.store.shopping_by_no(no)?.ok_or(crate::store::StoreError::NotFound)?)
    }

    /// R-SH-6: every missing number and every entry open past its time,
    /// each with its finding once investigated; `open_only` leaves out the
    /// investigated ones.
    pub fn shopping_followups(&self, open_only: bool) -> Result<Vec<Followup>> {
        let today = self.now().date();
        let investigations = self.store.list_investigations()?;
        let finding = |no: i64, concern: Concern| {
            investigations.iter().rfind(|i| i.no == no && i.concern == concern).cloned()
        };
        let mut list: Vec<Followup> = missing_numbers(&self.store.shopping_numbers()?)
            .into_iter()
            .map(|no| Followup {
                no,
                concern: Concern::Missing,
                entry: None,
                investigation: finding(no, Concern::Missing),
            })
            .collect();
        for entry in self.store.open_shopping()? {
            if let Some(concern) = concern_of(&entry, today) {
                let investigation = finding(entry.no, concern);
                list.push(Followup { no: entry.no, concern, entry: Some(entry), investigation });
            }
        }
        list.sort_by_key(|f| (f.no, f.concern));
        if open_only {
            list.retain(|f| f.investigation.is_none());
        }
        Ok(list)
    }

    /// Records what an investigation of a 飞单 found (R-SH-6): a supervisor
    /// or above, and only for a number the list holds for that concern.
    pub fn investigate(&mut self, user: &User, no: i64, concern: Concern, finding: &str) -> Result<()> {
        if !user.rank.is_supervisor_or_above() {
            return Err(AppError::NeedsSupervisor);
        }
        check_finding(finding).map_err(|e| AppError::Shopping(vec![e]))?;
        if !self.shopping_followups(false)?.iter().any(|f| f.no == no && f.concern == concern) {
            return Err(AppError::Store(crate::store::StoreError::NotFound));
        }
        let mut tx = self.store.write(self.audit(user))?;
        tx.save_investigation(no, concern, finding)?;
        tx.commit()?;
        Ok(())
    }

    /// The entries and amounts of a period (by the day they were taken),
    /// summed by the store: the log of ten years is not read for three figures.
    pub fn shopping_totals(&self, from: NaiveDate, to: NaiveDate) -> Result<ShoppingTotals> {
        let query = ShoppingQuery { from: Some(from), to: Some(to), ..ShoppingQuery::default() };
        let (entries, expected, actual) = self.store.shopping_sums(&query)?;
        Ok(ShoppingTotals { entries: usize::try_from(entries).unwrap_or(0), expected, actual })
    }

    /// The ids of the entries matching `query`, newest number first (the
    /// log's table reads its rows by page, [`HomeDesk::shopping_page`]).
    pub fn shopping_ids(&self, query: &ShoppingQuery) -> Result<Vec<ShoppingId>> {
        Ok(self.store.shopping_ids(query)?)
    }

    /// The first `n` ids of `query`'s search and how many it finds, when
    /// the store tells them sooner than the whole list (a common text on a
    /// server, [`crate::store::Store::shopping_first_ids`]); `None` when
    /// [`HomeDesk::shopping_ids`] answers as quickly.
    pub fn shopping_first_ids(&self, query: &ShoppingQuery, n: usize) -> Result<Option<RequestPage>> {
        Ok(self.store.shopping_first_ids(query, n)?)
    }

    /// The entries of `ids`, in that order.
    pub fn shopping_page(&self, ids: &[ShoppingId]) -> Result<Vec<ShoppingEntry>> {
        Ok(self.store.get_shoppings(ids)?)
    }
}
