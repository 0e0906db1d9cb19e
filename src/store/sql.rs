//! The query layer both backends share (issue 21): one [`Sql`] trait over
//! rusqlite's connection and the `postgres` crate's client, so that a store
//! function is written once for SQLite and PostgreSQL.
//!
//! Statements are written in SQLite's numbered placeholder style (`?1`,
//! `?2`, …), which the store already uses; the PostgreSQL side rewrites them
//! to `$1`, `$2` ([`postgres_placeholders`]) outside quotes and comments.
//! Values cross the layer as the four kinds the schema holds ([`Value`]:
//! integers — money in fen, ids, flags —, text — times as chrono's text,
//! JSON —, bytes — the history's seals — and NULL), so neither driver's
//! type system leaks upwards. SQL that differs between the dialects (DDL,
//! `json_each` against `jsonb_array_elements`, FTS5 against arrays) is
//! chosen by [`Sql::dialect`] in the store function that needs it.

use std::borrow::Cow;

/// A `SELECT` of the ids in the JSON array (`[1,2,3]`, [`json_ids`]) bound
/// at `param` (`?1`): one statement and one round trip whatever their
/// number, and one statement text for the server's cache (ids written into
/// the text would make each list a statement of its own). The server is
/// given the list as text and casts it there: a parameter cast straight to
/// `jsonb` would be asked for as `jsonb`, a type the shared layer does not pass.
pub fn ids_in_json(dialect: Dialect, param: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("SELECT value FROM json_each({param})"),
        Dialect::Postgres => {
            format!(
                "SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(CAST({param} AS TEXT) AS jsonb))"
            )
        }
    }
}

/// `ids` as the JSON array [`ids_in_json`] reads.
pub fn json_ids(ids: impl IntoIterator<Item = i64>) -> Value {
    let list: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    Value::Text(format!("[{}]", list.join(",")))
}

/// Which database a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// One value passed to or read from a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    /// The integer, if the value is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// The text, if the value is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(v) => Some(v),
            _ => None,
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A row's values copied out of the statement, in the order of its columns,
/// read by index (`row[0]`): what [`Sql::query`] gives (the schema's
/// description, the chain's digests, the server's rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values(pub Vec<Value>);

impl Values {
    /// Column `column` as any type rusqlite can read, as [`Row::get`].
    pub fn get<T: rusqlite::types::FromSql>(&self, column: usize) -> Result<T, SqlError> {
        Row::of(&self.0).get(column)
    }
}

impl std::ops::Deref for Values {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        &self.0
    }
}

/// A row as a `fetch_*` decoder sees it, read as any type rusqlite reads
/// ([`Row::get`]). On SQLite it is rusqlite's own row, read in place while
/// the statement steps (no value copied before the decoder asks for it: the
/// demo build reads millions of rows); on the server, the row's [`Values`].
pub struct Row<'r>(RowData<'r>);

enum RowData<'r> {
    Values(&'r [Value]),
    Lite(&'r rusqlite::Row<'r>),
}

impl<'r> Row<'r> {
    /// A row over values already read.
    pub fn of(values: &'r [Value]) -> Self {
        Row(RowData::Values(values))
    }

    /// Column `column` as any type rusqlite can read (the store's own types
    /// implement `FromSql` once, for both backends).
    pub fn get<T: rusqlite::types::FromSql>(&self, column: usize) -> Result<T, SqlError> {
        use rusqlite::types::ValueRef;
        let value = match &self.0 {
            RowData::Values(values) => values.get(column).map(Value::as_value_ref),
            RowData::Lite(row) => row.get_ref(column).ok(),
        };
        let Some(value) = value else {
            return Err(read_error::<T>(column, "no such column".into()));
        };
        let read = match value {
            // The schema keeps no REAL column; a computed one is read as
            // text, as [`Value`] carries it.
            ValueRef::Real(v) => T::column_result(ValueRef::Text(v.to_string().as_bytes())),
            value => T::column_result(value),
        };
        read.map_err(|e| read_error::<T>(column, e.to_string()))
    }
}

