//! A job's life after intake (issue 4): which step may follow which, and
//! the rule each step must meet — dispatch (R-DSP-1..3, R-IN-5, R-DESK-4),
//! hand-offs, rescheduling (R-FU-1), cancellation and changes by the
//! resident (R-FU-2), nobody home (R-FU-3), the service record (R-EX-1),
//! sign-off (R-EX-2, R-EX-3), collection (R-FEE-1) and settlement (R-FEE-3).
//!
//! Pure rules: [`check_step`] takes the job as it stands, the step asked for
//! and `now`, and answers the status the job moves to or the rule refused.
//! Storing the step (one record per hand-off) is `store`'s; who may press
//! which button is `app`'s.

use chrono::{NaiveDateTime, NaiveTime, Timelike};

use super::people::coded_enum;
use super::{Desk, Group, Money, Rank, RegisterKind, Request, RequestId, RequestStatus, Staff, StaffId};

/// R-DSP-1: the housekeeping group copies orders at the desk at these times.
pub const HOUSEKEEPING_ROUNDS: [(u32, u32); 2] = [(8, 0), (13, 30)];
/// R-DSP-2: the engineering department copies alarm orders at these times.
pub const ALARM_ROUNDS: [(u32, u32); 2] = [(9, 0), (13, 30)];
/// R-FEE-1: fees from this amount up are collected by a supervisor or above.
pub const SUPERVISOR_FEE_FEN: i64 = 100 * 100;

/// The copy-order rounds of a register; repairs have none (R-DSP-3).
pub fn copy_rounds(kind: RegisterKind) -> Vec<NaiveTime> {
    let times: &[(u32, u32)] = match kind {
        RegisterKind::Housekeeping => &HOUSEKEEPING_ROUNDS,
        RegisterKind::Alarm => &ALARM_ROUNDS,
        RegisterKind::Repair => &[],
    };
    times.iter().filter_map(|&(h, m)| NaiveTime::from_hms_opt(h, m, 0)).collect()
}

/// The next round of `kind` at or after `now` (today or tomorrow).
pub fn next_round(kind: RegisterKind, now: NaiveDateTime) -> Option<NaiveDateTime> {
    let rounds = copy_rounds(kind);
    let today = now.date();
    let at = |day: chrono::NaiveDate, time: &NaiveTime| day.and_time(*time);
    rounds
        .iter()
        .map(|time| at(today, time))
        .find(|round| *round >= now.with_second(0).unwrap_or(now))
        .or_else(|| today.succ_opt().and_then(|tomorrow| rounds.first().map(|time| at(tomorrow, time))))
}

/// A job as it was copied at a round (R-DSP-1/2), rebuilt from its
/// dispatch step: whom it went to, and the appointment as it stood then
/// (before any later reschedule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundCopy {
    pub request: RequestId,
    pub staff: (StaffId, String),
    /// The appointment before the first reschedule after the dispatch, if
    /// there was one; else the row's own.
    pub appointment_then: Option<NaiveDateTime>,
}

impl RoundCopy {
    /// `row` as it was copied: its staff member then, and its appointment then.
    pub fn applied_to(&self, row: Request) -> Request {
        Request {
            assigned_staff: Some(self.staff.clone()),
            appointment: self.appointment_then.unwrap_or(row.appointment),
            ..row
        }
    }
}

/// R-DSP-1/2: the orders on the sheet of the round of `kind` at
/// `round_at`. Those copied at it (`copied`, the rows as they were copied:
/// see [`RoundCopy`]), so that a past round reprints as it was; and, while
/// the round is still the one a waiting order goes to (no later round of
/// the register has begun by `now`), the orders still waiting to be copied
/// that came in by the round (`waiting`: the board's 待抄单 lane). In
/// running-number order, each once (one copied and later returned to the
/// desk counts as copied).
pub fn round_sheet_rows(
    kind: RegisterKind,
    round_at: NaiveDateTime,
    now: NaiveDateTime,
    copied: Vec<Request>,
    waiting: Vec<Request>,
) -> Vec<Request> {
    let later_round = next_round(kind, round_at + chrono::Duration::minutes(1));
    let still_open = later_round.is_none_or(|later| later > now);
    let came_in_by = |row: &Request| row.received_at.with_second(0).unwrap_or(row.received_at) <= round_at;
    let mut rows: Vec<Request> = copied.into_iter().filter(|row| row.no.kind == kind).collect();
    if still_open {
        let waits =
            |row: &Request| row.no.kind == kind && row.status == RequestStatus::Registered && came_in_by(row);
        rows.extend(waiting.into_iter().filter(waits));
    }
    // Stable: a row both copied and waiting again keeps its copied form.
    rows.sort_by_key(|row| row.no);
    rows.dedup_by_key(|row| row.id);
    rows
}

/// How a job reached its staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatchChannel<'a> {
    /// Copied by the group's runner at a round (R-DSP-1, R-DSP-2); the
    /// copier signs an alarm job off (R-EX-3).
    Round { at: NaiveTime, copier: &'a Staff },
    /// Sent by the desk outside the rounds, or a repair notified at once (R-DSP-3).
    Direct,
}

/// The sheet the resident signs at the door (R-EX-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    pub arrived_at: NaiveDateTime,
    pub finished_at: NaiveDateTime,
    pub work_done: String,
    pub resident_signed: bool,
    pub opinion: Option<Opinion>,
    pub comment: String,
}

coded_enum! {
    /// The resident's opinion on the service record.
    Opinion { Satisfied = "satisfied", FairlySatisfied = "fairly_satisfied", Dissatisfied = "dissatisfied" }
}

coded_enum! {
    /// The kinds of step, as stored with each step record.
    StepKind {
        Dispatch = "dispatch",
        Transfer = "transfer",
        Return = "return",
        Reschedule = "reschedule",
        Cancel = "cancel",
        NotHome = "not_home",
        Done = "done",
        Collect = "collect",
        SignOff = "sign_off",
        Settle = "settle",
        Arrive = "arrive",
        FollowUp = "follow_up",
        SpotCheck = "spot_check",
        Hazard = "hazard",
    }
}

