//! The three intake registers (家政 / 维修 / 报警): their rows, running numbers,
//! refusals, and every intake rule (R-DESK-1..4, R-IN-1..5, R-FEE-4).
//!
//! [`validate_intake`] turns what a clerk typed into a [`ValidRequest`] or a list
//! of field errors, all at once, so the form can show each next to its field.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::people::coded_enum;
use super::{
    Desk, Group, Money, MoneyError, PriceItem, PriceReview, RoomNo, Staff, StaffId, is_valid_phone,
    within_price_band,
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
    Listed(i64),
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
    #[error("R-IN-5: no one is sent before the price is agreed")]
    PriceNotAgreed,
    #[error("R-DESK-4: {group:?} does not do this work")]
    WrongProvider { group: Group },
    #[error("inactive staff")]
    InactiveStaff,
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
    let mut errors = Vec::new();
    let mut fail = |field, error| errors.push(FieldError { field, error });

    let Some(kind) = draft.kind else {
        fail(Field::Kind, IntakeError::Required);
        return Err(errors);
    };
    let relay = check_desk(kind, ctx.desk, draft.urgency, &draft.relay_told);
    if let Err(e) = &relay {
        fail(e.field, e.error.clone());
    }

    let room = RoomNo::parse(&draft.room);
    if draft.room.trim().is_empty() {
        fail(Field::Room, IntakeError::Required);
    } else if room.is_err() {
        fail(Field::Room, IntakeError::BadRoom);
    }
    let resident_name = draft.resident_name.trim();
    if resident_name.is_empty() {
        fail(Field::ResidentName, IntakeError::Required);
    }
    let phone = draft.phone.trim();
    if phone.is_empty() {
        fail(Field::Phone, IntakeError::Required);
    } else if !is_valid_phone(phone) {
        fail(Field::Phone, IntakeError::BadPhone);
    }
    if draft.details.trim().is_empty() {
        fail(Field::Details, IntakeError::Required);
    }
    if kind == RegisterKind::Repair && draft.urgency.is_none() {
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
        (Ok(room), Ok(appointment), Ok(service), Ok(relay_told)) if errors.is_empty() => {
            let review = matches!(draft.service, ServiceChoice::Unlisted(_)).then(|| PriceReview {
                reviewer: draft.review_by.trim().to_string(),
                reviewed_at: ctx.now,
                conclusion: draft.review_conclusion.trim().to_string(),
            });
            Ok(ValidRequest {
                kind,
                desk: ctx.desk,
                room,
                resident_name: resident_name.to_string(),
                phone: phone.to_string(),
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
        (desk, kind) if desk != kind.owner() => {
            err(Field::Kind, IntakeError::WrongDesk { desk, kind })
        }
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
    if at < start_of_minute(now) && !emergency {
        return Err(err(IntakeError::AppointmentInPast));
    }
    let earliest = now + MIN_SLACK;
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
    if let (ServiceChoice::Listed(_), Some(item)) = (&draft.service, listed) {
        if !within_price_band(price, item.price) {
            let (low, high) = super::price_band(item.price);
            return Err(err(IntakeError::PriceOutsideBand { low, high }));
        }
    }
    Ok(Some(price))
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
    let text = text.trim().replace('：', ":").replace('/', "-");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(&text, fmt) {
            return Some(at);
        }
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(&format!("{}-{text}", today.format("%Y")), "%Y-%m-%d %H:%M") {
        return Some(at);
    }
    NaiveTime::parse_from_str(&text, "%H:%M").ok().map(|t| today.and_time(t))
}

/// Reads `2026-11-23` or `2026/11/23`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim().replace('/', "-").as_str(), "%Y-%m-%d").ok()
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