fn read_error<T>(column: usize, cause: String) -> SqlError {
    SqlError::Read { column, wanted: std::any::type_name::<T>(), cause }
}

/// An error of either driver, kept as the driver gave it.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {}", postgres_words(.0))]
    Postgres(#[from] postgres::Error),
    /// A column of a type the layer does not carry (the schema has none).
    #[error("column {column} has the type {type_name}, which HomeDesk does not read")]
    UnreadType { column: String, type_name: String },
    /// A statement that must return a row returned none.
    #[error("the query returned no row")]
    NoRow,
    /// A column read as a type its value is not (column index, what was wanted).
    #[error("column {column} cannot be read as {wanted}: {cause}")]
    Read { column: usize, wanted: &'static str, cause: String },
    /// The connection broke on a write's `COMMIT`: whether the server
    /// committed is asked on the next connection (`PgConn::write_outcome`).
    #[error("the connection broke on COMMIT of transaction {xid}: {cause}")]
    CommitUnconfirmed { xid: i64, cause: String },
    /// The connection's TLS settings could not be used (an `sslmode` not
    /// known, a `sslrootcert` not readable).
    #[error("TLS: {0}")]
    Tls(String),
    /// The server's certificate failed the check `sslmode` asked for.
    #[error("the server's certificate was refused: {0}")]
    Certificate(String),
    /// A transaction the server would not end while its outcome was asked.
    #[error("transaction {xid} is still open on the server")]
    StillOpen { xid: i64 },
    /// The connection is known to be broken: the statement was not sent.
    #[error("the connection to the server is broken; nothing was sent")]
    Lost,
    /// A write's statement got no answer within its bound and was given
    /// up, with the connection (`PgConn::answering_within`).
    #[error("the server did not answer within {} s", .0.as_secs_f32())]
    NoAnswer(std::time::Duration),
    /// A `COPY` stream to the server broke without the driver's error.
    #[error("the rows could not be sent to the server: {0}")]
    Stream(String),
}

impl SqlError {
    /// Whether the connection broke (closed, an I/O error, the server
    /// ending the session), was known broken, or was given up.
    pub fn is_connection_lost(&self) -> bool {
        match self {
            SqlError::Postgres(e) => super::pg::connection_lost(e),
            SqlError::Lost | SqlError::NoAnswer(_) => true,
            _ => false,
        }
    }
}

impl From<SqlError> for super::StoreError {
    /// SQLite's errors as the store has always told them apart (busy,
    /// read-only, disk full…); the server's in its words.
    fn from(e: SqlError) -> Self {
        match e {
            SqlError::Sqlite(e) => e.into(),
            SqlError::NoRow => super::StoreError::NotFound,
            // A statement stopped by `QueryCanceller` (SQLSTATE 57014).
            SqlError::Postgres(e) if e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED) => {
                super::StoreError::Cancelled
            }
            // A bounded connection's wait for the office lock (`pg::LOCK_WAIT`).
            SqlError::Postgres(e) if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) => {
                super::StoreError::Busy
            }
            // Broken before any COMMIT: the server rolled the write back.
            SqlError::Postgres(e) if super::pg::connection_lost(&e) => {
                super::StoreError::ServerLost(postgres_words(&e))
            }
            e @ SqlError::CommitUnconfirmed { .. } => super::StoreError::CommitUnconfirmed(e.to_string()),
            SqlError::Lost => super::StoreError::ServerAway,
            SqlError::NoAnswer(bound) => super::StoreError::ServerSilent(bound),
            other => super::StoreError::Server(other.to_string()),
        }
    }
}

/// The server's own words for an error it reported, with its SQLSTATE
/// (the driver's `Display` says only "db error"); for any other error the
/// driver's words and their cause, which its `Display` leaves out ("error
/// performing TLS handshake: invalid peer certificate: UnknownIssuer").
fn postgres_words(e: &postgres::Error) -> String {
    match (e.as_db_error(), std::error::Error::source(e)) {
        (Some(db), _) => format!("{} ({})", db.message(), db.code().code()),
        (None, Some(cause)) => format!("{e}: {cause}"),
        (None, None) => e.to_string(),
    }
}

