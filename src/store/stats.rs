//! The facts a period's figures are computed from (`domain::stats`): one
//! row per register row received, per refusal, per agreement in force,
//! per complaint. Each query reads by an indexed date column (checked by
//! `EXPLAIN QUERY PLAN` in the tests). Runs on either backend through
//! the shared `Sql` layer (issue 21). Must not: compute a figure.

use super::revisits::{SELECT_COMPLAINT, complaint_from_row};
use super::sql::{Dialect, Row, Sql, SqlError, SqlExt, Value};
use super::stamp::Stamp;
use super::{Result, Store};
use crate::domain::stats::{AgreementFact, RefusalFact, RequestFact};
use crate::domain::{
    AgreementStatus, Complaint, Desk, Money, RegisterKind, RepairTimes, RequestId, RequestStatus, RunningNo,
    Urgency,
};
use crate::sql_params;
use chrono::{NaiveDate, NaiveDateTime};

/// Every register's code, so that the planner seeks `requests_kind_received`
/// once per register instead of scanning the table.
pub(super) fn all_kinds_sql() -> String {
    RegisterKind::ALL.iter().map(|k| format!("'{}'", k.code())).collect::<Vec<_>>().join(", ")
}

/// When a register row `r`'s work was finished, as the figures and the
/// revisit plan count it — the one definition: its finish time; a row
/// imported as 已完成 / 已签单 / 已结算 from a paper register has none, so its
/// sign-off, else its appointment (docs/IMPORT.md). `NULL`: not finished.
pub(super) const FINISHED_AT: &str = "COALESCE(r.finished_at, CASE WHEN r.status IN ('done', 'signed_off', \
     'settled') THEN COALESCE(r.signed_off_at, r.appointment) END)";

fn request_fact_sql() -> String {
    format!(
        "SELECT r.id, r.kind, r.desk, r.service, r.status, r.received_at, {FINISHED_AT},
            CASE WHEN r.price_agreed <> 0 THEN r.price_fen END, r.collected_fen, r.assigned_staff_id, s.name,
            r.urgency, r.appointment, r.arrived_at,
            (SELECT count(*) FROM job_steps j WHERE j.request_id = r.id AND j.kind = 'reschedule'),
            (SELECT count(*) FROM job_steps j WHERE j.request_id = r.id AND j.kind = 'not_home'),
            r.year, r.seq, r.room
         FROM requests r LEFT JOIN staff s ON s.id = r.assigned_staff_id
         WHERE r.kind IN ({}) AND r.received_at >= ?1 AND r.received_at < ?2
         ORDER BY r.received_at, r.id",
        all_kinds_sql()
    )
}

/// A row as read, with its appointment kept until its repair clock is known.
fn request_fact(r: &Row) -> Result<(RequestFact, NaiveDateTime), SqlError> {
    let kind = RegisterKind::from_code(&r.get::<String>(1)?).unwrap_or(RegisterKind::Housekeeping);
    let money = |col: usize| -> Result<Option<Money>, SqlError> {
        Ok(r.get::<Option<i64>>(col)?.and_then(Money::from_fen))
    };
    let staff: Option<i64> = r.get(9)?;
    let fact = RequestFact {
        id: r.get(0)?,
        no: RunningNo { kind, year: r.get(16)?, seq: r.get(17)? },
        room: r.get(18)?,
        kind,
        desk: Desk::from_code(&r.get::<String>(2)?).unwrap_or(kind.owner()),
        service: r.get(3)?,
        status: RequestStatus::from_code(&r.get::<String>(4)?).unwrap_or(RequestStatus::Registered),
        received_at: r.get(5)?,
        finished_at: r.get(6)?,
        agreed: money(7)?,
        collected: money(8)?,
        staff: staff.map(|id| (id, r.get::<Option<String>>(10).ok().flatten().unwrap_or_default())),
        urgency: r.get::<Option<String>>(11)?.and_then(|c| Urgency::from_code(&c)),
        repair_times: RepairTimes { arrived_at: r.get(13)?, ..RepairTimes::default() },
        reschedules: r.get(14)?,
        not_home: r.get(15)?,
    };
    Ok((fact, r.get(12)?))
}

