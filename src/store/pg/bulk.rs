//! A bulk load on the server (the demo office): the searches' triggers are
//! dropped while it runs and their tables filled set-wise at its end, as
//! `Store::defer_for_bulk` does in a file with its FTS5 triggers.
//!
//! Why: each history row's label fires `history_search_new`, which cuts the
//! change's two-character terms in SQL (`history_terms`) and writes about
//! fifty `(term, id)` keys; each register row does the same through
//! `requests_search`. Row by row that was 3–4 ms of the server's time per
//! history row, about four fifths of the demo's CPU on a server
//! (`pg_stat_statements`, issue 21 item 10). Set-wise at the end it is one
//! statement per table. The labels themselves are still written by every
//! write, as its records then stood (`history::flush`).
//!
//! Only for a new office: the tables the triggers keep must be empty when
//! the load begins, so that the refill is every row. A load that fails
//! part-way leaves the triggers dropped; its database is dropped and made
//! again, as the demo on a server says.

use super::PgConn;
use crate::store::sql::{Sql, SqlExt, Value};
use crate::store::{Result, StoreError};

/// The triggers dropped for the load, each with the table it is on.
const DEFERRED_TRIGGERS: [(&str, &str); 5] = [
    ("requests_search_new", "requests"),
    ("requests_search_changed", "requests"),
    ("requests_term_ids_kept", "requests_search"),
    ("history_search_new", "history_labels"),
    ("history_term_ids_kept", "history_search"),
];

/// Set-wise, what the dropped triggers would have written row by row: the
/// same statements as migrations 15, 19, 23 and 24 fill them with.
const REFILL: &str = "
    INSERT INTO requests_search (id, kind, terms) SELECT r.id, r.kind, request_terms(r) FROM requests r;
    INSERT INTO requests_term_ids (term, kind, id)
        SELECT k, s.kind, s.id FROM requests_search s CROSS JOIN LATERAL term_keys(s.terms) AS k;
    INSERT INTO requests_term_counts (term, kind, n)
        SELECT term, kind, count(*) FROM requests_term_ids GROUP BY term, kind;
    INSERT INTO requests_triple_at (term, kind, id, pos)
        SELECT t.term, s.kind, s.id, t.pos FROM requests_search s CROSS JOIN LATERAL term_triples_at(s.terms) AS t;
    INSERT INTO history_search (history_id, terms)
        SELECT l.history_id, string_to_array(rtrim(
            history_terms(l.record, l.about, l.refs, h.user_name, h.changes, h.reason)), ' ')
        FROM history_labels l JOIN history h ON h.id = l.history_id;
    INSERT INTO history_term_ids (term, id)
        SELECT k, s.history_id FROM history_search s CROSS JOIN LATERAL term_keys(s.terms) AS k;";

/// Drops the searches' triggers, returning their `CREATE TRIGGER`
/// statements for [`restore`]. Refused unless the searches' tables are empty.
pub fn defer(conn: &PgConn) -> Result<Vec<String>> {
    let held: i64 = conn.fetch_value(
        "SELECT (SELECT count(*) FROM requests_search) + (SELECT count(*) FROM history_search)",
        &[],
    )?;
    if held > 0 {
        return Err(StoreError::Server("a bulk load on a server is for a new office only".into()));
    }
    let write = conn.begin_write()?;
    let mut definitions = Vec::new();
    for (name, table) in DEFERRED_TRIGGERS {
        let definition: String = write.fetch_value(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = ?1 AND tgrelid = to_regclass(?2)",
            &[Value::from(name), Value::from(table)],
        )?;
        write.batch(&format!("DROP TRIGGER {name} ON {table}"))?;
        definitions.push(definition);
    }
    write.commit()?;
    Ok(definitions)
}

/// Fills the searches' tables from every row and change, and puts the
/// triggers [`defer`] dropped back, in one write; then refreshes the
/// planner's statistics of the tables the load filled.
pub fn restore(conn: &PgConn, definitions: &[String]) -> Result<()> {
    let write = conn.begin_write()?;
    write.batch(REFILL)?;
    for definition in definitions {
        write.batch(definition)?;
    }
    write.commit()?;
    Ok(conn.batch("ANALYZE")?)
}
