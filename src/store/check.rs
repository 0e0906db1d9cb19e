//! Business invariants that `homedesk check` verifies besides SQLite's own
//! integrity check: gap-free running numbers (R-IN-4), history for every
//! business row (R-FU-6), foreign keys, shopping-log numbers either
//! continuous or investigated (R-SH-6), and the signs of tampering
//! (issue 20, `store/chain.rs`): the history's chain unbroken, every record
//! as its last change left it, and the protective triggers as HomeDesk made
//! them.

use rusqlite::types::ValueRef;

use super::chain::{self, GENESIS, LINKED_COLUMNS, LINKED_COUNT, SEALED};
use super::{Result, Store, migrations};

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
    /// The history's chain breaks at this change: it, or one before it, was
    /// changed, removed or slipped in outside HomeDesk. Only the first break
    /// is named; every later link depends on it.
    ChainBroken(Link),
    /// A record no longer is what its last change in the history left
    /// (`last`): it was changed outside HomeDesk, or one of its own rows
    /// (a job's steps, an agreement's staff, a plan's households) was.
    RecordChanged {
        table: &'static str,
        id: i64,
        last: Link,
    },
    /// A record the history has changes of is gone from its table.
    RecordDeleted {
        table: &'static str,
        id: i64,
        last: Link,
    },
    /// A trigger that protects the file is not as HomeDesk made it.
    Trigger {
        name: String,
        fault: TriggerFault,
    },
}

/// One change in the history, as `check` names it: the record it changed
/// (its number or name, else its kind and id), when and by whom — as the
/// file now says, which for a tampered row is what the tamperer wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub history_id: i64,
    pub entity: String,
    pub entity_id: i64,
    /// `JZ-2026-000012`, a name, a room; empty when the record has none (or is gone).
    pub record: String,
    pub at: String,
    pub who: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerFault {
    Missing,
    Altered,
    /// A trigger HomeDesk does not make (it could rewrite what is saved).
    Unknown,
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
        problems.extend(self.trigger_problems()?);
        problems.extend(self.first_broken_link()?);
        for kind in SEALED {
            problems.extend(self.records_not_as_sealed(kind)?);
        }
        Ok(problems)
    }

    fn trigger_problems(&self) -> Result<Vec<Problem>> {
        let expected = migrations::expected_triggers()?;
        let found = self.trigger_definitions()?;
        let mut problems = Vec::new();
        for (name, sql) in &expected {
            let fault = match found.iter().find(|(n, _)| n == name) {
                None => Some(TriggerFault::Missing),
                Some((_, actual)) if actual != sql => Some(TriggerFault::Altered),
                Some(_) => None,
            };
            problems.extend(fault.map(|fault| Problem::Trigger { name: name.clone(), fault }));
        }
        problems.extend(
            found
                .into_iter()
                .filter(|(name, _)| !expected.iter().any(|(n, _)| n == name))
                .map(|(name, _)| Problem::Trigger { name, fault: TriggerFault::Unknown }),
        );
        Ok(problems)
    }

    fn trigger_definitions(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'trigger' ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Walks the history oldest first, linking each row on the one before;
    /// the first row whose stored hash is not its link is the break.
    fn first_broken_link(&self) -> Result<Option<Problem>> {
        let mut stmt =
            self.conn.prepare(&format!("SELECT {LINKED_COLUMNS}, hash FROM history ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS;
        while let Some(row) = rows.next()? {
            let values = (0..LINKED_COUNT).map(|i| row.get_ref(i)).collect::<Result<Vec<_>, _>>()?;
            let link = chain::link(&prev, values);
            if row.get_ref(LINKED_COUNT)? != ValueRef::Blob(&link) {
                let id = row.get(0)?;
                drop(rows);
                return Ok(Some(Problem::ChainBroken(self.history_link(id)?)));
            }
            prev = link;
        }
        Ok(None)
    }

    /// Every record of `kind` that its history knows, compared with the
    /// seal of its newest history row.
    fn records_not_as_sealed(&self, kind: &'static chain::Sealed) -> Result<Vec<Problem>> {
        let mut stmt = self.conn.prepare(
            "SELECT entity_id, max(id), seal, hash FROM history WHERE entity = ?1 GROUP BY entity_id",
        )?;
        let newest = stmt.query_map([kind.entity], |r| {
            let blob = |i: usize| r.get::<_, Option<Vec<u8>>>(i);
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, blob(2)?, blob(3)?))
        })?;
        let mut problems = Vec::new();
        for row in newest {
            let (id, history_id, sealed, link) = row?;
            let link: chain::Hash = link.and_then(|l| l.try_into().ok()).unwrap_or(GENESIS);
            let table = kind.table;
            let problem = match chain::record_digest(&self.conn, kind, id)? {
                None => Problem::RecordDeleted { table, id, last: self.history_link(history_id)? },
                Some(digest) if sealed.as_deref() != Some(&chain::seal(&link, &digest)[..]) => {
                    Problem::RecordChanged { table, id, last: self.history_link(history_id)? }
                }
                Some(_) => continue,
            };
            problems.push(problem);
        }
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
