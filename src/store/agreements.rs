//! Long-term agreements (migration 6): the agreement's current terms and
//! named staff, its amendments, its number (issued at signing, per year,
//! without gaps), and the register rows it has put on the board (R-DSP-4).
//! Every write appends its history row (R-FU-6). On the shared query layer
//! (`store/sql.rs`, issue 21): every statement runs on SQLite and on
//! PostgreSQL, where the office's write lock keeps the numbers gap-free.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::sql::{Row, Sql, SqlError, SqlExt, ids_in_json, json_ids};
use super::{Result, Store, StoreError, WriteTx};
use crate::domain::history::diff;
use crate::domain::{
    Action, Agreement, AgreementId, AgreementNo, AgreementStatus, AgreementTerms, Amendment, Entity, Money,
    PriceBasis, RequestId, RequestStatus, Schedule, StaffId, Termination, ValidAgreement,
};
use crate::sql_params;

const SELECT_AGREEMENT: &str =
    "SELECT id, year, seq, status, room, resident_name, phone, price_item_id, service,
     details, persons_served, requirements, schedule, term_start, term_end, price_fen, basis, payment_terms,
     review_by, review_conclusion, confirmed_by, confirmed_at, signed_by, signed_on, renewal_of,
     terminated_reason, notice_on, stop_on, created_at, created_by, area_m2 FROM agreements";

/// A schedule as kept in its JSON column.
fn schedule_of(r: &Row, column: usize) -> Result<Schedule, SqlError> {
    let text: String = r.get(column)?;
    serde_json::from_str(&text).map_err(|e| SqlError::Read {
        column,
        wanted: "a visit schedule",
        cause: e.to_string(),
    })
}

/// An agreement row without its staff (read separately).
fn agreement_from_row(r: &Row) -> Result<Agreement, SqlError> {
    let year: Option<i32> = r.get(1)?;
    let seq: Option<i64> = r.get(2)?;
    let text = |i: usize| -> Result<Option<String>, SqlError> { r.get(i) };
    let review = text(18)?.zip(text(19)?);
    let confirmed = text(20)?.zip(r.get::<Option<NaiveDateTime>>(21)?);
    let signed = text(22)?.zip(r.get::<Option<NaiveDate>>(23)?);
    let termination = match (text(25)?, r.get::<Option<NaiveDate>>(26)?, r.get::<Option<NaiveDate>>(27)?) {
        (Some(reason), Some(notice_on), Some(stop_on)) => Some(Termination { reason, notice_on, stop_on }),
        _ => None,
    };
    Ok(Agreement {
        id: r.get(0)?,
        no: year.zip(seq).map(|(year, seq)| AgreementNo { year, seq }),
        status: AgreementStatus::from_code(&r.get::<String>(3)?).unwrap_or(AgreementStatus::Draft),
        room: r.get(4)?,
        resident_name: r.get(5)?,
        phone: r.get(6)?,
        price_item: r.get(7)?,
        service: r.get(8)?,
        area_m2: r.get(30)?,
        details: r.get(9)?,
        persons_served: r.get(10)?,
        requirements: r.get(11)?,
        staff: Vec::new(),
        schedule: schedule_of(r, 12)?,
        term_start: r.get(13)?,
        term_end: r.get(14)?,
        price: Money::from_fen(r.get(15)?).unwrap_or(Money::ZERO),
        basis: PriceBasis::from_code(&r.get::<String>(16)?).unwrap_or(PriceBasis::PerVisit),
        payment_terms: r.get(17)?,
        review,
        confirmed,
        signed,
        renewal_of: r.get(24)?,
        termination,
        created_at: r.get(28)?,
        created_by: r.get(29)?,
    })
}

/// The terms shown in history and on an amendment, as (field, wording).
pub fn terms_of(a: &Agreement) -> Vec<(&'static str, String)> {
    vec![
        ("room", a.room.clone()),
        ("resident_name", a.resident_name.clone()),
        ("phone", a.phone.clone()),
        ("service", a.service.clone()),
        ("area", a.area_m2.map(|m2| m2.to_string()).unwrap_or_default()),
        ("details", a.details.clone()),
        ("persons_served", a.persons_served.clone()),
        ("requirements", a.requirements.clone()),
        ("staff", a.staff.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(STAFF_SEPARATOR)),
        ("schedule", serde_json::to_string(&a.schedule).unwrap_or_default()),
        ("term", format!("{} – {}", a.term_start, a.term_end)),
        ("price", a.price.to_string()),
        ("basis", a.basis.code().to_string()),
        ("payment_terms", a.payment_terms.clone()),
    ]
}

