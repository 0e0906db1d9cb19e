//! The steps of a job after intake (`job_steps`, migration 4): each step is
//! its own row — so a job's whole path can be shown and counted per staff
//! member — and it moves the register row along, with history (R-FU-6).
//! On the shared query layer (`store/sql.rs`): every statement runs on
//! SQLite and PostgreSQL alike.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::sql::{Row, Sql, SqlError, SqlExt, Value};
use super::stamp::{Stamp, minute_text};
use super::{Result, Store, WriteTx};
use crate::domain::history::diff;
use crate::domain::{
    Action, AskedBy, DispatchChannel, Entity, JobStep, Opinion, RegisterKind, Request, RequestId,
    RequestStatus, RoundCopy, ServiceRecord, StaffId, StepKind, StepRecord,
};
use crate::sql_params;

/// The row's fields a step changes, for its history row.
fn progress_fields(r: &Request) -> Vec<(&'static str, String)> {
    let time = |t: Option<NaiveDateTime>| t.map(minute_text).unwrap_or_default();
    vec![
        ("status", r.status.code().to_string()),
        ("assigned_staff", r.assigned_staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default()),
        ("appointment", minute_text(r.appointment)),
        (
            "signed_off",
            r.signed_off.as_ref().map(|(by, at)| format!("{by} {}", minute_text(*at))).unwrap_or_default(),
        ),
        ("collected", r.collected.as_ref().map(|(m, by)| format!("{m} {by}")).unwrap_or_default()),
        ("settled_at", time(r.settled_at)),
        ("arrived_at", time(r.arrived_at)),
        ("finished_at", time(r.finished_at)),
        ("follow_up", r.follow_up.clone().unwrap_or_default()),
    ]
}

/// The register row after `step`: who holds it, when, signed, paid, settled.
fn after_step(old: &Request, step: &JobStep<'_>, to: RequestStatus, at: NaiveDateTime) -> Request {
    let mut new = Request { status: to, ..old.clone() };
    match step {
        JobStep::Dispatch { staff, .. } | JobStep::Transfer { to: staff, .. } => {
            new.assigned_staff = Some((staff.id, staff.name.clone()));
        }
        JobStep::Return { .. } => new.assigned_staff = None,
        JobStep::Reschedule { new_time, .. } => new.appointment = *new_time,
        JobStep::Collect { amount, collector, .. } => new.collected = Some((*amount, collector.name.clone())),
        JobStep::SignOff { signer, .. } => new.signed_off = Some((signer.name.clone(), at)),
        JobStep::Settle { .. } => new.settled_at = Some(at),
        JobStep::Arrive { at } => new.arrived_at = new.arrived_at.or(Some(*at)),
        JobStep::Done { record } => {
            new.arrived_at = new.arrived_at.or(Some(record.arrived_at));
            new.finished_at = Some(record.finished_at);
        }
        JobStep::FollowUp { note } => new.follow_up = Some(note.trim().to_string()),
        JobStep::Cancel { .. }
        | JobStep::NotHome { .. }
        | JobStep::SpotCheck { .. }
        | JobStep::Hazard { .. } => {}
    }
    new
}

/// The free-text reason a step carries, kept with its history row too.
fn step_reason(step: &JobStep<'_>) -> Option<String> {
    match step {
        JobStep::Transfer { reason, .. }
        | JobStep::Return { reason }
        | JobStep::Reschedule { reason, .. }
        | JobStep::Cancel { reason, .. } => Some(reason.trim().to_string()),
        // R-FEE-1: why the amount differs from the agreed price, when it does.
        JobStep::Collect { reason, .. } if !reason.trim().is_empty() => Some(reason.trim().to_string()),
        JobStep::NotHome { slip_no } => Some(slip_no.trim().to_string()),
        JobStep::FollowUp { note } | JobStep::SpotCheck { note, .. } => Some(note.trim().to_string()),
        JobStep::Hazard { description, .. } => Some(description.trim().to_string()),
        _ => None,
    }
}

