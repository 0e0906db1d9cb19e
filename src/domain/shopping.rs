//! The shopping log (代客购物, R-SH-1..6): what an entry holds, the rules a
//! new entry meets, its states (recorded → bought → delivered → settled, or
//! could not buy, or void), and the 飞单 check: numbers missing from the
//! run, and entries left open past their deadline.
//!
//! Serial numbers run continuously for the life of the office, never
//! restarting at New Year: the paper booklets they replace are numbered
//! that way, and a number can then never mean two entries.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::people::coded_enum;
use super::{Money, MoneyError, RoomNo, TextKind, parse_date};

pub type ShoppingId = i64;

/// R-SH-1: from this unit price up an entry is required.
pub const SHOPPING_THRESHOLD_FEN: i64 = 10 * 100;
/// The furthest a purchase's deadline may be set, so an entry cannot hide
/// from the 飞单 check behind a distant deadline.
pub const MAX_DEADLINE_DAYS: i64 = 90;
/// Delivered goods are settled within this many days, or the entry is chased.
pub const SETTLE_WITHIN_DAYS: i64 = 7;

/// `No. 000123` on the paper form.
pub fn shopping_no_text(no: i64) -> String {
    format!("{no:06}")
}

coded_enum! {
    /// Where an entry stands; every number ends in one of the last four.
    ShoppingState {
        Recorded = "recorded",
        Bought = "bought",
        Delivered = "delivered",
        Settled = "settled",
        NotBought = "not_bought",
        Void = "void",
    }
}

/// One numbered entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShoppingEntry {
    pub id: ShoppingId,
    pub no: i64,
    pub state: ShoppingState,
    pub room: String,
    pub resident_name: String,
    pub item: String,
    pub brand: String,
    pub kind: String,
    pub quantity: u32,
    pub unit: String,
    pub spec: String,
    pub unit_price: Money,
    pub expected_total: Money,
    pub deadline: NaiveDate,
    pub taken_by: String,
    pub taken_at: NaiveDateTime,
    /// R-SH-2: who bought it, the invoice, what it cost, when.
    pub purchase: Option<Purchase>,
    /// R-SH-3: the day the resident checked the goods and signed.
    pub delivered_on: Option<NaiveDate>,
    pub settled_at: Option<NaiveDateTime>,
    /// R-SH-4: why it could not be bought, and when the resident was told.
    pub not_bought: Option<(String, NaiveDateTime)>,
    /// R-SH-6: a spoiled form keeps its number, marked void.
    pub void: Option<(String, String, NaiveDateTime)>,
}

/// R-SH-2: the purchase as made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub buyer: String,
    pub invoice_no: String,
    pub actual: Money,
    pub bought_on: NaiveDate,
}

/// A new entry as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShoppingDraft {
    pub room: String,
    pub resident_name: String,
    pub item: String,
    pub brand: String,
    pub kind: String,
    pub quantity: String,
    pub unit: String,
    pub spec: String,
    pub unit_price: String,
    pub deadline: String,
}

/// The fields of the shopping forms a message can stand next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShoppingField {
    Room,
    ResidentName,
    Item,
    Brand,
    Kind,
    Quantity,
    Spec,
    Unit,
    UnitPrice,
    Deadline,
    Buyer,
    Invoice,
    Actual,
    Date,
    Signed,
    Reason,
    ToldAt,
    Finding,
}

/// Why a shopping entry, or a step on it, is refused; each names its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShoppingError {
    #[error("required")]
    Required,
    #[error("room number is not of the form 3栋2单元201")]
    BadRoom,
    #[error("quantity is a whole number from 1")]
    BadQuantity,
    #[error("price: {0}")]
    BadPrice(MoneyError),
    #[error("not a date")]
    BadDate,
    #[error("R-SH-1: the deadline is not before today")]
    DeadlinePast,
    #[error("the deadline is at most 90 days ahead")]
    DeadlineTooFar,
    #[error("not allowed from {from:?}")]
    NotNow { from: ShoppingState },
    #[error("R-SH-2: the invoice number is required")]
    InvoiceRequired,
    #[error("the date is in the future or before the entry")]
    DateOutOfOrder,
    #[error("R-SH-3: the resident checks the goods and signs")]
    NotSigned,
    #[error("R-SH-4: the resident is told why, with the time")]
    NotTold,
    #[error("R-SH-6: a reason is required")]
    ReasonRequired,
    #[error("the total is too large")]
    TooLarge,
    /// Longer than the form's box, or with a control character (`check_text`).
    #[error("{0}")]
    Text(super::TextError),
}