/// What the store needs of a connection, on either backend. Shared
/// (`&self`), as the store's functions take rusqlite's `&Connection`
/// today, so that a module moves onto the trait without changing how its
/// callers hold the connection.
pub trait Sql {
    fn dialect(&self) -> Dialect;
    /// Runs one statement and gives the number of rows it changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, SqlError>;
    /// Runs one statement and gives every row it returns, copied out.
    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Values>, SqlError>;
    /// Runs one statement and hands its rows to `each` one by one until it
    /// says `false` (the `fetch_*` reads). SQLite's rows are read in place;
    /// the default reads them all with [`Sql::query`] first (the server's
    /// driver has them all anyway).
    fn query_each(
        &self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row<'_>) -> Result<bool, SqlError>,
    ) -> Result<(), SqlError> {
        for values in self.query(sql, params)? {
            if !each(&Row::of(&values))? {
                break;
            }
        }
        Ok(())
    }
    /// Runs several statements without parameters (DDL, `BEGIN`, `COMMIT`).
    fn batch(&self, sql: &str) -> Result<(), SqlError>;
}

/// The reads and inserts the store's functions are written with, on any
/// [`Sql`]: rows decoded by a closure over [`Get::get`] (as rusqlite's
/// `query_map`), and an insert's new id through `RETURNING id`, which both
/// backends have (SQLite's `last_insert_rowid` has no PostgreSQL twin).
pub trait SqlExt: Sql {
    /// Every row, each decoded by `decode`.
    fn fetch_all<T>(
        &self,
        sql: &str,
        params: &[Value],
        mut decode: impl FnMut(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<Vec<T>, SqlError> {
        let mut all = Vec::new();
        self.query_each(sql, params, &mut |row| {
            all.push(decode(row)?);
            Ok(true)
        })?;
        Ok(all)
    }

    /// The first row, decoded; [`SqlError::NoRow`] when there is none.
    fn fetch_one<T>(
        &self,
        sql: &str,
        params: &[Value],
        decode: impl FnOnce(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        self.fetch_opt(sql, params, decode)?.ok_or(SqlError::NoRow)
    }

    /// The first row, decoded, if there is one.
    fn fetch_opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        decode: impl FnOnce(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<Option<T>, SqlError> {
        // Stops at the first row: the statement is not stepped further.
        let mut decode = Some(decode);
        let mut first = None;
        self.query_each(sql, params, &mut |row| {
            first = decode.take().map(|decode| decode(row)).transpose()?;
            Ok(false)
        })?;
        Ok(first)
    }

    /// The one value of the first row (a count, a sum, an id).
    fn fetch_value<T: rusqlite::types::FromSql>(&self, sql: &str, params: &[Value]) -> Result<T, SqlError> {
        self.fetch_one(sql, params, |row| row.get(0))
    }

    /// Runs an `INSERT … RETURNING id` and gives the id.
    fn insert_id(&self, sql: &str, params: &[Value]) -> Result<i64, SqlError> {
        debug_assert!(sql.contains("RETURNING"), "insert_id needs RETURNING id: {sql}");
        self.fetch_value(sql, params)
    }
}

impl<S: Sql + ?Sized> SqlExt for S {}

/// A statement's parameter from any value rusqlite can bind (the store's
/// types implement `ToSql` once): see [`params!`](crate::sql_params).
pub fn param(value: &dyn rusqlite::ToSql) -> Result<Value, SqlError> {
    use rusqlite::types::{ToSqlOutput, Value as Owned};
    Ok(match value.to_sql()? {
        ToSqlOutput::Borrowed(v) => Value::from_value_ref(v),
        ToSqlOutput::Owned(Owned::Null) => Value::Null,
        ToSqlOutput::Owned(Owned::Integer(v)) => Value::Int(v),
        ToSqlOutput::Owned(Owned::Real(v)) => Value::Text(v.to_string()),
        ToSqlOutput::Owned(Owned::Text(v)) => Value::Text(v),
        ToSqlOutput::Owned(Owned::Blob(v)) => Value::Blob(v),
        other => return Err(SqlError::Read { column: 0, wanted: "parameter", cause: format!("{other:?}") }),
    })
}

/// `sql_params![a, b, …]`: the parameters of a statement on either backend,
/// from values rusqlite can bind, as `[Value; N]` (the `?` of a conversion
/// goes to the calling function, whose error takes a [`SqlError`]).
#[macro_export]
macro_rules! sql_params {
    () => { [] as [$crate::store::sql::Value; 0] };
    ($($value:expr),+ $(,)?) => {
        [$($crate::store::sql::param(&$value)?),+]
    };
}

impl Sql for rusqlite::Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, SqlError> {
        let changed = self.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))?;
        Ok(changed as u64)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Values>, SqlError> {
        let mut stmt = self.prepare_cached(sql)?;
        // The width as the row has it: a cached `SELECT *` is prepared again
        // when a migration adds a column, at its first step, not before.
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let width = r.as_ref().column_count();
            (0..width).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<Value>>>().map(Values)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<Values>>>()?)
    }

    fn query_each(
        &self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row<'_>) -> Result<bool, SqlError>,
    ) -> Result<(), SqlError> {
        let mut stmt = self.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            if !each(&Row(RowData::Lite(row)))? {
                break;
            }
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<(), SqlError> {
        Ok(self.execute_batch(sql)?)
    }
}

impl Value {
    /// The value as rusqlite reads a column, so that the store's
    /// conversions (`Stamp`, chrono's) read what either backend gave.
    pub(super) fn as_value_ref(&self) -> rusqlite::types::ValueRef<'_> {
        use rusqlite::types::ValueRef;
        match self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(*v),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
            Value::Blob(v) => ValueRef::Blob(v),
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(self.as_value_ref()))
    }
}

