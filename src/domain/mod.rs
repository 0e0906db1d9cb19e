//! The office's types and rules. No I/O, no clock, no database, no GUI:
//! callers pass `now` in, and every rule check returns a typed error that
//! names the rule it enforces (RULES.md IDs).

mod access;
mod agreement;
mod booking;
mod correction;
mod followup;
pub mod history;
mod language;
mod lifecycle;
mod limits;
mod money;
mod people;
mod price;
mod register;
mod report;
mod request;
mod revisit;
mod room;
mod shopping;
mod sign_in;
mod sla;
pub mod stats;
mod todo;

pub use access::{AccessError, Permission, check_permission, check_set_password};
pub use agreement::{
    Agreement, AgreementContext, AgreementDraft, AgreementError, AgreementField, AgreementFieldError,
    AgreementId, AgreementNo, AgreementPaper, AgreementState, AgreementStatus, AgreementTerms, Amendment,
    MAX_TERM_YEARS, PriceBasis, Schedule, Termination, VISIT_HORIZON_DAYS, ValidAgreement, check_amendment,
    check_confirm, check_renewal, check_sign, check_termination, draft_price_band, due_status,
    listed_price_of_agreement, longer_than_a_month, parse_area, validate_agreement, visit_request,
    visits_due, weekday_of,
};
pub use booking::{ASSUMED_JOB_MINUTES, Booking, Clash, first_clash};
pub use correction::{Correction, CorrectionDraft, validate_correction};
pub use followup::{
    CashDay, CashReceipt, Collection, FinanceList, HandoverError, HazardReport, Lane, MAX_BLANK_SLIPS,
    REPAIR_HANDOVER_BY, ReasonKind, RepairHandover, ReviewAnswer, ReviewError, ReviewRecord, SlipError,
    SlipNo, SlipRecord, StepReason, cash_days, check_blank_count, check_cash_receipt, check_reason_text,
    check_repair_handover, check_review_answer, check_slip_for_job, check_slip_sheet, check_stub_return,
    desk_registers, is_overdue, needs_day_review, on_board,
};
pub use history::{Action, Change, Entity, FieldRef, HistoryEntry, HistoryRow};
pub use language::{Language, PrintLanguage, YuanWord};
pub use lifecycle::{
    ALARM_ROUNDS, AskedBy, DispatchChannel, HOUSEKEEPING_ROUNDS, JobFacts, JobStep, Opinion, RoundCopy,
    SUPERVISOR_FEE_FEN, ServiceRecord, StepError, StepKind, StepRecord, check_step, copy_rounds, may_collect,
    next_round, round_sheet_rows,
};
pub use limits::{
    APPOINTMENT_AFTER_CALL, APPOINTMENT_BEFORE_CALL, EARLIEST_DAY, TextError, TextKind, WhenError,
    check_appointment_near, check_day, check_happened, check_text,
};
pub use money::{AmountWords, Money, MoneyError};
pub use people::{
    Desk, Group, Household, HouseholdId, OfficeError, OfficeSettings, Rank, Resident, ResidentError, Staff,
    StaffDraft, StaffError, StaffId, User, is_valid_phone, mask_phone, validate_backups_kept,
    validate_new_office, validate_office, validate_resident, validate_staff,
};
pub use price::{
    Category, MAX_AREA_M2, PriceItem, PriceItemDraft, PriceItemError, PriceItemId, PriceReview, is_area_unit,
    is_hourly_unit, listed_price_of_visit, price_band, validate_price_item, within_price_band,
};
pub use register::{
    AlarmWork, Field, FieldError, IntakeContext, IntakeDraft, IntakeError, MIN_SLACK, RELAY_NOTE_SERVICE,
    RefusalDraft, RegisterKind, RequestStatus, RunningNo, ServiceChoice, Urgency, ValidRefusal, ValidRequest,
    parse_date, parse_date_time, relay_note, validate_intake, validate_refusal,
};
pub use report::{
    MAX_REPORT_TEXT_CHARS, MonthlyReport, ReportContent, ReportError, ReportStatus, ReportStep,
    check_decision_comment, check_report_step, check_report_text, check_send_back, check_submission,
    report_month_span,
};
pub use request::{PastRequest, Refusal, Request, RequestId};
pub use revisit::{
    Complaint, ComplaintDraft, DrawnPlan, PlanCause, PlanFacts, PlanKind, PlanRow, PlannedHousehold, Ratings,
    RatingsDraft, RevisitAnswer, RevisitDraft, RevisitError, RevisitMethod, RevisitPlan, RevisitReason,
    RevisitRecord, ServedJob, Severity, check_not_revisited, check_revisit, coverage_per_mille, draw_plan,
    draw_plan_sized, last_month, month_start, plan_seed, previous_month, quarterly_sample_size, sample_size,
};
pub use room::{RoomNo, RoomNoError};
pub use shopping::{
    Concern, Investigation, LogContinuity, Purchase, SETTLE_WITHIN_DAYS, SHOPPING_THRESHOLD_FEN,
    ShoppingDraft, ShoppingEntry, ShoppingError, ShoppingField, ShoppingFieldError, ShoppingId,
    ShoppingState, ShoppingStep, ValidShopping, apply_shopping_step, check_finding, check_shopping_step,
    concern_of, log_continuity, missing_numbers, shopping_no_text, validate_shopping,
};
pub use sign_in::{FAILURE_WINDOW, FIRST_WAIT, FREE_FAILURES, LONGEST_WAIT, sign_in_locked_until};
pub use sla::{
    Commitment, Pause, RepairTimes, SlaState, SlaView, commitment, deadline, emergency_hours, repair_sla,
    sla_state, sla_view,
};
pub use todo::{ENDING_SOON_DAYS, TodoItem, TodoKind, TodoTarget, todo_kinds};
