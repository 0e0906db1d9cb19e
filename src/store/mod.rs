//! Storage: the one place that knows table names and SQL, on an SQLite
//! file or the office's PostgreSQL server ([`Location`], `db.rs`).
//!
//! Opens the file with WAL, foreign keys and a busy timeout, applies numbered
//! migrations, and hands out [`WriteTx`] — the only way to change data, which
//! writes the change-history row (R-FU-6) in the same transaction.
//! Must not: validate business rules (that is `domain`), or know about egui.

mod address;
mod agreements;
mod aside;
#[cfg(test)]
pub(crate) use aside::{every_row_of, stopped_before_merging};
mod backup;
mod chain;
mod check;
mod copy;
mod db;
mod followup;
mod history;
mod jobs;
mod migrations;
mod people;
pub mod pg;
mod reports;
mod requests;
mod revisits;
pub mod schema;
mod search;
mod shopping;
mod sign_in;
pub mod sql;
mod stamp;
mod stats;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::domain::{Action, Change, Entity, StaffId};
use db::{Db, Tx};
use sql::{Sql, SqlExt};

pub use address::{DEFAULT_PORT, Encryption, ServerAddress};
pub use agreements::{AgreementQuery, terms_of};
pub use backup::{BackupFault, restore_damaged_file, safety_copy_path, same_file, verify_backup};
pub use check::{Link, Problem, TriggerFault};
pub use copy::{BATCH_ROWS, CopyProgress, TableCount};
pub use followup::{RepairClock, SlipDraft};
pub use history::{HISTORY_COUNT_CAP, HistoryQuery};
pub use migrations::{SCHEMA_VERSION, create_at_version};
pub use people::{DEFAULT_BACKUPS_KEPT, peek_office};
pub use requests::{RequestPage, RequestQuery, SortColumn};
pub use revisits::quarter_span;
pub use search::{match_query, register_terms_function, search_terms};
pub use shopping::ShoppingQuery;

/// The page cache of a bulk load, in KiB (SQLite's negative `cache_size`).
const BULK_CACHE_KIB: i64 = -262_144;

/// How long a write waits for another HomeDesk holding the file before it
/// gives up and tells the clerk (nothing is lost: the form stays filled).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("the database was written by a newer HomeDesk (schema {found}, this version knows {known})")]
    NewerSchema { found: i64, known: i64 },
    /// The server's schema is older than this HomeDesk's, and the role it
    /// connects as (the desks', `pg::roles`) may not bring it up to date:
    /// only the tables' owner migrates, by `homedesk grant-desks ROLE`
    /// (docs/SERVER.md §2). Nothing was changed.
    #[error(
        "the server's database is of an older HomeDesk (schema {found}, this version needs {known}): \
         the tables' owner must run `homedesk grant-desks {role}`"
    )]
    OlderServerSchema { found: i64, known: i64, role: String },
    #[error("the database is not a HomeDesk database or is damaged: {0}")]
    NotADatabase(String),
    #[error("the file is an SQLite database of another program")]
    Foreign,
    #[error("the database is busy in another HomeDesk window or PC")]
    Busy,
    #[error("a record with this {0} already exists")]
    Duplicate(&'static str),
    /// A query stopped by its [`QueryCanceller`] (nobody waits for it any more).
    #[error("the query was cancelled")]
    Cancelled,
    #[error("record not found")]
    NotFound,
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A backup (or a file offered as one) that failed verification.
    #[error("{path} is not a sound HomeDesk database: {fault}")]
    Unsound { path: PathBuf, fault: BackupFault },
    #[error("cannot write {path}: {cause}")]
    File { path: PathBuf, cause: String },
    /// A command that only works on an office was given a file that is not
    /// there; nothing was created.
    #[error("the database {0} does not exist")]
    Missing(PathBuf),
    /// A 0-byte file, or an SQLite file with nothing in it: not an office,
    /// and left as it was (only `init`, `demo` and the first start create one).
    #[error("the database {0} is empty")]
    Empty(PathBuf),
    /// A restore was asked to replace the database with itself.
    #[error("{0} is the database itself")]
    RestoreOntoItself(PathBuf),
    /// A restore could not hold the file: another HomeDesk kept writing to it
    /// for longer than a write waits. Nothing was replaced.
    #[error("another HomeDesk is writing to the database; the restore did not start")]
    RestoreBusy,
    /// The folder of a new database could not be made (no right to, a file
    /// of that name, a drive not there).
    #[error("cannot create the folder {dir}: {cause}")]
    Folder { dir: PathBuf, cause: String },
    /// SQLITE_READONLY: the file, or the folder its journal goes in, may
    /// only be read; SQLite's words as the detail.
    #[error("the database is read-only: {0}")]
    ReadOnly(String),
    /// SQLITE_FULL: the disk (or the user's quota) is full.
    #[error("the disk is full: {0}")]
    DiskFull(String),
    /// The office's database server reported an error, in its words.
    #[error("database server error: {0}")]
    Server(String),
    /// The office's server could not be reached or refused the connection
    /// (wrong password, no such database); `url` is redacted ([`redact_url`]).
    /// `fault` says which, for the window's words ([`ServerFault`]).
    #[error("cannot connect to the server {url}: {cause}")]
    ServerOpen { url: String, cause: String, fault: ServerFault },
    /// The server's TLS certificate is not the one `sslrootcert` names, or
    /// does not name the host connected to (`sslmode=verify-ca|verify-full`):
    /// not connected.
    #[error("the server {url} is not the office's server: its certificate was refused ({cause})")]
    ServerCertificate { url: String, cause: String },
    /// A server database that holds no office, opened by a command that
    /// needs one (only `init` and `demo` set an office up).
    #[error("the server database {0} holds no office")]
    ServerEmpty(String),
    /// The target of a copy (`copy-to`, a restore onto a server) holds an
    /// office or other tables already; nothing was written to it.
    #[error("{0} is not new or empty: a copy goes only into an empty database")]
    TargetNotEmpty(String),
    /// The connection to the server broke (it restarted, the network
    /// went): what was being written was not saved (the server rolls back
    /// a transaction whose connection breaks before its `COMMIT`).
    #[error("the connection to the server was lost: {0}")]
    ServerLost(String),
    /// The connection broke on a write's `COMMIT`: saved or not is known
    /// once connected again ([`Store::unconfirmed_write`], [`Store::write_outcome`]).
    #[error("the connection to the server was lost while saving: {0}")]
    CommitUnconfirmed(String),
    /// The connection was already known to be broken: nothing was sent,
    /// nothing saved (the window connects again in the background).
    #[error("the connection to the server is broken: nothing was sent")]
    ServerAway,
    /// A write's statement got no answer within the window's bound and was
    /// given up with its connection, before its `COMMIT`: not saved.
    #[error("the server did not answer within {} s", .0.as_secs_f32())]
    ServerSilent(Duration),
}

