//! Moving a whole office between an SQLite file and a server, either way
//! (issue 21): `copy-to`, a server's backup to a HomeDesk file, and a
//! restore onto an empty server.
//!
//! - **The target is new or empty.** A file that is not there, 0 bytes or
//!   an SQLite file with no tables; a server database with no tables; or
//!   either with HomeDesk's schema and no row in any table
//!   ([`Store::open_copy_target`]). Anything else is refused before a byte
//!   is written, and checked again once the target's write lock is held.
//! - **Every table, ids kept, rows verbatim.** The tables are the source's
//!   schema ([`schema::Shape`]) less what each backend builds for itself:
//!   the search indexes (FTS5 in a file, term arrays and `(term, id)`
//!   tables on a server, migration 23). In a file the target's own
//!   triggers fill them as the rows arrive; on a server the searches'
//!   triggers and keys are dropped for the copy, and each register row's
//!   and change's terms are cut here in Rust, as the rows are read again
//!   from the source, and streamed in, the keys built at the end, in the
//!   same transaction (`pg::bulk::SearchFill`): row by row, the history
//!   labels' trigger was 85 % of a copy's time, and cut set-wise in SQL
//!   still 10 of a two-year copy's 11 minutes (docs/PERFORMANCE.md).
//!   Onto a server the rows go by `COPY` (`pg::PgConn::copy_in`), into a
//!   file by multi-row INSERTs. History rows keep their chain and seals, so
//!   `check` verifies them on the target. Tables go parents first (the
//!   foreign keys), the history before its labels (whose search trigger
//!   reads it). On a server the identity sequences are set past the
//!   highest id afterwards.
//! - **One transaction on the target**, holding its write lock (the
//!   office lock on a server), filled in batches of [`BATCH_ROWS`] read by
//!   primary key, so that a big office is never all in memory; the source
//!   is read in one snapshot (a read transaction). A failure rolls the
//!   target back to empty.
//!
//! The triggers that refuse changing history or deleting records stay on:
//! a copy only inserts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::TransactionBehavior;

use super::db::{Db, Tx};
use super::schema::{self, Shape};
use super::sql::{Dialect, Sql, SqlExt, Value, Values};
use super::{Location, Result, Store, StoreError, backup, pg, search};

/// Rows read and written at a time.
pub const BATCH_ROWS: i64 = 5_000;

/// Parameters in one INSERT at most (SQLite allows 32 766, PostgreSQL 65 535).
const MAX_PARAMS: usize = 16_000;

/// Tables the migrations fill (the first reasons for a step, which ids
/// fields hold): a new target has those rows already, which the source's
/// rows of the same key replace (a reason a manager turned off).
const FILLED_BY_MIGRATIONS: [&str; 2] = ["history_ref_fields", "step_reasons"];

/// Ordering the foreign keys do not say: (table, the table it must follow).
const ALSO_AFTER: [(&str, &str); 1] = [("history_labels", "history")];

/// How far a copy is: `copied` of `total` rows of `table`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyProgress {
    pub table: String,
    pub copied: u64,
    pub total: u64,
}

/// One table's rows at the source and at the target after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub source: i64,
    pub target: i64,
}

/// A table as a copy reads and writes it.
struct Table {
    name: String,
    columns: Vec<String>,
    /// Its primary key's columns (one integer column: read by ranges of it).
    key: Vec<String>,
}

impl Store {
    /// Opens `location` as the target of a copy: a new or empty file or
    /// server database, brought to this version's schema. One that holds
    /// anything else (an office, another program's tables) is refused with
    /// [`StoreError::TargetNotEmpty`] and nothing is written to it.
    pub fn open_copy_target(location: &Location) -> Result<Store> {
        let refused = || StoreError::TargetNotEmpty(location.to_string());
        match location {
            Location::File(path) => {
                if !file_is_blank(path)? {
                    let peek = Store::open_reader(path).map_err(|_| refused())?;
                    if peek.schema_version()? == 0 || peek.holds_rows()? {
                        return Err(refused());
                    }
                }
                Store::open(path)
            }
            Location::Server(url) => {
                let peek = Store::connect_server(url)?;
                let tables: i64 = peek.conn.fetch_value(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()
                         AND tablename <> 'homedesk_schema'",
                    &[],
                )?;
                if (peek.schema_cookie == 0 && tables > 0) || (peek.schema_cookie > 0 && peek.holds_rows()?) {
                    return Err(refused());
                }
                peek.migrated()
            }
        }
    }