impl StepKind {
    /// The statuses a step of this kind may be taken from; the one table
    /// both [`check_step`] and the desk's buttons read.
    pub fn allowed_from(self) -> &'static [RequestStatus] {
        use RequestStatus as S;
        match self {
            StepKind::Dispatch => &[S::Registered, S::NotHome],
            StepKind::Transfer => &[S::Dispatched],
            StepKind::Return => &[S::Dispatched],
            StepKind::Reschedule => &[S::Registered, S::Dispatched, S::NotHome],
            StepKind::Cancel => &[S::Registered, S::Dispatched, S::NotHome],
            StepKind::NotHome => &[S::Dispatched],
            StepKind::Done => &[S::Dispatched],
            StepKind::Collect => &[S::Done, S::SignedOff],
            StepKind::SignOff => &[S::Done],
            StepKind::Settle => &[S::SignedOff],
            StepKind::Arrive => &[S::Dispatched],
            StepKind::FollowUp => &[S::Done, S::SignedOff, S::Settled],
            StepKind::SpotCheck => &[S::Done, S::SignedOff, S::Settled],
            StepKind::Hazard => &[S::Dispatched, S::NotHome, S::Done, S::SignedOff, S::Settled],
        }
    }

    /// Whether this kind of step applies to a row of `kind` at all.
    pub fn applies_to(self, kind: RegisterKind) -> bool {
        match self {
            StepKind::FollowUp => kind == RegisterKind::Repair,
            StepKind::SpotCheck => kind == RegisterKind::Alarm,
            _ => true,
        }
    }

    /// The steps the desk can offer on `job` now.
    pub fn offered(job: &Request) -> Vec<StepKind> {
        StepKind::ALL
            .iter()
            .copied()
            .filter(|k| k.applies_to(job.no.kind) && k.allowed_from().contains(&job.status))
            .filter(|k| match k {
                StepKind::Arrive => job.arrived_at.is_none(),
                StepKind::Collect => job.collected.is_none(),
                _ => true,
            })
            .collect()
    }
}

impl JobStep<'_> {
    pub fn kind(&self) -> StepKind {
        match self {
            JobStep::Dispatch { .. } => StepKind::Dispatch,
            JobStep::Transfer { .. } => StepKind::Transfer,
            JobStep::Return { .. } => StepKind::Return,
            JobStep::Reschedule { .. } => StepKind::Reschedule,
            JobStep::Cancel { .. } => StepKind::Cancel,
            JobStep::NotHome { .. } => StepKind::NotHome,
            JobStep::Done { .. } => StepKind::Done,
            JobStep::Collect { .. } => StepKind::Collect,
            JobStep::SignOff { .. } => StepKind::SignOff,
            JobStep::Settle { .. } => StepKind::Settle,
            JobStep::Arrive { .. } => StepKind::Arrive,
            JobStep::FollowUp { .. } => StepKind::FollowUp,
            JobStep::SpotCheck { .. } => StepKind::SpotCheck,
            JobStep::Hazard { .. } => StepKind::Hazard,
        }
    }

    /// The staff member the step is about: sent to, handed to, collecting,
    /// signing or settling.
    pub fn staff(&self) -> Option<&Staff> {
        match self {
            JobStep::Dispatch { staff, .. } | JobStep::Transfer { to: staff, .. } => Some(staff),
            JobStep::Collect { collector, .. } => Some(collector),
            JobStep::SignOff { signer, .. } => Some(signer),
            JobStep::Settle { by } => Some(by),
            _ => None,
        }
    }
}

/// A stored step, read back to show and count a job's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub at: NaiveDateTime,
    pub by: String,
    pub kind: StepKind,
    pub staff: Option<String>,
    pub reason: Option<String>,
    pub from: RequestStatus,
    pub to: RequestStatus,
}

/// One step of a job's life; each becomes its own record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStep<'a> {
    Dispatch {
        staff: &'a Staff,
        channel: DispatchChannel<'a>,
    },
    /// Handing the job to another staff member (a hand-off of its own).
    Transfer {
        to: &'a Staff,
        reason: String,
    },
    /// Staff give the job back to the desk undone.
    Return {
        reason: String,
    },
    /// A new time: R-FU-1 when staff cannot keep it (the desk apologises);
    /// R-FU-2 when the resident asks (the staff already sent are told, and
    /// a repair's clock pauses until the new time, R-SLA-1).
    Reschedule {
        asked_by: AskedBy,
        reason: String,
        apologised: bool,
        staff_told_at: Option<NaiveDateTime>,
        new_time: NaiveDateTime,
    },
    /// R-FU-2 (by the resident) or the office: the job will not be done.
    Cancel {
        reason: String,
        staff_told_at: Option<NaiveDateTime>,
    },
    /// R-FU-3: nobody home; a message slip was posted.
    NotHome {
        slip_no: String,
    },
    /// R-EX-1: the work is done and the resident signed the record.
    Done {
        record: ServiceRecord,
    },
    /// R-FEE-1: a fee collected at the door; an amount other than the
    /// agreed price says why (kept with the step and its history).
    Collect {
        amount: Money,
        collector: &'a Staff,
        reason: String,
    },
    /// R-EX-2, R-EX-3: staff sign the register row at the desk.
    SignOff {
        signer: &'a Staff,
        desk: Desk,
    },
    /// R-FEE-3: finance settles the job.
    Settle {
        by: &'a Staff,
    },
    /// R-SLA-1/2: staff reached the home at `at`.
    Arrive {
        at: NaiveDateTime,
    },
    /// R-EX-4: the repair staff checked that the repair holds.
    FollowUp {
        note: String,
    },
    /// R-EX-3: the CS center spot-checks a finished alarm job.
    SpotCheck {
        note: String,
        desk: Desk,
    },
    /// R-SLA-3: a hazard found in the home, pointed out to the resident and
    /// reported to the office.
    Hazard {
        description: String,
        told_resident: bool,
    },
}

/// Who asked for a new time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedBy {
    /// R-FU-1: staff cannot keep the appointment.
    Staff,
    /// R-FU-2: the resident changes it.
    Resident,
}

/// What a step needs to know about the job beyond its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JobFacts {
    /// Who holds the job now (the last dispatch or transfer).
    pub holder: Option<StaffId>,
    /// Who copied an alarm order at a round: they sign it off (R-EX-3).
    pub copier: Option<StaffId>,
    /// When the job was last sent out (its latest dispatch): staff cannot
    /// reach the home, or finish, before they were sent.
    pub dispatched_at: Option<NaiveDateTime>,
}

