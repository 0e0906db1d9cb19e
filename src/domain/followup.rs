//! The desk's follow-up work around the jobs: message slips and their stubs
//! (R-FU-3), the day-end review (R-FU-4), the morning repair handover
//! (R-FU-5) and the daily cash handover to finance (R-FEE-2).
//!
//! Pure rules and the values they judge; storing them is `store`'s.

use chrono::{NaiveDate, NaiveDateTime};

use super::people::coded_enum;
use super::{Desk, Group, Money, RegisterKind, Request, RequestId, RequestStatus, Staff, StaffId};

coded_enum! {
    /// The office's editable lists of reasons (R-FU-1, R-FU-2).
    ReasonKind { Reschedule = "reschedule", Cancel = "cancel" }
}

/// One reason on the office's list; retired reasons stay for old rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReason {
    pub id: i64,
    pub kind: ReasonKind,
    pub text: String,
    pub active: bool,
}

/// A reason the office adds to its list must say something.
pub fn check_reason_text(text: &str) -> Result<(), ReviewError> {
    if text.trim().is_empty() { Err(ReviewError::ReasonRequired) } else { Ok(()) }
}

/// A hazard found in a home (R-SLA-3), as the office's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HazardReport {
    pub request: RequestId,
    pub no: String,
    pub room: String,
    pub at: NaiveDateTime,
    pub by: String,
    pub description: String,
}

/// `LY-2026-000123`: a message slip's number, per year, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlipNo {
    pub year: i32,
    pub seq: i64,
}

impl SlipNo {
    pub const PREFIX: &'static str = "LY";

    /// Reads `LY-2026-000123`; spaces around it and the case of `ly` do not matter.
    pub fn parse(text: &str) -> Option<SlipNo> {
        let text = text.trim().to_ascii_uppercase();
        let mut parts = text.split('-');
        let (prefix, year, seq) = (parts.next()?, parts.next()?, parts.next()?);
        if prefix != Self::PREFIX || parts.next().is_some() || year.len() != 4 {
            return None;
        }
        let seq: i64 = seq.parse().ok()?;
        (seq > 0).then_some(SlipNo { year: year.parse().ok()?, seq })
    }
}

impl std::fmt::Display for SlipNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{:06}", Self::PREFIX, self.year, self.seq)
    }
}

/// A message slip as issued: printed for a job, or blank for staff to carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipRecord {
    pub no: SlipNo,
    pub issued_at: NaiveDateTime,
    pub issued_by: String,
    /// The job it was posted for, once known.
    pub request: Option<RequestId>,
    pub room: String,
    pub visit_at: Option<NaiveDateTime>,
    pub service: String,
    pub staff: String,
    /// When it was posted on a door (the job's "nobody home" step).
    pub posted_at: Option<NaiveDateTime>,
    /// The stub handed back to the CS center: when, and who took it.
    pub stub_returned: Option<(NaiveDateTime, String)>,
}

/// Why a slip cannot be used or its stub taken back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlipError {
    #[error("R-FU-3: no slip {0} was issued")]
    Unknown(String),
    #[error("R-FU-3: slip {0} belongs to another job")]
    OtherJob(SlipNo),
    #[error("R-FU-3: the stub of slip {0} was already returned")]
    StubAlreadyReturned(SlipNo),
    #[error("R-FU-3: the stub is returned to the CS center")]
    StubNotAtCsCenter,
    #[error("R-FU-3: a sheet holds 1 to 40 blank slips")]
    BlankCount,
    #[error("R-FU-3: slip {0} was already posted")]
    AlreadyPosted(SlipNo),
    #[error("R-FU-3: slip {0} was never posted, so it has no stub to return")]
    NotPosted(SlipNo),
    #[error("R-FU-3: the slip asks the resident to call the office, whose service phone is not set")]
    NoServicePhone,
}

/// R-FU-3: a slip asks the resident to call the office back, so it is not
/// printed with the office's service phone left blank.
pub fn check_slip_sheet(service_phone: &str) -> Result<(), SlipError> {
    if service_phone.trim().is_empty() {
        return Err(SlipError::NoServicePhone);
    }
    Ok(())
}

/// Most blank slips printed in one go: a day's round of a whole group.
pub const MAX_BLANK_SLIPS: usize = 40;