    /// Whether any table a copy writes holds a row (the migrations' own
    /// rows aside): an office, or the remains of one.
    pub fn holds_rows(&self) -> Result<bool> {
        holds_rows(&self.conn)
    }

    /// The tables a copy writes, in the order it writes them.
    pub fn copied_tables(&self) -> Result<Vec<String>> {
        Ok(tables_of(&self.conn)?.into_iter().map(|t| t.name).collect())
    }

    /// The rows of every table a copy writes, in its order.
    pub fn table_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut counts = Vec::new();
        for table in self.copied_tables()? {
            let n = self.conn.fetch_value(&format!("SELECT count(*) FROM {}", quoted(&table)), &[])?;
            counts.push((table, n));
        }
        Ok(counts)
    }

    /// Copies every row of this office into `target`, which
    /// [`Store::open_copy_target`] opened (see the module's comment). Both
    /// must be of the same schema version. `progress` hears of each batch.
    /// Gives each table's rows as the source's snapshot had them and as
    /// the target has them once committed.
    pub fn copy_into(
        &self,
        target: &mut Store,
        progress: &mut dyn FnMut(&CopyProgress),
    ) -> Result<Vec<TableCount>> {
        let location = target.location().to_string();
        if self.schema_version()? != target.schema_version()? {
            return Err(StoreError::Server(format!(
                "the schema of {location} is not this office's: open both with this HomeDesk first"
            )));
        }
        let tables = tables_of(&self.conn)?;
        let target_shape = Shape::of(&target.conn)?;
        for table in &tables {
            let names: Option<Vec<&str>> =
                target_shape.tables.get(&table.name).map(|c| c.iter().map(|c| c.name.as_str()).collect());
            if names != Some(table.columns.iter().map(String::as_str).collect()) {
                return Err(StoreError::Server(format!(
                    "the table {} of {location} is not this office's: open both with this HomeDesk first",
                    table.name
                )));
            }
        }
        let snapshot = Snapshot::begin(&self.conn)?;
        let tx = begin(&mut target.conn)?;
        if holds_rows(&tx)? {
            return Err(StoreError::TargetNotEmpty(location));
        }
        if tx.dialect() == Dialect::Sqlite {
            // Self-references (a relay's row, a renewal) may point forward.
            tx.batch("PRAGMA defer_foreign_keys = ON")?;
        }
        // On a server the searches' triggers wait for the end (`pg::bulk`).
        let fill = tx.server().map(pg::bulk::SearchFill::start).transpose()?;
        let mut counts = Vec::new();
        for table in &tables {
            let source = copy_table(&self.conn, &tx, table, progress)?;
            counts.push(TableCount { table: table.name.clone(), source, target: 0 });
        }
        let fill = match (fill, tx.server()) {
            (Some(mut fill), Some(server)) => {
                fill_request_search(&self.conn, server, &mut fill, progress)?;
                fill_history_search(&self.conn, server, &mut fill, progress)?;
                fill_shopping_keys(&self.conn, server, &mut fill, progress)?;
                Some(fill)
            }
            _ => None,
        };
        // Every read of the source is done: its snapshot ends before the
        // target builds its keys (12 minutes at ten years), longer than a
        // server lets a transaction stand idle (`idle_in_transaction_session_timeout`).
        snapshot.end()?;
        if let (Some(fill), Some(server)) = (fill, tx.server()) {
            fill.finish(server)?;
            set_sequences(&tx)?;
        }
        tx.commit()?;
        if target.conn.dialect() == Dialect::Postgres {
            // The planner's statistics of a database that was empty.
            target.conn.batch("ANALYZE")?;
        }
        let target_counts: BTreeMap<String, i64> = target.table_counts()?.into_iter().collect();
        for count in &mut counts {
            count.target = target_counts.get(&count.table).copied().unwrap_or(-1);
        }
        Ok(counts)
    }
}

