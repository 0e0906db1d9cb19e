//! The shape of a schema as either backend's catalogue tells it (issue 21):
//! tables and their columns, views, indexes, unique keys, foreign keys and
//! triggers, in terms both dialects share, so that a test can hold the
//! PostgreSQL migrations to the SQLite ones.
//!
//! What is compared, and what each dialect may do its own way:
//! - a column by name, order, kind of value (integer, text, bytes),
//!   NOT NULL, default and primary key; `CHECK`s are not read back;
//! - an index by table, columns, uniqueness and whether it is partial
//!   (the indexes behind primary and unique keys are the keys);
//! - a trigger by table, timing and event (its body is the dialect's);
//! - the search indexes by name only: SQLite's are FTS5 tables (with
//!   shadow tables of their own), PostgreSQL's are term arrays under a GIN
//!   index ([`SEARCH_TABLES`]);
//! - PostgreSQL's `homedesk_schema` (the version) is left out, and so are
//!   the server's own search objects ([`SERVER_ONLY_TABLES`] and
//!   [`SERVER_ONLY_TRIGGERS`], migration 23): the `(term, id)` tables its
//!   searches read and the history's count per key (migration 28), which
//!   FTS5 keeps inside its own tables in a file, and the triggers that
//!   fill them. `check` therefore does not hold those
//!   triggers to a file's shape either: they keep an index, not the record.
//!   A file's own search objects ([`FILE_ONLY_TABLES`], [`FILE_ONLY_TRIGGERS`],
//!   migration 26: the history's ASCII grams, which a server's keys of three
//!   characters answer) are left out of its shape the same way.

use std::collections::{BTreeMap, BTreeSet};

use super::sql::{Dialect, Sql, SqlError, Value, Values};

/// The search indexes, compared by name only (see the module's comment).
pub const SEARCH_TABLES: [&str; 2] = ["requests_search", "history_search"];

/// The server's term tables (migrations 23, 24, 26, 28 and 29), left out of its shape.
pub const SERVER_ONLY_TABLES: [&str; 6] = [
    "requests_term_ids",
    "requests_term_counts",
    "requests_triple_at",
    "history_term_counts",
    "shopping_term_ids",
    "shopping_term_counts",
];

/// The triggers that fill [`SERVER_ONLY_TABLES`], left out of the server's shape.
pub const SERVER_ONLY_TRIGGERS: [&str; 4] = [
    "requests_term_ids_kept",
    "history_term_counts_kept",
    "shopping_term_ids_new",
    "shopping_term_ids_changed",
];

/// A file's own search index (migration 26), with FTS5's tables of it, left out of its shape.
pub const FILE_ONLY_TABLES: [&str; 1] = ["history_grams"];

/// The trigger that fills [`FILE_ONLY_TABLES`], left out of a file's shape.
pub const FILE_ONLY_TRIGGERS: [&str; 1] = ["history_grams_new"];

/// The kind of value a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Integer,
    Text,
    Bytes,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub not_null: bool,
    pub default: Option<String>,
    pub primary_key: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Trigger {
    pub table: String,
    pub timing: String,
    pub event: String,
}

/// A schema as both backends can describe it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub tables: BTreeMap<String, Vec<Column>>,
    pub views: BTreeMap<String, Vec<String>>,
    pub indexes: BTreeMap<String, Index>,
    /// (table, columns) of each unique key.
    pub unique_keys: BTreeSet<(String, Vec<String>)>,
    /// (table, column, table referred to, its column).
    pub foreign_keys: BTreeSet<(String, String, String, String)>,
    pub triggers: BTreeMap<String, Trigger>,
}

impl Shape {
    /// Reads the shape of the schema `conn` is connected to.
    pub fn of(conn: &dyn Sql) -> Result<Shape, SqlError> {
        match conn.dialect() {
            Dialect::Sqlite => sqlite_shape(conn),
            Dialect::Postgres => postgres_shape(conn),
        }
    }

    /// Every way `other` differs from `self`, one line each (none: equal).
    pub fn differences(&self, other: &Shape) -> Vec<String> {
        let mut lines = Vec::new();
        diff_maps("table", &self.tables, &other.tables, &mut lines);
        diff_maps("view", &self.views, &other.views, &mut lines);
        diff_maps("index", &self.indexes, &other.indexes, &mut lines);
        diff_maps("trigger", &self.triggers, &other.triggers, &mut lines);
        diff_sets("unique key", &self.unique_keys, &other.unique_keys, &mut lines);
        diff_sets("foreign key", &self.foreign_keys, &other.foreign_keys, &mut lines);
        lines
    }
}

fn diff_maps<V: PartialEq + std::fmt::Debug>(
    what: &str,
    left: &BTreeMap<String, V>,
    right: &BTreeMap<String, V>,
    lines: &mut Vec<String>,
) {
    for (name, value) in left {
        match right.get(name) {
            None => lines.push(format!("{what} {name}: only on the first")),
            Some(other) if other != value => {
                lines.push(format!("{what} {name}: {value:?}\n    against {other:?}"))
            }
            Some(_) => {}
        }
    }
    for name in right.keys().filter(|name| !left.contains_key(*name)) {
        lines.push(format!("{what} {name}: only on the second"));
    }
}

