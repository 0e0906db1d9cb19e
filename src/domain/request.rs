//! A register row as stored: the fields of R-IN-4 and the per-register extras.

use chrono::NaiveDateTime;

use super::{
    AlarmWork, Desk, Money, PriceReview, RegisterKind, RequestStatus, RunningNo, StaffId, Urgency,
    ValidRequest,
};

pub type RequestId = i64;

/// One row of one of the three registers (R-IN-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: RequestId,
    pub no: RunningNo,
    pub received_at: NaiveDateTime,
    pub received_by: String,
    pub desk: Desk,
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub service: String,
    pub details: String,
    pub appointment: NaiveDateTime,
    pub slack_reason: String,
    pub price: Option<Money>,
    pub price_agreed: bool,
    pub review: Option<PriceReview>,
    pub urgency: Option<Urgency>,
    pub alarm_work: Option<AlarmWork>,
    pub assigned_staff: Option<(StaffId, String)>,
    pub status: RequestStatus,
    pub signed_off: Option<(String, NaiveDateTime)>,
    pub collected: Option<(Money, String)>,
    pub settled_at: Option<NaiveDateTime>,
    pub notes: String,
    /// On a repair relayed by the CS center: whom the control center heard it from (R-DESK-3).
    pub relay_told: Option<String>,
    /// On the housekeeping relay note: the repair row it points at (R-DESK-3, §12).
    pub relay_of: Option<RequestId>,
    /// The other row of a relay (R-DESK-3), by its running number: on the
    /// note, the repair it created; on the relayed repair, its note. Read
    /// with the row, so that every list, print and export can name it.
    pub relay_link: Option<RunningNo>,
    /// On a repair row: the follow-up check that the repair holds (R-IN-4, R-EX-4).
    pub follow_up: Option<String>,
    /// Staff first reached the home (R-SLA-1/2).
    pub arrived_at: Option<NaiveDateTime>,
    /// The work was finished (the service record's time, R-EX-1, R-SLA-1).
    pub finished_at: Option<NaiveDateTime>,
    /// A visit of a long-term agreement (R-DSP-4).
    pub agreement: Option<super::AgreementId>,
}

/// A historical register row read from a file (issue 9, docs/IMPORT.md):
/// written as it was — its time, taker, status, sign-off and collection as
/// given — not driven through the job life cycle. Its running number is
/// issued when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastRequest {
    pub request: ValidRequest,
    pub received_at: NaiveDateTime,
    /// The taker's name as the file has it.
    pub received_by: String,
    /// The staff member of that name, if there is one (else the importer).
    pub received_by_id: Option<StaffId>,
    pub status: RequestStatus,
    pub signed_off: Option<(String, NaiveDateTime)>,
    pub collected: Option<(Money, String)>,
    pub settled_at: Option<NaiveDateTime>,
    pub follow_up: Option<String>,
}

impl PastRequest {
    pub fn kind(&self) -> RegisterKind {
        self.request.kind
    }
}

/// A recorded refusal (R-IN-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub id: i64,
    pub at: NaiveDateTime,
    pub by: String,
    pub desk: Desk,
    pub kind: Option<super::RegisterKind>,
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub asked_for: String,
    pub reason: String,
}

/// A register row for unit tests: 3栋2单元201, 张三, an agreed ¥80.00,
/// received 2026-03-02 10:00 and booked for 14:00.
#[cfg(test)]
pub(crate) fn sample_request(kind: super::RegisterKind, status: RequestStatus) -> Request {
    let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default();
    Request {
        id: 1,
        no: RunningNo { kind, year: 2026, seq: 1 },
        received_at: at("2026-03-02 10:00"),
        received_by: "陈客服".into(),
        desk: kind.owner(),
        room: "3栋2单元201".into(),
        resident_name: "张三".into(),
        phone: "13800138000".into(),
        service: "日常保洁".into(),
        details: "全屋保洁".into(),
        appointment: at("2026-03-02 14:00"),
        slack_reason: String::new(),
        price: Money::from_yuan(80),
        price_agreed: true,
        review: None,
        urgency: None,
        alarm_work: None,
        assigned_staff: None,
        status,
        signed_off: None,
        collected: None,
        settled_at: None,
        notes: String::new(),
        relay_told: None,
        relay_of: None,
        relay_link: None,
        follow_up: None,
        arrived_at: None,
        finished_at: None,
        agreement: None,
    }
}