/// The names of the staff as one text, as history and the kept signed
/// terms word them.
const STAFF_SEPARATOR: &str = "、";

/// The terms agreement `id` was signed on (migration 18), if it was signed.
fn signed_terms(conn: &dyn Sql, id: AgreementId) -> Result<Option<AgreementTerms>> {
    Ok(conn.fetch_opt(
        "SELECT room, resident_name, phone, service, details, persons_served, requirements, staff,
                schedule, term_start, term_end, price_fen, basis, payment_terms, area_m2
         FROM agreement_signed_terms WHERE agreement_id = ?1",
        &sql_params![id],
        |r| {
            let staff: String = r.get(7)?;
            Ok(AgreementTerms {
                room: r.get(0)?,
                resident_name: r.get(1)?,
                phone: r.get(2)?,
                service: r.get(3)?,
                area_m2: r.get(14)?,
                details: r.get(4)?,
                persons_served: r.get(5)?,
                requirements: r.get(6)?,
                staff: staff.split(STAFF_SEPARATOR).filter(|n| !n.is_empty()).map(str::to_string).collect(),
                schedule: schedule_of(r, 8)?,
                term_start: r.get(9)?,
                term_end: r.get(10)?,
                price: Money::from_fen(r.get(11)?).unwrap_or(Money::ZERO),
                basis: PriceBasis::from_code(&r.get::<String>(12)?).unwrap_or(PriceBasis::PerVisit),
                payment_terms: r.get(13)?,
            })
        },
    )?)
}

fn get_agreement(conn: &dyn Sql, id: AgreementId) -> Result<Agreement> {
    let mut a =
        conn.fetch_one(&format!("{SELECT_AGREEMENT} WHERE id = ?1"), &sql_params![id], agreement_from_row)?;
    a.staff = agreement_staff(conn, id)?;
    Ok(a)
}

