//! `sign_in_failures` (migration 20): each wrong password or unknown login,
//! with the PC it came from, appended with its history row so that a
//! manager sees it in 变更记录; read back per login for the wait after
//! five of them (`domain::sign_in_locked_until`).

use chrono::NaiveDateTime;
use rusqlite::params;

use super::stamp::Stamp;
use super::{Result, Store, WriteTx};
use crate::domain::{Action, Change, Entity};

impl Store {
    /// The failed sign-ins of `login` after `since`, oldest first.
    pub fn sign_in_failures_since(&self, login: &str, since: NaiveDateTime) -> Result<Vec<NaiveDateTime>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT at FROM sign_in_failures WHERE login = ?1 AND at > ?2 ORDER BY at")?;
        let rows = stmt.query_map(params![login, Stamp(since)], |r| r.get::<_, Stamp>(0).map(|s| s.0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

impl WriteTx<'_> {
    /// Records a failed sign-in of `login` from the PC `host`, at the
    /// audit's time, with its history row (who: the login as typed; why:
    /// `reason`, e.g. tried while the login had to wait).
    pub fn record_sign_in_failure(&mut self, login: &str, host: &str, reason: Option<&str>) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO sign_in_failures (login, at, host) VALUES (?1, ?2, ?3)")?
            .execute(params![login, Stamp(self.audit.at), host])?;
        let id = self.tx.last_insert_rowid();
        let changes = [
            Change { field: "login".into(), old: String::new(), new: login.into() },
            Change { field: "host".into(), old: String::new(), new: host.into() },
        ];
        self.record(Entity::SignIn, id, Action::SignInFailed, &changes, reason)?;
        Ok(id)
    }
}
