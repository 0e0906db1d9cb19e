//! Follow-up and money records (migration 5): the office's reason list,
//! message slips and their stubs (R-FU-3), day-end review answers (R-FU-4),
//! morning repair handovers (R-FU-5), finance's cash receipts (R-FEE-2), and
//! the reads the board needs: resident-asked pauses of the repair clock
//! (R-SLA-1), hazards (R-SLA-3) and the day's collections. On the shared
//! query layer (`store/sql.rs`): the slip numbers stay gap-free on the
//! server as on SQLite because a write holds the office's lock (`WriteTx`).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::sql::{Dialect, Row, Sql, SqlError, SqlExt, ids_in_json, json_ids};
use super::{Result, Store, WriteTx};
use crate::domain::history::diff;
use crate::domain::{
    Action, CashReceipt, Collection, Desk, Entity, HazardReport, Money, Pause, ReasonKind, RegisterKind,
    RepairHandover, RepairTimes, RequestId, RequestStatus, ReviewAnswer, ReviewRecord, RunningNo, SlipNo,
    SlipRecord, StaffId, StepReason,
};
use crate::sql_params;

/// A repair row's clock as its steps tell it (see [`Store::repair_clocks`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairClock {
    /// The appointment agreed at intake, when it was later changed.
    pub booked_at: Option<NaiveDateTime>,
    pub pauses: Vec<Pause>,
}

impl RepairClock {
    /// The row's times for the SLA clock (R-SLA-1/2): the clock starts at
    /// the appointment first agreed, before any reschedule.
    pub fn times(
        self,
        appointment: NaiveDateTime,
        arrived_at: Option<NaiveDateTime>,
        finished_at: Option<NaiveDateTime>,
    ) -> RepairTimes {
        RepairTimes {
            booked_at: Some(self.booked_at.unwrap_or(appointment)),
            arrived_at,
            finished_at,
            pauses: self.pauses,
        }
    }
}

/// What a new slip carries; empty for a blank slip staff take with them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlipDraft {
    pub request: Option<RequestId>,
    pub room: String,
    pub visit_at: Option<NaiveDateTime>,
    pub service: String,
    pub staff: String,
}

const SELECT_SLIP: &str = "SELECT year, seq, issued_at, issued_by, request_id, room, visit_at, service,
     staff_name, stub_returned_at, stub_received_by, posted_at FROM message_slips";

fn slip_from_row(r: &Row) -> Result<SlipRecord, SqlError> {
    let returned_at: Option<NaiveDateTime> = r.get(9)?;
    let returned_to: Option<String> = r.get(10)?;
    Ok(SlipRecord {
        no: SlipNo { year: r.get(0)?, seq: r.get(1)? },
        issued_at: r.get(2)?,
        issued_by: r.get(3)?,
        request: r.get(4)?,
        room: r.get(5)?,
        visit_at: r.get(6)?,
        service: r.get(7)?,
        staff: r.get(8)?,
        posted_at: r.get(11)?,
        stub_returned: returned_at.zip(returned_to),
    })
}

fn review_from_row(r: &Row) -> Result<ReviewRecord, SqlError> {
    Ok(ReviewRecord {
        answer: ReviewAnswer {
            request: r.get(0)?,
            reason: r.get(1)?,
            expected_at: r.get(2)?,
            handling: r.get(3)?,
        },
        day: r.get(4)?,
        by: r.get(5)?,
        at: r.get(6)?,
    })
}

fn slip_fields(s: &SlipRecord) -> Vec<(&'static str, String)> {
    let time =
        |t: Option<NaiveDateTime>| t.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    vec![
        ("no", s.no.to_string()),
        ("request", s.request.map(|id| id.to_string()).unwrap_or_default()),
        ("room", s.room.clone()),
        ("visit_at", time(s.visit_at)),
        ("service", s.service.clone()),
        ("staff", s.staff.clone()),
        ("posted_at", time(s.posted_at)),
        (
            "stub_returned",
            s.stub_returned
                .as_ref()
                .map(|(at, by)| format!("{} {by}", at.format("%Y-%m-%d %H:%M")))
                .unwrap_or_default(),
        ),
    ]
}

