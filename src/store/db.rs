//! The connection a [`Store`](super::Store) holds and the transaction a
//! [`WriteTx`](super::WriteTx) writes through, on either backend (issue 21):
//! an SQLite file ([`Db::Lite`]) or the office's PostgreSQL server
//! ([`Db::Server`]). Both implement [`Sql`], which every store function
//! moves onto; nothing above `store` sees which one it is.
//!
//! Until every store module is on [`Sql`], the rest still reach rusqlite's
//! connection through `Deref`, which a server connection cannot give: that
//! path is only reachable through [`Store::open_server`](super::Store::open_server),
//! which no command or window calls yet (the tests of the moved modules do).

use std::ops::Deref;

use rusqlite::Connection;

use super::pg::{PgConn, PgWrite};
use super::sql::{Dialect, Row, Sql, SqlError, Value};

/// A store's connection.
pub(super) enum Db {
    Lite(Connection),
    Server(PgConn),
}

/// Says which store function is not on the server yet (a test's failure, not a clerk's).
fn not_on_server() -> ! {
    panic!("issue 21: this store function still speaks rusqlite and cannot run on the server")
}

impl Deref for Db {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Db::Lite(conn) => conn,
            Db::Server(_) => not_on_server(),
        }
    }
}

impl std::ops::DerefMut for Db {
    fn deref_mut(&mut self) -> &mut Connection {
        match self {
            Db::Lite(conn) => conn,
            Db::Server(_) => not_on_server(),
        }
    }
}

impl Db {
    fn sql(&self) -> &dyn Sql {
        match self {
            Db::Lite(conn) => conn,
            Db::Server(conn) => conn,
        }
    }
}

impl Sql for Db {
    fn dialect(&self) -> Dialect {
        self.sql().dialect()
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, SqlError> {
        self.sql().execute(sql, params)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, SqlError> {
        self.sql().query(sql, params)
    }

    fn batch(&self, sql: &str) -> Result<(), SqlError> {
        self.sql().batch(sql)
    }
}

/// A write's own transaction, its share of a bulk load's, or a server
/// transaction holding the office's write lock.
pub(super) enum Tx<'a> {
    Own(rusqlite::Transaction<'a>),
    Joined(&'a Connection),
    Server(PgWrite<'a>),
}

impl Deref for Tx<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Tx::Own(tx) => tx,
            Tx::Joined(conn) => conn,
            Tx::Server(_) => not_on_server(),
        }
    }
}

impl Tx<'_> {
    fn sql(&self) -> &dyn Sql {
        match self {
            Tx::Own(tx) => &**tx,
            Tx::Joined(conn) => *conn,
            Tx::Server(write) => &**write,
        }
    }

    /// Commits the transaction (a bulk load's share commits with the load).
    pub(super) fn commit(self) -> Result<(), SqlError> {
        match self {
            Tx::Own(tx) => Ok(tx.commit()?),
            Tx::Joined(_) => Ok(()),
            Tx::Server(write) => write.commit(),
        }
    }
}

impl Sql for Tx<'_> {
    fn dialect(&self) -> Dialect {
        self.sql().dialect()
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, SqlError> {
        self.sql().execute(sql, params)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, SqlError> {
        self.sql().query(sql, params)
    }

    fn batch(&self, sql: &str) -> Result<(), SqlError> {
        self.sql().batch(sql)
    }
}
