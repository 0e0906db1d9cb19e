//! Business invariants that `homedesk check` verifies besides SQLite's own
//! integrity check: gap-free running numbers (R-IN-4), history for every
//! business row (R-FU-6), foreign keys, shopping-log numbers either
//! continuous or investigated (R-SH-6), and the signs of tampering
//! (issue 20, `store/chain.rs`): the history's chain unbroken, every record
//! as its last change left it, and the protective triggers as HomeDesk made
//! them.
//!
//! On a server (issue 21) the same invariants are checked through the
//! shared query layer, except SQLite's own page and index checks (`PRAGMA
//! integrity_check`), which have no twin a desk's role may run (the
//! server's storage is checked by its administrator: `amcheck`, backups).
//! Foreign keys, which the server enforces itself, are checked anyway, one
//! anti-join per key, against rows slipped in with its checks switched off.
//! A trigger is held to the shape SQLite's file has (table, timing, event,
//! `store/schema.rs`) and must be enabled; its body is PostgreSQL's own,
//! which the desks' role cannot change (`pg/roles.rs`). The server's own
//! count of each register's rows per search key (`requests_term_counts`)
//! is held to the key table it counts, its count of the changes per
//! history search key (`history_term_counts`) to the keys of the changes,
//! and the shopping log's (`shopping_term_counts`) to its key table.

use std::collections::BTreeMap;