/// An error next to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShoppingFieldError {
    pub field: ShoppingField,
    pub error: ShoppingError,
}

/// A new entry that meets R-SH-1, ready to be written with its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidShopping {
    pub room: RoomNo,
    pub resident_name: String,
    pub item: String,
    pub brand: String,
    pub kind: String,
    pub quantity: u32,
    pub unit: String,
    pub spec: String,
    pub unit_price: Money,
    pub expected_total: Money,
    pub deadline: NaiveDate,
}

impl ValidShopping {
    /// R-SH-1: under 10 yuan a unit no entry is needed (the clerk may still log one).
    pub fn below_threshold(&self) -> bool {
        self.unit_price.fen() < SHOPPING_THRESHOLD_FEN
    }
}

/// R-SH-1: room, name, item, brand, kind, quantity, specification, price
/// and deadline are all recorded.
pub fn validate_shopping(
    draft: &ShoppingDraft,
    today: NaiveDate,
) -> Result<ValidShopping, Vec<ShoppingFieldError>> {
    use ShoppingField as F;
    let mut errors: Vec<ShoppingFieldError> = Vec::new();
    let mut fail = |field, error| errors.push(ShoppingFieldError { field, error });
    // Each text within its box on the 代客购物登记表 (the limits every form shares).
    let required = |field, text: &str, kind, fail: &mut dyn FnMut(ShoppingField, ShoppingError)| {
        if text.trim().is_empty() {
            fail(field, ShoppingError::Required);
        } else if let Err(e) = super::check_text(text, kind) {
            fail(field, ShoppingError::Text(e));
        }
        text.trim().to_string()
    };
    let room = RoomNo::parse(&draft.room).map_err(|_| fail(F::Room, ShoppingError::BadRoom)).ok();
    let resident_name = required(F::ResidentName, &draft.resident_name, TextKind::Name, &mut fail);
    let item = required(F::Item, &draft.item, TextKind::Line, &mut fail);
    let brand = required(F::Brand, &draft.brand, TextKind::Line, &mut fail);
    let kind = required(F::Kind, &draft.kind, TextKind::Line, &mut fail);
    let spec = required(F::Spec, &draft.spec, TextKind::Line, &mut fail);
    if let Err(e) = super::check_text(&draft.unit, TextKind::Line) {
        fail(F::Unit, ShoppingError::Text(e));
    }
    let quantity = draft.quantity.trim().parse::<u32>().ok().filter(|q| *q > 0);
    if quantity.is_none() {
        fail(F::Quantity, ShoppingError::BadQuantity);
    }
    let unit_price =
        Money::parse(&draft.unit_price).map_err(|e| fail(F::UnitPrice, ShoppingError::BadPrice(e))).ok();
    let deadline = match parse_date(&draft.deadline) {
        None => {
            fail(F::Deadline, ShoppingError::BadDate);
            None
        }
        Some(day) if day < today => {
            fail(F::Deadline, ShoppingError::DeadlinePast);
            None
        }
        Some(day) if day > today + Duration::days(MAX_DEADLINE_DAYS) => {
            fail(F::Deadline, ShoppingError::DeadlineTooFar);
            None
        }
        Some(day) => Some(day),
    };
    let total =
        unit_price.zip(quantity).map(|(price, q)| Money::from_fen(price.fen().saturating_mul(i64::from(q))));
    if let Some(None) = total {
        fail(F::Quantity, ShoppingError::TooLarge);
    }
    match (room, quantity, unit_price, total.flatten(), deadline, errors.is_empty()) {
        (Some(room), Some(quantity), Some(unit_price), Some(expected_total), Some(deadline), true) => {
            Ok(ValidShopping {
                room,
                resident_name,
                item,
                brand,
                kind,
                quantity,
                unit: draft.unit.trim().to_string(),
                spec,
                unit_price,
                expected_total,
                deadline,
            })
        }
        _ => Err(errors),
    }
}

