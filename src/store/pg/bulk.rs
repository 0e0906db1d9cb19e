//! A bulk load on the server (the demo office): the searches' triggers are
//! dropped while it runs and their tables filled set-wise at its end, as
//! `Store::defer_for_bulk` does in a file with its FTS5 triggers.
//!
//! Why: each history row's label fires `history_search_new`, which cuts the
//! change's two-character terms in SQL (`history_terms`) and counts its
//! keys (migration 28: before it, wrote 84 `(term, id)` key rows); each register row does the same through
//! `requests_search`. Row by row that was 3–4 ms of the server's time per
//! history row, about four fifths of the demo's CPU on a server
//! (`pg_stat_statements`, issue 21 item 10). Set-wise at the end it is one
//! statement per table. The labels themselves are still written by every
//! write, as its records then stood (`history::flush`).
//!
//! Only for a new office: the tables the triggers keep must be empty when
//! the load begins, so that the refill is every row. A load that fails
//! part-way leaves the triggers dropped; its database is dropped and made
//! again, as the demo on a server says. A copy onto a server (`copy-to`,
//! a restore) drops and restores them inside its one transaction
//! ([`SearchFill::start`], [`SearchFill::finish`]), so that a failed copy
//! leaves the triggers as they were.
//!
//! A copy does not cut the terms in SQL at all ([`SearchFill`]): it cuts
//! them in Rust as it reads the source (`store/search.rs`, the same terms
//! as the SQL functions: `pg_terms_are_cut_as_in_sqlite`) and streams every
//! search table's rows in by `COPY`, the keys' B-trees and the history's
//! GIN index dropped meanwhile and built after in one sort each. Cut in
//! SQL, the refill was 10 of a two-year copy's 11 minutes (load 8–10): the
//! history's terms 296 s, their kept counts 79 s, the registers' keys
//! 75 s and triples 20 s (docs/PERFORMANCE.md).

use std::collections::HashMap;

use super::{CopyRows, CopyValue, PgConn};
use crate::store::search::{term_keys, term_triples_at};
use crate::store::sql::{Sql, SqlExt, Value};
use crate::store::{Result, StoreError};

/// The triggers dropped for the load, each with the table it is on.
const DEFERRED_TRIGGERS: [(&str, &str); 5] = [
    ("requests_search_new", "requests"),
    ("requests_search_changed", "requests"),
    ("requests_term_ids_kept", "requests_search"),
    ("history_search_new", "history_labels"),
    ("history_term_counts_kept", "history_search"),
];

/// Set-wise, what the dropped triggers would have written row by row: the
/// same statements as migrations 15, 19, 23, 24, 26 and 28 fill them with.
/// The keys go in their index's order, so that each page of the index is
/// written once, sorted in memory. The history's GIN index of keys
/// (migration 28) is dropped while its rows go in and built again after
/// them in one sort: kept row by row, it took each change's 84 keys one
/// insertion at a time.
const REFILL: &str = "
    SET LOCAL work_mem = '512MB';
    INSERT INTO requests_search (id, kind, terms) SELECT r.id, r.kind, request_terms(r) FROM requests r;
    INSERT INTO requests_term_ids (term, kind, id)
        SELECT k, s.kind, s.id FROM requests_search s CROSS JOIN LATERAL term_keys(s.terms) AS k
        ORDER BY 1, 2, 3;
    INSERT INTO requests_term_counts (term, kind, n)
        SELECT term, kind, count(*) FROM requests_term_ids GROUP BY term, kind;
    INSERT INTO requests_triple_at (term, kind, id, pos)
        SELECT t.term, s.kind, s.id, t.pos FROM requests_search s CROSS JOIN LATERAL term_triples_at(s.terms) AS t;
    DROP INDEX history_search_keys;
    INSERT INTO history_search (history_id, terms)
        SELECT l.history_id, string_to_array(rtrim(
            history_terms(l.record, l.about, l.refs, h.user_name, h.changes, h.reason)), ' ')
        FROM history_labels l JOIN history h ON h.id = l.history_id
        ORDER BY l.history_id;
    SET LOCAL maintenance_work_mem = '256MB';
    CREATE INDEX history_search_keys ON history_search USING gin (history_keys(terms)) WITH (fastupdate = off);
    INSERT INTO history_term_counts (term, n)
        SELECT k, count(*) FROM history_search s CROSS JOIN LATERAL unnest(history_keys(s.terms)) AS k GROUP BY k;";