pub(super) fn asked_by_code(asked_by: AskedBy) -> &'static str {
    match asked_by {
        AskedBy::Staff => "staff",
        AskedBy::Resident => "resident",
    }
}

impl Store {
    /// A job's steps, oldest first.
    pub fn job_steps(&self, request: RequestId) -> Result<Vec<StepRecord>> {
        let status = |r: &Row, i: usize| -> Result<RequestStatus, SqlError> {
            Ok(RequestStatus::from_code(&r.get::<String>(i)?).unwrap_or(RequestStatus::Registered))
        };
        Ok(self.conn.fetch_all(
            "SELECT j.at, j.by_name, j.kind, s.name, j.reason, j.from_status, j.to_status
             FROM job_steps j LEFT JOIN staff s ON s.id = j.staff_id
             WHERE j.request_id = ?1 ORDER BY j.id",
            &sql_params![request],
            |r| {
                Ok(StepRecord {
                    at: r.get(0)?,
                    by: r.get(1)?,
                    kind: StepKind::from_code(&r.get::<String>(2)?).unwrap_or(StepKind::Dispatch),
                    staff: r.get(3)?,
                    reason: r.get(4)?,
                    from: status(r, 5)?,
                    to: status(r, 6)?,
                })
            },
        )?)
    }

    /// The jobs of `kind` copied at the round `round_at` (R-DSP-1/2), as
    /// their dispatch steps tell it: the round's day is the step's, its time
    /// the step's `round_at`. A job copied twice at the round counts once,
    /// as last copied. In the order they were copied.
    pub fn round_copies(&self, kind: RegisterKind, round_at: NaiveDateTime) -> Result<Vec<RoundCopy>> {
        let day = round_at.date();
        let start = day.and_hms_opt(0, 0, 0).unwrap_or(round_at);
        let end = day.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(round_at);
        // On `job_steps_kind_at`; the appointment then is the first
        // reschedule's old time after the dispatch (`job_steps_request_kind`).
        let time = round_at.format("%H:%M").to_string();
        let rows = self.conn.fetch_all(
            "SELECT j.request_id, j.staff_id, s.name,
                (SELECT m.old_time FROM job_steps m WHERE m.request_id = j.request_id
                    AND m.kind = 'reschedule' AND m.id > j.id ORDER BY m.id LIMIT 1)
             FROM job_steps j JOIN requests r ON r.id = j.request_id JOIN staff s ON s.id = j.staff_id
             WHERE j.kind = 'dispatch' AND j.at >= ?1 AND j.at < ?2 AND j.round_at = ?3 AND r.kind = ?4
             ORDER BY j.id",
            &sql_params![Stamp(start), Stamp(end), time, kind.code()],
            |r| {
                Ok(RoundCopy {
                    request: r.get(0)?,
                    staff: (r.get(1)?, r.get(2)?),
                    appointment_then: r.get::<Option<Stamp>>(3)?.map(|s| s.0),
                })
            },
        )?;
        let mut copies: Vec<RoundCopy> = Vec::new();
        for copy in rows {
            copies.retain(|c| c.request != copy.request);
            copies.push(copy);
        }
        Ok(copies)
    }

    /// The signed service record (R-EX-1) of each of `requests` that has one.
    pub fn service_records(&self, requests: &[RequestId]) -> Result<HashMap<RequestId, ServiceRecord>> {
        let mut records = HashMap::new();
        if requests.is_empty() {
            return Ok(records);
        }
        let list = requests.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",");
        let rows = self.conn.fetch_all(
            &format!(
                "SELECT request_id, arrived_at, finished_at, work_done, opinion, comment FROM job_steps
                 WHERE kind = 'done' AND request_id IN ({list}) ORDER BY id"
            ),
            &[],
            |r| {
                let record = ServiceRecord {
                    arrived_at: r.get(1)?,
                    finished_at: r.get(2)?,
                    work_done: r.get::<Option<String>>(3)?.unwrap_or_default(),
                    resident_signed: true,
                    opinion: r.get::<Option<String>>(4)?.and_then(|c| Opinion::from_code(&c)),
                    comment: r.get::<Option<String>>(5)?.unwrap_or_default(),
                };
                Ok((r.get::<RequestId>(0)?, record))
            },
        )?;
        records.extend(rows);
        Ok(records)
    }
}