fn diff_sets<V: Ord + std::fmt::Debug>(
    what: &str,
    left: &BTreeSet<V>,
    right: &BTreeSet<V>,
    lines: &mut Vec<String>,
) {
    lines.extend(left.difference(right).map(|v| format!("{what} {v:?}: only on the first")));
    lines.extend(right.difference(left).map(|v| format!("{what} {v:?}: only on the second")));
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn flag(value: &Value) -> bool {
    value.as_i64().unwrap_or(0) != 0
}

fn is_search_table(name: &str) -> bool {
    SEARCH_TABLES.contains(&name)
}

/// An FTS5 table's own tables (`requests_search_data`, `…_idx`, …).
fn is_search_shadow(name: &str) -> bool {
    is_shadow_of(name, &SEARCH_TABLES)
}

/// `name` is one of `tables` followed by `_` and more: a table SQLite keeps
/// for it (an FTS5 table's `…_data`, `…_idx`, …).
fn is_shadow_of(name: &str, tables: &[&str]) -> bool {
    tables.iter().any(|t| name.strip_prefix(t).is_some_and(|rest| rest.starts_with('_')))
}

fn kind_of(declared: &str) -> Kind {
    let declared = declared.to_ascii_lowercase();
    if declared.contains("int") {
        Kind::Integer
    } else if declared == "text" {
        Kind::Text
    } else if declared == "blob" || declared == "bytea" {
        Kind::Bytes
    } else {
        Kind::Other
    }
}

fn sqlite_shape(conn: &dyn Sql) -> Result<Shape, SqlError> {
    let mut shape = Shape::default();
    let objects = conn.query(
        "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'",
        &[],
    )?;
    for row in objects {
        let (name, kind) = (text(&row[0]), text(&row[1]));
        let file_only = FILE_ONLY_TABLES.contains(&name.as_str()) || is_shadow_of(&name, &FILE_ONLY_TABLES);
        if is_search_shadow(&name) || file_only {
            continue;
        }
        let columns = conn.query(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid",
            &[name.clone().into()],
        )?;
        if kind == "view" {
            shape.views.insert(name, columns.iter().map(|c| text(&c[0])).collect());
            continue;
        }
        if is_search_table(&name) {
            shape.tables.insert(name, Vec::new());
            continue;
        }
        shape.tables.insert(name.clone(), columns.iter().map(sqlite_column).collect());
        sqlite_keys(conn, &name, &mut shape)?;
    }
    let triggers = conn.query("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'", &[])?;
    for row in triggers.iter().filter(|row| !FILE_ONLY_TRIGGERS.contains(&text(&row[0]).as_str())) {
        let (timing, event) = trigger_words(&text(&row[2]));
        shape.triggers.insert(text(&row[0]), Trigger { table: text(&row[1]), timing, event });
    }
    Ok(shape)
}

fn sqlite_column(row: &Values) -> Column {
    let primary_key = flag(&row[4]);
    Column {
        name: text(&row[0]),
        kind: kind_of(&text(&row[1])),
        not_null: flag(&row[2]) || primary_key,
        default: row[3].as_str().map(str::to_owned),
        primary_key,
    }
}

/// A table's indexes, unique keys and foreign keys.
fn sqlite_keys(conn: &dyn Sql, table: &str, shape: &mut Shape) -> Result<(), SqlError> {
    let indexes =
        conn.query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)", &[table.into()])?;
    for row in indexes {
        let name = text(&row[0]);
        let columns: Vec<String> = conn
            .query("SELECT name FROM pragma_index_info(?1) ORDER BY seqno", &[name.clone().into()])?
            .iter()
            .map(|c| text(&c[0]))
            .collect();
        match text(&row[2]).as_str() {
            "c" => {
                let index =
                    Index { table: table.into(), columns, unique: flag(&row[1]), partial: flag(&row[3]) };
                shape.indexes.insert(name, index);
            }
            "u" => {
                shape.unique_keys.insert((table.into(), columns));
            }
            _ => {}
        }
    }
    let keys =
        conn.query("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1)", &[table.into()])?;
    for row in keys {
        shape.foreign_keys.insert((table.into(), text(&row[0]), text(&row[1]), text(&row[2])));
    }
    Ok(())
}

/// The timing and event of a trigger from SQLite's text of it
/// (`CREATE TRIGGER name BEFORE UPDATE OF … ON …`).
fn trigger_words(sql: &str) -> (String, String) {
    let words: Vec<String> = sql.split_whitespace().take(6).map(str::to_ascii_uppercase).collect();
    let at = words.iter().position(|w| w == "BEFORE" || w == "AFTER").unwrap_or(0);
    let word = |i: usize| words.get(i).cloned().unwrap_or_default();
    (word(at), word(at + 1))
}

