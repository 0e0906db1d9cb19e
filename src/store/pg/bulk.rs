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
//! ([`drop_triggers`], [`refill_and_restore`]), so that a failed copy
//! leaves the triggers as they were.

use super::PgConn;
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
