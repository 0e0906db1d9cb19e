//! PostgreSQL, the office's shared database (issue 21): the connection, the
//! office-wide write lock and the schema ([`migrations`]). The CLI and the
//! window reach it with `--db postgres://…` (`store::Location::Server`) or
//! the window's first-start choice.
//!
//! One writer at a time: SQLite gives HomeDesk that with `BEGIN IMMEDIATE`,
//! and the gap-free numbers rest on it (running numbers, slip numbers,
//! agreement numbers, the shopping serial, R-SH-6). PostgreSQL lets writers
//! run side by side, so every write transaction first takes one
//! transaction-level advisory lock, [`OFFICE_LOCK`], with [`PgConn::begin_write`]:
//! the next writer waits at that statement until the first commits or rolls
//! back, and then reads what it committed (READ COMMITTED reads the latest
//! commit at each statement). Readers take no lock and never wait. The lock
//! belongs to the database, so two offices on one server do not wait for
//! each other.
//!
//! A connection that breaks (the server restarts, a cable is pulled) is
//! told apart from the server's refusals ([`connection_lost`]): a write that
//! broke before its `COMMIT` was rolled back by the server, and one whose
//! `COMMIT` got no answer is asked about on the next connection by its
//! transaction id ([`PgConn::write_outcome`], PostgreSQL 13+).

pub mod bulk;
pub mod migrations;
pub mod roles;
pub mod tls;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Deref;
use std::time::Duration;

use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::sql::{Dialect, Sql, SqlError, SqlExt, Value, Values, postgres_placeholders};

/// The key of the office-wide write lock: "HomeDesk" in ASCII.
pub const OFFICE_LOCK: i64 = 0x486f_6d65_4465_736b;

/// A connection to the office's server. Statements go through [`Sql`];
/// like the SQLite store's connection it is used from one thread at a time.
pub struct PgConn {
    client: RefCell<Client>,
    /// Statements prepared on this connection, by their text: a statement
    /// is parsed and planned by the server once, not at every call (the
    /// history-labelling view took 36 ms to plan, per write).
    statements: RefCell<HashMap<String, Statement>>,
    /// The transaction id of the write whose `COMMIT` got no answer (the
    /// connection broke on it): saved or not, the next connection tells.
    unconfirmed: Cell<Option<i64>>,
    /// The connection's TLS, for a cancel request (`None`: in clear).
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

/// More statements than the store has; past it the cache starts again.
const STATEMENT_CACHE_CAPACITY: usize = 512;

impl PgConn {
    /// Opens a connection to `url` (libpq style: `postgres://user:pw@host:port/db`
    /// or `host=… dbname=…`), with TLS as its `sslmode` and `sslrootcert`
    /// ask ([`tls`]; `prefer` when they do not).
    ///
    /// JIT compilation is turned off for the connection: the planner's
    /// estimate for the history-labelling `INSERT … SELECT FROM
    /// history_labels_due WHERE history_id >= $1` (a view of 27 subplans)
    /// passes `jit_above_cost`, and compiling it took 3.3 s of a 3.3 s
    /// statement for 4 rows (17 ms without): HomeDesk's statements are all
    /// short, and none gains from JIT (a search over a big office set it
    /// off too: 17–27 ms of compiling per statement).
    ///
    /// A write's transaction left idle by a desk that vanished is ended by
    /// the server after [`IDLE_WRITE_TIMEOUT`]: it holds the office's lock.
    pub fn connect(url: &str) -> Result<PgConn, SqlError> {
        let (url, settings) = tls::split_url(url)?;
        let mut config = with_timeouts(url.parse()?);
        config.ssl_mode(settings.driver_mode());
        let tls = settings.connector()?;
        let client = match &tls {
            Some(tls) => config.connect(tls.clone()),
            None => config.connect(NoTls),
        };
        let client = client.map_err(|e| match tls::refused_certificate(&e) {
            Some(reason) => SqlError::Certificate(reason),
            None => e.into(),
        })?;
        let conn = PgConn { tls, ..PgConn::from(client) };
        conn.batch(&format!(
            "SET jit = off; SET idle_in_transaction_session_timeout = {}",
            IDLE_WRITE_TIMEOUT.as_millis()
        ))?;
        Ok(conn)
    }