fn postgres_shape(conn: &dyn Sql) -> Result<Shape, SqlError> {
    let mut shape = Shape::default();
    let objects = conn.query(
        "SELECT table_name::text, table_type::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name <> 'homedesk_schema'",
        &[],
    )?;
    for row in objects {
        let (name, kind) = (text(&row[0]), text(&row[1]));
        if SERVER_ONLY_TABLES.contains(&name.as_str()) {
            continue;
        }
        let columns = conn.query(
            "SELECT c.column_name::text, c.data_type::text, c.is_nullable::text = 'NO', c.column_default::text,
                 EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a
                         ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
                         WHERE i.indrelid = to_regclass(?1) AND i.indisprimary AND a.attname = c.column_name)
             FROM information_schema.columns c
             WHERE c.table_schema = current_schema() AND c.table_name = ?1 ORDER BY c.ordinal_position",
            &[name.clone().into()],
        )?;
        if kind == "VIEW" {
            shape.views.insert(name, columns.iter().map(|c| text(&c[0])).collect());
        } else if is_search_table(&name) {
            shape.tables.insert(name, Vec::new());
        } else {
            shape.tables.insert(name, columns.iter().map(postgres_column).collect());
        }
    }
    postgres_keys(conn, &mut shape)?;
    let triggers = conn.query(
        "SELECT trigger_name::text, event_object_table::text, action_timing::text, event_manipulation::text
         FROM information_schema.triggers WHERE trigger_schema = current_schema()",
        &[],
    )?;
    for row in triggers.iter().filter(|row| !SERVER_ONLY_TRIGGERS.contains(&text(&row[0]).as_str())) {
        let trigger = Trigger { table: text(&row[1]), timing: text(&row[2]), event: text(&row[3]) };
        shape.triggers.insert(text(&row[0]), trigger);
    }
    Ok(shape)
}

fn postgres_column(row: &Values) -> Column {
    Column {
        name: text(&row[0]),
        kind: kind_of(&text(&row[1])),
        not_null: flag(&row[2]),
        // `''::text` as SQLite writes it: `''`.
        default: row[3]
            .as_str()
            .map(|d| d.trim_end_matches("::text").trim_end_matches("::bigint").to_owned()),
        primary_key: flag(&row[4]),
    }
}

/// The schema's indexes (those behind a key are the key), unique keys and
/// foreign keys (every one of HomeDesk's is on one column).
fn postgres_keys(conn: &dyn Sql, shape: &mut Shape) -> Result<(), SqlError> {
    let columns_of = "(SELECT string_agg(a.attname::text, ',' ORDER BY k.n)
        FROM unnest(KEYS) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = TABLE AND a.attnum = k.attnum)";
    let indexes = conn.query(
        &format!(
            "SELECT ic.relname::text, t.relname::text, i.indisunique, i.indpred IS NOT NULL, {}
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
             WHERE t.relnamespace = to_regnamespace(current_schema())
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                               WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))",
            columns_of.replace("KEYS", "i.indkey::int2[]").replace("TABLE", "i.indrelid")
        ),
        &[],
    )?;
    for row in indexes {
        let table = text(&row[1]);
        if is_search_table(&table) || SERVER_ONLY_TABLES.contains(&table.as_str()) {
            continue;
        }
        let columns = text(&row[4]).split(',').map(str::to_owned).collect();
        let index = Index { table, columns, unique: flag(&row[2]), partial: flag(&row[3]) };
        shape.indexes.insert(text(&row[0]), index);
    }
    let keys = conn.query(
        &format!(
            "SELECT c.contype::text, t.relname::text, {}, r.relname::text, {}
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
             WHERE t.relnamespace = to_regnamespace(current_schema()) AND c.contype IN ('u', 'f')",
            columns_of.replace("KEYS", "c.conkey").replace("TABLE", "c.conrelid"),
            columns_of.replace("KEYS", "c.confkey").replace("TABLE", "c.confrelid"),
        ),
        &[],
    )?;
    for row in keys {
        let table = text(&row[1]);
        if text(&row[0]) == "u" {
            shape.unique_keys.insert((table, text(&row[2]).split(',').map(str::to_owned).collect()));
        } else {
            shape.foreign_keys.insert((table, text(&row[2]), text(&row[3]), text(&row[4])));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trigger_is_read_as_its_timing_and_event() {
        let sql = "CREATE TRIGGER shopping_numbers_kept BEFORE UPDATE OF no, id ON shopping_entries";
        assert_eq!(trigger_words(sql), ("BEFORE".into(), "UPDATE".into()));
    }

    #[test]
    fn search_shadow_tables_are_told_from_other_tables() {
        assert!(is_search_shadow("requests_search_data"));
        assert!(!is_search_shadow("requests_search"));
        assert!(!is_search_shadow("requests"));
    }
}