/// Drops the searches' triggers, returning their `CREATE TRIGGER`
/// statements for [`restore`]. Refused unless the searches' tables are empty.
pub fn defer(conn: &PgConn) -> Result<Vec<String>> {
    let write = conn.begin_write()?;
    let definitions = drop_triggers(&*write)?;
    write.commit()?;
    Ok(definitions)
}

/// Fills the searches' tables from every row and change, and puts the
/// triggers [`defer`] dropped back, in one write; then refreshes the
/// planner's statistics of the tables the load filled.
pub fn restore(conn: &PgConn, definitions: &[String]) -> Result<()> {
    let write = conn.begin_write()?;
    refill_and_restore(&*write, definitions)?;
    write.commit()?;
    Ok(conn.batch("ANALYZE")?)
}

/// Drops the searches' triggers in the write transaction `tx`, returning
/// their `CREATE TRIGGER` statements for [`refill_and_restore`]. Refused
/// unless the searches' tables are empty (a new office).
pub fn drop_triggers(tx: &dyn Sql) -> Result<Vec<String>> {
    let held: i64 = tx.fetch_value(
        "SELECT (SELECT count(*) FROM requests_search) + (SELECT count(*) FROM history_search)",
        &[],
    )?;
    if held > 0 {
        return Err(StoreError::Server("a bulk load on a server is for a new office only".into()));
    }
    let mut definitions = Vec::new();
    for (name, table) in DEFERRED_TRIGGERS {
        let definition: String = tx.fetch_value(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = ?1 AND tgrelid = to_regclass(?2)",
            &[Value::from(name), Value::from(table)],
        )?;
        tx.batch(&format!("DROP TRIGGER {name} ON {table}"))?;
        definitions.push(definition);
    }
    Ok(definitions)
}

/// In the write transaction `tx`: fills the searches' tables from every
/// row and change, and puts back the triggers [`drop_triggers`] dropped.
pub fn refill_and_restore(tx: &dyn Sql, definitions: &[String]) -> Result<()> {
    tx.batch(REFILL)?;
    for definition in definitions {
        tx.batch(definition)?;
    }
    Ok(())
}

/// The shopping log's keys' trigger on a new entry, which a copy drops too.
const SHOPPING_KEYS_TRIGGER: (&str, &str) = ("shopping_term_ids_new", "shopping_entries");

/// What a copy drops besides the triggers, to build in one sort each once
/// its rows are in: the keys' B-trees (a row at a time, 5 million keys
/// were most of the registers' fill) and the history's GIN index.
const KEYS_DROPPED: &str = "
    ALTER TABLE requests_term_ids DROP CONSTRAINT requests_term_ids_pkey;
    ALTER TABLE requests_triple_at DROP CONSTRAINT requests_triple_at_pkey;
    DROP INDEX history_search_keys;";

/// [`KEYS_DROPPED`] built again, as migrations 23, 26 and 28 made them.
const KEYS_BUILT: &str = "
    SET LOCAL maintenance_work_mem = '256MB';
    ALTER TABLE requests_term_ids ADD PRIMARY KEY (term, kind, id);
    ALTER TABLE requests_triple_at ADD PRIMARY KEY (term, kind, id, pos);
    CREATE INDEX history_search_keys ON history_search USING gin (history_keys(terms)) WITH (fastupdate = off);";

/// A copy's fill of the server's search tables, in the copy's write
/// transaction: the rows' terms cut in Rust, every table's rows streamed by
/// `COPY`, the kept counts counted on the way and written at the end; the
/// same rows the triggers write row by row (a test compares them with the
/// SQL functions' on a whole demo office).
pub struct SearchFill {
    /// The triggers' `CREATE TRIGGER` statements, put back by [`SearchFill::finish`].
    definitions: Vec<String>,
    /// Rows of each key in each register (`requests_term_counts`).
    request_counts: HashMap<(String, String), i64>,
    /// Changes holding each key (`history_term_counts`).
    change_counts: HashMap<String, i64>,
    /// Shopping log entries holding each key (`shopping_term_counts`, migration 29).
    shopping_counts: HashMap<String, i64>,
}

/// A register row's id, register and terms (`store::search::request_terms`).
pub type RequestTerms = (i64, String, Vec<String>);