/// A progress column: its name, whether a step changed it, its value in a row.
type ProgressColumn = (&'static str, bool, fn(&Request) -> Value);

/// The progress columns `new` changed, each with its new value (made only
/// for a column that changed: most steps change the status alone).
fn changed_progress(old: &Request, new: &Request) -> Vec<(&'static str, Value)> {
    fn staff(r: &Request) -> Option<StaffId> {
        r.assigned_staff.as_ref().map(|(id, _)| *id)
    }
    fn signed_by(r: &Request) -> Option<&str> {
        r.signed_off.as_ref().map(|(by, _)| by.as_str())
    }
    fn signed_at(r: &Request) -> Option<NaiveDateTime> {
        r.signed_off.as_ref().map(|(_, at)| *at)
    }
    fn fen(r: &Request) -> Option<i64> {
        r.collected.as_ref().map(|(m, _)| m.fen())
    }
    fn collected_by(r: &Request) -> Option<&str> {
        r.collected.as_ref().map(|(_, by)| by.as_str())
    }
    let columns: [ProgressColumn; 11] = [
        ("status", old.status != new.status, |r| r.status.code().into()),
        ("assigned_staff_id", staff(old) != staff(new), |r| staff(r).into()),
        ("appointment", old.appointment != new.appointment, |r| Stamp(r.appointment).into()),
        ("signed_off_by", signed_by(old) != signed_by(new), |r| signed_by(r).into()),
        ("signed_off_at", signed_at(old) != signed_at(new), |r| signed_at(r).map(Stamp).into()),
        ("collected_fen", fen(old) != fen(new), |r| fen(r).into()),
        ("collected_by", collected_by(old) != collected_by(new), |r| collected_by(r).into()),
        ("settled_at", old.settled_at != new.settled_at, |r| r.settled_at.map(Stamp).into()),
        ("arrived_at", old.arrived_at != new.arrived_at, |r| r.arrived_at.map(Stamp).into()),
        ("finished_at", old.finished_at != new.finished_at, |r| r.finished_at.map(Stamp).into()),
        ("follow_up", old.follow_up != new.follow_up, |r| r.follow_up.as_deref().into()),
    ];
    columns
        .into_iter()
        .filter(|(_, changed, _)| *changed)
        .map(|(column, _, value)| (column, value(new)))
        .collect()
}

/// Who copied the job at its last round dispatch, if it was copied (R-EX-3).
fn job_copier(conn: &dyn Sql, request: RequestId) -> Result<Option<StaffId>> {
    Ok(conn
        .fetch_opt(
            "SELECT coalesce(copier_id, staff_id) FROM job_steps WHERE request_id = ?1 AND kind = 'dispatch'
             AND round_at IS NOT NULL ORDER BY id DESC LIMIT 1",
            &sql_params![request],
            |r| r.get::<Option<StaffId>>(0),
        )?
        .flatten())
}

/// When the job was last dispatched: an arrival or a finish cannot come
/// before it (a job sent again after a return starts over).
fn job_dispatched_at(conn: &dyn Sql, request: RequestId) -> Result<Option<NaiveDateTime>> {
    Ok(conn.fetch_opt(
        "SELECT at FROM job_steps WHERE request_id = ?1 AND kind = 'dispatch' ORDER BY id DESC LIMIT 1",
        &sql_params![request],
        |r| r.get(0),
    )?)
}

impl WriteTx<'_> {
    /// [`job_dispatched_at`] under the write lock.
    pub fn job_dispatched_at(&mut self, request: RequestId) -> Result<Option<NaiveDateTime>> {
        job_dispatched_at(&self.tx, request)
    }

    /// [`job_copier`] under the write lock.
    pub fn job_copier(&mut self, request: RequestId) -> Result<Option<StaffId>> {
        job_copier(&self.tx, request)
    }

    /// Writes the progress columns a step changed, and only those: SQLite
    /// updates every index on a column the statement sets, changed or not
    /// (five of them when all eleven were set), and most steps change the
    /// status alone.
    fn update_progress(&mut self, old: &Request, new: &Request) -> Result<()> {
        let changed = changed_progress(old, new);
        if changed.is_empty() {
            return Ok(());
        }
        let set: Vec<String> =
            changed.iter().enumerate().map(|(i, (column, _))| format!("{column} = ?{}", i + 2)).collect();
        let sql = format!("UPDATE requests SET {} WHERE id = ?1", set.join(", "));
        let mut values = vec![Value::Int(old.id)];
        values.extend(changed.into_iter().map(|(_, value)| value));
        self.tx.execute(&sql, &values)?;
        Ok(())
    }

    /// Records `step` (already checked by `domain::check_step`) and moves the
    /// row to `to`; the history row keeps the old and new values and the
    /// reason. Returns the row as it now stands.
    pub fn record_step(&mut self, old: &Request, step: &JobStep<'_>, to: RequestStatus) -> Result<Request> {
        let at = self.audit.at;
        self.insert_step_row(old, step, to)?;
        let new = after_step(old, step, to, at);
        self.update_progress(old, &new)?;
        let changes = diff(&progress_fields(old), &progress_fields(&new));
        self.record(Entity::Request, old.id, Action::Update, &changes, step_reason(step).as_deref())?;
        Ok(new)
    }

    fn insert_step_row(&mut self, old: &Request, step: &JobStep<'_>, to: RequestStatus) -> Result<()> {
        let (round_at, copier) = match step {
            JobStep::Dispatch { channel: DispatchChannel::Round { at, copier }, .. } => {
                (Some(at.format("%H:%M").to_string()), Some(copier.id))
            }
            _ => (None, None),
        };
        let (asked_by, apologised, new_time, told) = match step {
            JobStep::Reschedule { asked_by, apologised, new_time, staff_told_at, .. } => {
                (Some(asked_by_code(*asked_by)), Some(*apologised), Some(*new_time), *staff_told_at)
            }
            JobStep::Cancel { staff_told_at, .. } => (None, None, None, *staff_told_at),
            _ => (None, None, None, None),
        };
        let told_resident = match step {
            JobStep::Hazard { told_resident, .. } => Some(*told_resident),
            _ => None,
        };
        let record = match step {
            JobStep::Done { record } => Some(record),
            _ => None,
        };
        let arrived_at = match step {
            JobStep::Arrive { at } => Some(*at),
            _ => record.map(|r| r.arrived_at),
        };
        let amount = match step {
            JobStep::Collect { amount, .. } => Some(amount.fen()),
            _ => None,
        };
        let slip_no = match step {
            JobStep::NotHome { slip_no } => Some(slip_no.trim()),
            _ => None,
        };
        self.tx.execute(
            "INSERT INTO job_steps (request_id, at, by_id, by_name, kind, staff_id, round_at, reason,
                    apologised, old_time, new_time, staff_told_at, slip_no, arrived_at, finished_at,
                    work_done, opinion, comment, amount_fen, from_status, to_status, asked_by, told_resident,
                    copier_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                    ?19, ?20, ?21, ?22, ?23, ?24)",
            &sql_params![
                old.id,
                Stamp(self.audit.at),
                self.audit.user_id,
                self.audit.user_name,
                step.kind().code(),
                step.staff().map(|s| s.id),
                round_at,
                step_reason(step),
                apologised,
                new_time.map(|_| Stamp(old.appointment)),
                new_time.map(Stamp),
                told.map(Stamp),
                slip_no,
                arrived_at.map(Stamp),
                record.map(|r| Stamp(r.finished_at)),
                record.map(|r| r.work_done.as_str()),
                record.and_then(|r| r.opinion).map(|o| o.code()),
                record.map(|r| r.comment.as_str()),
                amount,
                old.status.code(),
                to.code(),
                asked_by,
                told_resident,
                copier,
            ],
        )?;
        Ok(())
    }
}
