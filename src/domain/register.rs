//! The three intake registers (家政 / 维修 / 报警): their rows, running numbers,
//! refusals, and every intake rule (R-DESK-1..4, R-IN-1..5, R-FEE-4).
//!
//! [`validate_intake`] turns what a clerk typed into a [`ValidRequest`] or a list
//! of field errors, all at once, so the form can show each next to its field.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::people::coded_enum;
use super::{
    Desk, Group, Money, MoneyError, PriceItem, PriceReview, RoomNo, Staff, StaffId, TextKind,
    check_appointment_near, check_text, is_valid_phone, within_price_band,
};

coded_enum! {
    /// The three registers (R-IN-2).
    RegisterKind { Housekeeping = "housekeeping", Repair = "repair", Alarm = "alarm" }
}

impl RegisterKind {
    /// The prefix of the running number: `JZ-2026-000123`.
    pub fn prefix(self) -> &'static str {
        match self {
            RegisterKind::Housekeeping => "JZ",
            RegisterKind::Repair => "WX",
            RegisterKind::Alarm => "BJ",
        }
    }

    /// The desk that owns this register (R-DESK-1, R-DESK-2).
    pub fn owner(self) -> Desk {
        match self {
            RegisterKind::Housekeeping | RegisterKind::Alarm => Desk::CsCenter,
            RegisterKind::Repair => Desk::ControlCenter,
        }
    }

    /// The group that does this work (R-DESK-4).
    pub fn provider(self) -> Group {
        match self {
            RegisterKind::Housekeeping => Group::Housekeeping,
            RegisterKind::Repair => Group::PublicRepair,
            RegisterKind::Alarm => Group::Engineering,
        }
    }
}

coded_enum! {
    /// Urgency of a repair (R-IN-4; R-SLA commitments hang on it).
    Urgency { Emergency = "emergency", Small = "small", Big = "big" }
}

coded_enum! {
    /// Kind of alarm work (R-IN-4): 开通 / 改位 / 维修.
    AlarmWork { Open = "open", Relocate = "relocate", Repair = "repair" }
}

coded_enum! {
    /// Where a register row stands. The life cycle past `Registered` is driven by
    /// dispatch (a later issue); `Relayed` marks the R-DESK-3 relay note.
    RequestStatus {
        Registered = "registered",
        Dispatched = "dispatched",
        NotHome = "not_home",
        Done = "done",
        SignedOff = "signed_off",
        Settled = "settled",
        Cancelled = "cancelled",
        Relayed = "relayed",
    }
}

/// `JZ-2026-000123`: per register, per year, gap-free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunningNo {
    pub kind: RegisterKind,
    pub year: i32,
    pub seq: i64,
}

impl RunningNo {
    /// Reads `JZ-2026-000123` (any case, spaces around it ignored).
    pub fn parse(text: &str) -> Option<RunningNo> {
        let text = text.trim().to_ascii_uppercase();
        let mut parts = text.split('-');
        let (prefix, year, seq) = (parts.next()?, parts.next()?, parts.next()?);
        let kind = RegisterKind::ALL.iter().copied().find(|k| k.prefix() == prefix)?;
        if parts.next().is_some() || year.len() != 4 {
            return None;
        }
        let seq: i64 = seq.parse().ok()?;
        (seq > 0).then_some(RunningNo { kind, year: year.parse().ok()?, seq })
    }
}

impl std::fmt::Display for RunningNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{:06}", self.kind.prefix(), self.year, self.seq)
    }
}

/// R-IN-3: the least slack between registering and an ordinary appointment.
pub const MIN_SLACK: Duration = Duration::minutes(30);

/// The service asked for: a price-list item, or something not on the list
/// (which needs a price review, R-FEE-4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ServiceChoice {
    #[default]
    None,
    Listed(super::PriceItemId),
    Unlisted(String),
}

/// What the new-row form holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IntakeDraft {
    pub kind: Option<RegisterKind>,
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub service: ServiceChoice,
    pub details: String,
    pub appointment: String,
    /// The clerk's written reason for booking sooner than 30 minutes (R-IN-3).
    pub slack_reason: String,
    pub price: String,
    /// The resident was told the price and agreed (R-IN-5).
    pub price_agreed: bool,
    pub review_by: String,
    pub review_conclusion: String,
    pub urgency: Option<Urgency>,
    pub alarm_work: Option<AlarmWork>,
    pub assigned_staff: Option<StaffId>,
    pub notes: String,
    /// R-DESK-3: whom at the control center the CS center told.
    pub relay_told: String,
}

/// The facts validation needs besides the draft: no clock, no database.
pub struct IntakeContext<'a> {
    pub now: NaiveDateTime,
    pub desk: Desk,
    /// The price-list item when the draft names one.
    pub listed_item: Option<&'a PriceItem>,
    /// The staff member when the draft assigns one.
    pub assigned: Option<&'a Staff>,
}

/// Fields of the form, so that each error lands next to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Kind,
    Room,
    ResidentName,
    Phone,
    Service,
    Details,
    Appointment,
    SlackReason,
    Price,
    Review,
    Urgency,
    AlarmWork,
    AssignedStaff,
    RelayTold,
    RefusalReason,
    ChangeReason,
    Notes,
}

