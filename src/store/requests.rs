//! The three registers and refusals: issuing running numbers inside the
//! insert's transaction (gap-free, R-IN-4), and the indexed queries the
//! register tables run when a filter changes.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, ToSql, params};

use super::{Result, Store, WriteTx};
use crate::domain::history::{created, diff};
use crate::domain::{
    Action, AlarmWork, Correction, Desk, Entity, HouseholdId, Money, PriceReview, Refusal, RegisterKind,
    Request, RequestId, RequestStatus, RunningNo, StaffId, Urgency, ValidRefusal, ValidRequest,
};

/// Register-table columns that can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum SortColumn {
    #[default]
    No,
    ReceivedAt,
    Room,
    Resident,
    Service,
    Appointment,
    Price,
    Status,
    Staff,
}

impl SortColumn {
    /// The ORDER BY terms; `{d}` becomes ASC or DESC.
    fn sql(self) -> String {
        match self {
            SortColumn::No => "year {d}, seq {d}".into(),
            SortColumn::ReceivedAt => "received_at {d}, id {d}".into(),
            SortColumn::Room => "room {d}, id DESC".into(),
            SortColumn::Resident => "resident_name {d}, id DESC".into(),
            SortColumn::Service => "service {d}, id DESC".into(),
            SortColumn::Appointment => "appointment {d}, id {d}".into(),
            SortColumn::Price => "price_fen {d}, id DESC".into(),
            // Along the life cycle, not by the stored code.
            SortColumn::Status => {
                let arms: String = RequestStatus::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!(" WHEN '{}' THEN {i}", s.code()))
                    .collect();
                format!("CASE status{arms} END {{d}}, id DESC")
            }
            SortColumn::Staff => "(SELECT name FROM staff WHERE id = assigned_staff_id) {d}, id DESC".into(),
        }
    }
}

/// What a register table shows: one register, optionally narrowed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestQuery {
    pub kind: Option<RegisterKind>,
    /// Matches running number, room, resident, phone, service, details, notes.
    pub text: String,
    /// Exactly this room (a room typed in full is not a substring search:
    /// `5栋2单元1701` must not find `15栋2单元1701`).
    pub room: Option<String>,
    pub status: Option<RequestStatus>,
    /// Received on or after this day.
    pub from: Option<NaiveDate>,
    /// Received on or before this day.
    pub to: Option<NaiveDate>,
    /// Assigned to, or received by, this staff member.
    pub staff: Option<StaffId>,
    pub sort: SortColumn,
    pub descending: bool,
}

/// A snapshot for history; the assigned staff member is recorded by name.
fn request_fields(
    v: &ValidRequest,
    no: RunningNo,
    assigned_name: Option<String>,
) -> Vec<(&'static str, String)> {
    let opt = |o: Option<String>| o.unwrap_or_default();
    vec![
        ("running_no", no.to_string()),
        ("room", v.room.to_string()),
        ("resident_name", v.resident_name.clone()),
        ("phone", v.phone.clone()),
        ("service", v.service.clone()),
        ("details", v.details.clone()),
        ("appointment", v.appointment.format("%Y-%m-%d %H:%M").to_string()),
        ("slack_reason", v.slack_reason.clone()),
        ("price", opt(v.price.map(|p| p.to_string()))),
        ("price_agreed", v.price_agreed.to_string()),
        ("review", opt(v.review.as_ref().map(|r| format!("{}: {}", r.reviewer, r.conclusion)))),
        ("urgency", opt(v.urgency.map(|u| u.code().to_string()))),
        ("alarm_work", opt(v.alarm_work.map(|a| a.code().to_string()))),
        ("assigned_staff", opt(assigned_name)),
        ("notes", v.notes.clone()),
        ("relay_told", opt(v.relay_told.clone())),
    ]
}