/// Why a step is refused; each names its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("not allowed from {from:?}")]
    NotNow { from: RequestStatus },
    #[error("R-IN-5: no one is sent before the price is agreed")]
    PriceNotAgreed,
    #[error("R-DESK-4: {group:?} does not do this work")]
    WrongProvider { group: Group },
    #[error("inactive staff")]
    InactiveStaff,
    #[error("R-DSP-1/2: {at} is not a copy round of this register")]
    NotARound { at: NaiveTime },
    #[error("R-DSP-1/2: the {at} round is still to come or was before the row came in")]
    RoundTime { at: NaiveTime },
    #[error("R-FU-2: the time the staff member was told is before intake or in the future")]
    ToldTime,
    #[error("R-SLA-1/2: the first arrival is already recorded")]
    AlreadyArrived,
    #[error("R-FEE-1: the job's fee was already collected")]
    AlreadyCollected,
    #[error("R-DSP-3: repairs are notified at once, not copied at a round")]
    RepairNotCopied,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("R-FU-1: the desk apologises to the resident")]
    ApologyRequired,
    #[error("R-FU-1: the new time is not later than now")]
    NewTimeNotLater,
    #[error("R-FU-2: the staff member already sent must be told")]
    StaffNotTold,
    #[error("R-FU-3: the message slip number is required")]
    SlipRequired,
    #[error("R-EX-1: the resident signs the service record with an opinion")]
    RecordNotSigned,
    #[error("R-EX-1: the record's times are out of order")]
    RecordTimes,
    #[error("R-FEE-1: a fee of 100 yuan or more is collected by a supervisor or above")]
    CollectorRank,
    #[error("R-EX-2: signed off at the desk that keeps the register")]
    WrongDesk,
    #[error("R-EX-3: the alarm job is signed off by whoever copied it")]
    NotTheCopier,
    #[error("R-FEE-3: finance settles")]
    NotFinance,
    #[error("R-SLA-1/2: the arrival time is before intake or in the future")]
    ArrivalTime,
    #[error("a step's time comes before the dispatch it follows ({dispatched_at})")]
    BeforeDispatch { dispatched_at: NaiveDateTime },
    #[error("R-FU-3: nobody is found not at home before the appointment ({appointment})")]
    NotHomeBeforeAppointment { appointment: NaiveDateTime },
    #[error("R-FEE-1: an amount other than the agreed price needs a reason")]
    AmountDiffersWithoutReason,
    #[error("R-EX-4: only repair rows are followed up")]
    NotRepair,
    #[error("R-EX-3: only alarm jobs are spot-checked, at the CS center")]
    NotAlarmAtCsCenter,
    #[error("R-SLA-3: the hazard is described and pointed out to the resident")]
    HazardNotPointedOut,
    #[error("a note is required")]
    NoteRequired,
}

/// Checks `step` against the job as it stands; returns the status it moves to.
pub fn check_step(
    job: &Request,
    facts: &JobFacts,
    step: &JobStep<'_>,
    now: NaiveDateTime,
) -> Result<RequestStatus, StepError> {
    use RequestStatus as S;
    let from = job.status;
    if !step.kind().allowed_from().contains(&from) {
        return Err(StepError::NotNow { from });
    }
    match step {
        JobStep::Dispatch { staff, channel } => {
            check_dispatch(job, staff, channel, now)?;
            Ok(S::Dispatched)
        }
        JobStep::Transfer { to: staff, reason } => {
            require_reason(reason)?;
            check_provider(job.no.kind, staff)?;
            Ok(S::Dispatched)
        }
        JobStep::Return { reason } => {
            require_reason(reason)?;
            Ok(S::Registered)
        }
        JobStep::Reschedule { asked_by, reason, apologised, staff_told_at, new_time } => {
            require_reason(reason)?;
            match asked_by {
                AskedBy::Staff if !apologised => return Err(StepError::ApologyRequired),
                AskedBy::Resident if sent_out(facts, from) && staff_told_at.is_none() => {
                    return Err(StepError::StaffNotTold);
                }
                _ => {}
            }
            check_told_at(job, *staff_told_at, now)?;
            if *new_time <= now {
                return Err(StepError::NewTimeNotLater);
            }
            // After nobody was home the job goes back to its staff member.
            Ok(if from == S::NotHome { S::Dispatched } else { from })
        }
        JobStep::Cancel { reason, staff_told_at } => {
            require_reason(reason)?;
            if sent_out(facts, from) && staff_told_at.is_none() {
                return Err(StepError::StaffNotTold);
            }
            check_told_at(job, *staff_told_at, now)?;
            Ok(S::Cancelled)
        }
        JobStep::NotHome { slip_no } => {
            if slip_no.trim().is_empty() {
                return Err(StepError::SlipRequired);
            }
            // Nobody can be out when the visit is still to come.
            if now < job.appointment {
                return Err(StepError::NotHomeBeforeAppointment { appointment: job.appointment });
            }
            Ok(S::NotHome)
        }
        JobStep::Done { record } => {
            check_record(job, record, now)?;
            check_after_dispatch(facts, record.arrived_at)?;
            Ok(S::Done)
        }
        JobStep::Collect { amount, collector, reason } => {
            check_collector(job, *amount, collector)?;
            check_agreed_amount(job, *amount, reason)?;
            Ok(from)
        }
        JobStep::SignOff { signer, desk } => {
            check_sign_off(job, facts, signer, *desk)?;
            Ok(S::SignedOff)
        }
        JobStep::Settle { by } => {
            if by.group != Group::Finance {
                return Err(StepError::NotFinance);
            }
            Ok(S::Settled)
        }
        JobStep::Arrive { at } => {
            if job.arrived_at.is_some() {
                return Err(StepError::AlreadyArrived);
            }
            if *at > now || *at < job.received_at {
                return Err(StepError::ArrivalTime);
            }
            check_after_dispatch(facts, *at)?;
            Ok(from)
        }
        JobStep::FollowUp { note } => {
            if job.no.kind != RegisterKind::Repair {
                return Err(StepError::NotRepair);
            }
            require_note(note)?;
            Ok(from)
        }
        JobStep::SpotCheck { note, desk } => {
            if job.no.kind != RegisterKind::Alarm || *desk != Desk::CsCenter {
                return Err(StepError::NotAlarmAtCsCenter);
            }
            require_note(note)?;
            Ok(from)
        }
        JobStep::Hazard { description, told_resident } => {
            if description.trim().is_empty() || !told_resident {
                return Err(StepError::HazardNotPointedOut);
            }
            Ok(from)
        }
    }
}