/// Why an intake is refused; each names the rule it enforces.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    #[error("R-DESK-1/2: the {desk:?} desk does not take the {kind:?} register")]
    WrongDesk { desk: Desk, kind: RegisterKind },
    #[error("R-DESK-3: the CS center relays only emergency repairs")]
    CsRepairNotEmergency,
    #[error("R-IN-4: required")]
    Required,
    #[error("R-IN-4: not a room number")]
    BadRoom,
    #[error("R-IN-4: not a phone number")]
    BadPhone,
    #[error("R-IN-2: not a date and time")]
    BadAppointment,
    #[error("R-IN-2: appointment is in the past")]
    AppointmentInPast,
    #[error("R-IN-3: appointment earlier than {earliest}")]
    AppointmentTooSoon { earliest: NaiveDateTime },
    #[error("R-FEE-5: {0}")]
    BadPrice(MoneyError),
    #[error("R-FEE-4: price outside {low}–{high}")]
    PriceOutsideBand { low: Money, high: Money },
    #[error("R-FEE-4: a service not on the list needs a recorded review")]
    ReviewRequired,
    #[error("R-FEE-4: the item belongs to another register")]
    ItemOfOtherRegister,
    #[error("R-FEE-4: the item is no longer on the price list")]
    InactiveItem,
    #[error("R-IN-5: no one is sent before the price is agreed")]
    PriceNotAgreed,
    #[error("R-DESK-4: {group:?} does not do this work")]
    WrongProvider { group: Group },
    #[error("R-FU-6: a settled or cancelled row is closed")]
    RowClosed,
    #[error("inactive staff")]
    InactiveStaff,
    #[error("{0}")]
    Text(super::TextError),
    #[error("{0}")]
    When(super::WhenError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub error: IntakeError,
}

/// A request that passed every intake rule, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub kind: RegisterKind,
    pub desk: Desk,
    pub room: RoomNo,
    pub resident_name: String,
    pub phone: String,
    pub price_item: Option<i64>,
    pub service: String,
    pub details: String,
    pub appointment: NaiveDateTime,
    pub slack_reason: String,
    pub price: Option<Money>,
    pub price_agreed: bool,
    pub review: Option<PriceReview>,
    pub urgency: Option<Urgency>,
    pub alarm_work: Option<AlarmWork>,
    pub assigned_staff: Option<StaffId>,
    pub notes: String,
    /// Set on a repair the CS center relays (R-DESK-3).
    pub relay_told: Option<String>,
}

/// Checks a draft against every intake rule and returns all field errors at once.
pub fn validate_intake(
    draft: &IntakeDraft,
    ctx: &IntakeContext<'_>,
) -> Result<ValidRequest, Vec<FieldError>> {
    let Some(kind) = draft.kind else {
        return Err(vec![FieldError { field: Field::Kind, error: IntakeError::Required }]);
    };
    let mut errors = Vec::new();
    let room = check_contact(&draft.room, &draft.resident_name, &draft.phone, &draft.details, &mut errors);
    check_texts(draft, &mut errors);
    let mut fail = |field, error| errors.push(FieldError { field, error });
    let relay = check_desk(kind, ctx.desk, draft.urgency, &draft.relay_told);
    if let Err(e) = &relay {
        fail(e.field, e.error.clone());
    }

    if kind == RegisterKind::Repair && draft.urgency.is_none() && relay.is_ok() {
        fail(Field::Urgency, IntakeError::Required);
    }
    if kind == RegisterKind::Alarm && draft.alarm_work.is_none() {
        fail(Field::AlarmWork, IntakeError::Required);
    }

    let emergency = kind == RegisterKind::Repair && draft.urgency == Some(Urgency::Emergency);
    let appointment = check_appointment(draft, ctx.now, emergency);
    if let Err(e) = &appointment {
        fail(e.field, e.error.clone());
    }

    let service = check_service(kind, draft, ctx.listed_item);
    if let Err(e) = &service {
        fail(e.field, e.error.clone());
    }
    let price = check_price(draft, ctx.listed_item);
    if let Err(e) = &price {
        fail(e.field, e.error.clone());
    }
    let price = price.ok().flatten();
    if let Err(e) = check_assignment(kind, draft, price, ctx.assigned) {
        fail(e.field, e.error);
    }

    match (room, appointment, service, relay) {
        (Some(room), Ok(appointment), Ok(service), Ok(relay_told)) if errors.is_empty() => {
            let review = matches!(draft.service, ServiceChoice::Unlisted(_)).then(|| PriceReview {
                reviewer: draft.review_by.trim().to_string(),
                reviewed_at: ctx.now,
                conclusion: draft.review_conclusion.trim().to_string(),
            });
            Ok(ValidRequest {
                kind,
                desk: ctx.desk,
                room,
                resident_name: draft.resident_name.trim().to_string(),
                phone: draft.phone.trim().to_string(),
                price_item: ctx.listed_item.map(|i| i.id),
                service,
                details: draft.details.trim().to_string(),
                appointment,
                slack_reason: draft.slack_reason.trim().to_string(),
                price,
                price_agreed: draft.price_agreed && price.is_some(),
                review,
                urgency: (kind == RegisterKind::Repair).then_some(draft.urgency).flatten(),
                alarm_work: (kind == RegisterKind::Alarm).then_some(draft.alarm_work).flatten(),
                assigned_staff: draft.assigned_staff,
                notes: draft.notes.trim().to_string(),
                relay_told,
            })
        }
        _ => Err(errors),
    }
}

