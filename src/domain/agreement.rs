//! Long-term fixed service agreements (定点长期服务, R-AG-1..3): what one
//! holds, the rules a draft must meet before the manager signs it, its states
//! (draft → signed → active → ended, or terminated early with written
//! notice), amendments (变更书) and renewals (续订书), and the visits its
//! schedule puts on the dispatch board (R-DSP-4).
//!
//! Pure: callers pass `today`/`now`, the price list and the staff.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::people::coded_enum;
use super::{
    Group, MAX_AREA_M2, Money, MoneyError, PriceItem, PriceItemId, Rank, RegisterKind, RoomNo, ServiceChoice,
    Staff, StaffId, ValidRequest as ValidRequestRow, is_area_unit, is_valid_phone, listed_price_of_visit,
    parse_date, within_price_band,
};

pub type AgreementId = i64;

/// How far ahead an agreement's visits are put on the board (R-DSP-4); an
/// amendment takes effect within it, so no visit is made on terms not yet agreed.
pub const VISIT_HORIZON_DAYS: i64 = 14;
/// The longest term one agreement runs; longer service is renewed.
pub const MAX_TERM_YEARS: u32 = 5;

/// `XY-2026-0012`: issued when the manager signs, per year, without gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgreementNo {
    pub year: i32,
    pub seq: i64,
}

impl AgreementNo {
    pub const PREFIX: &'static str = "XY";

    /// Reads `XY-2026-0012` (any case, spaces around it ignored).
    pub fn parse(text: &str) -> Option<AgreementNo> {
        let text = text.trim().to_ascii_uppercase();
        let mut parts = text.split('-');
        let (prefix, year, seq) = (parts.next()?, parts.next()?, parts.next()?);
        if prefix != Self::PREFIX || parts.next().is_some() || year.len() != 4 {
            return None;
        }
        let seq: i64 = seq.parse().ok()?;
        (seq > 0).then_some(AgreementNo { year: year.parse().ok()?, seq })
    }
}

impl std::fmt::Display for AgreementNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{:04}", Self::PREFIX, self.year, self.seq)
    }
}

coded_enum! {
    /// Where an agreement stands.
    AgreementStatus {
        Draft = "draft",
        Signed = "signed",
        Active = "active",
        Ended = "ended",
        Terminated = "terminated",
    }
}

coded_enum! {
    /// What the agreed price is for.
    PriceBasis { PerVisit = "per_visit", PerMonth = "per_month" }
}

/// Where an agreement stands as the office speaks of it: a draft waiting
/// for the CS assistant's confirmation or, confirmed, for the manager's
/// signature (R-AG-2); an early termination still serving until its stop
/// day (R-AG-3). Derived from the stored status, the confirmation and the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementState {
    Draft,
    ConfirmedToSign,
    Signed,
    Active,
    Terminating,
    Terminated,
    Ended,
}

/// When the visits are: some weekdays every week, or some dates every month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Schedule {
    /// Weekdays 1 (Monday) to 7 (Sunday).
    Weekly { days: Vec<u32>, start: NaiveTime, end: NaiveTime },
    /// Dates 1 to 31; a month without the date has no visit that month.
    Monthly { dates: Vec<u32>, start: NaiveTime, end: NaiveTime },
}

impl Schedule {
    pub fn start(&self) -> NaiveTime {
        match self {
            Schedule::Weekly { start, .. } | Schedule::Monthly { start, .. } => *start,
        }
    }

    pub fn end(&self) -> NaiveTime {
        match self {
            Schedule::Weekly { end, .. } | Schedule::Monthly { end, .. } => *end,
        }
    }

    fn falls_on(&self, day: NaiveDate) -> bool {
        match self {
            Schedule::Weekly { days, .. } => days.contains(&day.weekday().number_from_monday()),
            Schedule::Monthly { dates, .. } => dates.contains(&day.day()),
        }
    }

    /// The start of every visit on the days `from ..= to`, in order.
    pub fn visits_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDateTime> {
        from.iter_days()
            .take_while(|day| *day <= to)
            .filter(|day| self.falls_on(*day))
            .map(|day| day.and_time(self.start()))
            .collect()
    }

    /// How long each visit lasts, in minutes.
    pub fn visit_minutes(&self) -> i64 {
        (self.end() - self.start()).num_minutes()
    }

    /// Visits in an average month: what a monthly price is compared with (R-FEE-4).
    pub fn visits_per_month(&self) -> u32 {
        match self {
            Schedule::Weekly { days, .. } => (days.len() as u32 * 52).div_ceil(12),
            Schedule::Monthly { dates, .. } => dates.len() as u32,
        }
    }
}

/// The weekday of ISO number `n` (1 = Monday).
pub fn weekday_of(n: u32) -> Option<Weekday> {
    (1..=7).contains(&n).then(|| Weekday::try_from((n - 1) as u8).ok()).flatten()
}

/// Early termination by the office (R-AG-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termination {
    pub reason: String,
    /// The day the written notice is given to the resident.
    pub notice_on: NaiveDate,
    /// The last day of service.
    pub stop_on: NaiveDate,
}

/// One agreement as stored: its current terms (amendments change them and
/// keep the old ones in history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: AgreementId,
    pub no: Option<AgreementNo>,
    pub status: AgreementStatus,
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub price_item: Option<PriceItemId>,
    /// The service (an item of the price list, or a reviewed unlisted one).
    pub service: String,
    /// The area served in whole ㎡, for an item priced by the ㎡ (R-FEE-4).
    pub area_m2: Option<u32>,
    /// Content and scope of the service.
    pub details: String,
    pub persons_served: String,
    pub requirements: String,
    pub staff: Vec<(StaffId, String)>,
    pub schedule: Schedule,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub price: Money,
    pub basis: PriceBasis,
    pub payment_terms: String,
    /// 合同评审 of an unlisted service (R-FEE-4): who and what they concluded.
    pub review: Option<(String, String)>,
    /// The CS assistant's confirmation of capacity and price (R-AG-2).
    pub confirmed: Option<(String, NaiveDateTime)>,
    /// The manager who signed, and the day (R-AG-2).
    pub signed: Option<(String, NaiveDate)>,
    pub renewal_of: Option<AgreementId>,
    pub termination: Option<Termination>,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