/// R-FU-3: a slip is posted once, for the job it was issued for or blank.
pub fn check_slip_for_job(slip: &SlipRecord, job: RequestId) -> Result<(), SlipError> {
    if slip.posted_at.is_some() {
        return Err(SlipError::AlreadyPosted(slip.no));
    }
    match slip.request {
        Some(other) if other != job => Err(SlipError::OtherJob(slip.no)),
        _ => Ok(()),
    }
}

/// R-FU-3: the stub of a posted slip comes back once, to the CS center.
pub fn check_stub_return(slip: &SlipRecord, desk: Desk) -> Result<(), SlipError> {
    if slip.posted_at.is_none() {
        return Err(SlipError::NotPosted(slip.no));
    }
    if slip.stub_returned.is_some() {
        return Err(SlipError::StubAlreadyReturned(slip.no));
    }
    if desk != Desk::CsCenter {
        return Err(SlipError::StubNotAtCsCenter);
    }
    Ok(())
}

/// How many blank slips may be printed at once.
pub fn check_blank_count(count: usize) -> Result<(), SlipError> {
    if (1..=MAX_BLANK_SLIPS).contains(&count) { Ok(()) } else { Err(SlipError::BlankCount) }
}

/// Not yet signed off or closed: a row the desk still has work on.
fn is_open(row: &Request) -> bool {
    matches!(
        row.status,
        RequestStatus::Registered | RequestStatus::Dispatched | RequestStatus::NotHome | RequestStatus::Done
    )
}

/// Whether a row belongs to `day` as the desk keeps its days: booked on it,
/// or taken on it — except an agreement's visit, which is put on the
/// register up to two weeks ahead (R-DSP-4) and belongs to its visit day
/// only, never to the day it was generated (issue 19).
fn of_the_day(row: &Request, day: NaiveDate) -> bool {
    row.appointment.date() == day || (row.agreement.is_none() && row.received_at.date() == day)
}

/// R-FU-4: a row is reviewed at day end when it belongs to the day (see
/// `of_the_day`), is kept by this desk, and is not yet signed off or closed.
pub fn needs_day_review(row: &Request, day: NaiveDate, desk: Desk) -> bool {
    of_the_day(row, day) && is_open(row) && row.no.kind.owner() == desk
}

/// Whether `row` is on the 派单 board of `day`, judged at `now`: a row of
/// the day (see `of_the_day`), or one still open from an earlier day. An
/// open agreement visit of an earlier day is carried only once it is
/// overdue at `now`, so a future day's board holds that day's visits and
/// no others (issue 19). `store::Store::board_request_ids` reads the same
/// rows from the indexes.
pub fn on_board(row: &Request, day: NaiveDate, now: NaiveDateTime) -> bool {
    let earlier_and_open = row.appointment.date() < day && is_open(row);
    of_the_day(row, day) || (earlier_and_open && (row.agreement.is_none() || row.appointment < now))
}

/// R-FU-4: what the taker said about one unfinished row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAnswer {
    pub request: RequestId,
    /// Why it is not signed off, as the taker gave it.
    pub reason: String,
    /// When it is expected to be finished.
    pub expected_at: Option<NaiveDateTime>,
    /// How it will be handled.
    pub handling: String,
}

/// A stored answer with who gave it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub answer: ReviewAnswer,
    pub day: NaiveDate,
    pub by: String,
    pub at: NaiveDateTime,
}

/// Why a day-end answer is refused; each names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("R-FU-4: the taker's reason is required")]
    ReasonRequired,
    #[error("R-FU-4: how it will be handled is required")]
    HandlingRequired,
    #[error("R-FU-4: an unfinished row needs its expected completion time, not before the review day")]
    ExpectedTime,
    #[error("R-FU-4: this row does not need a review that day")]
    NotForReview,
}