/// One step of an entry's life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShoppingStep {
    /// R-SH-2: bought as recorded, with an invoice.
    Buy(Purchase),
    /// R-SH-3: delivered with the invoice; the resident checked and signed.
    Deliver { on: NaiveDate, resident_signed: bool },
    /// R-SH-3: the cost is settled.
    Settle,
    /// R-SH-4: could not be bought in time or at all; the resident was told.
    NotBought { reason: String, told_at: Option<NaiveDateTime> },
    /// R-SH-6: a spoiled form is voided with a reason; the number stays.
    Void { reason: String },
}

/// Checks `step` against the entry; returns the state it moves to.
pub fn check_shopping_step(
    entry: &ShoppingEntry,
    step: &ShoppingStep,
    now: NaiveDateTime,
) -> Result<ShoppingState, ShoppingFieldError> {
    use ShoppingState as S;
    let fail = |field, error| Err(ShoppingFieldError { field, error });
    let from = entry.state;
    let allowed: &[ShoppingState] = match step {
        ShoppingStep::Buy(_) | ShoppingStep::NotBought { .. } | ShoppingStep::Void { .. } => &[S::Recorded],
        ShoppingStep::Deliver { .. } => &[S::Bought],
        ShoppingStep::Settle => &[S::Delivered],
    };
    if !allowed.contains(&from) {
        return fail(ShoppingField::Reason, ShoppingError::NotNow { from });
    }
    let taken = entry.taken_at.date();
    match step {
        ShoppingStep::Buy(p) => {
            if p.buyer.trim().is_empty() {
                return fail(ShoppingField::Buyer, ShoppingError::Required);
            }
            if p.invoice_no.trim().is_empty() {
                return fail(ShoppingField::Invoice, ShoppingError::InvoiceRequired);
            }
            if p.bought_on < taken || p.bought_on > now.date() {
                return fail(ShoppingField::Date, ShoppingError::DateOutOfOrder);
            }
            Ok(S::Bought)
        }
        ShoppingStep::Deliver { on, resident_signed } => {
            let bought = entry.purchase.as_ref().map_or(taken, |p| p.bought_on);
            if *on < bought || *on > now.date() {
                return fail(ShoppingField::Date, ShoppingError::DateOutOfOrder);
            }
            if !resident_signed {
                return fail(ShoppingField::Signed, ShoppingError::NotSigned);
            }
            Ok(S::Delivered)
        }
        ShoppingStep::Settle => Ok(S::Settled),
        ShoppingStep::NotBought { reason, told_at } => {
            if reason.trim().is_empty() {
                return fail(ShoppingField::Reason, ShoppingError::ReasonRequired);
            }
            match told_at {
                None => fail(ShoppingField::ToldAt, ShoppingError::NotTold),
                Some(at) if *at > now || *at < entry.taken_at => {
                    fail(ShoppingField::ToldAt, ShoppingError::DateOutOfOrder)
                }
                Some(_) => Ok(S::NotBought),
            }
        }
        ShoppingStep::Void { reason } => {
            if reason.trim().is_empty() {
                return fail(ShoppingField::Reason, ShoppingError::ReasonRequired);
            }
            Ok(S::Void)
        }
    }
}