impl Agreement {
    /// The last day visits are made: the term's end, or the day service stops.
    pub fn last_day(&self) -> NaiveDate {
        self.termination.as_ref().map_or(self.term_end, |t| t.stop_on.min(self.term_end))
    }

    /// Its state on `today` (see [`AgreementState`]).
    pub fn state_on(&self, today: NaiveDate) -> AgreementState {
        match self.status {
            AgreementStatus::Draft if self.confirmed.is_some() => AgreementState::ConfirmedToSign,
            AgreementStatus::Draft => AgreementState::Draft,
            AgreementStatus::Signed => AgreementState::Signed,
            AgreementStatus::Active => AgreementState::Active,
            AgreementStatus::Ended => AgreementState::Ended,
            AgreementStatus::Terminated if self.termination.as_ref().is_some_and(|t| today <= t.stop_on) => {
                AgreementState::Terminating
            }
            AgreementStatus::Terminated => AgreementState::Terminated,
        }
    }

    /// Signed or running: it may be amended, renewed or terminated.
    pub fn is_running(&self) -> bool {
        matches!(self.status, AgreementStatus::Signed | AgreementStatus::Active)
    }

    /// Whether its visits go on the board: running, or terminated with
    /// service until the stop day (visits are cut at [`Agreement::last_day`]).
    pub fn makes_visits(&self) -> bool {
        self.is_running() || (self.status == AgreementStatus::Terminated && self.termination.is_some())
    }

    /// Ending within `days` of `today` while still running: shown highlighted.
    pub fn ends_within(&self, today: NaiveDate, days: i64) -> bool {
        self.is_running()
            && self.term_end >= today
            && today.checked_add_signed(Duration::days(days)).is_some_and(|d| self.term_end <= d)
    }

    /// The price of one generated visit: the agreed price per visit, or
    /// nothing per visit when the service is paid by the month.
    pub fn visit_price(&self) -> Money {
        match self.basis {
            PriceBasis::PerVisit => self.price,
            PriceBasis::PerMonth => Money::ZERO,
        }
    }
}

/// The terms an agreement states, as its printed text words them: what was
/// signed (kept apart when the manager signs, never changed by an
/// amendment), or what stands after its amendments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementTerms {
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub service: String,
    /// The area served in whole ㎡, for an item priced by the ㎡.
    pub area_m2: Option<u32>,
    pub details: String,
    pub persons_served: String,
    pub requirements: String,
    /// The named staff, in their order.
    pub staff: Vec<String>,
    pub schedule: Schedule,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub price: Money,
    pub basis: PriceBasis,
    pub payment_terms: String,
}

impl Agreement {
    /// The terms that stand now (a draft's, or the signed ones with every
    /// amendment applied).
    pub fn terms(&self) -> AgreementTerms {
        AgreementTerms {
            room: self.room.clone(),
            resident_name: self.resident_name.clone(),
            phone: self.phone.clone(),
            service: self.service.clone(),
            area_m2: self.area_m2,
            details: self.details.clone(),
            persons_served: self.persons_served.clone(),
            requirements: self.requirements.clone(),
            staff: self.staff.iter().map(|(_, name)| name.clone()).collect(),
            schedule: self.schedule.clone(),
            term_start: self.term_start,
            term_end: self.term_end,
            price: self.price,
            basis: self.basis,
            payment_terms: self.payment_terms.clone(),
        }
    }
}

/// A document attached to an agreement, asked for by number or kind; what
/// a print of one the agreement does not have names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementPaper {
    /// Its amendment (变更书) number N.
    Amendment(u32),
    /// The renewal (续订书) that made it.
    Renewal,
    /// The early-termination notice (R-AG-3).
    Notice,
    /// The text with its amendments worked in (there is one only once amended).
    Consolidated,
}

/// A draft as the form holds it: text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementDraft {
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub service: ServiceChoice,
    /// Whole ㎡ served, asked for an item priced by the ㎡ only.
    pub area: String,
    pub details: String,
    pub persons_served: String,
    pub requirements: String,
    pub staff: Vec<StaffId>,
    pub weekly: bool,
    /// Weekdays 1–7 when weekly.
    pub days: Vec<u32>,
    /// Dates when monthly, e.g. `1, 15`.
    pub dates: String,
    pub start: String,
    pub end: String,
    pub term_start: String,
    pub term_end: String,
    pub price: String,
    pub basis: Option<PriceBasis>,
    pub payment_terms: String,
    pub review_by: String,
    pub review_conclusion: String,
}

/// The fields of the agreement form a message can stand next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementField {
    Room,
    ResidentName,
    Phone,
    Service,
    Area,
    Details,
    Staff,
    Schedule,
    Times,
    TermStart,
    TermEnd,
    Price,
    Basis,
    Review,
    PaymentTerms,
    Reason,
    EffectiveOn,
    NoticeOn,
    StopOn,
}

/// Why an agreement, or a step on it, is refused; each names its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    #[error("required")]
    Required,
    #[error("room number is not of the form 3栋2单元201")]
    BadRoom,
    #[error("phone number is not valid")]
    BadPhone,
    #[error("not a date")]
    BadDate,
    #[error("not a time of day")]
    BadTime,
    #[error("the visit ends before it starts")]
    TimesOrder,
    #[error("no weekday or date of the month chosen")]
    NoDays,
    #[error("dates of the month are 1 to 31")]
    BadDates,
    #[error("the term ends before it starts")]
    EndBeforeStart,
    #[error("R-AG-1: a month or less is hourly service and needs no agreement")]
    HourlyService,
    #[error("R-AG-2: at least one named staff member")]
    StaffRequired,
    #[error("R-DESK-4: {group:?} does not do this work")]
    WrongProvider { group: Group },
    #[error("inactive staff")]
    InactiveStaff,
    #[error("price: {0}")]
    BadPrice(MoneyError),
    #[error("R-FEE-4: price outside {low} – {high}")]
    PriceOutsideBand { low: Money, high: Money },
    #[error("R-FEE-4: an unlisted service needs a recorded review")]
    ReviewRequired,
    #[error("R-FEE-4: an item priced by the square metre needs the area served")]
    AreaRequired,
    #[error("the area is a whole number of square metres, 1 to {max}")]
    BadArea { max: u32 },
    #[error("the service is not a housekeeping item of the price list")]
    NotHousekeeping,
    #[error("the item is no longer on the price list")]
    InactiveItem,
    #[error("only a draft can be changed this way")]
    NotDraft,
    #[error("R-AG-2: the CS assistant at the CS center confirms")]
    NotCsCenter,
    #[error("a term runs at most five years; renew for longer")]
    TermTooLong,
    #[error("R-DSP-4: an amendment takes effect within the two weeks already on the board")]
    EffectiveTooLate,
    #[error("the agreement was already renewed")]
    AlreadyRenewed,
    #[error("R-AG-2: the office manager signs")]
    NotManager,
    #[error("R-AG-2: the CS assistant confirms capacity and price before signing")]
    NotConfirmed,
    #[error("only a signed or running agreement")]
    NotRunning,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the date falls outside the agreement's term")]
    OutsideTerm,
    #[error("the notice is given on or before the last day of service, and not in the future")]
    NoticeDate,
    #[error("an amendment changes terms, not the resident, the room or the term (renew instead)")]
    NotAmendable,
    #[error("nothing was changed")]
    NothingChanged,
    #[error("only an agreement that ran its term is renewed")]
    NotRenewable,
}