/// Where a row stands after intake: its status, the sign-off (R-EX-2), the
/// amount collected and by whom (R-FEE-1), and the settlement (R-FEE-3).
/// Written by [`WriteTx::set_request_progress`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestProgress {
    pub status: RequestStatus,
    pub signed_off_by: Option<String>,
    pub signed_off_at: Option<NaiveDateTime>,
    /// The amount collected and who collected it.
    pub collected: Option<(Money, String)>,
    pub settled_at: Option<NaiveDateTime>,
}

fn progress_fields(p: &RequestProgress) -> Vec<(&'static str, String)> {
    let at = |t: Option<NaiveDateTime>| t.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    vec![
        ("status", p.status.code().to_string()),
        ("signed_off_by", p.signed_off_by.clone().unwrap_or_default()),
        ("signed_off_at", at(p.signed_off_at)),
        ("collected", p.collected.as_ref().map(|(m, _)| m.to_string()).unwrap_or_default()),
        ("collected_by", p.collected.as_ref().map(|(_, by)| by.clone()).unwrap_or_default()),
        ("settled_at", at(p.settled_at)),
    ]
}

const SELECT_REQUEST: &str = "SELECT r.*, s.name AS assigned_name FROM requests r
     LEFT JOIN staff s ON s.id = r.assigned_staff_id";

fn request_from_row(r: &Row<'_>) -> rusqlite::Result<Request> {
    let kind = RegisterKind::from_code(&r.get::<_, String>("kind")?).unwrap_or(RegisterKind::Housekeeping);
    let money = |col: &str| -> rusqlite::Result<Option<Money>> {
        Ok(r.get::<_, Option<i64>>(col)?.and_then(Money::from_fen))
    };
    let review = match r.get::<_, Option<String>>("review_by")? {
        Some(reviewer) => Some(PriceReview {
            reviewer,
            reviewed_at: r.get("review_at")?,
            conclusion: r.get::<_, Option<String>>("review_conclusion")?.unwrap_or_default(),
        }),
        None => None,
    };
    let assigned: Option<StaffId> = r.get("assigned_staff_id")?;
    let signed_by: Option<String> = r.get("signed_off_by")?;
    let signed_at: Option<NaiveDateTime> = r.get("signed_off_at")?;
    let collected_by: Option<String> = r.get("collected_by")?;
    Ok(Request {
        id: r.get("id")?,
        no: RunningNo { kind, year: r.get("year")?, seq: r.get("seq")? },
        received_at: r.get("received_at")?,
        received_by: r.get("received_by")?,
        desk: Desk::from_code(&r.get::<_, String>("desk")?).unwrap_or(kind.owner()),
        room: r.get("room")?,
        resident_name: r.get("resident_name")?,
        phone: r.get("phone")?,
        service: r.get("service")?,
        details: r.get("details")?,
        appointment: r.get("appointment")?,
        slack_reason: r.get("slack_reason")?,
        price: money("price_fen")?,
        price_agreed: r.get("price_agreed")?,
        review,
        urgency: r.get::<_, Option<String>>("urgency")?.and_then(|c| Urgency::from_code(&c)),
        alarm_work: r.get::<_, Option<String>>("alarm_work")?.and_then(|c| AlarmWork::from_code(&c)),
        assigned_staff: assigned
            .map(|id| (id, r.get::<_, Option<String>>("assigned_name").ok().flatten().unwrap_or_default())),
        status: RequestStatus::from_code(&r.get::<_, String>("status")?).unwrap_or(RequestStatus::Registered),
        signed_off: signed_by.zip(signed_at),
        collected: money("collected_fen")?.zip(collected_by),
        settled_at: r.get("settled_at")?,
        notes: r.get("notes")?,
        relay_told: r.get("relay_told")?,
        relay_of: r.get("relay_of")?,
        follow_up: r.get("follow_up")?,
        arrived_at: r.get("arrived_at")?,
        finished_at: r.get("finished_at")?,
    })
}

impl Store {
    pub fn get_request(&self, id: RequestId) -> Result<Request> {
        Ok(self.conn.query_row(&format!("{SELECT_REQUEST} WHERE r.id = ?1"), [id], request_from_row)?)
    }