/// R-IN-4: the room, resident, phone and description every row carries.
/// Pushes an error per bad field; returns the room when it is one.
pub(super) fn check_contact(
    room: &str,
    resident_name: &str,
    phone: &str,
    details: &str,
    errors: &mut Vec<FieldError>,
) -> Option<RoomNo> {
    let mut fail = |field, error| errors.push(FieldError { field, error });
    let parsed = RoomNo::parse(room).ok();
    if room.trim().is_empty() {
        fail(Field::Room, IntakeError::Required);
    } else if parsed.is_none() {
        fail(Field::Room, IntakeError::BadRoom);
    }
    if resident_name.trim().is_empty() {
        fail(Field::ResidentName, IntakeError::Required);
    } else if let Err(e) = check_text(resident_name, TextKind::Name) {
        fail(Field::ResidentName, IntakeError::Text(e));
    }
    let phone = phone.trim();
    if phone.is_empty() {
        fail(Field::Phone, IntakeError::Required);
    } else if !is_valid_phone(phone) {
        fail(Field::Phone, IntakeError::BadPhone);
    }
    if details.trim().is_empty() {
        fail(Field::Details, IntakeError::Required);
    } else if let Err(e) = check_text(details, TextKind::Note) {
        fail(Field::Details, IntakeError::Text(e));
    }
    parsed
}

/// The other texts of the form within what the paper register holds, and
/// printable (the limits the 设置 forms and import share).
fn check_texts(draft: &IntakeDraft, errors: &mut Vec<FieldError>) {
    let unlisted = match &draft.service {
        ServiceChoice::Unlisted(text) => text.as_str(),
        _ => "",
    };
    let fields = [
        (Field::Service, unlisted, TextKind::Line),
        (Field::SlackReason, draft.slack_reason.as_str(), TextKind::Note),
        (Field::Review, draft.review_by.as_str(), TextKind::Name),
        (Field::Review, draft.review_conclusion.as_str(), TextKind::Note),
        (Field::Notes, draft.notes.as_str(), TextKind::Note),
        (Field::RelayTold, draft.relay_told.as_str(), TextKind::Name),
    ];
    for (field, text, kind) in fields {
        if let Err(e) = check_text(text, kind)
            && !errors.iter().any(|e| e.field == field)
        {
            errors.push(FieldError { field, error: IntakeError::Text(e) });
        }
    }
}

/// R-DESK-1/2/3: which desk may take which register. Returns whom the CS
/// center told when it relays an emergency repair.
fn check_desk(
    kind: RegisterKind,
    desk: Desk,
    urgency: Option<Urgency>,
    relay_told: &str,
) -> Result<Option<String>, FieldError> {
    let err = |field, error| Err(FieldError { field, error });
    match (desk, kind) {
        (Desk::CsCenter, RegisterKind::Repair) => {
            if urgency != Some(Urgency::Emergency) {
                return err(Field::Urgency, IntakeError::CsRepairNotEmergency);
            }
            let told = relay_told.trim();
            if told.is_empty() {
                return err(Field::RelayTold, IntakeError::Required);
            }
            Ok(Some(told.to_string()))
        }
        (desk, kind) if desk != kind.owner() => err(Field::Kind, IntakeError::WrongDesk { desk, kind }),
        _ => Ok(None),
    }
}

/// R-IN-2 and R-IN-3: a real time, not past, and 30 minutes of slack unless an
/// emergency or the clerk writes why.
fn check_appointment(
    draft: &IntakeDraft,
    now: NaiveDateTime,
    emergency: bool,
) -> Result<NaiveDateTime, FieldError> {
    let err = |error| FieldError { field: Field::Appointment, error };
    if draft.appointment.trim().is_empty() {
        return Err(err(IntakeError::Required));
    }
    let at = parse_date_time(&draft.appointment, now.date()).ok_or(err(IntakeError::BadAppointment))?;
    // Even an emergency is booked for now or later: a time already past is a typo.
    if at < start_of_minute(now) {
        return Err(err(IntakeError::AppointmentInPast));
    }
    check_appointment_near(now, at).map_err(|e| err(IntakeError::When(e)))?;
    // Compared to the minute, as typed; the message then names the exact minute.
    let earliest = start_of_minute(now) + MIN_SLACK;
    if at < earliest && !emergency && draft.slack_reason.trim().is_empty() {
        return Err(FieldError {
            field: Field::Appointment,
            error: IntakeError::AppointmentTooSoon { earliest },
        });
    }
    Ok(at)
}

/// Appointments are typed to the minute: compare with the current minute.
fn start_of_minute(now: NaiveDateTime) -> NaiveDateTime {
    now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now)
}

/// The service text of the row; the listed item must belong to this register.
fn check_service(
    kind: RegisterKind,
    draft: &IntakeDraft,
    listed: Option<&PriceItem>,
) -> Result<String, FieldError> {
    let err = |field, error| Err(FieldError { field, error });
    match (&draft.service, listed) {
        (ServiceChoice::Listed(_), Some(item)) if item.category.register() != kind => {
            err(Field::Service, IntakeError::ItemOfOtherRegister)
        }
        (ServiceChoice::Listed(_), Some(item)) if !item.active => {
            err(Field::Service, IntakeError::InactiveItem)
        }
        (ServiceChoice::Listed(_), Some(item)) => Ok(item.name.clone()),
        (ServiceChoice::Unlisted(text), _) if !text.trim().is_empty() => {
            if draft.review_by.trim().is_empty() || draft.review_conclusion.trim().is_empty() {
                return err(Field::Review, IntakeError::ReviewRequired);
            }
            Ok(text.trim().to_string())
        }
        _ => err(Field::Service, IntakeError::Required),
    }
}