/// An error next to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFieldError {
    pub field: AgreementField,
    pub error: AgreementError,
}

/// What validation looks things up in.
pub struct AgreementContext<'a> {
    pub prices: &'a [PriceItem],
    pub staff: &'a [Staff],
}

/// A draft that meets every rule: ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAgreement {
    pub room: RoomNo,
    pub resident_name: String,
    pub phone: String,
    pub price_item: Option<PriceItemId>,
    pub service: String,
    pub area_m2: Option<u32>,
    pub details: String,
    pub persons_served: String,
    pub requirements: String,
    pub staff: Vec<StaffId>,
    pub schedule: Schedule,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub price: Money,
    pub basis: PriceBasis,
    pub payment_terms: String,
    pub review: Option<(String, String)>,
}

/// Collects one message per field.
#[derive(Default)]
struct Errors(Vec<AgreementFieldError>);

impl Errors {
    fn add(&mut self, field: AgreementField, error: AgreementError) {
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(AgreementFieldError { field, error });
        }
    }

    fn required(&mut self, field: AgreementField, text: &str) -> String {
        if text.trim().is_empty() {
            self.add(field, AgreementError::Required);
        }
        text.trim().to_string()
    }
}

/// R-AG-1/2, R-DESK-4, R-FEE-4, R-FEE-5: every rule a draft must meet.
pub fn validate_agreement(
    draft: &AgreementDraft,
    ctx: &AgreementContext<'_>,
) -> Result<ValidAgreement, Vec<AgreementFieldError>> {
    use AgreementField as F;
    let mut e = Errors::default();
    let room = RoomNo::parse(&draft.room).map_err(|_| e.add(F::Room, AgreementError::BadRoom)).ok();
    let resident_name = e.required(F::ResidentName, &draft.resident_name);
    let phone = draft.phone.trim().to_string();
    if !is_valid_phone(&phone) {
        e.add(F::Phone, AgreementError::BadPhone);
    }
    let details = e.required(F::Details, &draft.details);
    let schedule = parse_schedule(draft, &mut e);
    let term = parse_term(draft, &mut e);
    check_staff(&draft.staff, ctx.staff, &mut e);
    let basis = draft.basis.unwrap_or(PriceBasis::PerVisit);
    let price = Money::parse(&draft.price).map_err(|m| e.add(F::Price, AgreementError::BadPrice(m))).ok();
    let listed = check_service(draft, ctx, price, schedule.as_ref(), basis, &mut e);
    let payment_terms = e.required(F::PaymentTerms, &draft.payment_terms);
    match (room, schedule, term, price, e.0.is_empty()) {
        (Some(room), Some(schedule), Some((term_start, term_end)), Some(price), true) => Ok(ValidAgreement {
            room,
            resident_name,
            phone,
            price_item: listed.item,
            service: listed.service,
            area_m2: listed.area_m2,
            details,
            persons_served: draft.persons_served.trim().to_string(),
            requirements: draft.requirements.trim().to_string(),
            staff: draft.staff.clone(),
            schedule,
            term_start,
            term_end,
            price,
            basis,
            payment_terms,
            review: listed.review,
        }),
        _ => Err(e.0),
    }
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim().replace('：', ":").as_str(), "%H:%M").ok()
}