    /// The rows with these ids, in the order given (for drawing a visible page).
    pub fn get_requests(&self, ids: &[RequestId]) -> Result<Vec<Request>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",");
        let mut stmt = self.conn.prepare(&format!("{SELECT_REQUEST} WHERE r.id IN ({list})"))?;
        let mut rows = stmt.query_map([], request_from_row)?.collect::<Result<Vec<_>, _>>()?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(rows)
    }

    /// The ids of every row matching `q`, in display order. Ids only, so that
    /// 200 000 matches cost 1.6 MB; the table fetches visible rows by id.
    pub fn query_request_ids(&self, q: &RequestQuery) -> Result<Vec<RequestId>> {
        let mut filter = Filter::default();
        if let Some(kind) = q.kind {
            filter.push("kind = ?", kind.code());
        }
        if let Some(status) = q.status {
            filter.push("status = ?", status.code());
        }
        if let Some(from) = q.from {
            filter.push("received_at >= ?", from.format("%Y-%m-%d").to_string());
        }
        if let Some(to) = q.to.and_then(|d| d.succ_opt()) {
            filter.push("received_at < ?", to.format("%Y-%m-%d").to_string());
        }
        if let Some(staff) = q.staff {
            filter.push("(assigned_staff_id = ? OR received_by_id = ?)", staff);
        }
        if let Some(room) = &q.room {
            filter.push("room = ?", room.clone());
        }
        let text = q.text.trim();
        if !text.is_empty() {
            let running_no = format!("({} || '-' || year || '-' || printf('%06d', seq))", prefix_sql());
            let columns =
                ["room", "resident_name", "phone", "service", "details", "notes", running_no.as_str()];
            let any = columns.map(|c| format!("{c} LIKE ? ESCAPE '\\'")).join(" OR ");
            filter.push(&format!("({any})"), format!("%{}%", escape_like(text)));
        }
        let mut sql = String::from("SELECT id FROM requests");
        if !filter.clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&filter.clauses.join(" AND "));
        }
        let direction = if q.descending { "DESC" } else { "ASC" };
        sql.push_str(" ORDER BY ");
        sql.push_str(&q.sort.sql().replace("{d}", direction));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn ToSql> = filter.args.iter().map(|a| a.as_ref()).collect();
        let ids = stmt.query_map(params.as_slice(), |r| r.get(0))?;
        Ok(ids.collect::<Result<Vec<_>, _>>()?)
    }

    /// The latest requests of a household in every register, newest first,
    /// so that a repeat call is seen at once.
    pub fn recent_requests_for_room(&self, room: &str, limit: usize) -> Result<Vec<Request>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_REQUEST} WHERE r.room = ?1 ORDER BY r.received_at DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![room, limit as i64], request_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The row with running number `no`, if there is one.
    pub fn request_id_by_no(&self, no: RunningNo) -> Result<Option<RequestId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM requests WHERE kind = ?1 AND year = ?2 AND seq = ?3",
                params![no.kind.code(), no.year, no.seq],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn count_requests(&self, kind: RegisterKind) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM requests WHERE kind = ?1", [kind.code()], |r| r.get(0))?)
    }

    pub fn list_refusals(&self, limit: usize) -> Result<Vec<Refusal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, by_name, desk, kind, room, resident_name, phone, asked_for, reason
             FROM refusals ORDER BY at DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(Refusal {
                id: r.get(0)?,
                at: r.get(1)?,
                by: r.get(2)?,
                desk: Desk::from_code(&r.get::<_, String>(3)?).unwrap_or(Desk::CsCenter),
                kind: r.get::<_, Option<String>>(4)?.and_then(|c| RegisterKind::from_code(&c)),
                room: r.get(5)?,
                resident_name: r.get(6)?,
                phone: r.get(7)?,
                asked_for: r.get(8)?,
                reason: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// `%` and `_` typed by a clerk are literal, not wildcards.
pub(super) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A WHERE clause built up one condition at a time; every `?` of a
/// condition is bound to that condition's one value.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    args: Vec<Box<dyn ToSql>>,
}

impl Filter {
    fn push(&mut self, condition: &str, value: impl ToSql + 'static) {
        let placeholder = format!("?{}", self.args.len() + 1);
        self.clauses.push(condition.replace('?', &placeholder));
        self.args.push(Box::new(value));
    }
}

/// `CASE kind WHEN 'housekeeping' THEN 'JZ' … END`: the running-number prefix in SQL.
fn prefix_sql() -> String {
    let arms: String =
        RegisterKind::ALL.iter().map(|k| format!(" WHEN '{}' THEN '{}'", k.code(), k.prefix())).collect();
    format!("CASE kind{arms} END")
}

impl WriteTx<'_> {
    /// Issues the next running number of `kind` for the year of `at`, inside
    /// this transaction: a rollback returns the number, so none is skipped.
    fn next_running_no(&mut self, kind: RegisterKind, at: NaiveDateTime) -> Result<RunningNo> {
        let year = at.year();
        let seq: i64 = self.tx.query_row(
            "INSERT INTO running_numbers (kind, year, last_seq) VALUES (?1, ?2, 1)
             ON CONFLICT (kind, year) DO UPDATE SET last_seq = last_seq + 1
             RETURNING last_seq",
            params![kind.code(), year],
            |r| r.get(0),
        )?;
        Ok(RunningNo { kind, year, seq })
    }

    /// Writes a new register row with the next running number.
    pub fn insert_request(
        &mut self,
        v: &ValidRequest,
        household: HouseholdId,
        status: RequestStatus,
        relay_of: Option<RequestId>,
    ) -> Result<(RequestId, RunningNo)> {
        let at = self.audit.at;
        let no = self.next_running_no(v.kind, at)?;
        let review = v.review.as_ref();
        self.tx
            .prepare_cached(
                "INSERT INTO requests (kind, year, seq, received_at, received_by_id, received_by, desk,
                household_id, room, resident_name, phone, price_item_id, service, details,
                appointment, slack_reason, price_fen, price_agreed, review_by, review_at,
                review_conclusion, urgency, alarm_work, assigned_staff_id, status, notes,
                relay_told, relay_of)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
            )?
            .execute(params![
                v.kind.code(),
                no.year,
                no.seq,
                at,
                self.audit.user_id,
                self.audit.user_name,
                v.desk.code(),
                household,
                v.room.as_str(),
                v.resident_name,
                v.phone,
                v.price_item,
                v.service,
                v.details,
                v.appointment,
                v.slack_reason,
                v.price.map(Money::fen),
                v.price_agreed,
                review.map(|r| &r.reviewer),
                review.map(|r| r.reviewed_at),
                review.map(|r| &r.conclusion),
                v.urgency.map(Urgency::code),
                v.alarm_work.map(AlarmWork::code),
                v.assigned_staff,
                status.code(),
                v.notes,
                v.relay_told,
                relay_of,
            ])?;
        let id = self.tx.last_insert_rowid();
        let assigned_name = match v.assigned_staff {
            Some(staff) => {
                Some(self.tx.query_row("SELECT name FROM staff WHERE id = ?1", [staff], |r| r.get(0))?)
            }
            None => None,
        };
        let mut fields = request_fields(v, no, assigned_name);
        fields.push(("status", status.code().to_string()));
        self.record(Entity::Request, id, Action::Create, &created(&fields), None)?;
        Ok((id, no))
    }

    pub fn insert_refusal(&mut self, v: &ValidRefusal) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO refusals (at, by_id, by_name, desk, kind, room, resident_name, phone, asked_for, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                self.audit.at,
                self.audit.user_id,
                self.audit.user_name,
                v.desk.code(),
                v.kind.map(RegisterKind::code),
                v.room.as_ref().map(|r| r.to_string()).unwrap_or_default(),
                v.resident_name,
                v.phone,
                v.asked_for,
                v.reason,
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        let fields = [
            ("room", v.room.as_ref().map(|r| r.to_string()).unwrap_or_default()),
            ("resident_name", v.resident_name.clone()),
            ("phone", v.phone.clone()),
            ("details", v.asked_for.clone()),
        ];
        self.record(Entity::Refusal, id, Action::Create, &created(&fields), Some(&v.reason))?;
        Ok(id)
    }

    /// Moves a row along its life cycle (status, sign-off, money collected,
    /// settlement) and appends the history row of what changed (R-FU-6), with
    /// `reason` when given (e.g. why a resident cancelled, R-FU-2).
    ///
    /// Checks no life-cycle rule: it is used by the demo-office generator
    /// (`app::demo`) until the dispatch life cycle (a later issue) takes over
    /// with its own use cases and rules.
    pub fn set_request_progress(
        &mut self,
        id: RequestId,
        progress: &RequestProgress,
        reason: Option<&str>,
    ) -> Result<()> {
        let old = self.tx.query_row(
            "SELECT status, signed_off_by, signed_off_at, collected_fen, collected_by, settled_at
             FROM requests WHERE id = ?1",
            [id],
            |r| {
                let collected = r.get::<_, Option<i64>>(3)?.and_then(Money::from_fen);
                let collected_by: Option<String> = r.get(4)?;
                Ok(RequestProgress {
                    status: RequestStatus::from_code(&r.get::<_, String>(0)?)
                        .unwrap_or(RequestStatus::Registered),
                    signed_off_by: r.get(1)?,
                    signed_off_at: r.get(2)?,
                    collected: collected.zip(collected_by),
                    settled_at: r.get(5)?,
                })
            },
        )?;
        let collected = progress.collected.as_ref();
        self.tx
            .prepare_cached(
                "UPDATE requests SET status = ?2, signed_off_by = ?3, signed_off_at = ?4,
                 collected_fen = ?5, collected_by = ?6, settled_at = ?7 WHERE id = ?1",
            )?
            .execute(params![
                id,
                progress.status.code(),
                progress.signed_off_by,
                progress.signed_off_at,
                collected.map(|(m, _)| m.fen()),
                collected.map(|(_, by)| by),
                progress.settled_at,
            ])?;
        let changes = diff(&progress_fields(&old), &progress_fields(progress));
        if !changes.is_empty() {
            self.record(Entity::Request, id, Action::Update, &changes, reason)?;
        }
        Ok(())
    }

    /// A row as it stands under this transaction's lock.
    pub fn get_request(&self, id: RequestId) -> Result<Request> {
        Ok(self.tx.query_row(&format!("{SELECT_REQUEST} WHERE r.id = ?1"), [id], request_from_row)?)
    }

    /// Rewrites a row's contact and description fields; history keeps the
    /// old and new values and the reason (R-FU-6). Nothing changed, nothing written.
    pub fn correct_request(&mut self, old: &Request, c: &Correction, household: HouseholdId) -> Result<()> {
        let snapshot = |room: &str, name: &str, phone: &str, details: &str, notes: &str| {
            vec![
                ("room", room.to_string()),
                ("resident_name", name.to_string()),
                ("phone", phone.to_string()),
                ("details", details.to_string()),
                ("notes", notes.to_string()),
            ]
        };
        let changes = diff(
            &snapshot(&old.room, &old.resident_name, &old.phone, &old.details, &old.notes),
            &snapshot(c.room.as_str(), &c.resident_name, &c.phone, &c.details, &c.notes),
        );
        if changes.is_empty() {
            return Ok(());
        }
        self.tx.execute(
            "UPDATE requests SET household_id = ?2, room = ?3, resident_name = ?4, phone = ?5,
             details = ?6, notes = ?7 WHERE id = ?1",
            params![old.id, household, c.room.as_str(), c.resident_name, c.phone, c.details, c.notes],
        )?;
        self.record(Entity::Request, old.id, Action::Update, &changes, Some(&c.reason))
    }
}
