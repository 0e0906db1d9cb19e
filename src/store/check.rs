//! Business invariants that `homedesk check` verifies besides SQLite's own
//! integrity check: gap-free running numbers (R-IN-4), history for every
//! business row (R-FU-6), foreign keys, and shopping-log numbers either
//! continuous or investigated (R-SH-6).

use super::{Result, Store};

/// One broken invariant, in terms an IT person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Integrity(String),
    ForeignKey {
        table: String,
        rowid: i64,
    },
    /// Running numbers of one register and year are not 1..=last with none missing.
    RunningNumberGap {
        kind: String,
        year: i64,
        count: i64,
        max_seq: i64,
        last_issued: i64,
    },
    /// A business row with no history row (R-FU-6).
    MissingHistory {
        table: &'static str,
        id: i64,
    },
    /// A shopping-log number no entry carries and nobody has investigated (R-SH-6).
    ShoppingGap {
        no: i64,
    },
}

/// Business tables and the entity code their history rows carry.
const AUDITED: &[(&str, &str)] = &[
    ("requests", "request"),
    ("refusals", "refusal"),
    ("households", "household"),
    ("residents", "resident"),
    ("staff", "staff"),
    ("price_items", "price_item"),
    ("message_slips", "slip"),
    ("day_reviews", "day_review"),
    ("repair_handovers", "repair_handover"),
    ("cash_receipts", "cash_receipt"),
    ("agreements", "agreement"),
    ("agreement_amendments", "amendment"),
    ("shopping_entries", "shopping"),
    ("shopping_investigations", "investigation"),
    ("revisit_plans", "revisit_plan"),
    ("revisits", "revisit"),
    ("complaints", "complaint"),
    ("monthly_reports", "monthly_report"),
];

impl Store {
    /// Every broken invariant found; empty when all is well.
    pub fn check_invariants(&self) -> Result<Vec<Problem>> {
        let mut problems: Vec<Problem> =
            self.integrity_check()?.into_iter().filter(|line| line != "ok").map(Problem::Integrity).collect();
        problems.extend(self.foreign_key_problems()?);
        problems.extend(self.running_number_gaps()?);
        for (table, entity) in AUDITED {
            problems.extend(self.rows_without_history(table, entity)?);
        }
        problems.extend(self.uninvestigated_shopping_gaps()?);
        Ok(problems)
    }

    fn foreign_key_problems(&self) -> Result<Vec<Problem>> {
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(Problem::ForeignKey { table: r.get(0)?, rowid: r.get::<_, Option<i64>>(1)?.unwrap_or(0) })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn running_number_gaps(&self) -> Result<Vec<Problem>> {
        let mut stmt = self.conn.prepare(
            "SELECT n.kind, n.year, count(r.id), coalesce(max(r.seq), 0), n.last_seq
             FROM running_numbers n LEFT JOIN requests r ON r.kind = n.kind AND r.year = n.year
             GROUP BY n.kind, n.year
             UNION ALL
             SELECT r.kind, r.year, count(*), max(r.seq), -1 FROM requests r
             WHERE NOT EXISTS (SELECT 1 FROM running_numbers n WHERE n.kind = r.kind AND n.year = r.year)
             GROUP BY r.kind, r.year",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Problem::RunningNumberGap {
                kind: r.get(0)?,
                year: r.get(1)?,
                count: r.get(2)?,
                max_seq: r.get(3)?,
                last_issued: r.get(4)?,
            })
        })?;
        let all = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(all
            .into_iter()
            .filter(|p| match p {
                Problem::RunningNumberGap { count, max_seq, last_issued, .. } => {
                    !(count == max_seq && max_seq == last_issued)
                }
                _ => true,
            })
            .collect())
    }

    /// HomeDesk itself never leaves a gap in the shopping log; one that is
    /// there (typed in from a paper booklet, or a file edited by hand) is a
    /// problem until its investigation is recorded.
    fn uninvestigated_shopping_gaps(&self) -> Result<Vec<Problem>> {
        let investigated: Vec<i64> = {
            let mut stmt =
                self.conn.prepare("SELECT no FROM shopping_investigations WHERE concern = 'missing'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let gaps = crate::domain::missing_numbers(&self.shopping_numbers()?);
        Ok(gaps
            .into_iter()
            .filter(|no| !investigated.contains(no))
            .map(|no| Problem::ShoppingGap { no })
            .collect())
    }

    fn rows_without_history(&self, table: &'static str, entity: &str) -> Result<Vec<Problem>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT t.id FROM {table} t WHERE NOT EXISTS
             (SELECT 1 FROM history h WHERE h.entity = ?1 AND h.entity_id = t.id)"
        ))?;
        let rows = stmt.query_map([entity], |r| Ok(Problem::MissingHistory { table, id: r.get(0)? }))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