/// Staff were already sent: a change must reach them (R-FU-2).
fn sent_out(facts: &JobFacts, from: RequestStatus) -> bool {
    facts.holder.is_some() && from != RequestStatus::Registered
}

fn require_note(note: &str) -> Result<(), StepError> {
    if note.trim().is_empty() { Err(StepError::NoteRequired) } else { Ok(()) }
}

fn require_reason(reason: &str) -> Result<(), StepError> {
    if reason.trim().is_empty() { Err(StepError::ReasonRequired) } else { Ok(()) }
}

/// R-DESK-4: only active staff of the group that does this work.
fn check_provider(kind: RegisterKind, staff: &Staff) -> Result<(), StepError> {
    if !staff.active {
        return Err(StepError::InactiveStaff);
    }
    if staff.group != kind.provider() {
        return Err(StepError::WrongProvider { group: staff.group });
    }
    Ok(())
}

/// R-IN-5, R-DESK-4, R-DSP-1..3: the price agreed, the right group, and a
/// round that is one of the register's, today, after the row came in and
/// not still to come, copied by someone of the group.
fn check_dispatch(
    job: &Request,
    staff: &Staff,
    channel: &DispatchChannel<'_>,
    now: NaiveDateTime,
) -> Result<(), StepError> {
    if !job.price_agreed || job.price.is_none() {
        return Err(StepError::PriceNotAgreed);
    }
    check_provider(job.no.kind, staff)?;
    let DispatchChannel::Round { at, copier } = channel else { return Ok(()) };
    if job.no.kind == RegisterKind::Repair {
        return Err(StepError::RepairNotCopied);
    }
    if !copy_rounds(job.no.kind).contains(at) {
        return Err(StepError::NotARound { at: *at });
    }
    let round = now.date().and_time(*at);
    if round > now || round < job.received_at.with_second(0).unwrap_or(job.received_at) {
        return Err(StepError::RoundTime { at: *at });
    }
    check_provider(job.no.kind, copier)
}

/// R-EX-1: signed by the resident, with an opinion; received ≤ arrived ≤
/// finished ≤ now, so the record cannot keep a promise it did not (R-SLA-1/2).
fn check_record(job: &Request, record: &ServiceRecord, now: NaiveDateTime) -> Result<(), StepError> {
    if !record.resident_signed || record.opinion.is_none() {
        return Err(StepError::RecordNotSigned);
    }
    let received = job.received_at.with_second(0).unwrap_or(job.received_at);
    if record.arrived_at < received || record.finished_at < record.arrived_at || record.finished_at > now {
        return Err(StepError::RecordTimes);
    }
    Ok(())
}

/// dispatch ≤ arrival ≤ finish: staff reach the home after they were sent
/// (the latest dispatch, so a job sent again is not arrived at before).
/// Compared by the minute, as the desk types times.
fn check_after_dispatch(facts: &JobFacts, arrived_at: NaiveDateTime) -> Result<(), StepError> {
    match facts.dispatched_at {
        Some(sent) if arrived_at < sent.with_second(0).unwrap_or(sent) => {
            Err(StepError::BeforeDispatch { dispatched_at: sent })
        }
        _ => Ok(()),
    }
}

/// R-FEE-1: collecting other than the agreed price (a discount, an extra
/// part) is said in words, so the difference is explained in the history.
/// A price never agreed with the resident (`price_agreed` false) is no
/// yardstick: there is nothing to differ from.
fn check_agreed_amount(job: &Request, amount: Money, reason: &str) -> Result<(), StepError> {
    match job.price.filter(|_| job.price_agreed) {
        Some(agreed) if agreed != amount && reason.trim().is_empty() => {
            Err(StepError::AmountDiffersWithoutReason)
        }
        _ => Ok(()),
    }
}

/// R-FU-2: the time the staff member was told lies between intake and now.
fn check_told_at(job: &Request, told: Option<NaiveDateTime>, now: NaiveDateTime) -> Result<(), StepError> {
    let received = job.received_at.with_second(0).unwrap_or(job.received_at);
    match told {
        Some(at) if at > now || at < received => Err(StepError::ToldTime),
        _ => Ok(()),
    }
}

/// R-FEE-1: from 100 yuan up, a business supervisor or above collects. A
/// job's fee is collected once, so it cannot be split below the line.
fn check_collector(job: &Request, amount: Money, collector: &Staff) -> Result<(), StepError> {
    if job.collected.is_some() {
        return Err(StepError::AlreadyCollected);
    }
    if !collector.active {
        return Err(StepError::InactiveStaff);
    }
    if amount.fen() >= SUPERVISOR_FEE_FEN && !collector.rank.is_supervisor_or_above() {
        return Err(StepError::CollectorRank);
    }
    Ok(())
}

/// R-EX-2: staff of the group that did the work sign at the desk that keeps
/// the register; R-EX-3: alarm jobs by their copier.
fn check_sign_off(job: &Request, facts: &JobFacts, signer: &Staff, desk: Desk) -> Result<(), StepError> {
    if desk != job.no.kind.owner() {
        return Err(StepError::WrongDesk);
    }
    check_provider(job.no.kind, signer)?;
    if job.no.kind == RegisterKind::Alarm && facts.copier.is_some_and(|copier| copier != signer.id) {
        return Err(StepError::NotTheCopier);
    }
    Ok(())
}