use super::chain::{self, GENESIS, LINKED_COLUMNS, LINKED_COUNT, SEALED};
use super::schema::{Shape, Trigger};
use super::sql::{Dialect, Sql, SqlExt, Value};
use super::{Result, Store, migrations};
use crate::sql_params;

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
    /// On a server: how many rows of a register hold a search key, as
    /// `requests_term_counts` keeps it (`kept`, which answers the count of
    /// a search of up to three characters), is not how many rows the key
    /// table gives it (`counted`).
    TermCount {
        kind: String,
        term: String,
        kept: i64,
        counted: i64,
    },
    /// On a server: how many changes hold a history search key, as
    /// `history_term_counts` keeps it (`kept`, which the 变更记录 search
    /// trusts: a key kept at 0 answers "no change holds it"), is not how
    /// many changes the index gives it (`counted`).
    HistoryTermCount {
        term: String,
        kept: i64,
        counted: i64,
    },
    /// On a server: how many shopping log entries hold a search key, as
    /// `shopping_term_counts` keeps it (`kept`, migration 29: the log's
    /// first answer says it as its count), is not how many its keys give
    /// it (`counted`).
    ShoppingTermCount {
        term: String,
        kept: i64,
        counted: i64,
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

/// How many history rows the chain walk reads at a time.
const LINK_BATCH: i64 = 10_000;

impl Store {
    /// Every broken invariant found; empty when all is well.
    pub fn check_invariants(&self) -> Result<Vec<Problem>> {
        let mut problems = Vec::new();
        if self.conn.dialect() == Dialect::Sqlite {
            let damage = self.integrity_check()?.into_iter().filter(|line| line != "ok");
            problems.extend(damage.map(Problem::Integrity));
        }
        problems.extend(self.foreign_key_problems()?);
        problems.extend(self.running_number_gaps()?);
        for (table, entity) in AUDITED {
            problems.extend(self.rows_without_history(table, entity)?);
        }
        problems.extend(self.uninvestigated_shopping_gaps()?);
        if self.conn.dialect() == Dialect::Postgres {
            problems.extend(self.term_count_problems()?);
            problems.extend(self.history_term_count_problems()?);
            problems.extend(self.shopping_term_count_problems()?);
        }
        problems.extend(self.trigger_problems()?);
        problems.extend(self.first_broken_link()?);
        for kind in SEALED {
            problems.extend(self.records_not_as_sealed(kind)?);
        }
        Ok(problems)
    }

    fn trigger_problems(&self) -> Result<Vec<Problem>> {
        if self.conn.dialect() == Dialect::Postgres {
            return self.server_trigger_problems();
        }
        let expected = migrations::expected_triggers()?;
        let found: Vec<(String, String)> = self.conn.fetch_all(
            "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'trigger' ORDER BY name",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(trigger_faults(&expected, &found))
    }

    /// The server's triggers against the shape of a file's (see the
    /// module's comment); a disabled trigger is an altered one.
    fn server_trigger_problems(&self) -> Result<Vec<Problem>> {
        let expected: Vec<(String, Trigger)> =
            Shape::of(&migrations::reference_file()?)?.triggers.into_iter().collect();
        let mut found: BTreeMap<String, Trigger> = Shape::of(&self.conn)?.triggers;
        let disabled: Vec<String> = self.conn.fetch_all(
            "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND t.tgenabled = 'D'
               AND c.relnamespace = to_regnamespace(current_schema())",
            &[],
            |r| r.get(0),
        )?;
        for name in disabled {
            found.entry(name).and_modify(|t| t.event = format!("{} (disabled)", t.event));
        }
        Ok(trigger_faults(&expected, &found.into_iter().collect::<Vec<_>>()))
    }

    /// Walks the history oldest first, linking each row on the one before;
    /// the first row whose stored hash is not its link is the break. Read
    /// in batches by id: ten years are two million rows.
    fn first_broken_link(&self) -> Result<Option<Problem>> {
        let sql = format!("SELECT {LINKED_COLUMNS}, hash FROM history WHERE id > ?1 ORDER BY id LIMIT ?2");
        let (mut after, mut prev) = (i64::MIN, GENESIS);
        loop {
            let rows = self.conn.query(&sql, &sql_params![after, LINK_BATCH])?;
            for row in &rows {
                let link = chain::link(&prev, row[..LINKED_COUNT].iter().map(|v| v.as_value_ref()));
                if !matches!(&row[LINKED_COUNT], Value::Blob(hash) if hash[..] == link[..]) {
                    let id = row.get(0)?;
                    return Ok(Some(Problem::ChainBroken(self.history_link(id)?)));
                }
                prev = link;
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == LINK_BATCH => after = last.get(0)?,
                _ => return Ok(None),
            }
        }
    }

    /// Every record of `kind` that its history knows, compared with the
    /// seal of its newest history row.
    fn records_not_as_sealed(&self, kind: &'static chain::Sealed) -> Result<Vec<Problem>> {
        let newest = self.conn.fetch_all(
            "WITH newest AS (SELECT entity_id, max(id) AS id FROM history WHERE entity = ?1 GROUP BY entity_id)
             SELECT n.entity_id, n.id, h.seal, h.hash FROM newest n JOIN history h ON h.id = n.id
             ORDER BY n.entity_id",
            &sql_params![kind.entity],
            |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<Option<Vec<u8>>>(2)?, r.get::<Option<Vec<u8>>>(3)?)),
        )?;
        let mut problems = Vec::new();
        for (id, history_id, sealed, link) in newest {
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
        if self.conn.dialect() == Dialect::Postgres {
            return self.server_foreign_key_problems();
        }
        Ok(self.conn.fetch_all("PRAGMA foreign_key_check", &[], |r| {
            Ok(Problem::ForeignKey { table: r.get(0)?, rowid: r.get::<Option<i64>>(1)?.unwrap_or(0) })
        })?)
    }

    /// Every row whose key names a row not there, one anti-join per
    /// foreign key of the schema (each of HomeDesk's is on one column); a
    /// row is named by its `id` (0 in a table without one).
    fn server_foreign_key_problems(&self) -> Result<Vec<Problem>> {
        let keys = self.conn.fetch_all(
            "SELECT t.relname::text, a.attname::text, p.relname::text, pa.attname::text,
                EXISTS (SELECT 1 FROM pg_attribute i WHERE i.attrelid = t.oid AND i.attname = 'id')
             FROM pg_constraint c
             JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
             WHERE c.contype = 'f' AND t.relnamespace = to_regnamespace(current_schema())
             ORDER BY 1, 2",
            &[],
            |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<bool>(4)?,
                ))
            },
        )?;
        let mut problems = Vec::new();
        for (table, column, parent, parent_column, has_id) in keys {
            let id = if has_id { "c.id" } else { "0" };
            let orphans = self.conn.fetch_all(
                &format!(
                    "SELECT {id} FROM \"{table}\" c WHERE c.\"{column}\" IS NOT NULL AND NOT EXISTS
                     (SELECT 1 FROM \"{parent}\" p WHERE p.\"{parent_column}\" = c.\"{column}\")"
                ),
                &[],
                |r| r.get::<i64>(0),
            )?;
            problems
                .extend(orphans.into_iter().map(|rowid| Problem::ForeignKey { table: table.clone(), rowid }));
        }
        Ok(problems)
    }

    fn running_number_gaps(&self) -> Result<Vec<Problem>> {
        let all = self.conn.fetch_all(
            "SELECT n.kind, n.year, count(r.id), coalesce(max(r.seq), 0), n.last_seq
             FROM running_numbers n LEFT JOIN requests r ON r.kind = n.kind AND r.year = n.year
             GROUP BY n.kind, n.year, n.last_seq
             UNION ALL
             SELECT r.kind, r.year, count(*), max(r.seq), -1 FROM requests r
             WHERE NOT EXISTS (SELECT 1 FROM running_numbers n WHERE n.kind = r.kind AND n.year = r.year)
             GROUP BY r.kind, r.year",
            &[],
            |r| {
                Ok(Problem::RunningNumberGap {
                    kind: r.get(0)?,
                    year: r.get(1)?,
                    count: r.get(2)?,
                    max_seq: r.get(3)?,
                    last_issued: r.get(4)?,
                })
            },
        )?;
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

    /// The server's count of each register's rows per search key
    /// (`requests_term_counts`, migration 24) against the keys themselves
    /// (`requests_term_ids`): a key counted but held by no row, held but
    /// not counted, or counted wrong. A count that fell to 0 stays as a row.
    fn term_count_problems(&self) -> Result<Vec<Problem>> {
        Ok(self.conn.fetch_all(
            "SELECT coalesce(c.kind, i.kind), coalesce(c.term, i.term), coalesce(c.n, 0), coalesce(i.n, 0)
             FROM requests_term_counts c
             FULL JOIN (SELECT term, kind, count(*) AS n FROM requests_term_ids GROUP BY term, kind) i
                 ON i.term = c.term AND i.kind = c.kind
             WHERE coalesce(c.n, 0) <> coalesce(i.n, 0)
             ORDER BY 1, 2",
            &[],
            |r| {
                Ok(Problem::TermCount {
                    kind: r.get(0)?,
                    term: r.get(1)?,
                    kept: r.get(2)?,
                    counted: r.get(3)?,
                })
            },
        )?)
    }

    /// The server's count of the shopping log's entries per search key
    /// (`shopping_term_counts`, migration 29) against its keys
    /// (`shopping_term_ids`), as [`Store::term_count_problems`] does the
    /// registers'.
    fn shopping_term_count_problems(&self) -> Result<Vec<Problem>> {
        Ok(self.conn.fetch_all(
            "SELECT coalesce(c.term, i.term), coalesce(c.n, 0), coalesce(i.n, 0)
             FROM shopping_term_counts c
             FULL JOIN (SELECT term, count(*) AS n FROM shopping_term_ids GROUP BY term) i ON i.term = c.term
             WHERE coalesce(c.n, 0) <> coalesce(i.n, 0)
             ORDER BY 1",
            &[],
            |r| Ok(Problem::ShoppingTermCount { term: r.get(0)?, kept: r.get(1)?, counted: r.get(2)? }),
        )?)
    }

    /// The server's kept count of the changes holding each history search
    /// key (`history_term_counts`, migration 28) against the keys of every
    /// change (`history_keys` of `history_search`, what its GIN index
    /// holds), set-wise in one statement: a key counted but held by no
    /// change, held but not counted, or counted wrong. The search trusts
    /// these counts (`store/history.rs`): one too low hides changes.
    fn history_term_count_problems(&self) -> Result<Vec<Problem>> {
        Ok(self.conn.fetch_all(
            "SELECT coalesce(c.term, i.term), coalesce(c.n, 0), coalesce(i.n, 0)
             FROM history_term_counts c
             FULL JOIN (SELECT k AS term, count(*) AS n
                        FROM history_search s CROSS JOIN LATERAL unnest(history_keys(s.terms)) AS k
                        GROUP BY k) i
                 ON i.term = c.term COLLATE \"C\"
             WHERE coalesce(c.n, 0) <> coalesce(i.n, 0)
             ORDER BY coalesce(c.term, i.term) COLLATE \"C\"",
            &[],
            |r| Ok(Problem::HistoryTermCount { term: r.get(0)?, kept: r.get(1)?, counted: r.get(2)? }),
        )?)
    }

    /// HomeDesk itself never leaves a gap in the shopping log; one that is
    /// there (typed in from a paper booklet, or a file edited by hand) is a
    /// problem until its investigation is recorded.
    fn uninvestigated_shopping_gaps(&self) -> Result<Vec<Problem>> {
        let investigated: Vec<i64> = self.conn.fetch_all(
            "SELECT no FROM shopping_investigations WHERE concern = 'missing'",
            &[],
            |r| r.get(0),
        )?;
        let numbers: Vec<i64> =
            self.conn.fetch_all("SELECT no FROM shopping_entries ORDER BY no", &[], |r| r.get(0))?;
        let gaps = crate::domain::missing_numbers(&numbers);
        Ok(gaps
            .into_iter()
            .filter(|no| !investigated.contains(no))
            .map(|no| Problem::ShoppingGap { no })
            .collect())
    }

    fn rows_without_history(&self, table: &'static str, entity: &str) -> Result<Vec<Problem>> {
        Ok(self.conn.fetch_all(
            &format!(
                "SELECT t.id FROM {table} t WHERE NOT EXISTS
                 (SELECT 1 FROM history h WHERE h.entity = ?1 AND h.entity_id = t.id)"
            ),
            &sql_params![entity],
            |r| Ok(Problem::MissingHistory { table, id: r.get(0)? }),
        )?)
    }
}

/// The triggers `found` against those `expected`, both by name: each
/// missing, altered (any difference in what is compared) or unknown one.
fn trigger_faults<T: PartialEq>(expected: &[(String, T)], found: &[(String, T)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, definition) in expected {
        let fault = match found.iter().find(|(n, _)| n == name) {
            None => Some(TriggerFault::Missing),
            Some((_, actual)) if actual != definition => Some(TriggerFault::Altered),
            Some(_) => None,
        };
        problems.extend(fault.map(|fault| Problem::Trigger { name: name.clone(), fault }));
    }
    problems.extend(
        found
            .iter()
            .filter(|(name, _)| !expected.iter().any(|(n, _)| n == name))
            .map(|(name, _)| Problem::Trigger { name: name.clone(), fault: TriggerFault::Unknown }),
    );
    problems
}
