//! The three registers and refusals: issuing running numbers inside the
//! insert's transaction (gap-free, R-IN-4), and the indexed queries the
//! register tables run when a filter changes.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Row, ToSql, params};

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
    fn sql(self) -> &'static str {
        match self {
            SortColumn::No => "year {d}, seq {d}",
            SortColumn::ReceivedAt => "received_at {d}, id {d}",
            SortColumn::Room => "room {d}, id DESC",
            SortColumn::Resident => "resident_name {d}, id DESC",
            SortColumn::Service => "service {d}, id DESC",
            SortColumn::Appointment => "appointment {d}, id {d}",
            SortColumn::Price => "price_fen {d}, id DESC",
            SortColumn::Status => "status {d}, id DESC",
            SortColumn::Staff => "assigned_staff_id {d}, id DESC",
        }
    }
}

/// What a register table shows: one register, optionally narrowed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestQuery {
    pub kind: Option<RegisterKind>,
    /// Matches running number, room, resident, phone, service, details, notes.
    pub text: String,
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
        let mut clauses: Vec<&str> = Vec::new();
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(kind) = q.kind {
            clauses.push("kind = ?");
            args.push(Box::new(kind.code()));
        }
        if let Some(status) = q.status {
            clauses.push("status = ?");
            args.push(Box::new(status.code()));
        }
        if let Some(from) = q.from {
            clauses.push("received_at >= ?");
            args.push(Box::new(from.format("%Y-%m-%d").to_string()));
        }
        if let Some(to) = q.to.and_then(|d| d.succ_opt()) {
            clauses.push("received_at < ?");
            args.push(Box::new(to.format("%Y-%m-%d").to_string()));
        }
        if let Some(staff) = q.staff {
            clauses.push("(assigned_staff_id = ? OR received_by_id = ?)");
            args.push(Box::new(staff));
            args.push(Box::new(staff));
        }
        let text = q.text.trim();
        if !text.is_empty() {
            clauses.push(
                "(room LIKE ?1x OR resident_name LIKE ?1x OR phone LIKE ?1x OR service LIKE ?1x
                  OR details LIKE ?1x OR notes LIKE ?1x
                  OR (CASE kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' ELSE 'BJ' END
                      || '-' || year || '-' || printf('%06d', seq)) LIKE ?1x)",
            );
            args.push(Box::new(format!("%{}%", escape_like(text))));
        }
        let mut sql = String::from("SELECT id FROM requests");
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        let direction = if q.descending { "DESC" } else { "ASC" };
        sql.push_str(" ORDER BY ");
        sql.push_str(&q.sort.sql().replace("{d}", direction));
        // Positional `?` and the repeated text pattern: number them explicitly.
        let sql = number_placeholders(&sql);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
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
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Turns `?` into `?1, ?2, …` and `?1x` (the shared search pattern) into one
/// numbered parameter with an ESCAPE clause.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 32);
    let mut n = 0;
    let mut text_param = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '?' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'1') {
            chars.next();
            chars.next(); // the `x`
            let index = *text_param.get_or_insert_with(|| {
                n += 1;
                n
            });
            out.push_str(&format!("?{index} ESCAPE '\\'"));
        } else {
            n += 1;
            out.push_str(&format!("?{n}"));
        }
    }
    out
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

    /// Rewrites a row's contact and description fields; history keeps the
    /// old and new values and the reason (R-FU-6).
    pub fn correct_request(&mut self, old: &Request, c: &Correction, household: HouseholdId) -> Result<()> {
        self.tx.execute(
            "UPDATE requests SET household_id = ?2, room = ?3, resident_name = ?4, phone = ?5,
             details = ?6, notes = ?7 WHERE id = ?1",
            params![old.id, household, c.room.as_str(), c.resident_name, c.phone, c.details, c.notes],
        )?;
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
        self.record(Entity::Request, old.id, Action::Update, &changes, Some(&c.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::number_placeholders;

    #[test]
    fn placeholders_are_numbered_and_the_pattern_shared() {
        let sql = number_placeholders("a = ? AND (b LIKE ?1x OR c LIKE ?1x) AND d = ?");
        assert_eq!(sql, "a = ?1 AND (b LIKE ?2 ESCAPE '\\' OR c LIKE ?2 ESCAPE '\\') AND d = ?3");
    }
}