fn agreement_staff(conn: &dyn Sql, id: AgreementId) -> Result<Vec<(StaffId, String)>> {
    Ok(conn.fetch_all(
        "SELECT a.staff_id, s.name FROM agreement_staff a JOIN staff s ON s.id = a.staff_id
         WHERE a.agreement_id = ?1 ORDER BY a.position",
        &sql_params![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// What the agreements list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementQuery {
    /// Matches number, room, resident, phone, service.
    pub text: String,
    pub status: Option<AgreementStatus>,
}

/// An agreement's number as printed (`XY-2026-0001`), in SQL both
/// dialects take (SQLite has no `lpad`, PostgreSQL no `printf`).
const AGREEMENT_NO_SQL: &str = "CASE WHEN year IS NULL THEN '' ELSE 'XY-' || year || '-' ||
    CASE WHEN seq < 10 THEN '000' WHEN seq < 100 THEN '00' WHEN seq < 1000 THEN '0' ELSE '' END || seq END";

impl Store {
    pub fn get_agreement(&self, id: AgreementId) -> Result<Agreement> {
        get_agreement(&self.conn, id)
    }

    /// The terms agreement `id` was signed on; `None` for a draft.
    pub fn signed_terms(&self, id: AgreementId) -> Result<Option<AgreementTerms>> {
        signed_terms(&self.conn, id)
    }

    /// Agreements matching `q`, newest first.
    pub fn list_agreements(&self, q: &AgreementQuery) -> Result<Vec<Agreement>> {
        let like = format!("%{}%", super::requests::escape_like(q.text.trim()));
        let mut list = self.conn.fetch_all(
            &format!(
                "{SELECT_AGREEMENT} WHERE (CAST(?1 AS TEXT) IS NULL OR status = CAST(?1 AS TEXT))
                   AND (CAST(?2 AS TEXT) = '%%' OR room LIKE ?2 ESCAPE '\\' OR resident_name LIKE ?2 ESCAPE '\\'
                        OR phone LIKE ?2 ESCAPE '\\' OR service LIKE ?2 ESCAPE '\\'
                        OR {AGREEMENT_NO_SQL} LIKE ?2 ESCAPE '\\')
                 ORDER BY id DESC"
            ),
            &sql_params![q.status.map(|s| s.code()), like],
            agreement_from_row,
        )?;
        // Every listed agreement's staff in one statement: one each was a
        // round trip each on a server, 50 at every start of a two-year office.
        let sql = format!(
            "SELECT a.agreement_id, a.staff_id, s.name FROM agreement_staff a JOIN staff s ON s.id = a.staff_id
             WHERE a.agreement_id IN ({}) ORDER BY a.agreement_id, a.position",
            ids_in_json(self.conn.dialect(), "?1")
        );
        let staff = self.conn.fetch_all(&sql, &[json_ids(list.iter().map(|a| a.id))], |r| {
            Ok((r.get::<AgreementId>(0)?, (r.get::<StaffId>(1)?, r.get::<String>(2)?)))
        })?;
        let mut by_agreement: std::collections::HashMap<AgreementId, Vec<(StaffId, String)>> =
            std::collections::HashMap::new();
        for (agreement, member) in staff {
            by_agreement.entry(agreement).or_default().push(member);
        }
        for a in &mut list {
            a.staff = by_agreement.remove(&a.id).unwrap_or_default();
        }
        Ok(list)
    }

    /// The amendments of an agreement, oldest first.
    pub fn list_amendments(&self, id: AgreementId) -> Result<Vec<Amendment>> {
        Ok(self.conn.fetch_all(
            "SELECT seq, at, by_name, reason, effective_on, changes FROM agreement_amendments
             WHERE agreement_id = ?1 ORDER BY seq",
            &sql_params![id],
            |r| {
                let changes: String = r.get(5)?;
                Ok(Amendment {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    by: r.get(2)?,
                    reason: r.get(3)?,
                    effective_on: r.get(4)?,
                    changes: serde_json::from_str(&changes).unwrap_or_default(),
                })
            },
        )?)
    }

    /// The register rows an agreement put on the board, by visit time.
    pub fn agreement_visit_ids(&self, id: AgreementId) -> Result<Vec<RequestId>> {
        Ok(self.conn.fetch_all(
            "SELECT id FROM requests WHERE agreement_id = ?1 ORDER BY appointment, id",
            &sql_params![id],
            |r| r.get(0),
        )?)
    }

    /// The agreements whose visits go on the board on `today`: signed or
    /// running, and those terminated whose service has not yet stopped.
    pub fn running_agreement_ids(&self, today: NaiveDate) -> Result<Vec<AgreementId>> {
        Ok(self.conn.fetch_all(
            "SELECT id FROM agreements WHERE status IN ('signed', 'active')
                OR (status = 'terminated' AND stop_on >= ?1) ORDER BY id",
            &sql_params![today],
            |r| r.get(0),
        )?)
    }

    /// The renewals made of agreement `id`, with their status.
    pub fn renewals_of(&self, id: AgreementId) -> Result<Vec<(AgreementId, AgreementStatus)>> {
        renewals_of(&self.conn, id)
    }

    /// The id of the agreement numbered `no`, if any.
    pub fn agreement_id_by_no(&self, no: AgreementNo) -> Result<Option<AgreementId>> {
        agreement_id_by_no(&self.conn, no)
    }
}

impl WriteTx<'_> {
    /// The agreement as it stands under the write lock.
    pub fn get_agreement(&mut self, id: AgreementId) -> Result<Agreement> {
        get_agreement(&self.tx, id)
    }

    /// Writes a new draft; it has no number until it is signed.
    pub fn insert_agreement(
        &mut self,
        v: &ValidAgreement,
        renewal_of: Option<AgreementId>,
    ) -> Result<AgreementId> {
        let at = self.audit.at;
        let by = self.audit.user_name.clone();
        let id = self.tx.insert_id(
            "INSERT INTO agreements (status, room, resident_name, phone, price_item_id, service, details,
                persons_served, requirements, schedule, term_start, term_end, price_fen, basis,
                payment_terms, review_by, review_conclusion, renewal_of, created_at, created_by, area_m2)
             VALUES ('draft', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                ?19, ?20)
             RETURNING id",
            &sql_params![
                v.room.as_str(),
                v.resident_name,
                v.phone,
                v.price_item,
                v.service,
                v.details,
                v.persons_served,
                v.requirements,
                schedule_json(&v.schedule),
                v.term_start,
                v.term_end,
                v.price.fen(),
                v.basis.code(),
                v.payment_terms,
                v.review.as_ref().map(|(by, _)| by),
                v.review.as_ref().map(|(_, conclusion)| conclusion),
                renewal_of,
                at,
                by,
                v.area_m2,
            ],
        )?;
        self.set_agreement_staff(id, &v.staff)?;
        let new = get_agreement(&self.tx, id)?;
        self.record(Entity::Agreement, id, Action::Create, &diff(&[], &terms_of(&new)), None)?;
        Ok(id)
    }

    /// Replaces the terms of `old` (a draft's edit, or an amendment) and
    /// keeps the old ones in history with `reason`.
    pub fn update_agreement_terms(
        &mut self,
        old: &Agreement,
        v: &ValidAgreement,
        reason: Option<&str>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE agreements SET room = ?2, resident_name = ?3, phone = ?4, price_item_id = ?5, service = ?6,
                details = ?7, persons_served = ?8, requirements = ?9, schedule = ?10, term_start = ?11,
                term_end = ?12, price_fen = ?13, basis = ?14, payment_terms = ?15, review_by = ?16,
                review_conclusion = ?17, area_m2 = ?18 WHERE id = ?1",
            &sql_params![
                old.id,
                v.room.as_str(),
                v.resident_name,
                v.phone,
                v.price_item,
                v.service,
                v.details,
                v.persons_served,
                v.requirements,
                schedule_json(&v.schedule),
                v.term_start,
                v.term_end,
                v.price.fen(),
                v.basis.code(),
                v.payment_terms,
                v.review.as_ref().map(|(by, _)| by),
                v.review.as_ref().map(|(_, conclusion)| conclusion),
                v.area_m2,
            ],
        )?;
        self.set_agreement_staff(old.id, &v.staff)?;
        let new = get_agreement(&self.tx, old.id)?;
        self.record(Entity::Agreement, old.id, Action::Update, &diff(&terms_of(old), &terms_of(&new)), reason)
    }

    fn set_agreement_staff(&mut self, id: AgreementId, staff: &[StaffId]) -> Result<()> {
        self.tx.execute("DELETE FROM agreement_staff WHERE agreement_id = ?1", &sql_params![id])?;
        for (position, staff_id) in staff.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO agreement_staff (agreement_id, staff_id, position) VALUES (?1, ?2, ?3)",
                &sql_params![id, staff_id, position as i64],
            )?;
        }
        Ok(())
    }

    /// R-AG-2: the CS assistant confirmed capacity and price.
    pub fn confirm_agreement(&mut self, old: &Agreement) -> Result<()> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        self.tx.execute(
            "UPDATE agreements SET confirmed_by = ?2, confirmed_at = ?3 WHERE id = ?1",
            &sql_params![old.id, by, at],
        )?;
        let changes = diff(
            &[("confirmed", String::new())],
            &[("confirmed", format!("{by} {}", at.format("%Y-%m-%d %H:%M")))],
        );
        self.record(Entity::Agreement, old.id, Action::Update, &changes, None)
    }

    /// R-AG-2: the manager signs; the agreement gets the next number of the
    /// year (gap-free: read and written under the office's write lock, which
    /// on PostgreSQL is `pg::OFFICE_LOCK`).
    pub fn sign_agreement(&mut self, old: &Agreement, on: NaiveDate) -> Result<AgreementNo> {
        let year = on.year();
        let seq: i64 = self.tx.fetch_value(
            "SELECT coalesce(max(seq), 0) + 1 FROM agreements WHERE year = ?1",
            &sql_params![year],
        )?;
        let by = self.audit.user_name.clone();
        self.tx.execute(
            "UPDATE agreements SET year = ?2, seq = ?3, status = 'signed', signed_by = ?4, signed_on = ?5
             WHERE id = ?1 AND status = 'draft'",
            &sql_params![old.id, year, seq, by, on],
        )?;
        self.keep_signed_terms(&old.terms(), old.id)?;
        let no = AgreementNo { year, seq };
        let changes = diff(
            &[("status", old.status.code().to_string()), ("no", String::new()), ("signed", String::new())],
            &[("status", "signed".into()), ("no", no.to_string()), ("signed", format!("{by} {on}"))],
        );
        self.record(Entity::Agreement, old.id, Action::Update, &changes, None)?;
        Ok(no)
    }

    /// The terms as signed, kept apart from the current ones so that an
    /// amendment never changes what was signed (the table refuses any
    /// change); part of the signing's write and its history row.
    fn keep_signed_terms(&mut self, terms: &AgreementTerms, id: AgreementId) -> Result<()> {
        self.tx.execute(
            "INSERT INTO agreement_signed_terms (agreement_id, room, resident_name, phone, service,
                details, persons_served, requirements, staff, schedule, term_start, term_end, price_fen,
                basis, payment_terms, area_m2)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            &sql_params![
                id,
                terms.room,
                terms.resident_name,
                terms.phone,
                terms.service,
                terms.details,
                terms.persons_served,
                terms.requirements,
                terms.staff.join(STAFF_SEPARATOR),
                schedule_json(&terms.schedule),
                terms.term_start,
                terms.term_end,
                terms.price.fen(),
                terms.basis.code(),
                terms.payment_terms,
                terms.area_m2,
            ],
        )?;
        Ok(())
    }

    /// Moves an agreement to `status` (active, ended), with history.
    pub fn set_agreement_status(&mut self, old: &Agreement, status: AgreementStatus) -> Result<()> {
        self.tx.execute(
            "UPDATE agreements SET status = ?2 WHERE id = ?1",
            &sql_params![old.id, status.code()],
        )?;
        let changes =
            diff(&[("status", old.status.code().to_string())], &[("status", status.code().to_string())]);
        self.record(Entity::Agreement, old.id, Action::Update, &changes, None)
    }

    /// R-AG-3: the office stops the agreement early.
    pub fn terminate_agreement(&mut self, old: &Agreement, t: &Termination) -> Result<()> {
        self.tx.execute(
            "UPDATE agreements SET status = 'terminated', terminated_reason = ?2,
                notice_on = ?3, stop_on = ?4
             WHERE id = ?1",
            &sql_params![old.id, t.reason.trim(), t.notice_on, t.stop_on],
        )?;
        let changes = diff(
            &[("status", old.status.code().to_string()), ("termination", String::new())],
            &[
                ("status", "terminated".into()),
                ("termination", format!("{}: {} – {}", t.reason.trim(), t.notice_on, t.stop_on)),
            ],
        );
        self.record(Entity::Agreement, old.id, Action::Update, &changes, Some(t.reason.trim()))
    }

    /// Records amendment (变更书) number `seq` of an agreement.
    pub fn insert_amendment(&mut self, id: AgreementId, a: &Amendment) -> Result<()> {
        let changes =
            serde_json::to_string(&a.changes).map_err(|e| StoreError::NotADatabase(e.to_string()))?;
        let row = self.tx.insert_id(
            "INSERT INTO agreement_amendments (agreement_id, seq, at, by_name, reason, effective_on, changes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &sql_params![id, a.seq, a.at, a.by, a.reason.trim(), a.effective_on, changes],
        )?;
        let fields = diff(
            &[],
            &[
                ("agreement", id.to_string()),
                ("seq", a.seq.to_string()),
                ("effective_on", a.effective_on.to_string()),
            ],
        );
        self.record(Entity::Amendment, row, Action::Create, &fields, Some(a.reason.trim()))
    }

    /// The next amendment number of an agreement.
    pub fn next_amendment_seq(&mut self, id: AgreementId) -> Result<u32> {
        Ok(self.tx.fetch_value(
            "SELECT coalesce(max(seq), 0) + 1 FROM agreement_amendments WHERE agreement_id = ?1",
            &sql_params![id],
        )?)
    }

    /// The scheduled slots already on the register for an agreement, from
    /// `from` on (kept when a visit is rescheduled or cancelled by the
    /// resident, so it is not made again).
    pub fn agreement_slots(&mut self, id: AgreementId, from: NaiveDateTime) -> Result<Vec<NaiveDateTime>> {
        Ok(self.tx.fetch_all(
            "SELECT agreement_slot FROM requests WHERE agreement_id = ?1 AND agreement_slot >= ?2
             ORDER BY agreement_slot",
            &sql_params![id, from],
            |r| r.get(0),
        )?)
    }

    /// The renewals made of agreement `id`, under the write lock.
    pub fn renewals_of(&mut self, id: AgreementId) -> Result<Vec<(AgreementId, AgreementStatus)>> {
        renewals_of(&self.tx, id)
    }

    /// A draft's terms changed after the CS assistant confirmed them: the
    /// confirmation no longer stands (R-AG-2).
    pub fn clear_agreement_confirmation(&mut self, old: &Agreement) -> Result<()> {
        self.tx.execute(
            "UPDATE agreements SET confirmed_by = NULL, confirmed_at = NULL WHERE id = ?1",
            &sql_params![old.id],
        )?;
        let was = old.confirmed.as_ref().map(|(by, at)| format!("{by} {}", at.format("%Y-%m-%d %H:%M")));
        let changes = diff(&[("confirmed", was.unwrap_or_default())], &[("confirmed", String::new())]);
        self.record(Entity::Agreement, old.id, Action::Update, &changes, None)
    }

    /// The agreement's rows not yet worked whose slot is from `from` on:
    /// what ending or amending the agreement supersedes.
    pub fn open_agreement_visits(&mut self, id: AgreementId, from: NaiveDateTime) -> Result<Vec<RequestId>> {
        let open = [RequestStatus::Registered, RequestStatus::Dispatched, RequestStatus::NotHome];
        Ok(self.tx.fetch_all(
            "SELECT id FROM requests WHERE agreement_id = ?1 AND agreement_slot >= ?2
                AND status IN (?3, ?4, ?5)
             ORDER BY agreement_slot",
            &sql_params![id, from, open[0].code(), open[1].code(), open[2].code()],
            |r| r.get(0),
        )?)
    }

    /// Marks a register row as the visit of agreement `id` at `slot` (R-DSP-4).
    pub fn link_visit(&mut self, request: RequestId, id: AgreementId, slot: NaiveDateTime) -> Result<()> {
        self.tx.execute(
            "UPDATE requests SET agreement_id = ?2, agreement_slot = ?3 WHERE id = ?1",
            &sql_params![request, id, slot],
        )?;
        let changes = diff(
            &[],
            &[("agreement", id.to_string()), ("appointment", slot.format("%Y-%m-%d %H:%M").to_string())],
        );
        self.record(Entity::Request, request, Action::Update, &changes, None)
    }

    /// A visit superseded by an amendment or a termination gives its slot
    /// up, so the new terms may put a visit there.
    pub fn release_slot(&mut self, request: RequestId) -> Result<()> {
        self.tx.execute("UPDATE requests SET agreement_slot = NULL WHERE id = ?1", &sql_params![request])?;
        Ok(())
    }

    /// The id of the agreement numbered `no`, if any.
    pub fn agreement_id_by_no(&mut self, no: AgreementNo) -> Result<Option<AgreementId>> {
        agreement_id_by_no(&self.tx, no)
    }
}

fn agreement_id_by_no(conn: &dyn Sql, no: AgreementNo) -> Result<Option<AgreementId>> {
    Ok(conn.fetch_opt(
        "SELECT id FROM agreements WHERE year = ?1 AND seq = ?2",
        &sql_params![no.year, no.seq],
        |r| r.get(0),
    )?)
}

fn renewals_of(conn: &dyn Sql, id: AgreementId) -> Result<Vec<(AgreementId, AgreementStatus)>> {
    Ok(conn.fetch_all(
        "SELECT id, status FROM agreements WHERE renewal_of = ?1 ORDER BY id",
        &sql_params![id],
        |r| {
            Ok((
                r.get(0)?,
                AgreementStatus::from_code(&r.get::<String>(1)?).unwrap_or(AgreementStatus::Draft),
            ))
        },
    )?)
}

fn schedule_json(schedule: &Schedule) -> String {
    serde_json::to_string(schedule).unwrap_or_default()
}
