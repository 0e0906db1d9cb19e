//! The desk's follow-up use cases around the jobs: the board (派单) with the
//! repair clocks (R-SLA-1/2), message slips and stubs (R-FU-3), the day-end
//! review (R-FU-4), the morning repair handover (R-FU-5), the cash handover
//! and finance's lists (R-FEE-2, R-FEE-3), hazards (R-SLA-3) and the
//! office's reason list (R-FU-1, R-FU-2).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::jobs::slip_draft_for;
use super::{AppError, HomeDesk, Result};
use crate::domain::{
    CashDay, Desk, FinanceList, HandoverError, HazardReport, Lane, ReasonKind, RegisterKind, RepairHandover,
    Request, RequestId, ReviewAnswer, ReviewRecord, SlaView, SlipError, SlipNo, SlipRecord, StaffId,
    StepReason, User, cash_days, check_blank_count, check_cash_receipt, check_reason_text,
    check_repair_handover, check_review_answer, check_stub_return, copy_rounds, desk_registers, is_overdue,
    needs_day_review, on_board, repair_sla,
};
use crate::store::{RequestQuery, SlipDraft, SortColumn};

/// Rows fetched per query: bounds the SQL `IN (…)` list.
const FETCH_CHUNK: usize = 500;

/// One row of the board with what the desk must see at a glance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    pub request: Request,
    pub lane: Lane,
    /// The appointment passed and the work is not done.
    pub overdue: bool,
    /// A repair row's promise and where it stands (R-SLA-1/2).
    pub sla: Option<SlaView>,
}

/// The desk's board for one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub day: NaiveDate,
    pub desk: Desk,
    pub at: NaiveDateTime,
    /// Today's copy rounds of each register this desk keeps (R-DSP-1/2).
    pub rounds: Vec<(RegisterKind, NaiveDateTime)>,
    pub rows: Vec<BoardRow>,
}

impl Board {
    pub fn lane(&self, lane: Lane) -> impl Iterator<Item = &BoardRow> {
        self.rows.iter().filter(move |row| row.lane == lane)
    }
}

/// The day-end review (R-FU-4): the rows to ask about and the answers so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReview {
    pub day: NaiveDate,
    pub rows: Vec<Request>,
    pub answers: HashMap<RequestId, ReviewRecord>,
}

impl DayReview {
    /// Rows still without an answer.
    pub fn unanswered(&self) -> impl Iterator<Item = &Request> {
        self.rows.iter().filter(|row| !self.answers.contains_key(&row.id))
    }
}

/// The office's lists are kept by a business supervisor or above.
fn require_supervisor(user: &User) -> Result<()> {
    if user.rank.is_supervisor_or_above() { Ok(()) } else { Err(AppError::NeedsSupervisor) }
}

impl HomeDesk {
    /// The rows with these ids, in the order given.
    pub(super) fn requests_in_order(&self, ids: &[RequestId]) -> Result<Vec<Request>> {
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(FETCH_CHUNK) {
            let mut found = self.store.get_requests(chunk)?;
            let order: HashMap<RequestId, usize> = chunk.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            found.sort_by_key(|row| order.get(&row.id).copied().unwrap_or(usize::MAX));
            rows.extend(found);
        }
        Ok(rows)
    }

    /// The board of `desk` for `day`, judged at `now` (R-DSP-1..3, R-SLA-1/2).
    pub fn board(&self, desk: Desk, day: NaiveDate) -> Result<Board> {
        let kinds = desk_registers(desk);
        let now = self.now();
        let ids = self.store.board_request_ids(&kinds, day, now)?;
        let rows: Vec<Request> =
            self.requests_in_order(&ids)?.into_iter().filter(|row| on_board(row, day, now)).collect();
        let rows = self.judge(rows)?;
        let rounds = kinds
            .iter()
            .flat_map(|kind| copy_rounds(*kind).into_iter().map(move |time| (*kind, day.and_time(time))))
            .collect();
        Ok(Board { day, desk, at: self.now(), rounds, rows })
    }