fn parse_schedule(draft: &AgreementDraft, e: &mut Errors) -> Option<Schedule> {
    use AgreementField as F;
    let (start, end) = (parse_time(&draft.start), parse_time(&draft.end));
    let (Some(start), Some(end)) = (start, end) else {
        e.add(F::Times, AgreementError::BadTime);
        return None;
    };
    if end <= start {
        e.add(F::Times, AgreementError::TimesOrder);
        return None;
    }
    if draft.weekly {
        let mut days: Vec<u32> = draft.days.iter().copied().filter(|d| (1..=7).contains(d)).collect();
        days.sort_unstable();
        days.dedup();
        if days.is_empty() {
            e.add(F::Schedule, AgreementError::NoDays);
            return None;
        }
        return Some(Schedule::Weekly { days, start, end });
    }
    let parsed: Option<Vec<u32>> = draft
        .dates
        .split([',', '，', '、', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<u32>().ok().filter(|d| (1..=31).contains(d)))
        .collect();
    match parsed {
        None => {
            e.add(F::Schedule, AgreementError::BadDates);
            None
        }
        Some(dates) if dates.is_empty() => {
            e.add(F::Schedule, AgreementError::NoDays);
            None
        }
        Some(mut dates) => {
            dates.sort_unstable();
            dates.dedup();
            Some(Schedule::Monthly { dates, start, end })
        }
    }
}

/// R-AG-1/2: the term runs more than one month (else it is hourly service).
fn parse_term(draft: &AgreementDraft, e: &mut Errors) -> Option<(NaiveDate, NaiveDate)> {
    use AgreementField as F;
    let start = parse_date(&draft.term_start);
    let end = parse_date(&draft.term_end);
    if start.is_none() {
        e.add(F::TermStart, AgreementError::BadDate);
    }
    if end.is_none() {
        e.add(F::TermEnd, AgreementError::BadDate);
    }
    let (start, end) = (start?, end?);
    if end < start {
        e.add(F::TermEnd, AgreementError::EndBeforeStart);
        return None;
    }
    if !longer_than_a_month(start, end) {
        e.add(F::TermEnd, AgreementError::HourlyService);
        return None;
    }
    if start.checked_add_months(Months::new(12 * MAX_TERM_YEARS)).is_none_or(|limit| end > limit) {
        e.add(F::TermEnd, AgreementError::TermTooLong);
        return None;
    }
    Some((start, end))
}

/// A term `start ..= end` runs more than one calendar month.
pub fn longer_than_a_month(start: NaiveDate, end: NaiveDate) -> bool {
    start.checked_add_months(Months::new(1)).is_some_and(|month| end >= month)
}

/// R-AG-2, R-DESK-4: named staff, active, of the housekeeping group.
fn check_staff(ids: &[StaffId], staff: &[Staff], e: &mut Errors) {
    if ids.is_empty() {
        e.add(AgreementField::Staff, AgreementError::StaffRequired);
    }
    for id in ids {
        match staff.iter().find(|s| s.id == *id) {
            Some(s) if !s.active => e.add(AgreementField::Staff, AgreementError::InactiveStaff),
            Some(s) if s.group != RegisterKind::Housekeeping.provider() => {
                e.add(AgreementField::Staff, AgreementError::WrongProvider { group: s.group })
            }
            Some(_) => {}
            None => e.add(AgreementField::Staff, AgreementError::StaffRequired),
        }
    }
}

/// R-FEE-4: what an agreed price is compared with — the list price of one
/// visit (the item's price × the visit's units: its hours when the item is
/// priced by the hour, its area when by the ㎡, else one unit), or of a
/// month of visits; `None` for an item by the ㎡ without its area.
pub fn listed_price_of_agreement(
    item: &PriceItem,
    schedule: &Schedule,
    basis: PriceBasis,
    area_m2: Option<u32>,
) -> Option<Money> {
    let visit = listed_price_of_visit(item, schedule.visit_minutes(), area_m2)?;
    Some(match basis {
        PriceBasis::PerVisit => visit,
        PriceBasis::PerMonth => {
            Money::from_fen(visit.fen().saturating_mul(i64::from(schedule.visits_per_month())))
                .unwrap_or(visit)
        }
    })
}

/// The area a draft states for an item priced by the ㎡ (R-FEE-4): whole
/// square metres, `㎡` after the number allowed.
pub fn parse_area(text: &str) -> Result<u32, AgreementError> {
    let text = text.trim().trim_end_matches(['㎡', ' ']).trim_end_matches("平方米").trim();
    if text.is_empty() {
        return Err(AgreementError::AreaRequired);
    }
    text.parse::<u32>()
        .ok()
        .filter(|area| (1..=MAX_AREA_M2).contains(area))
        .ok_or(AgreementError::BadArea { max: MAX_AREA_M2 })
}

/// The R-FEE-4 band the form's price will be checked against, as
/// `(listed, low, high)`, once the draft's schedule (and, for an item by
/// the ㎡, its area) can be read.
pub fn draft_price_band(draft: &AgreementDraft, item: &PriceItem) -> Option<(Money, Money, Money)> {
    let schedule = parse_schedule(draft, &mut Errors::default())?;
    let area = parse_area(&draft.area).ok();
    let listed =
        listed_price_of_agreement(item, &schedule, draft.basis.unwrap_or(PriceBasis::PerVisit), area)?;
    let (low, high) = super::price_band(listed);
    Some((listed, low, high))
}

/// What a draft's service comes to: the price-list item, the service's
/// name, the area served (an item by the ㎡ only), the review (unlisted only).
#[derive(Default)]
struct ListedService {
    item: Option<PriceItemId>,
    service: String,
    area_m2: Option<u32>,
    review: Option<(String, String)>,
}

/// R-FEE-4: a listed housekeeping item priced within ±30 % of
/// [`listed_price_of_agreement`] (an item by the ㎡ with its area), or an
/// unlisted service with a recorded review.
fn check_service(
    draft: &AgreementDraft,
    ctx: &AgreementContext<'_>,
    price: Option<Money>,
    schedule: Option<&Schedule>,
    basis: PriceBasis,
    e: &mut Errors,
) -> ListedService {
    use AgreementField as F;
    match &draft.service {
        ServiceChoice::None => {
            e.add(F::Service, AgreementError::Required);
            ListedService::default()
        }
        ServiceChoice::Unlisted(name) => {
            let name = e.required(F::Service, name);
            if draft.review_by.trim().is_empty() || draft.review_conclusion.trim().is_empty() {
                e.add(F::Review, AgreementError::ReviewRequired);
            }
            let review = Some((draft.review_by.trim().into(), draft.review_conclusion.trim().into()));
            ListedService { service: name, review, ..ListedService::default() }
        }
        ServiceChoice::Listed(id) => {
            let Some(item) = ctx.prices.iter().find(|p| p.id == *id) else {
                e.add(F::Service, AgreementError::Required);
                return ListedService::default();
            };
            if item.category.register() != RegisterKind::Housekeeping {
                e.add(F::Service, AgreementError::NotHousekeeping);
            } else if !item.active {
                e.add(F::Service, AgreementError::InactiveItem);
            }
            let area_m2 = if is_area_unit(&item.unit) {
                parse_area(&draft.area).map_err(|error| e.add(F::Area, error)).ok()
            } else {
                None
            };
            let listed = schedule.and_then(|s| listed_price_of_agreement(item, s, basis, area_m2));
            if let (Some(price), Some(listed)) = (price, listed)
                && !within_price_band(price, listed)
            {
                let (low, high) = super::price_band(listed);
                e.add(F::Price, AgreementError::PriceOutsideBand { low, high });
            }
            ListedService { item: Some(item.id), service: item.name.clone(), area_m2, review: None }
        }
    }
}

/// R-AG-2: the CS assistant, at the CS center, confirms capacity and price on a draft.
pub fn check_confirm(a: &Agreement, desk: super::Desk) -> Result<(), AgreementError> {
    if a.status != AgreementStatus::Draft {
        return Err(AgreementError::NotDraft);
    }
    if desk != super::Desk::CsCenter {
        return Err(AgreementError::NotCsCenter);
    }
    Ok(())
}

/// R-AG-2: the office manager signs a confirmed draft.
pub fn check_sign(a: &Agreement, signer: Rank) -> Result<(), AgreementError> {
    if a.status != AgreementStatus::Draft {
        return Err(AgreementError::NotDraft);
    }
    if signer != Rank::Manager {
        return Err(AgreementError::NotManager);
    }
    if a.confirmed.is_none() {
        return Err(AgreementError::NotConfirmed);
    }
    Ok(())
}

/// The status a running agreement moves to on `today`: active once its term
/// has begun, ended once it is over; `None` when nothing is due.
pub fn due_status(a: &Agreement, today: NaiveDate) -> Option<AgreementStatus> {
    match a.status {
        AgreementStatus::Signed | AgreementStatus::Active if today > a.term_end => {
            Some(AgreementStatus::Ended)
        }
        AgreementStatus::Signed if today >= a.term_start => Some(AgreementStatus::Active),
        _ => None,
    }
}

/// R-AG-3: the office stops a running agreement early with a reason and a
/// written notice given on or before the last day of service.
pub fn check_termination(
    a: &Agreement,
    t: &Termination,
    today: NaiveDate,
) -> Result<(), AgreementFieldError> {
    let fail = |field, error| Err(AgreementFieldError { field, error });
    if !a.is_running() {
        return fail(AgreementField::Reason, AgreementError::NotRunning);
    }
    if t.reason.trim().is_empty() {
        return fail(AgreementField::Reason, AgreementError::ReasonRequired);
    }
    if t.stop_on > a.term_end || t.stop_on < today {
        return fail(AgreementField::StopOn, AgreementError::OutsideTerm);
    }
    if t.notice_on > t.stop_on || t.notice_on > today {
        return fail(AgreementField::NoticeOn, AgreementError::NoticeDate);
    }
    Ok(())
}

/// One amendment (变更书): which terms changed from when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub seq: u32,
    pub at: NaiveDateTime,
    pub by: String,
    pub reason: String,
    pub effective_on: NaiveDate,
    /// (term, old wording, new wording), as shown and printed.
    pub changes: Vec<(String, String, String)>,
}

