//! Each database test on both backends (issue 21): an SQLite file in a temp
//! dir always, and a database of its own on the PostgreSQL server named by
//! `HOMEDESK_TEST_PG` when it is set (`.ci/run` starts one), dropped when
//! the test ends. Without the variable the server half is skipped, and the
//! test binary says so once.

use std::io::Write;
use std::sync::Once;

use homedesk::app::{Clock, HomeDesk};

use super::{Office, TestDb, office_db, open_at, set_up_office, temp_db};

/// The variable naming the test server (a libpq URL of a role that may
/// create databases).
pub const SERVER: &str = "HOMEDESK_TEST_PG";

/// The test server's URL, or `None` after saying (once per test binary,
/// past the harness's capture) that the PostgreSQL half was skipped.
pub fn server() -> Option<String> {
    let url = std::env::var(SERVER).ok().filter(|u| !u.is_empty());
    if url.is_none() {
        static SAID: Once = Once::new();
        SAID.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "{SERVER} is not set; the PostgreSQL half of these tests was skipped"
            );
        });
    }
    url
}

/// A database of one test's own on the test server, dropped with it.
pub struct ServerDb {
    /// Boxed: a driver's configuration is six times the size of a temp dir.
    server: Box<postgres::Config>,
    pub name: String,
}

impl ServerDb {
    pub fn new(url: &str) -> ServerDb {
        let server: postgres::Config = url.parse().expect("HOMEDESK_TEST_PG is a libpq URL");
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let serial = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let name = format!("hd_{}_{serial}_{}", std::process::id(), stamp % 1_000_000_000);
        let mut admin = server.connect(postgres::NoTls).expect("connect to the test server");
        admin.batch_execute(&format!("CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")).unwrap();
        ServerDb { server: Box::new(server), name }
    }

    /// The libpq URL of this database.
    pub fn url(&self) -> String {
        let host = match self.server.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(dir)) => dir.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.server.get_ports().first().copied().unwrap_or(5432);
        let user = self.server.get_user().unwrap_or("postgres");
        let password = self
            .server
            .get_password()
            .map(|p| format!(":{}", String::from_utf8_lossy(p)))
            .unwrap_or_default();
        format!("postgresql://{user}{password}@{host}:{port}/{}", self.name)
    }
}

impl Drop for ServerDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = self.server.connect(postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// Where one run of a test keeps its office.
pub enum Backend {
    Lite(TestDb),
    Server(ServerDb),
}

impl Backend {
    /// Opens the office with `clock`, as a desk would.
    pub fn open(&self, clock: Clock) -> HomeDesk {
        match self {
            Backend::Lite(db) => open_at(&db.path, clock),
            Backend::Server(db) => HomeDesk::open_server_with_clock(&db.url(), clock)
                .unwrap_or_else(|e| panic!("open {}: {e}", db.name)),
        }
    }

    /// The rows in `table`, read past the app (pgb).
    pub fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT count(*) FROM {table}");
        match self {
            Backend::Lite(db) => super::count(&db.path, table),
            Backend::Server(db) => postgres::Client::connect(&db.url(), postgres::NoTls)
                .and_then(|mut client| client.query_one(sql.as_str(), &[]))
                .map(|row| row.get(0))
                .unwrap_or_else(|e| panic!("count {table} on {}: {e}", db.name)),
        }
    }

    /// Runs `sql` past the app, as a tool with the database's password
    /// could: whether the database refused it (a trigger, a constraint).
    pub fn refuses(&self, sql: &str) -> bool {
        match self {
            Backend::Lite(db) => super::raw(&db.path).execute_batch(sql).is_err(),
            Backend::Server(db) => postgres::Client::connect(&db.url(), postgres::NoTls)
                .unwrap_or_else(|e| panic!("connect to {}: {e}", db.name))
                .batch_execute(sql)
                .is_err(),
        }
    }

    /// Row counts of every table a register write touches ([`super::write_counts`] on either backend).
    pub fn write_counts(&self) -> [(&'static str, i64); 6] {
        super::WRITE_TABLES.map(|table| (table, self.count(table)))
    }

    /// The office's store alone, as the app's layer below the use cases
    /// (a test that writes through `WriteTx` itself).
    pub fn store(&self) -> homedesk::store::Store {
        let store = match self {
            Backend::Lite(db) => homedesk::store::Store::open(&db.path),
            Backend::Server(db) => homedesk::store::Store::open_server(&db.url()),
        };
        store.unwrap_or_else(|e| panic!("open the store on {}: {e}", self.name()))
    }

    /// Which backend, for a failing assertion's message.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Lite(_) => "SQLite",
            Backend::Server(_) => "PostgreSQL",
        }
    }
}

/// An empty office on each backend: SQLite, then the server if there is one.
pub fn empty_offices() -> Vec<Backend> {
    let mut backends = vec![Backend::Lite(temp_db())];
    backends.extend(server().map(|url| Backend::Server(ServerDb::new(&url))));
    backends
}

/// The set-up office ([`set_up_office`]) on each backend, open with `clock`:
/// the SQLite one copied from the test binary's template, the server's set
/// up through the app.
pub fn offices(clock: impl Fn() -> Clock) -> Vec<(Backend, HomeDesk, Office)> {
    let (db, office) = office_db();
    let lite = Backend::Lite(db);
    let desk = lite.open(clock());
    let mut offices = vec![(lite, desk, office)];
    if let Some(url) = server() {
        let server = Backend::Server(ServerDb::new(&url));
        let mut desk = server.open(clock());
        let office = set_up_office(&mut desk);
        offices.push((server, desk, office));
    }
    offices
}

/// Names the backend a test was on when it fails (pgd): held through one
/// backend's run, it says so on stderr, which the harness shows with the
/// failure, as the panic unwinds past it.
pub struct Named(pub &'static str);

impl Drop for Named {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = writeln!(std::io::stderr(), "(this failure was on {})", self.0);
        }
    }
}
