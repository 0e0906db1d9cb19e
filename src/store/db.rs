//! The connection a [`Store`](super::Store) holds and the transaction a
//! [`WriteTx`](super::WriteTx) writes through, on either backend (issue 21):
//! an SQLite file ([`Db::Lite`]) or the office's PostgreSQL server
//! ([`Db::Server`]). Both implement [`Sql`], which every store function
//! is written on; nothing above `store` sees which one it is. What only a
//! file has (PRAGMAs, the backup API, a bulk load) matches on [`Db::Lite`]
//! and tells a server so (`Store::lite`): there is no way to reach
//! rusqlite's connection of a server, so no store function can panic there.

use rusqlite::Connection;

use super::pg::{PgConn, PgWrite};
use super::sql::{Dialect, Row, Sql, SqlError, Value, Values};

/// A store's connection.
pub(super) enum Db {
    Lite(Connection),
    // Boxed: its statement cache makes it three times the size of an SQLite connection.
    Server(Box<PgConn>),
}

impl Db {
    fn sql(&self) -> &dyn Sql {
        match self {
            Db::Lite(conn) => conn,
            Db::Server(conn) => &**conn,
        }
    }
}

/// `Sql` for a type whose `sql()` names the connection or transaction it
/// holds: every statement goes to that one.
macro_rules! sql_through_inner {
    ($ty:ty) => {
        impl Sql for $ty {
            fn dialect(&self) -> Dialect {
                self.sql().dialect()
            }

            fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, SqlError> {
                self.sql().execute(sql, params)
            }

            fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Values>, SqlError> {
                self.sql().query(sql, params)
            }

            fn query_each(
                &self,
                sql: &str,
                params: &[Value],
                each: &mut dyn FnMut(&Row<'_>) -> Result<bool, SqlError>,
            ) -> Result<(), SqlError> {
                self.sql().query_each(sql, params, each)
            }

            fn batch(&self, sql: &str) -> Result<(), SqlError> {
                self.sql().batch(sql)
            }
        }
    };
}

sql_through_inner!(Db);

/// A write's own transaction, its share of a bulk load's, or a server
/// transaction holding the office's write lock.
pub(super) enum Tx<'a> {
    Own(rusqlite::Transaction<'a>),
    Joined(&'a Connection),
    Server(PgWrite<'a>),
}

impl Tx<'_> {
    fn sql(&self) -> &dyn Sql {
        match self {
            Tx::Own(tx) => &**tx,
            Tx::Joined(conn) => *conn,
            Tx::Server(write) => &**write,
        }
    }

    /// The server connection a server's write goes through (`None` in a
    /// file): for what only a server has, a copy's `COPY` streams.
    pub(super) fn server(&self) -> Option<&PgConn> {
        match self {
            Tx::Server(write) => Some(&**write),
            Tx::Own(_) | Tx::Joined(_) => None,
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

sql_through_inner!(Tx<'_>);