impl Store {
    /// Register rows received in `[from, to)`, each with its reschedules,
    /// not-home visits and (repair rows) its SLA clock.
    pub fn request_facts(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<RequestFact>> {
        let rows =
            self.conn.fetch_all(&request_fact_sql(), &sql_params![Stamp(from), Stamp(to)], request_fact)?;
        let repair_ids: Vec<RequestId> =
            rows.iter().filter(|(f, _)| f.urgency.is_some()).map(|(f, _)| f.id).collect();
        let mut clocks = self.repair_clocks(&repair_ids)?;
        Ok(rows
            .into_iter()
            .map(|(mut fact, appointment)| {
                if fact.urgency.is_some() {
                    let clock = clocks.remove(&fact.id).unwrap_or_default();
                    fact.repair_times =
                        clock.times(appointment, fact.repair_times.arrived_at, fact.finished_at);
                }
                fact
            })
            .collect())
    }

    /// Refusals recorded in `[from, to)` (R-IN-1).
    pub fn refusal_facts(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<RefusalFact>> {
        Ok(self.conn.fetch_all(
            "SELECT desk, reason FROM refusals WHERE at >= ?1 AND at < ?2 ORDER BY at, id",
            &sql_params![Stamp(from), Stamp(to)],
            |r| {
                Ok(RefusalFact {
                    desk: Desk::from_code(&r.get::<String>(0)?).unwrap_or(Desk::CsCenter),
                    reason: r.get(1)?,
                })
            },
        )?)
    }

    /// Signed agreements whose term overlaps the days `[from, to)` or that
    /// were signed before `to` for a term starting later: every one signed,
    /// in force, ended or terminated in the period is among them (an
    /// agreement signed in the period ends after it was signed, so
    /// `term_end >= from` keeps the status index's range).
    pub fn agreement_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AgreementFact>> {
        Ok(self.conn.fetch_all(
            "SELECT status, signed_on, term_start, term_end, stop_on, room FROM agreements
             WHERE status IN ('signed', 'active', 'ended', 'terminated') AND term_end >= ?1
               AND (term_start < ?2 OR signed_on < ?2)
             ORDER BY id",
            &sql_params![from, to],
            |r| {
                Ok(AgreementFact {
                    status: AgreementStatus::from_code(&r.get::<String>(0)?)
                        .unwrap_or(AgreementStatus::Signed),
                    signed_on: r.get(1)?,
                    term_start: r.get(2)?,
                    term_end: r.get(3)?,
                    stop_on: r.get(4)?,
                    room: r.get(5)?,
                })
            },
        )?)
    }

    /// Complaints made in `[from, to)`, oldest first.
    pub fn complaints_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Complaint>> {
        let sql = format!("{SELECT_COMPLAINT} WHERE c.at >= ?1 AND c.at < ?2 ORDER BY c.at, c.id");
        Ok(self.conn.fetch_all(&sql, &sql_params![Stamp(from), Stamp(to)], complaint_from_row)?)
    }

    /// The query plans of the period's fact queries, for the tests that
    /// keep them on their indexes.
    #[doc(hidden)]
    pub fn stats_query_plans(&self) -> Result<Vec<String>> {
        let queries = [
            request_fact_sql(),
            "SELECT desk, reason FROM refusals WHERE at >= ?1 AND at < ?2 ORDER BY at, id".to_string(),
            "SELECT status FROM agreements WHERE status IN ('signed', 'active', 'ended', 'terminated')
             AND term_end >= ?1 AND (term_start < ?2 OR signed_on < ?2)"
                .to_string(),
            format!("{SELECT_COMPLAINT} WHERE c.at >= ?1 AND c.at < ?2 ORDER BY c.at, c.id"),
        ];
        let mut plans = Vec::new();
        for sql in queries {
            plans.push(query_plan(&self.conn, &sql, &["".into(), "".into()])?.join(" | "));
        }
        Ok(plans)
    }
}

/// The steps of the plan `sql` runs by, for the tests that keep a query on
/// its index: SQLite's `EXPLAIN QUERY PLAN` details, the server's `EXPLAIN` lines.
pub(super) fn query_plan(conn: &dyn Sql, sql: &str, params: &[Value]) -> Result<Vec<String>, SqlError> {
    let (explain, column) = match conn.dialect() {
        Dialect::Sqlite => ("EXPLAIN QUERY PLAN", 3),
        Dialect::Postgres => ("EXPLAIN", 0),
    };
    conn.fetch_all(&format!("{explain} {sql}"), params, |r| r.get(column))
}