/// R-FU-4: reason and handling always; an expected completion time for a row
/// whose work is not done, on or after the review day.
pub fn check_review_answer(
    row: &Request,
    answer: &ReviewAnswer,
    day: NaiveDate,
    desk: Desk,
) -> Result<(), ReviewError> {
    if !needs_day_review(row, day, desk) {
        return Err(ReviewError::NotForReview);
    }
    if answer.reason.trim().is_empty() {
        return Err(ReviewError::ReasonRequired);
    }
    if answer.handling.trim().is_empty() {
        return Err(ReviewError::HandlingRequired);
    }
    let unfinished = row.status != RequestStatus::Done;
    match answer.expected_at {
        Some(at) if at.date() < day => Err(ReviewError::ExpectedTime),
        None if unfinished => Err(ReviewError::ExpectedTime),
        _ => Ok(()),
    }
}

/// R-FU-5: the control center hands yesterday's repair register over by 09:00.
pub const REPAIR_HANDOVER_BY: (u32, u32) = (9, 0);

/// A recorded morning handover of one day's repair register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairHandover {
    /// The register day handed over (yesterday, seen from the morning).
    pub day: NaiveDate,
    pub rows: i64,
    pub handed_by: String,
    pub handed_at: NaiveDateTime,
    /// The CS clerk who took the copy.
    pub received_by: String,
}

impl RepairHandover {
    /// Handed over after 09:00 of the next morning.
    pub fn is_late(&self) -> bool {
        let (h, m) = REPAIR_HANDOVER_BY;
        let by = self.day.succ_opt().and_then(|next| next.and_hms_opt(h, m, 0));
        by.is_some_and(|by| self.handed_at > by)
    }
}

/// Why a handover is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoverError {
    #[error("R-FU-5: the repair register is handed over by the control center")]
    NotControlCenter,
    #[error("R-FU-5: the CS clerk who received the copy is required")]
    ReceiverRequired,
    #[error("R-FU-5: only a day that has ended can be handed over")]
    DayNotOver,
    #[error("R-FU-5: that day was already handed over")]
    AlreadyHandedOver,
    #[error("R-FEE-2: finance receives the cash")]
    NotFinance,
    #[error("R-FEE-2: nothing is waiting to be handed over")]
    NothingToHandOver,
}

/// R-FU-5: the control center hands over a finished day, naming the receiver.
pub fn check_repair_handover(
    desk: Desk,
    day: NaiveDate,
    received_by: &str,
    now: NaiveDateTime,
) -> Result<(), HandoverError> {
    if desk != Desk::ControlCenter {
        return Err(HandoverError::NotControlCenter);
    }
    if received_by.trim().is_empty() {
        return Err(HandoverError::ReceiverRequired);
    }
    if day >= now.date() {
        return Err(HandoverError::DayNotOver);
    }
    Ok(())
}

/// One fee collected at the door, as the handover lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub request: RequestId,
    pub no: String,
    pub kind: RegisterKind,
    pub room: String,
    pub service: String,
    pub at: NaiveDateTime,
    pub amount: Money,
    pub collector: StaffId,
    pub collector_name: String,
}

/// Finance's receipt of a staff member's cash for a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashReceipt {
    pub staff: StaffId,
    pub day: NaiveDate,
    pub amount: Money,
    pub received_by: String,
    pub received_at: NaiveDateTime,
}

/// R-FEE-2: one staff member's cash for one day: what was collected, what
/// finance has received, and what is still to hand over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashDay {
    pub staff: StaffId,
    pub staff_name: String,
    pub day: NaiveDate,
    pub collections: Vec<Collection>,
    pub receipts: Vec<CashReceipt>,
}

impl CashDay {
    pub fn collected(&self) -> Money {
        Money::sum(self.collections.iter().map(|c| c.amount))
    }

    pub fn received(&self) -> Money {
        Money::sum(self.receipts.iter().map(|r| r.amount))
    }

    /// Collected but not yet with finance (never negative).
    pub fn outstanding(&self) -> Money {
        self.collected().saturating_sub(self.received())
    }

    /// R-FEE-2: the day has ended with cash still in hand.
    pub fn is_overdue(&self, now: NaiveDateTime) -> bool {
        !self.outstanding().is_zero() && now.date() > self.day
    }
}

