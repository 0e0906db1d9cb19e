//! `sign_in_failures` (migration 20): each wrong password or unknown login,
//! with the PC it came from, appended with its history row so that a
//! manager sees it in 变更记录; read back per login for the wait after
//! five of them (`domain::sign_in_locked_until`). The first module on the
//! shared query layer (`store/sql.rs`, issue 21): its statements run on
//! either backend.

use chrono::NaiveDateTime;

use super::sql::Sql;
use super::stamp::Stamp;
use super::{Result, Store, StoreError, WriteTx};
use crate::domain::{Action, Change, Entity};

impl Store {
    /// The failed sign-ins of `login` after `since`, oldest first.
    pub fn sign_in_failures_since(&self, login: &str, since: NaiveDateTime) -> Result<Vec<NaiveDateTime>> {
        let rows = self.conn.query(
            "SELECT at FROM sign_in_failures WHERE login = ?1 AND at > ?2 ORDER BY at",
            &[login.into(), Stamp(since).into()],
        )?;
        rows.iter().map(|row| Ok(Stamp::read(&row[0])?.0)).collect()
    }
}

impl WriteTx<'_> {
    /// Records a failed sign-in of `login` from the PC `host`, at the
    /// audit's time, with its history row (who: the login as typed; why:
    /// `reason`, e.g. tried while the login had to wait).
    pub fn record_sign_in_failure(&mut self, login: &str, host: &str, reason: Option<&str>) -> Result<i64> {
        let inserted = self.tx.query(
            "INSERT INTO sign_in_failures (login, at, host) VALUES (?1, ?2, ?3) RETURNING id",
            &[login.into(), Stamp(self.audit.at).into(), host.into()],
        )?;
        let id = inserted.first().and_then(|row| row[0].as_i64()).ok_or(StoreError::NotFound)?;
        let changes = [
            Change { field: "login".into(), old: String::new(), new: login.into() },
            Change { field: "host".into(), old: String::new(), new: host.into() },
        ];
        self.record(Entity::SignIn, id, Action::SignInFailed, &changes, reason)?;
        Ok(id)
    }
}