/// The entry as it stands after `step`, which `check_shopping_step` moved
/// to `to`; `by` and `at` are who takes the step and when (a void's).
/// What the store writes for the step, for an entry not written yet: a
/// historical entry read from a file (issue 9) walks its steps through
/// `check_shopping_step` and this, so it ends as the desk would have left it.
pub fn apply_shopping_step(
    entry: &ShoppingEntry,
    step: &ShoppingStep,
    to: ShoppingState,
    by: &str,
    at: NaiveDateTime,
) -> ShoppingEntry {
    let mut next = entry.clone();
    next.state = to;
    match step {
        ShoppingStep::Buy(p) => {
            next.purchase = Some(Purchase {
                buyer: p.buyer.trim().to_string(),
                invoice_no: p.invoice_no.trim().to_string(),
                actual: p.actual,
                bought_on: p.bought_on,
            });
        }
        ShoppingStep::Deliver { on, .. } => next.delivered_on = Some(*on),
        ShoppingStep::Settle => next.settled_at = Some(at),
        ShoppingStep::NotBought { reason, told_at } => {
            next.not_bought = told_at.map(|told| (reason.trim().to_string(), told));
        }
        ShoppingStep::Void { reason } => next.void = Some((reason.trim().to_string(), by.to_string(), at)),
    }
    next
}

/// What makes a number a 飞单 to investigate (R-SH-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Concern {
    /// No entry carries this number.
    Missing,
    /// Still recorded, not bought, after its deadline.
    OpenPastDeadline,
    /// Bought but not delivered by the deadline.
    NotDelivered,
    /// Delivered but not settled within a week.
    NotSettled,
}

impl Concern {
    pub const ALL: [Concern; 4] =
        [Concern::Missing, Concern::OpenPastDeadline, Concern::NotDelivered, Concern::NotSettled];

    pub fn code(self) -> &'static str {
        match self {
            Concern::Missing => "missing",
            Concern::OpenPastDeadline => "open",
            Concern::NotDelivered => "not_delivered",
            Concern::NotSettled => "not_settled",
        }
    }

    pub fn from_code(code: &str) -> Option<Concern> {
        Concern::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What is wrong with an entry on `today`, if anything.
pub fn concern_of(entry: &ShoppingEntry, today: NaiveDate) -> Option<Concern> {
    match entry.state {
        ShoppingState::Recorded if today > entry.deadline => Some(Concern::OpenPastDeadline),
        ShoppingState::Bought if today > entry.deadline => Some(Concern::NotDelivered),
        ShoppingState::Delivered
            if entry.delivered_on.is_some_and(|d| today > d + Duration::days(SETTLE_WITHIN_DAYS)) =>
        {
            Some(Concern::NotSettled)
        }
        _ => None,
    }
}

/// R-SH-6: the numbers from 1 to the highest in use that no entry carries.
pub fn missing_numbers(numbers: &[i64]) -> Vec<i64> {
    let mut sorted: Vec<i64> = numbers.iter().copied().filter(|n| *n > 0).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut missing = Vec::new();
    let mut expected = 1;
    for n in sorted {
        missing.extend(expected..n);
        expected = n + 1;
    }
    missing
}

/// R-SH-6 on a printed log: the first and last number of the period, how
/// many numbers that span holds, how many of them are void, and which of
/// them the period's entries lack (a number taken on a day outside the
/// period, or never issued: either way finance asks about it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogContinuity {
    pub first: i64,
    pub last: i64,
    pub count: i64,
    pub void: usize,
    pub missing: Vec<i64>,
}

/// The continuity of a period's entries, given as (number, void); `None`
/// when the period has none.
pub fn log_continuity(entries: &[(i64, bool)]) -> Option<LogContinuity> {
    let first = entries.iter().map(|(no, _)| *no).min()?;
    let last = entries.iter().map(|(no, _)| *no).max()?;
    let mut present: Vec<i64> = entries.iter().map(|(no, _)| *no).collect();
    present.sort_unstable();
    present.dedup();
    let missing = (first..=last).filter(|no| present.binary_search(no).is_err()).collect();
    let void = entries.iter().filter(|(_, void)| *void).count();
    Some(LogContinuity { first, last, count: last - first + 1, void, missing })
}