    /// Starts a write transaction holding [`OFFICE_LOCK`] (waits for the
    /// writer before, if any). The lock ends with the transaction; a
    /// [`PgWrite`] dropped without [`PgWrite::commit`] rolls back. Its
    /// transaction id is taken first, to ask about it should the `COMMIT`
    /// get no answer.
    pub fn begin_write(&self) -> Result<PgWrite<'_>, SqlError> {
        self.batch("BEGIN")?;
        let mut write = PgWrite { conn: self, open: true, xid: 0 };
        write.xid = write.fetch_value("SELECT pg_current_xact_id()::text::bigint", &[])?;
        write.execute("SELECT pg_advisory_xact_lock(?1)", &[OFFICE_LOCK.into()])?;
        Ok(write)
    }

    /// The write whose `COMMIT` got no answer on this connection, if one did.
    pub fn unconfirmed_write(&self) -> Option<i64> {
        self.unconfirmed.get()
    }

    /// Whether the write of transaction `xid` (another connection's, which
    /// broke at its `COMMIT`) was committed: asked of the server on this
    /// connection. A transaction still open belongs to a connection the
    /// server has not seen break yet; it is ended (as a clerk's own could
    /// only be idle, waiting for a `COMMIT` that will not come) and asked
    /// about again, so the answer is final: it cannot commit later.
    pub fn write_outcome(&self, xid: i64) -> Result<bool, SqlError> {
        let status = "SELECT coalesce(pg_xact_status(?1::text::xid8), 'unknown')";
        for _ in 0..50 {
            let answer: String = self.fetch_value(status, &[xid.into()])?;
            match answer.as_str() {
                "committed" => return Ok(true),
                "in progress" => {
                    self.query(
                        // `backend_xid` is the 32-bit id, the low half of the 64-bit one.
                        "SELECT pg_terminate_backend(pid)::int FROM pg_stat_activity
                         WHERE backend_xid::text::bigint = ?1 % 4294967296",
                        &[xid.into()],
                    )?;
                    std::thread::sleep(Duration::from_millis(100));
                }
                _ => return Ok(false),
            }
        }
        Err(SqlError::StillOpen { xid })
    }

    /// What stops this connection's running statement from another thread
    /// (`store::QueryCanceller`).
    pub fn canceller(&self) -> Canceller {
        Canceller { token: self.client.borrow().cancel_token(), tls: self.tls.clone() }
    }

    /// Whether the driver has seen this connection end.
    pub fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }

    /// Whether another connection holds [`OFFICE_LOCK`] now (asked without
    /// waiting, outside a transaction; for tests and a "who is writing" look).
    pub fn office_lock_held_elsewhere(&self) -> Result<bool, SqlError> {
        let got = self.query("SELECT pg_try_advisory_xact_lock(?1)", &[OFFICE_LOCK.into()])?;
        Ok(got[0][0] == Value::Int(0))
    }
}

/// How long the server keeps a write transaction that its desk left idle
/// (the desk's connection broke): it holds the office's lock meanwhile.
pub const IDLE_WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// A server that does not answer is found out in seconds, not in the
/// operating system's hours: a connection attempt gives up after 10 s, and
/// a connection whose packets go unanswered (a pulled cable) breaks after
/// about 20 s (TCP keepalives; on Linux also `tcp_user_timeout`). A URL's
/// own `connect_timeout` is kept.
fn with_timeouts(mut config: postgres::Config) -> postgres::Config {
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config.keepalives_idle(Duration::from_secs(10));
    config.keepalives_interval(Duration::from_secs(3));
    config.keepalives_retries(3);
    config.tcp_user_timeout(Duration::from_secs(20));
    config
}

/// Whether `e` says the connection itself broke (closed, an I/O error, the
/// server shutting down or ending the session), as opposed to the server
/// refusing a statement on a working connection.
pub fn connection_lost(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    let io = std::error::Error::source(e).is_some_and(|s| s.downcast_ref::<std::io::Error>().is_some());
    let ended = e.code().is_some_and(|code| {
        code.code().starts_with("08")
            || [
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
                SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
            ]
            .contains(code)
    });
    e.is_closed() || io || ended
}

impl From<Client> for PgConn {
    fn from(client: Client) -> Self {
        PgConn {
            client: RefCell::new(client),
            statements: RefCell::default(),
            unconfirmed: Cell::new(None),
            tls: None,
        }
    }
}