/// A file with nothing in it yet: not there, 0 bytes, or SQLite with no table.
fn file_is_blank(path: &Path) -> Result<bool> {
    match std::fs::metadata(path) {
        Err(_) => Ok(true),
        Ok(meta) if meta.len() == 0 && backup::sidecar_len(path, "-wal") == 0 => Ok(true),
        Ok(_) => {
            let flags =
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let Ok(conn) = rusqlite::Connection::open_with_flags(path, flags) else { return Ok(false) };
            let objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0));
            Ok(objects.is_ok_and(|n| n == 0))
        }
    }
}

fn holds_rows(conn: &dyn Sql) -> Result<bool> {
    for table in tables_of(conn)? {
        if FILLED_BY_MIGRATIONS.contains(&table.name.as_str()) {
            continue;
        }
        let sql = format!("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT 1) AS t", quoted(&table.name));
        if conn.fetch_value::<i64>(&sql, &[])? > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The tables a copy writes, parents before the tables that refer to them.
fn tables_of(conn: &dyn Sql) -> Result<Vec<Table>> {
    let shape = Shape::of(conn)?;
    let mut tables: BTreeMap<String, Table> = shape
        .tables
        .iter()
        .filter(|(name, _)| !schema::SEARCH_TABLES.contains(&name.as_str()))
        .map(|(name, columns)| {
            let table = Table {
                name: name.clone(),
                columns: columns.iter().map(|c| c.name.clone()).collect(),
                key: columns.iter().filter(|c| c.primary_key).map(|c| c.name.clone()).collect(),
            };
            (name.clone(), table)
        })
        .collect();
    let mut after: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let keys = shape.foreign_keys.iter().map(|(t, _, parent, _)| (t.as_str(), parent.as_str()));
    for (table, parent) in keys.chain(ALSO_AFTER) {
        if table != parent && tables.contains_key(table) && tables.contains_key(parent) {
            after.entry(table.to_string()).or_default().insert(parent.to_string());
        }
    }
    let mut ordered = Vec::new();
    while !tables.is_empty() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|name| {
                after.get(*name).is_none_or(|parents| parents.iter().all(|p| !tables.contains_key(p)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Server("the tables' foreign keys go round in a circle".into()));
        }
        ordered.extend(ready.iter().filter_map(|name| tables.remove(name)));
    }
    Ok(ordered)
}

/// `name` as a quoted SQL identifier (the same on both dialects).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The source's read transaction: one state of the office, however long
/// the copy takes, while its desks go on writing.
struct Snapshot<'a> {
    conn: &'a Db,
    open: bool,
}

impl<'a> Snapshot<'a> {
    fn begin(conn: &'a Db) -> Result<Snapshot<'a>> {
        match conn.dialect() {
            Dialect::Sqlite => conn.batch("BEGIN")?,
            Dialect::Postgres => conn.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        Ok(Snapshot { conn, open: true })
    }

    fn end(mut self) -> Result<()> {
        self.open = false;
        Ok(self.conn.batch("COMMIT")?)
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.batch("ROLLBACK");
        }
    }
}

/// The target's write transaction, with its write lock.
fn begin(conn: &mut Db) -> Result<Tx<'_>> {
    Ok(match conn {
        Db::Lite(conn) => Tx::Own(conn.transaction_with_behavior(TransactionBehavior::Immediate)?),
        Db::Server(conn) => Tx::Server(conn.begin_write()?),
    })
}

/// Copies one table in batches: by ranges of its integer key, else (a
/// small table of a composite key) by pages in its key's order.
fn copy_table(
    source: &dyn Sql,
    target: &Tx,
    table: &Table,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<i64> {
    let name = quoted(&table.name);
    let total: i64 = source.fetch_value(&format!("SELECT count(*) FROM {name}"), &[])?;
    let columns = table.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let order = if table.key.is_empty() { &table.columns } else { &table.key };
    let order = order.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let by_id = match table.key.as_slice() {
        [key] => table.columns.iter().position(|c| c == key),
        _ => None,
    };
    let mut progress_now = CopyProgress { table: table.name.clone(), copied: 0, total: total as u64 };
    progress(&progress_now);
    let mut last_id = i64::MIN;
    loop {
        let rows = match by_id {
            Some(_) => source.query(
                &format!("SELECT {columns} FROM {name} WHERE {order} > ?1 ORDER BY {order} LIMIT ?2"),
                &[last_id.into(), BATCH_ROWS.into()],
            )?,
            None => source.query(
                &format!("SELECT {columns} FROM {name} ORDER BY {order} LIMIT ?1 OFFSET ?2"),
                &[BATCH_ROWS.into(), (progress_now.copied as i64).into()],
            )?,
        };
        if rows.is_empty() {
            break;
        }
        if let Some(at) = by_id {
            last_id = rows.last().and_then(|r| r[at].as_i64()).unwrap_or(i64::MAX);
        }
        let values: Vec<Vec<Value>> = rows.into_iter().map(|r| r.0).collect();
        match target.server() {
            // The migrations' rows are replaced (`upsert`), which `COPY` cannot.
            Some(server) if !FILLED_BY_MIGRATIONS.contains(&table.name.as_str()) => {
                let mut data = pg::CopyRows::default();
                for row in &values {
                    data.row(&row.iter().map(pg::CopyValue::from).collect::<Vec<_>>());
                }
                server.copy_in(&format!("COPY {name} ({columns}) FROM STDIN"), data)?;
            }
            _ => insert_rows(target, table, &columns, &values)?,
        }
        progress_now.copied += values.len() as u64;
        progress(&progress_now);
        if (values.len() as i64) < BATCH_ROWS {
            break;
        }
    }
    Ok(total)
}

/// Reads each register row of the source and hands its terms to the
/// server's search fill (`pg::bulk::SearchFill`).
fn fill_request_search(
    source: &dyn Sql,
    server: &pg::PgConn,
    fill: &mut pg::bulk::SearchFill,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<()> {
    let read = "SELECT id, kind, year, seq, room, resident_name, phone, service, details, notes
                FROM requests WHERE id > ?1 ORDER BY id LIMIT ?2";
    in_batches(source, ("requests_search", "requests"), read, progress, &mut |rows| {
        let mut terms = Vec::with_capacity(rows.len());
        for row in rows {
            let fields: Vec<String> = row[4..].iter().map(text_of).collect();
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            let kind: String = row.get(1)?;
            let cut = search::request_terms(&kind, row.get(2)?, row.get(3)?, &fields);
            terms.push((row.get(0)?, kind, cut));
        }
        fill.requests(server, &terms)
    })
}

/// Reads each shopping log entry of the source and hands its terms to the
/// server's search fill.
fn fill_shopping_keys(
    source: &dyn Sql,
    server: &pg::PgConn,
    fill: &mut pg::bulk::SearchFill,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<()> {
    let read = "SELECT id, no, room, resident_name, item, brand FROM shopping_entries
                WHERE id > ?1 ORDER BY id LIMIT ?2";
    in_batches(source, ("shopping_term_ids", "shopping_entries"), read, progress, &mut |rows| {
        let mut terms = Vec::with_capacity(rows.len());
        for row in rows {
            let fields: Vec<String> = row[2..].iter().map(text_of).collect();
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            terms.push((row.get(0)?, search::shopping_terms(row.get(1)?, &fields)));
        }
        fill.shopping(server, &terms)
    })
}

/// Reads each labelled change of the source with its labels and hands its
/// terms to the server's search fill.
fn fill_history_search(
    source: &dyn Sql,
    server: &pg::PgConn,
    fill: &mut pg::bulk::SearchFill,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<()> {
    let read = "SELECT l.history_id, l.record, l.about, l.refs, h.user_name, h.changes, h.reason
                FROM history_labels l JOIN history h ON h.id = l.history_id
                WHERE l.history_id > ?1 ORDER BY l.history_id LIMIT ?2";
    in_batches(source, ("history_search", "history_labels"), read, progress, &mut |rows| {
        let text = |row: &Values, i: usize| text_of(&row[i]);
        let mut terms = Vec::with_capacity(rows.len());
        for row in rows {
            let labels = [text(row, 1), text(row, 2)];
            let cut =
                search::change_terms(&labels, &text(row, 3), &text(row, 4), &text(row, 5), &text(row, 6));
            terms.push((row.get(0)?, cut));
        }
        fill.changes(server, &terms)
    })
}

/// Reads the source by `read` (its first column the id, `?1` the last id
/// read, `?2` the batch's size) in batches of [`BATCH_ROWS`], handing each
/// to `each`; `progress` hears of them as rows of `table` (`name`: what
/// is filled, `counted`: the source's table it is filled from).
fn in_batches(
    source: &dyn Sql,
    (name, counted): (&str, &str),
    read: &str,
    progress: &mut dyn FnMut(&CopyProgress),
    each: &mut dyn FnMut(&[Values]) -> Result<()>,
) -> Result<()> {
    let total: i64 = source.fetch_value(&format!("SELECT count(*) FROM {}", quoted(counted)), &[])?;
    let mut now = CopyProgress { table: name.into(), copied: 0, total: total as u64 };
    progress(&now);
    let mut last_id = i64::MIN;
    loop {
        let rows = source.query(read, &[last_id.into(), BATCH_ROWS.into()])?;
        let Some(last) = rows.last() else { break };
        last_id = last.get(0)?;
        each(&rows)?;
        now.copied += rows.len() as u64;
        progress(&now);
    }
    Ok(())
}

/// A value as the SQL functions that cut terms read it: NULL as no text,
/// a number as its digits.
fn text_of(value: &Value) -> String {
    match value {
        Value::Null | Value::Blob(_) => String::new(),
        Value::Int(v) => v.to_string(),
        Value::Text(v) => v.clone(),
    }
}

/// The rows as multi-row INSERTs of at most [`MAX_PARAMS`] values each.
fn insert_rows(target: &dyn Sql, table: &Table, columns: &str, rows: &[Vec<Value>]) -> Result<()> {
    let width = table.columns.len();
    let per_statement = (MAX_PARAMS / width.max(1)).max(1);
    let also =
        if FILLED_BY_MIGRATIONS.contains(&table.name.as_str()) { upsert(table) } else { String::new() };
    for chunk in rows.chunks(per_statement) {
        let mut sql = format!("INSERT INTO {} ({columns}) VALUES ", quoted(&table.name));
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            let marks: Vec<String> = (1..=width).map(|c| format!("?{}", i * width + c)).collect();
            sql.push('(');
            sql.push_str(&marks.join(", "));
            sql.push(')');
        }
        sql.push_str(&also);
        let params: Vec<Value> = chunk.iter().flatten().cloned().collect();
        target.execute(&sql, &params)?;
    }
    Ok(())
}

/// What a row of a table the migrations filled does to the target's row
/// of the same key: takes its values.
fn upsert(table: &Table) -> String {
    let key = table.key.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let set: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !table.key.contains(c))
        .map(|c| format!("{q} = excluded.{q}", q = quoted(c)))
        .collect();
    if set.is_empty() {
        format!(" ON CONFLICT ({key}) DO NOTHING")
    } else {
        format!(" ON CONFLICT ({key}) DO UPDATE SET {}", set.join(", "))
    }
}

/// Every identity column's sequence set past the highest id its table holds.
fn set_sequences(tx: &dyn Sql) -> Result<()> {
    let identities = tx.query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
        &[],
    )?;
    for row in identities {
        let (table, column) = (row[0].as_str().unwrap_or_default(), row[1].as_str().unwrap_or_default());
        tx.query(
            &format!(
                "SELECT setval(pg_get_serial_sequence(?1, ?2), coalesce(max({c}), 0) + 1, false) FROM {t}",
                c = quoted(column),
                t = quoted(table)
            ),
            &[quoted(table).into(), column.into()],
        )?;
    }
    Ok(())
}