/// An amendment changes terms of a running agreement from a day inside its
/// term; the parties, the room and the term itself are not amendable
/// (a new term is a renewal).
pub fn check_amendment(
    a: &Agreement,
    new: &ValidAgreement,
    reason: &str,
    effective_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), AgreementFieldError> {
    let fail = |field, error| Err(AgreementFieldError { field, error });
    if !a.is_running() {
        return fail(AgreementField::Reason, AgreementError::NotRunning);
    }
    if reason.trim().is_empty() {
        return fail(AgreementField::Reason, AgreementError::ReasonRequired);
    }
    if effective_on < today || effective_on < a.term_start || effective_on > a.term_end {
        return fail(AgreementField::EffectiveOn, AgreementError::OutsideTerm);
    }
    if today
        .checked_add_signed(Duration::days(VISIT_HORIZON_DAYS))
        .is_none_or(|horizon| effective_on > horizon)
    {
        return fail(AgreementField::EffectiveOn, AgreementError::EffectiveTooLate);
    }
    if new.room.to_string() != a.room
        || new.resident_name != a.resident_name
        || new.term_start != a.term_start
        || new.term_end != a.term_end
    {
        return fail(AgreementField::Room, AgreementError::NotAmendable);
    }
    Ok(())
}

/// A renewal (续订书) follows an agreement that ran its term (or is about
/// to), once: the new term starts the day after the old one ends.
/// `renewals` are the statuses of renewals already made of it.
pub fn check_renewal(a: &Agreement, renewals: &[AgreementStatus]) -> Result<NaiveDate, AgreementError> {
    if renewals.iter().any(|s| *s != AgreementStatus::Terminated) {
        return Err(AgreementError::AlreadyRenewed);
    }
    match a.status {
        AgreementStatus::Signed | AgreementStatus::Active | AgreementStatus::Ended => {
            a.term_end.succ_opt().ok_or(AgreementError::NotRenewable)
        }
        _ => Err(AgreementError::NotRenewable),
    }
}

/// R-DSP-4: the visits of `a` on the days `from ..= through` that fall in
/// its term (up to the day service stops).
pub fn visits_due(a: &Agreement, from: NaiveDate, through: NaiveDate) -> Vec<NaiveDateTime> {
    if !a.makes_visits() {
        return Vec::new();
    }
    let first = from.max(a.term_start);
    let last = through.min(a.last_day());
    if last < first {
        return Vec::new();
    }
    a.schedule.visits_between(first, last)
}

/// R-DSP-4: the housekeeping register row of one visit at `at`, at the
/// agreed price per visit, sent to the first named staff member; `None` if
/// the stored room no longer reads as a room number.
pub fn visit_request(a: &Agreement, at: NaiveDateTime, note: String) -> Option<ValidRequestRow> {
    Some(ValidRequestRow {
        kind: RegisterKind::Housekeeping,
        desk: RegisterKind::Housekeeping.owner(),
        room: RoomNo::parse(&a.room).ok()?,
        resident_name: a.resident_name.clone(),
        phone: a.phone.clone(),
        price_item: a.price_item,
        service: a.service.clone(),
        details: visit_details(a),
        appointment: at,
        slack_reason: String::new(),
        price: Some(a.visit_price()),
        price_agreed: true,
        review: None,
        urgency: None,
        alarm_work: None,
        assigned_staff: a.staff.first().map(|(id, _)| *id),
        notes: note,
        relay_told: None,
    })
}