/// An investigation of a 飞单: what was found, by whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Investigation {
    pub no: i64,
    pub concern: Concern,
    pub finding: String,
    pub by: String,
    pub at: NaiveDateTime,
}

/// A finding must say something.
pub fn check_finding(finding: &str) -> Result<(), ShoppingFieldError> {
    if finding.trim().is_empty() {
        Err(ShoppingFieldError { field: ShoppingField::Finding, error: ShoppingError::Required })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_sh_6_the_log_continuity_counts_the_span_its_void_and_its_gaps() {
        let entries = [(1646, false), (1644, false), (1645, true), (1649, true), (1648, false)];
        let c = log_continuity(&entries).unwrap_or_default();
        assert_eq!((c.first, c.last, c.count, c.void), (1644, 1649, 6, 2));
        assert_eq!(c.missing, [1647]);
        assert_eq!(log_continuity(&[]), None);
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn draft() -> ShoppingDraft {
        ShoppingDraft {
            room: "3-2-201".into(),
            resident_name: "王奶奶".into(),
            item: "大米".into(),
            brand: "五常".into(),
            kind: "粮油".into(),
            quantity: "2".into(),
            unit: "袋".into(),
            spec: "10kg".into(),
            unit_price: "89.5".into(),
            deadline: "2026-03-04".into(),
        }
    }

    fn entry(state: ShoppingState) -> ShoppingEntry {
        let v = validate_shopping(&draft(), day("2026-03-02")).unwrap_or_else(|e| panic!("{e:?}"));
        ShoppingEntry {
            id: 1,
            no: 12,
            state,
            room: v.room.to_string(),
            resident_name: v.resident_name,
            item: v.item,
            brand: v.brand,
            kind: v.kind,
            quantity: v.quantity,
            unit: v.unit,
            spec: v.spec,
            unit_price: v.unit_price,
            expected_total: v.expected_total,
            deadline: v.deadline,
            taken_by: "陈客服".into(),
            taken_at: at("2026-03-02 10:00"),
            purchase: None,
            delivered_on: None,
            settled_at: None,
            not_bought: None,
            void: None,
        }
    }

    #[test]
    fn r_sh_1_an_entry_records_everything_the_purchase_needs() {
        let valid = validate_shopping(&draft(), day("2026-03-02")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.expected_total, Money::from_yuan(179).unwrap_or(Money::ZERO));
        assert!(!valid.below_threshold());
        let empty = validate_shopping(&ShoppingDraft::default(), day("2026-03-02")).err().unwrap_or_default();
        let fields: Vec<ShoppingField> = empty.iter().map(|e| e.field).collect();
        use ShoppingField as F;
        assert_eq!(
            fields,
            [
                F::Room,
                F::ResidentName,
                F::Item,
                F::Brand,
                F::Kind,
                F::Spec,
                F::Quantity,
                F::UnitPrice,
                F::Deadline
            ]
        );
        let mut late = draft();
        late.deadline = "2026-03-01".into();
        let err = validate_shopping(&late, day("2026-03-02")).err().unwrap_or_default();
        assert_eq!(err[0].error, ShoppingError::DeadlinePast);
        late.deadline = "2026-06-01".into();
        let err = validate_shopping(&late, day("2026-03-02")).err().unwrap_or_default();
        assert_eq!(err[0].error, ShoppingError::DeadlineTooFar);
        let mut cheap = draft();
        cheap.unit_price = "9.90".into();
        assert!(
            validate_shopping(&cheap, day("2026-03-02")).is_ok_and(|v| v.below_threshold()),
            "may still be logged"
        );
    }

    #[test]
    fn r_sh_2_and_3_bought_with_an_invoice_then_delivered_signed_then_settled() {
        let now = at("2026-03-03 16:00");
        let buy = |invoice: &str| {
            ShoppingStep::Buy(Purchase {
                buyer: "赵采购".into(),
                invoice_no: invoice.into(),
                actual: Money::from_yuan(178).unwrap_or(Money::ZERO),
                bought_on: day("2026-03-03"),
            })
        };
        let recorded = entry(ShoppingState::Recorded);
        assert_eq!(check_shopping_step(&recorded, &buy("FP-0012"), now), Ok(ShoppingState::Bought));
        assert_eq!(
            check_shopping_step(&recorded, &buy(" "), now).map_err(|e| e.error),
            Err(ShoppingError::InvoiceRequired)
        );
        let bought = entry(ShoppingState::Bought);
        let unsigned = ShoppingStep::Deliver { on: day("2026-03-03"), resident_signed: false };
        assert_eq!(
            check_shopping_step(&bought, &unsigned, now).map_err(|e| e.error),
            Err(ShoppingError::NotSigned)
        );
        let signed = ShoppingStep::Deliver { on: day("2026-03-03"), resident_signed: true };
        assert_eq!(check_shopping_step(&bought, &signed, now), Ok(ShoppingState::Delivered));
        assert_eq!(
            check_shopping_step(&entry(ShoppingState::Delivered), &ShoppingStep::Settle, now),
            Ok(ShoppingState::Settled)
        );
        let early = check_shopping_step(&recorded, &ShoppingStep::Settle, now).map_err(|e| e.error);
        assert_eq!(early, Err(ShoppingError::NotNow { from: ShoppingState::Recorded }));
    }

    #[test]
    fn r_sh_4_a_purchase_that_cannot_be_made_records_why_and_when_the_resident_was_told() {
        let now = at("2026-03-04 18:00");
        let recorded = entry(ShoppingState::Recorded);
        let untold = ShoppingStep::NotBought { reason: "缺货".into(), told_at: None };
        assert_eq!(
            check_shopping_step(&recorded, &untold, now).map_err(|e| e.error),
            Err(ShoppingError::NotTold)
        );
        let told = ShoppingStep::NotBought { reason: "缺货".into(), told_at: Some(at("2026-03-04 17:00")) };
        assert_eq!(check_shopping_step(&recorded, &told, now), Ok(ShoppingState::NotBought));
    }

    #[test]
    fn r_sh_6_a_spoiled_form_is_voided_with_a_reason_and_keeps_its_number() {
        let now = at("2026-03-02 11:00");
        let recorded = entry(ShoppingState::Recorded);
        let no_reason = ShoppingStep::Void { reason: "".into() };
        assert_eq!(
            check_shopping_step(&recorded, &no_reason, now).map_err(|e| e.error),
            Err(ShoppingError::ReasonRequired)
        );
        assert_eq!(
            check_shopping_step(&recorded, &ShoppingStep::Void { reason: "填写错误".into() }, now),
            Ok(ShoppingState::Void)
        );
        let bought = entry(ShoppingState::Bought);
        assert!(
            check_shopping_step(&bought, &ShoppingStep::Void { reason: "x".into() }, now).is_err(),
            "bought goods are not voided"
        );
    }

    #[test]
    fn r_sh_6_missing_numbers_and_open_entries_are_found() {
        assert_eq!(missing_numbers(&[1, 2, 5, 3, 8]), [4, 6, 7]);
        assert_eq!(missing_numbers(&[2]), [1]);
        assert!(missing_numbers(&[]).is_empty());
        let recorded = entry(ShoppingState::Recorded);
        assert_eq!(concern_of(&recorded, day("2026-03-04")), None);
        assert_eq!(concern_of(&recorded, day("2026-03-05")), Some(Concern::OpenPastDeadline));
        assert_eq!(concern_of(&entry(ShoppingState::Bought), day("2026-03-05")), Some(Concern::NotDelivered));
        let mut delivered = entry(ShoppingState::Delivered);
        delivered.delivered_on = Some(day("2026-03-03"));
        assert_eq!(concern_of(&delivered, day("2026-03-10")), None);
        assert_eq!(concern_of(&delivered, day("2026-03-11")), Some(Concern::NotSettled));
        assert_eq!(concern_of(&entry(ShoppingState::Void), day("2027-01-01")), None);
        assert_eq!(shopping_no_text(123), "000123");
        assert!(check_finding(" ").is_err());
    }
}