/// Groups collections by staff member and day, oldest day first, with the
/// receipts that belong to each.
pub fn cash_days(collections: Vec<Collection>, receipts: &[CashReceipt]) -> Vec<CashDay> {
    let mut days: Vec<CashDay> = Vec::new();
    for c in collections {
        let day = c.at.date();
        match days.iter_mut().find(|d| d.staff == c.collector && d.day == day) {
            Some(found) => found.collections.push(c),
            None => days.push(CashDay {
                staff: c.collector,
                staff_name: c.collector_name.clone(),
                day,
                collections: vec![c],
                receipts: Vec::new(),
            }),
        }
    }
    for d in &mut days {
        d.receipts = receipts.iter().filter(|r| r.staff == d.staff && r.day == d.day).cloned().collect();
    }
    days.sort_by(|a, b| (a.day, &a.staff_name).cmp(&(b.day, &b.staff_name)));
    days
}

/// R-FEE-2: finance receives what is outstanding.
pub fn check_cash_receipt(day: &CashDay, receiver: &Staff) -> Result<Money, HandoverError> {
    if receiver.group != Group::Finance {
        return Err(HandoverError::NotFinance);
    }
    let outstanding = day.outstanding();
    if outstanding.is_zero() {
        return Err(HandoverError::NothingToHandOver);
    }
    Ok(outstanding)
}

/// R-FEE-3: what finance chases and settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinanceList {
    /// Finished at the door but not yet reported (signed off) at the desk.
    NotReported,
    /// Signed off and waiting to be settled.
    ToSettle,
}

impl FinanceList {
    pub fn status(self) -> RequestStatus {
        match self {
            FinanceList::NotReported => RequestStatus::Done,
            FinanceList::ToSettle => RequestStatus::SignedOff,
        }
    }
}

/// Where a row sits on the desk's board (派单).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    /// Housekeeping and alarm rows waiting for the next round (R-DSP-1/2).
    ToCopy,
    /// Repair rows the control center notifies at once (R-DSP-3).
    NotifyNow,
    /// With staff: sent out, or nobody was home.
    Out,
    /// Done at the door, to be signed off at the desk (R-EX-2).
    ToSignOff,
    /// Signed off, settled or cancelled.
    Closed,
}

impl Lane {
    pub const ALL: [Lane; 5] = [Lane::NotifyNow, Lane::ToCopy, Lane::Out, Lane::ToSignOff, Lane::Closed];

    pub fn of(row: &Request) -> Lane {
        match row.status {
            RequestStatus::Registered if row.no.kind == RegisterKind::Repair => Lane::NotifyNow,
            RequestStatus::Registered => Lane::ToCopy,
            RequestStatus::Dispatched | RequestStatus::NotHome => Lane::Out,
            RequestStatus::Done => Lane::ToSignOff,
            RequestStatus::SignedOff
            | RequestStatus::Settled
            | RequestStatus::Cancelled
            | RequestStatus::Relayed => Lane::Closed,
        }
    }
}

/// The appointment has passed and nobody has finished the work.
pub fn is_overdue(row: &Request, now: NaiveDateTime) -> bool {
    matches!(row.status, RequestStatus::Registered | RequestStatus::Dispatched | RequestStatus::NotHome)
        && row.appointment < now
}