/// What the staff read on the row: the content, and the requirements if any.
fn visit_details(a: &Agreement) -> String {
    if a.requirements.is_empty() { a.details.clone() } else { format!("{}；{}", a.details, a.requirements) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, Group, Rank};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn yuan(y: i64) -> Money {
        Money::from_yuan(y).unwrap_or(Money::ZERO)
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn cleaner(id: StaffId, group: Group) -> Staff {
        Staff {
            id,
            name: format!("员工{id}"),
            group,
            rank: Rank::Staff,
            active: true,
            first_job_on: None,
            phone: String::new(),
            login: None,
        }
    }

    fn item() -> PriceItem {
        PriceItem {
            id: 3,
            category: Category::Cleaning,
            name: "日常保洁".into(),
            unit: "次".into(),
            price: Money::from_yuan(100).unwrap_or(Money::ZERO),
            added_on: day("2025-01-01"),
            active: true,
        }
    }

    fn draft() -> AgreementDraft {
        AgreementDraft {
            room: "3-2-201".into(),
            resident_name: "王奶奶".into(),
            phone: "13800138000".into(),
            service: ServiceChoice::Listed(3),
            details: "每周三次全屋保洁".into(),
            persons_served: "王奶奶（独居）".into(),
            staff: vec![7],
            weekly: true,
            days: vec![1, 3, 5],
            start: "09:00".into(),
            end: "11:00".into(),
            term_start: "2026-03-01".into(),
            term_end: "2026-08-31".into(),
            price: "100".into(),
            basis: Some(PriceBasis::PerVisit),
            payment_terms: "每月5日前支付上月费用".into(),
            ..AgreementDraft::default()
        }
    }

    fn validate(d: &AgreementDraft) -> Result<ValidAgreement, Vec<AgreementFieldError>> {
        let prices = [item()];
        let staff = [cleaner(7, Group::Housekeeping), cleaner(8, Group::Engineering)];
        validate_agreement(d, &AgreementContext { prices: &prices, staff: &staff })
    }

    fn field_errors(d: &AgreementDraft) -> Vec<(AgreementField, AgreementError)> {
        validate(d).err().unwrap_or_default().into_iter().map(|e| (e.field, e.error)).collect()
    }

    fn agreement(status: AgreementStatus) -> Agreement {
        let valid = validate(&draft()).unwrap_or_else(|e| panic!("{e:?}"));
        Agreement {
            id: 1,
            no: Some(AgreementNo { year: 2026, seq: 12 }),
            status,
            room: valid.room.to_string(),
            resident_name: valid.resident_name,
            phone: valid.phone,
            price_item: valid.price_item,
            service: valid.service,
            area_m2: valid.area_m2,
            details: valid.details,
            persons_served: valid.persons_served,
            requirements: valid.requirements,
            staff: vec![(7, "员工7".into())],
            schedule: valid.schedule,
            term_start: valid.term_start,
            term_end: valid.term_end,
            price: valid.price,
            basis: valid.basis,
            payment_terms: valid.payment_terms,
            review: None,
            confirmed: Some(("陈客服".into(), day("2026-02-20").and_time(time(10, 0)))),
            signed: None,
            renewal_of: None,
            termination: None,
            created_at: day("2026-02-20").and_time(time(9, 0)),
            created_by: "陈客服".into(),
        }
    }

    #[test]
    fn agreement_numbers_read_back_as_printed() {
        let no = AgreementNo { year: 2026, seq: 12 };
        assert_eq!(no.to_string(), "XY-2026-0012");
        assert_eq!(AgreementNo::parse(" xy-2026-0012 "), Some(no));
        assert_eq!(AgreementNo::parse("JZ-2026-0012"), None);
    }

    #[test]
    fn r_ag_2_a_complete_draft_passes() {
        let valid = validate(&draft()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.room.to_string(), "3栋2单元201");
        assert_eq!(
            valid.schedule,
            Schedule::Weekly { days: vec![1, 3, 5], start: time(9, 0), end: time(11, 0) }
        );
        assert_eq!(valid.service, "日常保洁");
    }

    #[test]
    fn r_ag_1_a_month_or_less_is_hourly_service_without_an_agreement() {
        let mut d = draft();
        d.term_end = "2026-03-31".into();
        assert_eq!(field_errors(&d), [(AgreementField::TermEnd, AgreementError::HourlyService)]);
        d.term_end = "2026-04-01".into();
        assert!(validate(&d).is_ok(), "one month and a day");
        assert!(longer_than_a_month(day("2026-01-31"), day("2026-02-28")));
        d.term_end = "2031-03-02".into();
        assert_eq!(field_errors(&d), [(AgreementField::TermEnd, AgreementError::TermTooLong)]);
        assert!(!longer_than_a_month(day("2026-01-31"), day("2026-02-27")));
    }

    #[test]
    fn r_ag_2_named_staff_of_the_housekeeping_group() {
        let mut d = draft();
        d.staff.clear();
        assert_eq!(field_errors(&d), [(AgreementField::Staff, AgreementError::StaffRequired)]);
        d.staff = vec![8];
        assert_eq!(
            field_errors(&d),
            [(AgreementField::Staff, AgreementError::WrongProvider { group: Group::Engineering })]
        );
    }

    #[test]
    fn r_fee_4_the_price_floats_at_most_30_percent_per_visit_or_per_month() {
        let mut d = draft();
        d.price = "131".into();
        assert!(matches!(
            field_errors(&d)[..],
            [(AgreementField::Price, AgreementError::PriceOutsideBand { .. })]
        ));
        // Three visits a week are 13 a month: ¥1,300 listed, ¥910 to ¥1,690 allowed.
        d.basis = Some(PriceBasis::PerMonth);
        d.price = "1200".into();
        assert!(validate(&d).is_ok());
        d.price = "900".into();
        assert!(matches!(
            field_errors(&d)[..],
            [(AgreementField::Price, AgreementError::PriceOutsideBand { .. })]
        ));
        let mut unlisted = draft();
        unlisted.service = ServiceChoice::Unlisted("陪护就医".into());
        assert_eq!(field_errors(&unlisted), [(AgreementField::Review, AgreementError::ReviewRequired)]);
        unlisted.review_by = "王经理".into();
        unlisted.review_conclusion = "可承接，按每次¥150".into();
        unlisted.price = "150".into();
        assert!(validate(&unlisted).is_ok());
    }

    #[test]
    fn r_ag_3_a_terminated_agreement_is_terminating_until_its_stop_day() {
        let mut a = agreement(AgreementStatus::Terminated);
        a.termination = Some(Termination {
            reason: "人员调整".into(),
            notice_on: day("2026-04-01"),
            stop_on: day("2026-04-10"),
        });
        assert_eq!(a.state_on(day("2026-04-01")), AgreementState::Terminating);
        assert_eq!(a.state_on(day("2026-04-10")), AgreementState::Terminating);
        assert_eq!(a.state_on(day("2026-04-11")), AgreementState::Terminated);
        a.status = AgreementStatus::Draft;
        a.confirmed = None;
        assert_eq!(a.state_on(day("2026-04-11")), AgreementState::Draft);
        a.confirmed = Some(("陈客服".into(), day("2026-02-01").and_hms_opt(10, 0, 0).unwrap_or_default()));
        assert_eq!(a.state_on(day("2026-04-11")), AgreementState::ConfirmedToSign);
    }

    #[test]
    fn r_fee_4_an_hourly_item_is_priced_by_the_hours_of_each_visit_and_month() {
        let hourly =
            PriceItem { unit: "小时".into(), price: Money::from_yuan(30).unwrap_or(Money::ZERO), ..item() };
        let check = |d: &AgreementDraft| {
            let staff = [cleaner(7, Group::Housekeeping)];
            validate_agreement(d, &AgreementContext { prices: std::slice::from_ref(&hourly), staff: &staff })
        };
        // Three hours at ¥30 an hour: ¥90 listed a visit, ¥63 to ¥117 allowed.
        let mut d =
            AgreementDraft { start: "09:00".into(), end: "12:00".into(), price: "90".into(), ..draft() };
        assert!(check(&d).is_ok());
        assert_eq!(draft_price_band(&d, &hourly), Some((yuan(90), yuan(63), yuan(117))));
        d.price = "60".into();
        assert!(matches!(
            check(&d).err().as_deref(),
            Some([AgreementFieldError { error: AgreementError::PriceOutsideBand { .. }, .. }])
        ));
        // By the month: 13 visits of three hours, ¥1,170 listed, ¥819 to ¥1,521.
        d.basis = Some(PriceBasis::PerMonth);
        d.price = "1100".into();
        assert!(check(&d).is_ok());
        assert_eq!(draft_price_band(&d, &hourly), Some((yuan(1170), yuan(819), yuan(1521))));
        d.price = "400".into();
        assert!(check(&d).is_err());
    }

    #[test]
    fn r_fee_4_an_item_by_the_square_metre_is_priced_by_the_area_of_each_visit_and_month() {
        let waxing = PriceItem {
            name: "地板打蜡".into(),
            unit: "㎡".into(),
            price: Money::from_fen(300).unwrap_or(Money::ZERO),
            ..item()
        };
        let check = |d: &AgreementDraft| {
            let staff = [cleaner(7, Group::Housekeeping)];
            validate_agreement(d, &AgreementContext { prices: std::slice::from_ref(&waxing), staff: &staff })
        };
        // Without the area the band cannot be known: refused next to the area.
        let mut d = AgreementDraft { weekly: false, dates: "1".into(), price: "250".into(), ..draft() };
        assert_eq!(draft_price_band(&d, &waxing), None);
        let errors: Vec<_> =
            check(&d).err().unwrap_or_default().into_iter().map(|e| (e.field, e.error)).collect();
        assert_eq!(errors, [(AgreementField::Area, AgreementError::AreaRequired)]);
        d.area = "85.5".into();
        assert!(matches!(
            check(&d).err().as_deref(),
            Some([AgreementFieldError {
                field: AgreementField::Area,
                error: AgreementError::BadArea { .. }
            }])
        ));
        // ¥3 a ㎡ over 85㎡: ¥255 listed a visit, ¥178.50 to ¥331.50 allowed.
        d.area = "85㎡".into();
        let valid = check(&d).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.area_m2, Some(85));
        let band = (Money::from_fen(25_500), Money::from_fen(17_850), Money::from_fen(33_150));
        let band =
            (band.0.unwrap_or(Money::ZERO), band.1.unwrap_or(Money::ZERO), band.2.unwrap_or(Money::ZERO));
        assert_eq!(draft_price_band(&d, &waxing), Some(band));
        d.price = "150".into();
        assert!(matches!(
            check(&d).err().as_deref(),
            Some([AgreementFieldError {
                field: AgreementField::Price,
                error: AgreementError::PriceOutsideBand { .. }
            }])
        ));
        // By the month: two visits a month, ¥510 listed.
        d.dates = "1, 15".into();
        d.basis = Some(PriceBasis::PerMonth);
        d.price = "500".into();
        assert!(check(&d).is_ok());
        assert_eq!(draft_price_band(&d, &waxing).map(|b| b.0), Some(yuan(510)));
        // An item by the visit asks for no area and keeps none.
        let per_visit = validate(&AgreementDraft { area: "85".into(), ..draft() });
        assert_eq!(per_visit.map(|v| v.area_m2), Ok(None));
    }

    #[test]
    fn the_schedule_is_weekdays_or_dates_with_a_start_before_the_end() {
        let mut d = draft();
        d.days.clear();
        assert_eq!(field_errors(&d), [(AgreementField::Schedule, AgreementError::NoDays)]);
        d.weekly = false;
        d.dates = "1, 15，32".into();
        assert_eq!(field_errors(&d), [(AgreementField::Schedule, AgreementError::BadDates)]);
        d.dates = "15、1".into();
        d.basis = Some(PriceBasis::PerVisit);
        assert!(validate(&d).is_ok());
        d.end = "08:00".into();
        assert_eq!(field_errors(&d), [(AgreementField::Times, AgreementError::TimesOrder)]);
    }

    #[test]
    fn r_dsp_4_visits_follow_the_schedule_within_the_term_across_months_and_years() {
        let weekly = Schedule::Weekly { days: vec![1, 3, 5], start: time(9, 0), end: time(11, 0) };
        let visits = weekly.visits_between(day("2026-12-28"), day("2027-01-04"));
        let days: Vec<String> = visits.iter().map(|v| v.format("%m-%d %a %H:%M").to_string()).collect();
        assert_eq!(days, ["12-28 Mon 09:00", "12-30 Wed 09:00", "01-01 Fri 09:00", "01-04 Mon 09:00"]);
        let monthly = Schedule::Monthly { dates: vec![15, 31], start: time(14, 0), end: time(16, 0) };
        let visits = monthly.visits_between(day("2026-01-01"), day("2026-03-31"));
        let days: Vec<String> = visits.iter().map(|v| v.format("%m-%d").to_string()).collect();
        assert_eq!(days, ["01-15", "01-31", "02-15", "03-15", "03-31"], "no 31st in February");
        let a = agreement(AgreementStatus::Active);
        assert!(visits_due(&a, day("2026-02-20"), day("2026-02-28")).is_empty(), "before the term");
        assert_eq!(
            visits_due(&a, day("2026-08-28"), day("2026-09-10")).len(),
            2,
            "Fri 28th and Mon 31st, then over"
        );
        assert!(
            visits_due(&agreement(AgreementStatus::Draft), day("2026-03-01"), day("2026-03-31")).is_empty()
        );
    }

    #[test]
    fn r_ag_2_the_manager_signs_a_draft_the_cs_assistant_confirmed() {
        let mut a = agreement(AgreementStatus::Draft);
        assert_eq!(check_confirm(&a, crate::domain::Desk::ControlCenter), Err(AgreementError::NotCsCenter));
        assert_eq!(check_confirm(&a, crate::domain::Desk::CsCenter), Ok(()));
        assert_eq!(check_sign(&a, Rank::Supervisor), Err(AgreementError::NotManager));
        assert_eq!(check_sign(&a, Rank::Manager), Ok(()));
        a.confirmed = None;
        assert_eq!(check_sign(&a, Rank::Manager), Err(AgreementError::NotConfirmed));
        assert_eq!(
            check_sign(&agreement(AgreementStatus::Active), Rank::Manager),
            Err(AgreementError::NotDraft)
        );
    }

    #[test]
    fn a_signed_agreement_becomes_active_then_ends_with_its_term() {
        let signed = agreement(AgreementStatus::Signed);
        assert_eq!(due_status(&signed, day("2026-02-25")), None);
        assert_eq!(due_status(&signed, day("2026-03-01")), Some(AgreementStatus::Active));
        assert_eq!(
            due_status(&agreement(AgreementStatus::Active), day("2026-09-01")),
            Some(AgreementStatus::Ended)
        );
        assert_eq!(due_status(&agreement(AgreementStatus::Active), day("2026-08-31")), None);
    }

    #[test]
    fn r_ag_3_early_termination_needs_a_reason_and_written_notice_before_service_stops() {
        let a = agreement(AgreementStatus::Active);
        let today = day("2026-05-10");
        let t = |reason: &str, notice: &str, stop: &str| Termination {
            reason: reason.into(),
            notice_on: day(notice),
            stop_on: day(stop),
        };
        assert_eq!(
            check_termination(&a, &t("服务人员离职，无法安排", "2026-05-10", "2026-05-17"), today),
            Ok(())
        );
        let no_reason = check_termination(&a, &t(" ", "2026-05-10", "2026-05-17"), today);
        assert_eq!(no_reason.map_err(|e| e.error), Err(AgreementError::ReasonRequired));
        let late_notice = check_termination(&a, &t("人手不足", "2026-05-18", "2026-05-17"), today);
        assert_eq!(late_notice.map_err(|e| e.error), Err(AgreementError::NoticeDate));
        let after_term = check_termination(&a, &t("人手不足", "2026-05-10", "2026-09-30"), today);
        assert_eq!(after_term.map_err(|e| e.error), Err(AgreementError::OutsideTerm));
        let backdated = check_termination(&a, &t("人手不足", "2026-05-01", "2026-05-05"), today);
        assert_eq!(
            backdated.map_err(|e| e.error),
            Err(AgreementError::OutsideTerm),
            "service stops today at the earliest"
        );
        let mut stopped = a.clone();
        stopped.termination = Some(t("人手不足", "2026-05-10", "2026-05-17"));
        assert_eq!(stopped.last_day(), day("2026-05-17"));
        assert_eq!(visits_due(&stopped, day("2026-05-15"), day("2026-05-31")).len(), 1, "Fri 15th only");
    }

    #[test]
    fn an_amendment_changes_terms_not_the_parties_or_the_term() {
        let a = agreement(AgreementStatus::Active);
        let today = day("2026-05-10");
        let mut changed = draft();
        changed.days = vec![2, 4];
        let new = validate(&changed).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(check_amendment(&a, &new, "住户要求改为周二、周四", day("2026-05-12"), today), Ok(()));
        let past = check_amendment(&a, &new, "改期", day("2026-05-01"), today);
        assert_eq!(past.map_err(|e| e.error), Err(AgreementError::OutsideTerm));
        let far = check_amendment(&a, &new, "改期", day("2026-06-01"), today);
        assert_eq!(far.map_err(|e| e.error), Err(AgreementError::EffectiveTooLate));
        let mut longer = changed.clone();
        longer.term_end = "2026-12-31".into();
        let longer = validate(&longer).unwrap_or_else(|e| panic!("{e:?}"));
        let renew_instead = check_amendment(&a, &longer, "延长", day("2026-05-12"), today);
        assert_eq!(renew_instead.map_err(|e| e.error), Err(AgreementError::NotAmendable));
        let draft_one =
            check_amendment(&agreement(AgreementStatus::Draft), &new, "x", day("2026-05-12"), today);
        assert_eq!(draft_one.map_err(|e| e.error), Err(AgreementError::NotRunning));
    }

    #[test]
    fn a_renewal_starts_the_day_after_the_term() {
        assert_eq!(check_renewal(&agreement(AgreementStatus::Ended), &[]), Ok(day("2026-09-01")));
        assert_eq!(
            check_renewal(&agreement(AgreementStatus::Terminated), &[]),
            Err(AgreementError::NotRenewable)
        );
        assert_eq!(check_renewal(&agreement(AgreementStatus::Draft), &[]), Err(AgreementError::NotRenewable));
        let once = check_renewal(&agreement(AgreementStatus::Ended), &[AgreementStatus::Draft]);
        assert_eq!(once, Err(AgreementError::AlreadyRenewed));
    }

    #[test]
    fn a_monthly_price_means_nothing_is_charged_per_visit() {
        let mut a = agreement(AgreementStatus::Active);
        assert_eq!(a.visit_price(), a.price);
        a.basis = PriceBasis::PerMonth;
        assert_eq!(a.visit_price(), Money::ZERO);
        assert_eq!(a.schedule.visits_per_month(), 13);
        assert!(a.ends_within(day("2026-08-15"), 30));
        assert!(!a.ends_within(day("2026-06-15"), 30));
        assert_eq!(weekday_of(1), Some(Weekday::Mon));
        assert_eq!(weekday_of(8), None);
    }
}