/// Stops a connection's running statement, over a connection of its own
/// made as the first was (in clear or with its TLS).
#[derive(Clone)]
pub struct Canceller {
    token: postgres::CancelToken,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

impl Canceller {
    /// Sends the cancel request (waits for the network: call it off the window's thread).
    pub fn cancel(&self) {
        let _ = match &self.tls {
            Some(tls) => self.token.cancel_query(tls.clone()),
            None => self.token.cancel_query(NoTls),
        };
    }
}

/// A write transaction holding the office's lock (see [`PgConn::begin_write`]).
pub struct PgWrite<'a> {
    conn: &'a PgConn,
    open: bool,
    /// The transaction's id (`pg_current_xact_id`).
    xid: i64,
}

impl PgWrite<'_> {
    /// Commits. A connection that breaks on the `COMMIT` leaves it unknown
    /// whether the server committed: [`SqlError::CommitUnconfirmed`], and
    /// the connection remembers the write ([`PgConn::unconfirmed_write`]).
    pub fn commit(mut self) -> Result<(), SqlError> {
        self.open = false;
        match self.conn.batch("COMMIT") {
            Err(SqlError::Postgres(e)) if connection_lost(&e) => {
                self.conn.unconfirmed.set(Some(self.xid));
                Err(SqlError::CommitUnconfirmed { xid: self.xid, cause: e.to_string() })
            }
            other => other,
        }
    }
}

impl Deref for PgWrite<'_> {
    type Target = PgConn;

    fn deref(&self) -> &PgConn {
        self.conn
    }
}

impl Drop for PgWrite<'_> {
    fn drop(&mut self) {
        if self.open {
            // A connection that broke has no transaction left to end.
            let _ = self.conn.batch("ROLLBACK");
        }
    }
}

impl Sql for PgConn {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, SqlError> {
        let statement = self.prepared(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        Ok(self.client.borrow_mut().execute(&statement, &params)?)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Values>, SqlError> {
        let statement = self.prepared(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.client.borrow_mut().query(&statement, &params)?;
        rows.iter().map(read_row).collect()
    }

    /// A batch that changes the schema (a migration, a test's DDL) forgets
    /// the prepared statements: one whose result columns changed would
    /// fail ("cached plan must not change result type").
    fn batch(&self, sql: &str) -> Result<(), SqlError> {
        if !is_transaction_control(sql) {
            self.statements.borrow_mut().clear();
        }
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }
}

impl PgConn {
    /// `sql` prepared on the server, from the cache when it was before.
    fn prepared(&self, sql: &str) -> Result<Statement, SqlError> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.borrow_mut().prepare(postgres_placeholders(sql).as_ref())?;
        let mut statements = self.statements.borrow_mut();
        if statements.len() >= STATEMENT_CACHE_CAPACITY {
            statements.clear();
        }
        statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

/// `BEGIN`, `COMMIT`, `ROLLBACK` and `SET`: batches that leave the schema as it was.
fn is_transaction_control(sql: &str) -> bool {
    let sql = sql.trim_start();
    ["BEGIN", "COMMIT", "ROLLBACK", "SET "].iter().any(|word| sql.starts_with(word))
}

/// A row's values by their column types: the schema's `BIGINT`, `TEXT` and
/// `BYTEA`, plus the smaller integers, booleans and names the catalogue gives.
fn read_row(row: &postgres::Row) -> Result<Values, SqlError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.into()
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?.map(i64::from).into()
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?.map(i64::from).into()
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?.map(i64::from).into()
        } else if [Type::TEXT, Type::VARCHAR, Type::NAME, Type::BPCHAR].contains(ty) {
            row.try_get::<_, Option<String>>(i)?.into()
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.into()
        } else {
            return Err(SqlError::UnreadType { column: column.name().into(), type_name: ty.name().into() });
        };
        values.push(value);
    }
    Ok(Values(values))
}

impl ToSql for Value {
    /// Each value is written as the type the server expects of the
    /// parameter, so that `?1` works for a `BIGINT`, an `INTEGER` or a
    /// flag alike (and a number for text, as SQLite takes it); any other
    /// pairing is refused here, never sent as bytes of the wrong type.
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let text = [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(ty);
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) if *ty == Type::INT8 => v.to_sql(ty, out),
            Value::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            Value::Int(v) if *ty == Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
            Value::Int(v) if *ty == Type::BOOL => (*v != 0).to_sql(ty, out),
            Value::Int(v) if text => v.to_string().to_sql(ty, out),
            Value::Text(v) if text => v.to_sql(ty, out),
            Value::Blob(v) if *ty == Type::BYTEA => v.to_sql(ty, out),
            _ => Err(format!("{self:?} cannot be passed as {ty}").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}
