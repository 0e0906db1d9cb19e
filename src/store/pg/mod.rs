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
//!
//! A connection known to be broken sends nothing more: every statement on
//! it fails at once ([`SqlError::Lost`]). A reader's connection
//! ([`PgConn::connect_reader`]) is made again instead, before its next
//! statement outside a transaction, and a statement that found it broken is
//! asked once more on the new one. The window's desk connection
//! ([`PgConn::answering_within`]) runs its statements on a thread of its
//! own, so that a write's statement unanswered for its bound is given up
//! ([`SqlError::NoAnswer`]) instead of holding the window until the
//! network says the server is gone.

pub mod bulk;
pub mod migrations;
pub mod roles;
pub mod tls;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::sql::{Dialect, Sql, SqlError, SqlExt, Value, Values, postgres_placeholders};

/// The key of the office-wide write lock: "HomeDesk" in ASCII.
pub const OFFICE_LOCK: i64 = 0x486f_6d65_4465_736b;

/// A connection to the office's server. Statements go through [`Sql`];
/// like the SQLite store's connection it is used from one thread at a time.
pub struct PgConn {
    /// The driver's client, here or on the connection's own thread.
    link: RefCell<Link>,
    /// Statements prepared on this connection, by their text: a statement
    /// is parsed and planned by the server once, not at every call (the
    /// history-labelling view took 36 ms to plan, per write).
    statements: RefCell<HashMap<String, Statement>>,
    /// The transaction id of the write whose `COMMIT` got no answer (the
    /// connection broke on it): saved or not, the next connection tells.
    unconfirmed: Cell<Option<i64>>,
    /// The connection's TLS, for a cancel request (`None`: in clear).
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    /// What stops the running statement (taken when connected).
    cancel: RefCell<postgres::CancelToken>,
    /// Known broken (a statement found it so, or it was given up or
    /// [`PgConn::mark_lost`]): nothing more is sent on it.
    lost: Cell<bool>,
    /// Inside a transaction (`BEGIN` … `COMMIT`/`ROLLBACK`): a reader is not
    /// connected again half-way through one.
    in_transaction: Cell<bool>,
    /// A reader's URL: connected again when lost ([`PgConn::connect_reader`]).
    again: Option<String>,
    /// How long a statement may go unanswered ([`PgConn::answering_within`]).
    bound: Option<Duration>,
    /// Round trips made so far (each statement, each prepare, each batch):
    /// what a read costs on a server, where SQLite reads pages in the
    /// process; the tests bound the figures' with it.
    round_trips: Cell<u64>,
}

/// Where the driver's client is.
// The large variant is the usual one, inside a `PgConn` the store boxes already.
#[allow(clippy::large_enum_variant)]
enum Link {
    /// On the calling thread (every connection but the window's desk).
    Here(Client),
    /// On a thread of its own: the caller waits for an answer, and may stop waiting.
    Away(Courier),
}

/// A statement's work, run where the client is.
type Job = Box<dyn FnOnce(&mut Client) + Send>;

/// The sending end to a connection's own thread.
struct Courier {
    jobs: mpsc::Sender<Job>,
    /// The driver saw the connection end (as of the last statement).
    closed: Arc<AtomicBool>,
    /// The caller stopped waiting: the thread drops the connection (the
    /// server rolls an open transaction back) once the statement returns.
    given_up: Arc<AtomicBool>,
}

impl Courier {
    fn start(mut client: Client) -> Courier {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let closed = Arc::new(AtomicBool::new(client.is_closed()));
        let given_up = Arc::new(AtomicBool::new(false));
        let (closed_there, given_up_there) = (Arc::clone(&closed), Arc::clone(&given_up));
        let started = std::thread::Builder::new().name("homedesk-server".into()).spawn(move || {
            while let Ok(job) = inbox.recv() {
                job(&mut client);
                closed_there.store(client.is_closed(), Ordering::Relaxed);
                if given_up_there.load(Ordering::Relaxed) {
                    return;
                }
            }
        });
        if started.is_err() {
            closed.store(true, Ordering::Relaxed);
        }
        Courier { jobs, closed, given_up }
    }

