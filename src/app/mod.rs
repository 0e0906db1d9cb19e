//! The use cases of the desk. The GUI and the CLI call only this layer.
//!
//! Each write opens one [`WriteTx`](crate::store::WriteTx) stamped with the
//! signed-in user and the time, calls the `domain` rules, writes through
//! `store`, and commits: all or nothing.

mod agreements;
mod auth;
mod backups;
mod copy;
pub mod demo;
mod export;
mod followup;
mod history;
mod import;
mod intake;
mod jobs;
mod print;
mod reports;
mod revisits;
mod settings;
mod shopping;
mod stats;
mod todo;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Local, NaiveDateTime, Timelike};

use crate::domain::{
    AccessError, AgreementFieldError, FieldError, HandoverError, OfficeError, PriceItemError, ReportError,
    ResidentError, ReviewError, RevisitError, ShoppingFieldError, SlipError, StaffError, StepError, User,
};
use crate::print::PrintError;
use crate::store::{Audit, Location, Store, StoreError, UnconfirmedWrite};

pub use agreements::KeepReport;
pub use auth::{MIN_PASSWORD_CHARS, this_pc};
pub use backups::{
    BackupFile, DailyBackup, Restored, backup_file_name, backups_folder, inspect_backup, latest_good_backup,
    list_backups, restore_damaged, restore_file,
};
pub use copy::{CopyReport, copy_office, grant_desks, restore_to_server};
pub use export::save_xlsx;
pub use followup::{Board, BoardRow, DayReview};
pub use history::HISTORY_SHOWN;
pub use import::ImportOutcome;
pub use jobs::StepInput;
pub use print::{office_print_language, office_print_language_at};
pub use shopping::{Followup, ShoppingTotals};
pub use stats::{TREND_MONTHS, trend_months};

/// Where "now" comes from; tests pin it.
pub type Clock = Arc<dyn Fn() -> NaiveDateTime + Send + Sync>;

/// Local wall-clock time, to the second.
pub fn local_now() -> NaiveDateTime {
    let now = Local::now().naive_local();
    now.with_nanosecond(0).unwrap_or(now)
}

/// Every way a use case can fail; the edge turns these into the clerk's words.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the form has errors")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Staff(#[from] StaffError),
    #[error(transparent)]
    Office(#[from] OfficeError),
    #[error(transparent)]
    PriceItem(#[from] PriceItemError),
    #[error(transparent)]
    Resident(#[from] ResidentError),
    #[error(transparent)]
    Step(#[from] StepError),
    #[error("wrong login or password")]
    BadCredentials,
    /// Too many wrong passwords for this login lately: no try before `until`.
    #[error("{failures} failed sign-ins of {login}: locked until {until}")]
    SignInLocked { login: String, until: chrono::NaiveDateTime, failures: usize },
    #[error("this staff member is no longer active")]
    InactiveUser,
    #[error("password shorter than {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the office is already set up")]
    AlreadySetUp,
    #[error("a login is required for a user")]
    LoginRequired,
    #[error("room number is not of the form 3栋2单元201")]
    BadRoom,
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("cannot write {path}: {cause}")]
    File { path: PathBuf, cause: String },
    #[error(transparent)]
    Print(#[from] PrintError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error(transparent)]
    Slip(#[from] SlipError),
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error(transparent)]
    Handover(#[from] HandoverError),
    #[error("only a business supervisor or above may do this")]
    NeedsSupervisor,
    #[error("the agreement has errors")]
    Agreement(Vec<AgreementFieldError>),
    #[error("no agreement is numbered {0}")]
    NoAgreement(crate::domain::AgreementNo),
    #[error("the agreement has no {0:?}")]
    NoAgreementPaper(crate::domain::AgreementPaper),
    #[error("the shopping entry has errors")]
    Shopping(Vec<ShoppingFieldError>),
    #[error(transparent)]
    Revisit(#[from] RevisitError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Access(#[from] AccessError),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The open office: its database and its clock.
pub struct HomeDesk {
    store: Store,
    clock: Clock,
}

impl HomeDesk {
    pub fn open(path: &Path) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open(path)?, clock: Arc::new(local_now) })
    }

    /// Same, with a fixed or scripted clock (tests, demo data).
    pub fn open_with_clock(path: &Path, clock: Clock) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open(path)?, clock })
    }

    /// Opens the office on its PostgreSQL server (libpq-style URL), setting
    /// the schema up in an empty database.
    pub fn open_server_with_clock(url: &str, clock: Clock) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open_server(url)?, clock })
    }

    /// Opens (creating if needed) the office at `location`, a file or a
    /// server: for `init`, `demo` and the first start.
    pub fn open_at(location: &Location) -> Result<HomeDesk> {
        HomeDesk::open_at_with_clock(location, Arc::new(local_now))
    }

    pub fn open_at_with_clock(location: &Location, clock: Clock) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open_at(location)?, clock })
    }

    /// Opens the office at `location`, which must hold one.
    pub fn open_existing_at(location: &Location) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open_existing_at(location)?, clock: Arc::new(local_now) })
    }

    /// [`HomeDesk::open_existing_at`] for a command that writes.
    pub fn open_for_writing_at(location: &Location) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open_for_writing_at(location)?, clock: Arc::new(local_now) })
    }

    /// Opens an office that exists: a missing or empty file is refused and
    /// left as it was (only `init`, `demo` and the first start make one).
    pub fn open_existing(path: &Path) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open_existing(path)?, clock: Arc::new(local_now) })
    }

    /// [`HomeDesk::open_existing`] for a command that writes: a damaged file
    /// (one `check` would refuse) is refused too, before anything is written.
    pub fn open_for_writing(path: &Path) -> Result<HomeDesk> {
        HomeDesk::open_for_writing_with_clock(path, Arc::new(local_now))
    }

    pub fn open_for_writing_with_clock(path: &Path, clock: Clock) -> Result<HomeDesk> {
        Ok(HomeDesk { store: Store::open_for_writing(path)?, clock })
    }

    /// Opens the file again, after a restore by another handle or PC
    /// ([`Store::replaced`]): an older backup's schema is brought up to
    /// date, and nothing cached from the replaced file is kept.
    pub fn reopen(&mut self) -> Result<()> {
        self.store = self.store.open_again()?;
        Ok(())
    }

    /// A read-only second handle on the same database and clock, to print or
    /// report on a worker thread while the window keeps drawing.
    pub fn reader(&self) -> Result<HomeDesk> {
        Ok(HomeDesk { store: self.store.open_reader_again()?, clock: Arc::clone(&self.clock) })
    }

    /// A second read-write handle on the same database and clock, for a
    /// slow use case that also writes (the monthly report reads a year of
    /// rows) to run on a worker thread.
    pub fn worker(&self) -> Result<HomeDesk> {
        Ok(HomeDesk { store: self.store.open_again()?, clock: Arc::clone(&self.clock) })
    }

    /// The window's desk: on a server, a save's statement left unanswered
    /// for `bound` is given up instead of holding the window
    /// ([`Store::answering_within`]); kept by [`HomeDesk::reconnector`]. A
    /// file is as it was.
    pub fn answering_within(self, bound: std::time::Duration) -> HomeDesk {
        HomeDesk { store: self.store.answering_within(bound), clock: self.clock }
    }

    /// What a worker thread needs to connect to this office again after its
    /// server connection broke ([`Reconnect::connect`]), with the write
    /// whose `COMMIT` got no answer, if one did.
    pub fn reconnector(&self) -> Reconnect {
        Reconnect {
            location: self.location(),
            clock: Arc::clone(&self.clock),
            unconfirmed: self.store.unconfirmed_write(),
            bound: self.store.write_bound(),
        }
    }

    /// Read access for views and reports. Writes go through the use cases.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> NaiveDateTime {
        (self.clock)()
    }

    /// The office's file (empty for an office on a server: see [`HomeDesk::location`]).
    pub fn path(&self) -> PathBuf {
        self.store.path().to_path_buf()
    }

    /// Where the office is: its file or its server.
    pub fn location(&self) -> Location {
        self.store.location()
    }

    fn audit(&self, user: &User) -> Audit {
        audit_at(user, self.now())
    }
}