    /// Each row with its lane, overdue flag and repair promise at `now`.
    fn judge(&self, rows: Vec<Request>) -> Result<Vec<BoardRow>> {
        let now = self.now();
        let repair_ids: Vec<RequestId> = rows.iter().filter(|r| r.urgency.is_some()).map(|r| r.id).collect();
        let mut clocks = self.store.repair_clocks(&repair_ids)?;
        Ok(rows
            .into_iter()
            .map(|request| {
                let clock = clocks.remove(&request.id).unwrap_or_default();
                let times = clock.times(request.appointment, request.arrived_at, request.finished_at);
                let sla = repair_sla(&request, &times, now);
                BoardRow { lane: Lane::of(&request), overdue: is_overdue(&request, now), sla, request }
            })
            .collect())
    }

    /// Repair rows received on the days `from ..= to` that broke their
    /// promise (R-SLA-1/2): still open past the deadline, or met late.
    pub fn sla_breaches(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<BoardRow>> {
        let rows = self.repair_rows(from, to)?;
        Ok(self.judge(rows)?.into_iter().filter(|r| r.sla.is_some_and(|s| s.state.is_breach())).collect())
    }

    /// The office's reasons of `kind` (R-FU-1, R-FU-2).
    pub fn step_reasons(&self, kind: ReasonKind) -> Result<Vec<StepReason>> {
        Ok(self.store.list_step_reasons(kind)?)
    }

    /// Adds a reason to the office's list.
    pub fn add_step_reason(&mut self, user: &User, kind: ReasonKind, text: &str) -> Result<i64> {
        require_supervisor(user)?;
        check_reason_text(text)?;
        let mut tx = self.store.write(self.audit(user))?;
        let id = tx.add_step_reason(kind, text)?;
        tx.commit()?;
        Ok(id)
    }

    /// Retires or restores a reason on the office's list.
    pub fn set_step_reason_active(&mut self, user: &User, id: i64, active: bool) -> Result<()> {
        require_supervisor(user)?;
        let mut tx = self.store.write(self.audit(user))?;
        tx.set_step_reason_active(id, active)?;
        tx.commit()?;
        Ok(())
    }

    /// Issues a numbered slip for a job (R-FU-3): room, visit time, service
    /// and staff, never the resident's name or phone.
    pub fn issue_slip_for_job(&mut self, user: &User, id: RequestId) -> Result<SlipRecord> {
        let mut tx = self.store.write(self.audit(user))?;
        let job = tx.get_request(id)?;
        let slip = tx.issue_slip(&slip_draft_for(&job))?;
        tx.commit()?;
        Ok(slip)
    }

    /// Issues `count` blank numbered slips for staff to carry (R-FU-3).
    pub fn issue_blank_slips(&mut self, user: &User, count: usize) -> Result<Vec<SlipRecord>> {
        check_blank_count(count)?;
        let mut tx = self.store.write(self.audit(user))?;
        let mut slips = Vec::with_capacity(count);
        for _ in 0..count {
            slips.push(tx.issue_slip(&SlipDraft::default())?);
        }
        tx.commit()?;
        Ok(slips)
    }

    /// Records the stub of slip `no` handed back to the CS center (R-FU-3).
    pub fn return_stub(&mut self, user: &User, no: &str) -> Result<SlipRecord> {
        let parsed = SlipNo::parse(no).ok_or_else(|| SlipError::Unknown(no.trim().to_string()))?;
        let mut tx = self.store.write(self.audit(user))?;
        let slip = tx.get_slip(parsed)?.ok_or_else(|| SlipError::Unknown(parsed.to_string()))?;
        check_stub_return(&slip, user.desk)?;
        tx.return_stub(&slip, &user.name)?;
        // Read before the commit, as `register_request` does.
        let returned = tx.get_slip(parsed)?.unwrap_or(slip);
        tx.commit()?;
        Ok(returned)
    }

    /// Posted slips whose stubs have not come back.
    pub fn stubs_out(&self) -> Result<Vec<SlipRecord>> {
        Ok(self.store.list_stubs_out()?)
    }

    /// The slips of one job.
    pub fn slips_for(&self, id: RequestId) -> Result<Vec<SlipRecord>> {
        Ok(self.store.slips_for_request(id)?)
    }

    /// The day-end review of `desk` for `day` (R-FU-4).
    pub fn day_review(&self, desk: Desk, day: NaiveDate) -> Result<DayReview> {
        let ids = self.store.board_request_ids(&desk_registers(desk), day, self.now())?;
        let rows: Vec<Request> = self
            .requests_in_order(&ids)?
            .into_iter()
            .filter(|row| needs_day_review(row, day, desk))
            .collect();
        let answers = self
            .store
            .list_day_reviews(day)?
            .into_iter()
            .map(|record| (record.answer.request, record))
            .collect();
        Ok(DayReview { day, rows, answers })
    }

    /// Saves the taker's answer for one row of the day-end review (R-FU-4).
    pub fn answer_day_review(&mut self, user: &User, day: NaiveDate, answer: &ReviewAnswer) -> Result<()> {
        let mut tx = self.store.write(self.audit(user))?;
        let row = tx.get_request(answer.request)?;
        check_review_answer(&row, answer, day, user.desk)?;
        tx.save_day_review(day, user.desk, answer)?;
        tx.commit()?;
        Ok(())
    }

    /// `day`'s repair register, for the morning handover (R-FU-5).
    pub fn repair_rows_of(&self, day: NaiveDate) -> Result<Vec<Request>> {
        self.repair_rows(day, day)
    }

    fn repair_rows(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Request>> {
        let query = RequestQuery {
            kind: Some(RegisterKind::Repair),
            from: Some(from),
            to: Some(to),
            sort: SortColumn::No,
            descending: false,
            ..RequestQuery::default()
        };
        let ids = self.store.query_request_ids(&query)?;
        self.requests_in_order(&ids)
    }

    /// The recorded handover of `day`'s repair register.
    pub fn repair_handover(&self, day: NaiveDate) -> Result<Option<RepairHandover>> {
        Ok(self.store.get_repair_handover(day)?)
    }

    /// The control center hands `day`'s repair register to the CS center (R-FU-5).
    pub fn hand_over_repairs(
        &mut self,
        user: &User,
        day: NaiveDate,
        received_by: &str,
    ) -> Result<RepairHandover> {
        let now = self.now();
        check_repair_handover(user.desk, day, received_by, now)?;
        if self.store.get_repair_handover(day)?.is_some() {
            return Err(HandoverError::AlreadyHandedOver.into());
        }
        let mut tx = self.store.write(self.audit(user))?;
        let handover = RepairHandover {
            day,
            rows: tx.count_received_on(RegisterKind::Repair, day)?,
            handed_by: user.name.clone(),
            handed_at: now,
            received_by: received_by.trim().to_string(),
        };
        tx.save_repair_handover(&handover)?;
        tx.commit()?;
        Ok(handover)
    }

    /// Each staff member's cash for the days `from ..= to` (R-FEE-2).
    pub fn cash_days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CashDay>> {
        let collections = self.store.list_collections(from, to)?;
        let receipts = self.store.list_cash_receipts(from, to)?;
        Ok(cash_days(collections, &receipts))
    }

    /// Finance receives what `staff` still holds of `day`'s cash (R-FEE-2).
    pub fn receive_cash(&mut self, user: &User, staff: StaffId, day: NaiveDate) -> Result<CashDay> {
        let receiver = self.store.get_staff(user.staff_id)?;
        let mut tx = self.store.write(self.audit(user))?;
        let find = |days: Vec<CashDay>| days.into_iter().find(|d| d.staff == staff);
        // Only this staff member's: a day of a large office has hundreds.
        let collections = tx.list_collections_of(staff, day)?;
        let receipts = tx.list_cash_receipts_of(staff, day)?;
        let cash_day =
            find(cash_days(collections.clone(), &receipts)).ok_or(HandoverError::NothingToHandOver)?;
        let amount = check_cash_receipt(&cash_day, &receiver)?;
        tx.insert_cash_receipt(staff, day, amount)?;
        let receipts = tx.list_cash_receipts_of(staff, day)?;
        tx.commit()?;
        Ok(find(cash_days(collections, &receipts)).unwrap_or(cash_day))
    }

    /// Finance's lists (R-FEE-3): jobs done but not reported, or to settle.
    pub fn finance_list(&self, list: FinanceList) -> Result<Vec<Request>> {
        let query = RequestQuery {
            status: Some(list.status()),
            sort: SortColumn::Appointment,
            descending: false,
            ..RequestQuery::default()
        };
        let ids = self.store.query_request_ids(&query)?;
        self.requests_in_order(&ids)
    }

    /// Hazards reported on the days `from ..= to` (R-SLA-3).
    pub fn hazards(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<HazardReport>> {
        Ok(self.store.list_hazards(from, to)?)
    }
}