    /// Runs `op` on the connection's thread and waits for its answer, at
    /// most `bound` when one is given.
    fn run<T: Send + 'static>(
        &self,
        op: impl FnOnce(&mut Client) -> Result<T, postgres::Error> + Send + 'static,
        bound: Option<Duration>,
    ) -> Result<T, SqlError> {
        let (answer, answered) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |client| {
            let _ = answer.send(op(client));
        });
        self.jobs.send(job).map_err(|_| SqlError::Lost)?;
        let answer = match bound {
            Some(bound) => answered.recv_timeout(bound).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => {
                    self.given_up.store(true, Ordering::Relaxed);
                    SqlError::NoAnswer(bound)
                }
                // Sent, and the courier gone with it: whether the server
                // ran it is unknown, as when it went silent (a `COMMIT` is
                // then asked about, never reported as not saved).
                mpsc::RecvTimeoutError::Disconnected => SqlError::NoAnswer(bound),
            })?,
            None => answered.recv().map_err(|_| SqlError::NoAnswer(Duration::ZERO))?,
        };
        Ok(answer?)
    }
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
        PgConn::connect_with(url, &[])
    }

    /// [`PgConn::connect`] with the session's settings, and `more` of them,
    /// given in the connection's startup message (`options`, after any the
    /// URL gives): set as the session starts, with no statement and no
    /// round trip of their own (a `SET` each was two round trips more for
    /// every reader a window opens, 5–10 ms each on a busy server).
    fn connect_with(url: &str, more: &[(&str, &str)]) -> Result<PgConn, SqlError> {
        let (url, settings) = tls::split_url(url)?;
        let mut config = with_timeouts(url.parse()?);
        let idle = IDLE_WRITE_TIMEOUT.as_millis().to_string();
        let mut options = config.get_options().unwrap_or_default().to_string();
        for (name, value) in
            [("jit", "off"), ("idle_in_transaction_session_timeout", idle.as_str())].iter().chain(more)
        {
            options.push_str(&format!(" -c {name}={value}"));
        }
        config.options(options.trim_start());
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
        Ok(PgConn { tls, ..PgConn::from(client) })
    }

    /// A reader's connection (`store::Store::open_reader_at`): transactions
    /// read-only, statements in one process (a search's first page walked
    /// on two parallel workers waited 40 ms for them to start, 2 ms
    /// without). Made again when it breaks — before the next statement
    /// outside a transaction, and for a statement that found it broken,
    /// which is then asked once more — so a reader thread reads on when
    /// the server is back.
    pub fn connect_reader(url: &str) -> Result<PgConn, SqlError> {
        let mut conn = PgConn::connect_with(url, &READER_SESSION)?;
        conn.again = Some(url.to_string());
        Ok(conn)
    }

    /// The same connection, its statements run on a thread of its own: a
    /// statement left unanswered for `bound` is given up
    /// ([`SqlError::NoAnswer`]; on `COMMIT`, [`SqlError::CommitUnconfirmed`])
    /// and the connection is lost from then on. The window's desk uses it,
    /// so that a save (its reads and its write) never holds the window
    /// longer (a pulled cable
    /// otherwise holds it until `tcp_user_timeout`, or on Windows, which has
    /// none, the system's retransmissions: about 20 s). The office lock is
    /// waited for at most [`LOCK_WAIT`] (then [`super::StoreError::Busy`],
    /// as a file's `busy_timeout`), so a write behind another desk's is
    /// refused as busy, not given up.
    pub fn answering_within(self, bound: Duration) -> PgConn {
        let link = match self.link.into_inner() {
            Link::Here(client) => Link::Away(Courier::start(client)),
            away => away,
        };
        let conn = PgConn { link: RefCell::new(link), bound: Some(bound), ..self };
        // A connection that breaks here is lost, and made again with the
        // bound; one the server refused the setting on is made again too,
        // since without the lock wait a save behind a long write would look
        // like a server gone silent.
        if conn.batch(&format!("SET lock_timeout = {}", LOCK_WAIT.as_millis())).is_err() {
            conn.mark_lost();
        }
        conn
    }

    /// This reader's connection is not made again when it breaks.
    pub fn connect_once(&mut self) {
        self.again = None;
    }

    /// Says the connection is broken (the window heard so from its poller):
    /// nothing more is sent on it.
    pub fn mark_lost(&self) {
        self.lost.set(true);
    }

    /// The round trips this connection has made to the server so far.
    pub fn round_trips(&self) -> u64 {
        self.round_trips.get()
    }

    /// The bound of [`PgConn::answering_within`], if it has one.
    pub fn bound(&self) -> Option<Duration> {
        self.bound
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
        Canceller { token: self.cancel.borrow().clone(), tls: self.tls.clone() }
    }

    /// Whether this connection is known to be broken: the driver saw it
    /// end, a statement found it broken, or it was given up or marked lost.
    pub fn is_closed(&self) -> bool {
        self.lost.get()
            || match &*self.link.borrow() {
                Link::Here(client) => client.is_closed(),
                Link::Away(courier) => courier.closed.load(Ordering::Relaxed),
            }
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

/// How long a bounded connection's write waits for the office's lock
/// ([`PgConn::answering_within`]), as SQLite's `busy_timeout`.
pub const LOCK_WAIT: Duration = Duration::from_secs(4);

/// A reader's session: its transactions read-only, and its statements run
/// in one process (a search's first page walked on two parallel workers
/// waited 40 ms for them to start, 2 ms without). Each statement is planned
/// for its values (`force_custom_plan`): a search's cost turns on its text
/// (a key in one row or in all of them), and after five searches the server
/// kept a generic plan guessing one row, which for the shopping log's digit
/// read the key's 38 000 ids again for each of 41 000 entries (minutes,
/// against 0.2 s planned for the text).
const READER_SESSION: [(&str, &str); 3] = [
    ("default_transaction_read_only", "on"),
    ("max_parallel_workers_per_gather", "0"),
    ("plan_cache_mode", "force_custom_plan"),
];

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
            cancel: RefCell::new(client.cancel_token()),
            link: RefCell::new(Link::Here(client)),
            statements: RefCell::default(),
            unconfirmed: Cell::new(None),
            tls: None,
            lost: Cell::new(false),
            in_transaction: Cell::new(false),
            again: None,
            bound: None,
            round_trips: Cell::new(0),
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
            // Sent, and no answer: saved or not, the next connection tells.
            Err(e @ (SqlError::Postgres(_) | SqlError::NoAnswer(_))) if e.is_connection_lost() => {
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
        self.once_more_if_lost(|| {
            let statement = self.prepared(sql)?;
            let params = params.to_vec();
            self.run(move |client| {
                let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
                client.execute(&statement, &params)
            })
        })
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Values>, SqlError> {
        self.once_more_if_lost(|| {
            let statement = self.prepared(sql)?;
            let params = params.to_vec();
            let rows = self.run(move |client| {
                let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
                client.query(&statement, &params)
            })?;
            rows.iter().map(read_row).collect()
        })
    }

    /// A batch that changes the schema (a migration, a test's DDL) forgets
    /// the prepared statements: one whose result columns changed would
    /// fail ("cached plan must not change result type").
    fn batch(&self, sql: &str) -> Result<(), SqlError> {
        let (begins, ends) = transaction_bounds(sql);
        if ends {
            self.in_transaction.set(false);
        }
        let run = || {
            if !is_transaction_control(sql) {
                self.statements.borrow_mut().clear();
            }
            let sql = sql.to_string();
            self.run(move |client| client.batch_execute(&sql))
        };
        // Inside a transaction a broken connection is not made again.
        let done = if begins || ends { run() } else { self.once_more_if_lost(run) };
        if begins && done.is_ok() {
            self.in_transaction.set(true);
        }
        done
    }
}

impl PgConn {
    /// Runs `op` on the client, here or on its thread; a write's statement
    /// on a bounded connection waits at most the bound. Nothing is sent on
    /// a connection known to be broken, and one found broken is remembered.
    fn run<T: Send + 'static>(
        &self,
        op: impl FnOnce(&mut Client) -> Result<T, postgres::Error> + Send + 'static,
    ) -> Result<T, SqlError> {
        if self.lost.get() {
            return Err(SqlError::Lost);
        }
        self.round_trips.set(self.round_trips.get() + 1);
        let answer = match &mut *self.link.borrow_mut() {
            Link::Here(client) => op(client).map_err(SqlError::from),
            Link::Away(courier) => courier.run(op, self.bound),
        };
        if answer.as_ref().is_err_and(SqlError::is_connection_lost) {
            self.lost.set(true);
        }
        answer
    }

    /// A reader's statement outside a transaction: on a new connection if
    /// this one is known broken, and once more on a new one if it found it
    /// broken (the server restarted since the last statement).
    fn once_more_if_lost<T>(&self, attempt: impl Fn() -> Result<T, SqlError>) -> Result<T, SqlError> {
        let may_again = self.again.is_some() && !self.in_transaction.get();
        if may_again && self.is_closed() {
            self.connect_again()?;
        }
        match attempt() {
            Err(e) if may_again && e.is_connection_lost() => {
                self.connect_again()?;
                attempt()
            }
            answer => answer,
        }
    }

    /// A reader's connection made again, as [`PgConn::connect_reader`] made it.
    fn connect_again(&self) -> Result<(), SqlError> {
        let Some(url) = &self.again else { return Err(SqlError::Lost) };
        let fresh = PgConn::connect_with(url, &READER_SESSION)?;
        let PgConn { link, cancel, .. } = fresh;
        *self.link.borrow_mut() = link.into_inner();
        *self.cancel.borrow_mut() = cancel.into_inner();
        // Statements prepared on the old connection are not known to the new one.
        self.statements.borrow_mut().clear();
        self.lost.set(false);
        Ok(())
    }

    /// `sql` prepared on the server, from the cache when it was before.
    fn prepared(&self, sql: &str) -> Result<Statement, SqlError> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let text = postgres_placeholders(sql).into_owned();
        let statement = self.run(move |client| client.prepare(&text))?;
        let mut statements = self.statements.borrow_mut();
        if statements.len() >= STATEMENT_CACHE_CAPACITY {
            statements.clear();
        }
        statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

impl PgConn {
    /// Sends `rows` to `copy` (a `COPY table (columns) FROM STDIN`): a
    /// whole batch in one statement and one stream, where a multi-row
    /// `INSERT` of bound values was parsed, planned and bound value by
    /// value (a copy onto a server, `store/copy.rs`).
    pub fn copy_in(&self, copy: &str, rows: CopyRows) -> Result<u64, SqlError> {
        let copy = copy.to_string();
        let done = self.run(move |client| {
            use std::io::Write;
            let mut writer = client.copy_in(&copy)?;
            if let Err(e) = writer.write_all(&rows.0) {
                // The driver's own error is inside the stream's.
                let words = e.to_string();
                return match e.into_inner().map(|e| e.downcast::<postgres::Error>()) {
                    Some(Ok(e)) => Err(*e),
                    _ => Ok(Err(words)),
                };
            }
            writer.finish().map(Ok)
        })?;
        done.map_err(SqlError::Stream)
    }
}

/// Rows in `COPY`'s text format, built value by value: tab between
/// values, a line a row, `\N` for NULL, backslashes and control
/// characters escaped; an array of text as its literal `{"a","b"}`; bytes
/// as `bytea`'s hex.
#[derive(Debug, Default)]
pub struct CopyRows(Vec<u8>);

impl CopyRows {
    /// One row of `values`.
    pub fn row(&mut self, values: &[CopyValue<'_>]) {
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.0.push(b'\t');
            }
            match value {
                CopyValue::Null => self.0.extend_from_slice(b"\\N"),
                CopyValue::Int(v) => self.0.extend_from_slice(v.to_string().as_bytes()),
                CopyValue::Text(v) => self.escaped(v),
                CopyValue::Bytes(v) => {
                    self.0.extend_from_slice(b"\\\\x");
                    for byte in v.iter() {
                        self.0.extend_from_slice(format!("{byte:02x}").as_bytes());
                    }
                }
                CopyValue::Texts(items) => {
                    let mut literal = String::from("{");
                    for (j, item) in items.iter().enumerate() {
                        if j > 0 {
                            literal.push(',');
                        }
                        literal.push('"');
                        for c in item.chars() {
                            if c == '"' || c == '\\' {
                                literal.push('\\');
                            }
                            literal.push(c);
                        }
                        literal.push('"');
                    }
                    literal.push('}');
                    self.escaped(&literal);
                }
            }
        }
        self.0.push(b'\n');
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn escaped(&mut self, text: &str) {
        for byte in text.bytes() {
            match byte {
                b'\\' => self.0.extend_from_slice(b"\\\\"),
                b'\n' => self.0.extend_from_slice(b"\\n"),
                b'\r' => self.0.extend_from_slice(b"\\r"),
                b'\t' => self.0.extend_from_slice(b"\\t"),
                other => self.0.push(other),
            }
        }
    }
}

/// One value of a [`CopyRows`] row.
#[derive(Debug, Clone, Copy)]
pub enum CopyValue<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Bytes(&'a [u8]),
    /// A `TEXT[]`.
    Texts(&'a [String]),
}

impl<'a> From<&'a Value> for CopyValue<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => CopyValue::Null,
            Value::Int(v) => CopyValue::Int(*v),
            Value::Text(v) => CopyValue::Text(v),
            Value::Blob(v) => CopyValue::Bytes(v),
        }
    }
}

/// Whether a batch starts a transaction, or ends one.
fn transaction_bounds(sql: &str) -> (bool, bool) {
    let word = sql.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
    let word = word.trim_end_matches(';');
    (matches!(word, "BEGIN" | "START"), matches!(word, "COMMIT" | "ROLLBACK" | "END" | "ABORT"))
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

#[cfg(test)]
mod tests {
    use super::transaction_bounds;

    /// A reader is not connected again half-way through a transaction: the
    /// batches that open and close one are told from the rest.
    #[test]
    fn batches_that_begin_or_end_a_transaction_are_told_apart() {
        for (sql, bounds) in [
            ("BEGIN", (true, false)),
            ("  begin isolation level repeatable read read only", (true, false)),
            ("START TRANSACTION", (true, false)),
            ("COMMIT", (false, true)),
            ("ROLLBACK;", (false, true)),
            ("SET jit = off", (false, false)),
            ("CREATE TABLE t (a INT)", (false, false)),
            ("", (false, false)),
        ] {
            assert_eq!(transaction_bounds(sql), bounds, "{sql}");
        }
    }
}