impl AppError {
    /// Whether the connection to the office's server broke (the store's
    /// [`StoreError::is_connection_lost`]): the desk reconnects, and what
    /// the clerk typed stays.
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, AppError::Store(e) if e.is_connection_lost())
    }
}

/// Connecting again to an office whose server connection broke: sent to a
/// worker thread, as connecting is network work.
pub struct Reconnect {
    location: Location,
    clock: Clock,
    unconfirmed: Option<UnconfirmedWrite>,
    /// The old connection's [`HomeDesk::answering_within`], given to the new one.
    bound: Option<std::time::Duration>,
}

/// A new connection to the office, and what became of the write whose
/// `COMMIT` got no answer on the old one.
pub struct Reconnected {
    pub desk: HomeDesk,
    pub unconfirmed: WriteOutcome,
}

/// The fate of the write in flight when a server connection broke.
#[derive(Debug)]
pub enum WriteOutcome {
    /// No write was waiting for its `COMMIT`'s answer.
    NoneInFlight,
    Saved,
    NotSaved,
    /// The new connection could not ask (its error, in the clerk's words at the edge).
    Unknown(AppError),
}

impl Reconnect {
    /// Connects to the office again (slow, and fails while the server is
    /// away: call it on a worker thread, again until it succeeds), then
    /// asks the server about the unconfirmed write (a connection that
    /// breaks while asking is an attempt that failed).
    pub fn connect(&self) -> Result<Reconnected> {
        let mut store = Store::open_existing_at(&self.location)?;
        if let Some(bound) = self.bound {
            store = store.answering_within(bound);
        }
        let desk = HomeDesk { store, clock: Arc::clone(&self.clock) };
        let unconfirmed = match self.unconfirmed.map(|write| desk.store.write_outcome(write)) {
            None => WriteOutcome::NoneInFlight,
            Some(Ok(true)) => WriteOutcome::Saved,
            Some(Ok(false)) => WriteOutcome::NotSaved,
            // Broken again while asking: an attempt that failed, to make again.
            Some(Err(e)) if e.is_connection_lost() => return Err(e.into()),
            Some(Err(e)) => WriteOutcome::Unknown(e.into()),
        };
        Ok(Reconnected { desk, unconfirmed })
    }
}

/// Who writes, stamped with the `at` the rules were checked against.
fn audit_at(user: &User, at: NaiveDateTime) -> Audit {
    Audit { user_id: Some(user.staff_id), user_name: user.name.clone(), at }
}

/// The window's connection test (issue 21): the name of the office on the
/// server at `url` (empty if not named yet), or `None` for a database with
/// no office; nothing there is changed.
pub fn peek_server(url: &str) -> Result<Option<String>> {
    Ok(Store::peek_server(url)?)
}

/// The per-user data folder and the default database in it.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "HomeDesk", "HomeDesk").map(|d| d.data_dir().join("homedesk.db"))
}
