//! The office's types and rules. No I/O, no clock, no database, no GUI:
//! callers pass `now` in, and every rule check returns a typed error that
//! names the rule it enforces (RULES.md IDs).

mod correction;
pub mod history;
mod lifecycle;
mod money;
mod people;
mod price;
mod register;
mod request;
mod room;

pub use correction::{Correction, CorrectionDraft, validate_correction};
pub use history::{Action, Change, Entity, HistoryEntry};
pub use lifecycle::{
    ALARM_ROUNDS, DispatchChannel, HOUSEKEEPING_ROUNDS, JobFacts, JobStep, Opinion, SUPERVISOR_FEE_FEN,
    ServiceRecord, StepError, StepKind, StepRecord, check_step, copy_rounds, may_collect, next_round,
};
pub use money::{Money, MoneyError};
pub use people::{
    Desk, Group, Household, HouseholdId, OfficeError, OfficeSettings, Rank, Resident, ResidentError, Staff,
    StaffDraft, StaffError, StaffId, User, is_valid_phone, validate_office, validate_resident,
    validate_staff,
};
pub use price::{
    Category, PriceItem, PriceItemDraft, PriceItemError, PriceItemId, PriceReview, price_band,
    validate_price_item, within_price_band,
};
pub use register::{
    AlarmWork, Field, FieldError, IntakeContext, IntakeDraft, IntakeError, MIN_SLACK, RELAY_NOTE_SERVICE,
    RefusalDraft, RegisterKind, RequestStatus, RunningNo, ServiceChoice, Urgency, ValidRefusal, ValidRequest,
    parse_date, parse_date_time, relay_note, validate_intake, validate_refusal,
};
pub use request::{Refusal, Request, RequestId};
pub use room::{RoomNo, RoomNoError};