/// A ranked staff member is allowed to collect any amount (R-FEE-1).
pub fn may_collect(rank: Rank, amount: Money) -> bool {
    amount.fen() < SUPERVISOR_FEE_FEN || rank.is_supervisor_or_above()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RunningNo;
    use crate::domain::request::sample_request;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn job(kind: RegisterKind, status: RequestStatus) -> Request {
        sample_request(kind, status)
    }

    /// Housekeeping row `seq`, received at `received`, in `status`.
    fn numbered(seq: i64, received: &str, status: RequestStatus) -> Request {
        let row = job(RegisterKind::Housekeeping, status);
        Request { id: seq, no: RunningNo { seq, ..row.no }, received_at: at(received), ..row }
    }

    fn seqs(rows: &[Request]) -> Vec<i64> {
        rows.iter().map(|r| r.no.seq).collect()
    }

    #[test]
    fn r_dsp_1_a_round_lists_its_copies_and_while_under_way_the_orders_waiting_for_it() {
        let round = at("2026-03-02 13:30");
        let copied = || vec![numbered(3, "2026-03-02 09:00", RequestStatus::Dispatched)];
        let waiting = || {
            vec![
                numbered(1, "2026-03-02 11:00", RequestStatus::Registered),
                numbered(5, "2026-03-02 13:31", RequestStatus::Registered),
                // Copied at this round and sent back since: listed once.
                numbered(3, "2026-03-02 09:00", RequestStatus::Registered),
            ]
        };
        let kind = RegisterKind::Housekeeping;
        let under_way = round_sheet_rows(kind, round, at("2026-03-02 14:00"), copied(), waiting());
        assert_eq!(seqs(&under_way), [1, 3], "No. 5 came in after the round");
        assert_eq!(under_way[1].status, RequestStatus::Dispatched, "as copied");
        // The next morning's round has begun: the 13:30 sheet is a reprint.
        let past = round_sheet_rows(kind, round, at("2026-03-03 08:00"), copied(), waiting());
        assert_eq!(seqs(&past), [3]);
        let before = round_sheet_rows(kind, round, at("2026-03-03 07:59"), copied(), waiting());
        assert_eq!(seqs(&before), [1, 3]);
    }

    #[test]
    fn r_dsp_1_a_copy_is_printed_with_the_staff_and_appointment_it_had() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let copy = RoundCopy {
            request: row.id,
            staff: (9, "孙保洁".into()),
            appointment_then: Some(at("2026-03-02 15:00")),
        };
        let then = copy.applied_to(row.clone());
        assert_eq!(then.assigned_staff, Some((9, "孙保洁".into())));
        assert_eq!(then.appointment, at("2026-03-02 15:00"));
        let unchanged = RoundCopy { appointment_then: None, ..copy }.applied_to(row.clone());
        assert_eq!(unchanged.appointment, row.appointment);
    }

    fn staff(id: StaffId, group: Group, rank: Rank) -> Staff {
        Staff {
            id,
            name: format!("员工{id}"),
            group,
            rank,
            active: true,
            first_job_on: None,
            phone: String::new(),
            login: None,
        }
    }

    fn now() -> NaiveDateTime {
        at("2026-03-02 16:00")
    }

    fn step(job: &Request, facts: &JobFacts, step: JobStep<'_>) -> Result<RequestStatus, StepError> {
        check_step(job, facts, &step, now())
    }

    #[test]
    fn r_dsp_1_housekeeping_is_copied_at_08_00_and_13_30_or_sent_directly() {
        let mut row = job(RegisterKind::Housekeeping, RequestStatus::Registered);
        row.received_at = at("2026-03-01 18:00");
        let runner = staff(7, Group::Housekeeping, Rank::Staff);
        let round = |h, m| JobStep::Dispatch {
            staff: &runner,
            channel: DispatchChannel::Round { at: time(h, m), copier: &runner },
        };
        assert_eq!(step(&row, &JobFacts::default(), round(8, 0)), Ok(RequestStatus::Dispatched));
        assert_eq!(step(&row, &JobFacts::default(), round(13, 30)), Ok(RequestStatus::Dispatched));
        assert_eq!(
            step(&row, &JobFacts::default(), round(9, 0)),
            Err(StepError::NotARound { at: time(9, 0) })
        );
        let direct = JobStep::Dispatch { staff: &runner, channel: DispatchChannel::Direct };
        assert_eq!(step(&row, &JobFacts::default(), direct), Ok(RequestStatus::Dispatched));
        // A round is recorded once it has come, and only for rows in by then.
        row.received_at = at("2026-03-02 15:00");
        assert_eq!(
            step(&row, &JobFacts::default(), round(13, 30)),
            Err(StepError::RoundTime { at: time(13, 30) })
        );
        let evening = check_step(&row, &JobFacts::default(), &round(13, 30), at("2026-03-02 12:00"));
        assert_eq!(evening, Err(StepError::RoundTime { at: time(13, 30) }));
        let cook = staff(20, Group::CsCenter, Rank::Staff);
        let copied_by_clerk = JobStep::Dispatch {
            staff: &runner,
            channel: DispatchChannel::Round { at: time(8, 0), copier: &cook },
        };
        row.received_at = at("2026-03-01 18:00");
        assert!(matches!(
            step(&row, &JobFacts::default(), copied_by_clerk),
            Err(StepError::WrongProvider { .. })
        ));
    }

    #[test]
    fn r_dsp_2_alarm_is_copied_at_09_00_and_13_30() {
        let mut row = job(RegisterKind::Alarm, RequestStatus::Registered);
        row.received_at = at("2026-03-02 08:10");
        let engineer = staff(8, Group::Engineering, Rank::Staff);
        let round = |h, m| JobStep::Dispatch {
            staff: &engineer,
            channel: DispatchChannel::Round { at: time(h, m), copier: &engineer },
        };
        assert_eq!(step(&row, &JobFacts::default(), round(9, 0)), Ok(RequestStatus::Dispatched));
        assert_eq!(
            step(&row, &JobFacts::default(), round(8, 0)),
            Err(StepError::NotARound { at: time(8, 0) })
        );
    }

    #[test]
    fn r_dsp_3_repairs_are_notified_at_once_never_copied() {
        let row = job(RegisterKind::Repair, RequestStatus::Registered);
        let fixer = staff(9, Group::PublicRepair, Rank::Staff);
        let copied = JobStep::Dispatch {
            staff: &fixer,
            channel: DispatchChannel::Round { at: time(8, 0), copier: &fixer },
        };
        assert_eq!(step(&row, &JobFacts::default(), copied), Err(StepError::RepairNotCopied));
        let notified = JobStep::Dispatch { staff: &fixer, channel: DispatchChannel::Direct };
        assert_eq!(step(&row, &JobFacts::default(), notified), Ok(RequestStatus::Dispatched));
        assert!(copy_rounds(RegisterKind::Repair).is_empty());
    }

    #[test]
    fn r_dsp_next_round_is_today_or_tomorrow_morning() {
        assert_eq!(
            next_round(RegisterKind::Housekeeping, at("2026-03-02 10:05")),
            Some(at("2026-03-02 13:30"))
        );
        assert_eq!(
            next_round(RegisterKind::Housekeeping, at("2026-03-02 13:30")),
            Some(at("2026-03-02 13:30"))
        );
        assert_eq!(next_round(RegisterKind::Alarm, at("2026-03-02 18:00")), Some(at("2026-03-03 09:00")));
        assert_eq!(next_round(RegisterKind::Repair, at("2026-03-02 18:00")), None);
    }

    #[test]
    fn r_in_5_no_dispatch_without_an_agreed_price() {
        let mut row = job(RegisterKind::Housekeeping, RequestStatus::Registered);
        row.price_agreed = false;
        let runner = staff(7, Group::Housekeeping, Rank::Staff);
        let dispatch = JobStep::Dispatch { staff: &runner, channel: DispatchChannel::Direct };
        assert_eq!(step(&row, &JobFacts::default(), dispatch), Err(StepError::PriceNotAgreed));
    }

    #[test]
    fn r_desk_4_dispatch_and_transfer_only_to_the_providing_group() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Registered);
        let engineer = staff(8, Group::Engineering, Rank::Staff);
        let dispatch = JobStep::Dispatch { staff: &engineer, channel: DispatchChannel::Direct };
        assert_eq!(
            step(&row, &JobFacts::default(), dispatch),
            Err(StepError::WrongProvider { group: Group::Engineering })
        );
        let sent = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let transfer = JobStep::Transfer { to: &engineer, reason: "人手不足".into() };
        assert!(matches!(step(&sent, &JobFacts::default(), transfer), Err(StepError::WrongProvider { .. })));
    }

    fn reschedule(
        asked_by: AskedBy,
        reason: &str,
        apologised: bool,
        told: Option<&str>,
        new_time: &str,
    ) -> JobStep<'static> {
        JobStep::Reschedule {
            asked_by,
            reason: reason.into(),
            apologised,
            staff_told_at: told.map(at),
            new_time: at(new_time),
        }
    }

    #[test]
    fn r_fu_1_reschedule_needs_reason_apology_and_a_later_time() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let facts = JobFacts { holder: Some(7), ..JobFacts::default() };
        let by_staff =
            |reason, apologised, new_time| reschedule(AskedBy::Staff, reason, apologised, None, new_time);
        assert_eq!(
            step(&row, &facts, by_staff("员工临时生病", true, "2026-03-03 09:00")),
            Ok(RequestStatus::Dispatched)
        );
        assert_eq!(
            step(&row, &facts, by_staff("员工临时生病", false, "2026-03-03 09:00")),
            Err(StepError::ApologyRequired)
        );
        assert_eq!(
            step(&row, &facts, by_staff(" ", true, "2026-03-03 09:00")),
            Err(StepError::ReasonRequired)
        );
        assert_eq!(
            step(&row, &facts, by_staff("改期", true, "2026-03-02 15:00")),
            Err(StepError::NewTimeNotLater)
        );
    }

    #[test]
    fn r_fu_2_a_residents_change_after_dispatch_records_when_the_staff_was_told() {
        let row = job(RegisterKind::Repair, RequestStatus::Dispatched);
        let facts = JobFacts { holder: Some(9), ..JobFacts::default() };
        let untold = reschedule(AskedBy::Resident, "住户临时出差", false, None, "2026-03-04 09:00");
        assert_eq!(step(&row, &facts, untold), Err(StepError::StaffNotTold));
        let told = reschedule(
            AskedBy::Resident,
            "住户临时出差",
            false,
            Some("2026-03-02 15:50"),
            "2026-03-04 09:00",
        );
        assert_eq!(step(&row, &facts, told), Ok(RequestStatus::Dispatched));
        let waiting = job(RegisterKind::Repair, RequestStatus::Registered);
        let before_dispatch = reschedule(AskedBy::Resident, "住户改约", false, None, "2026-03-04 09:00");
        assert_eq!(step(&waiting, &JobFacts::default(), before_dispatch), Ok(RequestStatus::Registered));
    }

    #[test]
    fn r_fu_2_cancelling_after_dispatch_records_when_the_staff_was_told() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let facts = JobFacts { holder: Some(7), ..JobFacts::default() };
        let untold = JobStep::Cancel { reason: "住户临时外出".into(), staff_told_at: None };
        assert_eq!(step(&row, &facts, untold), Err(StepError::StaffNotTold));
        let told = JobStep::Cancel {
            reason: "住户临时外出".into(),
            staff_told_at: Some(at("2026-03-02 15:40")),
        };
        assert_eq!(step(&row, &facts, told), Ok(RequestStatus::Cancelled));
        let registered = job(RegisterKind::Housekeeping, RequestStatus::Registered);
        let before_dispatch = JobStep::Cancel { reason: "住户不需要了".into(), staff_told_at: None };
        assert_eq!(step(&registered, &JobFacts::default(), before_dispatch), Ok(RequestStatus::Cancelled));
        for when in ["2026-03-02 16:30", "2026-03-02 09:00"] {
            let impossible =
                JobStep::Cancel { reason: "住户临时外出".into(), staff_told_at: Some(at(when)) };
            assert_eq!(step(&row, &facts, impossible), Err(StepError::ToldTime), "told at {when}");
        }
    }

    #[test]
    fn r_fu_3_nobody_home_needs_the_slip_and_the_job_goes_back_to_its_staff() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let facts = JobFacts { holder: Some(7), ..JobFacts::default() };
        assert_eq!(
            step(&row, &facts, JobStep::NotHome { slip_no: String::new() }),
            Err(StepError::SlipRequired)
        );
        assert_eq!(
            step(&row, &facts, JobStep::NotHome { slip_no: "LY-000012".into() }),
            Ok(RequestStatus::NotHome)
        );
        let not_home = job(RegisterKind::Housekeeping, RequestStatus::NotHome);
        let again =
            reschedule(AskedBy::Resident, "住户回电", false, Some("2026-03-02 15:55"), "2026-03-03 10:00");
        assert_eq!(step(&not_home, &facts, again), Ok(RequestStatus::Dispatched));
    }

    #[test]
    fn r_ex_1_done_needs_the_residents_signature_and_opinion() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let mut record = ServiceRecord {
            arrived_at: at("2026-03-02 14:00"),
            finished_at: at("2026-03-02 15:30"),
            work_done: "全屋保洁".into(),
            resident_signed: true,
            opinion: Some(Opinion::Satisfied),
            comment: String::new(),
        };
        assert_eq!(
            step(&row, &JobFacts::default(), JobStep::Done { record: record.clone() }),
            Ok(RequestStatus::Done)
        );
        record.opinion = None;
        assert_eq!(
            step(&row, &JobFacts::default(), JobStep::Done { record: record.clone() }),
            Err(StepError::RecordNotSigned)
        );
        record.opinion = Some(Opinion::Satisfied);
        record.finished_at = at("2026-03-02 13:00");
        assert_eq!(
            step(&row, &JobFacts::default(), JobStep::Done { record: record.clone() }),
            Err(StepError::RecordTimes)
        );
        // Nobody arrives before the row came in (it would keep an R-SLA promise it did not).
        record.arrived_at = at("2026-03-02 09:00");
        record.finished_at = at("2026-03-02 11:00");
        assert_eq!(step(&row, &JobFacts::default(), JobStep::Done { record }), Err(StepError::RecordTimes));
    }

    #[test]
    fn r_ex_2_sign_off_at_the_desk_that_keeps_the_register() {
        let row = job(RegisterKind::Repair, RequestStatus::Done);
        let fixer = staff(9, Group::PublicRepair, Rank::Staff);
        let at_cs = JobStep::SignOff { signer: &fixer, desk: Desk::CsCenter };
        assert_eq!(step(&row, &JobFacts::default(), at_cs), Err(StepError::WrongDesk));
        let at_control = JobStep::SignOff { signer: &fixer, desk: Desk::ControlCenter };
        assert_eq!(step(&row, &JobFacts::default(), at_control), Ok(RequestStatus::SignedOff));
        let clerk = staff(2, Group::ControlCenter, Rank::Staff);
        let by_clerk = JobStep::SignOff { signer: &clerk, desk: Desk::ControlCenter };
        assert!(matches!(step(&row, &JobFacts::default(), by_clerk), Err(StepError::WrongProvider { .. })));
    }

    #[test]
    fn r_ex_3_the_copier_signs_off_an_alarm_job() {
        let row = job(RegisterKind::Alarm, RequestStatus::Done);
        let facts = JobFacts { holder: Some(8), copier: Some(8), ..JobFacts::default() };
        let other = staff(10, Group::Engineering, Rank::Staff);
        let copier = staff(8, Group::Engineering, Rank::Staff);
        let wrong = JobStep::SignOff { signer: &other, desk: Desk::CsCenter };
        assert_eq!(step(&row, &facts, wrong), Err(StepError::NotTheCopier));
        let right = JobStep::SignOff { signer: &copier, desk: Desk::CsCenter };
        assert_eq!(step(&row, &facts, right), Ok(RequestStatus::SignedOff));
    }

    #[test]
    fn r_fee_1_a_fee_of_100_yuan_or_more_is_collected_by_a_supervisor() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Done);
        let worker = staff(7, Group::Housekeeping, Rank::Staff);
        let boss = staff(11, Group::Housekeeping, Rank::Supervisor);
        let fee = |yuan| Money::from_yuan(yuan).unwrap_or(Money::ZERO);
        // The sample job's agreed price is ¥80: other amounts say why (tested below).
        let collect =
            |amount, collector| JobStep::Collect {
                amount, collector, reason: "加换零件，住户同意".into()
            };
        assert_eq!(step(&row, &JobFacts::default(), collect(fee(99), &worker)), Ok(RequestStatus::Done));
        assert_eq!(
            step(&row, &JobFacts::default(), collect(fee(100), &worker)),
            Err(StepError::CollectorRank)
        );
        assert_eq!(step(&row, &JobFacts::default(), collect(fee(100), &boss)), Ok(RequestStatus::Done));
        assert!(may_collect(Rank::Staff, fee(99)) && !may_collect(Rank::Staff, fee(100)));
        // Collected once: a second ¥99 cannot split a ¥198 fee below the line.
        let mut paid = row.clone();
        paid.collected = Some((fee(99), worker.name.clone()));
        assert_eq!(
            step(&paid, &JobFacts::default(), collect(fee(99), &worker)),
            Err(StepError::AlreadyCollected)
        );
    }

    #[test]
    fn r_fee_1_a_collection_other_than_the_agreed_price_needs_a_reason() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Done);
        let worker = staff(7, Group::Housekeeping, Rank::Staff);
        let fee = |yuan| Money::from_yuan(yuan).unwrap_or(Money::ZERO);
        let collect =
            |amount, reason: &str| JobStep::Collect { amount, collector: &worker, reason: reason.into() };
        // The sample job was agreed at ¥80.
        assert_eq!(step(&row, &JobFacts::default(), collect(fee(80), "")), Ok(RequestStatus::Done));
        assert_eq!(
            step(&row, &JobFacts::default(), collect(fee(70), " ")),
            Err(StepError::AmountDiffersWithoutReason)
        );
        assert_eq!(
            step(&row, &JobFacts::default(), collect(fee(70), "住户自备清洁剂，少收10元")),
            Ok(RequestStatus::Done)
        );
        // A price only quoted, never agreed, is nothing to differ from.
        let quoted = Request { price_agreed: false, ..row.clone() };
        assert_eq!(step(&quoted, &JobFacts::default(), collect(fee(70), "")), Ok(RequestStatus::Done));
    }

    #[test]
    fn r_fu_3_nobody_home_is_found_at_or_after_the_appointment() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let facts = JobFacts { holder: Some(7), ..JobFacts::default() };
        let not_home = JobStep::NotHome { slip_no: "LY-2026-000012".into() };
        // The sample job's appointment is 14:00.
        assert_eq!(
            check_step(&row, &facts, &not_home, at("2026-03-02 13:35")),
            Err(StepError::NotHomeBeforeAppointment { appointment: at("2026-03-02 14:00") })
        );
        assert_eq!(check_step(&row, &facts, &not_home, at("2026-03-02 14:00")), Ok(RequestStatus::NotHome));
    }

    #[test]
    fn r_sla_1_an_arrival_comes_at_or_after_the_dispatch_it_follows() {
        let row = job(RegisterKind::Repair, RequestStatus::Dispatched);
        let facts =
            JobFacts { holder: Some(7), dispatched_at: Some(at("2026-03-02 15:41")), ..JobFacts::default() };
        assert_eq!(
            step(&row, &facts, JobStep::Arrive { at: at("2026-03-02 14:35") }),
            Err(StepError::BeforeDispatch { dispatched_at: at("2026-03-02 15:41") })
        );
        assert_eq!(
            step(&row, &facts, JobStep::Arrive { at: at("2026-03-02 15:41") }),
            Ok(RequestStatus::Dispatched)
        );
    }

    #[test]
    fn r_ex_1_the_record_runs_dispatch_then_arrival_then_finish() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::Dispatched);
        let facts =
            JobFacts { holder: Some(7), dispatched_at: Some(at("2026-03-02 13:30")), ..JobFacts::default() };
        let done = |arrived: &str, finished: &str| JobStep::Done {
            record: ServiceRecord {
                arrived_at: at(arrived),
                finished_at: at(finished),
                work_done: "全屋保洁".into(),
                resident_signed: true,
                opinion: Some(Opinion::Satisfied),
                comment: String::new(),
            },
        };
        // Arrived before it was sent: refused (dispatch ≤ arrival).
        assert_eq!(
            step(&row, &facts, done("2026-03-02 13:00", "2026-03-02 15:00")),
            Err(StepError::BeforeDispatch { dispatched_at: at("2026-03-02 13:30") })
        );
        // Finished before arriving: refused (arrival ≤ finish).
        assert_eq!(
            step(&row, &facts, done("2026-03-02 14:00", "2026-03-02 13:50")),
            Err(StepError::RecordTimes)
        );
        assert_eq!(step(&row, &facts, done("2026-03-02 13:30", "2026-03-02 15:00")), Ok(RequestStatus::Done));
    }

    #[test]
    fn r_fee_3_finance_settles_a_signed_off_job() {
        let row = job(RegisterKind::Housekeeping, RequestStatus::SignedOff);
        let cashier = staff(12, Group::Finance, Rank::Staff);
        let clerk = staff(2, Group::CsCenter, Rank::Staff);
        assert_eq!(
            step(&row, &JobFacts::default(), JobStep::Settle { by: &clerk }),
            Err(StepError::NotFinance)
        );
        assert_eq!(
            step(&row, &JobFacts::default(), JobStep::Settle { by: &cashier }),
            Ok(RequestStatus::Settled)
        );
    }

    #[test]
    fn r_sla_2_the_arrival_is_recorded_while_the_job_is_out() {
        let row = job(RegisterKind::Repair, RequestStatus::Dispatched);
        let arrive = |text| JobStep::Arrive { at: at(text) };
        assert_eq!(
            step(&row, &JobFacts::default(), arrive("2026-03-02 10:08")),
            Ok(RequestStatus::Dispatched)
        );
        assert_eq!(step(&row, &JobFacts::default(), arrive("2026-03-02 16:30")), Err(StepError::ArrivalTime));
        assert_eq!(step(&row, &JobFacts::default(), arrive("2026-03-02 09:00")), Err(StepError::ArrivalTime));
        let waiting = job(RegisterKind::Repair, RequestStatus::Registered);
        assert!(matches!(
            step(&waiting, &JobFacts::default(), arrive("2026-03-02 10:08")),
            Err(StepError::NotNow { .. })
        ));
    }

    #[test]
    fn r_ex_4_repairs_are_followed_up_after_the_work() {
        let done = job(RegisterKind::Repair, RequestStatus::SignedOff);
        let follow_up = |note: &str| JobStep::FollowUp { note: note.into() };
        assert_eq!(
            step(&done, &JobFacts::default(), follow_up("电话回访：不再漏水")),
            Ok(RequestStatus::SignedOff)
        );
        assert_eq!(step(&done, &JobFacts::default(), follow_up(" ")), Err(StepError::NoteRequired));
        let cleaning = job(RegisterKind::Housekeeping, RequestStatus::Done);
        assert_eq!(step(&cleaning, &JobFacts::default(), follow_up("好")), Err(StepError::NotRepair));
    }

    #[test]
    fn r_ex_3_the_cs_center_spot_checks_finished_alarm_jobs() {
        let done = job(RegisterKind::Alarm, RequestStatus::SignedOff);
        let check = |desk| JobStep::SpotCheck { note: "抽查：报警器工作正常".into(), desk };
        assert_eq!(step(&done, &JobFacts::default(), check(Desk::CsCenter)), Ok(RequestStatus::SignedOff));
        assert_eq!(
            step(&done, &JobFacts::default(), check(Desk::ControlCenter)),
            Err(StepError::NotAlarmAtCsCenter)
        );
        let repair = job(RegisterKind::Repair, RequestStatus::Done);
        assert_eq!(
            step(&repair, &JobFacts::default(), check(Desk::CsCenter)),
            Err(StepError::NotAlarmAtCsCenter)
        );
    }

    #[test]
    fn r_sla_3_a_hazard_is_pointed_out_to_the_resident_and_reported() {
        let row = job(RegisterKind::Repair, RequestStatus::Dispatched);
        let hazard = |description: &str, told_resident| JobStep::Hazard {
            description: description.into(),
            told_resident,
        };
        assert_eq!(
            step(&row, &JobFacts::default(), hazard("燃气软管老化", true)),
            Ok(RequestStatus::Dispatched)
        );
        assert_eq!(
            step(&row, &JobFacts::default(), hazard("燃气软管老化", false)),
            Err(StepError::HazardNotPointedOut)
        );
        assert_eq!(step(&row, &JobFacts::default(), hazard("", true)), Err(StepError::HazardNotPointedOut));
    }

    #[test]
    fn illegal_transitions_are_refused_with_the_state_they_came_from() {
        let cashier = staff(12, Group::Finance, Rank::Staff);
        for from in [
            RequestStatus::Registered,
            RequestStatus::Dispatched,
            RequestStatus::Done,
            RequestStatus::Settled,
        ] {
            let row = job(RegisterKind::Housekeeping, from);
            assert_eq!(
                step(&row, &JobFacts::default(), JobStep::Settle { by: &cashier }),
                Err(StepError::NotNow { from })
            );
        }
        let settled = job(RegisterKind::Housekeeping, RequestStatus::Settled);
        let cancel = JobStep::Cancel { reason: "x".into(), staff_told_at: None };
        assert_eq!(
            step(&settled, &JobFacts::default(), cancel),
            Err(StepError::NotNow { from: RequestStatus::Settled })
        );
        let relayed = job(RegisterKind::Housekeeping, RequestStatus::Relayed);
        let returned = JobStep::Return { reason: "x".into() };
        assert_eq!(
            step(&relayed, &JobFacts::default(), returned),
            Err(StepError::NotNow { from: RequestStatus::Relayed })
        );
    }
}