impl Store {
    /// The office's reasons of `kind`, active first, in the order added.
    pub fn list_step_reasons(&self, kind: ReasonKind) -> Result<Vec<StepReason>> {
        Ok(self.conn.fetch_all(
            "SELECT id, text, active FROM step_reasons WHERE kind = ?1 ORDER BY active DESC, id",
            &sql_params![kind.code()],
            |r| Ok(StepReason { id: r.get(0)?, kind, text: r.get(1)?, active: r.get(2)? }),
        )?)
    }

    /// A slip by number.
    pub fn get_slip(&self, no: SlipNo) -> Result<Option<SlipRecord>> {
        slip(&self.conn, no)
    }

    /// The slips posted for a job, oldest first.
    pub fn slips_for_request(&self, request: RequestId) -> Result<Vec<SlipRecord>> {
        Ok(self.conn.fetch_all(
            &format!("{SELECT_SLIP} WHERE request_id = ?1 ORDER BY id"),
            &sql_params![request],
            slip_from_row,
        )?)
    }

    /// Slips issued on the days `from ..= to`, in number order.
    pub fn list_slips(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<SlipRecord>> {
        Ok(self.conn.fetch_all(
            &format!("{SELECT_SLIP} WHERE issued_at >= ?1 AND issued_at < ?2 ORDER BY year, seq"),
            &sql_params![day_start(from), day_after(to)],
            slip_from_row,
        )?)
    }

    /// Slips posted on a door whose stub has not come back, oldest first.
    pub fn list_stubs_out(&self) -> Result<Vec<SlipRecord>> {
        Ok(self.conn.fetch_all(
            &format!(
                "{SELECT_SLIP} WHERE posted_at IS NOT NULL AND stub_returned_at IS NULL ORDER BY year, seq"
            ),
            &[],
            slip_from_row,
        )?)
    }

    /// The day-end answers given for `day`.
    pub fn list_day_reviews(&self, day: NaiveDate) -> Result<Vec<ReviewRecord>> {
        Ok(self.conn.fetch_all(
            "SELECT request_id, reason, expected_at, handling, day, by_name, at FROM day_reviews
             WHERE day = ?1 ORDER BY id",
            &sql_params![day],
            review_from_row,
        )?)
    }

    /// The recorded handover of `day`'s repair register, if any.
    pub fn get_repair_handover(&self, day: NaiveDate) -> Result<Option<RepairHandover>> {
        Ok(self.conn.fetch_opt(
            "SELECT day, rows, handed_by, handed_at, received_by FROM repair_handovers WHERE day = ?1",
            &sql_params![day],
            |r| {
                Ok(RepairHandover {
                    day: r.get(0)?,
                    rows: r.get(1)?,
                    handed_by: r.get(2)?,
                    handed_at: r.get(3)?,
                    received_by: r.get(4)?,
                })
            },
        )?)
    }

    /// Every fee collected on the days `from ..= to` (R-FEE-2), oldest first.
    pub fn list_collections(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Collection>> {
        collections(&self.conn, from, to, None)
    }

    /// Finance's receipts for the days `from ..= to`.
    pub fn list_cash_receipts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CashReceipt>> {
        cash_receipts(&self.conn, from, to, None)
    }

    /// What the repair clock needs from the steps of `requests` (R-SLA-1):
    /// the appointment first agreed (before any reschedule), and each wait
    /// the resident asked for — from the call or the old appointment,
    /// whichever is later, until the new time.
    pub fn repair_clocks(&self, requests: &[RequestId]) -> Result<HashMap<RequestId, RepairClock>> {
        let mut clocks: HashMap<RequestId, RepairClock> = HashMap::new();
        if requests.is_empty() {
            return Ok(clocks);
        }
        // The ids as one JSON value, whatever their number: one statement
        // text, prepared once on a server (a list written into the text was
        // a statement of its own, and a round trip more, at every call).
        let rows = self.conn.fetch_all(
            &format!(
                "SELECT request_id, at, old_time, new_time, reason, asked_by FROM job_steps
                 WHERE kind = 'reschedule' AND request_id IN ({}) ORDER BY id",
                ids_in_json(self.conn.dialect(), "?1")
            ),
            &[json_ids(requests.iter().copied())],
            |r| {
                let at: NaiveDateTime = r.get(1)?;
                let old: Option<NaiveDateTime> = r.get(2)?;
                let new: Option<NaiveDateTime> = r.get(3)?;
                let by_resident = r.get::<Option<String>>(5)?.as_deref() == Some("resident");
                let pause = match new {
                    Some(until) if by_resident => Some(Pause {
                        from: old.map_or(at, |old| old.max(at)),
                        until,
                        reason: r.get::<Option<String>>(4)?.unwrap_or_default(),
                    }),
                    _ => None,
                };
                Ok((r.get::<RequestId>(0)?, old, pause))
            },
        )?;
        for (id, old, pause) in rows {
            let clock = clocks.entry(id).or_default();
            clock.booked_at = clock.booked_at.or(old);
            clock.pauses.extend(pause.filter(|p| p.until > p.from));
        }
        Ok(clocks)
    }

    /// Hazards reported on the days `from ..= to` (R-SLA-3), newest first.
    pub fn list_hazards(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<HazardReport>> {
        Ok(self.conn.fetch_all(
            "SELECT j.request_id, r.kind, r.year, r.seq, r.room, j.at, j.by_name, j.reason
             FROM job_steps j JOIN requests r ON r.id = j.request_id
             WHERE j.kind = 'hazard' AND j.at >= ?1 AND j.at < ?2 ORDER BY j.at DESC",
            &sql_params![day_start(from), day_after(to)],
            |r| {
                let kind = RegisterKind::from_code(&r.get::<String>(1)?).unwrap_or(RegisterKind::Repair);
                Ok(HazardReport {
                    request: r.get(0)?,
                    no: RunningNo { kind, year: r.get(2)?, seq: r.get(3)? }.to_string(),
                    room: r.get(4)?,
                    at: r.get(5)?,
                    by: r.get(6)?,
                    description: r.get::<Option<String>>(7)?.unwrap_or_default(),
                })
            },
        )?)
    }

    /// The rows of the 派单 board of `day` at `now` (`domain::on_board`):
    /// open rows of `kinds` booked up to the end of `day` (overdue ones
    /// included), closed rows booked on `day`, and rows taken on `day` —
    /// except that an agreement's visit is never on a board for being
    /// generated that day, nor carried to a later day's board before it is
    /// overdue at `now` (issue 19).
    pub fn board_request_ids(
        &self,
        kinds: &[RegisterKind],
        day: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Vec<RequestId>> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let kinds = sql_list(kinds.iter().map(|k| k.code()));
        let open = sql_list(BOARD_OPEN.iter().map(|s| s.code()));
        let closed =
            sql_list(RequestStatus::ALL.iter().filter(|s| !BOARD_OPEN.contains(s)).map(|s| s.code()));
        // Three parts, each on an index — `(kind, status, appointment)` twice
        // and `(kind, received_at)` — instead of one OR that scans every row;
        // `agreement_id` is read from the rows each index found.
        // Named for the first two on SQLite: left to itself its planner took
        // `(kind, appointment)` and read every row ever booked (2.4 ms a board
        // after one year, growing with the years; 0.06 ms now). PostgreSQL
        // has no index hints; its planner weighs the three by its statistics.
        let requests = match self.conn.dialect() {
            Dialect::Sqlite => "requests INDEXED BY requests_kind_status_appointment",
            Dialect::Postgres => "requests",
        };
        Ok(self.conn.fetch_all(
            &format!(
                "SELECT id, appointment FROM {requests}
                    WHERE kind IN ({kinds}) AND status IN ({open}) AND appointment < ?2
                      AND (agreement_id IS NULL OR appointment >= ?1 OR appointment < ?3)
                 UNION SELECT id, appointment FROM {requests}
                    WHERE kind IN ({kinds}) AND status IN ({closed}) AND appointment >= ?1 AND appointment < ?2
                 UNION SELECT id, appointment FROM requests
                    WHERE kind IN ({kinds}) AND received_at >= ?1 AND received_at < ?2 AND agreement_id IS NULL
                 ORDER BY 2, 1"
            ),
            &sql_params![day_start(day), day_after(day), now],
            |r| r.get(0),
        )?)
    }
}

/// `'a','b'`: the stored codes, for an SQL `IN (…)`.
fn sql_list(codes: impl Iterator<Item = &'static str>) -> String {
    codes.map(|code| format!("'{code}'")).collect::<Vec<_>>().join(",")
}

/// The statuses of a row still on the board whatever its day: not yet
/// signed off or closed.
const BOARD_OPEN: [RequestStatus; 4] =
    [RequestStatus::Registered, RequestStatus::Dispatched, RequestStatus::NotHome, RequestStatus::Done];

/// Every fee collected on the days `from ..= to` (R-FEE-2), by `staff`
/// when named, oldest first.
fn collections(
    conn: &dyn Sql,
    from: NaiveDate,
    to: NaiveDate,
    staff: Option<StaffId>,
) -> Result<Vec<Collection>> {
    // The CAST gives the server the type of a parameter that may be NULL.
    Ok(conn.fetch_all(
        "SELECT j.request_id, r.kind, r.year, r.seq, r.room, r.service, j.at, j.amount_fen, j.staff_id, s.name
         FROM job_steps j JOIN requests r ON r.id = j.request_id JOIN staff s ON s.id = j.staff_id
         WHERE j.kind = 'collect' AND j.at >= ?1 AND j.at < ?2 AND (CAST(?3 AS BIGINT) IS NULL OR j.staff_id = ?3)
         ORDER BY j.at, j.id",
        &sql_params![day_start(from), day_after(to), staff],
        |r| {
        let kind = RegisterKind::from_code(&r.get::<String>(1)?).unwrap_or(RegisterKind::Housekeeping);
        let no = RunningNo { kind, year: r.get(2)?, seq: r.get(3)? };
        Ok(Collection {
            request: r.get(0)?,
            no: no.to_string(),
            kind,
            room: r.get(4)?,
            service: r.get(5)?,
            at: r.get(6)?,
            amount: Money::from_fen(r.get(7)?).unwrap_or(Money::ZERO),
            collector: r.get(8)?,
            collector_name: r.get(9)?,
        })
    })?)
}

/// Finance's receipts for the days `from ..= to`, from `staff` when named.
fn cash_receipts(
    conn: &dyn Sql,
    from: NaiveDate,
    to: NaiveDate,
    staff: Option<StaffId>,
) -> Result<Vec<CashReceipt>> {
    Ok(conn.fetch_all(
        "SELECT staff_id, day, amount_fen, received_by, received_at FROM cash_receipts
         WHERE day >= ?1 AND day <= ?2 AND (CAST(?3 AS BIGINT) IS NULL OR staff_id = ?3) ORDER BY id",
        &sql_params![from, to, staff],
        |r| {
            Ok(CashReceipt {
                staff: r.get(0)?,
                day: r.get(1)?,
                amount: Money::from_fen(r.get(2)?).unwrap_or(Money::ZERO),
                received_by: r.get(3)?,
                received_at: r.get(4)?,
            })
        },
    )?)
}

/// The slip numbered `no`, if any.
fn slip(conn: &dyn Sql, no: SlipNo) -> Result<Option<SlipRecord>> {
    Ok(conn.fetch_opt(
        &format!("{SELECT_SLIP} WHERE year = ?1 AND seq = ?2"),
        &sql_params![no.year, no.seq],
        slip_from_row,
    )?)
}

/// The first moment of `day`, as stored.
fn day_start(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// The first moment after `day`.
fn day_after(day: NaiveDate) -> NaiveDateTime {
    day_start(day.succ_opt().unwrap_or(day))
}

impl WriteTx<'_> {
    /// Adds a reason to the office's list.
    pub fn add_step_reason(&mut self, kind: ReasonKind, text: &str) -> Result<i64> {
        let id = self
            .tx
            .insert_id(
                "INSERT INTO step_reasons (kind, text) VALUES (?1, ?2) RETURNING id",
                &sql_params![kind.code(), text.trim()],
            )
            .map_err(|e| super::unique_violation(e, "reason"))?;
        let changes = diff(&[], &[("kind", kind.code().to_string()), ("text", text.trim().to_string())]);
        self.record(Entity::StepReason, id, Action::Create, &changes, None)?;
        Ok(id)
    }

    /// Retires or restores a reason; old rows keep the words they were given.
    pub fn set_step_reason_active(&mut self, id: i64, active: bool) -> Result<()> {
        let was: bool =
            self.tx.fetch_value("SELECT active FROM step_reasons WHERE id = ?1", &sql_params![id])?;
        self.tx.execute("UPDATE step_reasons SET active = ?2 WHERE id = ?1", &sql_params![id, active])?;
        let changes = diff(&[("active", was.to_string())], &[("active", active.to_string())]);
        self.record(Entity::StepReason, id, Action::Update, &changes, None)
    }

    /// Issues the next slip number of the audit's year, in this transaction:
    /// slips are numbered without gaps (a rollback returns the number).
    pub fn issue_slip(&mut self, draft: &SlipDraft) -> Result<SlipRecord> {
        let at = self.audit.at;
        let year = at.year();
        let seq: i64 = self.tx.fetch_value(
            "SELECT coalesce(max(seq), 0) + 1 FROM message_slips WHERE year = ?1",
            &sql_params![year],
        )?;
        let id = self.tx.insert_id(
            "INSERT INTO message_slips (year, seq, issued_at, issued_by, request_id, room, visit_at,
                service, staff_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
            &sql_params![
                year,
                seq,
                at,
                self.audit.user_name,
                draft.request,
                draft.room,
                draft.visit_at,
                draft.service,
                draft.staff
            ],
        )?;
        let slip = SlipRecord {
            no: SlipNo { year, seq },
            issued_at: at,
            issued_by: self.audit.user_name.clone(),
            request: draft.request,
            room: draft.room.clone(),
            visit_at: draft.visit_at,
            service: draft.service.clone(),
            staff: draft.staff.clone(),
            posted_at: None,
            stub_returned: None,
        };
        self.record(Entity::Slip, id, Action::Create, &diff(&[], &slip_fields(&slip)), None)?;
        Ok(slip)
    }

    /// The slip under the write lock.
    pub fn get_slip(&mut self, no: SlipNo) -> Result<Option<SlipRecord>> {
        slip(&self.tx, no)
    }

    /// The slip was posted on the job's door now; a blank one, written out
    /// by hand, takes the job's room, visit, service and staff.
    pub fn post_slip(&mut self, old: &SlipRecord, filled: &SlipDraft) -> Result<()> {
        let at = self.audit.at;
        self.tx.execute(
            "UPDATE message_slips SET request_id = ?3, room = ?4, visit_at = ?5,
             service = ?6, staff_name = ?7,
             posted_at = ?8 WHERE year = ?1 AND seq = ?2",
            &sql_params![
                old.no.year,
                old.no.seq,
                filled.request,
                filled.room,
                filled.visit_at,
                filled.service,
                filled.staff,
                at
            ],
        )?;
        let new = SlipRecord {
            request: filled.request,
            room: filled.room.clone(),
            visit_at: filled.visit_at,
            service: filled.service.clone(),
            staff: filled.staff.clone(),
            posted_at: Some(at),
            ..old.clone()
        };
        self.record_slip_change(old, &new)
    }

    /// The stub came back to the CS center (R-FU-3).
    pub fn return_stub(&mut self, old: &SlipRecord, received_by: &str) -> Result<()> {
        let at = self.audit.at;
        self.tx.execute(
            "UPDATE message_slips SET stub_returned_at = ?3, stub_received_by = ?4
             WHERE year = ?1 AND seq = ?2",
            &sql_params![old.no.year, old.no.seq, at, received_by],
        )?;
        let new = SlipRecord { stub_returned: Some((at, received_by.to_string())), ..old.clone() };
        self.record_slip_change(old, &new)
    }

    fn record_slip_change(&mut self, old: &SlipRecord, new: &SlipRecord) -> Result<()> {
        let id: i64 = self.tx.fetch_value(
            "SELECT id FROM message_slips WHERE year = ?1 AND seq = ?2",
            &sql_params![old.no.year, old.no.seq],
        )?;
        let changes = diff(&slip_fields(old), &slip_fields(new));
        self.record(Entity::Slip, id, Action::Update, &changes, None)
    }

    /// Saves (or replaces) the day-end answer for one row; history keeps the old one.
    pub fn save_day_review(&mut self, day: NaiveDate, desk: Desk, answer: &ReviewAnswer) -> Result<()> {
        let old: Option<(i64, ReviewRecord)> = self.tx.fetch_opt(
            "SELECT request_id, reason, expected_at, handling, day, by_name, at, id FROM day_reviews
             WHERE day = ?1 AND request_id = ?2",
            &sql_params![day, answer.request],
            |r| Ok((r.get(7)?, review_from_row(r)?)),
        )?;
        let at = self.audit.at;
        let by = self.audit.user_name.clone();
        let id: i64 = self.tx.insert_id(
            "INSERT INTO day_reviews (day, desk, request_id, reason, expected_at, handling, by_name, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (day, request_id) DO UPDATE SET reason = ?4, expected_at = ?5, handling = ?6,
                by_name = ?7, at = ?8
             RETURNING id",
            &sql_params![
                day,
                desk.code(),
                answer.request,
                answer.reason.trim(),
                answer.expected_at,
                answer.handling.trim(),
                by,
                at
            ],
        )?;
        let fields = |a: &ReviewAnswer| {
            vec![
                ("request", a.request.to_string()),
                ("reason", a.reason.trim().to_string()),
                (
                    "expected_at",
                    a.expected_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                ),
                ("handling", a.handling.trim().to_string()),
            ]
        };
        let (action, before) = match &old {
            Some((_, record)) => (Action::Update, fields(&record.answer)),
            None => (Action::Create, Vec::new()),
        };
        self.record(Entity::DayReview, id, action, &diff(&before, &fields(answer)), None)
    }

    /// Records the morning handover of `handover.day`'s repair register (R-FU-5).
    pub fn save_repair_handover(&mut self, handover: &RepairHandover) -> Result<()> {
        let id = self
            .tx
            .insert_id(
                "INSERT INTO repair_handovers (day, rows, handed_by, handed_at, received_by)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                &sql_params![
                    handover.day,
                    handover.rows,
                    handover.handed_by,
                    handover.handed_at,
                    handover.received_by
                ],
            )
            .map_err(|e| super::unique_violation(e, "day"))?;
        let changes = diff(
            &[],
            &[
                ("day", handover.day.to_string()),
                ("rows", handover.rows.to_string()),
                ("received_by", handover.received_by.clone()),
            ],
        );
        self.record(Entity::RepairHandover, id, Action::Create, &changes, None)
    }

    /// Finance received `amount` of `staff`'s cash for `day` (R-FEE-2).
    pub fn insert_cash_receipt(&mut self, staff: StaffId, day: NaiveDate, amount: Money) -> Result<()> {
        let at = self.audit.at;
        let by = self.audit.user_name.clone();
        let id = self.tx.insert_id(
            "INSERT INTO cash_receipts (staff_id, day, amount_fen, received_by, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            &sql_params![staff, day, amount.fen(), by, at],
        )?;
        let changes = diff(
            &[],
            &[("staff", staff.to_string()), ("day", day.to_string()), ("amount", amount.to_string())],
        );
        self.record(Entity::CashReceipt, id, Action::Create, &changes, None)
    }

    /// The fees `staff` collected on `day`, under the write lock.
    pub fn list_collections_of(&mut self, staff: StaffId, day: NaiveDate) -> Result<Vec<Collection>> {
        collections(&self.tx, day, day, Some(staff))
    }

    /// Finance's receipts from `staff` for `day`, under the write lock.
    pub fn list_cash_receipts_of(&mut self, staff: StaffId, day: NaiveDate) -> Result<Vec<CashReceipt>> {
        cash_receipts(&self.tx, day, day, Some(staff))
    }

    /// Rows of `kind` received on `day`, for the handover count.
    pub fn count_received_on(&mut self, kind: RegisterKind, day: NaiveDate) -> Result<i64> {
        Ok(self.tx.fetch_value(
            "SELECT count(*) FROM requests WHERE kind = ?1 AND received_at >= ?2 AND received_at < ?3",
            &sql_params![kind.code(), day_start(day), day_after(day)],
        )?)
    }
}