impl StoreError {
    /// Whether the connection to the server broke (so a new one is needed),
    /// rather than the database refusing something.
    pub fn is_connection_lost(&self) -> bool {
        matches!(
            self,
            StoreError::ServerLost(_)
                | StoreError::CommitUnconfirmed(_)
                | StoreError::ServerAway
                | StoreError::ServerSilent(_)
        )
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::OperationInterrupted) => StoreError::Cancelled,
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::NotADatabase(e.to_string())
            }
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(e.to_string()),
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(e.to_string()),
            _ if matches!(e, rusqlite::Error::QueryReturnedNoRows) => StoreError::NotFound,
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who makes a write and when; stamped on its history rows (R-FU-6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    pub user_id: Option<StaffId>,
    pub user_name: String,
    pub at: NaiveDateTime,
}

/// What opening a file may do: make an office, or only open one (and for
/// a command that writes, only a sound one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opening {
    Create,
    Existing,
    ForWriting,
}

/// Where an office is kept: a file on this PC (SQLite) or the office's
/// database server (PostgreSQL, a libpq-style URL). The one thing above
/// `store` may know of the backends: which of the two a `--db` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(String),
}

impl Location {
    /// A `--db` argument: a `postgres://` or `postgresql://` URL names a
    /// server, anything else a file.
    pub fn from_arg(arg: PathBuf) -> Location {
        match arg.to_str() {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Location::Server(url.to_string())
            }
            _ => Location::File(arg),
        }
    }

    pub fn is_server(&self) -> bool {
        matches!(self, Location::Server(_))
    }
}

/// The file's path, or the server's URL without its password: what every
/// message and log may show.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Server(url) => f.write_str(&redact_url(url)),
        }
    }
}

/// Why a connection to the server failed, as far as the clerk can act on
/// it: the window words each one differently (issue 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerFault {
    /// The password is wrong, or the server wants one and none was given.
    Password,
    /// The server does not let this login in from this PC (`pg_hba.conf`,
    /// or no such role): a thing for IT.
    Refused,
    /// No database of that name on the server.
    NoDatabase,
    /// Nothing answered: wrong address or port, server down, cable, firewall.
    Unreachable,
    /// Anything else; the cause says what.
    Other,
}

impl ServerFault {
    fn of(e: &sql::SqlError) -> ServerFault {
        use postgres::error::SqlState;
        let sql::SqlError::Postgres(e) = e else { return ServerFault::Other };
        match e.code() {
            Some(c) if *c == SqlState::INVALID_PASSWORD => ServerFault::Password,
            Some(c) if *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => ServerFault::Refused,
            Some(c) if *c == SqlState::INVALID_CATALOG_NAME => ServerFault::NoDatabase,
            Some(_) => ServerFault::Other,
            // The driver's own words when the server asks for a password it was not given.
            None if e.to_string().contains("password missing") => ServerFault::Password,
            None if std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()) => {
                ServerFault::Unreachable
            }
            None if e.to_string().contains("timeout") => ServerFault::Unreachable,
            None => ServerFault::Other,
        }
    }
}