/// R-FEE-5 and R-FEE-4: the price parses and lies within ±30 % of the list.
fn check_price(draft: &IntakeDraft, listed: Option<&PriceItem>) -> Result<Option<Money>, FieldError> {
    let err = |error| FieldError { field: Field::Price, error };
    if draft.price.trim().is_empty() {
        return Ok(None);
    }
    let price = Money::parse(&draft.price).map_err(|e| err(IntakeError::BadPrice(e)))?;
    match (&draft.service, listed) {
        (ServiceChoice::Listed(_), Some(item)) if !within_price_band(price, item.price) => {
            let (low, high) = super::price_band(item.price);
            Err(err(IntakeError::PriceOutsideBand { low, high }))
        }
        _ => Ok(Some(price)),
    }
}

/// R-IN-5 and R-DESK-4: staff are assigned only once the price is agreed, and
/// only from the group that does this work.
fn check_assignment(
    kind: RegisterKind,
    draft: &IntakeDraft,
    price: Option<Money>,
    assigned: Option<&Staff>,
) -> Result<(), FieldError> {
    let err = |error| Err(FieldError { field: Field::AssignedStaff, error });
    let Some(staff) = assigned else {
        return Ok(());
    };
    if price.is_none() || !draft.price_agreed {
        return err(IntakeError::PriceNotAgreed);
    }
    if !staff.active {
        return err(IntakeError::InactiveStaff);
    }
    if staff.group != kind.provider() {
        return err(IntakeError::WrongProvider { group: staff.group });
    }
    Ok(())
}

/// Reads `2026-11-23 14:30`, `11-23 14:30` (this year) or `14:30` (today).
pub fn parse_date_time(text: &str, today: NaiveDate) -> Option<NaiveDateTime> {
    parse_any_date_time(text, today).filter(|at| is_four_digit_year(at.date()))
}

fn parse_any_date_time(text: &str, today: NaiveDate) -> Option<NaiveDateTime> {
    let text = text.trim().replace('：', ":").replace('/', "-");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(&text, fmt) {
            return Some(at);
        }
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(&format!("{}-{text}", today.format("%Y")), "%Y-%m-%d %H:%M")
    {
        return Some(at);
    }
    NaiveTime::parse_from_str(&text, "%H:%M").ok().map(|t| today.and_time(t))
}

/// Reads `2026-11-23` or `2026/11/23`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim().replace('/', "-").as_str(), "%Y-%m-%d")
        .ok()
        .filter(|day| is_four_digit_year(*day))
}

/// chrono also reads `+12345-01-01` and `-0001-01-01`; no clerk means such a
/// year, and SQLite keeps dates as text, where only four-digit years sort in
/// time order (found by tests/bad_input.rs: an appointment in +12345 was saved).
fn is_four_digit_year(day: NaiveDate) -> bool {
    (1000..=9999).contains(&day.year())
}

/// A refused request, recorded with its reason (R-IN-1). No running number:
/// it never enters a register.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefusalDraft {
    pub kind: Option<RegisterKind>,
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub asked_for: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRefusal {
    pub kind: Option<RegisterKind>,
    pub desk: Desk,
    pub room: Option<RoomNo>,
    pub resident_name: String,
    pub phone: String,
    pub asked_for: String,
    pub reason: String,
}