impl rusqlite::types::FromSql for Value {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        Ok(Value::from_value_ref(value))
    }
}

impl Value {
    fn from_value_ref(value: rusqlite::types::ValueRef<'_>) -> Value {
        use rusqlite::types::ValueRef;
        match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(v) => Value::Int(v),
            // The schema keeps no REAL column; a computed one is read as text.
            ValueRef::Real(v) => Value::Text(v.to_string()),
            ValueRef::Text(v) => Value::Text(String::from_utf8_lossy(v).into_owned()),
            ValueRef::Blob(v) => Value::Blob(v.to_vec()),
        }
    }
}

/// `sql` with SQLite's `?N` (and bare `?`, numbered in order) rewritten to
/// PostgreSQL's `$N`. Quoted text, quoted names and comments are left alone.
pub fn postgres_placeholders(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next_bare = 0;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                copy_until(&mut chars, &mut out, c);
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                copy_until(&mut chars, &mut out, '\n');
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                if digits.is_empty() {
                    next_bare += 1;
                    digits = next_bare.to_string();
                }
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Copies characters up to and including `end` (a doubled quote is copied
/// as two: it opens again at once).
fn copy_until(chars: &mut impl Iterator<Item = char>, out: &mut String, end: char) {
    for c in chars.by_ref() {
        out.push(c);
        if c == end {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_and_bare_placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            postgres_placeholders("SELECT '?1', \"a?\" FROM t WHERE a = ?1 AND b = ?12 -- ?3\nAND c = ?"),
            "SELECT '?1', \"a?\" FROM t WHERE a = $1 AND b = $12 -- ?3\nAND c = $1"
        );
        assert_eq!(postgres_placeholders("SELECT 'it''s ?'"), "SELECT 'it''s ?'");
    }

    #[test]
    fn values_go_through_sqlite_and_back() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let params = [Value::Int(-7), "三栋".into(), Value::Blob(vec![0, 1]), Option::<i64>::None.into()];
        let rows = Sql::query(&conn, "SELECT ?1, ?2, ?3, ?4", &params).unwrap();
        assert_eq!(rows, vec![Values(params.to_vec())]);
        assert_eq!(conn.dialect(), Dialect::Sqlite);
    }
}