impl SearchFill {
    /// Drops the searches' triggers ([`drop_triggers`]: refused unless
    /// their tables are empty) and the keys' indexes in the write `tx`.
    pub fn start(tx: &PgConn) -> Result<SearchFill> {
        let mut definitions = drop_triggers(tx)?;
        // The shopping log's keys too (the demo keeps this trigger: its
        // entries are few a day), 4 ms an entry row by row.
        let (name, table) = SHOPPING_KEYS_TRIGGER;
        definitions.push(tx.fetch_value(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = ?1 AND tgrelid = to_regclass(?2)",
            &[Value::from(name), Value::from(table)],
        )?);
        tx.batch(&format!("DROP TRIGGER {name} ON {table}"))?;
        tx.batch(KEYS_DROPPED)?;
        Ok(SearchFill {
            definitions,
            request_counts: HashMap::new(),
            change_counts: HashMap::new(),
            shopping_counts: HashMap::new(),
        })
    }

    /// Writes register rows' search rows, keys and triples.
    pub fn requests(&mut self, tx: &PgConn, rows: &[RequestTerms]) -> Result<()> {
        let (mut search, mut keys, mut triples) =
            (CopyRows::default(), CopyRows::default(), CopyRows::default());
        for (id, kind, terms) in rows {
            search.row(&[CopyValue::Int(*id), CopyValue::Text(kind), CopyValue::Texts(terms)]);
            for key in term_keys(terms) {
                keys.row(&[CopyValue::Text(&key), CopyValue::Text(kind), CopyValue::Int(*id)]);
                *self.request_counts.entry((key, kind.clone())).or_default() += 1;
            }
            for (triple, pos) in term_triples_at(terms) {
                let row = [
                    CopyValue::Text(&triple),
                    CopyValue::Text(kind),
                    CopyValue::Int(*id),
                    CopyValue::Int(pos.into()),
                ];
                triples.row(&row);
            }
        }
        for (copy, data) in [
            ("COPY requests_search (id, kind, terms) FROM STDIN", search),
            ("COPY requests_term_ids (term, kind, id) FROM STDIN", keys),
            ("COPY requests_triple_at (term, kind, id, pos) FROM STDIN", triples),
        ] {
            if !data.is_empty() {
                tx.copy_in(copy, data)?;
            }
        }
        Ok(())
    }

    /// Writes shopping log entries' keys (`id`, terms).
    pub fn shopping(&mut self, tx: &PgConn, rows: &[(i64, Vec<String>)]) -> Result<()> {
        let mut keys = CopyRows::default();
        for (id, terms) in rows {
            for key in term_keys(terms) {
                keys.row(&[CopyValue::Text(&key), CopyValue::Int(*id)]);
                *self.shopping_counts.entry(key).or_default() += 1;
            }
        }
        if !keys.is_empty() {
            tx.copy_in("COPY shopping_term_ids (term, id) FROM STDIN", keys)?;
        }
        Ok(())
    }

    /// Writes changes' search rows (`history_id`, terms).
    pub fn changes(&mut self, tx: &PgConn, rows: &[(i64, Vec<String>)]) -> Result<()> {
        let mut search = CopyRows::default();
        for (id, terms) in rows {
            search.row(&[CopyValue::Int(*id), CopyValue::Texts(terms)]);
            for key in term_keys(terms) {
                *self.change_counts.entry(key).or_default() += 1;
            }
        }
        if !search.is_empty() {
            tx.copy_in("COPY history_search (history_id, terms) FROM STDIN", search)?;
        }
        Ok(())
    }

    /// Writes the kept counts, builds the keys' indexes and puts the
    /// triggers back.
    pub fn finish(self, tx: &PgConn) -> Result<()> {
        let mut counts = CopyRows::default();
        for ((term, kind), n) in &self.request_counts {
            counts.row(&[CopyValue::Text(term), CopyValue::Text(kind), CopyValue::Int(*n)]);
        }
        if !counts.is_empty() {
            tx.copy_in("COPY requests_term_counts (term, kind, n) FROM STDIN", counts)?;
        }
        write_counts(tx, "history_term_counts", &self.change_counts)?;
        write_counts(tx, "shopping_term_counts", &self.shopping_counts)?;
        tx.batch(KEYS_BUILT)?;
        for definition in &self.definitions {
            tx.batch(definition)?;
        }
        Ok(())
    }
}

/// Each key's kept count into `table` (`term`, `n`).
fn write_counts(tx: &PgConn, table: &str, counts: &HashMap<String, i64>) -> Result<()> {
    let mut rows = CopyRows::default();
    for (term, n) in counts {
        rows.row(&[CopyValue::Text(term), CopyValue::Int(*n)]);
    }
    if !rows.is_empty() {
        tx.copy_in(&format!("COPY {table} (term, n) FROM STDIN"), rows)?;
    }
    Ok(())
}