/// R-IN-1: a refusal needs what was asked and the reason it was refused.
pub fn validate_refusal(draft: &RefusalDraft, desk: Desk) -> Result<ValidRefusal, Vec<FieldError>> {
    let mut errors = Vec::new();
    if draft.asked_for.trim().is_empty() {
        errors.push(FieldError { field: Field::Details, error: IntakeError::Required });
    }
    if draft.reason.trim().is_empty() {
        errors.push(FieldError { field: Field::RefusalReason, error: IntakeError::Required });
    }
    let room = match draft.room.trim() {
        "" => None,
        text => match RoomNo::parse(text) {
            Ok(room) => Some(room),
            Err(_) => {
                errors.push(FieldError { field: Field::Room, error: IntakeError::BadRoom });
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidRefusal {
        kind: draft.kind,
        desk,
        room,
        resident_name: draft.resident_name.trim().to_string(),
        phone: draft.phone.trim().to_string(),
        asked_for: draft.asked_for.trim().to_string(),
        reason: draft.reason.trim().to_string(),
    })
}

/// The service text of the housekeeping-register note that records a relay.
pub const RELAY_NOTE_SERVICE: &str = "紧急维修转报控制中心";

/// R-DESK-3 (§12): an emergency repair the CS center relays is one row in the
/// repair register plus this note in the housekeeping register pointing at it.
pub fn relay_note(repair: &ValidRequest) -> ValidRequest {
    ValidRequest {
        kind: RegisterKind::Housekeeping,
        price_item: None,
        service: RELAY_NOTE_SERVICE.to_string(),
        price: None,
        price_agreed: false,
        review: None,
        urgency: None,
        alarm_work: None,
        assigned_staff: None,
        ..repair.clone()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime};

    use super::*;
    use crate::domain::{Category, MoneyError};

    /// 2026-03-02 10:00:00, a Monday morning at the desk.
    fn now() -> NaiveDateTime {
        at("2026-03-02 10:00")
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn yuan(y: i64) -> Money {
        Money::from_yuan(y).unwrap_or(Money::ZERO)
    }

    fn item(id: i64, category: Category, price_yuan: i64) -> PriceItem {
        PriceItem {
            id,
            category,
            name: format!("{category:?} item"),
            unit: "次".into(),
            price: yuan(price_yuan),
            added_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
            active: true,
        }
    }

    fn staff(group: Group) -> Staff {
        Staff {
            id: 7,
            name: "李师傅".into(),
            group,
            rank: super::super::Rank::Staff,
            active: true,
            first_job_on: None,
            phone: "13800000007".into(),
            login: None,
        }
    }

    /// A complete draft of `kind` with an appointment a day after [`now`].
    fn draft(kind: RegisterKind) -> IntakeDraft {
        IntakeDraft {
            kind: Some(kind),
            room: "3-2-201".into(),
            resident_name: "张阿姨".into(),
            phone: "13912345678".into(),
            service: ServiceChoice::Listed(1),
            details: "厨房".into(),
            appointment: "2026-03-03 09:00".into(),
            urgency: (kind == RegisterKind::Repair).then_some(Urgency::Small),
            alarm_work: (kind == RegisterKind::Alarm).then_some(AlarmWork::Open),
            ..IntakeDraft::default()
        }
    }

    fn listed_item_for(kind: RegisterKind) -> PriceItem {
        let category = match kind {
            RegisterKind::Housekeeping => Category::Cleaning,
            RegisterKind::Repair => Category::Repair,
            RegisterKind::Alarm => Category::Alarm,
        };
        item(1, category, 100)
    }

    /// Validates `draft` at `desk` with the matching listed item and no staff.
    fn check(draft: &IntakeDraft, desk: Desk) -> Result<ValidRequest, Vec<FieldError>> {
        let listed = draft.kind.map(listed_item_for);
        check_with(draft, desk, listed.as_ref(), None)
    }

    fn check_with(
        draft: &IntakeDraft,
        desk: Desk,
        listed: Option<&PriceItem>,
        assigned: Option<&Staff>,
    ) -> Result<ValidRequest, Vec<FieldError>> {
        let ctx = IntakeContext { now: now(), desk, listed_item: listed, assigned };
        validate_intake(draft, &ctx)
    }

    fn errors(result: Result<ValidRequest, Vec<FieldError>>) -> Vec<(Field, IntakeError)> {
        match result {
            Ok(v) => panic!("expected field errors, got {v:?}"),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.error)).collect(),
        }
    }

    #[test]
    fn r_desk_1_cs_center_takes_housekeeping_and_alarm() {
        for kind in [RegisterKind::Housekeeping, RegisterKind::Alarm] {
            let valid = check(&draft(kind), Desk::CsCenter);
            assert!(valid.is_ok(), "{kind:?}: {valid:?}");
            let valid = valid.unwrap_or_else(|_| unreachable!());
            assert_eq!((valid.kind, valid.desk), (kind, Desk::CsCenter));
            assert_eq!(valid.relay_told, None);
            assert_eq!(kind.owner(), Desk::CsCenter);
        }
    }

    #[test]
    fn r_desk_2_control_center_refuses_housekeeping_and_alarm() {
        for kind in [RegisterKind::Housekeeping, RegisterKind::Alarm] {
            assert_eq!(
                errors(check(&draft(kind), Desk::ControlCenter)),
                vec![(Field::Kind, IntakeError::WrongDesk { desk: Desk::ControlCenter, kind })],
            );
        }
        let repair = check(&draft(RegisterKind::Repair), Desk::ControlCenter);
        assert_eq!(repair.map(|v| (v.kind, v.desk)), Ok((RegisterKind::Repair, Desk::ControlCenter)));
    }

    #[test]
    fn r_desk_3_cs_center_relays_only_emergency_repairs() {
        let mut repair = draft(RegisterKind::Repair);
        for urgency in [Urgency::Small, Urgency::Big] {
            repair.urgency = Some(urgency);
            repair.relay_told = "控制中心 王工".into();
            assert_eq!(
                errors(check(&repair, Desk::CsCenter)),
                vec![(Field::Urgency, IntakeError::CsRepairNotEmergency)],
                "{urgency:?}",
            );
        }

        repair.urgency = Some(Urgency::Emergency);
        repair.relay_told = "  ".into();
        assert_eq!(errors(check(&repair, Desk::CsCenter)), vec![(Field::RelayTold, IntakeError::Required)]);

        repair.relay_told = " 控制中心 王工 ".into();
        let valid = check(&repair, Desk::CsCenter).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((valid.kind, valid.desk), (RegisterKind::Repair, Desk::CsCenter));
        assert_eq!(valid.relay_told.as_deref(), Some("控制中心 王工"));

        let note = relay_note(&valid);
        assert_eq!(note.kind, RegisterKind::Housekeeping);
        assert_eq!(note.service, RELAY_NOTE_SERVICE);
        assert_eq!((note.price_item, note.price, note.price_agreed), (None, None, false));
        assert_eq!((note.urgency, note.alarm_work, note.assigned_staff), (None, None, None));
        assert_eq!(
            (&note.room, note.appointment, note.desk),
            (&valid.room, valid.appointment, Desk::CsCenter)
        );
        assert_eq!(note.relay_told, valid.relay_told);

        // The control center's own repairs are not relays.
        let own = check(&repair, Desk::ControlCenter).map(|v| v.relay_told);
        assert_eq!(own, Ok(None));
    }

    #[test]
    fn r_desk_4_assigned_staff_from_the_wrong_group_refused() {
        let cases = [
            (RegisterKind::Housekeeping, Desk::CsCenter, Group::Housekeeping, Group::PublicRepair),
            (RegisterKind::Repair, Desk::ControlCenter, Group::PublicRepair, Group::Housekeeping),
            (RegisterKind::Alarm, Desk::CsCenter, Group::Engineering, Group::PublicRepair),
        ];
        for (kind, desk, right, wrong) in cases {
            let mut d = draft(kind);
            d.price = "100".into();
            d.price_agreed = true;
            d.assigned_staff = Some(7);
            let listed = listed_item_for(kind);
            let ok = check_with(&d, desk, Some(&listed), Some(&staff(right)));
            assert_eq!(ok.map(|v| v.assigned_staff), Ok(Some(7)), "{kind:?}");
            for group in [wrong, Group::Finance, Group::CsCenter, Group::ControlCenter] {
                assert_eq!(
                    errors(check_with(&d, desk, Some(&listed), Some(&staff(group)))),
                    vec![(Field::AssignedStaff, IntakeError::WrongProvider { group })],
                    "{kind:?} {group:?}",
                );
            }
            let inactive = Staff { active: false, ..staff(right) };
            assert_eq!(
                errors(check_with(&d, desk, Some(&listed), Some(&inactive))),
                vec![(Field::AssignedStaff, IntakeError::InactiveStaff)],
            );
        }
    }

    #[test]
    fn r_in_1_refusal_needs_reason() {
        let draft = RefusalDraft {
            kind: Some(RegisterKind::Housekeeping),
            room: "3-2-201".into(),
            asked_for: "擦外墙玻璃".into(),
            reason: "  ".into(),
            ..RefusalDraft::default()
        };
        assert_eq!(
            validate_refusal(&draft, Desk::CsCenter),
            Err(vec![FieldError { field: Field::RefusalReason, error: IntakeError::Required }]),
        );

        let empty = RefusalDraft::default();
        let fields: Vec<Field> = validate_refusal(&empty, Desk::CsCenter)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec![Field::Details, Field::RefusalReason]);

        let bad_room = RefusalDraft { room: "楼下".into(), reason: "无此服务".into(), ..draft.clone() };
        assert_eq!(
            validate_refusal(&bad_room, Desk::CsCenter),
            Err(vec![FieldError { field: Field::Room, error: IntakeError::BadRoom }]),
        );

        let ok = RefusalDraft { reason: " 高空作业无资质 ".into(), ..draft };
        let valid = validate_refusal(&ok, Desk::CsCenter).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.reason, "高空作业无资质");
        assert_eq!(valid.room.map(|r| r.to_string()).as_deref(), Some("3栋2单元201"));
        assert_eq!(valid.desk, Desk::CsCenter);
    }

    #[test]
    fn r_in_2_appointment_required_parsed_and_not_in_past() {
        let mut d = draft(RegisterKind::Housekeeping);
        d.slack_reason = "住户要求马上来".into();
        let cases = [
            ("", IntakeError::Required),
            ("明天上午", IntakeError::BadAppointment),
            ("2026-02-30 10:00", IntakeError::BadAppointment),
            ("25:00", IntakeError::BadAppointment),
            ("09:59", IntakeError::AppointmentInPast),
            ("2026-03-01 18:00", IntakeError::AppointmentInPast),
        ];
        for (text, error) in cases {
            d.appointment = text.into();
            assert_eq!(errors(check(&d, Desk::CsCenter)), vec![(Field::Appointment, error)], "{text:?}");
        }
        d.appointment = "2026-03-03 09:00".into();
        assert_eq!(check(&d, Desk::CsCenter).map(|v| v.appointment), Ok(at("2026-03-03 09:00")));
        // Typed to the minute: the current minute is not the past.
        d.appointment = "10:00".into();
        assert_eq!(check(&d, Desk::CsCenter).map(|v| v.appointment), Ok(now()));
    }

    #[test]
    fn r_in_3_appointment_needs_30_minutes_slack() {
        let mut d = draft(RegisterKind::Housekeeping);
        d.appointment = "10:29".into();
        assert_eq!(
            errors(check(&d, Desk::CsCenter)),
            vec![(Field::Appointment, IntakeError::AppointmentTooSoon { earliest: at("2026-03-02 10:30") })],
        );

        d.appointment = "10:30".into();
        assert_eq!(check(&d, Desk::CsCenter).map(|v| v.appointment), Ok(at("2026-03-02 10:30")));

        // A written reason lets the clerk book sooner, and is kept.
        d.appointment = "10:05".into();
        d.slack_reason = " 住户在家等候，师傅就在楼下 ".into();
        let valid = check(&d, Desk::CsCenter).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.slack_reason, "住户在家等候，师傅就在楼下");

        // An emergency repair may be booked at once.
        let mut emergency = draft(RegisterKind::Repair);
        emergency.urgency = Some(Urgency::Emergency);
        emergency.appointment = "10:00".into();
        assert_eq!(check(&emergency, Desk::ControlCenter).map(|v| v.appointment), Ok(now()));

        // A small repair is not an emergency.
        emergency.urgency = Some(Urgency::Small);
        assert_eq!(
            errors(check(&emergency, Desk::ControlCenter)),
            vec![(Field::Appointment, IntakeError::AppointmentTooSoon { earliest: at("2026-03-02 10:30") })],
        );
        assert_eq!(MIN_SLACK, Duration::minutes(30));
    }

    #[test]
    fn r_in_4_required_fields_reported_per_field() {
        let empty = |kind| IntakeDraft { kind: Some(kind), ..IntakeDraft::default() };
        let fields = |result| errors(result).into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        let common = [
            Field::Room,
            Field::ResidentName,
            Field::Phone,
            Field::Details,
            Field::Appointment,
            Field::Service,
        ];

        let housekeeping = errors(check_with(&empty(RegisterKind::Housekeeping), Desk::CsCenter, None, None));
        assert!(housekeeping.iter().all(|(_, e)| *e == IntakeError::Required), "{housekeeping:?}");
        let mut got: Vec<Field> = housekeeping.into_iter().map(|(f, _)| f).collect();
        got.sort_by_key(|f| format!("{f:?}"));
        let mut want = common.to_vec();
        want.sort_by_key(|f| format!("{f:?}"));
        assert_eq!(got, want);

        let repair = fields(check_with(&empty(RegisterKind::Repair), Desk::ControlCenter, None, None));
        assert!(common.iter().all(|f| repair.contains(f)), "{repair:?}");
        assert!(repair.contains(&Field::Urgency), "{repair:?}");
        assert!(!repair.contains(&Field::AlarmWork));

        let alarm = fields(check_with(&empty(RegisterKind::Alarm), Desk::CsCenter, None, None));
        assert!(common.iter().all(|f| alarm.contains(f)), "{alarm:?}");
        assert!(alarm.contains(&Field::AlarmWork), "{alarm:?}");
        assert!(!alarm.contains(&Field::Urgency));

        // Only the missing one is reported on an otherwise complete form.
        let no_work = IntakeDraft { alarm_work: None, ..draft(RegisterKind::Alarm) };
        assert_eq!(errors(check(&no_work, Desk::CsCenter)), vec![(Field::AlarmWork, IntakeError::Required)]);
        let no_urgency = IntakeDraft { urgency: None, ..draft(RegisterKind::Repair) };
        assert_eq!(
            errors(check(&no_urgency, Desk::ControlCenter)),
            vec![(Field::Urgency, IntakeError::Required)],
        );

        // Malformed, not missing: said so on the field.
        let bad =
            IntakeDraft { room: "楼下".into(), phone: "12ab".into(), ..draft(RegisterKind::Housekeeping) };
        assert_eq!(
            errors(check(&bad, Desk::CsCenter)),
            vec![(Field::Room, IntakeError::BadRoom), (Field::Phone, IntakeError::BadPhone)],
        );

        assert_eq!(
            errors(check(&IntakeDraft::default(), Desk::CsCenter)),
            vec![(Field::Kind, IntakeError::Required)],
        );
    }

    #[test]
    fn r_in_4_valid_row_keeps_the_register_extras() {
        let repair =
            check(&draft(RegisterKind::Repair), Desk::ControlCenter).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((repair.urgency, repair.alarm_work), (Some(Urgency::Small), None));
        let alarm = check(&draft(RegisterKind::Alarm), Desk::CsCenter).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((alarm.urgency, alarm.alarm_work), (None, Some(AlarmWork::Open)));
        // Extras of another register are not kept.
        let housekeeping = IntakeDraft {
            urgency: Some(Urgency::Big),
            alarm_work: Some(AlarmWork::Repair),
            ..draft(RegisterKind::Housekeeping)
        };
        let v = check(&housekeeping, Desk::CsCenter).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((v.urgency, v.alarm_work), (None, None));
        assert_eq!(v.room.as_str(), "3栋2单元201");
        assert_eq!(v.service, "Cleaning item");
        assert_eq!(v.price_item, Some(1));
    }

    #[test]
    fn r_in_5_no_staff_before_price_agreed() {
        let housekeeper = staff(Group::Housekeeping);
        let listed = listed_item_for(RegisterKind::Housekeeping);
        let mut d = draft(RegisterKind::Housekeeping);
        d.assigned_staff = Some(housekeeper.id);
        let refused = vec![(Field::AssignedStaff, IntakeError::PriceNotAgreed)];

        // No price at all.
        assert_eq!(errors(check_with(&d, Desk::CsCenter, Some(&listed), Some(&housekeeper))), refused);
        // A price the resident has not agreed to.
        d.price = "100".into();
        assert_eq!(errors(check_with(&d, Desk::CsCenter, Some(&listed), Some(&housekeeper))), refused);
        // Agreed: staff may be sent.
        d.price_agreed = true;
        let valid = check_with(&d, Desk::CsCenter, Some(&listed), Some(&housekeeper));
        assert_eq!(
            valid.map(|v| (v.price, v.price_agreed, v.assigned_staff)),
            Ok((Some(yuan(100)), true, Some(7)))
        );

        // Without staff, a price need not be agreed yet, and "agreed" with no price is not kept.
        let unassigned =
            IntakeDraft { price: String::new(), price_agreed: true, ..draft(RegisterKind::Housekeeping) };
        assert_eq!(check(&unassigned, Desk::CsCenter).map(|v| (v.price, v.price_agreed)), Ok((None, false)));
    }

    #[test]
    fn r_fee_4_price_within_30_percent_of_list() {
        let listed = listed_item_for(RegisterKind::Housekeeping); // ¥100.00
        let mut d = draft(RegisterKind::Housekeeping);
        for ok in ["70", "70.00", "100", "130", "¥130.00"] {
            d.price = ok.into();
            assert!(check_with(&d, Desk::CsCenter, Some(&listed), None).is_ok(), "{ok}");
        }
        for bad in ["69.99", "130.01", "0", "500"] {
            d.price = bad.into();
            assert_eq!(
                errors(check_with(&d, Desk::CsCenter, Some(&listed), None)),
                vec![(Field::Price, IntakeError::PriceOutsideBand { low: yuan(70), high: yuan(130) })],
                "{bad}",
            );
        }
    }

    #[test]
    fn r_fee_4_unlisted_service_needs_review() {
        let mut d = draft(RegisterKind::Housekeeping);
        d.service = ServiceChoice::Unlisted(" 擦外墙玻璃 ".into());
        d.price = "500".into(); // no list price, so no band
        assert_eq!(
            errors(check_with(&d, Desk::CsCenter, None, None)),
            vec![(Field::Review, IntakeError::ReviewRequired)]
        );

        d.review_by = "刘主办".into();
        assert_eq!(
            errors(check_with(&d, Desk::CsCenter, None, None)),
            vec![(Field::Review, IntakeError::ReviewRequired)]
        );

        d.review_conclusion = "可做，按500元收".into();
        let valid = check_with(&d, Desk::CsCenter, None, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.service, "擦外墙玻璃");
        assert_eq!(valid.price_item, None);
        assert_eq!(valid.price, Some(yuan(500)));
        assert_eq!(
            valid.review,
            Some(PriceReview {
                reviewer: "刘主办".into(),
                reviewed_at: now(),
                conclusion: "可做，按500元收".into()
            }),
        );

        d.service = ServiceChoice::Unlisted("   ".into());
        assert_eq!(
            errors(check_with(&d, Desk::CsCenter, None, None)),
            vec![(Field::Service, IntakeError::Required)]
        );

        // A listed service carries no review.
        let listed = check(&draft(RegisterKind::Housekeeping), Desk::CsCenter).map(|v| v.review);
        assert_eq!(listed, Ok(None));
    }

    #[test]
    fn r_fee_4_item_of_other_register_refused() {
        let repair_item = item(2, Category::Repair, 100);
        let greening = item(3, Category::Greening, 100);
        let mut d = draft(RegisterKind::Housekeeping);
        d.service = ServiceChoice::Listed(2);
        assert_eq!(
            errors(check_with(&d, Desk::CsCenter, Some(&repair_item), None)),
            vec![(Field::Service, IntakeError::ItemOfOtherRegister)],
        );
        let mut alarm = draft(RegisterKind::Alarm);
        alarm.service = ServiceChoice::Listed(3);
        assert_eq!(
            errors(check_with(&alarm, Desk::CsCenter, Some(&greening), None)),
            vec![(Field::Service, IntakeError::ItemOfOtherRegister)],
        );
        // Greening belongs to the housekeeping register.
        d.service = ServiceChoice::Listed(3);
        assert!(check_with(&d, Desk::CsCenter, Some(&greening), None).is_ok());
    }

    #[test]
    fn r_fee_5_bad_price_reported_on_price_field() {
        let mut d = draft(RegisterKind::Housekeeping);
        let cases = [
            ("12.345", MoneyError::TooManyDecimals),
            ("-5", MoneyError::Negative),
            ("一百", MoneyError::NotANumber),
            ("1e2", MoneyError::NotANumber),
        ];
        for (text, error) in cases {
            d.price = text.into();
            assert_eq!(
                errors(check(&d, Desk::CsCenter)),
                vec![(Field::Price, IntakeError::BadPrice(error))],
                "{text}"
            );
        }
        d.price = "99.9".into();
        assert_eq!(check(&d, Desk::CsCenter).map(|v| v.price.map(Money::fen)), Ok(Some(9_990)));
    }

    #[test]
    fn r_in_4_running_numbers_read_back_as_printed() {
        let no = RunningNo { kind: RegisterKind::Repair, year: 2026, seq: 12 };
        assert_eq!(RunningNo::parse(" wx-2026-000012"), Some(no));
        assert_eq!(RunningNo::parse(&no.to_string()), Some(no));
        for bad in ["", "XX-2026-000012", "WX-26-1", "WX-2026-0", "WX-2026-1-1"] {
            assert_eq!(RunningNo::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_date_time_reads_the_forms_clerks_type() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let parse = |text| parse_date_time(text, today);
        let want = Some(at("2026-11-23 14:30"));
        assert_eq!(parse("2026-11-23 14:30"), want);
        assert_eq!(parse("2026/11/23 14:30"), want);
        assert_eq!(parse(" 2026-11-23   14：30 "), want);
        assert_eq!(parse("2026-11-23 14:30:00"), want);
        assert_eq!(parse("11-23 14:30"), want);
        assert_eq!(parse("11/23 14:30"), want);
        assert_eq!(parse("14:30"), Some(at("2026-03-02 14:30")));
        assert_eq!(parse("9:05"), Some(at("2026-03-02 09:05")));
        for bad in ["", "14", "2026-11-23", "24:00", "2026-13-01 10:00", "02-30 10:00", "下午两点"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse_date(" 2026/11/23 "), NaiveDate::from_ymd_opt(2026, 11, 23));
        assert_eq!(parse_date("2026-11-31"), None);
    }

    #[test]
    fn dates_have_four_digit_years() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        for bad in ["+12345-01-01", "-0001-01-01", "0000-01-01", "0999-12-31"] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
            assert_eq!(parse_date_time(&format!("{bad} 10:00"), today), None, "{bad:?}");
        }
        assert_eq!(parse_date("9999-12-31"), NaiveDate::from_ymd_opt(9999, 12, 31));
    }

    #[test]
    fn r_in_4_running_number_is_prefix_year_and_six_digits() {
        let no = |kind, seq| RunningNo { kind, year: 2026, seq }.to_string();
        assert_eq!(no(RegisterKind::Housekeeping, 1), "JZ-2026-000001");
        assert_eq!(no(RegisterKind::Repair, 123), "WX-2026-000123");
        assert_eq!(no(RegisterKind::Alarm, 999_999), "BJ-2026-999999");
    }
}