/// The registers a desk dispatches from its board (R-DESK-1/2).
pub fn desk_registers(desk: Desk) -> Vec<RegisterKind> {
    RegisterKind::ALL.iter().copied().filter(|kind| kind.owner() == desk).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::sample_request;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn slip(request: Option<RequestId>) -> SlipRecord {
        SlipRecord {
            no: SlipNo { year: 2026, seq: 12 },
            issued_at: at("2026-03-02 09:00"),
            issued_by: "陈客服".into(),
            request,
            room: String::new(),
            visit_at: None,
            service: String::new(),
            staff: String::new(),
            posted_at: None,
            stub_returned: None,
        }
    }

    #[test]
    fn r_fu_3_slip_numbers_read_back_as_printed() {
        let no = SlipNo { year: 2026, seq: 12 };
        assert_eq!(no.to_string(), "LY-2026-000012");
        assert_eq!(SlipNo::parse(" ly-2026-000012 "), Some(no));
        for bad in ["", "LY-2026", "JZ-2026-000012", "LY-26-1", "LY-2026-0", "LY-2026-x", "LY-2026-1-2"] {
            assert_eq!(SlipNo::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn r_fu_3_a_slip_is_posted_for_its_own_job_and_its_stub_returns_once_to_the_cs_center() {
        let no = slip(None).no;
        assert_eq!(check_slip_for_job(&slip(None), 5), Ok(()));
        assert_eq!(check_slip_for_job(&slip(Some(5)), 5), Ok(()));
        assert_eq!(check_slip_for_job(&slip(Some(6)), 5), Err(SlipError::OtherJob(no)));
        assert_eq!(check_stub_return(&slip(Some(5)), Desk::CsCenter), Err(SlipError::NotPosted(no)));
        let mut returned = slip(Some(5));
        returned.posted_at = Some(at("2026-03-02 14:05"));
        assert_eq!(check_slip_for_job(&returned, 5), Err(SlipError::AlreadyPosted(no)), "posted once");
        assert_eq!(check_stub_return(&returned, Desk::ControlCenter), Err(SlipError::StubNotAtCsCenter));
        assert_eq!(check_stub_return(&returned, Desk::CsCenter), Ok(()));
        returned.stub_returned = Some((at("2026-03-02 17:00"), "陈客服".into()));
        assert!(matches!(
            check_stub_return(&returned, Desk::CsCenter),
            Err(SlipError::StubAlreadyReturned(_))
        ));
        assert_eq!(check_blank_count(0), Err(SlipError::BlankCount));
        assert_eq!(check_blank_count(MAX_BLANK_SLIPS + 1), Err(SlipError::BlankCount));
        assert_eq!(check_blank_count(10), Ok(()));
    }

    #[test]
    fn r_fu_4_the_day_end_review_covers_the_days_open_rows_of_this_desk() {
        let mut row = sample_request(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let monday = day("2026-03-02");
        assert!(needs_day_review(&row, monday, Desk::CsCenter));
        assert!(!needs_day_review(&row, monday, Desk::ControlCenter));
        assert!(!needs_day_review(&row, day("2026-03-03"), Desk::CsCenter));
        row.status = RequestStatus::SignedOff;
        assert!(!needs_day_review(&row, monday, Desk::CsCenter));
        row.status = RequestStatus::Dispatched;
        let mut visit = row.clone();
        visit.agreement = Some(7);
        visit.appointment = at("2026-03-04 09:00");
        assert!(!needs_day_review(&visit, monday, Desk::CsCenter), "a visit generated today is of its day");
        assert!(needs_day_review(&visit, day("2026-03-04"), Desk::CsCenter));
        let answer = |reason: &str, expected: Option<&str>, handling: &str| ReviewAnswer {
            request: row.id,
            reason: reason.into(),
            expected_at: expected.map(at),
            handling: handling.into(),
        };
        let ok = answer("住户下午不在家", Some("2026-03-03 10:00"), "明早再上门");
        assert_eq!(check_review_answer(&row, &ok, monday, Desk::CsCenter), Ok(()));
        let no_reason = answer(" ", Some("2026-03-03 10:00"), "明早再上门");
        assert_eq!(
            check_review_answer(&row, &no_reason, monday, Desk::CsCenter),
            Err(ReviewError::ReasonRequired)
        );
        let no_time = answer("住户不在家", None, "明早再上门");
        assert_eq!(
            check_review_answer(&row, &no_time, monday, Desk::CsCenter),
            Err(ReviewError::ExpectedTime)
        );
        let no_handling = answer("住户不在家", Some("2026-03-03 10:00"), "");
        assert_eq!(
            check_review_answer(&row, &no_handling, monday, Desk::CsCenter),
            Err(ReviewError::HandlingRequired)
        );
        row.status = RequestStatus::Done;
        let done = answer("员工未回来签单", None, "催员工明早签单");
        assert_eq!(check_review_answer(&row, &done, monday, Desk::CsCenter), Ok(()));
    }

    #[test]
    fn r_fu_5_the_repair_register_is_handed_over_by_the_control_center_by_09_00() {
        let sunday = day("2026-03-01");
        let now = at("2026-03-02 08:40");
        assert_eq!(check_repair_handover(Desk::ControlCenter, sunday, "陈客服", now), Ok(()));
        assert_eq!(
            check_repair_handover(Desk::CsCenter, sunday, "陈客服", now),
            Err(HandoverError::NotControlCenter)
        );
        assert_eq!(
            check_repair_handover(Desk::ControlCenter, sunday, " ", now),
            Err(HandoverError::ReceiverRequired)
        );
        assert_eq!(
            check_repair_handover(Desk::ControlCenter, now.date(), "陈客服", now),
            Err(HandoverError::DayNotOver)
        );
        let handed = |time: &str| RepairHandover {
            day: sunday,
            rows: 3,
            handed_by: "赵控".into(),
            handed_at: at(time),
            received_by: "陈客服".into(),
        };
        assert!(!handed("2026-03-02 09:00").is_late());
        assert!(handed("2026-03-02 09:01").is_late());
    }

    fn collection(collector: StaffId, when: &str, yuan: i64) -> Collection {
        Collection {
            request: 1,
            no: "JZ-2026-000001".into(),
            kind: RegisterKind::Housekeeping,
            room: "3栋2单元201".into(),
            service: "日常保洁".into(),
            at: at(when),
            amount: Money::from_yuan(yuan).unwrap_or(Money::ZERO),
            collector,
            collector_name: format!("员工{collector}"),
        }
    }

    #[test]
    fn r_fee_2_each_days_cash_is_handed_to_finance_before_the_day_ends() {
        let collections = vec![
            collection(7, "2026-03-02 10:00", 80),
            collection(8, "2026-03-02 11:00", 120),
            collection(7, "2026-03-02 15:00", 50),
            collection(7, "2026-03-03 09:00", 60),
        ];
        let receipt = CashReceipt {
            staff: 7,
            day: day("2026-03-02"),
            amount: Money::from_yuan(80).unwrap_or(Money::ZERO),
            received_by: "孙财务".into(),
            received_at: at("2026-03-02 12:00"),
        };
        let days = cash_days(collections, &[receipt]);
        assert_eq!(days.len(), 3);
        let first = &days[0];
        assert_eq!(
            (first.staff, first.collected(), first.outstanding()),
            (7, Money::from_yuan(130).unwrap_or(Money::ZERO), Money::from_yuan(50).unwrap_or(Money::ZERO))
        );
        assert!(!first.is_overdue(at("2026-03-02 17:00")));
        assert!(first.is_overdue(at("2026-03-03 08:00")));
        let finance = Staff {
            id: 12,
            name: "孙财务".into(),
            group: Group::Finance,
            rank: super::super::Rank::Staff,
            active: true,
            first_job_on: None,
            phone: String::new(),
            login: None,
        };
        let clerk = Staff { group: Group::CsCenter, ..finance.clone() };
        assert_eq!(check_cash_receipt(first, &clerk), Err(HandoverError::NotFinance));
        assert_eq!(check_cash_receipt(first, &finance), Ok(Money::from_yuan(50).unwrap_or(Money::ZERO)));
        let mut settled = first.clone();
        settled.collections.truncate(1);
        assert_eq!(check_cash_receipt(&settled, &finance), Err(HandoverError::NothingToHandOver));
    }

    #[test]
    fn r_dsp_4_an_agreement_visit_is_on_the_board_of_its_visit_day_only() {
        let mut visit = sample_request(RegisterKind::Housekeeping, RequestStatus::Registered);
        visit.agreement = Some(7);
        visit.received_at = at("2026-03-02 07:30");
        visit.appointment = at("2026-03-04 09:00");
        let monday = at("2026-03-02 10:00");
        let days = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"];
        let boards: Vec<bool> = days.iter().map(|d| on_board(&visit, day(d), monday)).collect();
        assert_eq!(boards, [false, false, true, false, false], "not on the day it was generated");
        // Left open past its time, it is carried like any overdue row.
        let thursday = at("2026-03-05 08:00");
        assert!(on_board(&visit, day("2026-03-05"), thursday));
        visit.status = RequestStatus::SignedOff;
        assert!(!on_board(&visit, day("2026-03-05"), thursday), "worked on its day: that day only");
        assert!(on_board(&visit, day("2026-03-04"), thursday));
        // An ordinary request is on the board of the day it was taken too.
        let mut request = visit.clone();
        request.agreement = None;
        request.status = RequestStatus::Registered;
        assert!(on_board(&request, day("2026-03-02"), monday));
        assert!(on_board(&request, day("2026-03-06"), monday), "open, booked before: still to do");
    }
}