/// `url` with its password replaced by `***`: the user-info's part after
/// the first `:`, and a `password=` query parameter. A password never
/// appears in a message, a log or an error.
pub fn redact_url(url: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let mut out = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_once('/').map_or((rest, None), |(a, p)| (a, Some(p)));
            let authority = match authority.rsplit_once('@') {
                Some((user_info, host)) => match user_info.split_once(':') {
                    Some((user, _password)) => format!("{user}:***@{host}"),
                    None => authority.to_string(),
                },
                None => authority.to_string(),
            };
            let path = path.map(|p| format!("/{p}")).unwrap_or_default();
            format!("{scheme}://{authority}{path}")
        }
        None => base.to_string(),
    };
    if let Some(query) = query {
        let params: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// An open HomeDesk database.
pub struct Store {
    conn: Db,
    path: PathBuf,
    /// The server's URL (with its password, to connect again), when the
    /// office is on a server; never shown ([`Store::location`] redacts it).
    server: Option<String>,
    /// The register order a search that finds many rows last walked.
    walked: RefCell<Option<requests::RegisterWalk>>,
    /// `PRAGMA schema_version` when opened: a restore (by any HomeDesk)
    /// changes it, an ordinary commit does not ([`Store::replaced`]).
    schema_cookie: i64,
    /// The history chain through a bulk load (`chain::Bulk`).
    bulk: RefCell<chain::Bulk>,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`: for
    /// `init`, `demo` and the app's first start, the only ones that may make
    /// an office. A database of a newer schema is refused and left untouched.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Folder { dir: dir.to_path_buf(), cause: e.to_string() })?;
        }
        Store::open_with(path, Opening::Create)
    }

    /// Opens and migrates a database that holds an office already: a file
    /// that is missing, 0 bytes, or an SQLite file with nothing in it is
    /// refused before SQLite writes a byte to it (a copy that failed half-way
    /// must not become a new, empty office).
    pub fn open_existing(path: &Path) -> Result<Store> {
        Store::open_with(path, Opening::Existing)
    }

    /// [`Store::open_existing`] for a command that writes: a file SQLite's
    /// `quick_check` finds damaged is refused as well, before anything (a
    /// migration either) is written into it. The check reads the whole
    /// file: 0.1 s for a 50 MB office (docs/RELIABILITY.md).
    pub fn open_for_writing(path: &Path) -> Result<Store> {
        Store::open_with(path, Opening::ForWriting)
    }

    fn open_with(path: &Path, opening: Opening) -> Result<Store> {
        let open_err = |source| StoreError::Open { path: path.to_path_buf(), source };
        let create = match opening {
            Opening::Create => OpenFlags::SQLITE_OPEN_CREATE,
            Opening::Existing | Opening::ForWriting => {
                refuse_missing_or_empty(path)?;
                OpenFlags::empty()
            }
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | create | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        migrations::refuse_newer(&conn)?;
        migrations::refuse_foreign(&conn)?;
        if opening != Opening::Create && migrations::user_version(&conn)? == 0 {
            return Err(StoreError::Empty(path.to_path_buf()));
        }
        if opening == Opening::ForWriting
            && let Some(first) = backup::check_lines(&conn, "quick_check")?.into_iter().find(|l| l != "ok")
        {
            return Err(StoreError::NotADatabase(first));
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // FULL: a commit is on disk before the clerk sees it saved, so a power
        // cut cannot take back an issued number (R-SH-6) or a recorded step.
        conn.pragma_update(None, "synchronous", "FULL")?;
        keep_query_plans(&conn)?;
        search::register_terms_function(&conn)?;
        migrations::migrate(&mut conn)?;
        let schema_cookie = schema_cookie(&conn)?;
        Ok(Store {
            conn: Db::Lite(conn),
            path: path.to_path_buf(),
            server: None,
            walked: RefCell::default(),
            schema_cookie,
            bulk: RefCell::default(),
        })
    }

    /// A second, read-only connection to a database that [`Store::open`] has
    /// already created and migrated: for queries on a worker thread, which
    /// WAL lets run beside the writer.
    pub fn open_reader(path: &Path) -> Result<Store> {
        let open_err = |source| StoreError::Open { path: path.to_path_buf(), source };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        keep_query_plans(&conn)?;
        // The history's search checks a phrase with `history_terms` on the
        // reader too (issue 23: a number found by its grams, then checked).
        search::register_terms_function(&conn)?;
        migrations::refuse_newer(&conn)?;
        let schema_cookie = schema_cookie(&conn)?;
        Ok(Store {
            conn: Db::Lite(conn),
            path: path.to_path_buf(),
            server: None,
            walked: RefCell::default(),
            schema_cookie,
            bulk: RefCell::default(),
        })
    }

    /// A handle that stops this connection's running query from another
    /// thread: a history search superseded by the next keystroke is
    /// cancelled instead of finishing for nobody.
    /// On the server, the driver's cancel request, which the server answers
    /// by stopping the connection's statement.
    pub fn canceller(&self) -> QueryCanceller {
        match &self.conn {
            Db::Lite(conn) => QueryCanceller::Lite(conn.get_interrupt_handle()),
            Db::Server(conn) => QueryCanceller::Server(conn.canceller()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64> {
        match &self.conn {
            Db::Lite(conn) => migrations::user_version(conn),
            Db::Server(conn) => Ok(pg::migrations::version(conn)?),
        }
    }

    /// The SQLite connection, for what only an office file has (its
    /// PRAGMAs, a bulk load, the integrity check); on the server the error
    /// [`StoreError::Server`] naming `what`, never a panic.
    fn lite(&self, what: &str) -> Result<&Connection> {
        match &self.conn {
            Db::Lite(conn) => Ok(conn),
            Db::Server(_) => Err(file_only(what)),
        }
    }

    /// Gives the server's role `role` exactly the desks' rights on the
    /// office's tables as they now stand (`pg::roles::grant_app_role`: no
    /// right to change or delete the history). Run as the owner, after
    /// `init`, `restore` and every upgrade (a new table has no grants).
    /// An SQLite file has no roles: refused.
    pub fn grant_desks_role(&self, role: &str) -> Result<()> {
        match &self.conn {
            Db::Server(conn) => Ok(pg::roles::grant_app_role(conn, role)?),
            Db::Lite(_) => Err(StoreError::Server("a data file has no roles to grant".into())),
        }
    }

    /// [`Store::lite`], to write through (a restore's backup API).
    fn lite_mut(&mut self, what: &str) -> Result<&mut Connection> {
        match &mut self.conn {
            Db::Lite(conn) => Ok(conn),
            Db::Server(_) => Err(file_only(what)),
        }
    }

    /// Starts a write: takes the write lock at once (`BEGIN IMMEDIATE`), so a
    /// second HomeDesk waits here, never half-way through.
    ///
    /// Inside a bulk load ([`Store::begin_bulk`]) the write joins the bulk
    /// transaction instead, which succeeds or is thrown away as a whole.
    ///
    /// On the office's server the write takes the office's lock instead
    /// (`pg::PgConn::begin_write`), with the same effect.
    pub fn write(&mut self, audit: Audit) -> Result<WriteTx<'_>> {
        let tx = match &mut self.conn {
            Db::Lite(conn) => {
                if conn.is_autocommit() {
                    Tx::Own(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
                } else {
                    Tx::Joined(conn)
                }
            }
            Db::Server(conn) => Tx::Server(conn.begin_write()?),
        };
        let bulk = matches!(tx, Tx::Joined(_)).then_some(&self.bulk);
        Ok(WriteTx { tx, audit, history: RefCell::default(), bulk })
    }

    /// Opens the office on its PostgreSQL server at `url` (libpq style),
    /// bringing the schema up to date (`pg::migrations`): for `init`,
    /// `demo` and tests, which may set an office up in an empty database.
    pub fn open_server(url: &str) -> Result<Store> {
        Store::connect_server(url)?.migrated()
    }

    /// [`Store::open_server`] for a command that needs an office there: a
    /// database with no HomeDesk schema is refused and left as it was.
    pub fn open_server_existing(url: &str) -> Result<Store> {
        let store = Store::connect_server(url)?;
        if store.schema_cookie == 0 {
            return Err(StoreError::ServerEmpty(redact_url(url)));
        }
        store.migrated()
    }

    /// The window's connection test (issue 21): connects to the server at
    /// `url` and changes nothing there. The name of the office it holds
    /// (empty if not named yet), or `None` for a database with no office.
    pub fn peek_server(url: &str) -> Result<Option<String>> {
        let store = Store::connect_server(url)?;
        if store.schema_cookie == 0 {
            return Ok(None);
        }
        Ok(Some(store.office()?.map(|office| office.name).unwrap_or_default()))
    }

    /// The server's schema brought up to date, and remembered as opened.
    /// A schema newer than this HomeDesk's is refused, changing nothing.
    /// A role that may not migrate (the desks', `pg::roles`) meeting an
    /// older schema is told so in words IT can act on, not the driver's
    /// "permission denied" ([`StoreError::OlderServerSchema`]).
    fn migrated(mut self) -> Result<Store> {
        if let Db::Server(conn) = &self.conn {
            // A server a newer HomeDesk brought up to date is refused as a
            // newer file is (`migrations::refuse_newer`): this desk would
            // write rows without what the newer schema's rules expect.
            if self.schema_cookie > SCHEMA_VERSION {
                return Err(StoreError::NewerSchema { found: self.schema_cookie, known: SCHEMA_VERSION });
            }
            // The version was read as the connection was made: a schema up
            // to date is not asked again (two round trips each, twice, at
            // every start).
            if self.schema_cookie == SCHEMA_VERSION {
                return Ok(self);
            }
            if let Some(role) = pg::migrations::may_not_migrate(conn)? {
                return Err(StoreError::OlderServerSchema {
                    found: self.schema_cookie,
                    known: SCHEMA_VERSION,
                    role,
                });
            }
            pg::migrations::migrate(conn)?;
            self.schema_cookie = pg::migrations::version(conn)?;
        }
        Ok(self)
    }

    /// A connection to the server, its failure in words without the password.
    fn connect_server(url: &str) -> Result<Store> {
        Store::connect_server_with(url, pg::PgConn::connect)
    }

    fn connect_server_with(
        url: &str,
        connect: impl FnOnce(&str) -> std::result::Result<pg::PgConn, sql::SqlError>,
    ) -> Result<Store> {
        let conn = connect(url).map_err(|e| match e {
            sql::SqlError::Certificate(cause) => {
                StoreError::ServerCertificate { url: redact_url(url), cause }
            }
            e => StoreError::ServerOpen {
                url: redact_url(url),
                cause: e.to_string(),
                fault: ServerFault::of(&e),
            },
        })?;
        let schema_cookie = pg::migrations::version(&conn)?;
        Ok(Store {
            conn: Db::Server(Box::new(conn)),
            path: PathBuf::new(),
            server: Some(url.to_string()),
            walked: RefCell::default(),
            schema_cookie,
            bulk: RefCell::default(),
        })
    }

    /// Opens the office at `location`, creating it if needed (`init`, `demo`).
    pub fn open_at(location: &Location) -> Result<Store> {
        match location {
            Location::File(path) => Store::open(path),
            Location::Server(url) => Store::open_server(url),
        }
    }

    /// Opens the office at `location`, which must hold one.
    pub fn open_existing_at(location: &Location) -> Result<Store> {
        match location {
            Location::File(path) => Store::open_existing(path),
            Location::Server(url) => Store::open_server_existing(url),
        }
    }

    /// [`Store::open_existing_at`] for a command that writes (on a file,
    /// SQLite's quick check first; a server checks its own pages).
    pub fn open_for_writing_at(location: &Location) -> Result<Store> {
        match location {
            Location::File(path) => Store::open_for_writing(path),
            Location::Server(url) => Store::open_server_existing(url),
        }
    }

    /// Whether this handle's server connection is known to be closed (the
    /// driver saw it end, a statement found it broken, it was given up or
    /// [`Store::mark_connection_lost`]): no round trip, so the window may
    /// ask every frame. A file is never closed; a pulled cable shows only
    /// once a statement fails. Nothing more is sent on a broken connection
    /// ([`StoreError::ServerAway`] at once); a reader's
    /// ([`Store::open_reader_at`]) is made again instead.
    pub fn connection_broken(&self) -> bool {
        match &self.conn {
            Db::Lite(_) => false,
            Db::Server(conn) => conn.is_closed(),
        }
    }

    /// The window heard that the server is gone (its poller's connection
    /// broke): this connection sends nothing more, so a save is refused at
    /// once instead of waiting for the network to give up. No-op on a file.
    pub fn mark_connection_lost(&self) {
        if let Db::Server(conn) = &self.conn {
            conn.mark_lost();
        }
    }

    /// The window's desk: on a server, a statement left unanswered for
    /// `bound` (a save's reads and its write) is given up, not waited for (`pg::PgConn::answering_within`:
    /// not saved, or, for its `COMMIT`, asked about once connected again).
    /// A file answers as it always has (its own `busy_timeout`).
    pub fn answering_within(self, bound: Duration) -> Store {
        match self.conn {
            Db::Lite(_) => self,
            Db::Server(conn) => Store { conn: Db::Server(Box::new(conn.answering_within(bound))), ..self },
        }
    }

    /// The round trips this handle has made to its server so far (0 on a
    /// file, which reads in the process): the tests keep a screen's reads
    /// to a few statements with it.
    #[doc(hidden)]
    pub fn server_round_trips(&self) -> u64 {
        match &self.conn {
            Db::Lite(_) => 0,
            Db::Server(conn) => conn.round_trips(),
        }
    }

    /// The bound of [`Store::answering_within`], if this handle has one.
    pub fn write_bound(&self) -> Option<Duration> {
        match &self.conn {
            Db::Lite(_) => None,
            Db::Server(conn) => conn.bound(),
        }
    }

    /// The write whose `COMMIT` got no answer because this connection broke
    /// on it ([`StoreError::CommitUnconfirmed`]), to ask a new connection
    /// about with [`Store::write_outcome`]. Never one on a file.
    pub fn unconfirmed_write(&self) -> Option<UnconfirmedWrite> {
        match &self.conn {
            Db::Lite(_) => None,
            Db::Server(conn) => conn.unconfirmed_write().map(UnconfirmedWrite),
        }
    }

    /// Whether `write`, unconfirmed on a connection that broke, was saved:
    /// asked of the server on this (new) connection. The answer is final.
    pub fn write_outcome(&self, write: UnconfirmedWrite) -> Result<bool> {
        match &self.conn {
            Db::Lite(_) => Err(StoreError::Server("no server write to ask about on an office file".into())),
            Db::Server(conn) => Ok(conn.write_outcome(write.0)?),
        }
    }

    /// Where this office is: its file, or its server.
    pub fn location(&self) -> Location {
        match &self.server {
            Some(url) => Location::Server(url.clone()),
            None => Location::File(self.path.clone()),
        }
    }

    /// A second connection to the same office (a worker thread's, or the
    /// office again after a restore).
    pub fn open_again(&self) -> Result<Store> {
        let store = Store::open_existing_at(&self.location())?;
        // The window's desk keeps its bound on the new connection too.
        Ok(match self.write_bound() {
            Some(bound) => store.answering_within(bound),
            None => store,
        })
    }

    /// A second, read-only connection to the same office: on a file
    /// [`Store::open_reader`]; on a server a connection whose transactions
    /// are read-only.
    pub fn open_reader_again(&self) -> Result<Store> {
        Store::open_reader_at(&self.location())
    }

    /// A read-only connection to the office at `location`, which must
    /// hold one: [`Store::open_reader`] on a file; on a server a connection
    /// whose transactions are read-only (the registers' reader thread, the
    /// history's) and which connects again by itself when it broke
    /// (`pg::PgConn::connect_reader`): a reader thread reads on once the
    /// server is back, with no code of its own for it.
    pub fn open_reader_at(location: &Location) -> Result<Store> {
        match location {
            Location::File(path) => Store::open_reader(path),
            Location::Server(url) => Store::connect_server_with(url, pg::PgConn::connect_reader),
        }
    }

    /// [`Store::open_reader_at`], but a server connection that breaks
    /// stays broken: for the window's poller, whose errors are how the
    /// window learns that the server went away (`ui/poll.rs`).
    pub fn open_reader_once_at(location: &Location) -> Result<Store> {
        let mut store = Store::open_reader_at(location)?;
        if let Db::Server(conn) = &mut store.conn {
            conn.connect_once();
        }
        Ok(store)
    }

    /// Starts one long transaction which the following writes join, for
    /// loading many records into a file that is thrown away unless the load
    /// completes (the demo office): each commit of the WAL costs far more
    /// than the rows it carries, and a savepoint per write cost a tenth of
    /// the demo's time for a rollback it never needs. Ended by
    /// [`Store::commit_bulk`]; a failed write leaves the load half-done, so
    /// the caller must then drop the store and the file.
    pub fn begin_bulk(&self) -> Result<()> {
        let conn = self.lite("a bulk load")?;
        self.bulk.take();
        Ok(conn.execute_batch("BEGIN IMMEDIATE")?)
    }

    /// Commits the bulk transaction begun by [`Store::begin_bulk`].
    /// The load's records are sealed first: each once, as the load left it.
    pub fn commit_bulk(&self) -> Result<()> {
        let conn = self.lite("a bulk load")?;
        let bulk = self.bulk.take();
        chain::seal_bulk(conn, bulk.newest)?;
        if !conn.is_autocommit() {
            conn.execute_batch("COMMIT")?;
        }
        // The history's index worker finishes meanwhile; its indexes are
        // copied in by `restore_after_bulk`.
        self.bulk.borrow_mut().aside = bulk.aside;
        Ok(())
    }

    /// For the bulk load begun by [`Store::begin_bulk`] on a file built
    /// from scratch: the change history's search indexes are built on a
    /// worker thread as the load goes, in a scratch file beside this one
    /// (`store/aside.rs`), and copied in by [`Store::restore_after_bulk`]
    /// instead of being refilled there (a quarter of the ten-year demo).
    /// The search triggers must have been deferred ([`Store::defer_for_bulk`]).
    pub fn index_history_aside(&self) -> Result<()> {
        let conn = self.lite("a bulk load")?;
        let mut scratch = self.path.as_os_str().to_owned();
        scratch.push(".history-index");
        self.bulk.borrow_mut().aside = Some(aside::AsideIndex::start(conn, PathBuf::from(scratch))?);
        Ok(())
    }

    /// Changes whenever any connection (another desk PC too) commits; the UI
    /// polls it to know when to re-query. On the server, the id of the
    /// newest history row: every committed change appends one (R-FU-6), in
    /// the same transaction, and a rolled-back write leaves none — one seek
    /// on the history's primary key, where SQLite's counter is free.
    pub fn data_version(&self) -> Result<i64> {
        match &self.conn {
            Db::Lite(conn) => Ok(conn.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get(0))?),
            Db::Server(conn) => Ok(conn.fetch_value("SELECT coalesce(max(id), 0) FROM history", &[])?),
        }
    }

    /// Whether the file's schema changed since this handle opened it: a
    /// restore through another handle or PC (the backup API bumps the schema
    /// cookie of the file it writes), or a newer HomeDesk's migration. Open
    /// windows check it when `data_version` moves and reopen the file. On
    /// the server, whether another HomeDesk migrated its schema since
    /// (`homedesk_schema`); a server is not restored under open desks.
    pub fn replaced(&self) -> Result<bool> {
        let now = match &self.conn {
            Db::Lite(conn) => schema_cookie(conn)?,
            Db::Server(conn) => pg::migrations::version(conn)?,
        };
        Ok(now != self.schema_cookie)
    }

    /// For a file built from scratch that is thrown away unless the build
    /// completes — the demo office, built beside its final path and moved
    /// into place: commits stop waiting for the disk, which otherwise took
    /// the demo longer than all of its SQL. [`Store::flush_to_disk`] makes
    /// the finished file durable before it is moved.
    ///
    /// On a server, this connection's commits stop waiting for the server's
    /// disk (`synchronous_commit`); the server still writes them in order
    /// within a fraction of a second, and only its crash could lose the
    /// newest of them.
    pub fn stop_waiting_for_disk(&self) -> Result<()> {
        let conn = match &self.conn {
            Db::Lite(conn) => conn,
            Db::Server(conn) => return Ok(conn.batch("SET synchronous_commit = off")?),
        };
        conn.pragma_update(None, "synchronous", "OFF")?;
        // Temporary b-trees (sorting, FTS merges) in memory, not in files,
        // and the indexes built at the end sorted on both cores.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "threads", 2)?;
        // Ten years of an office are over 1 GB: keep the pages being worked on.
        conn.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
        // Nobody else reads a file being built: no WAL to write every page
        // twice, and no rollback journal, as a failed build is thrown away.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.pragma_update(None, "journal_mode", "OFF")?;
        Ok(())
    }

    /// Drops the indexes `names` and the search indexes' triggers for a bulk
    /// load, to be built once at its end by [`Store::restore_after_bulk`]:
    /// an index built over sorted rows costs a fraction of keeping it up to
    /// date row by row. Only for indexes that no query of the load reads;
    /// the registers' text search finds nothing new until the end.
    ///
    /// On a server, for a new office only: the searches' triggers are dropped
    /// and their tables filled at the end (`pg::bulk`); `indexes` are kept.
    pub fn defer_for_bulk(&self, indexes: &[&str]) -> Result<Deferred> {
        let conn = match &self.conn {
            Db::Lite(conn) => conn,
            Db::Server(conn) => return Ok(Deferred { definitions: pg::bulk::defer(conn)? }),
        };
        let mut definitions = Vec::new();
        let schema_items = indexes.iter().map(|name| ("index", *name));
        let triggers = search::SEARCH_TRIGGERS.iter().chain(&search::HISTORY_SEARCH_TRIGGERS);
        let triggers = triggers.map(|name| ("trigger", *name));
        for (kind, name) in schema_items.chain(triggers) {
            let sql: String = conn
                .prepare_cached("SELECT sql FROM sqlite_schema WHERE type = ?1 AND name = ?2")?
                .query_row([kind, name], |r| r.get(0))?;
            conn.execute_batch(&format!("DROP {kind} \"{name}\""))?;
            definitions.push(sql);
        }
        Ok(Deferred { definitions })
    }

    /// Every index and trigger as (name, `CREATE` statement), by name: what a
    /// bulk load must leave as it found (tests compare two files' lists).
    pub fn index_and_trigger_definitions(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.lite("listing a file's indexes")?.prepare(
            "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Builds again what [`Store::defer_for_bulk`] dropped, and the search
    /// indexes from every row and every change.
    pub fn restore_after_bulk(&self, deferred: Deferred) -> Result<()> {
        let conn = match &self.conn {
            Db::Lite(conn) => conn,
            Db::Server(conn) => return pg::bulk::restore(conn, &deferred.definitions),
        };
        let Some(aside) = self.bulk.take().aside else {
            for sql in &deferred.definitions {
                conn.execute_batch(sql)?;
            }
            search::refill_search_index(conn)?;
            search::refill_history_index(conn)?;
            return Ok(());
        };
        // The history's indexes come from the worker: what this thread does
        // meanwhile comes first, the triggers after the copy. Nothing on
        // this connection may read or write the history's FTS5 tables
        // before the copy: FTS5 would cache the empty index's structure and
        // reload it only when another connection's commit moves
        // `data_version`, never for this connection's own writes. The load's
        // connection is closed right after this (`app::demo::fill_at`).
        let (triggers, indexes): (Vec<&String>, Vec<&String>) =
            deferred.definitions.iter().partition(|sql| sql.starts_with("CREATE TRIGGER"));
        for sql in indexes {
            conn.execute_batch(sql)?;
        }
        search::refill_search_index(conn)?;
        aside.finish(conn)?;
        for sql in triggers {
            conn.execute_batch(sql)?;
        }
        Ok(())
    }

    /// Back to normal durability: the WAL is checkpointed into the file and
    /// both are synced.
    /// On a server, commits wait for its disk again.
    pub fn flush_to_disk(&self) -> Result<()> {
        let conn = match &self.conn {
            Db::Lite(conn) => conn,
            Db::Server(conn) => return Ok(conn.batch("SET synchronous_commit = on")?),
        };
        conn.pragma_update(None, "cache_size", -2000)?;
        conn.pragma_update(None, "locking_mode", "NORMAL")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `ok` or the problems SQLite found.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        Ok(backup::check_lines(self.lite("SQLite's integrity check")?, "integrity_check")?)
    }

    /// `PRAGMA quick_check`: the integrity check without comparing indexes
    /// to their tables, about a fifth of its time.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        Ok(backup::check_lines(self.lite("SQLite's quick check")?, "quick_check")?)
    }
}

/// A server write whose `COMMIT` got no answer: its transaction id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnconfirmedWrite(i64);

/// Stops the query running on a [`Store`]'s connection (see
/// [`Store::canceller`]); the query then fails with [`StoreError::Cancelled`].
pub enum QueryCanceller {
    Lite(rusqlite::InterruptHandle),
    Server(pg::Canceller),
}

impl QueryCanceller {
    /// On the server the request goes over a connection of its own, made
    /// on a thread of its own so that the window does not wait for it.
    pub fn cancel(&self) {
        match self {
            QueryCanceller::Lite(handle) => handle.interrupt(),
            QueryCanceller::Server(canceller) => {
                let canceller = canceller.clone();
                std::thread::spawn(move || canceller.cancel());
            }
        }
    }
}

/// One business write: a transaction plus who and when. Every method that
/// changes a record also records its history row (R-FU-6), which
/// [`WriteTx::commit`] appends, linked and sealed (`store/chain.rs`), just
/// before the transaction commits. Dropping it without `commit` rolls
/// everything back (in a bulk load, the load is then thrown away).
pub struct WriteTx<'a> {
    tx: Tx<'a>,
    audit: Audit,
    /// The history rows of this write, appended at its commit.
    history: RefCell<Vec<history::Pending>>,
    /// The store's [`Store::bulk`] when this write joins a bulk load.
    bulk: Option<&'a RefCell<chain::Bulk>>,
}

/// The indexes and triggers a bulk load dropped, as their `CREATE` statements.
#[must_use = "a bulk load's indexes must be restored"]
pub struct Deferred {
    definitions: Vec<String>,
}

impl WriteTx<'_> {
    pub fn commit(self) -> Result<()> {
        history::flush(&self.tx, &self.audit, self.history.take(), self.bulk)?;
        Ok(self.tx.commit()?)
    }

    pub fn audit(&self) -> &Audit {
        &self.audit
    }

    fn record(
        &self,
        entity: Entity,
        entity_id: i64,
        action: Action,
        changes: &[Change],
        reason: Option<&str>,
    ) -> Result<()> {
        self.history.borrow_mut().push(history::Pending::new(entity, entity_id, action, changes, reason));
        Ok(())
    }
}

/// What only an office file can do, asked of a server.
fn file_only(what: &str) -> StoreError {
    StoreError::Server(format!("{what} works on an office file, not on a server"))
}

fn schema_cookie(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA schema_version", [], |r| r.get(0))?)
}

/// A missing file, or one of 0 bytes with no WAL beside it, is refused
/// without opening it (SQLite would make it a database).
fn refuse_missing_or_empty(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        // A path through a file (`a-file/sub/homedesk.db`) is as missing as
        // one through no folder: `init` then says the folder cannot be made.
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            Err(StoreError::Missing(path.to_path_buf()))
        }
        Ok(meta) if meta.len() == 0 && backup::sidecar_len(path, "-wal") == 0 => {
            Err(StoreError::Empty(path.to_path_buf()))
        }
        _ => Ok(()),
    }
}

/// Statements kept prepared per connection: more than the store has (about
/// 150), so that none is parsed twice — parsing was 8 % of building the
/// ten-year demo office when a third of them were not kept.
const STATEMENT_CACHE_CAPACITY: usize = 256;

/// Keeps prepared statements prepared. The query planner stability
/// guarantee is on because without it the bundled SQLite (built with STAT4)
/// marks a cached statement whose bound value the planner looked at — a
/// join on `requests`, `job_steps` by request — for a full re-prepare on
/// every new binding, so each step of a job re-parsed its reads. Plans here
/// never depend on the values bound.
fn keep_query_plans(conn: &Connection) -> Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
    // `homedesk-probe` only: each connection's page cache, in KiB, for the
    // real window's memory A/B (issue 23).
    #[cfg(feature = "probe")]
    if let Some(kib) = std::env::var("HOMEDESK_PROBE_PAGE_CACHE_KIB").ok().and_then(|v| v.parse::<i64>().ok())
    {
        conn.pragma_update(None, "cache_size", -kib)?;
    }
    Ok(())
}

/// Maps a UNIQUE constraint failure to a typed duplicate error, on either
/// backend (SQLite's constraint code with "UNIQUE", the server's SQLSTATE
/// 23505); takes rusqlite's error too, for the modules not on `Sql` yet.
fn unique_violation(e: impl Into<sql::SqlError>, what: &'static str) -> StoreError {
    match e.into() {
        sql::SqlError::Sqlite(e) => match e.sqlite_error_code() {
            Some(ErrorCode::ConstraintViolation) if e.to_string().contains("UNIQUE") => {
                StoreError::Duplicate(what)
            }
            _ => e.into(),
        },
        sql::SqlError::Postgres(e) if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) => {
            StoreError::Duplicate(what)
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Location, redact_url};
    use std::path::PathBuf;

    #[test]
    fn redact_url_hides_the_password_and_keeps_the_rest() {
        let cases = [
            ("postgres://desk:s3cret@10.0.0.5:5432/homedesk", "postgres://desk:***@10.0.0.5:5432/homedesk"),
            ("postgresql://desk:p%40ss:w@host/db", "postgresql://desk:***@host/db"),
            ("postgres://desk@host/db", "postgres://desk@host/db"),
            ("postgres://host/db", "postgres://host/db"),
            ("postgres://desk:pw@host", "postgres://desk:***@host"),
            (
                "postgres://desk@host/db?sslmode=require&password=s3cret",
                "postgres://desk@host/db?sslmode=require&password=***",
            ),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }

    #[test]
    fn a_db_argument_names_a_server_only_by_its_scheme() {
        let server = Location::from_arg(PathBuf::from("postgres://desk:s3cret@host/db"));
        assert!(server.is_server());
        assert_eq!(server.to_string(), "postgres://desk:***@host/db");
        assert!(Location::from_arg(PathBuf::from("postgresql://host/db")).is_server());
        let file = Location::from_arg(PathBuf::from("D:/office/homedesk.db"));
        assert_eq!(file, Location::File(PathBuf::from("D:/office/homedesk.db")));
    }
}
